// chart.js — small SVG bar charts drawn by the console itself (no library).
// Each chart is an <svg role="img"> with a <title> and a <desc> that reads
// out every value, so the numbers are there for screen readers too.

import { s } from './dom.js';

let seq = 0;

// bars({title, rows: [{label, value, tone}], unit, max}) → horizontal bars.
export function bars({ title, rows, unit = '', max, width = 420 }) {
  const id = `chart-${++seq}`;
  const rowH = 26;
  const labelW = 120;
  const valueW = 56;
  const height = Math.max(1, rows.length) * rowH + 8;
  const top = max || Math.max(1, ...rows.map((r) => r.value));
  const plotW = width - labelW - valueW;
  const desc = rows.map((r) => `${r.label}: ${r.value}${unit}`).join(', ');
  const svg = s('svg', {
    class: 'chart', viewBox: `0 0 ${width} ${height}`, width: '100%', role: 'img',
    'aria-labelledby': `${id}-t ${id}-d`, preserveAspectRatio: 'xMinYMin meet',
  },
  s('title', { id: `${id}-t`, text: title }),
  s('desc', { id: `${id}-d`, text: desc }));
  rows.forEach((r, i) => {
    const y = 4 + i * rowH;
    const w = top ? Math.max(r.value ? 2 : 0, (r.value / top) * plotW) : 0;
    svg.append(
      s('text', { x: labelW - 8, y: y + 17, 'text-anchor': 'end', class: 'chart-label', text: r.label }),
      s('rect', { x: labelW, y: y + 4, width: plotW, height: rowH - 8, class: 'chart-track', rx: 3 }),
      s('rect', { x: labelW, y: y + 4, width: w, height: rowH - 8, class: `chart-bar tone-${r.tone || 'base'}`, rx: 3 }),
      s('text', { x: labelW + plotW + 6, y: y + 17, class: 'chart-value', text: `${r.value}${unit}` }),
    );
  });
  return svg;
}

// gauge-like percentage bar against a target: value and target in 0..100.
export function meter({ title, value, target }) {
  const id = `chart-${++seq}`;
  const W = 200; const H = 18;
  const ok = target == null || value >= target;
  const svg = s('svg', { class: 'meter', viewBox: `0 0 ${W} ${H + 4}`, width: W, height: H + 4, role: 'img', 'aria-labelledby': `${id}-t` },
    s('title', { id: `${id}-t`, text: `${title}: ${value}%${target != null ? ` / ${target}%` : ''}` }),
    s('rect', { x: 0, y: 2, width: W, height: H, rx: 3, class: 'chart-track' }),
    s('rect', { x: 0, y: 2, width: Math.max(0, Math.min(100, value)) * W / 100, height: H, rx: 3, class: `chart-bar tone-${ok ? 'good' : 'bad'}` }));
  if (target != null) {
    svg.append(s('line', { x1: target * W / 100, x2: target * W / 100, y1: 0, y2: H + 4, class: 'meter-target' }));
  }
  return svg;
}
