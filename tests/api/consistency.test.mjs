// consistency.test.mjs — the API and the CLI answer alike: a ticket created
// without impact or urgency gets the same defaults both ways; `itsm ticket
// show` shows the channel and the SLA block `--json` has; skill
// explanations name stored careers by the IDs `itsm staff show` prints; an
// imported ticket keeps who asked, so the requester finds it as their own.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  makeStore, seed, startServer, client, cli, cliOk, expectError, expectStatus, stopClean,
} from './lib.mjs';

let store, srv, admin, agent, manager, alice, dave;

before(async () => {
  store = makeStore();
  const tokens = seed(store.db);
  srv = await startServer(store.db);
  admin = client(srv.url, tokens.admin);
  agent = client(srv.url, tokens.agent1);
  manager = client(srv.url, tokens.manager1);
  alice = client(srv.url, tokens.alice);
  dave = client(srv.url, tokens.dave);
  expectStatus(await manager.post('/api/v1/services', { key: 'email' }), 201);
  const targets = Object.fromEntries([1, 2, 3, 4, 5].map((p) => [String(p),
    { response_minutes: 60 * p, resolution_minutes: 240 * p }]));
  expectStatus(await manager.post('/api/v1/slas', {
    name: 'acme-email', customer: 'acme', service: 'email', calendar: '24x7', targets,
  }), 201);
});

after(async () => {
  if (srv) await stopClean(srv);
  store?.cleanup();
});

describe('impact and urgency: one rule for the API and the CLI', () => {
  // Both default to 2 (medium) when not sent: priority matrix[2][2] = 3.
  it('POST /tickets without them gets impact 2, urgency 2, priority 3', async () => {
    const t = expectStatus(await agent.post('/api/v1/tickets', { kind: 'incident', title: 'No levels' }), 201);
    assert.deepEqual([t.impact, t.urgency, t.priority], [2, 2, 3]);
  });
  it('one given, the other defaults: impact 1 alone is urgency 2, priority 2', async () => {
    const t = expectStatus(await agent.post('/api/v1/tickets', { kind: 'incident', title: 'Impact only', impact: 1 }), 201);
    assert.deepEqual([t.impact, t.urgency, t.priority], [1, 2, 2]);
    const u = expectStatus(await agent.post('/api/v1/tickets', { kind: 'incident', title: 'Urgency only', urgency: 3 }), 201);
    assert.deepEqual([u.impact, u.urgency, u.priority], [2, 3, 4]);
  });
  it('itsm ticket create gives the same', () => {
    const t = JSON.parse(cliOk(store.db, ['--json', 'ticket', 'create', '--kind', 'incident', '--title', 'CLI', '--impact', '1']));
    assert.deepEqual([t.impact, t.urgency, t.priority], [1, 2, 2]);
  });
  it('a value out of range is still refused', async () => {
    expectError(await agent.post('/api/v1/tickets', { kind: 'incident', title: 'x', urgency: 4 }), 400, 'invalid', 'urgency');
  });
});

describe('itsm ticket show', () => {
  it('shows the channel and the SLA block as --json has them', async () => {
    const t = expectStatus(await agent.post('/api/v1/tickets', {
      kind: 'incident', title: 'Mail down', customer: 'acme', service: 'email', impact: 1, urgency: 1,
    }), 201);
    const json = JSON.parse(cliOk(store.db, ['--json', 'ticket', 'show', t.key]));
    assert.equal(json.sla.name, 'acme-email');
    const text = cliOk(store.db, ['ticket', 'show', t.key]);
    assert.match(text, /^channel +api$/m);
    assert.match(text, /^sla$/m);
    assert.match(text, /^ {2}name +acme-email$/m);
    assert.match(text, new RegExp(`^ {2}response_due +${json.sla.response_due}$`, 'm'));
    assert.match(text, new RegExp(`^ {2}resolution_due +${json.sla.resolution_due}$`, 'm'));
    assert.match(text, /^ {2}paused +no$/m);
    assert.match(text, /^ {2}breached +no$/m);
    // Without an SLA the block says so.
    const plain = expectStatus(await agent.post('/api/v1/tickets', { kind: 'inquiry', title: 'Question' }), 201);
    assert.match(cliOk(store.db, ['ticket', 'show', plain.key]), /^sla +-$/m);
  });
});

describe('skill explanations name careers by their IDs', () => {
  const omCareer = {
    field: 'operations_management', role: 'member', from: '2020-01-01', to: '2021-12-31',
    complexity: ['adv_ops_req', 'structure'],
  };
  const omLeader = {
    field: 'operations_management', role: 'leader', from: '2022-01-01', to: '2023-12-31',
    persons: 35, complexity: ['adv_ops_req', 'structure'],
  };
  it('the records of the assessment are the IDs itsm staff show prints, not positions', async () => {
    // Another person's careers first, so sato's IDs are not 0 and 1.
    expectStatus(await manager.post('/api/v1/staff', { key: 'kato', name: 'Kato Ken' }), 201);
    for (let i = 0; i < 3; i++) expectStatus(await manager.post('/api/v1/staff/kato/careers', omCareer), 201);
    expectStatus(await manager.post('/api/v1/staff', {
      key: 'sato', name: 'Sato Aiko', specialty: { operations_management: 'self' },
    }), 201);
    const a = expectStatus(await manager.post('/api/v1/staff/sato/careers', omCareer), 201).id;
    const b = expectStatus(await manager.post('/api/v1/staff/sato/careers', omLeader), 201).id;
    assert.deepEqual([a, b], [4, 5]);
    const shown = cliOk(store.db, ['staff', 'show', 'sato']);
    assert.match(shown, /^4 +operations_management +member/m);
    assert.match(shown, /^5 +operations_management +leader/m);

    for (const id of [a, b]) expectStatus(await manager.post(`/api/v1/staff/sato/careers/${id}/verify`), 200);
    const out = expectStatus(await manager.post('/api/v1/staff/sato/assess', { as_of: '2026-01-01' }), 201);
    const res = out.result.verified;
    assert.deepEqual(res.careers.map((c) => c.record), [4, 5]);
    const om = res.fields.operations_management;
    assert.equal(om.level, 3);
    // Level 3's business criterion holds on both careers; level 4's on the leader's.
    const business = (level) => om.criteria.find((c) => c.level === level && c.kind === 'business');
    assert.deepEqual(business(3).records, [4, 5]);
    assert.deepEqual(business(4).records, [5]);
    // An unmet level names the rejected careers by ID too.
    for (const r of business(5).rejected) assert.ok([4, 5].includes(r.record), JSON.stringify(r));
    // The CLI prints the same IDs (of the verified records).
    const text = cliOk(store.db, ['staff', 'assess', 'sato', '--as-of', '2026-01-01']);
    assert.match(text, /operations_management: level 3\n {2}supported by careers 4, 5\n/);
  });
  it('a profile without IDs (POST /skills/assess) still names careers by position', async () => {
    const res = expectStatus(await agent.post('/api/v1/skills/assess', {
      name: 'Anon', as_of: '2026-01-01', careers: [omCareer, omLeader],
    }), 200);
    assert.deepEqual(res.careers.map((c) => c.record), [0, 1]);
  });
});

describe('history import keeps who asked', () => {
  const line = (over = {}) => ({
    kind: 'incident', title: 'Printer jammed (old tool)', customer: 'acme', service: 'email',
    impact: 2, urgency: 2, created_at: '2026-03-02T10:00:00Z',
    timeline: [{ at: '2026-03-02T11:00:00Z', status: 'in_progress' }], ...over,
  });
  it('a requester of the ticket\'s customer is taken: their token lists it as their own', async () => {
    const r = expectStatus(await admin.post('/api/v1/import/tickets', { tickets: [line({ requester: 'alice' })] }), 201);
    assert.equal(r.imported, 1);
    const key = r.first;
    const mine = expectStatus(await alice.get('/api/v1/tickets?requester=me&limit=500'), 200);
    const t = mine.items.find((x) => x.key === key);
    assert.ok(t, `${key} is not among alice's own tickets`);
    assert.equal(t.requester, 'alice');
    assert.equal(expectStatus(await alice.get(`/api/v1/tickets/${key}`), 200).requester, 'alice');
    // Without requester, whoever imports is the requester, as before.
    const s = expectStatus(await admin.post('/api/v1/import/tickets', { tickets: [line()] }), 201);
    assert.equal(expectStatus(await admin.get(`/api/v1/tickets/${s.first}`), 200).requester, 'admin');
    // The audit chain holds the imported requester.
    assert.equal(expectStatus(await admin.get('/api/v1/audit/verify'), 200).ok, true);
  });
  it('another customer\'s user, an unknown user or no customer refuses the batch naming the ticket', async () => {
    const before = expectStatus(await admin.get('/api/v1/tickets?limit=500'), 200).items.length;
    let e = expectError(await admin.post('/api/v1/import/tickets', { tickets: [line(), line({ requester: 'dave' })] }), 400, 'invalid', 'requester');
    assert.match(e.message, /^ticket 2: user 'dave' is not a user of customer 'acme'/);
    e = expectError(await admin.post('/api/v1/import/tickets', { tickets: [line({ requester: 'nobody' })] }), 400, 'invalid', 'requester');
    assert.match(e.message, /^ticket 1: unknown user 'nobody'/);
    e = expectError(await admin.post('/api/v1/import/tickets', { tickets: [line({ requester: 'alice', customer: undefined, service: undefined })] }), 400, 'invalid', 'requester');
    assert.match(e.message, /^ticket 1: a requester needs the ticket's customer/);
    expectError(await admin.post('/api/v1/import/tickets', { tickets: [line({ requester: 7 })] }), 400, 'invalid', 'requester');
    assert.equal(expectStatus(await admin.get('/api/v1/tickets?limit=500'), 200).items.length, before, 'nothing of a refused batch stays');
  });
  it('itsm import tickets names the line', () => {
    const file = join(store.dir, 'history.jsonl');
    writeFileSync(file, `${JSON.stringify(line({ requester: 'alice' }))}\n${JSON.stringify(line({ requester: 'dave' }))}\n`);
    const r = cli(store.db, ['import', 'tickets', file]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /line 2: user 'dave' is not a user of customer 'acme'/);
    writeFileSync(file, `${JSON.stringify(line({ requester: 'alice' }))}\n`);
    assert.match(cliOk(store.db, ['import', 'tickets', file]), /^imported 1 ticket$/, 'one ticket, not "1 tickets"');
    writeFileSync(file, `${JSON.stringify(line())}\n${JSON.stringify(line())}\n`);
    assert.match(cliOk(store.db, ['import', 'tickets', file]), /^imported 2 tickets$/);
  });
});
