// failover.test.mjs — PostgreSQL standby and failover (issue 12).
//
// A primary and a streaming hot standby on loopback, made with Debian's
// PostgreSQL 15 (initdb, pg_basebackup -R). The standby is synchronous
// (synchronous_standby_names names it, synchronous_commit stays on), so a
// commit the primary acknowledges is already on the standby: without that,
// an acknowledged write could be lost with the primary. Two `itsm serve`
// processes run on the multi-host URI (target_session_attrs=read-write)
// while tickets are created through both; the primary is killed
// (pg_ctl stop -m immediate) and the standby promoted. The test then shows:
// the servers reconnect on their own, every acknowledged (201) ticket is on
// the new primary with the title it was created with, writes resume through
// both servers without restarting them, and `audit verify` passes. It prints
// the window in which writes were refused (docs/operations.md).
//
// PG_BIN names PostgreSQL's binaries (default: the newest
// /usr/lib/postgresql/*/bin); without them the test fails, as a run without
// PostgreSQL must. As root, the cluster runs as postgres.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';

import { cli, client, seed, startServer, stopClean, ticketBody } from '../api/lib.mjs';

// The newest installed server's bin directory, as scripts/pg-test.sh finds
// it for the API suites ('' when there is none).
function newestPgBin() {
  const script = fileURLToPath(new URL('../../scripts/pg-test.sh', import.meta.url));
  const r = spawnSync('sh', [script, 'bin'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : '';
}
const PG_BIN = process.env.PG_BIN || newestPgBin();
const HAVE_PG = PG_BIN !== '' && existsSync(join(PG_BIN, 'pg_ctl')) && existsSync(join(PG_BIN, 'pg_basebackup'));
const AS_ROOT = process.getuid && process.getuid() === 0;
const STANDBY_NAME = 'itsm_standby';
const WRITERS = 4;        // concurrent creates per server
const BEFORE_KILL_MS = 3000;
const AFTER_RESUME_MS = 1500;
const GIVE_UP_MS = 60000; // after the kill

// Run a PostgreSQL program (as postgres when we are root); throws unless 0.
function pg(prog, args) {
  const argv = AS_ROOT ? ['runuser', '-u', 'postgres', '--', join(PG_BIN, prog), ...args]
    : [join(PG_BIN, prog), ...args];
  const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', timeout: 120000 });
  if (r.status !== 0) throw new Error(`${prog} ${args.join(' ')} exited ${r.status}: ${r.stderr}${r.stdout}`);
  return r.stdout;
}

// One value from psql on a port (trust authentication on loopback).
function psql(port, sql, db = 'postgres') {
  const r = spawnSync(join(PG_BIN, 'psql'), ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1',
    '-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', db, '-c', sql],
  { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`psql -p ${port} ${sql}: ${r.stderr}`);
  return r.stdout.trim();
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function until(what, fn, ms = 30000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

describe('PostgreSQL standby and failover', () => {
  test('PostgreSQL is installed', () => {
    assert.ok(HAVE_PG, `no pg_ctl and pg_basebackup at ${PG_BIN}: scripts/install-deps.sh installs postgresql`);
  });

  let dir;
  let p1;
  let p2;
  let primaryStarted = false;
  let standbyStarted = false;
  const servers = [];
  let tokens;
  let multi;

  const conf = (data, lines) => appendFileSync(join(data, 'postgresql.conf'), `${lines.join('\n')}\n`);

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'itsm-pgfail-'));
    if (AS_ROOT) {
      const r = spawnSync('chown', ['postgres:', dir]);
      if (r.status !== 0) throw new Error(`chown postgres ${dir} failed`);
    }
    p1 = await freePort();
    p2 = await freePort();
    const primary = join(dir, 'primary');
    const standby = join(dir, 'standby');

    pg('initdb', ['-D', primary, '-U', 'postgres', '--auth=trust', '--no-sync']);
    conf(primary, [
      `port = ${p1}`, "listen_addresses = '127.0.0.1'", "unix_socket_directories = ''",
      'wal_level = replica', 'max_wal_senders = 4', 'hot_standby = on',
      'fsync = on', 'synchronous_commit = on',
      // A commit waits until the standby has it on disk.
      `synchronous_standby_names = '${STANDBY_NAME}'`,
      'shared_buffers = 32MB',
    ]);
    pg('pg_ctl', ['-D', primary, '-l', join(dir, 'primary.log'), '-w', 'start']);
    primaryStarted = true;

    // The standby: a base backup with -R (standby.signal and primary_conninfo);
    // cluster_name is the application_name its WAL receiver gives the primary.
    // Promoted, it runs alone, so it must not wait for a standby of its own.
    pg('pg_basebackup', ['-h', '127.0.0.1', '-p', String(p1), '-U', 'postgres', '-D', standby,
      '-R', '-X', 'stream', '--no-sync']);
    conf(standby, [`port = ${p2}`, `cluster_name = '${STANDBY_NAME}'`, "synchronous_standby_names = ''"]);
    pg('pg_ctl', ['-D', standby, '-l', join(dir, 'standby.log'), '-w', 'start']);
    standbyStarted = true;
    await until('the standby to stream synchronously', () =>
      psql(p1, `SELECT sync_state FROM pg_stat_replication WHERE application_name = '${STANDBY_NAME}'`) === 'sync');

    psql(p1, 'CREATE DATABASE itsm');
    // Seeded on the primary alone; the servers get both hosts.
    tokens = seed(`postgresql://postgres@127.0.0.1:${p1}/itsm`);
    multi = `postgresql://postgres@127.0.0.1:${p1},127.0.0.1:${p2}/itsm` +
      '?target_session_attrs=read-write&connect_timeout=2';
    servers.push(await startServer(multi), await startServer(multi));
  });

  after(async () => {
    for (const s of servers) {
      if (s.proc.exitCode === null && s.proc.signalCode === null) await s.kill();
    }
    for (const [started, data] of [[standbyStarted, 'standby'], [primaryStarted, 'primary']]) {
      if (!started) continue;
      try { pg('pg_ctl', ['-D', join(dir, data), '-m', 'immediate', 'stop']); } catch { /* already down */ }
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('the servers ride out the loss of the primary; no acknowledged write is lost', { timeout: 240000 }, async () => {
    const start = Date.now();
    const acked = [];   // { key, title, server, sent, at }
    const refused = []; // { server, status, code, sent, at }
    let stop = false;
    let n = 0;

    async function writer(si) {
      const c = client(servers[si].url, tokens.agent1);
      while (!stop) {
        const title = `failover s${si} #${++n}`;
        const sent = Date.now();
        let res;
        try {
          res = await c.post('/api/v1/tickets', ticketBody({ title }));
        } catch (err) {
          refused.push({ server: si, status: 0, code: err.cause?.code || err.message, sent, at: Date.now() });
          await sleep(50);
          continue;
        }
        if (res.status === 201) {
          acked.push({ key: res.json.key, title, server: si, sent, at: Date.now() });
        } else {
          refused.push({ server: si, status: res.status, code: res.json?.error?.code, sent, at: Date.now() });
          await sleep(50);
        }
      }
    }

    const loops = [];
    for (let si = 0; si < servers.length; si++) {
      for (let w = 0; w < WRITERS; w++) loops.push(writer(si));
    }
    await sleep(BEFORE_KILL_MS);
    for (let si = 0; si < servers.length; si++) {
      assert.ok(acked.some((a) => a.server === si), `server ${si} acknowledged writes before the kill`);
    }
    assert.equal(refused.length, 0, `no write refused before the kill: ${JSON.stringify(refused.slice(0, 3))}`);

    // The primary dies without a shutdown checkpoint; the standby is promoted.
    const killAt = Date.now();
    pg('pg_ctl', ['-D', join(dir, 'primary'), '-m', 'immediate', 'stop']);
    primaryStarted = false;
    const killedAt = Date.now();
    pg('pg_ctl', ['-D', join(dir, 'standby'), '-w', 'promote']);
    const promotedAt = Date.now();
    assert.equal(psql(p2, 'SELECT pg_is_in_recovery()'), 'f', 'the standby was promoted');

    // Write until both servers acknowledge writes sent after the kill.
    const resumed = (si) => acked.find((a) => a.server === si && a.sent >= killedAt);
    const giveUp = Date.now() + GIVE_UP_MS;
    while (!servers.every((_, si) => resumed(si)) && Date.now() < giveUp) await sleep(50);
    await sleep(AFTER_RESUME_MS);
    stop = true;
    await Promise.all(loops);

    // The window, from the kill to the first 201 of a write sent after it.
    const lines = [`failover: primary killed ${killAt - start} ms in (pg_ctl stop -m immediate took ` +
      `${killedAt - killAt} ms), standby promoted ${promotedAt - killAt} ms after the kill`];
    for (let si = 0; si < servers.length; si++) {
      const first = resumed(si);
      const mine = refused.filter((r) => r.server === si);
      const statuses = {};
      for (const r of mine) statuses[r.status] = (statuses[r.status] || 0) + 1;
      const lastOk = acked.filter((a) => a.server === si && a.at < killAt).length;
      lines.push(`failover: server ${si}: ${lastOk} created before the kill; writes refused ` +
        `${mine.length} times ${JSON.stringify(statuses)}; first 201 after the kill ` +
        `${first ? `${first.at - killAt} ms after it` : 'never'}`);
    }
    lines.push(`failover: ${acked.length} tickets acknowledged in all`);
    for (const l of lines) console.log(l);

    for (let si = 0; si < servers.length; si++) {
      const first = resumed(si);
      assert.ok(first, `server ${si} took writes again without a restart`);
      assert.ok(first.at - killAt < 30000, `server ${si} refused writes for ${first.at - killAt} ms`);
      const s = servers[si];
      assert.equal(s.proc.exitCode, null, `server ${si} is still running`);
    }
    // Refused means 503 "store unavailable … retry later" (or, for a write
    // in flight at the kill, the same): never a 500, never a dropped socket.
    for (const r of refused) {
      assert.equal(r.status, 503, `a refused write answers 503: ${JSON.stringify(r)}`);
      assert.equal(r.code, 'unavailable', `a refused write says unavailable: ${JSON.stringify(r)}`);
    }

    // Every acknowledged ticket is on the new primary, with its own title.
    const onDisk = new Map(psql(p2, 'SELECT key, title FROM tickets', 'itsm')
      .split('\n').filter(Boolean).map((l) => l.split('|')));
    const missing = acked.filter((a) => onDisk.get(a.key) !== a.title);
    assert.deepEqual(missing.slice(0, 5), [], `${missing.length} acknowledged tickets are not on the new primary`);
    // And each server reads them back. A read connection idle since the
    // kill learns of the loss on its next statement, which fails (503,
    // "retry later"); the one after it reconnects. A client retries.
    let readRetries = 0;
    for (let si = 0; si < servers.length; si++) {
      const c = client(servers[si].url, tokens.agent1);
      const sample = acked.filter((_, i) => i % 7 === si);
      for (const a of sample) {
        let res;
        for (let attempt = 0; attempt < 5; attempt++) {
          res = await c.get(`/api/v1/tickets/${a.key}`);
          if (res.status !== 503) break;
          readRetries++;
          await sleep(100);
        }
        assert.equal(res.status, 200, `server ${si} reads ${a.key}: ${res.text}`);
        assert.equal(res.json.title, a.title);
      }
    }
    console.log(`failover: reads after the failover answered 503 (then succeeded) ${readRetries} times`);

    // The servers stop cleanly (a sanitizer build reports leaks here), and
    // the audit chain holds on the new primary.
    for (const s of servers.splice(0)) await stopClean(s);
    const v = cli(`postgresql://postgres@127.0.0.1:${p2}/itsm`, ['audit', 'verify']);
    assert.equal(v.status, 0, `audit verify: ${v.stdout}${v.stderr}`);
    assert.match(v.stdout, /^ok:/);
    console.log(`failover: ${v.stdout.trim()}`);
  });
});
