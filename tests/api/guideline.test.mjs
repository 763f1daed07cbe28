// guideline.test.mjs — operational guidelines end to end: a draft, its first
// and second published versions (the text kept as published, rendered to
// HTML with raw HTML left out), acknowledgement by the members of the
// audience (roles, groups, named users), a new version resetting the
// acknowledgements, a retired guideline refusing acks (409), stale versions
// (409), checklist runs whose failures open linked follow-up tickets and
// whose period makes the next check, who may do what, the CLI — every
// refusal leaves nothing behind.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  makeStore, seed, startServer, client, cli, cliOk, expectError, expectStatus, listAll,
  stopClean,
} from './lib.mjs';

let store, srv, tokens, agent, agent2, operator, manager, admin, requester;

const DAY = 86400 * 1000;
const get = async (key, c = agent) => expectStatus(await c.get(`/api/v1/guidelines/${key}`), 200);
const publish = async (key) => {
  const g = await get(key);
  return expectStatus(await manager.post(`/api/v1/guidelines/${key}/publish`, { version: g.version }), 200);
};

before(async () => {
  store = makeStore();
  tokens = seed(store.db);
  cliOk(store.db, ['user', 'add', 'agent2', '--role', 'agent', '--groups', 'dba,night',
    '--password-stdin'], { input: 'correct-horse-battery\n' });
  tokens.agent2 = cliOk(store.db, ['token', 'create', 'test', '--user', 'agent2']);
  srv = await startServer(store.db);
  agent = client(srv.url, tokens.agent1);
  agent2 = client(srv.url, tokens.agent2);
  operator = client(srv.url, tokens.operator1);
  manager = client(srv.url, tokens.manager1);
  admin = client(srv.url, tokens.admin);
  requester = client(srv.url, tokens.alice);
});

after(async () => {
  if (srv) await stopClean(srv);
  store?.cleanup();
});

describe('versions and acknowledgements', () => {
  let key;

  it('a draft is published as version 1, its Markdown rendered without raw HTML', async () => {
    const g = expectStatus(await manager.post('/api/v1/guidelines', {
      title: 'Password handling', text: '# Passwords\n\nNever *share* them.<script>alert(1)</script>',
      roles: ['operator'], groups: ['dba'], users: ['agent1'],
    }), 201);
    key = g.key;
    assert.match(key, /^GL-\d+$/);
    assert.equal(g.status, 'draft');
    assert.equal(g.current_version, 0);
    // A draft is not acknowledged yet.
    expectError(await agent.post(`/api/v1/guidelines/${key}/ack`, {}), 409, 'invalid_transition');
    const p = await publish(key);
    assert.equal(p.status, 'published');
    assert.equal(p.current_version, 1);
    const got = await get(key);
    assert.equal(got.text, '# Passwords\n\nNever *share* them.<script>alert(1)</script>');
    assert.match(got.html, /<h1>Passwords<\/h1>/);
    assert.match(got.html, /<em>share<\/em>/);
    assert.doesNotMatch(got.html, /<script>/);
    assert.equal(got.acknowledged, false);
  });

  it('the audience is its roles, groups and named users; acks lists who has not read version N', async () => {
    // Members: operator1 (role operator), agent2 (group dba), agent1 (named).
    // Not members: manager1, admin (no role, group or name of the audience).
    let acks = expectStatus(await manager.get(`/api/v1/guidelines/${key}/acks`), 200);
    assert.equal(acks.version, 1);
    assert.deepEqual(acks.pending.sort(), ['agent1', 'agent2', 'operator1']);
    const a = expectStatus(await agent.post(`/api/v1/guidelines/${key}/ack`, {}), 200);
    assert.equal(a.version, 1);
    assert.equal(a.username, 'agent1');
    assert.equal(a.new, true);
    // Acknowledging twice answers the first, storing nothing new.
    const again = expectStatus(await agent.post(`/api/v1/guidelines/${key}/ack`, {}), 200);
    assert.equal(again.new, false);
    assert.equal(again.at, a.at);
    expectStatus(await operator.post(`/api/v1/guidelines/${key}/ack`, {}), 200);
    acks = expectStatus(await agent.get(`/api/v1/guidelines/${key}/acks`), 200);
    assert.deepEqual(acks.pending, ['agent2']);
    assert.deepEqual(acks.acknowledged.map((x) => x.username), ['agent1', 'operator1']);
    assert.equal((await get(key)).acknowledged, true);
  });

  it('a new version resets the acknowledgements; version 1 keeps its own', async () => {
    const g = await get(key);
    expectStatus(await manager.patch(`/api/v1/guidelines/${key}`, { version: g.version, text: '# Passwords\n\nUse the vault.' }), 200);
    // Editing the draft changes nothing published: version 1 stands, its acks too.
    assert.equal((await get(key)).text, '# Passwords\n\nNever *share* them.<script>alert(1)</script>');
    assert.deepEqual(expectStatus(await agent.get(`/api/v1/guidelines/${key}/acks`), 200).pending, ['agent2']);
    const p = await publish(key);
    assert.equal(p.current_version, 2);
    assert.equal((await get(key)).text, '# Passwords\n\nUse the vault.');
    const acks = expectStatus(await agent.get(`/api/v1/guidelines/${key}/acks`), 200);
    assert.equal(acks.version, 2);
    assert.deepEqual(acks.acknowledged, []);
    assert.deepEqual(acks.pending.sort(), ['agent1', 'agent2', 'operator1']);
    assert.equal((await get(key)).acknowledged, false);
    const v1 = expectStatus(await agent.get(`/api/v1/guidelines/${key}/acks?version=1`), 200);
    assert.deepEqual(v1.pending, ['agent2']);
    expectError(await agent.get(`/api/v1/guidelines/${key}/acks?version=3`), 400, 'invalid', 'version');
    expectStatus(await agent2.post(`/api/v1/guidelines/${key}/ack`, {}), 200);
    assert.deepEqual(expectStatus(await agent.get(`/api/v1/guidelines/${key}/acks`), 200).pending.sort(), ['agent1', 'operator1']);
  });

  it('a stale version is 409; a retired guideline refuses acks, edits and checks (409)', async () => {
    const g = await get(key);
    expectError(await manager.patch(`/api/v1/guidelines/${key}`, { version: g.version - 1, title: 'late' }), 409, 'conflict', 'version');
    expectError(await manager.patch(`/api/v1/guidelines/${key}`, { version: g.version, status: 'draft' }), 400, 'invalid', 'status');
    const r = expectStatus(await manager.patch(`/api/v1/guidelines/${key}`, { version: g.version, status: 'retired' }), 200);
    assert.equal(r.status, 'retired');
    expectError(await agent.post(`/api/v1/guidelines/${key}/ack`, {}), 409, 'invalid_transition');
    expectError(await manager.patch(`/api/v1/guidelines/${key}`, { version: r.version, title: 'x' }), 409, 'invalid_transition');
    expectError(await manager.post(`/api/v1/guidelines/${key}/publish`, { version: r.version }), 409, 'invalid_transition');
    assert.equal((await get(key)).version, r.version);
  });

  it('bad input is refused naming the field, and stores nothing', async () => {
    const before2 = (await listAll(agent, '/api/v1/guidelines?limit=500')).length;
    expectError(await manager.post('/api/v1/guidelines', { text: 'x' }), 400, 'invalid', 'title');
    expectError(await manager.post('/api/v1/guidelines', { title: 't', roles: ['requester'] }), 400, 'invalid', 'roles[0]');
    expectError(await manager.post('/api/v1/guidelines', { title: 't', users: ['nobody'] }), 400, 'invalid', 'users[0]');
    expectError(await manager.post('/api/v1/guidelines', { title: 't', users: ['alice'] }), 400, 'invalid', 'users[0]');
    expectError(await manager.post('/api/v1/guidelines', { title: 't', checklist: ['ok', ''] }), 400, 'invalid', 'checklist[1]');
    expectError(await manager.post('/api/v1/guidelines', { title: 't', every_days: -1 }), 400, 'invalid', 'every_days');
    assert.equal((await listAll(agent, '/api/v1/guidelines?limit=500')).length, before2);
    const empty = expectStatus(await manager.post('/api/v1/guidelines', { title: 'empty' }), 201);
    expectError(await manager.post(`/api/v1/guidelines/${empty.key}/publish`, { version: 1 }), 400, 'invalid', 'text');
    expectError(await agent.get('/api/v1/guidelines/GL-999'), 404, 'not_found');
  });
});

describe('compliance checklists', () => {
  let key;

  it('a run records each item; a failure opens a linked follow-up ticket; the next check is every_days on', async () => {
    const g = expectStatus(await manager.post('/api/v1/guidelines', {
      title: 'Server room', text: 'Keep it locked.', checklist: ['door locked', 'log signed', 'no food'],
      every_days: 7,
    }), 201);
    key = g.key;
    expectError(await agent.post(`/api/v1/guidelines/${key}/check`, { version: 1, results: [] }), 409, 'invalid_transition');
    const p = await publish(key);
    // next_check = the first publication + 7 days.
    assert.equal(Date.parse(p.next_check) - Date.parse(p.updated_at), 7 * DAY);
    const tickets = (await listAll(agent, '/api/v1/tickets?limit=500')).length;
    const run = expectStatus(await agent.post(`/api/v1/guidelines/${key}/check`, {
      version: p.version,
      results: [
        { item: 1, result: 'pass' },
        { item: 2, result: 'fail', comment: 'log missing for Tuesday' },
        { item: 3, result: 'pass', comment: 'clean' },
      ],
    }), 201);
    assert.equal(run.failed, 1);
    assert.equal(run.checked_version, 1);
    assert.equal(run.results[0].ticket, undefined);
    const fk = run.results[1].ticket;
    assert.match(fk, /^INQ-\d+$/);
    assert.equal(Date.parse(run.next_check) - Date.parse(run.run_at), 7 * DAY);
    const t = expectStatus(await agent.get(`/api/v1/tickets/${fk}`), 200);
    assert.equal(t.kind, 'inquiry');
    assert.match(t.title, new RegExp(`${key} check failed: log signed`));
    assert.match(t.description, /log missing for Tuesday/);
    assert.equal((await listAll(agent, '/api/v1/tickets?limit=500')).length, tickets + 1);
    const got = await get(key);
    assert.equal(got.runs.length, 1);
    assert.equal(got.runs[0].results[1].ticket, fk);
    assert.equal(got.check_overdue, false);
    // An incident when the run asks for one.
    const inc = expectStatus(await agent.post(`/api/v1/guidelines/${key}/check`, {
      version: got.version, followup_kind: 'incident',
      results: [{ item: 1, result: 'fail' }, { item: 2, result: 'pass' }, { item: 3, result: 'pass' }],
    }), 201);
    assert.match(inc.results[0].ticket, /^INC-\d+$/);
  });

  it('a run answers every item once; a refused run opens no ticket', async () => {
    const g = await get(key);
    const tickets = (await listAll(agent, '/api/v1/tickets?limit=500')).length;
    const bad = [
      [[{ item: 1, result: 'fail' }, { item: 2, result: 'pass' }], 'results'], // item 3 missing
      [[{ item: 1, result: 'fail' }, { item: 1, result: 'pass' }, { item: 3, result: 'pass' }], 'results[1]'],
      [[{ item: 4, result: 'pass' }], 'results[0]'],
      [[{ item: 1, result: 'maybe' }, { item: 2, result: 'pass' }, { item: 3, result: 'pass' }], 'results[0]'],
    ];
    for (const [results, field] of bad)
      expectError(await agent.post(`/api/v1/guidelines/${key}/check`, { version: g.version, results }), 400, 'invalid', field);
    expectError(await agent.post(`/api/v1/guidelines/${key}/check`, { version: g.version - 1,
      results: [{ item: 1, result: 'fail' }, { item: 2, result: 'pass' }, { item: 3, result: 'pass' }] }), 409, 'conflict', 'version');
    expectError(await agent.post(`/api/v1/guidelines/${key}/check`, { version: g.version, followup_kind: 'request',
      results: [{ item: 1, result: 'fail' }, { item: 2, result: 'pass' }, { item: 3, result: 'pass' }] }), 400, 'invalid', 'followup_kind');
    assert.equal((await listAll(agent, '/api/v1/tickets?limit=500')).length, tickets);
    assert.equal((await get(key)).version, g.version);
  });
});

describe('who may do what', () => {
  it('managers write; staff read, acknowledge and check; requesters are refused', async () => {
    expectError(await agent.post('/api/v1/guidelines', { title: 'x' }), 403, 'forbidden');
    expectError(await requester.get('/api/v1/guidelines'), 403, 'forbidden');
    expectError(await requester.post('/api/v1/guidelines/GL-1/ack', {}), 403, 'forbidden');
    assert.ok(expectStatus(await agent.get('/api/v1/guidelines?status=published'), 200).items.every((g) => g.status === 'published'));
  });
});

describe('the command line', () => {
  it('adds, publishes, acknowledges, lists who has not, runs a check', () => {
    const out = cliOk(store.db, ['guideline', 'add', '--title', 'Shift handover', '--text', 'Write it down.',
      '--roles', 'agent', '--checklist', 'notes written,board updated', '--every-days', '1']);
    const key = out.match(/GL-\d+/)[0];
    assert.match(cliOk(store.db, ['guideline', 'publish', key]), new RegExp(`${key} published, version 1`));
    assert.match(cliOk(store.db, ['--as', 'agent1', 'guideline', 'ack', key]), new RegExp(`${key} version 1 acknowledged by agent1`));
    const pending = cliOk(store.db, ['guideline', 'acks', key]);
    assert.match(pending, /1 acknowledged, 1 pending/);
    assert.match(pending, /^agent2$/m);
    const ran = cliOk(store.db, ['--as', 'agent1', 'guideline', 'check', key, '--pass', '1', '--fail', '2', '--comment', 'stale']);
    assert.match(ran, /1 failed/);
    assert.match(ran, /^2 fail INQ-\d+$/m);
    const bad = cli(store.db, ['guideline', 'check', key, '--pass', '1']);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /item 2 is not answered/);
  });

  it('the audit chain verifies with every guideline write in it', () => {
    assert.equal(JSON.parse(cliOk(store.db, ['--json', 'audit', 'verify'])).ok, true);
  });
});
