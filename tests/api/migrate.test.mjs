// migrate.test.mjs — moving a store between engines (`itsm migrate --from
// --to`), and what a store refuses at open: a schema newer than the binary
// knows, and (PostgreSQL) a server that would acknowledge a commit before it
// is durable. On the SQLite run the copies go file to file; on the
// PostgreSQL run they go SQLite → PostgreSQL → SQLite.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeStore, cli, cliOk, seed, schemaVersion, sql, sqlRun, startServer, client,
  createTicket, stopClean, ENGINE } from './lib.mjs';

const latest = Math.max(...readdirSync('src/store/migrations')
  .filter((f) => /^\d+_.*\.sql$/.test(f)).map((f) => parseInt(f, 10)));

// What a copy must carry over: every ticket with its comments, the users,
// the CMDB, and the audit chain's head (so every record and hash).
function inventory(db) {
  const j = (args) => JSON.parse(cliOk(db, ['--json', ...args]));
  const tickets = j(['ticket', 'list', '--limit', '200']).items;
  return {
    tickets: tickets.map((t) => [t.key, t.title, t.status, t.priority, t.version]),
    comments: tickets.map((t) => j(['ticket', 'show', t.key]).comments.map((c) => c.body)),
    users: j(['user', 'list']).items.map((u) => [u.username, u.role, u.version]),
    cis: j(['ci', 'list']).items.map((c) => [c.key, c.type, c.version]),
    problems: j(['problem', 'list']).items.map((p) => {
      const full = j(['problem', 'show', p.key]);
      return [p.key, p.status, p.version, full.items, full.incidents.map((i) => i.key)];
    }),
    head: cliOk(db, ['audit', 'verify']).match(/head ([0-9a-f]{64})/)[1],
  };
}

// A SQLite store file, whatever the engine under test.
function fileStore() {
  const dir = mkdtempSync(join(tmpdir(), 'itsm-migrate-'));
  return { dir, db: join(dir, 'itsm.db'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

describe('itsm migrate', () => {
  const src = makeStore(); // the engine under test
  const lite = fileStore();
  const back = fileStore();
  after(() => { src.cleanup(); lite.cleanup(); back.cleanup(); });

  it('copies every record and the audit chain, which verifies on the copy, and back', async () => {
    const tokens = seed(src.db);
    const srv = await startServer(src.db);
    const c = client(srv.url, tokens.agent1);
    const keys = [];
    for (let i = 0; i < 12; i++) {
      const t = await createTicket(c, { title: `copied ${i} — 日本語` });
      keys.push(t.key);
      await c.post(`/api/v1/tickets/${t.key}/comments`, { body: `note ${i}`, public: i % 2 === 0 });
    }
    cliOk(src.db, ['ci', 'add', 'web1', '--name', 'Web 1', '--type', 'server']);
    cliOk(src.db, ['problem', 'add', '--title', 'Copied problem', '--item', 'web1', '--incident', keys.slice(0, 2).join(',')]);
    cliOk(src.db, ['problem', 'update', 'PRB-1', '--status', 'investigating']);
    cliOk(src.db, ['service', 'add', 'shop', '--name', 'Shop']);
    cliOk(src.db, ['acceptance', 'add', '--title', 'Copied acceptance', '--service', 'shop', '--items', 'web1']);
    cliOk(src.db, ['acceptance', 'evidence', 'ACC-1', '--criterion', 'capacity', '--note', 'copied note']);
    await stopClean(srv);
    const before = inventory(src.db);

    // The engine under test into a SQLite file, and that file back into a
    // fresh store of the engine under test (PostgreSQL: a new database).
    const dst = makeStore();
    try {
      const out = cliOk('', ['migrate', '--from', src.db, '--to', lite.db]);
      assert.match(out, /^copied tickets +12 rows$/m);
      assert.match(out, new RegExp(`audit head ${before.head}`), 'the copy ends on the same head');
      const out2 = cliOk('', ['migrate', '--from', lite.db, '--to', dst.db]);
      assert.match(out2, new RegExp(`audit head ${before.head}`));
      assert.deepEqual(inventory(lite.db), before, 'the SQLite copy holds what the source held');
      assert.deepEqual(inventory(dst.db), before, 'the copy of the copy holds it too');
      // The copy takes writes: its id generators were moved past the copied rows.
      const more = JSON.parse(cliOk(dst.db, ['--json', 'ticket', 'create', '--kind', 'inquiry',
        '--title', 'after the copy', '--customer', 'acme']));
      assert.match(more.key, /^INQ-\d+$/);
      assert.match(cliOk(dst.db, ['problem', 'add', '--title', 'after the copy', '--incident', keys[5]]), /^added problem PRB-2$/);
      const acc = JSON.parse(cliOk(dst.db, ['--json', 'acceptance', 'show', 'ACC-1']));
      assert.equal(acc.criteria.find((x) => x.code === 'capacity').notes[0].note, 'copied note');
      assert.match(cliOk(dst.db, ['acceptance', 'add', '--title', 'after the copy', '--service', 'shop']),
        /^added acceptance ACC-2$/);
      assert.match(cliOk(dst.db, ['audit', 'verify']), /^ok: \d+ records verify/);
    } finally {
      dst.cleanup();
    }
  });

  it('refuses a destination that holds records, a source that is not there, and itself', () => {
    let r = cli('', ['migrate', '--from', src.db, '--to', lite.db]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^itsm: the destination holds records already \(\d+ in users\)/m);
    r = cli('', ['migrate', '--from', join(back.dir, 'absent.db'), '--to', back.db]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /no store at '.*absent\.db'/);
    r = cli('', ['migrate', '--from', lite.db, '--to', lite.db]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /not copied into itself/);
    r = cli('', ['migrate', '--from', lite.db]);
    assert.equal(r.status, 2, 'without --to: bad usage');
    assert.match(r.stderr, /usage: itsm migrate --from STORE --to STORE/);
  });
});

describe('backups of a PostgreSQL store', { skip: ENGINE !== 'postgresql' && 'the SQLite file is copied: backup.test.mjs' }, () => {
  const s = makeStore();
  after(() => s.cleanup());

  it('are PostgreSQL\'s own: itsm backup and restore say so and touch nothing', () => {
    cliOk(s.db, ['customer', 'add', 'acme']);
    const file = join(s.dir, 'copy.db');
    for (const args of [['backup', file], ['restore', file]]) {
      const r = cli(s.db, args);
      assert.equal(r.status, 1, args[0]);
      assert.match(r.stderr, /backed up and restored with PostgreSQL's tools \(pg_dump, pg_basebackup\), or copied with itsm migrate/);
    }
    assert.deepEqual(readdirSync(s.dir), [], 'nothing written beside the store');
    assert.match(cliOk(s.db, ['customer', 'list']), /acme/);
  });
});

describe('a store refuses to open', () => {
  const s = makeStore();
  after(() => s.cleanup());

  it('when its schema is newer than this itsm knows, naming both numbers', () => {
    cliOk(s.db, ['customer', 'add', 'acme']);
    schemaVersion(s.db, latest + 1);
    const r = cli(s.db, ['customer', 'list']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, new RegExp(`the store's schema is ${latest + 1}, newer than this itsm knows \\(${latest}\\)`));
    schemaVersion(s.db, latest);
    assert.match(cliOk(s.db, ['customer', 'list']), /acme/);
  });

  it('on a PostgreSQL server that acknowledges commits before they are durable',
    { skip: ENGINE !== 'postgresql' && 'synchronous_commit is a PostgreSQL setting' }, () => {
      const name = s.db.replace(/^.*\//, '').replace(/\?.*$/, '');
      sqlRun(s.db, `ALTER DATABASE ${name} SET synchronous_commit = off`);
      try {
        const r = cli(s.db, ['customer', 'list']);
        assert.equal(r.status, 1);
        assert.match(r.stderr, /synchronous_commit=off: an acknowledged write could be lost/);
      } finally {
        sqlRun(s.db, `ALTER DATABASE ${name} RESET synchronous_commit`);
      }
      assert.equal(sql(s.db, 'SHOW synchronous_commit'), 'on');
      assert.match(cliOk(s.db, ['customer', 'list']), /acme/);
    });
});
