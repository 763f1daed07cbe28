// attachments.test.mjs — a ticket's files and links on the ticket page
// (docs/attachments.md), driven in chromium: a requester sees the public
// files only and attaches one (public, as all of theirs), which the API then
// lists; an agent links the ticket to another from the page and the link
// shows on both; an HTML file's name is text, its download an attachment.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serverUrl, launch, signIn, shot, axe, apiSession, unique } from './lib.mjs';

let base;
let browser;
let agent; let alice;

before(async () => {
  base = await serverUrl();
  browser = await launch();
  [agent, alice] = await Promise.all(['agent1', 'alice'].map((u) => apiSession(base, u)));
});

after(async () => {
  await browser?.close();
});

const ok = (r, status = 201) => { assert.equal(r.status, status, r.text); return r.json; };
const attach = (s, key, name, body, pub) => s.post(`/api/v1/tickets/${key}/attachments?filename=${encodeURIComponent(name)}${pub ? '&public=true' : ''}`,
  body, { headers: { 'content-type': 'application/octet-stream' } });

test('files: a requester sees the public ones and attaches one; an agent links the ticket from the page', async () => {
  const tk = ok(await alice.post('/api/v1/tickets', { kind: 'incident', title: unique('Printer prints blank pages') }));
  const other = ok(await alice.post('/api/v1/tickets', { kind: 'incident', title: unique('Printer on 3F too') }));
  const pub = ok(await attach(agent, tk.key, '<img src=x onerror=alert(1)>.html', '<b>hi</b>', true));
  ok(await attach(agent, tk.key, 'internal-notes.txt', 'root cause', false));

  const { context, page } = await signIn(browser, base, 'alice');
  await page.goto(`${base}/tickets/${tk.key}`);
  await page.locator(`[data-testid=files] [data-attachment="${pub.id}"]`).waitFor();
  assert.equal(await page.locator('[data-testid=files] [data-attachment]').count(), 1, 'the internal file is not shown');
  assert.equal(await page.locator(`[data-attachment="${pub.id}"] a`).textContent(), '<img src=x onerror=alert(1)>.html', 'a name is text');
  await page.setInputFiles('#attach-file', { name: 'screen.txt', mimeType: 'text/plain', buffer: Buffer.from('blank page, tray 2') });
  await page.click('button[data-action=attach]');
  await page.locator('[data-testid=files] [data-attachment]').nth(1).waitFor();
  const files = ok(await alice.get(`/api/v1/tickets/${tk.key}/attachments`), 200).items;
  const mine = files.find((a) => a.filename === 'screen.txt');
  assert.ok(mine, JSON.stringify(files));
  assert.equal(mine.public, true);
  assert.equal(mine.created_by, 'alice');
  // the download link answers the file as an attachment
  const res = await page.request.get(`${base}/api/v1/attachments/${pub.id}`);
  assert.match(res.headers()['content-disposition'], /^attachment; /);
  assert.equal(res.headers()['x-content-type-options'], 'nosniff');
  assert.deepEqual(await axe(page), []);
  await shot(page, 'ticket-files');
  await context.close();

  const s = await signIn(browser, base, 'agent1');
  await s.page.goto(`${base}/tickets/${tk.key}`);
  await s.page.locator('#link-form').waitFor();
  await s.page.selectOption('#link-kind', 'related');
  await s.page.fill('#link-other', other.key);
  await s.page.click('button[data-action=link]');
  await s.page.locator(`[data-testid=ticket-links] a[href="/tickets/${other.key}"]`).waitFor();
  const links = ok(await agent.get(`/api/v1/tickets/${other.key}/links`), 200).items;
  assert.deepEqual(links.map((l) => [l.kind, l.ticket]), [['related', tk.key]]);
  await s.context.close();
});
