// risks.js — the risk register (/risks, /risks/KEY): the 5×5 heat map of
// the risks not closed (likelihood rows from 5 at the top, impact columns,
// each cell coloured by its level and counting its risks), the list by
// status, and a risk's page: its score and level, measures with their
// overdue flags, the last and next review (docs/risk.md). Read-only: the
// register is written through the API and the CLI.

import { h, clear } from '../dom.js';
import { get } from '../api.js';
import { t, fmtTime } from '../i18n.js';
import { enc, pill, statusFilter, table, facts } from '../records.js';

export const STATUSES = ['open', 'mitigating', 'accepted', 'closed'];

function heatmap(hm) {
  const rows = [5, 4, 3, 2, 1];
  return h('div', { class: 'table-wrap' }, h('table', { class: 'data heatmap', 'data-testid': 'heatmap' },
    h('caption', {}, t('risk.heatmap_caption', { total: hm.total })),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('risk.likelihood_impact')),
      [1, 2, 3, 4, 5].map((i) => h('th', { scope: 'col' }, String(i))))),
    h('tbody', {}, rows.map((l) => h('tr', {}, h('th', { scope: 'row' }, String(l)),
      [1, 2, 3, 4, 5].map((i) => {
        const level = hm.levels[l - 1][i - 1];
        const n = hm.counts[l - 1][i - 1];
        return h('td', { class: `heat heat-${level}`, 'data-likelihood': String(l), 'data-impact': String(i),
          'data-level': level, title: t('risk.cell', { l, i, score: l * i, level }) }, n ? String(n) : '');
      }))))));
}

async function list({ main, query, navigate, setTitle }) {
  setTitle(t('nav.risks'));
  const status = STATUSES.includes(query.get('status')) ? query.get('status') : '';
  const [page, hm] = await Promise.all([
    get(`/api/v1/risks?limit=200${status ? `&status=${status}` : ''}`),
    get('/api/v1/risks/heatmap'),
  ]);
  main.append(h('h1', {}, t('nav.risks')),
    h('section', { class: 'panel' }, h('h2', {}, t('risk.heatmap')), heatmap(hm)),
    statusFilter({ id: 'risk-status', prefix: 'risk', statuses: STATUSES, current: status, navigate, path: '/risks' }),
    h('section', { class: 'panel' }, table(t('nav.risks'), ['risk.key', 'risk.title', 'risk.status', 'risk.score', 'risk.level', 'risk.owner', 'risk.next_review'],
      page.items.map((r) => ({ attrs: { 'data-key': r.key }, cells: [
        h('a', { href: `/risks/${enc(r.key)}`, class: 'key' }, r.key), r.title, pill('risk', r.status),
        String(r.score), h('span', { class: `level heat-${r.level}`, 'data-level': r.level }, r.level), r.owner,
        r.next_review ? [fmtTime(r.next_review), r.review_overdue ? h('span', { class: 'overdue' }, ` ${t('risk.overdue')}`) : ''] : '—'] })),
      { 'data-testid': 'risks' }),
    page.next_cursor ? h('p', { class: 'hint' }, t('rec.more', { n: page.items.length })) : null));
}

async function page({ main, params, setTitle, isCurrent }) {
  const body = h('div', {});
  main.append(h('p', { class: 'crumbs' }, h('a', { href: '/risks' }, t('nav.risks'))), body);
  const r = await get(`/api/v1/risks/${enc(params.key)}`);
  if (!isCurrent()) return;
  setTitle(`${r.key} ${r.title}`);
  clear(body).append(
    h('h1', {}, h('span', { class: 'key' }, r.key), ' ', h('span', { class: 'title' }, r.title), ' ', pill('risk', r.status)),
    h('div', { class: 'ticket-grid' },
      h('div', { class: 'ticket-main' },
        h('section', { class: 'panel' }, h('h2', {}, t('risk.description')), h('div', { class: 'description pre' }, r.description || '—')),
        h('section', { class: 'panel' }, h('h2', {}, t('risk.measures')),
          table(t('risk.measures'), ['risk.measure', 'risk.owner', 'risk.due', 'risk.status'],
            r.measures.map((m) => ({ attrs: { 'data-measure': String(m.id), 'data-overdue': String(m.overdue) }, cells: [
              m.description, m.owner, m.due ? [fmtTime(m.due), m.overdue ? h('span', { class: 'overdue' }, ` ${t('risk.overdue')}`) : ''] : '—',
              pill('risk.measure', m.status)] })),
            { 'data-testid': 'measures' }))),
      h('aside', { class: 'ticket-side' },
        h('section', { class: 'panel' }, h('h2', {}, t('ticket.details')), facts([
          ['risk.likelihood', String(r.likelihood)], ['risk.impact', String(r.impact)],
          ['risk.score', h('span', { 'data-testid': 'score' }, String(r.score))],
          ['risk.level', h('span', { class: `level heat-${r.level}`, 'data-testid': 'level' }, r.level)],
          ['risk.owner', r.owner], ['risk.services', (r.services || []).join(', ')],
          ['risk.items', (r.items || []).map((k, n) => [n ? ', ' : '', h('a', { href: `/cmdb/${enc(k)}` }, k)])],
          ['risk.last_review', r.last_review ? `${fmtTime(r.last_review.at)} (${r.last_review.by})` : null],
          ['risk.next_review', r.next_review ? fmtTime(r.next_review) : null],
          ['field.updated_at', fmtTime(r.updated_at)], ['risk.version', String(r.version)]])))));
}

export async function render(ctx) {
  return ctx.params.key ? page(ctx) : list(ctx);
}
