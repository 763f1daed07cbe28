// live.js — live change notices from GET /api/v1/stream (Server-Sent
// Events). The server sends `event: ticket` with {"key","comment"} whenever
// a ticket changes (a requester only hears about their own customer's), and
// `event: reset` when this client fell too far behind: then views reload.

import { t } from './i18n.js';

let source = null;
const subscribers = new Set();

function setState(state) {
  const el = document.getElementById('live-state');
  if (!el) return;
  el.hidden = false;
  el.dataset.state = state;
  el.textContent = t(`live.${state}`);
}

export function startLive() {
  if (source || typeof EventSource === 'undefined') return;
  source = new EventSource('/api/v1/stream');
  source.addEventListener('open', () => setState('on'));
  source.addEventListener('error', () => setState('off'));
  source.addEventListener('ticket', (ev) => {
    let data = {};
    try { data = JSON.parse(ev.data); } catch { return; }
    for (const fn of subscribers) fn(data);
  });
  source.addEventListener('reset', () => { for (const fn of subscribers) fn({ reset: true }); });
}

export function stopLive() {
  if (source) source.close();
  source = null;
  const el = document.getElementById('live-state');
  if (el) el.hidden = true;
}

// fn({key, comment} | {reset: true}); returns the unsubscribe function.
export function onTicketChange(fn) {
  subscribers.add(fn);
  return () => subscribers.delete(fn);
}

// A function that runs fn at most once per `ms`, after the last call.
export function debounce(fn, ms) {
  let timer;
  return (...args) => { clearTimeout(timer); timer = setTimeout(() => fn(...args), ms); };
}
