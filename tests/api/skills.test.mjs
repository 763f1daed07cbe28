// skills.test.mjs — skills end to end: the stateless self-diagnosis, stored
// staff with declared careers, a manager's verification, assessments with an
// append-only history, the team skill map, evidence from itsm's own tickets,
// and who may do what — over the HTTP API and the CLI, happy and unhappy
// paths. Every refused write is checked to have left nothing behind.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  makeStore, seed, startServer, client, cli, cliOk, expectError, expectStatus, createTicket,
  listAll, stopClean, sqlRun,
} from './lib.mjs';

const AS_OF = '2026-01-01';

// One Operations Management record that meets level 3 and nothing above.
const omCareer = (over = {}) => ({
  field: 'operations_management', role: 'member', from: '2020-01-01', to: '2021-12-31',
  complexity: ['adv_ops_req', 'structure'], title: 'Night shift, data centre', ...over,
});
// Two years as leader at 35 persons: Operations Management 4's business criterion.
const omLeader = (over = {}) => ({
  field: 'operations_management', role: 'leader', from: '2022-01-01', to: '2023-12-31',
  persons: 35, complexity: ['adv_ops_req', 'structure'], ...over,
});
const profile = (over = {}) => ({
  name: 'Aiko', as_of: AS_OF, exams: ['AP'], careers: [omCareer()],
  specialty: { operations_management: 'self' }, ...over,
});

// Malformed profiles: [what, profile, the field named].
const malformed = [
  ['unknown field', profile({ careers: [omCareer({ field: 'ops' })] }), 'careers[0].field'],
  ['unknown role', profile({ careers: [omCareer({ role: 'boss' })] }), 'careers[0].role'],
  ['unknown complexity code', profile({ careers: [omCareer({ complexity: ['structure', 'huge'] })] }),
    'careers[0].complexity[1]'],
  ['complexity of another field', profile({ careers: [omCareer({ complexity: ['complex_os'] })] }),
    'careers[0].complexity[0]'],
  ['unknown responsibility', profile({ careers: [omCareer({ responsibilities: ['coffee'] })] }),
    'careers[0].responsibilities[0]'],
  ['to before from', profile({ careers: [omCareer({ from: '2021-01-01', to: '2020-12-31' })] }),
    'careers[0].to'],
  ['negative size', profile({ careers: [omCareer({ persons: -1 })] }), 'careers[0].persons'],
  ['size of the wrong type', profile({ careers: [omCareer({ contract_yen: 'many' })] }),
    'careers[0].contract_yen'],
  ['fractional size', profile({ careers: [omCareer({ persons: 1.5 })] }), 'careers[0].persons'],
  ['succeeded not a boolean', profile({ careers: [omCareer({ succeeded: 'yes' })] }),
    'careers[0].succeeded'],
  ['a misspelt key', profile({ careers: [omCareer({ responsibilites: [] })] }),
    'careers[0].responsibilites'],
  ['bad date', profile({ careers: [omCareer({ from: '2021-02-29' })] }), 'careers[0].from'],
  ['unknown succession kind', profile({ succession: [{ kind: 'blog' }] }), 'succession[0].kind'],
  ['unknown depth', profile({ specialty: { operations_management: 'guru' } }),
    'specialty.operations_management'],
  ['careers not an array', profile({ careers: {} }), 'careers'],
  ['bad as_of', profile({ as_of: 'yesterday' }), 'as_of'],
];

let store, srv, tokens;
let admin, manager, agent, operator, alice;

before(async () => {
  store = makeStore();
  tokens = seed(store.db);
  srv = await startServer(store.db);
  admin = client(srv.url, tokens.admin);
  manager = client(srv.url, tokens.manager1);
  agent = client(srv.url, tokens.agent1);
  operator = client(srv.url, tokens.operator1);
  alice = client(srv.url, tokens.alice);
});

after(async () => {
  if (srv) await stopClean(srv);
  store?.cleanup();
});

const audit = async () => listAll(admin, '/api/v1/audit?limit=500');
// A person's records in the audit log: theirs ("staff:KEY"), and their
// careers' and assessments' ("career:ID", "assessment:ID"), which name them.
const staffAudit = async (key) => (await audit()).filter((r) => r.entity === `staff:${key}`
  || (/^(career|assessment):/.test(r.entity) && r.change?.after?.staff === key));
const addStaff = async (body) => expectStatus(await manager.post('/api/v1/staff', body), 201);
const getStaff = async (key, c = manager) => expectStatus(await c.get(`/api/v1/staff/${key}`), 200);
const addCareer = async (key, body, c = manager) =>
  expectStatus(await c.post(`/api/v1/staff/${key}/careers`, body), 201);
const assess = async (key, body = { as_of: AS_OF }, c = manager) =>
  expectStatus(await c.post(`/api/v1/staff/${key}/assess`, body), 201);
const history = async (key, c = manager) =>
  expectStatus(await c.get(`/api/v1/staff/${key}/assessments`), 200).items;

describe('stateless self-diagnosis', () => {
  it('assesses a profile for any signed-in user and stores nothing', async () => {
    const before = (await audit()).length;
    for (const c of [alice, agent, manager]) {
      const res = expectStatus(await c.post('/api/v1/skills/assess', profile()), 200);
      assert.equal(res.fields.operations_management.level, 3);
      assert.equal(res.fields.operations_management.next.level, 4);
      assert.ok(res.fields.operations_management.next.missing.length > 0);
      assert.equal(res.fields.service_desk.level, null);
      assert.equal(res.basis, 'declared');
      assert.equal(res.rules_version, 'itss-ism-2026.1');
      assert.deepEqual(res.exams, [{ exam: 'AP', counted: false, remark: 'minimum capability of level 3 reached' }]);
    }
    assert.equal((await audit()).length, before);
  });

  it('refuses callers without a token', async () => {
    expectError(await client(srv.url).post('/api/v1/skills/assess', profile()), 401, 'unauthenticated');
  });

  for (const [what, body, field] of malformed) {
    it(`refuses ${what}, naming ${field}`, async () => {
      expectError(await agent.post('/api/v1/skills/assess', body), 400, 'invalid', field);
    });
  }

  it('the CLI prints the level and what the next one misses', () => {
    const file = join(store.dir, 'profile.json');
    writeFileSync(file, JSON.stringify(profile()));
    const out = cliOk(join(store.dir, 'never-created.db'), ['skill', 'assess', '--file', file]);
    assert.equal(existsSync(join(store.dir, 'never-created.db')), false, 'stateless: no store created');
    assert.match(out, /operations_management: level 3/);
    assert.match(out, /for level 4:/);
    assert.match(out, /needs specialty depth guide_subordinates; has self/);
    assert.match(out, /AP: minimum capability of level 3 reached/);
    const json = JSON.parse(cliOk(store.db, ['skill', 'assess', '--file', file, '--json']));
    assert.equal(json.fields.operations_management.level, 3);
  });

  it('the CLI exits 1 naming the item of a malformed profile, 2 on bad usage', () => {
    for (const [, body, field] of malformed) {
      const file = join(store.dir, 'bad.json');
      writeFileSync(file, JSON.stringify(body));
      const r = cli(store.db, ['skill', 'assess', '--file', file]);
      assert.equal(r.status, 1, r.stderr);
      assert.match(r.stderr, /^itsm: /);
      assert.ok(r.stderr.includes(field), `${r.stderr} names ${field}`);
    }
    const file = join(store.dir, 'boss.json');
    writeFileSync(file, JSON.stringify(profile({ careers: [omCareer({ role: 'boss' })] })));
    assert.equal(cli(store.db, ['skill', 'assess', '--file', file]).stderr.trim(),
      "itsm: unknown role 'boss' (field 'careers[0].role')");
    assert.equal(cli(store.db, ['skill', 'assess']).status, 2);
    assert.equal(cli(store.db, ['skill', 'bogus']).status, 2);
    const nojson = join(store.dir, 'nojson.json');
    writeFileSync(nojson, '{"careers": [');
    assert.equal(cli(store.db, ['skill', 'assess', '--file', nojson]).status, 1);
  });
});

describe('staff records', () => {
  it('managers add staff; the record shows its groups, user and profile part', async () => {
    const s = await addStaff({ key: 'sato', name: 'Sato Aiko', groups: ['noc', 'desk'], user: 'agent1' });
    assert.equal(s.key, 'sato');
    assert.deepEqual(s.groups, ['noc', 'desk']);
    assert.equal(s.user, 'agent1');
    assert.equal(s.version, 1);
    assert.deepEqual(s.exams, []);
    assert.deepEqual(s.succession, []);
    assert.equal(s.develops_subordinates, false);
    const rows = await staffAudit('sato');
    assert.equal(rows.length, 1);
    assert.equal(rows[0].action, 'staff.add');
  });

  it('refuses bad records and duplicates, storing nothing', async () => {
    const before = (await audit()).length;
    expectError(await manager.post('/api/v1/staff', { key: 'sato', name: 'Again' }), 409, 'conflict', 'key');
    expectError(await manager.post('/api/v1/staff', { key: 'bad key', name: 'X' }), 400, 'invalid', 'key');
    expectError(await manager.post('/api/v1/staff', { key: 'x1' }), 400, 'invalid', 'name');
    expectError(await manager.post('/api/v1/staff', { key: 'x1', name: 'X', user: 'nobody' }), 400, 'invalid', 'user');
    expectError(await manager.post('/api/v1/staff', { key: 'x1', name: 'X', user: 'alice' }), 400, 'invalid', 'user');
    expectError(await manager.post('/api/v1/staff', { key: 'x1', name: 'X', user: 'agent1' }), 409, 'conflict', 'user');
    expectError(await manager.post('/api/v1/staff', { key: 'x1', name: 'X', groups: 'noc' }), 400, 'invalid', 'groups');
    expectError(await manager.post('/api/v1/staff', { key: 'x1', name: 'X', colour: 'red' }), 400, 'invalid', 'colour');
    expectError(await manager.post('/api/v1/staff', { key: 'x1', name: 'X', succession: [{ kind: 'blog' }] }),
      400, 'invalid', 'succession[0].kind');
    expectError(await manager.get('/api/v1/staff/x1'), 404, 'not_found');
    assert.equal((await audit()).length, before);
  });

  it('only managers and admins add; requesters see nothing', async () => {
    expectError(await agent.post('/api/v1/staff', { key: 'x2', name: 'X' }), 403, 'forbidden');
    expectError(await operator.post('/api/v1/staff', { key: 'x2', name: 'X' }), 403, 'forbidden');
    expectError(await alice.post('/api/v1/staff', { key: 'x2', name: 'X' }), 403, 'forbidden');
    expectError(await alice.get('/api/v1/staff'), 403, 'forbidden');
    expectError(await alice.get('/api/v1/staff/sato'), 403, 'forbidden');
    expectError(await alice.get('/api/v1/staff/sato/assessments'), 403, 'forbidden');
    expectError(await alice.post('/api/v1/staff/sato/careers', omCareer()), 403, 'forbidden');
    expectStatus(await admin.post('/api/v1/staff', { key: 'tanaka', name: 'Tanaka Ken', groups: ['noc'] }), 201);
  });

  it('a linked person reads their own record only; others are not found', async () => {
    const own = await getStaff('sato', agent);
    assert.equal(own.key, 'sato');
    expectError(await agent.get('/api/v1/staff/tanaka'), 404, 'not_found');
    expectError(await operator.get('/api/v1/staff/sato'), 404, 'not_found');
    assert.deepEqual(expectStatus(await agent.get('/api/v1/staff'), 200).items.map((s) => s.key), ['sato']);
    assert.deepEqual(expectStatus(await operator.get('/api/v1/staff'), 200).items, []);
    const all = await listAll(manager, '/api/v1/staff?limit=1');
    assert.deepEqual(all.map((s) => s.key), ['sato', 'tanaka']);
    assert.deepEqual(expectStatus(await manager.get('/api/v1/staff?group=desk'), 200).items.map((s) => s.key), ['sato']);
    expectError(await manager.get('/api/v1/staff?limit=0'), 400, 'invalid', 'limit');
  });

  it('PATCH needs the current version: stale gets 409 and changes nothing', async () => {
    const s = await getStaff('tanaka');
    const patched = expectStatus(await manager.patch('/api/v1/staff/tanaka', {
      version: s.version, exams: ['AP'], specialty: { operations_management: 'guide_subordinates' },
      develops_subordinates: true, succession: [{ kind: 'book', date: '2023-05-01', title: 'Runbooks' }],
    }), 200);
    assert.equal(patched.version, s.version + 1);
    assert.deepEqual(patched.exams, ['AP']);
    assert.equal(patched.succession[0].verified, false);
    expectError(await manager.patch('/api/v1/staff/tanaka', { version: s.version, exams: [] }), 409, 'conflict', 'version');
    expectError(await manager.patch('/api/v1/staff/tanaka', { exams: [] }), 400, 'invalid', 'version');
    expectError(await manager.patch('/api/v1/staff/tanaka', { version: patched.version, succession: [{ kind: 'tweet' }] }),
      400, 'invalid', 'succession[0].kind');
    expectError(await manager.patch('/api/v1/staff/tanaka', { version: patched.version, specialty: { ops: 'self' } }),
      400, 'invalid', 'specialty.ops');
    expectError(await manager.patch('/api/v1/staff/tanaka', { version: patched.version, exams: [3] }),
      400, 'invalid', 'exams[0]');
    expectError(await agent.patch('/api/v1/staff/sato', { version: 1, exams: [] }), 403, 'forbidden');
    const now = await getStaff('tanaka');
    assert.equal(now.version, patched.version);
    assert.deepEqual(now.exams, ['AP']);
  });

  it('a succession item marked verified is stamped by the manager and kept across PATCHes', async () => {
    let s = await getStaff('tanaka');
    s = expectStatus(await manager.patch('/api/v1/staff/tanaka', {
      version: s.version, succession: [{ kind: 'book', date: '2023-05-01', title: 'Runbooks', verified: true,
        verified_by: 'forged' }],
    }), 200);
    assert.equal(s.succession[0].verified_by, 'manager1');
    const stamp = s.succession[0].verified_at;
    s = expectStatus(await admin.patch('/api/v1/staff/tanaka', { version: s.version, succession: s.succession, note: 'n' }), 200);
    assert.equal(s.succession[0].verified_by, 'manager1');
    assert.equal(s.succession[0].verified_at, stamp);
  });
});

describe('careers and verification', () => {
  it('the linked person declares a career; it starts unverified', async () => {
    const c = await addCareer('sato', omCareer(), agent);
    assert.equal(c.verified, false);
    assert.equal(c.verified_by, null);
    assert.equal(c.declared_by, 'agent1');
    assert.equal(c.role, 'member');
    const s = await getStaff('sato');
    assert.equal(s.careers.length, 1);
    assert.equal(s.careers[0].id, c.id);
    assert.equal((await staffAudit('sato')).at(-1).action, 'staff.career_add');
  });

  it('refuses malformed careers naming the item, storing nothing', async () => {
    const before = (await audit()).length;
    const cases = [
      [omCareer({ role: 'boss' }), 'role'], [omCareer({ field: 'ops' }), 'field'],
      [omCareer({ complexity: ['huge'] }), 'complexity[0]'], [omCareer({ to: '2019-12-31' }), 'to'],
      [omCareer({ persons: -3 }), 'persons'], [omCareer({ users: '10' }), 'users'],
      [omCareer({ verified: true }), 'verified'], [omCareer({ id: 9 }), 'id'],
      [omCareer({ verified_by: 'me' }), 'verified_by'], [omCareer({ colour: 'red' }), 'colour'],
      [{ role: 'member', from: '2020-01-01' }, 'field'],
    ];
    for (const [body, field] of cases) {
      expectError(await agent.post('/api/v1/staff/sato/careers', body), 400, 'invalid', field);
    }
    assert.equal((await getStaff('sato')).careers.length, 1);
    assert.equal((await audit()).length, before);
  });

  it('nobody adds careers to a record they cannot see', async () => {
    expectError(await agent.post('/api/v1/staff/tanaka/careers', omCareer()), 404, 'not_found');
    expectError(await operator.post('/api/v1/staff/sato/careers', omCareer()), 404, 'not_found');
    expectError(await manager.post('/api/v1/staff/nobody/careers', omCareer()), 404, 'not_found');
  });

  it('requesters, agents and operators may not verify: 403', async () => {
    const id = (await getStaff('sato')).careers[0].id;
    for (const c of [alice, agent, operator]) {
      expectError(await c.post(`/api/v1/staff/sato/careers/${id}/verify`), 403, 'forbidden');
    }
    assert.equal((await getStaff('sato')).careers[0].verified, false);
  });

  it('a manager verifies once, recording who and when', async () => {
    const id = (await getStaff('sato')).careers[0].id;
    const v = expectStatus(await manager.post(`/api/v1/staff/sato/careers/${id}/verify`), 200);
    assert.equal(v.verified, true);
    assert.equal(v.verified_by, 'manager1');
    assert.match(v.verified_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expectError(await admin.post(`/api/v1/staff/sato/careers/${id}/verify`), 409, 'conflict');
    const again = (await getStaff('sato')).careers[0];
    assert.equal(again.verified_by, 'manager1');
    assert.equal(again.verified_at, v.verified_at);
    expectError(await manager.post('/api/v1/staff/sato/careers/999/verify'), 404, 'not_found');
    expectError(await manager.post('/api/v1/staff/sato/careers/abc/verify'), 404, 'not_found');
    expectError(await manager.post(`/api/v1/staff/tanaka/careers/${id}/verify`), 404, 'not_found');
    assert.equal((await staffAudit('sato')).at(-1).action, 'staff.career_verify');
  });

  it('nobody verifies their own record', async () => {
    await addStaff({ key: 'mori', name: 'Mori Jun', user: 'manager1' });
    const c = await addCareer('mori', omCareer(), manager);
    expectError(await manager.post(`/api/v1/staff/mori/careers/${c.id}/verify`), 403, 'forbidden');
    let s = await getStaff('mori');
    expectError(await manager.patch('/api/v1/staff/mori', { version: s.version, succession: [{ kind: 'book', verified: true }] }),
      403, 'forbidden', 'succession[0].verified');
    expectStatus(await admin.post(`/api/v1/staff/mori/careers/${c.id}/verify`), 200);
    s = await getStaff('mori');
    assert.equal(s.careers[0].verified_by, 'admin');
  });
});

describe('assessments', () => {
  let first;

  it('declared and verified levels differ while a career is unverified', async () => {
    await addCareer('tanaka', omCareer());
    await addCareer('tanaka', omLeader());
    first = await assess('tanaka');
    assert.equal(first.levels.operations_management.declared, 4);
    assert.equal(first.levels.operations_management.verified, null);
    assert.equal(first.result.declared.basis, 'declared');
    assert.equal(first.result.verified.basis, 'verified');
    assert.equal(first.result.verified.fields.operations_management.level, null);
    assert.equal(first.rules_version, 'itss-ism-2026.1');
    assert.equal(first.as_of, AS_OF);
    assert.equal(first.assessor, 'manager1');
    assert.match(first.input_hash, /^[0-9a-f]{64}$/);
    assert.equal(first.decision, null);
    assert.equal(first.profile.careers.length, 2);
    assert.equal((await staffAudit('tanaka')).at(-1).action, 'staff.assess');
  });

  it('the same input gives the same hash; verification changes both hash and level', async () => {
    const same = await assess('tanaka');
    assert.equal(same.input_hash, first.input_hash);
    assert.notEqual(same.id, first.id);
    const s = await getStaff('tanaka');
    for (const c of s.careers) expectStatus(await manager.post(`/api/v1/staff/tanaka/careers/${c.id}/verify`), 200);
    const after = await assess('tanaka');
    assert.notEqual(after.input_hash, first.input_hash);
    assert.equal(after.levels.operations_management.verified, 4);
    assert.equal(after.levels.operations_management.declared, 4);
  });

  it('an assessor may decide a level; one that departs from the verified level needs a note', async () => {
    const before = (await history('tanaka')).length;
    expectError(await manager.post('/api/v1/staff/tanaka/assess', { as_of: AS_OF, field: 'operations_management', level: 5 }),
      400, 'invalid', 'note');
    expectError(await manager.post('/api/v1/staff/tanaka/assess', { level: 4 }), 400, 'invalid', 'field');
    expectError(await manager.post('/api/v1/staff/tanaka/assess', { field: 'operations_management' }), 400, 'invalid', 'level');
    expectError(await manager.post('/api/v1/staff/tanaka/assess', { field: 'operation', level: 5 }), 400, 'invalid', 'level');
    expectError(await manager.post('/api/v1/staff/tanaka/assess', { field: 'ops', level: 3 }), 400, 'invalid', 'field');
    expectError(await manager.post('/api/v1/staff/tanaka/assess', { as_of: '2026-13-01' }), 400, 'invalid', 'as_of');
    expectError(await manager.post('/api/v1/staff/tanaka/assess', { whatever: 1 }), 400, 'invalid', 'whatever');
    assert.equal((await history('tanaka')).length, before);
    const d = await assess('tanaka', { as_of: AS_OF, field: 'operations_management', level: 5, note: 'led the 2024 migration' });
    assert.deepEqual(d.decision, { field: 'operations_management', level: 5 });
    assert.equal(d.note, 'led the 2024 migration');
    const same = await assess('tanaka', { as_of: AS_OF, field: 'operations_management', level: 4 });
    assert.deepEqual(same.decision, { field: 'operations_management', level: 4 });
  });

  it('nobody decides a level on their own record', async () => {
    const before = (await history('mori')).length;
    expectError(await manager.post('/api/v1/staff/mori/assess', { field: 'operations_management', level: 3, note: 'me' }),
      403, 'forbidden', 'level');
    assert.equal((await history('mori')).length, before);
    await assess('mori', { as_of: AS_OF });
    const d = await assess('mori', { as_of: AS_OF, field: 'operations_management', level: 3, note: 'checked' }, admin);
    assert.equal(d.assessor, 'admin');
    assert.deepEqual(d.decision, { field: 'operations_management', level: 3 });
  });

  it('only managers and admins assess', async () => {
    for (const c of [agent, operator, alice]) {
      expectError(await c.post('/api/v1/staff/sato/assess', { as_of: AS_OF }), 403, 'forbidden');
    }
    expectError(await manager.post('/api/v1/staff/nobody/assess', {}), 404, 'not_found');
  });

  it('the history grows newest first and old rows never change', async () => {
    const h1 = await history('tanaka');
    assert.ok(h1.length >= 5);
    assert.ok(h1.every((r, i) => i === 0 || r.id < h1[i - 1].id), 'newest first');
    assert.deepEqual(h1.at(-1), first);
    // More activity: a new career, a profile change, another assessment.
    await addCareer('tanaka', omLeader({ from: '2024-01-01', to: null, persons: 80 }));
    const s = await getStaff('tanaka');
    expectStatus(await manager.patch('/api/v1/staff/tanaka', { version: s.version, exams: ['AP', 'SM'] }), 200);
    const newest = await assess('tanaka');
    const h2 = await history('tanaka');
    assert.equal(h2.length, h1.length + 1);
    assert.deepEqual(h2[0], newest);
    assert.deepEqual(h2.slice(1), h1);
    const paged = await listAll(manager, '/api/v1/staff/tanaka/assessments?limit=2');
    assert.deepEqual(paged, h2);
    const summary = expectStatus(await manager.get('/api/v1/staff/tanaka/assessments?summary=true'), 200).items;
    assert.equal(summary[0].result, undefined);
    assert.deepEqual(summary[0].levels, newest.levels);
  });

  it('the store itself refuses to rewrite or delete a row', () => {
    for (const query of ['UPDATE staff_assessments SET levels = \'{}\'', 'DELETE FROM staff_assessments',
      'UPDATE staff_careers SET body = \'{}\'', 'DELETE FROM staff_careers']) {
      const r = sqlRun(store.db, query);
      assert.notEqual(r.status, 0, query);
      assert.match(r.stderr, /append-only|declared once|never deleted/);
    }
  });

  it('a linked person reads their own history; others are not found', async () => {
    const s = await getStaff('sato');
    expectStatus(await manager.patch('/api/v1/staff/sato', { version: s.version, specialty: { operations_management: 'self' } }), 200);
    await assess('sato');
    const own = await history('sato', agent);
    assert.equal(own.length, 1);
    assert.equal(own[0].levels.operations_management.verified, 3);
    expectError(await agent.get('/api/v1/staff/tanaka/assessments'), 404, 'not_found');
  });
});

describe('the team skill map', () => {
  it('shows people × fields from the latest assessments and counts per level', async () => {
    await addStaff({ key: 'kato', name: 'Kato Rin', groups: ['noc'] });
    const map = expectStatus(await manager.get('/api/v1/skills/map'), 200);
    assert.equal(map.people_count, 4);
    assert.equal(map.assessed_count, 3);
    const byKey = Object.fromEntries(map.people.map((p) => [p.key, p]));
    assert.deepEqual(byKey.sato.fields.operations_management, { declared: 3, verified: 3, decided: null });
    assert.equal(byKey.tanaka.fields.operations_management.verified, 4);
    assert.deepEqual(byKey.mori.fields.operations_management, { declared: null, verified: null, decided: 3 });
    assert.equal(byKey.kato.assessment, null);
    assert.equal(byKey.kato.assessed_at, null);
    assert.equal(byKey.tanaka.current_rules, true);
    const om = map.counts.operations_management;
    assert.deepEqual(om.verified, { 3: 1, 4: 1, 5: 0, 6: 0, 7: 0, none: 1 });
    assert.deepEqual(om.declared, { 3: 1, 4: 1, 5: 0, 6: 0, 7: 0, none: 1 });
    assert.deepEqual(map.at_least.operations_management.verified, { 7: 0, 6: 0, 5: 0, 4: 1, 3: 2 });
    assert.equal(map.counts.service_desk.verified.none, 3);
    const desk = expectStatus(await manager.get('/api/v1/skills/map?group=desk'), 200);
    assert.deepEqual(desk.people.map((p) => p.key), ['sato']);
    assert.deepEqual(desk.counts.operations_management.verified, { 3: 1, 4: 0, 5: 0, 6: 0, 7: 0, none: 0 });
    expectError(await manager.get('/api/v1/skills/map?group=a%20b'), 400, 'invalid', 'group');
  });

  it('is for managers and admins', async () => {
    expectStatus(await admin.get('/api/v1/skills/map'), 200);
    for (const c of [agent, operator, alice]) expectError(await c.get('/api/v1/skills/map'), 403, 'forbidden');
  });
});

describe('evidence from itsm records', () => {
  it('shows the linked user\'s role, since when and tickets handled, beside the careers', async () => {
    const t = await createTicket(admin, { assignee: 'agent1' });
    let cur = expectStatus(await agent.patch(`/api/v1/tickets/${t.key}`, { version: t.version, status: 'in_progress' }), 200);
    cur = expectStatus(await agent.patch(`/api/v1/tickets/${t.key}`, { version: cur.version, status: 'resolved' }), 200);
    await createTicket(admin, { assignee: 'agent1' });
    const s = await getStaff('sato');
    assert.equal(s.evidence.user, 'agent1');
    assert.equal(s.evidence.role, 'agent');
    assert.equal(s.evidence.counted, false);
    assert.match(s.evidence.since, /^\d{4}-/);
    assert.equal(s.evidence.tickets.resolved, 1);
    assert.equal(s.evidence.tickets.open, 1);
    assert.equal(s.evidence.tickets.by_kind.incident.resolved, 1);
    assert.deepEqual(s.evidence.acceptance, { decisions: 0, go: 0, no_go: 0, recent: [] });
    // Never counted: the next assessment's input holds no evidence.
    const a = await assess('sato');
    assert.equal(a.profile.evidence, undefined);
    assert.equal((await getStaff('tanaka')).evidence, null);
  });
});

describe('the command line', () => {
  const career = () => {
    const file = join(store.dir, 'career.json');
    writeFileSync(file, JSON.stringify(omCareer()));
    return file;
  };

  it('adds, shows, declares, verifies, assesses and lists the history', () => {
    assert.match(cliOk(store.db, ['staff', 'add', 'ito', '--name', 'Ito Mei', '--group', 'desk,noc', '--user', 'operator1']),
      /added staff ito/);
    const part = join(store.dir, 'part.json');
    writeFileSync(part, JSON.stringify({ specialty: { operations_management: 'self' }, exams: ['AP'] }));
    assert.match(cliOk(store.db, ['staff', 'update', 'ito', '--file', part]), /updated staff ito, version 2/);
    assert.match(cliOk(store.db, ['--as', 'operator1', 'staff', 'career', 'add', 'ito', '--file', career()]),
      /added career \d+ to staff ito \(declared, unverified\)/);
    const id = JSON.parse(cliOk(store.db, ['staff', 'show', 'ito', '--json'])).careers[0].id;
    const flags = cliOk(store.db, ['staff', 'career', 'add', 'ito', '--field', 'service_desk', '--role', 'member',
      '--from', '2021-01-01', '--to', '2022-12-31', '--complexity', 'structure,complex_contract',
      '--responsibilities', 'manages_agreed_sl', '--peak-persons', '12', '--json']);
    assert.equal(JSON.parse(flags).peak_persons, 12);
    const shown = cliOk(store.db, ['staff', 'show', 'ito']);
    assert.match(shown, /Ito Mei/);
    assert.match(shown, /evidence from itsm/);
    const refused = cli(store.db, ['--as', 'operator1', 'staff', 'verify', 'ito', String(id)]);
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /^itsm: only managers and admins verify careers/);
    assert.match(cliOk(store.db, ['--as', 'manager1', 'staff', 'verify', 'ito', String(id)]), /verified career/);
    assert.equal(cli(store.db, ['--as', 'manager1', 'staff', 'verify', 'ito', String(id)]).status, 1);
    const out = cliOk(store.db, ['--as', 'manager1', 'staff', 'assess', 'ito', '--as-of', AS_OF]);
    assert.match(out, /operations_management\s+3\s+3/);
    const decided = JSON.parse(cliOk(store.db, ['staff', 'assess', 'ito', '--as-of', AS_OF, '--decide', '3',
      '--field', 'operations_management', '--json']));
    assert.deepEqual(decided.decision, { field: 'operations_management', level: 3 });
    const hist = cliOk(store.db, ['staff', 'history', 'ito']);
    assert.equal(hist.split('\n').filter((l) => /^\d+\s/.test(l)).length, 2);
    assert.match(hist, /operations_management 3/);
    const list = cliOk(store.db, ['staff', 'list', '--group', 'desk']);
    assert.match(list, /ito/);
    assert.match(list, /sato/);
    const map = cliOk(store.db, ['skill', 'map', '--group', 'desk']);
    assert.match(map, /people at each level/);
    assert.match(map, /ito\s+Ito Mei\s+3\/3/);
    const mapJson = JSON.parse(cliOk(store.db, ['skill', 'map', '--json']));
    assert.equal(mapJson.people_count, 5);
  });

  it('refuses malformed careers with exit 1 naming the item, storing nothing', () => {
    const before = JSON.parse(cliOk(store.db, ['staff', 'show', 'ito', '--json'])).careers.length;
    const file = join(store.dir, 'bad-career.json');
    writeFileSync(file, JSON.stringify(omCareer({ complexity: ['structure', 'huge'] })));
    let r = cli(store.db, ['staff', 'career', 'add', 'ito', '--file', file]);
    assert.equal(r.status, 1);
    assert.equal(r.stderr.trim(), "itsm: unknown complexity criterion 'huge' (field 'complexity[1]')");
    r = cli(store.db, ['staff', 'career', 'add', 'ito', '--field', 'operation', '--role', 'member',
      '--from', '2021-01-01', '--persons', '-4']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /negative persons -4/);
    r = cli(store.db, ['staff', 'career', 'add', 'ito', '--field', 'operation', '--role', 'member',
      '--from', '2021-01-01', '--to', '2020-01-01']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /to '2020-01-01' is before from '2021-01-01'/);
    r = cli(store.db, ['staff', 'career', 'add', 'ito', '--field', 'operation', '--role', 'member',
      '--from', '2021-01-01', '--users', 'lots']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /'users' must be a non-negative integer/);
    assert.equal(JSON.parse(cliOk(store.db, ['staff', 'show', 'ito', '--json'])).careers.length, before);
  });

  it('exits 2 on bad usage, 1 on refusals and stale versions', () => {
    assert.equal(cli(store.db, ['staff']).status, 2);
    assert.equal(cli(store.db, ['staff', 'add', 'x9']).status, 2);
    assert.equal(cli(store.db, ['staff', 'assess']).status, 2);
    assert.equal(cli(store.db, ['staff', 'assess', 'ito', '--decide', '4']).status, 2);
    assert.equal(cli(store.db, ['staff', 'career', 'add', 'ito']).status, 2);
    assert.equal(cli(store.db, ['staff', 'career', 'drop', 'ito']).status, 2);
    assert.equal(cli(store.db, ['staff', 'show', 'ito', '--bogus']).status, 2);
    const v = JSON.parse(cliOk(store.db, ['staff', 'show', 'ito', '--json'])).version;
    const r = cli(store.db, ['staff', 'update', 'ito', '--name', 'Ito M.', '--version', String(v)]);
    assert.equal(r.status, 0, r.stderr);
    const stale = cli(store.db, ['staff', 'update', 'ito', '--name', 'Ito', '--version', String(v)]);
    assert.equal(stale.status, 1);
    assert.match(stale.stderr, new RegExp(`at version ${v + 1}, not ${v}`));
    assert.equal(cli(store.db, ['--as', 'alice', 'staff', 'show', 'ito']).status, 1);
    assert.equal(cli(store.db, ['--as', 'agent1', 'staff', 'show', 'ito']).status, 1);
    assert.equal(cli(store.db, ['--as', 'agent1', 'skill', 'map']).status, 1);
    const noted = cli(store.db, ['staff', 'assess', 'ito', '--decide', '5', '--field', 'operations_management']);
    assert.equal(noted.status, 1);
    assert.match(noted.stderr, /needs a note/);
  });

  it('the audit chain still verifies with every staff write in it', async () => {
    const res = expectStatus(await admin.get('/api/v1/audit/verify'), 200);
    assert.equal(res.ok, true);
    const actions = new Set((await audit()).filter((r) => /^(staff|career|assessment):/.test(r.entity))
      .map((r) => r.action));
    assert.deepEqual([...actions].sort(), ['staff.add', 'staff.assess', 'staff.career_add', 'staff.career_verify', 'staff.update']);
  });
});
