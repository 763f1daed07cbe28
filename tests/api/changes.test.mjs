// changes.test.mjs — change control end to end: the lifecycle, approvals
// (all / any / quorum, the emergency path, pre-approved standard changes),
// the risk score with its reasons, the conflict check on a generated CMDB
// (a switch and the VM behind it conflict, an unrelated rack does not),
// freeze windows, a manager's override recorded in the audit chain, the
// planned outages a schedule makes and a cancel removes, the iCalendar feed
// and the CLI — happy and unhappy paths; every refusal leaves nothing.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  makeStore, seed, startServer, client, cli, cliOk, expectError, expectStatus, listAll,
  stopClean, sql,
} from './lib.mjs';

let store, srv, tokens, agent, manager, admin, requester, operator;

const W1 = { planned_start: '2027-01-10T22:00:00Z', planned_end: '2027-01-11T02:00:00Z' };
const W1b = { planned_start: '2027-01-11T01:00:00Z', planned_end: '2027-01-11T03:00:00Z' }; // meets W1
const W2 = { planned_start: '2027-02-01T10:00:00Z', planned_end: '2027-02-01T11:00:00Z' };
const W3 = { planned_start: '2027-03-01T10:00:00Z', planned_end: '2027-03-01T11:00:00Z' };

const create = (c, body) => c.post('/api/v1/changes', body);
const get = async (key) => expectStatus(await agent.get(`/api/v1/changes/${key}`), 200);
const move = async (c, key, verb, body = {}) => {
  const cur = await get(key);
  return c.post(`/api/v1/changes/${key}/${verb}`, { version: cur.version, ...body });
};
const ok = async (c, key, verb, body) => expectStatus(await move(c, key, verb, body), 200);
const allChanges = () => listAll(agent, '/api/v1/changes?limit=500');

// An approved normal change on items in window w (one approver: manager1).
async function approved(items, w, extra = {}) {
  const ch = expectStatus(await create(agent, {
    type: 'normal', title: `work on ${items.join(', ')}`, items, ...w, approvers: ['manager1'],
    ...extra,
  }), 201);
  await ok(agent, ch.key, 'submit');
  const a = await ok(manager, ch.key, 'approve', { comment: 'go' });
  assert.equal(a.status, 'approved');
  return a;
}

before(async () => {
  store = makeStore();
  tokens = seed(store.db);
  cliOk(store.db, ['user', 'add', 'manager2', '--role', 'manager', '--password-stdin'], { input: 'correct-horse-battery\n' });
  tokens.manager2 = cliOk(store.db, ['token', 'create', 'test', '--user', 'manager2']);
  cliOk(store.db, ['service', 'add', 'mail', '--name', 'Mail']);
  cliOk(store.db, ['service', 'add', 'web', '--name', 'Web']);
  cliOk(store.db, ['ci', 'type-add', 'rack']);
  srv = await startServer(store.db);
  agent = client(srv.url, tokens.agent1);
  manager = client(srv.url, tokens.manager1);
  admin = client(srv.url, tokens.admin);
  requester = client(srv.url, tokens.alice);
  operator = client(srv.url, tokens.operator1);
  const targets = Object.fromEntries([1, 2, 3, 4, 5].map((p) => [String(p),
    { response_minutes: 30 * p, resolution_minutes: 120 * p }]));
  expectStatus(await manager.post('/api/v1/slas', { name: 'acme-mail', customer: 'acme', service: 'mail', targets }), 201);
  expectStatus(await manager.post('/api/v1/slas', { name: 'globex-mail', customer: 'globex', service: 'mail', targets }), 201);
  // A generated data centre: two racks, each with a switch, three hosts
  // connected to it (propagating), two VMs on each host; the mail
  // application runs on rack A's first VM, the mail service depends on it.
  const ci = (key, type, extra = {}) => agent.post('/api/v1/cis', { key, name: key.toUpperCase(), type, ...extra });
  const rel = (source, type, target, extra = {}) =>
    agent.post('/api/v1/relationships', { source, type, target, ...extra });
  for (const r of ['a', 'b']) {
    expectStatus(await ci(`rack-${r}`, 'rack'), 201);
    expectStatus(await ci(`sw-${r}`, 'network_device'), 201);
    expectStatus(await rel(`sw-${r}`, 'part_of', `rack-${r}`), 201);
    for (let h = 1; h <= 3; h++) {
      expectStatus(await ci(`host-${r}${h}`, 'server'), 201);
      expectStatus(await rel(`host-${r}${h}`, 'connected_to', `sw-${r}`, { propagates: true }), 201);
      for (let v = 1; v <= 2; v++) {
        expectStatus(await ci(`vm-${r}${h}-${v}`, 'virtual_machine'), 201);
        expectStatus(await rel(`vm-${r}${h}-${v}`, 'runs_on', `host-${r}${h}`), 201);
      }
    }
  }
  expectStatus(await ci('mail-app', 'application'), 201);
  expectStatus(await rel('mail-app', 'runs_on', 'vm-a1-1'), 201);
  expectStatus(await ci('mail-svc', 'service', { service: 'mail' }), 201);
  expectStatus(await rel('mail-svc', 'depends_on', 'mail-app'), 201);
});

after(async () => {
  if (srv) await stopClean(srv);
  store?.cleanup();
});

describe('creating a change', () => {
  it('refuses bad input with the field at fault and stores nothing', async () => {
    const base = { type: 'normal', title: 'Patch', items: ['sw-a'], approvers: ['manager1'] };
    expectError(await create(agent, { ...base, type: 'big' }), 400, 'invalid', 'type');
    expectError(await create(agent, { ...base, title: undefined }), 400, 'invalid', 'title');
    expectError(await create(agent, { ...base, title: '  ' }), 400, 'invalid', 'title');
    expectError(await create(agent, { ...base, planned_start: W1.planned_end, planned_end: W1.planned_start }), 400, 'invalid', 'planned_end');
    expectError(await create(agent, { ...base, items: ['sw-a', 'nope'] }), 400, 'invalid', 'items[1]');
    expectError(await create(agent, { ...base, services: ['fax'] }), 400, 'invalid', 'services[0]');
    expectError(await create(agent, { ...base, approvers: ['alice'] }), 400, 'invalid', 'approvers[0]');
    expectError(await create(agent, { ...base, approvers: ['ghost'] }), 400, 'invalid', 'approvers[0]');
    expectError(await create(agent, { ...base, approvers: ['manager1', 'manager1'] }), 409, 'conflict', 'approvers[1]');
    expectError(await create(agent, { ...base, rule: 'most' }), 400, 'invalid', 'rule');
    expectError(await create(agent, { ...base, rule: 'quorum' }), 400, 'invalid', 'quorum');
    expectError(await create(agent, { ...base, rule: 'quorum', quorum: 2 }), 400, 'invalid', 'quorum');
    expectError(await create(agent, { ...base, questionnaire: { tested: 'yes' } }), 400, 'invalid', 'questionnaire.tested');
    expectError(await create(agent, { ...base, questionnaire: { lucky: true } }), 400, 'invalid', 'questionnaire.lucky');
    expectError(await create(agent, { ...base, colour: 'red' }), 400, 'invalid');
    expectError(await create(requester, base), 403, 'forbidden');
    assert.deepEqual(await allChanges(), []);
  });

  it('scores the risk from the questionnaire and the CMDB impact, with the reasons', async () => {
    // sw-a reaches the mail service (mail-svc depends_on mail-app runs_on
    // vm-a1-1 runs_on host-a1 connected_to sw-a) and its two customers:
    // 1 service: +1, 2 customers: +2; all answers safe: 0. Score 3, medium.
    const a = expectStatus(await create(agent, {
      type: 'normal', title: 'Firmware of sw-a', items: ['sw-a'], approvers: ['manager1'],
      questionnaire: { tested: true, backout_tested: true, service_outage: false, done_before: true },
    }), 201);
    assert.match(a.key, /^CHG-\d+$/);
    assert.equal(a.status, 'draft');
    assert.equal(a.risk.score, 3);
    assert.equal(a.risk.level, 'medium');
    assert.equal(a.risk.service_count, 1);
    assert.equal(a.risk.customer_count, 2);
    assert.deepEqual(a.risk.reasons, ['+1 the items reach 1 service', '+2 the items reach 2 customers']);
    // An unrelated rack, nothing answered: 2 + 3 + 2 + 1 = 8, high; no reach.
    const b = expectStatus(await create(agent, { type: 'normal', title: 'Rack b', items: ['rack-b'] }), 201);
    assert.equal(b.risk.score, 8);
    assert.equal(b.risk.level, 'high');
    assert.equal(b.risk.reasons.length, 4);
    assert.ok(b.risk.reasons.every((r) => r.endsWith('(unanswered)')));
    // Answers that take the risky side: tested false +2, outage true +2 = 4.
    const c = expectStatus(await create(agent, {
      type: 'standard', title: 'Swap a disk', items: ['host-b2'],
      questionnaire: { tested: false, backout_tested: true, service_outage: true, done_before: true },
    }), 201);
    assert.equal(c.risk.score, 4);
    assert.equal(c.risk.level, 'medium');
    for (const k of [a.key, b.key, c.key]) await ok(agent, k, 'cancel', { reason: 'test data' });
  });

  it('updates a draft at its version only', async () => {
    const ch = expectStatus(await create(agent, { type: 'normal', title: 'Draft', items: ['vm-b1-1'] }), 201);
    expectError(await agent.patch(`/api/v1/changes/${ch.key}`, { version: 99, title: 'x' }), 409, 'conflict', 'version');
    expectError(await agent.patch(`/api/v1/changes/${ch.key}`, { version: 1, items: ['gone'] }), 400, 'invalid', 'items[0]');
    const u = expectStatus(await agent.patch(`/api/v1/changes/${ch.key}`, { version: 1, title: 'Draft 2', ...W3 }), 200);
    assert.equal(u.title, 'Draft 2');
    assert.equal(u.version, 2);
    assert.equal(u.planned_start, W3.planned_start);
    expectError(await agent.get('/api/v1/changes/CHG-99999'), 404, 'not_found');
    expectError(await requester.get(`/api/v1/changes/${ch.key}`), 403, 'forbidden');
    await ok(agent, ch.key, 'cancel');
    expectError(await agent.patch(`/api/v1/changes/${ch.key}`, { version: 3, title: 'late' }), 409, 'invalid_transition');
  });
});

describe('listing', () => {
  it('filters by status, pages newest first, refuses an unknown status or parameter', async () => {
    const all = await allChanges();
    assert.ok(all.length >= 4);
    for (let i = 1; i < all.length; i++) assert.ok(all[i - 1].id > all[i].id);
    const page = expectStatus(await agent.get('/api/v1/changes?limit=2'), 200);
    assert.equal(page.items.length, 2);
    assert.equal(typeof page.next_cursor, 'string');
    const cancelled = expectStatus(await agent.get('/api/v1/changes?status=cancelled&limit=500'), 200).items;
    assert.ok(cancelled.length >= 4 && cancelled.every((c) => c.status === 'cancelled'));
    expectError(await agent.get('/api/v1/changes?status=done'), 400, 'invalid', 'status');
    expectError(await agent.get('/api/v1/changes?owner=me'), 400, 'invalid');
    expectError(await requester.get('/api/v1/changes'), 403, 'forbidden');
  });
});

describe('approvals', () => {
  it('rule all: every approver; a stranger is refused; the same approver twice is 409', async () => {
    const ch = expectStatus(await create(agent, {
      type: 'normal', title: 'all', items: ['vm-b2-1'], approvers: ['manager1', 'manager2'], ...W3,
    }), 201);
    expectError(await move(manager, ch.key, 'approve'), 409, 'invalid_transition'); // still a draft
    expectError(await agent.post(`/api/v1/changes/${ch.key}/submit`, { version: 7 }), 409, 'conflict', 'version');
    assert.equal((await ok(agent, ch.key, 'submit')).status, 'assessment');
    expectError(await move(agent, ch.key, 'approve'), 403, 'forbidden');
    const one = await ok(manager, ch.key, 'approve', { comment: 'fine by me' });
    assert.equal(one.status, 'assessment');
    expectError(await move(manager, ch.key, 'approve'), 409, 'conflict', 'approver');
    expectError(await move(manager, ch.key, 'reject'), 400, 'invalid', 'comment');
    expectError(await move(manager, ch.key, 'reject', { comment: ' ' }), 400, 'invalid', 'comment');
    const two = await ok(client(srv.url, tokens.manager2), ch.key, 'approve');
    assert.equal(two.status, 'approved');
    assert.deepEqual(two.approvals.map((a) => [a.approver, a.decision]), [['manager1', 'approved'], ['manager2', 'approved']]);
    assert.equal(two.approvals[0].comment, 'fine by me');
    await ok(agent, ch.key, 'cancel');
  });

  it('rule all: one rejection rejects', async () => {
    const ch = expectStatus(await create(agent, { type: 'normal', title: 'all-no', items: ['vm-b2-2'], approvers: ['manager1', 'manager2'] }), 201);
    await ok(agent, ch.key, 'submit');
    assert.equal((await ok(manager, ch.key, 'reject', { comment: 'too risky' })).status, 'rejected');
    expectError(await move(agent, ch.key, 'cancel'), 409, 'invalid_transition');
  });

  it('rule any: one approval is enough', async () => {
    const ch = expectStatus(await create(agent, { type: 'normal', title: 'any', items: ['vm-b3-1'], rule: 'any', approvers: ['manager1', 'manager2', 'agent1'] }), 201);
    await ok(agent, ch.key, 'submit');
    assert.equal((await ok(agent, ch.key, 'approve')).status, 'approved');
  });

  it('rule quorum 2 of 3: approved at the second yes, rejected when 2 can no longer be met', async () => {
    const body = { type: 'normal', items: ['vm-b3-2'], rule: 'quorum', quorum: 2, approvers: ['manager1', 'manager2', 'agent1'] };
    const ch = expectStatus(await create(agent, { ...body, title: 'quorum yes' }), 201);
    await ok(agent, ch.key, 'submit');
    assert.equal((await ok(manager, ch.key, 'reject', { comment: 'no' })).status, 'assessment');
    assert.equal((await ok(agent, ch.key, 'approve')).status, 'assessment');
    assert.equal((await ok(client(srv.url, tokens.manager2), ch.key, 'approve')).status, 'approved');
    const no = expectStatus(await create(agent, { ...body, title: 'quorum no' }), 201);
    await ok(agent, no.key, 'submit');
    assert.equal((await ok(manager, no.key, 'reject', { comment: 'no' })).status, 'assessment');
    assert.equal((await ok(agent, no.key, 'reject', { comment: 'no' })).status, 'rejected');
  });

  it('a normal change cannot be submitted without approvers', async () => {
    const ch = expectStatus(await create(agent, { type: 'normal', title: 'lonely', items: ['vm-b1-2'] }), 201);
    expectError(await move(agent, ch.key, 'submit'), 400, 'invalid', 'approvers');
    assert.equal((await get(ch.key)).status, 'draft');
    await ok(agent, ch.key, 'cancel');
  });

  it('emergency: one manager approves at once; an agent may not', async () => {
    const ch = expectStatus(await create(agent, { type: 'emergency', title: 'Hotfix', items: ['vm-b1-2'] }), 201);
    await ok(agent, ch.key, 'submit');
    expectError(await move(agent, ch.key, 'approve'), 403, 'forbidden');
    const a = await ok(client(srv.url, tokens.manager2), ch.key, 'approve', { comment: 'now' });
    assert.equal(a.status, 'approved');
    await ok(agent, ch.key, 'cancel');
  });

  it('standard: pre-approved, no assessment', async () => {
    const ch = expectStatus(await create(agent, { type: 'standard', title: 'Disk swap', items: ['host-b3'] }), 201);
    const s = await ok(operator, ch.key, 'submit');
    assert.equal(s.status, 'approved');
    expectError(await move(manager, ch.key, 'approve'), 409, 'invalid_transition');
    await ok(agent, ch.key, 'cancel');
  });
});

describe('schedule, conflicts, outages, review', () => {
  let onSwitch;

  it('a full lifecycle makes planned outages for the window and closes on success', async () => {
    onSwitch = await approved(['sw-a'], W1, { services: ['mail'] });
    expectError(await move(agent, onSwitch.key, 'start'), 409, 'invalid_transition', 'status');
    const s = await ok(agent, onSwitch.key, 'schedule');
    assert.equal(s.status, 'scheduled');
    assert.equal(s.outages.length, 1);
    const o = expectStatus(await agent.get(`/api/v1/outages/${s.outages[0]}`), 200);
    assert.equal(o.service, 'mail');
    assert.equal(o.planned, true);
    assert.equal(o.start, W1.planned_start);
    assert.equal(o.end, W1.planned_end);
  });

  it('a change on a VM behind the switch conflicts, with the reason and the path', async () => {
    const vm = await approved(['vm-a1-2'], W1b, { services: ['web'] });
    const before = await get(vm.key);
    const outagesBefore = expectStatus(await agent.get('/api/v1/outages?service=web&limit=500'), 200).items;
    const r = await move(agent, vm.key, 'schedule');
    const err = expectError(r, 409, 'conflict');
    assert.equal(err.conflicts.length, 1);
    const c = err.conflicts[0];
    assert.equal(c.kind, 'change');
    assert.equal(c.change, onSwitch.key);
    assert.equal(c.item, 'sw-a');
    assert.equal(c.via, 'vm-a1-2');
    assert.deepEqual(c.path.map((p) => p.ci), ['vm-a1-2', 'host-a1', 'sw-a']);
    assert.match(c.reason, /sw-a/);
    assert.match(err.message, new RegExp(onSwitch.key));
    assert.deepEqual(await get(vm.key), before); // nothing stored: no move, no outage
    assert.deepEqual(expectStatus(await agent.get('/api/v1/outages?service=web&limit=500'), 200).items, outagesBefore);
    // an agent may not override; a manager may, with a reason
    expectError(await move(agent, vm.key, 'schedule', { override: 'urgent' }), 403, 'forbidden', 'override');
    expectError(await move(manager, vm.key, 'schedule', { override: '' }), 400, 'invalid', 'override');
    const s = await ok(manager, vm.key, 'schedule', { override: 'coordinated with the network team' });
    assert.equal(s.status, 'scheduled');
    assert.equal(s.override.by, 'manager1');
    assert.equal(s.override.reason, 'coordinated with the network team');
    assert.equal(s.override.conflicts[0].change, onSwitch.key);
    const audit = await listAll(admin, '/api/v1/audit?limit=500');
    const rec = audit.find((a) => a.entity === `change:${vm.key}` && a.action === 'change.schedule');
    assert.ok(rec, 'the override is in the audit chain');
    assert.match(JSON.stringify(rec), /coordinated with the network team/);
    const v = expectStatus(await admin.get('/api/v1/audit/verify'), 200);
    assert.equal(v.ok, true);
    await ok(agent, vm.key, 'cancel');
  });

  it('the same item conflicts; an unrelated rack in the same window does not', async () => {
    const same = await approved(['sw-a'], W1b);
    const e = expectError(await move(agent, same.key, 'schedule'), 409, 'conflict');
    assert.match(e.conflicts[0].reason, /changes sw-a too/);
    await ok(agent, same.key, 'cancel');
    const other = await approved(['sw-b'], W1b);
    assert.equal((await ok(agent, other.key, 'schedule')).status, 'scheduled');
    const vmb = await approved(['vm-b1-1'], W2);
    assert.equal((await ok(agent, vmb.key, 'schedule')).status, 'scheduled'); // another window
    await ok(agent, other.key, 'cancel');
    await ok(agent, vmb.key, 'cancel');
  });

  it('the other way round: a switch behind a scheduled VM change conflicts too', async () => {
    const W4 = { planned_start: '2027-06-01T10:00:00Z', planned_end: '2027-06-01T12:00:00Z' };
    const vm = await approved(['vm-b2-2'], W4);
    await ok(agent, vm.key, 'schedule');
    const sw = await approved(['sw-b'], { planned_start: '2027-06-01T11:59:00Z', planned_end: '2027-06-01T13:00:00Z' });
    const e = expectError(await move(agent, sw.key, 'schedule'), 409, 'conflict');
    assert.equal(e.conflicts.length, 1);
    assert.equal(e.conflicts[0].change, vm.key);
    assert.equal(e.conflicts[0].item, 'vm-b2-2');
    assert.deepEqual(e.conflicts[0].path.map((p) => p.ci), ['sw-b', 'host-b2', 'vm-b2-2']);
    assert.match(e.conflicts[0].reason, /vm-b2-2, which depends on sw-b: vm-b2-2 runs_on host-b2 connected_to sw-b/);
    // windows that only touch do not meet: [10:00, 12:00) and [12:00, 13:00)
    const touching = await approved(['sw-b'], { planned_start: '2027-06-01T12:00:00Z', planned_end: '2027-06-01T13:00:00Z' });
    assert.equal((await ok(agent, touching.key, 'schedule')).status, 'scheduled');
    for (const k of [vm.key, sw.key, touching.key]) await ok(agent, k, 'cancel');
  });

  it('a schedule needs a planned window', async () => {
    const ch = await approved(['vm-b2-1'], {});
    expectError(await move(agent, ch.key, 'schedule'), 400, 'invalid', 'planned_start');
    await ok(agent, ch.key, 'cancel');
  });

  it('start, review, and failure: implementing → review → failed', async () => {
    const ch = await approved(['vm-b3-1'], W3, { services: ['web'] });
    await ok(agent, ch.key, 'schedule');
    expectError(await move(agent, ch.key, 'review', { outcome: 'success' }), 409, 'invalid_transition');
    assert.equal((await ok(agent, ch.key, 'start')).status, 'implementing');
    expectError(await move(agent, ch.key, 'cancel'), 409, 'invalid_transition');
    expectError(await move(agent, ch.key, 'review', { outcome: 'meh' }), 400, 'invalid', 'outcome');
    assert.equal((await ok(agent, ch.key, 'review')).status, 'review');
    expectError(await move(agent, ch.key, 'review'), 400, 'invalid', 'outcome');
    const f = await ok(agent, ch.key, 'review', { outcome: 'failure', notes: 'rolled back' });
    assert.equal(f.status, 'failed');
    assert.equal(f.review.outcome, 'failure');
    assert.equal(f.review.notes, 'rolled back');
    expectError(await move(agent, ch.key, 'start'), 409, 'invalid_transition');
  });

  it('implementing with an outcome closes in one step on success', async () => {
    const s = await ok(agent, onSwitch.key, 'start');
    assert.equal(s.status, 'implementing');
    const c = await ok(agent, onSwitch.key, 'review', { outcome: 'success' });
    assert.equal(c.status, 'closed');
    // a closed change keeps its outages: they happened
    expectStatus(await agent.get(`/api/v1/outages/${c.outages[0]}`), 200);
  });

  it('cancelling a scheduled change removes its planned outages', async () => {
    const ch = await approved(['vm-b2-2'], W2, { services: ['mail', 'web'] });
    const s = await ok(agent, ch.key, 'schedule');
    assert.equal(s.outages.length, 2);
    const c = await ok(agent, ch.key, 'cancel', { reason: 'postponed' });
    assert.equal(c.status, 'cancelled');
    assert.deepEqual(c.outages, []);
    for (const id of s.outages) expectError(await agent.get(`/api/v1/outages/${id}`), 404, 'not_found');
    const v = expectStatus(await admin.get('/api/v1/audit/verify'), 200);
    assert.equal(v.ok, true);
  });
});

describe('freeze windows', () => {
  it('managers add them; bad input and agents are refused', async () => {
    expectError(await agent.post('/api/v1/freezes', { start: W2.planned_start, end: W2.planned_end, reason: 'x' }), 403, 'forbidden');
    expectError(await manager.post('/api/v1/freezes', { start: W2.planned_end, end: W2.planned_start, reason: 'x' }), 400, 'invalid', 'end');
    expectError(await manager.post('/api/v1/freezes', { start: W2.planned_start, end: W2.planned_end }), 400, 'invalid', 'reason');
    expectError(await manager.post('/api/v1/freezes', { start: W2.planned_start, end: W2.planned_end, reason: 'x', service: 'fax' }), 400, 'invalid', 'service');
    assert.deepEqual(expectStatus(await agent.get('/api/v1/freezes'), 200).items, []);
  });

  it('a change inside a global freeze conflicts until the freeze is removed', async () => {
    const f = expectStatus(await manager.post('/api/v1/freezes', { start: '2027-02-01T00:00:00Z', end: '2027-02-02T00:00:00Z', reason: 'month end' }), 201);
    assert.equal(f.service, null);
    const ch = await approved(['vm-b1-2'], W2);
    const e = expectError(await move(agent, ch.key, 'schedule'), 409, 'conflict');
    assert.equal(e.conflicts[0].kind, 'freeze');
    assert.equal(e.conflicts[0].freeze, f.id);
    assert.match(e.conflicts[0].reason, /month end/);
    expectError(await agent.del(`/api/v1/freezes/${f.id}`), 403, 'forbidden');
    assert.equal((await manager.del(`/api/v1/freezes/${f.id}`)).status, 204);
    expectError(await manager.del(`/api/v1/freezes/${f.id}`), 404, 'not_found');
    assert.equal((await ok(agent, ch.key, 'schedule')).status, 'scheduled');
    await ok(agent, ch.key, 'cancel');
  });

  it('a service freeze holds changes on that service or on items reaching it', async () => {
    const f = expectStatus(await manager.post('/api/v1/freezes', { ...{ start: '2027-02-01T00:00:00Z', end: '2027-02-02T00:00:00Z' }, reason: 'mail migration', service: 'mail' }), 201);
    const named = await approved(['vm-b1-2'], W2, { services: ['mail'] });
    expectError(await move(agent, named.key, 'schedule'), 409, 'conflict');
    const reaching = await approved(['host-a1'], W2); // host-a1 → vm-a1-1 → mail-app → mail
    const e = expectError(await move(agent, reaching.key, 'schedule'), 409, 'conflict');
    assert.equal(e.conflicts[0].service, 'mail');
    const apart = await approved(['vm-b1-2'], W2, { services: ['web'] });
    assert.equal((await ok(agent, apart.key, 'schedule')).status, 'scheduled');
    for (const k of [named.key, reaching.key, apart.key]) await ok(agent, k, 'cancel');
    assert.equal((await manager.del(`/api/v1/freezes/${f.id}`)).status, 204);
  });
});

describe('the iCalendar feed', () => {
  it('one VEVENT per scheduled or implementing change, UTC times, stable UID', async () => {
    const a = await approved(['vm-b2-1'], W2);
    await ok(agent, a.key, 'schedule');
    const b = await approved(['vm-b3-2'], W3);
    await ok(agent, b.key, 'schedule');
    await ok(agent, b.key, 'start');
    const r = await agent.get('/api/v1/changes/calendar.ics');
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type'), /^text\/calendar/);
    const t = r.text;
    assert.match(t, /^BEGIN:VCALENDAR\r\n/);
    assert.match(t, /\r\nVERSION:2\.0\r\n/);
    assert.match(t, /END:VCALENDAR\r\n$/);
    const events = t.split('BEGIN:VEVENT').slice(1);
    const active = (await allChanges()).filter((c) => ['scheduled', 'implementing'].includes(c.status));
    assert.equal(events.length, active.length);
    const ev = events.find((e) => e.includes(`UID:${a.key}@itsm`));
    assert.ok(ev);
    assert.match(ev, /DTSTART:20270201T100000Z/);
    assert.match(ev, /DTEND:20270201T110000Z/);
    assert.match(ev, new RegExp(`SUMMARY:${a.key}: work on vm-b2-1`));
    assert.match(ev, /STATUS:CONFIRMED/);
    const again = await agent.get('/api/v1/changes/calendar.ics');
    assert.ok(again.text.includes(`UID:${a.key}@itsm`)); // stable
    expectError(await requester.get('/api/v1/changes/calendar.ics'), 403, 'forbidden');
    await ok(agent, a.key, 'cancel');
  });
});

describe('the CLI', () => {
  it('adds, submits, approves, schedules, lists and shows; freezes too', async () => {
    const db = store.db;
    const added = cliOk(db, ['--as', 'agent1', 'change', 'add', '--type', 'normal', '--title', 'CLI change',
      '--items', 'vm-b1-1', '--approvers', 'manager1', '--start', '2027-04-01T10:00:00Z', '--end', '2027-04-01T11:00:00Z']);
    const key = added.match(/CHG-\d+/)[0];
    assert.match(cliOk(db, ['--as', 'agent1', 'change', 'submit', key]), /assessment/);
    assert.match(cliOk(db, ['--as', 'manager1', 'change', 'approve', key, '--comment', 'ok']), /approved/);
    assert.match(cliOk(db, ['--as', 'agent1', 'change', 'schedule', key]), /scheduled/);
    assert.match(cliOk(db, ['--as', 'agent1', 'change', 'list', '--status', 'scheduled']), new RegExp(key));
    assert.match(cliOk(db, ['--as', 'agent1', 'change', 'show', key]), /CLI change/);
    const bad = cli(db, ['--as', 'agent1', 'change', 'start', key, '--version', '1']);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /^itsm: /);
    assert.match(cliOk(db, ['--as', 'agent1', 'change', 'cancel', key, '--reason', 'cli']), /cancelled/);
    const fz = cliOk(db, ['--as', 'manager1', 'freeze', 'add', '--start', '2027-05-01T00:00:00Z', '--end', '2027-05-02T00:00:00Z', '--reason', 'audit']);
    const id = fz.match(/\d+/)[0];
    assert.match(cliOk(db, ['--as', 'agent1', 'freeze', 'list']), /audit/);
    assert.equal(cli(db, ['--as', 'agent1', 'freeze', 'remove', id]).status, 1);
    cliOk(db, ['--as', 'manager1', 'freeze', 'remove', id]);
  });
});

describe('the audit chain holds changes and freezes', () => {
  it('a change or a freeze altered behind the chain is caught by audit verify', async () => {
    const ch = (await allChanges())[0];
    const audit = await listAll(admin, '/api/v1/audit?limit=500');
    const last = audit.filter((r) => r.entity === `change:${ch.key}`).at(-1);
    assert.ok(last);
    assert.equal(expectStatus(await admin.get('/api/v1/audit/verify'), 200).ok, true);
    sql(store.db, `UPDATE changes SET title = 'forged' WHERE key = '${ch.key}'`);
    const bad = expectStatus(await admin.get('/api/v1/audit/verify'), 200);
    assert.equal(bad.ok, false);
    assert.equal(bad.first_bad, last.seq);
    sql(store.db, `UPDATE changes SET title = '${ch.title.replace(/'/g, "''")}' WHERE key = '${ch.key}'`);
    assert.equal(expectStatus(await admin.get('/api/v1/audit/verify'), 200).ok, true);
    const f = expectStatus(await manager.post('/api/v1/freezes', { start: '2028-01-01T00:00:00Z', end: '2028-01-02T00:00:00Z', reason: 'held' }), 201);
    sql(store.db, `UPDATE change_freezes SET ends_at = ends_at + 86400 WHERE id = ${f.id}`);
    assert.equal(expectStatus(await admin.get('/api/v1/audit/verify'), 200).ok, false);
    sql(store.db, `UPDATE change_freezes SET ends_at = ends_at - 86400 WHERE id = ${f.id}`);
    assert.equal(expectStatus(await admin.get('/api/v1/audit/verify'), 200).ok, true);
  });
});
