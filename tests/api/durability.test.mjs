// durability.test.mjs — an acknowledged write survives `kill -9`: many
// concurrent clients create (then update) tickets, the server is killed in
// the middle of the load and restarted on the same store; every ticket whose
// 201 (or update whose 200) was received is there, and the audit chain
// verifies.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  makeStore, seed, startServer, client, cli, expectStatus, createTicket, listAll, stopClean,
  assertSameTicket,
} from './lib.mjs';

const CLIENTS = 32;
const TOTAL = 3000;       // requests the clients would send if left alone
const KILL_AFTER = 1000;  // acknowledged creates before the kill

let store, srv, tokens;

before(() => {
  store = makeStore();
  tokens = seed(store.db);
});

after(async () => {
  if (srv) await stopClean(srv);
  store?.cleanup();
});

// Run `CLIENTS` loops, each sending job(n) until `total` jobs were started
// or the server is gone; onAck(count) sees each acknowledgement, and an
// answer that is neither an acknowledgement nor a `tolerated` status fails
// the test. Resolves to the acknowledged results once every loop stopped.
async function load({ total, job, isAck, onAck, tolerated = [] }) {
  const acked = [];
  let started = 0;
  let failures = 0;
  async function loop() {
    while (started < total) {
      const n = started++;
      let res;
      try {
        res = await job(n);
      } catch {
        failures++; // the connection died with the server
        if (failures > CLIENTS * 4) return;
        continue;
      }
      if (isAck(res)) {
        acked.push(res);
        onAck(acked.length);
      } else if (!tolerated.includes(res.status)) {
        throw new Error(`unexpected answer during load: ${res.status} ${res.text}`);
      }
    }
  }
  await Promise.all(Array.from({ length: CLIENTS }, loop));
  return acked;
}

// Map over items with at most `width` requests in flight.
async function pool(items, width, fn) {
  const out = new Array(items.length);
  let i = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (i < items.length) {
      const k = i++;
      out[k] = await fn(items[k]);
    }
  }));
  return out;
}

describe('kill -9 in the middle of concurrent creates', () => {
  let acked = [];
  let killedAt = 0;

  before(async () => {
    srv = await startServer(store.db);
    const agent = client(srv.url, tokens.agent1);
    const victim = srv;
    let killing = null;
    acked = await load({
      total: TOTAL,
      job: (n) => agent.post('/api/v1/tickets', {
        kind: ['incident', 'request', 'inquiry'][n % 3], title: `load ticket ${n}`,
        description: `sent as request ${n}`, impact: 1 + (n % 3), urgency: 1 + ((n >> 2) % 3),
        customer: n % 2 ? 'acme' : 'globex',
      }),
      isAck: (res) => res.status === 201,
      onAck: (count) => {
        if (count === KILL_AFTER && !killing) {
          killedAt = count;
          killing = victim.kill();
        }
      },
    });
    assert.ok(killing, `the load ended after ${acked.length} creates, before the kill`);
    const { sig } = await killing;
    assert.equal(sig, 'SIGKILL');
    srv = await startServer(store.db);
  });

  it('the kill landed while requests were still coming', () => {
    assert.ok(killedAt === KILL_AFTER, 'the server was killed');
    assert.ok(acked.length < TOTAL, `all ${TOTAL} requests finished before the kill`);
  });

  it('every acknowledged key is unique', () => {
    const keys = acked.map((r) => r.json.key);
    assert.equal(new Set(keys).size, keys.length);
  });

  it('every ticket whose 201 was received is there after the restart', async () => {
    const agent = client(srv.url, tokens.agent1);
    const missing = [];
    await pool(acked, 16, async (r) => {
      const got = await agent.get(`/api/v1/tickets/${r.json.key}`);
      if (got.status !== 200) missing.push(`${r.json.key}: ${got.status}`);
      else assertSameTicket(got.json, r.json, 'differs from what was acknowledged');
    });
    assert.deepEqual(missing, [], `${missing.length} acknowledged tickets lost`);
  });

  it('at most the requests in flight at the kill were stored without an answer', async (t) => {
    const all = await listAll(client(srv.url, tokens.agent1), '/api/v1/tickets?limit=500');
    t.diagnostic(`${acked.length} acknowledged, ${all.length - acked.length} stored without an answer`);
    assert.ok(all.length >= acked.length);
    assert.ok(all.length <= acked.length + CLIENTS, `${all.length} stored, ${acked.length} acknowledged`);
    const ids = all.map((t) => t.id);
    assert.equal(new Set(ids).size, ids.length);
  });

  it('the audit chain verifies after the restart', async () => {
    const res = expectStatus(await client(srv.url, tokens.admin).get('/api/v1/audit/verify'), 200);
    assert.equal(res.ok, true, JSON.stringify(res));
    const r = cli(store.db, ['audit', 'verify']);
    assert.equal(r.status, 0, r.stdout + r.stderr);
  });

  it('new tickets after the restart get fresh keys', async () => {
    const agent = client(srv.url, tokens.agent1);
    const keys = new Set(acked.map((r) => r.json.key));
    for (const kind of ['incident', 'request', 'inquiry']) {
      const t = await createTicket(agent, { kind });
      assert.ok(!keys.has(t.key), `${t.key} was handed out twice`);
    }
  });
});

describe('kill -9 in the middle of concurrent updates', () => {
  let targets = [];
  let acked = [];

  before(async () => {
    const agent = client(srv.url, tokens.agent1);
    targets = (await listAll(agent, '/api/v1/tickets?limit=500&status=new')).slice(0, 64);
    const versions = new Map(targets.map((t) => [t.key, t.version]));
    const victim = srv;
    let killing = null;
    // Each job edits one target with the version it last saw acknowledged;
    // a 409 (another client won the race) is not an acknowledgement.
    acked = await load({
      total: 1500,
      tolerated: [409],
      job: async (n) => {
        const key = targets[n % targets.length].key;
        const res = await agent.patch(`/api/v1/tickets/${key}`, { version: versions.get(key), description: `edit ${n}` });
        if (res.status === 200) versions.set(key, Math.max(versions.get(key), res.json.version));
        else if (res.status === 409) {
          const cur = await agent.get(`/api/v1/tickets/${key}`);
          if (cur.status === 200) versions.set(key, Math.max(versions.get(key), cur.json.version));
        }
        return res;
      },
      isAck: (res) => res.status === 200,
      onAck: (count) => { if (count === 300 && !killing) killing = victim.kill(); },
    });
    await killing;
    srv = await startServer(store.db);
  });

  it('every acknowledged update is there after the restart', async () => {
    assert.ok(acked.length >= 300);
    const agent = client(srv.url, tokens.agent1);
    // The newest acknowledged state of each ticket.
    const latest = new Map();
    for (const r of acked) {
      const prev = latest.get(r.json.key);
      if (!prev || prev.version < r.json.version) latest.set(r.json.key, r.json);
    }
    for (const [key, want] of latest) {
      const got = expectStatus(await agent.get(`/api/v1/tickets/${key}`), 200);
      assert.ok(got.version >= want.version, `${key} went back from version ${want.version} to ${got.version}`);
      if (got.version === want.version) assert.equal(got.description, want.description);
    }
  });

  it('the audit chain still verifies', async () => {
    const res = expectStatus(await client(srv.url, tokens.admin).get('/api/v1/audit/verify'), 200);
    assert.equal(res.ok, true, JSON.stringify(res));
  });
});
