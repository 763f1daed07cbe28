// risk.test.mjs — the operational risk register end to end: scores and
// levels against figures worked out by hand, the heat map's counts, the
// lifecycle of a risk and of its measures, stale versions, references that
// must exist (items, services, a staff owner), an overdue measure and an
// overdue review warning their owner once per due date through the
// outbox (the watcher's tick with an injected clock), who may do what, the
// CLI, and the audit chain verifying at the end — every refusal leaves
// nothing behind.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  makeStore, seed, startServer, client, cli, cliOk, expectError, expectStatus, listAll,
  stopClean, sql,
} from './lib.mjs';

let store, srv, tokens, agent, manager, admin, requester;

const DAY = 86400 * 1000;
const add = (body) => manager.post('/api/v1/risks', body);
const get = async (key) => expectStatus(await agent.get(`/api/v1/risks/${key}`), 200);
const tick = async (now) => expectStatus(await admin.post('/api/v1/sla/tick', { now }), 200);
const auditOf = async (key) => (await listAll(admin, '/api/v1/audit?limit=500'))
  .filter((r) => r.entity === `risk:${key}`);

before(async () => {
  store = makeStore();
  tokens = seed(store.db);
  cliOk(store.db, ['user', 'update', 'manager1', '--email', 'manager1@example.com']);
  cliOk(store.db, ['user', 'add', 'owner2', '--role', 'agent', '--email', 'owner2@example.com',
    '--password-stdin'], { input: 'correct-horse-battery\n' });
  cliOk(store.db, ['service', 'add', 'mail', '--name', 'Mail']);
  srv = await startServer(store.db, ['--allow-clock']);
  agent = client(srv.url, tokens.agent1);
  manager = client(srv.url, tokens.manager1);
  admin = client(srv.url, tokens.admin);
  requester = client(srv.url, tokens.alice);
  expectStatus(await agent.post('/api/v1/cis', { key: 'db-1', name: 'DB-1', type: 'server' }), 201);
});

after(async () => {
  if (srv) await stopClean(srv);
  store?.cleanup();
});

describe('scores, levels and the heat map', () => {
  it('the score is likelihood × impact and the level the default band that holds it', async () => {
    // By hand, with the default table low:1-4, medium:5-9, high:10-16, critical:17-25:
    //   3 × 4 = 12 → high;  2 × 2 = 4 → low;  1 × 5 = 5 → medium;  5 × 5 = 25 → critical;
    //   3 × 3 = 9 → medium (the top of its band);  2 × 5 = 10 → high (the bottom of its band).
    const cases = [[3, 4, 12, 'high'], [2, 2, 4, 'low'], [1, 5, 5, 'medium'], [5, 5, 25, 'critical'],
      [3, 3, 9, 'medium'], [2, 5, 10, 'high']];
    for (const [likelihood, impact, score, level] of cases) {
      const r = expectStatus(await add({ title: `risk ${likelihood}x${impact}`, owner: 'manager1',
        likelihood, impact, items: ['db-1'], services: ['mail'] }), 201);
      assert.match(r.key, /^RISK-\d+$/);
      assert.equal(r.score, score, `${likelihood} × ${impact}`);
      assert.equal(r.level, level, `${likelihood} × ${impact}`);
      assert.equal(r.status, 'open');
      assert.deepEqual(r.items, ['db-1']);
      assert.deepEqual(r.services, ['mail']);
      assert.equal(r.version, 1);
    }
  });

  it('the heat map counts risks not closed by likelihood (rows) and impact (columns)', async () => {
    const hm = expectStatus(await agent.get('/api/v1/risks/heatmap'), 200);
    // The six risks above: (3,4) (2,2) (1,5) (5,5) (3,3) (2,5), one each.
    const want = Array.from({ length: 5 }, () => [0, 0, 0, 0, 0]);
    for (const [l, i] of [[3, 4], [2, 2], [1, 5], [5, 5], [3, 3], [2, 5]]) want[l - 1][i - 1]++;
    assert.deepEqual(hm.counts, want);
    assert.equal(hm.total, 6);
    assert.equal(hm.levels[2][3], 'high');     // 3 × 4 = 12
    assert.equal(hm.levels[0][0], 'low');      // 1 × 1 = 1
    assert.equal(hm.levels[4][4], 'critical'); // 5 × 5 = 25
    // Closing the 5 × 5 risk takes it off the map.
    const list = await listAll(agent, '/api/v1/risks?limit=500');
    const crit = list.find((r) => r.score === 25);
    expectStatus(await manager.patch(`/api/v1/risks/${crit.key}`, { version: crit.version, status: 'closed' }), 200);
    const after2 = expectStatus(await agent.get('/api/v1/risks/heatmap'), 200);
    assert.equal(after2.counts[4][4], 0);
    assert.equal(after2.total, 5);
  });
});

describe('bad input leaves nothing', () => {
  it('refuses a likelihood of 6, an unknown item or service, an owner who is not staff', async () => {
    const before2 = (await listAll(agent, '/api/v1/risks?limit=500')).length;
    const base = { title: 'bad', owner: 'manager1', likelihood: 2, impact: 2 };
    expectError(await add({ ...base, likelihood: 6 }), 400, 'invalid', 'likelihood');
    expectError(await add({ ...base, impact: 0 }), 400, 'invalid', 'impact');
    expectError(await add({ ...base, items: ['db-1', 'no-such-ci'] }), 400, 'invalid', 'items[1]');
    expectError(await add({ ...base, services: ['nope'] }), 400, 'invalid', 'services[0]');
    expectError(await add({ ...base, owner: 'alice' }), 400, 'invalid', 'owner');
    expectError(await add({ ...base, owner: 'nobody' }), 400, 'invalid', 'owner');
    expectError(await add({ ...base, title: '  ' }), 400, 'invalid', 'title');
    expectError(await add({ owner: 'manager1', likelihood: 2, impact: 2 }), 400, 'invalid', 'title');
    expectError(await add({ ...base, colour: 'red' }), 400, 'invalid');
    assert.equal((await listAll(agent, '/api/v1/risks?limit=500')).length, before2);
    // The next risk takes the next key: the refused ones consumed none.
    const r = expectStatus(await add({ ...base, title: 'fine' }), 201);
    assert.equal(r.key, 'RISK-7');
  });

  it('a stale version is 409 conflict; a closed risk moves no more (409 invalid_transition)', async () => {
    const r = expectStatus(await add({ title: 'stale', owner: 'manager1', likelihood: 1, impact: 1 }), 201);
    const u = expectStatus(await manager.patch(`/api/v1/risks/${r.key}`, { version: 1, status: 'mitigating', likelihood: 4 }), 200);
    assert.equal(u.version, 2);
    assert.equal(u.score, 4); // 4 × 1
    expectError(await manager.patch(`/api/v1/risks/${r.key}`, { version: 1, title: 'late' }), 409, 'conflict', 'version');
    expectError(await manager.patch(`/api/v1/risks/${r.key}`, { version: 2, status: 'open' }), 409, 'invalid_transition', 'status');
    expectError(await manager.patch(`/api/v1/risks/${r.key}`, { version: 2, status: 'pending' }), 400, 'invalid', 'status');
    const c = expectStatus(await manager.patch(`/api/v1/risks/${r.key}`, { version: 2, status: 'closed' }), 200);
    expectError(await manager.patch(`/api/v1/risks/${r.key}`, { version: c.version, title: 'again' }), 409, 'invalid_transition');
    expectError(await manager.post(`/api/v1/risks/${r.key}/measures`, { version: c.version, description: 'x', owner: 'manager1' }), 409, 'invalid_transition');
    expectError(await manager.post(`/api/v1/risks/${r.key}/review`, { version: c.version }), 409, 'invalid_transition');
    assert.equal((await get(r.key)).version, c.version);
    expectError(await agent.get('/api/v1/risks/RISK-999'), 404, 'not_found');
    expectError(await agent.get('/api/v1/risks/nonsense'), 404, 'not_found');
  });
});

describe('measures', () => {
  it('are added and moved along their lifecycle; the risk version guards them', async () => {
    const r = expectStatus(await add({ title: 'backups untested', owner: 'manager1', likelihood: 3, impact: 5 }), 201);
    const m1 = expectStatus(await manager.post(`/api/v1/risks/${r.key}/measures`, {
      version: 1, description: 'monthly restore test', owner: 'owner2', due: '2027-01-15T00:00:00Z' }), 201);
    assert.equal(m1.version, 2);
    assert.equal(m1.measures.length, 1);
    const m = m1.measures[0];
    assert.equal(m.status, 'planned');
    assert.equal(m.owner, 'owner2');
    assert.equal(m.due, '2027-01-15T00:00:00Z');
    assert.equal(m.overdue, false);
    expectError(await manager.post(`/api/v1/risks/${r.key}/measures`, { version: 2, description: 'x', owner: 'alice' }), 400, 'invalid', 'owner');
    expectError(await manager.post(`/api/v1/risks/${r.key}/measures`, { version: 2, owner: 'owner2' }), 400, 'invalid', 'description');
    expectError(await manager.post(`/api/v1/risks/${r.key}/measures`, { version: 1, description: 'x', owner: 'owner2' }), 409, 'conflict', 'version');
    const p = expectStatus(await manager.patch(`/api/v1/risks/${r.key}/measures/${m.id}`, { version: 2, status: 'in_progress' }), 200);
    assert.equal(p.measures[0].status, 'in_progress');
    const d = expectStatus(await manager.patch(`/api/v1/risks/${r.key}/measures/${m.id}`, { version: 3, status: 'done' }), 200);
    assert.equal(d.measures[0].status, 'done');
    expectError(await manager.patch(`/api/v1/risks/${r.key}/measures/${m.id}`, { version: 4, status: 'planned' }), 409, 'invalid_transition', 'status');
    expectError(await manager.patch(`/api/v1/risks/${r.key}/measures/999`, { version: 4, status: 'done' }), 404, 'not_found');
    expectError(await manager.patch(`/api/v1/risks/${r.key}/measures/x`, { version: 4, status: 'done' }), 404, 'not_found');
    assert.equal((await get(r.key)).version, 4);
  });
});

describe('overdue warnings', () => {
  it('an overdue measure warns its owner once per due date, through the outbox', async () => {
    const r = expectStatus(await add({ title: 'single firewall', owner: 'manager1', likelihood: 2, impact: 4 }), 201);
    const w = expectStatus(await manager.post(`/api/v1/risks/${r.key}/measures`, {
      version: 1, description: 'second firewall', owner: 'owner2', due: '2027-02-01T00:00:00Z' }), 201);
    const id = w.measures[0].id;
    await tick('2027-01-31T23:00:00Z'); // not due yet
    assert.equal((await auditOf(r.key)).filter((x) => x.action === 'risk.warning').length, 0);
    await tick('2027-02-01T01:00:00Z');
    await tick('2027-02-02T01:00:00Z'); // again: nothing new
    let warns = (await auditOf(r.key)).filter((x) => x.action === 'risk.warning');
    assert.equal(warns.length, 1);
    assert.equal(warns[0].change.event, 'risk.measure_overdue');
    assert.equal(warns[0].change.measure, id);
    assert.equal(warns[0].change.owner, 'owner2');
    const ob = expectStatus(await admin.get('/api/v1/sla/outbox?limit=500'), 200).items
      .filter((x) => x.payload.risk === r.key);
    assert.equal(ob.length, 1);
    assert.equal(ob[0].target, 'mailto:owner2@example.com');
    assert.equal(ob[0].payload.due, '2027-02-01T00:00:00Z');
    // The tick's clock is the watcher's alone: answers read the real one (before the due date).
    assert.equal((await get(r.key)).measures[0].overdue, false);
    // A new due date warns again when it lapses, once.
    expectStatus(await manager.patch(`/api/v1/risks/${r.key}/measures/${id}`, { version: 2, due: '2027-03-01T00:00:00Z' }), 200);
    await tick('2027-03-02T00:00:00Z');
    await tick('2027-03-03T00:00:00Z');
    warns = (await auditOf(r.key)).filter((x) => x.action === 'risk.warning');
    assert.equal(warns.length, 2);
    // A measure done warns no more.
    expectStatus(await manager.patch(`/api/v1/risks/${r.key}/measures/${id}`, { version: 3, status: 'done', due: '2027-04-01T00:00:00Z' }), 200);
    await tick('2027-04-02T00:00:00Z');
    assert.equal((await auditOf(r.key)).filter((x) => x.action === 'risk.warning').length, 2);
  });

  it('an overdue review warns once; a review sets the next one review_every_days later', async () => {
    const r = expectStatus(await add({ title: 'key person', owner: 'manager1', likelihood: 3, impact: 3, review_every_days: 30 }), 201);
    // next_review = created_at + 30 days.
    assert.equal(Date.parse(r.next_review) - Date.parse(r.created_at), 30 * DAY);
    assert.equal(r.review_overdue, false);
    const late = new Date(Date.parse(r.next_review) + DAY).toISOString().replace(/\.\d+Z$/, 'Z');
    await tick(late);
    await tick(late);
    const warns = (await auditOf(r.key)).filter((x) => x.action === 'risk.warning');
    assert.equal(warns.length, 1);
    assert.equal(warns[0].change.event, 'risk.review_overdue');
    const ob = expectStatus(await admin.get('/api/v1/sla/outbox?limit=500'), 200).items
      .filter((x) => x.payload.risk === r.key);
    assert.deepEqual(ob.map((x) => x.target), ['mailto:manager1@example.com']);
    const rv = expectStatus(await manager.post(`/api/v1/risks/${r.key}/review`, { version: 1, notes: 'still relevant', impact: 2 }), 200);
    assert.equal(rv.score, 6); // 3 × 2
    assert.equal(rv.level, 'medium');
    assert.equal(rv.last_review.by, 'manager1');
    assert.equal(Date.parse(rv.next_review) - Date.parse(rv.last_review.at), 30 * DAY);
    expectError(await manager.post(`/api/v1/risks/${r.key}/review`, { version: 2, likelihood: 6 }), 400, 'invalid', 'likelihood');
  });
});

describe('who may do what', () => {
  it('managers write; agents read; requesters are refused', async () => {
    expectError(await requester.get('/api/v1/risks'), 403, 'forbidden');
    expectError(await requester.get('/api/v1/risks/heatmap'), 403, 'forbidden');
    expectError(await requester.get('/api/v1/risks/RISK-1'), 403, 'forbidden');
    expectError(await agent.post('/api/v1/risks', { title: 'x', owner: 'agent1', likelihood: 1, impact: 1 }), 403, 'forbidden');
    expectError(await agent.patch('/api/v1/risks/RISK-1', { version: 1, title: 'x' }), 403, 'forbidden');
    assert.ok(expectStatus(await agent.get('/api/v1/risks?status=open'), 200).items.every((r) => r.status === 'open'));
    expectError(await agent.get('/api/v1/risks?status=bogus'), 400, 'invalid', 'status');
  });
});

describe('the command line', () => {
  it('adds, shows, measures and draws the heat map', async () => {
    const out = cliOk(store.db, ['risk', 'add', '--title', 'from the CLI', '--owner', 'manager1',
      '--likelihood', '4', '--impact', '4']);
    assert.match(out, /added risk RISK-\d+/);
    const key = out.match(/RISK-\d+/)[0];
    const shown = JSON.parse(cliOk(store.db, ['--json', 'risk', 'show', key]));
    assert.equal(shown.score, 16); // 4 × 4
    assert.equal(shown.level, 'high');
    assert.match(cliOk(store.db, ['risk', 'measure', key, '--description', 'fix', '--owner', 'owner2']),
      new RegExp(`${key} open, score 16 high \\(version 2\\)`));
    const bad = cli(store.db, ['risk', 'add', '--title', 't', '--owner', 'manager1', '--likelihood', '6', '--impact', '1']);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /likelihood/);
    const hm = cliOk(store.db, ['risk', 'heatmap']);
    assert.match(hm, /likelihood \\ impact/);
  });

  it('the audit chain verifies with every risk write in it', () => {
    const v = JSON.parse(cliOk(store.db, ['--json', 'audit', 'verify']));
    assert.equal(v.ok, true);
  });

  it('a new level table relevels every risk at once; the chain still verifies', async () => {
    await stopClean(srv);
    const conf = join(store.dir, 'itsm.conf');
    writeFileSync(conf, '[risk]\nlevels = minor:1-9, major:10-25\n');
    srv = await startServer(store.db, ['--config', conf]);
    const c = client(srv.url, tokens.agent1);
    // RISK-1 is 3 × 4 = 12: high under the default table, major under this one.
    const r1 = expectStatus(await c.get('/api/v1/risks/RISK-1'), 200);
    assert.equal(r1.score, 12);
    assert.equal(r1.level, 'major');
    const hm = expectStatus(await c.get('/api/v1/risks/heatmap'), 200);
    assert.equal(hm.levels[2][2], 'minor'); // 3 × 3 = 9
    assert.equal(hm.levels[1][4], 'major'); // 2 × 5 = 10
    assert.equal(JSON.parse(cliOk(store.db, ['--json', 'audit', 'verify'])).ok, true);
    // A table with a gap stops the server before it listens.
    writeFileSync(conf, '[risk]\nlevels = low:1-4, high:6-25\n');
    const bad = cli(store.db, ['--config', conf, 'serve', '--listen', '127.0.0.1:0']);
    assert.notEqual(bad.status, 0);
    assert.match(bad.stderr, /risk level 'high' starts at 6: expected 5/);
  });

  it("a risk changed behind the chain's back fails the verification", () => {
    // RISK-2 is 2 × 2 = 4, low; lifted to 5 × 2 in the table only.
    sql(store.db, "UPDATE risks SET likelihood = 5 WHERE key = 'RISK-2'");
    const r = cli(store.db, ['--json', 'audit', 'verify']);
    assert.notEqual(r.status, 0);
    const v = JSON.parse(r.stdout);
    assert.equal(v.ok, false);
    assert.match(v.reason, /risk:RISK-2 differs/);
  });
});
