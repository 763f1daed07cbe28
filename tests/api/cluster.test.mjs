// cluster.test.mjs — several `itsm serve` on one PostgreSQL database
// (docs/postgresql.md, "Several servers"), as a user relies on them: each SLA
// warning fires once however many servers run, and again once after the
// leader is killed; a monitoring check runs once per interval, and keeps
// running when its leader is killed; a revoked token or a disabled user is
// refused by every server within a second, whichever server or CLI made the
// change; the live change stream of one server hears of a ticket created
// through another; concurrent writes through three servers all land,
// numbered and on one audit chain; three servers starting at once on an
// empty database migrate it once.
//
// Which server leads is not asked of the servers: the plugin of the check
// writes its parent's pid (the server that ran it), and the SLA watcher
// logs "sla events fired" at ITSM_LOG=info in the server that fired.
// An SLA event is kept once twice over (the leader alone steps, and a step
// fires only what no step fired), so the SLA test shows once-only and the
// takeover; the check, which has no such second guard, shows that the
// leader alone works.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ENGINE, makeStore, seed, startServer, client, cli, cliOk, expectStatus, createTicket, stopClean,
  sql,
} from './lib.mjs';

const skip = ENGINE !== 'postgresql'
  && 'several servers share a store on PostgreSQL only (a SQLite file belongs to one server)';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Poll fn every `every` ms until it returns a truthy value; throws after ms.
async function waitFor(what, fn, ms, every = 100) {
  const t0 = Date.now();
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() - t0 > ms) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(every);
  }
}

// ITSM_LOG=info: the SLA watcher says when it fired.
const SERVER_ENV = { ITSM_LOG: 'info' };
const fired = (srv) => (srv.output() + srv.errors()).match(/sla events fired/g)?.length ?? 0;

describe('several servers on one PostgreSQL database', { skip }, () => {
  let store, tokens, conf, ticks;
  // The three servers running now: a killed one is replaced, so each test
  // starts with three.
  const servers = [];
  const as = (i, who = 'admin') => client(servers[i].url, tokens[who]);
  const serve = () => startServer(store.db, ['--config', conf], SERVER_ENV);

  before(async () => {
    store = makeStore();
    tokens = seed(store.db);
    // A plugin of this test's own: it appends the pid of the server that
    // ran it to the file named by its argument.
    const plugins = join(store.dir, 'plugins');
    mkdirSync(plugins);
    writeFileSync(join(plugins, 'tick'), '#!/bin/sh\necho "$PPID" >> "$1"\necho "OK - ticked"\n');
    chmodSync(join(plugins, 'tick'), 0o755);
    ticks = join(store.dir, 'ticks');
    conf = join(store.dir, 'itsm.conf');
    // 50 creates at once through each server: more than the 32
    // connections one address may hold by default.
    writeFileSync(conf, `[server]\nmax_connections_per_ip = 64\n\n[checks]\nplugin_dirs = ${plugins}\n\n`
      + `[commands]\ntick = tick $ARG1$\n`);
    for (let i = 0; i < 3; i++) servers.push(await serve());
    const manager = as(0, 'manager1');
    expectStatus(await manager.post('/api/v1/services', { key: 'vpn', name: 'VPN' }), 201);
    // A response target of one minute warned at 5 %: 3 s after creation.
    const targets = Object.fromEntries([1, 2, 3, 4, 5].map((p) => [String(p),
      { response_minutes: 1, resolution_minutes: 600 }]));
    expectStatus(await manager.post('/api/v1/slas', {
      name: 'acme-vpn', customer: 'acme', service: 'vpn', calendar: '24x7', targets, warn_at: 0.05,
      escalations: [],
    }), 201);
    expectStatus(await as(0, 'operator1').post('/api/v1/cis', { key: 'web1', name: 'web1', type: 'server' }), 201);
  });

  after(async () => {
    const stops = servers.filter((s) => !s.killed).map((s) => stopClean(s));
    servers.length = 0;
    await Promise.all(stops);
    store?.cleanup();
  });

  // Kill server i (SIGKILL: no goodbye to the database); respawn(i) starts
  // another in its place once the test has seen the survivors take over.
  const kill = (i) => { servers[i].killed = true; return servers[i].kill(); };
  const respawn = async (i) => { servers[i] = await serve(); };

  // The ticket's response warnings in its history and in the audit log, as
  // server i tells them.
  async function warnings(key, i) {
    const h = expectStatus(await as(i, 'agent1').get(`/api/v1/tickets/${key}/history`), 200);
    const a = expectStatus(await as(i).get('/api/v1/audit?limit=500'), 200);
    return {
      history: h.items.filter((x) => x.field === 'sla.response' && x.new === 'warning').length,
      audit: a.items.filter((x) => x.entity === `ticket:${key}` && x.action === 'sla.warning').length,
    };
  }

  // Create a ticket through server i; wait for its warning, then a few
  // seconds more in which a second server could fire it again. Server j
  // reads it too.
  async function warnedOnce(i, j) {
    const t = await createTicket(as(i, 'agent1'), { customer: 'acme', service: 'vpn', impact: 1, urgency: 1 });
    assert.equal(Date.parse(t.sla.response_due) - Date.parse(t.created_at), 60000, JSON.stringify(t.sla));
    await waitFor(`the warning of ${t.key}`, async () => (await warnings(t.key, i)).history > 0, 15000, 250);
    await sleep(3000);
    assert.deepEqual(await warnings(t.key, j), { history: 1, audit: 1 }, `${t.key} warned once`);
    const got = expectStatus(await as(j, 'agent1').get(`/api/v1/tickets/${t.key}`), 200);
    assert.equal(got.sla.warning, true);
    return t;
  }

  it('each SLA warning fires once with three servers, and once again after the leader is killed', async () => {
    const before0 = servers.map(fired);
    await warnedOnce(0, 1);
    const firing = servers.map((s, i) => fired(s) - before0[i]);
    const leaders = firing.flatMap((n, i) => (n ? [i] : []));
    assert.equal(leaders.length, 1, `one server fires (fired: ${firing})`);
    const leader = leaders[0];
    await kill(leader);
    const survivor = (leader + 1) % 3;
    const before1 = servers.map(fired);
    await warnedOnce(survivor, (leader + 2) % 3);
    const firing1 = servers.map((s, i) => fired(s) - before1[i]);
    assert.equal(firing1.filter((n) => n).length, 1, `one survivor fires after the kill (fired: ${firing1})`);
    await respawn(leader);
  });

  it('a monitoring check runs once per interval with three servers, and keeps running when its leader is killed', async () => {
    const lines = () => (existsSync(ticks) ? readFileSync(ticks, 'utf8').split('\n').filter(Boolean) : []);
    expectStatus(await as(0, 'operator1').post('/api/v1/checks', {
      name: 'tick', ci: 'web1', command: 'tick', args: [ticks], interval_seconds: 1,
    }), 201);
    await waitFor('the first run', () => lines().length > 0, 5000);
    const t0 = lines().length;
    await sleep(6000);
    const first = lines();
    const ran = first.length - t0;
    assert.ok(ran >= 3 && ran <= 9, `${ran} runs in 6 s with three servers (one an interval expected)`);
    const pids = new Set(first);
    assert.equal(pids.size, 1, `run by one server: pids ${[...pids]}`);
    const leader = servers.findIndex((s) => String(s.proc.pid) === first[0]);
    assert.ok(leader >= 0, `pid ${first[0]} is one of the servers`);
    await kill(leader);
    const t1 = lines().length;
    await sleep(5000);
    const after1 = lines().slice(t1);
    assert.ok(after1.length >= 3 && after1.length <= 8, `${after1.length} runs in the 5 s after the leader was killed`);
    // The first line may still be the killed server's last plugin's.
    const now = new Set(after1.slice(1));
    assert.equal(now.size, 1, `run by one server after the kill: pids ${[...now]}`);
    assert.ok(!now.has(first[0]), 'not by the killed server');
    await respawn(leader);
    expectStatus(await as(0, 'operator1').del('/api/v1/checks/tick'), 204);
  });

  describe('a revoked token or a disabled user is refused by every server within a second', () => {
    const path = '/api/v1/tickets?limit=1';

    // Use the token on servers `on` (so their caches hold it), make the
    // change, then poll each every 100 ms until it answers 401.
    async function refusedEverywhere(t, token, on, change) {
      for (const i of on) expectStatus(await client(servers[i].url, token).get(path), 200);
      await change();
      const t0 = Date.now();
      await Promise.all(on.map((i) => waitFor(`server ${i + 1} to refuse the token`,
        async () => (await client(servers[i].url, token).get(path)).status === 401, 1500)));
      t.diagnostic(`refused everywhere ${Date.now() - t0} ms after the change`);
    }

    it('a token revoked through server 1', async (t) => {
      const tok = expectStatus(await as(0).post('/api/v1/tokens', { name: 'roaming', user: 'agent1' }), 201);
      await refusedEverywhere(t, tok.token, [1, 2],
        async () => expectStatus(await as(0).del(`/api/v1/tokens/${tok.id}`), 200));
    });

    it('the tokens of a user disabled through server 1', async (t) => {
      cliOk(store.db, ['user', 'add', 'roamer', '--role', 'agent', '--password-stdin'], { input: 'correct-horse-battery\n' });
      const tok = expectStatus(await as(0).post('/api/v1/tokens', { name: 'roaming', user: 'roamer' }), 201);
      await refusedEverywhere(t, tok.token, [1, 2], async () => {
        const u = expectStatus(await as(0).get('/api/v1/users/roamer'), 200);
        expectStatus(await as(0).patch('/api/v1/users/roamer', { version: u.version, active: false }), 200);
      });
    });

    it('a token revoked by the CLI, a process of its own', async (t) => {
      const tok = expectStatus(await as(0).post('/api/v1/tokens', { name: 'roaming-cli', user: 'agent1' }), 201);
      await refusedEverywhere(t, tok.token, [0, 1, 2], async () => {
        cliOk(store.db, ['token', 'revoke', String(tok.id)]);
      });
    });
  });

  it('the live change stream of one server hears of a ticket created through another', async () => {
    const ctl = new AbortController();
    const res = await fetch(`${servers[2].url}/api/v1/stream`, {
      headers: { authorization: `Bearer ${tokens.agent1}` }, signal: ctl.signal,
    });
    assert.equal(res.status, 200);
    let text = '';
    const reading = (async () => {
      for await (const chunk of res.body) text += Buffer.from(chunk).toString();
    })().catch(() => {});
    try {
      const t = await createTicket(as(0, 'agent1'), { title: 'Made on server 1' });
      await waitFor(`${t.key} on the stream of server 3`, () => text.includes(`"key":"${t.key}"`), 2000, 50);
    } finally {
      ctl.abort();
      await reading;
    }
  });

  it('writes through three servers at once all land, numbered and on one chain', async () => {
    const agents = [0, 1, 2].map((i) => as(i, 'agent1'));
    const results = await Promise.all(Array.from({ length: 150 }, (_, n) =>
      agents[n % 3].post('/api/v1/tickets', { kind: 'incident', title: `Concurrent ${n}`, impact: 3, urgency: 3 })));
    const bad = results.filter((r) => r.status !== 201);
    assert.deepEqual(bad.map((r) => `${r.status} ${r.text}`), [], 'every create answered 201');
    const keys = results.map((r) => r.json.key);
    const ids = results.map((r) => r.json.id);
    assert.equal(new Set(keys).size, 150, 'every key distinct');
    assert.equal(new Set(ids).size, 150, 'every id distinct');
    for (const a of agents) {
      for (let k = 0; k < keys.length; k += 25) {
        const got = await Promise.all(keys.slice(k, k + 25).map((key) => a.get(`/api/v1/tickets/${key}`)));
        for (const g of got) assert.equal(g.status, 200, g.text);
      }
    }
    const dup = sql(store.db, 'SELECT key FROM tickets GROUP BY key HAVING count(*) > 1');
    assert.equal(dup, '', 'no ticket number given twice');
    const v = cli(store.db, ['audit', 'verify']);
    assert.equal(v.status, 0, `audit verify: ${v.stdout}${v.stderr}`);
  });

  it('three servers starting at once on an empty database migrate it once', async () => {
    const fresh = makeStore();
    let three = [];
    try {
      const started = await Promise.allSettled([0, 1, 2].map(() => startServer(fresh.db, [], SERVER_ENV)));
      three = started.filter((s) => s.status === 'fulfilled').map((s) => s.value);
      const failed = started.filter((s) => s.status === 'rejected').map((s) => s.reason.message);
      assert.deepEqual(failed, [], 'every server came up');
      const told = three.filter((s) => /one-time password/.test(s.output()));
      assert.equal(told.length, 1, 'one server made the first admin and told its password');
      assert.equal(sql(fresh.db, 'SELECT count(*) FROM users'), '1');
      assert.match(cliOk(fresh.db, ['version']), /: schema \d+ \(current\)/);
      assert.equal(sql(fresh.db, 'SELECT count(*) FROM itsm_schema'), '1');
      const v = cli(fresh.db, ['audit', 'verify']);
      assert.equal(v.status, 0, `audit verify: ${v.stdout}${v.stderr}`);
    } finally {
      await Promise.all(three.map((s) => stopClean(s)));
      fresh.cleanup();
    }
  });
});
