// i18n.test.mjs — the console's two string tables hold the same keys, every
// literal key the code asks for exists, and the console's code never builds
// HTML from strings (no innerHTML, outerHTML, insertAdjacentHTML,
// document.write) — the rule that keeps user text inert.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from './lib.mjs';

const WEB = join(ROOT, 'web');

function files(dir) {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

test('English and Japanese have the same keys, and every key used exists', async () => {
  const en = (await import(pathToFileURL(join(WEB, 'js/i18n/en.js')))).default;
  const ja = (await import(pathToFileURL(join(WEB, 'js/i18n/ja.js')))).default;
  assert.deepEqual(Object.keys(ja).filter((k) => !(k in en)), [], 'keys only in ja.js');
  assert.deepEqual(Object.keys(en).filter((k) => !(k in ja)), [], 'keys only in en.js');
  for (const [k, v] of Object.entries(ja)) {
    const vars = (s) => (s.match(/\{\w+\}/g) || []).sort();
    assert.deepEqual(vars(v), vars(en[k]), `placeholders of ${k}`);
  }
  const used = new Set();
  for (const f of files(join(WEB, 'js')).filter((p) => p.endsWith('.js'))) {
    const src = readFileSync(f, 'utf8');
    for (const m of src.matchAll(/\bt\('([a-z_.0-9]+)'/g)) used.add(m[1]);
    for (const m of src.matchAll(/(?:nav|label): '([a-z_]+\.[a-z_.]+)'/g)) used.add(m[1]);
  }
  assert.deepEqual([...used].filter((k) => !(k in en)).sort(), [], 'keys used but missing');
  for (const el of readFileSync(join(WEB, 'index.html'), 'utf8').matchAll(/data-i18n(?:-label)?="([^"]+)"/g)) {
    assert.ok(el[1] in en, el[1]);
  }
});

test('a count of one takes the singular where the table has it', async () => {
  const { t } = await import(pathToFileURL(join(WEB, 'js/i18n.js')));
  assert.equal(t('dash.satisfaction', { n: 1 }), 'Satisfaction this month (1 rating)');
  assert.equal(t('dash.satisfaction', { n: 0 }), 'Satisfaction this month (0 ratings)');
  assert.equal(t('dash.satisfaction', { n: 2 }), 'Satisfaction this month (2 ratings)');
  assert.equal(t('cmdb.impact_summary', { n: 1, services: 'mail' }), 'A failure reaches 1 item; services affected: mail.');
  // A key without a singular form is used as it is.
  assert.equal(t('rating.stars', { n: 1 }), '1 out of 5');
});

test('no HTML is built from strings and nothing runs inline', () => {
  for (const f of files(join(WEB, 'js'))) {
    const src = readFileSync(f, 'utf8');
    assert.doesNotMatch(src, /\.(innerHTML|outerHTML)\s*=|insertAdjacentHTML|document\.write|\beval\(|new Function\(/, f);
  }
  const html = readFileSync(join(WEB, 'index.html'), 'utf8');
  assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, 'no inline <script>');
  assert.doesNotMatch(html, /<style|\sstyle=|\son[a-z]+=/i, 'no inline style or handler');
});
