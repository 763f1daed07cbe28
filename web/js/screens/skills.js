// skills.js — the team skill map (ITSS levels) from GET /api/v1/skills/map:
// each person's declared and verified level per specialty field. Without
// the skills module the screen says it is not available.

import { h } from '../dom.js';
import { optional } from '../api.js';
import { t, fmtTime } from '../i18n.js';

export async function render({ main, setTitle }) {
  setTitle(t('nav.skills'));
  const map = await optional('/api/v1/skills/map');
  main.append(h('h1', {}, t('nav.skills')));
  if (map === undefined) {
    main.append(h('section', { class: 'panel unavailable', 'data-unavailable': 'skills' }, h('p', {}, t('common.unavailable', { what: t('skills.module') }))));
    return;
  }
  const people = map.people || [];
  const fields = [...new Set(people.flatMap((p) => Object.keys(p.fields || {})))];
  const level = (v) => (v == null ? '—' : typeof v === 'object' ? (v.level ?? '—') : String(v));
  main.append(h('p', { class: 'muted' }, t('skills.summary', { people: map.people_count ?? people.length, assessed: map.assessed_count ?? 0 })));
  if (!people.length) { main.append(h('p', { class: 'empty' }, t('list.empty'))); return; }
  main.append(h('div', { class: 'table-wrap' }, h('table', { class: 'data skills' },
    h('caption', { class: 'sr-only' }, t('nav.skills')),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('skills.person')), fields.map((f) => h('th', { scope: 'col' }, f)), h('th', { scope: 'col' }, t('skills.assessed')))),
    h('tbody', {}, people.map((p) => h('tr', {},
      h('th', { scope: 'row' }, p.name || p.key, h('br'), h('small', { class: 'muted' }, (p.groups || []).join(', '))),
      fields.map((f) => {
        const c = (p.fields || {})[f] || {};
        return h('td', { class: 'level' }, h('span', { title: t('skills.declared') }, level(c.declared)), ' / ',
          h('strong', { title: t('skills.verified') }, level(c.verified)));
      }),
      h('td', {}, p.assessed_at ? fmtTime(p.assessed_at) : t('skills.never'))))))),
  h('p', { class: 'hint' }, t('skills.legend')));
}
