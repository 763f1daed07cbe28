// checks.test.mjs — Nagios-compatible checks run by the scheduler of
// `itsm serve`, with real plugins from monitoring-plugins: check_tcp
// against a TCP server this test starts and stops on loopback (ok →
// critical after max_attempts: incident opens and the service outage
// starts → ok: both close), performance data kept as time series, a
// plugin that hangs is killed and reported unknown, and validation.
//
// A check names a command template of the configuration ([commands] in
// the file given with --config) and its arguments; it never names a
// program. So this file also shows: an argument vector of the check's own
// (/bin/sh -c …) is refused and never runs; arguments reach the plugin
// whole, never split or read by a shell; the configuration refuses a
// template whose program lies outside the plugin directories (after
// symlinks and ..); a check stored before templates keeps running only
// while its program lies inside one, else it is disabled, says why, and
// raises an alert; the CLI reads the same configuration (--config,
// ITSM_CONFIG).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { existsSync, mkdirSync, writeFileSync, symlinkSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import {
  makeStore, seed, startServer, client, cli, cliOk, expectError, expectStatus, stopClean, listAll,
  sql,
} from './lib.mjs';

const PLUGINS = '/usr/lib/nagios/plugins';
const CHECK_TCP = `${PLUGINS}/check_tcp`;
let store, srv, tokens, admin, agent, operator, manager, alice, conf, mine;
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

function script(path, body) {
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
}

// A configuration file in the store's directory; returns its path.
function config(name, text) {
  const path = join(store.dir, name);
  writeFileSync(path, text);
  return path;
}

before(async () => {
  store = makeStore();
  tokens = seed(store.db);
  // A plugin directory of this test's own, beside Debian's.
  mine = join(store.dir, 'plugins');
  mkdirSync(mine);
  script(join(mine, 'hang'), 'exec sleep 30');
  script(join(mine, 'argv'), 'printf "OK - %s args" "$#"; for a in "$@"; do printf " [%s]" "$a"; done; echo');
  symlinkSync('/bin/sh', join(mine, 'sh-link'));
  conf = config('itsm.conf', `[checks]
plugin_dirs = ${PLUGINS}:${mine}

[commands]
check_tcp = ${CHECK_TCP} -H $HOSTADDRESS$ -p $ARG1$ -t $ARG2$
check_dummy = check_dummy $ARG1$ "$ARG2$"
hang = hang
argv = argv $ARG1$ "x $ARG2$" $HOSTNAME$
`);
  srv = await startServer(store.db, ['--config', conf]);
  admin = client(srv.url, tokens.admin);
  agent = client(srv.url, tokens.agent1);
  operator = client(srv.url, tokens.operator1);
  manager = client(srv.url, tokens.manager1);
  alice = client(srv.url, tokens.alice);
  tcp = await listen(0);
  port = tcp.address().port;
  expectStatus(await manager.post('/api/v1/services', { key: 'shop', name: 'Web shop' }), 201);
  for (const [key, type, extra] of [['web1', 'server', { attributes: { address: '127.0.0.1' } }],
    ['shop-app', 'application', {}], ['shop-svc', 'service', { service: 'shop' }]]) {
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
    const base = { name: 'v1', ci: 'web1', command: 'check_tcp', args: ['1', '3'] };
    expectError(await operator.post('/api/v1/checks', { ...base, command: 'check_tcp -H x' }), 400, 'invalid', 'command');
    expectError(await operator.post('/api/v1/checks', { ...base, command: 'nope' }), 400, 'invalid', 'command');
    expectError(await operator.post('/api/v1/checks', { ...base, command: [] }), 400, 'invalid', 'command');
    expectError(await operator.post('/api/v1/checks', { ...base, command: undefined }), 400, 'invalid', 'command');
    expectError(await operator.post('/api/v1/checks', { ...base, args: ['1'] }), 400, 'invalid', 'args');
    expectError(await operator.post('/api/v1/checks', { ...base, args: ['1', 3] }), 400, 'invalid', 'args');
    expectError(await operator.post('/api/v1/checks', { ...base, args: '1 3' }), 400, 'invalid', 'args');
    expectError(await operator.post('/api/v1/checks', { ...base, args: ['1', 'a\nb'] }), 400, 'invalid', 'args');
    // a value may not start an option of its own
    expectError(await operator.post('/api/v1/checks', { ...base, args: ['--help', '3'] }), 400, 'invalid', 'args');
    expectError(await operator.post('/api/v1/checks', { ...base, ci: 'nope' }), 400, 'invalid', 'ci');
    expectError(await operator.post('/api/v1/checks', { ...base, max_attempts: 0 }), 400, 'invalid', 'max_attempts');
    expectError(await agent.post('/api/v1/checks', base), 403, 'forbidden');
    assert.equal(expectStatus(await operator.get('/api/v1/checks'), 200).items.length, 0, 'nothing was stored');
  });

  it('refuses a program of the check\'s own: /bin/sh -c never runs', async () => {
    const pwned = join(store.dir, 'PWNED');
    for (const command of [['/bin/sh', '-c', `touch ${pwned}`], ['sh', '-c', `touch ${pwned}`],
      [`${PLUGINS}/check_dummy`, '0'], '/bin/sh']) {
      const e = expectError(await operator.post('/api/v1/checks', { name: 'evil', ci: 'web1', command }), 400, 'invalid', 'command');
      assert.match(e.message, /command template/);
    }
    expectError(await operator.get('/api/v1/checks/evil'), 404, 'not_found');
    await new Promise((r) => setTimeout(r, 600));
    assert.equal(existsSync(pwned), false);
  });

  it('lists the command templates to staff', async () => {
    const l = expectStatus(await operator.get('/api/v1/check-commands'), 200);
    assert.deepEqual(l.items.map((x) => x.name), ['argv', 'check_dummy', 'check_tcp', 'hang']);
    const tcpT = l.items.find((x) => x.name === 'check_tcp');
    assert.equal(tcpT.args, 2);
    assert.equal(tcpT.program, CHECK_TCP);
    assert.deepEqual(tcpT.command, [CHECK_TCP, '-H', '$HOSTADDRESS$', '-p', '$ARG1$', '-t', '$ARG2$']);
    assert.equal(l.items.find((x) => x.name === 'hang').program, join(mine, 'hang'));
    expectStatus(await agent.get('/api/v1/check-commands'), 200);
    expectError(await alice.get('/api/v1/check-commands'), 403, 'forbidden');
  });

  it('check_tcp: ok, then critical (hard after max attempts) opens the incident and the outage, then both close', async () => {
    const created = expectStatus(await operator.post('/api/v1/checks', {
      name: 'tcp-web1', ci: 'web1', command: 'check_tcp', args: [String(port), '3'],
      interval_seconds: 1, retry_seconds: 1, max_attempts: 2, timeout_seconds: 5,
    }), 201);
    assert.equal(created.state, 'pending');
    assert.equal(created.command, 'check_tcp');
    assert.deepEqual(created.args, [String(port), '3']);
    assert.equal('legacy_command' in created, false);
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
      name: 'hangs', ci: 'web1', command: 'hang', interval_seconds: 60,
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

  it('arguments reach the plugin whole: never split, never read by a shell or for macros', async () => {
    const pwned = join(store.dir, 'PWNED2');
    expectStatus(await operator.post('/api/v1/checks', {
      name: 'argv', ci: 'web1', command: 'argv', args: [`a b; touch ${pwned}`, '$ARG1$ $(id) `id` "q"'],
      interval_seconds: 3600,
    }), 201);
    const c = await waitFor('the run', async () => { const x = await check('argv'); return x.last_run && x; });
    assert.equal(c.last_output, `OK - 3 args [a b; touch ${pwned}] [x $ARG1$ $(id) \`id\` "q"] [web1]`);
    assert.equal(existsSync(pwned), false);
    assert.equal((await operator.del('/api/v1/checks/argv')).status, 204);
  });

  it('changes a definition with its version; a disabled check does not run', async () => {
    const c = expectStatus(await operator.post('/api/v1/checks', {
      name: 'dummy', ci: 'web1', command: 'check_dummy', args: ['0', 'fine'], interval_seconds: 3600,
    }), 201);
    const ran = await waitFor('the first run', async () => { const x = await check('dummy'); return x.last_run && x; });
    assert.equal(ran.last_output, 'OK: fine');
    const u = expectStatus(await operator.patch('/api/v1/checks/dummy', {
      version: c.version, enabled: false, args: ['1', 'meh'], max_attempts: 1,
    }), 200);
    assert.equal(u.enabled, false);
    assert.equal(u.version, c.version + 1);
    assert.equal(u.command, 'check_dummy');
    assert.deepEqual(u.args, ['1', 'meh']);
    expectError(await operator.patch('/api/v1/checks/dummy', { version: c.version, enabled: true }), 409, 'conflict', 'version');
    expectError(await operator.patch('/api/v1/checks/dummy', { version: u.version, command: [] }), 400, 'invalid', 'command');
    expectError(await operator.patch('/api/v1/checks/dummy', { version: u.version, command: ['/bin/sh', '-c', 'id'] }), 400, 'invalid', 'command');
    expectError(await operator.patch('/api/v1/checks/dummy', { version: u.version, command: 'nope' }), 400, 'invalid', 'command');
    expectError(await operator.patch('/api/v1/checks/dummy', { version: u.version, args: ['1'] }), 400, 'invalid', 'args');
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

  it('a check stored before templates runs only while its program lies in a plugin directory', async () => {
    const touched = join(store.dir, 'LEGACY');
    await stopClean(srv);
    srv = null;
    const insert = (name, argv) => sql(store.db, 'INSERT INTO checks(name, ci_id, command, interval_s, '
      + 'retry_s, max_attempts, timeout_s, enabled, next_run, created_at, updated_at) VALUES('
      + `'${name}', (SELECT id FROM cis WHERE key = 'web1'), '${JSON.stringify(argv)}', 1, 1, 3, 5, 1, 0, 0, 0)`);
    insert('legacy-sh', ['/bin/sh', '-c', `touch ${touched}`]);
    insert('legacy-link', [join(mine, 'sh-link'), '-c', `touch ${touched}`]);
    insert('legacy-ok', [`${PLUGINS}/check_dummy`, '0', 'legacy fine']);
    insert('legacy-bare', ['check_dummy', '1', 'bare name']);
    srv = await startServer(store.db, ['--config', conf]);
    operator = client(srv.url, tokens.operator1);
    admin = client(srv.url, tokens.admin);
    for (const name of ['legacy-sh', 'legacy-link']) {
      const c = await waitFor(`${name} disabled`, async () => { const x = await check(name); return !x.enabled && x; });
      assert.equal(c.command, null);
      assert.equal(c.legacy_command[1], '-c');
      assert.equal(c.state, 'unknown');
      assert.equal(c.state_type, 'hard');
      assert.match(c.last_output, /^UNKNOWN - not run: .*not inside a plugin directory.*check disabled: give it a command template/);
      const a = (await listAll(operator, '/api/v1/alerts')).find((x) => x.dedup_key === `check::${name}`);
      assert.equal(a?.severity, 'warning', 'an alert says the check stopped');
    }
    const ok = await waitFor('legacy-ok ran', async () => { const x = await check('legacy-ok'); return x.last_run && x; });
    assert.equal(ok.last_output, 'OK: legacy fine');
    assert.equal(ok.enabled, true);
    const bare = await waitFor('legacy-bare ran', async () => { const x = await check('legacy-bare'); return x.last_run && x; });
    assert.equal(bare.last_output, 'WARNING: bare name', 'a bare name is looked up in the plugin directories');
    assert.equal(existsSync(touched), false, 'the shell never ran');
    const audit = expectStatus(await admin.get('/api/v1/audit?limit=500'), 200).items;
    assert.ok(audit.some((x) => x.action === 'check.disable' && x.entity === 'check:legacy-sh'));

    // Turned on again as it is: refused; given a template: runs.
    let c = await check('legacy-sh');
    const e = expectError(await operator.patch('/api/v1/checks/legacy-sh', { version: c.version, enabled: true }), 400, 'invalid', 'command');
    assert.match(e.message, /not inside a plugin directory/);
    expectError(await operator.patch('/api/v1/checks/legacy-sh', { version: c.version, args: ['0', 'x'] }), 400, 'invalid', 'command');
    c = expectStatus(await operator.patch('/api/v1/checks/legacy-sh', {
      version: c.version, enabled: true, command: 'check_dummy', args: ['0', 'templated now'],
    }), 200);
    assert.equal(c.command, 'check_dummy');
    assert.equal('legacy_command' in c, false);
    await waitFor('the templated run', async () => { const x = await check('legacy-sh'); return x.last_output === 'OK: templated now' && x; });
    for (const name of ['legacy-sh', 'legacy-link', 'legacy-ok', 'legacy-bare']) {
      assert.equal((await operator.del(`/api/v1/checks/${name}`)).status, 204);
    }
    const v = expectStatus(await admin.get('/api/v1/audit/verify'), 200);
    assert.equal(v.ok, true, v.reason);
  });

  it('the configuration refuses a template whose program lies outside the plugin directories', () => {
    const cases = [
      ['/bin/sh -c id', /'\/bin\/sh' is '.*', which is not inside a plugin directory/],
      [`${mine}/sh-link -c id`, /which is not inside a plugin directory/],
      [`${mine}/../plugins/../../../../bin/sh`, /which is not inside a plugin directory/],
      ['sh -c id', /'sh' is in no plugin directory/],
      ['sh-link', /which is not inside a plugin directory/],
      ['check_dummy $EVIL$', /unknown macro '\$EVIL\$'/],
      ['check_dummy "open', /double quote is not closed/],
    ];
    for (const [line, why] of cases) {
      const bad = config('bad.conf', `[checks]\nplugin_dirs = ${PLUGINS}:${mine}\n[commands]\nevil = ${line}\n`);
      const r = cli(store.db, ['--config', bad, 'check', 'list']);
      assert.equal(r.status, 1, `${line}: ${r.stdout}${r.stderr}`);
      assert.match(r.stderr, /command template 'evil'/);
      assert.match(r.stderr, why);
    }
  });

  it('the CLI reads the same configuration: --config or ITSM_CONFIG', () => {
    const added = cliOk(store.db, ['--config', conf, '--json', 'check', 'add', 'cli1', '--ci', 'web1', '--',
      'check_dummy', '0', 'from the cli']);
    assert.equal(JSON.parse(added).command, 'check_dummy');
    assert.deepEqual(JSON.parse(added).args, ['0', 'from the cli']);
    assert.match(cliOk(store.db, ['check', 'commands'], { env: { ITSM_CONFIG: conf } }), /check_tcp +2 +\/usr\/lib\/nagios\/plugins\/check_tcp/);
    const ran = cliOk(store.db, ['--json', 'check', 'run', 'cli1'], { env: { ITSM_CONFIG: conf } });
    assert.equal(JSON.parse(ran).last_output, 'OK: from the cli');
    const upd = cliOk(store.db, ['--config', conf, '--json', 'check', 'update', 'cli1', '--disable', '--',
      'check_dummy', '2', 'changed']);
    assert.equal(JSON.parse(upd).enabled, false);
    assert.deepEqual(JSON.parse(upd).args, ['2', 'changed']);
    const evil = cli(store.db, ['--config', conf, 'check', 'add', 'evil', '--ci', 'web1', '--', '/bin/sh', '-c', 'id']);
    assert.equal(evil.status, 1);
    assert.match(evil.stderr, /unknown command template '\/bin\/sh'/);
    // without a configuration there are no templates
    const none = cli(store.db, ['check', 'add', 'cli2', '--ci', 'web1', '--', 'check_dummy', '0', 'x']);
    assert.equal(none.status, 1);
    assert.match(none.stderr, /the configuration defines no \[commands\]/);
    const missing = cli(store.db, ['--config', join(store.dir, 'nope.conf'), 'check', 'list']);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /cannot read/);
    cliOk(store.db, ['check', 'delete', 'cli1']);
  });

  it('itsm check run executes a plugin from the command line', async () => {
    await stopClean(srv);
    srv = null;
    const out = cliOk(store.db, ['--config', conf, '--json', 'check', 'run', 'tcp-web1']);
    assert.equal(JSON.parse(out).state, 'ok');
    // Running a check is configuring work: not for a requester, nor an agent.
    for (const who of ['alice', 'agent1']) {
      const refused = cli(store.db, ['--config', conf, '--as', who, 'check', 'run', 'tcp-web1']);
      assert.equal(refused.status, 1, refused.stdout);
      assert.match(refused.stderr, /^itsm: only (staff|operators, managers and admins) configure checks/);
    }
    srv = await startServer(store.db, ['--config', conf]);
  });
});
