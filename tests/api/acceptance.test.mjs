// acceptance.test.mjs — operational acceptance for production migration end
// to end: the criteria templates; a checklist (ACC-n) whose go is refused,
// naming the criterion, while a mandatory criterion lacks evidence, and
// accepted once the check, the procedures, the backup run, the SLA, the
// manual notes and the plan exist; automatic evidence appearing and
// disappearing (a retired SLA, a disabled check, a run with a deviation
// that does not count); no-go with a reason; stale versions; bad input 400
// naming the field with nothing stored; requesters refused; the CLI; and
// the audit chain verifying with every checklist held.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdirSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import {
  makeStore, seed, startServer, client, cli, cliOk, expectError, expectStatus, listAll,
  stopClean,
} from './lib.mjs';

let store, srv, tokens, agent, manager, admin, operator, requester, events;

const HOUR = 3600 * 1000;
const add = (body) => manager.post('/api/v1/acceptances', body);
const get = async (key) => expectStatus(await agent.get(`/api/v1/acceptances/${key}`), 200);
const crit = (a, code) => a.criteria.find((c) => c.code === code);
const decide = (a, decision, reason) => manager.post(`/api/v1/acceptances/${a.key}/decide`,
  { version: a.version, decision, ...(reason ? { reason } : {}) });
const count = async () => (await listAll(agent, '/api/v1/acceptances?limit=500')).length;
const auditOf = async (key) => (await listAll(admin, '/api/v1/audit?limit=500'))
  .filter((r) => r.entity === `acceptance:${key}`);
const STEPS = [{ instruction: 'Run the backup of pay-db', expected: 'exit 0' }];
const TEMPLATE_CODES = ['monitoring', 'runbooks', 'backups', 'sla', 'capacity', 'desk_trained',
  'security'];
const MANDATORY = ['monitoring', 'runbooks', 'backups', 'sla', 'capacity', 'desk_trained'];

async function publishedProcedure(title, steps = STEPS) {
  const p = expectStatus(await manager.post('/api/v1/procedures', { title, steps }), 201);
  return expectStatus(await manager.post(`/api/v1/procedures/${p.key}/publish`, {}), 200);
}

// A run of procedure p with each step's deviation (null: none).
async function run(p, deviations) {
  const r = expectStatus(await operator.post('/api/v1/runs', { procedure: p.key }), 201);
  let last = r;
  for (const [i, d] of deviations.entries()) {
    last = expectStatus(await operator.post(`/api/v1/runs/${r.key}/steps`,
      { step: i + 1, result: d ? 'failed' : 'exit 0', ...(d ? { deviation: d } : {}) }), 201);
  }
  assert.equal(last.status, 'completed');
  return last;
}

before(async () => {
  store = makeStore();
  tokens = seed(store.db);
  cliOk(store.db, ['service', 'add', 'payroll', '--name', 'Payroll']);
  cliOk(store.db, ['service', 'add', 'intranet', '--name', 'Intranet']);
  // A check template of this test's own: a plugin that answers OK, run by
  // the scheduler once a day at most (the evidence is the check's
  // existence, not its state).
  const plugins = join(store.dir, 'plugins');
  mkdirSync(plugins);
  writeFileSync(join(plugins, 'ok'), '#!/bin/sh\necho "OK - fine"\n');
  chmodSync(join(plugins, 'ok'), 0o755);
  const conf = join(store.dir, 'itsm.conf');
  writeFileSync(conf, `[checks]\nplugin_dirs = ${plugins}\n\n[commands]\nok = ok\n`);
  srv = await startServer(store.db, ['--config', conf]);
  agent = client(srv.url, tokens.agent1);
  manager = client(srv.url, tokens.manager1);
  admin = client(srv.url, tokens.admin);
  operator = client(srv.url, tokens.operator1);
  requester = client(srv.url, tokens.alice);
  events = client(srv.url, cliOk(store.db, ['token', 'create', 'ev', '--user', 'operator1',
    '--scope', 'events']));
  for (const key of ['pay-db', 'pay-app', 'intra-web']) {
    expectStatus(await operator.post('/api/v1/cis', { key, name: key, type: 'server' }), 201);
  }
});

after(async () => {
  if (srv) await stopClean(srv);
  store?.cleanup();
});

describe('criteria templates', () => {
  it('lists the templates with their rules; requesters and event tokens are refused', async () => {
    const t = expectStatus(await agent.get('/api/v1/acceptances/criteria'), 200).items;
    assert.deepEqual(t.map((c) => c.code), TEMPLATE_CODES);
    assert.deepEqual(t.filter((c) => c.mandatory).map((c) => c.code), MANDATORY);
    assert.equal(t.find((c) => c.code === 'monitoring').rule, 'check');
    assert.equal(t.find((c) => c.code === 'runbooks').rule, 'procedure');
    assert.equal(t.find((c) => c.code === 'backups').rule, 'backup_run');
    assert.equal(t.find((c) => c.code === 'backups').days, 30);
    assert.equal(t.find((c) => c.code === 'sla').rule, 'sla');
    assert.equal(t.find((c) => c.code === 'capacity').rule, 'manual');
    expectError(await requester.get('/api/v1/acceptances/criteria'), 403, 'forbidden');
    expectError(await events.get('/api/v1/acceptances'), 403, 'forbidden');
  });
});

describe('a checklist', () => {
  it('starts from every template, open and not ready, each mandatory criterion missing', async () => {
    const a = expectStatus(await add({ title: 'Intranet to production', service: 'intranet' }), 201);
    assert.match(a.key, /^ACC-\d+$/);
    assert.equal(a.status, 'open');
    assert.equal(a.service, 'intranet');
    assert.deepEqual(a.items, []);
    assert.deepEqual(a.criteria.map((c) => c.code), TEMPLATE_CODES);
    assert.equal(a.ready, false);
    assert.deepEqual(a.missing, MANDATORY);
    assert.equal(crit(a, 'sla').missing, "no active SLA on service 'intranet'");
    assert.equal(crit(a, 'monitoring').missing, "no enabled check on an item of service 'intranet'");
    assert.equal(a.plan, null);
    assert.deepEqual(a.decisions, []);
    assert.equal(a.created_by, 'manager1');
    assert.equal(a.version, 1);
  });

  it('refuses bad input with the field at fault and stores nothing', async () => {
    const before = await count();
    const cases = [
      [{ service: 'payroll' }, 'title'],
      [{ title: '   ', service: 'payroll' }, 'title'],
      [{ title: 'x' }, 'service'],
      [{ title: 'x', service: 'nope' }, 'service'],
      [{ title: 'x', items: ['pay-db', 'nope'] }, 'items[1]'],
      [{ title: 'x', items: ['pay-db', 'pay-db'] }, 'items[1]'],
      [{ title: 'x', items: 'pay-db' }, 'items'],
      [{ title: 'x', service: 'payroll', criteria: ['monitoring', 'dr_drill'] }, 'criteria[1]'],
      [{ title: 'x', service: 'payroll', criteria: ['sla', 'sla'] }, 'criteria[1]'],
      [{ title: 'x', service: 'payroll', criteria: ['Bad Code'] }, 'criteria[0]'],
      [{ title: 'x', service: 'payroll', criteria: [{ code: 'sla', days: 3 }] }, 'criteria[0]'],
      [{ title: 'x', service: 'payroll', criteria: [{ code: 'sla', title: 'other' }] }, 'criteria[0]'],
      [{ title: 'x', service: 'payroll', criteria: [{ code: 'backups', days: 0 }] }, 'criteria[0]'],
      [{ title: 'x', service: 'payroll', criteria: [] }, 'criteria'],
      [{ title: 'x', service: 'payroll', colour: 'red' }, 'colour'],
    ];
    for (const [body, field] of cases) {
      expectError(await add(body), 400, 'invalid', field);
    }
    expectError(await agent.post('/api/v1/acceptances', { title: 'x', service: 'payroll' }), 403, 'forbidden');
    expectError(await operator.post('/api/v1/acceptances', { title: 'x', service: 'payroll' }), 403, 'forbidden');
    expectError(await requester.post('/api/v1/acceptances', { title: 'x', service: 'payroll' }), 403, 'forbidden');
    assert.equal(await count(), before);
  });

  it('takes a chosen list: templates, a mandatory flag changed, a criterion of its own', async () => {
    const a = expectStatus(await add({ title: 'Chosen', service: 'payroll', criteria: [
      'sla', { code: 'security', mandatory: true }, { code: 'backups', days: 7 },
      { code: 'dr_drill', title: 'Disaster recovery drill done' }] }), 201);
    assert.deepEqual(a.criteria.map((c) => [c.code, c.rule, c.mandatory]), [
      ['sla', 'sla', true], ['security', 'manual', true], ['backups', 'backup_run', true],
      ['dr_drill', 'manual', true]]);
    assert.equal(crit(a, 'backups').days, 7);
    assert.equal(crit(a, 'dr_drill').title, 'Disaster recovery drill done');
  });

  it('hides nothing and shows nothing to requesters; unknown keys are 404', async () => {
    const a = expectStatus(await add({ title: 'Hidden', service: 'payroll' }), 201);
    expectError(await requester.get(`/api/v1/acceptances/${a.key}`), 403, 'forbidden');
    expectError(await requester.get('/api/v1/acceptances'), 403, 'forbidden');
    expectError(await requester.post(`/api/v1/acceptances/${a.key}/evidence`,
      { version: a.version, criterion: 'capacity', note: 'x' }), 403, 'forbidden');
    expectError(await agent.get('/api/v1/acceptances/ACC-99999'), 404, 'not_found');
    expectError(await agent.get('/api/v1/acceptances/RISK-1'), 404, 'not_found');
    expectError(await manager.post('/api/v1/acceptances/ACC-99999/decide',
      { version: 1, decision: 'no_go', reason: 'x' }), 404, 'not_found');
  });
});

describe('go and no-go', () => {
  let a;
  let sla;

  it('refuses go while a mandatory criterion lacks evidence, one criterion after another', async () => {
    a = expectStatus(await add({ title: 'Payroll v2 to production', service: 'payroll',
      items: ['pay-db', 'pay-app'], description: 'the new payroll' }), 201);
    assert.equal(a.ready, false);

    // Monitoring: every item needs an enabled check; one is not enough.
    let e = expectError(await decide(a, 'go'), 409, 'invalid_transition', 'criteria.monitoring');
    assert.match(e.message, /no enabled check on item 'pay-db'/);
    expectStatus(await operator.post('/api/v1/checks', { name: 'pay-db-tcp', ci: 'pay-db',
      command: 'ok', interval_seconds: 86400 }), 201);
    a = await get(a.key);
    assert.equal(crit(a, 'monitoring').met, false);
    assert.match(crit(a, 'monitoring').missing, /pay-app/);
    expectStatus(await operator.post('/api/v1/checks', { name: 'pay-app-tcp', ci: 'pay-app',
      command: 'ok', interval_seconds: 86400 }), 201);
    a = await get(a.key);
    assert.equal(crit(a, 'monitoring').met, true);
    assert.deepEqual(crit(a, 'monitoring').evidence.map((x) => [x.source, x.ref, x.target]),
      [['check', 'pay-db-tcp', 'pay-db'], ['check', 'pay-app-tcp', 'pay-app']]);
    assert.equal(crit(a, 'monitoring').missing, undefined);

    // Runbooks: a draft does not count, a published procedure naming an item does.
    expectError(await decide(a, 'go'), 409, 'invalid_transition', 'criteria.runbooks');
    expectStatus(await manager.post('/api/v1/procedures', { title: 'Restart PAY-APP (draft)', steps: STEPS }), 201);
    a = await get(a.key);
    assert.equal(crit(a, 'runbooks').met, false);
    const rb = await publishedProcedure('Restart pay-app after a failure',
      [{ instruction: 'Restart the service', expected: 'it answers' }]);
    a = await get(a.key);
    assert.equal(crit(a, 'runbooks').met, true);
    assert.deepEqual(crit(a, 'runbooks').evidence.map((x) => [x.source, x.ref, x.target]),
      [['procedure', rb.key, 'pay-app']]);

    // Backups: the backup procedure alone is no proof; a run with a
    // deviation is none either; a clean completed run is.
    e = expectError(await decide(a, 'go'), 409, 'invalid_transition', 'criteria.backups');
    assert.match(e.message, /last 30 days/);
    const bk = await publishedProcedure('Nightly backup');
    await run(bk, ['tape full']);
    a = await get(a.key);
    assert.equal(crit(a, 'backups').met, false);
    const good = await run(bk, [null]);
    a = await get(a.key);
    assert.equal(crit(a, 'backups').met, true);
    assert.deepEqual(crit(a, 'backups').evidence.map((x) => [x.source, x.ref, x.target]),
      [['run', good.key, 'pay-db']]);

    // The SLA.
    expectError(await decide(a, 'go'), 409, 'invalid_transition', 'criteria.sla');
    sla = expectStatus(await manager.post('/api/v1/slas', { name: 'acme-payroll', customer: 'acme',
      service: 'payroll', calendar: '24x7', targets: Object.fromEntries([1, 2, 3, 4, 5].map((p) =>
        [String(p), { response_minutes: 60 * p, resolution_minutes: 240 * p }])) }), 201);
    a = await get(a.key);
    assert.equal(crit(a, 'sla').met, true);
    assert.deepEqual(crit(a, 'sla').evidence.map((x) => [x.source, x.ref, x.target]),
      [['sla', 'acme-payroll', 'payroll']]);

    // The manual criteria, and the optional one left unmet.
    expectError(await decide(a, 'go'), 409, 'invalid_transition', 'criteria.capacity');
    a = expectStatus(await operator.post(`/api/v1/acceptances/${a.key}/evidence`,
      { version: a.version, criterion: 'capacity', note: 'load test: 2x the peak at 40% CPU' }), 200);
    assert.deepEqual(crit(a, 'capacity').notes.map((n) => [n.note, n.by]),
      [['load test: 2x the peak at 40% CPU', 'operator1']]);
    assert.equal(crit(a, 'capacity').met, true);
    expectError(await decide(a, 'go'), 409, 'invalid_transition', 'criteria.desk_trained');
    // A note may link the article that holds the evidence; it must exist.
    expectError(await agent.post(`/api/v1/acceptances/${a.key}/evidence`, { version: a.version,
      criterion: 'desk_trained', note: 'x', link: 'KB-999' }), 400, 'invalid', 'link');
    expectError(await agent.post(`/api/v1/acceptances/${a.key}/evidence`, { version: a.version,
      criterion: 'desk_trained', note: 'x', link: 'INC-1' }), 400, 'invalid', 'link');
    const kb = expectStatus(await agent.post('/api/v1/knowledge', { title: 'Payroll v2 for the desk',
      body: 'What changes for callers.' }), 201);
    a = expectStatus(await agent.post(`/api/v1/acceptances/${a.key}/evidence`,
      { version: a.version, criterion: 'desk_trained', note: 'session held on the 2nd', link: kb.key }), 200);
    assert.deepEqual(crit(a, 'desk_trained').notes.map((n) => [n.note, n.by, n.link]),
      [['session held on the 2nd', 'agent1', kb.key]]);
    assert.equal(crit(a, 'security').met, false);
    assert.deepEqual(a.missing, []);

    // Every criterion met, but no plan yet.
    assert.equal(a.ready, false);
    expectError(await decide(a, 'go'), 409, 'invalid_transition', 'plan');
    assert.equal((await get(a.key)).status, 'open');
  });

  it('refuses a bad note or plan with the field, and a stale version', async () => {
    const v = a.version;
    const ev = (body) => agent.post(`/api/v1/acceptances/${a.key}/evidence`, { version: v, ...body });
    expectError(await ev({ criterion: 'sla', note: 'agreed by phone' }), 400, 'invalid', 'criterion');
    expectError(await ev({ criterion: 'nope', note: 'x' }), 400, 'invalid', 'criterion');
    expectError(await ev({ criterion: 'capacity' }), 400, 'invalid', 'note');
    expectError(await ev({ criterion: 'capacity', note: '  ' }), 400, 'invalid', 'note');
    const plan = (body) => manager.post(`/api/v1/acceptances/${a.key}/plan`, { version: v, ...body });
    const step = { title: 'Switch DNS', owner: 'operator1', at: '2026-12-20T22:00:00Z' };
    expectError(await plan({ steps: [], rollback: 'x' }), 400, 'invalid', 'steps');
    expectError(await plan({ steps: [step] }), 400, 'invalid', 'rollback');
    expectError(await plan({ steps: [{ ...step, owner: 'alice' }], rollback: 'x' }), 400, 'invalid', 'steps[0].owner');
    expectError(await plan({ steps: [step, { ...step, owner: 'nobody' }], rollback: 'x' }), 400, 'invalid', 'steps[1].owner');
    expectError(await plan({ steps: [{ ...step, at: 'tomorrow' }], rollback: 'x' }), 400, 'invalid', 'steps[0].at');
    expectError(await plan({ steps: [{ ...step, title: '' }], rollback: 'x' }), 400, 'invalid', 'steps[0].title');
    expectError(await plan({ steps: [{ ...step, when: 'x' }], rollback: 'x' }), 400, 'invalid', 'steps[0]');
    expectError(await agent.post(`/api/v1/acceptances/${a.key}/plan`, { version: v, steps: [step], rollback: 'x' }),
      403, 'forbidden');
    expectError(await decide({ key: a.key, version: v }, 'maybe'), 400, 'invalid', 'decision');
    expectError(await decide({ key: a.key, version: v }, 'no_go'), 400, 'invalid', 'reason');
    expectError(await agent.post(`/api/v1/acceptances/${a.key}/decide`, { version: v, decision: 'no_go', reason: 'x' }),
      403, 'forbidden');
    expectError(await decide({ key: a.key, version: v - 1 }, 'no_go', 'x'), 409, 'conflict', 'version');
    expectError(await ev({ version: v - 1, criterion: 'capacity', note: 'x' }), 409, 'conflict', 'version');
    expectError(await manager.patch(`/api/v1/acceptances/${a.key}`, { version: v - 1, title: 'y' }),
      409, 'conflict', 'version');
    const now = await get(a.key);
    assert.equal(now.version, v, 'nothing was stored');
    assert.equal(now.plan, null);
    assert.equal(crit(now, 'capacity').notes.length, 1);
  });

  it('a no-go needs a reason and leaves the checklist open to more work', async () => {
    const d = expectStatus(await decide(a, 'no_go', 'wait for the quarter close'), 200);
    assert.equal(d.status, 'no_go');
    assert.deepEqual(d.decisions.map((x) => [x.decision, x.by, x.reason]),
      [['no_go', 'manager1', 'wait for the quarter close']]);
    a = d;
  });

  it('the plan, then evidence disappearing with a retired SLA, then go', async () => {
    // Times by hand: the switch at 22:00 UTC and the check 30 minutes later.
    a = expectStatus(await manager.post(`/api/v1/acceptances/${a.key}/plan`, { version: a.version,
      steps: [{ title: 'Switch DNS to the new servers', owner: 'operator1', at: '2026-12-20T22:00:00Z' },
        { title: 'Check the payroll run', owner: 'agent1', at: '2026-12-20T22:30:00+00:00' }],
      rollback: 'switch DNS back; the old servers stay up for a week' }), 200);
    assert.deepEqual(a.plan.steps.map((s) => [s.n, s.owner, s.at]),
      [[1, 'operator1', '2026-12-20T22:00:00Z'], [2, 'agent1', '2026-12-20T22:30:00Z']]);
    assert.equal(Date.parse(a.plan.steps[1].at) - Date.parse(a.plan.steps[0].at), HOUR / 2);
    assert.equal(a.plan.by, 'manager1');
    assert.equal(a.ready, true);

    // The SLA retired: the evidence is gone, go is refused on it.
    const s = expectStatus(await manager.get('/api/v1/slas/acme-payroll'), 200);
    const retired = expectStatus(await manager.patch('/api/v1/slas/acme-payroll',
      { version: s.version, status: 'retired' }), 200);
    a = await get(a.key);
    assert.equal(crit(a, 'sla').met, false);
    assert.deepEqual(crit(a, 'sla').evidence, []);
    assert.equal(a.ready, false);
    assert.deepEqual(a.missing, ['sla']);
    expectError(await decide(a, 'go'), 409, 'invalid_transition', 'criteria.sla');

    // A disabled check takes the monitoring evidence away as well.
    const k = expectStatus(await operator.get('/api/v1/checks/pay-app-tcp'), 200);
    const disabled = expectStatus(await operator.patch('/api/v1/checks/pay-app-tcp',
      { version: k.version, enabled: false }), 200);
    a = await get(a.key);
    assert.deepEqual(a.missing, ['monitoring', 'sla']);
    expectStatus(await operator.patch('/api/v1/checks/pay-app-tcp',
      { version: disabled.version, enabled: true }), 200);
    expectStatus(await manager.patch('/api/v1/slas/acme-payroll',
      { version: retired.version, status: 'active' }), 200);
    a = await get(a.key);
    assert.equal(a.ready, true);

    const g = expectStatus(await decide(a, 'go', 'all evidence in place'), 200);
    assert.equal(g.status, 'go');
    const last = g.decisions[g.decisions.length - 1];
    assert.equal(last.decision, 'go');
    assert.equal(last.by, 'manager1');
    assert.ok(last.evidence.every((c) => c.code === 'security' || c.met));
    assert.deepEqual(last.evidence.find((c) => c.code === 'sla').evidence.map((x) => x.ref), ['acme-payroll']);
    a = g;
  });

  it('a checklist decided go is final', async () => {
    expectError(await decide(a, 'no_go', 'changed my mind'), 409, 'invalid_transition', 'status');
    expectError(await manager.patch(`/api/v1/acceptances/${a.key}`, { version: a.version, title: 'z' }),
      409, 'invalid_transition', 'status');
    expectError(await agent.post(`/api/v1/acceptances/${a.key}/evidence`,
      { version: a.version, criterion: 'security', note: 'x' }), 409, 'invalid_transition', 'status');
    const list = expectStatus(await agent.get('/api/v1/acceptances?status=go'), 200).items;
    assert.deepEqual(list.map((x) => x.key), [a.key]);
    expectError(await agent.get('/api/v1/acceptances?status=done'), 400, 'invalid', 'status');
    const pay = expectStatus(await agent.get('/api/v1/acceptances?service=payroll&limit=1'), 200);
    assert.equal(pay.items.length, 1);
    assert.notEqual(pay.next_cursor, null);
  });

  it('every write is audited on acceptance:KEY with the stored checklist after', async () => {
    const recs = await auditOf(a.key);
    assert.deepEqual(recs.map((r) => r.action).sort(), ['acceptance.create', 'acceptance.decide',
      'acceptance.decide', 'acceptance.evidence', 'acceptance.evidence', 'acceptance.plan'].sort());
  });
});

describe('update', () => {
  it('changes fields and criteria, keeping the notes of the criteria that remain', async () => {
    let a = expectStatus(await add({ title: 'Intranet move', items: ['intra-web'] }), 201);
    a = expectStatus(await agent.post(`/api/v1/acceptances/${a.key}/evidence`,
      { version: a.version, criterion: 'capacity', note: 'fine' }), 200);
    a = expectStatus(await manager.patch(`/api/v1/acceptances/${a.key}`, { version: a.version,
      title: 'Intranet move, phase 1', service: 'intranet', criteria: ['capacity', 'sla'] }), 200);
    assert.equal(a.title, 'Intranet move, phase 1');
    assert.equal(a.service, 'intranet');
    assert.deepEqual(a.criteria.map((c) => c.code), ['capacity', 'sla']);
    assert.equal(crit(a, 'capacity').notes[0].note, 'fine');
    assert.deepEqual(a.missing, ['sla']);
    expectError(await manager.patch(`/api/v1/acceptances/${a.key}`, { version: a.version, service: 'nope' }),
      400, 'invalid', 'service');
    expectError(await manager.patch(`/api/v1/acceptances/${a.key}`, { version: a.version, service: null, items: [] }),
      400, 'invalid', 'service');
    expectError(await manager.patch(`/api/v1/acceptances/${a.key}`, { version: a.version, status: 'go' }),
      400, 'invalid', 'status');
    assert.equal((await get(a.key)).version, a.version);
  });
});

describe('the command line and the audit chain', () => {
  it('lists, shows, notes, plans and decides through the CLI', async () => {
    assert.match(cliOk(store.db, ['acceptance', 'criteria']), /monitoring\s+Monitoring in place/);
    const key = cliOk(store.db, ['acceptance', 'add', '--title', 'CLI system', '--service', 'intranet',
      '--criteria', 'capacity']).split(/\s+/).pop();
    assert.match(key, /^ACC-\d+$/);
    assert.match(cliOk(store.db, ['acceptance', 'list', '--status', 'open']), new RegExp(key));
    assert.match(cliOk(store.db, ['acceptance', 'show', key]), /\[ \] capacity \(mandatory\)/);
    const refused = cli(store.db, ['acceptance', 'decide', key, '--decision', 'go']);
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /capacity/);
    cliOk(store.db, ['--as', 'operator1', 'acceptance', 'evidence', key, '--criterion', 'capacity',
      '--note', 'sized for 500 users']);
    const file = join(store.dir, 'plan.json');
    writeFileSync(file, JSON.stringify({ steps: [{ title: 'Go live', owner: 'operator1',
      at: '2026-12-21T08:00:00Z' }], rollback: 'restore the old site' }));
    assert.match(cliOk(store.db, ['acceptance', 'plan', key, '--file', file]), /ready/);
    assert.equal(cli(store.db, ['--as', 'agent1', 'acceptance', 'decide', key, '--decision', 'go']).status, 1);
    assert.match(cliOk(store.db, ['--as', 'manager1', 'acceptance', 'decide', key, '--decision', 'go']),
      new RegExp(`${key} go`));
    const shown = JSON.parse(cliOk(store.db, ['--json', 'acceptance', 'show', key]));
    assert.equal(shown.decisions[0].by, 'manager1');
    assert.equal(cli(store.db, ['acceptance', 'show']).status, 2);
  });

  it('the decisions are seen in itsm beside a manager\'s declared careers (never counted)', async () => {
    expectStatus(await manager.post('/api/v1/staff', { key: 'mgr', name: 'The manager', user: 'manager1' }), 201);
    const s = expectStatus(await manager.get('/api/v1/staff/mgr'), 200);
    // By hand: manager1 decided no_go then go on the payroll checklist, and go
    // on the CLI's (newest): 3 decisions, 2 go, 1 no_go.
    assert.equal(s.evidence.counted, false);
    assert.equal(s.evidence.acceptance.decisions, 3);
    assert.equal(s.evidence.acceptance.go, 2);
    assert.equal(s.evidence.acceptance.no_go, 1);
    assert.deepEqual(s.evidence.acceptance.recent.map((d) => [d.title, d.decision]), [
      ['CLI system', 'go'], ['Payroll v2 to production', 'go'], ['Payroll v2 to production', 'no_go']]);
    expectStatus(await manager.post('/api/v1/staff', { key: 'op', name: 'The operator', user: 'operator1' }), 201);
    const o = expectStatus(await manager.get('/api/v1/staff/op'), 200);
    assert.deepEqual(o.evidence.acceptance, { decisions: 0, go: 0, no_go: 0, recent: [] });
  });

  it('audit verify holds every checklist', async () => {
    const v = expectStatus(await admin.get('/api/v1/audit/verify'), 200);
    assert.equal(v.ok, true, JSON.stringify(v));
    const r = cli(store.db, ['audit', 'verify']);
    assert.equal(r.status, 0, r.stderr);
  });
});
