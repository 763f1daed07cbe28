// users.js — the admin's list of users (GET /api/v1/users): each one's role
// (a select that changes it), groups, and a button that disables or enables
// them (PATCH /api/v1/users/NAME with the version read). What the server
// refuses — the last active admin, a stale version — is said in a toast
// and the list is read again.

import { h, clear, toast, announce } from '../dom.js';
import { get, patch } from '../api.js';
import { t } from '../i18n.js';

const ROLES = ['requester', 'agent', 'operator', 'manager', 'admin'];

export async function render({ main, setTitle }) {
  setTitle(t('nav.users'));
  const table = h('div', { class: 'table-wrap' });
  main.append(h('h1', {}, t('nav.users')), table);

  async function change(u, body, done) {
    try {
      await patch(`/api/v1/users/${encodeURIComponent(u.username)}`, { version: u.version, ...body });
      announce(done);
      toast(done, 'ok');
    } catch (e) {
      toast(e.message, 'warn');
    }
    await load();
  }

  function row(u) {
    const role = h('select', { 'aria-label': t('users.role_of', { user: u.username }), dataset: { role: u.username },
      onchange: () => change(u, { role: role.value }, t('users.role_changed', { user: u.username, role: t(`role.${role.value}`) })) },
    ROLES.map((r) => h('option', { value: r, selected: r === u.role }, t(`role.${r}`))));
    const toggle = h('button', { type: 'button', dataset: { toggle: u.username },
      onclick: () => change(u, { active: !u.active }, t(u.active ? 'users.disabled' : 'users.enabled', { user: u.username })) },
    t(u.active ? 'users.disable' : 'users.enable'));
    return h('tr', { dataset: { user: u.username }, class: u.active ? '' : 'inactive' },
      h('th', { scope: 'row' }, u.username, h('br'), h('small', { class: 'muted' }, u.name)),
      h('td', {}, role), h('td', {}, u.customer || '—'), h('td', {}, u.groups || '—'),
      h('td', { dataset: { state: u.username } }, t(u.active ? 'users.active' : 'users.inactive')), h('td', {}, toggle));
  }

  async function load() {
    const users = await get('/api/v1/users');
    clear(table).append(h('table', { class: 'data users' },
      h('caption', { class: 'sr-only' }, t('nav.users')),
      h('thead', {}, h('tr', {}, ['users.user', 'users.role', 'field.customer', 'users.groups', 'users.state', 'users.action']
        .map((k) => h('th', { scope: 'col' }, t(k))))),
      h('tbody', {}, users.items.map(row))));
  }
  await load();
}
