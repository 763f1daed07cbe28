// flow.test.mjs — one incident from report to rating, across three people
// in three browsers: a requester files it, an agent sees it arrive in the
// queue without reloading, takes it, writes an internal note and a public
// reply, resolves it; the requester sees only the public reply, confirms
// and rates; the manager's dashboard counts it. Screenshots of each main
// screen go to test-output/screenshots/, and axe-core checks each one.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serverUrl, launch, signIn, shot, axe, unique } from './lib.mjs';

let base;
let browser;
const axeFindings = [];

async function checkA11y(page, name) {
  const v = await axe(page);
  if (v.length) axeFindings.push({ screen: name, violations: v });
}

before(async () => {
  base = await serverUrl();
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

test('an incident from report to rating, live across three browsers', async () => {
  const title = unique('Label printer in dispatch prints blank pages');
  const internal = unique('Internal: driver 4.2 is known bad, rolling back');
  const reply = unique('We rolled the printer driver back; please try again.');

  // The manager's dashboard before: how many resolved this month.
  const mgr = await signIn(browser, base, 'manager1');
  await mgr.page.waitForSelector('#tile-resolved');
  const resolvedBefore = Number(await mgr.page.textContent('#tile-resolved .tile-value'));
  const ratingsBefore = Number(await mgr.page.getAttribute('#tile-satisfaction', 'data-count'));

  // The agent watches the unassigned queue.
  const agent = await signIn(browser, base, 'agent1');
  assert.match(agent.page.url(), /\/queue$/);
  await agent.page.waitForSelector('#queue[aria-busy=false]');
  await agent.page.evaluate(() => { window.__notReloaded = true; });
  await shot(agent.page, 'agent-queue-before');

  // The requester files an incident.
  const req = await signIn(browser, base, 'alice');
  assert.match(req.page.url(), /\/portal$/);
  await shot(req.page, 'requester-portal');
  await checkA11y(req.page, 'requester portal');
  await req.page.click('a[href="/tickets/new"].primary');
  await req.page.waitForSelector('form.form #title');
  await req.page.check('#kind-incident');
  await req.page.fill('#title', title);
  await req.page.fill('#description', 'Since this morning every label comes out blank.');
  await req.page.selectOption('#impact', '2');
  await req.page.selectOption('#urgency', '1');
  await shot(req.page, 'requester-new-ticket');
  await checkA11y(req.page, 'new ticket form');
  await req.page.click('form.form button[type=submit]');
  await req.page.waitForURL(/\/tickets\/INC-\d+$/);
  const key = req.page.url().split('/').pop();
  await req.page.waitForSelector('.ticket h1');
  assert.equal(await req.page.textContent('.ticket [data-title]'), title);
  // The requester adds a detail; there is no internal-note button for them.
  const detail = unique('It is the Zebra printer by the loading dock.');
  assert.equal(await req.page.locator('[data-action=note]').count(), 0);
  await req.page.fill('#comment', detail);
  await req.page.click('[data-action=reply]');
  await req.page.waitForFunction((text) => [...document.querySelectorAll('.tl-body')].some((e) => e.textContent === text), detail);

  // The agent's queue shows it without a reload.
  const row = agent.page.locator(`#queue tr[data-key="${key}"]`);
  await row.waitFor({ timeout: 15000 });
  assert.equal(await agent.page.evaluate(() => window.__notReloaded), true, 'the queue page was not reloaded');
  assert.match(await row.textContent(), /P2/);
  await shot(agent.page, 'agent-queue');
  await checkA11y(agent.page, 'agent queue');

  // Keyboard: '/' focuses the search, j moves to a row, Enter opens it.
  await agent.page.keyboard.press('/');
  assert.equal(await agent.page.evaluate(() => document.activeElement.id), 'search');
  await agent.page.keyboard.press('Escape');
  await agent.page.locator('#queue tr[data-row]').first().focus();
  let guard = 0;
  while (await agent.page.evaluate(() => document.activeElement.dataset.key) !== key && guard++ < 60) {
    await agent.page.keyboard.press('j');
  }
  await agent.page.keyboard.press('Enter');
  await agent.page.waitForURL(new RegExp(`/tickets/${key}$`));
  await agent.page.waitForSelector('[data-action=take]');
  assert.ok((await agent.page.textContent('#timeline')).includes(detail), 'the agent sees the requester\'s reply');

  // Take it, note internally, reply publicly, work, resolve.
  await agent.page.click('[data-action=take]');
  await agent.page.waitForFunction(() => document.querySelector('#assignee')?.textContent === 'agent1');
  await agent.page.fill('#comment', internal);
  await agent.page.click('[data-action=note]');
  await agent.page.waitForSelector('.tl-internal');
  assert.match(await agent.page.textContent('.tl-internal'), /Internal note/);
  await agent.page.fill('#comment', reply);
  await agent.page.click('[data-action=reply]');
  await agent.page.waitForFunction((text) => [...document.querySelectorAll('.tl-comment:not(.tl-internal) .tl-body')].some((e) => e.textContent === text), reply);
  // Only the moves the lifecycle allows from 'assigned' are offered.
  const offered = await agent.page.$$eval('.moves [data-move]', (bs) => bs.map((b) => b.dataset.move).sort());
  assert.deepEqual(offered, ['cancelled', 'in_progress', 'new', 'pending']);
  await agent.page.click('[data-move=in_progress]');
  await agent.page.waitForSelector('[data-move=resolved]');
  await shot(agent.page, 'agent-ticket');
  await checkA11y(agent.page, 'agent ticket view');
  await agent.page.click('[data-move=resolved]');
  await agent.page.waitForSelector('.ticket .status-resolved');

  // The requester's open ticket view follows: resolved, public reply only.
  await req.page.waitForSelector('[data-move=closed]', { timeout: 15000 });
  const conversation = await req.page.textContent('main');
  assert.ok(conversation.includes(reply), 'the public reply is shown to the requester');
  assert.ok(!conversation.includes(internal), 'the internal note is not shown to the requester');
  assert.equal(await req.page.locator('.tl-internal').count(), 0);
  await shot(req.page, 'requester-ticket-resolved');
  await checkA11y(req.page, 'requester ticket view');

  // Confirm and rate.
  await req.page.click('[data-move=closed]');
  await req.page.waitForSelector('.ticket .status-closed');
  await req.page.waitForSelector('#rating-form');
  await req.page.check('#score-5');
  await req.page.fill('#rating-comment', 'Fast and friendly, thank you.');
  await req.page.click('#rating-form button[type=submit]');
  await req.page.waitForSelector('.rating-view[data-rating="5"]');
  assert.match(await req.page.textContent('.ticket .meta'), /Closed/);
  await shot(req.page, 'requester-ticket-rated');

  // The manager's dashboard counts it.
  await mgr.page.reload();
  await mgr.page.waitForSelector('#tile-resolved');
  await mgr.page.waitForFunction((n) => Number(document.querySelector('#tile-resolved .tile-value')?.textContent) === n, resolvedBefore + 1);
  assert.equal(Number(await mgr.page.getAttribute('#tile-satisfaction', 'data-count')), ratingsBefore + 1);
  assert.match(await mgr.page.textContent('#tile-satisfaction .tile-value'), /^\d\.\d \/ 5$/);
  assert.equal(await mgr.page.locator('#by-priority svg[role=img]').count(), 1);
  await shot(mgr.page, 'manager-dashboard');
  await checkA11y(mgr.page, 'manager dashboard');

  // The agent sees the rating on the ticket.
  await agent.page.reload();
  await agent.page.waitForSelector('.rating-view[data-rating="5"]');

  for (const p of [mgr.page, agent.page, req.page]) assert.deepEqual(p.errors, []);
  await Promise.all([mgr.context.close(), agent.context.close(), req.context.close()]);
});

test('sign-in screen, phone layout and Japanese', async () => {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await ctx.newPage();
  await page.goto(`${base}/queue`);
  await page.waitForURL(/\/signin\?next=/);
  await page.waitForSelector('form.signin');
  await shot(page, 'signin');
  await checkA11y(page, 'sign-in');
  await ctx.close();

  const phone = await signIn(browser, base, 'alice', { viewport: { width: 390, height: 844 } });
  await phone.page.waitForSelector('#list[aria-busy=false]');
  await shot(phone.page, 'phone-requester-portal');
  const agent = await signIn(browser, base, 'agent1', { viewport: { width: 390, height: 844 } });
  await agent.page.goto(`${base}/queue?view=open`);
  await agent.page.waitForSelector('#queue[aria-busy=false]');
  await shot(agent.page, 'phone-agent-queue');
  const width = await agent.page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 400, `the phone layout does not scroll sideways (${width}px)`);

  const ja = await signIn(browser, base, 'manager1', { lang: 'ja' });
  await ja.page.waitForSelector('#tile-open');
  assert.match(await ja.page.textContent('#nav'), /キュー/);
  assert.equal(await ja.page.getAttribute('html', 'lang'), 'ja');
  await shot(ja.page, 'manager-dashboard-ja');
  await checkA11y(ja.page, 'dashboard (Japanese)');
  // Switching back to English.
  await ja.page.selectOption('#lang', 'en');
  await ja.page.waitForFunction(() => document.querySelector('#nav').textContent.includes('Queue'));

  // A ticket on the phone, then signing out: the session is gone.
  await phone.page.locator('#list a.key').first().click();
  await phone.page.waitForSelector('.ticket h1');
  await shot(phone.page, 'phone-requester-ticket');
  await phone.page.click('#signout');
  await phone.page.waitForURL(/\/signin$/);
  const after = await phone.page.evaluate(async () => (await fetch('/api/v1/session')).status);
  assert.equal(after, 401);
  await phone.page.goto(`${base}/portal`);
  await phone.page.waitForURL(/\/signin\?next=%2Fportal$/);
  await Promise.all([phone.context.close(), agent.context.close(), ja.context.close()]);
});

test('no serious or critical accessibility violations on the main screens', () => {
  assert.deepEqual(axeFindings, [], JSON.stringify(axeFindings, null, 2));
});
