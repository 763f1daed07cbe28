// cmdb.test.mjs — configuration items and relationships through the HTTP
// API: create/read/update with optimistic versions, attribute search,
// typed relationships, impact and dependencies with explaining paths (also
// on a generated graph with cycles, checked against a BFS done here),
// history and audit, item types, import/export all-or-nothing.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  makeStore, seed, startServer, client, cliOk, expectError, expectStatus, stopClean, listAll,
  parseCsv,
} from './lib.mjs';

let store, srv, tokens, admin, agent, manager, alice, events;

before(async () => {
  store = makeStore();
  tokens = seed(store.db);
  tokens.intake = cliOk(store.db, ['token', 'create', 'am', '--user', 'operator1', '--scope', 'events']);
  srv = await startServer(store.db);
  admin = client(srv.url, tokens.admin);
  agent = client(srv.url, tokens.agent1);
  manager = client(srv.url, tokens.manager1);
  alice = client(srv.url, tokens.alice);
  events = client(srv.url, tokens.intake);
});

after(async () => {
  if (srv) await stopClean(srv);
  store?.cleanup();
});

const ci = (c, body) => c.post('/api/v1/cis', body);
const rel = (c, source, type, target, extra = {}) =>
  c.post('/api/v1/relationships', { source, type, target, ...extra });

describe('configuration items', () => {
  it('creates an item with attributes and reads it back', async () => {
    const x = expectStatus(await ci(agent, {
      key: 'db-01', name: 'Orders database', type: 'database', status: 'active',
      owner_group: 'dba', location: 'dc1', attributes: { engine: 'postgresql', cores: 16 },
    }), 201);
    assert.equal(x.key, 'db-01');
    assert.equal(x.type, 'database');
    assert.equal(x.status, 'active');
    assert.equal(x.owner_group, 'dba');
    assert.deepEqual(x.attributes, { engine: 'postgresql', cores: 16 });
    assert.equal(x.version, 1);
    const y = expectStatus(await agent.get('/api/v1/cis/db-01'), 200);
    assert.deepEqual(y, x);
  });

  it('refuses a duplicate key, an unknown type, a bad status, a malformed key', async () => {
    expectError(await ci(agent, { key: 'db-01', name: 'x', type: 'database' }), 409, 'conflict');
    expectError(await ci(agent, { key: 'z1', name: 'x', type: 'toaster' }), 400, 'invalid', 'type');
    expectError(await ci(agent, { key: 'z1', name: 'x', type: 'server', status: 'broken' }), 400,
      'invalid', 'status');
    expectError(await ci(agent, { key: 'bad key', name: 'x', type: 'server' }), 400, 'invalid', 'key');
    expectError(await ci(agent, { key: 'z1', name: 'x', type: 'server', colour: 'red' }), 400, 'invalid');
    expectError(await ci(agent, { key: 'z1', name: 'x', type: 'server', service: 'mail' }), 400,
      'invalid', 'service');
    expectError(await agent.get('/api/v1/cis/z1'), 404, 'not_found');
  });

  it('only staff read or change items; an intake token only sends events', async () => {
    expectError(await ci(alice, { key: 'a1', name: 'x', type: 'server' }), 403, 'forbidden');
    expectError(await alice.get('/api/v1/cis'), 403, 'forbidden');
    expectError(await events.get('/api/v1/cis'), 403, 'forbidden');
  });

  it('updates with the current version and refuses a stale one with 409', async () => {
    const x = expectStatus(await agent.get('/api/v1/cis/db-01'), 200);
    const y = expectStatus(await agent.patch('/api/v1/cis/db-01', {
      version: x.version, status: 'maintenance', attributes: { cores: 32, engine: null, ha: true },
    }), 200);
    assert.equal(y.version, 2);
    assert.equal(y.status, 'maintenance');
    assert.deepEqual(y.attributes, { cores: 32, ha: true });
    expectError(await agent.patch('/api/v1/cis/db-01', { version: 1, status: 'active' }), 409,
      'conflict', 'version');
    expectError(await agent.patch('/api/v1/cis/db-01', { status: 'active' }), 400, 'invalid', 'version');
  });

  it('lists by type and searches by attribute', async () => {
    expectStatus(await ci(agent, { key: 'srv-a', name: 'A', type: 'server', attributes: { os: 'debian', rack: 4 } }), 201);
    expectStatus(await ci(agent, { key: 'srv-b', name: 'B', type: 'server', attributes: { os: 'rhel' } }), 201);
    const deb = expectStatus(await agent.get('/api/v1/cis?attr.os=debian'), 200);
    assert.deepEqual(deb.items.map((i) => i.key), ['srv-a']);
    const rack = expectStatus(await agent.get('/api/v1/cis?attr.rack=4'), 200);
    assert.deepEqual(rack.items.map((i) => i.key), ['srv-a']);
    const ha = expectStatus(await agent.get('/api/v1/cis?attr.ha=true'), 200);
    assert.deepEqual(ha.items.map((i) => i.key), ['db-01']);
    assert.deepEqual(expectStatus(await agent.get('/api/v1/cis?attr.os=beos'), 200).items, []);
    const servers = await listAll(agent, '/api/v1/cis?type=server&limit=1');
    assert.deepEqual(servers.map((i) => i.key), ['srv-a', 'srv-b']);
  });

  it('keeps every change in the history and the audit log', async () => {
    const h = expectStatus(await agent.get('/api/v1/cis/db-01/history'), 200);
    assert.deepEqual(h.items.map((i) => i.action).slice(0, 2), ['ci.create', 'ci.update']);
    assert.equal(h.items[1].change.after.status, 'maintenance');
    const audit = expectStatus(await admin.get('/api/v1/audit?limit=500'), 200);
    const mine = audit.items.filter((r) => r.entity === 'ci:db-01').map((r) => r.action);
    assert.deepEqual(mine.slice(0, 2), ['ci.create', 'ci.update']);
    const v = expectStatus(await admin.get('/api/v1/audit/verify'), 200);
    assert.equal(v.ok, true);
  });

  it('links tickets to items, in the item history', async () => {
    const t = expectStatus(await agent.post('/api/v1/tickets', {
      kind: 'incident', title: 'Slow queries', impact: 2, urgency: 2,
    }), 201);
    expectStatus(await agent.post('/api/v1/cis/db-01/tickets', { ticket: t.key }), 201);
    expectError(await agent.post('/api/v1/cis/db-01/tickets', { ticket: 'INC-999' }), 400, 'invalid', 'ticket');
    expectError(await agent.post('/api/v1/cis/db-01/tickets', { ticket: t.key, role: 'owner' }), 400, 'invalid', 'role');
    const l = expectStatus(await agent.get('/api/v1/cis/db-01/tickets'), 200);
    assert.deepEqual(l.items.map((x) => [x.ticket, x.role, x.status]), [[t.key, 'related', 'new']]);
    const h = expectStatus(await agent.get('/api/v1/cis/db-01/history'), 200);
    assert.equal(h.items.at(-1).action, 'ci.link_ticket');
    const items = expectStatus(await agent.get(`/api/v1/tickets/${t.key}/items`), 200);
    assert.deepEqual(items.items.map((x) => [x.key, x.role]), [['db-01', 'related']]);
    expectError(await alice.get(`/api/v1/tickets/${t.key}/items`), 404, 'not_found');
    expectError(await agent.get('/api/v1/tickets/INC-999/items'), 404, 'not_found');
  });

  it('lets admins extend the item types', async () => {
    expectError(await agent.post('/api/v1/ci-types', { name: 'container' }), 403, 'forbidden');
    expectStatus(await admin.post('/api/v1/ci-types', { name: 'container' }), 201);
    expectError(await admin.post('/api/v1/ci-types', { name: 'container' }), 409, 'conflict');
    const types = expectStatus(await agent.get('/api/v1/ci-types'), 200);
    assert.ok(types.items.some((t) => t.name === 'container' && !t.builtin));
    assert.ok(types.items.some((t) => t.name === 'mainframe' && t.builtin));
    expectStatus(await ci(agent, { key: 'ctr-1', name: 'c', type: 'container' }), 201);
  });
});

describe('relationships and impact', () => {
  before(async () => {
    for (const [key, type] of [['sw1', 'network_device'], ['srv1', 'server'], ['vm1', 'virtual_machine'],
      ['app1', 'application'], ['db1', 'database'], ['mail', 'service'], ['shop', 'service'],
      ['backup1', 'storage'], ['srv2', 'server']]) {
      expectStatus(await ci(agent, { key, name: key.toUpperCase(), type }), 201);
    }
    expectStatus(await rel(agent, 'vm1', 'runs_on', 'srv1'), 201);
    expectStatus(await rel(agent, 'app1', 'runs_on', 'vm1'), 201);
    expectStatus(await rel(agent, 'app1', 'depends_on', 'db1'), 201);
    expectStatus(await rel(agent, 'mail', 'depends_on', 'app1'), 201);
    expectStatus(await rel(agent, 'shop', 'depends_on', 'db1'), 201);
    expectStatus(await rel(agent, 'backup1', 'backs_up', 'db1'), 201);
    expectStatus(await rel(agent, 'srv1', 'connected_to', 'sw1', { propagates: true }), 201);
    expectStatus(await rel(agent, 'srv2', 'connected_to', 'sw1'), 201);
  });

  it('refuses unknown types and items, self links, duplicates, propagates off connected_to', async () => {
    expectError(await rel(agent, 'vm1', 'hosted_by', 'srv1'), 400, 'invalid', 'type');
    expectError(await rel(agent, 'vm1', 'runs_on', 'nope'), 400, 'invalid', 'target');
    expectError(await rel(agent, 'nope', 'runs_on', 'vm1'), 400, 'invalid', 'source');
    expectError(await rel(agent, 'vm1', 'runs_on', 'vm1'), 400, 'invalid');
    expectError(await rel(agent, 'vm1', 'runs_on', 'srv1'), 409, 'conflict');
    expectError(await rel(agent, 'vm1', 'depends_on', 'srv2', { propagates: true }), 400, 'invalid', 'propagates');
  });

  it('impact lists every dependent item and service with the path that explains it', async () => {
    const r = expectStatus(await agent.get('/api/v1/cis/srv1/impact'), 200);
    const byKey = Object.fromEntries(r.items.map((i) => [i.key, i]));
    assert.deepEqual(Object.keys(byKey).sort(), ['app1', 'mail', 'sw1', 'vm1']);
    assert.equal(byKey.mail.explain, 'mail depends_on app1 runs_on vm1 runs_on srv1');
    assert.equal(byKey.mail.distance, 3);
    assert.deepEqual(byKey.mail.path.map((p) => p.ci), ['srv1', 'vm1', 'app1', 'mail']);
    assert.deepEqual(r.services.map((s) => s.ci), ['mail']);
    assert.equal(r.count, 4);
    assert.ok(typeof r.elapsed_ms === 'number');
    // the database impacts both services and what backs it up
    const d = expectStatus(await agent.get('/api/v1/cis/db1/impact'), 200);
    assert.deepEqual(d.items.map((i) => i.key).sort(), ['app1', 'backup1', 'mail', 'shop']);
    assert.deepEqual(d.services.map((s) => s.ci).sort(), ['mail', 'shop']);
  });

  it('a connected_to without propagates carries no impact', async () => {
    const r = expectStatus(await agent.get('/api/v1/cis/sw1/impact'), 200);
    const keys = r.items.map((i) => i.key);
    assert.ok(keys.includes('srv1'));
    assert.ok(!keys.includes('srv2'));
  });

  it('dependencies are the reverse', async () => {
    const r = expectStatus(await agent.get('/api/v1/cis/mail/dependencies'), 200);
    const byKey = Object.fromEntries(r.items.map((i) => [i.key, i]));
    assert.deepEqual(Object.keys(byKey).sort(), ['app1', 'db1', 'srv1', 'sw1', 'vm1']);
    assert.equal(byKey.srv1.explain, 'mail depends_on app1 runs_on vm1 runs_on srv1');
  });

  it('deleting a relationship changes the impact at once; history shows both ends', async () => {
    const list = expectStatus(await agent.get('/api/v1/cis/shop/relationships'), 200);
    const link = list.items.find((x) => x.target === 'db1');
    assert.ok(link);
    const res = await agent.del(`/api/v1/relationships/${link.id}`);
    assert.equal(res.status, 204);
    expectError(await agent.del(`/api/v1/relationships/${link.id}`), 404, 'not_found');
    const d = expectStatus(await agent.get('/api/v1/cis/db1/impact'), 200);
    assert.ok(!d.items.some((i) => i.key === 'shop'));
    const h = expectStatus(await agent.get('/api/v1/cis/db1/history'), 200);
    assert.ok(h.items.some((i) => i.action === 'ci.unrelate'));
  });

  it('finds impact on a generated graph with cycles, the same as a BFS', async () => {
    // 300 items in layers; each depends on 2 items of the next layer, and the
    // last layer depends back on the first: cycles everywhere.
    const N = 300;
    const keys = Array.from({ length: N }, (_, i) => `g${i}`);
    const edges = [];
    let seed = 7;
    const rnd = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed; };
    for (let i = 0; i < N; i++) {
      const layer = Math.floor(i / 30);
      const next = ((layer + 1) % 10) * 30;
      const a = next + (rnd() % 30);
      let b = next + (rnd() % 30);
      if (b === a) b = next + ((a - next + 1) % 30);
      edges.push([keys[i], 'depends_on', keys[a]], [keys[i], 'runs_on', keys[b]]);
    }
    const doc = {
      cis: keys.map((k, i) => ({ key: k, name: `gen ${i}`, type: i % 30 === 0 ? 'service' : 'server' })),
      relationships: edges.map(([source, type, target]) => ({ source, type, target })),
    };
    const imp = expectStatus(await agent.post('/api/v1/cis/import', doc), 200);
    assert.deepEqual(imp, { cis: N, relationships: edges.length });
    // reverse adjacency: target -> sources (who depends on it)
    const rev = new Map();
    for (const [s, , t] of edges) { if (!rev.has(t)) rev.set(t, []); rev.get(t).push(s); }
    for (const origin of ['g0', 'g157', 'g299']) {
      const seen = new Set([origin]);
      const q = [origin];
      while (q.length) { const v = q.shift(); for (const w of rev.get(v) || []) if (!seen.has(w)) { seen.add(w); q.push(w); } }
      seen.delete(origin);
      const r = expectStatus(await agent.get(`/api/v1/cis/${origin}/impact?limit=1000`), 200);
      assert.deepEqual(r.items.map((i) => i.key).sort(), [...seen].sort());
      assert.equal(r.count, seen.size);
      const has = new Set(edges.map(([s, t, d]) => `${s} ${t} ${d}`));
      for (const it of r.items) {
        // every step of the explaining path is a real relationship
        const p = it.path;
        assert.equal(p[0].ci, origin);
        assert.equal(p[p.length - 1].ci, it.key);
        for (let k = 0; k + 1 < p.length; k++) assert.ok(has.has(`${p[k + 1].ci} ${p[k].rel} ${p[k].ci}`));
      }
      assert.equal(r.services.length, r.items.filter((i) => i.type === 'service').length + (origin === 'g0' ? 1 : 0));
    }
  });
});

describe('import and export', () => {
  it('imports a CSV spreadsheet with attributes and relationship columns', async () => {
    const csv = 'key,name,type,status,location,attr.os,runs_on,depends_on\n' +
      'web-1,"Web, front",server,active,dc2,debian,,\n' +
      'site-1,Site,application,planned,,,web-1,db-01\n';
    const r = expectStatus(await agent.post('/api/v1/cis/import', { format: 'csv', data: csv }), 200);
    assert.deepEqual(r, { cis: 2, relationships: 2 });
    const w = expectStatus(await agent.get('/api/v1/cis/web-1'), 200);
    assert.equal(w.name, 'Web, front');
    assert.deepEqual(w.attributes, { os: 'debian' });
    const i = expectStatus(await agent.get('/api/v1/cis/web-1/impact'), 200);
    assert.deepEqual(i.items.map((x) => x.key), ['site-1']);
  });

  it('is all-or-nothing and names the line at fault', async () => {
    const csv = 'key,name,type\nok-1,One,server\nok-2,Two,server\nbad-3,Three,spaceship\n';
    const e = expectError(await agent.post('/api/v1/cis/import', { format: 'csv', data: csv }), 400, 'invalid');
    assert.match(e.message, /^line 4: /);
    expectError(await agent.get('/api/v1/cis/ok-1'), 404, 'not_found');
    const csv2 = 'key,name,type,runs_on\nok-1,One,server,ghost\n';
    const e2 = expectError(await agent.post('/api/v1/cis/import', { format: 'csv', data: csv2 }), 400, 'invalid');
    assert.match(e2.message, /^line 2: .*ghost/);
    expectError(await agent.get('/api/v1/cis/ok-1'), 404, 'not_found');
    const e3 = expectError(await agent.post('/api/v1/cis/import', {
      cis: [{ key: 'j1', name: 'J', type: 'server' }, { key: 'j1', name: 'J', type: 'server' }],
    }), 409, 'conflict');
    assert.match(e3.message, /^cis\[1\]/);
    expectError(await agent.get('/api/v1/cis/j1'), 404, 'not_found');
  });

  it('refuses a JSON document whose cis is not an array, naming the key', async () => {
    // The field named in the error was read after the document was freed.
    const e = expectError(await agent.post('/api/v1/cis/import', { cis: 'x' }), 400, 'invalid', 'cis');
    assert.match(e.message, /^unexpected 'cis'/);
    const e2 = expectError(await agent.post('/api/v1/cis/import', { format: 'json', cis: [], bogus: 1 }), 400, 'invalid', 'bogus');
    assert.match(e2.message, /^unexpected 'bogus'/);
    expectStatus(await agent.get('/healthz'), 200);
  });

  it('exports what imports back', async () => {
    const res = await agent.get('/api/v1/cis/export?format=json');
    assert.equal(res.status, 200);
    const doc = res.json;
    assert.ok(doc.cis.some((c) => c.key === 'web-1'));
    assert.ok(doc.relationships.some((r) => r.source === 'site-1' && r.type === 'runs_on' && r.target === 'web-1'));
    const csv = await agent.get('/api/v1/cis/export?format=csv');
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get('content-type'), /text\/csv/);
    assert.match(csv.text, /^key,name,type,status,owner_group,location,service/);
    // into a fresh store through the CLI, both formats
    const other = makeStore();
    try {
      const { writeFileSync } = await import('node:fs');
      writeFileSync(`${other.dir}/x.json`, res.text);
      cliOk(other.db, ['ci', 'type-add', 'container']);
      const out = cliOk(other.db, ['ci', 'import', `${other.dir}/x.json`]);
      assert.match(out, new RegExp(`imported ${doc.cis.length} items and ${doc.relationships.length} relationships`));
      // The same inventory comes back out: every field of every item and
      // every relationship, in either format.
      assert.deepEqual(JSON.parse(cliOk(other.db, ['ci', 'export', '--format', 'json'])), doc);
      assert.equal(cliOk(other.db, ['ci', 'export', '--format', 'csv']), csv.text.trim());
    } finally { other.cleanup(); }
  });

  it('escapes cells a spreadsheet would run as formulas, and a CSV export imports back unchanged', async () => {
    const name = '=HYPERLINK("http://x","y")';
    expectStatus(await ci(agent, {
      key: '-formula', name, type: 'server', owner_group: '@ops', location: '+dc, "one"',
      attributes: { note: '-5', quoted: "'=x", tab: '\tx', plain: "'kept" },
    }), 201);
    expectStatus(await rel(agent, '-formula', 'runs_on', 'db-01'), 201);
    const res = await agent.get('/api/v1/cis/export?format=csv');
    assert.equal(res.status, 200);
    assert.ok(res.text.includes(`\n'-formula,"'=HYPERLINK(""http://x"",""y"")",server,`));
    const rows = parseCsv(res.text);
    const header = rows[0];
    const row = rows.find((r) => r[0] === "'-formula");
    const cell = (col) => row[header.indexOf(col)];
    assert.equal(cell('name'), `'${name}`);
    assert.equal(cell('owner_group'), "'@ops");
    assert.equal(cell('location'), '\'+dc, "one"');
    assert.equal(cell('attr.note'), "'-5");
    assert.equal(cell('attr.quoted'), "''=x"); // one more ', so the import's undoing is exact
    assert.equal(cell('attr.tab'), "'\tx");
    assert.equal(cell('attr.plain'), "'kept"); // no formula character after it: left alone
    assert.equal(cell('runs_on'), 'db-01');
    // no text cell begins with a formula character (numbers may begin with '-')
    for (const r of rows) {
      assert.equal(r.length, header.length);
      for (const c of r) if (!/^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(c)) assert.doesNotMatch(c, /^[=+\-@\t\r]/);
    }
    // into a fresh store: the item and its relationship come back as they were
    const orig = expectStatus(await agent.get('/api/v1/cis/export?format=json'), 200);
    const other = makeStore();
    try {
      const { writeFileSync } = await import('node:fs');
      writeFileSync(`${other.dir}/x.csv`, res.text);
      cliOk(other.db, ['ci', 'type-add', 'container']);
      cliOk(other.db, ['ci', 'import', `${other.dir}/x.csv`]);
      const after = JSON.parse(cliOk(other.db, ['ci', 'export', '--format', 'json']));
      const item = (doc) => doc.cis.find((c) => c.key === '-formula');
      assert.deepEqual(item(after), item(orig));
      assert.deepEqual(item(after).attributes, { note: '-5', quoted: "'=x", tab: '\tx', plain: "'kept" });
      const mine = (doc) => doc.relationships.filter((r) => r.source === '-formula' || r.target === '-formula');
      assert.deepEqual(mine(after), mine(orig));
      // and the CSV written from the fresh store is the same bytes
      assert.equal(cliOk(other.db, ['ci', 'export', '--format', 'csv']).split('\n').find((l) => l.startsWith("'-formula,")),
        res.text.split('\n').find((l) => l.startsWith("'-formula,")));
    } finally { other.cleanup(); }
  });
});

describe('import --upsert (a discovery tool re-exports every day)', () => {
  // Three items, two relationships; the same file again must change nothing.
  const rows = (webLocation) => 'key,name,type,status,owner_group,location,attr.os,runs_on,depends_on\n'
    + `up-web,Web,server,active,ops,${webLocation},debian,,up-db\n`
    + 'up-db,DB,server,active,dba,dc1,debian,,\n'
    + 'up-app,App,application,active,dev,,,up-web,\n';
  const auditCount = async () => expectStatus(await admin.get('/api/v1/audit/verify'), 200).records;
  const upsert = (data) => agent.post('/api/v1/cis/import', { format: 'csv', data, upsert: true });

  it('creates, then finds every row unchanged and writes nothing, then updates the one changed row', async () => {
    let r = expectStatus(await upsert(rows('dc1')), 200);
    assert.deepEqual(r, { upsert: true, cis: { created: 3, updated: 0, unchanged: 0 },
      relationships: { created: 2, unchanged: 0 } });
    const web = expectStatus(await agent.get('/api/v1/cis/up-web'), 200);
    const records = await auditCount();

    // the same file: 0 created, 0 updated, 3 unchanged; no version, history or audit record
    r = expectStatus(await upsert(rows('dc1')), 200);
    assert.deepEqual(r, { upsert: true, cis: { created: 0, updated: 0, unchanged: 3 },
      relationships: { created: 0, unchanged: 2 } });
    assert.equal(await auditCount(), records, 'an unchanged re-import wrote audit records');
    const same = expectStatus(await agent.get('/api/v1/cis/up-web'), 200);
    assert.equal(same.version, web.version);
    assert.equal(same.updated_at, web.updated_at);

    // one row changed: 1 updated, 2 unchanged; one audit record, one version
    r = expectStatus(await upsert(rows('dc2')), 200);
    assert.deepEqual(r, { upsert: true, cis: { created: 0, updated: 1, unchanged: 2 },
      relationships: { created: 0, unchanged: 2 } });
    const moved = expectStatus(await agent.get('/api/v1/cis/up-web'), 200);
    assert.equal(moved.location, 'dc2');
    assert.equal(moved.version, web.version + 1);
    assert.equal(await auditCount(), records + 1);
    const v = expectStatus(await admin.get('/api/v1/audit/verify'), 200);
    assert.equal(v.ok, true);

    // without --upsert an existing key is still refused
    expectError(await agent.post('/api/v1/cis/import', { format: 'csv', data: rows('dc2') }), 409, 'conflict');
    expectError(await agent.post('/api/v1/cis/import', { format: 'csv', data: rows('dc2'), upsert: 'yes' }), 400, 'invalid', 'upsert');
  });

  it('JSON documents and the CLI count the same way', async () => {
    const doc = { cis: [{ key: 'up-db', name: 'DB', type: 'server', status: 'active', owner_group: 'dba',
      location: 'dc1', attributes: { os: 'debian' } }, { key: 'up-new', name: 'New', type: 'server' }],
    relationships: [{ source: 'up-web', type: 'depends_on', target: 'up-db' },
      { source: 'up-new', type: 'depends_on', target: 'up-db' }] };
    const r = expectStatus(await agent.post('/api/v1/cis/import', { ...doc, upsert: true }), 200);
    assert.deepEqual(r, { upsert: true, cis: { created: 1, updated: 0, unchanged: 1 },
      relationships: { created: 1, unchanged: 1 } });
    const { writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const file = join(store.dir, 'upsert.json');
    writeFileSync(file, JSON.stringify(doc));
    assert.equal(cliOk(store.db, ['ci', 'import', file, '--upsert']),
      'items: 0 created, 0 updated, 2 unchanged; relationships: 0 created, 2 unchanged');
  });
});
