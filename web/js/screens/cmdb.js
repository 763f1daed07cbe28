// cmdb.js — a configuration item: its attributes, its history, the open
// incidents on it, and its impact graph (what its failure reaches), drawn
// by graph.js. Served by the CMDB module's API (GET /api/v1/cis/{key},
// /history, /impact); without it the screen says the CMDB is not available.

import { h } from '../dom.js';
import { optional } from '../api.js';
import { isOpen } from '../lifecycle.js';
import { t, fmtTime } from '../i18n.js';
import { impactGraph } from '../graph.js';
import { ticketTable } from '../tickets.js';

function unavailable() {
  return h('section', { class: 'panel unavailable', 'data-unavailable': 'cmdb' },
    h('h1', {}, t('nav.cmdb')), h('p', {}, t('common.unavailable', { what: t('cmdb.module') })));
}

function finder(navigate, value = '') {
  const input = h('input', { type: 'search', id: 'ci-key', value, 'data-search': '', placeholder: t('cmdb.placeholder') });
  const form = h('form', { class: 'filters', role: 'search', 'aria-label': t('cmdb.find') },
    h('div', { class: 'field grow' }, h('label', { for: 'ci-key' }, t('cmdb.find')), input),
    h('button', { type: 'submit' }, t('search.go')));
  form.addEventListener('submit', (ev) => { ev.preventDefault(); if (input.value.trim()) navigate(`/cmdb/${encodeURIComponent(input.value.trim())}`); });
  return form;
}

// A history row: {at, actor, action, change: {set, after}}.
function historyText(x) {
  const set = x.change && x.change.set;
  const fields = set && typeof set === 'object' ? Object.keys(set).filter((f) => f !== 'version') : [];
  const what = fields.length ? `: ${fields.map((f) => `${f} = ${typeof set[f] === 'object' ? JSON.stringify(set[f]) : set[f]}`).join(', ')}` : '';
  return `${x.action || ''}${what}`;
}

export async function render({ main, params, navigate, setTitle, isCurrent }) {
  setTitle(params.key ? `${t('nav.cmdb')}: ${params.key}` : t('nav.cmdb'));
  if (!params.key) {
    const list = await optional('/api/v1/cis?limit=100');
    if (list === undefined) { main.append(unavailable()); return; }
    main.append(h('h1', {}, t('nav.cmdb')), finder(navigate));
    const items = (list && list.items) || [];
    main.append(items.length
      ? h('div', { class: 'table-wrap' }, h('table', { class: 'data' },
        h('thead', {}, h('tr', {}, ['cmdb.key', 'cmdb.name', 'cmdb.type', 'cmdb.status'].map((k) => h('th', { scope: 'col' }, t(k))))),
        h('tbody', {}, items.map((c) => h('tr', {},
          h('td', {}, h('a', { href: `/cmdb/${encodeURIComponent(c.key)}` }, c.key)), h('td', {}, c.name), h('td', {}, c.type), h('td', {}, c.status))))))
      : h('p', { class: 'empty' }, t('list.empty')));
    return;
  }
  const k = encodeURIComponent(params.key);
  const ci = await optional(`/api/v1/cis/${k}`); // a missing item throws 404: "not found"
  if (ci === undefined) { main.append(unavailable()); return; }
  const [history, impact, linked] = await Promise.all([
    optional(`/api/v1/cis/${k}/history`).catch(() => undefined),
    optional(`/api/v1/cis/${k}/impact`).catch(() => undefined),
    optional(`/api/v1/cis/${k}/tickets`).catch(() => undefined),
  ]);
  if (!isCurrent()) return;
  const attrs = Object.entries(ci.attributes || {});
  // Linked tickets: {items: [{ticket, kind, status, priority, title, role}]}.
  const canTell = linked !== undefined;
  const onThis = ((linked && linked.items) || [])
    .map((x) => ({ ...x, key: x.key || x.ticket }))
    .filter((x) => x.kind === 'incident' && isOpen(x.status));
  main.append(
    finder(navigate, ci.key),
    h('h1', {}, h('span', { class: 'key' }, ci.key), ' ', ci.name),
    h('div', { class: 'grid2' },
      h('section', { class: 'panel' }, h('h2', {}, t('cmdb.item')),
        h('dl', { class: 'facts' },
          h('dt', {}, t('cmdb.type')), h('dd', {}, ci.type || '—'),
          h('dt', {}, t('cmdb.status')), h('dd', {}, ci.status || '—'),
          h('dt', {}, t('cmdb.owner')), h('dd', {}, ci.owner_group || '—'),
          h('dt', {}, t('cmdb.location')), h('dd', {}, ci.location || '—'),
          h('dt', {}, t('col.service')), h('dd', {}, ci.service || '—'),
          h('dt', {}, t('field.updated_at')), h('dd', {}, fmtTime(ci.updated_at)))),
      h('section', { class: 'panel' }, h('h2', {}, t('cmdb.attributes')),
        attrs.length ? h('dl', { class: 'facts' }, attrs.flatMap(([a, v]) => [h('dt', {}, a), h('dd', {}, typeof v === 'object' ? JSON.stringify(v) : String(v))]))
          : h('p', { class: 'muted' }, t('common.none')))),
    h('section', { class: 'panel', id: 'impact' }, h('h2', {}, t('cmdb.impact')),
      impact === undefined ? h('p', { class: 'muted' }, t('common.unavailable', { what: t('cmdb.impact') }))
        : h('div', {},
          h('p', { class: 'muted' }, t('cmdb.impact_summary', { n: impact.count ?? (impact.items || []).length, services: (impact.services || []).map((x) => (typeof x === 'string' ? x : x.name || x.service || x.ci)).join(', ') || '—' })),
          impact.customers && impact.customers.length ? h('p', { class: 'muted' }, t('cmdb.customers', { list: [...new Set(impact.customers.map((c) => c.customer))].join(', ') })) : null,
          h('div', { class: 'graph-wrap' }, impactGraph(impact, { title: t('cmdb.impact_of', { key: ci.key }), hrefFor: (key) => `/cmdb/${encodeURIComponent(key)}` })))),
    h('section', { class: 'panel' }, h('h2', {}, t('cmdb.incidents')),
      canTell ? ticketTable({ items: onThis, columns: ['priority', 'key', 'title', 'status'], empty: t('cmdb.no_incidents') })
        : h('p', { class: 'muted' }, t('cmdb.incidents_unknown'))),
    h('section', { class: 'panel' }, h('h2', {}, t('cmdb.history')),
      history === undefined || !history ? h('p', { class: 'muted' }, t('common.unavailable', { what: t('cmdb.history') }))
        : h('ol', { class: 'timeline' }, (history.items || []).map((x) => h('li', { class: 'tl-change' },
          h('span', { class: 'tl-meta' }, h('strong', {}, x.actor || ''), ' · ', fmtTime(x.at || x.created_at)),
          h('span', { class: 'tl-text' }, historyText(x)))))));
}

