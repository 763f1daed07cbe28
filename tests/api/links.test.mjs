// links.test.mjs — links between tickets and merging a duplicate
// (docs/attachments.md): parent/child seen from both ends, never a cycle,
// one parent per ticket, no self-link; both ends visible to the caller
// (another customer's ticket is 404, and a requester's list leaves links
// to it out); undoing a link; a merge copies the duplicate's comments into
// the original with their provenance, links the two and closes the
// duplicate, in the history and the audit chain; illegal merges refused
// and nothing written.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  makeStore, seed, startServer, client, cli, cliOk, createTicket, expectError, expectStatus, dumpStore,
  stopClean,
} from './lib.mjs';

let store, srv, tokens, admin, agent, alice, dave;

const link = (c, ref, kind, ticket) => c.post(`/api/v1/tickets/${ref}/links`, { kind, ticket });
const links = async (c, ref) => expectStatus(await c.get(`/api/v1/tickets/${ref}/links`), 200).items;
const seen = (items) => items.map((l) => `${l.kind} ${l.ticket}`).sort();
const history = async (ref) => expectStatus(await agent.get(`/api/v1/tickets/${ref}/history`), 200).items;
const acme = (c = agent, o = {}) => createTicket(c, c === alice ? o : { customer: 'acme', ...o });

before(async () => {
  store = makeStore();
  tokens = seed(store.db);
  srv = await startServer(store.db);
  admin = client(srv.url, tokens.admin);
  agent = client(srv.url, tokens.agent1);
  alice = client(srv.url, tokens.alice);
  dave = client(srv.url, tokens.dave);
});

after(async () => {
  await stopClean(srv);
  store.cleanup();
});

describe('links', () => {
  it('a parent and its child see each other, and both histories say so', async () => {
    const [p, c] = [await acme(), await acme()];
    const l = expectStatus(await link(agent, c.key, 'parent', p.key), 201);
    assert.equal(l.kind, 'parent');
    assert.equal(l.ticket, p.key);
    assert.deepEqual(seen(await links(agent, c.key)), [`parent ${p.key}`]);
    assert.deepEqual(seen(await links(agent, p.key)), [`child ${c.key}`]);
    // "child" from the parent's side makes the same kind of link
    const c2 = await acme();
    expectStatus(await link(agent, p.key, 'child', c2.key), 201);
    assert.deepEqual(seen(await links(agent, p.key)), [`child ${c.key}`, `child ${c2.key}`]);
    assert.ok((await history(c.key)).some((h) => h.field === 'link' && h.new === `parent ${p.key}`));
    assert.ok((await history(p.key)).some((h) => h.field === 'link' && h.new === `child ${c.key}`));
  });

  it('refuses a cycle, a second parent, a self-link and the same link twice', async () => {
    const [a, b, c] = [await acme(), await acme(), await acme()];
    expectStatus(await link(agent, b.key, 'parent', a.key), 201); // a ← b
    expectStatus(await link(agent, c.key, 'parent', b.key), 201); // a ← b ← c
    expectError(await link(agent, a.key, 'parent', c.key), 409, 'conflict', 'ticket'); // c ← a: a loop of 3
    expectError(await link(agent, a.key, 'child', a.key), 400, 'invalid', 'ticket');
    expectError(await link(agent, c.key, 'parent', a.key), 409, 'conflict', 'ticket'); // c has a parent
    expectError(await link(agent, a.key, 'parent', b.key), 409, 'conflict', 'ticket'); // b ← a: a loop of 2
    expectStatus(await link(agent, a.key, 'related', c.key), 201);
    expectError(await link(agent, c.key, 'related', a.key), 409, 'conflict'); // one related link, either way
    expectError(await link(agent, a.key, 'sibling', b.key), 400, 'invalid', 'kind');
    expectError(await agent.post(`/api/v1/tickets/${a.key}/links`, { kind: 'related' }), 400, 'invalid', 'ticket');
    expectError(await link(agent, a.key, 'related', 'INC-999999'), 404, 'not_found', 'ticket');
  });

  it('keeps both ends to the caller: another customer\'s ticket is not found', async () => {
    const mine = await acme(alice);
    const mine2 = await acme(alice);
    const theirs = await createTicket(dave);
    expectError(await link(alice, mine.key, 'related', theirs.key), 404, 'not_found', 'ticket');
    expectError(await link(alice, theirs.key, 'related', mine.key), 404, 'not_found');
    expectStatus(await link(alice, mine.key, 'related', mine2.key), 201);
    // staff link across customers; the requester does not see that link
    expectStatus(await link(agent, mine.key, 'related', theirs.key), 201);
    assert.deepEqual(seen(await links(alice, mine.key)), [`related ${mine2.key}`]);
    assert.equal((await links(agent, mine.key)).length, 2);
    expectError(await alice.get(`/api/v1/tickets/${theirs.key}/links`), 404, 'not_found');
  });

  it('undoes a link, in both histories; the second time it is not found', async () => {
    const [a, b] = [await acme(), await acme()];
    const l = expectStatus(await link(agent, a.key, 'related', b.key), 201);
    expectError(await agent.del(`/api/v1/tickets/${(await acme()).key}/links/${l.id}`), 404, 'not_found');
    assert.equal((await agent.del(`/api/v1/tickets/${b.key}/links/${l.id}`)).status, 204);
    assert.deepEqual(await links(agent, a.key), []);
    assert.ok((await history(a.key)).some((h) => h.field === 'link' && h.old === `related ${b.key}` && h.new === null));
    expectError(await agent.del(`/api/v1/tickets/${a.key}/links/${l.id}`), 404, 'not_found');
  });
});

describe('merge', () => {
  it('copies the comments with their provenance, links the two and closes the duplicate', async () => {
    const orig = await acme(alice, { title: 'VPN down' });
    const dup = await acme(alice, { title: 'VPN is down again' });
    expectStatus(await alice.post(`/api/v1/tickets/${dup.key}/comments`, { body: 'Since 9:00' }), 201);
    expectStatus(await agent.post(`/api/v1/tickets/${dup.key}/comments`, { body: 'Same as the other', public: false }), 201);
    const before = expectStatus(await agent.get(`/api/v1/tickets/${orig.key}/comments`), 200).items.length; // 0

    const m = expectStatus(await agent.post(`/api/v1/tickets/${dup.key}/merge`, { into: orig.key }), 200);
    assert.equal(m.into, orig.key);
    assert.equal(m.comments, 2); // by hand: one public, one internal
    assert.equal(m.ticket.status, 'closed');

    const copied = expectStatus(await agent.get(`/api/v1/tickets/${orig.key}/comments`), 200).items;
    assert.equal(copied.length, before + 2);
    assert.match(copied[0].body, new RegExp(`^\\[merged from ${dup.key}, comment \\d+, .+Z\\]\\n\\nSince 9:00$`));
    assert.equal(copied[0].author, 'alice');
    assert.equal(copied[0].public, true);
    assert.equal(copied[1].author, 'agent1');
    assert.equal(copied[1].public, false);
    // the requester sees the public copy only
    assert.equal(expectStatus(await alice.get(`/api/v1/tickets/${orig.key}/comments`), 200).items.length, 1);
    // the duplicate's original comments stay where they were
    assert.equal(expectStatus(await agent.get(`/api/v1/tickets/${dup.key}/comments`), 200).items.length, 2);

    assert.deepEqual(seen(await links(agent, dup.key)), [`duplicate_of ${orig.key}`]);
    assert.deepEqual(seen(await links(agent, orig.key)), [`duplicated_by ${dup.key}`]);
    // created new, then in_progress → resolved → closed, each move in the history
    const moves = (await history(dup.key)).filter((h) => h.field === 'status').map((h) => h.new);
    assert.deepEqual(moves, ['new', 'in_progress', 'resolved', 'closed']);
    assert.ok((await history(orig.key)).some((h) => h.field === 'merge' && h.new === `${dup.key} (2 comments)`));

    const audit = expectStatus(await admin.get('/api/v1/audit?limit=500'), 200).items;
    assert.equal(audit.filter((r) => r.action === 'ticket.merge' && r.entity.startsWith('comment:')).length, 2);
    assert.equal(expectStatus(await admin.get('/api/v1/audit/verify'), 200).ok, true);

    // merged once: the duplicate is closed now
    expectError(await agent.post(`/api/v1/tickets/${dup.key}/merge`, { into: orig.key }), 409, 'invalid_transition');
  });

  it('refuses a closed target, itself, another customer, an absent one, and requesters — writing nothing', async () => {
    const dup = await acme();
    const closed = await acme();
    expectStatus(await agent.patch(`/api/v1/tickets/${closed.key}`, { version: closed.version, status: 'cancelled' }), 200);
    const theirs = await createTicket(dave);
    await stopClean(srv);
    const was = dumpStore(store.db);
    srv = await startServer(store.db);
    agent = client(srv.url, tokens.agent1);
    alice = client(srv.url, tokens.alice);
    admin = client(srv.url, tokens.admin);
    expectError(await agent.post(`/api/v1/tickets/${dup.key}/merge`, { into: closed.key }), 409, 'invalid_transition', 'into');
    expectError(await agent.post(`/api/v1/tickets/${dup.key}/merge`, { into: dup.key }), 409, 'conflict', 'into');
    expectError(await agent.post(`/api/v1/tickets/${dup.key}/merge`, { into: theirs.key }), 409, 'conflict', 'into');
    expectError(await agent.post(`/api/v1/tickets/${dup.key}/merge`, { into: 'INC-999999' }), 404, 'not_found', 'into');
    expectError(await agent.post(`/api/v1/tickets/${dup.key}/merge`, {}), 400, 'invalid', 'into');
    expectError(await alice.post(`/api/v1/tickets/${dup.key}/merge`, { into: closed.key }), 403, 'forbidden');
    await stopClean(srv);
    assert.equal(dumpStore(store.db), was, 'a refused merge changed the store');
    srv = await startServer(store.db);
    agent = client(srv.url, tokens.agent1);
    alice = client(srv.url, tokens.alice);
    admin = client(srv.url, tokens.admin);
  });

  it('itsm ticket link, links, unlink and merge do the same from the command line', async () => {
    const [a, b, c] = [await acme(), await acme(), await acme()];
    assert.match(cliOk(store.db, ['ticket', 'link', b.key, '--parent', a.key]), new RegExp(`linked ${b.key}: parent ${a.key}`));
    const r = cli(store.db, ['ticket', 'link', a.key, '--parent', b.key]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /cycle/);
    assert.equal(cli(store.db, ['ticket', 'link', a.key, '--parent', b.key, '--related', c.key]).status, 2);
    const ls = JSON.parse(cliOk(store.db, ['--json', 'ticket', 'links', a.key]));
    assert.deepEqual(seen(ls.items), [`child ${b.key}`]);
    cliOk(store.db, ['ticket', 'unlink', a.key, String(ls.items[0].id)]);
    assert.match(cliOk(store.db, ['ticket', 'merge', c.key, '--into', a.key]),
      new RegExp(`merged ${c.key} into ${a.key}: 0 comments copied, ${c.key} closed`));
    assert.equal(cli(store.db, ['audit', 'verify']).status, 0);
  });
});
