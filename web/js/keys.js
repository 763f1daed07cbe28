// keys.js — keyboard shortcuts: '/' focuses the screen's search box, j/k
// move through the current list, Enter opens the selected row, '?' lists
// the shortcuts. Ignored while typing in a field.

import { t } from './i18n.js';
import { toast } from './dom.js';

function typing(ev) {
  const el = ev.target;
  return el && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName));
}

function rows() { return [...document.querySelectorAll('[data-row]')]; }

function move(delta) {
  const list = rows();
  if (!list.length) return;
  let i = list.indexOf(document.activeElement);
  i = i < 0 ? (delta > 0 ? 0 : list.length - 1) : Math.min(list.length - 1, Math.max(0, i + delta));
  for (const r of list) delete r.dataset.selected;
  list[i].dataset.selected = '1';
  list[i].focus();
}

export function installKeys(navigate) {
  document.addEventListener('keydown', (ev) => {
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    if (ev.key === 'Escape' && typing(ev) && ev.target.type === 'search') { ev.target.blur(); return; }
    if (typing(ev)) return;
    if (ev.key === '/') {
      const s = document.querySelector('[data-search]');
      if (s) { ev.preventDefault(); s.focus(); s.select?.(); }
    } else if (ev.key === 'j') { ev.preventDefault(); move(1); }
    else if (ev.key === 'k') { ev.preventDefault(); move(-1); }
    else if (ev.key === 'Enter' && document.activeElement?.dataset?.row !== undefined) {
      ev.preventDefault();
      navigate(document.activeElement.dataset.href);
    } else if (ev.key === '?') {
      toast(t('keys.help'));
    }
  });
}
