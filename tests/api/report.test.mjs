// report.test.mjs — the service level report as the console opens it: the
// HTML page under the console's Content-Security-Policy (which allows its one
// inline stylesheet by hash and nothing else inline, and forbids framing),
// and the CSV as a download.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { makeStore, seed, startServer, client, stopClean } from './lib.mjs';

let store, srv, manager;
const REPORT = '/api/v1/reports/service-level?customer=acme&month=2026-03';

before(async () => {
  store = makeStore();
  const tokens = seed(store.db);
  srv = await startServer(store.db);
  manager = client(srv.url, tokens.manager1);
});

after(async () => {
  if (srv) await stopClean(srv);
  store?.cleanup();
});

// The policy as a map from directive to its sources.
const directives = (csp) => Object.fromEntries(csp.split(';').map((d) => d.trim().split(/\s+/))
  .filter((d) => d[0]).map(([name, ...sources]) => [name, sources]));

describe('the HTML report', () => {
  let res;
  before(async () => { res = await manager.get(`${REPORT}&format=html`); });

  it('carries the console\'s security headers', () => {
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type'), /^text\/html/);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(res.headers.get('x-frame-options'), 'DENY');
    assert.equal(res.headers.get('referrer-policy'), 'no-referrer');
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.equal(res.headers.get('content-disposition'), null, 'opened in the browser');
  });

  it('is framed by the console\'s policy: no script, no framing, one stylesheet by hash', () => {
    const csp = res.headers.get('content-security-policy');
    assert.ok(csp, 'a Content-Security-Policy');
    const d = directives(csp);
    assert.deepEqual(d['frame-ancestors'], ["'none'"]);
    assert.deepEqual(d['default-src'], ["'self'"]);
    assert.deepEqual(d['script-src'], ["'self'"]);
    assert.deepEqual(d['base-uri'], ["'none'"]);
    assert.deepEqual(d['form-action'], ["'self'"]);
    const styles = [...res.text.matchAll(/<style>([^<]*)<\/style>/g)].map((m) => m[1]);
    assert.equal(styles.length, 1, 'one inline stylesheet');
    const hash = `'sha256-${createHash('sha256').update(styles[0]).digest('base64')}'`;
    assert.deepEqual(d['style-src'], ["'self'", hash], 'the stylesheet is allowed by its hash only');
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.doesNotMatch(res.text, /\sstyle="/, 'no style attribute the policy would block');
  });

  it('has the same policy as the console\'s own pages, but for that hash', async () => {
    const page = await client(srv.url).get('/');
    const console = directives(page.headers.get('content-security-policy'));
    const report = directives(res.headers.get('content-security-policy'));
    report['style-src'] = report['style-src'].filter((s) => !s.startsWith("'sha256-"));
    assert.deepEqual(report, console);
  });
});

describe('the CSV report', () => {
  it('is a download named after the customer and the month', async () => {
    const res = await manager.get(`${REPORT}&format=csv`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type'), /^text\/csv/);
    assert.equal(res.headers.get('content-disposition'), 'attachment; filename="service-level-acme-2026-03.csv"');
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
  });
});
