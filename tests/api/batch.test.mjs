// batch.test.mjs — a write the database refuses after the server sent it
// stores nothing, on either engine, also when it shared a batch with others.
//
// The writer sends some statements without waiting for their answer (on
// PostgreSQL the audit record, the savepoints between requests, the batch's
// counters and notices go in libpq's pipeline mode and are answered with the
// next statement it waits for). A trigger added behind the server's back
// refuses the audit record of tickets titled "poison…": the request must fail,
// its ticket must not exist, every ticket acknowledged beside it must, the
// ticket numbers must stay gapless, and the audit chain must verify. On
// PostgreSQL the refusal is a constraint's (23514), yet no request is told
// 409: a refused statement that nobody waited for is the store's failure.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  ENGINE, makeStore, seed, startServer, client, cliOk, sql, expectStatus, stopClean, ticketBody,
} from './lib.mjs';

let store, srv, agent;

const TRIGGER = ENGINE === 'postgresql'
  ? `CREATE FUNCTION test_refuse() RETURNS trigger LANGUAGE plpgsql AS $f$BEGIN
       IF NEW.change LIKE '%poison%' THEN
         RAISE EXCEPTION 'refused by the test' USING ERRCODE = '23514';
       END IF; RETURN NEW; END$f$;
     CREATE TRIGGER test_refuse BEFORE INSERT ON audit_log
       FOR EACH ROW EXECUTE FUNCTION test_refuse();`
  : `CREATE TRIGGER test_refuse BEFORE INSERT ON audit_log
       WHEN NEW.change LIKE '%poison%' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;`;
const DROP = ENGINE === 'postgresql'
  ? 'DROP TRIGGER test_refuse ON audit_log; DROP FUNCTION test_refuse();'
  : 'DROP TRIGGER test_refuse;';

before(async () => {
  store = makeStore();
  const tokens = seed(store.db);
  srv = await startServer(store.db);
  agent = client(srv.url, tokens.agent1);
  sql(store.db, TRIGGER);
});

after(async () => {
  if (srv) await stopClean(srv);
  store?.cleanup();
});

const titled = (title) => Number(sql(store.db,
  `SELECT count(*) FROM tickets WHERE title = '${title}'`));

describe('a write refused after it was sent', () => {
  it('fails its request and stores none of it', async () => {
    const r = await agent.post('/api/v1/tickets', ticketBody({ title: 'poison alone' }));
    assert.ok(r.status >= 400, `refused, not ${r.status}`);
    assert.equal(titled('poison alone'), 0);
    const ok = expectStatus(await agent.post('/api/v1/tickets', ticketBody({ title: 'after' })), 201);
    assert.equal(titled('after'), 1);
    assert.equal(ok.key, 'INC-1', 'the refused create took no number');
  });

  it('leaves the requests beside it whole: each stored entirely or not at all', async () => {
    const titles = Array.from({ length: 24 }, (_, i) => (i % 6 === 3 ? `poison ${i}` : `fine ${i}`));
    const replies = await Promise.all(titles.map((title) =>
      agent.post('/api/v1/tickets', ticketBody({ title }))));
    const keys = [];
    replies.forEach((r, i) => {
      if (titles[i].startsWith('poison')) assert.ok(r.status >= 400, `${titles[i]}: ${r.status}`);
      if (r.status === 201) {
        keys.push(Number(r.json.key.split('-')[1]));
        assert.equal(titled(titles[i]), 1, `${titles[i]} acknowledged and stored`);
      } else {
        assert.ok((ENGINE === 'postgresql' ? [500, 503] : [409, 500, 503]).includes(r.status),
          `${titles[i]}: ${r.status}`);
        assert.equal(titled(titles[i]), 0, `${titles[i]} refused and not stored`);
      }
    });
    assert.ok(keys.length >= 1, 'some of the fine ones stored');
    // Numbers stay gapless: the stored tickets are INC-1 … INC-n.
    const n = Number(sql(store.db, 'SELECT count(*) FROM tickets'));
    const max = Number(sql(store.db,
      "SELECT max(CAST(substr(key, 5) AS INTEGER)) FROM tickets WHERE key LIKE 'INC-%'"));
    assert.equal(max, n);
  });

  it('keeps the audit chain whole, and writes go on once the trigger is gone', async () => {
    sql(store.db, DROP);
    const t = expectStatus(await agent.post('/api/v1/tickets', ticketBody({ title: 'poison no more' })), 201);
    assert.equal(titled('poison no more'), 1);
    assert.ok(t.key.startsWith('INC-'));
    const v = cliOk(store.db, ['audit', 'verify']);
    assert.match(v, /^ok: \d+ records verify/m);
  });
});
