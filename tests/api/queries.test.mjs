// queries.test.mjs — query parameters: every GET route of src/api/routes.c
// refuses a parameter it does not take (400 naming it) instead of answering
// as if it had not been sent; the ticket list's status filter takes a comma
// list and "open"; the SLA list filters by kind (sla, ola); the CLI agrees.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  makeStore, seed, startServer, client, cli, cliOk, expectError, expectStatus, createTicket,
  stopClean,
} from './lib.mjs';

const ROUTES_C = fileURLToPath(new URL('../../src/api/routes.c', import.meta.url));

let store, srv, admin, agent, manager, alice;

before(async () => {
  store = makeStore();
  const tokens = seed(store.db);
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

// Every GET route, its captures filled with a placeholder: the router
// refuses the parameter before the handler looks the record up.
test('every GET route refuses a query parameter it does not take', async () => {
  const text = readFileSync(ROUTES_C, 'utf8');
  const paths = [...text.matchAll(/\{\s*"GET",\s*"([^"]+)"/g)].map((m) => m[1]);
  assert.ok(paths.length > 30, `parsed only ${paths.length} GET routes`);
  for (const p of paths) {
    const path = p.replace(/:[a-z]+/g, 'x1');
    const res = await admin.get(`${path}?bogus=1`);
    const err = expectError(res, 400, 'invalid', 'bogus');
    assert.match(err.message, /^unknown query parameter 'bogus'/, path);
  }
});

test('a parameter a route takes elsewhere is still refused where it does not apply', async () => {
  // limit pages the ticket list, but a single ticket takes nothing.
  const t = await createTicket(agent);
  expectError(await agent.get(`/api/v1/tickets/${t.key}?limit=5`), 400, 'invalid', 'limit');
  expectStatus(await agent.get('/api/v1/tickets?limit=5'), 200);
});

describe('the ticket list\'s status filter', () => {
  const keys = {};
  before(async () => {
    // One ticket in each of four statuses, moved along the lifecycle.
    keys.new = (await createTicket(agent, { title: 'stays new' })).key;
    const move = async (title, path) => {
      let t = await createTicket(agent, { title });
      for (const status of path) {
        t = expectStatus(await agent.patch(`/api/v1/tickets/${t.key}`, { version: t.version, status }), 200);
      }
      return t.key;
    };
    keys.in_progress = await move('in progress', ['in_progress']);
    keys.resolved = await move('resolved', ['in_progress', 'resolved']);
    keys.cancelled = await move('cancelled', ['cancelled']);
  });
  const listed = async (q) => {
    const res = expectStatus(await agent.get(`/api/v1/tickets?limit=500&${q}`), 200);
    return new Set(res.items.map((t) => t.key));
  };

  test('a comma list takes every status named', async () => {
    const got = await listed('status=new,in_progress');
    assert.ok(got.has(keys.new) && got.has(keys.in_progress));
    assert.ok(!got.has(keys.resolved) && !got.has(keys.cancelled));
  });
  test('"open" is every status the desk still works on (not resolved, closed, cancelled)', async () => {
    const got = await listed('status=open');
    assert.ok(got.has(keys.new) && got.has(keys.in_progress));
    assert.ok(!got.has(keys.resolved) && !got.has(keys.cancelled));
    const all = expectStatus(await agent.get('/api/v1/tickets?limit=500'), 200).items;
    for (const t of all) {
      assert.equal(got.has(t.key), ['new', 'assigned', 'in_progress', 'pending'].includes(t.status), t.key);
    }
  });
  test('"open" combines with a named status', async () => {
    const got = await listed('status=open,resolved');
    assert.ok(got.has(keys.resolved) && got.has(keys.new) && !got.has(keys.cancelled));
  });
  test('a bad status is 400 naming it, and an empty item is refused', async () => {
    const err = expectError(await agent.get('/api/v1/tickets?status=new,finished'), 400, 'invalid', 'status');
    assert.match(err.message, /unknown status 'finished'/);
    expectError(await agent.get('/api/v1/tickets?status=new,'), 400, 'invalid', 'status');
    expectError(await agent.get('/api/v1/tickets?status='), 400, 'invalid', 'status');
  });
  test('requester takes only "me"', async () => {
    expectError(await alice.get('/api/v1/tickets?requester=bob'), 400, 'invalid', 'requester');
    expectStatus(await alice.get('/api/v1/tickets?requester=me'), 200);
  });
  test('the CLI takes the same list: itsm ticket list --status open', () => {
    const out = JSON.parse(cliOk(store.db, ['--json', 'ticket', 'list', '--status', 'open', '--limit', '500']));
    const got = new Set(out.items.map((t) => t.key));
    assert.ok(got.has(keys.new) && got.has(keys.in_progress) && !got.has(keys.resolved));
    const bad = cli(store.db, ['ticket', 'list', '--status', 'shut']);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /unknown status 'shut'/);
  });
});

describe('the SLA list\'s kind filter', () => {
  before(async () => {
    expectStatus(await manager.post('/api/v1/services', { key: 'email' }), 201);
    const targets = Object.fromEntries([1, 2, 3, 4, 5].map((p) => [String(p),
      { response_minutes: 60 * p, resolution_minutes: 240 * p }]));
    const body = { service: 'email', calendar: '24x7', targets };
    expectStatus(await manager.post('/api/v1/slas', { ...body, name: 'acme-email', customer: 'acme' }), 201);
    expectStatus(await manager.post('/api/v1/slas', { ...body, name: 'ops-email', group: 'ops' }), 201);
  });
  test('kind=ola lists only OLAs and kind=sla only SLAs', async () => {
    const names = async (q) => expectStatus(await manager.get(`/api/v1/slas${q}`), 200).items.map((s) => s.name);
    assert.deepEqual(await names(''), ['acme-email', 'ops-email']);
    assert.deepEqual(await names('?kind=ola'), ['ops-email']);
    assert.deepEqual(await names('?kind=sla'), ['acme-email']);
    expectError(await manager.get('/api/v1/slas?kind=olas'), 400, 'invalid', 'kind');
    // A requester sees only their customer's SLAs: never an OLA.
    assert.deepEqual(expectStatus(await alice.get('/api/v1/slas?kind=ola'), 200).items, []);
  });
  test('itsm sla list --kind ola', () => {
    const out = JSON.parse(cliOk(store.db, ['--json', 'sla', 'list', '--kind', 'ola']));
    assert.deepEqual(out.items.map((s) => s.name), ['ops-email']);
  });
});
