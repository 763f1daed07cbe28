// mailgate.test.mjs — itsm-mailgate, the MTA's gate to a running server:
// one message on standard input becomes POST /api/v1/mail/inbound, and the
// exit status is what an MTA acts on (sysexits: 0 stored, 65 refused for
// good with the reason on stderr, 75 try again later, 64 a wrong command
// line). The token stays out of everything it prints.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import {
  BIN, makeStore, seed, startServer, client, cliOk, expectStatus, stopClean,
} from './lib.mjs';

const GATE = process.env.ITSM_MAILGATE || join(dirname(BIN), 'itsm-mailgate');
const FIXTURES = join(import.meta.dirname, 'fixtures', 'mail');
const fixture = (name) => readFileSync(join(FIXTURES, name));

let store, srv, tokens, admin, tokenFile, badTokenFile;

function gate(args, input) {
  return new Promise((resolve) => {
    const p = spawn(GATE, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => { out += d; });
    p.stderr.on('data', (d) => { err += d; });
    p.on('close', (code) => resolve({ code, out, err }));
    p.stdin.on('error', () => {});
    p.stdin.end(input);
  });
}

// A port nothing listens on: bound, then closed.
function deadPort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

before(async () => {
  store = makeStore();
  tokens = seed(store.db);
  tokens.gateway = cliOk(store.db, ['token', 'create', 'mailgw', '--user', 'agent1', '--scope', 'events']);
  tokenFile = join(store.dir, 'gate.token');
  // The first line, blanks around it cut: how an admin writes the file.
  writeFileSync(tokenFile, `  ${tokens.gateway}  \n`);
  badTokenFile = join(store.dir, 'bad.token');
  writeFileSync(badTokenFile, 'not-a-token\n');
  const conf = join(store.dir, 'itsm.conf');
  // 4096 bytes: the oversize case needs no 10 MiB message.
  writeFileSync(conf, '[mail]\nmax_size = 4096\nqueue_kinds = facilities=request\n');
  srv = await startServer(store.db, [], { ITSM_CONFIG: conf });
  admin = client(srv.url, tokens.admin);
  const u = expectStatus(await admin.get('/api/v1/users/alice'), 200);
  expectStatus(await admin.patch('/api/v1/users/alice', { version: u.version, email: 'alice@acme.example' }), 200);
});

after(async () => {
  await stopClean(srv);
  store.cleanup();
});

describe('itsm-mailgate', () => {
  it('stores a Japanese message as a ticket and exits 0 with the outcome', async () => {
    const r = await gate(['--url', srv.url, '--token-file', tokenFile], fixture('iso2022jp.eml'));
    assert.equal(r.code, 0, r.err);
    const m = r.out.match(/^created (\d+) (INC-\d+)\n$/);
    assert.ok(m, r.out);
    const t = expectStatus(await admin.get(`/api/v1/tickets/${m[2]}`), 200);
    assert.equal(t.title, 'プリンターが動きません');
    assert.equal(t.channel, 'email');
    assert.equal(t.requester, 'alice');
  });

  it('passes the queue, which picks the kind', async () => {
    const msg = Buffer.from('From: alice@acme.example\r\nMessage-ID: <gate-queue@x>\r\n'
      + 'Subject: Desk lamp\r\n\r\nThe lamp is broken.\r\n');
    const r = await gate(['--url', `${srv.url}/`, '--token-file', tokenFile, '--queue', 'facilities'], msg);
    assert.equal(r.code, 0, r.err);
    const key = r.out.trim().split(' ')[2];
    assert.match(key, /^REQ-\d+$/, 'queue facilities opens requests');
    // A name the server would refuse is the command line's mistake (64),
    // never a bounce of the customer's mail.
    const r2 = await gate(['--url', srv.url, '--token-file', tokenFile, '--queue', 'a&queue=x'], msg);
    assert.equal(r2.code, 64);
    assert.match(r2.err, /--queue takes/);
  });

  it('a duplicate is stored once and still exits 0', async () => {
    const r = await gate(['--url', srv.url, '--token-file', tokenFile], fixture('iso2022jp.eml'));
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^duplicate \d+\n$/);
  });

  it('refuses for good (65) what the server refuses, with its reason', async () => {
    const stranger = Buffer.from('From: nobody@nowhere.example\r\nMessage-ID: <gate-stranger@x>\r\n'
      + 'Subject: hi\r\n\r\nx\r\n');
    let r = await gate(['--url', srv.url, '--token-file', tokenFile], stranger);
    assert.equal(r.code, 65);
    assert.match(r.err, /refused \(403\): refused \(mail \d+\)/);
    r = await gate(['--url', srv.url, '--token-file', tokenFile], Buffer.from('not a message at all'));
    assert.equal(r.code, 65);
    assert.match(r.err, /\(400\)/);
    r = await gate(['--url', srv.url, '--token-file', tokenFile], Buffer.alloc(0));
    assert.equal(r.code, 65);
    assert.match(r.err, /no message/);
  });

  it('over the server\'s mail.max_size: 65, so the MTA bounces it', async () => {
    const big = Buffer.concat([Buffer.from('From: alice@acme.example\r\nSubject: big\r\n\r\n'),
      Buffer.alloc(8000, 'a')]);
    const r = await gate(['--url', srv.url, '--token-file', tokenFile], big);
    assert.equal(r.code, 65, r.err);
    assert.match(r.err, /\(413\)/);
  });

  it('a large message asks first (Expect: 100-continue) and is refused before it is sent', async () => {
    // 2 MiB: over the gate's 1 MiB threshold and the server's 4096.
    const big = Buffer.concat([Buffer.from('From: alice@acme.example\r\nSubject: big\r\n\r\n'),
      Buffer.alloc(2 << 20, 'a')]);
    const r = await gate(['--url', srv.url, '--token-file', tokenFile], big);
    assert.equal(r.code, 65, r.err);
    assert.match(r.err, /\(413\)/);
    // Over the gate's own --max-size: refused without a connection.
    const r2 = await gate(['--url', 'http://127.0.0.1:1', '--token-file', tokenFile, '--max-size', '100'], big);
    assert.equal(r2.code, 65);
    assert.match(r2.err, /over 100 bytes/);
  });

  it('exits 75 (try later) when the server cannot be reached or the token is wrong', async () => {
    const msg = Buffer.from('From: alice@acme.example\r\nMessage-ID: <gate-later@x>\r\nSubject: later\r\n\r\nx\r\n');
    const port = await deadPort();
    let r = await gate(['--url', `http://127.0.0.1:${port}`, '--token-file', tokenFile], msg);
    assert.equal(r.code, 75);
    assert.match(r.err, /cannot connect/);
    r = await gate(['--url', srv.url, '--token-file', badTokenFile], msg);
    assert.equal(r.code, 75);
    assert.match(r.err, /will retry \(401\)/);
    r = await gate(['--url', srv.url, '--token-file', join(store.dir, 'missing.token')], msg);
    assert.equal(r.code, 75);
    assert.match(r.err, /cannot read a token/);
    // Nothing of it was stored: the MTA keeps it and delivers it later.
    const later = await gate(['--url', srv.url, '--token-file', tokenFile], msg);
    assert.equal(later.code, 0, later.err);
    assert.match(later.out, /^created /);
  });

  it('a requester\'s token is refused like any other wrong token: 75, nothing stored', async () => {
    const f = join(store.dir, 'alice.token');
    writeFileSync(f, `${tokens.alice}\n`);
    const r = await gate(['--url', srv.url, '--token-file', f],
      Buffer.from('From: alice@acme.example\r\nMessage-ID: <gate-alice@x>\r\nSubject: s\r\n\r\nx\r\n'));
    assert.equal(r.code, 75, 'the admin\'s mistake: the MTA keeps the message');
    assert.match(r.err, /will retry \(403\)/);
    assert.doesNotMatch(r.err, new RegExp(tokens.alice));
  });

  it('a wrong command line is 64 and names the option; the token never printed', async () => {
    for (const args of [[], ['--url', srv.url], ['--url', 'https://x', '--token-file', tokenFile],
      ['--url', 'http://u:p@127.0.0.1', '--token-file', tokenFile], ['--url', 'http://h:99999', '--token-file', tokenFile],
      ['--url', srv.url, '--token-file', tokenFile, '--timeout', '0'], ['--bogus', 'x']]) {
      const r = await gate(args, Buffer.from('x'));
      assert.equal(r.code, 64, `${args.join(' ')}: ${r.err}`);
      assert.doesNotMatch(r.err, new RegExp(tokens.gateway));
    }
    const ok = await gate(['--help'], Buffer.alloc(0));
    assert.equal(ok.code, 0);
    assert.match(ok.err, /--token-file/);
  });
});
