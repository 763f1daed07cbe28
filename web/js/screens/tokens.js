// tokens.js — "my tokens": the signed-in user's API tokens
// (GET /api/v1/tokens?user=ME) with when each was made, last used and
// expires, and a button that revokes it (DELETE /api/v1/tokens/ID). The
// token's text is never shown: the server does not have it.

import { h, clear, toast, announce } from '../dom.js';
import { get, del, qs } from '../api.js';
import { t, fmtTime } from '../i18n.js';

export async function render({ main, user, setTitle }) {
  setTitle(t('nav.tokens'));
  const table = h('div', { class: 'table-wrap' });
  main.append(h('h1', {}, t('nav.tokens')), h('p', { class: 'hint' }, t('tokens.hint')), table);
  const when = (v) => (v ? fmtTime(v) : t('tokens.never'));

  async function revoke(tk) {
    try {
      await del(`/api/v1/tokens/${tk.id}`);
      announce(t('tokens.revoked_one', { name: tk.name }));
      toast(t('tokens.revoked_one', { name: tk.name }), 'ok');
    } catch (e) {
      toast(e.message, 'warn');
    }
    await load();
  }

  async function load() {
    const list = await get(`/api/v1/tokens${qs({ user: user.username, limit: 500 })}`);
    if (!list.items.length) { clear(table).append(h('p', { class: 'empty' }, t('list.empty'))); return; }
    clear(table).append(h('table', { class: 'data tokens' },
      h('caption', { class: 'sr-only' }, t('nav.tokens')),
      h('thead', {}, h('tr', {}, ['tokens.name', 'tokens.scope', 'field.created_at', 'tokens.last_used', 'tokens.expires', 'tokens.state']
        .map((k) => h('th', { scope: 'col' }, t(k))))),
      h('tbody', {}, list.items.map((tk) => h('tr', { dataset: { token: tk.id } },
        h('th', { scope: 'row' }, tk.name), h('td', {}, tk.scope), h('td', {}, fmtTime(tk.created_at)),
        h('td', {}, when(tk.last_used_at)), h('td', {}, when(tk.expires_at)),
        h('td', {}, tk.revoked ? t('tokens.revoked')
          : h('button', { type: 'button', dataset: { revoke: tk.id }, onclick: () => revoke(tk) }, t('tokens.revoke'))))))));
  }
  await load();
}
