// catalogue.test.mjs — changing and retiring what was set up: customers,
// services, calendars (hours, zone, holidays one by one) and SLAs, each at
// the version the caller read (a stale one is 409 and changes nothing), each
// refused to requesters and agents; a retired record hidden from lists
// unless asked and chosen for nothing new; an SLA change applying to tickets
// opened after it while the clocks already running, and last month's
// report, keep the terms they started under (docs/sla.md, "Change and
// retire"). Every change is in the audit chain: audit verify passes at the end.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  makeStore, seed, startServer, client, cli, cliOk, expectError, expectStatus, createTicket,
  stopClean,
} from './lib.mjs';

let store, srv, tokens, admin, manager, agent, alice;

const OFFICE = {
  timezone: 'Europe/London',
  hours: { mon: [['09:00', '18:00']], tue: [['09:00', '18:00']], wed: [['09:00', '18:00']],
    thu: [['09:00', '18:00']], fri: [['09:00', '18:00']] },
};
// Priority p: response r·p minutes, resolution s·p minutes.
const targets = (r, s) => Object.fromEntries([1, 2, 3, 4, 5].map((p) => [String(p),
  { response_minutes: r * p, resolution_minutes: s * p }]));
const T = (s) => Date.parse(s) / 1000;
const iso = (t) => new Date(t * 1000).toISOString().replace('.000Z', 'Z');

// The month before this one (UTC), as YYYY-MM, and an instant on its 10th.
function lastMonth() {
  const now = new Date();
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 10, 10, 0, 0));
  return { month: d.toISOString().slice(0, 7), at: (h, m = 0) => iso(d.getTime() / 1000 + h * 3600 + m * 60) };
}

before(async () => {
  store = makeStore();
  tokens = seed(store.db);
  srv = await startServer(store.db);
  admin = client(srv.url, tokens.admin);
  manager = client(srv.url, tokens.manager1);
  agent = client(srv.url, tokens.agent1);
  alice = client(srv.url, tokens.alice);
});

after(async () => {
  if (srv) await stopClean(srv);
  store?.cleanup();
});

describe('services', () => {
  it('change at the version read; a stale version or an unknown field changes nothing', async () => {
    const s = expectStatus(await manager.post('/api/v1/services', { key: 'mail', name: 'Mail' }), 201);
    assert.equal(s.status, 'active');
    const u = expectStatus(await manager.patch('/api/v1/services/mail', { version: s.version, name: 'E-mail', owner_group: 'messaging' }), 200);
    assert.equal(u.name, 'E-mail');
    assert.equal(u.owner_group, 'messaging');
    assert.equal(u.version, 2);
    expectError(await manager.patch('/api/v1/services/mail', { version: 1, name: 'Stale' }), 409, 'conflict', 'version');
    expectError(await manager.patch('/api/v1/services/mail', { version: 2, colour: 'red' }), 400, 'invalid', 'colour');
    expectError(await manager.patch('/api/v1/services/mail', { name: 'No version' }), 400, 'invalid', 'version');
    expectError(await manager.patch('/api/v1/services/mail', { version: 2, key: 'post' }), 400, 'invalid', 'key');
    expectError(await manager.patch('/api/v1/services/mail', { version: 2, status: 'gone' }), 400, 'invalid', 'status');
    expectError(await manager.patch('/api/v1/services/mail', { version: 2, owner_group: 'bad group' }), 400, 'invalid', 'owner_group');
    expectError(await agent.patch('/api/v1/services/mail', { version: 2, name: 'Agent' }), 403, 'forbidden');
    expectError(await alice.patch('/api/v1/services/mail', { version: 2, name: 'Alice' }), 403, 'forbidden');
    expectError(await manager.patch('/api/v1/services/nope', { version: 1, name: 'x' }), 404, 'not_found');
    const now = expectStatus(await agent.get('/api/v1/services/mail'), 200);
    assert.equal(now.name, 'E-mail');
    assert.equal(now.version, 2);
  });

  it('retire: hidden from lists unless asked, chosen for no new ticket or SLA, never while an SLA names it', async () => {
    expectStatus(await manager.post('/api/v1/services', { key: 'fax' }), 201);
    expectStatus(await manager.post('/api/v1/slas', { name: 'acme-fax', customer: 'acme', service: 'fax', targets: targets(30, 120) }), 201);
    const used = expectError(await manager.patch('/api/v1/services/fax', { version: 1, status: 'retired' }), 409, 'conflict', 'status');
    assert.match(used.message, /acme-fax/);
    expectStatus(await manager.patch('/api/v1/slas/acme-fax', { version: 1, status: 'retired' }), 200);
    const r = expectStatus(await manager.patch('/api/v1/services/fax', { version: 1, status: 'retired' }), 200);
    assert.equal(r.status, 'retired');
    const keys = async (q) => expectStatus(await agent.get(`/api/v1/services${q}`), 200).items.map((x) => x.key);
    assert.ok(!(await keys('')).includes('fax'));
    assert.deepEqual(await keys('?status=retired'), ['fax']);
    assert.ok((await keys('?status=active,retired')).includes('fax'));
    expectError(await agent.get('/api/v1/services?status=gone'), 400, 'invalid', 'status');
    expectError(await agent.post('/api/v1/tickets', { kind: 'incident', title: 'Fax jammed', impact: 2, urgency: 2, service: 'fax' }), 400, 'invalid', 'service');
    expectError(await manager.post('/api/v1/slas', { name: 'globex-fax', customer: 'globex', service: 'fax', targets: targets(30, 120) }), 400, 'invalid', 'service');
    // Still readable, and back in service when restored.
    assert.equal(expectStatus(await agent.get('/api/v1/services/fax'), 200).status, 'retired');
    expectStatus(await manager.patch('/api/v1/services/fax', { version: 2, status: 'active' }), 200);
    await createTicket(agent, { service: 'fax' });
  });
});

describe('calendars', () => {
  it('change hours and zone at the version read; an invalid change is refused as a create would be', async () => {
    const c = expectStatus(await manager.post('/api/v1/calendars', { ...OFFICE, name: 'office' }), 201);
    assert.equal(c.version, 1);
    const u = expectStatus(await manager.patch('/api/v1/calendars/office', { version: 1, hours: { ...OFFICE.hours, sat: [['10:00', '12:00']] } }), 200);
    assert.deepEqual(u.hours.sat, [['10:00', '12:00']]);
    assert.equal(u.timezone, 'Europe/London');
    assert.equal(u.version, 2);
    expectError(await manager.patch('/api/v1/calendars/office', { version: 2, hours: { mon: [['18:00', '09:00']] } }), 400, 'invalid');
    expectError(await manager.patch('/api/v1/calendars/office', { version: 2, timezone: 'Mars/Olympus' }), 400, 'invalid', 'timezone');
    expectError(await manager.patch('/api/v1/calendars/office', { version: 1, timezone: 'UTC' }), 409, 'conflict', 'version');
    expectError(await manager.patch('/api/v1/calendars/office', { version: 2, colour: 'red' }), 400, 'invalid', 'colour');
    expectError(await manager.patch('/api/v1/calendars/office', { version: 2, name: 'home' }), 400, 'invalid', 'name');
    expectError(await manager.patch('/api/v1/calendars/24x7', { version: 1, timezone: 'UTC' }), 400, 'invalid', 'name');
    expectError(await agent.patch('/api/v1/calendars/office', { version: 2, timezone: 'UTC' }), 403, 'forbidden');
    expectError(await alice.patch('/api/v1/calendars/office', { version: 2, timezone: 'UTC' }), 403, 'forbidden');
    const now = expectStatus(await agent.get('/api/v1/calendars/office'), 200);
    assert.equal(now.version, 2);
    assert.equal(now.timezone, 'Europe/London');
    assert.deepEqual(now.hours.sat, [['10:00', '12:00']]);
    // Back to five days a week for the holiday test below.
    expectStatus(await manager.patch('/api/v1/calendars/office', { version: 2, hours: OFFICE.hours }), 200);
  });

  it('a holiday added moves a due; removed, it moves back; each bumps the version', async () => {
    const due = async () => expectStatus(await agent.get(
      '/api/v1/calendars/office/due?from=2027-12-24T17:00:00Z&minutes=120'), 200).due;
    // Friday 24 Dec 2027, 17:00 in London (GMT, = UTC): one hour left that
    // day (to 18:00); Saturday and Sunday closed; the second hour is Monday
    // 27 Dec 09:00-10:00.
    assert.equal(await due(), '2027-12-27T10:00:00Z');
    const v = expectStatus(await agent.get('/api/v1/calendars/office'), 200).version;
    const added = expectStatus(await manager.post('/api/v1/calendars/office/holidays', { date: '2027-12-27', name: 'Christmas (substitute)' }), 201);
    assert.equal(added.version, v + 1);
    assert.deepEqual(added.holidays, ['2027-12-27']);
    assert.equal(added.holiday_names['2027-12-27'], 'Christmas (substitute)');
    // Monday is now a holiday: the second hour is Tuesday 28 Dec 09:00-10:00.
    assert.equal(await due(), '2027-12-28T10:00:00Z');
    expectError(await manager.post('/api/v1/calendars/office/holidays', { date: '2027-12-27' }), 409, 'conflict', 'date');
    expectError(await manager.post('/api/v1/calendars/office/holidays', { date: '2027-02-30' }), 400, 'invalid', 'date');
    expectError(await manager.post('/api/v1/calendars/office/holidays', { date: '2027-12-28', colour: 'red' }), 400, 'invalid', 'colour');
    expectError(await manager.post('/api/v1/calendars/office/holidays', { date: '2027-12-28', name: 'Two\nlines' }), 400, 'invalid', 'name');
    expectError(await agent.post('/api/v1/calendars/office/holidays', { date: '2027-12-28' }), 403, 'forbidden');
    expectError(await agent.del('/api/v1/calendars/office/holidays/2027-12-27'), 403, 'forbidden');
    expectStatus(await manager.post('/api/v1/calendars/office/holidays', { date: '2028-01-03' }), 201);
    const y2027 = expectStatus(await alice.get('/api/v1/calendars/office/holidays?year=2027'), 200);
    assert.deepEqual(y2027.items, [{ date: '2027-12-27', name: 'Christmas (substitute)' }]);
    expectError(await agent.get('/api/v1/calendars/office/holidays?year=27'), 400, 'invalid', 'year');
    const removed = expectStatus(await manager.del('/api/v1/calendars/office/holidays/2027-12-27'), 200);
    assert.equal(removed.version, v + 3);
    assert.deepEqual(removed.holidays, ['2028-01-03']);
    assert.deepEqual(removed.holiday_names, {});
    expectError(await manager.del('/api/v1/calendars/office/holidays/2027-12-27'), 404, 'not_found');
    assert.equal(await due(), '2027-12-27T10:00:00Z');
  });

  it('the CLI adds, lists and removes holidays and updates from a file', () => {
    assert.match(cliOk(store.db, ['calendar', 'holiday', 'add', 'office', '2027-12-31', '--name', 'New Year\'s Eve']), /office/);
    const list = cliOk(store.db, ['calendar', 'holiday', 'list', 'office', '--year', '2027']);
    assert.match(list, /2027-12-31\s+New Year's Eve/);
    assert.doesNotMatch(list, /2028-01-03/);
    cliOk(store.db, ['calendar', 'holiday', 'remove', 'office', '2027-12-31']);
    assert.doesNotMatch(cliOk(store.db, ['calendar', 'holiday', 'list', 'office']), /2027-12-31/);
    const cal = JSON.parse(cliOk(store.db, ['--json', 'calendar', 'show', 'office']));
    const f = join(store.dir, 'cal-change.json');
    writeFileSync(f, JSON.stringify({ timezone: 'Europe/Dublin' }));
    const stale = cli(store.db, ['calendar', 'update', 'office', '--file', f, '--version', String(cal.version - 1)]);
    assert.equal(stale.status, 1);
    assert.match(stale.stderr, /version/);
    cliOk(store.db, ['calendar', 'update', 'office', '--file', f, '--version', String(cal.version)]);
    assert.equal(JSON.parse(cliOk(store.db, ['--json', 'calendar', 'show', 'office'])).timezone, 'Europe/Dublin');
    assert.equal(cli(store.db, ['calendar', 'holiday', 'add', '--help']).status, 0);
    assert.equal(cli(store.db, ['calendar', 'update', 'office']).status, 2);
  });
});

describe('SLAs', () => {
  before(async () => {
    expectStatus(await manager.post('/api/v1/services', { key: 'web' }), 201);
    expectStatus(await manager.post('/api/v1/slas', { name: 'acme-web', customer: 'acme', service: 'web', targets: targets(30, 120) }), 201);
  });

  it('a change applies to tickets opened after it; a running clock keeps its version\'s terms', async () => {
    // Priority 3 (impact 2 × urgency 2) under version 1: resolution 3 × 120 = 360 min.
    const t1 = await createTicket(agent, { customer: 'acme', service: 'web' });
    assert.equal(t1.sla.version, 1);
    assert.equal(T(t1.sla.resolution_due), T(t1.created_at) + 360 * 60);
    const s = expectStatus(await manager.patch('/api/v1/slas/acme-web', { version: 1, targets: targets(10, 60) }), 200);
    assert.equal(s.version, 2);
    assert.equal(s.targets['3'].resolution_minutes, 180);
    // Opened after the change: version 2, 3 × 60 = 180 min.
    const t2 = await createTicket(agent, { customer: 'acme', service: 'web' });
    assert.equal(t2.sla.version, 2);
    assert.equal(T(t2.sla.resolution_due), T(t2.created_at) + 180 * 60);
    const again = expectStatus(await agent.get(`/api/v1/tickets/${t1.key}`), 200);
    assert.equal(again.sla.resolution_due, t1.sla.resolution_due);
    assert.equal(again.sla.version, 1);
    // A priority change on the first ticket takes priority 2 (impact 1 ×
    // urgency 2) of version 1's terms: 2 × 120 = 240 min from its creation,
    // not version 2's 2 × 60 = 120.
    const up = expectStatus(await agent.patch(`/api/v1/tickets/${t1.key}`, { version: again.version, impact: 1 }), 200);
    assert.equal(up.priority, 2);
    assert.equal(T(up.sla.resolution_due), T(t1.created_at) + 240 * 60);
    assert.equal(up.sla.version, 1);
  });

  it('a stale version, an unknown field or an invalid definition changes nothing', async () => {
    const before = expectStatus(await manager.get('/api/v1/slas/acme-web'), 200);
    expectError(await manager.patch('/api/v1/slas/acme-web', { version: 1, warn_at: 0.5 }), 409, 'conflict', 'version');
    expectError(await manager.patch('/api/v1/slas/acme-web', { version: before.version, colour: 'red' }), 400, 'invalid', 'colour');
    expectError(await manager.patch('/api/v1/slas/acme-web', { version: before.version, targets: { 1: { response_minutes: 10, resolution_minutes: 5 } } }), 400, 'invalid');
    expectError(await manager.patch('/api/v1/slas/acme-web', { version: before.version, calendar: 'nope' }), 400, 'invalid', 'calendar');
    expectError(await manager.patch('/api/v1/slas/acme-web', { version: before.version, customer: 'globex' }), 400, 'invalid', 'customer');
    expectError(await manager.patch('/api/v1/slas/acme-web', { version: before.version, service: 'mail' }), 400, 'invalid', 'service');
    expectError(await manager.patch('/api/v1/slas/acme-web', { version: before.version, escalations: [{ on: 'breach', notify: 'http://127.0.0.1/' }] }), 400, 'invalid', 'escalations[0].notify');
    expectError(await agent.patch('/api/v1/slas/acme-web', { version: before.version, warn_at: 0.5 }), 403, 'forbidden');
    expectError(await alice.patch('/api/v1/slas/acme-web', { version: before.version, warn_at: 0.5 }), 403, 'forbidden');
    assert.deepEqual(expectStatus(await manager.get('/api/v1/slas/acme-web'), 200), before);
  });

  it('last month\'s report keeps each ticket against its own version; a retired SLA applies to no new ticket but stays in the report', async () => {
    const lm = lastMonth();
    expectStatus(await manager.post('/api/v1/services', { key: 'erp' }), 201);
    // Version 1: priority 3 resolution 3 × 60 = 180 min.
    expectStatus(await manager.post('/api/v1/slas', { name: 'acme-erp', customer: 'acme', service: 'erp', targets: targets(10, 60),
      availability_target: 99.5 }), 201);
    const hist = (h) => ({ kind: 'incident', title: 'Imported', impact: 2, urgency: 2, customer: 'acme', service: 'erp',
      created_at: lm.at(h), timeline: [{ at: lm.at(h, 5), status: 'in_progress' }, { at: lm.at(h, 150), status: 'resolved' }] });
    // The first ticket resolves in 150 min: within version 1's 180.
    expectStatus(await admin.post('/api/v1/import/tickets', { tickets: [hist(0)] }), 201);
    // Version 2: priority 3 resolution 3 × 20 = 60 min.
    expectStatus(await manager.patch('/api/v1/slas/acme-erp', { version: 1, targets: targets(5, 20) }), 200);
    // The second resolves in 150 min too: beyond version 2's 60.
    const second = expectStatus(await admin.post('/api/v1/import/tickets', { tickets: [hist(24)] }), 201);
    const report = async () => expectStatus(await manager.get(`/api/v1/reports/service-level?customer=acme&month=${lm.month}`), 200);
    const r1 = await report();
    const erp = r1.slas.find((x) => x.sla === 'acme-erp');
    assert.equal(erp.tickets, 2);
    assert.equal(erp.resolution_met, 1);
    assert.deepEqual(erp.breaches, [{ ticket: second.first, clock: 'resolution', due: lm.at(24, 60), stopped: lm.at(24, 150) }]);
    assert.equal(r1.services.find((x) => x.service === 'erp').target_percent, 99.5);
    // A renegotiation this month (targets, the availability target, the
    // calendar) changes nothing of last month's report.
    expectStatus(await manager.patch('/api/v1/slas/acme-erp', { version: 2, targets: targets(60, 600),
      availability_target: 99.9, calendar: 'office' }), 200);
    assert.deepEqual(await report(), r1);
    // Retired: hidden from the list unless asked, applied to no new ticket,
    // still in last month's report, unchanged.
    const ret = expectStatus(await manager.patch('/api/v1/slas/acme-erp', { version: 3, status: 'retired' }), 200);
    assert.equal(ret.status, 'retired');
    assert.equal(ret.version, 4);
    const names = async (q) => expectStatus(await manager.get(`/api/v1/slas${q}`), 200).items.map((x) => x.name);
    assert.ok(!(await names('')).includes('acme-erp'));
    assert.ok((await names('?status=retired')).includes('acme-erp'));
    const t = await createTicket(agent, { customer: 'acme', service: 'erp' });
    assert.equal(t.sla, null);
    assert.deepEqual(await report(), r1);
    // Its pair is free for the agreement that replaces it; the retired one
    // cannot come back beside it.
    expectStatus(await manager.post('/api/v1/slas', { name: 'acme-erp-2027', customer: 'acme', service: 'erp', targets: targets(10, 60) }), 201);
    expectError(await manager.patch('/api/v1/slas/acme-erp', { version: 4, status: 'active' }), 409, 'conflict', 'status');
  });

  it('the CLI updates from a file at a version and retires', () => {
    const f = join(store.dir, 'sla-change.json');
    writeFileSync(f, JSON.stringify({ warn_at: 0.5 }));
    const v = JSON.parse(cliOk(store.db, ['sla', 'show', 'acme-web'])).version;
    const stale = cli(store.db, ['sla', 'update', 'acme-web', '--file', f, '--version', String(v - 1)]);
    assert.equal(stale.status, 1);
    assert.match(stale.stderr, /version/);
    assert.match(cliOk(store.db, ['sla', 'update', 'acme-web', '--file', f, '--version', String(v)]), /updated agreement acme-web/);
    assert.equal(JSON.parse(cliOk(store.db, ['sla', 'show', 'acme-web'])).warn_at, 0.5);
    assert.match(cliOk(store.db, ['sla', 'retire', 'acme-web']), /retired agreement acme-web/);
    assert.match(cliOk(store.db, ['sla', 'list', '--status', 'retired']), /acme-web/);
    assert.equal(cli(store.db, ['sla', 'update', '--help']).status, 0);
    assert.equal(cli(store.db, ['sla', 'retire', '--help']).status, 0);
  });
});

describe('customers', () => {
  it('admins rename and retire; a retired customer\'s users read but open no ticket', async () => {
    const before = await createTicket(alice);
    const list = expectStatus(await admin.get('/api/v1/customers'), 200).items;
    const acme = list.find((c) => c.key === 'acme');
    assert.equal(acme.status, 'active');
    expectError(await manager.patch('/api/v1/customers/acme', { version: acme.version, name: 'Acme' }), 403, 'forbidden');
    expectError(await agent.patch('/api/v1/customers/acme', { version: acme.version, name: 'Acme' }), 403, 'forbidden');
    expectError(await alice.patch('/api/v1/customers/acme', { version: acme.version, name: 'Acme' }), 403, 'forbidden');
    expectError(await admin.patch('/api/v1/customers/acme', { version: acme.version + 1, name: 'Acme' }), 409, 'conflict', 'version');
    expectError(await admin.patch('/api/v1/customers/acme', { version: acme.version, colour: 'red' }), 400, 'invalid', 'colour');
    const renamed = expectStatus(await admin.patch('/api/v1/customers/acme', { version: acme.version, name: 'Acme plc' }), 200);
    assert.equal(renamed.name, 'Acme plc');
    const retired = expectStatus(await admin.patch('/api/v1/customers/acme', { version: renamed.version, status: 'retired' }), 200);
    assert.equal(retired.status, 'retired');
    expectError(await alice.post('/api/v1/tickets', { kind: 'incident', title: 'After retiring', impact: 2, urgency: 2 }), 403, 'forbidden');
    expectError(await agent.post('/api/v1/tickets', { kind: 'incident', title: 'For acme', impact: 2, urgency: 2, customer: 'acme' }), 400, 'invalid', 'customer');
    const moved = await createTicket(agent, { customer: 'globex' });
    expectError(await agent.patch(`/api/v1/tickets/${moved.key}`, { version: moved.version, customer: 'acme' }), 400, 'invalid', 'customer');
    expectError(await manager.post('/api/v1/slas', { name: 'acme-mail', customer: 'acme', service: 'mail', targets: targets(30, 120) }), 400, 'invalid', 'customer');
    // Its users still read their history.
    assert.equal(expectStatus(await alice.get(`/api/v1/tickets/${before.key}`), 200).key, before.key);
    const keys = async (q) => expectStatus(await admin.get(`/api/v1/customers${q}`), 200).items.map((c) => c.key);
    assert.ok(!(await keys('')).includes('acme'));
    assert.deepEqual(await keys('?status=retired'), ['acme']);
    // The CLI restores it.
    assert.match(cliOk(store.db, ['customer', 'restore', 'acme']), /restored customer acme/);
    await createTicket(alice);
    assert.match(cliOk(store.db, ['customer', 'update', 'acme', '--name', 'Acme Manufacturing']), /Acme Manufacturing/);
    assert.equal(cli(store.db, ['customer', 'retire', '--help']).status, 0);
  });
});

describe('the audit chain', () => {
  it('holds every change and retirement: audit verify passes', async () => {
    // Each kind of change above is one record of the chain, with its state after it…
    const actions = new Set(JSON.parse(cliOk(store.db, ['--json', 'audit', 'list', '--limit', '500']))
      .items.map((r) => `${r.action} ${r.entity}`));
    for (const a of ['service.update service:mail', 'service.retire service:fax', 'service.restore service:fax',
      'calendar.update calendar:office', 'calendar.holiday_add calendar:office',
      'calendar.holiday_remove calendar:office', 'sla.update sla:acme-web', 'sla.retire sla:acme-erp',
      'customer.update customer:acme', 'customer.retire customer:acme', 'customer.restore customer:acme']) {
      assert.ok(actions.has(a), `no audit record ${a}`);
    }
    // …and every stored record agrees with the last state recorded for it.
    const v = expectStatus(await admin.get('/api/v1/audit/verify'), 200);
    assert.equal(v.ok, true, JSON.stringify(v));
    assert.match(cliOk(store.db, ['audit', 'verify']), /^ok/);
  });
});
