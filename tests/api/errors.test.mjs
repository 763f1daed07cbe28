// errors.test.mjs — requests the API refuses: the status, the error code and
// the field at fault, and that a refused request leaves nothing behind.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  makeStore, seed, startServer, client, cli, expectError, expectStatus, createTicket, ticketBody,
  listAll, stopClean, assertSameTicket, ticketCore,
} from './lib.mjs';

let store, srv, tokens, agent, alice;

before(async () => {
  store = makeStore();
  tokens = seed(store.db);
  srv = await startServer(store.db);
  agent = client(srv.url, tokens.agent1);
  alice = client(srv.url, tokens.alice);
});

after(async () => {
  if (srv) await stopClean(srv);
  store?.cleanup();
});

// Every ticket in the store, as staff sees it.
const snapshot = async () => (await listAll(agent, '/api/v1/tickets?limit=500')).map(ticketCore);

// Post a create body, expect this error, and check the store is unchanged.
async function refusedCreate(body, status, code, field) {
  const before = await snapshot();
  const res = await agent.post('/api/v1/tickets', body);
  expectError(res, status, code, field);
  assert.deepEqual(await snapshot(), before, 'a refused create must not leave a ticket');
  return res;
}

describe('malformed JSON is 400 invalid', () => {
  for (const [name, text] of [
    ['a truncated object', '{"kind": "incident", "title": '],
    ['a trailing comma', '{"kind": "incident",}'],
    ['single quotes', "{'kind': 'incident'}"],
    ['bare words', 'kind=incident&title=x'],
  ]) {
    it(name, async () => { await refusedCreate(text, 400, 'invalid', null); });
  }

  it('an empty body', async () => { await refusedCreate('', 400, 'invalid', null); });

  it('a JSON array or a scalar instead of an object', async () => {
    await refusedCreate('[{"kind":"incident"}]', 400, 'invalid', null);
    await refusedCreate('42', 400, 'invalid', null);
  });

  it('bytes that are not UTF-8', async () => {
    await refusedCreate(Buffer.from('{"kind":"incident","title":"\xff\xfe","impact":1,"urgency":1}', 'latin1'), 400, 'invalid');
  });

  it('a NUL character inside a string', async () => {
    await refusedCreate(ticketBody({ title: 'a\u0000b' }), 400, 'invalid');
  });

  it('nesting deeper than the parser allows, without crashing the server', async () => {
    await refusedCreate('['.repeat(100000), 400, 'invalid', null);
    await refusedCreate('{"a":'.repeat(50000), 400, 'invalid', null);
    expectStatus(await agent.get('/healthz'), 200);
  });

  it('a key given twice', async () => {
    await refusedCreate('{"kind":"incident","title":"a","title":"b","impact":1,"urgency":1}', 400, 'invalid');
  });

  it('on PATCH and on comments too', async () => {
    const t = await createTicket(agent);
    expectError(await agent.patch(`/api/v1/tickets/${t.key}`, '{"version":'), 400, 'invalid', null);
    expectError(await agent.post(`/api/v1/tickets/${t.key}/comments`, '{body}'), 400, 'invalid', null);
    assertSameTicket(expectStatus(await agent.get(`/api/v1/tickets/${t.key}`), 200), t);
  });
});

describe('wrong types are 400 with the field', () => {
  const cases = [
    ['title as a number', { title: 42 }, 'title'],
    ['title as an object', { title: { text: 'x' } }, 'title'],
    ['description as an array', { description: ['x'] }, 'description'],
    ['kind as a number', { kind: 1 }, 'kind'],
    ['impact as a string', { impact: '2' }, 'impact'],
    ['urgency as a string', { urgency: 'high' }, 'urgency'],
    ['impact as a fraction', { impact: 1.5 }, 'impact'],
    ['urgency as a boolean', { urgency: true }, 'urgency'],
    ['assignee as a number', { assignee: 7 }, 'assignee'],
    ['customer as a number', { customer: 1 }, 'customer'],
    ['service as a boolean', { service: false }, 'service'],
  ];
  for (const [name, override, field] of cases) {
    it(name, async () => { await refusedCreate(ticketBody(override), 400, 'invalid', field); });
  }

  it('on PATCH: version, title and impact', async () => {
    const t = await createTicket(agent);
    const p = (body) => agent.patch(`/api/v1/tickets/${t.key}`, body);
    expectError(await p({ version: '1', title: 'x' }), 400, 'invalid', 'version');
    expectError(await p({ version: 1, title: 5 }), 400, 'invalid', 'title');
    expectError(await p({ version: 1, impact: 'low' }), 400, 'invalid', 'impact');
    expectError(await p({ version: 1, status: 3 }), 400, 'invalid', 'status');
    expectError(await p({ version: 1, assignee: 3 }), 400, 'invalid', 'assignee');
    assertSameTicket(expectStatus(await agent.get(`/api/v1/tickets/${t.key}`), 200), t);
  });
});

describe('missing fields are 400 with the field', () => {
  for (const field of ['kind', 'title']) {
    it(`without ${field}`, async () => {
      const body = ticketBody();
      delete body[field];
      await refusedCreate(body, 400, 'invalid', field);
    });
  }

  it('a title that is only spaces', async () => {
    await refusedCreate(ticketBody({ title: '   ' }), 400, 'invalid', 'title');
  });

  it('a null title counts as missing', async () => {
    await refusedCreate(ticketBody({ title: null }), 400, 'invalid', 'title');
  });

  it('a PATCH to a title that is only spaces', async () => {
    const t = await createTicket(agent);
    expectError(await agent.patch(`/api/v1/tickets/${t.key}`, { version: 1, title: '  \t ' }), 400, 'invalid', 'title');
    expectError(await agent.patch(`/api/v1/tickets/${t.key}`, { version: 1, title: '' }), 400, 'invalid', 'title');
    assertSameTicket(expectStatus(await agent.get(`/api/v1/tickets/${t.key}`), 200), t);
  });

  it('a PATCH without version', async () => {
    const t = await createTicket(agent);
    expectError(await agent.patch(`/api/v1/tickets/${t.key}`, { title: 'x' }), 400, 'invalid', 'version');
    assertSameTicket(expectStatus(await agent.get(`/api/v1/tickets/${t.key}`), 200), t);
  });
});

describe('values out of range are 400 with the field', () => {
  it('an unknown kind', async () => {
    const res = await refusedCreate(ticketBody({ kind: 'incidnet' }), 400, 'invalid', 'kind');
    assert.match(res.json.error.message, /incidnet/);
  });

  for (const impact of [0, 4, -1]) {
    it(`impact ${impact}`, async () => { await refusedCreate(ticketBody({ impact }), 400, 'invalid', 'impact'); });
  }
  for (const urgency of [0, 4]) {
    it(`urgency ${urgency}`, async () => { await refusedCreate(ticketBody({ urgency }), 400, 'invalid', 'urgency'); });
  }

  it('impact 0 or 4 on PATCH', async () => {
    const t = await createTicket(agent);
    expectError(await agent.patch(`/api/v1/tickets/${t.key}`, { version: 1, impact: 0 }), 400, 'invalid', 'impact');
    expectError(await agent.patch(`/api/v1/tickets/${t.key}`, { version: 1, impact: 4 }), 400, 'invalid', 'impact');
    assertSameTicket(expectStatus(await agent.get(`/api/v1/tickets/${t.key}`), 200), t);
  });

  it('a title over 200 bytes (counted in UTF-8 bytes)', async () => {
    await refusedCreate(ticketBody({ title: 'x'.repeat(201) }), 400, 'invalid', 'title');
    await refusedCreate(ticketBody({ title: `${'é'.repeat(100)}x` }), 400, 'invalid', 'title');
    const ok = await createTicket(agent, { title: 'é'.repeat(100) });
    assert.equal(ok.title, 'é'.repeat(100));
  });

  it('a description over 64 KiB', async () => {
    await refusedCreate(ticketBody({ description: 'd'.repeat(65537) }), 400, 'invalid', 'description');
  });

  it('an integer too big for JSON numbers here', async () => {
    await refusedCreate('{"kind":"incident","title":"x","impact":99999999999999999999999,"urgency":1}', 400, 'invalid');
  });

  it('an unknown customer', async () => {
    await refusedCreate(ticketBody({ customer: 'initech' }), 400, 'invalid', 'customer');
  });

  it('an unknown channel', async () => {
    await refusedCreate(ticketBody({ channel: 'pigeon' }), 400, 'invalid', 'channel');
  });

  it('a priority is derived, never sent', async () => {
    await refusedCreate(ticketBody({ priority: 1 }), 400, 'invalid', 'priority');
  });

  it('unknown list filters values', async () => {
    expectError(await agent.get('/api/v1/tickets?status=done'), 400, 'invalid', 'status');
    expectError(await agent.get('/api/v1/tickets?kind=problem'), 400, 'invalid', 'kind');
    expectError(await agent.get('/api/v1/tickets?priority=6'), 400, 'invalid', 'priority');
    expectError(await agent.get('/api/v1/tickets?assignee=nobody'), 400, 'invalid', 'assignee');
    expectError(await agent.get('/api/v1/tickets?customer=initech'), 400, 'invalid', 'customer');
  });
});

describe('unknown fields are 400 with the field', () => {
  it('on create', async () => {
    await refusedCreate(ticketBody({ colour: 'red' }), 400, 'invalid', 'colour');
  });

  it('on create, a status may not be sent', async () => {
    await refusedCreate(ticketBody({ status: 'resolved' }), 400, 'invalid', 'status');
  });

  it('on PATCH', async () => {
    const t = await createTicket(agent);
    expectError(await agent.patch(`/api/v1/tickets/${t.key}`, { version: 1, colour: 'red' }), 400, 'invalid', 'colour');
    expectError(await agent.patch(`/api/v1/tickets/${t.key}`, { version: 1, key: 'INC-1' }), 400, 'invalid', 'key');
    assertSameTicket(expectStatus(await agent.get(`/api/v1/tickets/${t.key}`), 200), t);
  });
});

describe('a body that is not application/json is 415', () => {
  for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/jsonp']) {
    it(type, async () => {
      const before = await snapshot();
      const res = await agent.post('/api/v1/tickets', JSON.stringify(ticketBody()), { 'content-type': type });
      expectError(res, 415, 'unsupported_media_type');
      assert.deepEqual(await snapshot(), before);
    });
  }

  it('application/json with a charset is accepted', async () => {
    const res = await agent.post('/api/v1/tickets', JSON.stringify(ticketBody()),
      { 'content-type': 'application/json; charset=utf-8' });
    expectStatus(res, 201);
  });

  it('no content type at all', async () => {
    const res = await fetch(`${srv.url}/api/v1/tickets`, {
      method: 'POST', headers: { authorization: `Bearer ${tokens.agent1}` },
      body: new Uint8Array(Buffer.from(JSON.stringify(ticketBody()))),
    });
    assert.equal(res.status, 415);
    assert.equal((await res.json()).error.code, 'unsupported_media_type');
  });
});

describe('a body over the limit is 413', () => {
  it('a 2 MiB JSON body', async () => {
    const before = await snapshot();
    const big = JSON.stringify(ticketBody({ description: 'x'.repeat(2 * 1024 * 1024) }));
    expectError(await agent.post('/api/v1/tickets', big), 413, 'too_large');
    assert.deepEqual(await snapshot(), before);
  });

  it('a 2 MiB body sent chunked, without a Content-Length', async () => {
    const before = await snapshot();
    const chunk = Buffer.alloc(64 * 1024, 'x');
    let sent = 0;
    const body = new ReadableStream({
      pull(c) { if (sent++ < 32) c.enqueue(chunk); else c.close(); },
    });
    const res = await fetch(`${srv.url}/api/v1/tickets`, {
      method: 'POST', body, duplex: 'half',
      headers: { authorization: `Bearer ${tokens.agent1}`, 'content-type': 'application/json' },
    });
    assert.equal(res.status, 413);
    assert.equal((await res.json()).error.code, 'too_large');
    assert.deepEqual(await snapshot(), before);
  });

  it('a 2 MiB PATCH or comment', async () => {
    const t = await createTicket(agent);
    const big = 'x'.repeat(2 * 1024 * 1024);
    expectError(await agent.patch(`/api/v1/tickets/${t.key}`, big), 413, 'too_large');
    expectError(await agent.post(`/api/v1/tickets/${t.key}/comments`, big), 413, 'too_large');
    assertSameTicket(expectStatus(await agent.get(`/api/v1/tickets/${t.key}`), 200), t);
  });

  it('a 2 MiB body with a bad token is refused (401 or 413) and changes nothing', async () => {
    const before = await snapshot();
    const res = await client(srv.url, 'itsm_not-a-token').post('/api/v1/tickets', 'x'.repeat(2 * 1024 * 1024));
    assert.ok(res.status === 413 || res.status === 401, `got ${res.status}`);
    assert.deepEqual(await snapshot(), before);
  });

  it('the server still answers afterwards', async () => {
    expectStatus(await agent.get('/healthz'), 200);
    await createTicket(agent);
  });
});

describe('authentication: no or bad token is 401', () => {
  it('no Authorization header', async () => {
    expectError(await client(srv.url).get('/api/v1/tickets'), 401, 'unauthenticated');
    expectError(await client(srv.url).get('/api/v1/me'), 401, 'unauthenticated');
  });

  it('a token that was never issued', async () => {
    expectError(await client(srv.url, 'itsm_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA').get('/api/v1/tickets'), 401, 'unauthenticated');
  });

  it('garbage and a wrong scheme', async () => {
    expectError(await client(srv.url, 'not-even-close').get('/api/v1/tickets'), 401, 'unauthenticated');
    expectError(await client(srv.url).get('/api/v1/tickets', { authorization: `Basic ${tokens.agent1}` }), 401, 'unauthenticated');
    expectError(await client(srv.url).get('/api/v1/tickets', { authorization: 'Bearer ' }), 401, 'unauthenticated');
  });

  it('a write without a token changes nothing', async () => {
    const before = await snapshot();
    expectError(await client(srv.url).post('/api/v1/tickets', ticketBody()), 401, 'unauthenticated');
    expectError(await client(srv.url, 'itsm_bad').post('/api/v1/tickets', ticketBody()), 401, 'unauthenticated');
    assert.deepEqual(await snapshot(), before);
  });
});

describe('roles: a requester on an admin route is 403', () => {
  it('adding a customer or a user', async () => {
    expectError(await alice.post('/api/v1/customers', { key: 'initech' }), 403, 'forbidden');
    expectError(await alice.post('/api/v1/users', { username: 'mallory', role: 'admin' }), 403, 'forbidden');
    const customers = expectStatus(await client(srv.url, tokens.admin).get('/api/v1/customers'), 200);
    assert.ok(!customers.items.some((c) => c.key === 'initech'));
    const users = expectStatus(await client(srv.url, tokens.admin).get('/api/v1/users'), 200);
    assert.ok(!users.items.some((u) => u.username === 'mallory'));
  });

  it('verifying the audit log', async () => {
    expectError(await alice.get('/api/v1/audit/verify'), 403, 'forbidden');
    expectError(await agent.get('/api/v1/audit/verify'), 403, 'forbidden');
  });

  it('listing users', async () => {
    expectError(await alice.get('/api/v1/users'), 403, 'forbidden');
  });
});

describe('unknown routes', () => {
  it('an unknown API path is 404 not_found', async () => {
    expectError(await agent.get('/api/v1/nothing-here'), 404, 'not_found');
    expectError(await agent.get('/api/v2/tickets'), 404, 'not_found');
    expectError(await agent.get('/api/v1/tickets/INC-1/nothing-here'), 404, 'not_found');
  });

  it('an unknown API path is 404 even without a token', async () => {
    expectError(await client(srv.url).get('/api/v1/nothing-here'), 404, 'not_found');
  });

  it('a known path with a method it does not take is 405', async () => {
    const res = await agent.del('/api/v1/tickets');
    assert.equal(res.status, 405);
    assert.equal(typeof res.json.error.code, 'string');
  });
});

describe('a refused request leaves nothing half done', () => {
  it('a PATCH with a good field before a bad one changes neither, nor the history', async () => {
    const t = await createTicket(agent, { title: 'Keep me' });
    const histBefore = expectStatus(await agent.get(`/api/v1/tickets/${t.key}/history`), 200);
    expectError(await agent.patch(`/api/v1/tickets/${t.key}`, { version: 1, title: 'Changed', impact: 9 }), 400, 'invalid', 'impact');
    expectError(await agent.patch(`/api/v1/tickets/${t.key}`, { version: 1, title: 'Changed', assignee: 'nobody' }), 400, 'invalid', 'assignee');
    expectError(await agent.patch(`/api/v1/tickets/${t.key}`, { version: 1, title: 'Changed', status: 'closed' }), 409, 'invalid_transition');
    assertSameTicket(expectStatus(await agent.get(`/api/v1/tickets/${t.key}`), 200), t);
    assert.deepEqual(expectStatus(await agent.get(`/api/v1/tickets/${t.key}/history`), 200), histBefore);
  });

  it('refused writes batched with good ones (group commit) leave only the good ones', async () => {
    const targets = await Promise.all(Array.from({ length: 8 }, () => createTicket(agent, { title: 'Batch target' })));
    const jobs = [];
    for (const t of targets) {
      jobs.push(agent.patch(`/api/v1/tickets/${t.key}`, { version: 1, title: 'half done', urgency: 0 }));
      jobs.push(agent.post('/api/v1/tickets', ticketBody({ title: 'batch good' })));
      jobs.push(agent.patch(`/api/v1/tickets/${t.key}`, { version: 1, description: 'half done', status: 'resolved' }));
    }
    const res = await Promise.all(jobs);
    const good = [];
    res.forEach((r, i) => {
      if (i % 3 === 0) expectError(r, 400, 'invalid', 'urgency');
      else if (i % 3 === 1) good.push(expectStatus(r, 201));
      else expectError(r, 409, 'invalid_transition');
    });
    for (const t of targets) {
      assertSameTicket(expectStatus(await agent.get(`/api/v1/tickets/${t.key}`), 200), t);
      const h = expectStatus(await agent.get(`/api/v1/tickets/${t.key}/history`), 200);
      assert.deepEqual(h.items.map((x) => x.field), ['status']);
    }
    for (const g of good) assert.equal(expectStatus(await agent.get(`/api/v1/tickets/${g.key}`), 200).title, 'batch good');
    const verify = expectStatus(await client(srv.url, tokens.admin).get('/api/v1/audit/verify'), 200);
    assert.equal(verify.ok, true, JSON.stringify(verify));
  });
});

describe('list parameters are read the same strict way on every list', () => {
  it('a limit or cursor that is not a whole number in range is 400 naming it', async () => {
    const admin = client(srv.url, tokens.admin);
    for (const path of ['/api/v1/tickets', '/api/v1/cis', '/api/v1/alerts', '/api/v1/services', '/api/v1/audit']) {
      const c = path === '/api/v1/audit' ? admin : agent;
      for (const bad of ['10x', '', '1.5', '+5', '0', '501']) {
        expectError(await c.get(`${path}?limit=${encodeURIComponent(bad)}`), 400, 'invalid', 'limit');
      }
    }
    for (const path of ['/api/v1/tickets', '/api/v1/cis', '/api/v1/alerts', '/api/v1/audit', '/api/v1/outages']) {
      const c = path === '/api/v1/audit' ? admin : agent;
      expectError(await c.get(`${path}?cursor=abc`), 400, 'invalid', 'cursor');
    }
  });

  it('the CLI refuses them too', () => {
    const r = cli(store.db, ['audit', 'list', '--limit', '0']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /'limit' must be a number from 1 to 500/);
  });
});
