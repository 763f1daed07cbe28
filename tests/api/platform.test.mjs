// platform.test.mjs — what every module relies on: health, Prometheus
// metrics (open, or behind a staff user's token), the signed-in user,
// customers, users and API tokens (only admins add customers and users), and
// reading the audit log.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  makeStore, seed, startServer, client, cli, cliAsync, cliOk, expectError, expectStatus,
  createTicket, listAll, stopClean,
} from './lib.mjs';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

let store, srv, tokens, admin, agent, manager, operator, alice;

before(async () => {
  store = makeStore();
  tokens = seed(store.db);
  srv = await startServer(store.db);
  admin = client(srv.url, tokens.admin);
  agent = client(srv.url, tokens.agent1);
  manager = client(srv.url, tokens.manager1);
  operator = client(srv.url, tokens.operator1);
  alice = client(srv.url, tokens.alice);
});

after(async () => {
  if (srv) await stopClean(srv);
  store?.cleanup();
});

const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

describe('GET /healthz', () => {
  it('is 200 {"status":"ok"} without a token', async () => {
    const res = await client(srv.url).get('/healthz');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type'), /^application\/json/);
    assert.deepEqual(res.json, { status: 'ok' });
  });
});

describe('GET /metrics', () => {
  let text;
  let res;
  before(async () => {
    await createTicket(agent);
    const t = await createTicket(agent);
    expectStatus(await agent.patch(`/api/v1/tickets/${t.key}`, { version: 1, status: 'in_progress' }), 200);
    await agent.get('/api/v1/tickets/INC-999999');
    res = await client(srv.url).get('/metrics');
    text = res.text;
  });

  it('is Prometheus text format without a token', () => {
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
    for (const line of text.split('\n').filter((l) => l && !l.startsWith('#'))) {
      assert.match(line, /^[a-z_]+(\{[^}]*\})? [0-9.e+-]+$/, `not an exposition line: ${line}`);
    }
  });

  it('counts requests by route and status', () => {
    assert.match(text, /# TYPE itsm_http_requests_total counter/);
    assert.match(text, /itsm_http_requests_total\{route="tickets\.create",status="201"\} 2\b/);
    assert.match(text, /itsm_http_requests_total\{route="tickets\.update",status="200"\} 1\b/);
    assert.match(text, /itsm_http_requests_total\{route="tickets\.get",status="404"\} 1\b/);
  });

  it('has a latency histogram', () => {
    assert.match(text, /# TYPE itsm_http_request_duration_seconds histogram/);
    assert.match(text, /itsm_http_request_duration_seconds_bucket\{le="\+Inf"\} \d+/);
    assert.match(text, /itsm_http_request_duration_seconds_count \d+/);
  });

  it('gauges tickets by status', () => {
    assert.match(text, /# TYPE itsm_tickets gauge/);
    assert.match(text, /itsm_tickets\{status="new"\} 1\b/);
    assert.match(text, /itsm_tickets\{status="in_progress"\} 1\b/);
    assert.match(text, /itsm_tickets\{status="closed"\} 0\b/);
  });
});

describe('GET /metrics with metrics.token_required = 1', () => {
  // A server of its own, configured to ask /metrics for a staff user's token.
  let own, ownSrv, ownTokens;
  before(async () => {
    own = makeStore();
    ownTokens = seed(own.db);
    ownTokens.events = cliOk(own.db, ['token', 'create', 'intake', '--user', 'operator1', '--scope', 'events']);
    writeFileSync(join(own.dir, 'itsm.conf'), '[metrics]\ntoken_required = 1\n');
    ownSrv = await startServer(own.db, ['--config', join(own.dir, 'itsm.conf')]);
  });
  after(async () => {
    if (ownSrv) await stopClean(ownSrv);
    own?.cleanup();
  });

  it('is 401 without a token, or with one that is not valid', async () => {
    expectError(await client(ownSrv.url).get('/metrics'), 401, 'unauthenticated');
    expectError(await client(ownSrv.url, 'itsm_not-a-token').get('/metrics'), 401, 'unauthenticated');
  });

  it('is 403 for a requester and for a token scoped to event intake', async () => {
    expectError(await client(ownSrv.url, ownTokens.alice).get('/metrics'), 403, 'forbidden');
    expectError(await client(ownSrv.url, ownTokens.events).get('/metrics'), 403, 'forbidden');
  });

  it('answers a staff user\'s token with the exposition', async () => {
    for (const name of ['agent1', 'operator1', 'admin']) {
      const res = await client(ownSrv.url, ownTokens[name]).get('/metrics');
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
      assert.match(res.text, /# TYPE itsm_http_requests_total counter/);
      assert.match(res.text, /itsm_http_requests_total\{route="metrics",status="401"\} 2\b/);
    }
  });

  it('leaves /healthz open', async () => {
    expectStatus(await client(ownSrv.url).get('/healthz'), 200);
  });
});

describe('GET /metrics on a listener of its own (metrics.listen)', () => {
  let own, ownSrv, ownTokens, metricsUrl;
  before(async () => {
    own = makeStore();
    ownTokens = seed(own.db);
    writeFileSync(join(own.dir, 'itsm.conf'), '[metrics]\nlisten = 127.0.0.1:0\n');
    ownSrv = await startServer(own.db, ['--config', join(own.dir, 'itsm.conf')]);
    for (let i = 0; i < 50 && !metricsUrl; i++) {
      metricsUrl = (ownSrv.output().match(/metrics on (http:\/\/[0-9.:]+)\/metrics/) || [])[1];
      if (!metricsUrl) await new Promise((r) => setTimeout(r, 20));
    }
  });
  after(async () => {
    if (ownSrv) await stopClean(ownSrv);
    own?.cleanup();
  });

  it('serves /metrics and /healthz there, and nothing else', async () => {
    assert.ok(metricsUrl, `the server names its metrics listener: ${ownSrv.output()}`);
    const m = await client(metricsUrl).get('/metrics');
    assert.equal(m.status, 200);
    assert.match(m.text, /# TYPE itsm_http_requests_total counter/);
    expectStatus(await client(metricsUrl).get('/healthz'), 200);
    expectError(await client(metricsUrl, ownTokens.admin).get('/api/v1/me'), 404, 'not_found');
    expectError(await client(metricsUrl).get('/'), 404, 'not_found');
    expectError(await client(metricsUrl, ownTokens.admin).post('/api/v1/customers', { key: 'x' }),
      404, 'not_found');
  });

  it('takes /metrics off the main listener, which serves everything else', async () => {
    expectError(await client(ownSrv.url).get('/metrics'), 404, 'not_found');
    expectStatus(await client(ownSrv.url, ownTokens.admin).get('/api/v1/me'), 200);
    expectStatus(await client(ownSrv.url).get('/healthz'), 200);
  });
});

describe('GET /api/v1/me', () => {
  it('names the signed-in user, role and customer', async () => {
    const me = expectStatus(await alice.get('/api/v1/me'), 200);
    assert.equal(me.username, 'alice');
    assert.equal(me.role, 'requester');
    assert.equal(me.customer, 'acme');
    assert.equal(me.active, true);
    assert.match(me.created_at, RFC3339);
    assert.ok(!('password_hash' in me) && !JSON.stringify(me).includes('argon2'), 'no password hash');
  });

  it('for each role', async () => {
    for (const [c, name, role] of [[admin, 'admin', 'admin'], [agent, 'agent1', 'agent'],
      [manager, 'manager1', 'manager'], [operator, 'operator1', 'operator']]) {
      const me = expectStatus(await c.get('/api/v1/me'), 200);
      assert.equal(me.username, name);
      assert.equal(me.role, role);
      assert.equal(me.customer, null);
    }
  });

  it('is 401 without a token', async () => {
    expectError(await client(srv.url).get('/api/v1/me'), 401, 'unauthenticated');
  });
});

describe('customers', () => {
  it('staff list every customer', async () => {
    const res = expectStatus(await agent.get('/api/v1/customers'), 200);
    assert.deepEqual(res.items.map((c) => c.key).sort(), ['acme', 'globex']);
    const acme = res.items.find((c) => c.key === 'acme');
    assert.equal(acme.name, 'Acme Manufacturing');
    assert.equal(res.next_cursor, null);
  });

  it('an admin adds one (201), and it is usable at once', async () => {
    const c = expectStatus(await admin.post('/api/v1/customers', { key: 'initech', name: 'Initech' }), 201);
    assert.equal(c.key, 'initech');
    assert.equal(c.name, 'Initech');
    assert.equal(c.version, 1);
    const t = await createTicket(agent, { customer: 'initech' });
    assert.equal(t.customer, 'initech');
  });

  it('agents, managers and requesters may not add one (403)', async () => {
    expectError(await agent.post('/api/v1/customers', { key: 'umbrella' }), 403, 'forbidden');
    expectError(await manager.post('/api/v1/customers', { key: 'umbrella' }), 403, 'forbidden');
    expectError(await alice.post('/api/v1/customers', { key: 'umbrella' }), 403, 'forbidden');
    const res = expectStatus(await admin.get('/api/v1/customers'), 200);
    assert.ok(!res.items.some((c) => c.key === 'umbrella'));
  });

  it('a duplicate key is 409 conflict, a malformed or missing key 400', async () => {
    expectError(await admin.post('/api/v1/customers', { key: 'acme' }), 409, 'conflict', 'key');
    expectError(await admin.post('/api/v1/customers', { key: 'has space' }), 400, 'invalid', 'key');
    expectError(await admin.post('/api/v1/customers', { name: 'No key' }), 400, 'invalid', 'key');
    expectError(await admin.post('/api/v1/customers', { key: 'x', colour: 'red' }), 400, 'invalid', 'colour');
  });
});

describe('users', () => {
  it('staff list users; requesters may not (403)', async () => {
    const res = expectStatus(await agent.get('/api/v1/users'), 200);
    const names = res.items.map((u) => u.username);
    for (const n of ['admin', 'agent1', 'manager1', 'operator1', 'alice', 'dave']) assert.ok(names.includes(n), n);
    assert.ok(!JSON.stringify(res).includes('argon2'), 'no password hashes');
    expectError(await alice.get('/api/v1/users'), 403, 'forbidden');
  });

  it('an admin adds a requester bound to a customer', async () => {
    const u = expectStatus(await admin.post('/api/v1/users', {
      username: 'carol', name: 'Carol Jones', role: 'requester', customer: 'globex', password: 'long-enough-pw',
    }), 201);
    assert.equal(u.username, 'carol');
    assert.equal(u.role, 'requester');
    assert.equal(u.customer, 'globex');
    assert.ok(!('password' in u) && !('password_hash' in u));
    const got = expectStatus(await agent.get('/api/v1/users/carol'), 200);
    assert.equal(got.name, 'Carol Jones');
  });

  it('an admin adds an agent, who can then be assigned tickets', async () => {
    expectStatus(await admin.post('/api/v1/users', { username: 'agent2', role: 'agent' }), 201);
    const t = await createTicket(agent, { assignee: 'agent2' });
    assert.equal(t.assignee, 'agent2');
  });

  it('non-admins may not add users (403), nothing is added', async () => {
    expectError(await manager.post('/api/v1/users', { username: 'eve', role: 'admin' }), 403, 'forbidden');
    expectError(await agent.post('/api/v1/users', { username: 'eve', role: 'admin' }), 403, 'forbidden');
    expectError(await agent.get('/api/v1/users/eve'), 404, 'not_found');
  });

  it('bad input is 400 with the field; a taken name 409', async () => {
    expectError(await admin.post('/api/v1/users', { username: 'x1', role: 'wizard' }), 400, 'invalid', 'role');
    expectError(await admin.post('/api/v1/users', { username: 'x2', role: 'requester' }), 400, 'invalid', 'customer');
    expectError(await admin.post('/api/v1/users', { username: 'x3', role: 'agent', customer: 'acme' }), 400, 'invalid', 'customer');
    expectError(await admin.post('/api/v1/users', { username: 'x4', role: 'requester', customer: 'nope' }), 400, 'invalid', 'customer');
    expectError(await admin.post('/api/v1/users', { username: 'bad name', role: 'agent' }), 400, 'invalid', 'username');
    expectError(await admin.post('/api/v1/users', { username: 'x5', role: 'agent', password: 'short' }), 400, 'invalid', 'password');
    expectError(await admin.post('/api/v1/users', { role: 'agent' }), 400, 'invalid', 'username');
    expectError(await admin.post('/api/v1/users', { username: 'alice', role: 'agent' }), 409, 'conflict', 'username');
    const res = expectStatus(await admin.get('/api/v1/users'), 200);
    assert.ok(!res.items.some((u) => /^x\d$/.test(u.username)));
  });

  it('an unknown user is 404', async () => {
    expectError(await agent.get('/api/v1/users/nobody'), 404, 'not_found');
  });
});

describe('tokens', () => {
  it('anyone signed in creates a token for themselves, and it works', async () => {
    const res = expectStatus(await alice.post('/api/v1/tokens', { name: 'laptop' }), 201);
    assert.equal(res.user, 'alice');
    assert.equal(res.name, 'laptop');
    assert.match(res.token, /^itsm_[A-Za-z0-9_-]{20,}$/);
    const me = expectStatus(await client(srv.url, res.token).get('/api/v1/me'), 200);
    assert.equal(me.username, 'alice');
  });

  it('an admin creates one for another user', async () => {
    const res = expectStatus(await admin.post('/api/v1/tokens', { name: 'ci', user: 'agent1' }), 201);
    assert.equal(res.user, 'agent1');
    const me = expectStatus(await client(srv.url, res.token).get('/api/v1/me'), 200);
    assert.equal(me.username, 'agent1');
  });

  it('a non-admin creating one for someone else is 403', async () => {
    expectError(await agent.post('/api/v1/tokens', { name: 'x', user: 'admin' }), 403, 'forbidden', 'user');
  });

  it('bad input is 400 with the field', async () => {
    expectError(await admin.post('/api/v1/tokens', {}), 400, 'invalid', 'name');
    expectError(await admin.post('/api/v1/tokens', { name: 'x', scope: 'root' }), 400, 'invalid', 'scope');
    expectError(await admin.post('/api/v1/tokens', { name: 'x', user: 'nobody' }), 400, 'invalid', 'user');
    expectError(await admin.post('/api/v1/tokens', { name: 'x', extra: 1 }), 400, 'invalid', 'extra');
  });

  it('a token from the CLI works against the running server', async () => {
    const r = cli(store.db, ['token', 'create', 'script', '--user', 'manager1']);
    assert.equal(r.status, 0, r.stderr);
    const token = r.stdout.trim();
    assert.match(token, /^itsm_\S+$/);
    assert.equal(r.stdout, `${token}\n`, 'token create prints the token and nothing else');
    const me = expectStatus(await client(srv.url, token).get('/api/v1/me'), 200);
    assert.equal(me.username, 'manager1');
  });

  it('an events-scoped token may not touch tickets (403)', async () => {
    const res = expectStatus(await admin.post('/api/v1/tokens', { name: 'monitor', user: 'operator1', scope: 'events' }), 201);
    const ev = client(srv.url, res.token);
    expectError(await ev.get('/api/v1/tickets'), 403, 'forbidden');
    expectError(await ev.post('/api/v1/tickets', { kind: 'incident', title: 'x', impact: 1, urgency: 1 }), 403, 'forbidden');
  });
});

describe('reading the audit log', () => {
  it('managers and admins page through it in sequence', async () => {
    const first = expectStatus(await manager.get('/api/v1/audit?limit=3'), 200);
    assert.deepEqual(first.items.map((r) => r.seq), [1, 2, 3]);
    assert.equal(first.next_cursor, '3');
    const next = expectStatus(await admin.get(`/api/v1/audit?limit=3&cursor=${first.next_cursor}`), 200);
    assert.deepEqual(next.items.map((r) => r.seq), [4, 5, 6]);
    const r = first.items[0];
    assert.equal(r.action, 'customer.add');
    assert.equal(r.entity, 'customer:acme');
    assert.match(r.at, RFC3339);
    assert.match(r.hash, /^[0-9a-f]{64}$/);
  });

  it('a malformed cursor or limit is 400 with the field', async () => {
    expectError(await admin.get('/api/v1/audit?cursor=abc'), 400, 'invalid', 'cursor');
    expectError(await admin.get('/api/v1/audit?cursor=-1'), 400, 'invalid', 'cursor');
    expectError(await admin.get('/api/v1/audit?limit=5x'), 400, 'invalid', 'limit');
    expectError(await admin.get('/api/v1/audit?limit=501'), 400, 'invalid', 'limit');
  });

  it('agents and requesters may not (403)', async () => {
    expectError(await agent.get('/api/v1/audit'), 403, 'forbidden');
    expectError(await alice.get('/api/v1/audit'), 403, 'forbidden');
  });
});

describe('the CLI and the server share one store', () => {
  it('CLI writes during API load all succeed, with unique keys, and the chain verifies', async () => {
    let stop = false;
    const apiKeys = [];
    const loops = Array.from({ length: 8 }, async () => {
      while (!stop) apiKeys.push((await createTicket(agent, { title: 'api under load' })).key);
    });
    const cliKeys = [];
    try {
      for (let i = 0; i < 8; i++) {
        const r = await cliAsync(store.db, ['--json', 'ticket', 'create', '--kind', 'incident',
          '--title', `from the cli ${i}`, '--impact', '1', '--urgency', '3']);
        assert.equal(r.status, 0, r.stderr);
        const t = JSON.parse(r.stdout);
        assert.equal(t.priority, 3);
        cliKeys.push(t.key);
      }
    } finally {
      stop = true;
      await Promise.all(loops);
    }
    assert.ok(apiKeys.length > 0);
    const keys = [...apiKeys, ...cliKeys];
    assert.equal(new Set(keys).size, keys.length, 'a key was handed out twice');
    for (const key of cliKeys) {
      assert.match(expectStatus(await agent.get(`/api/v1/tickets/${key}`), 200).title, /^from the cli/);
    }
    const all = await listAll(agent, '/api/v1/tickets?limit=500&q=from the cli');
    assert.equal(all.length, cliKeys.length);
    const res = expectStatus(await admin.get('/api/v1/audit/verify'), 200);
    assert.equal(res.ok, true, JSON.stringify(res));
  });
});

describe('serve --web-dir (the console from disk, for development)', () => {
  it('serves files from the directory, falls back to index.html for routes, and never leaves it', async () => {
    const { mkdirSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const web = join(store.dir, 'web');
    mkdirSync(join(web, 'js'), { recursive: true });
    writeFileSync(join(web, 'index.html'), '<!doctype html><title>from disk</title>');
    writeFileSync(join(web, 'js', 'app.js'), 'export const fromDisk = 1;\n');
    writeFileSync(join(store.dir, 'secret.txt'), 'outside the web dir');
    const dev = await startServer(store.db, ['--web-dir', web]);
    try {
      const anon = client(dev.url);
      const js = await anon.get('/js/app.js');
      assert.equal(js.status, 200);
      assert.equal(js.text, 'export const fromDisk = 1;\n');
      assert.match(js.headers.get('content-type'), /javascript/);
      const route = await anon.get('/tickets/INC-1');
      assert.equal(route.status, 200);
      assert.match(route.text, /from disk/);
      const missing = await anon.get('/js/missing.js');
      assert.equal(missing.status, 404);
      // '..' is refused before any file is opened (fetch would normalise the
      // path, so send it percent-encoded as a raw client could).
      const up = await anon.get('/js/%2e%2e/%2e%2e/secret.txt');
      assert.notEqual(up.status, 200);
      assert.doesNotMatch(up.text, /outside the web dir/);
    } finally {
      await stopClean(dev);
    }
  });
});
