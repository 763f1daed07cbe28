// events.test.mjs — monitoring intake through the HTTP API: itsm's own
// events, real-shaped Alertmanager (v4) and PagerDuty Events v2 payloads;
// correlation (one incident per dedup key, count and last seen, recovery
// resolves the incident and ends the outages), out-of-order events,
// flapping, malformed payloads (400, nothing stored), scoped tokens, and
// the /metrics lines.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  makeStore, seed, startServer, client, cli, cliOk, expectError, expectStatus, stopClean, listAll, sql,
} from './lib.mjs';

let store, srv, tokens, admin, agent, manager, intake, alice;

const T0 = Date.parse('2026-03-01T10:00:00Z');
const at = (s) => new Date(T0 + s * 1000).toISOString().replace('.000Z', 'Z');

before(async () => {
  store = makeStore();
  tokens = seed(store.db);
  tokens.intake = cliOk(store.db, ['token', 'create', 'monitoring', '--user', 'operator1', '--scope', 'events']);
  srv = await startServer(store.db);
  admin = client(srv.url, tokens.admin);
  agent = client(srv.url, tokens.agent1);
  manager = client(srv.url, tokens.manager1);
  intake = client(srv.url, tokens.intake);
  alice = client(srv.url, tokens.alice);
  // a catalogue service, the item that stands for it, and what it runs on
  expectStatus(await manager.post('/api/v1/services', { key: 'mail', name: 'Mail', owner_group: 'ops' }), 201);
  for (const [key, type, extra] of [['mail-svc', 'service', { service: 'mail' }], ['mx1', 'server', {}],
    ['smtpd', 'application', {}], ['prom-node', 'server', {}], ['lonely', 'server', {}]]) {
    expectStatus(await agent.post('/api/v1/cis', { key, name: key, type, ...extra }), 201);
  }
  expectStatus(await agent.post('/api/v1/relationships', { source: 'smtpd', type: 'runs_on', target: 'mx1' }), 201);
  expectStatus(await agent.post('/api/v1/relationships', { source: 'mail-svc', type: 'depends_on', target: 'smtpd' }), 201);
});

after(async () => {
  if (srv) await stopClean(srv);
  store?.cleanup();
});

async function alertByKey(key) {
  const all = await listAll(agent, '/api/v1/alerts?limit=500');
  const a = all.find((x) => x.dedup_key === key);
  return a ? expectStatus(await agent.get(`/api/v1/alerts/${a.id}`), 200) : null;
}
const incidents = async () => (await listAll(agent, '/api/v1/tickets?kind=incident&limit=500'));
const outages = async (service) => expectStatus(await agent.get(`/api/v1/outages?service=${service}`), 200).items;

describe('own events', () => {
  it('a critical event opens one incident on the item, links the service and starts its outage', async () => {
    const r = expectStatus(await intake.post('/api/v1/events', {
      source: 'nagios', resource: 'mx1', check: 'smtp', severity: 'critical',
      summary: 'SMTP CRITICAL - connection refused', at: at(0),
    }), 202);
    assert.deepEqual(r, { status: 'stored', dedup_key: 'nagios::mx1::smtp', outcome: 'opened' });
    const a = await alertByKey('nagios::mx1::smtp');
    assert.equal(a.state, 'open');
    assert.equal(a.ci, 'mx1');
    assert.equal(a.count, 1);
    assert.match(a.incident, /^INC-\d+$/);
    const t = expectStatus(await agent.get(`/api/v1/tickets/${a.incident}`), 200);
    assert.equal(t.channel, 'monitoring');
    assert.equal(t.status, 'new');
    assert.equal(t.service, 'mail');
    assert.equal(t.impact, 2); // one service impacted
    assert.equal(t.urgency, 1); // critical
    assert.equal(t.priority, 2);
    assert.match(t.title, /^mx1: SMTP CRITICAL/);
    const o = await outages('mail');
    assert.equal(o.length, 1);
    assert.equal(o[0].end, null);
    assert.equal(o[0].planned, false);
    assert.equal(o[0].incident, a.incident);
    assert.equal(o[0].start, at(0));
    const linked = expectStatus(await agent.get('/api/v1/cis/mx1/tickets'), 200);
    assert.deepEqual(linked.items.map((x) => [x.ticket, x.role]), [[a.incident, 'affected']]);
    const svc = expectStatus(await agent.get('/api/v1/cis/mail-svc/tickets'), 200);
    assert.deepEqual(svc.items.map((x) => [x.ticket, x.role]), [[a.incident, 'impacted']]);
  });

  it('the same dedup key updates the alert instead of opening anything', async () => {
    const before = (await incidents()).length;
    for (let i = 1; i <= 3; i++) {
      const r = expectStatus(await intake.post('/api/v1/events', {
        source: 'nagios', resource: 'mx1', check: 'smtp', severity: 'critical',
        summary: `SMTP CRITICAL - try ${i}`, at: at(i * 10),
      }), 202);
      assert.equal(r.outcome, 'deduplicated');
    }
    assert.equal((await incidents()).length, before);
    const a = await alertByKey('nagios::mx1::smtp');
    assert.equal(a.count, 4);
    assert.equal(a.summary, 'SMTP CRITICAL - try 3');
    assert.equal((await outages('mail')).length, 1);
  });

  it('an event older than the last seen reopens nothing', async () => {
    const r = expectStatus(await intake.post('/api/v1/events', {
      source: 'nagios', resource: 'mx1', check: 'smtp', severity: 'ok', summary: 'late OK', at: at(5),
    }), 202);
    assert.equal(r.outcome, 'out_of_order');
    const a = await alertByKey('nagios::mx1::smtp');
    assert.equal(a.state, 'open');
    assert.equal(a.summary, 'SMTP CRITICAL - try 3');
  });

  it('the matching ok ends the outage and resolves the incident with a note', async () => {
    const r = expectStatus(await intake.post('/api/v1/events', {
      source: 'nagios', resource: 'mx1', check: 'smtp', severity: 'ok', summary: 'SMTP OK', at: at(100),
    }), 202);
    assert.equal(r.outcome, 'resolved');
    const a = await alertByKey('nagios::mx1::smtp');
    assert.equal(a.state, 'closed');
    const t = expectStatus(await agent.get(`/api/v1/tickets/${a.incident}`), 200);
    assert.equal(t.status, 'resolved');
    const c = expectStatus(await agent.get(`/api/v1/tickets/${a.incident}/comments`), 200);
    assert.ok(c.items.some((x) => /recovered/.test(x.body) && x.public === false));
    const o = await outages('mail');
    assert.equal(o.length, 1);
    assert.equal(o[0].end, at(100));
    // a stale critical from before the recovery changes nothing
    const late = expectStatus(await intake.post('/api/v1/events', {
      source: 'nagios', resource: 'mx1', check: 'smtp', severity: 'critical', summary: 'late', at: at(50),
    }), 202);
    assert.equal(late.outcome, 'out_of_order');
    assert.equal((await alertByKey('nagios::mx1::smtp')).state, 'closed');
  });

  it('the problem coming back soon reopens the same incident', async () => {
    const a0 = await alertByKey('nagios::mx1::smtp');
    const r = expectStatus(await intake.post('/api/v1/events', {
      source: 'nagios', resource: 'mx1', check: 'smtp', severity: 'critical', summary: 'again', at: at(200),
    }), 202);
    assert.equal(r.outcome, 'reopened');
    const a = await alertByKey('nagios::mx1::smtp');
    assert.equal(a.incident, a0.incident);
    const t = expectStatus(await agent.get(`/api/v1/tickets/${a.incident}`), 200);
    assert.equal(t.status, 'in_progress');
    assert.equal((await outages('mail')).filter((o) => o.end === null).length, 1);
    expectStatus(await intake.post('/api/v1/events', {
      source: 'nagios', resource: 'mx1', check: 'smtp', severity: 'ok', summary: 'ok', at: at(210),
    }), 202);
    assert.equal((await outages('mail')).filter((o) => o.end === null).length, 0);
  });

  it('flapping is held as one incident that stays open', async () => {
    const key = { source: 'nagios', resource: 'lonely', check: 'ping' };
    const before = (await incidents()).length;
    for (let i = 0; i < 5; i++) {
      expectStatus(await intake.post('/api/v1/events', { ...key, severity: 'critical', summary: 'down', at: at(1000 + i * 20) }), 202);
      expectStatus(await intake.post('/api/v1/events', { ...key, severity: 'ok', summary: 'up', at: at(1010 + i * 20) }), 202);
    }
    assert.equal((await incidents()).length, before + 1);
    const a = await alertByKey('nagios::lonely::ping');
    assert.equal(a.flapping, true);
    const t = expectStatus(await agent.get(`/api/v1/tickets/${a.incident}`), 200);
    assert.notEqual(t.status, 'resolved');
    const c = expectStatus(await agent.get(`/api/v1/tickets/${a.incident}/comments`), 200);
    assert.ok(c.items.some((x) => /flapping/.test(x.body)));
  });

  it('warnings make an alert but no incident; info and unknown items too', async () => {
    const before = (await incidents()).length;
    const r = expectStatus(await intake.post('/api/v1/events', {
      source: 'zabbix', resource: 'no-such-host', check: 'disk', severity: 'warning', summary: 'disk 85%',
    }), 202);
    assert.equal(r.outcome, 'opened');
    const a = await alertByKey('zabbix::no-such-host::disk');
    assert.equal(a.ci, null);
    assert.equal(a.incident, null);
    assert.equal((await incidents()).length, before);
  });

  it('takes a batch in one request, all or nothing', async () => {
    const good = { source: 's', resource: 'prom-node', check: 'c1', severity: 'info' };
    const r = expectStatus(await intake.post('/api/v1/events', { events: [good, { ...good, check: 'c2' }] }), 202);
    assert.equal(r.items.length, 2);
    const bad = await intake.post('/api/v1/events', { events: [{ ...good, check: 'c3' }, { ...good, check: 'c4', severity: 'huge' }] });
    const e = expectError(bad, 400, 'invalid');
    assert.match(e.field, /^events\[1\]/);
    assert.equal(await alertByKey('s::prom-node::c3'), null);
  });

  it('rejects malformed events with 400 and stores nothing', async () => {
    const n = (await listAll(agent, '/api/v1/alerts?limit=500')).length;
    expectError(await intake.post('/api/v1/events', { source: 'x', resource: 'y', check: 'z' }), 400, 'invalid', 'severity');
    expectError(await intake.post('/api/v1/events', { source: 'x', resource: 'y', check: 'z', severity: 'bad' }), 400, 'invalid');
    expectError(await intake.post('/api/v1/events', '{"source":', { 'content-type': 'application/json' }), 400, 'invalid');
    assert.equal((await listAll(agent, '/api/v1/alerts?limit=500')).length, n);
  });

  it('intake tokens reach only intake; requesters do not read alerts', async () => {
    expectError(await intake.get('/api/v1/alerts'), 403, 'forbidden');
    expectError(await intake.get('/api/v1/tickets'), 403, 'forbidden');
    expectError(await alice.get('/api/v1/alerts'), 403, 'forbidden');
    expectError(await client(srv.url, 'nope').post('/api/v1/events', {}), 401, 'unauthenticated');
    const before = (await listAll(agent, '/api/v1/alerts?limit=500')).length;
    expectError(await alice.post('/api/v1/events', {
      source: 'portal', resource: 'db-01', check: 'ping', severity: 'critical', summary: 'down',
    }), 403, 'forbidden');
    assert.equal((await listAll(agent, '/api/v1/alerts?limit=500')).length, before, 'nothing stored');
  });
});

function amPayload(status, alerts) {
  return {
    version: '4', groupKey: '{}/{severity="critical"}:{alertname="NodeDown"}', truncatedAlerts: 0,
    status, receiver: 'itsm', groupLabels: { alertname: 'NodeDown' },
    commonLabels: { alertname: 'NodeDown', severity: 'critical' }, commonAnnotations: {},
    externalURL: 'http://alertmanager:9093', alerts,
  };
}
function amAlert(instance, status, startsAt, endsAt, fp) {
  return {
    status, labels: { alertname: 'NodeDown', instance: `${instance}:9100`, job: 'node', severity: 'critical' },
    annotations: { summary: `${instance} is down` }, startsAt,
    endsAt: endsAt || '0001-01-01T00:00:00Z', generatorURL: 'http://prometheus:9090/graph?g0.expr=up+%3D%3D+0',
    fingerprint: fp,
  };
}

describe('Alertmanager webhook', () => {
  it('firing alerts open incidents on the instance without its port', async () => {
    const r = await intake.post('/api/v1/integrations/alertmanager', amPayload('firing', [
      amAlert('prom-node', 'firing', at(3000), null, 'a1b2c3d4e5f60001'),
      amAlert('mx1', 'firing', at(3000), null, 'a1b2c3d4e5f60002'),
    ]));
    assert.equal(r.status, 200);
    assert.deepEqual(r.json, { status: 'success', stored: 2 });
    const a = await alertByKey('a1b2c3d4e5f60001');
    assert.equal(a.ci, 'prom-node');
    assert.equal(a.source, 'alertmanager');
    assert.match(a.incident, /^INC-/);
    assert.equal(a.summary, 'prom-node is down');
    const m = await alertByKey('a1b2c3d4e5f60002');
    assert.equal((await outages('mail')).filter((o) => o.end === null && o.incident === m.incident).length, 1);
  });

  it('a repeated notification is a duplicate', async () => {
    const before = (await incidents()).length;
    const r = await intake.post('/api/v1/integrations/alertmanager', amPayload('firing', [
      amAlert('prom-node', 'firing', at(3000), null, 'a1b2c3d4e5f60001'),
    ]));
    assert.equal(r.status, 200);
    assert.equal((await incidents()).length, before);
    assert.equal((await alertByKey('a1b2c3d4e5f60001')).count, 2);
  });

  it('resolved closes; a firing notification arriving after it reopens nothing', async () => {
    const r = await intake.post('/api/v1/integrations/alertmanager', amPayload('resolved', [
      amAlert('prom-node', 'resolved', at(3000), at(3300), 'a1b2c3d4e5f60001'),
      amAlert('mx1', 'resolved', at(3000), at(3300), 'a1b2c3d4e5f60002'),
    ]));
    assert.equal(r.status, 200);
    const a = await alertByKey('a1b2c3d4e5f60001');
    assert.equal(a.state, 'closed');
    assert.equal(expectStatus(await agent.get(`/api/v1/tickets/${a.incident}`), 200).status, 'resolved');
    assert.equal((await outages('mail')).filter((o) => o.end === null).length, 0);
    const late = await intake.post('/api/v1/integrations/alertmanager', amPayload('firing', [
      amAlert('prom-node', 'firing', at(3000), null, 'a1b2c3d4e5f60001'),
    ]));
    assert.equal(late.status, 200);
    const b = await alertByKey('a1b2c3d4e5f60001');
    assert.equal(b.state, 'closed');
    assert.equal(b.events[0].outcome, 'out_of_order');
  });

  it('a malformed payload is 400 and nothing of it is stored', async () => {
    const n = (await listAll(agent, '/api/v1/alerts?limit=500')).length;
    const good = amAlert('prom-node', 'firing', at(4000), null, 'ffff000000000001');
    const bad = { ...amAlert('prom-node', 'firing', at(4000), null, 'ffff000000000002'), status: 'exploded' };
    expectError(await intake.post('/api/v1/integrations/alertmanager', amPayload('firing', [good, bad])), 400, 'invalid');
    expectError(await intake.post('/api/v1/integrations/alertmanager', { ...amPayload('firing', [good]), version: '3' }), 400, 'invalid', 'version');
    expectError(await intake.post('/api/v1/integrations/alertmanager', { version: '4' }), 400, 'invalid', 'alerts');
    assert.equal((await listAll(agent, '/api/v1/alerts?limit=500')).length, n);
  });
});

describe('PagerDuty Events API v2', () => {
  const trigger = {
    routing_key: 'R0UT1NGKEY0000000000000000000001', event_action: 'trigger', dedup_key: 'srv-disk-full',
    payload: { summary: 'Disk full on mx1', source: 'mx1', severity: 'critical', component: 'disk',
      group: 'prod', class: 'disk', custom_details: { free: '0%' } },
  };

  it('trigger answers 202 success with the dedup key and opens an incident', async () => {
    const r = await intake.post('/api/v1/integrations/events-v2', trigger);
    assert.equal(r.status, 202);
    assert.equal(r.json.status, 'success');
    assert.equal(r.json.dedup_key, 'srv-disk-full');
    const a = await alertByKey('srv-disk-full');
    assert.equal(a.ci, 'mx1');
    assert.match(a.incident, /^INC-/);
  });

  it('a duplicate trigger is counted, acknowledge recorded, resolve closes', async () => {
    assert.equal((await intake.post('/api/v1/integrations/events-v2', trigger)).status, 202);
    assert.equal((await intake.post('/api/v1/integrations/events-v2', { ...trigger, event_action: 'acknowledge', payload: undefined })).status, 202);
    const r = await intake.post('/api/v1/integrations/events-v2', { routing_key: trigger.routing_key, event_action: 'resolve', dedup_key: 'srv-disk-full' });
    assert.equal(r.status, 202);
    const a = await alertByKey('srv-disk-full');
    assert.equal(a.count, 4);
    assert.equal(a.state, 'closed');
    assert.deepEqual(a.events.map((e) => e.outcome), ['resolved', 'recorded', 'deduplicated', 'opened']);
  });

  it('malformed is 400 with nothing stored', async () => {
    expectError(await intake.post('/api/v1/integrations/events-v2', { ...trigger, event_action: 'explode', dedup_key: 'x1' }), 400, 'invalid');
    expectError(await intake.post('/api/v1/integrations/events-v2', { ...trigger, payload: { source: 'a' }, dedup_key: 'x2' }), 400, 'invalid');
    assert.equal(await alertByKey('x1'), null);
    assert.equal(await alertByKey('x2'), null);
  });
});

describe('impact reaches customers through SLAs', () => {
  it('lists the customers whose SLA covers an impacted service, with the path', async () => {
    const targets = Object.fromEntries([1, 2, 3, 4, 5].map((p) => [String(p),
      { response_minutes: 60 * p, resolution_minutes: 240 * p }]));
    expectStatus(await manager.post('/api/v1/slas', {
      name: 'acme-mail', customer: 'acme', service: 'mail', calendar: '24x7', targets,
      warn_at: 0.75, availability_target: 99.9, escalations: [],
    }), 201);
    const r = expectStatus(await agent.get('/api/v1/cis/mx1/impact'), 200);
    assert.deepEqual(r.services.map((x) => x.service), ['mail']);
    assert.equal(r.services[0].explain, 'mail-svc depends_on smtpd runs_on mx1');
    assert.deepEqual(r.customers, [{ customer: 'acme', service: 'mail', sla: 'acme-mail' }]);
    const none = expectStatus(await agent.get('/api/v1/cis/lonely/impact'), 200);
    assert.deepEqual(none.customers, []);
  });
});

describe('metrics and audit', () => {
  it('/metrics counts events by source and outcome, incidents by priority', async () => {
    const m = await client(srv.url).get('/metrics');
    assert.match(m.text, /itsm_events_received_total\{source="events",outcome="deduplicated"\} 3/);
    assert.match(m.text, /itsm_events_received_total\{source="alertmanager",outcome="rejected"\} 3/);
    assert.match(m.text, /itsm_events_received_total\{source="events-v2",outcome="opened"\} 1/);
    assert.match(m.text, /itsm_incidents_open\{priority="2"\} \d+/);
    assert.match(m.text, /itsm_check_duration_seconds_bucket\{le="\+Inf"\}/);
  });

  it('itsm event send takes the same path as the API, with the same refusals', () => {
    const args = ['event', 'send', '--source', 'cli', '--resource', 'mx1', '--check', 'queue', '--severity', 'warning', '--summary', 'queue growing'];
    assert.equal(cliOk(store.db, args), 'opened cli::mx1::queue');
    assert.equal(cliOk(store.db, args), 'deduplicated cli::mx1::queue');
    const bad = cli(store.db, [...args.slice(0, -4), '--severity', 'bogus']);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /unknown severity 'bogus'/);
    const requester = cli(store.db, ['--as', 'alice', ...args]);
    assert.equal(requester.status, 1);
    assert.match(requester.stderr, /requesters cannot send monitoring events/);
  });

  it('prunes the event log by age, refusing nonsense', () => {
    // every event of this run arrived just now: nothing is old enough
    assert.match(cliOk(store.db, ['event', 'prune', '--days', '1']), /^pruned 0 events and 0 metric points before \d{4}-/);
    assert.notEqual(cli(store.db, ['event', 'prune', '--days', '0']).status, 0);
  });

  it('prunes what is older than the cut, and only that', async () => {
    const total = Number(sql(store.db, 'SELECT count(*) FROM events'));
    const old = Math.min(3, total);
    assert.ok(old > 0, 'this run stored events');
    sql(store.db, `UPDATE events SET received_at = received_at - 10*86400 WHERE id IN (SELECT id FROM events ORDER BY id LIMIT ${old})`);
    assert.match(cliOk(store.db, ['event', 'prune', '--days', '1']), new RegExp(`^pruned ${old} events? `));
    assert.equal(Number(sql(store.db, 'SELECT count(*) FROM events')), total - old);
  });

  it('the audit chain verifies with monitoring incidents, notes and outages in it', async () => {
    const v = expectStatus(await admin.get('/api/v1/audit/verify'), 200);
    assert.equal(v.ok, true, v.reason);
  });
});
