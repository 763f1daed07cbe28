// mail.test.mjs — e-mail in end to end, with real messages as fixtures
// (tests/api/fixtures/mail/): POST /api/v1/mail/inbound and `itsm mail
// receive` make tickets and comments of them, in the charsets and transfer
// encodings Japanese mail uses; replies thread by In-Reply-To and by the
// [KEY] tag; a Message-ID is stored once; robots are ignored; another
// customer's sender, an unknown sender and a malformed message are refused
// and nothing of them reaches a ticket; the raw message is kept for staff;
// the exit statuses an MTA reads (0, 65, 75).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  makeStore, copyStore, seed, startServer, client, cli, cliAsync, cliOk, expectError, expectStatus, listAll, sql,
  sqlRun, stopClean, ENGINE,
} from './lib.mjs';

const FIXTURES = join(import.meta.dirname, 'fixtures', 'mail');
const fixture = (name) => readFileSync(join(FIXTURES, name));

let store, srv, tokens, admin, agent, alice, dave, gateway, conf;

// Post one raw message as a forwarding mail server would.
const deliver = (c, bytes, query = '') =>
  c.post(`/api/v1/mail/inbound${query}`, bytes, { 'content-type': 'message/rfc822' });
const count = (table) => Number(sql(store.db, `SELECT count(*) FROM ${table}`).trim());

before(async () => {
  store = makeStore();
  tokens = seed(store.db);
  // The gateway: a staff member's integration token, as events intake uses.
  tokens.gateway = cliOk(store.db, ['token', 'create', 'mailgw', '--user', 'agent1', '--scope', 'events']);
  conf = join(store.dir, 'itsm.conf');
  // 4096 bytes: the oversize test needs no 10 MiB body.
  writeFileSync(conf, '[mail]\nmax_size = 4096\nqueue_kinds = facilities=request,desk=inquiry\n'
    + 'customer_domains = globex.example=globex\n');
  srv = await startServer(store.db, [], { ITSM_CONFIG: conf });
  admin = client(srv.url, tokens.admin);
  agent = client(srv.url, tokens.agent1);
  alice = client(srv.url, tokens.alice);
  dave = client(srv.url, tokens.dave);
  gateway = client(srv.url, tokens.gateway);
  for (const [name, email] of [['alice', 'Alice@ACME.example'], ['dave', 'dave@globex.example']]) {
    const u = expectStatus(await admin.get(`/api/v1/users/${name}`), 200);
    expectStatus(await admin.patch(`/api/v1/users/${name}`, { version: u.version, email }), 200);
  }
});

after(async () => {
  await stopClean(srv);
  store.cleanup();
});

// The tickets the messages open, by fixture, filled as they arrive.
const opened = {};

describe('new messages become tickets, in every charset and encoding', () => {
  // [fixture, title, description] — decoded by hand from the bytes the
  // fixtures hold (see the script in docs/mail.md, "Fixtures").
  const cases = [
    // ISO-2022-JP subject (RFC 2047 B) and 7-bit body; the body holds ①
    // (JIS row 13, a CP932 extension the ISO-2022-JP label does not allow).
    ['iso2022jp.eml', 'プリンターが動きません', 'おはようございます。\n３階のプリンターが動きません。\n① 至急'],
    // Shift_JIS 8-bit body (ソ and 表 hold a backslash byte 0x5C) and subject.
    ['shift_jis.eml', '会議室の予約', '会議室Ａの予約をお願いします。ソフト表示'],
    // UTF-8 quoted-printable, soft line breaks joined; a Q encoded word.
    ['quoted_printable.eml', 'Café Wi-Fi is down',
      'The Wi-Fi in the café stopped at 10:15 — nobody can connect.\nA very long line that a mailer must '
      + 'fold with soft breaks because it is longer than seventy-six characters in all.'],
    // EUC-JP in base64.
    ['base64_eucjp.eml', 'ログイン不可', '経費精算システムにログインできません。'],
    // multipart/alternative with HTML only: no title, style or script
    // content; &nbsp; &quot; &amp; &lt; &gt; &#160; &#x3001; decoded.
    ['html_only.eml', 'VPN drops',
      'Hello desk,\n\nThe VPN says "access denied" & drops <every> 5 minutes.\nTokyo office、3F.\n\nThanks'],
    // text/plain preferred over text/html.
    ['alternative.eml', 'Both parts', 'The plain part.'],
  ];
  for (const [name, title, description] of cases) {
    it(`${name}: 200, a ticket of alice's with the text as UTF-8`, async () => {
      const r = expectStatus(await deliver(gateway, fixture(name)), 200);
      assert.equal(r.outcome, 'created');
      assert.equal(r.duplicate, false);
      assert.match(r.ticket, /^INC-\d+$/);
      opened[name] = r.ticket;
      const t = expectStatus(await alice.get(`/api/v1/tickets/${r.ticket}`), 200);
      assert.equal(t.title, title);
      assert.equal(t.description, description);
      assert.equal(t.kind, 'incident');
      assert.equal(t.channel, 'email');
      assert.equal(t.requester, 'alice');
      assert.equal(t.customer, 'acme');
      assert.doesNotMatch(t.description, /alert|color:red|ignored title/);
    });
  }

  it('an ISO-2022-JP subject holding ① (a CP932 extension) and a UTF-8 character split over two words', async () => {
    // GyRCLSEbKEI= is ESC $ B 2D 21 ESC ( B: ① at JIS row 13. =E6=9C + =88 is 月.
    const raw = 'From: alice@acme.example\r\nSubject: =?ISO-2022-JP?B?GyRCLSEbKEI=?= =?UTF-8?Q?=E6=9C?=\r\n'
      + ' =?UTF-8?Q?=88?= report\r\nMessage-ID: <subj-cp932@acme.example>\r\n\r\nSee subject.\r\n';
    const r = expectStatus(await deliver(gateway, raw), 200);
    const t = expectStatus(await agent.get(`/api/v1/tickets/${r.ticket}`), 200);
    assert.equal(t.title, '①月 report');
  });

  it('a queue configured in mail.queue_kinds opens its kind of ticket', async () => {
    const raw = Buffer.from(fixture('quoted_printable.eml').toString('latin1')
      .replace('<qp-0001@acme.example>', '<qp-queue@acme.example>'), 'latin1');
    const r = expectStatus(await deliver(gateway, raw, '?queue=facilities'), 200);
    const t = expectStatus(await agent.get(`/api/v1/tickets/${r.ticket}`), 200);
    assert.equal(t.kind, 'request');
    expectError(await deliver(gateway, raw, '?queue=bad%20name'), 400, 'invalid', 'queue');
  });
});

describe('replies become comments on their ticket', () => {
  it('In-Reply-To naming a stored message: a public comment by the sender', async () => {
    const before = expectStatus(await agent.get(`/api/v1/tickets/${opened['iso2022jp.eml']}/comments`), 200);
    const r = expectStatus(await deliver(gateway, fixture('reply_in_reply_to.eml')), 200);
    assert.equal(r.outcome, 'commented');
    assert.equal(r.ticket, opened['iso2022jp.eml']);
    const after = expectStatus(await alice.get(`/api/v1/tickets/${r.ticket}/comments`), 200);
    const items = after.items ?? after;
    assert.equal(items.length, (before.items ?? before).length + 1);
    const c = items.at(-1);
    assert.equal(c.author, 'alice');
    assert.equal(c.public, true);
    assert.equal(c.body, 'Toner replaced, it works now.\n\n> おはようございます。');
  });

  it('the [KEY] tag of the subject', async () => {
    const key = opened['alternative.eml'];
    const raw = Buffer.from(fixture('reply_tag.eml').toString('utf8').replace('{{KEY}}', key));
    const r = expectStatus(await deliver(gateway, raw), 200);
    assert.equal(r.outcome, 'commented');
    assert.equal(r.ticket, key);
  });

  it("the ticket's messages, for whoever may see the ticket", async () => {
    const key = opened['iso2022jp.eml'];
    const list = expectStatus(await alice.get(`/api/v1/tickets/${key}/mail`), 200);
    assert.deepEqual(list.items.map((m) => [m.message_id, m.outcome, m.from, m.sender]), [
      ['jp-0001@acme.example', 'created', 'alice@acme.example', 'alice'],
      ['jp-0002@acme.example', 'commented', 'alice@acme.example', 'alice'],
    ]);
    assert.equal(list.items[0].subject, 'プリンターが動きません');
    assert.equal(list.next_cursor, null);
    expectError(await dave.get(`/api/v1/tickets/${key}/mail`), 404, 'not_found');
    expectError(await agent.get('/api/v1/tickets/INC-9999/mail'), 404, 'not_found');
  });
});

describe('exactly once, robots, refusals', () => {
  it('the same Message-ID again is a duplicate: 200, nothing new', async () => {
    const tickets = count('tickets');
    const mails = count('mail_messages');
    const r = expectStatus(await deliver(gateway, fixture('duplicate.eml')), 200);
    assert.equal(r.outcome, 'duplicate');
    assert.equal(r.duplicate, true);
    assert.equal(r.ticket, opened['alternative.eml']);
    // The very same bytes again, too.
    expectStatus(await deliver(gateway, fixture('alternative.eml')), 200);
    assert.equal(count('tickets'), tickets);
    assert.equal(count('mail_messages'), mails);
  });

  it('a message without a Message-ID is keyed by its bytes: the same bytes again are a duplicate', async () => {
    const raw = 'From: alice@acme.example\r\nSubject: No Message-ID\r\n\r\nSent by a script.\r\n';
    const first = expectStatus(await deliver(gateway, raw), 200);
    assert.equal(first.outcome, 'created');
    const again = expectStatus(await deliver(gateway, raw), 200);
    assert.equal(again.outcome, 'duplicate');
    assert.equal(again.id, first.id);
    assert.match(sql(store.db, `SELECT message_id FROM mail_messages WHERE id = ${first.id}`).trim(), /^sha256:[0-9a-f]{64}$/);
  });

  for (const [name, why] of [['auto_reply.eml', /Auto-Submitted/], ['bounce.eml', /delivery status/]]) {
    it(`${name}: stored as ignored, never a ticket or a comment`, async () => {
      const tickets = count('tickets');
      const comments = count('comments');
      const r = expectStatus(await deliver(gateway, fixture(name)), 200);
      assert.equal(r.outcome, 'ignored');
      assert.match(r.reason, why);
      assert.equal(r.ticket, null);
      assert.equal(count('tickets'), tickets);
      assert.equal(count('comments'), comments);
    });
  }

  it("another customer's sender answering a ticket: a new ticket of theirs, nothing on the other", async () => {
    const key = opened['iso2022jp.eml'];
    const comments = count('comments');
    const tickets = count('tickets');
    // dave (globex) answers by In-Reply-To a message on alice's (acme) ticket.
    const r = expectStatus(await deliver(gateway, fixture('other_customer_reply.eml')), 200);
    assert.equal(r.outcome, 'created');
    assert.notEqual(r.ticket, key);
    assert.equal(r.reason, `it answers ${key}, which the sender may not see: a new ticket`);
    assert.equal(count('comments'), comments);
    assert.equal(count('tickets'), tickets + 1);
    const t = expectStatus(await dave.get(`/api/v1/tickets/${r.ticket}`), 200);
    assert.equal(t.customer, 'globex');
    assert.equal(t.requester, 'dave');
    assert.equal(t.title, 'Re: printer');
    const row = sql(store.db, "SELECT outcome, CASE WHEN ticket_id IS NULL THEN 0 ELSE 1 END FROM mail_messages WHERE message_id = 'globex-0001@globex.example'").trim();
    assert.match(row, /^created\|1$/);
    // alice's ticket still holds only its own two messages.
    const list = expectStatus(await agent.get(`/api/v1/tickets/${key}/mail`), 200);
    assert.equal(list.items.length, 2);
  });

  it('a reply to a closed ticket: 403 naming the stored message, recorded as refused, no comment', async () => {
    const opened = expectStatus(await deliver(gateway, 'From: alice@acme.example\r\nSubject: Toner\r\n'
      + 'Message-ID: <toner-1@acme.example>\r\n\r\nOut of toner.\r\n'), 200);
    let t = expectStatus(await agent.get(`/api/v1/tickets/${opened.ticket}`), 200);
    for (const status of ['in_progress', 'resolved', 'closed']) {
      t = expectStatus(await agent.patch(`/api/v1/tickets/${t.key}`, { version: t.version, status }), 200);
    }
    const comments = count('comments');
    const e = expectError(await deliver(gateway, `From: alice@acme.example\r\nSubject: Re: [${t.key}] Toner\r\n`
      + 'Message-ID: <toner-2@acme.example>\r\n\r\nStill out.\r\n'), 403, 'forbidden');
    assert.match(e.message, /^refused \(mail \d+\): ticket INC-\d+ is closed: comments are closed$/);
    // The stored message's id: what tells a recorded refusal from a token
    // that may not deliver (also 403, below).
    assert.equal(e.mail, Number(e.message.match(/mail (\d+)/)[1]));
    assert.equal(count('comments'), comments);
    const row = sql(store.db, "SELECT outcome, COALESCE(ticket_id, 0) FROM mail_messages WHERE message_id = 'toner-2@acme.example'").trim();
    assert.match(row, /^refused\|0$/);
  });

  it('a key guessed into the subject, of a ticket that exists and of one that does not: the same new ticket, no comment', async () => {
    const key = opened['iso2022jp.eml'];
    const comments = count('comments');
    const answers = [];
    for (const [i, k] of [[1, key], [2, 'INC-99999']].entries()) {
      const raw = `From: dave@globex.example\r\nSubject: Re: [${k}] guessed\r\n`
        + `Message-ID: <guess-${i}@globex.example>\r\n\r\nLet me in.\r\n`;
      const r = expectStatus(await deliver(gateway, raw), 200);
      assert.equal(r.outcome, 'created');
      answers.push(r.reason.replace(k, 'KEY'));
    }
    // Nothing tells a ticket that exists from one that does not.
    assert.equal(answers[0], answers[1]);
    assert.equal(count('comments'), comments);
  });

  it("an address no user has, from a domain mail.customer_domains names: a ticket for that customer", async () => {
    const raw = 'From: Kenji Sato <kenji@GLOBEX.example>\r\nSubject: Forklift 3 beeps\r\n'
      + 'Message-ID: <kenji-1@globex.example>\r\n\r\nIt beeps twice.\r\n';
    const r = expectStatus(await deliver(gateway, raw), 200);
    assert.equal(r.outcome, 'created');
    const t = expectStatus(await dave.get(`/api/v1/tickets/${r.ticket}`), 200);
    assert.equal(t.customer, 'globex');
    assert.equal(t.requester, 'system'); // no user asked: the system opened it
    assert.equal(t.description, 'From: Kenji Sato <kenji@globex.example>\n\nIt beeps twice.');
    expectError(await alice.get(`/api/v1/tickets/${r.ticket}`), 404, 'not_found');
    // Only a user answers a ticket: a reply from such an address is refused.
    const reply = `From: kenji@globex.example\r\nSubject: Re: [${r.ticket}] Forklift 3 beeps\r\n`
      + 'Message-ID: <kenji-2@globex.example>\r\n\r\nStill beeping.\r\n';
    const comments = count('comments');
    const e = expectError(await deliver(gateway, reply), 403, 'forbidden');
    assert.match(e.message, /only users answer tickets by mail/);
    assert.equal(count('comments'), comments);
  });

  it('an unknown sender: 403, recorded, no ticket', async () => {
    const tickets = count('tickets');
    const e = expectError(await deliver(gateway, fixture('unknown_sender.eml')), 403, 'forbidden');
    assert.match(e.message, /no user has the sender's address/);
    assert.equal(count('tickets'), tickets);
  });

  it('a malformed message: 400 on "message", nothing stored', async () => {
    const mails = count('mail_messages');
    expectError(await deliver(gateway, fixture('malformed.eml')), 400, 'invalid', 'message');
    expectError(await deliver(gateway, 'From: nobody\r\nSubject: no address\r\n\r\nbody\r\n'),
      400, 'invalid', 'message');
    assert.equal(count('mail_messages'), mails);
  });

  it('a message over mail.max_size: 413, nothing stored', async () => {
    const mails = count('mail_messages');
    const big = Buffer.concat([fixture('alternative.eml'), Buffer.alloc(4097, 'x')]);
    expectError(await deliver(gateway, big), 413, 'too_large');
    assert.equal(count('mail_messages'), mails);
  });

  it('the content type is message/rfc822, and who may deliver', async () => {
    expectError(await gateway.post('/api/v1/mail/inbound', fixture('alternative.eml'),
      { 'content-type': 'text/plain' }), 415, 'unsupported_media_type');
    expectError(await deliver(gateway, ''), 400, 'invalid', 'message');
    // Not an integration token, not an admin: may not write as any sender.
    assert.equal(expectError(await deliver(agent, fixture('unknown_sender.eml')), 403, 'forbidden').mail, undefined);
    expectError(await deliver(alice, fixture('unknown_sender.eml')), 403, 'forbidden');
    expectError(await deliver(client(srv.url, null), fixture('unknown_sender.eml')), 401, 'unauthenticated');
    // An admin may.
    const raw = Buffer.from(fixture('alternative.eml').toString('utf8').replace('alt-0001', 'alt-admin'));
    expectStatus(await deliver(admin, raw), 200);
  });
});

describe('the raw message, for staff', () => {
  it('is kept byte for byte', async () => {
    const id = Number(sql(store.db, "SELECT id FROM mail_messages WHERE message_id = 'sjis-0001@acme.example'").trim());
    const res = await fetch(`${srv.url}/api/v1/mail/${id}/raw`, { headers: { authorization: `Bearer ${tokens.agent1}` } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'message/rfc822');
    assert.deepEqual(Buffer.from(await res.arrayBuffer()), fixture('shift_jis.eml'));
    expectError(await alice.get(`/api/v1/mail/${id}/raw`), 403, 'forbidden');
    expectError(await gateway.get(`/api/v1/mail/${id}/raw`), 403, 'forbidden');
    expectError(await agent.get('/api/v1/mail/99999/raw'), 404, 'not_found');
    expectError(await agent.get('/api/v1/mail/abc/raw'), 404, 'not_found');
  });
});

describe('itsm mail receive: the exit statuses an MTA reads', () => {
  const receive = (name, bytes, db = store.db, args = []) =>
    cli(db, ['mail', 'receive', ...args], { input: bytes ?? fixture(name), env: { ITSM_CONFIG: conf } });

  it('0 and the ticket for a new message; 0 "duplicate" for the same again', () => {
    const raw = Buffer.from(fixture('quoted_printable.eml').toString('latin1')
      .replace('<qp-0001@acme.example>', '<qp-cli@acme.example>'), 'latin1');
    let r = receive(null, raw);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^created \d+ INC-\d+\n$/);
    r = receive(null, raw);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^duplicate \d+\n$/);
  });

  it('0 for a robot (ignored: never bounced, which could loop)', () => {
    const raw = Buffer.from(fixture('auto_reply.eml').toString('utf8').replace('ooo-0001', 'ooo-cli'));
    const r = receive(null, raw);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^ignored \d+\n$/);
  });

  it('65 with the reason on stderr for a message it refuses; 0 and a new ticket for a reply to a ticket the sender may not see', () => {
    let r = receive('malformed.eml');
    assert.equal(r.status, 65);
    assert.match(r.stderr, /not an RFC 5322 message/);
    const raw = Buffer.from(fixture('unknown_sender.eml').toString('utf8').replace('stranger-0001', 'stranger-cli'));
    r = receive(null, raw);
    assert.equal(r.status, 65);
    assert.match(r.stderr, /refused: no user has the sender's address/);
    r = receive(null, Buffer.concat([fixture('alternative.eml'), Buffer.alloc(4097, 'x')]));
    assert.equal(r.status, 65);
    assert.match(r.stderr, /4096/);
    // Another customer's sender answering alice's ticket: a new ticket of
    // theirs, exit 0, nothing on alice's.
    const comments = count('comments');
    const reply = Buffer.from(fixture('other_customer_reply.eml').toString('utf8').replace('globex-0001', 'globex-cli'));
    r = receive(null, reply);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^created \d+ INC-\d+$/m);
    assert.equal(count('comments'), comments);
    assert.equal(sql(store.db, "SELECT outcome FROM mail_messages WHERE message_id = 'globex-cli@globex.example'").trim(), 'created');
  });

  it('75 when the store cannot be opened (the MTA keeps the message and retries)', () => {
    let r = receive('alternative.eml', undefined, join(store.dir, 'no-such-dir', 'sub', 'itsm.db'));
    assert.equal(r.status, 75, r.stderr);
    assert.match(r.stderr, /^itsm: /);
    // A PostgreSQL server out of reach (port 1 on loopback: refused at once).
    r = receive('alternative.eml', undefined, 'postgresql://postgres@127.0.0.1:1/itsm?connect_timeout=2');
    assert.equal(r.status, 75, r.stderr);
  });

  it('75 when the store stays locked by another writer (SQLite: after its 10 s busy wait)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'itsm-mail-lock-'));
    const db = join(dir, 'itsm.db');
    try {
      cliOk(db, ['customer', 'add', 'acme']);
      cliOk(db, ['user', 'add', 'alice', '--role', 'requester', '--customer', 'acme', '--email', 'alice@acme.example',
        '--password-stdin'], { input: 'correct-horse-battery\n' });
      // Another process holds the write lock until told to let go.
      const holder = spawn('sqlite3', [db], { stdio: ['pipe', 'pipe', 'pipe'] });
      let held = '';
      holder.stdout.on('data', (d) => { held += d; });
      holder.stdin.write("BEGIN IMMEDIATE; INSERT INTO meta(key, value) VALUES('lock-test', 'x'); SELECT 'held';\n");
      while (!held.includes('held')) await new Promise((res) => setTimeout(res, 50));
      const r = await cliAsync(db, ['mail', 'receive'], { input: fixture('alternative.eml') });
      holder.stdin.end('ROLLBACK;\n.quit\n');
      await new Promise((res) => holder.once('exit', res));
      assert.equal(r.status, 75, r.stderr);
      assert.match(r.stderr, /busy|locked|retry/i);
      // Let go, the MTA's retry is stored.
      const again = cli(db, ['mail', 'receive'], { input: fixture('alternative.eml') });
      assert.equal(again.status, 0, again.stderr);
      assert.match(again.stdout, /^created \d+ INC-1\n$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the audit chain verifies after all of it', async () => {
    const v = expectStatus(await admin.get('/api/v1/audit/verify'), 200);
    assert.equal(v.ok, true);
    const records = await listAll(admin, '/api/v1/audit?limit=500');
    const mail = records.filter((r) => r.entity.startsWith('mail:'));
    assert.equal(mail.length, count('mail_messages'));
    const first = mail.find((r) => r.change.after.message_id === 'jp-0001@acme.example');
    assert.equal(first.action, 'mail.receive');
    assert.equal(first.change.after.via, 'agent1');
    assert.equal(first.change.after.raw_sha256, createHash('sha256').update(fixture('iso2022jp.eml')).digest('hex'));
  });

  it('a stored message is never changed or deleted, and a raw message changed behind its back fails audit verify', async () => {
    const id = Number(sql(store.db, "SELECT id FROM mail_messages WHERE message_id = 'qp-0001@acme.example'").trim());
    assert.notEqual(sqlRun(store.db, `UPDATE mail_messages SET subject = 'x' WHERE id = ${id}`).status, 0);
    assert.notEqual(sqlRun(store.db, `DELETE FROM mail_messages WHERE id = ${id}`).status, 0);
    await stopClean(srv);
    const copy = copyStore(store.db);
    try {
      const drop = ENGINE === 'sqlite' ? 'DROP TRIGGER mail_messages_frozen'
        : 'DROP TRIGGER mail_messages_frozen ON mail_messages';
      const blob = ENGINE === 'sqlite' ? "CAST('From: forged' AS BLOB)" : "convert_to('From: forged', 'UTF8')";
      assert.equal(sqlRun(copy.db, `${drop}; UPDATE mail_messages SET raw = ${blob} WHERE id = ${id}`).status, 0);
      const r = cli(copy.db, ['audit', 'verify']);
      assert.equal(r.status, 1, r.stdout + r.stderr);
      assert.match(r.stdout + r.stderr, new RegExp(`mail:${id} differs`));
    } finally {
      copy.cleanup();
      srv = await startServer(store.db, [], { ITSM_CONFIG: conf });
    }
  });
});
