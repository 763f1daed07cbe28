// audit.test.mjs — the tamper-evident audit log: it verifies after ordinary
// activity (API and CLI), and after the database is edited behind the
// server's back (sqlite3, psql) it reports ok:false and the first bad record,
// and `itsm audit verify` exits 1. The log refuses UPDATE and DELETE while
// its guard stands; signed checkpoints kept outside the store catch a chain
// cut together with its head. (tests/unit/domain/platform/audit_mutation.c
// tries a thousand tamperings of every kind.)
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  makeStore, copyStore, seed, startServer, client, cli, expectError, expectStatus, createTicket, listAll,
  sql, sqlRun, stopClean, ENGINE,
} from './lib.mjs';

let store, srv, tokens, admin;
// What the chain holds once the activity below is done.
let records = [];
let incOne, incTwo, internalNote;
const copies = [];

// The last audit record that recorded entity's state.
const lastSeqOf = (entity) => Math.max(...records.filter((r) => r.entity === entity).map((r) => r.seq));

before(async () => {
  store = makeStore();
  tokens = seed(store.db);
  srv = await startServer(store.db);
  admin = client(srv.url, tokens.admin);
  const agent = client(srv.url, tokens.agent1);
  const alice = client(srv.url, tokens.alice);

  // Ordinary activity: creates, updates, a lifecycle, comments of both kinds.
  incOne = await createTicket(agent, { customer: 'acme', title: 'Projector dead' });
  incTwo = await createTicket(agent, { customer: 'globex', title: 'Forklift terminal' });
  await createTicket(alice, { kind: 'request', title: 'A second monitor' });
  let t = expectStatus(await agent.patch(`/api/v1/tickets/${incOne.key}`, { version: 1, assignee: 'agent1' }), 200);
  t = expectStatus(await agent.patch(`/api/v1/tickets/${incOne.key}`, { version: t.version, status: 'in_progress' }), 200);
  expectStatus(await agent.post(`/api/v1/tickets/${incOne.key}/comments`, { body: 'Bulb ordered' }), 201);
  internalNote = expectStatus(await agent.post(`/api/v1/tickets/${incOne.key}/comments`, { body: 'Third bulb this month', public: false }), 201);
  expectStatus(await alice.post(`/api/v1/tickets/${incOne.key}/comments`, { body: 'Thanks' }), 201);
  expectStatus(await agent.patch(`/api/v1/tickets/${incTwo.key}`, { version: 1, title: 'Forklift terminal frozen' }), 200);
  // Accounts and tokens changed after they were made (docs/platform.md): a
  // user's role and groups, disabled with a console session open (ended),
  // enabled, their password reset; a token with an expiry, one revoked.
  let u = expectStatus(await admin.post('/api/v1/users', { username: 'kato', role: 'agent', password: 'correct-horse-battery' }), 201);
  const signIn = await fetch(`${srv.url}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'kato', password: 'correct-horse-battery' }) });
  assert.equal(signIn.status, 201);
  u = expectStatus(await admin.patch('/api/v1/users/kato', { version: u.version, role: 'operator', groups: 'network' }), 200);
  u = expectStatus(await admin.patch('/api/v1/users/kato', { version: u.version, active: false }), 200);
  u = expectStatus(await admin.patch('/api/v1/users/kato', { version: u.version, active: true }), 200);
  expectStatus(await admin.post('/api/v1/users/kato/password', {}), 200);
  expectStatus(await admin.post('/api/v1/tokens', { name: 'ci', user: 'kato', expires_in: '30d' }), 201);
  const revoked = expectStatus(await admin.post('/api/v1/tokens', { name: 'old', user: 'kato' }), 201);
  expectStatus(await admin.del(`/api/v1/tokens/${revoked.id}`), 200);
  records = await listAll(admin, '/api/v1/audit?limit=500');
});

after(async () => {
  if (srv) await stopClean(srv);
  for (const c of copies) c.cleanup();
  store?.cleanup();
});

// A copy of the stopped store (or of from) to tamper with, so each case
// starts clean. Whoever holds the database can drop the log's append-only
// guard first, and does (guard: true keeps it).
const DROP_GUARD = ENGINE === 'sqlite'
  ? 'DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete'
  : 'DROP TRIGGER audit_log_no_update ON audit_log; DROP TRIGGER audit_log_no_delete ON audit_log';
function tamperedCopy(query, { guard = false, from = store.db } = {}) {
  const copy = copyStore(from);
  copies.push(copy);
  if (!guard) sql(copy.db, DROP_GUARD);
  if (query) sql(copy.db, query);
  return copy.db;
}

// The CLI and the API on a tampered store both report the first bad record.
async function expectBroken(db, firstBad) {
  const text = cli(db, ['audit', 'verify']);
  assert.equal(text.status, 1, `audit verify should exit 1: ${text.stdout}${text.stderr}`);
  assert.match(text.stdout, new RegExp(`first bad record ${firstBad}\\b`));

  const json = cli(db, ['--json', 'audit', 'verify']);
  assert.equal(json.status, 1, json.stderr);
  const res = JSON.parse(json.stdout);
  assert.equal(res.ok, false);
  assert.equal(res.first_bad, firstBad, json.stdout);

  const s = await startServer(db);
  try {
    const api = expectStatus(await client(s.url, tokens.admin).get('/api/v1/audit/verify'), 200);
    assert.equal(api.ok, false);
    assert.equal(api.first_bad, firstBad, JSON.stringify(api));
  } finally {
    await stopClean(s);
  }
  return res;
}

describe('after ordinary activity the chain verifies', () => {
  it('records account and token changes with the state after them', () => {
    const of = (entity) => records.filter((r) => r.entity === entity).map((r) => r.action);
    assert.deepEqual(of('user:kato'), ['user.add', 'user.update', 'user.disable', 'user.enable', 'user.password']);
    assert.ok(records.some((r) => r.action === 'session.end'), 'the disabled user\'s session ended on record');
    assert.ok(records.some((r) => r.action === 'token.revoke'), 'the revocation is on record');
  });

  it('GET /api/v1/audit/verify is ok with every record and a head hash', async () => {
    const res = expectStatus(await admin.get('/api/v1/audit/verify'), 200);
    assert.equal(res.ok, true, JSON.stringify(res));
    assert.equal(res.first_bad, null);
    assert.equal(res.records, records.length);
    assert.match(res.head, /^[0-9a-f]{64}$/);
    assert.equal(res.head, records.at(-1).hash);
  });

  it('every write left a record, in sequence', async () => {
    assert.deepEqual(records.map((r) => r.seq), records.map((_, i) => i + 1));
    const actions = records.map((r) => r.action);
    assert.equal(actions.filter((a) => a === 'ticket.create').length, 3);
    assert.equal(actions.filter((a) => a === 'ticket.update').length, 3);
    assert.equal(actions.filter((a) => a === 'ticket.comment').length, 3);
    const create = records.find((r) => r.entity === `ticket:${incOne.key}`);
    assert.equal(create.actor, 'agent1');
  });

  it('refused requests leave no record', async () => {
    const agent = client(srv.url, tokens.agent1);
    expectError(await agent.patch(`/api/v1/tickets/${incTwo.key}`, { version: 1, title: 'stale' }), 409, 'conflict');
    expectError(await agent.post('/api/v1/tickets', { kind: 'nope', title: 'x', impact: 1, urgency: 1 }), 400, 'invalid', 'kind');
    const res = expectStatus(await admin.get('/api/v1/audit/verify'), 200);
    assert.equal(res.records, records.length);
  });

  it('`itsm audit verify` exits 0 while the server runs', () => {
    const r = cli(store.db, ['audit', 'verify']);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^ok: \d+ records verify/);
    const j = cli(store.db, ['--json', 'audit', 'verify']);
    assert.equal(j.status, 0, j.stderr);
    assert.deepEqual(JSON.parse(j.stdout), { ok: true, records: records.length, head: records.at(-1).hash, first_bad: null });
  });

  it('only admins may verify', async () => {
    expectError(await client(srv.url, tokens.manager1).get('/api/v1/audit/verify'), 403, 'forbidden');
    expectError(await client(srv.url, tokens.alice).get('/api/v1/audit/verify'), 403, 'forbidden');
    expectError(await client(srv.url).get('/api/v1/audit/verify'), 401, 'unauthenticated');
  });
});

describe('verifying while the server takes writes', () => {
  // The chain, its head and the stored records are read in one snapshot, so
  // a write landing in between does not look like tampering.
  it('reports ok, not a false alarm', async () => {
    const agent = client(srv.url, tokens.agent1);
    const targets = await Promise.all(Array.from({ length: 8 }, () => createTicket(agent, { title: 'busy' })));
    let stop = false;
    const loops = targets.map(async (t) => {
      let version = t.version;
      while (!stop) {
        const res = await agent.patch(`/api/v1/tickets/${t.key}`, { version, description: `v${version}` });
        if (res.status === 200) version = res.json.version;
      }
    });
    const alarms = [];
    try {
      for (let i = 0; i < 20; i++) {
        const res = expectStatus(await admin.get('/api/v1/audit/verify'), 200);
        if (!res.ok) alarms.push(res.reason);
      }
    } finally {
      stop = true;
      await Promise.all(loops);
    }
    assert.deepEqual(alarms, []);
  });
});

describe('editing the database behind the server\'s back is detected', () => {
  before(async () => {
    records = await listAll(admin, '/api/v1/audit?limit=500');
    await stopClean(srv);
    srv = null;
    const r = cli(store.db, ['audit', 'verify']);
    assert.equal(r.status, 0, 'the untouched store verifies after the server stopped');
  });

  it('a ticket\'s title changed: first_bad is the record that last audited it', async () => {
    const db = tamperedCopy(`UPDATE tickets SET title='x' WHERE key='${incOne.key}'`);
    assert.equal(sql(db, `SELECT title FROM tickets WHERE key='${incOne.key}'`), 'x');
    await expectBroken(db, lastSeqOf(`ticket:${incOne.key}`));
  });

  it('a user\'s role raised: first_bad is the record that last audited the user', async () => {
    const db = tamperedCopy("UPDATE users SET role='admin' WHERE username='alice'");
    await expectBroken(db, lastSeqOf('user:alice'));
  });

  it('a customer renamed', async () => {
    const db = tamperedCopy("UPDATE customers SET name='Evil Corp' WHERE key='globex'");
    await expectBroken(db, lastSeqOf('customer:globex'));
  });

  it('a ticket\'s status changed', async () => {
    const db = tamperedCopy(`UPDATE tickets SET status='closed' WHERE key='${incTwo.key}'`);
    await expectBroken(db, lastSeqOf(`ticket:${incTwo.key}`));
  });

  it('an audit record deleted: first_bad is its sequence number', async () => {
    const db = tamperedCopy('DELETE FROM audit_log WHERE seq=3');
    await expectBroken(db, 3);
  });

  it('the newest audit record deleted', async () => {
    const last = records.at(-1).seq;
    const db = tamperedCopy(`DELETE FROM audit_log WHERE seq=${last}`);
    await expectBroken(db, last);
  });

  it('two audit records swapped: first_bad is the earlier one', async () => {
    const db = tamperedCopy(`
      CREATE TEMP TABLE a AS SELECT * FROM audit_log WHERE seq IN (4, 5);
      UPDATE audit_log SET (at, actor, action, entity, change, prev_hash, hash) =
        (SELECT at, actor, action, entity, change, prev_hash, hash FROM a
          WHERE a.seq = CASE audit_log.seq WHEN 4 THEN 5 ELSE 4 END)
        WHERE seq IN (4, 5);`);
    assert.equal(sql(db, 'SELECT entity FROM audit_log WHERE seq=4'), records[4].entity);
    await expectBroken(db, 4);
  });

  it('an audit record\'s change rewritten', async () => {
    const r = records.find((x) => x.action === 'ticket.create');
    const db = tamperedCopy(`UPDATE audit_log SET change=replace(change, 'agent1', 'admin') WHERE seq=${r.seq}`);
    await expectBroken(db, r.seq);
  });

  it('an internal note made public', async () => {
    const db = tamperedCopy(`UPDATE comments SET public=1 WHERE id=${internalNote.id}`);
    await expectBroken(db, lastSeqOf(`comment:${internalNote.id}`));
  });

  it('a ticket deleted', async () => {
    const db = tamperedCopy(`DELETE FROM ticket_history WHERE ticket_id=${incTwo.id};
      DELETE FROM tickets WHERE key='${incTwo.key}'`);
    await expectBroken(db, lastSeqOf(`ticket:${incTwo.key}`));
  });

  it('a ticket slipped in that no record covers', async () => {
    const db = tamperedCopy(`
      CREATE TEMP TABLE t AS SELECT * FROM tickets WHERE key='${incOne.key}';
      UPDATE t SET id=9999, key='INC-9999';
      INSERT INTO tickets SELECT * FROM t;`);
    await expectBroken(db, records.length + 1);
  });

  it('a field history row rewritten: first_bad is the record that last audited its ticket', async () => {
    const db = tamperedCopy(`UPDATE ticket_history SET new_value='closed'
      WHERE id = (SELECT max(id) FROM ticket_history WHERE ticket_id=${incOne.id})`);
    await expectBroken(db, lastSeqOf(`ticket:${incOne.key}`));
  });

  it('a field history row deleted', async () => {
    const db = tamperedCopy(`DELETE FROM ticket_history
      WHERE id = (SELECT min(id) FROM ticket_history WHERE ticket_id=${incTwo.id})`);
    await expectBroken(db, lastSeqOf(`ticket:${incTwo.key}`));
  });
});

describe('the audit log refuses UPDATE and DELETE', () => {
  // The server above has stopped (the describe before this one stops it).
  for (const query of ["UPDATE audit_log SET actor='mallory' WHERE seq=2", 'DELETE FROM audit_log WHERE seq=3',
    'DELETE FROM audit_log']) {
    it(`the database's own shell cannot: ${query}`, () => {
      const db = tamperedCopy(null, { guard: true });
      const r = sqlRun(db, query);
      assert.notEqual(r.status, 0, `${query} should fail`);
      assert.match(r.stderr, /append-only/);
      const v = cli(db, ['audit', 'verify']);
      assert.equal(v.status, 0, v.stdout + v.stderr);
      assert.match(v.stdout, new RegExp(`^ok: ${records.length} records verify`));
    });
  }
});

describe('signed checkpoints anchor the chain outside the store', () => {
  let dir, key, pub, cps;
  // The chain cut by its last two records, the head beside it set to match:
  // the store alone cannot tell.
  const hex = ENGINE === 'sqlite' ? 'lower(hex(hash))' : "encode(hash, 'hex')";
  const cut = () => {
    const n = records.length;
    return tamperedCopy(`DELETE FROM audit_log WHERE seq > ${n - 2};
      UPDATE meta SET value = (SELECT seq || ':' || ${hex} FROM audit_log WHERE seq = ${n - 2})
        WHERE key = 'audit_head';`);
  };

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'itsm-anchor-'));
    copies.push({ cleanup: () => rmSync(dir, { recursive: true, force: true }) });
    key = join(dir, 'audit.key');
    cps = join(dir, 'checkpoints.jsonl');
  });

  it('`itsm audit keygen FILE` writes a key only its owner reads and prints the public key', () => {
    const r = cli(store.db, ['audit', 'keygen', key]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^[0-9a-f]{64}\n$/);
    pub = r.stdout.trim();
    assert.equal(statSync(key).mode & 0o777, 0o600);
    assert.ok(!readFileSync(key, 'utf8').includes(store.db));
    assert.equal(cli(store.db, ['audit', 'pubkey', key]).stdout.trim(), pub);
    const again = cli(store.db, ['audit', 'keygen', key]);
    assert.equal(again.status, 1);
    assert.match(again.stderr, /exists: it is never overwritten/);
  });

  it('`itsm audit checkpoint` signs the head of a chain that verifies, and appends it', () => {
    const r = cli(store.db, ['audit', 'checkpoint', '--key', key, '--out', cps]);
    assert.equal(r.status, 0, r.stderr);
    const line = JSON.parse(r.stdout);
    assert.equal(line.seq, records.length);
    assert.equal(line.head, records.at(-1).hash);
    assert.match(line.sig, /^[0-9a-f]{128}$/);
    assert.deepEqual(readFileSync(cps, 'utf8').trim().split('\n').map((l) => JSON.parse(l)), [line]);
    const v = cli(store.db, ['--json', 'audit', 'verify', '--checkpoint', cps, '--public-key', pub]);
    assert.equal(v.status, 0, v.stdout + v.stderr);
    assert.equal(JSON.parse(v.stdout).checkpoints, 1);
  });

  it('a chain cut together with its head is held against the checkpoint', () => {
    const r = cli(cut(), ['--json', 'audit', 'verify', '--checkpoint', cps, '--public-key', pub]);
    assert.equal(r.status, 1, r.stdout);
    const res = JSON.parse(r.stdout);
    assert.equal(res.ok, false);
    assert.equal(res.first_bad, records.length - 1);
    assert.match(res.reason, /the chain ends at record \d+ but the checkpoint of .* holds record/);
  });

  it('a checkpoint forged or signed by another key is refused, naming its line', () => {
    const other = join(dir, 'other.key');
    cli(store.db, ['audit', 'keygen', other]);
    const r = cli(store.db, ['audit', 'verify', '--checkpoint', cps, '--public-key', other]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /checkpoint line 1: signed by key [0-9a-f]{16}, not by the key given/);
    const forged = join(dir, 'forged.jsonl');
    writeFileSync(forged, readFileSync(cps, 'utf8').replace(/"seq":(\d+)/, (_, n) => `"seq":${Number(n) - 2}`));
    const f = cli(cut(), ['audit', 'verify', '--checkpoint', forged, '--public-key', pub]);
    assert.equal(f.status, 1);
    assert.match(f.stderr, /checkpoint line 1: the signature does not verify/);
    const bad = cli(store.db, ['audit', 'verify', '--checkpoint', cps]);
    assert.equal(bad.status, 2, 'a checkpoint file needs the public key to check it with');
  });

  it('the server writes checkpoints on its own, on demand, and verifies against them', async () => {
    const db = tamperedCopy(null, { guard: true });
    // A copy as of now: what an attacker would put back later to undo
    // what follows (chain, head and records all consistent).
    const rewound = tamperedCopy(null, { guard: true, from: db });
    const conf = join(dir, 'itsm.conf');
    const served = join(dir, 'served.jsonl');
    writeFileSync(conf, `[audit]\nkey_file = ${key}\ncheckpoint_file = ${served}\ncheckpoint_interval = 3600\n`);
    const s = await startServer(db, ['--config', conf]);
    try {
      const api = client(s.url, tokens.admin);
      // One at start: the chain as the server found it.
      const first = readFileSync(served, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
      assert.deepEqual(first.map((c) => c.seq), [records.length]);
      await createTicket(client(s.url, tokens.agent1), { title: 'after the checkpoint' });
      const made = expectStatus(await api.post('/api/v1/audit/checkpoints'), 201);
      assert.equal(made.seq, records.length + 1);
      expectError(await client(s.url, tokens.manager1).post('/api/v1/audit/checkpoints'), 403, 'forbidden');
      const v = expectStatus(await api.get('/api/v1/audit/verify?checkpoints=true'), 200);
      assert.equal(v.ok, true, JSON.stringify(v));
      assert.equal(v.checkpoints, 2);
      expectError(await api.get('/api/v1/audit/verify?checkpoints=maybe'), 400, 'invalid', 'checkpoints');
      // A write after the last checkpoint: the server signs it as it stops.
      await createTicket(client(s.url, tokens.agent1), { title: 'before the stop' });
    } finally {
      await stopClean(s);
    }
    const lines = readFileSync(served, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(lines.map((c) => c.seq), [records.length, records.length + 1, records.length + 2]);
    const r = cli(db, ['audit', 'verify', '--checkpoint', served, '--public-key', pub]);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /, 3 checkpoints held/);

    // The store put back as it was: it verifies alone, not against what the
    // server signed meanwhile.
    assert.equal(cli(rewound, ['audit', 'verify']).status, 0, 'alone, the rewound store verifies');
    const back = cli(rewound, ['--json', 'audit', 'verify', '--checkpoint', served, '--public-key', pub]);
    assert.equal(back.status, 1, back.stdout);
    assert.equal(JSON.parse(back.stdout).first_bad, records.length + 1);
  });

  it('a server without a key refuses to make or use checkpoints', async () => {
    const s = await startServer(tamperedCopy(null, { guard: true }));
    try {
      const api = client(s.url, tokens.admin);
      expectError(await api.post('/api/v1/audit/checkpoints'), 409, 'conflict');
      expectError(await api.get('/api/v1/audit/verify?checkpoints=true'), 409, 'conflict', 'checkpoints');
    } finally {
      await stopClean(s);
    }
  });
});
