// catalogue.js — the manager's catalogue (/catalogue): edit and retire a
// service, edit a calendar (time zone, hours, holidays added and removed)
// and an SLA's targets. Every change is a PATCH (or a holiday POST/DELETE)
// at the version this screen read; a stale one (409) reloads the part with
// what the server holds now and says so. The server decides what is valid
// (docs/sla.md, "Change and retire"); its message is shown as is.

import { h, clear, toast, announce } from '../dom.js';
import { get, patch, post, del, ApiError } from '../api.js';
import { t } from '../i18n.js';

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const ALL = '?status=active,retired&limit=500';

// What a failed change says: a stale version is named as such.
function failed(e) {
  if (e instanceof ApiError && e.code === 'conflict' && e.field === 'version') return t('cat.stale');
  return e.message || t('err.generic');
}

// Run a change; on success or a stale version reload the part; say how it went.
async function change(fn, reload, done) {
  try {
    await fn();
    toast(done, 'ok');
    announce(done);
  } catch (e) {
    toast(failed(e), 'error');
    announce(failed(e));
    if (!(e instanceof ApiError && e.code === 'conflict' && e.field === 'version')) return;
  }
  await reload();
}

// ---- services ----

async function services(box) {
  const list = (await get(`/api/v1/services${ALL}`)).items;
  const reload = () => services(box);
  clear(box).append(h('h2', {}, t('cat.services')),
    list.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'data', 'data-testid': 'services' },
      h('caption', { class: 'sr-only' }, t('cat.services')),
      h('thead', {}, h('tr', {}, ['cat.key', 'cat.name', 'cat.owner', 'cat.status', 'cat.actions']
        .map((k) => h('th', { scope: 'col' }, t(k))))),
      h('tbody', {}, list.map((s) => {
        const name = h('input', { value: s.name, 'aria-label': t('cat.name_of', { key: s.key }), 'data-field': 'name' });
        const owner = h('input', { value: s.owner_group || '', 'aria-label': t('cat.owner_of', { key: s.key }), 'data-field': 'owner_group' });
        const retired = s.status === 'retired';
        return h('tr', { 'data-key': s.key, 'data-status': s.status },
          h('th', { scope: 'row' }, s.key), h('td', {}, name), h('td', {}, owner),
          h('td', {}, t(`cat.status.${retired ? 'retired' : 'active'}`)),
          h('td', {},
            h('button', { type: 'button', 'data-action': 'save',
              onclick: () => change(() => patch(`/api/v1/services/${encodeURIComponent(s.key)}`,
                { version: s.version, name: name.value, owner_group: owner.value }), reload, t('cat.saved', { what: s.key })) },
            t('cat.save')), ' ',
            h('button', { type: 'button', 'data-action': retired ? 'restore' : 'retire',
              onclick: () => change(() => patch(`/api/v1/services/${encodeURIComponent(s.key)}`,
                { version: s.version, status: retired ? 'active' : 'retired' }), reload,
              t(retired ? 'cat.restored' : 'cat.retired', { what: s.key })) },
            t(retired ? 'cat.restore' : 'cat.retire'))));
      })))) : h('p', { class: 'empty' }, t('list.empty')));
}

// Draw the form of `name` into box unless it is the one shown or being
// drawn: choosing the record already open must not redraw it under what
// the user is typing (a save's reload redraws by calling draw itself).
function showOnce(box, name, draw) {
  if (box.dataset.shown === name) return undefined;
  box.dataset.shown = name;
  return draw(box, name);
}

// ---- calendars ----

// "09:00-12:00, 13:00-18:00" ⇄ [["09:00","12:00"], ["13:00","18:00"]]
const showHours = (v) => (v || []).map(([a, b]) => `${a}-${b}`).join(', ');
const readHours = (s) => s.split(',').map((x) => x.trim()).filter(Boolean).map((x) => x.split('-').map((y) => y.trim()));

async function calendarForm(box, name) {
  const c = await get(`/api/v1/calendars/${encodeURIComponent(name)}`);
  const reload = () => calendarForm(box, name);
  const path = `/api/v1/calendars/${encodeURIComponent(name)}`;
  const zone = h('input', { id: 'cal-timezone', value: c.timezone });
  const days = Object.fromEntries(DAYS.map((d) => [d, h('input', { id: `cal-${d}`, value: showHours(c.hours[d]), placeholder: '09:00-18:00' })]));
  const date = h('input', { id: 'hol-date', type: 'date', required: true });
  const label = h('input', { id: 'hol-name', maxlength: '100' });
  const names = c.holiday_names || {};
  clear(box).append(
    h('form', { class: 'form', 'data-testid': 'calendar-form', 'data-name': name,
      onsubmit: (ev) => {
        ev.preventDefault();
        change(() => patch(path, { version: c.version, timezone: zone.value.trim(),
          hours: Object.fromEntries(DAYS.map((d) => [d, readHours(days[d].value)])) }), reload, t('cat.saved', { what: name }));
      } },
    h('div', { class: 'field' }, h('label', { for: 'cal-timezone' }, t('cat.timezone')), zone),
    h('fieldset', {}, h('legend', {}, t('cat.hours')),
      DAYS.map((d) => h('div', { class: 'field' }, h('label', { for: `cal-${d}` }, t(`cat.day.${d}`)), days[d]))),
    h('p', { class: 'hint' }, t('cat.hours_hint')),
    h('button', { type: 'submit', class: 'primary' }, t('cat.save'))),
    h('h3', {}, t('cat.holidays')),
    c.holidays.length ? h('ul', { class: 'holidays', 'data-testid': 'holidays' }, c.holidays.map((d) => h('li', { 'data-date': d },
      d, names[d] ? ` — ${names[d]}` : '', ' ',
      h('button', { type: 'button', 'aria-label': t('cat.remove_holiday', { date: d }),
        onclick: () => change(() => del(`${path}/holidays/${d}`), reload, t('cat.holiday_removed', { date: d })) },
      t('cat.remove'))))) : h('p', { class: 'empty' }, t('cat.no_holidays')),
    h('form', { class: 'form inline', 'data-testid': 'holiday-form',
      onsubmit: (ev) => {
        ev.preventDefault();
        const body = { date: date.value };
        if (label.value.trim()) body.name = label.value.trim();
        change(() => post(`${path}/holidays`, body), reload, t('cat.holiday_added', { date: date.value }));
      } },
    h('div', { class: 'field' }, h('label', { for: 'hol-date' }, t('cat.holiday_date')), date),
    h('div', { class: 'field' }, h('label', { for: 'hol-name' }, t('cat.holiday_name')), label),
    h('button', { type: 'submit' }, t('cat.add_holiday'))));
}

async function calendars(box) {
  const list = (await get(`/api/v1/calendars${ALL}`)).items.filter((c) => !c.builtin);
  const form = h('div', {});
  const pick = h('select', { id: 'cal-pick', onchange: () => showOnce(form, pick.value, calendarForm) },
    list.map((c) => h('option', { value: c.name }, c.status === 'retired' ? `${c.name} (${t('cat.status.retired')})` : c.name)));
  clear(box).append(h('h2', {}, t('cat.calendars')));
  if (!list.length) { box.append(h('p', { class: 'empty' }, t('list.empty'))); return; }
  box.append(h('div', { class: 'field' }, h('label', { for: 'cal-pick' }, t('cat.calendar')), pick), form);
  await showOnce(form, list[0].name, calendarForm);
}

// ---- SLAs ----

async function slaForm(box, name) {
  const s = await get(`/api/v1/slas/${encodeURIComponent(name)}`);
  const reload = () => slaForm(box, name);
  const cell = (p, k) => h('input', { type: 'number', min: '1', id: `t${p}-${k}`, value: String(s.targets[p][k]),
    'aria-label': t(`cat.${k}_of`, { p }) });
  const rows = [1, 2, 3, 4, 5].map((p) => [p, cell(p, 'response_minutes'), cell(p, 'resolution_minutes')]);
  clear(box).append(h('form', { class: 'form', 'data-testid': 'sla-form', 'data-name': name,
    onsubmit: (ev) => {
      ev.preventDefault();
      const targets = Object.fromEntries(rows.map(([p, r, z]) => [String(p),
        { response_minutes: Number(r.value), resolution_minutes: Number(z.value) }]));
      change(() => patch(`/api/v1/slas/${encodeURIComponent(name)}`, { version: s.version, targets }), reload,
        t('cat.saved', { what: name }));
    } },
  h('p', { class: 'muted' }, t('cat.sla_summary', { customer: s.customer || s.group, service: s.service, calendar: s.calendar, version: s.version })),
  h('table', { class: 'data' }, h('caption', {}, t('cat.targets')),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('cat.priority')), h('th', { scope: 'col' }, t('cat.response')),
      h('th', { scope: 'col' }, t('cat.resolution')))),
    h('tbody', {}, rows.map(([p, r, z]) => h('tr', {}, h('th', { scope: 'row' }, `P${p}`), h('td', {}, r), h('td', {}, z))))),
  h('p', { class: 'hint' }, t('cat.targets_hint')),
  h('button', { type: 'submit', class: 'primary' }, t('cat.save'))));
}

async function slas(box) {
  const list = (await get('/api/v1/slas?limit=500')).items;
  const form = h('div', {});
  const pick = h('select', { id: 'sla-pick', onchange: () => showOnce(form, pick.value, slaForm) },
    list.map((s) => h('option', { value: s.name }, s.name)));
  clear(box).append(h('h2', {}, t('cat.slas')));
  if (!list.length) { box.append(h('p', { class: 'empty' }, t('list.empty'))); return; }
  box.append(h('div', { class: 'field' }, h('label', { for: 'sla-pick' }, t('cat.sla')), pick), form);
  await showOnce(form, list[0].name, slaForm);
}

export async function render({ main, setTitle }) {
  setTitle(t('nav.catalogue'));
  const parts = [h('section', { class: 'panel', id: 'cat-services' }), h('section', { class: 'panel', id: 'cat-calendars' }),
    h('section', { class: 'panel', id: 'cat-slas' })];
  main.append(h('h1', {}, t('nav.catalogue')), ...parts);
  await Promise.all([services(parts[0]), calendars(parts[1]), slas(parts[2])]);
}
