// checks.test.mjs — Nagios-compatible checks run by the scheduler of
// `itsm serve`, with real plugins from monitoring-plugins: check_tcp
// against a TCP server this test starts and stops on loopback (ok →
// critical after max_attempts: incident opens and the service outage
// starts → ok: both close), performance data kept as time series, a
// plugin that hangs is killed and reported unknown, and validation.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { existsSync } from 'node:fs';
import {
  makeStore, seed, startServer, client, cli, cliOk, expectError, expectStatus, stopClean, listAll,
} from './lib.mjs';

const PLUGINS = '/usr/lib/nagios/plugins';
const CHECK_TCP = `${PLUGINS}/check_tcp`;
let store, srv, tokens, admin, agent, operator, manager;
let tcp = null;
let port = 0;

function listen(p) {
  return new Promise((resolve, reject) => {
    const s = createServer((sock) => sock.end());
    s.once('error', reject);
    s.listen(p, '127.0.0.1', () => resolve(s));
  });
}
const closeTcp = () => new Promise((r) => tcp.close(() => r()));

async function waitFor(what, fn, ms = 20000) {
  const t0 = Date.now();
  let last;
  while (Date.now() - t0 < ms) {
    last = await fn();
    if (last) return last;
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`timed out waiting for ${what}`);
}

before(async () => {
  store = makeStore();
  tokens = seed(store.db);
  srv = await startServer(store.db);
  admin = client(srv.url, tokens.admin);
  agent = client(srv.url, tokens.agent1);
  operator = client(srv.url, tokens.operator1);
  manager = client(srv.url, tokens.manager1);
  tcp = await listen(0);
  port = tcp.address().port;
  expectStatus(await manager.post('/api/v1/services', { key: 'shop', name: 'Web shop' }), 201);
  for (const [key, type, extra] of [['web1', 'server', {}], ['shop-app', 'application', {}],
    ['shop-svc', 'service', { service: 'shop' }]]) {
    expectStatus(await operator.post('/api/v1/cis', { key, name: key, type, ...extra }), 201);
  }
  expectStatus(await operator.post('/api/v1/relationships', { source: 'shop-app', type: 'runs_on', target: 'web1' }), 201);
  expectStatus(await operator.post('/api/v1/relationships', { source: 'shop-svc', type: 'depends_on', target: 'shop-app' }), 201);
});

after(async () => {
  if (srv) await stopClean(srv);
  if (tcp?.listening) await closeTcp();
  store?.cleanup();
});

const check = async (name) => expectStatus(await operator.get(`/api/v1/checks/${name}`), 200);
const openOutages = async () => expectStatus(await operator.get('/api/v1/outages?service=shop'), 200)
  .items.filter((o) => o.end === null);

describe('checks', { skip: !existsSync(CHECK_TCP) && 'monitoring-plugins is not installed' }, () => {
  it('validates the definition', async () => {
    const base = { name: 'v1', ci: 'web1', command: [CHECK_TCP, '-H', '127.0.0.1', '-p', '1'] };
    expectError(await operator.post('/api/v1/checks', { ...base, command: 'check_tcp -H x' }), 400, 'invalid', 'command');
    expectError(await operator.post('/api/v1/checks', { ...base, command: [] }), 400, 'invalid', 'command');
    expectError(await operator.post('/api/v1/checks', { ...base, command: ['x', 3] }), 400, 'invalid', 'command');
    expectError(await operator.post('/api/v1/checks', { ...base, ci: 'nope' }), 400, 'invalid', 'ci');
    expectError(await operator.post('/api/v1/checks', { ...base, max_attempts: 0 }), 400, 'invalid', 'max_attempts');
    expectError(await agent.post('/api/v1/checks', base), 403, 'forbidden');
  });

  it('check_tcp: ok, then critical (hard after max attempts) opens the incident and the outage, then both close', async () => {
    const created = expectStatus(await operator.post('/api/v1/checks', {
      name: 'tcp-web1', ci: 'web1', command: [CHECK_TCP, '-H', '127.0.0.1', '-p', String(port), '-t', '3'],
      interval_seconds: 1, retry_seconds: 1, max_attempts: 2, timeout_seconds: 5,
    }), 201);
    assert.equal(created.state, 'pending');
    assert.deepEqual(created.command.slice(0, 1), [CHECK_TCP]);
    let c = await waitFor('the first ok', async () => { const x = await check('tcp-web1'); return x.state === 'ok' && x; });
    assert.equal(c.state_type, 'hard');
    assert.match(c.last_output, /TCP OK/);
    assert.equal(c.last_exit, 0);

    await closeTcp();
    // the first failure is soft: nothing opens yet
    c = await waitFor('a critical result', async () => { const x = await check('tcp-web1'); return x.state === 'critical' && x; });
    c = await waitFor('the hard critical', async () => { const x = await check('tcp-web1'); return x.state_type === 'hard' && x.state === 'critical' && x; });
    assert.equal(c.attempt, 2);
    const alerts = await listAll(operator, '/api/v1/alerts');
    const a = alerts.find((x) => x.dedup_key === 'check::tcp-web1');
    assert.ok(a, 'an alert for the check');
    assert.equal(a.state, 'open');
    assert.equal(a.source, 'itsm-check');
    assert.equal(a.ci, 'web1');
    assert.match(a.incident, /^INC-/);
    const t = expectStatus(await operator.get(`/api/v1/tickets/${a.incident}`), 200);
    assert.equal(t.channel, 'monitoring');
    assert.equal(t.service, 'shop');
    const o = await openOutages();
    assert.equal(o.length, 1);
    assert.equal(o[0].incident, a.incident);
    assert.equal(o[0].ci, 'web1');

    tcp = await listen(port);
    await waitFor('the recovery', async () => { const x = await check('tcp-web1'); return x.state === 'ok' && x; });
    await waitFor('the incident resolved', async () =>
      expectStatus(await operator.get(`/api/v1/tickets/${a.incident}`), 200).status === 'resolved');
    assert.equal((await openOutages()).length, 0);
    const all = expectStatus(await operator.get('/api/v1/outages?service=shop'), 200).items;
    assert.equal(all.length, 1);
    assert.ok(all[0].end >= all[0].start);
  });

  it('keeps the performance data as a time series', async () => {
    const names = expectStatus(await operator.get('/api/v1/cis/web1/metrics'), 200);
    assert.ok(names.names.includes('tcp-web1/time'), JSON.stringify(names));
    const from = new Date(Date.now() - 3600e3).toISOString().replace(/\.\d+Z$/, 'Z');
    const m = expectStatus(await operator.get(`/api/v1/cis/web1/metrics?name=tcp-web1/time&from=${from}&step=1`), 200);
    assert.equal(m.name, 'tcp-web1/time');
    assert.equal(m.step, 1);
    assert.ok(m.points.length >= 2);
    for (const p of m.points) {
      assert.ok(p.count >= 1);
      assert.ok(p.min <= p.avg && p.avg <= p.max);
      assert.equal(p.uom, 's');
    }
    expectError(await operator.get('/api/v1/cis/web1/metrics?name=x&step=0'), 400, 'invalid', 'step');
  });

  it('a plugin that hangs is killed at its timeout and reported unknown', async () => {
    expectStatus(await operator.post('/api/v1/checks', {
      name: 'hangs', ci: 'web1', command: ['/bin/sleep', '30'], interval_seconds: 60,
      max_attempts: 1, timeout_seconds: 1,
    }), 201);
    const c = await waitFor('the timeout', async () => { const x = await check('hangs'); return x.state === 'unknown' && x; }, 15000);
    assert.match(c.last_output, /timed out/);
    assert.ok(c.last_duration_ms >= 900 && c.last_duration_ms < 5000);
    // unknown is a warning alert, not an incident
    const a = (await listAll(operator, '/api/v1/alerts')).find((x) => x.dedup_key === 'check::hangs');
    assert.equal(a.severity, 'warning');
    assert.equal(a.incident, null);
    assert.equal((await operator.del('/api/v1/checks/hangs')).status, 204);
    expectError(await operator.get('/api/v1/checks/hangs'), 404, 'not_found');
  });

  it('changes a definition with its version; a disabled check does not run', async () => {
    const c = expectStatus(await operator.post('/api/v1/checks', {
      name: 'dummy', ci: 'web1', command: [`${PLUGINS}/check_dummy`, '0', 'fine'], interval_seconds: 3600,
    }), 201);
    const ran = await waitFor('the first run', async () => { const x = await check('dummy'); return x.last_run && x; });
    assert.equal(ran.last_output, 'OK: fine');
    const u = expectStatus(await operator.patch('/api/v1/checks/dummy', {
      version: c.version, enabled: false, command: [`${PLUGINS}/check_dummy`, '1', 'meh'], max_attempts: 1,
    }), 200);
    assert.equal(u.enabled, false);
    assert.equal(u.version, c.version + 1);
    assert.deepEqual(u.command.slice(1), ['1', 'meh']);
    expectError(await operator.patch('/api/v1/checks/dummy', { version: c.version, enabled: true }), 409, 'conflict', 'version');
    expectError(await operator.patch('/api/v1/checks/dummy', { version: u.version, command: [] }), 400, 'invalid', 'command');
    expectError(await agent.patch('/api/v1/checks/dummy', { version: u.version, enabled: true }), 403, 'forbidden');
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal((await check('dummy')).last_output, 'OK: fine');
    expectStatus(await operator.patch('/api/v1/checks/dummy', { version: u.version, enabled: true }), 200);
    const w = await waitFor('the changed command', async () => { const x = await check('dummy'); return x.state === 'warning' && x; });
    assert.equal(w.last_output, 'WARNING: meh');
    assert.equal((await operator.del('/api/v1/checks/dummy')).status, 204);
  });

  it('lists checks, and /metrics counts their results', async () => {
    const l = expectStatus(await agent.get('/api/v1/checks'), 200);
    assert.deepEqual(l.items.map((x) => x.name), ['tcp-web1']);
    const m = await client(srv.url).get('/metrics');
    assert.match(m.text, /itsm_check_results_total\{state="critical"\} [1-9]/);
    assert.match(m.text, /itsm_check_results_total\{state="ok"\} [1-9]/);
    assert.match(m.text, /itsm_events_received_total\{source="checks",outcome="opened"\} [1-9]/);
    const v = expectStatus(await admin.get('/api/v1/audit/verify'), 200);
    assert.equal(v.ok, true, v.reason);
  });

  it('itsm check run executes a plugin from the command line', async () => {
    await stopClean(srv);
    srv = null;
    const out = cliOk(store.db, ['--json', 'check', 'run', 'tcp-web1']);
    assert.equal(JSON.parse(out).state, 'ok');
    // Running a check is configuring work: not for a requester, nor an agent.
    for (const who of ['alice', 'agent1']) {
      const refused = cli(store.db, ['--as', who, 'check', 'run', 'tcp-web1']);
      assert.equal(refused.status, 1, refused.stdout);
      assert.match(refused.stderr, /^itsm: only (staff|operators, managers and admins) configure checks/);
    }
    srv = await startServer(store.db);
  });
});
