// acceptance.test.mjs — the operational acceptance screen, driven in
// chromium: a checklist made through the API is in the list; its page
// shows each criterion met or missing; a manager's go is refused naming the
// criterion that lacks evidence, then recorded once a note is there; an
// agent reads but has no go/no-go; a requester gets no way in.
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

test('acceptance: the list, a checklist\'s criteria, go refused then recorded; requesters kept out', async () => {
  const svc = unique('acc-svc').toLowerCase().replace(/[^a-z0-9-]/g, '-');
  ok(await manager.post('/api/v1/services', { key: svc, name: 'Acceptance service' }));
  let a = ok(await manager.post('/api/v1/acceptances', { title: unique('New portal'), service: svc,
    criteria: ['capacity', 'security'] }));
  a = ok(await manager.post(`/api/v1/acceptances/${a.key}/plan`, { version: a.version, rollback: 'switch back',
    steps: [{ title: 'Switch', owner: 'agent1', at: '2030-01-01T09:00:00Z' }] }), 200);

  const ag = await signIn(browser, base, 'agent1');
  await ag.page.goto(`${base}/acceptance`);
  await ag.page.locator(`[data-testid=acceptances] tr[data-key="${a.key}"]`).waitFor();
  await ag.page.click(`[data-testid=acceptances] tr[data-key="${a.key}"] a`);
  await ag.page.locator('[data-testid=criteria] tr[data-criterion="capacity"]').waitFor();
  assert.equal(await ag.page.locator('tr[data-criterion="capacity"]').getAttribute('data-met'), 'false');
  assert.equal(await ag.page.locator('[data-decide]').count(), 0, 'an agent does not decide');
  assert.deepEqual(await axe(ag.page), []);
  assert.deepEqual(ag.page.errors, []);
  await ag.context.close();

  const { context, page } = await signIn(browser, base, 'manager1');
  await page.goto(`${base}/acceptance/${a.key}`);
  await page.locator('[data-decide="go"]').waitFor();
  await page.click('[data-decide="go"]');
  await page.waitForFunction(() => document.querySelector('[data-testid=error]').dataset.field === 'criteria.capacity');
  assert.equal(await page.locator('[data-testid=error]').getAttribute('data-code'), 'invalid_transition');

  ok(await manager.post(`/api/v1/acceptances/${a.key}/evidence`, { version: a.version, criterion: 'capacity',
    note: 'sized for 200 users' }), 200);
  await page.reload();
  await page.locator('tr[data-criterion="capacity"][data-met="true"]').waitFor();
  assert.equal(await page.locator('[data-testid=ready]').textContent(), 'yes');
  await page.click('[data-decide="go"]');
  await page.locator('[data-testid=decisions] [data-status="go"]').waitFor();
  assert.equal(await page.locator('[data-decide]').count(), 0, 'a go is final');
  assert.deepEqual(await axe(page), []);
  assert.deepEqual(page.errors, []);
  await shot(page, 'acceptance');
  await context.close();

  const r = await signIn(browser, base, 'alice');
  const nav = await r.page.locator('#nav a').allTextContents();
  assert.ok(nav.length > 0 && !nav.includes('Acceptance'), `Acceptance not in ${nav}`);
  await r.context.close();
});
