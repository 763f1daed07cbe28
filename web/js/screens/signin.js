// signin.js — username and password; the server sets the session cookie
// and hands back the CSRF token. After five wrong passwords the server
// answers 429 with a back-off, shown as it comes.

import { h } from '../dom.js';
import { post } from '../api.js';
import { t } from '../i18n.js';
import { home } from '../screens.js';

export function render({ main, query, navigate, setTitle, signedIn }) {
  setTitle(t('signin.title'));
  const err = h('p', { class: 'form-error', role: 'alert', id: 'signin-error' });
  const user = h('input', { id: 'username', name: 'username', autocomplete: 'username', required: true, autocapitalize: 'none', spellcheck: 'false' });
  const pass = h('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const button = h('button', { type: 'submit', class: 'primary' }, t('signin.submit'));
  const form = h('form', { class: 'panel signin', 'aria-describedby': 'signin-error', novalidate: true },
    h('h1', {}, t('signin.title')),
    h('div', { class: 'field' }, h('label', { for: 'username' }, t('signin.username')), user),
    h('div', { class: 'field' }, h('label', { for: 'password' }, t('signin.password')), pass),
    err, button);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    err.textContent = '';
    if (!user.value || !pass.value) { err.textContent = t('signin.missing'); return; }
    button.disabled = true;
    try {
      const res = await post('/api/v1/session', { username: user.value.trim(), password: pass.value });
      signedIn(res.user, res.csrf_token);
      const next = query.get('next');
      navigate(next && next.startsWith('/') && !next.startsWith('//') ? next : home(res.user), { replace: true });
    } catch (e) {
      err.textContent = e.status === 429 ? t('signin.locked') : e.status === 401 ? t('signin.wrong') : e.message;
      pass.value = '';
      pass.focus();
    } finally {
      button.disabled = false;
    }
  });
  main.append(form);
  user.focus();
}
