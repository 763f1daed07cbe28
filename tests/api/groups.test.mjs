// groups.test.mjs — assignment groups on tickets and the routing rules that
// set them: the group field at create and update (staff only, shape
// checked, history and audit), the list filter (names, none, mine), routing
// rules (admins write, staff read, ordered, first match wins, matched on
// service, kind, keyword in any case and script, mail queue and monitored
// item), and an SLA escalation's reassign_group moving the ticket's own
// group — over the HTTP API and the CLI, with the unhappy paths: every
// refused write is checked to have left nothing behind.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  makeStore, seed, startServer, client, cli, cliOk, expectError, expectStatus, createTicket,
  listAll, stopClean, sql,
} from './lib.mjs';

let store, srv, tokens, admin, agent, manager, alice, dave, gateway, intake;

const T = (s) => Date.parse(s) / 1000;
const iso = (t) => new Date(t * 1000).toISOString().replace('.000Z', 'Z');
const count = (table) => Number(sql(store.db, `SELECT count(*) FROM ${table}`));
const history = async (key) => expectStatus(await agent.get(`/api/v1/tickets/${key}/history`), 200).items;
const keys = (items) => items.map((x) => x.key).sort();

before(async () => {
  store = makeStore();
  tokens = seed(store.db);
  // agent1 works in two groups; "mine" means them.
  cliOk(store.db, ['user', 'update', 'agent1', '--group', 'desk,network']);
  tokens.gateway = cliOk(store.db, ['token', 'create', 'mailgw', '--user', 'agent1', '--scope', 'events']);
  tokens.intake = cliOk(store.db, ['token', 'create', 'mon', '--user', 'operator1', '--scope', 'events']);
  const conf = join(store.dir, 'itsm.conf');
  writeFileSync(conf, '[mail]\nqueue_kinds = facilities=request\n');
  srv = await startServer(store.db, ['--allow-clock'], { ITSM_CONFIG: conf });
  admin = client(srv.url, tokens.admin);
  agent = client(srv.url, tokens.agent1);
  manager = client(srv.url, tokens.manager1);
  alice = client(srv.url, tokens.alice);
  dave = client(srv.url, tokens.dave);
  gateway = client(srv.url, tokens.gateway);
  intake = client(srv.url, tokens.intake);
  for (const key of ['email', 'vpn']) expectStatus(await manager.post('/api/v1/services', { key }), 201);
  const u = expectStatus(await admin.get('/api/v1/users/alice'), 200);
  expectStatus(await admin.patch('/api/v1/users/alice', { version: u.version, email: 'alice@acme.example' }), 200);
});

after(async () => {
  if (srv) await stopClean(srv);
  store?.cleanup();
});

describe('the group of a ticket', () => {
  it('staff set it at creation; a ticket without one has no group key at all', async () => {
    const t = await createTicket(agent, { group: 'network' });
    assert.equal(t.group, 'network');
    const plain = await createTicket(agent);
    assert.ok(!('group' in plain), 'no group: the key is left out');
    const got = expectStatus(await agent.get(`/api/v1/tickets/${t.key}`), 200);
    assert.equal(got.group, 'network');
    // A group no user carries yet is taken (an escalation or a rule may name it first).
    assert.equal((await createTicket(agent, { group: 'nobody-yet' })).group, 'nobody-yet');
  });

  it('refuses a malformed group (400 on group) and a requester naming one (403), storing nothing', async () => {
    const before = count('tickets');
    for (const group of ['', 'two words', 'a/b', 'x'.repeat(64), 7]) {
      expectError(await agent.post('/api/v1/tickets', { kind: 'incident', title: 't', group }), 400, 'invalid', 'group');
    }
    expectError(await alice.post('/api/v1/tickets', { kind: 'incident', title: 't', group: 'desk' }), 403, 'forbidden', 'group');
    assert.equal(count('tickets'), before);
  });

  it('staff change and clear it by update, in the history and the audit log; requesters cannot', async () => {
    let t = await createTicket(agent, { customer: 'acme', requester: 'alice' });
    t = expectStatus(await agent.patch(`/api/v1/tickets/${t.key}`, { version: t.version, group: 'desk' }), 200);
    assert.equal(t.group, 'desk');
    assert.equal(t.version, 2);
    expectError(await alice.patch(`/api/v1/tickets/${t.key}`, { version: t.version, group: 'network' }), 403, 'forbidden', 'group');
    expectError(await agent.patch(`/api/v1/tickets/${t.key}`, { version: t.version, group: 'no way' }), 400, 'invalid', 'group');
    expectError(await agent.patch(`/api/v1/tickets/${t.key}`, { version: t.version, group: 3 }), 400, 'invalid', 'group');
    expectError(await agent.patch(`/api/v1/tickets/${t.key}`, { version: 1, group: 'network' }), 409, 'conflict', 'version');
    // the same group again is no change: no new version
    assert.equal(expectStatus(await agent.patch(`/api/v1/tickets/${t.key}`, { version: t.version, group: 'desk' }), 200).version, 2);
    t = expectStatus(await agent.patch(`/api/v1/tickets/${t.key}`, { version: t.version, group: null }), 200);
    assert.ok(!('group' in t));
    const h = (await history(t.key)).filter((x) => x.field === 'group').map((x) => [x.old, x.new]);
    assert.deepEqual(h, [[null, 'desk'], ['desk', null]]);
    const audit = await listAll(admin, '/api/v1/audit?limit=500');
    const mine = audit.filter((x) => x.entity === `ticket:${t.key}` && x.action === 'ticket.update');
    assert.equal(mine.length, 2);
    // the requester sees the group of their own ticket (as they see the assignee)
    expectStatus(await agent.patch(`/api/v1/tickets/${t.key}`, { version: t.version, group: 'desk' }), 200);
    assert.equal(expectStatus(await alice.get(`/api/v1/tickets/${t.key}`), 200).group, 'desk');
  });

  it('lists by group: names, several, none, mine; a malformed name is 400', async () => {
    const a = await createTicket(agent, { group: 'desk', title: 'list a' });
    const b = await createTicket(agent, { group: 'network', title: 'list b' });
    const c = await createTicket(agent, { group: 'facilities', title: 'list c' });
    const d = await createTicket(agent, { title: 'list d' });
    const all = [a, b, c, d].map((x) => x.key);
    const only = async (q) => keys((await listAll(agent, `/api/v1/tickets?${q}&limit=500`)).filter((x) => all.includes(x.key)));
    assert.deepEqual(await only('group=desk'), [a.key]);
    assert.deepEqual(await only('group=desk,facilities'), keys([a, c]));
    assert.deepEqual(await only('group=none'), [d.key]);
    assert.deepEqual(await only('group=mine'), keys([a, b]), 'agent1 is in desk and network');
    assert.deepEqual(await only('group=mine,none'), keys([a, b, d]));
    // manager1 is in no group: "mine" is nothing
    const m = (await listAll(manager, '/api/v1/tickets?group=mine&limit=500')).filter((x) => all.includes(x.key));
    assert.deepEqual(m, []);
    expectError(await agent.get('/api/v1/tickets?group=a%20b'), 400, 'invalid', 'group');
    expectError(await agent.get('/api/v1/tickets?group=desk,'), 400, 'invalid', 'group');
    expectError(await agent.get('/api/v1/tickets?group='), 400, 'invalid', 'group');
  });

  it('the CLI sets, lists and shows the group', async () => {
    const out = cliOk(store.db, ['--as', 'agent1', 'ticket', 'create', '--kind', 'request', '--title', 'cli group', '--group', 'desk']);
    const key = out.match(/created (REQ-\d+)/)[1];
    assert.match(cliOk(store.db, ['--as', 'agent1', 'ticket', 'show', key]), /^group\s+desk$/m);
    cliOk(store.db, ['--as', 'agent1', 'ticket', 'update', key, '--group', 'network']);
    const listed = JSON.parse(cliOk(store.db, ['--as', 'agent1', '--json', 'ticket', 'list', '--group', 'network', '--limit', '500']));
    assert.ok(listed.items.some((x) => x.key === key && x.group === 'network'));
    cliOk(store.db, ['--as', 'agent1', 'ticket', 'update', key, '--group', 'none']);
    assert.ok(!('group' in JSON.parse(cliOk(store.db, ['--as', 'agent1', '--json', 'ticket', 'show', key]))));
    const bad = cli(store.db, ['--as', 'agent1', 'ticket', 'create', '--kind', 'request', '--title', 'x', '--group', 'a b']);
    assert.notEqual(bad.status, 0);
    assert.match(bad.stderr, /malformed group name 'a b'/);
  });
});

describe('routing rules', () => {
  it('admins add, read, update and delete them; staff read; others are refused', async () => {
    const r = expectStatus(await admin.post('/api/v1/routing-rules', { name: 'tmp', group: 'desk', service: 'email', position: 5 }), 201);
    assert.deepEqual({ ...r, created_at: undefined, updated_at: undefined }, {
      name: 'tmp', position: 5, service: 'email', kind: null, ci: null, queue: null, keyword: null,
      group: 'desk', version: 1, created_at: undefined, updated_at: undefined,
    });
    assert.equal(expectStatus(await agent.get('/api/v1/routing-rules/tmp'), 200).group, 'desk');
    assert.ok(expectStatus(await agent.get('/api/v1/routing-rules'), 200).items.some((x) => x.name === 'tmp'));
    expectError(await alice.get('/api/v1/routing-rules'), 403, 'forbidden');
    expectError(await agent.post('/api/v1/routing-rules', { name: 'x', group: 'g' }), 403, 'forbidden');
    expectError(await manager.patch('/api/v1/routing-rules/tmp', { version: 1, group: 'g' }), 403, 'forbidden');
    expectError(await agent.del('/api/v1/routing-rules/tmp'), 403, 'forbidden');
    const u = expectStatus(await admin.patch('/api/v1/routing-rules/tmp', { version: 1, service: null, keyword: 'vpn' }), 200);
    assert.equal(u.service, null);
    assert.equal(u.keyword, 'vpn');
    assert.equal(u.version, 2);
    expectError(await admin.patch('/api/v1/routing-rules/tmp', { version: 1, group: 'x' }), 409, 'conflict', 'version');
    expectError(await admin.patch('/api/v1/routing-rules/nope', { version: 1, group: 'x' }), 404, 'not_found');
    assert.deepEqual(expectStatus(await admin.del('/api/v1/routing-rules/tmp'), 200), { deleted: 'tmp' });
    expectError(await agent.get('/api/v1/routing-rules/tmp'), 404, 'not_found');
    expectError(await admin.del('/api/v1/routing-rules/tmp'), 404, 'not_found');
    const audit = (await listAll(admin, '/api/v1/audit?limit=500')).filter((x) => x.entity === 'routing_rule:tmp');
    assert.deepEqual(audit.map((x) => x.action), ['routing.create', 'routing.update', 'routing.delete']);
  });

  it('refuses malformed rules naming the field, and duplicates with 409, storing nothing', async () => {
    const before = count('routing_rules');
    const bad = [
      [{ group: 'g' }, 'name'],
      [{ name: 'bad name', group: 'g' }, 'name'],
      [{ name: 'r' }, 'group'],
      [{ name: 'r', group: 'no way' }, 'group'],
      [{ name: 'r', group: 'g', kind: 'incidnet' }, 'kind'],
      [{ name: 'r', group: 'g', service: 'a b' }, 'service'],
      [{ name: 'r', group: 'g', ci: 'a/b' }, 'ci'],
      [{ name: 'r', group: 'g', queue: 'a b' }, 'queue'],
      [{ name: 'r', group: 'g', keyword: '   ' }, 'keyword'],
      [{ name: 'r', group: 'g', keyword: 'k'.repeat(101) }, 'keyword'],
      [{ name: 'r', group: 'g', position: -1 }, 'position'],
      [{ name: 'r', group: 'g', position: 'first' }, 'position'],
      [{ name: 'r', group: 'g', colour: 'red' }, 'colour'],
    ];
    for (const [body, field] of bad) expectError(await admin.post('/api/v1/routing-rules', body), 400, 'invalid', field);
    expectStatus(await admin.post('/api/v1/routing-rules', { name: 'dup', group: 'g', keyword: 'zzz-never' }), 201);
    expectError(await admin.post('/api/v1/routing-rules', { name: 'dup', group: 'h' }), 409, 'conflict', 'name');
    expectError(await admin.patch('/api/v1/routing-rules/dup', { version: 1, kind: 'nope' }), 400, 'invalid', 'kind');
    expectError(await admin.patch('/api/v1/routing-rules/dup', { group: 'x' }), 400, 'invalid', 'version');
    expectError(await admin.patch('/api/v1/routing-rules/dup', { version: 1, name: 'other' }), 400, 'invalid', 'name');
    assert.equal(count('routing_rules'), before + 1);
    expectStatus(await admin.del('/api/v1/routing-rules/dup'), 200);
  });

  it('tries rules in order, the first match wins; a named group is never overridden', async () => {
    // position 10 < 20 < 30: "vpn-incidents" is tried before "vpn" and the catch-all.
    expectStatus(await admin.post('/api/v1/routing-rules', { name: 'vpn', group: 'network', service: 'vpn', position: 20 }), 201);
    expectStatus(await admin.post('/api/v1/routing-rules', { name: 'vpn-incidents', group: 'network-l2', service: 'vpn', kind: 'incident', position: 10 }), 201);
    expectStatus(await admin.post('/api/v1/routing-rules', { name: 'screens', group: 'hardware', keyword: 'ÉCRAN', position: 30 }), 201);
    const list = expectStatus(await agent.get('/api/v1/routing-rules'), 200).items.map((x) => x.name);
    assert.deepEqual(list, ['vpn-incidents', 'vpn', 'screens']);

    const inc = await createTicket(agent, { service: 'vpn', title: 'VPN down' });
    assert.equal(inc.group, 'network-l2');
    const req = await createTicket(agent, { kind: 'request', service: 'vpn', title: 'VPN access' });
    assert.equal(req.group, 'network');
    // keyword: any case, beyond ASCII (É/é), in the title or the description
    assert.equal((await createTicket(agent, { title: 'Mon écran clignote' })).group, 'hardware');
    assert.equal((await createTicket(agent, { title: 'display', description: 'L\'Écran est noir' })).group, 'hardware');
    assert.ok(!('group' in await createTicket(agent, { title: 'ecran sans accent' })), 'e is not é');
    // a requester's own ticket is routed too
    assert.equal((await createTicket(alice, { service: 'vpn', kind: 'request', title: 'access' })).group, 'network');
    // a named group wins over every rule
    assert.equal((await createTicket(agent, { service: 'vpn', title: 'x', group: 'desk' })).group, 'desk');
    // the history says which rule routed it
    const h = (await history(inc.key)).filter((x) => x.field === 'group' || x.field === 'routed_by');
    assert.deepEqual(h.map((x) => [x.field, x.old, x.new]), [['group', null, 'network-l2'], ['routed_by', null, 'vpn-incidents']]);
    // reordering changes the winner
    const r = expectStatus(await agent.get('/api/v1/routing-rules/vpn'), 200);
    expectStatus(await admin.patch('/api/v1/routing-rules/vpn', { version: r.version, position: 1 }), 200);
    assert.equal((await createTicket(agent, { service: 'vpn', title: 'VPN down again' })).group, 'network');
  });

  it('matches the mail queue a message came to', async () => {
    expectStatus(await admin.post('/api/v1/routing-rules', { name: 'facilities-mail', group: 'facilities', queue: 'facilities', position: 0 }), 201);
    const raw = (id, subject) => Buffer.from(`From: Alice <alice@acme.example>\r\nTo: desk@itsm.example\r\n`
      + `Subject: ${subject}\r\nMessage-ID: <${id}@acme.example>\r\nDate: Thu, 03 Dec 2026 10:00:00 +0000\r\n`
      + 'Content-Type: text/plain; charset=us-ascii\r\n\r\nThe light in room 4 is out.\r\n');
    const deliver = (bytes, q) => gateway.post(`/api/v1/mail/inbound${q}`, bytes, { 'content-type': 'message/rfc822' });
    const m = expectStatus(await deliver(raw('g-1', 'Light out'), '?queue=facilities'), 200);
    const t = expectStatus(await agent.get(`/api/v1/tickets/${m.ticket}`), 200);
    assert.equal(t.group, 'facilities');
    assert.equal(t.channel, 'email');
    const other = expectStatus(await deliver(raw('g-2', 'Light out too'), ''), 200);
    assert.ok(!('group' in expectStatus(await agent.get(`/api/v1/tickets/${other.ticket}`), 200)));
  });

  it('matches the item a monitoring incident is about', async () => {
    expectStatus(await agent.post('/api/v1/cis', { key: 'core-sw1', name: 'core switch', type: 'server' }), 201);
    expectStatus(await admin.post('/api/v1/routing-rules', { name: 'core', group: 'network-core', ci: 'core-sw1', position: 0 }), 201);
    const r = expectStatus(await intake.post('/api/v1/events', {
      source: 'nagios', resource: 'core-sw1', check: 'ping', severity: 'critical', summary: 'PING CRITICAL',
    }), 202);
    assert.equal(r.outcome, 'opened');
    const alerts = await listAll(agent, '/api/v1/alerts?limit=500');
    const a = expectStatus(await agent.get(`/api/v1/alerts/${alerts.find((x) => x.dedup_key === 'nagios::core-sw1::ping').id}`), 200);
    const t = expectStatus(await agent.get(`/api/v1/tickets/${a.incident}`), 200);
    assert.equal(t.group, 'network-core');
    assert.equal(t.channel, 'monitoring');
  });

  it('the CLI adds, lists, shows, updates and deletes rules', async () => {
    assert.match(cliOk(store.db, ['routing', 'add', 'cli-rule', '--group', 'desk', '--kind', 'inquiry', '--position', '500']), /added routing rule cli-rule/);
    assert.match(cliOk(store.db, ['routing', 'list']), /cli-rule/);
    assert.match(cliOk(store.db, ['routing', 'show', 'cli-rule']), /^kind\s+inquiry$/m);
    cliOk(store.db, ['routing', 'update', 'cli-rule', '--kind', 'none', '--keyword', 'printer']);
    const got = JSON.parse(cliOk(store.db, ['--json', 'routing', 'show', 'cli-rule']));
    assert.equal(got.kind, null);
    assert.equal(got.keyword, 'printer');
    assert.equal(got.version, 2);
    const refused = cli(store.db, ['--as', 'agent1', 'routing', 'add', 'x', '--group', 'g']);
    assert.notEqual(refused.status, 0);
    assert.match(refused.stderr, /only admins define routing rules/);
    assert.match(cliOk(store.db, ['routing', 'delete', 'cli-rule']), /deleted routing rule cli-rule/);
    assert.notEqual(cli(store.db, ['routing', 'show', 'cli-rule']).status, 0);
  });
});

describe('on behalf of a new contact', () => {
  const users = async () => expectStatus(await admin.get('/api/v1/users'), 200).items;

  it('staff log a ticket for a caller who is no user yet: the contact is added in the same write', async () => {
    const t = await createTicket(agent, {
      customer: 'acme', channel: 'phone', title: 'Printer jam on floor 3',
      requester: { name: 'Carol Chen', email: 'Carol.Chen+desk@ACME.example', phone: '+44 20 7946 0958' },
    });
    // the username is the address in lower case, '+' made '_'
    assert.equal(t.requester, 'carol.chen_desk@acme.example');
    assert.equal(t.customer, 'acme');
    assert.equal(t.channel, 'phone');
    const u = (await users()).find((x) => x.username === t.requester);
    assert.deepEqual({ role: u.role, customer: u.customer, email: u.email, phone: u.phone, name: u.name, active: u.active },
      { role: 'requester', customer: 'acme', email: 'Carol.Chen+desk@ACME.example', phone: '+44 20 7946 0958', name: 'Carol Chen', active: true });
    // users stored before keep their form: no phone key
    assert.ok(!('phone' in (await users()).find((x) => x.username === 'alice')));
    // a second contact whose address gives the same username gets a suffix
    const t2 = await createTicket(agent, { customer: 'acme', title: 'again', requester: { name: 'Other', email: 'carol.chen+desk@acme.example.org' } });
    assert.equal(t2.requester, 'carol.chen_desk@acme.example.org');
    const audit = (await listAll(admin, '/api/v1/audit?limit=500')).filter((x) => x.entity === `user:${t.requester}`);
    assert.deepEqual(audit.map((x) => [x.action, x.actor]), [['user.add', 'agent1']]);
  });

  it('refuses a taken e-mail, a malformed contact and a missing customer with 400 naming the field, storing nothing', async () => {
    const before = [count('tickets'), count('users'), count('audit_log')];
    const bad = [
      [{ customer: 'acme', requester: { name: 'Dup', email: 'CAROL.CHEN+DESK@acme.example' } }, 'requester.email'],
      [{ customer: 'acme', requester: { name: 'Alice again', email: 'alice@acme.example' } }, 'requester.email'],
      [{ customer: 'acme', requester: { name: 'N', email: 'no-at-sign' } }, 'requester.email'],
      [{ customer: 'acme', requester: { name: 'N', email: 'two@@acme.example' } }, 'requester.email'],
      [{ customer: 'acme', requester: { name: 'N', email: 'a b@acme.example' } }, 'requester.email'],
      [{ customer: 'acme', requester: { name: 'N' } }, 'requester.email'],
      [{ customer: 'acme', requester: { email: 'n@acme.example' } }, 'requester.name'],
      [{ customer: 'acme', requester: { name: '  ', email: 'n@acme.example' } }, 'requester.name'],
      [{ customer: 'acme', requester: { name: 'N', email: 'n@acme.example', phone: 'call me' } }, 'requester.phone'],
      [{ customer: 'acme', requester: { name: 'N', email: 'n@acme.example', phone: '12' } }, 'requester.phone'],
      [{ customer: 'acme', requester: { name: 'N', email: 'n@acme.example', fax: '1' } }, 'requester.fax'],
      [{ requester: { name: 'N', email: 'n@acme.example' } }, 'customer'],
      [{ customer: 'nope', requester: { name: 'N', email: 'n@acme.example' } }, 'customer'],
      [{ customer: 'acme', requester: 7 }, 'requester'],
    ];
    for (const [over, field] of bad) {
      expectError(await agent.post('/api/v1/tickets', { kind: 'incident', title: 'call', ...over }), 400, 'invalid', field);
    }
    expectError(await alice.post('/api/v1/tickets', { kind: 'incident', title: 'call', requester: { name: 'N', email: 'n@acme.example' } }), 403, 'forbidden', 'requester');
    assert.deepEqual([count('tickets'), count('users'), count('audit_log')], before);
  });
});

describe('monitoring incidents: requester, customer and SLA', () => {
  it('are nobody\'s request and take the most severe SLA among the customers the item\'s failure reaches', async () => {
    // db1 runs two services: erp (acme's SLA) and crm (globex's SLA).
    for (const key of ['erp', 'crm']) expectStatus(await manager.post('/api/v1/services', { key }), 201);
    for (const [key, type, extra] of [['erp-svc', 'service', { service: 'erp' }], ['crm-svc', 'service', { service: 'crm' }],
      ['db1', 'server', {}], ['lone1', 'server', {}]]) {
      expectStatus(await agent.post('/api/v1/cis', { key, name: key, type, ...extra }), 201);
    }
    for (const source of ['erp-svc', 'crm-svc']) {
      expectStatus(await agent.post('/api/v1/relationships', { source, type: 'depends_on', target: 'db1' }), 201);
    }
    // The same targets at every priority, so the incident's priority does
    // not change the choice: acme resolves in 240 min, globex in 120 min.
    // 120 < 240: globex's SLA is the most severe, whatever the response.
    const flat = (resp, res) => Object.fromEntries([1, 2, 3, 4, 5].map((p) => [String(p), { response_minutes: resp, resolution_minutes: res }]));
    expectStatus(await manager.post('/api/v1/slas', { name: 'acme-erp', customer: 'acme', service: 'erp', calendar: '24x7', targets: flat(10, 240) }), 201);
    expectStatus(await manager.post('/api/v1/slas', { name: 'globex-crm', customer: 'globex', service: 'crm', calendar: '24x7', targets: flat(60, 120) }), 201);
    const r = expectStatus(await intake.post('/api/v1/events', {
      source: 'nagios', resource: 'db1', check: 'disk', severity: 'critical', summary: 'DISK CRITICAL',
    }), 202);
    assert.equal(r.outcome, 'opened');
    const alerts = await listAll(agent, '/api/v1/alerts?limit=500');
    const a = expectStatus(await agent.get(`/api/v1/alerts/${alerts.find((x) => x.dedup_key === 'nagios::db1::disk').id}`), 200);
    const t = expectStatus(await agent.get(`/api/v1/tickets/${a.incident}`), 200);
    // the system opened it: shown as 'system', not the intake token's owner
    assert.equal(t.requester, 'system', 'not the intake token\'s owner');
    assert.equal(t.customer, 'globex');
    assert.equal(t.service, 'crm');
    assert.equal(t.sla.name, 'globex-crm');
    // its created_at + 120 min at every priority
    assert.equal(T(t.sla.resolution_due) - T(t.created_at), 120 * 60);
    // globex's requester sees it; acme's does not
    expectStatus(await dave.get(`/api/v1/tickets/${t.key}`), 200);
    expectError(await alice.get(`/api/v1/tickets/${t.key}`), 404, 'not_found');
    // the audit record names who sent the event all the same
    const audit = (await listAll(admin, '/api/v1/audit?limit=500')).find((x) => x.entity === `ticket:${t.key}` && x.action === 'ticket.create');
    assert.equal(audit.actor, 'operator1');

    // an item reaching no service under an SLA: no customer, still no requester
    expectStatus(await intake.post('/api/v1/events', {
      source: 'nagios', resource: 'lone1', check: 'disk', severity: 'critical', summary: 'DISK CRITICAL',
    }), 202);
    const all = await listAll(agent, '/api/v1/alerts?limit=500');
    const b = expectStatus(await agent.get(`/api/v1/alerts/${all.find((x) => x.dedup_key === 'nagios::lone1::disk').id}`), 200);
    const u = expectStatus(await agent.get(`/api/v1/tickets/${b.incident}`), 200);
    assert.equal(u.requester, 'system');
    assert.equal(u.customer, null);
    assert.equal(u.sla, null);

    // ...while the audited state keeps no requester (the chain is unchanged)
    const rec = (await listAll(admin, '/api/v1/audit?limit=500')).find((x) => x.entity === `ticket:${u.key}` && x.action === 'ticket.create');
    assert.equal(rec.change.after.requester, null);
    expectStatus(await admin.get('/api/v1/audit/verify'), 200);
    // requester=system lists the system's tickets, and only them, on every
    // page: here the monitoring incidents (t, u and the routing tests' one)
    const mine = (await listAll(agent, '/api/v1/tickets?requester=system&limit=1')).map((x) => x.key).sort();
    const every = await listAll(agent, '/api/v1/tickets?limit=500');
    const sys = every.filter((x) => x.requester === 'system');
    assert.deepEqual(mine, sys.map((x) => x.key).sort());
    assert.ok(mine.includes(t.key) && mine.includes(u.key));
    assert.ok(sys.every((x) => x.channel === 'monitoring'));
    assert.ok(every.length > sys.length, 'other tickets exist, not listed');
    // a requester finds their customer's only: globex's dave sees t, not u
    const daves = expectStatus(await dave.get('/api/v1/tickets?requester=system'), 200).items.map((x) => x.key);
    assert.ok(daves.includes(t.key) && !daves.includes(u.key));
    expectError(await agent.get('/api/v1/tickets?requester=nobody'), 400, 'invalid', 'requester');
    // no user may take the name
    const e = expectError(await admin.post('/api/v1/users', { username: 'system', role: 'agent' }), 400, 'invalid', 'username');
    assert.match(e.message, /reserved/);
  });
});

describe('OLAs attached by group', () => {
  // OLAs on service net: desk answers in 10 min and resolves in 60 min,
  // l2 in 30 and 240, at every priority, around the clock (24x7).
  const flat = (resp, res) => Object.fromEntries([1, 2, 3, 4, 5].map((p) => [String(p), { response_minutes: resp, resolution_minutes: res }]));
  let a, b, c, d;
  const month = new Date().toISOString().slice(0, 7);

  before(async () => {
    expectStatus(await manager.post('/api/v1/services', { key: 'net' }), 201);
    expectStatus(await manager.post('/api/v1/slas', { name: 'desk-net', group: 'desk', service: 'net', calendar: '24x7', targets: flat(10, 60) }), 201);
    expectStatus(await manager.post('/api/v1/slas', { name: 'l2-net', group: 'l2', service: 'net', calendar: '24x7', targets: flat(30, 240) }), 201);
  });

  it('a ticket with a group and a service under an OLA gets its clock beside the SLA\'s; requesters do not see it', async () => {
    a = await createTicket(agent, { customer: 'acme', requester: 'alice', service: 'net', group: 'desk', title: 'OLA a' });
    assert.equal(a.sla, null, 'acme has no SLA on net');
    assert.equal(a.ola.name, 'desk-net');
    // 10 min = 600 s and 60 min = 3,600 s after creation (24x7)
    assert.equal(T(a.ola.response_due) - T(a.created_at), 600);
    assert.equal(T(a.ola.resolution_due) - T(a.created_at), 3600);
    const h = (await history(a.key)).filter((x) => x.field === 'ola').map((x) => [x.old, x.new]);
    assert.deepEqual(h, [[null, 'desk-net']]);
    assert.ok(!('ola' in expectStatus(await alice.get(`/api/v1/tickets/${a.key}`), 200)), 'between groups only');
    assert.ok(!('ola' in await createTicket(agent, { service: 'net', title: 'no group' })), 'no group: no OLA');
    // the public reply is the response, resolved is the resolution: both met
    expectStatus(await agent.post(`/api/v1/tickets/${a.key}/comments`, { body: 'on it' }), 201);
    let t = expectStatus(await agent.get(`/api/v1/tickets/${a.key}`), 200);
    assert.equal(t.ola.response_met, true);
    t = expectStatus(await agent.patch(`/api/v1/tickets/${a.key}`, { version: t.version, status: 'in_progress' }), 200);
    t = expectStatus(await agent.patch(`/api/v1/tickets/${a.key}`, { version: t.version, status: 'resolved' }), 200);
    assert.equal(t.ola.resolution_met, true);
  });

  it('a change of group ends the old group\'s clock and starts the new group\'s OLA from the change', async () => {
    c = await createTicket(agent, { service: 'net', group: 'desk', title: 'OLA c' });
    const u = expectStatus(await agent.patch(`/api/v1/tickets/${c.key}`, { version: c.version, group: 'l2' }), 200);
    assert.equal(u.ola.name, 'l2-net');
    // 30 min = 1,800 s and 240 min = 14,400 s from the change
    assert.equal(T(u.ola.response_due) - T(u.updated_at), 1800);
    assert.equal(T(u.ola.resolution_due) - T(u.updated_at), 14400);
    const v = expectStatus(await agent.patch(`/api/v1/tickets/${c.key}`, { version: u.version, group: 'nobody-yet' }), 200);
    assert.ok(!('ola' in v), 'a group without an OLA on net: no clock');
    const h = (await history(c.key)).filter((x) => x.field === 'ola').map((x) => [x.old, x.new]);
    assert.deepEqual(h, [[null, 'desk-net'], ['desk-net', 'l2-net'], ['l2-net', null]]);
  });

  it('passing a ticket to and fro sets no clock back: the group resumes the time it spent', async () => {
    const g = await createTicket(agent, { service: 'net', group: 'desk', title: 'OLA g' });
    // desk has held g 3,000 s of its 3,600 (aged behind the server's back)
    const now = Math.floor(Date.now() / 1000);
    sql(store.db, `UPDATE ticket_ola SET run_from = ${now - 3000} WHERE ticket_id = ${g.id}`);
    const away = expectStatus(await agent.patch(`/api/v1/tickets/${g.key}`, { version: g.version, group: 'l2' }), 200);
    const back = expectStatus(await agent.patch(`/api/v1/tickets/${g.key}`, { version: away.version, group: 'desk' }), 200);
    assert.equal(back.ola.name, 'desk-net');
    // 3,600 - 3,000 = 600 s left from the return (a second or two of
    // slack for the requests in between, each adding to desk's 3,000)
    const left = T(back.ola.resolution_due) - T(back.updated_at);
    assert.ok(left <= 600 && left >= 595, String(left));
    // the response clock starts again: 600 s (10 min) from the return
    assert.equal(T(back.ola.response_due) - T(back.updated_at), 600);
  });

  it('the watcher fires OLA warnings and breaches as ola.* events', async () => {
    d = await createTicket(agent, { service: 'net', group: 'desk', title: 'OLA d' });
    const t0 = T(d.created_at);
    // warn at 75 % (warn_at's default) of 600 s = 450 s; the breach at 600 s
    expectStatus(await admin.post('/api/v1/sla/tick', { now: iso(t0 + 451) }), 200);
    assert.equal(expectStatus(await agent.get(`/api/v1/tickets/${d.key}`), 200).ola.breached, false);
    expectStatus(await admin.post('/api/v1/sla/tick', { now: iso(t0 + 601) }), 200);
    const h = (await history(d.key)).filter((x) => x.field.startsWith('ola.')).map((x) => `${x.field}:${x.new}`);
    assert.deepEqual(h.sort(), ['ola.response:breach', 'ola.response:warning']);
    const audit = (await listAll(admin, '/api/v1/audit?limit=500')).filter((x) => x.entity === `ticket:${d.key}` && x.action.startsWith('ola.'));
    assert.deepEqual(audit.map((x) => x.action).sort(), ['ola.breach', 'ola.warning']);
    assert.equal(expectStatus(await agent.get(`/api/v1/tickets/${d.key}`), 200).ola.breached, true);
  });

  it('reports compliance per OLA of a group, figures by hand', async () => {
    // b: open, its OLA clocks aged behind the server's back to have fallen due
    // a minute ago: both counted now, both missed.
    b = await createTicket(agent, { service: 'net', group: 'desk', title: 'OLA b' });
    const now = Math.floor(Date.now() / 1000);
    sql(store.db, `UPDATE ticket_ola SET resp_due = ${now - 60}, res_due = ${now - 30} WHERE ticket_id = ${b.id}`);
    // e: desk held it past both its targets — its response fell due 60 s
    // ago, its resolution clock has run 4,000 s (> 3,600) — and then passed
    // it on to l2. The handover ends desk's clock there, both missed: a
    // group does not shed a breach by passing the ticket on.
    const e = await createTicket(agent, { service: 'net', group: 'desk', title: 'OLA e' });
    sql(store.db, `UPDATE ticket_ola SET resp_due = ${now - 60}, run_from = ${now - 4000}, res_due = ${now - 10} WHERE ticket_id = ${e.id}`);
    const moved = expectStatus(await agent.patch(`/api/v1/tickets/${e.key}`, { version: e.version, group: 'l2' }), 200);
    assert.equal(moved.ola.name, 'l2-net');
    // f: answered and resolved by desk in time, as a was
    const f = await createTicket(agent, { service: 'net', group: 'desk', title: 'OLA f' });
    expectStatus(await agent.post(`/api/v1/tickets/${f.key}/comments`, { body: 'on it' }), 201);
    let ft = expectStatus(await agent.get(`/api/v1/tickets/${f.key}`), 200);
    ft = expectStatus(await agent.patch(`/api/v1/tickets/${f.key}`, { version: ft.version, status: 'in_progress' }), 200);
    expectStatus(await agent.patch(`/api/v1/tickets/${f.key}`, { version: ft.version, status: 'resolved' }), 200);
    const r = expectStatus(await agent.get(`/api/v1/reports/operational-level?group=desk&month=${month}`), 200);
    assert.equal(r.group, 'desk');
    const o = r.olas.find((x) => x.ola === 'desk-net');
    // Counted: a and f (both met), b (both missed), e (both missed at its
    // handover). Not c: desk passed it to l2 within a second, in time, so
    // desk neither answered nor resolved it — no verdict either way. Not
    // d: its due is 600 s after now in real time (the tick above ran at a
    // clock of its own).
    assert.equal(o.tickets, 4);
    // responses: a and f met, b and e missed → 2 of 4 = 50 %; resolutions the same
    assert.equal(o.responses, 4);
    assert.equal(o.response_met, 2);
    assert.equal(o.response_percent, 50);
    assert.equal(o.resolutions, 4);
    assert.equal(o.resolution_met, 2);
    assert.equal(o.resolution_percent, 50);
    // both clocks: 4 met of 8 = 50 %; the group's figure is the same
    assert.equal(o.compliance_percent, 50);
    assert.equal(r.compliance_percent, 50);
    assert.equal(o.breaches_total, 4);
    // the breaches listed as the SLA report lists them, most overdue first
    // (late = stopped, or now while open, minus due): b's response and e's
    // (stopped at the handover, at now or a second after) are 60 s late, b
    // first on the tie (the lower ticket), then b's resolution 30 s and e's
    // 10 s late.
    const handed = moved.updated_at;
    assert.deepEqual(o.breaches, [
      { ticket: b.key, clock: 'response', due: iso(now - 60), stopped: null },
      { ticket: e.key, clock: 'response', due: iso(now - 60), stopped: handed },
      { ticket: b.key, clock: 'resolution', due: iso(now - 30), stopped: null },
      { ticket: e.key, clock: 'resolution', due: iso(now - 10), stopped: handed },
    ]);
    // the mean time to resolve is that of a and f — seconds, well under
    // their 3,600 s: a handover's time is no resolution (e's 4,000 s is out)
    assert.ok(o.mttr_seconds >= 0 && o.mttr_seconds < 600, String(o.mttr_seconds));
    // l2's OLA: c passed on in time (no verdict), e's clock running and not
    // due → nothing counted
    const l2 = expectStatus(await agent.get(`/api/v1/reports/operational-level?group=l2&month=${month}`), 200).olas[0];
    assert.deepEqual([l2.ola, l2.tickets, l2.compliance_percent, l2.breaches], ['l2-net', 0, null, []]);
    expectError(await alice.get(`/api/v1/reports/operational-level?group=desk&month=${month}`), 403, 'forbidden');
    expectError(await agent.get(`/api/v1/reports/operational-level?month=${month}`), 400, 'invalid', 'group');
    expectError(await agent.get('/api/v1/reports/operational-level?group=desk&month=2026-13'), 400, 'invalid', 'month');
    expectError(await agent.get(`/api/v1/reports/operational-level?group=a%20b&month=${month}`), 400, 'invalid', 'group');
    const cliOut = JSON.parse(cliOk(store.db, ['--json', 'sla', 'ola-report', '--group', 'desk', '--month', month]));
    assert.equal(cliOut.olas.find((x) => x.ola === 'desk-net').compliance_percent, 50);
  });

  it('lists the 100 most overdue breaches of an OLA and counts them all', async () => {
    expectStatus(await manager.post('/api/v1/slas', { name: 'l3-net', group: 'l3', service: 'net', calendar: '24x7', targets: flat(10, 60) }), 201);
    const made = [];
    for (let i = 0; i < 101; i++) made.push(await createTicket(agent, { service: 'net', group: 'l3', title: `OLA l3 ${i}` }));
    // each response due 1,000 s + its id before now, so the later the
    // ticket the more overdue; the resolutions not due before tomorrow
    const now = Math.floor(Date.now() / 1000);
    const ids = made.map((x) => x.id);
    sql(store.db, `UPDATE ticket_ola SET resp_due = ${now - 1000} - ticket_id, res_due = ${now + 86400} WHERE ticket_id IN (${ids.join(',')})`);
    const o = expectStatus(await agent.get(`/api/v1/reports/operational-level?group=l3&month=${month}`), 200).olas[0];
    // 101 responses counted, none met: 101 breaches, 100 listed
    assert.deepEqual([o.ola, o.tickets, o.responses, o.response_met, o.resolutions], ['l3-net', 101, 101, 0, 0]);
    assert.equal(o.breaches_total, 101);
    assert.equal(o.breaches.length, 100);
    // the newest ticket first (its due is the earliest), the oldest left out
    const byLate = [...made].sort((x, y) => y.id - x.id).slice(0, 100).map((x) => x.key);
    assert.deepEqual(o.breaches.map((x) => x.ticket), byLate);
    assert.ok(o.breaches.every((x) => x.clock === 'response'));
    assert.equal(o.breaches[0].due, iso(now - 1000 - made[100].id));
    // the CLI's table says the same
    const text = cliOk(store.db, ['sla', 'ola-report', '--group', 'l3', '--month', month]);
    assert.match(text, /l3-net: 101 breaches, the most overdue first/);
    assert.ok(text.indexOf(byLate[0]) < text.indexOf(byLate[99]), 'most overdue first');
    assert.ok(!text.includes(`${made[0].key} `), 'the least overdue left out');
  });
});

describe('escalation reassign_group', () => {
  it('moves the ticket\'s own group at the breach: new version, history, audit; audit verify holds', async () => {
    const targets = Object.fromEntries([1, 2, 3, 4, 5].map((p) => [String(p), { response_minutes: p, resolution_minutes: 2 * p }]));
    expectStatus(await manager.post('/api/v1/slas', {
      name: 'acme-email', customer: 'acme', service: 'email', calendar: '24x7', targets,
      escalations: [{ on: 'breach', reassign_group: 'desk-l2' }],
    }), 201);
    const t = await createTicket(agent, { customer: 'acme', service: 'email', impact: 1, urgency: 1, group: 'desk' });
    const c = T(t.created_at);
    // priority 1: response due 1 min = 60 s after creation, resolution 2 min = 120 s.
    assert.equal(T(t.sla.response_due) - c, 60);
    expectStatus(await admin.post('/api/v1/sla/tick', { now: iso(c + 61) }), 200);
    const got = expectStatus(await agent.get(`/api/v1/tickets/${t.key}`), 200);
    assert.equal(got.group, 'desk-l2');
    assert.equal(got.sla.group, 'desk-l2');
    assert.ok(got.version > t.version, 'a new version of the ticket');
    // the stale version is refused now
    expectError(await agent.patch(`/api/v1/tickets/${t.key}`, { version: t.version, title: 'x' }), 409, 'conflict', 'version');
    // the resolution breach names the same group: no second move
    expectStatus(await admin.post('/api/v1/sla/tick', { now: iso(c + 121) }), 200);
    const h = (await history(t.key)).filter((x) => x.field === 'group').map((x) => [x.old, x.new]);
    assert.deepEqual(h, [['desk', 'desk-l2']]);
    const audit = (await listAll(admin, '/api/v1/audit?limit=500')).filter((x) => x.entity === `ticket:${t.key}` && x.action === 'sla.breach');
    assert.equal(audit.length, 2);
    const listed = (await listAll(agent, '/api/v1/tickets?group=desk-l2&limit=500')).map((x) => x.key);
    assert.ok(listed.includes(t.key));
  });

  it('the audit chain verifies every ticket and rule written here', async () => {
    const v = expectStatus(await admin.get('/api/v1/audit/verify'), 200);
    assert.equal(v.ok, true, JSON.stringify(v));
  });

  it('a rule changed behind the server\'s back fails audit verify, naming it', async () => {
    sql(store.db, "UPDATE routing_rules SET group_name = 'elsewhere' WHERE name = 'vpn'");
    const v = expectStatus(await admin.get('/api/v1/audit/verify'), 200);
    assert.equal(v.ok, false);
    assert.match(v.reason, /routing_rule:vpn differs from the state audited/);
    sql(store.db, "UPDATE routing_rules SET group_name = 'network' WHERE name = 'vpn'");
    assert.equal(expectStatus(await admin.get('/api/v1/audit/verify'), 200).ok, true);
  });
});
