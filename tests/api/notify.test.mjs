// notify.test.mjs — e-mail notifications end to end through a real SMTP
// server: python3-aiosmtpd with tests/api/smtp_sink.py writing each message
// it receives to a directory. The requester hears of a new ticket with the
// [KEY] tag; a Japanese user gets the Japanese template with an RFC 2047
// subject; the assignee hears of the assignment; the actor never hears of
// their own change; an event switched off is not sent; a reply to a
// notification threads onto the ticket and resumes it from pending; with
// the server down a notice waits in the outbox and goes when it is back.
// Templates and settings: who may, bad input, stale versions.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';
import {
  makeStore, seed, startServer, client, cli, cliOk, expectError, expectStatus, sql, stopClean,
} from './lib.mjs';

const PY = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
let store, srv, tokens, admin, agent, alice, manager, hanako, gateway, sinkDir, port, sink;

const freePort = () => new Promise((res) => {
  const s = createServer();
  s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => res(p)); });
});

// Start the sink on port; resolves once it accepts connections.
async function startSink() {
  const p = spawn(PY, ['-m', 'aiosmtpd', '-n', '-l', `127.0.0.1:${port}`, '-c', 'smtp_sink.Sink', sinkDir],
    { env: { ...process.env, PYTHONPATH: import.meta.dirname }, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  p.stderr.on('data', (d) => { err += d; });
  const exited = new Promise((r) => p.once('exit', r));
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise((res) => {
      const c = connect(port, '127.0.0.1');
      c.once('connect', () => { c.destroy(); res(true); });
      c.once('error', () => res(false));
    });
    if (ok) return { stop: async () => { p.kill('SIGTERM'); await exited; } };
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the SMTP sink did not start: ${err}`);
}

// The messages received so far: { file, to, headers (lowercase names,
// unfolded), raw }.
function received() {
  return readdirSync(sinkDir).filter((f) => f.endsWith('.eml')).sort().map((f) => {
    const raw = readFileSync(join(sinkDir, f), 'utf8');
    const head = raw.split(/\r?\n\r?\n/)[0].replace(/\r?\n[ \t]+/g, ' ');
    const headers = {};
    for (const line of head.split(/\r?\n/)) {
      const i = line.indexOf(':');
      if (i > 0) headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
    }
    return { file: f, to: headers['x-envelope-to'], headers, raw };
  });
}

// RFC 2047 words (B and Q, UTF-8) of a header value, decoded.
function decodeWords(v) {
  return v.replace(/=\?utf-8\?([bq])\?([^?]*)\?=\s*/gi, (m, enc, text) => (enc.toLowerCase() === 'b'
    ? Buffer.from(text, 'base64').toString('utf8')
    : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9a-f]{2})/gi, (x, h) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8')));
}

// Wait until a message matching pred arrived (new ones only after `seen`).
async function waitFor(pred, what, ms = 15000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const m = received().find(pred);
    if (m) return m;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no message: ${what}; got ${received().map((m) => `${m.to} ${m.headers.subject}`).join(' | ')}`);
}
const subjectOf = (m) => decodeWords(m.headers.subject ?? '');

before(async () => {
  store = makeStore();
  tokens = seed(store.db);
  cliOk(store.db, ['user', 'add', 'hanako', '--role', 'requester', '--customer', 'acme', '--password-stdin'],
    { input: 'correct-horse-battery\n' });
  tokens.hanako = cliOk(store.db, ['token', 'create', 'test', '--user', 'hanako']);
  tokens.gateway = cliOk(store.db, ['token', 'create', 'mailgw', '--user', 'agent1', '--scope', 'events']);
  sinkDir = join(store.dir, 'sink');
  mkdirSync(sinkDir);
  port = await freePort();
  sink = await startSink();
  const conf = join(store.dir, 'itsm.conf');
  writeFileSync(conf, `[mail]\nsmtp_url = smtp://127.0.0.1:${port}\nfrom = desk@itsm.example\n`
    + 'customer_domains = globex.example=globex\n');
  srv = await startServer(store.db, ['--allow-clock'], { ITSM_CONFIG: conf });
  admin = client(srv.url, tokens.admin);
  agent = client(srv.url, tokens.agent1);
  alice = client(srv.url, tokens.alice);
  manager = client(srv.url, tokens.manager1);
  hanako = client(srv.url, tokens.hanako);
  gateway = client(srv.url, tokens.gateway);
  for (const [name, email] of [['alice', 'alice@acme.example'], ['agent1', 'agent1@itsm.example'],
    ['hanako', 'hanako@acme.example'], ['manager1', 'manager1@itsm.example']]) {
    const u = expectStatus(await admin.get(`/api/v1/users/${name}`), 200);
    expectStatus(await admin.patch(`/api/v1/users/${name}`, { version: u.version, email }), 200);
  }
});

after(async () => {
  await stopClean(srv);
  await sink?.stop();
  store.cleanup();
});

let inc; // alice's ticket, opened by agent1 for her
let created; // the create notice alice got

describe('who hears of what', () => {
  it('the requester gets the create notice, tagged [KEY]; the actor nothing', async () => {
    inc = expectStatus(await agent.post('/api/v1/tickets', {
      kind: 'incident', title: 'Printer on fire', description: 'smoke', impact: 2, urgency: 2, requester: 'alice',
    }), 201);
    created = await waitFor((m) => m.to === 'alice@acme.example' && subjectOf(m).includes(`[${inc.key}]`), 'create to alice');
    assert.equal(subjectOf(created), `[${inc.key}] Ticket opened: Printer on fire`);
    assert.equal(created.headers['auto-submitted'], 'auto-generated');
    assert.match(created.headers['message-id'], new RegExp(`^<ticket-${inc.key}\\.1@itsm\\.example>$`));
    assert.match(created.headers.from, /desk@itsm\.example/);
    assert.equal(created.headers['in-reply-to'], undefined);
    assert.match(created.raw, /Ticket [A-Z]+-\d+ was opened by agent1\./);
    assert.ok(!received().some((m) => m.to === 'agent1@itsm.example'), 'the actor is not notified');
  });

  it('a Japanese user gets the Japanese template, its subject in RFC 2047 words', async () => {
    const u = expectStatus(await hanako.get('/api/v1/users/hanako/notifications'), 200);
    assert.deepEqual(u, { user: 'hanako', lang: 'en', on: ['create', 'assign', 'comment', 'status', 'resolve', 'sla_warning', 'sla_breach'], off: [], version: 1 });
    expectStatus(await hanako.patch('/api/v1/users/hanako/notifications', { version: 1, lang: 'ja' }), 200);
    const t = expectStatus(await agent.post('/api/v1/tickets', {
      kind: 'request', title: '会議室の予約', description: '3F', impact: 3, urgency: 3, requester: 'hanako',
    }), 201);
    const m = await waitFor((x) => x.to === 'hanako@acme.example', 'create to hanako');
    assert.match(m.headers.subject, new RegExp(`^\\[${t.key}\\] =\\?utf-8\\?b\\?`, 'i'), 'encoded words, not raw UTF-8');
    assert.ok(/^[\x20-\x7e]*$/.test(m.headers.subject));
    assert.equal(subjectOf(m), `[${t.key}] チケットを受け付けました: 会議室の予約`);
  });

  it('the assignee hears of the assignment; the admin who assigned does not', async () => {
    const before = received().length;
    const t = expectStatus(await admin.get(`/api/v1/tickets/${inc.key}`), 200);
    inc = expectStatus(await admin.patch(`/api/v1/tickets/${inc.key}`, { version: t.version, assignee: 'agent1' }), 200);
    const m = await waitFor((x) => x.to === 'agent1@itsm.example', 'assign to agent1');
    assert.equal(subjectOf(m), `[${inc.key}] Assigned to you: Printer on fire`);
    await new Promise((r) => setTimeout(r, 1500));
    // alice hears nothing of an assignment (status new -> assigned followed it).
    assert.equal(received().length, before + 1);
  });

  it('a public comment reaches the assignee, not its author; an internal note nobody', async () => {
    expectStatus(await alice.post(`/api/v1/tickets/${inc.key}/comments`, { body: 'Still smoking.\nPlease hurry.' }), 201);
    const m = await waitFor((x) => x.to === 'agent1@itsm.example' && subjectOf(x).includes('New comment'), 'comment to agent1');
    assert.match(m.raw, /alice commented on ticket/);
    assert.match(m.raw, /Still smoking\./);
    const n = received().length;
    expectStatus(await agent.post(`/api/v1/tickets/${inc.key}/comments`, { body: 'note', public: false }), 201);
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(received().length, n);
    assert.ok(!received().some((x) => x.to === 'alice@acme.example' && subjectOf(x).includes('New comment')));
    // The second notice to agent1 answers the first (threading in mail clients).
    const toAgent = received().filter((x) => x.to === 'agent1@itsm.example');
    assert.equal(toAgent[1].headers['in-reply-to'], toAgent[0].headers['message-id']);
  });

  it('an event switched off is not sent; the others still are', async () => {
    const p = expectStatus(await alice.get('/api/v1/users/alice/notifications'), 200);
    expectStatus(await alice.patch('/api/v1/users/alice/notifications', { version: p.version, off: ['status'] }), 200);
    let t = expectStatus(await agent.get(`/api/v1/tickets/${inc.key}`), 200);
    const n = received().filter((x) => x.to === 'alice@acme.example').length;
    t = expectStatus(await agent.patch(`/api/v1/tickets/${inc.key}`, { version: t.version, status: 'in_progress' }), 200);
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(received().filter((x) => x.to === 'alice@acme.example').length, n, 'status is off');
    // resolve is its own event, still on
    t = expectStatus(await agent.patch(`/api/v1/tickets/${inc.key}`, { version: t.version, status: 'resolved' }), 200);
    const m = await waitFor((x) => x.to === 'alice@acme.example' && subjectOf(x).includes('Resolved'), 'resolve to alice');
    assert.equal(subjectOf(m), `[${inc.key}] Resolved: Printer on fire`);
  });

  it('a user without an address is skipped; nothing is queued for them', async () => {
    const before = Number(sql(store.db, "SELECT count(*) FROM outbox WHERE target = 'mailto:'").trim());
    expectStatus(await agent.post('/api/v1/tickets', {
      kind: 'incident', title: 'Dave has no address', description: 'x', impact: 3, urgency: 3, requester: 'dave',
    }), 201);
    assert.equal(Number(sql(store.db, "SELECT count(*) FROM outbox WHERE target = 'mailto:'").trim()), before);
  });
});

describe('the ticket\'s group', () => {
  it('a ticket with a group reaches the group\'s members; one without, not them', async () => {
    let u = expectStatus(await admin.get('/api/v1/users/manager1'), 200);
    expectStatus(await admin.patch('/api/v1/users/manager1', { version: u.version, groups: 'nightdesk' }), 200);
    const plain = expectStatus(await agent.post('/api/v1/tickets', {
      kind: 'incident', title: 'No group', description: 'x', impact: 3, urgency: 3, requester: 'alice',
    }), 201);
    const grouped = expectStatus(await agent.post('/api/v1/tickets', {
      kind: 'incident', title: 'Night shift', description: 'x', impact: 3, urgency: 3, requester: 'alice',
      group: 'nightdesk',
    }), 201);
    assert.equal(grouped.group, 'nightdesk');
    await waitFor((m) => m.to === 'alice@acme.example' && subjectOf(m).startsWith(`[${plain.key}]`), 'plain to alice');
    const member = await waitFor((m) => m.to === 'manager1@itsm.example' && subjectOf(m).startsWith(`[${grouped.key}]`),
      'grouped to the member');
    assert.equal(subjectOf(member), `[${grouped.key}] Ticket opened: Night shift`);
    await waitFor((m) => m.to === 'alice@acme.example' && subjectOf(m).startsWith(`[${grouped.key}]`), 'grouped to alice');
    assert.ok(!received().some((m) => m.to === 'manager1@itsm.example' && subjectOf(m).startsWith(`[${plain.key}]`)),
      'not a member of a ticket without the group');
    u = expectStatus(await admin.get('/api/v1/users/manager1'), 200);
    expectStatus(await admin.patch('/api/v1/users/manager1', { version: u.version, groups: '' }), 200);
  });
});

describe('replies to notifications', () => {
  const reply = (msgid, subject, body, id) => [
    'From: Alice <alice@acme.example>', 'To: desk@itsm.example', `Subject: ${subject}`,
    `Message-ID: <${id}@acme.example>`, `In-Reply-To: ${msgid}`, `References: ${msgid}`,
    'Date: Thu, 03 Dec 2026 10:00:00 +0000', 'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8', '', body, '',
  ].join('\r\n');

  it('a reply by In-Reply-To threads onto the ticket (no tag in the subject)', async () => {
    const r = expectStatus(await gateway.post('/api/v1/mail/inbound',
      reply(created.headers['message-id'], 'Re: thanks', 'It works again.', 'r1'), { 'content-type': 'message/rfc822' }), 200);
    assert.equal(r.outcome, 'commented');
    assert.equal(r.ticket, inc.key);
    // The recorded Message-ID is what threaded it.
    assert.equal(sql(store.db, `SELECT count(*) FROM notify_messages WHERE message_id = '${created.headers['message-id'].slice(1, -1)}'`).trim(), '1');
  });

  it("the requester's reply resumes a pending ticket", async () => {
    let t = expectStatus(await agent.get(`/api/v1/tickets/${inc.key}`), 200);
    t = expectStatus(await agent.patch(`/api/v1/tickets/${inc.key}`, { version: t.version, status: 'in_progress' }), 200);
    t = expectStatus(await agent.patch(`/api/v1/tickets/${inc.key}`, { version: t.version, status: 'pending' }), 200);
    assert.equal(t.status, 'pending');
    const r = expectStatus(await gateway.post('/api/v1/mail/inbound',
      reply(created.headers['message-id'], `Re: [${inc.key}] info`, 'Here is the serial number.', 'r2'), { 'content-type': 'message/rfc822' }), 200);
    assert.equal(r.outcome, 'commented');
    t = expectStatus(await agent.get(`/api/v1/tickets/${inc.key}`), 200);
    assert.equal(t.status, 'in_progress');
  });

  const queued = () => Number(sql(store.db, 'SELECT count(*) FROM outbox').trim());

  it('our own notification coming back is a robot\'s mail: no ticket, no comment, nothing sent', async () => {
    const before = queued();
    const raw = readFileSync(join(sinkDir, created.file), 'utf8').replace(/^X-Envelope-To:[^\n]*\nX-Sink-Connection:[^\n]*\n/, '');
    const r = expectStatus(await gateway.post('/api/v1/mail/inbound', raw, { 'content-type': 'message/rfc822' }), 200);
    assert.equal(r.outcome, 'ignored');
    assert.equal(queued(), before);
  });

  it('an autoreply to a notification is ignored and answered by nothing', async () => {
    const before = queued();
    const auto = reply(created.headers['message-id'], `Out of office: [${inc.key}]`, 'I am away.', 'ooo1')
      .replace('MIME-Version: 1.0', 'Auto-Submitted: auto-replied\r\nMIME-Version: 1.0');
    const r = expectStatus(await gateway.post('/api/v1/mail/inbound', auto, { 'content-type': 'message/rfc822' }), 200);
    assert.equal(r.outcome, 'ignored');
    assert.equal(queued(), before);
  });

  it('a ticket opened from mail by an address no user has notifies nobody', async () => {
    const before = queued();
    const msg = ['From: someone@globex.example', 'To: desk@itsm.example', 'Subject: Help please',
      'Message-ID: <dom1@globex.example>', 'Date: Thu, 03 Dec 2026 10:00:00 +0000', '', 'Broken.', ''].join('\r\n');
    const r = expectStatus(await gateway.post('/api/v1/mail/inbound', msg, { 'content-type': 'message/rfc822' }), 200);
    assert.equal(r.outcome, 'created');
    assert.equal(queued(), before);
  });
});

describe('bounces of notifications (RFC 3464 delivery status notifications)', () => {
  // A DSN written by hand as an MTA (Postfix-like) sends it: a text part
  // for people, the machine-readable message/delivery-status part, and the
  // header of the message that bounced (text/rfc822-headers) or the whole
  // message (message/rfc822).
  const dsn = ({ id, original, action = 'failed', status = '5.1.1', rcpt = 'alice@acme.example',
    returned = 'headers', inReplyTo = null }) => {
    const b = 'DSN-boundary-1';
    const origHead = [`From: itsm <desk@itsm.example>`, `To: Alice <${rcpt}>`, 'Subject: [X] Ticket opened',
      ...(original ? [`Message-ID: ${original}`] : []), 'Auto-Submitted: auto-generated'].join('\r\n');
    return [
      'From: Mail Delivery System <MAILER-DAEMON@mx.acme.example>', 'To: desk@itsm.example',
      'Subject: Undelivered Mail Returned to Sender', `Message-ID: <${id}@mx.acme.example>`,
      ...(inReplyTo ? [`In-Reply-To: ${inReplyTo}`] : []),
      'Date: Thu, 03 Dec 2026 10:00:00 +0000', 'Auto-Submitted: auto-replied', 'MIME-Version: 1.0',
      `Content-Type: multipart/report; report-type=delivery-status;\r\n\tboundary="${b}"`, '',
      `--${b}`, 'Content-Type: text/plain; charset=us-ascii', '',
      'I\'m sorry to have to inform you that your message could not be delivered.', '',
      `--${b}`, 'Content-Type: message/delivery-status', '',
      'Reporting-MTA: dns; mx.acme.example', 'Arrival-Date: Thu, 03 Dec 2026 09:59:59 +0000', '',
      'Final-Recipient: rfc822; bob@acme.example', 'Action: delivered', 'Status: 2.0.0', '',
      `Final-Recipient: rfc822; ${rcpt}`, `Original-Recipient: rfc822;${rcpt}`, `Action: ${action}`,
      `Status: ${status}`, 'Remote-MTA: dns; mx2.acme.example',
      'Diagnostic-Code: smtp; 550 5.1.1 <alice@acme.example>:',
      '    Recipient address rejected: User unknown', '',
      `--${b}`, returned === 'headers' ? 'Content-Type: text/rfc822-headers' : 'Content-Type: message/rfc822', '',
      origHead, ...(returned === 'headers' ? [] : ['', 'The body of the notice.']), '',
      `--${b}--`, '',
    ].join('\r\n');
  };
  const deliver = async (raw) => expectStatus(await gateway.post('/api/v1/mail/inbound', raw,
    { 'content-type': 'message/rfc822' }), 200);
  const notes = async (key) => expectStatus(await agent.get(`/api/v1/tickets/${key}/comments`), 200).items
    .filter((c) => /could not be delivered/.test(c.body));
  const counts = () => sql(store.db, 'SELECT (SELECT count(*) FROM tickets) || \' \' || (SELECT count(*) FROM outbox)').trim();

  it('a bounce of a notice (text/rfc822-headers) is an internal note on its ticket naming the recipient and status; no ticket, nothing sent', async () => {
    const before = counts();
    const r = await deliver(dsn({ id: 'b1', original: created.headers['message-id'] }));
    assert.equal(r.outcome, 'commented');
    assert.equal(r.ticket, inc.key);
    const n = await notes(inc.key);
    assert.equal(n.length, 1);
    assert.equal(n[0].public, false);
    assert.equal(n[0].author, 'mail');
    // the failed recipient (not bob, delivered), the status, the folded diagnostic joined
    assert.match(n[0].body, /delivered to alice@acme\.example: status 5\.1\.1 \(smtp; 550 5\.1\.1 <alice@acme\.example>: Recipient address rejected: User unknown\)/);
    assert.match(n[0].body, /mailer-daemon@mx\.acme\.example/);
    assert.equal(counts(), before, 'no ticket opened, no notification queued');
    // the requester does not see the internal note
    const mine = expectStatus(await alice.get(`/api/v1/tickets/${inc.key}/comments`), 200).items;
    assert.ok(!mine.some((c) => /could not be delivered/.test(c.body)));
    // delivered again (the MTA retried): the same record, no second note
    const again = await deliver(dsn({ id: 'b1', original: created.headers['message-id'] }));
    assert.equal(again.duplicate, true);
    assert.equal((await notes(inc.key)).length, 1);
  });

  it('a bounce returning the whole message (message/rfc822), and one matched by In-Reply-To alone', async () => {
    const r = await deliver(dsn({ id: 'b2', original: created.headers['message-id'], returned: 'message', status: '5.2.2' }));
    assert.equal(r.outcome, 'commented');
    assert.equal(r.ticket, inc.key);
    const r2 = await deliver(dsn({ id: 'b3', original: null, inReplyTo: created.headers['message-id'], status: '5.7.1' }));
    assert.equal(r2.outcome, 'commented');
    assert.equal(r2.ticket, inc.key);
    const n = await notes(inc.key);
    assert.equal(n.length, 3);
    assert.ok(n.some((c) => /status 5\.2\.2/.test(c.body)) && n.some((c) => /status 5\.7\.1/.test(c.body)));
  });

  it('a bounce of a closed ticket\'s notice is ignored (stored, named), the ticket untouched', async () => {
    let t = expectStatus(await agent.post('/api/v1/tickets', {
      kind: 'incident', title: 'Closed before the bounce', description: 'x', impact: 3, urgency: 3, requester: 'alice', assignee: 'agent1',
    }), 201);
    const id = sql(store.db, `SELECT n.message_id FROM notify_messages n JOIN tickets t ON t.id = n.ticket_id WHERE t.key = '${t.key}' ORDER BY n.seq LIMIT 1`).trim();
    assert.ok(id, 'a notice was recorded');
    for (const status of ['in_progress', 'resolved', 'closed']) {
      t = expectStatus(await agent.patch(`/api/v1/tickets/${t.key}`, { version: t.version, status }), 200);
    }
    const r = await deliver(dsn({ id: 'b7', original: `<${id}>` }));
    assert.equal(r.outcome, 'ignored');
    assert.equal(r.ticket, t.key);
    assert.match(r.reason, /alice@acme\.example failed, status 5\.1\.1; the ticket is closed: no note/);
    assert.equal((await notes(t.key)).length, 0);
    const after = expectStatus(await agent.get(`/api/v1/tickets/${t.key}`), 200);
    assert.equal(after.version, t.version);
  });

  it('an unknown bounce, a forged Message-ID of our form, a delay report: ignored as before, no note', async () => {
    const before = counts();
    const unknown = await deliver(dsn({ id: 'b4', original: '<someone-else.1@elsewhere.example>' }));
    assert.equal(unknown.outcome, 'ignored');
    assert.equal(unknown.ticket ?? null, null);
    // our Message-ID pattern, but never sent: only notify_messages counts
    const forged = await deliver(dsn({ id: 'b5', original: `<ticket-${inc.key}.999@itsm.example>` }));
    assert.equal(forged.outcome, 'ignored');
    const delayed = await deliver(dsn({ id: 'b6', original: created.headers['message-id'], action: 'delayed', status: '4.4.7' }));
    assert.equal(delayed.outcome, 'ignored');
    assert.equal((await notes(inc.key)).length, 3);
    assert.equal(counts(), before);
  });

  it('a bounce whose failed recipient is not the address the notice went to is ignored with the reason, no note', async () => {
    const msgid = created.headers['message-id'].replace(/^<|>$/g, '');
    // the address as sent is kept with the notice
    assert.equal(sql(store.db, `SELECT recipient FROM notify_messages WHERE message_id = '${msgid}'`).trim(), 'alice@acme.example');
    const before = counts();
    const other = await deliver(dsn({ id: 'b8', original: created.headers['message-id'], rcpt: 'mallory@evil.example' }));
    assert.equal(other.outcome, 'ignored');
    assert.equal(other.ticket ?? null, null, 'the ticket is not named');
    assert.match(other.reason, /^bounce: mallory@evil\.example failed, not the recipient of the notice /);
    assert.ok(!other.reason.includes('alice@'), 'the notice\'s recipient is not told');
    // matched by In-Reply-To alone, the same
    const other2 = await deliver(dsn({ id: 'b9', original: null, inReplyTo: created.headers['message-id'], rcpt: 'bob@acme.example' }));
    assert.equal(other2.outcome, 'ignored');
    assert.equal((await notes(inc.key)).length, 3, 'no note');
    assert.equal(counts(), before);
    // the same address in capitals is the recipient (compared without case)
    const upper = await deliver(dsn({ id: 'b10', original: created.headers['message-id'], rcpt: 'ALICE@Acme.Example' }));
    assert.equal(upper.outcome, 'commented');
    assert.equal((await notes(inc.key)).length, 4);
  });

  it('the address as sent counts, not the user\'s address now; a notice recorded before it was kept is held to the address now', async () => {
    const u = expectStatus(await admin.get('/api/v1/users/alice'), 200);
    const moved = expectStatus(await admin.patch('/api/v1/users/alice', { version: u.version, email: 'alice.new@acme.example' }), 200);
    try {
      // sent to alice@acme.example: a bounce for it is hers; one for the new address is not
      const old = await deliver(dsn({ id: 'b11', original: created.headers['message-id'] }));
      assert.equal(old.outcome, 'commented');
      const now = await deliver(dsn({ id: 'b12', original: created.headers['message-id'], rcpt: 'alice.new@acme.example' }));
      assert.equal(now.outcome, 'ignored');
      assert.match(now.reason, /not the recipient/);
      // a notice of before migration 032 (recipient '') is held to her address now
      const msgid = created.headers['message-id'].replace(/^<|>$/g, '');
      sql(store.db, `UPDATE notify_messages SET recipient = '' WHERE message_id = '${msgid}'`);
      const legacy = await deliver(dsn({ id: 'b13', original: created.headers['message-id'], rcpt: 'alice.new@acme.example' }));
      assert.equal(legacy.outcome, 'commented');
      const legacyOld = await deliver(dsn({ id: 'b14', original: created.headers['message-id'] }));
      assert.equal(legacyOld.outcome, 'ignored');
      sql(store.db, `UPDATE notify_messages SET recipient = 'alice@acme.example' WHERE message_id = '${msgid}'`);
    } finally {
      expectStatus(await admin.patch('/api/v1/users/alice', { version: moved.version, email: 'alice@acme.example' }), 200);
    }
    assert.equal(expectStatus(await admin.get('/api/v1/audit/verify'), 200).ok, true);
  });
});

describe('delivery', () => {
  it('with the SMTP server down a notice waits, is retried later and delivered when it is back', async () => {
    await sink.stop();
    const t = expectStatus(await agent.post('/api/v1/tickets', {
      kind: 'incident', title: 'While the sink is down', description: 'x', impact: 3, urgency: 3, requester: 'alice',
    }), 201);
    // The watcher tries within a second or two and fails.
    let row;
    for (let i = 0; i < 100; i++) {
      row = JSON.parse(expectStatus(await admin.get('/api/v1/sla/outbox?state=pending'), 200).items
        .map((x) => JSON.stringify(x)).find((x) => x.includes(t.key)) ?? 'null');
      if (row && row.attempts >= 1) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(row && row.attempts >= 1, 'one failed attempt');
    assert.equal(row.state, 'pending');
    assert.match(row.last_error, /SMTP|connect|Couldn't/i);
    sink = await startSink();
    // 30 s back-off: step the clock past it.
    const later = new Date(Date.now() + 3600 * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
    const tick = expectStatus(await admin.post('/api/v1/sla/tick', { now: later }), 200);
    assert.ok(tick.sent >= 1);
    await waitFor((x) => subjectOf(x) === `[${t.key}] Ticket opened: While the sink is down`, 'the retried notice');
  });

  it('an SMTP 5xx is permanent: undeliverable at once, not retried', async () => {
    cliOk(store.db, ['user', 'add', 'rejected', '--role', 'requester', '--customer', 'acme', '--password-stdin'],
      { input: 'correct-horse-battery\n' });
    const u = expectStatus(await admin.get('/api/v1/users/rejected'), 200);
    expectStatus(await admin.patch('/api/v1/users/rejected', { version: u.version, email: 'reject@acme.example' }), 200);
    const t = expectStatus(await agent.post('/api/v1/tickets', {
      kind: 'incident', title: 'Bounce', description: 'x', impact: 3, urgency: 3, requester: 'rejected',
    }), 201);
    let row;
    for (let i = 0; i < 100 && !row; i++) {
      row = expectStatus(await admin.get('/api/v1/sla/outbox?state=undeliverable'), 200).items
        .find((x) => x.payload.ticket === t.key);
      if (!row) await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(row, 'undeliverable');
    assert.equal(row.attempts, 1);
    assert.match(row.last_error, /550/);
  });

  it('one pass reuses one SMTP connection; a 5xx fails that notice only, the next ones connect again', async () => {
    // Four notices wait while the sink is down (alice, hanako, rejected,
    // alice); one pass sends them in that order (next_at, id). Expected:
    // the first two on one connection (reused), the third refused 550 and
    // undeliverable, libcurl drops that connection, the fourth on a new one.
    await sink.stop();
    const keys = [];
    for (const requester of ['alice', 'hanako', 'rejected', 'alice']) {
      keys.push(expectStatus(await agent.post('/api/v1/tickets', {
        kind: 'incident', title: `Reuse for ${requester}`, description: 'x', impact: 3, urgency: 3, requester,
      }), 201).key);
    }
    for (let i = 0; i < 100; i++) {
      const rows = expectStatus(await admin.get('/api/v1/sla/outbox?state=pending&limit=500'), 200).items
        .filter((x) => keys.includes(x.payload.ticket) && x.attempts >= 1);
      if (rows.length === 4) break;
      assert.ok(i < 99, 'four notices tried once and pending');
      await new Promise((r) => setTimeout(r, 100));
    }
    sink = await startSink();
    const later = new Date(Date.now() + 3 * 3600 * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
    const tick = expectStatus(await admin.post('/api/v1/sla/tick', { now: later }), 200);
    assert.ok(tick.sent >= 3 && tick.failed >= 1, JSON.stringify(tick));
    const conn = (key) => received().find((m) => (m.headers.subject ?? '').startsWith(`[${key}]`))
      ?.headers['x-sink-connection'];
    const [c1, c2, c3, c4] = keys.map(conn);
    assert.ok(c1 && c2 && c4, `three delivered: ${c1} ${c2} ${c4}`);
    assert.equal(c3, undefined, 'the refused one never arrived');
    assert.equal(c1, c2, 'the first two on one connection');
    assert.notEqual(c4, c2, 'after the 5xx a new connection');
    const rows = expectStatus(await admin.get('/api/v1/sla/outbox?limit=500'), 200).items
      .filter((x) => keys.includes(x.payload.ticket));
    const stateOf = (key) => rows.find((x) => x.payload.ticket === key).state;
    assert.deepEqual(keys.map(stateOf), ['sent', 'sent', 'undeliverable', 'sent']);
    assert.match(rows.find((x) => x.payload.ticket === keys[2]).last_error, /550/);
  });
});

describe('service level notices', () => {
  it('a breach reaches the assignee and the escalation group\'s members, not the requester; a mailto: rule by SMTP', async () => {
    expectStatus(await manager.post('/api/v1/services', { key: 'mailsvc' }), 201);
    const targets = Object.fromEntries([1, 2, 3, 4, 5].map((p) => [String(p), { response_minutes: 60 * p, resolution_minutes: 240 * p }]));
    expectStatus(await manager.post('/api/v1/slas', { name: 'acme-mailsvc', customer: 'acme', service: 'mailsvc',
      calendar: '24x7', targets, warn_at: 0.75, availability_target: 99.9, escalations: [{ on: 'breach', reassign_group: 'l2' }, { on: 'breach', notify: 'mailto:ops@itsm.example' }] }), 201);
    const u = expectStatus(await admin.get('/api/v1/users/manager1'), 200);
    expectStatus(await admin.patch('/api/v1/users/manager1', { version: u.version, groups: 'l2' }), 200);
    const t = expectStatus(await admin.post('/api/v1/tickets', {
      kind: 'incident', title: 'Slow mail', description: 'x', impact: 3, urgency: 3, requester: 'alice',
      customer: 'acme', service: 'mailsvc', assignee: 'agent1',
    }), 201);
    await waitFor((x) => x.to === 'alice@acme.example' && subjectOf(x).startsWith(`[${t.key}] Ticket opened`), 'create');
    // Priority 5: response due in 300 min, resolution in 1200 min (24x7);
    // two days later both are breached (a deadline that falls due with its
    // own warning settles the warning).
    const later = new Date(Date.now() + 2 * 86400 * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
    const tick = expectStatus(await admin.post('/api/v1/sla/tick', { now: later }), 200);
    assert.ok(tick.fired >= 1);
    const breached = (to) => (x) => x.to === to && subjectOf(x) === `[${t.key}] SLA breached: Slow mail`;
    await waitFor(breached('agent1@itsm.example'), 'breach to the assignee');
    await waitFor(breached('manager1@itsm.example'), 'breach to the l2 group');
    assert.ok(!received().some((x) => x.to === 'alice@acme.example' && subjectOf(x).includes('SLA')));
    // The rule's mailto: escalation goes by SMTP too, marked automatic.
    const esc = await waitFor((x) => x.to === 'ops@itsm.example', 'the mailto: escalation');
    assert.equal(esc.headers.subject, 'itsm service level notice');
    assert.equal(esc.headers['auto-submitted'], 'auto-generated');
    assert.match(esc.headers.from, /desk@itsm\.example/);
    assert.match(esc.raw, new RegExp(`"ticket":"${t.key}"`));
  });
});

describe('templates (admins) and settings (the user)', () => {
  it('lists 14 templates, built-in at version 1', async () => {
    const r = expectStatus(await admin.get('/api/v1/notify/templates'), 200);
    assert.equal(r.items.length, 14); // 7 events x 2 languages
    assert.ok(r.items.every((x) => x.builtin && x.version === 1));
    expectError(await agent.get('/api/v1/notify/templates'), 403, 'forbidden');
    expectError(await admin.get('/api/v1/notify/templates/create.fr'), 404, 'not_found');
    expectError(await admin.get('/api/v1/notify/templates/nothing.en'), 404, 'not_found');
  });

  it('an edited template is used; bad input 400 with field; a stale version 409', async () => {
    expectError(await admin.patch('/api/v1/notify/templates/create.en', { version: 1, subject: 'a\r\nBcc: x@y.z' }), 400, 'invalid', 'subject');
    expectError(await admin.patch('/api/v1/notify/templates/create.en', { version: 1, body: 'Hi {{nobody}}' }), 400, 'invalid', 'body');
    expectError(await admin.patch('/api/v1/notify/templates/create.en', { version: 1, body: '  ' }), 400, 'invalid', 'body');
    expectError(await admin.patch('/api/v1/notify/templates/create.en', { version: 1, colour: 'red' }), 400, 'invalid');
    const t = expectStatus(await admin.patch('/api/v1/notify/templates/create.en', {
      version: 1, subject: 'New: {{title}}', body: 'Dear {{requester}}, we have {{key}}.\n',
    }), 200);
    assert.equal(t.version, 2);
    assert.equal(t.builtin, false);
    expectError(await admin.patch('/api/v1/notify/templates/create.en', { version: 1, subject: 'x' }), 409, 'conflict', 'version');
    const inc2 = expectStatus(await agent.post('/api/v1/tickets', {
      kind: 'incident', title: 'Edited template', description: 'x', impact: 3, urgency: 3, requester: 'alice',
    }), 201);
    const m = await waitFor((x) => subjectOf(x).includes('Edited template'), 'edited template');
    // The tag is put in front when an edited subject lacks it.
    assert.equal(subjectOf(m), `[${inc2.key}] New: Edited template`);
    assert.match(m.raw, new RegExp(`Dear alice, we have ${inc2.key}\\.`));
  });

  it('settings: the user or an admin; another user 404; bad values 400', async () => {
    expectError(await alice.get('/api/v1/users/hanako/notifications'), 404, 'not_found');
    expectError(await agent.patch('/api/v1/users/alice/notifications', { version: 2, lang: 'ja' }), 404, 'not_found');
    expectError(await alice.patch('/api/v1/users/alice/notifications', { version: 2, lang: 'fr' }), 400, 'invalid', 'lang');
    expectError(await alice.patch('/api/v1/users/alice/notifications', { version: 2, off: ['weather'] }), 400, 'invalid', 'off');
    expectError(await alice.patch('/api/v1/users/alice/notifications', { version: 1, lang: 'ja' }), 409, 'conflict', 'version');
    const p = expectStatus(await admin.patch('/api/v1/users/alice/notifications', { version: 2, off: [] }), 200);
    assert.deepEqual(p.off, []);
    assert.equal(p.version, 3);
    expectError(await admin.get('/api/v1/users/nobody/notifications'), 404, 'not_found');
  });

  it('the CLI: itsm notify templates, template show/update, settings, set', async () => {
    const list = JSON.parse(cliOk(store.db, ['--json', 'notify', 'templates']));
    assert.equal(list.items.length, 14);
    const ja = JSON.parse(cliOk(store.db, ['--json', 'notify', 'template', 'show', 'resolve.ja']));
    assert.equal(ja.subject, '[{{key}}] 解決しました: {{title}}');
    const body = join(store.dir, 'body.txt');
    writeFileSync(body, '{{actor}} が {{key}} を解決しました。\n');
    assert.equal(cliOk(store.db, ['notify', 'template', 'update', 'resolve.ja', '--body-file', body]), 'updated template resolve.ja');
    const r = cli(store.db, ['notify', 'template', 'update', 'resolve.ja', '--subject', 'x {{nope}}']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /unknown placeholder '\{\{nope\}\}/);
    const s = JSON.parse(cliOk(store.db, ['--json', 'notify', 'set', 'hanako', '--off', 'comment,status']));
    assert.deepEqual(s.off, ['comment', 'status']);
    assert.equal(s.lang, 'ja');
    const back = JSON.parse(cliOk(store.db, ['--json', 'notify', 'set', 'hanako', '--off', 'none']));
    assert.deepEqual(back.off, []);
    assert.equal(cli(store.db, ['notify', 'settings', 'nobody']).status, 1);
  });

  it('the audit chain verifies after all of it', async () => {
    const r = expectStatus(await admin.get('/api/v1/audit/verify'), 200);
    assert.equal(r.ok, true);
  });
});

describe('without an SMTP server: mail.sendmail', () => {
  it('a notification goes whole to the mail command\'s standard input, one run per message (no SMTP session)', async () => {
    await stopClean(srv);
    const fake = join(store.dir, 'fake-sendmail');
    writeFileSync(fake, `#!/bin/sh\nprintf '%s\\n' "$@" > '${store.dir}/sm.'$$'.argv'\ncat > '${store.dir}/sm.'$$'.stdin'\n`);
    chmodSync(fake, 0o755);
    const conf = join(store.dir, 'sendmail.conf');
    writeFileSync(conf, `[mail]\nsendmail = ${fake} -i -t\nfrom = desk@itsm.example\n`);
    srv = await startServer(store.db, ['--allow-clock'], { ITSM_CONFIG: conf });
    agent = client(srv.url, tokens.agent1);
    const keys = [];
    for (const title of ['By sendmail one', 'By sendmail two']) {
      keys.push(expectStatus(await agent.post('/api/v1/tickets', {
        kind: 'incident', title, description: 'x', impact: 3, urgency: 3, requester: 'alice',
      }), 201).key);
    }
    const runs = () => readdirSync(store.dir).filter((f) => /^sm\.\d+\.stdin$/.test(f))
      .map((f) => readFileSync(join(store.dir, f), 'utf8'));
    for (let i = 0; i < 150 && !keys.every((k) => runs().some((x) => x.includes(`[${k}]`))); i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    for (const k of keys) {
      const m = runs().find((x) => x.includes(`Subject: [${k}]`));
      assert.ok(m, `the mail command got ${k}'s notice`);
      assert.match(m, /^From: itsm <desk@itsm\.example>/m);
      assert.match(m, /^To: (.*<)?alice@acme\.example>?$/m);
      assert.match(m, /^Message-Id: <ticket-/mi);
    }
    assert.equal(runs().filter((x) => keys.some((k) => x.includes(`[${k}]`))).length, 2, 'one run per message');
  });
});
