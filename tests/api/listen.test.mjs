// listen.test.mjs — a port is one server's: `serve` refuses to start on an
// address another process already listens on (the public listener and the
// metrics listener alike), exits non-zero and says why, and the first server
// keeps every request. (With SO_REUSEPORT two servers shared a port and the
// kernel split requests between their two stores.)
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, makeStore, startServer, client, seed } from './lib.mjs';

function serveSync(db, args) {
  const r = spawnSync(BIN, ['--db', db, 'serve', ...args], {
    encoding: 'utf8', timeout: 30000, env: { ...process.env, ITSM_LOG: 'error' },
  });
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

describe('serve refuses an address already in use', () => {
  let first, second, srv, tokens;
  before(async () => {
    first = makeStore();
    second = makeStore();
    tokens = seed(first.db);
    writeFileSync(join(first.dir, 'itsm.conf'), '[metrics]\nlisten = 127.0.0.1:0\n');
    srv = await startServer(first.db, ['--config', join(first.dir, 'itsm.conf')]);
  });
  after(async () => {
    await srv?.stop();
    first?.cleanup();
    second?.cleanup();
  });

  it('a second server on the same port exits 1 naming the address', async () => {
    const addr = srv.url.replace('http://', '');
    const r = serveSync(second.db, ['--listen', addr]);
    assert.equal(r.signal, null, 'the second server must exit by itself, not keep running');
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stderr, new RegExp(`itsm: listen ${addr.replace(/\./g, '\\.')}: address already in use`));
    assert.doesNotMatch(r.stdout, /listening on/);
    // the first server still answers, from its own store
    const me = await client(srv.url, tokens.admin).get('/api/v1/me');
    assert.equal(me.status, 200);
  });

  it('and on the metrics listener of another server', async () => {
    let metrics;
    for (let i = 0; i < 50 && !metrics; i++) {
      metrics = (srv.output().match(/metrics on http:\/\/([0-9.:]+)\/metrics/) || [])[1];
      if (!metrics) await new Promise((r) => setTimeout(r, 20));
    }
    assert.ok(metrics, srv.output());
    writeFileSync(join(second.dir, 'itsm.conf'), `[metrics]\nlisten = ${metrics}\n`);
    const r = serveSync(second.db, ['--listen', '127.0.0.1:0', '--config', join(second.dir, 'itsm.conf')]);
    assert.equal(r.signal, null, 'the second server must exit by itself, not keep running');
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stderr, new RegExp(`itsm: listen ${metrics.replace(/\./g, '\\.')}: address already in use`));
  });
});
