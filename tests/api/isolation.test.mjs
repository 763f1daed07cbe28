// isolation.test.mjs — a requester sees and touches only their own
// customer's tickets (others are 404, never 403), learns nothing from list
// filters about which customers and users exist, never sees internal
// comments, cannot write them, and may only confirm, reopen or cancel.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  makeStore, seed, startServer, client, expectError, expectStatus, createTicket, listAll,
  stopClean, assertSameTicket, ticketCore,
} from './lib.mjs';

let store, srv, tokens, agent, alice, dave;
let acmeTicket, globexTicket;

before(async () => {
  store = makeStore();
  tokens = seed(store.db);
  srv = await startServer(store.db);
  agent = client(srv.url, tokens.agent1);
  alice = client(srv.url, tokens.alice);
  dave = client(srv.url, tokens.dave);
  acmeTicket = await createTicket(agent, { customer: 'acme', title: 'Acme: VPN flaps' });
  globexTicket = await createTicket(agent, { customer: 'globex', title: 'Globex: warehouse scanner' });
  await createTicket(dave, { title: 'Globex: dave asks' });
  await createTicket(alice, { title: 'Acme: alice asks' });
  await createTicket(agent, { title: 'No customer at all' });
});

after(async () => {
  if (srv) await stopClean(srv);
  store?.cleanup();
});

const get = (c, ref) => c.get(`/api/v1/tickets/${ref}`);

describe('another customer\'s ticket is 404 to a requester', () => {
  it('reading it by key or by id', async () => {
    expectError(await get(alice, globexTicket.key), 404, 'not_found');
    expectError(await get(alice, globexTicket.id), 404, 'not_found');
  });

  it('the 404 looks the same as for a ticket that does not exist', async () => {
    const other = await get(alice, globexTicket.key);
    const none = await get(alice, 'INC-999999');
    assert.equal(other.status, none.status);
    assert.equal(other.json.error.code, none.json.error.code);
    assert.ok(!other.text.includes('globex'), 'the error does not disclose the customer');
  });

  it('patching it is 404 and changes nothing', async () => {
    expectError(await alice.patch(`/api/v1/tickets/${globexTicket.key}`, { version: 1, status: 'cancelled' }), 404, 'not_found');
    expectError(await alice.patch(`/api/v1/tickets/${globexTicket.key}`, { version: 1, title: 'pwned' }), 404, 'not_found');
    assertSameTicket(expectStatus(await get(agent, globexTicket.key), 200), globexTicket);
  });

  it('a stale version does not turn the 404 into a 409', async () => {
    expectError(await alice.patch(`/api/v1/tickets/${globexTicket.key}`, { version: 99, status: 'cancelled' }), 404, 'not_found');
  });

  it('a ticket moved to another customer disappears for the old one', async () => {
    let t = await createTicket(agent, { customer: 'acme', title: 'Moving house' });
    expectStatus(await get(alice, t.key), 200);
    t = expectStatus(await agent.patch(`/api/v1/tickets/${t.key}`, { version: t.version, customer: 'globex' }), 200);
    assert.equal(t.customer, 'globex');
    expectError(await get(alice, t.key), 404, 'not_found');
    expectStatus(await get(dave, t.key), 200);
  });

  it('commenting on it is 404 and adds nothing', async () => {
    expectError(await alice.post(`/api/v1/tickets/${globexTicket.key}/comments`, { body: 'hello?' }), 404, 'not_found');
    const cs = expectStatus(await agent.get(`/api/v1/tickets/${globexTicket.key}/comments`), 200);
    assert.equal(cs.items.length, 0);
  });

  it('its comments and history are 404', async () => {
    expectError(await alice.get(`/api/v1/tickets/${globexTicket.key}/comments`), 404, 'not_found');
    expectError(await alice.get(`/api/v1/tickets/${globexTicket.key}/history`), 404, 'not_found');
  });

  it('a ticket with no customer is 404 to every requester', async () => {
    const t = await createTicket(agent, { title: 'Internal only' });
    expectError(await get(alice, t.key), 404, 'not_found');
    expectError(await get(dave, t.key), 404, 'not_found');
  });

  it('the other way round too: dave cannot see acme\'s ticket', async () => {
    expectError(await get(dave, acmeTicket.key), 404, 'not_found');
  });

  it('their own customer\'s ticket reads fine', async () => {
    assert.equal(expectStatus(await get(alice, acmeTicket.key), 200).key, acmeTicket.key);
    assert.equal(expectStatus(await get(dave, globexTicket.key), 200).key, globexTicket.key);
  });
});

describe('a requester\'s list shows only their customer', () => {
  it('without filters', async () => {
    const items = await listAll(alice, '/api/v1/tickets');
    assert.ok(items.length >= 2);
    for (const t of items) assert.equal(t.customer, 'acme', `${t.key} leaked to alice`);
    assert.ok(items.some((t) => t.key === acmeTicket.key));
  });

  it('even asking for ?customer=globex', async () => {
    const res = expectStatus(await alice.get('/api/v1/tickets?customer=globex'), 200);
    assert.deepEqual(res.items, []);
    assert.equal(res.next_cursor, null);
  });

  it('a text search does not reach other customers', async () => {
    const items = await listAll(alice, '/api/v1/tickets?q=globex');
    assert.deepEqual(items, []);
  });

  it('staff see every customer', async () => {
    const items = await listAll(agent, '/api/v1/tickets');
    const customers = new Set(items.map((t) => t.customer));
    assert.ok(customers.has('acme') && customers.has('globex') && customers.has(null));
  });
});

describe('a requester\'s filters tell nothing about who exists', () => {
  const EMPTY = { items: [], next_cursor: null };
  before(async () => {
    // operator1 is assigned a globex ticket and nothing of acme's.
    await createTicket(agent, { customer: 'globex', assignee: 'operator1', title: 'Globex: operator1 has it' });
  });

  it('?customer= an unknown customer answers as another customer does: an empty list', async () => {
    const unknown = await alice.get('/api/v1/tickets?customer=no-such-customer');
    const other = await alice.get('/api/v1/tickets?customer=globex');
    assert.equal(unknown.status, 200, unknown.text);
    assert.deepEqual(unknown.json, EMPTY);
    assert.deepEqual(other.json, EMPTY);
  });

  it('?assignee= an unknown user answers as one with nothing for them does: an empty list', async () => {
    const unknown = await alice.get('/api/v1/tickets?assignee=no-such-user');
    const other = await alice.get('/api/v1/tickets?assignee=operator1');
    assert.equal(unknown.status, 200, unknown.text);
    assert.deepEqual(unknown.json, EMPTY);
    assert.deepEqual(other.json, EMPTY);
    const staffView = await listAll(agent, '/api/v1/tickets?assignee=operator1');
    assert.ok(staffView.some((t) => t.customer === 'globex'), 'operator1 does have a ticket');
  });

  it('their own customer and a real assignee still filter', async () => {
    const own = await listAll(alice, '/api/v1/tickets?customer=acme');
    assert.ok(own.some((t) => t.key === acmeTicket.key));
    for (const t of own) assert.equal(t.customer, 'acme');
  });

  it('staff keep the helpful 400 for an unknown name', async () => {
    expectError(await agent.get('/api/v1/tickets?customer=no-such-customer'), 400, 'invalid', 'customer');
    expectError(await agent.get('/api/v1/tickets?assignee=no-such-user'), 400, 'invalid', 'assignee');
  });
});

describe('internal comments are never shown to requesters', () => {
  let t;
  before(async () => {
    t = await createTicket(agent, { customer: 'acme', title: 'Laptop fan noisy' });
    expectStatus(await agent.post(`/api/v1/tickets/${t.key}/comments`, { body: 'Ordered a new fan', public: true }), 201);
    expectStatus(await agent.post(`/api/v1/tickets/${t.key}/comments`, { body: 'SECRET: user dropped it', public: false }), 201);
    expectStatus(await alice.post(`/api/v1/tickets/${t.key}/comments`, { body: 'Any news?' }), 201);
  });

  it('GET comments as the requester lists only public ones', async () => {
    const res = expectStatus(await alice.get(`/api/v1/tickets/${t.key}/comments`), 200);
    assert.deepEqual(res.items.map((c) => c.body), ['Ordered a new fan', 'Any news?']);
    assert.ok(res.items.every((c) => c.public === true));
    assert.ok(!JSON.stringify(res).includes('SECRET'));
  });

  it('staff see the internal note', async () => {
    const res = expectStatus(await agent.get(`/api/v1/tickets/${t.key}/comments`), 200);
    assert.equal(res.items.length, 3);
    assert.ok(res.items.some((c) => c.public === false && c.body.startsWith('SECRET')));
  });

  it('a requester cannot post an internal comment (403) and none is added', async () => {
    expectError(await alice.post(`/api/v1/tickets/${t.key}/comments`, { body: 'sneaky', public: false }), 403, 'forbidden');
    const res = expectStatus(await agent.get(`/api/v1/tickets/${t.key}/comments`), 200);
    assert.equal(res.items.length, 3);
    assert.ok(!res.items.some((c) => c.body === 'sneaky'));
  });
});

describe('a requester may only confirm, reopen or cancel', () => {
  async function resolvedTicket() {
    let t = await createTicket(agent, { customer: 'acme', assignee: 'agent1' });
    for (const s of ['in_progress', 'resolved']) {
      t = expectStatus(await agent.patch(`/api/v1/tickets/${t.key}`, { version: t.version, status: s }), 200);
    }
    return t;
  }

  it('changing the title is 403 and changes nothing', async () => {
    const t = await createTicket(agent, { customer: 'acme', title: 'Staff title' });
    expectError(await alice.patch(`/api/v1/tickets/${t.key}`, { version: t.version, title: 'Mine now' }), 403, 'forbidden', 'title');
    expectError(await alice.patch(`/api/v1/tickets/${t.key}`, { version: t.version, impact: 1 }), 403, 'forbidden', 'impact');
    expectError(await alice.patch(`/api/v1/tickets/${t.key}`, { version: t.version, assignee: 'agent1' }), 403, 'forbidden', 'assignee');
    assertSameTicket(expectStatus(await get(agent, t.key), 200), t);
  });

  it('setting a status other than confirm/reopen/cancel is 403', async () => {
    const t = await createTicket(agent, { customer: 'acme', assignee: 'agent1' });
    expectError(await alice.patch(`/api/v1/tickets/${t.key}`, { version: t.version, status: 'in_progress' }), 403, 'forbidden');
    assertSameTicket(expectStatus(await get(agent, t.key), 200), t);
  });

  it('confirming a resolution closes the ticket', async () => {
    const t = await resolvedTicket();
    const u = expectStatus(await alice.patch(`/api/v1/tickets/${t.key}`, { version: t.version, status: 'closed' }), 200);
    assert.equal(u.status, 'closed');
  });

  it('reopening a resolved ticket puts it back in progress', async () => {
    const t = await resolvedTicket();
    const u = expectStatus(await alice.patch(`/api/v1/tickets/${t.key}`, { version: t.version, status: 'in_progress' }), 200);
    assert.equal(u.status, 'in_progress');
  });

  it('cancelling their own new ticket', async () => {
    const t = await createTicket(alice, { title: 'Never mind' });
    const u = expectStatus(await alice.patch(`/api/v1/tickets/${t.key}`, { version: t.version, status: 'cancelled' }), 200);
    assert.equal(u.status, 'cancelled');
  });

  it('a requester cannot set the assignee or the customer on create', async () => {
    const before = (await listAll(agent, '/api/v1/tickets?limit=500')).map(ticketCore);
    expectError(await alice.post('/api/v1/tickets', { kind: 'incident', title: 'x', impact: 1, urgency: 1, customer: 'globex' }), 403, 'forbidden', 'customer');
    expectError(await alice.post('/api/v1/tickets', { kind: 'incident', title: 'x', impact: 1, urgency: 1, assignee: 'agent1' }), 403, 'forbidden', 'assignee');
    assert.deepEqual((await listAll(agent, '/api/v1/tickets?limit=500')).map(ticketCore), before);
  });
});

describe('requesters and other people', () => {
  it('a requester lists only their own customer', async () => {
    const res = expectStatus(await alice.get('/api/v1/customers'), 200);
    assert.deepEqual(res.items.map((c) => c.key), ['acme']);
  });

  it('a requester reading another user is 404; reading themselves works', async () => {
    expectError(await alice.get('/api/v1/users/dave'), 404, 'not_found');
    expectError(await alice.get('/api/v1/users/agent1'), 404, 'not_found');
    assert.equal(expectStatus(await alice.get('/api/v1/users/alice'), 200).username, 'alice');
  });

  it('a requester cannot mint a token for someone else', async () => {
    expectError(await alice.post('/api/v1/tokens', { name: 'steal', user: 'admin' }), 403, 'forbidden', 'user');
  });
});

describe('the live change stream', () => {
  // Read a stream for a while; return what arrived.
  async function listen(token, during) {
    const ctl = new AbortController();
    const res = await fetch(`${srv.url}/api/v1/stream`, {
      headers: { authorization: `Bearer ${token}` }, signal: ctl.signal,
    });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type'), /^text\/event-stream/);
    let text = '';
    const reading = (async () => {
      for await (const chunk of res.body) text += Buffer.from(chunk).toString();
    })().catch(() => {});
    await during();
    const deadline = Date.now() + 5000;
    while (!/"comment":true/.test(text) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    ctl.abort();
    await reading;
    return text;
  }

  it('a requester hears of their own customer\'s tickets only, and never of internal notes', async () => {
    let mine, theirs, nobodys, noted;
    const text = await listen(tokens.alice, async () => {
      theirs = await createTicket(dave, { title: 'Globex: not for alice' });
      nobodys = await createTicket(agent, { title: 'Internal work' });
      noted = await createTicket(agent, { customer: 'acme', title: 'Acme: noted internally' });
      expectStatus(await agent.post(`/api/v1/tickets/${noted.key}/comments`, { body: 'staff only', public: false }), 201);
      mine = await createTicket(alice, { title: 'Acme: alice again' });
      // The last notice the stream waits for: a public comment on alice's ticket.
      expectStatus(await agent.post(`/api/v1/tickets/${mine.key}/comments`, { body: 'on it', public: true }), 201);
    });
    assert.match(text, new RegExp(`"key":"${mine.key}","comment":true`));
    assert.match(text, new RegExp(`"key":"${noted.key}","comment":false`), 'the ticket itself is acme\'s');
    assert.doesNotMatch(text, new RegExp(`"key":"${noted.key}","comment":true`), 'not the internal note');
    assert.doesNotMatch(text, new RegExp(`"${theirs.key}"`));
    assert.doesNotMatch(text, new RegExp(`"${nobodys.key}"`));
  });
});
