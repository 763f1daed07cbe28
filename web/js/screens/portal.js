// portal.js — the requester's home: my tickets and my organisation's, each
// with its status; a button to report something new. Updates live.

import { h, clear } from '../dom.js';
import { get, qs } from '../api.js';
import { t } from '../i18n.js';
import { ticketTable } from '../tickets.js';
import { onTicketChange, debounce } from '../live.js';

export async function render({ main, query, user, navigate, setTitle, isCurrent }) {
  setTitle(t('portal.title'));
  const scope = query.get('scope') === 'org' ? 'org' : 'mine';
  const q = query.get('q') || '';
  const tabs = h('nav', { class: 'tabs', 'aria-label': t('portal.scope') },
    h('a', { href: '/portal', 'aria-current': scope === 'mine' ? 'page' : null }, t('portal.mine')),
    h('a', { href: '/portal?scope=org', 'aria-current': scope === 'org' ? 'page' : null }, t('portal.org', { customer: user.customer || '' })));
  const search = h('input', { type: 'search', id: 'search', value: q, 'data-search': '', placeholder: t('search.placeholder') });
  const form = h('form', { class: 'filters', role: 'search' },
    h('label', { for: 'search' }, t('search.label')), search,
    h('button', { type: 'submit' }, t('search.go')));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    navigate(`/portal${qs({ scope: scope === 'org' ? 'org' : '', q: search.value.trim() })}`);
  });
  const list = h('div', { id: 'list', 'aria-live': 'polite', 'aria-busy': 'true' });
  main.append(h('div', { class: 'screen-head' },
    h('h1', {}, t('portal.title')),
    h('a', { href: '/tickets/new', class: 'button primary' }, t('portal.new'))),
  tabs, form, list);

  let loadSeq = 0;
  const load = async () => {
    const mine = ++loadSeq;
    const res = await get(`/api/v1/tickets${qs({ requester: scope === 'mine' ? 'me' : '', q, limit: 100 })}`);
    if (!isCurrent() || mine !== loadSeq) return;
    list.setAttribute('aria-busy', 'false');
    clear(list).append(ticketTable({
      items: res.items, columns: ['key', 'title', 'kind', 'status', 'updated'],
      caption: scope === 'mine' ? t('portal.mine') : t('portal.org', { customer: user.customer || '' }),
      empty: t('portal.empty'),
    }));
  };
  await load();
  return onTicketChange(debounce(() => { load().catch(() => {}); }, 250));
}
