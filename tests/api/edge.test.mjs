// edge.test.mjs — the HTTP edge against clients that do not play by the
// rules, over raw sockets (fetch would normalise what is sent): a request
// cannot write a line or a field of its own into the log; slow clients are
// closed at the header deadline and held to a per-address cap while a
// well-behaved client keeps being served; malformed requests (a path or
// query that is not UTF-8 or holds a NUL, a NUL in a header, HTTP/1.1
// without Host, a body announced over the limit) get the error JSON.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import http from 'node:http';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeStore, seed, startServer, stopClean } from './lib.mjs';

const HEADER_TIMEOUT_S = 2;
const PER_IP = 8;
const IDLE_TIMEOUT_S = 30;

let store, srv, tokens, port;

before(async () => {
  store = makeStore();
  tokens = seed(store.db);
  const conf = join(store.dir, 'edge.conf');
  writeFileSync(conf, [
    '[server]',
    'body_limit = 1024',
    'max_connections = 32',
    `max_connections_per_ip = ${PER_IP}`,
    `header_timeout = ${HEADER_TIMEOUT_S}`,
    `connection_timeout = ${IDLE_TIMEOUT_S}`,
    '',
  ].join('\n'));
  srv = await startServer(store.db, ['--config', conf], { ITSM_LOG: 'info' });
  port = Number(new URL(srv.url).port);
});

after(async () => {
  if (srv) await stopClean(srv);
  store?.cleanup();
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Parse what the server sent on one connection: the first response.
function parseResponse(buf) {
  const text = buf.toString('utf8');
  const end = text.indexOf('\r\n\r\n');
  if (end < 0) return { status: 0, headers: {}, text: '', json: null, raw: text };
  const [statusLine, ...lines] = text.slice(0, end).split('\r\n');
  const headers = {};
  for (const l of lines) {
    const i = l.indexOf(':');
    headers[l.slice(0, i).toLowerCase()] = l.slice(i + 1).trim();
  }
  const body = text.slice(end + 4);
  let json = null;
  try { json = JSON.parse(body); } catch { /* not JSON */ }
  return { status: Number(statusLine.split(' ')[1]), headers, text: body, json, raw: text };
}

// Send bytes (a string is taken byte for byte, latin1) on a fresh
// connection and collect what comes back until the server closes it (or
// `wait` ms pass). The request is never ended from this side, so a server
// that waits for more keeps waiting.
function raw(data, { wait = 5000, localAddress } = {}) {
  return new Promise((resolve) => {
    const chunks = [];
    let closedByServer = false;
    const sock = net.connect({ host: '127.0.0.1', port, localAddress });
    const timer = setTimeout(() => sock.destroy(), wait);
    sock.on('connect', () => sock.write(typeof data === 'string' ? Buffer.from(data, 'latin1') : data));
    sock.on('data', (d) => chunks.push(d));
    sock.on('end', () => { closedByServer = true; });
    sock.on('error', () => { closedByServer = true; });
    sock.on('close', () => {
      clearTimeout(timer);
      resolve({ ...parseResponse(Buffer.concat(chunks)), closedByServer });
    });
  });
}

const get = (path, headers = '') => raw(`GET ${path} HTTP/1.1\r\nHost: edge\r\n${headers}Connection: close\r\n\r\n`);
const bearer = (who) => `Authorization: Bearer ${tokens[who]}\r\n`;

function expectErrorJson(res, status, code, field) {
  assert.equal(res.status, status, res.raw);
  assert.equal(res.headers['content-type'], 'application/json', res.raw);
  assert.equal(res.json?.error?.code, code, res.raw);
  assert.ok(res.json.error.message, res.raw);
  if (field !== undefined) assert.equal(res.json.error.field ?? null, field, res.raw);
}

// One logfmt line, strictly: key=value pairs one space apart, a value bare
// or in double quotes with \" \\ \n \r \t \xNN. Values come back as bytes.
function parseLogfmt(line) {
  const fields = [];
  let i = 0;
  while (i < line.length) {
    const key = /^([a-z_]+)=/.exec(line.slice(i));
    if (!key) throw new Error(`no key at column ${i}: ${JSON.stringify(line)}`);
    i += key[0].length;
    const bytes = [];
    if (line[i] === '"') {
      for (i++; ; ) {
        if (i >= line.length) throw new Error(`a quote that does not end: ${JSON.stringify(line)}`);
        const c = line.codePointAt(i);
        const ch = String.fromCodePoint(c);
        if (ch === '"') { i++; break; }
        if (ch !== '\\') { bytes.push(...Buffer.from(ch, 'utf8')); i += ch.length; continue; }
        const e = line[i + 1];
        if (e === 'x') { bytes.push(parseInt(line.slice(i + 2, i + 4), 16)); i += 4; continue; }
        const map = { n: 10, r: 13, t: 9, '"': 34, '\\': 92 };
        if (!(e in map)) throw new Error(`unknown escape \\${e}: ${JSON.stringify(line)}`);
        bytes.push(map[e]);
        i += 2;
      }
    } else {
      const word = /^[^ "=\\]+/.exec(line.slice(i));
      if (!word) throw new Error(`an empty bare value: ${JSON.stringify(line)}`);
      bytes.push(...Buffer.from(word[0], 'utf8'));
      i += word[0].length;
    }
    fields.push([key[1], Buffer.from(bytes)]);
    if (i < line.length) {
      if (line[i] !== ' ') throw new Error(`no space after a value at ${i}: ${JSON.stringify(line)}`);
      i++;
    }
  }
  return fields;
}

// The log lines that mention marker, once the server has written one.
async function logLines(marker) {
  for (let i = 0; i < 100; i++) {
    const lines = srv.errors().split('\n').filter((l) => l.includes(marker));
    if (lines.length) return lines;
    await sleep(20);
  }
  return [];
}

describe('the request log cannot be forged', () => {
  const REQUEST_KEYS = ['ts', 'level', 'method', 'path', 'route', 'status', 'dur_ms', 'user'];
  const cases = [
    ['a line end and a forged line', '/logtest/m1%0Ats=2020-01-01T00:00:00Z%20level=error%20msg=%22forged%22',
      '/logtest/m1\nts=2020-01-01T00:00:00Z level=error msg="forged"'],
    ['a quote that would close the value and forge a field', '/logtest/m2%22%20forged=%22yes',
      '/logtest/m2" forged="yes'],
    ['terminal escapes sent raw', '/logtest/m3\x1b[2J\x1b]0;owned\x07', '/logtest/m3\x1b[2J\x1b]0;owned\x07'],
    ['control characters sent encoded', '/logtest/m4%1b[31m%0d%09%7f%5c', '/logtest/m4\x1b[31m\r\t\x7f\\'],
    ['bytes that are not UTF-8', '/logtest/m5%ff%c3', '/logtest/m5\xff\xc3'],
  ];
  for (const [name, target, decoded] of cases) {
    it(name, async () => {
      const marker = /m\d/.exec(target)[0];
      await raw(`GET ${target} HTTP/1.1\r\nHost: edge\r\nConnection: close\r\n\r\n`);
      const lines = await logLines(`/logtest/${marker}`);
      assert.equal(lines.length, 1, `one line for the request:\n${lines.join('\n')}`);
      const fields = parseLogfmt(lines[0]);
      assert.deepEqual(fields.map(([k]) => k), REQUEST_KEYS, lines[0]);
      const path = fields.find(([k]) => k === 'path')[1];
      assert.deepEqual(path, Buffer.from(decoded, 'latin1'), lines[0]);
      assert.doesNotMatch(srv.errors(), /[\x00-\x09\x0b-\x1f\x7f]/, 'no control character in the log');
    });
  }
});

describe('slow clients', () => {
  // A socket that sends the start of a head and then one header byte every
  // 200 ms, so libmicrohttpd's silence timeout never fires. Resolves with
  // how long the server kept it open.
  function slowLoris(localAddress, { silent = false } = {}) {
    return new Promise((resolve) => {
      const sock = net.connect({ host: '127.0.0.1', port, localAddress });
      const opened = Date.now();
      let drip;
      const cap = setTimeout(() => sock.destroy(), 12000);
      sock.on('connect', () => {
        if (silent) return;
        sock.write('GET /healthz HTTP/1.1\r\nHost: edge\r\nX-Slow: ');
        drip = setInterval(() => sock.write('a'), 200);
      });
      sock.on('error', () => {});
      sock.on('close', () => {
        clearInterval(drip);
        clearTimeout(cap);
        resolve(Date.now() - opened);
      });
    });
  }

  function healthz(localAddress) {
    return new Promise((resolve) => {
      const t0 = Date.now();
      const req = http.get({ host: '127.0.0.1', port, path: '/healthz', localAddress, agent: false }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode, ms: Date.now() - t0 }));
      });
      req.on('error', (e) => resolve({ status: 0, error: e.code, ms: Date.now() - t0 }));
      req.setTimeout(5000, () => req.destroy());
    });
  }

  it('dribbling sockets are closed at the header deadline, capped per address, while another client is served', async (t) => {
    const PER_ATTACKER = 20;
    const attackers = ['127.0.0.1', '127.0.0.3'];
    const loris = attackers.map((a) => Array.from({ length: PER_ATTACKER }, () => slowLoris(a)));
    const silent = [slowLoris('127.0.0.4', { silent: true }), slowLoris('127.0.0.4', { silent: true })];
    const all = Promise.all([...loris.flat(), ...silent]);
    let done = false;
    all.then(() => { done = true; });

    // The well-behaved client, from an address of its own, until every slow
    // socket is gone and a second more.
    const served = [];
    const t0 = Date.now();
    while (!done && Date.now() - t0 < 15000) {
      served.push(await healthz('127.0.0.2'));
      await sleep(50);
    }
    for (let i = 0; i < 5; i++) served.push(await healthz('127.0.0.2'));
    const [open, quiet] = [await Promise.all(loris.map((l) => Promise.all(l))), await Promise.all(silent)];

    const bad = served.filter((r) => r.status !== 200);
    const maxMs = Math.max(...served.map((r) => r.ms));
    const kept = open.map((times) => times.filter((ms) => ms >= 1000));
    for (const [i, times] of open.entries()) {
      const refused = times.filter((ms) => ms < 1000);
      t.diagnostic(`${attackers[i]}: ${times.length} slow sockets, ${kept[i].length} accepted and closed after `
        + `${Math.min(...kept[i])}-${Math.max(...kept[i])} ms, ${refused.length} closed at accept within ${Math.max(...refused)} ms`);
    }
    t.diagnostic(`silent sockets closed after ${quiet.join(', ')} ms`);
    t.diagnostic(`well-behaved client (127.0.0.2): ${served.length} requests, ${served.length - bad.length} answered 200, `
      + `max latency ${maxMs} ms`);

    for (const [i, times] of open.entries()) {
      assert.equal(kept[i].length, PER_IP, `at most ${PER_IP} connections from ${attackers[i]}: ${times}`);
      for (const ms of kept[i]) {
        assert.ok(ms >= HEADER_TIMEOUT_S * 1000 - 200 && ms < HEADER_TIMEOUT_S * 1000 + 3000,
          `closed by the ${HEADER_TIMEOUT_S} s header deadline, long before the ${IDLE_TIMEOUT_S} s idle timeout: ${ms} ms`);
      }
    }
    for (const ms of quiet) {
      assert.ok(ms >= HEADER_TIMEOUT_S * 1000 - 200 && ms < HEADER_TIMEOUT_S * 1000 + 3000,
        `a connection that sends nothing is closed at the header deadline too: ${ms} ms`);
    }
    assert.deepEqual(bad, [], 'every request of the well-behaved client is served');
    assert.ok(served.length >= 10, `the client kept being served: ${served.length} requests`);
    assert.ok(maxMs < 1500, `and promptly: max ${maxMs} ms`);
  });

  it('an idle keep-alive connection outlives the header deadline', async () => {
    const sock = net.connect({ host: '127.0.0.1', port });
    let text = '';
    sock.on('data', (d) => { text += d; });
    let closed = false;
    sock.on('close', () => { closed = true; });
    await new Promise((r) => sock.on('connect', r));
    const request = 'GET /healthz HTTP/1.1\r\nHost: edge\r\n\r\n';
    sock.write(request);
    for (let i = 0; i < 100 && !text.includes('{"status":"ok"}'); i++) await sleep(20);
    await sleep(HEADER_TIMEOUT_S * 1000 + 1000);
    assert.equal(closed, false, 'an idle connection is governed by connection_timeout, not the header deadline');
    sock.write(request);
    for (let i = 0; i < 100 && text.split('HTTP/1.1 200').length < 3; i++) await sleep(20);
    sock.destroy();
    assert.equal(text.split('HTTP/1.1 200').length, 3, text);
  });
});

describe('malformed requests get the error JSON', () => {
  it('a path that is not UTF-8 is 400, even unauthenticated', async () => {
    expectErrorJson(await get('/api/v1/%ff'), 400, 'invalid');
    expectErrorJson(await get('/api/v1/tickets/%c3', bearer('agent1')), 400, 'invalid');
    expectErrorJson(await get('/api/v1/tickets/%ed%a0%80', bearer('agent1')), 400, 'invalid');
  });

  it('a path that holds a NUL is 400, not the record before it', async () => {
    const c = await raw(`POST /api/v1/tickets HTTP/1.1\r\nHost: edge\r\n${bearer('agent1')}Content-Type: application/json\r\n`
      + 'Content-Length: 60\r\nConnection: close\r\n\r\n'
      + JSON.stringify({ kind: 'incident', title: 'nul', impact: 2, urgency: 2 }).padEnd(60, ' '));
    assert.equal(c.status, 201, c.raw);
    const key = c.json.key;
    assert.equal((await get(`/api/v1/tickets/${key}`, bearer('agent1'))).status, 200);
    expectErrorJson(await get(`/api/v1/tickets/${key}%00abc`, bearer('agent1')), 400, 'invalid');
    expectErrorJson(await get(`/api/v1/tickets/${key}\x00abc`, bearer('agent1')), 400, 'invalid');
    // a decoded '?' is part of the path, not the start of a query
    expectErrorJson(await get(`/api/v1/tickets/${key}%3Fx`, bearer('agent1')), 404, 'not_found');
  });

  it('a path longer than the server holds is 400, not cut to one it serves', async () => {
    expectErrorJson(await get(`/healthz${'/'.repeat(600)}`), 400, 'invalid');
  });

  it('an error message that quotes a long non-ASCII path stays valid JSON', async () => {
    // cut to the message's size inside a two-byte character
    expectErrorJson(await get(`/api/v1/${'%c3%a9'.repeat(200)}`), 404, 'not_found');
  });

  it('a query value that is not UTF-8 or holds a NUL is 400 naming the parameter', async () => {
    expectErrorJson(await get('/api/v1/tickets?status=%ff', bearer('agent1')), 400, 'invalid', 'status');
    expectErrorJson(await get('/api/v1/tickets?limit=5&q=%e6%97', bearer('agent1')), 400, 'invalid', 'q');
    expectErrorJson(await get('/api/v1/tickets?status=new%00x', bearer('agent1')), 400, 'invalid', 'status');
    expectErrorJson(await get('/api/v1/tickets?%ff=1', bearer('agent1')), 400, 'invalid', null);
    assert.equal((await get('/api/v1/tickets?status=new&q=%e6%97%a5', bearer('agent1'))).status, 200);
  });

  it('a NUL in the Authorization header is 401, not the token before it', async () => {
    assert.equal((await get('/api/v1/tickets', bearer('agent1'))).status, 200);
    const res = await get('/api/v1/tickets', `Authorization: Bearer ${tokens.agent1}\x00junk\r\n`);
    expectErrorJson(res, 401, 'unauthenticated');
    assert.match(res.json.error.message, /Authorization/);
  });

  it('a NUL in the session cookie is 401, not the session before it', async () => {
    const body = JSON.stringify({ username: 'agent1', password: 'correct-horse-battery' });
    const signIn = await raw(`POST /api/v1/session HTTP/1.1\r\nHost: edge\r\nContent-Type: application/json\r\n`
      + `Content-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`);
    assert.equal(signIn.status, 201, signIn.raw);
    const cookie = signIn.headers['set-cookie'].split(';')[0];
    assert.equal((await get('/api/v1/session', `Cookie: ${cookie}\r\n`)).status, 200);
    const res = await get('/api/v1/session', `Cookie: ${cookie}\x00junk\r\n`);
    expectErrorJson(res, 401, 'unauthenticated');
    assert.match(res.json.error.message, /Cookie/);
  });

  it('a NUL in another header, or a folded line, is 400', async () => {
    expectErrorJson(await get('/healthz', 'X-Trace: abc\x00def\r\n'), 400, 'invalid');
    expectErrorJson(await get('/healthz', 'X-Trace: abc\r\n def\r\n'), 400, 'invalid');
    assert.equal((await get('/healthz', 'X-Trace:   spaced out   \r\nX-Empty:\r\nX-Tab:\tv\t\r\n')).status, 200);
    assert.equal((await raw('GET /healthz HTTP/1.1\nHost: edge\nX-A: 1\nConnection: close\n\n')).status, 200);
  });

  it('HTTP/1.1 without Host, or with two, is 400; HTTP/1.0 needs none', async () => {
    expectErrorJson(await raw('GET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n'), 400, 'invalid');
    expectErrorJson(await raw('GET /healthz HTTP/1.1\r\nHost: a\r\nHost: b\r\nConnection: close\r\n\r\n'), 400, 'invalid');
    assert.equal((await raw('GET /healthz HTTP/1.0\r\n\r\n')).status, 200);
  });

  it('a body announced over the limit is 413 at once, and the connection closed unread', async () => {
    const t0 = Date.now();
    const res = await raw(`POST /api/v1/tickets HTTP/1.1\r\nHost: edge\r\n${bearer('agent1')}`
      + 'Content-Type: application/json\r\nContent-Length: 10000000\r\n\r\n{"kind":', { wait: 4000 });
    expectErrorJson(res, 413, 'too_large');
    assert.equal(res.headers.connection, 'close');
    assert.ok(res.closedByServer, 'the server closes the connection');
    assert.ok(Date.now() - t0 < 3000, `answered without waiting for the body: ${Date.now() - t0} ms`);
    assert.equal((await get('/healthz')).status, 200, 'and the server goes on');
  });
});
