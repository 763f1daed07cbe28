// security.test.mjs — what the console must never do: run what a user
// typed, change anything on a request without the CSRF token, or show a
// requester an agent screen or another customer's ticket.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { serverUrl, launch, signIn, shot, apiSession, unique } from './lib.mjs';

let base;
let browser;

before(async () => {
  base = await serverUrl();
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

const PAYLOAD = '<img src=x onerror=alert(1)><script>alert(2)</script>';

test('a ticket titled with HTML and script renders as inert text', async () => {
  const alice = await apiSession(base, 'alice');
  const created = await alice.post('/api/v1/tickets', {
    kind: 'incident', title: PAYLOAD, description: `${PAYLOAD}\n<a href="javascript:alert(3)">click</a>`, impact: 3, urgency: 3,
  });
  assert.equal(created.status, 201, created.text);
  const key = created.json.key;
  const agentApi = await apiSession(base, 'agent1');
  assert.equal((await agentApi.post(`/api/v1/tickets/${key}/comments`, { body: PAYLOAD, public: true })).status, 201);

  for (const [who, path] of [['agent1', `/tickets/${key}`], ['agent1', '/queue?view=open'], ['alice', `/tickets/${key}`], ['alice', '/portal']]) {
    const { context, page } = await signIn(browser, base, who);
    const dialogs = [];
    page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss().catch(() => {}); });
    await page.goto(base + path);
    await page.waitForFunction((p) => document.querySelector('main').textContent.includes(p), PAYLOAD);
    await page.waitForTimeout(300);
    assert.deepEqual(dialogs, [], `no dialog fires on ${path} for ${who}`);
    assert.deepEqual(page.errors, []);
    // The text is visible as text, and nothing was parsed into elements.
    assert.equal(await page.locator('main img').count(), 0, 'no <img> from the payload');
    assert.equal(await page.locator('main script').count(), 0, 'no <script> from the payload');
    assert.equal(await page.locator('main a[href^="javascript:"]').count(), 0);
    assert.ok(await page.getByText(PAYLOAD).first().isVisible());
    if (who === 'agent1' && path.startsWith('/tickets')) await shot(page, 'xss-inert-ticket');
    await context.close();
  }
});

test('a state change without the CSRF token is refused and creates nothing', async () => {
  const alice = await apiSession(base, 'alice');
  const title = unique('csrf probe');
  const count = async () => (await alice.get(`/api/v1/tickets?q=${encodeURIComponent(title)}`)).json.items.length;

  // With the session cookie but no X-CSRF-Token: 403.
  const noToken = await alice.post('/api/v1/tickets', { kind: 'incident', title, impact: 3, urgency: 3 }, { token: null });
  assert.equal(noToken.status, 403, noToken.text);
  assert.equal(noToken.json.error.code, 'forbidden');
  const wrongToken = await alice.post('/api/v1/tickets', { kind: 'incident', title, impact: 3, urgency: 3 }, { token: 'x'.repeat(alice.csrf.length) });
  assert.equal(wrongToken.status, 403);
  assert.equal(await count(), 0);

  // From a page on another origin: a form that posts to the API with the
  // signed-in user's cookie (same site, other port) but cannot know the
  // token. Also a fetch from that origin.
  const evil = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(`<!doctype html><form id=f method=POST action="${base}/api/v1/tickets" enctype="text/plain">
<input name='{"kind":"incident","title":"${title}","impact":3,"urgency":3,"x":"' value='"}'></form>
<script>document.getElementById('f').submit()</script>`);
  });
  await new Promise((ok) => evil.listen(0, '127.0.0.1', ok));
  const evilUrl = `http://127.0.0.1:${evil.address().port}/`;
  const { context, page } = await signIn(browser, base, 'alice');
  const posted = page.waitForResponse((r) => r.url() === `${base}/api/v1/tickets` && r.request().method() === 'POST');
  await page.goto(evilUrl);
  const res = await posted;
  assert.equal(res.status(), 403, 'the cross-site form post is refused');
  // A script on another origin sending a well-formed ticket with the cookie:
  // whatever the browser makes of the answer, nothing may be created (the
  // count below covers both attempts).
  await page.goto(evilUrl.replace(/\/$/, '/other'));
  await page.evaluate(async ({ url, body }) => {
    try {
      await fetch(url, { method: 'POST', credentials: 'include', headers: { 'content-type': 'application/json' }, body });
    } catch { /* refused by the browser or the server: either way, counted below */ }
  }, { url: `${base}/api/v1/tickets`, body: JSON.stringify({ kind: 'incident', title, impact: 3, urgency: 3 }) });
  evil.close();
  await context.close();
  assert.equal(await count(), 0, 'nothing was created');

  // The console itself sends the token: the same request from its page works.
  const ok = await alice.post('/api/v1/tickets', { kind: 'incident', title, impact: 3, urgency: 3 });
  assert.equal(ok.status, 201);
});

test('a requester cannot reach agent screens or another customer\'s ticket by URL', async () => {
  const dave = await apiSession(base, 'dave');
  const secret = unique('Globex payroll server down');
  const other = await dave.post('/api/v1/tickets', { kind: 'incident', title: secret, impact: 1, urgency: 1 });
  assert.equal(other.status, 201);
  const agentApi = await apiSession(base, 'agent1');
  await agentApi.post(`/api/v1/tickets/${other.json.key}/comments`, { body: 'internal globex detail', public: false });

  const { context, page } = await signIn(browser, base, 'alice');
  const dataSeen = [];
  page.on('response', async (r) => {
    if (!r.url().includes('/api/v1/') || r.status() !== 200) return;
    const text = await r.text().catch(() => '');
    if (text.includes(secret) || text.includes('internal globex')) dataSeen.push(r.url());
  });
  for (const path of ['/queue', '/queue?view=open', '/dashboard', '/cmdb', '/skills']) {
    await page.goto(base + path);
    await page.waitForSelector('[data-screen=not-allowed]');
    assert.match(await page.textContent('main h1'), /Not allowed/);
    assert.equal(await page.locator('main table').count(), 0);
  }
  await shot(page, 'requester-agent-screen-refused');
  await page.goto(`${base}/tickets/${other.json.key}`);
  await page.waitForSelector('[data-screen=not-found]');
  assert.match(await page.textContent('main h1'), /Not found/);
  assert.ok(!(await page.textContent('body')).includes(secret));
  await shot(page, 'requester-other-customer-ticket');
  await page.goto(`${base}/tickets/${other.json.key}/history`);
  await page.waitForSelector('[data-screen=not-found]');
  // The API agrees: another customer's ticket is "not found", agent data forbidden.
  const alice = await apiSession(base, 'alice');
  assert.equal((await alice.get(`/api/v1/tickets/${other.json.key}`)).status, 404);
  assert.equal((await alice.get(`/api/v1/tickets/${other.json.key}/comments`)).status, 404);
  assert.equal((await alice.get('/api/v1/stats/tickets')).status, 403);
  assert.deepEqual(dataSeen, [], 'no response carried the other customer\'s data');
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('every page carries the security headers', async () => {
  for (const path of ['/', '/queue', '/js/app.js', '/css/app.css']) {
    const r = await fetch(base + path);
    assert.equal(r.status, 200, path);
    const csp = r.headers.get('content-security-policy') || '';
    assert.match(csp, /script-src 'self'/);
    assert.doesNotMatch(csp, /unsafe-inline/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
    assert.ok(r.headers.get('referrer-policy'));
    assert.equal(r.headers.get('x-frame-options'), 'DENY');
  }
});
