// modules.test.mjs — the screens of the other modules, drawn when their API
// answers: SLA countdowns in the queue and the service level report on the
// dashboard (SLA module), an item with its impact graph (CMDB), the skill
// map (skills). Each part is skipped when the server lacks the module; the
// console then shows a "not available" panel, which is checked instead.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serverUrl, launch, signIn, shot, axe, apiSession, unique } from './lib.mjs';

let base;
let browser;
let manager; let agent; let alice;

before(async () => {
  base = await serverUrl();
  browser = await launch();
  [manager, agent, alice] = await Promise.all(['manager1', 'agent1', 'alice'].map((u) => apiSession(base, u)));
});

after(async () => {
  await browser?.close();
});

const has = async (path) => (await manager.get(path)).status !== 404;

test('the SLA countdown is plain, amber at warning and red at breach', async () => {
  const { context, page } = await signIn(browser, base, 'agent1');
  const states = await page.evaluate(async () => {
    const { countdown } = await import('/js/sla.js');
    const now = Date.now();
    const iso = (ms) => new Date(now + ms).toISOString();
    const tk = (sla) => ({ status: 'in_progress', created_at: iso(-3600e3), sla });
    const base = { name: 'x', response_met: true, resolution_met: null, paused: false, warning: false, breached: false };
    return {
      ok: countdown(tk({ ...base, resolution_due: iso(3 * 3600e3) })).dataset.state,
      warning: countdown(tk({ ...base, resolution_due: iso(3600e3), warning: true })).dataset.state,
      nearly: countdown(tk({ ...base, resolution_due: iso(5 * 60e3) })).dataset.state,
      breached: countdown(tk({ ...base, resolution_due: iso(-60e3), breached: true })).dataset.state,
      paused: countdown(tk({ ...base, resolution_due: iso(3600e3), paused: true })).dataset.state,
      none: countdown({ status: 'new', sla: null }).dataset.state,
      overdueText: countdown(tk({ ...base, resolution_due: iso(-90e3) })).textContent,
    };
  });
  assert.deepEqual({ ...states, overdueText: undefined }, {
    ok: 'ok', warning: 'warning', nearly: 'warning', breached: 'breached', paused: 'paused', none: 'none', overdueText: undefined,
  });
  assert.match(states.overdueText, /overdue/);
  // Colours: amber and red backgrounds, as the stylesheet paints them.
  const colours = await page.evaluate(async () => {
    const { countdown } = await import('/js/sla.js');
    const now = Date.now();
    const mk = (sla) => countdown({ status: 'new', created_at: new Date(now - 3600e3).toISOString(), sla });
    const w = mk({ resolution_due: new Date(now + 600e3).toISOString(), warning: true });
    const b = mk({ resolution_due: new Date(now - 600e3).toISOString(), breached: true });
    document.body.append(w, b);
    return [getComputedStyle(w).backgroundColor, getComputedStyle(b).backgroundColor];
  });
  assert.deepEqual(colours, ['rgb(255, 240, 204)', 'rgb(163, 20, 29)']);
  await context.close();
});

test('service levels: countdowns in the queue, the report on the dashboard', async (t) => {
  if (!(await has('/api/v1/slas'))) {
    const { context, page } = await signIn(browser, base, 'manager1');
    await page.waitForSelector('#sla-panel [data-unavailable]');
    await context.close();
    t.skip('the SLA module is not in this server');
    return;
  }
  const svc = `shop${Date.now().toString(36)}`;
  assert.equal((await manager.post('/api/v1/services', { key: svc, name: 'Web shop' })).status, 201);
  const targets = Object.fromEntries([1, 2, 3, 4, 5].map((p) => [String(p), { response_minutes: 30 * p, resolution_minutes: 240 * p }]));
  const sla = await manager.post('/api/v1/slas', {
    name: `acme-${svc}`, customer: 'acme', service: svc, calendar: '24x7', targets, warn_at: 0.75, availability_target: 99.5, escalations: [],
  });
  assert.equal(sla.status, 201, sla.text);
  const title = unique('Checkout fails with error 502');
  const tk = (await alice.post('/api/v1/tickets', { kind: 'incident', title, impact: 1, urgency: 1, service: svc })).json;
  assert.ok(tk.sla && tk.sla.resolution_due, 'the ticket carries its SLA');

  const { context, page } = await signIn(browser, base, 'agent1');
  await page.goto(`${base}/queue?view=breaching`);
  const row = page.locator(`#queue tr[data-key="${tk.key}"]`);
  await row.waitFor();
  const cd = row.locator('.sla[data-due]');
  assert.equal(await cd.getAttribute('data-state'), 'ok');
  const first = await cd.textContent();
  await page.waitForFunction((k) => {
    const el = document.querySelector(`tr[data-key="${k}"] .sla-time`);
    return el && el.dataset.seen !== el.textContent && (el.dataset.seen ? true : ((el.dataset.seen = el.textContent), false));
  }, tk.key, { polling: 300, timeout: 5000 });
  assert.notEqual(await cd.textContent(), '', `the countdown ticks (${first})`);
  await shot(page, 'agent-queue-breaching-soon');
  await page.goto(`${base}/tickets/${tk.key}`);
  await page.waitForSelector('.ticket-side .facts');
  assert.match(await page.textContent('.ticket-side'), new RegExp(`acme-${svc}`));
  await context.close();

  const m = await signIn(browser, base, 'manager1');
  await m.page.waitForSelector('#sla-panel tr[data-customer=acme]');
  const link = await m.page.getAttribute('#sla-panel tr[data-customer=acme] a[target=_blank]', 'href');
  assert.match(link, /^\/api\/v1\/reports\/service-level\?customer=acme&month=\d{4}-\d{2}&format=html$/);
  const html = await m.page.request.get(base + link);
  assert.equal(html.status(), 200);
  assert.match(html.headers()['content-type'], /text\/html/);
  const csv = await m.page.getAttribute('#sla-panel tr[data-customer=acme] a[download$=".csv"]', 'href');
  assert.equal((await m.page.request.get(base + csv)).status(), 200);
  await m.page.waitForSelector('#avail-panel .avail li');
  assert.match(await m.page.textContent('#avail-panel'), new RegExp(svc));
  await shot(m.page, 'manager-dashboard-sla');
  const v = await axe(m.page);
  assert.deepEqual(v, [], JSON.stringify(v));
  await m.context.close();
});

test('a configuration item with its impact graph', async (t) => {
  if (!(await has('/api/v1/cis'))) {
    const { context, page } = await signIn(browser, base, 'agent1');
    await page.goto(`${base}/cmdb/anything`);
    await page.waitForSelector('[data-unavailable=cmdb]');
    await context.close();
    t.skip('the CMDB module is not in this server');
    return;
  }
  const sfx = Date.now().toString(36);
  const ci = (key, name, type, extra = {}) => agent.post('/api/v1/cis', { key, name, type, ...extra });
  assert.equal((await ci(`srv-${sfx}`, 'Web server <b>1</b>', 'server', { attributes: { cores: 8, os: 'Debian 12' } })).status, 201);
  assert.equal((await ci(`app-${sfx}`, 'Shop application', 'application')).status, 201);
  assert.equal((await ci(`svc-${sfx}`, 'Web shop', 'service')).status, 201);
  assert.equal((await agent.post('/api/v1/relationships', { source: `app-${sfx}`, type: 'runs_on', target: `srv-${sfx}` })).status, 201);
  assert.equal((await agent.post('/api/v1/relationships', { source: `svc-${sfx}`, type: 'depends_on', target: `app-${sfx}` })).status, 201);
  const inc = (await agent.post('/api/v1/tickets', { kind: 'incident', title: unique('Web server 1 unreachable'), impact: 1, urgency: 2, customer: 'acme' })).json;
  assert.equal((await agent.post(`/api/v1/cis/srv-${sfx}/tickets`, { ticket: inc.key, role: 'affected' })).status, 201);

  const { context, page } = await signIn(browser, base, 'agent1');
  await page.goto(`${base}/cmdb/srv-${sfx}`);
  await page.waitForSelector('#impact svg.graph');
  const nodes = await page.$$eval('#impact svg.graph .graph-node .graph-key', (ns) => ns.map((n) => n.textContent).sort());
  assert.deepEqual(nodes, [`app-${sfx}`, `srv-${sfx}`, `svc-${sfx}`].sort());
  assert.equal(await page.locator('#impact svg.graph .graph-edge').count(), 2);
  assert.ok(await page.getByText('Web server <b>1</b>').first().isVisible(), 'item names are text');
  assert.match(await page.textContent('main'), /Debian 12/);
  assert.equal(await page.locator(`main tr[data-key="${inc.key}"]`).count(), 1, 'the open incident on the item');
  await shot(page, 'cmdb-item');
  const v = await axe(page);
  assert.deepEqual(v, [], JSON.stringify(v));
  // A node is a link to its own item.
  await page.click(`#impact svg a[href="/cmdb/app-${sfx}"]`);
  await page.waitForURL(new RegExp(`/cmdb/app-${sfx}$`));
  await page.waitForSelector('#impact svg.graph');
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('the "my groups" queue says so when the agent has no group', async () => {
  const { context, page } = await signIn(browser, base, 'agent1');
  await page.goto(`${base}/queue?view=groups`);
  await page.waitForSelector('#queue[aria-busy=false]');
  assert.match(await page.textContent('#queue-note'), /no group/);
  assert.equal(await page.getAttribute('nav.tabs a[data-view=groups]', 'aria-current'), 'page');
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('the skill map', async (t) => {
  const { context, page } = await signIn(browser, base, 'manager1');
  await page.goto(`${base}/skills`);
  if (!(await has('/api/v1/skills/map'))) {
    await page.waitForSelector('[data-unavailable=skills]');
    await context.close();
    t.skip('the skills module is not in this server');
    return;
  }
  // Someone assessed, with a declared career the manager has not verified:
  // the map shows the person, declared level 3 and no verified level.
  const key = `sd${Date.now().toString(36)}`;
  assert.equal((await manager.post('/api/v1/staff', { key, name: `Desk ${key}`, specialty: { service_desk: 'self' } })).status, 201);
  assert.equal((await manager.post(`/api/v1/staff/${key}/careers`, {
    field: 'service_desk', role: 'member', from: '2022-04-01', to: '2025-03-31',
    complexity: ['adv_app_req', 'structure'], responsibilities: ['manages_agreed_sl'],
  })).status, 201);
  assert.equal((await manager.post(`/api/v1/staff/${key}/assess`, {})).status, 201);
  await page.goto(`${base}/skills`);
  const row = page.locator('main tr', { hasText: `Desk ${key}` });
  await row.waitFor();
  assert.match(await row.innerText(), /3\s*\/\s*[–—-]/, 'declared 3, nothing verified');
  await shot(page, 'skill-map');
  assert.deepEqual(page.errors, []);
  await context.close();
});
