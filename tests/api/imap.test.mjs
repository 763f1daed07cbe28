// imap.test.mjs — IMAP polling against a real Dovecot (dovecot.mjs) and
// the per-sender hourly limit: messages put into the Maildir become
// tickets through `itsm mail poll --once` and through the server's own
// poller; \Seen is set or the message moved; a second poll takes nothing;
// a poll whose flag step fails (the folder to move to does not exist yet)
// stores the message once and only flags it later; a changed UIDVALIDITY
// forgets the mailbox's UIDs and the Message-IDs keep the messages from
// being stored twice; a wrong password is a failure named on stderr and
// in the server's log, never a crash. A missing dovecot fails here.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import {
  makeStore, seed, startServer, client, cli, cliAsync, expectStatus, sql, stopClean, BIN, ENGINE,
} from './lib.mjs';
import { startDovecot } from './dovecot.mjs';

const FIXTURES = join(import.meta.dirname, 'fixtures', 'mail');
const fixture = (name) => readFileSync(join(FIXTURES, name));

let store, srv, tokens, admin, dove, conf, badConf;

const count = (query) => Number(sql(store.db, query).trim());
const poll = (mailbox, c = conf) => cli(store.db, ['--config', c, 'mail', 'poll', '--once', '--mailbox', mailbox]);
const pollJson = (mailbox) => {
  const r = cli(store.db, ['--config', conf, '--json', 'mail', 'poll', '--once', '--mailbox', mailbox]);
  return { ...r, out: JSON.parse(r.stdout).items[0] };
};
// A message of alice's with its own Message-ID and subject.
const message = (id, subject) => Buffer.from(
  `From: Alice <alice@acme.example>\r\nTo: support@itsm.example\r\nSubject: ${subject}\r\n`
  + `Message-ID: <${id}@acme.example>\r\nDate: Thu, 03 Dec 2026 09:00:00 +0900\r\n\r\nBody of ${id}.\r\n`);

before(async () => {
  store = makeStore();
  tokens = seed(store.db);
  dove = await startDovecot();
  const pw = join(store.dir, 'imap.pw');
  const bad = join(store.dir, 'imap-bad.pw');
  writeFileSync(pw, `${dove.password}\n`);
  writeFileSync(bad, 'not-the-password\n');
  const box = (name, extra) => `[imap.${name}]\nurl = ${dove.url}\nuser = ${dove.user}\npassword_file = ${pw}\n${extra}`;
  conf = join(store.dir, 'itsm.conf');
  writeFileSync(conf, `${box('seen', 'after = seen\nqueue = support\n')}`
    + `${box('moved', 'folder = Incoming\nafter = move\nmove_to = Done\n')}`
    + `${box('live', 'folder = Live\nafter = seen\ninterval = 1\n')}`);
  badConf = join(store.dir, 'bad.conf');
  writeFileSync(badConf, `[imap.bad]\nurl = ${dove.url}\nuser = ${dove.user}\npassword_file = ${bad}\ninterval = 1\n`);
  dove.makeFolder('Incoming');
  dove.makeFolder('Live');
  srv = await startServer(store.db);
  admin = client(srv.url, tokens.admin);
  const u = expectStatus(await admin.get('/api/v1/users/alice'), 200);
  expectStatus(await admin.patch('/api/v1/users/alice', { version: u.version, email: 'alice@acme.example' }), 200);
});

after(async () => {
  if (srv) await stopClean(srv);
  if (dove) await dove.stop();
  store.cleanup();
});

describe('polling a mailbox, flagging \\Seen', () => {
  it('an ISO-2022-JP message becomes a ticket with its Japanese title, then is \\Seen', async () => {
    dove.put('INBOX', fixture('iso2022jp.eml'));
    const r = pollJson('seen');
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual([r.out.taken, r.out.created, r.out.duplicates, r.out.flagged], [1, 1, 0, 1]);
    const key = sql(store.db, "SELECT t.key FROM mail_messages m JOIN tickets t ON t.id = m.ticket_id WHERE m.message_id = 'jp-0001@acme.example'").trim();
    const t = expectStatus(await admin.get(`/api/v1/tickets/${key}`), 200);
    assert.equal(t.title, 'プリンターが動きません');
    assert.equal(t.kind, 'incident');
    assert.equal(sql(store.db, "SELECT queue FROM mail_messages WHERE message_id = 'jp-0001@acme.example'").trim(), 'support');
    assert.deepEqual(dove.files('INBOX').map((f) => f.seen), [true]);
    // remembered with the mailbox's UIDVALIDITY, done
    assert.equal(sql(store.db, "SELECT uidvalidity || ' ' || uid || ' ' || done FROM mail_imap_uids WHERE mailbox = 'seen'").trim(),
      `${dove.uidValidity('INBOX')} 1 1`);
  });

  it('a second poll takes nothing and opens nothing', () => {
    const before = count('SELECT count(*) FROM tickets');
    const r = pollJson('seen');
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual([r.out.taken, r.out.flagged], [0, 0]);
    assert.equal(count('SELECT count(*) FROM tickets'), before);
  });

  it('bytes that are not a message are skipped, remembered and flagged; the next message still comes', () => {
    dove.put('INBOX', fixture('malformed.eml'));
    dove.put('INBOX', fixture('shift_jis.eml'));
    const r = pollJson('seen');
    assert.equal(r.status, 0, r.stderr);
    // uid 2 malformed (skipped), uid 3 Shift_JIS (created): 2 flagged
    assert.deepEqual([r.out.taken, r.out.created, r.out.skipped, r.out.flagged], [1, 1, 1, 2]);
    assert.equal(count("SELECT count(*) FROM mail_imap_uids WHERE mailbox = 'seen' AND mail_id IS NULL"), 1);
    assert.equal(sql(store.db, "SELECT t.title FROM mail_messages m JOIN tickets t ON t.id = m.ticket_id WHERE m.message_id = 'sjis-0001@acme.example'").trim(), '会議室の予約');
    assert.ok(dove.files('INBOX').every((f) => f.seen));
  });
});

describe('moving, and a crash between storing and flagging', () => {
  it('the move fails (no folder Done yet): the message is stored once, left in place, not done', () => {
    dove.put('Incoming', fixture('quoted_printable.eml'));
    const r = pollJson('moved');
    assert.equal(r.status, 1);
    assert.match(r.stderr, /mailbox 'moved'/);
    assert.deepEqual([r.out.taken, r.out.created, r.out.flagged], [1, 1, 0]);
    assert.equal(count("SELECT count(*) FROM mail_imap_uids WHERE mailbox = 'moved' AND done = 0"), 1);
    assert.equal(dove.files('Incoming').length, 1);
  });

  it('polling again while the move still fails opens no second ticket', () => {
    const r = pollJson('moved');
    assert.equal(r.status, 1);
    assert.deepEqual([r.out.taken, r.out.created], [0, 0]);
    assert.equal(count("SELECT count(*) FROM tickets WHERE title = 'Café Wi-Fi is down'"), 1);
    assert.equal(count("SELECT count(*) FROM mail_messages WHERE message_id = 'qp-0001@acme.example'"), 1);
  });

  it('once Done exists the next poll only moves it', () => {
    dove.makeFolder('Done');
    const r = pollJson('moved');
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual([r.out.taken, r.out.created, r.out.flagged], [0, 0, 1]);
    assert.equal(dove.files('Incoming').length, 0);
    assert.equal(dove.files('Done').length, 1);
    assert.equal(count("SELECT count(*) FROM tickets WHERE title = 'Café Wi-Fi is down'"), 1);
    assert.equal(count("SELECT count(*) FROM mail_imap_uids WHERE mailbox = 'moved' AND done = 0"), 0);
  });
});

describe('a changed UIDVALIDITY', () => {
  it('forgets the mailbox\'s UIDs; the messages come again as duplicates, no ticket twice', () => {
    const tickets = count('SELECT count(*) FROM tickets');
    const old = dove.uidValidity('INBOX');
    dove.setUidValidity('INBOX', 777);
    const r = pollJson('seen');
    assert.equal(r.status, 0, r.stderr);
    // 3 UIDs remembered under the old value (jp, malformed, sjis) are
    // forgotten; the 2 messages come again as duplicates, the malformed
    // one is skipped again; 3 flagged.
    assert.deepEqual([r.out.forgotten, r.out.taken, r.out.duplicates, r.out.created, r.out.skipped, r.out.flagged],
      [3, 2, 2, 0, 1, 3]);
    assert.equal(count('SELECT count(*) FROM tickets'), tickets);
    assert.equal(count(`SELECT count(*) FROM mail_imap_uids WHERE mailbox = 'seen' AND uidvalidity = ${old}`), 0);
    assert.equal(count("SELECT count(*) FROM mail_imap_uids WHERE mailbox = 'seen' AND uidvalidity = 777"), 3);
    assert.equal(count("SELECT count(*) FROM audit_log WHERE action = 'mail.imap_reset' AND entity = 'imap:seen'"), 1);
  });
});

describe('a wrong password', () => {
  it('is a failure named on stderr (exit 1), not a crash; nothing stored', () => {
    const mails = count('SELECT count(*) FROM mail_messages');
    const r = poll('bad', badConf);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /mailbox 'bad': .*(Login denied|login|denied)/i);
    assert.equal(count('SELECT count(*) FROM mail_messages'), mails);
  });
});

describe('the server polls on its own', () => {
  it('takes a new message within seconds, logs a failing mailbox, and stops promptly on SIGTERM', async () => {
    await stopClean(srv);
    const both = join(store.dir, 'both.conf');
    writeFileSync(both, readFileSync(conf, 'utf8') + readFileSync(badConf, 'utf8'));
    srv = await startServer(store.db, [], { ITSM_CONFIG: both });
    admin = client(srv.url, tokens.admin);
    dove.put('Live', message('live-1', 'Polled by the server'));
    let n = 0;
    for (let i = 0; i < 100 && !n; i++) {
      await new Promise((r) => setTimeout(r, 100));
      n = count("SELECT count(*) FROM tickets WHERE title = 'Polled by the server'");
    }
    assert.equal(n, 1);
    for (let i = 0; i < 50 && !/imap poll failed.*mailbox=bad/.test(srv.errors()); i++)
      await new Promise((r) => setTimeout(r, 100));
    assert.match(srv.errors(), /msg="imap poll failed" mailbox=bad failures=1 retry_s=1/);
    const t0 = Date.now();
    await stopClean(srv);
    assert.ok(Date.now() - t0 < 5000, `stopped in ${Date.now() - t0} ms`);
    srv = await startServer(store.db);
    admin = client(srv.url, tokens.admin);
  });
});

// A server that speaks just enough IMAP to log in, then answers as mode
// says: a reply the poller must refuse without crashing.
function hostileServer(mode) {
  return new Promise((resolve) => {
    const srv = createServer((sock) => {
      sock.write('* OK fake server ready\r\n');
      let buf = '';
      sock.on('error', () => {});
      sock.on('data', (d) => {
        buf += d;
        let i;
        while ((i = buf.indexOf('\r\n')) >= 0) {
          const line = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const [tag, cmd] = line.split(' ');
          const c = (cmd || '').toUpperCase();
          if (c === 'CAPABILITY') sock.write(`* CAPABILITY IMAP4rev1\r\n${tag} OK done\r\n`);
          else if (c === 'LOGIN') {
            if (mode === 'drop') { sock.destroy(); return; }
            sock.write(`${tag} OK logged in\r\n`);
          } else if (c === 'STATUS') {
            if (mode === 'status') sock.write(`* STATUS INBOX (UIDVALIDITY banana)\r\n${tag} OK\r\n`);
            else if (mode === 'long') sock.write(`* STATUS INBOX (${'X'.repeat(200000)}\r\n${tag} OK\r\n`);
            else sock.write(`* STATUS INBOX (UIDVALIDITY 5)\r\n${tag} OK\r\n`);
          } else if (c === 'SELECT' || c === 'EXAMINE') {
            sock.write(`* 3 EXISTS\r\n* OK [UIDVALIDITY 5] ok\r\n${tag} OK [READ-WRITE] done\r\n`);
          } else if (c === 'UID') sock.write(`* SEARCH 1 2 x9\r\n${tag} OK\r\n`);
          else if (c === 'LOGOUT') { sock.write(`* BYE\r\n${tag} OK\r\n`); sock.end(); } else sock.write(`${tag} BAD what\r\n`);
        }
      });
    });
    srv.listen(0, '127.0.0.1', () => resolve(srv));
  });
}

describe('a hostile or broken server', () => {
  for (const [mode, why] of [['status', /no UIDVALIDITY/], ['search', /malformed SEARCH/],
    ['drop', /mailbox 'hostile'/], ['long', /mailbox 'hostile'/]]) {
    it(`${mode}: the poll fails with a message, exit 1, nothing stored`, async () => {
      const fake = await hostileServer(mode);
      try {
        const mails = count('SELECT count(*) FROM mail_messages');
        const c = join(store.dir, `hostile-${mode}.conf`);
        writeFileSync(c, `[imap.hostile]\nurl = imap://127.0.0.1:${fake.address().port}\nuser = x\n`
          + `password_file = ${join(store.dir, 'imap.pw')}\n`);
        const r = await cliAsync(store.db, ['--config', c, 'mail', 'poll', '--once']);
        assert.equal(r.status, 1, r.stderr);
        assert.match(r.stderr, why);
        assert.equal(count('SELECT count(*) FROM mail_messages'), mails);
      } finally {
        fake.close();
      }
    });
  }
});

const severalSkip = ENGINE !== 'postgresql'
  && 'several servers share a store on PostgreSQL only (a SQLite file belongs to one server)';

describe('two servers on one PostgreSQL database', { skip: severalSkip }, () => {
  it('the leader alone polls; when it is killed the other takes over', async () => {
    const live = join(store.dir, 'live.conf');
    writeFileSync(live, readFileSync(conf, 'utf8'));
    const env = { ITSM_CONFIG: live, ITSM_LOG: 'info' };
    const a = await startServer(store.db, [], env);
    const b = await startServer(store.db, [], env);
    const stored = (s) => (s.errors().match(/msg="imap message stored" mailbox=live/g) || []).length;
    try {
      for (let i = 0; i < 5; i++) dove.put('Live', message(`pair-${i}`, `Pair ${i}`));
      let n = 0;
      // the log line follows the commit: wait for both
      for (let i = 0; i < 150 && (n < 5 || stored(a) + stored(b) < 5); i++) {
        await new Promise((r) => setTimeout(r, 100));
        n = count("SELECT count(*) FROM tickets WHERE title LIKE 'Pair %'");
      }
      assert.equal(n, 5);
      // 5 stored, all by one server
      assert.deepEqual([stored(a) + stored(b), Math.min(stored(a), stored(b))], [5, 0], `${a.errors()}\n---\n${b.errors()}`);
      const [leader, other] = stored(a) ? [a, b] : [b, a];
      await leader.kill();
      dove.put('Live', message('pair-after', 'Pair after the leader died'));
      n = 0;
      for (let i = 0; i < 300 && (!n || !stored(other)); i++) {
        await new Promise((r) => setTimeout(r, 100));
        n = count("SELECT count(*) FROM tickets WHERE title = 'Pair after the leader died'");
      }
      assert.equal(n, 1);
      assert.equal(stored(other), 1);
    } finally {
      for (const s of [a, b]) if (s.proc.exitCode === null && s.proc.signalCode === null) await stopClean(s);
    }
  });
});

describe('itsm mail poll without --once', () => {
  it('polls every interval until SIGTERM, then exits 0 at once', async () => {
    const p = spawn(BIN, ['--db', store.db, '--config', conf, 'mail', 'poll'],
      { env: { ...process.env, ITSM_LOG: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d) => { err += d; });
    const exited = new Promise((r) => p.on('exit', (code, sig) => r({ code, sig })));
    dove.put('Live', message('loop-1', 'Polled by mail poll'));
    let n = 0;
    for (let i = 0; i < 100 && !n; i++) {
      await new Promise((r) => setTimeout(r, 100));
      n = count("SELECT count(*) FROM tickets WHERE title = 'Polled by mail poll'");
    }
    assert.equal(n, 1, err);
    const t0 = Date.now();
    p.kill('SIGTERM');
    const { code } = await exited;
    assert.equal(code, 0, err);
    assert.ok(Date.now() - t0 < 5000, `stopped in ${Date.now() - t0} ms`);
  });
});

describe('at most mail.sender_hourly_limit tickets per sender per hour', () => {
  it('the 4th new message within the hour is ignored with the reason, exit 0; a reply still comments', () => {
    const limited = join(store.dir, 'limit.conf');
    writeFileSync(limited, '[mail]\nsender_hourly_limit = 3\n');
    const receive = (bytes) => cli(store.db, ['--config', limited, 'mail', 'receive'], { input: bytes });
    // alice opened by mail in the last hour so far: jp-0001, sjis-0001,
    // qp-0001, live-1 and loop-1 — 5 already (on PostgreSQL 6 more: the
    // two servers' pair-0…4 and pair-after), over 3: the next new one is
    // ignored.
    const already = count("SELECT count(*) FROM mail_messages WHERE from_addr = 'alice@acme.example' AND outcome = 'created'");
    assert.equal(already, ENGINE === 'postgresql' ? 11 : 5);
    const r = receive(message('limit-1', 'One too many'));
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^ignored \d+$/m);
    assert.match(r.stderr, new RegExp(`rate limit: the sender opened ${already} tickets by mail in the last hour \\(mail.sender_hourly_limit = 3\\)`));
    assert.equal(count("SELECT count(*) FROM tickets WHERE title = 'One too many'"), 0);
    assert.equal(sql(store.db, "SELECT outcome FROM mail_messages WHERE message_id = 'limit-1@acme.example'").trim(), 'ignored');
    // a reply to a ticket is no new ticket: not limited
    const reply = Buffer.from('From: alice@acme.example\r\nSubject: Re: Polled\r\nMessage-ID: <limit-2@acme.example>\r\n'
      + 'In-Reply-To: <live-1@acme.example>\r\n\r\nStill broken.\r\n');
    const c = receive(reply);
    assert.equal(c.status, 0, c.stderr);
    assert.match(c.stdout, /^commented \d+ [A-Z]+-\d+$/m);
  });

  it('with a higher limit the same sender opens tickets again (counted from the store)', () => {
    const wide = join(store.dir, 'wide.conf');
    const already = count("SELECT count(*) FROM mail_messages WHERE from_addr = 'alice@acme.example' AND outcome = 'created'");
    writeFileSync(wide, `[mail]\nsender_hourly_limit = ${already + 1}\n`);
    // n created in the hour, limit n + 1: one more is created, the next ignored
    const a = cli(store.db, ['--config', wide, 'mail', 'receive'], { input: message('limit-3', 'Fifth') });
    const b = cli(store.db, ['--config', wide, 'mail', 'receive'], { input: message('limit-4', 'Sixth') });
    assert.match(a.stdout, /^created \d+ [A-Z]+-\d+$/m);
    assert.match(b.stdout, /^ignored \d+$/m);
    // 0 turns the limit off
    const off = join(store.dir, 'off.conf');
    writeFileSync(off, '[mail]\nsender_hourly_limit = 0\n');
    const c = cli(store.db, ['--config', off, 'mail', 'receive'], { input: message('limit-5', 'Seventh') });
    assert.match(c.stdout, /^created \d+ [A-Z]+-\d+$/m);
  });

  it('a negative limit is refused at start', () => {
    const neg = join(store.dir, 'neg.conf');
    writeFileSync(neg, '[mail]\nsender_hourly_limit = -1\n');
    const r = cli(store.db, ['--config', neg, 'mail', 'receive'], { input: message('limit-6', 'x') });
    assert.equal(r.status, 75);
    assert.match(r.stderr, /sender_hourly_limit/);
  });
});

describe('the audit chain', () => {
  it('verifies after all of it: polled messages, the renumbering, the limited ones', () => {
    const r = cli(store.db, ['audit', 'verify']);
    assert.equal(r.status, 0, r.stdout + r.stderr);
  });
});
