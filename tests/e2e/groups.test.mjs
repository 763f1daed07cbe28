// groups.test.mjs — the queues of assignment groups in the console: an
// agent in a group sees "my groups" (group=mine) hold its open tickets and
// no others; the group filter narrows another queue to one group; the
// ticket screen shows a ticket's group and lets staff set it (the queue of
// that group then holds it) and clear it; an agent in no group is told so.
// The API is asked what the screens show, so the two agree.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serverUrl, launch, signIn, shot, axe, apiSession, unique } from './lib.mjs';

let base;
let browser;
let agent;
// three tickets: one in network (agent2's group), one in desk, one in none
const tk = {};

before(async () => {
  base = await serverUrl();
  browser = await launch();
  const admin = await apiSession(base, 'admin');
  const me = (await admin.get('/api/v1/users/agent2')).json;
  const r = await admin.patch('/api/v1/users/agent2', { version: me.version, groups: 'network' });
  assert.equal(r.status, 200, r.text);
  agent = await apiSession(base, 'agent1');
  for (const [name, group] of [['net', 'network'], ['desk', 'desk'], ['none', undefined]]) {
    const body = { kind: 'incident', title: unique(`Group queue ${name}`), customer: 'acme' };
    if (group) body.group = group;
    const c = await agent.post('/api/v1/tickets', body);
    assert.equal(c.status, 201, c.text);
    tk[name] = c.json;
  }
});

after(async () => {
  await browser?.close();
});

// The keys the queue on the page lists, once it has loaded.
async function rows(page) {
  await page.waitForSelector('#queue[aria-busy=false]');
  return page.$$eval('#queue tr[data-key]', (trs) => trs.map((tr) => tr.dataset.key));
}

test('"my groups" holds the open tickets of my groups only; the group column shows it', async () => {
  const { page, context } = await signIn(browser, base, 'agent2');
  await page.goto(`${base}/queue?view=groups`);
  const keys = await rows(page);
  assert.ok(keys.includes(tk.net.key), 'network\'s ticket is in agent2\'s groups');
  assert.ok(!keys.includes(tk.desk.key) && !keys.includes(tk.none.key), 'no other group, no group-less');
  // the same set the API gives for group=mine, open
  const api = await apiSession(base, 'agent2');
  const mine = (await api.get('/api/v1/tickets?group=mine&status=open&limit=500')).json.items.map((x) => x.key);
  assert.deepEqual([...keys].sort(), [...mine].sort());
  const row = page.locator(`#queue tr[data-key="${tk.net.key}"]`);
  assert.match(await row.textContent(), /network/);
  assert.match(await page.textContent('#count-groups'), new RegExp(`\\(${mine.length}\\)`));
  await shot(page, 'agent-queue-my-groups');
  assert.deepEqual(await axe(page), [], 'no serious accessibility findings');
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('the group filter narrows the open queue to one group, kept in the address', async () => {
  const { page, context } = await signIn(browser, base, 'agent1');
  await page.goto(`${base}/queue?view=open`);
  let keys = await rows(page);
  assert.ok(keys.includes(tk.net.key) && keys.includes(tk.desk.key) && keys.includes(tk.none.key));
  await page.fill('#group', 'desk');
  await page.dispatchEvent('#group', 'change');
  await page.waitForURL(/[?&]group=desk(&|$)/);
  // the screen is redrawn in place: wait for the new list (desk's ticket
  // and neither of the others), not the old one still on the page
  await page.waitForFunction(([desk, others]) => {
    const q = document.querySelector('#queue[aria-busy=false]');
    return q && q.querySelector(`tr[data-key="${desk}"]`) && others.every((k) => !q.querySelector(`tr[data-key="${k}"]`));
  }, [tk.desk.key, [tk.net.key, tk.none.key]]);
  keys = await rows(page);
  assert.ok(keys.includes(tk.desk.key), 'desk\'s ticket listed');
  assert.ok(!keys.includes(tk.net.key) && !keys.includes(tk.none.key), 'others not');
  // agent1 is in no group here: "my groups" says so
  await page.goto(`${base}/queue?view=groups`);
  await rows(page);
  assert.match(await page.textContent('#queue-note'), /no group/);
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('the ticket screen sets a ticket\'s group and clears it; the group\'s queue follows', async () => {
  const { page, context } = await signIn(browser, base, 'agent2');
  await page.goto(`${base}/tickets/${tk.none.key}`);
  await page.waitForSelector('#group-to');
  assert.equal((await page.textContent('dd#group')).trim(), '—');
  await page.fill('#group-to', 'network');
  await page.click('[data-action=regroup]');
  await page.waitForFunction(() => document.querySelector('dd#group').textContent.trim() === 'network');
  let t = (await agent.get(`/api/v1/tickets/${tk.none.key}`)).json;
  assert.equal(t.group, 'network');
  assert.equal(t.version, tk.none.version + 1);
  const h = (await agent.get(`/api/v1/tickets/${tk.none.key}/history`)).json.items.filter((x) => x.field === 'group');
  assert.deepEqual(h.map((x) => [x.old, x.new, x.actor]), [[null, 'network', 'agent2']]);
  // now in agent2's groups queue
  await page.goto(`${base}/queue?view=groups`);
  assert.ok((await rows(page)).includes(tk.none.key));
  // a malformed name is refused and shown; nothing changes
  await page.goto(`${base}/tickets/${tk.none.key}`);
  await page.waitForSelector('#group-to');
  await page.fill('#group-to', 'no spaces here');
  await page.click('[data-action=regroup]');
  await page.waitForFunction(() => /group/i.test(document.querySelector('[role=alert]')?.textContent || ''));
  assert.equal((await agent.get(`/api/v1/tickets/${tk.none.key}`)).json.version, t.version, 'not stored');
  // cleared: no group, out of the queue
  await page.fill('#group-to', '');
  await page.click('[data-action=regroup]');
  await page.waitForFunction(() => document.querySelector('dd#group').textContent.trim() === '—');
  t = (await agent.get(`/api/v1/tickets/${tk.none.key}`)).json;
  assert.ok(!('group' in t), 'no group key once cleared');
  await page.goto(`${base}/queue?view=groups`);
  assert.ok(!(await rows(page)).includes(tk.none.key));
  assert.deepEqual(page.errors, []);
  await context.close();
});
