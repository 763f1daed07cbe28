// sla.test.mjs — service level management through the HTTP API and the CLI:
// the service catalogue, business calendars and their arithmetic, SLAs and
// OLAs, outages, the SLA clocks of tickets (response, pause, reopen,
// priority change), warnings and breaches fired once by the watcher's tick
// with webhook and mail escalations through the outbox, the monthly report
// (JSON contract, CSV, HTML), and the all-or-nothing history import.
//
// Escalation targets are held to the outbound rules where an SLA is defined
// and again when a notice is sent: no request to loopback, link-local,
// private … addresses in any spelling (2130706433, 0x7f.1, [::ffff:…]) unless
// the configuration's outbound.allow names them — the webhook receiver of
// this test listens on 127.0.0.1 and is allowed by port — and one plain mail
// address per mailto:, with no CR/LF to start a header, handed to the
// configured mail command (a fake sendmail recording its argv and stdin)
// without a shell.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { writeFileSync, readFileSync, readdirSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { lookup } from 'node:dns/promises';
import { hostname } from 'node:os';
import {
  makeStore, seed, startServer, client, cli, cliOk, expectError, expectStatus, createTicket,
  stopClean, listAll, parseCsv, sql,
} from './lib.mjs';

let store, srv, tokens, admin, agent, manager, alice, dave;
let hook, hookUrl, hookPort, conf;
const received = [];

// The configuration this test serves with: the webhook receiver's port on
// 127.0.0.1 (and port 1, a receiver that refuses) allowed, nothing else.
function writeConfig(name, text) {
  const path = join(store.dir, name);
  writeFileSync(path, text);
  return path;
}

// A fake sendmail: each run leaves its argv and its standard input.
function fakeSendmail() {
  const path = join(store.dir, 'fake-sendmail');
  writeFileSync(path, `#!/bin/sh
printf '%s\\n' "$@" > '${store.dir}/mail.'$$'.argv'\ncat > '${store.dir}/mail.'$$'.stdin'\n`);
  chmodSync(path, 0o755);
  return path;
}
const mails = () => readdirSync(store.dir).filter((f) => /^mail\.\d+\.stdin$/.test(f))
  .map((f) => ({ stdin: readFileSync(join(store.dir, f), 'utf8'),
    argv: readFileSync(join(store.dir, f.replace('stdin', 'argv')), 'utf8') }));

const OFFICE = {
  name: 'office', timezone: 'Europe/London',
  hours: { mon: [['09:00', '18:00']], tue: [['09:00', '18:00']], wed: [['09:00', '18:00']],
    thu: [['09:00', '18:00']], fri: [['09:00', '18:00']] },
  holidays: ['2026-12-25'],
};
const targets = (r, s) => Object.fromEntries([1, 2, 3, 4, 5].map((p) => [String(p),
  { response_minutes: r * p, resolution_minutes: s * p }]));

before(async () => {
  store = makeStore();
  tokens = seed(store.db);
  hook = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => { received.push({ path: req.url, body: JSON.parse(body) }); res.end('ok'); });
  });
  await new Promise((r) => hook.listen(0, '127.0.0.1', r));
  hookPort = hook.address().port;
  hookUrl = `http://127.0.0.1:${hookPort}`;
  conf = writeConfig('itsm.conf', `[outbound]\nallow = 127.0.0.1:${hookPort}, 127.0.0.1:1\n`);
  srv = await startServer(store.db, ['--config', conf, '--allow-clock']);
  admin = client(srv.url, tokens.admin);
  agent = client(srv.url, tokens.agent1);
  manager = client(srv.url, tokens.manager1);
  alice = client(srv.url, tokens.alice);
  dave = client(srv.url, tokens.dave);
});

after(async () => {
  if (srv) await stopClean(srv);
  hook?.close();
  store?.cleanup();
});

const T = (s) => Date.parse(s) / 1000;
const iso = (t) => new Date(t * 1000).toISOString().replace('.000Z', 'Z');

describe('services', () => {
  it('a manager adds services; staff list and read them', async () => {
    const s = expectStatus(await manager.post('/api/v1/services', { key: 'email', name: 'E-mail', owner_group: 'messaging' }), 201);
    assert.equal(s.key, 'email');
    assert.equal(s.owner_group, 'messaging');
    assert.equal(s.version, 1);
    for (const key of ['vpn', 'erp', 'web', 'crm']) expectStatus(await manager.post('/api/v1/services', { key }), 201);
    const list = expectStatus(await agent.get('/api/v1/services'), 200);
    assert.ok(list.items.some((x) => x.key === 'email'));
    // The catalogue is no secret: requesters pick from it when they file a ticket.
    const seen = expectStatus(await alice.get('/api/v1/services'), 200);
    assert.ok(seen.items.some((x) => x.key === 'email'));
    assert.equal(expectStatus(await agent.get('/api/v1/services/email'), 200).name, 'E-mail');
  });
  it('pages like every list: limit, cursor, each service exactly once', async () => {
    const seen = [];
    let cursor = null;
    do {
      const page = expectStatus(await agent.get(`/api/v1/services?limit=2${cursor ? `&cursor=${cursor}` : ''}`), 200);
      assert.ok(page.items.length <= 2);
      seen.push(...page.items.map((x) => x.key));
      cursor = page.next_cursor;
    } while (cursor);
    const all = expectStatus(await agent.get('/api/v1/services'), 200).items.map((x) => x.key);
    assert.deepEqual(seen, all);
    assert.deepEqual(all, [...all].sort());
    assert.ok(all.length >= 5);
    expectError(await agent.get('/api/v1/services?limit=0'), 400, 'invalid', 'limit');
    expectError(await agent.get('/api/v1/services?limit=501'), 400, 'invalid', 'limit');
    expectError(await agent.get('/api/v1/outages?cursor=abc'), 400, 'invalid', 'cursor');
  });
  it('refuses duplicates, malformed keys, unknown fields and non-managers', async () => {
    expectError(await manager.post('/api/v1/services', { key: 'email' }), 409, 'conflict', 'key');
    expectError(await manager.post('/api/v1/services', { key: 'bad key' }), 400, 'invalid', 'key');
    expectError(await manager.post('/api/v1/services', { key: 'x', colour: 1 }), 400, 'invalid', 'colour');
    expectError(await agent.post('/api/v1/services', { key: 'x2' }), 403, 'forbidden');
    expectError(await agent.get('/api/v1/services/nope'), 404, 'not_found');
  });
});

describe('calendars', () => {
  it('creates a calendar and lists it beside the built-in 24x7', async () => {
    const c = expectStatus(await manager.post('/api/v1/calendars', OFFICE), 201);
    assert.equal(c.name, 'office');
    assert.equal(c.timezone, 'Europe/London');
    assert.deepEqual(c.hours.mon, [['09:00', '18:00']]);
    assert.deepEqual(c.hours.sat, []);
    const list = expectStatus(await agent.get('/api/v1/calendars'), 200);
    assert.deepEqual(list.items.map((x) => x.name).sort(), ['24x7', 'office']);
    assert.equal(expectStatus(await alice.get('/api/v1/calendars/office'), 200).timezone, 'Europe/London');
    assert.equal(expectStatus(await agent.get('/api/v1/calendars/24x7'), 200).builtin, true);
  });
  it('refuses 24x7, duplicates, unknown zones and malformed hours with the field', async () => {
    expectError(await manager.post('/api/v1/calendars', { ...OFFICE, name: '24x7' }), 409, 'conflict', 'name');
    expectError(await manager.post('/api/v1/calendars', OFFICE), 409, 'conflict', 'name');
    expectError(await manager.post('/api/v1/calendars', { ...OFFICE, name: 'x', timezone: 'Mars/Olympus' }), 400, 'invalid', 'timezone');
    const e = expectError(await manager.post('/api/v1/calendars', { ...OFFICE, name: 'x', hours: { mon: [['9am', '18:00']] } }), 400, 'invalid');
    assert.match(e.field, /^hours/);
    const e2 = expectError(await manager.post('/api/v1/calendars', { ...OFFICE, name: 'x', hours: { mon: [['18:00', '09:00']] } }), 400, 'invalid');
    assert.match(e2.field, /^hours/);
    expectError(await manager.post('/api/v1/calendars', { ...OFFICE, name: 'x', holidays: ['2026-13-01'] }), 400, 'invalid');
    expectError(await agent.post('/api/v1/calendars', { ...OFFICE, name: 'y' }), 403, 'forbidden');
    expectError(await agent.get('/api/v1/calendars/nope'), 404, 'not_found');
  });
  it('due: N business minutes from T, across a weekend; a night start counts from the opening', async () => {
    // Friday 2026-03-06 17:00 London (UTC+0): 60 min on Friday, 60 on Monday.
    let r = expectStatus(await agent.get('/api/v1/calendars/office/due?from=2026-03-06T17:00:00Z&minutes=120'), 200);
    assert.deepEqual(r, { due: '2026-03-09T10:00:00Z' });
    r = expectStatus(await agent.get('/api/v1/calendars/office/due?from=2026-03-10T02:00:00Z&minutes=30'), 200);
    assert.equal(r.due, '2026-03-10T09:30:00Z');
    // After the spring change (29 March) London is UTC+1.
    r = expectStatus(await agent.get('/api/v1/calendars/office/due?from=2026-03-30T00:00:00Z&minutes=60'), 200);
    assert.equal(r.due, '2026-03-30T09:00:00Z');
    r = expectStatus(await agent.get('/api/v1/calendars/24x7/due?from=2026-03-06T17:00:00Z&minutes=90'), 200);
    assert.equal(r.due, '2026-03-06T18:30:00Z');
    r = expectStatus(await agent.get('/api/v1/calendars/office/due?from=2026-12-24T17:30:00Z&minutes=60'), 200);
    assert.equal(r.due, '2026-12-28T09:30:00Z', 'the holiday and the weekend are skipped');
  });
  it('elapsed: business seconds between two instants', async () => {
    const r = expectStatus(await agent.get('/api/v1/calendars/office/elapsed?from=2026-03-06T17:00:00Z&to=2026-03-09T10:00:00Z'), 200);
    assert.deepEqual(r, { business_seconds: 7200 });
    const w = expectStatus(await agent.get('/api/v1/calendars/24x7/elapsed?from=2026-03-06T00:00:00Z&to=2026-03-07T00:00:00Z'), 200);
    assert.equal(w.business_seconds, 86400);
  });
  it('calendar arithmetic refuses bad input with the field', async () => {
    expectError(await agent.get('/api/v1/calendars/nope/due?from=2026-03-06T17:00:00Z&minutes=1'), 404, 'not_found');
    expectError(await agent.get('/api/v1/calendars/office/due?from=yesterday&minutes=1'), 400, 'invalid', 'from');
    expectError(await agent.get('/api/v1/calendars/office/due?from=2026-03-06T17:00:00Z&minutes=-5'), 400, 'invalid', 'minutes');
    expectError(await agent.get('/api/v1/calendars/office/due?from=2026-03-06T17:00:00Z'), 400, 'invalid', 'minutes');
    expectError(await agent.get('/api/v1/calendars/office/due?minutes=5'), 400, 'invalid', 'from');
    expectError(await agent.get('/api/v1/calendars/office/due?from=2026-03-06T17:00:00Z&minutes=1.5'), 400, 'invalid', 'minutes');
    expectError(await agent.get('/api/v1/calendars/office/due?from=2026-03-06T17:00:00Z&minutes=abc'), 400, 'invalid', 'minutes');
    expectError(await agent.get('/api/v1/calendars/office/elapsed?from=2026-03-09T00:00:00Z&to=2026-03-06T00:00:00Z'), 400, 'invalid', 'to');
  });
  it('the CLI does the same arithmetic', () => {
    assert.equal(cliOk(store.db, ['calendar', 'due', 'office', '--from', '2026-03-06T17:00:00Z', '--minutes', '120']), '2026-03-09T10:00:00Z');
    assert.equal(cliOk(store.db, ['calendar', 'elapsed', 'office', '--from', '2026-03-06T17:00:00Z', '--to', '2026-03-09T10:00:00Z']), '7200');
    const bad = cli(store.db, ['calendar', 'due', 'office', '--from', 'x', '--minutes', '1']);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /from/);
    const f = join(store.dir, 'cal.json');
    writeFileSync(f, JSON.stringify({ ...OFFICE, name: 'tokyo', timezone: 'Asia/Tokyo' }));
    assert.match(cliOk(store.db, ['calendar', 'add', '--file', f]), /added calendar tokyo/);
    assert.match(cliOk(store.db, ['calendar', 'list']), /tokyo/);
  });
});

const slaBody = (over = {}) => ({
  name: 'acme-email', customer: 'acme', service: 'email', calendar: '24x7',
  targets: targets(60, 240), warn_at: 0.75, availability_target: 99.9, escalations: [], ...over,
});

describe('SLAs and OLAs', () => {
  it('creates an SLA per customer and service with the exact body', async () => {
    const s = expectStatus(await manager.post('/api/v1/slas', slaBody({
      escalations: [{ on: 'breach', notify: `${hookUrl}/breach`, reassign_group: 'l2' }],
    })), 201);
    assert.equal(s.name, 'acme-email');
    assert.equal(s.customer, 'acme');
    assert.equal(s.kind, 'sla');
    assert.equal(s.targets['1'].response_minutes, 60);
    assert.equal(s.warn_at, 0.75);
    assert.equal(s.availability_target, 99.9);
    assert.equal(s.escalations[0].reassign_group, 'l2');
    const d = expectStatus(await manager.post('/api/v1/slas', slaBody({ name: 'acme-erp', service: 'erp', calendar: 'office', warn_at: undefined })), 201);
    assert.equal(d.warn_at, 0.75, 'warn_at defaults to 0.75');
  });
  it('an OLA names a group instead of a customer', async () => {
    const o = expectStatus(await manager.post('/api/v1/slas', slaBody({ name: 'ops-email', customer: undefined, group: 'ops' })), 201);
    assert.equal(o.kind, 'ola');
    assert.equal(o.group, 'ops');
  });
  it('refuses unknown customer, service, calendar, bad targets and duplicates with the field', async () => {
    expectError(await manager.post('/api/v1/slas', slaBody({ name: 'n1', customer: 'nope' })), 400, 'invalid', 'customer');
    expectError(await manager.post('/api/v1/slas', slaBody({ name: 'n2', service: 'nope' })), 400, 'invalid', 'service');
    expectError(await manager.post('/api/v1/slas', slaBody({ name: 'n3', service: 'vpn', calendar: 'nope' })), 400, 'invalid', 'calendar');
    const t = targets(60, 240);
    delete t['3'];
    expectError(await manager.post('/api/v1/slas', slaBody({ name: 'n4', service: 'vpn', targets: t })), 400, 'invalid', 'targets.3');
    expectError(await manager.post('/api/v1/slas', slaBody({ name: 'n5', service: 'vpn', warn_at: 1.5 })), 400, 'invalid', 'warn_at');
    expectError(await manager.post('/api/v1/slas', slaBody({ name: 'n6', service: 'vpn', escalations: [{ on: 'later', notify: 'https://x' }] })), 400, 'invalid', 'escalations[0]');
    expectError(await manager.post('/api/v1/slas', slaBody({ name: 'n7', service: 'vpn', escalations: [{ on: 'breach', notify: 'ftp://x' }] })), 400, 'invalid', 'escalations[0].notify');
    expectError(await manager.post('/api/v1/slas', slaBody({ name: 'n8', service: 'vpn', group: 'ops' })), 400, 'invalid');
    expectError(await manager.post('/api/v1/slas', slaBody()), 409, 'conflict', 'name');
    expectError(await manager.post('/api/v1/slas', slaBody({ name: 'acme-email-2' })), 409, 'conflict', 'service');
    expectError(await agent.post('/api/v1/slas', slaBody({ name: 'n9', service: 'vpn' })), 403, 'forbidden');
  });
  it('refuses escalation targets the host must not reach, in every spelling, naming the target', async () => {
    const refused = [
      ['http://127.0.0.1/x', /127\.0\.0\.1, a loopback address/],
      [`http://127.0.0.1:${hookPort + 1}/`, /loopback/], // allowed is one port only
      ['http://2130706433/', /names 127\.0\.0\.1, a loopback address/],
      ['http://0x7f.1/', /loopback/],
      ['http://017700000001:8080/', /loopback/],
      ['http://127.1/', /loopback/],
      ['http://[::1]/', /loopback/],
      ['http://[::ffff:127.0.0.1]/', /loopback/],
      [`http://localhost:${hookPort}/`, /localhost, a loopback/],
      ['http://169.254.169.254/latest/meta-data/', /link-local/],
      ['http://[fe80::1]/', /link-local/],
      ['http://10.0.0.1/', /private/],
      ['http://192.168.1.1/', /private/],
      ['http://[fd00::1]/', /private/],
      ['http://100.64.0.1/', /CGNAT/],
      ['http://0/', /unspecified/],
      ['http://224.0.0.1/', /multicast/],
      ['http://255.255.255.255/', /broadcast/],
      ['gopher://example.com/', /http/],
      ['file:///etc/passwd', /http/],
      ['https://example.com/\r\nX-Injected: 1', /control character/],
    ];
    for (const [notify, why] of refused) {
      const e = expectError(await manager.post('/api/v1/slas', slaBody({ name: 'ssrf', service: 'vpn',
        escalations: [{ on: 'breach', notify: 'https://hooks.example.com/ok' }, { on: 'breach', notify }] })),
      400, 'invalid', 'escalations[1].notify');
      assert.match(e.message, why, notify);
    }
    expectError(await manager.get('/api/v1/slas/ssrf'), 404, 'not_found');
  });
  it('refuses mail targets that are not one plain address: no header injection', async () => {
    for (const notify of ['mailto:a@b.c\nBcc: x@evil.example', 'mailto:a@b.c\r\nBcc: x@evil.example',
      'mailto:a@b.c\rBcc: x@evil.example', 'mailto:a@b.c,x@evil.example', 'mailto:a@b.c;x@evil.example',
      'mailto:a@b.c?bcc=x@evil.example', 'mailto:a%0ABcc:x@evil.example', 'mailto:"a b"@c.example',
      'mailto:<a@b.c>', 'mailto:a b@c.example', 'mailto:-oQ/tmp/x@evil.example', 'mailto:@b.c',
      'mailto:a@', 'mailto:a@@b.c', 'mailto:a@b..c', 'mailto:a@-b.c', `mailto:${'a'.repeat(65)}@b.c`,
      `mailto:a@${'b'.repeat(250)}.c`, 'mailto:a\t@b.c']) {
      const r = await manager.post('/api/v1/slas', slaBody({ name: 'inject', service: 'vpn',
        escalations: [{ on: 'breach', notify }] }));
      const e = expectError(r, 400, 'invalid');
      assert.match(e.field, /^escalations\[0\]/, notify);
    }
    expectError(await manager.get('/api/v1/slas/inject'), 404, 'not_found');
    // and through the CLI, which calls the same rule
    const f = join(store.dir, 'inject.json');
    writeFileSync(f, JSON.stringify(slaBody({ name: 'inject', service: 'vpn',
      escalations: [{ on: 'breach', notify: 'mailto:a@b.c\nBcc: x@evil.example' }] })));
    const r = cli(store.db, ['--config', conf, 'sla', 'add', '--file', f]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /control character/);
  });
  it('lists SLAs; a requester sees only their customer\'s', async () => {
    const all = expectStatus(await agent.get('/api/v1/slas'), 200);
    assert.ok(all.items.length >= 3);
    const mine = expectStatus(await alice.get('/api/v1/slas'), 200);
    assert.ok(mine.items.length >= 1 && mine.items.every((s) => s.customer === 'acme'));
    assert.deepEqual(expectStatus(await dave.get('/api/v1/slas'), 200).items, []);
    expectError(await dave.get('/api/v1/slas/acme-email'), 404, 'not_found');
    assert.equal(expectStatus(await alice.get('/api/v1/slas/acme-email'), 200).service, 'email');
  });
});

async function patch(c, t, body) {
  return expectStatus(await c.patch(`/api/v1/tickets/${t.key}`, { version: t.version, ...body }), 200);
}

describe('SLA clocks on tickets', () => {
  it('a ticket of a customer and service gets the SLA; one without gets sla null', async () => {
    const t = await createTicket(agent, { customer: 'acme', service: 'email', impact: 1, urgency: 1 });
    assert.equal(t.sla.name, 'acme-email');
    assert.equal(T(t.sla.response_due) - T(t.created_at), 60 * 60);
    assert.equal(T(t.sla.resolution_due) - T(t.created_at), 240 * 60);
    assert.equal(t.sla.response_met, null);
    assert.equal(t.sla.resolution_met, null);
    assert.equal(t.sla.paused, false);
    assert.equal(t.sla.warning, false);
    assert.equal(t.sla.breached, false);
    const got = expectStatus(await agent.get(`/api/v1/tickets/${t.key}`), 200);
    assert.deepEqual(got.sla, t.sla);
    const plain = await createTicket(agent, { customer: 'globex', service: 'email' });
    assert.equal(plain.sla, null);
    const list = expectStatus(await agent.get('/api/v1/tickets?customer=acme'), 200);
    assert.equal(list.items.find((x) => x.key === t.key).sla.name, 'acme-email');
  });
  it('a ticket that gets its service later gets the SLA then, counted from its creation', async () => {
    let t = await createTicket(agent, { customer: 'acme', impact: 1, urgency: 1 });
    assert.equal(t.sla, null);
    t = await patch(agent, t, { title: 'still no service' });
    assert.equal(t.sla, null);
    t = await patch(agent, t, { service: 'email', status: 'in_progress', assignee: 'agent1' });
    assert.equal(t.sla.name, 'acme-email');
    assert.equal(T(t.sla.response_due) - T(t.created_at), 60 * 60);
    assert.equal(t.sla.response_met, true);
    const h = expectStatus(await agent.get(`/api/v1/tickets/${t.key}/history`), 200);
    assert.ok(h.items.some((x) => x.field === 'sla' && x.new === 'acme-email'));
  });
  it('the first public comment by staff stops the response clock; a requester\'s does not', async () => {
    const t = await createTicket(alice, { service: 'email' });
    assert.equal(t.sla.name, 'acme-email');
    expectStatus(await alice.post(`/api/v1/tickets/${t.key}/comments`, { body: 'any news?' }), 201);
    expectStatus(await agent.post(`/api/v1/tickets/${t.key}/comments`, { body: 'note', public: false }), 201);
    assert.equal(expectStatus(await agent.get(`/api/v1/tickets/${t.key}`), 200).sla.response_met, null);
    expectStatus(await agent.post(`/api/v1/tickets/${t.key}/comments`, { body: 'looking at it' }), 201);
    assert.equal(expectStatus(await agent.get(`/api/v1/tickets/${t.key}`), 200).sla.response_met, true);
  });
  it('in_progress stops the response; pending pauses the resolution; resolved stops it', async () => {
    let t = await createTicket(agent, { customer: 'acme', service: 'email', assignee: 'agent1' });
    t = await patch(agent, t, { status: 'in_progress' });
    assert.equal(t.sla.response_met, true);
    const due0 = T(t.sla.resolution_due);
    t = await patch(agent, t, { status: 'pending' });
    assert.equal(t.sla.paused, true);
    assert.equal(t.sla.resolution_due, null);
    t = await patch(agent, t, { status: 'in_progress' });
    assert.equal(t.sla.paused, false);
    assert.ok(T(t.sla.resolution_due) >= due0, 'the pause moves the due later (never earlier)');
    t = await patch(agent, t, { status: 'resolved' });
    assert.equal(t.sla.resolution_met, true);
    // A reopen resumes with the time spent.
    t = await patch(agent, t, { status: 'in_progress' });
    assert.equal(t.sla.resolution_met, null);
    assert.ok(T(t.sla.resolution_due) >= due0);
    t = await patch(agent, t, { status: 'resolved' });
    assert.equal(t.sla.resolution_met, true);
    const h = expectStatus(await agent.get(`/api/v1/tickets/${t.key}/history`), 200);
    assert.ok(h.items.some((x) => x.field === 'sla' && x.new === 'acme-email'));
  });
  it('a priority change keeps the time spent and applies the new target', async () => {
    let t = await createTicket(agent, { customer: 'acme', service: 'email', impact: 3, urgency: 3 });
    assert.equal(t.priority, 5);
    assert.equal(T(t.sla.resolution_due) - T(t.created_at), 5 * 240 * 60);
    t = await patch(agent, t, { impact: 1, urgency: 1 });
    assert.equal(t.priority, 1);
    assert.equal(T(t.sla.response_due) - T(t.created_at), 60 * 60);
    const d = T(t.sla.resolution_due) - T(t.created_at);
    assert.ok(d >= 240 * 60 && d <= 240 * 60 + 5, `resolution due ${d}s after creation`);
  });
});

describe('warnings, breaches and escalations', () => {
  before(async () => {
    expectStatus(await manager.post('/api/v1/slas', slaBody({
      name: 'acme-vpn', service: 'vpn', targets: targets(1, 2), warn_at: 0.5,
      escalations: [
        { on: 'warning', notify: `${hookUrl}/warn` },
        { on: 'breach', notify: `${hookUrl}/breach`, reassign_group: 'l2' },
        { on: 'breach', notify: 'http://127.0.0.1:1/refused' },
        { on: 'breach', notify: 'mailto:duty@example.com' },
      ],
    })), 201);
  });

  it('only admins run the tick', async () => {
    expectError(await agent.post('/api/v1/sla/tick', {}), 403, 'forbidden');
    expectError(await admin.post('/api/v1/sla/tick', { now: 'soon' }), 400, 'invalid', 'now');
  });

  it('a server without --allow-clock refuses a tick\'s now and fires nothing', async () => {
    // A live store: an admin naming a time a year ahead would fire every
    // clock's warning and breach now. Refused with 400 and no change; a tick
    // at the real time is still allowed. The test server of this file runs
    // with --allow-clock, so the tests below may name their now.
    const own = makeStore();
    const ownTokens = seed(own.db);
    const live = await startServer(own.db);
    try {
      const ownAdmin = client(live.url, ownTokens.admin);
      const future = new Date(Date.now() + 365 * 86400 * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
      const seqBefore = cli(own.db, ['--json', 'audit', 'verify']).stdout;
      const r = expectError(await ownAdmin.post('/api/v1/sla/tick', { now: future }), 400, 'invalid', 'now');
      assert.equal(r.message, 'now is only accepted by a server started with --allow-clock');
      assert.equal(cli(own.db, ['--json', 'audit', 'verify']).stdout, seqBefore, 'the refused tick wrote');
      expectStatus(await ownAdmin.post('/api/v1/sla/tick', {}), 200);
    } finally {
      await stopClean(live);
      own.cleanup();
    }
  });

  it('fires the warning, then the breach, once each, with audit, history and notices', async () => {
    const t = await createTicket(agent, { customer: 'acme', service: 'vpn', impact: 1, urgency: 1 });
    const c = T(t.created_at);
    assert.equal(T(t.sla.response_due) - c, 60);
    let r = expectStatus(await admin.post('/api/v1/sla/tick', { now: iso(c + 30) }), 200);
    assert.ok(r.fired >= 1, JSON.stringify(r));
    let got = expectStatus(await agent.get(`/api/v1/tickets/${t.key}`), 200);
    assert.equal(got.sla.breached, false);
    r = expectStatus(await admin.post('/api/v1/sla/tick', { now: iso(c + 30) }), 200);
    assert.equal(r.fired, 0, 'fired once only');
    r = expectStatus(await admin.post('/api/v1/sla/tick', { now: iso(c + 61) }), 200);
    assert.ok(r.fired >= 1);
    got = expectStatus(await agent.get(`/api/v1/tickets/${t.key}`), 200);
    assert.equal(got.sla.breached, true);
    assert.equal(got.sla.group, 'l2');
    r = expectStatus(await admin.post('/api/v1/sla/tick', { now: iso(c + 125) }), 200);
    assert.ok(r.fired >= 1, 'the resolution breach');
    r = expectStatus(await admin.post('/api/v1/sla/tick', { now: iso(c + 126) }), 200);
    assert.equal(r.fired, 0);
    const h = expectStatus(await agent.get(`/api/v1/tickets/${t.key}/history`), 200);
    const events = h.items.filter((x) => x.field.startsWith('sla.')).map((x) => `${x.field}:${x.new}`);
    assert.deepEqual(events.sort(), ['sla.resolution:breach', 'sla.resolution:warning', 'sla.response:breach', 'sla.response:warning']);
    const audit = expectStatus(await admin.get('/api/v1/audit?limit=500'), 200);
    const mine = audit.items.filter((x) => x.entity === `ticket:${t.key}` && x.action.startsWith('sla.'));
    assert.equal(mine.length, 4);
    const hits = received.filter((x) => x.body.ticket === t.key);
    assert.equal(hits.filter((x) => x.path === '/breach').length, 2);
    assert.equal(hits.filter((x) => x.path === '/warn').length, 2);
    assert.equal(hits[0].body.sla, 'acme-vpn');
    const ob = expectStatus(await admin.get('/api/v1/sla/outbox?limit=500'), 200);
    const mail = ob.items.filter((x) => x.target.startsWith('mailto:') && x.payload.ticket === t.key);
    assert.ok(mail.length >= 1 && mail.every((x) => x.state === 'undeliverable' && /mail\.sendmail/.test(x.last_error)));
    const refused = ob.items.filter((x) => x.target.includes(':1/refused') && x.payload.ticket === t.key);
    assert.ok(refused.length >= 1 && refused.every((x) => x.state === 'pending' && x.attempts >= 1 && x.last_error));
    expectError(await agent.get('/api/v1/sla/outbox'), 403, 'forbidden');
  });

  it('a ticket answered in time does not breach its response', async () => {
    const t = await createTicket(agent, { customer: 'acme', service: 'vpn', impact: 1, urgency: 1 });
    expectStatus(await agent.post(`/api/v1/tickets/${t.key}/comments`, { body: 'on it' }), 201);
    expectStatus(await admin.post('/api/v1/sla/tick', { now: iso(T(t.created_at) + 90) }), 200);
    const h = expectStatus(await agent.get(`/api/v1/tickets/${t.key}/history`), 200);
    assert.ok(!h.items.some((x) => x.field === 'sla.response'));
  });
});

describe('outages', () => {
  let ongoing;
  it('the CLI ends an ongoing outage at the version it reads, and names an unknown one', () => {
    const id = JSON.parse(cliOk(store.db, ['--json', 'outage', 'add', '--service', 'crm', '--start', '2025-01-22T08:00:00Z'])).id;
    assert.equal(cliOk(store.db, ['outage', 'end', String(id), '--end', '2025-01-22T08:05:00Z']), `ended outage ${id}`);
    const missing = cli(store.db, ['outage', 'end', '999999', '--end', '2026-03-22T08:05:00Z']);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /outage '999999' not found/);
  });
  it('records outages, planned or not, and ends an ongoing one with its version', async () => {
    const o = expectStatus(await agent.post('/api/v1/outages', { service: 'web', start: '2026-03-10T10:00:00Z', end: '2026-03-10T10:30:00Z', planned: false, incident: 'INC-1' }), 201);
    assert.equal(o.service, 'web');
    assert.equal(o.end, '2026-03-10T10:30:00Z');
    assert.equal(o.incident, 'INC-1');
    ongoing = expectStatus(await agent.post('/api/v1/outages', { service: 'web', start: '2026-03-20T08:00:00Z', planned: false }), 201);
    assert.equal(ongoing.end, null);
    const done = expectStatus(await agent.patch(`/api/v1/outages/${ongoing.id}`, { end: '2026-03-20T08:15:00Z', version: ongoing.version }), 200);
    assert.equal(done.end, '2026-03-20T08:15:00Z');
    assert.equal(done.version, 2);
    expectError(await agent.patch(`/api/v1/outages/${ongoing.id}`, { end: '2026-03-20T08:20:00Z', version: 1 }), 409, 'conflict', 'version');
    expectError(await agent.patch(`/api/v1/outages/${ongoing.id}`, { end: '2026-03-20T08:20:00Z', version: 2 }), 409, 'conflict');
    assert.equal(expectStatus(await agent.get(`/api/v1/outages/${ongoing.id}`), 200).end, '2026-03-20T08:15:00Z');
    expectError(await agent.get('/api/v1/outages/999999'), 404, 'not_found');
    expectError(await alice.get(`/api/v1/outages/${ongoing.id}`), 403, 'forbidden');
    expectStatus(await agent.post('/api/v1/outages', { service: 'web', start: '2026-03-15T01:00:00Z', end: '2026-03-15T03:00:00Z', planned: true }), 201);
    expectStatus(await agent.post('/api/v1/outages', { service: 'web', start: '2026-03-15T02:50:00Z', end: '2026-03-15T03:10:00Z', planned: false }), 201);
  });
  it('refuses end before start, unknown services and requesters', async () => {
    expectError(await agent.post('/api/v1/outages', { service: 'web', start: '2026-03-10T10:00:00Z', end: '2026-03-10T09:00:00Z' }), 400, 'invalid', 'end');
    expectError(await agent.post('/api/v1/outages', { service: 'nope', start: '2026-03-10T10:00:00Z' }), 400, 'invalid', 'service');
    expectError(await agent.post('/api/v1/outages', { service: 'web', start: 'now' }), 400, 'invalid', 'start');
    const o = expectStatus(await agent.post('/api/v1/outages', { service: 'crm', start: '2026-04-01T10:00:00Z' }), 201);
    expectError(await agent.patch(`/api/v1/outages/${o.id}`, { end: '2026-04-01T09:00:00Z', version: 1 }), 400, 'invalid', 'end');
    expectError(await agent.patch('/api/v1/outages/99999', { end: '2026-04-01T09:00:00Z', version: 1 }), 404, 'not_found');
    expectError(await alice.post('/api/v1/outages', { service: 'web', start: '2026-03-10T10:00:00Z' }), 403, 'forbidden');
  });
  it('lists the outages of a service meeting a period', async () => {
    const l = expectStatus(await agent.get('/api/v1/outages?service=web&from=2026-03-01T00:00:00Z&to=2026-04-01T00:00:00Z'), 200);
    assert.equal(l.items.length, 4);
    const none = expectStatus(await agent.get('/api/v1/outages?service=web&from=2026-05-01T00:00:00Z&to=2026-06-01T00:00:00Z'), 200);
    assert.equal(none.items.length, 0);
    expectError(await agent.get('/api/v1/outages?service=nope'), 400, 'invalid', 'service');
    expectError(await agent.get('/api/v1/outages?from=x'), 400, 'invalid', 'from');
  });
});

const hist = (created, timeline, over = {}) => ({ kind: 'incident', title: 'Imported', impact: 2, urgency: 2,
  customer: 'acme', service: 'web', created_at: created, timeline, ...over });

describe('history import and the monthly report', () => {
  before(async () => {
    expectStatus(await manager.post('/api/v1/slas', slaBody({ name: 'acme-web', service: 'web', targets: targets(30, 120), availability_target: 99.9 })), 201);
  });
  it('imports tickets replayed through the lifecycle and the clocks', async () => {
    // priority 3: response 90 min, resolution 360 min.
    const r = expectStatus(await admin.post('/api/v1/import/tickets', { tickets: [
      hist('2026-03-02T10:00:00Z', [{ at: '2026-03-02T10:20:00Z', comment: 'on it', public: true, by: 'agent1' },
        { at: '2026-03-02T11:00:00Z', status: 'in_progress' }, { at: '2026-03-02T12:00:00Z', status: 'resolved' },
        { at: '2026-03-03T12:00:00Z', status: 'closed' }]),
      hist('2026-03-05T10:00:00Z', [{ at: '2026-03-05T12:00:00Z', status: 'in_progress' },
        { at: '2026-03-05T13:00:00Z', status: 'pending' }, { at: '2026-03-06T13:00:00Z', status: 'in_progress' },
        { at: '2026-03-06T14:00:00Z', status: 'resolved' }]),
      hist('2026-03-10T00:00:00Z', [{ at: '2026-03-10T00:10:00Z', status: 'in_progress' }, { at: '2026-03-10T08:00:00Z', status: 'resolved' }]),
      hist('2026-03-31T23:00:00Z', [{ at: '2026-03-31T23:10:00Z', status: 'in_progress' }, { at: '2026-04-01T01:00:00Z', status: 'resolved' }]),
    ] }), 201);
    assert.equal(r.imported, 4);
    const t = expectStatus(await agent.get(`/api/v1/tickets/${r.first}`), 200);
    assert.equal(t.status, 'closed');
    assert.equal(t.created_at, '2026-03-02T10:00:00Z');
    assert.equal(t.sla.response_met, true);
    assert.equal(t.sla.resolution_met, true);
    const c = expectStatus(await agent.get(`/api/v1/tickets/${r.first}/comments`), 200);
    assert.equal(c.items[0].body, 'on it');
  });
  it('is all or nothing, naming the bad ticket', async () => {
    const before = expectStatus(await agent.get('/api/v1/tickets?limit=500'), 200).items.length;
    const e = expectError(await admin.post('/api/v1/import/tickets', { tickets: [
      hist('2026-03-02T10:00:00Z', [{ at: '2026-03-02T11:00:00Z', status: 'in_progress' }]),
      hist('2026-03-02T10:00:00Z', [{ at: '2026-03-02T11:00:00Z', status: 'closed' }]),
    ] }), 409, 'invalid_transition');
    assert.match(e.message, /ticket 2/);
    expectError(await admin.post('/api/v1/import/tickets', { tickets: [hist('2026-03-02T10:00:00Z', [], { customer: 'nope' })] }), 400, 'invalid', 'customer');
    expectError(await admin.post('/api/v1/import/tickets', { tickets: [hist('2026-03-02T10:00:00Z', [{ at: '2026-03-01T00:00:00Z', status: 'in_progress' }])] }), 400, 'invalid', 'timeline[0]');
    expectError(await agent.post('/api/v1/import/tickets', { tickets: [] }), 403, 'forbidden');
    assert.equal(expectStatus(await agent.get('/api/v1/tickets?limit=500'), 200).items.length, before);
  });
  it('the CLI imports JSONL and names the bad line, storing nothing of the file', async () => {
    const f = join(store.dir, 'h.jsonl');
    const before = (await listAll(agent, '/api/v1/tickets?limit=500')).length;
    writeFileSync(f, [JSON.stringify(hist('2026-03-20T10:00:00Z', [{ at: '2026-03-20T10:05:00Z', status: 'in_progress' }, { at: '2026-03-20T11:00:00Z', status: 'resolved' }])), '',
      '{"kind":"incident"'].join('\n'));
    const bad = cli(store.db, ['import', 'tickets', f]);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /line 3/);
    // A line the lifecycle refuses (new cannot jump to closed) is refused the same way.
    writeFileSync(f, [JSON.stringify(hist('2026-03-20T10:00:00Z', [{ at: '2026-03-20T10:05:00Z', status: 'in_progress' }])),
      JSON.stringify(hist('2026-03-20T10:00:00Z', [{ at: '2026-03-20T10:05:00Z', status: 'closed' }]))].join('\n'));
    const illegal = cli(store.db, ['import', 'tickets', f]);
    assert.equal(illegal.status, 1);
    assert.match(illegal.stderr, /line 2: .*closed/);
    assert.equal((await listAll(agent, '/api/v1/tickets?limit=500')).length, before, 'nothing of either file was stored');
    writeFileSync(f, JSON.stringify(hist('2026-03-20T10:00:00Z', [{ at: '2026-03-20T10:05:00Z', status: 'in_progress' }, { at: '2026-03-20T11:00:00Z', status: 'resolved' }])) + '\n');
    assert.match(cliOk(store.db, ['import', 'tickets', f]), /^imported 1 ticket$/);
  });
  it('reports the month: compliance, breaches, availability against the target', async () => {
    const r = expectStatus(await manager.get('/api/v1/reports/service-level?customer=acme&month=2026-03'), 200);
    assert.deepEqual(Object.keys(r).sort(), ['compliance_percent', 'customer', 'month', 'services', 'slas']);
    assert.equal(r.customer, 'acme');
    assert.equal(r.month, '2026-03');
    const web = r.slas.find((s) => s.sla === 'acme-web');
    assert.deepEqual(Object.keys(web).sort(), ['breaches', 'breaches_total', 'compliance_percent', 'mttr_seconds', 'resolution_met', 'resolution_percent',
      'resolutions', 'response_met', 'response_percent', 'responses', 'service', 'sla', 'tickets']);
    // Clocks due in March: the 2 Mar, 5/6 Mar, 10 Mar and 20 Mar tickets (both of the 31 Mar
    // ticket's fall due in April: response 00:30, resolution 05:00).
    assert.equal(web.tickets, 4);
    assert.equal(web.responses, 4);
    assert.equal(web.resolutions, 4);
    // Response (90 min): 2 Mar at 20 min, 5 Mar at 2 h (late), 10 Mar at 10 min, 20 Mar at 5 min.
    assert.equal(web.response_met, 3);
    // Resolution (360 min): 2 h; 3 h + 1 h = 4 h; 8 h (late); 1 h.
    assert.equal(web.resolution_met, 3);
    assert.equal(web.response_percent, 75);
    assert.equal(web.resolution_percent, 75);
    assert.equal(web.mttr_seconds, (2 + 4 + 8 + 1) * 3600 / 4);
    assert.deepEqual(web.breaches.map((b) => b.clock).sort(), ['resolution', 'response']);
    assert.equal(web.breaches_total, 2);
    const late = web.breaches.find((b) => b.clock === 'response');
    assert.equal(late.due, '2026-03-05T11:30:00Z');
    assert.equal(late.stopped, '2026-03-05T12:00:00Z');
    const svc = r.services.find((s) => s.service === 'web');
    assert.deepEqual(Object.keys(svc).sort(), ['agreed_seconds', 'availability_percent', 'downtime_seconds', 'mtbf_seconds', 'mttr_seconds', 'outages', 'service', 'target_met', 'target_percent']);
    // 24x7 March 2026 (UTC): 31 days less 2 h planned; unplanned 30 min + 15 min + 10 of 20 min outside maintenance.
    const agreed = 31 * 86400 - 7200;
    assert.equal(svc.agreed_seconds, agreed);
    assert.equal(svc.downtime_seconds, 3300);
    assert.equal(svc.outages, 3);
    // 100 × (2671200 − 3300) / 2671200 = 99.876459…, 4 decimals rounded down.
    assert.equal(svc.availability_percent, 99.8764);
    assert.equal(svc.target_percent, 99.9);
    assert.equal(svc.target_met, false);
    assert.equal(svc.mttr_seconds, 1100);
    // (2671200 − 3300) / 3 = 889300 s
    assert.equal(svc.mtbf_seconds, 889300);
  });
  it('renders CSV and a self-contained HTML page with SVG charts', async () => {
    const csv = await manager.get('/api/v1/reports/service-level?customer=acme&month=2026-03&format=csv');
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get('content-type'), /text\/csv/);
    assert.match(csv.text, /^sla,service,tickets/m);
    const html = await manager.get('/api/v1/reports/service-level?customer=acme&month=2026-03&format=html');
    assert.equal(html.status, 200);
    assert.match(html.headers.get('content-type'), /text\/html/);
    assert.equal((html.text.match(/<svg/g) || []).length, 2);
    assert.doesNotMatch(html.text, /<script|<link|src="http/);
    const out = cliOk(store.db, ['sla', 'report', '--customer', 'acme', '--month', '2026-03', '--format', 'json']);
    assert.equal(JSON.parse(out).slas.find((s) => s.sla === 'acme-web').tickets, 4);
    assert.match(cliOk(store.db, ['sla', 'report', '--customer', 'acme', '--month', '2026-03', '--format', 'html']), /<svg/);
  });
  it('refuses unknown customers and bad months; requesters see only their own', async () => {
    expectError(await manager.get('/api/v1/reports/service-level?customer=nope&month=2026-03'), 400, 'invalid', 'customer');
    expectError(await manager.get('/api/v1/reports/service-level?customer=acme&month=2026-13'), 400, 'invalid', 'month');
    expectError(await manager.get('/api/v1/reports/service-level?customer=acme'), 400, 'invalid', 'month');
    expectError(await manager.get('/api/v1/reports/service-level?customer=acme&month=2026-03&format=pdf'), 400, 'invalid', 'format');
    expectStatus(await alice.get('/api/v1/reports/service-level?customer=acme&month=2026-03'), 200);
    expectError(await dave.get('/api/v1/reports/service-level?customer=acme&month=2026-03'), 404, 'not_found');
  });
  it('escapes a name a spreadsheet would run as a formula, and the CSV parses back', async () => {
    // SLA names may begin with '-': Excel and LibreOffice would evaluate the cell.
    cliOk(store.db, ['customer', 'add', 'formula-co']);
    expectStatus(await manager.post('/api/v1/slas', slaBody({ name: '-cmd', customer: 'formula-co', service: 'web' })), 201);
    const q = '/api/v1/reports/service-level?customer=formula-co&month=2026-03';
    const json = expectStatus(await manager.get(q), 200);
    assert.equal(json.slas[0].sla, '-cmd');
    const csv = await manager.get(`${q}&format=csv`);
    assert.equal(csv.status, 200);
    assert.match(csv.text, /^"'-cmd","web",0,0,0,0,0,,,,,0$/m);
    const rows = parseCsv(csv.text);
    // the comment line, the SLA table, a blank line, the service table
    assert.deepEqual(rows[1], ['sla', 'service', 'tickets', 'responses', 'response_met', 'resolutions', 'resolution_met',
      'response_percent', 'resolution_percent', 'compliance_percent', 'mttr_seconds', 'breaches_total']);
    assert.deepEqual(rows[2], ["'-cmd", 'web', '0', '0', '0', '0', '0', '', '', '', '', '0']);
    assert.deepEqual(rows[3], ['']);
    assert.equal(rows[4][0], 'service');
    assert.equal(rows[5][0], 'web');
    assert.equal(rows.length, 6);
    for (const r of rows.slice(1)) for (const c of r) assert.doesNotMatch(c, /^[=+\-@\t\r]/);
  });
});

describe('the outbox across a restart, and mail through mail.sendmail', () => {
  it('keeps pending notices through a restart and retries them with backoff', async () => {
    const before = expectStatus(await admin.get('/api/v1/sla/outbox?state=pending&limit=500'), 200).items;
    const refused = before.filter((x) => x.target.includes(':1/refused'));
    assert.ok(refused.length >= 1);
    await stopClean(srv);
    conf = writeConfig('itsm.conf', `[outbound]\nallow = 127.0.0.1:${hookPort}, 127.0.0.1:1\n`
      + `[mail]\nsendmail = ${fakeSendmail()} -i -t\n`);
    srv = await startServer(store.db, ['--config', conf, '--allow-clock'], { ITSM_SENDMAIL: `touch '${store.dir}/shell-ran'` });
    admin = client(srv.url, tokens.admin);
    agent = client(srv.url, tokens.agent1);
    manager = client(srv.url, tokens.manager1);
    let after = expectStatus(await admin.get('/api/v1/sla/outbox?state=pending&limit=500'), 200).items;
    const again = after.find((x) => x.id === refused[0].id);
    assert.ok(again, 'the pending notice survived the restart');
    // Not due before its backoff has passed; retried once it has.
    let r = expectStatus(await admin.post('/api/v1/sla/tick', { now: iso(T(again.next_at) - 1) }), 200);
    assert.equal(expectStatus(await admin.get('/api/v1/sla/outbox?state=pending&limit=500'), 200)
      .items.find((x) => x.id === again.id).attempts, again.attempts);
    r = expectStatus(await admin.post('/api/v1/sla/tick', { now: iso(T(again.next_at)) }), 200);
    assert.ok(r.failed >= 1);
    after = expectStatus(await admin.get('/api/v1/sla/outbox?limit=500'), 200).items;
    const retried = after.find((x) => x.id === again.id);
    assert.equal(retried.attempts, again.attempts + 1);
    assert.ok(T(retried.next_at) - T(again.next_at) >= 60, 'the backoff doubles');
    // A mailto: notice goes to the configured command: its own argv, the
    // message on its standard input, no shell (ITSM_SENDMAIL is not read).
    const t = await createTicket(agent, { customer: 'acme', service: 'vpn', impact: 1, urgency: 1 });
    r = expectStatus(await admin.post('/api/v1/sla/tick', { now: iso(T(t.created_at) + 61) }), 200);
    assert.ok(r.sent >= 1);
    const sent = expectStatus(await admin.get('/api/v1/sla/outbox?state=sent&limit=500'), 200).items;
    assert.ok(sent.some((x) => x.target === 'mailto:duty@example.com' && x.payload.ticket === t.key));
    const m = mails().find((x) => x.stdin.includes(t.key));
    assert.ok(m, 'the fake sendmail got the message');
    assert.equal(m.argv, '-i\n-t\n');
    assert.match(m.stdin, /^To: duty@example\.com\nSubject: itsm service level notice\n/);
    assert.match(m.stdin, /\n\n\{.*"ticket":/);
    const { existsSync } = await import('node:fs');
    assert.equal(existsSync(join(store.dir, 'shell-ran')), false);
  });
});

describe('outbound rules again when a notice is sent', () => {
  // A name other than localhost that resolves to loopback here (the
  // machine's own name, as /etc/hosts often has it), if there is one.
  async function loopbackName() {
    for (const name of [hostname(), 'vm', 'runsc', 'ip6-localhost']) {
      try {
        const all = await lookup(name, { all: true });
        if (name !== 'localhost' && /^[a-z0-9.-]+$/i.test(name) && all.length
          && all.every((a) => a.address.startsWith('127.') || a.address === '::1')) return name;
      } catch { /* not this one */ }
    }
    return null;
  }

  it('refuses what the rules refuse now: an allow-list narrowed, a name resolving to loopback, a target changed behind the API', async () => {
    const name = await loopbackName();
    expectStatus(await manager.post('/api/v1/services', { key: 'hr' }), 201);
    const esc = [
      { on: 'breach', notify: `${hookUrl}/late` },
      { on: 'breach', notify: 'mailto:tamper@example.com' },
    ];
    if (name) esc.push({ on: 'breach', notify: `http://${name}:${hookPort}/rebind` });
    expectStatus(await manager.post('/api/v1/slas', slaBody({ name: 'acme-hr', service: 'hr', targets: targets(1, 2), escalations: esc })), 201);
    await stopClean(srv);
    // the stored target is changed behind the API's back
    sql(store.db, "UPDATE slas SET body = replace(body, 'mailto:tamper@example.com', "
      + "'mailto:tamper@example.com\\nBcc: x@evil.example') WHERE name = 'acme-hr'");
    // and the allow-list no longer names the receiver
    conf = writeConfig('itsm.conf', `[mail]\nsendmail = ${fakeSendmail()} -i -t\n`);
    srv = await startServer(store.db, ['--config', conf, '--allow-clock']);
    admin = client(srv.url, tokens.admin);
    agent = client(srv.url, tokens.agent1);
    const t = await createTicket(agent, { customer: 'acme', service: 'hr', impact: 1, urgency: 1 });
    const before = received.length;
    expectStatus(await admin.post('/api/v1/sla/tick', { now: iso(T(t.created_at) + 61) }), 200);
    const ob = expectStatus(await admin.get('/api/v1/sla/outbox?limit=500'), 200).items
      .filter((x) => x.payload.ticket === t.key);
    const late = ob.filter((x) => x.target.endsWith('/late'));
    assert.ok(late.length >= 1);
    for (const x of late) {
      assert.equal(x.state, 'undeliverable');
      assert.match(x.last_error, /127\.0\.0\.1, a loopback address/);
    }
    const tampered = ob.filter((x) => x.target.startsWith('mailto:tamper@'));
    assert.ok(tampered.length >= 1);
    for (const x of tampered) {
      assert.equal(x.state, 'undeliverable');
      assert.match(x.last_error, /control character/);
    }
    if (name) {
      const rebind = ob.filter((x) => x.target.endsWith('/rebind'));
      assert.ok(rebind.length >= 1);
      for (const x of rebind) {
        assert.equal(x.state, 'undeliverable');
        assert.match(x.last_error, /resolves to (127\.[0-9.]+|::1), a loopback address/);
      }
    }
    assert.equal(received.slice(before).filter((x) => x.body.ticket === t.key).length, 0, 'the receiver heard nothing');
    for (const m of mails()) assert.doesNotMatch(m.stdin, /evil|Bcc/);
    // The change behind the API is also what the audit chain names ...
    const v = expectStatus(await admin.get('/api/v1/audit/verify'), 200);
    assert.equal(v.ok, false);
    assert.match(v.reason, /sla:acme-hr differs from the state audited/);
    // ... until it is undone (so the rest of this file's records verify).
    sql(store.db, "UPDATE slas SET body = replace(body, 'mailto:tamper@example.com\\nBcc: x@evil.example', "
      + "'mailto:tamper@example.com') WHERE name = 'acme-hr'");
    assert.equal(expectStatus(await admin.get('/api/v1/audit/verify'), 200).ok, true);
  });
});

describe('audit', () => {
  it('every record written here verifies', async () => {
    const v = expectStatus(await admin.get('/api/v1/audit/verify'), 200);
    assert.equal(v.ok, true, JSON.stringify(v));
    const a = expectStatus(await admin.get('/api/v1/audit?limit=500'), 200);
    const entities = new Set(a.items.map((x) => x.entity.split(':')[0]));
    for (const k of ['service', 'calendar', 'sla', 'outage', 'ticket']) assert.ok(entities.has(k), k);
  });
});
