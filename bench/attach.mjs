// bench/attach.mjs — what storing files as BLOBs in the store costs, next to
// storing them as files in a directory (docs/attachments.md, "Where the
// bytes live"). Both sides durable: the store commits each upload (WAL,
// synchronous=FULL, one fsync per commit); the directory side writes each
// file, fsyncs it, renames it into place and fsyncs the directory, as a
// file store would have to for an acknowledged upload to survive a crash.
//
//   node bench/attach.mjs [N]     N files of 1 MiB each way (default 100)
//   BENCH_DB=postgresql://…/db node bench/attach.mjs [N]
//                                 the same against an empty PostgreSQL
//                                 database (the growth line is SQLite's only)
//
// Needs build/itsm (or ITSM_BIN). Runs on loopback in a temp dir it removes.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, mkdtempSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const N = Number(process.argv[2] || 100);
const MIB = 1024 * 1024;
const BIN = process.env.ITSM_BIN || resolve('build/itsm');
const dir = mkdtempSync(join(process.env.TMPDIR || tmpdir(), 'itsm-bench-attach-'));
const db = process.env.BENCH_DB || join(dir, 'itsm.db');
const cli = (...args) => {
  const r = spawnSync(BIN, ['--db', db, ...args], { encoding: 'utf8', input: 'bench-password-1\n' });
  if (r.status !== 0) throw new Error(`itsm ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
};
const pct = (a, p) => a.slice().sort((x, y) => x - y)[Math.min(a.length - 1, Math.floor(a.length * p))];
const size = (...files) => files.reduce((s, f) => { try { return s + statSync(f).size; } catch { return s; } }, 0);
const files = Array.from({ length: N }, () => randomBytes(MIB));

let srv;
try {
  cli('customer', 'add', 'acme');
  cli('user', 'add', 'bench', '--role', 'agent', '--password-stdin');
  const token = cli('token', 'create', 'bench', '--user', 'bench');
  srv = spawn(BIN, ['--db', db, 'serve', '--listen', '127.0.0.1:0'], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ITSM_LOG: 'warn' } });
  const url = await new Promise((ok, no) => {
    let out = '';
    srv.stdout.on('data', (d) => { out += d; const m = out.match(/listening on (http:\/\/[0-9.:]+)/); if (m) ok(m[1]); });
    srv.once('exit', (c) => no(new Error(`server exited ${c}`)));
  });
  const auth = { authorization: `Bearer ${token}` };
  const t = await (await fetch(`${url}/api/v1/tickets`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ kind: 'incident', title: 'bench', customer: 'acme' }) })).json();
  const before = size(db, `${db}-wal`);

  const put = async (bytes, i) => {
    const t0 = performance.now();
    const r = await fetch(`${url}/api/v1/tickets/${t.key}/attachments?filename=f${i}.bin`, { method: 'POST', headers: auth, body: bytes });
    if (r.status !== 201) throw new Error(`upload ${r.status} ${await r.text()}`);
    return { ms: performance.now() - t0, id: (await r.json()).id };
  };
  const up = [];
  let t0 = performance.now();
  for (let i = 0; i < N; i++) up.push(await put(files[i], i));
  const upS = (performance.now() - t0) / 1000;
  const grown = size(db, `${db}-wal`) - before;

  const again = [];
  t0 = performance.now();
  for (let i = 0; i < N; i++) again.push(await put(files[i], `${i}-again`));
  const againS = (performance.now() - t0) / 1000;

  const down = [];
  t0 = performance.now();
  for (const u of up) {
    const s = performance.now();
    const r = await fetch(`${url}/api/v1/attachments/${u.id}`, { headers: auth });
    if ((await r.arrayBuffer()).byteLength !== MIB) throw new Error('short download');
    down.push(performance.now() - s);
  }
  const downS = (performance.now() - t0) / 1000;

  // The directory side: the same bytes, written durably one by one.
  const fdir = join(dir, 'files');
  mkdirSync(fdir);
  const fs = [];
  t0 = performance.now();
  for (let i = 0; i < N; i++) {
    const s = performance.now();
    const tmp = join(fdir, `.f${i}.tmp`);
    const fd = openSync(tmp, 'w');
    writeSync(fd, files[i]);
    fsyncSync(fd);
    closeSync(fd);
    renameSync(tmp, join(fdir, `f${i}`));
    const dfd = openSync(fdir, 'r');
    fsyncSync(dfd);
    closeSync(dfd);
    fs.push(performance.now() - s);
  }
  const fsS = (performance.now() - t0) / 1000;

  const row = (what, n, s, ms) => console.log(`| ${what} | ${n} | ${(n / s).toFixed(1)} | ${(n / s).toFixed(1)} MiB/s | ${pct(ms, 0.5).toFixed(1)} | ${pct(ms, 0.99).toFixed(1)} |`);
  console.log(`# ${N} files of 1 MiB, one client, sequential; store: ${process.env.BENCH_DB ? 'PostgreSQL' : 'SQLite'}`);
  console.log('| what | files | files/s | throughput | p50 ms | p99 ms |');
  console.log('|---|---|---|---|---|---|');
  row('upload, new bytes (BLOB in the store, durable)', N, upS, up.map((u) => u.ms));
  row('upload, bytes stored already (one row, no BLOB)', N, againS, again.map((u) => u.ms));
  row('download (read from the store)', N, downS, down);
  row('directory: write + fsync + rename + fsync dir', N, fsS, fs);
  if (!process.env.BENCH_DB) console.log(`store grew by ${(grown / MIB).toFixed(1)} MiB for ${N} MiB of new bytes (db + wal)`);
} finally {
  if (srv) { srv.kill('SIGTERM'); await new Promise((r) => srv.once('exit', r)); }
  rmSync(dir, { recursive: true, force: true });
}
