// modules2.test.mjs — the console's screens for problems, changes and
// operation, and the ticket's known errors and e-mail thread, driven in
// chromium: records made through the API are seen on the screens, one move
// each is made by clicking (a problem to investigating, a change submitted
// and approved by its approver, a run's steps recorded by one agent and
// confirmed by another), a stale version redraws, a refused schedule lists
// its conflicts with reason and path, and a requester sees none of it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serverUrl, launch, signIn, shot, axe, apiSession, unique } from './lib.mjs';

let base;
let browser;
let admin; let manager; let agent; let alice;

before(async () => {
  base = await serverUrl();
  browser = await launch();
  [admin, manager, agent, alice] = await Promise.all(['admin', 'manager1', 'agent1', 'alice'].map((u) => apiSession(base, u)));
});

after(async () => {
  await browser?.close();
});

const id = () => `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
const ok = (r, status = 201) => { assert.equal(r.status, status, r.text); return r.json; };

test('problems: the list, a move to investigating, a stale version redrawn, the workaround on the ticket', async () => {
  const inc = ok(await alice.post('/api/v1/tickets', { kind: 'incident', title: unique('VPN drops every hour') }));
  const p = ok(await agent.post('/api/v1/problems', { title: unique('VPN concentrator drops sessions'), description: '<b>not bold</b>' }));
  ok(await agent.post(`/api/v1/problems/${p.key}/incidents`, { ticket: inc.key }), 200);

  const { context, page } = await signIn(browser, base, 'agent1');
  await page.goto(`${base}/problems?status=new`);
  await page.locator(`[data-testid=problems] tr[data-key="${p.key}"]`).waitFor();
  assert.equal(await page.locator('#prb-status').inputValue(), 'new');
  await page.click(`[data-testid=problems] tr[data-key="${p.key}"] a`);
  await page.locator(`[data-testid=incidents] tr[data-key="${inc.key}"]`).waitFor();
  assert.equal(await page.locator('.description').first().textContent(), '<b>not bold</b>', 'text is text');
  // Only the moves the lifecycle allows from new.
  assert.deepEqual(await page.locator('button[data-move]').evaluateAll((b) => b.map((x) => x.dataset.move)), ['investigating', 'cancelled']);
  await page.click('button[data-move=investigating]');
  await page.locator('h1 [data-status=investigating]').waitFor();
  assert.equal((await agent.get(`/api/v1/problems/${p.key}`)).json.status, 'investigating');

  // Someone else writes the workaround meanwhile: this page's version is
  // stale, the move is refused, the page redraws with their workaround.
  ok(await agent.patch(`/api/v1/problems/${p.key}`, { version: 2, workaround: 'Reconnect with the backup profile' }), 200);
  await page.click('button[data-move=known_error]');
  await page.waitForFunction(() => document.querySelector('[data-testid=error]').textContent.includes('changed this meanwhile'));
  assert.equal(await page.inputValue('#prb-workaround'), 'Reconnect with the backup profile');
  assert.equal((await agent.get(`/api/v1/problems/${p.key}`)).json.status, 'investigating', 'nothing moved');
  // Clearing the workaround and moving to known error: 400 naming the field.
  await page.fill('#prb-workaround', '');
  await page.click('button[data-move=known_error]');
  await page.waitForFunction(() => document.querySelector('[data-testid=error]').dataset.field === 'workaround');
  await page.fill('#prb-workaround', 'Reconnect with the backup profile');
  await page.click('button[data-move=known_error]');
  await page.locator('h1 [data-status=known_error]').waitFor();
  assert.deepEqual(await axe(page), []);
  await shot(page, 'problem');

  // The requester sees the workaround on her incident.
  const r = await signIn(browser, base, 'alice');
  await r.page.goto(`${base}/tickets/${inc.key}`);
  const ke = r.page.locator(`[data-testid=known-errors] [data-problem="${p.key}"]`);
  await ke.waitFor();
  assert.match(await ke.textContent(), /Reconnect with the backup profile/);
  assert.equal(await ke.locator('a').count(), 0, 'no link to a staff screen');
  assert.deepEqual(r.page.errors, []);
  await r.context.close();

  // A second incident linked from the page, a request refused (400 on
  // ticket), then the problem resolved with its incidents.
  const inc2 = ok(await alice.post('/api/v1/tickets', { kind: 'incident', title: unique('VPN refuses logins') }));
  const req = ok(await alice.post('/api/v1/tickets', { kind: 'request', title: unique('A new VPN account') }));
  await page.fill('#prb-link', req.key);
  await page.click('[data-testid=link-form] button[type=submit]');
  await page.waitForFunction(() => document.querySelector('[data-testid=error]').dataset.field === 'ticket');
  await page.fill('#prb-link', inc2.key);
  await page.click('[data-testid=link-form] button[type=submit]');
  await page.locator(`[data-testid=incidents] tr[data-key="${inc2.key}"]`).waitFor();
  await page.check('#prb-resolve-incidents');
  await page.click('button[data-move=resolved]');
  await page.locator('h1 [data-status=resolved]').waitFor();
  for (const k of [inc.key, inc2.key]) assert.equal((await agent.get(`/api/v1/tickets/${k}`)).json.status, 'resolved', k);
  assert.equal(await page.locator('[data-testid=incidents] .status-resolved').count(), 2);
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('problems: a recurring-incident proposal confirmed from the list', async () => {
  const ci = `vpn-${id()}`;
  ok(await admin.post('/api/v1/cis', { key: ci, name: 'VPN gateway', type: 'server' }));
  const keys = [];
  for (const title of ['VPN slow', 'Cannot reach intranet', 'VPN timeouts']) {
    const tk = ok(await alice.post('/api/v1/tickets', { kind: 'incident', title: unique(title) }));
    ok(await admin.post(`/api/v1/cis/${ci}/tickets`, { ticket: tk.key }));
    keys.push(tk.key);
  }
  const { context, page } = await signIn(browser, base, 'agent1');
  await page.goto(`${base}/problems`);
  const prop = page.locator(`[data-testid=proposals] li[data-basis="item:${ci}"]`);
  await prop.waitFor();
  await prop.locator('button[data-action=confirm]').click();
  await page.waitForURL(/\/problems\/PRB-\d+$/);
  await page.locator(`[data-testid=incidents] tr[data-key="${keys[2]}"]`).waitFor();
  assert.deepEqual(await page.locator('[data-testid=incidents] tr[data-key]').evaluateAll((r) => r.map((x) => x.dataset.key)), keys);
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('changes: submitted by an agent, approved by its approver; a refused schedule lists its conflicts', async () => {
  const sw = `sw-${id()}`; const host = `host-${id()}`;
  ok(await admin.post('/api/v1/cis', { key: sw, name: 'Core switch', type: 'network_device' }));
  ok(await admin.post('/api/v1/cis', { key: host, name: 'Host', type: 'server' }));
  ok(await admin.post('/api/v1/relationships', { source: host, type: 'connected_to', target: sw, propagates: true }));
  const window = { planned_start: '2030-03-10T22:00:00Z', planned_end: '2030-03-11T02:00:00Z' };
  // The change already in the calendar: on the switch, the same night.
  const other = ok(await agent.post('/api/v1/changes', { type: 'standard', title: unique('Switch firmware'), items: [sw], ...window }));
  ok(await agent.post(`/api/v1/changes/${other.key}/submit`, { version: other.version }), 200);
  ok(await agent.post(`/api/v1/changes/${other.key}/schedule`, { version: other.version + 1 }), 200);

  const c = ok(await agent.post('/api/v1/changes', { type: 'normal', title: unique('Patch host <script>'), items: [host],
    approvers: ['manager1'], implementation_plan: 'apt upgrade', backout_plan: 'restore the snapshot',
    questionnaire: { tested: true, backout_tested: true, service_outage: false, done_before: true }, ...window }));
  const a = await signIn(browser, base, 'agent1');
  await a.page.goto(`${base}/changes`);
  await a.page.locator(`[data-testid=changes] tr[data-key="${c.key}"]`).waitFor();
  assert.equal(await a.page.getAttribute('[data-testid=ics]', 'href'), '/api/v1/changes/calendar.ics');
  await a.page.click(`[data-testid=changes] tr[data-key="${c.key}"] a`);
  await a.page.locator('[data-testid=risk]').waitFor();
  assert.equal(await a.page.getAttribute('[data-testid=risk]', 'data-level'), c.risk.level);
  assert.equal(await a.page.locator('[data-testid=risk] li').count(), c.risk.reasons.length);
  assert.equal(await a.page.textContent('[data-plan="chg.backout_plan"]'), 'restore the snapshot');
  await a.page.click('button[data-move=submit]');
  await a.page.locator('h1 [data-status=assessment]').waitFor();

  // The approver approves with a comment.
  const m = await signIn(browser, base, 'manager1');
  await m.page.goto(`${base}/changes/${c.key}`);
  // Rejecting needs a comment: the server's 400 is shown, nothing decided.
  await m.page.click('button[data-move=reject]');
  await m.page.waitForFunction(() => document.querySelector('[data-testid=error]').dataset.field === 'comment');
  assert.deepEqual((await agent.get(`/api/v1/changes/${c.key}`)).json.approvals, []);
  await m.page.fill('#chg-comment', 'Go ahead');
  await m.page.click('button[data-move=approve]');
  await m.page.locator('h1 [data-status=approved]').waitFor();
  assert.match(await m.page.textContent('[data-testid=approvals] tr[data-approver=manager1]'), /Go ahead/);
  await m.context.close();

  // The agent schedules it: refused, the conflict named with its path.
  await a.page.reload();
  await a.page.locator('h1 [data-status=approved]').waitFor();
  await a.page.click('button[data-move=schedule]');
  const conflict = a.page.locator(`[data-testid=conflicts] li[data-change="${other.key}"]`);
  await conflict.waitFor();
  assert.match(await conflict.textContent(), new RegExp(`${other.key} .* changes ${sw}`));
  assert.deepEqual(await conflict.locator('[data-path] a').allTextContents(), [host, sw]);
  assert.equal((await agent.get(`/api/v1/changes/${c.key}`)).json.status, 'approved', 'not scheduled');
  assert.deepEqual(await axe(a.page), []);
  await shot(a.page, 'change-conflicts');
  assert.deepEqual(a.page.errors, []);
  await a.context.close();
});

test("operation: a shift's day, a run's steps recorded by one agent and confirmed by another", async () => {
  const proc = ok(await manager.post('/api/v1/procedures', { title: unique('Nightly backup check'), steps: [
    { instruction: 'Read the backup log', expected: 'no errors' },
    { instruction: 'Restore one file', expected: 'the file matches', confirm: true }] }));
  ok(await manager.post(`/api/v1/procedures/${proc.key}/publish`, { version: proc.version }), 200);
  const shift = `night-${id()}`;
  // Every day at 00:00 UTC, to be started within the day: due all day today.
  const job = ok(await manager.post('/api/v1/schedule', { procedure: proc.key, rrule: 'FREQ=DAILY', start: '2026-01-01T00:00:00Z',
    deadline_minutes: 1439, shift }));
  const today = new Date().toISOString().slice(0, 10);

  const a = await signIn(browser, base, 'agent1');
  await a.page.goto(`${base}/operation?shift=${shift}`);
  const row = a.page.locator(`[data-testid=schedule] tr[data-occurrence="${today}T00:00:00Z"]`);
  await row.waitFor();
  assert.equal(await row.getAttribute('data-state'), 'due');
  // Yesterday's occurrence was never started: missed.
  const yesterday = new Date(Date.now() - 86400e3).toISOString().slice(0, 10);
  await a.page.fill('#op-date', yesterday);
  await a.page.locator(`[data-testid=schedule] tr[data-occurrence="${yesterday}T00:00:00Z"][data-state=missed]`).waitFor();
  await a.page.goto(`${base}/operation?shift=${shift}&date=${today}`);
  await row.locator('button[data-action=start]').click();
  await a.page.waitForURL(/\/operation\/runs\/RUN-\d+$/);
  const key = a.page.url().split('/').pop();
  assert.equal((await agent.get(`/api/v1/runs/${key}`)).json.job, job.key);
  await a.page.fill('#op-result-1', 'no errors in the log');
  await a.page.click('[data-step="1"] button[type=submit]');
  await a.page.locator('[data-step="1"][data-state=done]').waitFor();
  await a.page.fill('#op-result-2', 'restored');
  await a.page.fill('#op-deviation-2', 'took 20 minutes instead of 5');
  await a.page.click('[data-step="2"] button[type=submit]');
  await a.page.locator('[data-step="2"][data-state=awaiting_confirmation]').waitFor();
  assert.equal(await a.page.locator('[data-step="2"] button[data-action=confirm]').count(), 0, 'not by the one who recorded it');
  await a.context.close();

  const b = await signIn(browser, base, 'agent2');
  await b.page.goto(`${base}/operation/runs/${key}`);
  await b.page.click('[data-step="2"] button[data-action=confirm]');
  await b.page.locator('h1 [data-status=completed]').waitFor();
  const run = (await agent.get(`/api/v1/runs/${key}`)).json;
  assert.equal(run.steps[1].confirmed_by, 'agent2');
  assert.equal(run.steps[1].deviation, 'took 20 minutes instead of 5');
  await b.page.goto(`${base}/operation?shift=${shift}&date=${today}`);
  await b.page.locator(`[data-testid=schedule] tr[data-state=completed] a[href="/operation/runs/${key}"]`).waitFor();
  assert.deepEqual(await axe(b.page), []);
  await shot(b.page, 'operation');
  assert.deepEqual(b.page.errors, []);
  await b.context.close();
});

test("a ticket's e-mail as a thread", async () => {
  const user = `carol${id()}`;
  ok(await admin.post('/api/v1/users', { username: user, role: 'requester', customer: 'acme', email: `${user}@acme.example`,
    password: process.env.E2E_PASSWORD || 'correct-horse-battery' }));
  const raw = [`From: Carol <${user}@acme.example>`, 'To: help@example.com', `Message-ID: <${user}-1@acme.example>`,
    'Subject: Scanner <b>jammed</b>', 'Date: Thu, 03 Dec 2026 08:00:00 +0000', 'Content-Type: text/plain; charset=utf-8', '',
    'The scanner on floor 2 is jammed.', ''].join('\r\n');
  const r = ok(await admin.post('/api/v1/mail/inbound', raw, { headers: { 'content-type': 'message/rfc822' } }), 200);
  assert.equal(r.outcome, 'created');
  const { context, page } = await signIn(browser, base, 'agent1');
  await page.goto(`${base}/tickets/${r.ticket}`);
  const m = page.locator('[data-testid=mail] li[data-mail]');
  await m.first().waitFor();
  assert.match(await m.first().textContent(), new RegExp(`${user}@acme.example.*Scanner <b>jammed</b>`));
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('a problem opened from the list, a procedure run ad hoc, a change drafted', async () => {
  const title = unique('Mail queue grows at night');
  const { context, page } = await signIn(browser, base, 'agent1');
  await page.goto(`${base}/problems`);
  await page.locator('#proposals h2').waitFor();
  assert.deepEqual(await axe(page), []);
  await page.fill('#prb-new-title', title);
  await page.selectOption('#prb-new-impact', '1');
  await page.click('[data-testid=new-problem] button[type=submit]');
  await page.waitForURL(/\/problems\/PRB-\d+$/);
  const key = page.url().split('/').pop();
  const p = (await agent.get(`/api/v1/problems/${key}`)).json;
  assert.deepEqual([p.title, p.impact, p.urgency, p.status, p.created_by], [title, 1, 2, 'new', 'agent1']);

  const proc = ok(await manager.post('/api/v1/procedures', { title: unique('Rotate the logs'), steps: [{ instruction: 'Rotate', expected: 'rotated' }] }));
  ok(await manager.post(`/api/v1/procedures/${proc.key}/publish`, { version: proc.version }), 200);
  await page.goto(`${base}/operation`);
  await page.selectOption('#op-proc', proc.key);
  await page.click('[data-testid=adhoc] button[type=submit]');
  await page.waitForURL(/\/operation\/runs\/RUN-\d+$/);
  await page.fill('#op-result-1', 'rotated');
  await page.click('[data-step="1"] button[type=submit]');
  await page.locator('h1 [data-status=completed]').waitFor();
  assert.equal((await agent.get(`/api/v1/runs/${page.url().split('/').pop()}`)).json.procedure, proc.key);

  // A change drafted from the list: an unknown item is the server's 400
  // naming items[1], nothing stored; then the draft with its risk.
  const ci = `app-${id()}`;
  ok(await admin.post('/api/v1/cis', { key: ci, name: 'App', type: 'server' }));
  const before = (await agent.get('/api/v1/changes?limit=500')).json.items.length;
  await page.goto(`${base}/changes`);
  await page.locator('[data-testid=new-change]').waitFor();
  assert.deepEqual(await axe(page), []);
  await page.fill('#chg-new-title', 'Upgrade the app');
  await page.fill('#chg-new-items', `${ci}, no-such-item`);
  await page.fill('#chg-new-approvers', 'manager1');
  await page.fill('#chg-new-start', '2031-05-01T20:00');
  await page.fill('#chg-new-end', '2031-05-01T22:00');
  await page.selectOption('#chg-q-tested', 'true');
  await page.selectOption('#chg-q-backout_tested', 'false');
  await page.click('[data-testid=new-change] button[type=submit]');
  await page.waitForFunction(() => document.querySelector('[data-testid=new-error]').dataset.field === 'items[1]');
  assert.equal((await agent.get('/api/v1/changes?limit=500')).json.items.length, before, 'nothing stored');
  await page.fill('#chg-new-items', ci);
  await page.click('[data-testid=new-change] button[type=submit]');
  await page.waitForURL(/\/changes\/CHG-\d+$/);
  const c = (await agent.get(`/api/v1/changes/${page.url().split('/').pop()}`)).json;
  assert.deepEqual([c.status, c.items, c.approvers, c.planned_start, c.planned_end, c.questionnaire],
    ['draft', [ci], ['manager1'], '2031-05-01T20:00:00Z', '2031-05-01T22:00:00Z', { tested: true, backout_tested: false }]);
  // Unanswered outage and done-before count as risky: 0 + 3 + 2 + 1 = 6, high.
  assert.deepEqual([c.risk.score, c.risk.level], [6, 'high']);
  assert.equal(await page.getAttribute('[data-testid=risk]', 'data-level'), 'high');
  // The draft edited at its version: the back-out plan tested now, 6 - 3 = 3, medium.
  assert.equal(await page.inputValue('#chg-edit-start'), '2031-05-01T20:00');
  await page.selectOption('#chg-edit-q-backout_tested', 'true');
  await page.click('[data-testid=edit-change] button[type=submit]');
  await page.locator('[data-testid=risk][data-level=medium]').waitFor();
  const c2 = (await agent.get(`/api/v1/changes/${c.key}`)).json;
  assert.deepEqual([c2.version, c2.risk.score, c2.planned_start], [c.version + 1, 3, '2031-05-01T20:00:00Z']);
  // Someone else renames it meanwhile: this page's save is stale, redrawn.
  ok(await agent.patch(`/api/v1/changes/${c.key}`, { version: c2.version, title: 'Upgrade the app (renamed)' }), 200);
  await page.fill('#chg-edit-reason', 'lost');
  await page.click('[data-testid=edit-change] button[type=submit]');
  await page.waitForFunction(() => document.querySelector('[data-testid=error]').textContent.includes('changed this meanwhile'));
  assert.equal(await page.inputValue('#chg-edit-title'), 'Upgrade the app (renamed)');
  assert.equal((await agent.get(`/api/v1/changes/${c.key}`)).json.reason, '', 'the stale save stored nothing');
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('a requester has no problem, change or operation screens', async () => {
  const { context, page } = await signIn(browser, base, 'alice');
  const nav = await page.locator('#nav a').allTextContents();
  for (const label of ['Problems', 'Changes', 'Operation']) assert.ok(!nav.includes(label), `${label} not in ${nav}`);
  for (const path of ['/problems', '/changes/CHG-1', '/operation']) {
    await page.goto(`${base}${path}`);
    await page.locator('[data-screen=not-allowed]').waitFor();
  }
  await context.close();
  const s = await signIn(browser, base, 'agent1');
  const staffNav = await s.page.locator('#nav a').allTextContents();
  for (const label of ['Problems', 'Changes', 'Operation']) assert.ok(staffNav.includes(label), `${label} in ${staffNav}`);
  await s.context.close();
  // In Japanese: the entries and a list's headings.
  const ja = await signIn(browser, base, 'agent1', { lang: 'ja' });
  const jaNav = await ja.page.locator('#nav a').allTextContents();
  for (const label of ['問題管理', '変更管理', '運用']) assert.ok(jaNav.includes(label), `${label} in ${jaNav}`);
  await ja.page.goto(`${base}/changes`);
  await ja.page.locator('h1', { hasText: '変更管理' }).waitFor();
  assert.match(await ja.page.textContent('[data-testid=ics]'), /カレンダー/);
  await shot(ja.page, 'changes-ja');
  assert.deepEqual(ja.page.errors, []);
  await ja.context.close();
});
