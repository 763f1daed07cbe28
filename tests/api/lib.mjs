// lib.mjs — the harness every black-box API test shares: a fresh store (a
// SQLite file in a temporary directory, or a PostgreSQL database of its
// own), the itsm CLI run against it, a real server on a free port, and a
// small JSON client. ITSM_BIN names the binary under test (make test points
// it at the sanitizer build).
//
// ITSM_TEST_ENGINE picks the storage engine: sqlite (the default) or
// postgresql, which needs ITSM_TEST_PG, the base URI of a cluster that
// scripts/pg-test.sh started (postgresql://postgres@127.0.0.1:PORT/). Each
// store is then a database itsm_t_<hex> made on that cluster and dropped by
// cleanup(). An engine that is asked for and not there is an error, never a
// skip.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const BIN = process.env.ITSM_BIN || resolve('build/itsm');

export const ENGINE = process.env.ITSM_TEST_ENGINE || 'sqlite';
if (ENGINE !== 'sqlite' && ENGINE !== 'postgresql') {
  throw new Error(`ITSM_TEST_ENGINE is '${ENGINE}': it is sqlite or postgresql`);
}
const PG_BASE = process.env.ITSM_TEST_PG || '';
if (ENGINE === 'postgresql' && !/^postgres(ql)?:\/\/[^?]*\/(\?.*)?$/.test(PG_BASE)) {
  throw new Error(`ITSM_TEST_ENGINE=postgresql needs ITSM_TEST_PG, a base URI ending in '/' `
    + `(sh scripts/pg-test.sh start DIR prints one); it is '${PG_BASE}'`);
}

// Whether db names a PostgreSQL database rather than a SQLite file.
const isPg = (db) => /^postgres(ql)?:\/\//.test(db);

// The URI of database name on the cluster of base (a base URI, or any
// database's URI there): the path is replaced, a query string kept.
function pgUri(base, name) {
  const m = base.match(/^(postgres(?:ql)?:\/\/[^/?]*)(?:\/[^?]*)?(\?.*)?$/);
  if (!m) throw new Error(`not a PostgreSQL URI: ${base}`);
  return `${m[1]}/${name}${m[2] ?? ''}`;
}

// Run SQL on the cluster's maintenance database (CREATE/DROP DATABASE).
function pgAdmin(base, query) {
  const r = spawnSync('psql', ['-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', '-d', pgUri(base, 'postgres'), '-c', query],
    { encoding: 'utf8' });
  if (r.error) throw new Error(`psql: ${r.error.message} (apt-get install postgresql-client)`);
  if (r.status !== 0) throw new Error(`psql ${query} exited ${r.status}: ${r.stderr}`);
}

// A PostgreSQL database of the test's own: empty, or a copy of the
// database at template (whose clients must all have gone).
function pgDatabase(template) {
  const name = `itsm_t_${randomBytes(8).toString('hex')}`;
  const base = template ?? PG_BASE;
  pgAdmin(base, template ? `CREATE DATABASE ${name} TEMPLATE ${pgName(template)}` : `CREATE DATABASE ${name}`);
  return { db: pgUri(base, name), drop: () => pgAdmin(base, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

// The database a URI made here names (itsm_t_<hex>: safe as an identifier).
function pgName(uri) {
  const m = uri.match(/^postgres(?:ql)?:\/\/[^/?]*\/(itsm_t_[0-9a-f]+)(?:\?.*)?$/);
  if (!m) throw new Error(`not a test database: ${uri}`);
  return m[1];
}

// A store of the engine under test, with a directory of its own for the
// files a test writes beside it. Call cleanup() when done. On SQLite, db is
// the file dir/itsm.db; on PostgreSQL, the URI of a fresh database.
export function makeStore() {
  const dir = mkdtempSync(join(tmpdir(), 'itsm-test-'));
  if (ENGINE === 'sqlite') {
    return { dir, db: join(dir, 'itsm.db'), engine: ENGINE,
      cleanup: () => rmSync(dir, { recursive: true, force: true }) };
  }
  let pg;
  try {
    pg = pgDatabase();
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  return { dir, db: pg.db, engine: ENGINE,
    cleanup: () => { try { pg.drop(); } finally { rmSync(dir, { recursive: true, force: true }); } } };
}

// A copy of the store at db (no server may have it open), to change
// behind the server's back: a store like makeStore's, its own cleanup().
export function copyStore(db) {
  const dir = mkdtempSync(join(tmpdir(), 'itsm-copy-'));
  if (!isPg(db)) {
    const copy = join(dir, 'itsm.db');
    for (const suffix of ['', '-wal', '-shm']) {
      if (existsSync(db + suffix)) copyFileSync(db + suffix, copy + suffix);
    }
    return { dir, db: copy, engine: 'sqlite', cleanup: () => rmSync(dir, { recursive: true, force: true }) };
  }
  const pg = pgDatabase(db);
  return { dir, db: pg.db, engine: 'postgresql',
    cleanup: () => { try { pg.drop(); } finally { rmSync(dir, { recursive: true, force: true }); } } };
}

// Run the CLI against db: returns { status, stdout, stderr }.
export function cli(db, args, { input, env } = {}) {
  const r = spawnSync(BIN, ['--db', db, ...args], {
    input, encoding: 'utf8', env: { ...process.env, ITSM_LOG: 'error', ...env },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

// Run the CLI without blocking the event loop (so a test can keep HTTP load
// going meanwhile): resolves to { status, stdout, stderr }.
export function cliAsync(db, args, { input, env } = {}) {
  return new Promise((resolvePromise) => {
    const p = spawn(BIN, ['--db', db, ...args], { env: { ...process.env, ITSM_LOG: 'error', ...env } });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => { stdout += d; });
    p.stderr.on('data', (d) => { stderr += d; });
    p.on('close', (status) => resolvePromise({ status, stdout, stderr }));
    p.stdin.end(input ?? '');
  });
}

// Run the CLI and fail loudly unless it exits 0; returns stdout trimmed.
export function cliOk(db, args, opts) {
  const r = cli(db, args, opts);
  if (r.status !== 0) throw new Error(`itsm ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r.stdout.trim();
}

// Start `itsm serve` on a free port. Resolves to { url, proc, stop(), kill() }.
export function startServer(db, extraArgs = [], env = {}) {
  return new Promise((resolvePromise, reject) => {
    const proc = spawn(BIN, ['--db', db, 'serve', '--listen', '127.0.0.1:0', ...extraArgs], {
      env: { ...process.env, ITSM_LOG: process.env.ITSM_TEST_LOG || 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let errText = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}${errText}`)), 60000);
    proc.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/[0-9.:]+)/);
      if (m) {
        clearTimeout(timer);
        const url = m[1];
        const exited = new Promise((r) => proc.once('exit', (code, sig) => r({ code, sig })));
        resolvePromise({
          url, proc, output: () => out, errors: () => errText,
          stop: async () => { proc.kill('SIGTERM'); return exited; },
          kill: async () => { proc.kill('SIGKILL'); return exited; },
        });
      }
    });
    proc.stderr.on('data', (d) => { errText += d; if (process.env.ITSM_TEST_LOG) process.stderr.write(d); });
    proc.once('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited ${code}: ${out}${errText}`)); });
  });
}

// A JSON client bound to a base URL and a bearer token.
export function client(url, token) {
  async function req(method, path, body, headers = {}) {
    const h = { ...headers };
    if (token) h.authorization = `Bearer ${token}`;
    let payload;
    if (body !== undefined) {
      if (typeof body === 'string' || body instanceof Uint8Array) payload = body;
      else payload = JSON.stringify(body);
      if (!('content-type' in h)) h['content-type'] = 'application/json';
    }
    const res = await fetch(url + path, { method, headers: h, body: payload });
    const text = await res.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
    return { status: res.status, json, text, headers: res.headers };
  }
  return {
    get: (p, h) => req('GET', p, undefined, h),
    post: (p, b, h) => req('POST', p, b, h),
    patch: (p, b, h) => req('PATCH', p, b, h),
    put: (p, b, h) => req('PUT', p, b, h),
    del: (p, h) => req('DELETE', p, undefined, h),
    req,
  };
}

// The usual cast: customers acme and globex, an admin, an agent, a manager,
// and a requester for each customer, each with an API token.
export function seed(db) {
  cliOk(db, ['customer', 'add', 'acme', '--name', 'Acme Manufacturing']);
  cliOk(db, ['customer', 'add', 'globex', '--name', 'Globex Logistics']);
  const users = [
    ['admin', 'admin'], ['agent1', 'agent'], ['manager1', 'manager'], ['operator1', 'operator'],
    ['alice', 'requester', 'acme'], ['dave', 'requester', 'globex'],
  ];
  const tokens = {};
  for (const [name, role, customer] of users) {
    const args = ['user', 'add', name, '--role', role, '--password-stdin'];
    if (customer) args.push('--customer', customer);
    cliOk(db, args, { input: 'correct-horse-battery\n' });
    tokens[name] = cliOk(db, ['token', 'create', 'test', '--user', name]);
  }
  return tokens;
}

// ---- helpers shared by the foundation's API tests ----

// Assert that res is the API's error shape with this status, code and
// (when given; null means "no field") field.
export function expectError(res, status, code, field) {
  const where = `${res.status} ${res.text}`;
  if (res.status !== status) throw new Error(`expected ${status} ${code}, got ${where}`);
  if (!res.json || typeof res.json.error !== 'object') throw new Error(`no error object: ${where}`);
  if (res.json.error.code !== code) throw new Error(`expected code ${code}, got ${where}`);
  if (typeof res.json.error.message !== 'string' || !res.json.error.message) {
    throw new Error(`error without a message: ${where}`);
  }
  if (field !== undefined && (res.json.error.field ?? null) !== field) {
    throw new Error(`expected field ${field}, got ${where}`);
  }
  return res.json.error;
}

// The ticket fields API.md defines. Responses may carry more (the SLA module
// adds a time-dependent "sla"), so "nothing changed" compares these only.
export const TICKET_FIELDS = ['id', 'key', 'kind', 'title', 'description', 'impact', 'urgency',
  'priority', 'status', 'requester', 'assignee', 'customer', 'service', 'channel', 'created_at',
  'updated_at', 'resolved_at', 'closed_at', 'version'];

export function ticketCore(t) {
  return Object.fromEntries(TICKET_FIELDS.map((f) => [f, t?.[f]]));
}

// Assert two ticket representations agree on every field API.md defines.
export function assertSameTicket(actual, expected, message) {
  const a = ticketCore(actual);
  const e = ticketCore(expected);
  for (const f of TICKET_FIELDS) {
    if (a[f] !== e[f]) {
      throw new Error(`${message ? `${message}: ` : ''}${e.key} field ${f} is ${JSON.stringify(a[f])}, expected ${JSON.stringify(e[f])}`);
    }
  }
}

// Assert a 2xx-style status; returns the parsed JSON body.
export function expectStatus(res, status) {
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status} ${res.text}`);
  return res.json;
}

// A valid ticket body, with overrides.
export function ticketBody(overrides = {}) {
  return { kind: 'incident', title: 'Printer on floor 2 is jammed', description: 'Paper tray 3',
    impact: 2, urgency: 2, ...overrides };
}

// Create a ticket through the API and return it (throws unless 201).
export async function createTicket(c, overrides = {}) {
  return expectStatus(await c.post('/api/v1/tickets', ticketBody(overrides)), 201);
}

// Every item of a paginated list, following next_cursor.
export async function listAll(c, path) {
  const items = [];
  const sep = path.includes('?') ? '&' : '?';
  let cursor = null;
  for (let page = 0; page < 10000; page++) {
    const res = expectStatus(await c.get(cursor ? `${path}${sep}cursor=${encodeURIComponent(cursor)}` : path), 200);
    items.push(...res.items);
    cursor = res.next_cursor;
    if (!cursor) return items;
  }
  throw new Error('pagination did not end');
}

// Run SQL against a store behind the server's back: with Debian's sqlite3
// on a file (waiting up to 5 s for a running server's lock), psql on a
// PostgreSQL URI. Returns { status, stdout, stderr }; rows come one a line,
// columns split by '|' (both shells' default).
export function sqlRun(db, query) {
  const r = isPg(db)
    ? spawnSync('psql', ['-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', '-d', db, '-c', query], { encoding: 'utf8' })
    : spawnSync('sqlite3', ['-cmd', '.timeout 5000', db, query], { encoding: 'utf8' });
  if (r.error) throw new Error(`${isPg(db) ? 'psql' : 'sqlite3'}: ${r.error.message}`);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

// sqlRun that fails unless the query succeeded; returns stdout trimmed.
export function sql(db, query) {
  const r = sqlRun(db, query);
  if (r.status !== 0) throw new Error(`${isPg(db) ? 'psql' : 'sqlite3'} ${query} exited ${r.status}: ${r.stderr}`);
  return r.stdout.trim();
}

// Everything the store holds, as SQL text (sqlite3's .dump, pg_dump; no
// server may be writing): two dumps are equal when nothing changed.
export function dumpStore(db) {
  const r = isPg(db)
    ? spawnSync('pg_dump', ['--no-owner', '--no-privileges', '-d', db], { encoding: 'utf8', maxBuffer: 1 << 28 })
    : spawnSync('sqlite3', [db, '.dump'], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.error || r.status !== 0) throw new Error(`dumping ${db}: ${r.error?.message ?? r.stderr}`);
  // pg_dump 15.14 and later guard the script with a \restrict key drawn
  // anew each time: not the store's content.
  return isPg(db) ? r.stdout.replace(/^\\(un)?restrict .*\n/gm, '') : r.stdout;
}

// The store's schema version, set to version first when one is given:
// PRAGMA user_version on SQLite, the one row of itsm_schema on PostgreSQL.
export function schemaVersion(db, version) {
  if (version !== undefined) {
    if (!Number.isInteger(version)) throw new Error(`schemaVersion: ${version} is not an integer`);
    sql(db, isPg(db) ? `UPDATE itsm_schema SET version = ${version}` : `PRAGMA user_version = ${version}`);
  }
  return Number(sql(db, isPg(db) ? 'SELECT version FROM itsm_schema' : 'PRAGMA user_version'));
}

// Stop a server started by startServer and fail unless it exited cleanly
// (a sanitizer build exits non-zero when it found a leak or an error).
export async function stopClean(srv) {
  const { code, sig } = await srv.stop();
  if (code !== 0) throw new Error(`server exited code=${code} signal=${sig}: ${srv.errors().slice(-4000)}`);
}

// Parse CSV (RFC 4180: a quoted field may hold commas, "" for a quote and
// line ends; a record ends at LF or CRLF) into an array of records, each an
// array of strings. Written apart from the server's reader, so a test can
// hold one against the other. Throws on a quote that does not end.
export function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch !== '"') field += ch;
      else if (text[i + 1] === '"') { field += '"'; i++; } else quoted = false;
    } else if (ch === '"' && field === '') {
      quoted = true;
    } else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || (ch === '\r' && text[i + 1] === '\n')) {
      if (ch === '\r') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else {
      field += ch;
    }
  }
  if (quoted) throw new Error('parseCsv: a quoted field does not end');
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

// The man pages and the bash completion made from BIN's tables into dir, as
// `make man completion` makes them (scripts/man.mjs, scdoc,
// scripts/completion.mjs). Returns { doc (the JSON), page1, page5,
// completion } (paths).
export function generateDocs(dir) {
  const run = (cmd, args, input) => {
    const r = spawnSync(cmd, args, { input, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    return r.stdout;
  };
  const root = resolve(new URL('../..', import.meta.url).pathname);
  const json = join(dir, 'commands.json');
  writeFileSync(json, run(BIN, ['help', '--commands-json']));
  const page = (src, name) => {
    const scd = run('node', [join(root, 'scripts/man.mjs'), join(root, 'man', src), json]);
    writeFileSync(join(dir, name), run('scdoc', [], scd));
    return join(dir, name);
  };
  const completion = join(dir, 'itsm.bash');
  writeFileSync(completion, run('node', [join(root, 'scripts/completion.mjs'), json]));
  return { doc: JSON.parse(readFileSync(json, 'utf8')), page1: page('itsm.1.scd', 'itsm.1'),
    page5: page('itsm.5.scd', 'itsm.conf.5'), completion, json };
}
