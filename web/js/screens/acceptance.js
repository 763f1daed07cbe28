// acceptance.js — operational acceptance (/acceptance, /acceptance/KEY): the
// checklists by status with whether each is ready, and a checklist's page:
// each criterion met or not with the evidence itsm found (a check, a
// procedure, a run, an SLA) or the notes and who wrote them, what is still
// missing, the migration plan, the decisions, and — for managers — the
// go/no-go (docs/acceptance.md). A go the server refuses shows its message
// and the criterion it names. Every decision names the version read.

import { h, clear } from '../dom.js';
import { get, post } from '../api.js';
import { t, fmtTime } from '../i18n.js';
import { enc, pill, statusFilter, table, run, field, facts } from '../records.js';
import { MANAGERS } from '../screens.js';

export const STATUSES = ['open', 'no_go', 'go'];

async function list({ main, query, navigate, setTitle }) {
  setTitle(t('nav.acceptance'));
  const status = STATUSES.includes(query.get('status')) ? query.get('status') : '';
  const page = await get(`/api/v1/acceptances?limit=200${status ? `&status=${status}` : ''}`);
  main.append(h('h1', {}, t('nav.acceptance')),
    statusFilter({ id: 'acc-status', prefix: 'acc', statuses: STATUSES, current: status, navigate, path: '/acceptance' }),
    h('section', { class: 'panel' }, table(t('nav.acceptance'), ['acc.key', 'acc.title', 'acc.status', 'acc.service', 'acc.ready'],
      page.items.map((a) => ({ attrs: { 'data-key': a.key }, cells: [
        h('a', { href: `/acceptance/${enc(a.key)}`, class: 'key' }, a.key), a.title, pill('acc', a.status),
        a.service || '—', a.ready ? t('acc.yes') : t('acc.missing_n', { n: a.missing.length })] })),
      { 'data-testid': 'acceptances' }),
    page.next_cursor ? h('p', { class: 'hint' }, t('rec.more', { n: page.items.length })) : null));
}

function evidence(c) {
  const found = c.evidence.map((x) => h('li', { 'data-source': x.source },
    t(`acc.source.${x.source}`), ' ', h('span', { class: 'key' }, x.ref), ` (${x.target})`));
  const notes = c.notes.map((n) => h('li', { 'data-note': '' }, n.note, ' — ', n.by, ', ', fmtTime(n.at)));
  return [found.length || notes.length ? h('ul', {}, found, notes) : null,
    c.met ? null : h('p', { class: 'muted', 'data-missing': '' }, c.missing)];
}

async function page({ main, params, user, setTitle, isCurrent }) {
  const errBox = h('p', { class: 'form-error', role: 'alert', 'data-testid': 'error' });
  const body = h('div', {});
  main.append(h('p', { class: 'crumbs' }, h('a', { href: '/acceptance' }, t('nav.acceptance'))), errBox, body);
  const manager = MANAGERS.includes(user.role);

  async function draw() {
    const a = await get(`/api/v1/acceptances/${enc(params.key)}`);
    if (!isCurrent()) return;
    setTitle(`${a.key} ${a.title}`);
    const decide = (decision, reason) => run(() => post(`/api/v1/acceptances/${enc(a.key)}/decide`,
      { version: a.version, decision, ...(reason ? { reason } : {}) }),
    { redraw: draw, errBox, done: t('acc.done', { key: a.key, decision: t(`acc.status.${decision}`) }) });
    let moves = null;
    if (manager && a.status !== 'go') {
      const reason = h('textarea', { rows: '2' });
      moves = h('section', { class: 'panel' }, h('h2', {}, t('acc.decide')), h('div', { class: 'form' },
        field('acc-reason', t('acc.reason'), reason),
        h('div', { class: 'actions' },
          h('button', { type: 'button', class: 'primary', 'data-decide': 'go', onclick: () => decide('go', reason.value.trim()) }, t('acc.go')), ' ',
          // A blank reason is sent as none: the server refuses a no-go without one (400 reason).
          h('button', { type: 'button', 'data-decide': 'no_go', onclick: () => decide('no_go', reason.value.trim()) }, t('acc.no_go')))));
    }
    clear(body).append(
      h('h1', {}, h('span', { class: 'key' }, a.key), ' ', h('span', { class: 'title' }, a.title), ' ', pill('acc', a.status)),
      h('div', { class: 'ticket-grid' },
        h('div', { class: 'ticket-main' },
          h('section', { class: 'panel' }, h('h2', {}, t('acc.criteria')),
            table(t('acc.criteria'), ['acc.criterion', 'acc.mandatory', 'acc.met', 'acc.evidence'],
              a.criteria.map((c) => ({ attrs: { 'data-criterion': c.code, 'data-met': String(c.met) }, cells: [
                c.title, c.mandatory ? t('acc.yes') : t('acc.no'),
                h('span', { class: c.met ? 'met' : 'overdue' }, c.met ? t('acc.met_yes') : t('acc.met_no')),
                evidence(c)] })),
              { 'data-testid': 'criteria' })),
          h('section', { class: 'panel' }, h('h2', {}, t('acc.plan')),
            a.plan ? [table(t('acc.plan'), ['acc.step', 'acc.owner', 'acc.at'],
              a.plan.steps.map((s) => ({ cells: [s.title, s.owner, fmtTime(s.at)] })), { 'data-testid': 'plan' }),
            h('p', {}, h('strong', {}, t('acc.rollback')), ' ', a.plan.rollback)] : h('p', { class: 'muted' }, t('acc.no_plan'))),
          h('section', { class: 'panel' }, h('h2', {}, t('acc.decisions')),
            a.decisions.length ? table(t('acc.decisions'), ['acc.decision', 'acc.by', 'acc.at', 'acc.reason'],
              a.decisions.map((d) => ({ cells: [pill('acc', d.decision), d.by, fmtTime(d.at), d.reason || '—'] })),
              { 'data-testid': 'decisions' }) : h('p', { class: 'muted' }, t('acc.no_decisions'))),
          moves),
        h('aside', { class: 'ticket-side' },
          h('section', { class: 'panel' }, h('h2', {}, t('ticket.details')), facts([
            ['acc.service', a.service],
            ['acc.items', a.items.map((k, n) => [n ? ', ' : '', h('a', { href: `/cmdb/${enc(k)}` }, k)])],
            ['acc.ready', h('span', { 'data-testid': 'ready' }, a.ready ? t('acc.yes') : t('acc.no'))],
            ['acc.missing', a.missing.length ? a.missing.join(', ') : null],
            ['acc.description', a.description || null],
            ['acc.created_by', a.created_by],
            ['field.updated_at', fmtTime(a.updated_at)], ['acc.version', String(a.version)]])))));
  }
  await draw();
}

export async function render(ctx) {
  return ctx.params.key ? page(ctx) : list(ctx);
}
