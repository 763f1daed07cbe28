// catalogue.test.mjs — the manager's catalogue screen (/catalogue): a
// service renamed and retired, a calendar's zone and hours changed and a
// holiday added and removed, an SLA's targets changed — each checked
// through the API afterwards — a stale version reloaded with a message,
// agents refused, and no serious accessibility violation.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serverUrl, launch, signIn, shot, axe, apiSession } from './lib.mjs';

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

const targets = Object.fromEntries([1, 2, 3, 4, 5].map((p) => [String(p), { response_minutes: 30 * p, resolution_minutes: 240 * p }]));

test('a manager edits and retires a service, edits a calendar and its holidays, and an SLA\'s targets', async () => {
  const id = Date.now().toString(36);
  const svc = `cat-svc-${id}`;
  const cal = `aaa-cal-${id}`; // first in the list, so the form opens on it
  assert.equal((await manager.post('/api/v1/services', { key: svc, name: 'Before' })).status, 201);
  assert.equal((await manager.post('/api/v1/calendars', { name: cal, timezone: 'Europe/London',
    hours: { mon: [['09:00', '18:00']], tue: [['09:00', '18:00']] } })).status, 201);
  const slaName = `aaa-sla-${id}`;
  const made = await manager.post('/api/v1/slas', { name: slaName, customer: 'acme', service: svc, calendar: cal, targets });
  assert.equal(made.status, 201, made.text);

  const { context, page } = await signIn(browser, base, 'manager1');
  await page.goto(`${base}/catalogue`);
  const row = page.locator(`[data-testid=services] tr[data-key="${svc}"]`);
  await row.waitFor();

  // A service renamed, then (its SLA retired first) retired.
  await row.locator('input[data-field=name]').fill('After');
  await row.locator('button[data-action=save]').click();
  await page.waitForFunction(async (k) => (await (await fetch(`/api/v1/services/${k}`)).json()).name === 'After', svc);
  assert.equal((await manager.patch(`/api/v1/slas/${slaName}`, { version: 1, status: 'retired' })).status, 200);
  await page.locator(`[data-testid=services] tr[data-key="${svc}"] button[data-action=retire]`).click();
  await page.locator(`[data-testid=services] tr[data-key="${svc}"][data-status=retired]`).waitFor();
  assert.equal((await manager.get(`/api/v1/services/${svc}`)).json.status, 'retired');
  assert.equal((await manager.patch(`/api/v1/slas/${slaName}`, { version: 2, status: 'active' })).status, 400,
    'an SLA on a retired service stays retired');

  // The calendar: zone and Saturday hours, then a holiday added and removed.
  await page.selectOption('#cal-pick', cal);
  await page.locator(`[data-testid=calendar-form][data-name="${cal}"]`).waitFor();
  await page.fill('#cal-timezone', 'UTC');
  await page.fill('#cal-sat', '10:00-12:00');
  await page.click('[data-testid=calendar-form] button[type=submit]');
  await page.waitForFunction(async (n) => (await (await fetch(`/api/v1/calendars/${n}`)).json()).version === 2, cal);
  let c = (await manager.get(`/api/v1/calendars/${cal}`)).json;
  assert.equal(c.timezone, 'UTC');
  assert.deepEqual(c.hours.sat, [['10:00', '12:00']]);
  assert.deepEqual(c.hours.mon, [['09:00', '18:00']]);
  await page.fill('#hol-date', '2027-12-27');
  await page.fill('#hol-name', 'Boxing Day (substitute)');
  await page.click('[data-testid=holiday-form] button[type=submit]');
  await page.locator('[data-testid=holidays] li[data-date="2027-12-27"]').waitFor();
  c = (await manager.get(`/api/v1/calendars/${cal}`)).json;
  assert.deepEqual(c.holidays, ['2027-12-27']);
  assert.equal(c.holiday_names['2027-12-27'], 'Boxing Day (substitute)');
  await shot(page, 'catalogue');
  await page.click('[data-testid=holidays] li[data-date="2027-12-27"] button');
  await page.locator('[data-testid=holidays]').waitFor({ state: 'detached' });
  assert.deepEqual((await manager.get(`/api/v1/calendars/${cal}`)).json.holidays, []);

  // An SLA's target (another, still active, so that the list shows it).
  const sla2 = `aaa-sl2-${id}`;
  assert.equal((await manager.post('/api/v1/services', { key: `${svc}-2` })).status, 201);
  assert.equal((await manager.post('/api/v1/slas', { name: sla2, customer: 'acme', service: `${svc}-2`, targets })).status, 201);
  await page.reload();
  await page.locator('#sla-pick').waitFor();
  await page.selectOption('#sla-pick', sla2);
  await page.locator(`[data-testid=sla-form][data-name="${sla2}"]`).waitFor();
  await page.fill('#t3-resolution_minutes', '999');
  await page.click('[data-testid=sla-form] button[type=submit]');
  await page.waitForFunction(async (n) => (await (await fetch(`/api/v1/slas/${n}`)).json()).version === 2, sla2);
  const s = (await manager.get(`/api/v1/slas/${sla2}`)).json;
  assert.equal(s.targets['3'].resolution_minutes, 999);
  assert.equal(s.targets['2'].resolution_minutes, 480);

  // Changed meanwhile by someone else: the save is refused, the form
  // reloads with the version the server holds, and says so.
  assert.equal((await manager.patch(`/api/v1/slas/${sla2}`, { version: 2, warn_at: 0.5 })).status, 200);
  await page.fill('#t3-resolution_minutes', '777');
  await page.click('[data-testid=sla-form] button[type=submit]');
  await page.locator('#toast.toast-error').waitFor();
  assert.match(await page.locator('#toast').textContent(), /changed this meanwhile/);
  await page.waitForFunction(() => document.querySelector('#t3-resolution_minutes')?.value === '999');
  assert.equal((await manager.get(`/api/v1/slas/${sla2}`)).json.targets['3'].resolution_minutes, 999);

  assert.deepEqual(await axe(page), []);
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('agents may not open the catalogue', async () => {
  const { context, page } = await signIn(browser, base, 'agent1');
  await page.goto(`${base}/catalogue`);
  await page.getByText('Not allowed').waitFor();
  await context.close();
});
