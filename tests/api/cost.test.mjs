// cost.test.mjs — time spent and its cost end to end: entries recorded on
// tickets, changes and procedure executions at the rate in force (a group's
// before a role's), history imported all or nothing with the bad line named,
// the monthly cost report's figures against numbers worked out by hand (JSON,
// CSV, HTML), a rate change that rewrites no past month, stale corrections,
// bad input refused with nothing stored, who may do what, and the audit chain
// verifying at the end.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  makeStore, seed, startServer, client, cli, cliOk, expectError, expectStatus, listAll,
  stopClean, parseCsv, copyStore, sqlRun,
} from './lib.mjs';

let store, srv, tokens, agent, agent2, manager, operator, admin, requester, conf;

// The rates of the whole test, in yen per hour (JPY has no minor unit below
// the yen, so a minor unit is one yen).
const RATES = 'agent=6000, manager=9000, operator=5000, group:l2=8000, group:night=4530';

const today = new Date().toISOString().slice(0, 10);
const entries = async () => (await listAll(admin, '/api/v1/audit?limit=500'))
  .filter((r) => r.entity.startsWith('time:'));

before(async () => {
  store = makeStore();
  tokens = seed(store.db);
  cliOk(store.db, ['user', 'add', 'agent2', '--role', 'agent', '--groups', 'l2',
    '--password-stdin'], { input: 'correct-horse-battery\n' });
  tokens.agent2 = cliOk(store.db, ['token', 'create', 'test', '--user', 'agent2']);
  cliOk(store.db, ['user', 'update', 'operator1', '--group', 'night']);
  cliOk(store.db, ['service', 'add', 'mail', '--name', 'Mail']);
  cliOk(store.db, ['service', 'add', 'web', '--name', 'Web']);
  conf = join(store.dir, 'itsm.conf');
  writeFileSync(conf, `[cost]\nrates = ${RATES}\ncurrency = JPY\n`);
  srv = await startServer(store.db, ['--config', conf]);
  agent = client(srv.url, tokens.agent1);
  agent2 = client(srv.url, tokens.agent2);
  manager = client(srv.url, tokens.manager1);
  operator = client(srv.url, tokens.operator1);
  admin = client(srv.url, tokens.admin);
  requester = client(srv.url, tokens.alice);
  // INC-1 acme/mail, INC-2 acme/web, INC-3 globex/mail.
  for (const [customer, service] of [['acme', 'mail'], ['acme', 'web'], ['globex', 'mail']]) {
    expectStatus(await agent.post('/api/v1/tickets', { kind: 'incident', title: `${customer} ${service}`,
      impact: 2, urgency: 2, customer, service }), 201);
  }
  expectStatus(await agent.post('/api/v1/changes', { type: 'normal', title: 'Move the mail store' }), 201);
});

after(async () => {
  if (srv) await stopClean(srv);
  store?.cleanup();
});

describe('recording time', () => {
  it('an entry takes the rate of its user: the role, or a group before the role', async () => {
    // agent1 is an agent: 6000/h, 30 min → 30 × 6000 / 60 = 3000.
    const a = expectStatus(await agent.post('/api/v1/tickets/INC-1/time',
      { minutes: 30, note: 'restarted the MTA' }), 201);
    assert.equal(a.subject, 'ticket');
    assert.equal(a.ref, 'INC-1');
    assert.equal(a.customer, 'acme');
    assert.equal(a.service, 'mail');
    assert.equal(a.user, 'agent1');
    assert.equal(a.date, today);
    assert.equal(a.rate_key, 'agent');
    assert.equal(a.rate, 6000);
    assert.equal(a.currency, 'JPY');
    assert.equal(a.cost, 3000);
    assert.equal(a.version, 1);
    assert.equal(a.source, 'api');
    // agent2 is an agent in group l2: the group's 8000/h wins; 10 min →
    // 10 × 8000 / 60 = 1333.33 → 1333.
    const b = expectStatus(await agent2.post('/api/v1/tickets/INC-1/time', { minutes: 10 }), 201);
    assert.equal(b.rate_key, 'group:l2');
    assert.equal(b.cost, 1333);
    // Named on the entry, the agent row applies: 10 × 6000 / 60 = 1000.
    const c = expectStatus(await agent2.post('/api/v1/tickets/INC-1/time',
      { minutes: 10, rate: 'agent' }), 201);
    assert.equal(c.rate_key, 'agent');
    assert.equal(c.cost, 1000);
    // operator1 is in group night at 4530/h: 1 min → 75.5, half up → 76.
    const d = expectStatus(await operator.post('/api/v1/tickets/INC-2/time', { minutes: 1 }), 201);
    assert.equal(d.rate_key, 'group:night');
    assert.equal(d.cost, 76);
    const list = expectStatus(await agent.get('/api/v1/tickets/INC-1/time'), 200);
    assert.deepEqual(list.items.map((x) => x.id), [a.id, b.id, c.id]);
    // 30 + 10 + 10 = 50 minutes; 3000 + 1333 + 1000 = 5333.
    assert.equal(list.minutes, 50);
    assert.equal(list.cost, 5333);
    assert.equal(list.next_cursor, null);
    assert.deepEqual(expectStatus(await agent.get(`/api/v1/time-entries/${a.id}`), 200), a);
    // Paged as every list is; the sums are over all of them.
    const p1 = expectStatus(await agent.get('/api/v1/tickets/INC-1/time?limit=2'), 200);
    assert.deepEqual(p1.items.map((x) => x.id), [a.id, b.id]);
    assert.equal(p1.minutes, 50);
    assert.ok(p1.next_cursor);
    const p2 = expectStatus(await agent.get(`/api/v1/tickets/INC-1/time?limit=2&cursor=${p1.next_cursor}`), 200);
    assert.deepEqual(p2.items.map((x) => x.id), [c.id]);
    assert.equal(p2.next_cursor, null);
    expectError(await agent.get('/api/v1/tickets/INC-1/time?limit=0'), 400, 'invalid', 'limit');
    expectError(await agent.get('/api/v1/tickets/INC-1/time?cursor=x'), 400, 'invalid', 'cursor');
  });

  it('a manager records for another staff user; an agent may not', async () => {
    const e = expectStatus(await manager.post('/api/v1/tickets/INC-2/time',
      { minutes: 60, user: 'agent1', date: '2026-11-02' }), 201);
    assert.equal(e.user, 'agent1');
    assert.equal(e.created_by, 'manager1');
    assert.equal(e.cost, 6000);
    expectError(await agent.post('/api/v1/tickets/INC-2/time', { minutes: 5, user: 'agent2' }),
      403, 'forbidden', 'user');
    expectError(await manager.post('/api/v1/tickets/INC-2/time', { minutes: 5, user: 'alice' }),
      400, 'invalid', 'user');
    expectError(await manager.post('/api/v1/tickets/INC-2/time', { minutes: 5, user: 'nobody' }),
      400, 'invalid', 'user');
  });

  it('time on a change names the customer and service it was for', async () => {
    const e = expectStatus(await operator.post('/api/v1/changes/CHG-1/time',
      { minutes: 15, customer: 'globex', service: 'mail' }), 201);
    assert.equal(e.subject, 'change');
    assert.equal(e.customer, 'globex');
    assert.equal(e.service, 'mail');
    expectError(await operator.post('/api/v1/changes/CHG-1/time', { minutes: 5, customer: 'initech' }),
      400, 'invalid', 'customer');
    expectError(await operator.post('/api/v1/changes/CHG-1/time', { minutes: 5, service: 'fax' }),
      400, 'invalid', 'service');
    expectError(await operator.post('/api/v1/changes/CHG-99/time', { minutes: 5 }), 404, 'not_found');
    const l = expectStatus(await agent.get('/api/v1/changes/CHG-1/time'), 200);
    assert.equal(l.items.length, 1);
  });

  it('time on a procedure execution', async () => {
    const p = expectStatus(await manager.post('/api/v1/procedures', { title: 'Tape swap',
      steps: [{ instruction: 'Swap the tape', expected: 'tape 2 loaded' }] }), 201);
    expectStatus(await manager.post(`/api/v1/procedures/${p.key}/publish`, {}), 200);
    const run = expectStatus(await operator.post('/api/v1/runs', { procedure: p.key }), 201);
    const e = expectStatus(await operator.post(`/api/v1/runs/${run.key}/time`,
      { minutes: 20, note: 'tape swap' }), 201);
    assert.equal(e.subject, 'run');
    assert.equal(e.ref, run.key);
    assert.equal(e.customer, null);
    // 20 × 4530 / 60 = 1510.
    assert.equal(e.cost, 1510);
    assert.equal(expectStatus(await operator.get(`/api/v1/runs/${run.key}/time`), 200).items.length, 1);
    expectError(await operator.post('/api/v1/runs/RUN-999/time', { minutes: 5 }), 404, 'not_found');
  });

  it('bad input is refused with its field, and nothing is stored', async () => {
    const before = (await entries()).length;
    const bad = [
      [{ minutes: -5 }, 'minutes'], [{ minutes: 0 }, 'minutes'], [{ minutes: 1441 }, 'minutes'],
      [{ minutes: 1.5 }, 'minutes'], [{}, 'minutes'], [{ minutes: '30' }, 'minutes'],
      [{ minutes: 5, date: '2099-01-01' }, 'date'], [{ minutes: 5, date: '2026-02-30' }, 'date'],
      [{ minutes: 5, date: '26-01-01' }, 'date'], [{ minutes: 5, date: '1999-12-31' }, 'date'],
      [{ minutes: 5, rate: 'group:l9' }, 'rate'], [{ minutes: 5, rate: 'requester' }, 'rate'],
      [{ minutes: 5, note: 'x'.repeat(1001) }, 'note'],
      [{ minutes: 5, hours: 1 }, 'hours'],
      // a ticket's entry takes the ticket's customer
      [{ minutes: 5, customer: 'globex' }, 'customer'],
    ];
    for (const [body, field] of bad) {
      expectError(await agent.post('/api/v1/tickets/INC-1/time', body), 400, 'invalid', field);
    }
    expectError(await agent.post('/api/v1/tickets/INC-99/time', { minutes: 5 }), 404, 'not_found');
    const r = await agent.post('/api/v1/tickets/INC-1/time', '{"minutes":', { 'content-type': 'application/json' });
    assert.equal(r.status, 400);
    assert.equal((await entries()).length, before);
  });

  it('a requester sees no time entry and records none', async () => {
    expectError(await requester.get('/api/v1/tickets/INC-1/time'), 403, 'forbidden');
    expectError(await requester.post('/api/v1/tickets/INC-1/time', { minutes: 5 }), 403, 'forbidden');
    expectError(await requester.get('/api/v1/time-entries/1'), 403, 'forbidden');
    expectError(await requester.get('/api/v1/reports/cost?month=2026-10'), 403, 'forbidden');
    // Nor does the ticket itself carry them.
    const t = expectStatus(await requester.get('/api/v1/tickets/INC-1'), 200);
    assert.equal(JSON.stringify(t).includes('minutes'), false);
  });
});

describe('corrections', () => {
  it('a correction keeps the rate recorded and needs the current version', async () => {
    const e = expectStatus(await agent.post('/api/v1/tickets/INC-3/time', { minutes: 10 }), 201);
    // 25 × 6000 / 60 = 2500 at the recorded agent rate.
    const u = expectStatus(await agent.patch(`/api/v1/time-entries/${e.id}`,
      { version: 1, minutes: 25, note: 'longer than noted' }), 200);
    assert.equal(u.minutes, 25);
    assert.equal(u.cost, 2500);
    assert.equal(u.rate, 6000);
    assert.equal(u.version, 2);
    expectError(await agent.patch(`/api/v1/time-entries/${e.id}`, { version: 1, minutes: 5 }),
      409, 'conflict', 'version');
    expectError(await agent.patch(`/api/v1/time-entries/${e.id}`, { minutes: 5 }), 400, 'invalid', 'version');
    expectError(await agent.patch(`/api/v1/time-entries/${e.id}`, { version: 2, minutes: -1 }),
      400, 'invalid', 'minutes');
    expectError(await agent.patch(`/api/v1/time-entries/${e.id}`, { version: 2, rate: 1 }),
      400, 'invalid', 'rate');
    // Another agent's entry is a manager's to correct.
    expectError(await agent2.patch(`/api/v1/time-entries/${e.id}`, { version: 2, minutes: 5 }),
      403, 'forbidden');
    const m = expectStatus(await manager.patch(`/api/v1/time-entries/${e.id}`,
      { version: 2, minutes: 20 }), 200);
    assert.equal(m.cost, 2000);
    expectError(await agent.patch('/api/v1/time-entries/99999', { version: 1 }), 404, 'not_found');
    expectError(await agent.patch('/api/v1/time-entries/abc', { version: 1 }), 404, 'not_found');
    // The entry as stored is the last answer.
    assert.deepEqual(expectStatus(await agent.get(`/api/v1/time-entries/${e.id}`), 200), m);
  });
});

// The history of October 2026 and around it, imported through the CLI. Each
// cost by hand, minutes × rate / 60, half up:
//   line 1  INC-1 acme/mail    agent1  90 min  agent    6000  →  9000
//   line 2  INC-1 acme/mail    agent2  45 min  group:l2 8000  →  6000
//   line 3  INC-2 acme/web     agent1  25 min  agent    6000  →  2500
//   line 4  INC-2 acme/web   manager1   7 min  manager  9000  →  1050
//   line 5  INC-3 globex/mail  agent2  20 min  agent (named) 6000 → 2000
//   line 6  CHG-1 acme/mail operator1  61 min  group:night 4530 → 4605.5 → 4606
//   line 7  INC-1 acme/mail    agent1  30 min 2026-09-30 → 3000 (September)
//   line 8  INC-3 globex/mail  agent1  10 min 2026-11-01 → 1000 (November)
// October by customer and service:
//   acme/mail   lines 1, 2, 6: 3 entries, 90 + 45 + 61 = 196 min, 9000 + 6000 + 4606 = 19606
//   acme/web    lines 3, 4:    2 entries, 25 + 7 = 32 min,         2500 + 1050 = 3550
//   globex/mail line 5:        1 entry,   20 min,                  2000
// by customer: acme 5 entries, 228 min, 23156; globex 1, 20, 2000
// in all: 6 entries, 248 min, 25156
// by ticket, most costly first: INC-1 135 min 15000, INC-2 32 min 3550, INC-3 20 min 2000
// trend (2025-11 … 2026-10): 2026-09 1 entry 30 min 3000, 2026-10 as above, the rest 0.
const HISTORY = [
  { ticket: 'INC-1', user: 'agent1', minutes: 90, date: '2026-10-05', note: 'outage' },
  { ticket: 'INC-1', user: 'agent2', minutes: 45, date: '2026-10-06' },
  { ticket: 'INC-2', user: 'agent1', minutes: 25, date: '2026-10-07' },
  { ticket: 'INC-2', user: 'manager1', minutes: 7, date: '2026-10-31' },
  { ticket: 'INC-3', user: 'agent2', minutes: 20, date: '2026-10-15', rate: 'agent' },
  { change: 'CHG-1', user: 'operator1', minutes: 61, date: '2026-10-20', customer: 'acme', service: 'mail' },
  { ticket: 'INC-1', user: 'agent1', minutes: 30, date: '2026-09-30' },
  { ticket: 'INC-3', user: 'agent1', minutes: 10, date: '2026-11-01' },
];

describe('import and the cost report', () => {
  it('a bad line refuses the whole file, named by its line; nothing is stored', async () => {
    const before = (await entries()).length;
    const file = join(store.dir, 'bad.jsonl');
    const lines = HISTORY.map((h) => JSON.stringify(h));
    lines.splice(3, 0, '', JSON.stringify({ ticket: 'INC-1', user: 'agent1', minutes: -3, date: '2026-10-01' }));
    writeFileSync(file, `${lines.join('\n')}\n`);
    const r = cli(store.db, ['--config', conf, 'time', 'import', file]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /line 5: field 'minutes'/);
    writeFileSync(file, `${JSON.stringify({ ticket: 'INC-77', user: 'agent1', minutes: 3, date: '2026-10-01' })}\n`);
    assert.match(cli(store.db, ['--config', conf, 'time', 'import', file]).stderr, /line 1: no ticket 'INC-77'/);
    writeFileSync(file, 'not json\n');
    assert.match(cli(store.db, ['--config', conf, 'time', 'import', file]).stderr, /line 1: not JSON/);
    // Through the API: the entry's position is named, with its field.
    const e = expectError(await manager.post('/api/v1/import/time', { entries: [HISTORY[0],
      { ticket: 'INC-1', user: 'agent1', minutes: 5, date: '2099-01-01' }] }), 400, 'invalid', 'date');
    assert.match(e.message, /^entries\[1\]: /);
    expectError(await agent.post('/api/v1/import/time', { entries: [HISTORY[0]] }), 403, 'forbidden');
    assert.equal((await entries()).length, before);
  });

  it('imports the history all at once', async () => {
    const file = join(store.dir, 'history.jsonl');
    writeFileSync(file, `${HISTORY.map((h) => JSON.stringify(h)).join('\n')}\n`);
    assert.equal(cliOk(store.db, ['--config', conf, 'time', 'import', file]), 'imported 8 time entries');
  });

  it('the October report holds the figures worked out by hand', async () => {
    const r = expectStatus(await manager.get('/api/v1/reports/cost?month=2026-10'), 200);
    assert.equal(r.month, '2026-10');
    assert.equal(r.customer, null);
    assert.equal(r.currency, 'JPY');
    assert.equal(r.entries, 6);
    assert.equal(r.minutes, 248);
    assert.equal(r.cost, 25156);
    const strip = (x) => ({ customer: x.customer, service: x.service, entries: x.entries, minutes: x.minutes, cost: x.cost });
    assert.deepEqual(r.services.map(strip), [
      { customer: 'acme', service: 'mail', entries: 3, minutes: 196, cost: 19606 },
      { customer: 'acme', service: 'web', entries: 2, minutes: 32, cost: 3550 },
      { customer: 'globex', service: 'mail', entries: 1, minutes: 20, cost: 2000 },
    ]);
    assert.deepEqual(r.customers.map((x) => [x.customer, x.entries, x.minutes, x.cost]),
      [['acme', 5, 228, 23156], ['globex', 1, 20, 2000]]);
    assert.deepEqual(r.tickets.map((x) => [x.ticket, x.customer, x.service, x.minutes, x.cost]),
      [['INC-1', 'acme', 'mail', 135, 15000], ['INC-2', 'acme', 'web', 32, 3550],
        ['INC-3', 'globex', 'mail', 20, 2000]]);
    assert.equal(r.trend.length, 12);
    assert.equal(r.trend[0].month, '2025-11');
    assert.deepEqual(r.trend[10], { month: '2026-09', entries: 1, minutes: 30, cost: 3000 });
    assert.deepEqual(r.trend[11], { month: '2026-10', entries: 6, minutes: 248, cost: 25156 });
    assert.equal(r.trend.slice(0, 10).every((m) => m.cost === 0 && m.minutes === 0), true);
  });

  it('one customer\'s report holds only its own', async () => {
    const r = expectStatus(await manager.get('/api/v1/reports/cost?month=2026-10&customer=acme'), 200);
    assert.equal(r.customer, 'acme');
    // acme: 5 entries, 228 min, 23156; September 3000 (line 7 is acme's).
    assert.deepEqual([r.entries, r.minutes, r.cost], [5, 228, 23156]);
    assert.deepEqual(r.services.map((x) => x.service), ['mail', 'web']);
    assert.deepEqual(r.trend[10], { month: '2026-09', entries: 1, minutes: 30, cost: 3000 });
  });

  it('CSV and HTML render the same figures', async () => {
    const res = await manager.get('/api/v1/reports/cost?month=2026-10&customer=acme&format=csv');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type'), /^text\/csv/);
    assert.match(res.headers.get('content-disposition'), /cost-acme-2026-10\.csv/);
    const lines = res.text.split('\n');
    assert.equal(lines[0], '# cost report: month 2026-10, customer "acme", currency JPY (minor units)');
    assert.equal(lines[1], 'customer,service,entries,minutes,cost,other_currency_entries');
    assert.equal(lines[2], '"acme","mail",3,196,19606,0');
    assert.equal(lines[3], '"acme","web",2,32,3550,0');
    assert.ok(parseCsv);
    const html = await manager.get('/api/v1/reports/cost?month=2026-10&format=html');
    assert.equal(html.status, 200);
    assert.match(html.headers.get('content-type'), /^text\/html/);
    assert.match(html.text, /<td>acme<\/td><td>mail<\/td><td>3<\/td><td>196<\/td><td>19606<\/td>/);
    assert.match(html.text, /<svg/);
    assert.doesNotMatch(html.text, /<script/);
    // The CLI's figures are the API's.
    const cliJson = JSON.parse(cliOk(store.db, ['--config', conf, '--json', 'cost', 'report', '--month', '2026-10']));
    assert.equal(cliJson.cost, 25156);
  });

  it('bad parameters and who may read it', async () => {
    expectError(await manager.get('/api/v1/reports/cost'), 400, 'invalid', 'month');
    expectError(await manager.get('/api/v1/reports/cost?month=2026-13'), 400, 'invalid', 'month');
    expectError(await manager.get('/api/v1/reports/cost?month=2026-10&format=pdf'), 400, 'invalid', 'format');
    expectError(await manager.get('/api/v1/reports/cost?month=2026-10&customer=initech'), 400, 'invalid', 'customer');
    expectError(await manager.get('/api/v1/reports/cost?month=2026-10&sla=x'), 400, 'invalid');
    expectError(await agent.get('/api/v1/reports/cost?month=2026-10'), 403, 'forbidden');
    expectStatus(await admin.get('/api/v1/reports/cost?month=2026-10'), 200);
  });

  it('a new rate applies from then on; no past month changes', async () => {
    await stopClean(srv);
    writeFileSync(conf, '[cost]\nrates = agent=12000\ncurrency = JPY\n');
    srv = await startServer(store.db, ['--config', conf]);
    manager = client(srv.url, tokens.manager1);
    agent = client(srv.url, tokens.agent1);
    admin = client(srv.url, tokens.admin);
    const r = expectStatus(await manager.get('/api/v1/reports/cost?month=2026-10'), 200);
    assert.equal(r.cost, 25156);
    // 30 min at the new 12000/h: 6000.
    const e = expectStatus(await agent.post('/api/v1/tickets/INC-1/time', { minutes: 30, date: '2026-11-20' }), 201);
    assert.equal(e.rate, 12000);
    assert.equal(e.cost, 6000);
    // November: line 8 (1000), the manager's 60 min for agent1 on 2026-11-02 (6000), and this (6000).
    const nov = expectStatus(await manager.get('/api/v1/reports/cost?month=2026-11'), 200);
    assert.equal(nov.cost, 13000);
    // Another currency: October's entries count apart, their cost is not added.
    await stopClean(srv);
    writeFileSync(conf, '[cost]\nrates = agent=60\ncurrency = EUR\n');
    srv = await startServer(store.db, ['--config', conf]);
    manager = client(srv.url, tokens.manager1);
    admin = client(srv.url, tokens.admin);
    const eur = expectStatus(await manager.get('/api/v1/reports/cost?month=2026-10'), 200);
    assert.deepEqual([eur.currency, eur.minutes, eur.cost, eur.other_currency_entries], ['EUR', 248, 0, 6]);
  });

  it('a malformed [cost] section stops the server before it listens', () => {
    for (const [text, msg] of [
      ['rates = agent=6000, agent=7000', /'agent' is named twice/],
      ['rates = requester=10', /unknown key 'requester'/],
      ['rates = agent=-1', /expected a whole number/],
      ['currency = yen', /three capital letters/],
    ]) {
      writeFileSync(join(store.dir, 'bad.conf'), `[cost]\n${text}\n`);
      const bad = cli(store.db, ['--config', join(store.dir, 'bad.conf'), 'serve', '--listen', '127.0.0.1:0']);
      assert.notEqual(bad.status, 0);
      assert.match(bad.stderr, msg);
    }
  });

  it('every entry is in the audit chain, which verifies', async () => {
    const recs = await entries();
    assert.ok(recs.some((x) => x.action === 'time.import'));
    assert.ok(recs.some((x) => x.action === 'time.update'));
    assert.ok(recs.some((x) => x.action === 'time.add'));
    const v = JSON.parse(cliOk(store.db, ['--json', 'audit', 'verify']));
    assert.equal(v.ok, true);
  });

  it('itsm migrate copies the entries: the same report, a chain that verifies, new ids past the old', async () => {
    await stopClean(srv);
    srv = null;
    const dir = mkdtempSync(join(tmpdir(), 'itsm-cost-migrate-'));
    try {
      const lite = join(dir, 'itsm.db');
      assert.match(cliOk('', ['migrate', '--from', store.db, '--to', lite]), /^copied time_entries +\d+ rows$/m);
      const report = (db) => JSON.parse(cliOk(db, ['--config', conf, '--json', 'cost', 'report', '--month', '2026-10']));
      assert.deepEqual(report(lite), report(store.db));
      assert.match(cliOk(lite, ['audit', 'verify']), /^ok: /);
      const last = JSON.parse(cliOk(store.db, ['--config', conf, '--json', 'time', 'list', 'INC-1'])).items.at(-1);
      const added = JSON.parse(cliOk(lite, ['--config', conf, '--json', 'time', 'add', 'INC-1', '--minutes', '5',
        '--user', 'agent1', '--date', '2026-10-09']));
      assert.ok(added.id > last.id);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a cost changed behind the application\'s back fails audit verify', async () => {
    const copy = copyStore(store.db);
    try {
      const r = sqlRun(copy.db, 'UPDATE time_entries SET cost = cost + 1000 WHERE id = 1');
      assert.equal(r.status, 0, r.stderr);
      const v = cli(copy.db, ['--json', 'audit', 'verify']);
      assert.notEqual(v.status, 0);
      assert.match(v.stdout + v.stderr, /time:1/);
    } finally {
      copy.cleanup();
    }
  });
});
