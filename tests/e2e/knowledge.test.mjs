// knowledge.test.mjs — the console's knowledge screen in chromium: the
// search box finds a Japanese ticket by a two-character word and marks the
// hit (a <mark> built from the server's offsets, the text of a record never
// parsed as HTML), an article's page shows its Markdown as text and its
// versions, and a requester finds neither an internal article nor another
// customer's ticket.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serverUrl, launch, signIn, shot, axe, apiSession, unique } from './lib.mjs';

let base;
let browser;
let agent; let alice; let dave;

before(async () => {
  base = await serverUrl();
  browser = await launch();
  [agent, alice, dave] = await Promise.all(['agent1', 'alice', 'dave'].map((u) => apiSession(base, u)));
});

after(async () => {
  await browser?.close();
});

const ok = (r, status = 201) => { assert.equal(r.status, status, r.text); return r.json; };

test('knowledge: the search marks its hits, an article shows its text and versions, a requester sees only what is theirs', async () => {
  const word = `印刷${Math.floor(Math.random() * 1e6)}`;
  const mine = ok(await alice.post('/api/v1/tickets', { kind: 'incident', title: `プリンターで${word}できない`, description: '<b>not bold</b>' }));
  const theirs = ok(await dave.post('/api/v1/tickets', { kind: 'incident', title: `Globex ${word}` }));
  const pub = ok(await agent.post('/api/v1/knowledge', { title: unique(`${word} public`), body: '# Steps\n\n<script>alert(1)</script>', visibility: 'public' }));
  ok(await agent.post(`/api/v1/knowledge/${pub.key}/publish`, { version: 1 }), 200);
  ok(await agent.patch(`/api/v1/knowledge/${pub.key}`, { version: 2, body: '# Steps\n\nOpen tray 3' }), 200);
  const internal = ok(await agent.post('/api/v1/knowledge', { title: unique(`${word} internal`) }));

  // the agent: every kind, the hit marked
  const { context, page } = await signIn(browser, base, 'agent1');
  await page.goto(`${base}/knowledge`);
  await page.fill('#kb-q', word);
  await page.click('[data-testid=search] button[type=submit]');
  await page.locator(`[data-testid=search-results] li[data-key="${mine.key}"]`).waitFor();
  const keys = await page.locator('[data-testid=search-results] li').evaluateAll((l) => l.map((x) => x.dataset.key));
  for (const k of [mine.key, theirs.key, pub.key, internal.key]) assert.ok(keys.includes(k), `${k} in ${keys}`);
  assert.equal(await page.locator(`[data-testid=search-results] li[data-key="${mine.key}"] mark`).first().textContent(), word);
  await shot(page, 'knowledge-search');
  await axe(page);
  // the article: its Markdown as text, three versions
  await page.goto(`${base}/knowledge/${pub.key}`);
  await page.locator('[data-testid=versions] tr[data-version="3"]').waitFor();
  assert.equal(await page.locator('[data-testid=body]').textContent(), '# Steps\n\nOpen tray 3');
  assert.equal(await page.locator('script:not([src])').count(), 0);
  assert.deepEqual(page.errors, []);
  await context.close();

  // the requester: their ticket and the public article, nothing else
  const r = await signIn(browser, base, 'alice');
  await r.page.goto(`${base}/knowledge?q=${encodeURIComponent(word)}`);
  await r.page.locator(`[data-testid=search-results] li[data-key="${mine.key}"]`).waitFor();
  const seen = await r.page.locator('[data-testid=search-results] li').evaluateAll((l) => l.map((x) => x.dataset.key));
  assert.deepEqual(seen.sort(), [mine.key, pub.key].sort());
  const listed = await r.page.locator('[data-testid=articles] tr[data-key]').evaluateAll((l) => l.map((x) => x.dataset.key));
  assert.ok(listed.includes(pub.key));
  assert.ok(!listed.includes(internal.key));
  assert.deepEqual(r.page.errors, []);
  await r.context.close();
});
