// conditions.test.mjs — the console's condition reports (docs/operation.md,
// "Condition reports"), driven in chromium: a shift's draft stored with the
// operator's remarks from the screen, the remarks changed while a draft, a
// manager signing it (an agent is offered no signature), the signer offered
// no acknowledgement, someone else acknowledging it; the text stays text.
// A file of its own: each browser context holds connections (the live
// stream) for a while after it closes, and the console's other files are
// near the server's per-address cap.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serverUrl, launch, signIn, shot, axe, apiSession } from './lib.mjs';

let base;
let browser;
let agent;

before(async () => {
  base = await serverUrl();
  browser = await launch();
  agent = await apiSession(base, 'agent1');
});

after(async () => {
  await browser?.close();
});

test('condition reports: a draft stored with remarks, signed by a manager, acknowledged by the next shift', async () => {
  // A day of its own (far ahead, one per run), so the store's other tests
  // cannot have a report of it.
  const date = new Date(Date.UTC(2040, 0, 1) + Math.floor(Math.random() * 20000) * 86400e3).toISOString().slice(0, 10);
  const a = await signIn(browser, base, 'agent1');
  await a.page.goto(`${base}/operation/conditions?date=${date}&shift=night`);
  await a.page.locator('[data-testid=figures] tr[data-figure=missed]').waitFor();
  assert.equal(await a.page.locator('#cond-shift').inputValue(), 'night');
  await a.page.fill('#cond-remarks', 'Quiet night <b>not bold</b>');
  await a.page.click('[data-testid=store-form] button[type=submit]');
  await a.page.waitForURL(/\/operation\/conditions\/COND-\d+$/);
  const key = a.page.url().split('/').pop();
  let r = (await agent.get(`/api/v1/condition-reports/${key}`)).json;
  assert.deepEqual([r.date, r.shift, r.state, r.remarks], [date, 'night', 'draft', 'Quiet night <b>not bold</b>']);
  // The remarks change while a draft; an agent cannot sign.
  await a.page.fill('#cond-remarks', 'Quiet night, tape drive slow');
  await a.page.click('[data-testid=remarks-form] button[type=submit]');
  await a.page.waitForFunction(async (k) => (await (await fetch(`/api/v1/condition-reports/${k}`)).json()).version === 2, key);
  assert.equal(await a.page.locator('button[data-action=sign]').count(), 0);
  await a.context.close();

  const m = await signIn(browser, base, 'manager1');
  await m.page.goto(`${base}/operation/conditions/${key}`);
  await m.page.click('button[data-action=sign]');
  await m.page.locator('h1 [data-status=signed]').waitFor();
  // The signer does not acknowledge.
  assert.equal(await m.page.locator('button[data-action=ack]').count(), 0);
  await m.context.close();

  const b = await signIn(browser, base, 'agent2');
  await b.page.goto(`${base}/operation/conditions/${key}`);
  await b.page.click('button[data-action=ack]');
  await b.page.locator('h1 [data-status=acknowledged]').waitFor();
  assert.equal(await b.page.locator('[data-testid=remarks]').textContent(), 'Quiet night, tape drive slow');
  r = (await agent.get(`/api/v1/condition-reports/${key}`)).json;
  assert.deepEqual([r.state, r.signed_by, r.acknowledged_by, r.frozen], ['acknowledged', 'manager1', 'agent2', true]);
  assert.equal(await b.page.locator('[data-testid=print]').getAttribute('href'), `/api/v1/condition-reports/${key}?format=html`);
  await b.page.goto(`${base}/operation/conditions?date=${date}`);
  await b.page.locator(`[data-testid=stored] tr[data-key="${key}"] [data-status=acknowledged]`).waitFor();
  assert.deepEqual(await axe(b.page), []);
  await shot(b.page, 'conditions');
  assert.deepEqual(b.page.errors, []);
  await b.context.close();
});
