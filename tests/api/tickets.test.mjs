// tickets.test.mjs — the service desk's happy paths through the HTTP API:
// create (keys, derived priority), read by id and key, list filters and
// cursor pagination, field updates and assignment, the lifecycle, comments,
// field history, and the 409s of the lifecycle and of optimistic concurrency.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  makeStore, seed, startServer, client, expectError, expectStatus, createTicket, listAll,
  stopClean, assertSameTicket, TICKET_FIELDS,
} from './lib.mjs';

let store, srv, tokens, admin, agent, manager, alice;

before(async () => {
  store = makeStore();
  tokens = seed(store.db);
  srv = await startServer(store.db);
  admin = client(srv.url, tokens.admin);
  agent = client(srv.url, tokens.agent1);
  manager = client(srv.url, tokens.manager1);
  alice = client(srv.url, tokens.alice);
});

after(async () => {
  if (srv) await stopClean(srv);
  store?.cleanup();
});

const keyNumber = (key) => Number(key.split('-')[1]);
const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

async function patch(c, ref, body) {
  return c.patch(`/api/v1/tickets/${ref}`, body);
}

async function patchOk(c, t, body) {
  return expectStatus(await patch(c, t.key, { version: t.version, ...body }), 200);
}

describe('creating tickets', () => {
  it('an incident gets an INC- key, status new and the full record', async () => {
    const t = await createTicket(agent, {
      kind: 'incident', title: 'Mail server down', description: 'SMTP refuses', impact: 1,
      urgency: 2, customer: 'acme',
    });
    for (const f of TICKET_FIELDS) assert.ok(f in t, `the ticket has ${f}`);
    assert.match(t.key, /^INC-\d+$/);
    assert.equal(typeof t.id, 'number');
    assert.equal(t.kind, 'incident');
    assert.equal(t.title, 'Mail server down');
    assert.equal(t.description, 'SMTP refuses');
    assert.equal(t.impact, 1);
    assert.equal(t.urgency, 2);
    assert.equal(t.priority, 2);
    assert.equal(t.status, 'new');
    assert.equal(t.requester, 'agent1');
    assert.equal(t.assignee, null);
    assert.equal(t.customer, 'acme');
    assert.equal(t.version, 1);
    assert.match(t.created_at, RFC3339);
    assert.match(t.updated_at, RFC3339);
  });

  it('a service request gets a REQ- key and an inquiry an INQ- key', async () => {
    const r = await createTicket(agent, { kind: 'request', title: 'New laptop for Bob' });
    const q = await createTicket(agent, { kind: 'inquiry', title: 'How do I reset my VPN?' });
    assert.match(r.key, /^REQ-\d+$/);
    assert.equal(r.kind, 'request');
    assert.match(q.key, /^INQ-\d+$/);
    assert.equal(q.kind, 'inquiry');
  });

  it('keys count up per kind', async () => {
    const a = await createTicket(agent, { kind: 'request' });
    const b = await createTicket(agent, { kind: 'incident' });
    const c = await createTicket(agent, { kind: 'request' });
    assert.match(b.key, /^INC-/);
    assert.equal(keyNumber(c.key), keyNumber(a.key) + 1);
  });

  it('a requester\'s ticket belongs to their customer and names them as requester', async () => {
    const t = await createTicket(alice, { kind: 'request', title: 'Access to the share' });
    assert.equal(t.customer, 'acme');
    assert.equal(t.requester, 'alice');
    assert.equal(t.status, 'new');
  });

  it('creating with an assignee starts the ticket as assigned', async () => {
    const t = await createTicket(agent, { assignee: 'agent1' });
    assert.equal(t.assignee, 'agent1');
    assert.equal(t.status, 'assigned');
  });
});

describe('a ticket logged for a caller', () => {
  it('staff name the requester: the ticket is theirs, of their customer, and they see it', async () => {
    const t = await createTicket(agent, {
      kind: 'incident', title: 'Printer jams (phone call)', requester: 'alice', channel: 'phone',
    });
    assert.equal(t.requester, 'alice');
    assert.equal(t.customer, 'acme'); // taken from alice, none was named
    assert.equal(t.channel, 'phone');
    const mine = await listAll(alice, '/api/v1/tickets?requester=me');
    assert.ok(mine.some((x) => x.key === t.key), 'alice finds it among her own');
    const seen = expectStatus(await alice.get(`/api/v1/tickets/${t.key}`), 200);
    assert.equal(seen.key, t.key);
  });

  it('a walk-in with the customer named as well', async () => {
    const t = await createTicket(agent, {
      kind: 'request', title: 'Badge does not open door 3', requester: 'dave',
      customer: 'globex', channel: 'walk_in',
    });
    assert.equal(t.requester, 'dave');
    assert.equal(t.customer, 'globex');
    assert.equal(t.channel, 'walk_in');
  });

  it('refuses a requester of another customer, an unknown one, staff, and requesters naming one', async () => {
    expectError(await agent.post('/api/v1/tickets', {
      kind: 'incident', title: 'x', requester: 'dave', customer: 'acme',
    }), 400, 'invalid', 'requester');
    expectError(await agent.post('/api/v1/tickets', {
      kind: 'incident', title: 'x', requester: 'nobody',
    }), 400, 'invalid', 'requester');
    expectError(await agent.post('/api/v1/tickets', {
      kind: 'incident', title: 'x', requester: 'manager1', // staff belong to no customer
    }), 400, 'invalid', 'requester');
    expectError(await agent.post('/api/v1/tickets', {
      kind: 'incident', title: 'x', requester: 42,
    }), 400, 'invalid', 'requester');
    expectError(await alice.post('/api/v1/tickets', {
      kind: 'incident', title: 'x', requester: 'alice',
    }), 403, 'forbidden', 'requester');
    expectError(await agent.post('/api/v1/tickets', {
      kind: 'incident', title: 'x', channel: 'pigeon',
    }), 400, 'invalid', 'channel');
  });
});

describe('priority from the impact × urgency matrix', () => {
  const matrix = [[1, 2, 3], [2, 3, 4], [3, 4, 5]];
  for (let impact = 1; impact <= 3; impact++) {
    for (let urgency = 1; urgency <= 3; urgency++) {
      const want = matrix[impact - 1][urgency - 1];
      it(`impact ${impact}, urgency ${urgency} → priority ${want}`, async () => {
        const t = await createTicket(agent, { impact, urgency });
        assert.equal(t.priority, want);
        const again = expectStatus(await agent.get(`/api/v1/tickets/${t.key}`), 200);
        assert.equal(again.priority, want);
      });
    }
  }

  it('changing impact or urgency re-derives the priority', async () => {
    let t = await createTicket(agent, { impact: 3, urgency: 3 });
    assert.equal(t.priority, 5);
    t = await patchOk(agent, t, { impact: 1 });
    assert.equal(t.priority, 3);
    t = await patchOk(agent, t, { urgency: 1 });
    assert.equal(t.priority, 1);
  });
});

describe('reading one ticket', () => {
  let t;
  before(async () => { t = await createTicket(agent, { title: 'Read me' }); });

  it('by key', async () => {
    assertSameTicket(expectStatus(await agent.get(`/api/v1/tickets/${t.key}`), 200), t);
  });

  it('by numeric id', async () => {
    assertSameTicket(expectStatus(await agent.get(`/api/v1/tickets/${t.id}`), 200), t);
  });

  it('an unknown key or id is 404 not_found', async () => {
    expectError(await agent.get('/api/v1/tickets/INC-999999'), 404, 'not_found');
    expectError(await agent.get('/api/v1/tickets/999999'), 404, 'not_found');
  });
});

describe('listing with filters', () => {
  // A small, known population; every filter is also checked against the
  // full list filtered here, so the server returns exactly the matching set.
  let all;
  const made = {};
  before(async () => {
    made.acmeNew = await createTicket(agent, { kind: 'incident', customer: 'acme', impact: 1, urgency: 1, title: 'Zebra crossing lights out' });
    made.globexReq = await createTicket(agent, { kind: 'request', customer: 'globex', impact: 3, urgency: 3, title: 'Chair', description: 'a ZEBRA-striped one' });
    made.mine = await createTicket(agent, { kind: 'inquiry', customer: 'globex', assignee: 'agent1', title: 'Where is the manual?' });
    made.managers = await createTicket(agent, { kind: 'incident', customer: 'acme', assignee: 'manager1', title: 'Badge reader broken' });
    made.progress = await patchOk(agent, made.mine, { status: 'in_progress' });
    all = await listAll(agent, '/api/v1/tickets?limit=500');
  });

  const ids = (items) => items.map((t) => t.id).sort((a, b) => a - b);
  async function check(query, pred, mustInclude) {
    const got = await listAll(agent, `/api/v1/tickets?${query}`);
    assert.deepEqual(ids(got), ids(all.filter(pred)), `filter ${query}`);
    for (const t of mustInclude) assert.ok(got.some((g) => g.id === t.id), `${query} includes ${t.key}`);
    assert.ok(got.length > 0);
    return got;
  }

  it('without filters lists every ticket, newest first', async () => {
    assert.ok(all.length >= 4);
    const list = ids(all).reverse();
    assert.deepEqual(all.map((t) => t.id), list);
  });

  it('status', async () => {
    await check('status=in_progress', (t) => t.status === 'in_progress', [made.progress]);
    await check('status=new', (t) => t.status === 'new', [made.acmeNew, made.globexReq]);
  });

  it('kind', async () => {
    await check('kind=request', (t) => t.kind === 'request', [made.globexReq]);
    await check('kind=inquiry', (t) => t.kind === 'inquiry', [made.mine]);
  });

  it('priority', async () => {
    await check('priority=1', (t) => t.priority === 1, [made.acmeNew]);
    await check('priority=5', (t) => t.priority === 5, [made.globexReq]);
  });

  it('assignee=me, assignee=none and assignee=USERNAME', async () => {
    await check('assignee=me', (t) => t.assignee === 'agent1', [made.mine]);
    await check('assignee=none', (t) => t.assignee === null, [made.acmeNew, made.globexReq]);
    await check('assignee=manager1', (t) => t.assignee === 'manager1', [made.managers]);
    const mgr = await listAll(manager, '/api/v1/tickets?assignee=me');
    assert.deepEqual(mgr.map((t) => t.id), [made.managers.id]);
  });

  it('customer', async () => {
    await check('customer=globex', (t) => t.customer === 'globex', [made.globexReq, made.mine]);
    await check('customer=acme', (t) => t.customer === 'acme', [made.acmeNew, made.managers]);
  });

  it('q searches title and description, ignoring case', async () => {
    const got = await check('q=zebra', (t) => /zebra/i.test(t.title + ' ' + t.description),
      [made.acmeNew, made.globexReq]);
    assert.equal(got.length, 2);
    const upper = await listAll(agent, '/api/v1/tickets?q=ZEBRA');
    assert.deepEqual(ids(upper), ids(got));
  });

  it('filters combine', async () => {
    await check('customer=globex&kind=request&q=zebra',
      (t) => t.customer === 'globex' && t.kind === 'request' && /zebra/i.test(t.title + t.description),
      [made.globexReq]);
  });

  it('a filter that matches nothing gives an empty page and no cursor', async () => {
    const res = expectStatus(await agent.get('/api/v1/tickets?q=no-such-words-anywhere'), 200);
    assert.deepEqual(res, { items: [], next_cursor: null });
  });
});

describe('cursor pagination over more than 50 tickets', () => {
  const tag = 'pagetag7731';
  const N = 123;
  const created = [];
  before(async () => {
    for (let i = 0; i < N; i += 16) {
      const batch = [];
      for (let j = i; j < Math.min(N, i + 16); j++) {
        batch.push(createTicket(agent, { title: `${tag} number ${j}`, kind: ['incident', 'request', 'inquiry'][j % 3] }));
      }
      created.push(...await Promise.all(batch));
    }
  });

  it('the default page is 50 items with a next_cursor', async () => {
    const res = expectStatus(await agent.get(`/api/v1/tickets?q=${tag}`), 200);
    assert.equal(res.items.length, 50);
    assert.equal(typeof res.next_cursor, 'string');
  });

  it('following next_cursor yields every ticket exactly once', async () => {
    const pages = [];
    let cursor = null;
    do {
      const res = expectStatus(await agent.get(`/api/v1/tickets?q=${tag}${cursor ? `&cursor=${cursor}` : ''}`), 200);
      pages.push(res.items.length);
      cursor = res.next_cursor;
      if (cursor) assert.equal(res.items.length, 50);
    } while (cursor && pages.length < 10);
    assert.deepEqual(pages, [50, 50, 23]);
    const got = await listAll(agent, `/api/v1/tickets?q=${tag}`);
    const gotIds = got.map((t) => t.id);
    assert.equal(new Set(gotIds).size, gotIds.length, 'no ticket twice');
    assert.deepEqual([...gotIds].sort((a, b) => a - b), created.map((t) => t.id).sort((a, b) => a - b));
  });

  it('a small limit pages the same set', async () => {
    const got = await listAll(agent, `/api/v1/tickets?q=${tag}&limit=7`);
    assert.equal(got.length, N);
    assert.equal(new Set(got.map((t) => t.id)).size, N);
  });

  it('the whole store pages without gaps or repeats at limit=500', async () => {
    const everything = await listAll(agent, '/api/v1/tickets?limit=500');
    const small = await listAll(agent, '/api/v1/tickets?limit=50');
    assert.deepEqual(small.map((t) => t.id), everything.map((t) => t.id));
    assert.ok(everything.length > N);
  });

  it('limit outside 1..500 and a malformed cursor are 400 with the field', async () => {
    expectError(await agent.get('/api/v1/tickets?limit=501'), 400, 'invalid', 'limit');
    expectError(await agent.get('/api/v1/tickets?limit=0'), 400, 'invalid', 'limit');
    expectError(await agent.get('/api/v1/tickets?limit=ten'), 400, 'invalid', 'limit');
    expectError(await agent.get('/api/v1/tickets?cursor=abc'), 400, 'invalid', 'cursor');
  });
});

describe('updating fields', () => {
  it('title, description, impact, urgency and service change and bump the version', async () => {
    const t = await createTicket(agent, { impact: 2, urgency: 2 });
    const u = await patchOk(agent, t, {
      title: 'New title', description: 'More detail', impact: 1, urgency: 3, service: 'email',
    });
    assert.equal(u.title, 'New title');
    assert.equal(u.description, 'More detail');
    assert.equal(u.impact, 1);
    assert.equal(u.urgency, 3);
    assert.equal(u.priority, 3);
    assert.equal(u.service, 'email');
    assert.equal(u.version, t.version + 1);
    assert.equal(u.key, t.key);
    assert.equal(u.created_at, t.created_at);
    assertSameTicket(expectStatus(await agent.get(`/api/v1/tickets/${t.key}`), 200), u);
  });

  it('a PATCH by numeric id works like one by key', async () => {
    const t = await createTicket(agent);
    const u = expectStatus(await patch(agent, t.id, { version: 1, title: 'By id' }), 200);
    assert.equal(u.title, 'By id');
  });

  it('a PATCH of an unknown ticket is 404', async () => {
    expectError(await patch(agent, 'INC-999999', { version: 1, title: 'x' }), 404, 'not_found');
  });
});

describe('assignment', () => {
  it('assigning a new ticket moves it to assigned', async () => {
    const t = await createTicket(agent);
    const u = await patchOk(agent, t, { assignee: 'agent1' });
    assert.equal(u.assignee, 'agent1');
    assert.equal(u.status, 'assigned');
    assert.equal(u.version, 2);
  });

  it('reassigning keeps the status; null unassigns', async () => {
    let t = await createTicket(agent, { assignee: 'agent1' });
    t = await patchOk(agent, t, { status: 'in_progress' });
    t = await patchOk(agent, t, { assignee: 'manager1' });
    assert.equal(t.assignee, 'manager1');
    assert.equal(t.status, 'in_progress');
    t = await patchOk(agent, t, { assignee: null });
    assert.equal(t.assignee, null);
  });

  it('an unknown user or a requester cannot be the assignee (400 field assignee)', async () => {
    const t = await createTicket(agent);
    expectError(await patch(agent, t.key, { version: 1, assignee: 'nobody' }), 400, 'invalid', 'assignee');
    expectError(await patch(agent, t.key, { version: 1, assignee: 'alice' }), 400, 'invalid', 'assignee');
    expectError(await agent.post('/api/v1/tickets', { kind: 'incident', title: 'x', impact: 1, urgency: 1, assignee: 'alice' }),
      400, 'invalid', 'assignee');
    const now = expectStatus(await agent.get(`/api/v1/tickets/${t.key}`), 200);
    assert.equal(now.assignee, null);
    assert.equal(now.status, 'new');
    assert.equal(now.version, 1);
  });

  it('unassigning an assigned ticket puts it back to new', async () => {
    let t = await createTicket(agent, { assignee: 'agent1' });
    assert.equal(t.status, 'assigned');
    t = await patchOk(agent, t, { assignee: null });
    assert.equal(t.assignee, null);
    assert.equal(t.status, 'new');
  });

  it('moving to assigned without an assignee is 400 and changes nothing', async () => {
    const t = await createTicket(agent);
    expectError(await patch(agent, t.key, { version: 1, status: 'assigned' }), 400, 'invalid', 'assignee');
    const now = expectStatus(await agent.get(`/api/v1/tickets/${t.key}`), 200);
    assert.equal(now.status, 'new');
    assert.equal(now.version, 1);
  });
});

describe('an update that changes nothing', () => {
  it('keeps the version and writes no history', async () => {
    const t = await createTicket(agent, { title: 'Same as before' });
    const before = expectStatus(await agent.get(`/api/v1/tickets/${t.key}/history`), 200);
    const u = await patchOk(agent, t, { title: 'Same as before' });
    assert.equal(u.version, t.version);
    const after = expectStatus(await agent.get(`/api/v1/tickets/${t.key}/history`), 200);
    assert.equal(after.items.length, before.items.length);
    const bare = await patchOk(alice, await createTicket(alice), {});
    assert.equal(bare.version, 1);
  });
});

describe('the lifecycle', () => {
  it('moves new → assigned → in_progress → pending → in_progress → resolved → closed', async () => {
    let t = await createTicket(agent);
    t = await patchOk(agent, t, { assignee: 'agent1' });
    assert.equal(t.status, 'assigned');
    for (const s of ['in_progress', 'pending', 'in_progress', 'resolved']) {
      const v = t.version;
      t = await patchOk(agent, t, { status: s });
      assert.equal(t.status, s);
      assert.equal(t.version, v + 1);
    }
    assert.match(t.resolved_at, RFC3339);
    assert.equal(t.closed_at, null);
    t = await patchOk(agent, t, { status: 'closed' });
    assert.equal(t.status, 'closed');
    assert.match(t.closed_at, RFC3339);
    assertSameTicket(expectStatus(await agent.get(`/api/v1/tickets/${t.key}`), 200), t);
  });

  it('a resolved ticket reopens to in_progress', async () => {
    let t = await createTicket(agent, { assignee: 'agent1' });
    t = await patchOk(agent, t, { status: 'in_progress' });
    t = await patchOk(agent, t, { status: 'resolved' });
    t = await patchOk(agent, t, { status: 'in_progress' });
    assert.equal(t.status, 'in_progress');
    assert.equal(t.resolved_at, null);
  });

  it('a new ticket can be cancelled, and cancelled is terminal', async () => {
    let t = await createTicket(agent);
    t = await patchOk(agent, t, { status: 'cancelled' });
    assert.equal(t.status, 'cancelled');
    assert.match(t.closed_at, RFC3339);
    expectError(await patch(agent, t.key, { version: t.version, status: 'new' }), 409, 'invalid_transition');
  });

  const illegal = [
    ['new', [], 'resolved'],
    ['new', [], 'closed'],
    ['new', [], 'pending'],
    ['resolved', ['in_progress', 'resolved'], 'pending'],
    ['resolved', ['in_progress', 'resolved'], 'assigned'],
    ['closed', ['in_progress', 'resolved', 'closed'], 'in_progress'],
    ['closed', ['in_progress', 'resolved', 'closed'], 'resolved'],
    ['cancelled', ['cancelled'], 'in_progress'],
  ];
  for (const [from, path, to] of illegal) {
    it(`${from} → ${to} is 409 invalid_transition and changes nothing`, async () => {
      let t = await createTicket(agent);
      for (const s of path) t = await patchOk(agent, t, { status: s });
      assert.equal(t.status, from);
      expectError(await patch(agent, t.key, { version: t.version, status: to }), 409, 'invalid_transition');
      const now = expectStatus(await agent.get(`/api/v1/tickets/${t.key}`), 200);
      assertSameTicket(now, t);
    });
  }

  it('a closed ticket refuses any other change with 409 invalid_transition', async () => {
    let t = await createTicket(agent);
    for (const s of ['in_progress', 'resolved', 'closed']) t = await patchOk(agent, t, { status: s });
    expectError(await patch(agent, t.key, { version: t.version, title: 'changed later' }), 409, 'invalid_transition');
    expectError(await agent.post(`/api/v1/tickets/${t.key}/comments`, { body: 'late' }), 409, 'invalid_transition');
    assertSameTicket(expectStatus(await agent.get(`/api/v1/tickets/${t.key}`), 200), t);
  });

  it('an unknown status is 400 field status', async () => {
    const t = await createTicket(agent);
    expectError(await patch(agent, t.key, { version: 1, status: 'done' }), 400, 'invalid', 'status');
  });
});

describe('optimistic concurrency', () => {
  it('a stale version is 409 conflict and changes nothing', async () => {
    const t = await createTicket(agent, { title: 'Original' });
    const u = await patchOk(agent, t, { title: 'First edit' });
    const res = await patch(agent, t.key, { version: t.version, title: 'Second edit from a stale copy' });
    expectError(res, 409, 'conflict', 'version');
    const now = expectStatus(await agent.get(`/api/v1/tickets/${t.key}`), 200);
    assertSameTicket(now, u);
    const hist = expectStatus(await agent.get(`/api/v1/tickets/${t.key}/history`), 200);
    assert.equal(hist.items.filter((h) => h.field === 'title').length, 1);
  });

  it('a version from the future is 409 conflict too', async () => {
    const t = await createTicket(agent);
    expectError(await patch(agent, t.key, { version: 99, title: 'x' }), 409, 'conflict', 'version');
  });

  it('of many racing updates on one version exactly one wins', async () => {
    const t = await createTicket(agent, { title: 'Race' });
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) =>
      patch(agent, t.key, { version: t.version, title: `Racer ${i}` })));
    const won = results.filter((r) => r.status === 200);
    const lost = results.filter((r) => r.status !== 200);
    assert.equal(won.length, 1, results.map((r) => r.status).join(','));
    for (const r of lost) expectError(r, 409, 'conflict', 'version');
    const now = expectStatus(await agent.get(`/api/v1/tickets/${t.key}`), 200);
    assert.equal(now.version, 2);
    assert.equal(now.title, won[0].json.title);
  });
});

describe('comments', () => {
  let t;
  before(async () => { t = await createTicket(agent, { customer: 'acme' }); });

  it('a comment is public by default', async () => {
    const c = expectStatus(await agent.post(`/api/v1/tickets/${t.key}/comments`, { body: 'Looking into it' }), 201);
    assert.equal(typeof c.id, 'number');
    assert.equal(c.ticket, t.key);
    assert.equal(c.author, 'agent1');
    assert.equal(c.body, 'Looking into it');
    assert.equal(c.public, true);
    assert.match(c.created_at, RFC3339);
  });

  it('staff may write internal notes', async () => {
    const c = expectStatus(await agent.post(`/api/v1/tickets/${t.key}/comments`, { body: 'Probably the fuser', public: false }), 201);
    assert.equal(c.public, false);
  });

  it('a requester of the customer comments publicly', async () => {
    const c = expectStatus(await alice.post(`/api/v1/tickets/${t.key}/comments`, { body: 'Thanks!' }), 201);
    assert.equal(c.author, 'alice');
    assert.equal(c.public, true);
  });

  it('staff read every comment in order', async () => {
    const res = expectStatus(await agent.get(`/api/v1/tickets/${t.key}/comments`), 200);
    assert.deepEqual(res.items.map((c) => [c.author, c.body, c.public]), [
      ['agent1', 'Looking into it', true],
      ['agent1', 'Probably the fuser', false],
      ['alice', 'Thanks!', true],
    ]);
    assert.equal(res.next_cursor, null);
  });

  it('an empty comment or a non-boolean public is 400 with the field', async () => {
    expectError(await agent.post(`/api/v1/tickets/${t.key}/comments`, { body: '   ' }), 400, 'invalid', 'body');
    expectError(await agent.post(`/api/v1/tickets/${t.key}/comments`, {}), 400, 'invalid', 'body');
    expectError(await agent.post(`/api/v1/tickets/${t.key}/comments`, { body: 'x', public: 'no' }), 400, 'invalid', 'public');
    expectError(await agent.post(`/api/v1/tickets/${t.key}/comments`, { body: 'x', pinned: true }), 400, 'invalid', 'pinned');
    const res = expectStatus(await agent.get(`/api/v1/tickets/${t.key}/comments`), 200);
    assert.equal(res.items.length, 3);
  });

  it('commenting on an unknown ticket is 404', async () => {
    expectError(await agent.post('/api/v1/tickets/INC-999999/comments', { body: 'x' }), 404, 'not_found');
  });
});

describe('field history', () => {
  it('lists every field change with actor, old and new values', async () => {
    let t = await createTicket(agent, { title: 'Old title', description: 'old text', impact: 2, urgency: 2 });
    t = await patchOk(agent, t, { title: 'New title' });
    t = await patchOk(manager, t, { description: 'new text', impact: 1 });
    t = await patchOk(agent, t, { assignee: 'agent1' });
    t = await patchOk(agent, t, { status: 'in_progress' });
    const res = expectStatus(await agent.get(`/api/v1/tickets/${t.key}/history`), 200);
    const rows = res.items.map((h) => [h.actor, h.field, h.old, h.new]);
    assert.deepEqual(rows, [
      ['agent1', 'status', null, 'new'],
      ['agent1', 'title', 'Old title', 'New title'],
      ['manager1', 'description', 'old text', 'new text'],
      ['manager1', 'impact', '2', '1'],
      ['manager1', 'priority', '3', '2'],
      ['agent1', 'assignee', null, 'agent1'],
      ['agent1', 'status', 'new', 'assigned'],
      ['agent1', 'status', 'assigned', 'in_progress'],
    ]);
    for (const h of res.items) assert.match(h.at, RFC3339);
  });

  it('of an unknown ticket is 404', async () => {
    expectError(await agent.get('/api/v1/tickets/INC-999999/history'), 404, 'not_found');
  });
});
