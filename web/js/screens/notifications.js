// notifications.js — the signed-in user's e-mail notification settings
// (GET/PATCH /api/v1/users/ME/notifications, docs/notify.md): the language
// of the messages and each event switched on or off. The save carries the
// version read; when the settings moved on meanwhile (409) the screen says
// so and shows them as they are now.

import { h, clear, toast, announce } from '../dom.js';
import { get, patch } from '../api.js';
import { t } from '../i18n.js';

const EVENTS = () => [
  ['create', t('notif.event.create')], ['assign', t('notif.event.assign')],
  ['comment', t('notif.event.comment')], ['status', t('notif.event.status')],
  ['resolve', t('notif.event.resolve')], ['sla_warning', t('notif.event.sla_warning')],
  ['sla_breach', t('notif.event.sla_breach')],
];

export async function render({ main, user, setTitle }) {
  setTitle(t('nav.notifications'));
  const path = `/api/v1/users/${encodeURIComponent(user.username)}/notifications`;
  const panel = h('div');
  main.append(h('h1', {}, t('nav.notifications')), h('p', { class: 'hint' }, t('notif.hint')), panel);

  async function load(note) {
    const cur = await get(path);
    const lang = h('select', { id: 'notif-lang', name: 'lang' },
      [['en', 'English'], ['ja', '日本語']].map(([v, l]) => h('option', { value: v, selected: v === cur.lang, lang: v }, l)));
    const boxes = EVENTS().map(([ev, label]) => {
      const id = `notif-${ev}`;
      const box = h('input', { type: 'checkbox', id, name: ev, checked: !cur.off.includes(ev), dataset: { event: ev } });
      return { ev, box, el: h('div', { class: 'choice' }, box, h('label', { for: id }, label)) };
    });
    const err = h('p', { class: 'form-error', role: 'alert' }, note || '');
    const save = h('button', { type: 'submit', class: 'primary' }, t('notif.save'));
    const form = h('form', { class: 'panel form', id: 'notif-form', novalidate: true },
      h('div', { class: 'field' }, h('label', { for: 'notif-lang' }, t('notif.lang')), lang),
      h('fieldset', { class: 'kinds' }, h('legend', {}, t('notif.events')), ...boxes.map((b) => b.el)),
      err, h('div', { class: 'actions' }, save));
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      save.disabled = true;
      try {
        await patch(path, { version: cur.version, lang: lang.value, off: boxes.filter((b) => !b.box.checked).map((b) => b.ev) });
        announce(t('notif.saved'));
        toast(t('notif.saved'), 'ok');
        await load();
      } catch (e) {
        if (e.status === 409) await load(t('notif.conflict'));
        else { err.textContent = e.message; save.disabled = false; }
      }
    });
    clear(panel).append(form);
  }
  await load();
}
