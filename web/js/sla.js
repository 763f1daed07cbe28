// sla.js — the live SLA countdown. A ticket's `sla` block (when the SLA
// module is present) gives response_due / resolution_due, whether each was
// met, and whether the clock is paused, warned or breached as of the
// response. countdown(ticket) makes an element that one shared timer keeps
// current: plain while there is time, amber from the warning on, red once
// the due time has passed.

import { h, $$ } from './dom.js';
import { t, fmtDuration, fmtTime } from './i18n.js';

const WARN_FRACTION = 0.25; // amber when less than a quarter of the time is left

// The deadline that matters next: {kind, due, start} or null.
export function nextDeadline(ticket) {
  const sla = ticket && ticket.sla;
  if (!sla || typeof sla !== 'object') return null;
  const open = !['resolved', 'closed', 'cancelled'].includes(ticket.status);
  if (!open) return null;
  const cands = [];
  if (sla.response_due && sla.response_met == null) cands.push({ kind: 'response', due: sla.response_due });
  if (sla.resolution_due && sla.resolution_met == null) cands.push({ kind: 'resolution', due: sla.resolution_due });
  if (!cands.length) return null;
  cands.sort((a, b) => Date.parse(a.due) - Date.parse(b.due));
  return { ...cands[0], start: ticket.created_at };
}

// Due time used for sorting queues ("breaching soon"): resolution first.
export function dueTime(ticket) {
  const sla = ticket && ticket.sla;
  if (!sla) return Infinity;
  const d = sla.resolution_due || sla.response_due;
  return d ? Date.parse(d) : Infinity;
}

function stateOf(el, now) {
  const due = Date.parse(el.dataset.due);
  const start = Date.parse(el.dataset.start || '') || due;
  if (el.dataset.breached === '1' || now >= due) return 'breached';
  if (el.dataset.warning === '1') return 'warning';
  const total = due - start;
  if (total > 0 && (due - now) / total < WARN_FRACTION) return 'warning';
  return 'ok';
}

function paint(el, now) {
  if (el.dataset.paused === '1') return;
  const due = Date.parse(el.dataset.due);
  const state = stateOf(el, now);
  el.dataset.state = state;
  const label = el.querySelector('.sla-time');
  if (label) label.textContent = fmtDuration(due - now);
  el.setAttribute('title', `${t(`sla.${el.dataset.kind}`)}: ${fmtTime(el.dataset.due)} — ${t(`sla.state.${state}`)}`);
}

// An element showing the countdown of ticket's next SLA deadline, or a dash.
export function countdown(ticket) {
  const d = nextDeadline(ticket);
  if (!d) {
    const closedSla = ticket && ticket.sla && (ticket.sla.resolution_met === false || ticket.sla.breached);
    return h('span', { class: ['sla', closedSla && 'sla-missed'], dataset: { state: closedSla ? 'breached' : 'none' } },
      closedSla ? t('sla.missed') : '—');
  }
  const sla = ticket.sla;
  const el = h('span', {
    class: 'sla',
    dataset: {
      due: d.due, start: d.start || '', kind: d.kind,
      warning: sla.warning ? '1' : '0', breached: sla.breached ? '1' : '0', paused: sla.paused ? '1' : '0',
    },
  },
  h('span', { class: 'sla-kind' }, t(`sla.short.${d.kind}`)), ' ',
  h('span', { class: 'sla-time' }, sla.paused ? t('sla.paused') : ''));
  if (sla.paused) el.dataset.state = 'paused';
  else paint(el, Date.now());
  return el;
}

// One timer for every countdown on the page.
setInterval(() => {
  const now = Date.now();
  for (const el of $$('.sla[data-due]')) paint(el, now);
}, 1000);
