// operation.test.mjs — operation by procedure end to end: procedures with
// versions (a published one never changes), the schedule (RFC 5545 rules,
// a shift's day, a missed occurrence), executions recorded step by step
// with a deviation that opens an incident, the four-eyes confirmation that
// refuses the operator who recorded the step, abandonment, and who may do
// what — over the HTTP API and the CLI, happy and unhappy paths. Every
// refused write is checked to have left nothing behind.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  makeStore, seed, startServer, client, cli, cliOk, expectError, expectStatus, listAll, stopClean,
  sql, sqlRun,
} from './lib.mjs';

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

const STEPS = [
  { instruction: 'Check the backup log', expected: 'no errors' },
  { instruction: 'Swap the tape', expected: 'tape 2 loaded', confirm: true },
  { instruction: 'Sign the shift sheet', expected: 'signed' },
];

const audit = async () => listAll(admin, '/api/v1/audit?limit=500');
const tickets = async () => listAll(admin, '/api/v1/tickets?limit=500');
const addProcedure = async (body = { title: 'Nightly backup check', steps: STEPS }) =>
  expectStatus(await manager.post('/api/v1/procedures', body), 201);
const publish = async (key, body = {}) =>
  expectStatus(await manager.post(`/api/v1/procedures/${key}/publish`, body), 200);
const published = async () => {
  const p = await addProcedure();
  return publish(p.key);
};
let shifts = 0;
const freshShift = () => `night-${++shifts}`;

describe('procedures', () => {
  it('adds a draft, publishes it, and keeps a published version unchanged', async () => {
    const p = await addProcedure();
    assert.match(p.key, /^PROC-\d+$/);
    assert.equal(p.latest_version, 1);
    assert.equal(p.published_version, null);
    assert.equal(p.versions[0].status, 'draft');
    assert.deepEqual(p.versions[0].steps.map((s) => s.confirm), [false, true, false]);

    const pub = await publish(p.key);
    assert.equal(pub.published_version, 1);
    assert.equal(pub.versions[0].status, 'published');
    assert.equal(pub.versions[0].published_by, 'manager1');

    // Publishing again: no draft left.
    expectError(await manager.post(`/api/v1/procedures/${p.key}/publish`, {}), 409,
      'invalid_transition', 'number');

    // A change is a new draft, version 2; version 1 stays as published.
    const changed = [...STEPS, { instruction: 'Lock the cabinet', expected: 'locked' }];
    const d = expectStatus(await manager.post(`/api/v1/procedures/${p.key}/versions`,
      { steps: changed }), 201);
    assert.equal(d.latest_version, 2);
    assert.equal(d.published_version, 1);
    assert.equal(d.versions[0].steps.length, 3);
    assert.equal(d.versions[1].status, 'draft');
    assert.equal(d.versions[1].steps.length, 4);
    // The draft changes in place while it is one.
    const d2 = expectStatus(await manager.post(`/api/v1/procedures/${p.key}/versions`,
      { steps: STEPS.slice(0, 1) }), 201);
    assert.equal(d2.latest_version, 2);
    assert.equal(d2.versions[1].steps.length, 1);
    // Only the newest may be published.
    expectError(await manager.post(`/api/v1/procedures/${p.key}/publish`, { number: 1 }), 409,
      'invalid_transition', 'number');
    assert.equal((await publish(p.key, { number: 2 })).published_version, 2);
    // A stale version is refused.
    expectError(await manager.post(`/api/v1/procedures/${p.key}/versions`,
      { steps: STEPS, version: 1 }), 409, 'conflict', 'version');
  });

  it('refuses malformed steps naming the field, and stores nothing', async () => {
    const before = (await listAll(manager, '/api/v1/procedures')).length;
    const bad = [
      [{ title: 'x', steps: [] }, 'steps'],
      [{ title: 'x' }, 'steps'],
      [{ steps: STEPS }, 'title'],
      [{ title: '  ', steps: STEPS }, 'title'],
      [{ title: 'x', steps: [{ instruction: 'a' }] }, 'steps[0].expected'],
      [{ title: 'x', steps: [STEPS[0], { instruction: '', expected: 'b' }] }, 'steps[1].instruction'],
      [{ title: 'x', steps: [{ ...STEPS[0], confirm: 'yes' }] }, 'steps[0].confirm'],
      // Step commands are not in this part (docs/operation.md).
      [{ title: 'x', steps: [{ ...STEPS[0], command: 'rm -rf /' }] }, 'steps[0].command'],
      [{ title: 'x', steps: STEPS, owner: 'me' }, 'owner'],
    ];
    for (const [body, field] of bad) {
      expectError(await manager.post('/api/v1/procedures', body), 400, 'invalid', field);
    }
    assert.equal((await listAll(manager, '/api/v1/procedures')).length, before);
    expectError(await manager.get('/api/v1/procedures/PROC-999999'), 404, 'not_found');
  });

  it('lets managers define and staff read; requesters see nothing', async () => {
    expectError(await agent.post('/api/v1/procedures', { title: 'x', steps: STEPS }), 403, 'forbidden');
    expectError(await operator.post('/api/v1/procedures', { title: 'x', steps: STEPS }), 403, 'forbidden');
    expectError(await alice.get('/api/v1/procedures'), 403, 'forbidden');
    const p = await addProcedure();
    expectStatus(await agent.get(`/api/v1/procedures/${p.key}`), 200);
    expectError(await operator.post(`/api/v1/procedures/${p.key}/publish`, {}), 403, 'forbidden');
  });
});

describe('executions', () => {
  it('runs a procedure: a deviation opens an incident, a second operator confirms', async () => {
    const p = await published();
    const ticketsBefore = (await tickets()).length;
    const run = expectStatus(await operator.post('/api/v1/runs', { procedure: p.key }), 201);
    assert.match(run.key, /^RUN-\d+$/);
    assert.equal(run.status, 'running');
    assert.equal(run.procedure_version, 1);
    assert.equal(run.next_step, 1);
    assert.equal(run.job, null);

    // Out of order: step 2 before step 1.
    expectError(await operator.post(`/api/v1/runs/${run.key}/steps`, { step: 2, result: 'x' }),
      409, 'invalid_transition', 'step');

    // Step 1 with a deviation that opens an incident.
    const s1 = expectStatus(await operator.post(`/api/v1/runs/${run.key}/steps`, {
      step: 1, result: 'two warnings', deviation: 'the log shows two I/O warnings',
      incident: true, impact: 2, urgency: 1,
    }), 201);
    const inc = s1.steps[0].incident;
    assert.match(inc, /^INC-\d+$/);
    assert.equal(s1.steps[0].deviation, 'the log shows two I/O warnings');
    assert.equal(s1.steps[0].done_by, 'operator1');
    const t = expectStatus(await admin.get(`/api/v1/tickets/${inc}`), 200);
    assert.equal(t.kind, 'incident');
    assert.equal(t.description, 'the log shows two I/O warnings');
    assert.equal(t.priority, 2); // impact 2 × urgency 1: the matrix's 2
    assert.ok(t.title.startsWith(`${run.key} step 1 deviation`));
    assert.equal((await tickets()).length, ticketsBefore + 1);

    // Step 2 needs a second operator: step 3 waits, the same operator is refused.
    const s2 = expectStatus(await operator.post(`/api/v1/runs/${run.key}/steps`,
      { step: 2, result: 'tape 2 loaded' }), 201);
    assert.equal(s2.steps[1].state, 'awaiting_confirmation');
    assert.equal(s2.next_step, null);
    expectError(await operator.post(`/api/v1/runs/${run.key}/steps`, { step: 3, result: 'signed' }),
      409, 'invalid_transition', 'step');
    expectError(await operator.post(`/api/v1/runs/${run.key}/steps/2/confirm`), 409, 'conflict',
      'operator');
    expectError(await agent.post(`/api/v1/runs/${run.key}/steps/1/confirm`), 409,
      'invalid_transition', 'step');
    const c = expectStatus(await agent.post(`/api/v1/runs/${run.key}/steps/2/confirm`), 200);
    assert.equal(c.steps[1].confirmed_by, 'agent1');
    assert.equal(c.steps[1].state, 'done');
    expectError(await manager.post(`/api/v1/runs/${run.key}/steps/2/confirm`), 409,
      'invalid_transition', 'step');

    // The last step completes the run; nothing more is recorded.
    const done = expectStatus(await operator.post(`/api/v1/runs/${run.key}/steps`,
      { step: 3, result: 'signed' }), 201);
    assert.equal(done.status, 'completed');
    assert.ok(done.ended_at);
    expectError(await operator.post(`/api/v1/runs/${run.key}/steps`, {
      step: 3, result: 'again', deviation: 'late', incident: true,
    }), 409, 'invalid_transition');
    expectError(await operator.post(`/api/v1/runs/${run.key}/abandon`, { reason: 'x' }), 409,
      'invalid_transition');
    // The refused deviation opened no incident.
    assert.equal((await tickets()).length, ticketsBefore + 1);

    // Every step in the audit chain, in order: start, steps 1 and 2, the
    // confirmation of 2, step 3.
    const recs = (await audit()).filter((r) => r.entity === `run:${run.key}`);
    assert.deepEqual(recs.map((r) => r.action),
      ['run.start', 'run.step', 'run.step', 'run.confirm', 'run.step']);
    assert.equal(recs[1].change.change.incident, inc);
    const v = expectStatus(await admin.get('/api/v1/audit/verify'), 200);
    assert.equal(v.ok, true);

    const list = expectStatus(await agent.get('/api/v1/runs?status=completed'), 200);
    assert.ok(list.items.some((r) => r.key === run.key));
  });

  it('refuses bad steps with the field at fault, storing nothing', async () => {
    const p = await published();
    const run = expectStatus(await operator.post('/api/v1/runs', { procedure: p.key }), 201);
    const ticketsBefore = (await tickets()).length;
    const bad = [
      [{ result: 'x' }, 'step'],
      [{ step: 1 }, 'result'],
      [{ step: 1, result: '' }, 'result'],
      [{ step: 'one', result: 'x' }, 'step'],
      [{ step: 9, result: 'x' }, 'step'],
      [{ step: 1, result: 'x', incident: true }, 'incident'],
      [{ step: 1, result: 'x', deviation: 'd', incident: true, impact: 7 }, 'impact'],
      [{ step: 1, result: 'x', impact: 1 }, 'impact'],
    ];
    for (const [body, field] of bad) {
      expectError(await operator.post(`/api/v1/runs/${run.key}/steps`, body), 400, 'invalid', field);
    }
    const r = expectStatus(await operator.get(`/api/v1/runs/${run.key}`), 200);
    assert.ok(r.steps.every((s) => s.state === 'pending'));
    assert.equal((await tickets()).length, ticketsBefore);
    expectError(await operator.post('/api/v1/runs/RUN-999999/steps', { step: 1, result: 'x' }),
      404, 'not_found');
  });

  it('abandons a run with a reason', async () => {
    const p = await published();
    const run = expectStatus(await agent.post('/api/v1/runs', { procedure: p.key }), 201);
    expectError(await agent.post(`/api/v1/runs/${run.key}/abandon`, {}), 400, 'invalid', 'reason');
    const a = expectStatus(await agent.post(`/api/v1/runs/${run.key}/abandon`,
      { reason: 'the tape library is down' }), 200);
    assert.equal(a.status, 'abandoned');
    assert.equal(a.reason, 'the tape library is down');
    expectError(await agent.post(`/api/v1/runs/${run.key}/steps`, { step: 1, result: 'x' }), 409,
      'invalid_transition');
    expectError(await agent.post(`/api/v1/runs/${run.key}/abandon`, { reason: 'again' }), 409,
      'invalid_transition');
  });

  it('holds the tables against the audit chain; a published version refuses any change', async () => {
    const p = await published();
    const run = expectStatus(await operator.post('/api/v1/runs', { procedure: p.key }), 201);
    expectStatus(await operator.post(`/api/v1/runs/${run.key}/steps`, { step: 1, result: 'no errors' }), 201);
    const verify = async () => expectStatus(await admin.get('/api/v1/audit/verify'), 200);
    assert.equal((await verify()).ok, true);
    const where = `run_id = (SELECT id FROM runs WHERE key = '${run.key}') AND step = 1`;
    sql(store.db, `UPDATE run_steps SET result = 'forged' WHERE ${where}`);
    const bad = await verify();
    assert.equal(bad.ok, false);
    sql(store.db, `UPDATE run_steps SET result = 'no errors' WHERE ${where}`);
    assert.equal((await verify()).ok, true);
    const r = sqlRun(store.db, `UPDATE procedure_versions SET steps = '[]' WHERE procedure_id = `
      + `(SELECT id FROM procedures WHERE key = '${p.key}')`);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /a published procedure version never changes/);
  });

  it('refuses an unknown or unpublished procedure, and requesters', async () => {
    expectError(await operator.post('/api/v1/runs', { procedure: 'PROC-999999' }), 400, 'invalid',
      'procedure');
    const draft = await addProcedure();
    expectError(await operator.post('/api/v1/runs', { procedure: draft.key }), 409,
      'invalid_transition', 'procedure');
    expectError(await alice.post('/api/v1/runs', { procedure: draft.key }), 403, 'forbidden');
    expectError(await operator.post('/api/v1/runs', {}), 400, 'invalid', 'procedure');
  });
});

describe('the schedule', () => {
  it('refuses a bad RRULE with field "rrule" and stores nothing', async () => {
    const p = await published();
    const before = (await listAll(agent, '/api/v1/schedule')).length;
    const body = { procedure: p.key, rrule: 'FREQ=DAILY;BYHOUR=6', start: '2026-01-01T00:00:00Z',
      deadline_minutes: 30, shift: 'night' };
    for (const rrule of ['FREQ=BOGUS', 'BYHOUR=6', 'FREQ=DAILY;BYHOUR=x', 'FREQ=SECONDLY', '', 7]) {
      expectError(await manager.post('/api/v1/schedule', { ...body, rrule }), 400, 'invalid', 'rrule');
    }
    expectError(await manager.post('/api/v1/schedule', { ...body, procedure: 'PROC-999999' }), 400,
      'invalid', 'procedure');
    expectError(await manager.post('/api/v1/schedule', { ...body, deadline_minutes: 0 }), 400,
      'invalid', 'deadline_minutes');
    expectError(await manager.post('/api/v1/schedule', { ...body, shift: 'a b' }), 400, 'invalid', 'shift');
    expectError(await manager.post('/api/v1/schedule', { ...body, start: 'yesterday' }), 400,
      'invalid', 'start');
    expectError(await manager.post('/api/v1/schedule', { ...body, items: ['no-such-ci'] }), 400,
      'invalid', 'items[0]');
    expectError(await agent.post('/api/v1/schedule', body), 403, 'forbidden');
    assert.equal((await listAll(agent, '/api/v1/schedule')).length, before);
  });

  it("lists a shift's day: a missed occurrence, then one executed", async () => {
    const p = await published();
    const shift = freshShift();
    const job = expectStatus(await manager.post('/api/v1/schedule', {
      procedure: p.key, rrule: 'FREQ=DAILY;BYHOUR=6,18', start: '2026-01-01T00:00:00Z',
      deadline_minutes: 30, shift,
    }), 201);
    assert.match(job.key, /^JOB-\d+$/);

    // 2026-01-05 is long past: both occurrences missed their deadlines
    // (06:00 + 30 min = 06:30, 18:00 + 30 min = 18:30).
    const day = expectStatus(await operator.get(`/api/v1/schedule/today?shift=${shift}&date=2026-01-05`), 200);
    assert.equal(day.date, '2026-01-05');
    assert.deepEqual(day.items.map((i) => [i.occurrence, i.deadline, i.state]), [
      ['2026-01-05T06:00:00Z', '2026-01-05T06:30:00Z', 'missed'],
      ['2026-01-05T18:00:00Z', '2026-01-05T18:30:00Z', 'missed'],
    ]);
    // Another shift's list does not show it.
    const other = expectStatus(await operator.get(`/api/v1/schedule/today?shift=${freshShift()}&date=2026-01-05`), 200);
    assert.equal(other.items.length, 0);

    // Executing an occurrence: it shows the run (started late).
    const run = expectStatus(await operator.post('/api/v1/runs',
      { job: job.key, occurrence: '2026-01-05T06:00:00Z' }), 201);
    assert.equal(run.job, job.key);
    assert.equal(run.occurrence, '2026-01-05T06:00:00Z');
    const after2 = expectStatus(await operator.get(`/api/v1/schedule/today?shift=${shift}&date=2026-01-05`), 200);
    assert.equal(after2.items[0].state, 'running');
    assert.equal(after2.items[0].run, run.key);
    assert.equal(after2.items[0].late, true);
    assert.equal(after2.items[1].state, 'missed');
    // Once per occurrence; only an occurrence of the job.
    expectError(await operator.post('/api/v1/runs', { job: job.key, occurrence: '2026-01-05T06:00:00Z' }),
      409, 'conflict');
    expectError(await operator.post('/api/v1/runs', { job: job.key, occurrence: '2026-01-05T07:00:00Z' }),
      400, 'invalid', 'occurrence');
    expectError(await operator.post('/api/v1/runs', { job: 'JOB-999999', occurrence: '2026-01-05T06:00:00Z' }),
      400, 'invalid', 'job');

    expectError(await operator.get('/api/v1/schedule/today'), 400, 'invalid', 'shift');
    expectError(await operator.get(`/api/v1/schedule/today?shift=${shift}&date=2026-13-01`), 400,
      'invalid', 'date');
    expectError(await alice.get(`/api/v1/schedule/today?shift=${shift}`), 403, 'forbidden');
  });
});

describe("a shift's day at the server's clock", () => {
  it('shows an occurrence of ten minutes ago as due, one in ten minutes as upcoming', async () => {
    const p = await published();
    const shift = freshShift();
    const minute = Math.floor(Date.now() / 60000) * 60000;
    const iso = (t) => new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const cases = [[minute - 10 * 60000, 'due'], [minute + 10 * 60000, 'upcoming']];
    for (const [at] of cases) {
      expectStatus(await manager.post('/api/v1/schedule', {
        procedure: p.key, rrule: 'FREQ=DAILY', start: iso(at), deadline_minutes: 60, shift,
      }), 201);
    }
    // Each day asked for is the one of its occurrence (UTC), so this holds
    // near midnight too.
    for (const [at, state] of cases) {
      const day = expectStatus(await operator.get(
        `/api/v1/schedule/today?shift=${shift}&date=${iso(at).slice(0, 10)}`), 200);
      const item = day.items.find((i) => i.occurrence === iso(at));
      assert.ok(item, `${iso(at)} listed`);
      assert.equal(item.state, state);
    }
  });
});

describe('the command line', () => {
  it('adds, publishes, schedules and executes; refuses the same operator', () => {
    const db = store.db;
    const file = join(store.dir, 'steps.json');
    writeFileSync(file, JSON.stringify(STEPS));
    const key = cliOk(db, ['procedure', 'add', '--title', 'CLI procedure', '--file', file])
      .replace('added procedure ', '');
    assert.match(key, /^PROC-\d+$/);
    assert.match(cliOk(db, ['procedure', 'publish', key]), /published PROC-\d+ version 1/);
    assert.match(cliOk(db, ['procedure', 'show', key]), /Swap the tape/);
    const job = cliOk(db, ['schedule', 'add', '--procedure', key, '--rrule', 'FREQ=WEEKLY;BYDAY=MO',
      '--start', '2026-01-05T09:00:00Z', '--deadline', '60', '--shift', 'cli-day']).replace('added job ', '');
    assert.match(cliOk(db, ['schedule', 'today', '--shift', 'cli-day', '--date', '2026-01-12']), /missed/);
    const bad = cli(db, ['schedule', 'add', '--procedure', key, '--rrule', 'FREQ=NEVER',
      '--start', '2026-01-05T09:00:00Z', '--deadline', '60', '--shift', 'cli-day']);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /rrule/);
    const run = cliOk(db, ['--as', 'operator1', 'run', 'start', '--job', job, '--occurrence',
      '2026-01-12T09:00:00Z']).replace('started run ', '');
    cliOk(db, ['--as', 'operator1', 'run', 'step', run, '1', '--result', 'ok']);
    cliOk(db, ['--as', 'operator1', 'run', 'step', run, '2', '--result', 'loaded']);
    const same = cli(db, ['--as', 'operator1', 'run', 'confirm', run, '2']);
    assert.equal(same.status, 1);
    assert.match(same.stderr, /second operator/);
    cliOk(db, ['--as', 'agent1', 'run', 'confirm', run, '2']);
    assert.match(cliOk(db, ['--as', 'operator1', 'run', 'step', run, '3', '--result', 'signed']),
      /completed/);
    const list = JSON.parse(cliOk(db, ['--json', 'run', 'list', '--job', job]));
    assert.deepEqual(list.items.map((r) => [r.key, r.status]), [[run, 'completed']]);

    // itsm migrate copies the tables: the run reads the same in the copy.
    const copy = join(store.dir, 'copy.db');
    cliOk('', ['migrate', '--from', db, '--to', copy]);
    assert.deepEqual(JSON.parse(cliOk(copy, ['--json', 'run', 'show', run])),
      JSON.parse(cliOk(db, ['--json', 'run', 'show', run])));
    assert.deepEqual(JSON.parse(cliOk(copy, ['--json', 'procedure', 'show', key])),
      JSON.parse(cliOk(db, ['--json', 'procedure', 'show', key])));
  });
});
