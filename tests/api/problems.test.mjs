// problems.test.mjs — problem management end to end: the lifecycle and its
// illegal moves, stale versions, bad input (nothing half-stored), linked
// incidents, known errors on a ticket's read (and not on another
// customer's), resolving a problem with its incidents, and recurring-
// incident proposals (confirm, dismiss, never proposed again) — over the
// HTTP API and the CLI.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  makeStore, copyStore, seed, startServer, client, cli, expectError, expectStatus, createTicket,
  stopClean, sqlRun,
} from './lib.mjs';

const fixture = async () => {
  const tmp = makeStore();
  const tokens = seed(tmp.db);
  const srv = await startServer(tmp.db);
  const as = (name) => client(srv.url, tokens[name]);
  return { tmp, srv, tokens, as, agent: as('agent1'), manager: as('manager1'), admin: as('admin'),
    alice: as('alice'), dave: as('dave') };
};

describe('problems: lifecycle, versions, bad input, known errors, resolving', () => {
  let f;
  before(async () => {
    f = await fixture();
    expectStatus(await f.manager.post('/api/v1/services', { key: 'mail', name: 'Mail' }), 201);
    expectStatus(await f.manager.post('/api/v1/services', { key: 'erp', name: 'ERP' }), 201);
    for (const key of ['mx-01', 'erp-db']) {
      expectStatus(await f.admin.post('/api/v1/cis', { key, name: key, type: 'server' }), 201);
    }
  });
  after(async () => { if (f.srv) await stopClean(f.srv); f.tmp.cleanup(); });

  const count = async () => (await f.agent.get('/api/v1/problems?limit=500')).json.items.length;

  it('moves new → investigating → known_error → resolved → closed, each at its version', async () => {
    // impact 1 × urgency 2 is priority 2 (the desk's matrix, row 1: 1 2 3)
    const p = expectStatus(await f.agent.post('/api/v1/problems',
      { title: 'Mail queue stalls', impact: 1, urgency: 2, service: 'mail', items: ['mx-01'] }), 201);
    assert.match(p.key, /^PRB-\d+$/);
    assert.equal(p.status, 'new');
    assert.equal(p.priority, 2);
    assert.equal(p.version, 1);
    assert.deepEqual(p.items, ['mx-01']);
    assert.deepEqual(p.incidents, []);
    assert.equal(p.created_by, 'agent1');

    let q = expectStatus(await f.agent.patch(`/api/v1/problems/${p.key}`, { version: 1, status: 'investigating' }), 200);
    assert.equal(q.status, 'investigating');
    assert.equal(q.version, 2);
    // known_error needs a workaround: refused, nothing changed
    expectError(await f.agent.patch(`/api/v1/problems/${p.key}`, { version: 2, status: 'known_error' }), 400, 'invalid', 'workaround');
    expectError(await f.agent.patch(`/api/v1/problems/${p.key}`, { version: 2, status: 'known_error', workaround: '' }), 400, 'invalid', 'workaround');
    assert.equal((await f.agent.get(`/api/v1/problems/${p.key}`)).json.version, 2);
    q = expectStatus(await f.agent.patch(`/api/v1/problems/${p.key}`,
      { version: 2, status: 'known_error', workaround: 'Restart the queue runner', root_cause: 'Disk full', urgency: 3 }), 200);
    assert.equal(q.status, 'known_error');
    assert.equal(q.workaround, 'Restart the queue runner');
    assert.equal(q.priority, 3); // impact 1 × urgency 3 → 3
    // a known error cannot lose its workaround
    expectError(await f.agent.patch(`/api/v1/problems/${p.key}`, { version: 3, workaround: '' }), 400, 'invalid', 'workaround');
    q = expectStatus(await f.agent.patch(`/api/v1/problems/${p.key}`, { version: 3, status: 'resolved' }), 200);
    assert.ok(q.resolved_at);
    q = expectStatus(await f.agent.patch(`/api/v1/problems/${p.key}`, { version: 4, status: 'closed' }), 200);
    assert.equal(q.version, 5);
    assert.ok(q.closed_at);
    // closed is terminal
    expectError(await f.agent.patch(`/api/v1/problems/${p.key}`, { version: 5, status: 'investigating' }), 409, 'invalid_transition');
    expectError(await f.agent.patch(`/api/v1/problems/${p.key}`, { version: 5, title: 'x' }), 409, 'invalid_transition');
  });

  it('refuses illegal moves with 409 invalid_transition and a stale version with 409 conflict', async () => {
    const p = expectStatus(await f.agent.post('/api/v1/problems', { title: 'ERP slow at month end' }), 201);
    assert.equal(p.priority, 3); // default impact 2 × urgency 2 → 3
    for (const status of ['resolved', 'known_error', 'closed']) {
      expectError(await f.agent.patch(`/api/v1/problems/${p.key}`, { version: 1, status, workaround: 'w' }), 409, 'invalid_transition', 'status');
    }
    expectStatus(await f.agent.patch(`/api/v1/problems/${p.key}`, { version: 1, title: 'ERP slow at month-end close' }), 200);
    expectError(await f.agent.patch(`/api/v1/problems/${p.key}`, { version: 1, title: 'stale' }), 409, 'conflict', 'version');
    const now = (await f.agent.get(`/api/v1/problems/${p.key}`)).json;
    assert.equal(now.title, 'ERP slow at month-end close');
    assert.equal(now.version, 2);
    // the same values again: nothing changed, no new version (as the desk)
    const same = expectStatus(await f.agent.patch(`/api/v1/problems/${p.key}`,
      { version: 2, title: 'ERP slow at month-end close', impact: 2, status: 'new' }), 200);
    assert.equal(same.version, 2);
    assert.equal(same.updated_at, now.updated_at);
    // cancelled is terminal too
    expectStatus(await f.agent.patch(`/api/v1/problems/${p.key}`, { version: 2, status: 'cancelled' }), 200);
    expectError(await f.agent.patch(`/api/v1/problems/${p.key}`, { version: 3, status: 'new' }), 409, 'invalid_transition');
  });

  it('answers bad input with 400 naming the field, and stores nothing', async () => {
    const before = await count();
    const req = expectStatus(await f.agent.post('/api/v1/tickets', { kind: 'request', title: 'New laptop', customer: 'acme' }), 201);
    const cases = [
      [{}, 'title'],
      [{ title: '   ' }, 'title'],
      [{ title: 'x'.repeat(201) }, 'title'],
      [{ title: 't', impact: 4 }, 'impact'],
      [{ title: 't', urgency: 'high' }, 'urgency'],
      [{ title: 't', service: 'nope' }, 'service'],
      [{ title: 't', items: ['mx-01', 'no-such-item'] }, 'items[1]'],
      [{ title: 't', items: 'mx-01' }, 'items'],
      [{ title: 't', items: ['mx-01', 'mx-01'] }, 'items[1]'],
      [{ title: 't', incidents: [req.key] }, 'incidents[0]'],
      [{ title: 't', incidents: ['INC-99999'] }, 'incidents[0]'],
      [{ title: 't', status: 'known_error' }, 'status'],
      [{ title: 't', colour: 'red' }, 'colour'],
    ];
    for (const [body, field] of cases) {
      expectError(await f.agent.post('/api/v1/problems', body), 400, 'invalid', field);
    }
    assert.equal(await count(), before, 'nothing stored');
    const p = expectStatus(await f.agent.post('/api/v1/problems', { title: 'Bad input target' }), 201);
    expectError(await f.agent.patch(`/api/v1/problems/${p.key}`, { title: 'no version' }), 400, 'invalid', 'version');
    expectError(await f.agent.patch(`/api/v1/problems/${p.key}`, { version: 1, status: 'fixed' }), 400, 'invalid', 'status');
    // items in another order are the same items; another item is a change
    const withItems = expectStatus(await f.agent.post('/api/v1/problems', { title: 'Two items', items: ['mx-01', 'erp-db'] }), 201);
    assert.deepEqual(withItems.items, ['erp-db', 'mx-01']);
    assert.equal(expectStatus(await f.agent.patch(`/api/v1/problems/${withItems.key}`, { version: 1, items: ['mx-01', 'erp-db'] }), 200).version, 1);
    const fewer = expectStatus(await f.agent.patch(`/api/v1/problems/${withItems.key}`, { version: 1, items: ['erp-db'] }), 200);
    assert.equal(fewer.version, 2);
    assert.deepEqual(fewer.items, ['erp-db']);
    expectError(await f.agent.patch(`/api/v1/problems/${p.key}`, { version: 1, resolve_incidents: true }), 400, 'invalid', 'resolve_incidents');
    expectError(await f.agent.patch(`/api/v1/problems/${p.key}`, { version: 1, items: ['ghost'] }), 400, 'invalid', 'items[0]');
    assert.equal((await f.agent.get(`/api/v1/problems/${p.key}`)).json.version, 1);
    expectError(await f.agent.get('/api/v1/problems?status=fixed'), 400, 'invalid', 'status');
    expectError(await f.agent.get('/api/v1/problems/PRB-99999'), 404, 'not_found');
    expectError(await f.agent.get('/api/v1/problems/nonsense'), 404, 'not_found');
  });

  it('is for staff: requesters get 403', async () => {
    expectError(await f.alice.get('/api/v1/problems'), 403, 'forbidden');
    expectError(await f.alice.post('/api/v1/problems', { title: 'x' }), 403, 'forbidden');
    expectError(await f.alice.get('/api/v1/problems/proposals'), 403, 'forbidden');
  });

  it('links incidents (one problem each) and unlinks them', async () => {
    const p = expectStatus(await f.agent.post('/api/v1/problems', { title: 'Link target' }), 201);
    const other = expectStatus(await f.agent.post('/api/v1/problems', { title: 'Other' }), 201);
    const inc = await createTicket(f.alice, { title: 'Cannot send mail' });
    const req = expectStatus(await f.agent.post('/api/v1/tickets', { kind: 'inquiry', title: 'How do I?', customer: 'acme' }), 201);
    let r = expectStatus(await f.agent.post(`/api/v1/problems/${p.key}/incidents`, { ticket: inc.key }), 200);
    assert.deepEqual(r.incidents.map((i) => i.key), [inc.key]);
    assert.equal(r.incidents[0].customer, 'acme');
    expectError(await f.agent.post(`/api/v1/problems/${other.key}/incidents`, { ticket: inc.key }), 409, 'conflict', 'ticket');
    expectError(await f.agent.post(`/api/v1/problems/${p.key}/incidents`, { ticket: req.key }), 400, 'invalid', 'ticket');
    expectError(await f.agent.post(`/api/v1/problems/${p.key}/incidents`, { ticket: 'INC-99999' }), 400, 'invalid', 'ticket');
    expectError(await f.agent.post(`/api/v1/problems/${p.key}/incidents`, {}), 400, 'invalid', 'ticket');
    r = expectStatus(await f.agent.del(`/api/v1/problems/${p.key}/incidents/${inc.key}`), 200);
    assert.deepEqual(r.incidents, []);
    expectError(await f.agent.del(`/api/v1/problems/${p.key}/incidents/${inc.key}`), 400, 'invalid', 'ticket');
    // free again: the other problem may take it
    expectStatus(await f.agent.post(`/api/v1/problems/${other.key}/incidents`, { ticket: inc.key }), 200);
  });

  it("shows a known error's workaround on open incidents it concerns, not to another customer", async () => {
    const link = async (key) => expectStatus(await f.admin.post('/api/v1/cis/erp-db/tickets', { ticket: key }), 201);
    const a1 = await createTicket(f.alice, { title: 'ERP login fails', service: 'erp' });
    await link(a1.key);
    const p = expectStatus(await f.agent.post('/api/v1/problems',
      { title: 'ERP sessions expire', service: 'erp', items: ['erp-db'], incidents: [a1.key] }), 201);
    // not yet a known error: nothing shown
    assert.deepEqual((await f.alice.get(`/api/v1/tickets/${a1.key}`)).json.known_errors, []);
    await f.agent.patch(`/api/v1/problems/${p.key}`, { version: 1, status: 'investigating' });
    expectStatus(await f.agent.patch(`/api/v1/problems/${p.key}`, { version: 2, status: 'known_error', workaround: 'Sign in again through the portal' }), 200);
    const want = [{ key: p.key, title: 'ERP sessions expire', workaround: 'Sign in again through the portal' }];
    // linked to it
    assert.deepEqual((await f.alice.get(`/api/v1/tickets/${a1.key}`)).json.known_errors, want);
    // the same item and service, not linked
    const a2 = await createTicket(f.alice, { title: 'ERP kicks me out', service: 'erp' });
    await link(a2.key);
    assert.deepEqual((await f.alice.get(`/api/v1/tickets/${a2.key}`)).json.known_errors, want);
    assert.deepEqual((await f.agent.get(`/api/v1/tickets/${a2.key}`)).json.known_errors, want);
    // the same item, another service: not shown
    const a3 = await createTicket(f.alice, { title: 'Mail bounce', service: 'mail' });
    await link(a3.key);
    assert.deepEqual((await f.alice.get(`/api/v1/tickets/${a3.key}`)).json.known_errors, []);
    // another customer's ticket on the same item and service: staff see the
    // known error, that customer's requester does not (it is linked to acme's)
    const g1 = await createTicket(f.dave, { title: 'ERP logs me out', service: 'erp' });
    await link(g1.key);
    assert.deepEqual((await f.agent.get(`/api/v1/tickets/${g1.key}`)).json.known_errors, want);
    assert.deepEqual((await f.dave.get(`/api/v1/tickets/${g1.key}`)).json.known_errors, []);
    // and acme's tickets are not found for dave at all
    expectError(await f.dave.get(`/api/v1/tickets/${a1.key}`), 404, 'not_found');
    // a resolved incident shows none
    await f.agent.patch(`/api/v1/tickets/${a2.key}`, { version: a2.version, status: 'in_progress' });
    await f.agent.patch(`/api/v1/tickets/${a2.key}`, { version: a2.version + 1, status: 'resolved' });
    assert.deepEqual((await f.alice.get(`/api/v1/tickets/${a2.key}`)).json.known_errors, []);
    // the CLI shows it too
    const r = cli(f.tmp.db, ['ticket', 'show', a1.key]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`known error ${p.key}: ERP sessions expire\\n  workaround: Sign in again through the portal`));
  });

  it('resolves its linked incidents when asked, each in the ticket history', async () => {
    const i1 = await createTicket(f.alice, { title: 'VPN drops' });
    const i2 = await createTicket(f.alice, { title: 'VPN drops again' });
    const i3 = await createTicket(f.alice, { title: 'VPN cancelled one' });
    await f.agent.patch(`/api/v1/tickets/${i2.key}`, { version: 1, status: 'in_progress' });
    await f.agent.patch(`/api/v1/tickets/${i3.key}`, { version: 1, status: 'cancelled' });
    const p = expectStatus(await f.agent.post('/api/v1/problems', { title: 'VPN concentrator firmware', incidents: [i1.key, i2.key, i3.key] }), 201);
    await f.agent.patch(`/api/v1/problems/${p.key}`, { version: 1, status: 'investigating' });
    const r = expectStatus(await f.agent.patch(`/api/v1/problems/${p.key}`,
      { version: 2, status: 'resolved', root_cause: 'firmware 2.1', resolve_incidents: true }), 200);
    assert.deepEqual(r.resolved_incidents, [i1.key, i2.key]);
    for (const t of [i1, i2]) {
      const now = (await f.agent.get(`/api/v1/tickets/${t.key}`)).json;
      assert.equal(now.status, 'resolved');
      const h = (await f.agent.get(`/api/v1/tickets/${t.key}/history`)).json.items;
      assert.ok(h.some((x) => x.field === 'status' && x.new === 'resolved' && x.actor === 'agent1'), JSON.stringify(h));
      const cs = (await f.agent.get(`/api/v1/tickets/${t.key}/comments`)).json.items;
      assert.ok(cs.some((c) => c.body === `resolved with problem ${p.key}` && !c.public));
    }
    assert.equal((await f.agent.get(`/api/v1/tickets/${i3.key}`)).json.status, 'cancelled');
    // without the flag, incidents stay as they are
    const i4 = await createTicket(f.alice, { title: 'Printer' });
    const q = expectStatus(await f.agent.post('/api/v1/problems', { title: 'Printer driver', incidents: [i4.key] }), 201);
    await f.agent.patch(`/api/v1/problems/${q.key}`, { version: 1, status: 'investigating' });
    await f.agent.patch(`/api/v1/problems/${q.key}`, { version: 2, status: 'resolved' });
    assert.equal((await f.agent.get(`/api/v1/tickets/${i4.key}`)).json.status, 'new');
  });

  it('lists with filters and pages', async () => {
    const all = (await f.agent.get('/api/v1/problems?limit=500')).json.items;
    assert.ok(all.length >= 5);
    const closed = (await f.agent.get('/api/v1/problems?status=closed')).json.items;
    assert.ok(closed.length >= 1 && closed.every((p) => p.status === 'closed'));
    const erp = (await f.agent.get('/api/v1/problems?service=erp')).json.items;
    assert.ok(erp.every((p) => p.service === 'erp'));
    const page = (await f.agent.get('/api/v1/problems?limit=2')).json;
    assert.equal(page.items.length, 2);
    assert.ok(page.next_cursor);
    const next = (await f.agent.get(`/api/v1/problems?limit=2&cursor=${page.next_cursor}`)).json;
    assert.equal(next.items[0].id, all[2].id);
  });

  it('keeps the audit chain whole, and holds the stored problems against it', async () => {
    const v = expectStatus(await f.admin.get('/api/v1/audit/verify'), 200);
    assert.equal(v.ok, true);
    const actions = new Set((await f.manager.get('/api/v1/audit?limit=500')).json.items
      .filter((r) => r.entity.startsWith('problem:')).map((r) => r.action));
    assert.deepEqual([...actions].sort(), ['problem.add', 'problem.link', 'problem.unlink', 'problem.update']);
    // a workaround rewritten behind itsm's back is caught
    await stopClean(f.srv);
    f.srv = null;
    const copy = copyStore(f.tmp.db);
    try {
      const r = sqlRun(copy.db, "UPDATE problems SET workaround = 'tampered' WHERE key = 'PRB-1'");
      assert.equal(r.status, 0, r.stderr);
      const bad = cli(copy.db, ['--json', 'audit', 'verify']);
      assert.equal(bad.status, 1, bad.stdout + bad.stderr);
      assert.equal(JSON.parse(bad.stdout).ok, false);
      assert.equal(cli(f.tmp.db, ['audit', 'verify']).status, 0, 'the original still verifies');
    } finally {
      copy.cleanup();
    }
  });
});

describe('problems: recurring-incident proposals', () => {
  let f;
  before(async () => {
    f = await fixture();
    expectStatus(await f.manager.post('/api/v1/services', { key: 'shop', name: 'Shop' }), 201);
    expectStatus(await f.admin.post('/api/v1/cis', { key: 'lb-01', name: 'Load balancer', type: 'server' }), 201);
  });
  after(async () => { await stopClean(f.srv); f.tmp.cleanup(); });

  const proposals = async () => expectStatus(await f.agent.get('/api/v1/problems/proposals'), 200);
  const onItem = async (title) => {
    const t = await createTicket(f.alice, { title });
    expectStatus(await f.admin.post('/api/v1/cis/lb-01/tickets', { ticket: t.key }), 201);
    return t;
  };

  it('proposes nothing below the count, then a problem for 3 incidents on one item', async () => {
    assert.deepEqual((await proposals()).items, []);
    const a = await onItem('Site unreachable');
    const b = await onItem('502 errors');
    let p = await proposals();
    assert.equal(p.count, 3);
    assert.equal(p.window_days, 7);
    assert.deepEqual(p.items, [], 'two incidents are not a pattern yet');
    const c = await onItem('Timeouts from the load balancer');
    p = await proposals();
    assert.equal(p.items.length, 1);
    const prop = p.items[0];
    assert.equal(prop.basis, 'item:lb-01');
    assert.equal(prop.item, 'lb-01');
    assert.deepEqual(prop.incidents.map((i) => i.key), [a.key, b.key, c.key]);
    assert.equal(prop.title, 'Site unreachable'); // the oldest incident's
    // nothing was created by listing
    assert.deepEqual((await f.agent.get('/api/v1/problems')).json.items, []);

    // confirm: one problem linking the three, on the item
    const made = expectStatus(await f.agent.post(`/api/v1/problems/proposals/${prop.id}/confirm`, { title: 'Load balancer drops connections', impact: 1 }), 201);
    assert.equal(made.title, 'Load balancer drops connections');
    assert.deepEqual(made.items, ['lb-01']);
    assert.deepEqual(made.incidents.map((i) => i.key), [a.key, b.key, c.key]);
    assert.equal(made.status, 'new');
    // gone from the proposals; confirming again finds nothing
    assert.deepEqual((await proposals()).items, []);
    expectError(await f.agent.post(`/api/v1/problems/proposals/${prop.id}/confirm`, {}), 404, 'not_found');
  });

  it('proposes similar titles of one service, and a dismissed proposal is not proposed again', async () => {
    // Jaccard of word sets, by hand:
    //   {checkout, page, times, out} vs {checkout, page, times, out, again}: 4/5 = 0.8
    //   {checkout, page, times, out} vs {checkout, page, timing, out}:       3/5 = 0.6
    //   "Password reset email missing" shares no word: not in the group
    const ts = [];
    for (const title of ['Checkout page times out', 'checkout page times out again', 'Checkout page timing out', 'Password reset email missing']) {
      ts.push(await createTicket(f.agent, { title, service: 'shop', customer: 'acme' }));
    }
    const p = (await proposals()).items;
    assert.equal(p.length, 1);
    assert.equal(p[0].basis, 'service:shop');
    assert.equal(p[0].service, 'shop');
    assert.deepEqual(p[0].incidents.map((i) => i.key), ts.slice(0, 3).map((t) => t.key));
    // a request body is refused on dismiss; bad ids are not found
    expectError(await f.agent.post('/api/v1/problems/proposals/0000000000000000/dismiss'), 404, 'not_found');
    const d = expectStatus(await f.agent.post(`/api/v1/problems/proposals/${p[0].id}/dismiss`), 200);
    assert.deepEqual(d.dismissed, ts.slice(0, 3).map((t) => t.key));
    assert.deepEqual((await proposals()).items, []);
    // a fourth similar incident: only one that was not dismissed, below the count
    await createTicket(f.agent, { title: 'Checkout page times out at payment', service: 'shop', customer: 'acme' });
    assert.deepEqual((await proposals()).items, []);
    // nothing was created
    assert.equal((await f.agent.get('/api/v1/problems')).json.items.length, 1);
  });

  it('lists and confirms through the CLI as well', async () => {
    for (const title of ['データベース接続エラーが発生', 'データベース接続エラーが再発生', 'データベースの接続エラー']) {
      await createTicket(f.agent, { title, service: 'shop', customer: 'globex' });
    }
    const r = cli(f.tmp.db, ['--json', 'problem', 'proposals']);
    assert.equal(r.status, 0, r.stderr);
    const items = JSON.parse(r.stdout).items;
    assert.equal(items.length, 1);
    assert.equal(items[0].incidents.length, 3);
    const c = cli(f.tmp.db, ['problem', 'confirm', items[0].id, '--title', 'DB connection pool exhausted']);
    assert.equal(c.status, 0, c.stderr);
    assert.match(c.stdout, /^added problem PRB-\d+$/m);
    assert.equal(cli(f.tmp.db, ['problem', 'dismiss', items[0].id]).status, 1);
    const v = expectStatus(await f.admin.get('/api/v1/audit/verify'), 200);
    assert.equal(v.ok, true);
  });
});

describe('problems: the detection window and count come from itsm.conf', () => {
  let f;
  after(async () => { await stopClean(f.srv); f.tmp.cleanup(); });

  it('counts only incidents opened within the window, and proposes at the configured count', async () => {
    const tmp = makeStore();
    const tokens = seed(tmp.db);
    const conf = join(tmp.dir, 'itsm.conf');
    writeFileSync(conf, '[problems]\nrecurrence_count = 2\nrecurrence_window = 2\n');
    const srv = await startServer(tmp.db, ['--config', conf]);
    f = { tmp, srv };
    const admin = client(srv.url, tokens.admin);
    const agent = client(srv.url, tokens.agent1);
    expectStatus(await admin.post('/api/v1/cis', { key: 'nas-01', name: 'NAS', type: 'server' }), 201);
    const on = async () => {
      const t = await createTicket(agent, { title: 'Share offline', customer: 'acme' });
      expectStatus(await admin.post('/api/v1/cis/nas-01/tickets', { ticket: t.key }), 201);
      return t;
    };
    const old = await on();
    // three days ago: outside a window of two days
    const r = sqlRun(tmp.db, `UPDATE tickets SET created_at = created_at - 3 * 86400 WHERE key = '${old.key}'`);
    assert.equal(r.status, 0, r.stderr);
    const a = await on();
    let p = expectStatus(await agent.get('/api/v1/problems/proposals'), 200);
    assert.equal(p.count, 2);
    assert.equal(p.window_days, 2);
    assert.deepEqual(p.items, [], 'one incident within the window');
    const b = await on();
    p = expectStatus(await agent.get('/api/v1/problems/proposals'), 200);
    assert.equal(p.items.length, 1);
    assert.deepEqual(p.items[0].incidents.map((i) => i.key), [a.key, b.key]);
  });
});
