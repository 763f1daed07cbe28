// figures.test.mjs — the dashboard's availability meters and figures as a
// manager sees them: meters on a scale from a floor to 100 % (95 % here), so
// that 99.0 % and 99.9 % are bars of visibly different length, the scale
// written on the meter; a figure just below its target shown as a miss with
// enough decimals never to read as the target.
//
// June 2025 (30 days, 2,592,000 s of the 24x7 calendar), three services of
// acme, each with one outage:
//   a 25,920 s down → 100 × 2,566,080 / 2,592,000 = 99.0 %
//   b  2,592 s down → 99.9 %
//   c  2,828 s down → 99.890895… % → 99.8908 in the report, "99.89%" against 99.9 %
// On 95–100 % across a 200 px meter: 99.0 % is (99.0 − 95) / 5 × 200 = 160 px,
// 99.9 % is 196 px (on 0–100 % they were 198 px and 199.8 px).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serverUrl, launch, signIn, shot, apiSession } from './lib.mjs';

let base;
let browser;
let manager; let agent;

before(async () => {
  base = await serverUrl();
  browser = await launch();
  [manager, agent] = await Promise.all(['manager1', 'agent1'].map((u) => apiSession(base, u)));
});

after(async () => {
  await browser?.close();
});

test('availability meters: 99.0 % and 99.9 % differ; a near miss reads as a miss', async () => {
  const tag = Date.now().toString(36);
  const targets = Object.fromEntries([1, 2, 3, 4, 5].map((p) => [String(p), { response_minutes: 60, resolution_minutes: 240 }]));
  const cases = [['a', '2025-06-10T00:00:00Z', '2025-06-10T07:12:00Z', 99.5], ['b', '2025-06-10T00:00:00Z', '2025-06-10T00:43:12Z', 99.5],
    ['c', '2025-06-10T00:00:00Z', '2025-06-10T00:47:08Z', 99.9]];
  for (const [k, start, end, target] of cases) {
    const svc = `m${k}${tag}`;
    assert.equal((await manager.post('/api/v1/services', { key: svc })).status, 201);
    const sla = await manager.post('/api/v1/slas', { name: `acme-${svc}`, customer: 'acme', service: svc, calendar: '24x7', targets, availability_target: target });
    assert.equal(sla.status, 201, sla.text);
    assert.equal((await agent.post('/api/v1/outages', { service: svc, start, end })).status, 201);
  }
  const { context, page } = await signIn(browser, base, 'manager1');
  await page.goto(`${base}/dashboard?month=2025-06`);
  await page.waitForSelector('#avail-panel .avail li');
  const row = (k) => page.locator('#avail-panel .avail li', { hasText: `m${k}${tag}` });
  const width = async (k) => Number(await row(k).locator('.meter-bar').getAttribute('width'));
  assert.equal(await width('a'), 160);
  assert.equal(await width('b'), 196);
  assert.ok(await width('b') - await width('a') >= 30, 'the two bars are visibly different');
  assert.equal(await row('a').locator('svg.meter').getAttribute('data-floor'), '95');
  assert.match(await row('a').locator('svg.meter').textContent(), /95%.*100%/, 'the scale is written on the meter');
  // 99.8908 against 99.9: "99.89% / 99.9%", marked a miss (was a green "99.9% / 99.9%").
  const c = row('c').locator('span[data-met]');
  assert.equal(await c.textContent(), '99.89% / 99.9%');
  assert.equal(await c.getAttribute('class'), 'bad');
  assert.equal(await row('c').locator('.meter-bar').getAttribute('class'), 'chart-bar meter-bar tone-bad');
  assert.equal(await row('b').locator('span[data-met]').textContent(), '99.9% / 99.5%');
  await shot(page, 'manager-dashboard-meters');
  assert.deepEqual(page.errors, []);
  await context.close();
});
