// problems.js — problem management (/problems, /problems/KEY): the list by
// status with the recurring-incident proposals (confirm / dismiss), and a
// problem's page: its fields, linked incidents, root cause and workaround,
// and the status moves the lifecycle allows (docs/problems.md). Every write
// names the version read; a stale one redraws the page (records.js run()).

import { h, clear } from '../dom.js';
import { get, patch, post, del } from '../api.js';
import { t, fmtTime } from '../i18n.js';
import { priorityBadge, statusPill } from '../tickets.js';
import { enc, pill, statusFilter, table, run, field, facts } from '../records.js';

export const STATUSES = ['new', 'investigating', 'known_error', 'resolved', 'closed', 'cancelled'];
// problem_rules.c's table, the moves the server allows from each status.
export const MOVES = {
  new: ['investigating', 'cancelled'],
  investigating: ['known_error', 'resolved', 'cancelled'],
  known_error: ['investigating', 'resolved', 'cancelled'],
  resolved: ['investigating', 'closed'],
  closed: [],
  cancelled: [],
};

function proposalsPanel(box, navigate, errBox) {
  const redraw = () => proposalsPanel(box, navigate, errBox);
  return get('/api/v1/problems/proposals').then((p) => {
    clear(box).append(h('h2', { id: 'prop-h' }, t('prb.proposals')),
      h('p', { class: 'hint' }, t('prb.proposals_hint', { count: p.count, days: p.window_days })),
      p.items.length ? h('ul', { class: 'proposals', 'data-testid': 'proposals' }, p.items.map((x) => h('li', { 'data-proposal': x.id, 'data-basis': x.basis },
        h('p', {}, h('strong', {}, x.title), ' — ', h('span', { class: 'muted' }, t('prb.basis', { basis: x.basis }))),
        h('p', {}, x.incidents.map((i, n) => [n ? ', ' : '', h('a', { href: `/tickets/${enc(i.key)}` }, i.key), ` ${i.title}`])),
        h('div', { class: 'actions' },
          h('button', { type: 'button', class: 'primary', 'data-action': 'confirm',
            onclick: () => {
              let made;
              run(async () => { made = await post(`/api/v1/problems/proposals/${enc(x.id)}/confirm`, {}); },
                { redraw: async () => { if (made) navigate(`/problems/${enc(made.key)}`); else await redraw(); }, errBox, done: t('prb.confirmed') });
            } }, t('prb.confirm')),
          h('button', { type: 'button', 'data-action': 'dismiss',
            onclick: () => run(() => post(`/api/v1/problems/proposals/${enc(x.id)}/dismiss`), { redraw, errBox, done: t('prb.dismissed') }) },
          t('prb.dismiss')))))) : h('p', { class: 'empty' }, t('prb.no_proposals')));
  });
}

async function list({ main, query, navigate, setTitle }) {
  setTitle(t('nav.problems'));
  const status = STATUSES.includes(query.get('status')) ? query.get('status') : '';
  const page = await get(`/api/v1/problems?limit=200${status ? `&status=${status}` : ''}`);
  const errBox = h('p', { class: 'form-error', role: 'alert' });
  const props = h('section', { class: 'panel', id: 'proposals', 'aria-labelledby': 'prop-h' });
  // A new problem: title, description, impact and urgency; the rest on its page.
  const title = h('input', { type: 'text', required: true, maxlength: '200' });
  const desc = h('textarea', { rows: '3' });
  const level = (k) => h('select', {}, [1, 2, 3].map((n) => h('option', { value: String(n), selected: n === 2 }, t(`${k}.${n}`))));
  const impact = level('impact');
  const urgency = level('urgency');
  const form = h('form', { class: 'panel form', 'data-testid': 'new-problem', 'aria-labelledby': 'new-prb-h', onsubmit: (ev) => {
    ev.preventDefault();
    let made;
    run(async () => {
      made = await post('/api/v1/problems', { title: title.value, description: desc.value, impact: Number(impact.value), urgency: Number(urgency.value) });
    }, { redraw: async () => { if (made) navigate(`/problems/${enc(made.key)}`); }, errBox: newErr, done: t('prb.created') });
  } });
  const newErr = h('p', { class: 'form-error', role: 'alert' });
  form.append(h('h2', { id: 'new-prb-h' }, t('prb.new')), field('prb-new-title', t('prb.title'), title),
    field('prb-new-desc', t('prb.description'), desc), field('prb-new-impact', t('field.impact'), impact),
    field('prb-new-urgency', t('field.urgency'), urgency), newErr, h('button', { type: 'submit', class: 'primary' }, t('prb.create')));
  main.append(h('h1', {}, t('nav.problems')),
    statusFilter({ id: 'prb-status', prefix: 'prb', statuses: STATUSES, current: status, navigate, path: '/problems' }),
    h('section', { class: 'panel' }, table(t('nav.problems'), ['prb.key', 'prb.title', 'prb.status', 'prb.priority', 'prb.updated'],
      page.items.map((p) => ({ attrs: { 'data-key': p.key }, cells: [
        h('a', { href: `/problems/${enc(p.key)}`, class: 'key' }, p.key), p.title, pill('prb', p.status),
        priorityBadge(p.priority), fmtTime(p.updated_at)] })), { 'data-testid': 'problems' }),
      page.next_cursor ? h('p', { class: 'hint' }, t('rec.more', { n: page.items.length })) : null),
    errBox, props, form);
  await proposalsPanel(props, navigate, errBox);
}

async function page({ main, params, setTitle, isCurrent }) {
  const errBox = h('p', { class: 'form-error', role: 'alert', 'data-testid': 'error' });
  const body = h('div', {});
  main.append(h('p', { class: 'crumbs' }, h('a', { href: '/problems' }, t('nav.problems'))), body, errBox);

  async function draw() {
    const p = await get(`/api/v1/problems/${enc(params.key)}`);
    if (!isCurrent()) return;
    setTitle(`${p.key} ${p.title}`);
    const path = `/api/v1/problems/${enc(p.key)}`;
    const cause = h('textarea', { rows: '3', value: p.root_cause || '' });
    const work = h('textarea', { rows: '3', value: p.workaround || '' });
    const save = (ev) => {
      ev.preventDefault();
      run(() => patch(path, { version: p.version, root_cause: cause.value, workaround: work.value }), { redraw: draw, errBox, done: t('prb.saved') });
    };
    // A move to known_error takes the workaround being typed with it.
    const withIncidents = h('input', { type: 'checkbox', id: 'prb-resolve-incidents' });
    const move = (to) => {
      const b = { version: p.version, status: to };
      if (to === 'known_error' && work.value !== (p.workaround || '')) b.workaround = work.value;
      if (to === 'resolved' && withIncidents.checked) b.resolve_incidents = true;
      run(() => patch(path, b), { redraw: draw, errBox, done: t('prb.moved', { status: t(`prb.status.${to}`) }) });
    };
    const moves = MOVES[p.status] || [];
    const open = moves.length > 0;
    const ticket = h('input', { type: 'text', placeholder: 'INC-1', required: true });
    const link = (ev) => {
      ev.preventDefault();
      run(() => post(`${path}/incidents`, { ticket: ticket.value.trim() }), { redraw: draw, errBox, done: t('prb.linked', { key: ticket.value.trim() }) });
    };
    const unlink = (key) => run(() => del(`${path}/incidents/${enc(key)}`), { redraw: draw, errBox, done: t('prb.unlinked', { key }) });
    clear(body).append(
      h('h1', {}, h('span', { class: 'key' }, p.key), ' ', h('span', { class: 'title' }, p.title), ' ', pill('prb', p.status)),
      h('div', { class: 'ticket-grid' },
        h('div', { class: 'ticket-main' },
          h('section', { class: 'panel' }, h('h2', {}, t('prb.description')), h('div', { class: 'description pre' }, p.description || '—')),
          h('form', { class: 'panel form', 'data-testid': 'problem-form', onsubmit: save },
            h('h2', {}, t('prb.analysis')),
            field('prb-cause', t('prb.root_cause'), cause),
            field('prb-workaround', t('prb.workaround'), work),
            h('button', { type: 'submit', class: 'primary', disabled: moves.length === 0 }, t('cat.save'))),
          h('section', { class: 'panel' }, h('h2', {}, t('prb.incidents')),
            table(t('prb.incidents'), ['prb.key', 'prb.title', 'prb.status', 'prb.customer', 'cat.actions'],
              p.incidents.map((i) => ({ attrs: { 'data-key': i.key }, cells: [
                h('a', { href: `/tickets/${enc(i.key)}`, class: 'key' }, i.key), i.title, statusPill(i.status), i.customer || '—',
                open ? h('button', { type: 'button', 'data-action': 'unlink', 'aria-label': t('prb.unlink_of', { key: i.key }), onclick: () => unlink(i.key) },
                  t('prb.unlink')) : ''] })),
              { 'data-testid': 'incidents' }),
            open ? h('form', { class: 'form inline', 'data-testid': 'link-form', onsubmit: link },
              field('prb-link', t('prb.link_label'), ticket), h('button', { type: 'submit' }, t('prb.link'))) : null)),
        h('aside', { class: 'ticket-side' },
          h('section', { class: 'panel' }, h('h2', {}, t('ticket.details')), facts([
            ['prb.priority', priorityBadge(p.priority)], ['field.impact', t(`impact.${p.impact}`)], ['field.urgency', t(`urgency.${p.urgency}`)],
            ['field.service', p.service], ['prb.items', (p.items || []).map((k, n) => [n ? ', ' : '', h('a', { href: `/cmdb/${enc(k)}` }, k)])],
            ['prb.created_by', p.created_by], ['field.created_at', fmtTime(p.created_at)], ['field.updated_at', fmtTime(p.updated_at)],
            ['prb.version', String(p.version)]])),
          h('section', { class: 'panel' }, h('h2', {}, t('prb.moves')),
            moves.length ? h('div', { class: 'moves', role: 'group', 'aria-label': t('prb.moves') },
              moves.map((to) => h('button', { type: 'button', class: `move move-${to}`, dataset: { move: to }, onclick: () => move(to) },
                t(`prb.move.${to}`)))) : h('p', { class: 'muted' }, t('ticket.final')),
            moves.includes('resolved') && p.incidents.length
              ? h('div', { class: 'field inline' }, withIncidents, h('label', { for: 'prb-resolve-incidents' }, t('prb.resolve_incidents'))) : null))));
  }
  await draw();
}

export async function render(ctx) {
  return ctx.params.key ? page(ctx) : list(ctx);
}
