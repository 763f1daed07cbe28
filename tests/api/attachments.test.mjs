// attachments.test.mjs — files on tickets (docs/attachments.md): an upload
// is the file's bytes with ?filename=; the type served is sniffed from the
// bytes (an HTML file is never served as text/html), always as an
// attachment with nosniff and the name escaped (RFC 6266/5987); over
// attach.max_size is 413 and stores nothing; the same bytes are stored
// once; a requester sees only the public files of their own customer's
// tickets (another's: 404); a file is never changed nor deleted, and bytes
// changed behind the application's back fail audit verify.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  makeStore, copyStore, seed, startServer, client, cli, cliOk, createTicket, expectError, expectStatus,
  sql, sqlRun, stopClean, ENGINE,
} from './lib.mjs';

let store, srv, tokens, admin, agent, alice, dave, conf, acme, globex;

const MAX = 4096; // attach.max_size in this suite's configuration
const sha256 = (b) => createHash('sha256').update(b).digest('hex');
const count = (table) => Number(sql(store.db, `SELECT count(*) FROM ${table}`).trim());
const upload = (c, ref, bytes, query, type = 'application/octet-stream') =>
  c.post(`/api/v1/tickets/${ref}/attachments?${new URLSearchParams(query)}`, bytes, { 'content-type': type });
const download = async (c, id) => {
  const res = await fetch(`${srv.url}/api/v1/attachments/${id}`, { headers: { authorization: `Bearer ${c.token}` } });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
};
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);

before(async () => {
  store = makeStore();
  tokens = seed(store.db);
  conf = join(store.dir, 'itsm.conf');
  writeFileSync(conf, `[attach]\nmax_size = ${MAX}\n`);
  srv = await startServer(store.db, [], { ITSM_CONFIG: conf });
  const withToken = (t) => ({ ...client(srv.url, t), token: t });
  admin = withToken(tokens.admin);
  agent = withToken(tokens.agent1);
  alice = withToken(tokens.alice);
  dave = withToken(tokens.dave);
  acme = await createTicket(alice, { title: 'Scanner shows an error' });
  globex = await createTicket(dave, { title: 'Globex printer' });
});

after(async () => {
  await stopClean(srv);
  store.cleanup();
});

describe('upload and download', () => {
  it('stores the bytes under their SHA-256 and serves them back as they were', async () => {
    const bytes = Buffer.from('Error 0x80070005 at 09:14\n');
    const a = expectStatus(await upload(alice, acme.key, bytes, { filename: 'error.log' }), 201);
    assert.equal(a.ticket, acme.key);
    assert.equal(a.filename, 'error.log');
    assert.equal(a.size, 26); // 25 characters and the newline, counted by hand
    assert.equal(a.sha256, sha256(bytes));
    assert.equal(a.content_type, 'text/plain; charset=utf-8');
    assert.equal(a.public, true); // a requester's file is public
    assert.equal(a.created_by, 'alice');
    assert.equal(a.source, 'upload');
    const d = await download(alice, a.id);
    assert.equal(d.status, 200);
    assert.deepEqual(d.bytes, bytes);
    assert.equal(d.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(d.headers.get('content-disposition'), 'attachment; filename="error.log"; filename*=UTF-8\'\'error.log');
    const meta = expectStatus(await alice.get(`/api/v1/attachments/${a.id}/meta`), 200);
    assert.deepEqual(meta, a);
  });

  it('serves an HTML file as an attachment, with nosniff, never as text/html', async () => {
    const html = Buffer.from('<!doctype html><html><body><script>alert(document.cookie)</script></body></html>');
    const a = expectStatus(await upload(agent, acme.key, html, { filename: 'page.html', public: 'true' }, 'text/html'), 201);
    assert.equal(a.content_type, 'text/plain; charset=utf-8');
    const d = await download(agent, a.id);
    assert.doesNotMatch(d.headers.get('content-type'), /html/);
    assert.equal(d.headers.get('x-content-type-options'), 'nosniff');
    assert.match(d.headers.get('content-disposition'), /^attachment; /);
    assert.match(d.headers.get('content-security-policy'), /sandbox/);
    // bytes that are not text: octet-stream, whatever the client said
    const bin = expectStatus(await upload(agent, acme.key, Buffer.from([0x3c, 0x68, 0x00, 0xff]), { filename: 'x.html' }, 'text/html'), 201);
    assert.equal(bin.content_type, 'application/octet-stream');
  });

  it('sniffs a PNG from its magic bytes, not from the name or the Content-Type', async () => {
    const a = expectStatus(await upload(agent, acme.key, PNG, { filename: 'shot.txt' }, 'text/plain'), 201);
    assert.equal(a.content_type, 'image/png');
    assert.equal((await download(agent, a.id)).headers.get('content-type'), 'image/png');
  });

  it('escapes quotes, CR, LF and non-ASCII in the file name (RFC 6266, RFC 5987)', async () => {
    const name = 'a"b\r\ncé.txt';
    const a = expectStatus(await upload(agent, acme.key, Buffer.from('x'), { filename: name }), 201);
    assert.equal(a.filename, name); // kept as given; escaped where it is written
    const d = await download(agent, a.id);
    // By hand: the fallback puts '_' for '"', CR, LF and each byte of é
    // (C3 A9); the encoded form is every other byte as %XX.
    assert.equal(d.headers.get('content-disposition'),
      'attachment; filename="a_b__c__.txt"; filename*=UTF-8\'\'a%22b%0D%0Ac%C3%A9.txt');
    // a path is cut to its last part
    const p = expectStatus(await upload(agent, acme.key, Buffer.from('y'), { filename: '../../etc/passwd' }), 201);
    assert.equal(p.filename, 'passwd');
  });

  it('lists a ticket\'s files, the internal ones for staff only', async () => {
    const internal = expectStatus(await upload(agent, acme.key, Buffer.from('root cause notes'), { filename: 'notes.txt' }), 201);
    assert.equal(internal.public, false); // staff default: internal
    const staff = expectStatus(await agent.get(`/api/v1/tickets/${acme.key}/attachments`), 200);
    assert.ok(staff.items.some((a) => a.id === internal.id));
    const mine = expectStatus(await alice.get(`/api/v1/tickets/${acme.key}/attachments`), 200);
    assert.ok(mine.items.length > 0);
    assert.ok(mine.items.every((a) => a.public));
    expectError(await alice.get(`/api/v1/attachments/${internal.id}`), 404, 'not_found');
  });
});

describe('refusals', () => {
  it('refuses a file over attach.max_size with 413 and stores nothing', async () => {
    const before = [count('attachments'), count('attachment_blobs')];
    expectError(await upload(agent, acme.key, Buffer.alloc(MAX + 1, 0x41), { filename: 'big.bin' }), 413, 'too_large');
    // exactly the limit is taken
    expectStatus(await upload(agent, acme.key, Buffer.alloc(MAX, 0x42), { filename: 'max.bin' }), 201);
    assert.deepEqual([count('attachments'), count('attachment_blobs')], [before[0] + 1, before[1] + 1]);
  });

  it('answers bad input with 400 naming the field', async () => {
    expectError(await upload(agent, acme.key, Buffer.from('x'), {}), 400, 'invalid', 'filename');
    expectError(await upload(agent, acme.key, Buffer.from(''), { filename: 'e.txt' }), 400, 'invalid', 'body');
    expectError(await upload(agent, acme.key, Buffer.from('x'), { filename: 'a', public: 'maybe' }), 400, 'invalid', 'public');
    expectError(await upload(agent, acme.key, Buffer.from('x'), { filename: 'a', comment: 'x' }), 400, 'invalid', 'comment');
    expectError(await upload(agent, acme.key, Buffer.from('x'), { filename: 'a', comment: '999999' }), 400, 'invalid', 'comment');
    expectError(await upload(agent, acme.key, Buffer.from('x'), { filename: '..' }), 400, 'invalid', 'filename');
    expectError(await upload(agent, acme.key, Buffer.from('x'), { filename: 'a', colour: 'red' }), 400, 'invalid', 'colour');
  });

  it('keeps a requester to public files of their own customer', async () => {
    expectError(await upload(alice, acme.key, Buffer.from('x'), { filename: 'a', public: 'false' }), 403, 'forbidden', 'public');
    expectError(await upload(alice, globex.key, Buffer.from('x'), { filename: 'a' }), 404, 'not_found');
    const g = expectStatus(await upload(dave, globex.key, Buffer.from('globex only'), { filename: 'g.txt' }), 201);
    expectError(await alice.get(`/api/v1/attachments/${g.id}`), 404, 'not_found');
    expectError(await alice.get(`/api/v1/attachments/${g.id}/meta`), 404, 'not_found');
    expectError(await alice.get(`/api/v1/tickets/${globex.key}/attachments`), 404, 'not_found');
    // the same answer as for a file that does not exist
    expectError(await alice.get('/api/v1/attachments/999999'), 404, 'not_found');
    expectStatus(await agent.get(`/api/v1/tickets/${globex.key}/attachments`), 200);
  });

  it('files on a comment: the comment must be the ticket\'s, an internal one\'s files are internal', async () => {
    const c = expectStatus(await agent.post(`/api/v1/tickets/${acme.key}/comments`, { body: 'internal', public: false }), 201);
    expectError(await upload(agent, acme.key, Buffer.from('x'), { filename: 'a', comment: String(c.id), public: 'true' }),
      400, 'invalid', 'public');
    const a = expectStatus(await upload(agent, acme.key, Buffer.from('on the note'), { filename: 'a', comment: String(c.id) }), 201);
    assert.equal(a.comment, c.id);
    expectError(await upload(agent, globex.key, Buffer.from('x'), { filename: 'a', comment: String(c.id) }), 400, 'invalid', 'comment');
  });

  it('takes no file on a closed ticket (409 invalid_transition)', async () => {
    const t = await createTicket(agent, { customer: 'acme' });
    expectStatus(await agent.patch(`/api/v1/tickets/${t.key}`, { version: t.version, status: 'cancelled' }), 200);
    expectError(await upload(agent, t.key, Buffer.from('x'), { filename: 'late.txt' }), 409, 'invalid_transition');
  });
});

describe('the same bytes are stored once', () => {
  it('two uploads of one content are two attachments over one stored file', async () => {
    const bytes = Buffer.from(`the same report ${Date.now()}\n`);
    const before = [count('attachments'), count('attachment_blobs')];
    const a = expectStatus(await upload(agent, acme.key, bytes, { filename: 'one.txt' }), 201);
    const b = expectStatus(await upload(agent, globex.key, bytes, { filename: 'two.txt' }), 201);
    assert.notEqual(a.id, b.id);
    assert.equal(a.sha256, b.sha256);
    // by hand: 2 attachments, 1 stored content
    assert.deepEqual([count('attachments'), count('attachment_blobs')], [before[0] + 2, before[1] + 1]);
    assert.deepEqual((await download(agent, b.id)).bytes, bytes);
  });
});

describe('mail intake', () => {
  it('stores the files of a received message as public attachments of the ticket it opens, and of the comment a reply makes', async () => {
    const u = expectStatus(await admin.get('/api/v1/users/alice'), 200);
    expectStatus(await admin.patch('/api/v1/users/alice', { version: u.version, email: 'alice@acme.example' }), 200);
    const b64 = PNG.toString('base64');
    const msg = (id, subject, extra = '') => [
      'From: Alice <alice@acme.example>', 'To: desk@example.com', `Subject: ${subject}`,
      `Message-ID: <${id}@acme.example>`, extra, 'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="b1"', '', '--b1',
      'Content-Type: text/plain; charset=utf-8', '', 'The screen shows this.', '--b1',
      'Content-Type: image/png', 'Content-Transfer-Encoding: base64',
      // RFC 2231: the name's UTF-8 bytes percent-encoded (画面 = E7 94 BB E9 9D A2)
      "Content-Disposition: attachment; filename*=UTF-8''%E7%94%BB%E9%9D%A2.png", '', b64, '--b1',
      'Content-Type: text/plain; charset=utf-8', 'Content-Disposition: attachment; filename="log.txt"', '',
      'line 1', '--b1--', ''].filter((l, i) => i !== 4 || l).join('\r\n');
    const r = expectStatus(await admin.post('/api/v1/mail/inbound', msg(`files-${Date.now()}`, 'Screen error'),
      { 'content-type': 'message/rfc822' }), 200);
    assert.equal(r.outcome, 'created');
    const items = expectStatus(await alice.get(`/api/v1/tickets/${r.ticket}/attachments`), 200).items;
    assert.deepEqual(items.map((a) => [a.filename, a.content_type, a.public, a.source, a.comment]), [
      ['画面.png', 'image/png', true, 'mail', null],
      ['log.txt', 'text/plain; charset=utf-8', true, 'mail', null]]);
    assert.equal(items[0].sha256, sha256(PNG));
    assert.equal(items[0].created_by, 'alice');
    const t = expectStatus(await agent.get(`/api/v1/tickets/${r.ticket}`), 200);
    assert.equal(t.description, 'The screen shows this.');

    const reply = expectStatus(await admin.post('/api/v1/mail/inbound',
      msg(`files-reply-${Date.now()}`, `Re: [${r.ticket}] Screen error`), { 'content-type': 'message/rfc822' }), 200);
    assert.equal(reply.outcome, 'commented');
    const after = expectStatus(await alice.get(`/api/v1/tickets/${r.ticket}/attachments`), 200).items;
    assert.equal(after.length, 4);
    assert.ok(after.slice(2).every((a) => a.comment === reply.comment));
    assert.equal(expectStatus(await admin.get('/api/v1/audit/verify'), 200).ok, true);
  });
});

describe('the command line', () => {
  it('itsm ticket attach, ticket attachments and attachment get --output round-trip a file', async () => {
    const file = join(store.dir, 'photo.png');
    writeFileSync(file, PNG);
    const out = JSON.parse(cliOk(store.db, ['--json', 'ticket', 'attach', acme.key, file, '--public']));
    assert.equal(out.content_type, 'image/png');
    assert.equal(out.public, true);
    const list = JSON.parse(cliOk(store.db, ['--json', 'ticket', 'attachments', acme.key]));
    assert.ok(list.items.some((a) => a.id === out.id && a.filename === 'photo.png'));
    const copy = join(store.dir, 'copy.png');
    cliOk(store.db, ['attachment', 'get', String(out.id), '--output', copy]);
    assert.deepEqual(readFileSync(copy), PNG);
    const big = join(store.dir, 'big.bin');
    writeFileSync(big, Buffer.alloc(MAX + 1));
    const r = cli(store.db, ['ticket', 'attach', acme.key, big], { env: { ITSM_CONFIG: conf } });
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /over the limit of 4096 bytes/);
  });
});

describe('audit', () => {
  it('records every file by its digest, and audit verify holds the stored bytes against it', async () => {
    const v = expectStatus(await admin.get('/api/v1/audit/verify'), 200);
    assert.equal(v.ok, true);
    const bytes = Buffer.from('evidence that must not change');
    const a = expectStatus(await upload(agent, acme.key, bytes, { filename: 'evidence.txt' }), 201);
    const records = expectStatus(await admin.get('/api/v1/audit?limit=500'), 200).items
      .filter((r) => r.entity === `attachment:${a.id}`);
    assert.equal(records.length, 1);
    assert.equal(records[0].action, 'attachment.add');
    assert.equal(records[0].change.after.sha256, sha256(bytes));

    // never changed, never deleted
    assert.notEqual(sqlRun(store.db, `UPDATE attachments SET filename = 'x' WHERE id = ${a.id}`).status, 0);
    assert.notEqual(sqlRun(store.db, `DELETE FROM attachments WHERE id = ${a.id}`).status, 0);
    assert.notEqual(sqlRun(store.db, `DELETE FROM attachment_blobs WHERE sha256 = '${a.sha256}'`).status, 0);

    await stopClean(srv);
    const copy = copyStore(store.db);
    try {
      const drop = ENGINE === 'sqlite' ? 'DROP TRIGGER attachment_blobs_frozen'
        : 'DROP TRIGGER attachment_blobs_frozen ON attachment_blobs';
      const blob = ENGINE === 'sqlite' ? "CAST('evidence that was changed' AS BLOB)" : "convert_to('evidence that was changed', 'UTF8')";
      assert.equal(sqlRun(copy.db, `${drop}; UPDATE attachment_blobs SET data = ${blob} WHERE sha256 = '${a.sha256}'`).status, 0);
      const r = cli(copy.db, ['audit', 'verify']);
      assert.equal(r.status, 1, r.stdout + r.stderr);
      assert.match(r.stdout + r.stderr, new RegExp(`attachment:${a.id} differs`));
      // the untouched store verifies
      assert.equal(cli(store.db, ['audit', 'verify']).status, 0);
    } finally {
      copy.cleanup();
      srv = await startServer(store.db, [], { ITSM_CONFIG: conf });
    }
  });
});
