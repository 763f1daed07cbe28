// changes.js — change control (/changes, /changes/KEY): the list by status
// with a link to the iCalendar feed, and a change's page: its plans, its
// risk with the reasons, the approvals, and the moves its status allows —
// submit, approve / reject with a comment, schedule (a refusal lists every
// conflict with its reason and CMDB path), start, review, cancel
// (docs/changes.md). Every move names the version read; a stale one redraws.

import { h, clear } from '../dom.js';
import { api, get, post } from '../api.js';
import { t, fmtTime } from '../i18n.js';
import { enc, pill, statusFilter, table, run, field, facts } from '../records.js';
import { MANAGERS } from '../screens.js';

export const STATUSES = ['draft', 'assessment', 'approved', 'rejected', 'scheduled', 'implementing', 'review', 'closed', 'failed', 'cancelled'];
const CANCELLABLE = ['draft', 'assessment', 'approved', 'scheduled'];

const QUESTIONS = ['tested', 'backout_tested', 'service_outage', 'done_before'];
const words = (s) => s.split(',').map((x) => x.trim()).filter(Boolean);

// A change's form: a new draft (c undefined; POST, then its page) or a
// draft edited at its version (PATCH; the type is fixed once created).
// The window is in UTC; the risk answers are unanswered / yes / no.
function changeForm({ c, navigate, errBox, redraw }) {
  const id = c ? 'edit' : 'new';
  errBox = errBox || h('p', { class: 'form-error', role: 'alert', 'data-testid': 'new-error' });
  const type = c ? null : h('select', {}, ['normal', 'standard', 'emergency'].map((x) => h('option', { value: x }, t(`chg.type.${x}`))));
  const v = (k) => (c && c[k] ? (Array.isArray(c[k]) ? c[k].join(', ') : c[k]) : '');
  const text = (k, tag = 'input') => (tag === 'input' ? h('input', { type: 'text', value: v(k) }) : h('textarea', { rows: '2', value: v(k) }));
  const local = (iso) => (iso ? iso.slice(0, 16) : '');
  const f = {
    title: h('input', { type: 'text', required: true, maxlength: '200', value: v('title') }), description: text('description', 'textarea'),
    reason: text('reason', 'textarea'), items: text('items'), services: text('services'), approvers: text('approvers'),
    start: h('input', { type: 'datetime-local', value: local(c && c.planned_start) }),
    end: h('input', { type: 'datetime-local', value: local(c && c.planned_end) }),
    implementation_plan: text('implementation_plan', 'textarea'), test_plan: text('test_plan', 'textarea'), backout_plan: text('backout_plan', 'textarea'),
  };
  const answered = (q) => (c && c.questionnaire && typeof c.questionnaire[q] === 'boolean' ? String(c.questionnaire[q]) : '');
  const answers = Object.fromEntries(QUESTIONS.map((q) => [q, h('select', {},
    h('option', { value: '' }, t('chg.unanswered')), h('option', { value: 'true', selected: answered(q) === 'true' }, t('chg.yes')),
    h('option', { value: 'false', selected: answered(q) === 'false' }, t('chg.no')))]));
  const utc = (x) => `${x.length === 16 ? `${x}:00` : x}Z`;
  const form = h('form', { class: 'panel form', 'data-testid': `${id}-change`, 'aria-labelledby': `${id}-chg-h`, onsubmit: (ev) => {
    ev.preventDefault();
    const body = { title: f.title.value, description: f.description.value, reason: f.reason.value,
      items: words(f.items.value), services: words(f.services.value), approvers: words(f.approvers.value),
      implementation_plan: f.implementation_plan.value, test_plan: f.test_plan.value, backout_plan: f.backout_plan.value,
      questionnaire: Object.fromEntries(QUESTIONS.filter((q) => answers[q].value).map((q) => [q, answers[q].value === 'true'])) };
    if (f.start.value) body.planned_start = utc(f.start.value);
    if (f.end.value) body.planned_end = utc(f.end.value);
    if (c) {
      body.version = c.version;
      run(() => api('PATCH', `/api/v1/changes/${enc(c.key)}`, body), { redraw, errBox, done: t('chg.saved', { key: c.key }) });
      return;
    }
    body.type = type.value;
    let made;
    run(async () => { made = await post('/api/v1/changes', body); },
      { redraw: async () => { if (made) navigate(`/changes/${enc(made.key)}`); }, errBox, done: t('chg.created') });
  } },
  h('h2', { id: `${id}-chg-h` }, t(c ? 'chg.edit' : 'chg.new')),
  type ? field('chg-new-type', t('chg.type'), type) : null, field(`chg-${id}-title`, t('chg.title'), f.title),
  field(`chg-${id}-description`, t('chg.description'), f.description), field(`chg-${id}-reason`, t('chg.reason'), f.reason),
  field(`chg-${id}-items`, t('chg.items_list'), f.items), field(`chg-${id}-services`, t('chg.services_list'), f.services),
  field(`chg-${id}-start`, t('chg.start_utc'), f.start), field(`chg-${id}-end`, t('chg.end_utc'), f.end),
  field(`chg-${id}-approvers`, t('chg.approvers_list'), f.approvers),
  field(`chg-${id}-impl`, t('chg.implementation_plan'), f.implementation_plan), field(`chg-${id}-test`, t('chg.test_plan'), f.test_plan),
  field(`chg-${id}-backout`, t('chg.backout_plan'), f.backout_plan),
  h('fieldset', {}, h('legend', {}, t('chg.questionnaire')), QUESTIONS.map((q) => field(`chg-${id === 'new' ? '' : 'edit-'}q-${q}`, t(`chg.q.${q}`), answers[q]))),
  c ? null : errBox, h('button', { type: 'submit', class: 'primary' }, t(c ? 'cat.save' : 'chg.create')));
  return form;
}

async function list({ main, query, navigate, setTitle }) {
  setTitle(t('nav.changes'));
  const status = STATUSES.includes(query.get('status')) ? query.get('status') : '';
  const page = await get(`/api/v1/changes?limit=200${status ? `&status=${status}` : ''}`);
  main.append(h('h1', {}, t('nav.changes')),
    h('p', {}, h('a', { href: '/api/v1/changes/calendar.ics', download: 'changes.ics', 'data-testid': 'ics' }, t('chg.calendar'))),
    statusFilter({ id: 'chg-status', prefix: 'chg', statuses: STATUSES, current: status, navigate, path: '/changes' }),
    h('section', { class: 'panel' }, table(t('nav.changes'), ['chg.key', 'chg.title', 'chg.type', 'chg.status', 'chg.risk', 'chg.window'],
      page.items.map((c) => ({ attrs: { 'data-key': c.key }, cells: [
        h('a', { href: `/changes/${enc(c.key)}`, class: 'key' }, c.key), c.title, t(`chg.type.${c.type}`), pill('chg', c.status),
        c.risk ? t(`chg.level.${c.risk.level}`) : '—', span(c)] })), { 'data-testid': 'changes' }),
      page.next_cursor ? h('p', { class: 'hint' }, t('rec.more', { n: page.items.length })) : null),
    changeForm({ navigate }));
}

const span = (c) => (c.planned_start ? `${fmtTime(c.planned_start)} – ${fmtTime(c.planned_end)}` : '—');

// The conflicts of a refused schedule: each reason, and the CMDB path.
function conflictList(list) {
  return h('section', { class: 'panel notice-warn', 'data-testid': 'conflicts', 'aria-labelledby': 'conf-h' },
    h('h2', { id: 'conf-h' }, t('chg.conflicts', { n: list.length })),
    h('ul', {}, list.map((c) => h('li', { 'data-kind': c.kind, 'data-change': c.change || null },
      h('p', {}, c.reason),
      c.path && c.path.length ? h('p', { class: 'muted', 'data-path': '' }, t('chg.path'), ' ',
        c.path.map((s, n) => [n ? ' ' : '', h('a', { href: `/cmdb/${enc(s.ci)}` }, s.ci), s.rel ? ` ${s.rel}` : ''])) : null))));
}

async function page({ main, params, user, setTitle, isCurrent }) {
  const errBox = h('p', { class: 'form-error', role: 'alert', 'data-testid': 'error' });
  const conflicts = h('div', {});
  const body = h('div', {});
  main.append(h('p', { class: 'crumbs' }, h('a', { href: '/changes' }, t('nav.changes'))), errBox, conflicts, body);
  const manager = MANAGERS.includes(user.role);

  async function draw() {
    const c = await get(`/api/v1/changes/${enc(params.key)}`);
    if (!isCurrent()) return;
    setTitle(`${c.key} ${c.title}`);
    const path = `/api/v1/changes/${enc(c.key)}`;
    const moveTo = (verb, extra = {}, opts = {}) => {
      clear(conflicts);
      return run(() => post(`${path}/${verb}`, { version: c.version, ...extra }), {
        redraw: draw, errBox, done: t('chg.done', { key: c.key, move: t(`chg.move.${verb}`) }),
        onError: (e) => { if (e.conflicts.length) conflicts.append(conflictList(e.conflicts)); },
        ...opts,
      });
    };
    const btn = (verb, onclick, primary) => h('button', { type: 'button', class: primary ? 'primary' : null, 'data-move': verb, onclick }, t(`chg.move.${verb}`));
    const moves = h('div', { class: 'form' });
    const s = c.status;
    if (s === 'draft') moves.append(btn('submit', () => moveTo('submit'), true));
    if (s === 'assessment') {
      const comment = h('textarea', { rows: '2' });
      moves.append(field('chg-comment', t('chg.comment'), comment),
        h('div', { class: 'actions' },
          btn('approve', () => moveTo('approve', comment.value.trim() ? { comment: comment.value } : {}), true), ' ',
          // A blank comment is sent as none: the server then refuses the
          // rejection (400 comment). It stores "" as a comment when sent one.
          btn('reject', () => moveTo('reject', comment.value.trim() ? { comment: comment.value } : {}))));
    }
    if (s === 'approved') {
      const reason = h('input', { type: 'text' });
      moves.append(manager ? field('chg-override', t('chg.override'), reason) : null,
        btn('schedule', () => moveTo('schedule', manager && reason.value.trim() ? { override: reason.value } : {}), true));
    }
    if (s === 'scheduled') moves.append(btn('start', () => moveTo('start'), true));
    if (s === 'implementing' || s === 'review') {
      const outcome = h('select', {}, ['', 'success', 'failure'].map((o) => h('option', { value: o }, t(`chg.outcome.${o || 'none'}`))));
      const notes = h('textarea', { rows: '2' });
      moves.append(field('chg-outcome', t('chg.outcome'), outcome), field('chg-notes', t('chg.notes'), notes),
        btn('review', () => {
          const b = {};
          if (outcome.value) b.outcome = outcome.value;
          if (notes.value.trim()) b.notes = notes.value;
          moveTo('review', b);
        }, true));
    }
    if (CANCELLABLE.includes(s)) {
      const reason = h('input', { type: 'text' });
      moves.append(field('chg-cancel-reason', t('chg.cancel_reason'), reason),
        btn('cancel', () => moveTo('cancel', reason.value.trim() ? { reason: reason.value } : {})));
    }
    if (!moves.childElementCount) moves.append(h('p', { class: 'muted' }, t('ticket.final')));
    const plan = (k, v) => h('div', {}, h('h3', {}, t(k)), h('div', { class: 'description pre', 'data-plan': k }, v || '—'));
    const r = c.risk || { reasons: [] };
    clear(body).append(
      h('h1', {}, h('span', { class: 'key' }, c.key), ' ', h('span', { class: 'title' }, c.title), ' ', pill('chg', c.status)),
      h('div', { class: 'ticket-grid' },
        h('div', { class: 'ticket-main' },
          h('section', { class: 'panel' }, h('h2', {}, t('chg.plans')),
            plan('chg.description', c.description), plan('chg.reason', c.reason),
            plan('chg.implementation_plan', c.implementation_plan), plan('chg.test_plan', c.test_plan), plan('chg.backout_plan', c.backout_plan)),
          s === 'draft' ? changeForm({ c, errBox, redraw: draw }) : null,
          h('section', { class: 'panel', 'data-testid': 'risk', 'data-level': r.level },
            h('h2', {}, t('chg.risk')),
            h('p', {}, h('strong', {}, t(`chg.level.${r.level}`)), ' ', t('chg.score', { score: r.score })),
            h('ul', {}, r.reasons.map((x) => h('li', {}, x)))),
          h('section', { class: 'panel' }, h('h2', {}, t('chg.approvals')),
            h('p', { class: 'muted' }, t('chg.rule', { rule: c.rule, quorum: c.quorum ?? '—', approvers: (c.approvers || []).join(', ') || '—' })),
            table(t('chg.approvals'), ['chg.approver', 'chg.decision', 'chg.comment_col', 'chg.at'],
              (c.approvals || []).map((a) => ({ attrs: { 'data-approver': a.approver }, cells: [a.approver, t(`chg.decision.${a.decision}`), a.comment || '', fmtTime(a.at)] })),
              { 'data-testid': 'approvals' }))),
        h('aside', { class: 'ticket-side' },
          h('section', { class: 'panel' }, h('h2', {}, t('ticket.details')), facts([
            ['chg.type', t(`chg.type.${c.type}`)], ['chg.window', span(c)],
            ['chg.items', (c.items || []).map((k, n) => [n ? ', ' : '', h('a', { href: `/cmdb/${enc(k)}` }, k)])],
            ['chg.services', (c.services || []).join(', ')],
            ['prb.created_by', c.created_by], ['field.updated_at', fmtTime(c.updated_at)], ['prb.version', String(c.version)]])),
          h('section', { class: 'panel', 'data-testid': 'moves' }, h('h2', {}, t('prb.moves')), moves))));
  }
  await draw();
}

export async function render(ctx) {
  return ctx.params.key ? page(ctx) : list(ctx);
}
