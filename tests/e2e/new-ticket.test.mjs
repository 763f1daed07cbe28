// new-ticket.test.mjs — staff file a ticket for a caller: the agent picks
// the customer, searches that customer's requesters by name or e-mail, picks
// one and the channel (walk-in), and the ticket is the requester's, by that
// channel, for that customer. A requester of another customer is not
// offered; a requester's own form has no picker. Japanese strings shown.
// A caller nobody knows is added as a new contact in the ticket's request.
// And the notification settings screen (/notifications) of the signed-in
// user: an event off, the language, a stale save told.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serverUrl, launch, signIn, shot, axe, apiSession, unique } from './lib.mjs';

let base;
let browser;

before(async () => {
  base = await serverUrl();
  browser = await launch();
  // bob (acme) gets a name and an address to be searched by
  const admin = await apiSession(base, 'admin');
  const bob = await admin.get('/api/v1/users/bob');
  const r = await admin.patch('/api/v1/users/bob', { version: bob.json.version, name: 'Robert Tables', email: 'rtables@acme.example' });
  assert.equal(r.status, 200, r.text);
});

after(async () => {
  await browser?.close();
});

test('an agent files a walk-in ticket for a requester found by e-mail', async () => {
  const title = unique('Badge reader at the front door rejects cards');
  const { page } = await signIn(browser, base, 'agent1');
  await page.goto(`${base}/tickets/new`);
  await page.waitForSelector('form.form #requester-search');
  await page.selectOption('#customer', 'acme');
  // dave is globex's: searching his name under acme finds nobody
  await page.fill('#requester-search', 'dave');
  await page.waitForSelector('#requester-results li.muted');
  assert.equal(await page.locator('#requester-results button[data-user]').count(), 0);
  assert.equal(await page.locator('#requester-results #requester-new').count(), 1, 'a new caller offered');
  // part of bob's address finds him, by his name
  await page.fill('#requester-search', 'RTABLES@');
  await page.waitForSelector('#requester-results button[data-user="bob"]');
  assert.match(await page.textContent('#requester-results button[data-user="bob"]'), /Robert Tables \(bob, rtables@acme\.example\)/);
  await page.click('#requester-results button[data-user="bob"]');
  assert.match(await page.textContent('#requester-chosen'), /Requester: Robert Tables/);
  assert.equal(await page.isHidden('#requester-search'), true);
  await page.selectOption('#channel', 'walk_in');
  await page.fill('#title', title);
  await page.fill('#description', 'Came to the desk in person.');
  await shot(page, 'agent-new-ticket-for-caller');
  const v = await axe(page);
  assert.deepEqual(v, [], 'no serious accessibility findings');
  await page.click('form.form button[type=submit]');
  await page.waitForURL(/\/tickets\/INC-\d+$/);
  const key = page.url().split('/').pop();
  const agent = await apiSession(base, 'agent1');
  const t = (await agent.get(`/api/v1/tickets/${key}`)).json;
  assert.equal(t.title, title);
  assert.equal(t.requester, 'bob');
  assert.equal(t.channel, 'walk_in');
  assert.equal(t.customer, 'acme');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('picking a requester sets the customer; changing the customer drops them; none: filed by the agent', async () => {
  const { page } = await signIn(browser, base, 'agent1');
  await page.goto(`${base}/tickets/new`);
  await page.waitForSelector('form.form #requester-search');
  // no customer chosen: every customer's requesters are offered
  await page.fill('#requester-search', 'dave');
  await page.click('#requester-results button[data-user="dave"]');
  assert.equal(await page.inputValue('#customer'), 'globex');
  await page.selectOption('#customer', 'acme');
  assert.equal(await page.isVisible('#requester-search'), true, 'the picker is back');
  assert.equal(await page.isHidden('#requester-chosen'), true);
  // no requester: the channel defaults to phone, the ticket is the agent's own filing
  const title = unique('Phone call without a known caller');
  await page.fill('#title', title);
  assert.equal(await page.inputValue('#channel'), 'phone');
  await page.click('form.form button[type=submit]');
  await page.waitForURL(/\/tickets\/INC-\d+$/);
  const agent = await apiSession(base, 'agent1');
  const t = (await agent.get(`/api/v1/tickets/${page.url().split('/').pop()}`)).json;
  assert.equal(t.channel, 'phone');
  assert.equal(t.customer, 'acme');
  assert.notEqual(t.requester, 'dave');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a caller nobody knows is added as a new contact with the ticket', async () => {
  const agent = await apiSession(base, 'agent1');
  const usersBefore = (await agent.get('/api/v1/users')).json.items.length;
  const { page } = await signIn(browser, base, 'agent1');
  await page.goto(`${base}/tickets/new`);
  await page.waitForSelector('form.form #requester-search');
  // nobody by that name: the search offers to add a new caller, named as typed
  await page.fill('#requester-search', 'Erin Walker');
  await page.waitForSelector('#requester-results li.muted');
  await page.click('#requester-new');
  assert.equal(await page.isVisible('#new-caller'), true);
  assert.equal(await page.isHidden('#requester-search'), true);
  assert.equal(await page.inputValue('#caller-name'), 'Erin Walker');
  assert.equal(await page.inputValue('#caller-email'), '');
  // "search again" goes back; an address typed fills the e-mail instead
  await page.click('#caller-cancel');
  assert.equal(await page.isHidden('#new-caller'), true);
  await page.fill('#requester-search', 'erin.walker@');
  await page.click('#requester-new');
  assert.equal(await page.inputValue('#caller-email'), 'erin.walker@');
  assert.equal(await page.inputValue('#caller-name'), '');
  await page.fill('#caller-name', 'Erin Walker');
  const title = unique('Laptop will not boot');
  await page.fill('#title', title);
  // no customer chosen: told before anything is sent
  await page.click('form.form button[type=submit]');
  await page.waitForFunction(() => /customer/.test(document.querySelector('form.form .form-error').textContent));
  assert.equal(await page.evaluate(() => document.activeElement.id), 'customer');
  await page.selectOption('#customer', 'acme');
  assert.equal(await page.isVisible('#new-caller'), true, 'the new caller stays');
  // bob's address is taken: the server's refusal is shown, on the e-mail field
  await page.fill('#caller-email', 'RTables@acme.example');
  await page.click('form.form button[type=submit]');
  await page.waitForFunction(() => /bob/.test(document.querySelector('form.form .form-error').textContent));
  assert.equal(await page.evaluate(() => document.activeElement.id), 'caller-email');
  assert.equal((await agent.get('/api/v1/users')).json.items.length, usersBefore, 'no user added');
  await page.fill('#caller-email', 'Erin.Walker@acme.example');
  await page.fill('#caller-phone', '+1 (555) 0100');
  await page.selectOption('#channel', 'phone');
  await shot(page, 'agent-new-ticket-new-caller');
  assert.deepEqual(await axe(page), [], 'no serious accessibility findings');
  await page.click('form.form button[type=submit]');
  await page.waitForURL(/\/tickets\/INC-\d+$/);
  const t = (await agent.get(`/api/v1/tickets/${page.url().split('/').pop()}`)).json;
  assert.equal(t.title, title);
  assert.deepEqual([t.requester, t.customer, t.channel], ['erin.walker@acme.example', 'acme', 'phone']);
  const u = (await agent.get('/api/v1/users/erin.walker@acme.example')).json;
  assert.deepEqual([u.role, u.customer, u.name, u.email, u.phone],
    ['requester', 'acme', 'Erin Walker', 'Erin.Walker@acme.example', '+1 (555) 0100']);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a requester has no picker; Japanese labels for staff', async () => {
  const req = await signIn(browser, base, 'alice');
  await req.page.goto(`${base}/tickets/new`);
  await req.page.waitForSelector('form.form #title');
  assert.equal(await req.page.locator('#requester-search').count(), 0);
  assert.equal(await req.page.locator('#channel').count(), 0);
  await req.context.close();
  const ja = await signIn(browser, base, 'agent2', { lang: 'ja' });
  await ja.page.goto(`${base}/tickets/new`);
  await ja.page.waitForSelector('form.form #requester-search');
  assert.equal(await ja.page.textContent('label[for="requester-search"]'), '依頼者（連絡してきた人）');
  assert.equal(await ja.page.textContent('label[for="channel"]'), '受付経路');
  assert.equal(await ja.page.textContent('#channel option[value="walk_in"]'), '来訪');
  await ja.context.close();
});

test('notification settings: a requester switches an event off and picks Japanese; a stale save is told', async () => {
  const { page, context } = await signIn(browser, base, 'alice');
  await page.click('#nav a[href="/notifications"]');
  await page.waitForSelector('#notif-form');
  assert.equal(await page.inputValue('#notif-lang'), 'en');
  assert.equal(await page.isChecked('#notif-status'), true, 'every event on at first');
  await page.uncheck('#notif-status');
  await page.selectOption('#notif-lang', 'ja');
  await shot(page, 'notification-settings');
  assert.deepEqual(await axe(page), [], 'no serious accessibility findings');
  await page.click('#notif-form button[type=submit]');
  const me = await apiSession(base, 'alice');
  let s;
  for (let i = 0; i < 50; i++) {
    s = (await me.get('/api/v1/users/alice/notifications')).json;
    if (s.version > 1) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(s.lang, 'ja');
  assert.deepEqual(s.off, ['status']);
  // someone else (the API) saves meanwhile: the form's save is stale (409)
  await page.waitForFunction(() => !document.querySelector('#notif-form button[type=submit]').disabled);
  const r = await me.patch('/api/v1/users/alice/notifications', { version: s.version, off: [] });
  assert.equal(r.status, 200, r.text);
  await page.check('#notif-comment');
  await page.uncheck('#notif-resolve');
  await page.click('#notif-form button[type=submit]');
  await page.waitForFunction(() => /elsewhere/.test(document.querySelector('#notif-form .form-error').textContent));
  assert.equal(await page.isChecked('#notif-status'), true, 'shown as they are now');
  assert.equal((await me.get('/api/v1/users/alice/notifications')).json.off.length, 0, 'the stale save changed nothing');
  assert.deepEqual(page.errors, []);
  await context.close();
});
