// graph.js — the CMDB impact graph: the item at the left, the items its
// failure reaches laid out in columns by distance, an edge along each
// step of every item's path. Nodes are links to their own item view.

import { s } from './dom.js';

const COL_W = 230;
const ROW_H = 46;
const NODE_W = 150;
const NODE_H = 30;

// impact (docs/cmdb.md): {ci: {key, name, type}, items: [{key, name, type,
// distance, path: [{ci, rel}, …, {ci}]}]} — the path runs from the failing
// item to the reached one; each step names the relationship it crossed.
export function impactGraph(impact, { title, hrefFor }) {
  const root = impact.ci || {};
  const nodes = new Map();
  nodes.set(root.key, { key: root.key, name: root.name || root.key, type: root.type || '', distance: 0 });
  for (const it of impact.items || []) {
    if (!nodes.has(it.key)) nodes.set(it.key, { key: it.key, name: it.name || it.key, type: it.type || '', distance: it.distance || 1 });
  }
  const edges = new Map();
  for (const it of impact.items || []) {
    const path = Array.isArray(it.path) && it.path.length ? it.path : [{ ci: root.key }, { ci: it.key }];
    const steps = path.map((p) => (typeof p === 'string' ? { ci: p } : { ci: p && (p.ci || p.key), rel: p && p.rel })).filter((p) => p.ci);
    if (steps[0].ci !== root.key) steps.unshift({ ci: root.key });
    if (steps[steps.length - 1].ci !== it.key) steps.push({ ci: it.key });
    for (let i = 1; i < steps.length; i++) {
      if (!nodes.has(steps[i].ci)) nodes.set(steps[i].ci, { key: steps[i].ci, name: steps[i].ci, type: '', distance: i });
      edges.set(`${steps[i - 1].ci}\u0000${steps[i].ci}`, steps[i - 1].rel || '');
    }
  }
  const cols = new Map();
  for (const n of nodes.values()) {
    if (!cols.has(n.distance)) cols.set(n.distance, []);
    cols.get(n.distance).push(n);
  }
  const depth = Math.max(...cols.keys());
  const tallest = Math.max(...[...cols.values()].map((c) => c.length));
  const W = (depth + 1) * COL_W + 20;
  const H = tallest * ROW_H + 20;
  for (const [d, list] of cols) {
    list.sort((a, b) => a.key.localeCompare(b.key));
    const offset = (H - list.length * ROW_H) / 2;
    list.forEach((n, i) => { n.x = 10 + d * COL_W; n.y = offset + i * ROW_H + (ROW_H - NODE_H) / 2; });
  }
  const svg = s('svg', { class: 'graph', viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: 'group', 'aria-label': title },
    s('title', { text: title }),
    s('defs', {}, s('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' },
      s('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: 'graph-arrow' }))));
  for (const [e, rel] of edges) {
    const [a, b] = e.split('\u0000');
    const na = nodes.get(a); const nb = nodes.get(b);
    if (!na || !nb) continue;
    const x1 = na.x + NODE_W; const y1 = na.y + NODE_H / 2;
    const x2 = nb.x; const y2 = nb.y + NODE_H / 2;
    const mx = (x1 + x2) / 2;
    svg.append(s('path', { d: `M ${x1} ${y1} C ${mx} ${y1}, ${mx} ${y2}, ${x2} ${y2}`, class: 'graph-edge', 'marker-end': 'url(#arrow)' },
      rel ? s('title', { text: `${b} ${rel} ${a}` }) : null));
    if (rel) svg.append(s('text', { x: mx, y: (y1 + y2) / 2 - 4, 'text-anchor': 'middle', class: 'graph-rel', text: rel }));
  }
  for (const n of nodes.values()) {
    const label = n.name.length > 20 ? `${n.name.slice(0, 19)}…` : n.name;
    const g = s('g', { class: ['graph-node', n.distance === 0 ? 'graph-root' : '', n.type === 'service' ? 'graph-service' : ''].join(' ').trim() },
      s('title', { text: `${n.key}${n.type ? ` (${n.type})` : ''}: ${n.name}` }),
      s('rect', { x: n.x, y: n.y, width: NODE_W, height: NODE_H, rx: 6 }),
      s('text', { x: n.x + 8, y: n.y + 13, class: 'graph-key', text: n.key.length > 22 ? `${n.key.slice(0, 21)}…` : n.key }),
      s('text', { x: n.x + 8, y: n.y + 25, class: 'graph-name', text: label }));
    svg.append(hrefFor && n.distance !== 0 ? s('a', { href: hrefFor(n.key) }, g) : g);
  }
  return svg;
}
