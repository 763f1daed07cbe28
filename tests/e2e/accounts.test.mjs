// accounts.test.mjs — the admin's users screen (change a role, disable and
// enable a user: their session stops at once) and "my tokens" (revoke one:
// the next request with it is refused), each checked by axe-core.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serverUrl, launch, signIn, shot, axe, apiSession, PASSWORD } from './lib.mjs';

let base;
let browser;
let admin;

before(async () => {
  base = await serverUrl();
  browser = await launch();
  admin = await apiSession(base, 'admin');
});

after(async () => {
  await browser?.close();
});

test('an admin changes a role, disables and enables a user from the users screen', async () => {
  const name = `e2e-${Date.now().toString(36)}`;
  assert.equal((await admin.post('/api/v1/users', { username: name, role: 'agent', password: PASSWORD })).status, 201);
  const theirs = await apiSession(base, name);
  assert.equal((await theirs.get('/api/v1/me')).status, 200);

  const { context, page } = await signIn(browser, base, 'admin');
  await page.goto(`${base}/users`);
  await page.waitForSelector(`tr[data-user="${name}"]`);
  await page.selectOption(`select[data-role="${name}"]`, 'operator');
  await page.waitForFunction((n) => document.querySelector(`select[data-role="${n}"]`)?.value === 'operator'
    && document.getElementById('toast')?.textContent.includes('operator'), name);
  assert.equal((await admin.get(`/api/v1/users/${name}`)).json.role, 'operator');

  await page.click(`button[data-toggle="${name}"]`);
  await page.waitForFunction((n) => document.querySelector(`td[data-state="${n}"]`)?.textContent === 'disabled', name);
  assert.equal((await admin.get(`/api/v1/users/${name}`)).json.active, false);
  assert.equal((await theirs.get('/api/v1/me')).status, 401, 'a disabled user\'s session stops at once');
  await shot(page, 'admin-users');
  const v = await axe(page);
  assert.deepEqual(v, [], JSON.stringify(v));

  await page.click(`button[data-toggle="${name}"]`);
  await page.waitForFunction((n) => document.querySelector(`td[data-state="${n}"]`)?.textContent === 'active', name);
  // The last active admin stays: the server refuses, the screen says so.
  await page.click('button[data-toggle="admin"]');
  await page.waitForFunction(() => /last active admin/.test(document.getElementById('toast')?.textContent || ''));
  assert.equal((await admin.get('/api/v1/users/admin')).json.active, true);
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('a user revokes one of their tokens from "my tokens"', async () => {
  const agent = await apiSession(base, 'agent2');
  const made = (await agent.post('/api/v1/tokens', { name: `laptop-${Date.now().toString(36)}`, expires_in: '30d' })).json;
  const bearer = () => fetch(`${base}/api/v1/me`, { headers: { authorization: `Bearer ${made.token}` } });
  assert.equal((await bearer()).status, 200);

  const { context, page } = await signIn(browser, base, 'agent2');
  await page.goto(`${base}/tokens`);
  await page.waitForSelector(`tr[data-token="${made.id}"]`);
  assert.ok(!(await page.textContent('main')).includes(made.token.slice(5)), 'the token\'s text is never shown');
  await page.click(`button[data-revoke="${made.id}"]`);
  await page.waitForFunction((id) => !document.querySelector(`button[data-revoke="${id}"]`)
    && document.querySelector(`tr[data-token="${id}"]`)?.textContent.includes('revoked'), made.id);
  assert.equal((await bearer()).status, 401);
  await shot(page, 'my-tokens');
  const v = await axe(page);
  assert.deepEqual(v, [], JSON.stringify(v));
  assert.deepEqual(page.errors, []);
  await context.close();
});
