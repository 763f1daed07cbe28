// backup.test.mjs — backups of a running store and restores into a stopped
// one (docs/operations.md):
//  - a backup taken while clients keep creating tickets is one committed
//    state: it restores, `audit verify` passes on the restored store, and
//    every ticket whose 201 came back before the backup started is in it;
//  - a backup never overwrites a file unless --force;
//  - a restore is refused while a server holds the store, and refused for
//    a backup that does not verify, leaving the store as it was;
//  - the server's scheduled backups ([backup] directory, interval, keep)
//    appear in the directory and only the newest `keep` stay; an admin's
//    POST /api/v1/admin/backup writes into the same directory.
// Backups are copies of a SQLite store's file, restored into its path: on
// PostgreSQL those describes are skipped, saying why (the cluster's own
// tools back it up). The [backup] options are checked on both engines.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  BIN, makeStore, seed, startServer, client, cli, cliAsync, cliOk, expectError, expectStatus,
  createTicket, listAll, sql, stopClean, ENGINE,
} from './lib.mjs';

const CLIENTS = 8;

// Why a describe of SQLite files does not run on PostgreSQL, or false.
const FILES_ONLY = ENGINE !== 'sqlite'
  && 'itsm backup and restore copy a SQLite store file; a PostgreSQL store is backed up with the cluster\'s tools (pg_dump, pg_basebackup)';

// `itsm backup` prints "backup FILE: N tickets, M audit records, audit head H".
function parseBackup(stdout) {
  const m = stdout.match(/: (\d+) tickets, (\d+) audit records, audit head ([0-9a-f]{64})/);
  assert.ok(m, stdout);
  return { tickets: Number(m[1]), records: Number(m[2]), head: m[3] };
}

function auditVerify(db) {
  const r = cli(db, ['--json', 'audit', 'verify']);
  assert.equal(r.status, 0, `audit verify of ${db}: ${r.stdout}${r.stderr}`);
  return JSON.parse(r.stdout);
}

describe('a backup under a write load, restored', { skip: FILES_ONLY }, () => {
  let store, srv, tokens;
  before(async () => {
    store = makeStore();
    tokens = seed(store.db);
    srv = await startServer(store.db);
  });
  after(async () => {
    if (srv) await srv.stop();
    store?.cleanup();
  });

  it('holds every ticket acknowledged before it began, and verifies after a restore', async () => {
    const agent = client(srv.url, tokens.agent1);
    const acked = [];
    let stop = false;
    async function loop(id) {
      for (let n = 0; !stop; n++) {
        const t = await createTicket(agent, { title: `load ${id}-${n}` });
        acked.push(t.key);
      }
    }
    const loops = Array.from({ length: CLIENTS }, (_, i) => loop(i));
    while (acked.length < 150) await new Promise((r) => setTimeout(r, 10));

    // The backup runs in another process while the creates go on.
    const before = [...acked];
    const file = join(store.dir, 'under-load.db');
    const backup = await cliAsync(store.db, ['backup', file]);
    const during = acked.length - before.length;
    if (process.env.ITSM_TEST_LOG) console.log(`creates acknowledged while the backup ran: ${during}`);
    while (acked.length < before.length + during + 50) await new Promise((r) => setTimeout(r, 10));
    stop = true;
    await Promise.all(loops);
    assert.equal(backup.status, 0, backup.stderr);
    const got = parseBackup(backup.stdout);
    assert.ok(got.tickets >= before.length, `${got.tickets} tickets in the backup, ${before.length} acknowledged before`);
    assert.ok(got.tickets < acked.length, 'the creates after the backup are not in it');
    assert.ok(existsSync(file) && !existsSync(`${file}.tmp`));

    // no overwrite without --force
    const again = cli(store.db, ['backup', file]);
    assert.equal(again.status, 1);
    assert.match(again.stderr, /exists \(--force replaces it\)/);

    await stopClean(srv);
    srv = null;
    const r = cli(store.db, ['restore', file]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^restored .*: \d+ tickets/);
    const kept = r.stdout.match(/the replaced store is kept as (.+)$/m)[1];
    assert.ok(existsSync(kept), kept);
    // the kept store is the one the load wrote, whole
    assert.equal(Number(sql(kept, 'SELECT count(*) FROM tickets')), acked.length);

    const v = auditVerify(store.db);
    assert.equal(v.ok, true);
    assert.equal(v.head, got.head);
    assert.equal(v.records, got.records);

    srv = await startServer(store.db);
    const restored = new Set((await listAll(client(srv.url, tokens.admin), '/api/v1/tickets?limit=500')).map((t) => t.key));
    assert.equal(restored.size, got.tickets);
    const missing = before.filter((k) => !restored.has(k));
    assert.deepEqual(missing, [], `${missing.length} tickets acknowledged before the backup are missing`);
  });
});

describe('restore refuses', { skip: FILES_ONLY }, () => {
  let store, srv, file;
  before(async () => {
    store = makeStore();
    seed(store.db);
    cliOk(store.db, ['ticket', 'create', '--kind', 'incident', '--title', 'kept', '--impact', '2', '--urgency', '2']);
    file = join(store.dir, 'good.db');
    cliOk(store.db, ['backup', file]);
    cliOk(store.db, ['ticket', 'create', '--kind', 'incident', '--title', 'after the backup', '--impact', '2', '--urgency', '2']);
  });
  after(async () => {
    if (srv) await srv.stop();
    store?.cleanup();
  });

  it('while a server holds the store, and the store is left as it was', async () => {
    srv = await startServer(store.db);
    const before = auditVerify(store.db);
    const r = cli(store.db, ['restore', file]);
    assert.equal(r.status, 1, r.stdout);
    assert.match(r.stderr, /a server holds the store '.*' \(stop it before a restore\)/);
    assert.deepEqual(auditVerify(store.db), before);
    assert.deepEqual(readdirSync(store.dir).filter((f) => f.includes('before-restore') || f.includes('restore-tmp')), []);
    await stopClean(srv);
    srv = null;
  });

  it('a backup whose rows do not match its audit chain, and the store is left as it was', () => {
    const bad = join(store.dir, 'tampered.db');
    copyFileSync(file, bad);
    sql(bad, "UPDATE tickets SET title = 'changed behind the chain'");
    const before = auditVerify(store.db);
    const r = cli(store.db, ['restore', bad]);
    assert.equal(r.status, 1, r.stdout);
    assert.match(r.stderr, /audit verify of '.*tampered\.db' failed/);
    assert.deepEqual(auditVerify(store.db), before);
    assert.deepEqual(readdirSync(store.dir).filter((f) => f.includes('before-restore') || f.includes('restore-tmp')), []);
  });

  it('a file that is not a store, or none', () => {
    const junk = join(store.dir, 'junk.db');
    writeFileSync(junk, 'not a database at all, but long enough to look like one maybe\n'.repeat(100));
    let r = cli(store.db, ['restore', junk]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /junk\.db' is not a store that opens/);
    r = cli(store.db, ['restore', join(store.dir, 'absent.db')]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /no backup '.*absent\.db'/);
  });
});

describe('scheduled backups and POST /api/v1/admin/backup', { skip: FILES_ONLY }, () => {
  let store, srv, tokens, dir;
  before(async () => {
    store = makeStore();
    tokens = seed(store.db);
    dir = join(store.dir, 'backups');
    mkdirSync(dir);
    // what a server killed in the middle of a backup left behind
    writeFileSync(join(dir, 'itsm-20200101T000000Z-00.db.tmp'), 'cut short');
    writeFileSync(join(dir, 'notes.tmp'), 'not ours');
    writeFileSync(join(store.dir, 'itsm.conf'), `[backup]\ndirectory = ${dir}\ninterval = 2s\nkeep = 2\n`);
    srv = await startServer(store.db, ['--config', join(store.dir, 'itsm.conf')], { ITSM_LOG: 'info' });
  });
  after(async () => {
    if (srv) await srv.stop();
    store?.cleanup();
  });

  const written = (log = srv.errors()) => [...log.matchAll(/msg="backup" file="?([^" ]+)/g)].map((m) => m[1]);
  const inDir = () => readdirSync(dir).filter((f) => /^itsm-\d{8}T\d{6}Z-\d\d\.db$/.test(f)).sort();

  it('an admin backs up into the configured directory, named by the server', async () => {
    const admin = client(srv.url, tokens.admin);
    await createTicket(client(srv.url, tokens.agent1));
    const b = expectStatus(await admin.post('/api/v1/admin/backup'), 201);
    assert.equal(b.tickets, 1);
    assert.ok(b.file.startsWith(`${dir}/itsm-`), b.file);
    assert.match(b.audit_head, /^[0-9a-f]{64}$/);
    expectError(await client(srv.url, tokens.manager1).post('/api/v1/admin/backup'), 403, 'forbidden');
  });

  it('writes a backup every interval and keeps the newest `keep`', async () => {
    const deadline = Date.now() + 30000;
    while (written().length < 4 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    await stopClean(srv);
    const all = written(srv.errors());
    srv = null;
    assert.ok(all.length >= 4, `backups logged: ${all.join(', ')}`);
    const kept = inDir();
    assert.equal(kept.length, 2, `in the directory: ${kept.join(', ')}`);
    assert.deepEqual(kept.map((f) => join(dir, f)), all.slice(-2), 'the newest two are kept');
    for (const f of kept) assert.equal(auditVerify(join(dir, f)).ok, true);
    assert.ok(!existsSync(join(dir, 'itsm-20200101T000000Z-00.db.tmp')), 'an unfinished backup was left');
    assert.ok(existsSync(join(dir, 'notes.tmp')), 'a file not a backup\'s was removed');
  });
});

describe('[backup] options serve refuses', () => {
  for (const [conf, message] of [
    ['[backup]\ndirectory = /nonexistent/backups\n', /backup.directory '\/nonexistent\/backups' is not a directory/],
    ['[backup]\ninterval = soon\n', /cannot read backup.interval 'soon'/],
  ]) {
    it(conf.trim().replace('\n', ' '), () => {
      const store = makeStore();
      try {
        writeFileSync(join(store.dir, 'itsm.conf'), conf);
        const r = spawnSync(BIN, ['--db', store.db, 'serve', '--listen', '127.0.0.1:0', '--config', join(store.dir, 'itsm.conf')],
          { encoding: 'utf8', timeout: 30000, env: { ...process.env, ITSM_LOG: 'error' } });
        assert.equal(r.status, 1, r.stdout + r.stderr);
        assert.match(r.stderr, message);
      } finally {
        store.cleanup();
      }
    });
  }
});
