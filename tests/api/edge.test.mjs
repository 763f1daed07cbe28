// edge.test.mjs — the HTTP edge against clients that do not play by the
// rules, over raw sockets (fetch would normalise what is sent): a request
// cannot write a line or a field of its own into the log.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { makeStore, startServer, stopClean } from './lib.mjs';

let store, srv, port;

before(async () => {
  store = makeStore();
  srv = await startServer(store.db, [], { ITSM_LOG: 'info' });
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
