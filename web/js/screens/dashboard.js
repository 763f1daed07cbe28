// dashboard.js — the manager's view of the month: open incidents by
// priority and by service, tickets by status, resolved this month and the
// mean satisfaction (GET /api/v1/stats/tickets); SLA compliance per
// customer and availability per service against target (meters on a scale
// from a floor to 100 %, docs/web.md) from the SLA module's monthly report (GET /api/v1/reports/service-level) with links to
// open or download it; breaches and near-breaches among open tickets.
// A part whose API the server does not have says so and the rest stands.

import { h, clear } from '../dom.js';
import { get, optional, openTickets, qs } from '../api.js';
import { t, statusName, fmtTime } from '../i18n.js';
import { bars, meter, availabilityFloor } from '../chart.js';
import { ticketTable } from '../tickets.js';
import { onTicketChange, debounce } from '../live.js';

function thisMonth() {
  const d = new Date();
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

function unavailable(what) {
  return h('div', { class: 'unavailable', 'data-unavailable': what }, h('p', {}, t('common.unavailable', { what: t(what) })));
}

function tile(label, value, id, data) {
  return h('div', { class: 'tile', id, dataset: data }, h('span', { class: 'tile-value' }, value), h('span', { class: 'tile-label' }, label));
}

// The monthly report's figures (docs/sla.md: {customer, month,
// compliance_percent, slas: [{sla, service, tickets, …, breaches_total,
// breaches: [the 100 most overdue]}],
// services: [{service, availability_percent, target_percent, target_met,
// …}]}): compliance is the report's own, over both clocks of every SLA of
// the customer; whether a target is met is the report's target_met, decided
// on the unrounded figure.
export function reportSummary(r) {
  const slas = Array.isArray(r.slas) ? r.slas : [];
  const tickets = slas.reduce((a, x) => a + (Number(x.tickets) || 0), 0);
  const breached = slas.reduce((a, x) => a + (Number(x.breaches_total) || 0), 0);
  const services = (Array.isArray(r.services) ? r.services : [])
    .filter((x) => x && x.service && typeof x.availability_percent === 'number')
    .map((x) => {
      const target = typeof x.target_percent === 'number' ? x.target_percent : null;
      const met = typeof x.target_met === 'boolean' ? x.target_met : (target == null || x.availability_percent >= target);
      return { service: x.service, achieved: x.availability_percent, target, met };
    });
  return {
    slas: slas.length, tickets, breached,
    compliance: typeof r.compliance_percent === 'number' ? r.compliance_percent : null,
    services,
  };
}

// A percentage for display, rounded down to enough decimals that a figure
// below its target never reads as the target: one more than the target has,
// at least 2, at most the report's 4 (99.8908 against 99.9 is "99.89").
const places = (x) => (String(x).split('.')[1] || '').length;
export function fmtPercent(value, target) {
  const d = Math.min(4, Math.max(2, target == null ? 2 : places(target) + 1));
  const f = Math.floor(value * 10 ** d + 1e-6) / 10 ** d;
  return String(Number(f.toFixed(d)));
}

export async function render({ main, query, navigate, setTitle, isCurrent, user }) {
  const month = /^\d{4}-\d{2}$/.test(query.get('month') || '') ? query.get('month') : thisMonth();
  setTitle(t('dash.title'));
  const picker = h('input', { type: 'month', id: 'month', value: month, max: thisMonth() });
  picker.addEventListener('change', () => { if (picker.value) navigate(`/dashboard${qs({ month: picker.value })}`); });
  const tiles = h('div', { class: 'tiles', id: 'tiles' });
  const charts = h('div', { class: 'grid2' });
  const status = h('section', { class: 'panel' });
  const slaPanel = h('section', { class: 'panel', id: 'sla-panel', 'aria-labelledby': 'sla-h' });
  const availPanel = h('section', { class: 'panel', id: 'avail-panel', 'aria-labelledby': 'avail-h' });
  const breachPanel = h('section', { class: 'panel', id: 'breach-panel', 'aria-labelledby': 'breach-h' });
  // The month's effort and cost per customer and service (docs/cost.md):
  // the cost report is the managers', so only they see this panel.
  const costPanel = h('section', { class: 'panel', id: 'cost-panel', 'aria-labelledby': 'cost-h', hidden: true });
  main.append(
    h('div', { class: 'screen-head' }, h('h1', {}, t('dash.title')),
      h('div', { class: 'field inline' }, h('label', { for: 'month' }, t('dash.month')), picker)),
    tiles, charts, slaPanel, costPanel, breachPanel, h('div', { class: 'grid2' }, availPanel, status));

  async function loadStats() {
    const st = await optional(`/api/v1/stats/tickets${qs({ month })}`);
    if (!isCurrent()) return;
    clear(tiles); clear(charts); clear(status);
    if (!st) { tiles.append(unavailable('dash.stats')); return; }
    const sat = st.satisfaction || {};
    tiles.append(
      tile(t('dash.open'), st.open.total, 'tile-open'),
      tile(t('dash.open_incidents'), st.open_incidents.total, 'tile-incidents'),
      tile(t('dash.resolved', { month: st.month }), st.resolved_in_month, 'tile-resolved'),
      tile(t('dash.satisfaction', { n: sat.month_count || 0 }), sat.month_mean != null ? `${sat.month_mean.toFixed(1)} / 5` : '—', 'tile-satisfaction',
        { count: sat.month_count || 0, mean: sat.month_mean ?? '' }));
    const tone = (p) => (p <= 1 ? 'bad' : p === 2 ? 'warn' : 'base');
    charts.append(
      h('section', { class: 'panel', id: 'by-priority' }, h('h2', {}, t('dash.by_priority')),
        bars({ title: t('dash.by_priority'), rows: [1, 2, 3, 4, 5].map((p) => ({ label: `P${p} ${t(`prio.${p}`)}`, value: st.open_incidents.by_priority[p] || 0, tone: tone(p) })) })),
      h('section', { class: 'panel', id: 'by-service' }, h('h2', {}, t('dash.by_service')),
        st.open_incidents.by_service.length
          ? bars({ title: t('dash.by_service'), rows: st.open_incidents.by_service.map((x) => ({ label: x.service || t('common.none'), value: x.count })) })
          : h('p', { class: 'muted' }, t('dash.none_open'))));
    status.append(h('h2', {}, t('dash.by_status')),
      h('dl', { class: 'counts' }, Object.entries(st.by_status).map(([k, v]) => h('div', {}, h('dt', {}, statusName(k)), h('dd', { dataset: { status: k } }, String(v))))),
      h('p', { class: 'muted' }, t('dash.by_kind', { incident: st.open.by_kind.incident, request: st.open.by_kind.request, inquiry: st.open.by_kind.inquiry })));
  }

  async function loadReports() {
    clear(slaPanel).append(h('h2', { id: 'sla-h' }, t('dash.sla', { month })));
    clear(availPanel).append(h('h2', { id: 'avail-h' }, t('dash.availability')));
    const customers = (await get('/api/v1/customers')).items;
    const reports = await Promise.all(customers.map(async (c) => {
      try {
        return [c, await optional(`/api/v1/reports/service-level${qs({ customer: c.key, month })}`)];
      } catch (e) {
        return [c, { error: e.message }];
      }
    }));
    if (!isCurrent()) return;
    if (reports.some(([, r]) => r === undefined)) {
      slaPanel.append(unavailable('dash.reports'));
      availPanel.append(unavailable('dash.reports'));
      return;
    }
    const rows = reports.map(([c, r]) => {
      const sum = r.error ? null : reportSummary(r);
      const base = `/api/v1/reports/service-level${qs({ customer: c.key, month })}`;
      return h('tr', { dataset: { customer: c.key } },
        h('th', { scope: 'row' }, c.name),
        h('td', {}, sum && sum.compliance != null ? [meter({ title: t('dash.compliance'), value: sum.compliance, target: null }), ` ${fmtPercent(sum.compliance, null)}%`]
          : h('span', { class: 'muted' }, r.error || (sum && !sum.slas ? t('dash.no_sla') : t('dash.no_tickets')))),
        h('td', {}, sum && sum.tickets ? String(sum.tickets) : '0'),
        h('td', {}, sum && sum.breached != null ? String(sum.breached) : '—'),
        h('td', { class: 'links' },
          h('a', { href: `${base}&format=html`, target: '_blank', rel: 'noopener' }, t('dash.report.open')), ' · ',
          h('a', { href: `${base}&format=csv`, download: `service-level-${c.key}-${month}.csv` }, t('dash.report.csv')), ' · ',
          h('a', { href: base, download: `service-level-${c.key}-${month}.json` }, t('dash.report.json'))));
    });
    slaPanel.append(h('div', { class: 'table-wrap' }, h('table', { class: 'data' },
      h('caption', { class: 'sr-only' }, t('dash.sla', { month })),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('col.customer')), h('th', { scope: 'col' }, t('dash.compliance')),
        h('th', { scope: 'col' }, t('dash.resolved_sla')), h('th', { scope: 'col' }, t('dash.breaches')), h('th', { scope: 'col' }, t('dash.report')))),
      h('tbody', {}, rows))));
    const avail = [];
    for (const [c, r] of reports) if (!r.error) for (const s of reportSummary(r).services) avail.push({ ...s, customer: c.name });
    if (!avail.length) { availPanel.append(h('p', { class: 'muted' }, t('dash.noavail'))); return; }
    availPanel.append(h('ul', { class: 'avail' }, avail.map((s) => h('li', {},
      h('span', { class: 'avail-name' }, `${s.service} · ${s.customer}`),
      meter({ title: s.service, value: s.achieved, target: s.target, met: s.met, floor: availabilityFloor(s.achieved, s.target) }),
      h('span', { class: s.met ? 'good' : 'bad', dataset: { met: String(s.met) } }, `${fmtPercent(s.achieved, s.target)}%${s.target != null ? ` / ${s.target}%` : ''}`)))));
  }

  async function loadCosts() {
    if (!user || !['manager', 'admin'].includes(user.role)) return;
    const r = await optional(`/api/v1/reports/cost${qs({ month })}`);
    if (!isCurrent() || !r) return;
    const base = `/api/v1/reports/cost${qs({ month })}`;
    const cell = (v) => h('td', {}, v == null ? t('common.none') : String(v));
    clear(costPanel).append(h('h2', { id: 'cost-h' }, t('costs.title')),
      r.services.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'data', 'data-testid': 'costs' },
        h('caption', { class: 'sr-only' }, t('costs.title')),
        h('thead', {}, h('tr', {}, ['costs.customer', 'costs.service', 'costs.minutes', 'costs.cost'].map((k) => h('th', { scope: 'col' }, t(k))))),
        h('tbody', {}, r.services.map((x) => h('tr', {}, cell(x.customer), cell(x.service), cell(x.minutes), cell(`${x.cost} ${r.currency}`)))),
        h('tfoot', {}, h('tr', {}, h('th', { scope: 'row', colspan: '2' }, t('time.total')), cell(r.minutes), cell(`${r.cost} ${r.currency}`)))))
        : h('p', { class: 'muted' }, t('costs.none')),
      h('p', { class: 'links' },
        h('a', { href: `${base}&format=html`, target: '_blank', rel: 'noopener' }, t('dash.report.open')), ' · ',
        h('a', { href: `${base}&format=csv`, download: `cost-all-${month}.csv` }, t('dash.report.csv'))));
    costPanel.hidden = false;
  }

  async function loadBreaches() {
    const items = await openTickets({}, 500);
    if (!isCurrent()) return;
    clear(breachPanel).append(h('h2', { id: 'breach-h' }, t('dash.breaches_now')));
    // Tickets carry an "sla" member (maybe null) once the SLA module exists.
    if (items.length && !items.some((x) => 'sla' in x)) { breachPanel.append(unavailable('dash.sla_data')); return; }
    const hot = items.filter((x) => x.sla && (x.sla.breached || x.sla.warning));
    hot.sort((a, b) => (b.sla.breached - a.sla.breached) || a.priority - b.priority);
    breachPanel.append(h('p', { class: 'muted' }, t('dash.breach_counts', {
      breached: hot.filter((x) => x.sla.breached).length, warning: hot.filter((x) => !x.sla.breached).length,
    })), ticketTable({ items: hot.slice(0, 50), columns: ['priority', 'key', 'title', 'customer', 'assignee', 'sla'], caption: t('dash.breaches_now'), empty: t('dash.no_breaches') }));
  }

  const results = await Promise.allSettled([loadStats(), loadReports(), loadCosts(), loadBreaches()]);
  for (const r of results) if (r.status === 'rejected' && r.reason && r.reason.status !== 404) console.warn(r.reason);
  main.append(h('p', { class: 'muted small' }, t('dash.asof', { at: fmtTime(new Date().toISOString()) })));
  const later = debounce(() => { loadStats().catch(() => {}); loadBreaches().catch(() => {}); }, 1000);
  return onTicketChange(later);
}
