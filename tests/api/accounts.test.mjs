// accounts.test.mjs — accounts and tokens after they were made
// (docs/platform.md, "Accounts" and "Tokens"): changing a user with its
// version, disabling and enabling them (their sessions and tokens stop on
// the next request, even with the bearer check's five-second cache), the
// last active admin kept, an admin's password reset and one's own change,
// tokens listed without their secret, revoked (refused on the very next
// request), given an expiry; the CLI's commands for the same; and the audit
// chain verifying after all of it.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  makeStore, seed, startServer, client, cli, cliOk, expectError, expectStatus, sql, stopClean,
} from './lib.mjs';

const PASSWORD = 'correct-horse-battery'; // seed()'s password for every user

let store, srv, tokens, admin;
let serial = 0;
const fresh = (p) => `${p}${++serial}`;

before(async () => {
  store = makeStore();
  tokens = seed(store.db);
  srv = await startServer(store.db);
  admin = client(srv.url, tokens.admin);
});

after(async () => {
  if (srv) await stopClean(srv);
  store?.cleanup();
});

// A new user with a password and a token of their own.
async function newUser(role = 'agent', extra = {}) {
  const username = fresh(`${role}-`);
  const u = expectStatus(await admin.post('/api/v1/users', { username, role, password: PASSWORD, ...extra }), 201);
  const t = expectStatus(await admin.post('/api/v1/tokens', { name: 'laptop', user: username }), 201);
  return { ...u, token: t.token, tokenId: t.id, api: client(srv.url, t.token) };
}

async function signIn(username, password = PASSWORD) {
  const res = await fetch(`${srv.url}/api/v1/session`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  const json = await res.json();
  return { status: res.status, cookie: (res.headers.get('set-cookie') || '').split(';')[0], csrf: json.csrf_token };
}

// A request with a console session (and its CSRF token for a change).
async function asSession(s, method, path, body) {
  const headers = { cookie: s.cookie, 'x-csrf-token': s.csrf };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${srv.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, text, json: text ? JSON.parse(text) : null };
}

describe('changing a user', () => {
  it('an admin changes role, groups, name and e-mail with the version; a stale version is 409', async () => {
    const u = await newUser('agent');
    const v1 = expectStatus(await admin.patch(`/api/v1/users/${u.username}`, {
      version: u.version, role: 'manager', groups: 'network,dba', name: 'Kenji Sato', email: 'kenji@example.com',
    }), 200);
    assert.equal(v1.role, 'manager');
    assert.equal(v1.groups, 'network,dba');
    assert.equal(v1.name, 'Kenji Sato');
    assert.equal(v1.email, 'kenji@example.com');
    assert.equal(v1.version, u.version + 1);
    // The list form of groups is taken too (issue 13 routes by group).
    const v2 = expectStatus(await admin.patch(`/api/v1/users/${u.username}`, { version: v1.version, groups: ['service-desk'] }), 200);
    assert.equal(v2.groups, 'service-desk');
    const stale = await admin.patch(`/api/v1/users/${u.username}`, { version: v1.version, name: 'Lost update' });
    expectError(stale, 409, 'conflict', 'version');
    assert.equal(expectStatus(await admin.get(`/api/v1/users/${u.username}`), 200).name, 'Kenji Sato');
  });

  it('bad input is 400 naming the field and changes nothing', async () => {
    const u = await newUser('agent');
    const path = `/api/v1/users/${u.username}`;
    expectError(await admin.patch(path, { version: u.version, role: 'superuser' }), 400, 'invalid', 'role');
    expectError(await admin.patch(path, { version: u.version, groups: 'ops,,dba' }), 400, 'invalid', 'groups');
    expectError(await admin.patch(path, { version: u.version, email: 'two words@example.com' }), 400, 'invalid', 'email');
    expectError(await admin.patch(path, { version: u.version, active: 'no' }), 400, 'invalid', 'active');
    expectError(await admin.patch(path, { version: u.version, password: 'x' }), 400, 'invalid', 'password');
    expectError(await admin.patch(path, { name: 'No version' }), 400, 'invalid', 'version');
    // A requester needs a customer; staff have none.
    expectError(await admin.patch(path, { version: u.version, role: 'requester' }), 400, 'invalid', 'customer');
    expectError(await admin.patch('/api/v1/users/alice', { version: 1, role: 'agent' }), 400, 'invalid', 'customer');
    expectError(await admin.patch('/api/v1/users/no-such-user', { version: 1, name: 'x' }), 404, 'not_found');
    assert.equal(expectStatus(await admin.get(path), 200).version, u.version);
  });

  it('a user changes their own display name, nothing else; others are refused', async () => {
    const u = await newUser('agent');
    const own = expectStatus(await u.api.patch(`/api/v1/users/${u.username}`, { version: u.version, name: 'Me' }), 200);
    assert.equal(own.name, 'Me');
    expectError(await u.api.patch(`/api/v1/users/${u.username}`, { version: own.version, role: 'admin' }), 403, 'forbidden', 'role');
    expectError(await u.api.patch(`/api/v1/users/${u.username}`, { version: own.version, active: false }), 403, 'forbidden', 'active');
    // An agent cannot disable someone else: 403; a requester learns nothing of them: 404.
    const other = await newUser('agent');
    expectError(await u.api.patch(`/api/v1/users/${other.username}`, { version: other.version, active: false }), 403, 'forbidden');
    expectError(await client(srv.url, tokens.alice).patch(`/api/v1/users/${other.username}`,
      { version: other.version, active: false }), 404, 'not_found');
    expectStatus(await other.api.get('/api/v1/me'), 200);
  });

  it('the last active admin cannot be disabled or demoted (409); with a second one they can', async () => {
    const me = expectStatus(await admin.get('/api/v1/users/admin'), 200);
    const d = await admin.patch('/api/v1/users/admin', { version: me.version, active: false });
    expectError(d, 409, 'conflict', 'active');
    assert.match(d.json.error.message, /last active admin/);
    expectError(await admin.patch('/api/v1/users/admin', { version: me.version, role: 'manager' }), 409, 'conflict', 'role');
    // A second admin, then the first may step down — and the second may not.
    const second = await newUser('admin');
    const demoted = expectStatus(await second.api.patch('/api/v1/users/admin', { version: me.version, role: 'manager' }), 200);
    expectError(await admin.get('/api/v1/audit/verify'), 403, 'forbidden'); // now a manager, on the next request
    const self = expectStatus(await second.api.get(`/api/v1/users/${second.username}`), 200);
    expectError(await second.api.patch(`/api/v1/users/${second.username}`, { version: self.version, active: false }), 409, 'conflict');
    expectStatus(await second.api.patch('/api/v1/users/admin', { version: demoted.version, role: 'admin' }), 200);
    expectStatus(await admin.get('/api/v1/audit/verify'), 200);
  });
});

describe('disabling a user', () => {
  it('their token and session stop on the next request; enabling brings the token back, not the session', async () => {
    const u = await newUser('agent');
    const s = await signIn(u.username);
    assert.equal(s.status, 201);
    // Both work, and the token is now in the bearer check's cache.
    expectStatus(await u.api.get('/api/v1/me'), 200);
    assert.equal((await asSession(s, 'GET', '/api/v1/me')).status, 200);
    const off = expectStatus(await admin.patch(`/api/v1/users/${u.username}`, { version: u.version, active: false }), 200);
    assert.equal(off.active, false);
    expectError(await u.api.get('/api/v1/me'), 401, 'unauthenticated');
    assert.equal((await asSession(s, 'GET', '/api/v1/me')).status, 401);
    assert.equal((await signIn(u.username)).status, 401);
    const audit = expectStatus(await admin.get('/api/v1/audit?limit=500'), 200).items;
    const last = audit.filter((r) => r.actor === 'admin').slice(-2).map((r) => r.action);
    assert.deepEqual(last, ['session.end', 'user.disable']);
    expectStatus(await admin.patch(`/api/v1/users/${u.username}`, { version: off.version, active: true }), 200);
    expectStatus(await u.api.get('/api/v1/me'), 200);
    assert.equal((await asSession(s, 'GET', '/api/v1/me')).status, 401);
  });
});

describe('passwords', () => {
  it('an admin sets a new password, or has one generated and shown once; the user\'s sessions end', async () => {
    const u = await newUser('agent');
    const s = await signIn(u.username);
    const set = expectStatus(await admin.post(`/api/v1/users/${u.username}/password`, { password: 'a-new-password-1' }), 200);
    assert.equal(set.password, undefined);
    assert.equal((await asSession(s, 'GET', '/api/v1/me')).status, 401);
    assert.equal((await signIn(u.username)).status, 401);
    assert.equal((await signIn(u.username, 'a-new-password-1')).status, 201);
    const gen = expectStatus(await admin.post(`/api/v1/users/${u.username}/password`, {}), 200);
    assert.match(gen.password, /^[A-Za-z0-9_-]{24}$/);
    assert.equal((await signIn(u.username, gen.password)).status, 201);
    expectError(await admin.post(`/api/v1/users/${u.username}/password`, { password: 'short' }), 400, 'invalid', 'password');
    expectError(await admin.post('/api/v1/users/no-such-user/password', {}), 404, 'not_found');
    // Tokens are not passwords: the user's token still works.
    expectStatus(await u.api.get('/api/v1/me'), 200);
  });

  it('one\'s own change needs the current password and signs out the other sessions', async () => {
    const u = await newUser('requester', { customer: 'acme' });
    const path = `/api/v1/users/${u.username}/password`;
    const asking = await signIn(u.username);
    const other = await signIn(u.username);
    expectError(await u.api.post(path, { password: 'another-password-2' }), 400, 'invalid', 'current_password');
    expectError(await u.api.post(path, { current_password: 'wrong-password', password: 'another-password-2' }),
      403, 'forbidden', 'current_password');
    const ok = await asSession(asking, 'POST', path, { current_password: PASSWORD, password: 'another-password-2' });
    assert.equal(ok.status, 200, ok.text);
    assert.equal((await asSession(asking, 'GET', '/api/v1/me')).status, 200);
    assert.equal((await asSession(other, 'GET', '/api/v1/me')).status, 401);
    assert.equal((await signIn(u.username, 'another-password-2')).status, 201);
    // Another user's password: a requester learns nothing, an agent is refused.
    expectError(await u.api.post('/api/v1/users/agent1/password', { password: 'x-password-3' }), 404, 'not_found');
    expectError(await client(srv.url, tokens.agent1).post('/api/v1/users/dave/password', { password: 'x-password-3' }),
      403, 'forbidden');
  });
});

describe('tokens', () => {
  it('a list shows name, owner, scope, created, last used and expiry, never the secret', async () => {
    const u = await newUser('agent');
    expectStatus(await u.api.get('/api/v1/me'), 200);
    expectStatus(await u.api.post('/api/v1/tokens', { name: 'ci', scope: 'events', expires_in: '90d' }), 201);
    const mine = expectStatus(await u.api.get('/api/v1/tokens'), 200);
    assert.deepEqual(mine.items.map((t) => t.name), ['laptop', 'ci']);
    for (const t of mine.items) {
      assert.deepEqual(Object.keys(t).sort(),
        ['created_at', 'expires_at', 'id', 'last_used_at', 'name', 'revoked', 'scope', 'user']);
      assert.equal(t.user, u.username);
    }
    assert.ok(!mine.items.some((t) => JSON.stringify(t).includes(u.token.slice(5))), 'the secret is listed');
    assert.match(mine.items[0].last_used_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(mine.items[0].expires_at, null);
    const days = (Date.parse(mine.items[1].expires_at) - Date.parse(mine.items[1].created_at)) / 86400e3;
    assert.equal(days, 90);
    // Admins see everyone's, or one user's; others only their own.
    const all = expectStatus(await admin.get('/api/v1/tokens?limit=500'), 200);
    assert.ok(all.items.some((t) => t.user === 'alice'));
    const one = expectStatus(await admin.get(`/api/v1/tokens?user=${u.username}`), 200);
    assert.deepEqual(one.items.map((t) => t.id), mine.items.map((t) => t.id));
    expectError(await u.api.get('/api/v1/tokens?user=alice'), 403, 'forbidden', 'user');
    expectError(await admin.get('/api/v1/tokens?user=no-such-user'), 400, 'invalid', 'user');
  });

  it('a revoked token is refused on the very next request, though the cache had it', async () => {
    const u = await newUser('agent');
    expectStatus(await u.api.get('/api/v1/me'), 200); // cached now, for five seconds
    const r = expectStatus(await u.api.del(`/api/v1/tokens/${u.tokenId}`), 200);
    assert.equal(r.revoked, true);
    expectError(await u.api.get('/api/v1/me'), 401, 'unauthenticated');
    // An admin revokes anyone's, back to back as well; twice is the same answer.
    const v = await newUser('agent');
    expectStatus(await v.api.get('/api/v1/me'), 200);
    expectStatus(await admin.del(`/api/v1/tokens/${v.tokenId}`), 200);
    expectError(await v.api.get('/api/v1/me'), 401, 'unauthenticated');
    assert.equal(expectStatus(await admin.del(`/api/v1/tokens/${v.tokenId}`), 200).revoked, true);
  });

  it('another user\'s token cannot be revoked (403); an unknown one is 404', async () => {
    const u = await newUser('agent');
    const w = await newUser('requester', { customer: 'acme' });
    expectError(await w.api.del(`/api/v1/tokens/${u.tokenId}`), 403, 'forbidden');
    expectError(await u.api.del(`/api/v1/tokens/${w.tokenId}`), 403, 'forbidden');
    expectError(await u.api.del('/api/v1/tokens/999999'), 404, 'not_found');
    expectError(await u.api.del('/api/v1/tokens/abc'), 404, 'not_found');
    expectStatus(await u.api.get('/api/v1/me'), 200);
    expectStatus(await w.api.get('/api/v1/me'), 200);
  });

  it('an expiry is given as expires_in or expires_at; a malformed one is 400; an expired token is 401', async () => {
    const u = await newUser('agent');
    expectError(await u.api.post('/api/v1/tokens', { name: 'x', expires_in: '90x' }), 400, 'invalid', 'expires_in');
    expectError(await u.api.post('/api/v1/tokens', { name: 'x', expires_in: '0d' }), 400, 'invalid', 'expires_in');
    expectError(await u.api.post('/api/v1/tokens', { name: 'x', expires_in: '4000d' }), 400, 'invalid', 'expires_in');
    expectError(await u.api.post('/api/v1/tokens', { name: 'x', expires_at: '2020-01-01T00:00:00Z' }), 400, 'invalid', 'expires_at');
    expectError(await u.api.post('/api/v1/tokens', { name: 'x', expires_at: 'tomorrow' }), 400, 'invalid', 'expires_at');
    expectError(await u.api.post('/api/v1/tokens', { name: 'x', expires_in: '1d', expires_at: '2099-01-01T00:00:00Z' }),
      400, 'invalid', 'expires_in');
    const soon = new Date(Date.now() + 3600e3).toISOString().replace(/\.\d+Z$/, 'Z');
    const t = expectStatus(await u.api.post('/api/v1/tokens', { name: 'short-lived', expires_at: soon }), 201);
    assert.equal(t.expires_at, soon);
    // Its hour passes (the store's expiry moved back: the server's clock is
    // its own), before the token was ever used, so nothing cached it.
    sql(store.db, `UPDATE tokens SET expires_at = ${Math.floor(Date.now() / 1000) - 1} WHERE id = ${t.id}`);
    expectError(await client(srv.url, t.token).get('/api/v1/me'), 401, 'unauthenticated');
    // Put its expiry back as audited, so the chain verifies below.
    sql(store.db, `UPDATE tokens SET expires_at = ${Date.parse(soon) / 1000} WHERE id = ${t.id}`);
  });
});

describe('the CLI', () => {
  it('user update, disable, enable and password; token list and revoke; --help', async () => {
    const db = store.db;
    const name = fresh('cli-');
    cliOk(db, ['user', 'add', name, '--role', 'agent', '--password-stdin'], { input: `${PASSWORD}\n` });
    assert.match(cliOk(db, ['user', 'update', name, '--role', 'operator', '--group', 'ops,dba']),
      new RegExp(`^updated user ${name} \\(operator\\), version 2$`));
    const stale = cli(db, ['user', 'update', name, '--full-name', 'X', '--version', '1']);
    assert.equal(stale.status, 1);
    assert.match(stale.stderr, /has changed/);
    assert.equal(cliOk(db, ['user', 'disable', name]), `disabled user ${name}`);
    assert.equal(cliOk(db, ['user', 'enable', name]), `enabled user ${name}`);
    const shown = JSON.parse(cliOk(db, ['--json', 'user', 'show', name]));
    assert.equal(shown.groups, 'ops,dba');
    assert.equal(shown.active, true);
    // An admin's reset: generated and printed once, or read from stdin.
    const generated = cliOk(db, ['user', 'password', name]);
    assert.match(generated, /^[A-Za-z0-9_-]{24}$/);
    assert.equal((await signIn(name, generated)).status, 201);
    cliOk(db, ['user', 'password', name, '--password-stdin'], { input: 'from-stdin-pass\n' });
    // One's own: the current password, then the new one.
    const wrong = cli(db, ['--as', name, 'user', 'password'], { input: 'not-it-at-all\nnew-own-pass\n' });
    assert.equal(wrong.status, 1);
    assert.match(wrong.stderr, /current password is wrong/);
    assert.equal(cliOk(db, ['--as', name, 'user', 'password'], { input: 'from-stdin-pass\nnew-own-pass\n' }),
      `password set for ${name}`);
    assert.equal((await signIn(name, 'new-own-pass')).status, 201);
    // Tokens: made with an expiry, listed, revoked.
    const secret = cliOk(db, ['token', 'create', 'deploy', '--user', name, '--expires', '30d']);
    const listed = JSON.parse(cliOk(db, ['--json', 'token', 'list', '--user', name])).items;
    assert.equal(listed.length, 1);
    assert.equal((Date.parse(listed[0].expires_at) - Date.parse(listed[0].created_at)) / 86400e3, 30);
    assert.ok(!JSON.stringify(listed).includes(secret.slice(5)));
    assert.match(cliOk(db, ['token', 'revoke', String(listed[0].id)]), new RegExp(`^revoked token ${listed[0].id} \\(deploy of ${name}\\)$`));
    expectError(await client(srv.url, secret).get('/api/v1/me'), 401, 'unauthenticated');
    const bad = cli(db, ['token', 'create', 'x', '--user', name, '--expires', 'soon']);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /malformed expires_in 'soon'/);
    for (const args of [['user', 'update'], ['user', 'disable'], ['user', 'enable'], ['user', 'password'],
      ['token', 'list'], ['token', 'revoke']]) {
      const h = cli(db, [...args, '--help']);
      assert.equal(h.status, 0, `${args.join(' ')} --help`);
      assert.match(h.stdout, new RegExp(`itsm ${args.join(' ')}`));
    }
  });
});

describe('the audit chain', () => {
  it('verifies after every change above', async () => {
    const v = expectStatus(await admin.get('/api/v1/audit/verify'), 200);
    assert.equal(v.ok, true, JSON.stringify(v));
    const r = cli(store.db, ['audit', 'verify']);
    assert.equal(r.status, 0, r.stdout + r.stderr);
  });
});
