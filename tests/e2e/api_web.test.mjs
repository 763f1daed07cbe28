// api_web.test.mjs — the server side the console added (src/api/api_web.c):
// satisfaction ratings (who may rate, when, once, audited) and the
// dashboard's ticket statistics (staff only, counted by the store).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { serverUrl, apiSession, unique } from './lib.mjs';

let base;
let alice; let bob; let dave; let agent; let manager; let admin;

before(async () => {
  base = await serverUrl();
  [alice, bob, dave, agent, manager, admin] = await Promise.all(
    ['alice', 'bob', 'dave', 'agent1', 'manager1', 'admin'].map((u) => apiSession(base, u)));
});

async function resolvedTicket(by = alice, title = unique('rating subject')) {
  const tk = (await by.post('/api/v1/tickets', { kind: 'request', title, impact: 3, urgency: 3 })).json;
  let v = tk.version;
  for (const body of [{ assignee: 'agent1' }, { status: 'in_progress' }, { status: 'resolved' }]) {
    const r = await agent.patch(`/api/v1/tickets/${tk.key}`, { version: v, ...body });
    assert.equal(r.status, 200, r.text);
    v = r.json.version;
  }
  return { ...tk, version: v };
}

test('a requester of the customer rates a resolved ticket once', async () => {
  const open = (await alice.post('/api/v1/tickets', { kind: 'inquiry', title: unique('too early'), impact: 3, urgency: 3 })).json;
  const early = await alice.post(`/api/v1/tickets/${open.key}/rating`, { score: 4 });
  assert.equal(early.status, 409);
  assert.equal(early.json.error.code, 'invalid_transition');
  assert.equal((await alice.get(`/api/v1/tickets/${open.key}/rating`)).status, 404, 'the refused rating left nothing');

  const tk = await resolvedTicket();
  assert.equal((await alice.get(`/api/v1/tickets/${tk.key}/rating`)).status, 404);
  for (const bad of [{ score: 0 }, { score: 6 }, { score: 'five' }, {}, { score: 3, extra: 1 }, { score: 3, comment: 'x'.repeat(4001) }]) {
    const r = await alice.post(`/api/v1/tickets/${tk.key}/rating`, bad);
    assert.equal(r.status, 400, JSON.stringify(bad));
    assert.equal(r.json.error.code, 'invalid');
  }
  // Staff do not rate; another customer's requester does not even see it.
  assert.equal((await agent.post(`/api/v1/tickets/${tk.key}/rating`, { score: 5 })).status, 403);
  assert.equal((await dave.post(`/api/v1/tickets/${tk.key}/rating`, { score: 1 })).status, 404);
  assert.equal((await dave.get(`/api/v1/tickets/${tk.key}/rating`)).status, 404);
  // Without the CSRF token: refused.
  assert.equal((await alice.post(`/api/v1/tickets/${tk.key}/rating`, { score: 5 }, { token: null })).status, 403);

  // A colleague at the same customer may rate it (the customer's voice).
  const r = await bob.post(`/api/v1/tickets/${tk.key}/rating`, { score: 4, comment: 'Solved <b>quickly</b>' });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual({ ...r.json, created_at: undefined }, { ticket: tk.key, score: 4, comment: 'Solved <b>quickly</b>', rater: 'bob', created_at: undefined });
  const again = await alice.post(`/api/v1/tickets/${tk.key}/rating`, { score: 1 });
  assert.equal(again.status, 409);
  assert.equal(again.json.error.code, 'conflict');
  for (const who of [alice, agent, manager]) {
    const g = await who.get(`/api/v1/tickets/${tk.key}/rating`);
    assert.equal(g.status, 200);
    assert.equal(g.json.score, 4);
  }
  // Closing after rating still works, and a closed ticket can be rated.
  assert.equal((await alice.patch(`/api/v1/tickets/${tk.key}`, { version: tk.version, status: 'closed' })).status, 200);
  const closed = await resolvedTicket(alice);
  assert.equal((await alice.patch(`/api/v1/tickets/${closed.key}`, { version: closed.version, status: 'closed' })).status, 200);
  assert.equal((await alice.post(`/api/v1/tickets/${closed.key}/rating`, { score: 2 })).status, 201);
});

test('ratings are audited and the chain still verifies', async () => {
  const tk = await resolvedTicket();
  assert.equal((await alice.post(`/api/v1/tickets/${tk.key}/rating`, { score: 5 })).status, 201);
  const audit = await manager.get('/api/v1/audit?limit=500');
  assert.equal(audit.status, 200);
  const rec = audit.json.items.find((x) => x.entity === `rating:${tk.key}`);
  assert.ok(rec, 'an audit record for the rating');
  assert.equal(rec.action, 'ticket.rate');
  assert.equal(rec.actor, 'alice');
  const verify = await admin.get('/api/v1/audit/verify');
  assert.equal(verify.status, 200);
  assert.equal(verify.json.ok, true, verify.text);
});

test('ticket statistics: staff only, aggregates that follow the tickets', async () => {
  assert.equal((await alice.get('/api/v1/stats/tickets')).status, 403);
  const before = (await manager.get('/api/v1/stats/tickets?customer=globex')).json;
  assert.match(before.month, /^\d{4}-\d{2}$/);
  assert.equal(before.customer, 'globex');
  const service = `svc-${Date.now().toString(36)}`;
  const created = (await dave.post('/api/v1/tickets', { kind: 'incident', title: unique('stats'), impact: 1, urgency: 1, service })).json;
  assert.equal(created.priority, 1);
  const after = (await agent.get('/api/v1/stats/tickets?customer=globex')).json;
  assert.equal(after.open.total, before.open.total + 1);
  assert.equal(after.open_incidents.total, before.open_incidents.total + 1);
  assert.equal(after.open_incidents.by_priority['1'], before.open_incidents.by_priority['1'] + 1);
  assert.equal(after.by_status.new, before.by_status.new + 1);
  assert.deepEqual(after.open_incidents.by_service.find((x) => x.service === service), { service, count: 1 });
  assert.equal(after.open.by_kind.incident, before.open.by_kind.incident + 1);

  // Resolving moves it out of "open" and into this month's resolved count.
  let v = created.version;
  for (const body of [{ assignee: 'agent2' }, { status: 'in_progress' }, { status: 'resolved' }]) {
    v = (await agent.patch(`/api/v1/tickets/${created.key}`, { version: v, ...body })).json.version;
  }
  const done = (await manager.get('/api/v1/stats/tickets?customer=globex')).json;
  assert.equal(done.open.total, before.open.total);
  assert.equal(done.resolved_in_month, before.resolved_in_month + 1);
  assert.equal(done.open_incidents.by_service.find((x) => x.service === service), undefined);

  // Satisfaction: the mean of the ratings.
  assert.equal((await dave.post(`/api/v1/tickets/${created.key}/rating`, { score: 3 })).status, 201);
  const rated = (await manager.get('/api/v1/stats/tickets?customer=globex')).json;
  assert.equal(rated.satisfaction.count, before.satisfaction.count + 1);
  assert.equal(typeof rated.satisfaction.mean, 'number');

  // Another month, bad input.
  const old = (await manager.get('/api/v1/stats/tickets?month=2001-01')).json;
  assert.equal(old.resolved_in_month, 0);
  assert.equal(old.satisfaction.month_count, 0);
  assert.equal(old.satisfaction.month_mean, null);
  for (const q of ['month=2026-13', 'month=26-01', 'month=2026-1', 'customer=nosuch']) {
    const r = await manager.get(`/api/v1/stats/tickets?${q}`);
    assert.equal(r.status, 400, q);
  }
});
