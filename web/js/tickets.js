// tickets.js — pieces every ticket screen shares: the priority badge, the
// status pill, and the ticket table whose rows j/k move through and Enter
// opens (keys.js looks for [data-row]).

import { h } from './dom.js';
import { t, fmtTime, statusName, kindName } from './i18n.js';
import { countdown } from './sla.js';

export function priorityBadge(p) {
  return h('span', { class: `prio prio-${p}`, title: t(`prio.${p}`) }, `P${p}`);
}

export function statusPill(s) {
  return h('span', { class: `status status-${s}` }, statusName(s));
}

const COLUMNS = {
  priority: { label: 'col.priority', sort: 'priority', cell: (x) => priorityBadge(x.priority) },
  key: { label: 'col.key', cell: (x) => h('a', { href: `/tickets/${encodeURIComponent(x.key)}`, class: 'key' }, x.key) },
  title: { label: 'col.title', cell: (x) => h('span', { class: 'title' }, x.title) },
  kind: { label: 'col.kind', cell: (x) => kindName(x.kind) },
  status: { label: 'col.status', cell: (x) => statusPill(x.status) },
  customer: { label: 'col.customer', cell: (x) => x.customer || '—' },
  service: { label: 'col.service', cell: (x) => x.service || '—' },
  group: { label: 'col.group', cell: (x) => x.group || '—' },
  assignee: { label: 'col.assignee', cell: (x) => x.assignee || h('span', { class: 'muted' }, t('ticket.unassigned')) },
  updated: { label: 'col.updated', sort: 'updated', cell: (x) => h('time', { datetime: x.updated_at }, fmtTime(x.updated_at)) },
  created: { label: 'col.created', sort: 'created', cell: (x) => h('time', { datetime: x.created_at }, fmtTime(x.created_at)) },
  sla: { label: 'col.sla', sort: 'due', cell: (x) => countdown(x) },
};

// items: tickets; columns: names from COLUMNS; sort: {by, onSort} makes the
// sortable headers buttons with aria-sort.
export function ticketTable({ items, columns, caption, empty, sort, fresh = new Set() }) {
  if (!items.length) return h('p', { class: 'empty', 'data-empty': '' }, empty || t('list.empty'));
  const head = h('tr', {}, columns.map((c) => {
    const col = COLUMNS[c];
    const sorted = sort && col.sort && sort.by === col.sort;
    return h('th', { scope: 'col', class: `col-${c}`, 'aria-sort': sorted ? 'ascending' : null },
      sort && col.sort
        ? h('button', { type: 'button', class: 'th-sort', onclick: () => sort.onSort(col.sort) }, t(col.label))
        : t(col.label));
  }));
  const body = h('tbody', {});
  items.forEach((x, i) => {
    const href = `/tickets/${encodeURIComponent(x.key)}`;
    const row = h('tr', {
      tabindex: i === 0 ? '0' : '-1', class: fresh.has(x.key) ? 'fresh' : null,
      dataset: { row: '', href, key: x.key },
    }, columns.map((c) => h('td', { class: `col-${c}` }, COLUMNS[c].cell(x))));
    row.addEventListener('click', (ev) => {
      if (ev.target.closest('a, button')) return;
      row.querySelector('a.key')?.click();
    });
    body.append(row);
  });
  return h('div', { class: 'table-wrap' },
    h('table', { class: 'tickets' }, caption ? h('caption', { class: 'sr-only' }, caption) : null, h('thead', {}, head), body));
}
