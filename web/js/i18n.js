// i18n.js — the console's words. One table per language (i18n/en.js,
// i18n/ja.js), the same keys in each; t(KEY, {name}) fills {name}, and
// takes KEY.one instead when {n} is 1 and that key exists.
// The choice is kept in localStorage and applied to static markup carrying
// data-i18n (text) or data-i18n-label (aria-label).

import en from './i18n/en.js';
import ja from './i18n/ja.js';

export const tables = { en, ja };
let lang = 'en';
try {
  const saved = localStorage.getItem('itsm.lang');
  if (saved && tables[saved]) lang = saved;
  else if ((navigator.language || '').startsWith('ja')) lang = 'ja';
} catch { /* storage may be unavailable */ }

export function currentLang() { return lang; }

export function setLang(l) {
  if (!tables[l]) return;
  lang = l;
  try { localStorage.setItem('itsm.lang', l); } catch { /* ignore */ }
  applyStatic();
}

// A count of one takes the key's ".one" form where the table has one
// ("1 rating"; other counts say "{n} ratings").
export function t(key, vars) {
  if (vars && vars.n === 1 && (tables[lang][`${key}.one`] ?? en[`${key}.one`]) !== undefined) key = `${key}.one`;
  let s = tables[lang][key];
  if (s === undefined) s = en[key];
  if (s === undefined) return key;
  if (vars) s = s.replace(/\{(\w+)\}/g, (m, k) => (vars[k] === undefined ? m : String(vars[k])));
  return s;
}

export function applyStatic(root = document) {
  document.documentElement.lang = lang;
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-label]')) el.setAttribute('aria-label', t(el.dataset.i18nLabel));
}

// Dates and durations in the reader's language.
export function fmtTime(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  return d.toLocaleString(lang === 'ja' ? 'ja-JP' : 'en-GB', {
    year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit',
  });
}

export function fmtDuration(ms) {
  const neg = ms < 0;
  let sec = Math.floor(Math.abs(ms) / 1000);
  const d = Math.floor(sec / 86400); sec -= d * 86400;
  const hh = Math.floor(sec / 3600); sec -= hh * 3600;
  const mm = Math.floor(sec / 60); const ss = sec - mm * 60;
  let body;
  if (d) body = t('dur.dh', { d, h: hh });
  else if (hh) body = t('dur.hm', { h: hh, m: mm });
  else body = t('dur.ms', { m: mm, s: ss });
  return neg ? t('dur.overdue', { t: body }) : body;
}

export function statusName(s) { return t(`status.${s}`); }
export function kindName(k) { return t(`kind.${k}`); }
