// session.test.mjs — the web console's sign-in: one answer for an unknown
// user and a wrong password, the back-off after repeated failures (also when
// the attempts come all at once), a CSRF token on every state change made
// with the cookie, sign-out, and the idle and absolute expiry of a session.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { makeStore, seed, startServer, sqlite, stopClean, cliOk } from './lib.mjs';

const PASSWORD = 'correct-horse-battery'; // seed()'s password for every user
let store, srv;

const serve = () => startServer(store.db);

before(async () => {
  store = makeStore();
  seed(store.db);
  for (const name of ['bob', 'erin']) {
    cliOk(store.db, ['user', 'add', name, '--role', 'requester', '--customer', 'acme', '--password-stdin'],
      { input: `${PASSWORD}\n` });
  }
  srv = await serve();
});

after(async () => {
  if (srv) await stopClean(srv);
  store?.cleanup();
});

async function signIn(username, password) {
  const res = await fetch(`${srv.url}/api/v1/session`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  const cookie = (res.headers.get('set-cookie') || '').split(';')[0];
  return { status: res.status, json: await res.json(), cookie, setCookie: res.headers.get('set-cookie') };
}

const withCookie = (cookie, path, init = {}) =>
  fetch(`${srv.url}${path}`, { ...init, headers: { ...(init.headers || {}), cookie } });

describe('signing in', () => {
  it('an unknown user and a wrong password get the same answer', async () => {
    const unknown = await signIn('nobody', 'whatever-password');
    const wrong = await signIn('alice', 'wrong-password');
    assert.equal(unknown.status, 401);
    assert.equal(wrong.status, 401);
    assert.deepEqual(unknown.json, wrong.json);
    assert.equal(wrong.cookie, '', 'no session cookie on failure');
  });

  it('sets an HttpOnly, SameSite=Strict cookie and hands out a CSRF token', async () => {
    const s = await signIn('agent1', PASSWORD);
    assert.equal(s.status, 201);
    assert.match(s.setCookie, /HttpOnly/);
    assert.match(s.setCookie, /SameSite=Strict/);
    assert.ok(s.json.csrf_token.length >= 32);
    assert.equal(s.json.user.username, 'agent1');
  });

  it('backs off after five failures, even for the right password', async () => {
    for (let i = 0; i < 5; i++) assert.equal((await signIn('dave', 'nope-nope-nope')).status, 401);
    const locked = await signIn('dave', PASSWORD);
    assert.equal(locked.status, 429);
    assert.equal(locked.json.error.code, 'rate_limited');
    assert.equal(locked.cookie, '');
  });
});

describe('using a session', () => {
  it('a state change needs the CSRF token; sign-out ends the session', async () => {
    const s = await signIn('agent1', PASSWORD);
    const body = JSON.stringify({ kind: 'inquiry', title: 'via the console', impact: 3, urgency: 3 });
    const json = { 'content-type': 'application/json' };
    const bare = await withCookie(s.cookie, '/api/v1/tickets', { method: 'POST', headers: json, body });
    assert.equal(bare.status, 403);
    const wrong = await withCookie(s.cookie, '/api/v1/tickets', { method: 'POST', headers: { ...json, 'x-csrf-token': 'x'.repeat(43) }, body });
    assert.equal(wrong.status, 403);
    const ok = await withCookie(s.cookie, '/api/v1/tickets', { method: 'POST', headers: { ...json, 'x-csrf-token': s.json.csrf_token }, body });
    assert.equal(ok.status, 201);
    // Signing out changes state too: a forged sign-out is refused.
    assert.equal((await withCookie(s.cookie, '/api/v1/session', { method: 'DELETE' })).status, 403);
    const out = await withCookie(s.cookie, '/api/v1/session', { method: 'DELETE', headers: { 'x-csrf-token': s.json.csrf_token } });
    assert.equal(out.status, 200);
    assert.equal((await withCookie(s.cookie, '/api/v1/me')).status, 401);
  });

  it('a session ends after 30 idle minutes and 12 hours after sign-in', async () => {
    const idle = await signIn('manager1', PASSWORD);
    const old = await signIn('operator1', PASSWORD);
    assert.equal((await withCookie(idle.cookie, '/api/v1/me')).status, 200);
    await stopClean(srv);
    srv = null;
    const uid = (name) => sqlite(store.db, `SELECT id FROM users WHERE username='${name}'`);
    sqlite(store.db, `UPDATE sessions SET last_seen = last_seen - 1801 WHERE user_id = ${uid('manager1')}`);
    sqlite(store.db, `UPDATE sessions SET created_at = created_at - 43201 WHERE user_id = ${uid('operator1')}`);
    srv = await serve();
    assert.equal((await withCookie(idle.cookie, '/api/v1/me')).status, 401);
    assert.equal((await withCookie(old.cookie, '/api/v1/me')).status, 401);
  });
});

const tally = (answers) => answers.reduce((m, a) => ({ ...m, [a.status]: (m[a.status] || 0) + 1 }), {});
const failuresOf = (name) => Number(sqlite(store.db, `SELECT failures FROM sign_in_failures WHERE username='${name}'`) || 0);

describe('signing in under parallel attack', () => {
  it('32 wrong passwords at once: five are checked and counted, the rest refused', async () => {
    const answers = await Promise.all(Array.from({ length: 32 }, () => signIn('bob', 'wrong-password')));
    const t = tally(answers);
    assert.equal(t[401], 5, `five attempts reach a password check: ${JSON.stringify(t)}`);
    assert.equal(t[429], 27, `the lock refuses the rest: ${JSON.stringify(t)}`);
    assert.equal(failuresOf('bob'), 5, 'every checked attempt is counted');
    const locked = await signIn('bob', PASSWORD);
    assert.equal(locked.status, 429, 'the right password waits for the lock too');
    const wait = Number(locked.json.error.message.match(/try again in (\d+) seconds/)[1]);
    assert.ok(wait > 0 && wait <= 30, `five failures lock for 30 s, not ${wait}`);
  });

  it('attempts made at once each count: four, then a fifth locks', async () => {
    const answers = await Promise.all(Array.from({ length: 4 }, () => signIn('erin', 'wrong-password')));
    assert.deepEqual(tally(answers), { 401: 4 });
    assert.equal(failuresOf('erin'), 4, 'no failure lost to another written at the same time');
    assert.equal((await signIn('erin', 'wrong-password')).status, 401);
    assert.equal((await signIn('erin', PASSWORD)).status, 429);
  });
});
