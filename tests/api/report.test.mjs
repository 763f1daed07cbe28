// report.test.mjs — the service level report as the console opens it: the
// HTML page under the console's Content-Security-Policy (which allows its one
// inline stylesheet by hash and nothing else inline, and forbids framing),
// and the CSV as a download.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { makeStore, seed, startServer, client, stopClean, cliOk, expectStatus } from './lib.mjs';

let store, srv, manager, admin;
const REPORT = '/api/v1/reports/service-level?customer=acme&month=2026-03';

before(async () => {
  store = makeStore();
  const tokens = seed(store.db);
  srv = await startServer(store.db);
  manager = client(srv.url, tokens.manager1);
  admin = client(srv.url, tokens.admin);
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

describe('a month of many breaches', () => {
  // 120 tickets of April 2026 on the 24x7 calendar (response 60 min,
  // resolution 600 min at every priority), ticket i (1..120) created on
  // 1 April at 00:00 + i hours, answered 60 + i minutes later (i minutes
  // late) and resolved 200 min after it was created (in time). So 120 missed
  // responses; the most overdue is ticket 120 (120 min), then 119, …
  const at = (ms) => new Date(ms).toISOString().replace('.000Z', 'Z');
  const created = (i) => Date.parse('2026-04-01T00:00:00Z') + i * 3600e3;
  let keys;
  before(async () => {
    cliOk(store.db, ['service', 'add', 'late']);
    const targets = Object.fromEntries([1, 2, 3, 4, 5].map((p) => [String(p), { response_minutes: 60, resolution_minutes: 600 }]));
    expectStatus(await manager.post('/api/v1/slas', { name: 'acme-late', customer: 'acme', service: 'late', calendar: '24x7', targets }), 201);
    const tickets = Array.from({ length: 120 }, (_, k) => {
      const i = k + 1;
      return { kind: 'incident', title: `Late ${i}`, impact: 2, urgency: 2, customer: 'acme', service: 'late',
        created_at: at(created(i)), timeline: [{ at: at(created(i) + (60 + i) * 60e3), status: 'in_progress' },
          { at: at(created(i) + 200 * 60e3), status: 'resolved' }] };
    });
    const r = expectStatus(await admin.post('/api/v1/import/tickets', { tickets }), 201);
    assert.equal(r.imported, 120);
    // Imported in order: ticket i is the i-th key from the first.
    const n = Number(r.first.split('-')[1]);
    keys = Array.from({ length: 121 }, (_, i) => `${r.first.split('-')[0]}-${n + i - 1}`);
  });

  it('the report lists the 100 most overdue of 120, the most overdue first', async () => {
    const r = expectStatus(await manager.get('/api/v1/reports/service-level?customer=acme&month=2026-04'), 200);
    const late = r.slas.find((s) => s.sla === 'acme-late');
    assert.equal(late.responses, 120);
    assert.equal(late.response_met, 0);
    assert.equal(late.breaches_total, 120);
    assert.equal(late.breaches.length, 100);
    // ticket 120 (120 min late) … ticket 21 (21 min late)
    assert.deepEqual(late.breaches.map((b) => b.ticket), Array.from({ length: 100 }, (_, k) => keys[120 - k]));
    assert.ok(late.breaches.every((b) => b.clock === 'response'));
  });

  it('the breach list pages through all 120 by due, and the HTML links to it', async () => {
    const url = '/api/v1/reports/service-level/breaches?customer=acme&month=2026-04&sla=acme-late';
    const seen = [];
    let cursor = null, pages = 0;
    do {
      const p = expectStatus(await manager.get(`${url}&limit=50${cursor ? `&cursor=${cursor}` : ''}`), 200);
      assert.equal(p.total, 120);
      seen.push(...p.items.map((b) => b.ticket));
      cursor = p.next_cursor;
      pages++;
    } while (cursor);
    assert.equal(pages, 3, '50 + 50 + 20');
    assert.deepEqual(seen, keys.slice(1), 'by due: ticket 1 first');
    const html = await manager.get('/api/v1/reports/service-level?customer=acme&month=2026-04&format=html');
    assert.match(html.text, /The 100 most overdue of 120, the most overdue first/);
    assert.match(html.text, /href="\/api\/v1\/reports\/service-level\/breaches\?customer=acme&amp;month=2026-04&amp;sla=acme-late&amp;format=csv"/);
    const csv = await manager.get(`${url}&format=csv`);
    assert.equal(csv.text.trim().split('\n').length, 2 + 120, 'a comment line, the header and every breach');
  });
});
