// knowledge.js — the knowledge base (/knowledge, /knowledge/KEY): a search
// box over tickets, comments, problems and articles, whose hits show their
// snippet with each hit marked from the offsets the server gives (text
// nodes and <mark> elements: the snippet is never parsed as HTML), the
// articles by status, and an article's page: its facts, links, Markdown as
// written, and its versions (docs/knowledge.md). The server decides who
// sees what: a requester's answers hold only what they may read.

import { h } from '../dom.js';
import { get } from '../api.js';
import { t, fmtTime } from '../i18n.js';
import { enc, pill, statusFilter, table, facts } from '../records.js';

export const STATUSES = ['draft', 'published', 'retired'];
const KINDS = ['ticket', 'comment', 'problem', 'article'];

// Where a hit leads: its ticket, problem or article.
function hitHref(hit) {
  if (hit.kind === 'problem') return `/problems/${enc(hit.key)}`;
  if (hit.kind === 'article') return `/knowledge/${enc(hit.key)}`;
  return `/tickets/${enc(hit.ticket || hit.key)}`;
}

// The snippet as text with <mark> around each [start, end) in characters.
export function marked(snippet, highlights) {
  const chars = [...snippet];
  const out = [];
  let at = 0;
  for (const [start, end] of highlights) {
    if (start > at) out.push(chars.slice(at, start).join(''));
    out.push(h('mark', {}, chars.slice(start, end).join('')));
    at = end;
  }
  if (at < chars.length) out.push(chars.slice(at).join(''));
  return out;
}

async function results(box, q, kind) {
  const res = await get(`/api/v1/search?q=${enc(q)}&limit=50${kind ? `&kind=${kind}` : ''}`);
  box.append(h('h2', { id: 'kb-hits-h' }, t('kb.results', { q })),
    res.items.length ? h('ol', { class: 'hits', 'data-testid': 'search-results' }, res.items.map((hit) => h('li', {
      'data-key': hit.key, 'data-kind': hit.kind },
    h('p', {}, h('span', { class: 'muted' }, t(`kb.kind.${hit.kind}`)), ' ',
      h('a', { href: hitHref(hit), class: 'key' }, hit.key), ' ', hit.title),
    h('p', { class: 'snippet' }, marked(hit.snippet, hit.highlights))))) : h('p', { class: 'empty' }, t('kb.no_hits')));
}

async function list({ main, query, navigate, setTitle, user }) {
  setTitle(t('nav.knowledge'));
  const q = (query.get('q') || '').trim();
  const kind = KINDS.includes(query.get('kind')) ? query.get('kind') : '';
  const status = STATUSES.includes(query.get('status')) ? query.get('status') : '';
  const input = h('input', { type: 'search', id: 'kb-q', name: 'q', maxlength: '200', value: q, required: true });
  const kindSel = h('select', { id: 'kb-kind' }, h('option', { value: '' }, t('filter.any')),
    KINDS.map((k) => h('option', { value: k, selected: k === kind }, t(`kb.kind.${k}`))));
  const form = h('form', { class: 'panel form', role: 'search', 'data-testid': 'search', onsubmit: (ev) => {
    ev.preventDefault();
    navigate(`/knowledge?q=${enc(input.value)}${kindSel.value ? `&kind=${kindSel.value}` : ''}`);
  } }, h('div', { class: 'field' }, h('label', { for: 'kb-q' }, t('kb.search_label')), input),
  h('div', { class: 'field' }, h('label', { for: 'kb-kind' }, t('kb.kind_label')), kindSel),
  h('button', { type: 'submit', class: 'primary' }, t('kb.search')));
  const hits = h('section', { class: 'panel', 'aria-labelledby': 'kb-hits-h' });
  const staff = user.role !== 'requester';
  const page = await get(`/api/v1/knowledge?limit=200${status ? `&status=${status}` : ''}`);
  main.append(h('h1', {}, t('nav.knowledge')), form, q ? hits : null,
    h('h2', {}, t('kb.articles')),
    staff ? statusFilter({ id: 'kb-status', prefix: 'kb', statuses: STATUSES, current: status, navigate, path: '/knowledge' }) : null,
    h('section', { class: 'panel' }, table(t('kb.articles'), ['kb.key', 'kb.title', 'kb.status', 'kb.visibility', 'kb.updated'],
      page.items.map((a) => ({ attrs: { 'data-key': a.key }, cells: [
        h('a', { href: `/knowledge/${enc(a.key)}`, class: 'key' }, a.key), a.title, pill('kb', a.status),
        t(`kb.visibility.${a.visibility}`), fmtTime(a.updated_at)] })), { 'data-testid': 'articles' })));
  if (q) await results(hits, q, kind);
}

async function article({ main, params, setTitle }) {
  const a = await get(`/api/v1/knowledge/${enc(params.key)}`);
  const versions = await get(`/api/v1/knowledge/${enc(params.key)}/versions`);
  setTitle(`${a.key} ${a.title}`);
  main.append(h('h1', {}, `${a.key} `, a.title, ' ', pill('kb', a.status)),
    h('section', { class: 'panel' }, facts([
      ['kb.visibility', t(`kb.visibility.${a.visibility}`)], ['kb.version', String(a.version)],
      ['kb.updated', fmtTime(a.updated_at)], ['kb.services', a.services.join(', ')],
      ['kb.items', a.items.join(', ')], ['kb.problems', a.problems.join(', ')]])),
    h('section', { class: 'panel', 'aria-labelledby': 'kb-body-h' }, h('h2', { id: 'kb-body-h' }, t('kb.body')),
      h('pre', { class: 'markdown', 'data-testid': 'body' }, a.body)),
    h('section', { class: 'panel' }, table(t('kb.versions'), ['kb.version', 'kb.status', 'kb.edited_by', 'kb.updated'],
      versions.items.map((v) => ({ attrs: { 'data-version': String(v.version) }, cells: [
        String(v.version), pill('kb', v.status), v.edited_by, fmtTime(v.edited_at)] })), { 'data-testid': 'versions' })));
}

export async function render(ctx) {
  return ctx.params.key ? article(ctx) : list(ctx);
}
