// app.js — the console's frame: who is signed in, the router over the
// screen registry (screens.js), navigation, the language switch, sign-out,
// keyboard shortcuts and the live stream.
//
// The role check runs before a screen is loaded, so a requester who types
// an agent screen's address sees "not allowed" and nothing is fetched; the
// server refuses the data anyway (roles and customer isolation live there).

import { h, clear, toast } from './dom.js';
import { get, del, setCsrf, onUnauthenticated } from './api.js';
import { t, setLang, currentLang, applyStatic } from './i18n.js';
import { screens, match, home } from './screens.js';
import { startLive, stopLive } from './live.js';
import { installKeys } from './keys.js';

const state = { user: null, cleanup: null, seq: 0 };
const main = () => document.getElementById('main');

export function navigate(path, { replace = false } = {}) {
  if (replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  route();
}

function setTitle(text) {
  document.title = text ? `${text} — itsm` : 'itsm';
}

function renderNav() {
  const nav = clear(document.getElementById('nav'));
  const who = document.getElementById('who');
  const out = document.getElementById('signout');
  if (!state.user) {
    who.textContent = '';
    out.hidden = true;
    return;
  }
  const list = h('ul', {});
  for (const sc of screens) {
    if (!sc.nav || !sc.roles || !sc.roles.includes(state.user.role)) continue;
    const here = location.pathname === sc.path;
    list.append(h('li', {}, h('a', { href: sc.path, 'aria-current': here ? 'page' : null }, t(sc.nav))));
  }
  nav.append(list);
  who.textContent = `${state.user.name || state.user.username} (${t(`role.${state.user.role}`)})`;
  out.hidden = false;
}

export function message(kind, title, text) {
  const el = clear(main());
  el.append(h('section', { class: `panel notice notice-${kind}`, 'data-screen': kind },
    h('h1', {}, title), text ? h('p', {}, text) : null,
    state.user ? h('p', {}, h('a', { href: home(state.user) }, t('app.home'))) : null));
  setTitle(title);
}

async function route() {
  const seq = ++state.seq;
  if (state.cleanup) { try { state.cleanup(); } catch { /* ignore */ } state.cleanup = null; }
  const path = location.pathname;
  if (path === '/' || path === '/index.html') {
    navigate(home(state.user), { replace: true });
    return;
  }
  const m = match(path);
  renderNav();
  if (!m) { message('not-found', t('err.notfound.title'), t('err.notfound.text')); return; }
  if (m.screen.path === '/signin' && state.user) {
    navigate(home(state.user), { replace: true });
    return;
  }
  if (!m.screen.public && !state.user) {
    navigate(`/signin?next=${encodeURIComponent(path + location.search)}`, { replace: true });
    return;
  }
  if (m.screen.roles && !m.screen.roles.includes(state.user.role)) {
    message('not-allowed', t('err.forbidden.title'), t('err.forbidden.text'));
    return;
  }
  let mod;
  try {
    mod = await import(m.screen.module);
  } catch (e) {
    message('error', t('err.load'), String(e.message || e));
    return;
  }
  if (seq !== state.seq) return;
  const el = clear(main());
  const ctx = {
    main: el, params: m.params, query: new URLSearchParams(location.search), user: state.user,
    navigate, setTitle, message, signedIn,
    isCurrent: () => seq === state.seq,
  };
  try {
    const cleanup = await mod.render(ctx);
    if (seq === state.seq) state.cleanup = typeof cleanup === 'function' ? cleanup : null;
    else if (typeof cleanup === 'function') cleanup();
    // A new screen: screen readers start at its content, unless the screen
    // already put focus somewhere in it (a form's first field).
    if (seq === state.seq && !el.contains(document.activeElement)) el.focus({ preventScroll: true });
  } catch (e) {
    if (seq !== state.seq) return;
    if (e.status === 404) message('not-found', t('err.notfound.title'), t('err.notfound.text'));
    else if (e.status === 403) message('not-allowed', t('err.forbidden.title'), t('err.forbidden.text'));
    else message('error', t('err.generic'), e.message);
  }
}

// Called by the sign-in screen.
export function signedIn(user, csrf) {
  state.user = user;
  setCsrf(csrf);
  startLive();
}

async function boot() {
  const lang = document.getElementById('lang');
  lang.value = currentLang();
  applyStatic();
  lang.addEventListener('change', () => { setLang(lang.value); route(); });
  document.getElementById('signout').addEventListener('click', async () => {
    try { await del('/api/v1/session'); } catch { /* already gone */ }
    state.user = null;
    setCsrf('');
    stopLive();
    navigate('/signin');
  });
  onUnauthenticated(() => {
    if (!state.user) return;
    state.user = null;
    stopLive();
    toast(t('app.expired'), 'warn');
    navigate(`/signin?next=${encodeURIComponent(location.pathname)}`, { replace: true });
  });
  // Links inside the console change screens without reloading.
  document.addEventListener('click', (ev) => {
    const a = ev.target.closest && ev.target.closest('a[href]');
    if (!a || ev.defaultPrevented || ev.button !== 0 || ev.ctrlKey || ev.metaKey || ev.shiftKey) return;
    const href = a.getAttribute('href');
    if (!href.startsWith('/') || href.startsWith('/api/') || a.target || a.hasAttribute('download')) return;
    ev.preventDefault();
    navigate(href);
  });
  window.addEventListener('popstate', route);
  installKeys((href) => navigate(href));
  try {
    const s = await get('/api/v1/session');
    if (s && s.user && s.csrf_token) signedIn(s.user, s.csrf_token);
  } catch { /* not signed in */ }
  route();
}

boot();
