// conditions.js — condition reports and shift handover (/operation/conditions,
// /operation/conditions/KEY): a period's draft computed now (date and shift
// pickers, the figures, the remarks to store it with), the stored reports,
// and a report's page where its remarks change while a draft, a manager
// signs it (freezing its figures) and someone else of the next shift
// acknowledges it; the A4 page is one link away (docs/operation.md,
// "Condition reports"). The server keeps the rules; its refusal is shown
// as it words it.

import { h, clear } from '../dom.js';
import { get, post, patch, qs } from '../api.js';
import { t, fmtTime } from '../i18n.js';
import { enc, pill, table, run, field, facts } from '../records.js';
import { MANAGERS } from '../screens.js';

const today = () => new Date().toISOString().slice(0, 10);

// The counts of a report's figures, one row per section.
function figures(f) {
  const x = f.executions;
  const row = (k, v) => ({ attrs: { 'data-figure': k }, cells: [t(`cond.fig.${k}`), String(v)] });
  return table(t('cond.figures'), ['cond.figure', 'cond.count'], [
    row('started', x.started), row('completed', x.completed), row('running', x.running),
    row('abandoned', x.abandoned), row('deviated', x.deviated), row('missed', x.missed),
    row('opened', f.incidents.opened), row('resolved', f.incidents.resolved),
    row('implemented', f.changes.implemented), row('warnings', f.sla.warnings), row('breaches', f.sla.breaches),
    row('events', f.events.received), row('outages', f.outages.count)], { 'data-testid': 'figures' });
}

function deviations(f) {
  const d = f.executions.deviations;
  if (!d.length) return null;
  return h('section', { class: 'panel', 'aria-labelledby': 'dev-h' }, h('h2', { id: 'dev-h' }, t('cond.deviations')),
    table(t('cond.deviations'), ['op.run', 'op.procedure', 'op.deviation', 'op.incident'],
      d.map((x) => ({ cells: [h('a', { href: `/operation/runs/${enc(x.run)}`, class: 'key' }, x.run), x.procedure, x.deviation,
        x.incident ? h('a', { href: `/tickets/${enc(x.incident)}` }, x.incident) : '—'] }))));
}

async function listPage({ main, query, navigate, setTitle }) {
  setTitle(t('cond.title'));
  const date = /^\d{4}-\d{2}-\d{2}$/.test(query.get('date') || '') ? query.get('date') : today();
  const shift = query.get('shift') || '';
  const errBox = h('p', { class: 'form-error', role: 'alert', 'data-testid': 'error' });
  const d = await get(`/api/v1/condition-reports${qs({ date, shift })}`);
  const pickDate = h('input', { type: 'date', id: 'cond-date', value: date });
  const pickShift = h('select', { id: 'cond-shift' }, h('option', { value: '' }, t('cond.whole_day')),
    d.shifts.map((s) => h('option', { value: s.name, selected: s.name === shift }, `${s.name} ${s.start}–${s.end}`)));
  const go = () => navigate(`/operation/conditions${qs({ date: pickDate.value, shift: pickShift.value })}`);
  pickDate.addEventListener('change', go);
  pickShift.addEventListener('change', go);
  const remarks = h('textarea', { rows: '4' });
  const store = h('form', { class: 'panel form', 'data-testid': 'store-form', onsubmit: (ev) => {
    ev.preventDefault();
    let made;
    const b = { date, remarks: remarks.value };
    if (shift) b.shift = shift;
    run(async () => { made = await post('/api/v1/condition-reports', b); },
      { redraw: async () => { if (made) navigate(`/operation/conditions/${enc(made.key)}`); }, errBox });
  } }, field('cond-remarks', t('cond.remarks'), remarks), h('button', { type: 'submit', class: 'primary' }, t('cond.store')));
  const stored = (await get('/api/v1/condition-reports?limit=500')).items;
  main.append(h('p', { class: 'crumbs' }, h('a', { href: '/operation' }, t('nav.operation'))),
    h('h1', {}, t('cond.title')),
    h('div', { class: 'filters' },
      h('div', { class: 'field' }, h('label', { for: 'cond-date' }, t('op.date')), pickDate),
      h('div', { class: 'field' }, h('label', { for: 'cond-shift' }, t('op.shift')), pickShift)),
    errBox,
    h('section', { class: 'panel', 'aria-labelledby': 'draft-h' },
      h('h2', { id: 'draft-h' }, t('cond.draft_of', { from: fmtTime(d.from), to: fmtTime(d.to) })), figures(d.figures)),
    deviations(d.figures), store,
    h('section', { class: 'panel', 'aria-labelledby': 'stored-h' }, h('h2', { id: 'stored-h' }, t('cond.stored')),
      table(t('cond.stored'), ['cond.key', 'op.date', 'op.shift', 'op.state', 'cond.signed_by', 'cond.acked_by'],
        stored.slice().reverse().map((r) => ({ attrs: { 'data-key': r.key }, cells: [
          h('a', { href: `/operation/conditions/${enc(r.key)}`, class: 'key' }, r.key), r.date, r.shift || t('cond.whole_day'),
          pill('cond', r.state), r.signed_by || '—', r.acknowledged_by || '—'] })), { 'data-testid': 'stored' })));
}

async function reportPage({ main, params, user, setTitle, isCurrent }) {
  const errBox = h('p', { class: 'form-error', role: 'alert', 'data-testid': 'error' });
  const body = h('div', {});
  main.append(h('p', { class: 'crumbs' }, h('a', { href: '/operation/conditions' }, t('cond.title'))), errBox, body);

  async function draw() {
    const r = await get(`/api/v1/condition-reports/${enc(params.key)}`);
    if (!isCurrent()) return;
    setTitle(`${r.key} ${r.date}`);
    const path = `/api/v1/condition-reports/${enc(r.key)}`;
    const actions = h('div', { class: 'actions' });
    if (r.state === 'draft' && MANAGERS.includes(user.role)) {
      actions.append(h('button', { type: 'button', class: 'primary', 'data-action': 'sign',
        onclick: () => run(() => post(`${path}/sign`, { version: r.version }), { redraw: draw, errBox, done: t('cond.signed') }) },
      t('cond.sign')));
    }
    if (r.state === 'signed') {
      actions.append(r.signed_by === user.username
        ? h('p', { class: 'hint' }, t('cond.other_acks'))
        : h('button', { type: 'button', class: 'primary', 'data-action': 'ack',
          onclick: () => run(() => post(`${path}/ack`, { version: r.version }), { redraw: draw, errBox, done: t('cond.acked') }) },
        t('cond.ack')));
    }
    let remarks;
    if (r.state === 'draft') {
      const text = h('textarea', { rows: '4' });
      text.value = r.remarks;
      remarks = h('form', { class: 'panel form', 'data-testid': 'remarks-form', onsubmit: (ev) => {
        ev.preventDefault();
        run(() => patch(path, { remarks: text.value, version: r.version }), { redraw: draw, errBox, done: t('cond.saved') });
      } }, field('cond-remarks', t('cond.remarks'), text), h('button', { type: 'submit' }, t('cond.save')));
    } else {
      remarks = h('section', { class: 'panel', 'aria-labelledby': 'rem-h' }, h('h2', { id: 'rem-h' }, t('cond.remarks')),
        h('p', { class: 'description', 'data-testid': 'remarks' }, r.remarks || '—'));
    }
    clear(body).append(
      h('h1', {}, h('span', { class: 'key' }, r.key), ' ', r.date, ' ', r.shift || t('cond.whole_day'), ' ', pill('cond', r.state)),
      facts([['cond.period', `${fmtTime(r.from)} – ${fmtTime(r.to)}`], ['cond.created_by', r.created_by],
        ['cond.signed_by', r.signed_by ? `${r.signed_by} ${fmtTime(r.signed_at)}` : null],
        ['cond.acked_by', r.acknowledged_by ? `${r.acknowledged_by} ${fmtTime(r.acknowledged_at)}` : null],
        ['cond.frozen', r.frozen ? t('cond.frozen_yes') : t('cond.frozen_no')]]),
      actions, figures(r.figures), deviations(r.figures), remarks,
      h('p', {}, h('a', { href: `${path}?format=html`, target: '_blank', rel: 'noopener', 'data-testid': 'print' }, t('cond.print'))));
  }
  await draw();
}

export async function render(ctx) {
  return ctx.params.key ? reportPage(ctx) : listPage(ctx);
}
