// knowledge.test.mjs — the knowledge base and the full-text search end to
// end: an article's lifecycle and its versions, stale versions and illegal
// moves, bad input (nothing half-stored), Markdown rendered harmless
// (raw HTML, javascript: and data: links), who reads which article, the
// search in Japanese (a two-character kanji word, a kana word of four) and
// English (ranked), query-language strings answered as text and never a
// 500, a requester finding neither another customer's ticket nor an
// internal comment, the tickets' ?q= through the index, suggestions, and
// the CLI.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  makeStore, seed, startServer, client, cli, cliOk, expectError, expectStatus, createTicket, stopClean,
  sql, schemaVersion, ENGINE,
} from './lib.mjs';

const fixture = async () => {
  const tmp = makeStore();
  const tokens = seed(tmp.db);
  const srv = await startServer(tmp.db);
  const as = (name) => client(srv.url, tokens[name]);
  return { tmp, srv, tokens, as, agent: as('agent1'), manager: as('manager1'), admin: as('admin'),
    operator: as('operator1'), alice: as('alice'), dave: as('dave') };
};

const q = (s) => encodeURIComponent(s);

describe('knowledge: articles, versions, rendering, visibility', () => {
  let f;
  before(async () => {
    f = await fixture();
    expectStatus(await f.manager.post('/api/v1/services', { key: 'mail', name: 'Mail' }), 201);
    expectStatus(await f.admin.post('/api/v1/cis', { key: 'mx-01', name: 'mx-01', type: 'server' }), 201);
  });
  after(async () => { if (f.srv) await stopClean(f.srv); f.tmp.cleanup(); });

  it('adds a draft, edits it into versions, publishes and retires it, every version readable', async () => {
    const a = expectStatus(await f.agent.post('/api/v1/knowledge', {
      title: 'Mail queue stalls', body: '# Restart\n\nRun `postqueue -f`.', services: ['mail'], items: ['mx-01'],
    }), 201);
    assert.match(a.key, /^KB-\d+$/);
    assert.equal(a.status, 'draft');
    assert.equal(a.visibility, 'internal');
    assert.equal(a.version, 1);
    assert.deepEqual(a.services, ['mail']);
    assert.deepEqual(a.items, ['mx-01']);
    assert.match(a.html, /<h1>Restart<\/h1>/);
    assert.match(a.html, /<code>postqueue -f<\/code>/);

    const b = expectStatus(await f.agent.patch(`/api/v1/knowledge/${a.key}`, { version: 1, body: 'Second text' }), 200);
    assert.equal(b.version, 2);
    assert.equal(b.body, 'Second text');
    assert.deepEqual(b.services, ['mail'], 'links stay when not sent');
    // the same text again: no new version
    const same = expectStatus(await f.agent.patch(`/api/v1/knowledge/${a.key}`, { version: 2, body: 'Second text' }), 200);
    assert.equal(same.version, 2);
    // a stale version is a conflict, and nothing changes
    expectError(await f.agent.patch(`/api/v1/knowledge/${a.key}`, { version: 1, body: 'lost' }), 409, 'conflict', 'version');
    // illegal move: retired → published is not in the table; draft → published first
    const p = expectStatus(await f.manager.post(`/api/v1/knowledge/${a.key}/publish`, { version: 2 }), 200);
    assert.equal(p.status, 'published');
    assert.equal(p.version, 3);
    assert.ok(p.published_at);
    expectError(await f.agent.post(`/api/v1/knowledge/${a.key}/publish`, { version: 3 }), 409, 'invalid_transition', 'status');
    const r = expectStatus(await f.agent.post(`/api/v1/knowledge/${a.key}/retire`, { version: 3 }), 200);
    assert.equal(r.status, 'retired');
    expectError(await f.agent.patch(`/api/v1/knowledge/${a.key}`, { version: 4, title: 'x' }), 409, 'invalid_transition');
    expectError(await f.agent.post(`/api/v1/knowledge/${a.key}/publish`, { version: 4 }), 409, 'invalid_transition');

    const vs = expectStatus(await f.agent.get(`/api/v1/knowledge/${a.key}/versions`), 200);
    assert.deepEqual(vs.items.map((v) => [v.version, v.status]),
      [[1, 'draft'], [2, 'draft'], [3, 'published'], [4, 'retired']]);
    const v1 = expectStatus(await f.agent.get(`/api/v1/knowledge/${a.key}/versions/1`), 200);
    assert.equal(v1.body, '# Restart\n\nRun `postqueue -f`.');
    assert.match(v1.html, /<h1>Restart<\/h1>/);
    const v2 = expectStatus(await f.agent.get(`/api/v1/knowledge/${a.key}/versions/2`), 200);
    assert.equal(v2.body, 'Second text');
    expectError(await f.agent.get(`/api/v1/knowledge/${a.key}/versions/9`), 404, 'not_found');
    expectError(await f.agent.get(`/api/v1/knowledge/${a.key}/versions/x`), 404, 'not_found');
  });

  it('refuses bad input with the field at fault and stores nothing', async () => {
    const before = (await f.agent.get('/api/v1/knowledge?limit=500')).json.items.length;
    expectError(await f.agent.post('/api/v1/knowledge', { body: 'no title' }), 400, 'invalid', 'title');
    expectError(await f.agent.post('/api/v1/knowledge', { title: '   ' }), 400, 'invalid', 'title');
    expectError(await f.agent.post('/api/v1/knowledge', { title: 't', visibility: 'secret' }), 400, 'invalid', 'visibility');
    expectError(await f.agent.post('/api/v1/knowledge', { title: 't', services: ['nope'] }), 400, 'invalid', 'services[0]');
    expectError(await f.agent.post('/api/v1/knowledge', { title: 't', items: ['mx-01', 'ghost'] }), 400, 'invalid', 'items[1]');
    expectError(await f.agent.post('/api/v1/knowledge', { title: 't', problems: ['PRB-999'] }), 400, 'invalid', 'problems[0]');
    expectError(await f.agent.post('/api/v1/knowledge', { title: 't', colour: 'red' }), 400, 'invalid');
    expectError(await f.agent.post('/api/v1/knowledge', { title: 't', items: 'mx-01' }), 400, 'invalid', 'items');
    const a = expectStatus(await f.agent.post('/api/v1/knowledge', { title: 'Edit me' }), 201);
    expectError(await f.agent.patch(`/api/v1/knowledge/${a.key}`, { title: 'no version' }), 400, 'invalid', 'version');
    expectError(await f.agent.post(`/api/v1/knowledge/${a.key}/publish`, {}), 400, 'invalid', 'version');
    expectError(await f.agent.get('/api/v1/knowledge/KB-99999'), 404, 'not_found');
    expectError(await f.agent.get('/api/v1/knowledge/INC-1'), 404, 'not_found');
    assert.equal((await f.agent.get('/api/v1/knowledge?limit=500')).json.items.length, before + 1);
  });

  it('renders Markdown harmless: raw HTML omitted, javascript: and data: links dropped', async () => {
    const body = [
      '<script>alert(1)</script>',
      '',
      'Click [x](javascript:alert(1)) or [y](JaVaScRiPt:alert(2)) or [d](data:text/html;base64,PHNjcmlwdD4=)',
      '',
      '![img](data:image/png;base64,AAAA) <img src=x onerror=alert(3)> [ok](https://example.com/a?b=1)',
    ].join('\n');
    const a = expectStatus(await f.agent.post('/api/v1/knowledge', { title: 'Unsafe', body }), 201);
    const read = expectStatus(await f.agent.get(`/api/v1/knowledge/${a.key}`), 200);
    assert.equal(read.body, body, 'the Markdown is kept as written');
    for (const bad of ['<script', 'javascript:', 'JaVaScRiPt', 'data:', '<img src=x', 'onerror']) {
      assert.ok(!read.html.toLowerCase().includes(bad.toLowerCase()), `html holds ${bad}: ${read.html}`);
    }
    assert.match(read.html, /<a href="https:\/\/example.com\/a\?b=1">ok<\/a>/);
    assert.match(read.html, /raw HTML omitted/);
  });

  it('lets requesters read published public articles only; others are not found', async () => {
    const pub = expectStatus(await f.agent.post('/api/v1/knowledge', { title: 'Reset your password', visibility: 'public' }), 201);
    const internal = expectStatus(await f.agent.post('/api/v1/knowledge', { title: 'Internal runbook' }), 201);
    // a draft, even public, is not readable yet
    expectError(await f.alice.get(`/api/v1/knowledge/${pub.key}`), 404, 'not_found');
    expectStatus(await f.agent.post(`/api/v1/knowledge/${pub.key}/publish`, { version: 1 }), 200);
    expectStatus(await f.agent.post(`/api/v1/knowledge/${internal.key}/publish`, { version: 1 }), 200);
    const got = expectStatus(await f.alice.get(`/api/v1/knowledge/${pub.key}`), 200);
    assert.equal(got.title, 'Reset your password');
    expectError(await f.alice.get(`/api/v1/knowledge/${internal.key}`), 404, 'not_found');
    expectError(await f.alice.get(`/api/v1/knowledge/${internal.key}/versions`), 404, 'not_found');
    expectError(await f.alice.get(`/api/v1/knowledge/${internal.key}/versions/1`), 404, 'not_found');
    // of a public article's versions, only the published ones
    const vs = expectStatus(await f.alice.get(`/api/v1/knowledge/${pub.key}/versions`), 200);
    assert.deepEqual(vs.items.map((v) => v.version), [2]);
    expectError(await f.alice.get(`/api/v1/knowledge/${pub.key}/versions/1`), 404, 'not_found');
    // the list: published public only, whatever the filter asks
    const list = expectStatus(await f.alice.get('/api/v1/knowledge?limit=500'), 200);
    assert.ok(list.items.length >= 1);
    for (const it of list.items) {
      assert.equal(it.status, 'published');
      assert.equal(it.visibility, 'public');
    }
    assert.deepEqual((await f.alice.get('/api/v1/knowledge?visibility=internal')).json.items, []);
    // writing: requesters and operators may not
    expectError(await f.alice.post('/api/v1/knowledge', { title: 'mine' }), 403, 'forbidden');
    expectError(await f.operator.post('/api/v1/knowledge', { title: 'mine' }), 403, 'forbidden');
    expectError(await f.alice.post(`/api/v1/knowledge/${pub.key}/retire`, { version: 2 }), 403, 'forbidden');
  });
});

describe('search: Japanese and English, ranking, operators, visibility', () => {
  let f;
  let jaTicket;
  let otherTicket;
  let enBoth;
  let enOne;
  let globexTicket;
  before(async () => {
    f = await fixture();
    jaTicket = await createTicket(f.alice, { title: 'プリンターで印刷できない', description: '三階のプリンターが紙詰まり' });
    otherTicket = await createTicket(f.alice, { title: 'メールが届かない', description: '送信箱に残る' });
    enBoth = await createTicket(f.alice, { title: 'VPN gateway timeout', description: 'The VPN gateway drops every session after a timeout' });
    enOne = await createTicket(f.alice, { title: 'Laptop slow', description: 'Slow since the VPN client update' });
    globexTicket = await createTicket(f.dave, { title: 'Globex secret zeppelin outage', description: 'zeppelin hangar' });
    expectStatus(await f.agent.post(`/api/v1/tickets/${enOne.key}/comments`, { body: 'internal note: quokka firmware', public: false }), 201);
    expectStatus(await f.agent.post(`/api/v1/tickets/${enOne.key}/comments`, { body: 'public reply: wombat driver', public: true }), 201);
  });
  after(async () => { if (f.srv) await stopClean(f.srv); f.tmp.cleanup(); });

  const keys = (res) => res.json.items.map((i) => i.key);

  it('finds a two-character kanji word and a four-character kana word, and not a ticket without them', async () => {
    for (const word of ['印刷', 'プリンター']) {
      const r = expectStatus(await f.agent.get(`/api/v1/search?q=${q(word)}&kind=ticket`), 200);
      assert.ok(keys({ json: r }).includes(jaTicket.key), `${word} finds ${jaTicket.key}`);
      assert.ok(!keys({ json: r }).includes(otherTicket.key), `${word} does not find ${otherTicket.key}`);
      const hit = r.items.find((i) => i.key === jaTicket.key);
      assert.ok(hit.snippet.includes(word));
      assert.match(hit.snippet_html, new RegExp(`<mark>${word}</mark>`));
    }
    // one character too: the bounded scan
    const one = expectStatus(await f.agent.get(`/api/v1/search?q=${q('紙')}`), 200);
    assert.deepEqual(one.items.map((i) => i.key), [jaTicket.key]);
    // the ticket list's ?q= uses the same index
    const list = expectStatus(await f.agent.get(`/api/v1/tickets?q=${q('印刷')}`), 200);
    assert.deepEqual(list.items.map((t) => t.key), [jaTicket.key]);
    const list2 = expectStatus(await f.agent.get(`/api/v1/tickets?q=${q('プリンター')}`), 200);
    assert.deepEqual(list2.items.map((t) => t.key), [jaTicket.key]);
  });

  it('ranks English hits: the ticket with the words in its title and twice in the body first', async () => {
    const r = expectStatus(await f.agent.get(`/api/v1/search?q=${q('vpn gateway')}`), 200);
    assert.equal(r.items[0].key, enBoth.key);
    assert.ok(!keys({ json: r }).includes(enOne.key), 'every word must be present');
    const one = expectStatus(await f.agent.get(`/api/v1/search?q=vpn&kind=ticket`), 200);
    assert.deepEqual(one.items.map((i) => i.key), [enBoth.key, enOne.key]);
    // case folds
    assert.deepEqual(keys(await f.agent.get('/api/v1/search?q=GATEWAY&kind=ticket')), [enBoth.key]);
    // highlights are character offsets into the snippet
    const hit = one.items[0];
    for (const [s, e] of hit.highlights) {
      assert.equal([...hit.snippet].slice(s, e).join('').toLowerCase(), 'vpn');
    }
    // pages
    const p1 = expectStatus(await f.agent.get('/api/v1/search?q=vpn&kind=ticket&limit=1'), 200);
    assert.equal(p1.items.length, 1);
    assert.equal(p1.next_cursor, '1');
    const p2 = expectStatus(await f.agent.get('/api/v1/search?q=vpn&kind=ticket&limit=1&cursor=1'), 200);
    assert.equal(p2.items[0].key, enOne.key);
    assert.equal(p2.next_cursor, null);
  });

  it('answers query-language strings as text, 200 or 400, never 500', async () => {
    const strings = ['"', '""', '*', 'NEAR', 'NEAR(a b)', '-', '- vpn', 'AND', 'OR', 'NOT', '(', ')', 'vpn AND',
      '"vpn', 'vpn*', 'a:b', 'title:vpn', '^vpn', '{title}: x', "'", '%', '_', '\\', 'NEAR/2', '(((', '""""""'];
    for (const s of strings) {
      const r = await f.agent.get(`/api/v1/search?q=${q(s)}`);
      assert.ok(r.status === 200 || r.status === 400, `${s}: ${r.status} ${r.text}`);
      assert.ok(!/fts5|syntax/i.test(r.text), `${s} leaks the engine: ${r.text}`);
      const t = await f.agent.get(`/api/v1/tickets?q=${q(s)}`);
      assert.ok(t.status === 200 || t.status === 400, `tickets ?q=${s}: ${t.status} ${t.text}`);
    }
    // a word with operators is text: "AND" finds nothing here, "%" no wildcard
    assert.deepEqual(keys(await f.agent.get(`/api/v1/search?q=${q('%')}`)), []);
    assert.deepEqual(keys(await f.agent.get(`/api/v1/search?q=${q('_')}`)), []);
    expectError(await f.agent.get('/api/v1/search?q='), 400, 'invalid', 'q');
    expectError(await f.agent.get(`/api/v1/search?q=${q('   ')}`), 400, 'invalid', 'q');
    expectError(await f.agent.get('/api/v1/search'), 400, 'invalid', 'q');
    expectError(await f.agent.get(`/api/v1/search?q=${'x'.repeat(201)}`), 400, 'invalid', 'q');
    expectStatus(await f.agent.get(`/api/v1/search?q=${'x'.repeat(200)}`), 200);
    expectError(await f.agent.get(`/api/v1/search?q=${q('印'.repeat(201))}`), 400, 'invalid', 'q');
    expectError(await f.agent.get(`/api/v1/tickets?q=${'x'.repeat(201)}`), 400, 'invalid', 'q');
    expectError(await f.agent.get('/api/v1/search?q=vpn&kind=tickets'), 400, 'invalid', 'kind');
    expectError(await f.agent.get('/api/v1/search?q=vpn&limit=0'), 400, 'invalid', 'limit');
    expectError(await f.agent.get('/api/v1/search?q=vpn&limit=101'), 400, 'invalid', 'limit');
    expectError(await f.agent.get('/api/v1/search?q=vpn&cursor=-1'), 400, 'invalid', 'cursor');
  });

  it('never shows a requester another customer\'s ticket, an internal comment or a problem', async () => {
    assert.deepEqual(keys(await f.dave.get('/api/v1/search?q=zeppelin')), [globexTicket.key]);
    assert.deepEqual(keys(await f.alice.get('/api/v1/search?q=zeppelin')), []);
    assert.deepEqual(keys(await f.alice.get('/api/v1/tickets?q=zeppelin')), []);
    // the internal comment: staff find it, the requester does not
    const staff = expectStatus(await f.agent.get('/api/v1/search?q=quokka'), 200);
    assert.deepEqual(staff.items.map((i) => [i.kind, i.ticket, i.status]), [['comment', enOne.key, 'internal']]);
    assert.deepEqual(keys(await f.alice.get('/api/v1/search?q=quokka')), []);
    const pub = expectStatus(await f.alice.get('/api/v1/search?q=wombat'), 200);
    assert.deepEqual(pub.items.map((i) => [i.kind, i.ticket]), [['comment', enOne.key]]);
    assert.deepEqual(keys(await f.dave.get('/api/v1/search?q=wombat')), []);
    // problems are staff records
    const prb = expectStatus(await f.agent.post('/api/v1/problems', { title: 'Zeppelin hangar doors', workaround: 'manual' }), 201);
    assert.ok(keys(await f.agent.get('/api/v1/search?q=zeppelin')).includes(prb.key));
    assert.deepEqual(keys(await f.dave.get('/api/v1/search?q=zeppelin')), [globexTicket.key]);
    // an HTML-looking ticket: the snippet's HTML is escaped before it is marked
    const x = await createTicket(f.alice, { title: 'markup <script>alert(1)</script> jellyfish' });
    const hit = expectStatus(await f.alice.get('/api/v1/search?q=jellyfish'), 200).items[0];
    assert.equal(hit.key, x.key);
    assert.ok(!hit.snippet_html.includes('<script>'));
    assert.match(hit.snippet_html, /&lt;script&gt;/);
    assert.match(hit.snippet_html, /<mark>jellyfish<\/mark>/);
  });

  it('finds articles as the reader may read them, and suggests them for a new ticket', async () => {
    const pub = expectStatus(await f.agent.post('/api/v1/knowledge', { title: 'プリンターの紙詰まりを直す', body: 'トレイを開ける', visibility: 'public' }), 201);
    const internal = expectStatus(await f.agent.post('/api/v1/knowledge', { title: 'プリンター内部の設定', body: 'internal only' }), 201);
    expectStatus(await f.agent.post(`/api/v1/knowledge/${pub.key}/publish`, { version: 1 }), 200);
    expectStatus(await f.agent.post(`/api/v1/knowledge/${internal.key}/publish`, { version: 1 }), 200);
    const staff = keys(await f.agent.get(`/api/v1/search?q=${q('プリンター')}&kind=article`));
    assert.deepEqual(staff.sort(), [pub.key, internal.key].sort());
    assert.deepEqual(keys(await f.alice.get(`/api/v1/search?q=${q('プリンター')}&kind=article`)), [pub.key]);
    const sug = expectStatus(await f.alice.get(`/api/v1/knowledge/suggest?title=${q('プリンターが動かない')}`), 200);
    assert.deepEqual(sug.articles.map((a) => a.key), [pub.key]);
    assert.deepEqual(sug.known_errors, []);
    const sugStaff = expectStatus(await f.agent.get(`/api/v1/knowledge/suggest?title=${q('プリンターが動かない')}`), 200);
    assert.deepEqual(sugStaff.articles.map((a) => a.key).sort(), [pub.key, internal.key].sort());
    expectError(await f.agent.get('/api/v1/knowledge/suggest'), 400, 'invalid', 'title');
    expectError(await f.agent.get('/api/v1/knowledge/suggest?title=x&service=bad%20key'), 400, 'invalid', 'service');
  });
});

describe('the migration indexes the records a store already holds; the CLI', () => {
  it('fills the index from existing tickets, comments and problems in one go', async () => {
    const tmp = makeStore();
    try {
      seed(tmp.db);
      cliOk(tmp.db, ['ticket', 'create', '--kind', 'incident', '--title', '古いプリンターで印刷不可', '--customer', 'acme']);
      cliOk(tmp.db, ['ticket', 'comment', 'INC-1', 'legacy aardvark note']);
      cliOk(tmp.db, ['problem', 'add', '--title', 'Legacy okapi fault']);
      // The store as it was before migration 025 indexed it: no search
      // index. The schema cannot be rolled back past the migrations that
      // came after 025, so the index is dropped and 025's own part for this
      // engine (the index, its triggers, the rows already stored in one go)
      // is run again from the file, as the migrator runs it.
      const file = readFileSync(new URL('../../src/store/migrations/025_knowledge.sql', import.meta.url), 'utf8');
      const part = (engine) => file.split('\n-- for engine: ').find((p) => p.startsWith(`${engine}\n`)).slice(engine.length + 1)
        .replace(/^\s*--.*$/gm, '').trim(); // comments out: sqlite3 reads a leading '--' as an option
      const latest = schemaVersion(tmp.db);
      if (ENGINE === 'sqlite') {
        const triggers = sql(tmp.db, "SELECT name FROM sqlite_schema WHERE type = 'trigger' AND name LIKE 'search_%'").split('\n');
        assert.equal(triggers.length, 12);
        sql(tmp.db, [...triggers.map((t) => `DROP TRIGGER ${t}`), 'DROP TABLE search_fts'].join('; '));
        sql(tmp.db, part('sqlite'));
      } else {
        sql(tmp.db, 'DROP INDEX tickets_trgm; DROP INDEX comments_trgm; DROP INDEX problems_trgm; DROP INDEX articles_trgm');
        sql(tmp.db, part('postgresql'));
      }
      // The search finds what was there before the index was made.
      const out = cliOk(tmp.db, ['--json', 'search', '印刷']);
      assert.deepEqual(JSON.parse(out).items.map((i) => i.key), ['INC-1']);
      assert.equal(schemaVersion(tmp.db), latest);
      assert.deepEqual(JSON.parse(cliOk(tmp.db, ['--json', 'search', 'aardvark'])).items.map((i) => [i.kind, i.ticket]), [['comment', 'INC-1']]);
      assert.deepEqual(JSON.parse(cliOk(tmp.db, ['--json', 'search', 'okapi'])).items.map((i) => i.key), ['PRB-1']);
      assert.deepEqual(JSON.parse(cliOk(tmp.db, ['--json', 'search', 'プリンター', '--kind', 'ticket'])).items.map((i) => i.key), ['INC-1']);
    } finally {
      tmp.cleanup();
    }
  });

  it('drives the article lifecycle and the search from the command line', () => {
    const tmp = makeStore();
    try {
      seed(tmp.db);
      assert.match(cliOk(tmp.db, ['kb', 'add', '--title', 'Spooler restart', '--body', '# Steps\n\nRestart it', '--public']), /^added article KB-1$/);
      assert.match(cliOk(tmp.db, ['kb', 'edit', 'KB-1', '--body', 'Restart the spooler service']), /version 2/);
      assert.match(cliOk(tmp.db, ['kb', 'publish', 'KB-1']), /published, version 3/);
      const r = cli(tmp.db, ['kb', 'publish', 'KB-1']);
      assert.equal(r.status, 1);
      assert.match(r.stderr, /^itsm: .*cannot move from published to published/m);
      assert.match(cliOk(tmp.db, ['kb', 'show', 'KB-1', '--version', '1']), /Restart it/);
      assert.match(cliOk(tmp.db, ['kb', 'show', 'KB-1', '--html']), /<p>Restart the spooler service<\/p>/);
      assert.match(cliOk(tmp.db, ['kb', 'versions', 'KB-1']), /3\s+published/);
      // requesters (--as) read it, published and public; an internal one is not found
      cliOk(tmp.db, ['kb', 'add', '--title', 'Internal spooler notes']);
      assert.match(cliOk(tmp.db, ['--as', 'alice', 'kb', 'list']), /KB-1/);
      assert.doesNotMatch(cliOk(tmp.db, ['--as', 'alice', 'kb', 'list']), /KB-2/);
      assert.equal(cli(tmp.db, ['--as', 'alice', 'kb', 'show', 'KB-2']).status, 1);
      assert.equal(cli(tmp.db, ['--as', 'alice', 'kb', 'add', '--title', 'x']).status, 1);
      // the search: hits between « and », operators as text, an empty query refused
      assert.match(cliOk(tmp.db, ['search', 'spooler', '--kind', 'article']), /«[Ss]pooler»/);
      assert.equal(cliOk(tmp.db, ['search', 'NEAR(', '"', '*']), '');
      const empty = cli(tmp.db, ['search', ' ']);
      assert.equal(empty.status, 1);
      assert.match(empty.stderr, /'q' is empty/);
    } finally {
      tmp.cleanup();
    }
  });
});
