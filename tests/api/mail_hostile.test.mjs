// mail_hostile.test.mjs — the bad input of issue 13 through the mail intake:
// a 50 MiB message, 10,000 parts, a header line of 1 MiB, an unknown
// charset, NUL bytes, and two itsm instances mailing each other. Each ends
// in a clear refusal with nothing stored, or in a recorded message (and at
// most one ticket) that nobody answers; the server keeps answering and the
// audit chain verifies after all of it (on PostgreSQL too, where a NUL in
// text would fail the write).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  makeStore, seed, startServer, client, cliOk, expectError, expectStatus, sql, stopClean,
} from './lib.mjs';

let store, srv, tokens, admin, gateway;

const deliver = (c, bytes) => c.post('/api/v1/mail/inbound', bytes, { 'content-type': 'message/rfc822' });
const count = (db, q) => Number(sql(db, q).trim());
const head = (id, subject, extra = '') => `From: alice@acme.example\r\nMessage-ID: <${id}@acme.example>\r\n`
  + `Subject: ${subject}\r\n${extra}`;

before(async () => {
  store = makeStore();
  tokens = seed(store.db);
  tokens.gateway = cliOk(store.db, ['token', 'create', 'mailgw', '--user', 'agent1', '--scope', 'events']);
  // The default mail.max_size (10 MiB) and no notifications.
  srv = await startServer(store.db, []);
  admin = client(srv.url, tokens.admin);
  gateway = client(srv.url, tokens.gateway);
  const u = expectStatus(await admin.get('/api/v1/users/alice'), 200);
  expectStatus(await admin.patch('/api/v1/users/alice', { version: u.version, email: 'alice@acme.example' }), 200);
});

after(async () => {
  await stopClean(srv);
  store.cleanup();
});

describe('hostile messages', () => {
  it('50 MiB: 413, nothing stored', async () => {
    const before = count(store.db, 'SELECT count(*) FROM mail_messages');
    const big = Buffer.concat([Buffer.from(head('huge', 'huge') + '\r\n'), Buffer.alloc(50 << 20, 'a')]);
    expectError(await deliver(gateway, big), 413, 'too_large');
    assert.equal(count(store.db, 'SELECT count(*) FROM mail_messages'), before);
  });

  it('10,000 parts: one ticket, the text its first part, its files capped at 32', async () => {
    const parts = [];
    for (let i = 0; i < 10000; i++) {
      parts.push(`--b\r\nContent-Type: text/plain; name="f${i}.txt"\r\n`
        + `Content-Disposition: attachment; filename="f${i}.txt"\r\n\r\npart ${i}\r\n`);
    }
    const msg = Buffer.from(head('parts', 'Ten thousand parts',
      'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b"\r\n')
      + '\r\n--b\r\nContent-Type: text/plain\r\n\r\nThe body.\r\n' + parts.join('') + '--b--\r\n');
    const r = expectStatus(await deliver(gateway, msg), 200);
    assert.equal(r.outcome, 'created');
    const t = expectStatus(await admin.get(`/api/v1/tickets/${r.ticket}`), 200);
    assert.equal(t.title, 'Ten thousand parts');
    assert.ok(t.description.startsWith('The body.') && Buffer.byteLength(t.description) <= 65536, t.description.slice(0, 80));
    const files = expectStatus(await admin.get(`/api/v1/tickets/${r.ticket}/attachments`), 200);
    const list = files.items ?? files;
    assert.equal(list.length, 32, 'the first 32 files, the rest not stored');
  });

  it('a 1 MiB header line: stored, the title cut to 200 bytes', async () => {
    const msg = Buffer.from(head('longhdr', 'x'.repeat(1 << 20)) + '\r\nLong subject.\r\n');
    const r = expectStatus(await deliver(gateway, msg), 200);
    assert.equal(r.outcome, 'created');
    const t = expectStatus(await admin.get(`/api/v1/tickets/${r.ticket}`), 200);
    assert.ok(Buffer.byteLength(t.title) <= 200 && t.title.startsWith('xxxx'), `${t.title.length} characters`);
  });

  it('an unknown charset: stored as valid UTF-8, the ASCII kept', async () => {
    const msg = Buffer.concat([Buffer.from(head('charset', 'Unknown charset',
      'MIME-Version: 1.0\r\nContent-Type: text/plain; charset=x-no-such-charset-42\r\n') + '\r\nPlain words \xff\xfe then more.\r\n', 'latin1')]);
    const r = expectStatus(await deliver(gateway, msg), 200);
    assert.equal(r.outcome, 'created');
    const t = expectStatus(await admin.get(`/api/v1/tickets/${r.ticket}`), 200);
    assert.match(t.description, /^Plain words .* then more\.$/);
    assert.ok(!t.description.includes('\u0000'));
  });

  it('NUL bytes in the subject and the body: stored, no NUL in the ticket', async () => {
    const msg = Buffer.from(head('nul', 'Before\u0000after') + '\r\nOne\u0000two\u0000three.\r\n', 'latin1');
    const r = expectStatus(await deliver(gateway, msg), 200);
    assert.equal(r.outcome, 'created');
    const t = expectStatus(await admin.get(`/api/v1/tickets/${r.ticket}`), 200);
    assert.ok(!t.title.includes('\u0000') && !t.description.includes('\u0000'));
    // In the header a NUL reads as a space (GMime would end the value at
    // it); in the text it is dropped.
    assert.equal(t.title, 'Before after');
    assert.equal(t.description, 'Onetwothree.');
  });

  it('the server still answers and the audit chain verifies', async () => {
    expectStatus(await admin.get('/api/v1/tickets?limit=1'), 200);
    cliOk(store.db, ['audit', 'verify']);
  });
});

describe('two itsm instances mailing each other', () => {
  it('a notification of one is ignored by the other: no ticket, nothing queued, no answer', async () => {
    // Instance A notifies through a mail command that keeps each message.
    const a = makeStore();
    const ta = seed(a.db);
    const fake = join(a.dir, 'fake-sendmail');
    writeFileSync(fake, `#!/bin/sh\ncat > '${a.dir}/sm.'$$'.eml'\n`);
    chmodSync(fake, 0o755);
    const conf = join(a.dir, 'itsm.conf');
    writeFileSync(conf, `[mail]\nsendmail = ${fake} -i -t\nfrom = desk@a.example\n`);
    const sa = await startServer(a.db, [], { ITSM_CONFIG: conf });
    try {
      const adminA = client(sa.url, ta.admin);
      // alice's address at A is B's intake address, as a loop would have it.
      const u = expectStatus(await adminA.get('/api/v1/users/alice'), 200);
      expectStatus(await adminA.patch('/api/v1/users/alice', { version: u.version, email: 'desk@b.example' }), 200);
      const t = expectStatus(await client(sa.url, ta.agent1).post('/api/v1/tickets', {
        kind: 'incident', title: 'Loop me', description: 'x', impact: 3, urgency: 3, requester: 'alice',
      }), 201);
      const sent = () => readdirSync(a.dir).filter((f) => /^sm\.\d+\.eml$/.test(f))
        .map((f) => readFileSync(join(a.dir, f)));
      for (let i = 0; i < 150 && !sent().some((m) => m.includes(`[${t.key}]`)); i++) {
        await new Promise((r) => setTimeout(r, 100));
      }
      const notice = sent().find((m) => m.includes(`[${t.key}]`));
      assert.ok(notice, 'A sent its notice');
      assert.match(notice.toString(), /^Auto-Submitted: auto-generated/mi);
      // B (this file's instance) takes it in: a robot's mail, recorded.
      const ticketsBefore = count(store.db, 'SELECT count(*) FROM tickets');
      const outboxBefore = count(store.db, 'SELECT count(*) FROM outbox');
      const r = expectStatus(await deliver(gateway, notice), 200);
      assert.equal(r.outcome, 'ignored');
      assert.equal(r.ticket ?? null, null);
      assert.equal(count(store.db, 'SELECT count(*) FROM tickets'), ticketsBefore);
      assert.equal(count(store.db, 'SELECT count(*) FROM outbox'), outboxBefore, 'B answers nothing');
      // And the same bytes back into A: ignored too (its own notice).
      const gwA = cliOk(a.db, ['token', 'create', 'mailgw', '--user', 'agent1', '--scope', 'events']);
      const back = expectStatus(await deliver(client(sa.url, gwA), notice), 200);
      assert.equal(back.outcome, 'ignored');
      const after = sent().length;
      await new Promise((r) => setTimeout(r, 1500));
      assert.equal(sent().length, after, 'A sent nothing more');
    } finally {
      await stopClean(sa);
      a.cleanup();
    }
  });
});
