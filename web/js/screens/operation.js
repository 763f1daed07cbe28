// operation.js — operation by procedure (/operation, /operation/runs/KEY):
// a shift's day (date picker; each occurrence upcoming, due, missed or its
// run's state, with a start button while no run exists), the runs, and a
// run's page where an operator records each step's result and deviation in
// order and a second operator confirms the steps that need it
// (docs/operation.md). The server keeps the rules (order, four eyes); its
// refusal is shown as it words it.

import { h, clear } from '../dom.js';
import { get, post, qs } from '../api.js';
import { t, fmtTime } from '../i18n.js';
import { enc, pill, table, run, field, facts } from '../records.js';

const today = () => new Date().toISOString().slice(0, 10);

async function day({ main, query, navigate, setTitle }) {
  setTitle(t('nav.operation'));
  const jobs = (await get('/api/v1/schedule?limit=500')).items;
  const shifts = [...new Set(jobs.map((j) => j.shift))].sort();
  const shift = query.get('shift') || shifts[0] || '';
  const date = /^\d{4}-\d{2}-\d{2}$/.test(query.get('date') || '') ? query.get('date') : today();
  const errBox = h('p', { class: 'form-error', role: 'alert', 'data-testid': 'error' });
  const pickShift = h('select', { id: 'op-shift' }, shifts.map((s) => h('option', { value: s, selected: s === shift }, s)));
  const pickDate = h('input', { type: 'date', id: 'op-date', value: date });
  const go = () => navigate(`/operation${qs({ shift: pickShift.value, date: pickDate.value })}`);
  pickShift.addEventListener('change', go);
  pickDate.addEventListener('change', go);
  // An ad hoc run of a procedure with a published version.
  const procs = (await get('/api/v1/procedures?limit=500')).items.filter((x) => x.published_version);
  const pickProc = h('select', {}, procs.map((x) => h('option', { value: x.key }, `${x.key} ${x.title}`)));
  const adhoc = procs.length ? h('form', { class: 'panel form inline', 'data-testid': 'adhoc', onsubmit: (ev) => {
    ev.preventDefault();
    let made;
    run(async () => { made = await post('/api/v1/runs', { procedure: pickProc.value }); },
      { redraw: async () => { if (made) navigate(`/operation/runs/${enc(made.key)}`); }, errBox });
  } }, field('op-proc', t('op.adhoc'), pickProc), h('button', { type: 'submit' }, t('op.start'))) : null;
  const sched = h('section', { class: 'panel', 'aria-labelledby': 'sched-h' });
  const runs = h('section', { class: 'panel', 'aria-labelledby': 'runs-h' });
  main.append(h('h1', {}, t('nav.operation')),
    h('p', {}, h('a', { href: `/operation/conditions${qs({ date })}`, 'data-testid': 'conditions' }, t('cond.title'))),
    h('div', { class: 'filters' },
      h('div', { class: 'field' }, h('label', { for: 'op-shift' }, t('op.shift')), pickShift),
      h('div', { class: 'field' }, h('label', { for: 'op-date' }, t('op.date')), pickDate)),
    errBox, sched, runs, adhoc);

  async function drawSchedule() {
    clear(sched).append(h('h2', { id: 'sched-h' }, t('op.schedule', { shift: shift || '—', date })));
    if (!shift) { sched.append(h('p', { class: 'empty' }, t('op.no_shifts'))); return; }
    const d = await get(`/api/v1/schedule/today${qs({ shift, date })}`);
    sched.append(table(t('op.schedule', { shift, date }), ['op.time', 'op.job', 'op.procedure', 'op.deadline', 'op.state', 'op.run'],
      d.items.map((o) => {
        let cell = '';
        if (o.run) cell = h('a', { href: `/operation/runs/${enc(o.run)}`, class: 'key' }, o.run);
        else if (o.state === 'due' || o.state === 'missed') {
          cell = h('button', { type: 'button', 'data-action': 'start', onclick: () => {
            let made;
            run(async () => { made = await post('/api/v1/runs', { job: o.job, occurrence: o.occurrence }); },
              { redraw: async () => { if (made) navigate(`/operation/runs/${enc(made.key)}`); else await drawSchedule(); }, errBox });
          } }, t('op.start'));
        }
        return { attrs: { 'data-occurrence': o.occurrence, 'data-state': o.state }, cells: [
          fmtTime(o.occurrence), o.job, o.procedure, fmtTime(o.deadline),
          [pill('op', o.state), o.late ? [' ', h('span', { class: 'tag' }, t('op.late'))] : null], cell] };
      }), { 'data-testid': 'schedule' }));
  }

  // The runs list is in id order: read it to the end (20 pages of 500 at
  // most) and show the newest 100.
  async function drawRuns() {
    let all = [];
    let cursor = '';
    for (let n = 0; n < 20; n++) {
      const pg = await get(`/api/v1/runs${qs({ limit: 500, cursor })}`);
      all = all.concat(pg.items);
      cursor = pg.next_cursor;
      if (!cursor) break;
    }
    const r = { items: all.slice(-100) };
    clear(runs).append(h('h2', { id: 'runs-h' }, t('op.runs')),
      table(t('op.runs'), ['op.run', 'op.procedure', 'op.status', 'op.started_by', 'op.started_at'],
        r.items.slice().reverse().map((x) => ({ attrs: { 'data-key': x.key }, cells: [
          h('a', { href: `/operation/runs/${enc(x.key)}`, class: 'key' }, x.key), `${x.procedure} v${x.procedure_version}`,
          pill('op', x.status), x.started_by, fmtTime(x.started_at)] })), { 'data-testid': 'runs' }));
  }
  await Promise.all([drawSchedule(), drawRuns()]);
}

async function runPage({ main, params, user, setTitle, isCurrent }) {
  const errBox = h('p', { class: 'form-error', role: 'alert', 'data-testid': 'error' });
  const body = h('div', {});
  main.append(h('p', { class: 'crumbs' }, h('a', { href: '/operation' }, t('nav.operation'))), errBox, body);

  async function draw() {
    const r = await get(`/api/v1/runs/${enc(params.key)}`);
    if (!isCurrent()) return;
    setTitle(`${r.key} ${r.procedure}`);
    const path = `/api/v1/runs/${enc(r.key)}`;
    const running = r.status === 'running';
    const stepView = (s) => {
      const li = h('li', { class: 'panel', 'data-step': String(s.step), 'data-state': s.state },
        h('h3', {}, t('op.step', { n: s.step }), ' ', pill('op', s.state), s.confirm ? [' ', h('span', { class: 'tag' }, t('op.needs_confirm'))] : null),
        h('p', {}, s.instruction), h('p', { class: 'muted' }, t('op.expected', { text: s.expected })));
      if (s.done_by) {
        li.append(facts([['op.result', s.result], ['op.deviation', s.deviation],
          ['op.incident', s.incident ? h('a', { href: `/tickets/${enc(s.incident)}` }, s.incident) : null],
          ['op.done_by', `${s.done_by} ${fmtTime(s.done_at)}`],
          ['op.confirmed_by', s.confirmed_by ? `${s.confirmed_by} ${fmtTime(s.confirmed_at)}` : null]]));
      }
      if (running && s.state === 'awaiting_confirmation') {
        li.append(s.done_by === user.username
          ? h('p', { class: 'hint' }, t('op.other_confirms'))
          : h('button', { type: 'button', class: 'primary', 'data-action': 'confirm',
            onclick: () => run(() => post(`${path}/steps/${s.step}/confirm`), { redraw: draw, errBox, done: t('op.confirmed', { n: s.step }) }) },
          t('op.confirm')));
      }
      if (running && s.step === r.next_step && s.state === 'pending') {
        const result = h('textarea', { rows: '2', required: true });
        const deviation = h('textarea', { rows: '2' });
        const incident = h('input', { type: 'checkbox', id: `op-inc-${s.step}` });
        li.append(h('form', { class: 'form', 'data-testid': 'step-form', onsubmit: (ev) => {
          ev.preventDefault();
          const b = { step: s.step, result: result.value };
          if (deviation.value.trim()) { b.deviation = deviation.value; if (incident.checked) b.incident = true; }
          run(() => post(`${path}/steps`, b), { redraw: draw, errBox, done: t('op.recorded', { n: s.step }) });
        } },
        field(`op-result-${s.step}`, t('op.result'), result),
        field(`op-deviation-${s.step}`, t('op.deviation'), deviation),
        h('div', { class: 'field inline' }, incident, h('label', { for: `op-inc-${s.step}` }, t('op.open_incident'))),
        h('button', { type: 'submit', class: 'primary' }, t('op.record'))));
      }
      return li;
    };
    const reason = h('input', { type: 'text' });
    clear(body).append(
      h('h1', {}, h('span', { class: 'key' }, r.key), ' ', `${r.procedure} v${r.procedure_version}`, ' ', pill('op', r.status)),
      facts([['op.job', r.job], ['op.time', r.occurrence ? fmtTime(r.occurrence) : null], ['op.started_by', r.started_by],
        ['op.started_at', fmtTime(r.started_at)], ['op.ended_at', r.ended_at ? fmtTime(r.ended_at) : null], ['op.reason', r.reason]]),
      h('ol', { class: 'steps', 'data-testid': 'steps' }, r.steps.map(stepView)),
      running ? h('form', { class: 'panel form inline', 'data-testid': 'abandon-form', onsubmit: (ev) => {
        ev.preventDefault();
        run(() => post(`${path}/abandon`, { reason: reason.value }), { redraw: draw, errBox, done: t('op.abandoned') });
      } }, field('op-abandon', t('op.abandon_reason'), reason), h('button', { type: 'submit' }, t('op.abandon'))) : null);
  }
  await draw();
}

export async function render(ctx) {
  return ctx.params.key ? runPage(ctx) : day(ctx);
}
