// time.test.mjs — time spent on the ticket page and the month's cost on the
// dashboard, driven in chromium: an agent records minutes with a note and
// sees the entry and the sum the API lists; a requester's view of the same
// ticket has no time at all; a manager's dashboard shows the month's cost
// per customer and service as GET /api/v1/reports/cost sums it
// (docs/cost.md).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serverUrl, launch, signIn, shot, axe, apiSession, unique } from './lib.mjs';

let base;
let browser;
let alice;
let agent;
let manager;

before(async () => {
  base = await serverUrl();
  browser = await launch();
  alice = await apiSession(base, 'alice');
  agent = await apiSession(base, 'agent1');
  manager = await apiSession(base, 'manager1');
});

after(async () => {
  await browser?.close();
});

const ok = (r, status = 201) => { assert.equal(r.status, status, r.text); return r.json; };

test('time: an agent records minutes on a ticket; a requester sees none; the manager sees the cost', async () => {
  const tk = ok(await alice.post('/api/v1/tickets', { kind: 'incident', title: unique('Mail is slow') }));
  ok(await agent.post(`/api/v1/tickets/${tk.key}/time`, { minutes: 15, note: 'looked at the queue' }));

  const { context, page } = await signIn(browser, base, 'agent1');
  await page.goto(`${base}/tickets/${tk.key}`);
  await page.locator('[data-testid=time] tr[data-time]').waitFor();
  await page.fill('#time-minutes', '25');
  await page.fill('#time-note', '<b>not bold</b>');
  await page.click('button[data-action=record-time]');
  await page.locator('[data-testid=time] tr[data-time]').nth(1).waitFor();
  const list = ok(await agent.get(`/api/v1/tickets/${tk.key}/time`), 200);
  assert.equal(list.items.length, 2);
  assert.equal(list.minutes, 40); // 15 + 25
  const rows = page.locator('[data-testid=time] tbody tr');
  assert.equal(await rows.count(), 2);
  assert.equal((await rows.nth(1).locator('td').nth(2).textContent()).trim(), '25');
  assert.equal((await rows.nth(1).locator('td').nth(4).textContent()).trim(), '<b>not bold</b>', 'text is text');
  assert.equal((await page.locator('[data-testid=time] tfoot td').first().textContent()).trim(), '40');
  assert.deepEqual(await axe(page), []);
  await shot(page, 'ticket-time');
  assert.deepEqual(page.errors, []);
  await context.close();

  const a = await signIn(browser, base, 'alice');
  await a.page.goto(`${base}/tickets/${tk.key}`);
  await a.page.locator('#timeline').waitFor();
  assert.equal(await a.page.locator('[data-testid=time]').count(), 0);
  assert.deepEqual(a.page.errors, []);
  await a.context.close();

  const month = new Date().toISOString().slice(0, 7);
  const report = ok(await manager.get(`/api/v1/reports/cost?month=${month}`), 200);
  const m = await signIn(browser, base, 'manager1');
  await m.page.goto(`${base}/dashboard`);
  await m.page.locator('[data-testid=costs] tbody tr').first().waitFor();
  assert.equal(await m.page.locator('[data-testid=costs] tbody tr').count(), report.services.length);
  assert.equal((await m.page.locator('[data-testid=costs] tfoot td').first().textContent()).trim(), String(report.minutes));
  assert.deepEqual(await axe(m.page), []);
  await shot(m.page, 'dashboard-costs');
  assert.deepEqual(m.page.errors, []);
  await m.context.close();
});
