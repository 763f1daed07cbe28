// records.js — what the problem, change and operation screens share: a
// status filter that is the address (?status=), a status pill in the
// module's own words, a record table, and run(): one write at the version
// the screen read, where a stale version (409 conflict on `version`) redraws
// the screen with what the server holds now and says so, and any other
// refusal is shown as the server worded it, beside the field it names.

import { h, toast, announce } from './dom.js';
import { ApiError, qs } from './api.js';
import { t } from './i18n.js';

export const enc = encodeURIComponent;

export function pill(prefix, status) {
  return h('span', { class: `status status-${status}`, 'data-status': status }, t(`${prefix}.status.${status}`));
}

// <select> of statuses; choosing one goes to path?status=….
export function statusFilter({ id, prefix, statuses, current, navigate, path }) {
  const sel = h('select', { id, 'data-filter': 'status' },
    h('option', { value: '' }, t('filter.any')),
    statuses.map((s) => h('option', { value: s, selected: s === current }, t(`${prefix}.status.${s}`))));
  sel.addEventListener('change', () => navigate(`${path}${qs({ status: sel.value })}`));
  return h('div', { class: 'filters' }, h('div', { class: 'field' }, h('label', { for: id }, t('rec.status_filter')), sel));
}

// rows: [{cells: [...], attrs}], heads: i18n keys.
export function table(caption, heads, rows, attrs = {}) {
  if (!rows.length) return h('p', { class: 'empty' }, t('list.empty'));
  return h('div', { class: 'table-wrap' }, h('table', { class: 'data', ...attrs },
    h('caption', { class: 'sr-only' }, caption),
    h('thead', {}, h('tr', {}, heads.map((k) => h('th', { scope: 'col' }, t(k))))),
    h('tbody', {}, rows.map((r) => h('tr', r.attrs || {}, r.cells.map((c) => h('td', {}, c)))))));
}

export const stale = (e) => e instanceof ApiError && e.status === 409 && e.code === 'conflict' && e.field === 'version';

// Run a write; then redraw (always after success or a stale version). The
// error box gets the server's message and the field it names; onError may
// draw more (the change screen's conflict list) and return true to keep it.
export async function run(fn, { redraw, errBox, done, onError }) {
  if (errBox) { errBox.textContent = ''; errBox.dataset.code = ''; errBox.dataset.field = ''; }
  try {
    await fn();
  } catch (e) {
    if (stale(e)) {
      toast(t('rec.stale'), 'warn');
      announce(t('rec.stale'));
      await redraw();
      if (errBox) errBox.textContent = t('rec.stale');
      return false;
    }
    const text = e.field ? t('rec.error_field', { field: e.field, message: e.message }) : (e.message || t('err.generic'));
    if (errBox) { errBox.textContent = text; errBox.dataset.code = e.code || ''; errBox.dataset.field = e.field || ''; }
    toast(text, 'error');
    if (onError) onError(e);
    return false;
  }
  if (done) { toast(done, 'ok'); announce(done); }
  await redraw();
  return true;
}

// A labelled control inside .field.
export function field(id, label, control) {
  control.id = id;
  return h('div', { class: 'field' }, h('label', { for: id }, label), control);
}

export function facts(pairs) {
  return h('dl', { class: 'facts' }, pairs.flatMap(([k, v]) => [h('dt', {}, t(k)), h('dd', {}, v === null || v === undefined || v === '' || (Array.isArray(v) && !v.length) ? '—' : v)]));
}
