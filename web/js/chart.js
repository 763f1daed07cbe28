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

// The scale of an availability meter: from a floor to 100 %, so that 99.0 %
// and 99.9 % look different (on 0–100 % they are the same full bar). The
// floor is 95 %, lowered in steps of 5 until the figure and the target are
// both above it (90 % is drawn on 85–100 %).
export function availabilityFloor(value, target) {
  const low = Math.min(value, target ?? 100);
  let floor = 95;
  while (floor > 0 && !(low > floor)) floor -= 5;
  return floor;
}

// A percentage bar against a target: value and target in floor..100 (floor
// 0 unless given), the scale written beneath the bar. met says whether the
// target is met (the server decides it on the unrounded figure); without
// it, value >= target.
export function meter({ title, value, target, floor = 0, met }) {
  const id = `chart-${++seq}`;
  const W = 200; const H = 18;
  const ok = met ?? (target == null || value >= target);
  const x = (v) => Math.round((Math.max(floor, Math.min(100, v)) - floor) * W / (100 - floor) * 10) / 10;
  const scale = `${floor}–100%`;
  const svg = s('svg', {
    class: 'meter', viewBox: `0 0 ${W} ${H + 16}`, width: W, height: H + 16, role: 'img', 'aria-labelledby': `${id}-t`,
    'data-floor': floor,
  },
  s('title', { id: `${id}-t`, text: `${title}: ${value}%${target != null ? ` / ${target}%` : ''} (${scale})` }),
  s('rect', { x: 0, y: 2, width: W, height: H, rx: 3, class: 'chart-track' }),
  s('rect', { x: 0, y: 2, width: x(value), height: H, rx: 3, class: `chart-bar meter-bar tone-${ok ? 'good' : 'bad'}` }),
  s('text', { x: 0, y: H + 14, class: 'meter-scale', text: `${floor}%` }),
  s('text', { x: W, y: H + 14, 'text-anchor': 'end', class: 'meter-scale', text: '100%' }));
  if (target != null) {
    svg.append(s('line', { x1: x(target), x2: x(target), y1: 0, y2: H + 4, class: 'meter-target' }));
  }
  return svg;
}
