// risks.test.mjs — the risk register's screen, driven in chromium: the heat
// map shows what GET /api/v1/risks/heatmap counts, cell by cell, coloured
// by level; a risk made through the API is in the list and its page shows
// the score and level worked out by hand and an overdue measure; a
// requester gets no way in.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serverUrl, launch, signIn, shot, axe, apiSession, unique } from './lib.mjs';

let base;
let browser;
let manager;

before(async () => {
  base = await serverUrl();
  browser = await launch();
  manager = await apiSession(base, 'manager1');
});

after(async () => {
  await browser?.close();
});

const ok = (r, status = 201) => { assert.equal(r.status, status, r.text); return r.json; };

test('risks: the heat map, the list, a risk with an overdue measure; requesters kept out', async () => {
  // 4 × 4 = 16: high under the default table (high is 10-16).
  const r = ok(await manager.post('/api/v1/risks', { title: unique('Single storage array'), owner: 'manager1', likelihood: 4, impact: 4,
    description: '<b>not bold</b>' }));
  ok(await manager.post(`/api/v1/risks/${r.key}/measures`, { version: 1, description: 'Order a second array', owner: 'agent1',
    due: '2020-01-01T00:00:00Z' }));
  const hm = ok(await manager.get('/api/v1/risks/heatmap'), 200);

  const { context, page } = await signIn(browser, base, 'agent1');
  await page.goto(`${base}/risks`);
  await page.locator(`[data-testid=risks] tr[data-key="${r.key}"]`).waitFor();
  for (let l = 1; l <= 5; l++) {
    for (let i = 1; i <= 5; i++) {
      const cell = page.locator(`[data-testid=heatmap] td[data-likelihood="${l}"][data-impact="${i}"]`);
      const n = hm.counts[l - 1][i - 1];
      assert.equal((await cell.textContent()).trim(), n ? String(n) : '', `cell ${l} × ${i}`);
      assert.equal(await cell.getAttribute('data-level'), hm.levels[l - 1][i - 1]);
    }
  }
  assert.ok(hm.counts[3][3] >= 1);
  assert.equal(await page.locator('[data-testid=heatmap] td[data-likelihood="4"][data-impact="4"]').getAttribute('data-level'), 'high');
  assert.deepEqual(await axe(page), []);
  await shot(page, 'risks');

  await page.click(`[data-testid=risks] tr[data-key="${r.key}"] a`);
  await page.locator('[data-testid=measures] tr[data-measure]').waitFor();
  assert.equal(await page.locator('[data-testid=score]').textContent(), '16');
  assert.equal(await page.locator('[data-testid=level]').textContent(), 'high');
  assert.equal(await page.locator('.description').first().textContent(), '<b>not bold</b>', 'text is text');
  assert.equal(await page.locator('[data-testid=measures] tr[data-measure]').getAttribute('data-overdue'), 'true');
  assert.deepEqual(await axe(page), []);
  assert.deepEqual(page.errors, []);
  await context.close();

  const a = await signIn(browser, base, 'alice');
  const nav = await a.page.locator('#nav a').allTextContents();
  assert.ok(nav.length > 0 && !nav.includes('Risks'), `Risks not in ${nav}`);
  await a.page.goto(`${base}/risks`);
  await a.page.waitForFunction(() => !document.querySelector('[data-testid=heatmap]') && document.querySelector('main').textContent.length > 0);
  assert.equal(await a.page.locator('[data-testid=heatmap]').count(), 0);
  await a.context.close();
});
