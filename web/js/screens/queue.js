// queue.js — the agent workspace: queues (unassigned, mine, my groups, all
// open, breaching soon), filters (kind, priority, customer), search, sorting.
// "My groups": open tickets whose assignment group is one of mine (the
// list's group=mine: the groups of my user record); the group filter
// narrows any queue to one group (?group=).
// Each row shows the priority and a live SLA countdown when the ticket has
// an SLA. The list follows the live stream: a change anywhere reloads it
// and the changed rows are marked, without reloading the page.
//
// Filters live in the address (?view=&kind=&priority=&customer=&group=&q=&sort=),
// so a queue can be bookmarked and the back button works.

import { h, clear, announce } from '../dom.js';
import { get, openTickets, qs } from '../api.js';
import { t } from '../i18n.js';
import { ticketTable } from '../tickets.js';
import { dueTime } from '../sla.js';
import { onTicketChange, debounce } from '../live.js';

const VIEWS = ['unassigned', 'mine', 'groups', 'open', 'breaching'];
const SORTS = {
  priority: (a, b) => a.priority - b.priority || Date.parse(a.created_at) - Date.parse(b.created_at),
  created: (a, b) => Date.parse(b.created_at) - Date.parse(a.created_at),
  oldest: (a, b) => Date.parse(a.created_at) - Date.parse(b.created_at),
  updated: (a, b) => Date.parse(b.updated_at) - Date.parse(a.updated_at),
  due: (a, b) => dueTime(a) - dueTime(b) || a.priority - b.priority,
};

function select(id, label, options, value) {
  return h('div', { class: 'field' }, h('label', { for: id }, label),
    h('select', { id, name: id }, options.map(([v, l]) => h('option', { value: v, selected: v === value }, l))));
}

export async function render({ main, query, user, navigate, setTitle, isCurrent }) {
  const view = VIEWS.includes(query.get('view')) ? query.get('view') : 'unassigned';
  const f = {
    kind: query.get('kind') || '', priority: query.get('priority') || '',
    customer: query.get('customer') || '', group: query.get('group') || '', q: query.get('q') || '',
    sort: SORTS[query.get('sort')] ? query.get('sort') : (view === 'breaching' ? 'due' : 'priority'),
  };
  setTitle(`${t('nav.queue')}: ${t(`queue.${view}`)}`);
  const myGroups = new Set((Array.isArray(user.groups) ? user.groups : String(user.groups || '').split(','))
    .map((g) => String(g).trim()).filter(Boolean));
  const customers = await get('/api/v1/customers').catch(() => ({ items: [] }));
  const go = (over) => navigate(`/queue${qs({ view, ...f, ...over })}`);

  const tabs = h('nav', { class: 'tabs', 'aria-label': t('queue.views') },
    VIEWS.map((v) => h('a', { href: `/queue${qs({ view: v })}`, 'aria-current': v === view ? 'page' : null, dataset: { view: v } },
      t(`queue.${v}`), ' ', h('span', { class: 'count', id: `count-${v}` }))));
  const search = h('input', { type: 'search', id: 'search', name: 'q', value: f.q, 'data-search': '', placeholder: t('search.placeholder') });
  const filters = h('form', { class: 'filters', role: 'search', 'aria-label': t('queue.filters') },
    h('div', { class: 'field grow' }, h('label', { for: 'search' }, t('search.label')), search),
    select('kind', t('col.kind'), [['', t('filter.any')], ['incident', t('kind.incident')], ['request', t('kind.request')], ['inquiry', t('kind.inquiry')]], f.kind),
    select('priority', t('col.priority'), [['', t('filter.any')], ...[1, 2, 3, 4, 5].map((p) => [String(p), `P${p} ${t(`prio.${p}`)}`])], f.priority),
    select('customer', t('col.customer'), [['', t('filter.any')], ...customers.items.map((c) => [c.key, c.name])], f.customer),
    h('div', { class: 'field' }, h('label', { for: 'group' }, t('col.group')),
      h('input', { id: 'group', name: 'group', value: f.group, list: 'my-groups', size: 12 }),
      h('datalist', { id: 'my-groups' }, [...myGroups].map((g) => h('option', { value: g })))),
    select('sort', t('queue.sort'), Object.keys(SORTS).map((k) => [k, t(`sort.${k}`)]), f.sort),
    h('button', { type: 'submit' }, t('search.go')));
  filters.addEventListener('submit', (ev) => { ev.preventDefault(); go({ q: search.value.trim() }); });
  for (const id of ['kind', 'priority', 'customer', 'group', 'sort']) {
    filters.querySelector(`#${id}`).addEventListener('change', (ev) => go({ [id]: ev.target.value, q: search.value.trim() }));
  }
  const note = h('p', { class: 'muted', id: 'queue-note' });
  const list = h('div', { id: 'queue', 'aria-busy': 'true' });
  main.append(h('div', { class: 'screen-head' }, h('h1', {}, t('nav.queue')),
    h('a', { href: '/tickets/new', class: 'button' }, t('nav.new'))),
  tabs, filters, note, list,
  h('p', { class: 'hint keys-hint' }, t('keys.hint')));

  let known = null;
  let loadSeq = 0;
  const load = async () => {
    const mine = ++loadSeq; // only the latest load draws
    const server = { kind: f.kind, priority: f.priority, customer: f.customer, group: f.group, q: f.q };
    if (view === 'unassigned') server.assignee = 'none';
    if (view === 'mine') server.assignee = 'me';
    if (view === 'groups') server.group = f.group || 'mine';
    let items = await openTickets(server, 500);
    if (!isCurrent() || mine !== loadSeq) return;
    clear(note);
    if (items.more) note.textContent = t('queue.more');
    if (view === 'groups' && !myGroups.size) note.textContent = t('queue.nogroups');
    if (view === 'breaching') {
      const withSla = items.filter((x) => x.sla && (x.sla.resolution_due || x.sla.response_due));
      if (!items.some((x) => x.sla)) note.textContent = t('queue.nosla');
      items = withSla;
    }
    items.sort(SORTS[f.sort]);
    const fresh = new Set();
    if (known) for (const x of items) if (known.get(x.key) !== x.version) fresh.add(x.key);
    known = new Map(items.map((x) => [x.key, x.version]));
    const focusedKey = document.activeElement?.dataset?.key;
    list.setAttribute('aria-busy', 'false');
    clear(list).append(ticketTable({
      items, fresh,
      columns: ['priority', 'key', 'title', 'status', 'customer', 'group', 'assignee', 'sla', 'updated'],
      caption: t(`queue.${view}`), empty: t('queue.empty'),
      sort: { by: f.sort, onSort: (by) => go({ sort: by, q: search.value.trim() }) },
    }));
    const count = document.getElementById(`count-${view}`);
    if (count) count.textContent = `(${items.length})`;
    if (focusedKey) list.querySelector(`[data-key="${CSS.escape(focusedKey)}"]`)?.focus();
    if (fresh.size) announce(t('queue.updated', { keys: [...fresh].join(', ') }));
  };
  await load();
  const later = debounce(() => { load().catch(() => {}); }, 250);
  return onTicketChange(later);
}
