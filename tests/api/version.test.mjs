// version.test.mjs — `itsm version` and `itsm --version`: the release from
// the Makefile's ITSM_VERSION, the commit, the schema of the store --db names
// (read, never created or migrated) against the newest embedded migration,
// and the libraries' versions as loaded.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { makeStore, cli, cliOk, schemaVersion, sql, BIN, ENGINE } from './lib.mjs';

const release = readFileSync('Makefile', 'utf8').match(/^ITSM_VERSION\s*:=\s*(\S+)/m)[1];
const latest = Math.max(...readdirSync('src/store/migrations')
  .filter((f) => /^\d+_.*\.sql$/.test(f)).map((f) => parseInt(f, 10)));
const LIBS = ['sqlite', 'libmicrohttpd', 'jansson', 'libsodium', 'libcurl'];

// Whether the store at db was created: the file on SQLite; on PostgreSQL
// (whose database the harness made, empty) the table of its schema version.
const created = (db) => (ENGINE === 'sqlite' ? existsSync(db)
  : sql(db, "SELECT to_regclass('itsm_schema') IS NOT NULL") === 't');

describe('itsm version', () => {
  const s = makeStore();
  after(() => s.cleanup());

  it('names the release, the commit and every library, and creates no store', () => {
    const out = cliOk(s.db, ['version']);
    const lines = out.split('\n');
    assert.match(lines[0], new RegExp(`^itsm ${release.replace(/\./g, '\\.')} \\(commit [0-9a-z-]+\\)$`));
    assert.match(out, new RegExp(`none there \\(this itsm creates schema ${latest}\\)`));
    for (const lib of LIBS) assert.match(out, new RegExp(`^${lib} \\d+\\.\\d+`, 'm'), lib);
    assert.equal(created(s.db), false, 'asking for the version created the store');
    assert.equal(cliOk(s.db, ['--version']), out, '--version says what version says');
  });

  it('reads the schema of an existing store: current, then older, never migrating it', () => {
    cliOk(s.db, ['customer', 'add', 'acme']);
    assert.match(cliOk(s.db, ['version']), new RegExp(`: schema ${latest} \\(current\\)`));
    schemaVersion(s.db, latest - 1);
    assert.match(cliOk(s.db, ['--version']),
      new RegExp(`: schema ${latest - 1} \\(older: itsm serve migrates it to ${latest}\\)`));
    assert.equal(schemaVersion(s.db), latest - 1, 'version migrated the store');
    schemaVersion(s.db, latest);
  });

  it('answers JSON with --json', () => {
    const j = JSON.parse(cliOk(s.db, ['--json', 'version']));
    assert.equal(j.version, release);
    assert.match(j.commit, /^([0-9a-f]{7,}(-dirty)?|unknown)$/);
    assert.deepEqual(j.store, { path: s.db, schema: latest, latest, state: 'current' });
    assert.deepEqual(Object.keys(j.libraries).sort(), [...LIBS].sort());
    for (const lib of LIBS) assert.match(j.libraries[lib], /^\d+\.\d+/);
    const none = JSON.parse(cliOk(join(s.dir, 'absent.db'), ['version', '--json']));
    assert.equal(none.store, null);
    assert.equal(none.schema_latest, latest);
  });

  it('finds the store by the configuration\'s store.path unless --db or ITSM_DB names one', () => {
    const conf = join(s.dir, 'itsm.conf');
    writeFileSync(conf, `[store]\npath = ${s.db}\n`);
    const r = spawnSync(BIN, ['--config', conf, 'version'], { encoding: 'utf8', env: { ...process.env, ITSM_DB: '' } });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`store ${s.db.replace(/[.]/g, '\\.')}: schema ${latest} \\(current\\)`));
    const other = join(s.dir, 'other.db');
    assert.match(cliOk(other, ['--config', conf, 'version']), /store .*other\.db: none there/);
  });

  it('refuses a file that is not a store, and leaves it as it was', () => {
    const bad = join(s.dir, 'notes.txt');
    writeFileSync(bad, 'not a database\n');
    const r = cli(bad, ['version']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^itsm: cannot read the schema of '.*notes\.txt': file is not a database\n$/);
    assert.equal(readFileSync(bad, 'utf8'), 'not a database\n');
  });
});
