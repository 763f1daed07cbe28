// authz.test.mjs — the authorization matrix: every route of src/api/routes.c
// × every kind of caller (requester, agent, operator, manager, admin, an
// events-scoped token of an admin and one of a requester, no credentials, the
// admin's console session cookie without its CSRF token) × the caller's own
// record, another's and (for callers it must be hidden from) one that does
// not exist, each answering as the product means — allowed (2xx), forbidden
// (403), not found (404: another customer's or another person's record
// looks absent, exactly as an absent one does) or unauthenticated (401).
// Lists a requester (or an agent, of staff records) may read are checked to
// show nothing of another customer (or person).
//
// The expectations are written here from the product's rules (API.md,
// PRODUCT.md, docs/*.md, the role checks in src/domain), not read from the
// route table, so a route whose role in routes.c or whose check in the domain
// drifts shows up as a failing cell. A route added to routes.c without a row
// here fails the coverage test. One server, seeded once; a write that uses
// up state (a rating, an outage ended, a relationship deleted) gets fresh
// records for its cell, so the order of the cells does not matter.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  makeStore, seed, startServer, client, cliOk, expectError, stopClean, ticketBody, ENGINE,
} from './lib.mjs';

const PASSWORD = 'correct-horse-battery'; // seed()'s password for every user
const ROUTES_C = fileURLToPath(new URL('../../src/api/routes.c', import.meta.url));

// ---- outcome classes --------------------------------------------------

const OK = 'ok';
const FORBIDDEN = 403;
const NOT_FOUND = 404;
const UNAUTH = 401;
const ERROR_CODE = { [FORBIDDEN]: 'forbidden', [NOT_FOUND]: 'not_found', [UNAUTH]: 'unauthenticated' };

// ---- the callers ------------------------------------------------------

// The five roles of PRODUCT.md, each a user with a bearer token; their
// expectations are written per row. The last four are derived (expected()).
const USER_ROLES = ['requester', 'agent', 'operator', 'manager', 'admin'];
const ROLES = [...USER_ROLES, 'events', 'requester-events', 'anonymous', 'cookie'];

// Who the rows' expectations are for: [own record, another's] where they differ.
const EVERYONE = { requester: OK, agent: OK, operator: OK, manager: OK, admin: OK };
const STAFF = { requester: FORBIDDEN, agent: OK, operator: OK, manager: OK, admin: OK };
const MANAGERS = { requester: FORBIDDEN, agent: FORBIDDEN, operator: FORBIDDEN, manager: OK, admin: OK };
const ADMINS = { requester: FORBIDDEN, agent: FORBIDDEN, operator: FORBIDDEN, manager: FORBIDDEN, admin: OK };
// Checks: staff read them; operators, managers and admins configure them (docs/events.md).
const CHECK_WRITERS = { ...MANAGERS, operator: OK };
// Monitoring intake: integrations and staff; requesters cannot send events.
const INTAKE = STAFF;
// A customer's record (ticket, its comments, history, items, rating; an SLA;
// the service level report): a requester of another customer finds nothing.
const CUSTOMER_RECORD = { ...EVERYONE, requester: [OK, NOT_FOUND] };
// A list filtered by customer: another customer's filter is an empty list.
const CUSTOMER_LIST = EVERYONE;
// The satisfaction survey is the customer's voice (docs/web.md): staff 403.
const RATERS = { requester: [OK, NOT_FOUND], agent: FORBIDDEN, operator: FORBIDDEN,
  manager: FORBIDDEN, admin: FORBIDDEN };
// A user by name: a requester sees only themself (API.md: not disclosed).
const USER_RECORD = { ...EVERYONE, requester: [OK, NOT_FOUND] };
// A token for oneself, or (admins only) for someone else.
const TOKEN_FOR = { requester: [OK, FORBIDDEN], agent: [OK, FORBIDDEN], operator: [OK, FORBIDDEN],
  manager: [OK, FORBIDDEN], admin: OK };
// A user's account (docs/platform.md, "Accounts"): one's own display name
// and password, anyone's by an admin; a requester is told nothing of another
// user (404), other staff are refused (403).
const ACCOUNT = { requester: [OK, NOT_FOUND], agent: [OK, FORBIDDEN], operator: [OK, FORBIDDEN],
  manager: [OK, FORBIDDEN], admin: OK };
// A token: its owner or an admin revokes it; anyone else is refused (403).
const TOKEN_OWNER = { requester: [OK, FORBIDDEN], agent: [OK, FORBIDDEN], operator: [OK, FORBIDDEN],
  manager: [OK, FORBIDDEN], admin: OK };
// Staff records (docs/skills.md, "Who may do what"): agents and operators
// reach their own record only, another's is 404; requesters never (403).
const STAFF_RECORD = { requester: FORBIDDEN, agent: [OK, NOT_FOUND], operator: [OK, NOT_FOUND],
  manager: OK, admin: OK };
// Knowledge articles (docs/knowledge.md): agents, managers and admins write
// them, operators and requesters do not; everyone reads a published public
// article, a requester finds an internal one absent.
const KB_WRITERS = { requester: FORBIDDEN, agent: OK, operator: FORBIDDEN, manager: OK, admin: OK };
const ARTICLE = { ...EVERYONE, requester: [OK, NOT_FOUND] };
// Verifying a career: managers and admins, never on their own record.
// Notification settings: one's own; an admin's of anyone; others' look absent.
const NOTIFY_SETTINGS = { requester: [OK, NOT_FOUND], agent: [OK, NOT_FOUND], operator: [OK, NOT_FOUND],
  manager: [OK, NOT_FOUND], admin: OK };
const VERIFIERS = { ...MANAGERS, manager: [FORBIDDEN, OK], admin: [FORBIDDEN, OK] };

let store, srv, tokens, admin;
let actors;            // role -> { headers, user }
let fx;                // the fixtures seeded once
let serial = 0;        // unique names for records a cell creates
const fresh = (p) => `${p}${++serial}`;
const tally = { cells: 0, routes: 0, [OK]: 0, [FORBIDDEN]: 0, [NOT_FOUND]: 0, [UNAUTH]: 0 };
let t0;

// ---- requests ---------------------------------------------------------

// One request as a cell's caller. A live stream (text/event-stream) is
// answered once its headers arrive; its body never ends.
async function send(actor, method, path, body, type) {
  const headers = { ...actor.headers };
  let payload;
  if (body !== undefined && type) { // a body that is not JSON (a mail message)
    headers['content-type'] = type;
    payload = body;
  } else if (body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  const ac = new AbortController();
  const res = await fetch(srv.url + path, { method, headers, body: payload, signal: ac.signal });
  if ((res.headers.get('content-type') || '').startsWith('text/event-stream')) {
    ac.abort();
    return { status: res.status, json: null, text: '(event stream)' };
  }
  const text = await res.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
  return { status: res.status, json, text };
}

// An admin request made while preparing a cell: it must succeed.
async function must(res, what) {
  const r = await res;
  if (r.status < 200 || r.status > 299) throw new Error(`setup: ${what}: ${r.status} ${r.text}`);
  return r.json;
}
const adminPost = (path, body) => must(admin.post(path, body), `POST ${path}`);

// A change brought by the admin to status (an emergency change: the admin,
// a manager, approves it; no items, so its window in 2031 conflicts with
// nothing), and a move's cell on a fresh one.
async function changeIn(status) {
  let c = await adminPost('/api/v1/changes', { type: 'emergency', title: fresh('authz change '),
    planned_start: '2031-01-01T00:00:00Z', planned_end: '2031-01-01T01:00:00Z' });
  const path = ['draft', 'assessment', 'approved', 'scheduled', 'implementing'];
  const verb = { assessment: 'submit', approved: 'approve', scheduled: 'schedule', implementing: 'start' };
  for (const s of path.slice(1, path.indexOf(status) + 1)) {
    c = await adminPost(`/api/v1/changes/${c.key}/${verb[s]}`, { version: c.version });
  }
  return c;
}
async function moveCell(status, extra = {}) {
  const c = await changeIn(status);
  return { params: { key: c.key }, body: { version: c.version, ...extra } };
}
// A time entry on acme's ticket recorded by the admin (a manager) for user.
const timeEntryOf = (user) => adminPost(`/api/v1/tickets/${fx.ticket.acme}/time`, { minutes: 3, user });
// A risk the admin (a manager) owns, for a cell that reads or changes one.
const freshRule = () => adminPost('/api/v1/routing-rules', { name: fresh('rule-'), group: 'g', keyword: 'authz-never' });
const freshRisk = () => adminPost('/api/v1/risks', { title: fresh('authz risk '), owner: 'admin', likelihood: 3, impact: 3 });
// An acceptance checklist of the authz service, with every template.
const freshAcceptance = () => adminPost('/api/v1/acceptances', { title: fresh('authz acceptance '), service: 'authz-svc' });
// A guideline with a one-item checklist, published when asked.
async function freshGuideline(published = false) {
  const g = await adminPost('/api/v1/guidelines', { title: fresh('authz guideline '), text: 'Read me.', checklist: ['ok'] });
  return published ? adminPost(`/api/v1/guidelines/${g.key}/publish`, { version: g.version }) : g;
}
const adminPatch = (path, body) => must(admin.patch(path, body), `PATCH ${path}`);
const adminGet = (path) => must(admin.get(path), `GET ${path}`);

// ---- fixtures ---------------------------------------------------------

const OFFICE = {
  timezone: 'Europe/London',
  hours: { mon: [['09:00', '18:00']], tue: [['09:00', '18:00']], wed: [['09:00', '18:00']],
    thu: [['09:00', '18:00']], fri: [['09:00', '18:00']] },
  holidays: ['2026-12-25'],
};
const targets = Object.fromEntries([1, 2, 3, 4, 5].map((p) => [String(p),
  { response_minutes: 30 * p, resolution_minutes: 240 * p }]));
const career = {
  field: 'operations_management', role: 'member', from: '2020-01-01', to: '2021-12-31',
  complexity: ['adv_ops_req', 'structure'], title: 'Night shift, data centre',
};
const profile = { name: 'Aiko', as_of: '2026-01-01', exams: ['AP'], careers: [career],
  specialty: { operations_management: 'self' } };

// A ticket of this customer, created by the admin (optionally moved to resolved).
async function ticketOf(customer, { resolved = false } = {}) {
  const t = await adminPost('/api/v1/tickets', ticketBody({ customer, title: `authz ${customer}`,
    ...(resolved ? { assignee: 'agent1' } : {}) }));
  if (!resolved) return t;
  const p = await adminPatch(`/api/v1/tickets/${t.key}`, { version: t.version, status: 'in_progress' });
  return adminPatch(`/api/v1/tickets/${t.key}`, { version: p.version, status: 'resolved' });
}

// A fresh recurring-incident proposal: three incidents on a new item.
async function proposal() {
  const ci = await adminPost('/api/v1/cis', { key: fresh('rec-'), name: 'Recurring', type: 'server' });
  for (let i = 0; i < 3; i++) {
    await adminPost(`/api/v1/cis/${ci.key}/tickets`, { ticket: (await ticketOf('acme')).key });
  }
  const p = (await adminGet('/api/v1/problems/proposals')).items.find((x) => x.basis === `item:${ci.key}`);
  assert.ok(p, `a proposal on ${ci.key}`);
  return p.id;
}

async function signInCookie(username) {
  const res = await fetch(`${srv.url}/api/v1/session`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: PASSWORD }),
  });
  assert.equal(res.status, 201, `sign-in of ${username}`);
  return (res.headers.get('set-cookie') || '').split(';')[0];
}

before(async () => {
  t0 = Date.now();
  store = makeStore();
  tokens = seed(store.db);
  cliOk(store.db, ['user', 'add', 'agent2', '--role', 'agent', '--password-stdin'], { input: `${PASSWORD}\n` });
  const intakeAdmin = cliOk(store.db, ['token', 'create', 'intake', '--user', 'admin', '--scope', 'events']);
  const intakeAlice = cliOk(store.db, ['token', 'create', 'intake', '--user', 'alice', '--scope', 'events']);
  // A signing key, so an admin's checkpoint is allowed (201), not 409.
  cliOk(store.db, ['audit', 'keygen', join(store.dir, 'audit.key')]);
  // A backup directory, so an admin's backup is allowed (201), not 409.
  mkdirSync(join(store.dir, 'backups'));
  // A command template, so checks can be made (monitoring-plugins-basic).
  writeFileSync(join(store.dir, 'itsm.conf'), `[backup]\ndirectory = ${join(store.dir, 'backups')}\ninterval = 0\n`
    + `[audit]\nkey_file = ${join(store.dir, 'audit.key')}\n`
    + `checkpoint_file = ${join(store.dir, 'checkpoints.jsonl')}\n`
    + '[commands]\nauthz_dummy = check_dummy $ARG1$\n');
  srv = await startServer(store.db, ['--config', join(store.dir, 'itsm.conf')]);
  admin = client(srv.url, tokens.admin);
  const bearer = (t) => ({ authorization: `Bearer ${t}` });
  actors = {
    requester: { headers: bearer(tokens.alice), user: 'alice' },
    agent: { headers: bearer(tokens.agent1), user: 'agent1' },
    operator: { headers: bearer(tokens.operator1), user: 'operator1' },
    manager: { headers: bearer(tokens.manager1), user: 'manager1' },
    admin: { headers: bearer(tokens.admin), user: 'admin' },
    events: { headers: bearer(intakeAdmin), user: 'admin' },
    'requester-events': { headers: bearer(intakeAlice), user: 'alice' },
    anonymous: { headers: {}, user: 'alice' },
    cookie: { headers: { cookie: await signInCookie('admin') }, user: 'admin' },
  };

  fx = {};
  await adminPost('/api/v1/services', { key: 'authz-svc', name: 'Authz service' });
  await adminPost('/api/v1/calendars', { ...OFFICE, name: 'authz-office' });
  fx.sla = {
    acme: (await adminPost('/api/v1/slas', { name: 'authz-acme', customer: 'acme', service: 'authz-svc', targets })).name,
    globex: (await adminPost('/api/v1/slas', { name: 'authz-globex', customer: 'globex', service: 'authz-svc', targets })).name,
  };
  fx.ticket = { acme: (await ticketOf('acme')).key, globex: (await ticketOf('globex')).key };
  fx.problem = (await adminPost('/api/v1/problems', { title: 'Authz problem' })).key;
  // Knowledge: a published public article ("own" to everyone) and a
  // published internal one ("another's": absent to a requester).
  fx.article = {};
  for (const [whose, visibility] of [['own', 'public'], ['other', 'internal']]) {
    const a = await adminPost('/api/v1/knowledge', { title: `Authz article ${visibility}`, visibility });
    fx.article[whose] = (await adminPost(`/api/v1/knowledge/${a.key}/publish`, { version: a.version })).key;
  }
  // An internal note a requester must never see.
  await adminPost(`/api/v1/tickets/${fx.ticket.acme}/comments`, { body: 'internal: root password rotated', public: false });
  // Rated tickets: rated by a requester of their own customer.
  fx.rated = { acme: (await ticketOf('acme', { resolved: true })).key, globex: (await ticketOf('globex', { resolved: true })).key };
  await must(client(srv.url, tokens.alice).post(`/api/v1/tickets/${fx.rated.acme}/rating`, { score: 5 }), 'rate acme');
  await must(client(srv.url, tokens.dave).post(`/api/v1/tickets/${fx.rated.globex}/rating`, { score: 2 }), 'rate globex');
  // Items: a database the application runs on, linked to both customers' tickets.
  await adminPost('/api/v1/cis', { key: 'authz-db', name: 'Authz database', type: 'server' });
  await adminPost('/api/v1/cis', { key: 'authz-app', name: 'Authz application', type: 'application' });
  await adminPost('/api/v1/relationships', { source: 'authz-app', type: 'runs_on', target: 'authz-db' });
  for (const c of ['acme', 'globex']) await adminPost('/api/v1/cis/authz-db/tickets', { ticket: fx.ticket[c] });
  await adminPost('/api/v1/checks', { name: 'authz-check', ci: 'authz-db', command: 'authz_dummy', args: ['0'], enabled: false });
  fx.outage = (await adminPost('/api/v1/outages', { service: 'authz-svc', start: '2026-03-10T10:00:00Z', end: '2026-03-10T10:30:00Z' })).id;
  // An alert, from an event that opens no incident.
  await must(send(actors.events, 'POST', '/api/v1/events', { source: 'authz', resource: 'authz-db', check: 'setup',
    severity: 'warning', summary: 'setup' }), 'event');
  fx.alert = (await adminGet('/api/v1/alerts')).items[0].id;
  // A received message (a robot's: stored, ignored).
  fx.mail = (await must(send(actors.admin, 'POST', '/api/v1/mail/inbound', robotMail('authz-setup'),
    'message/rfc822'), 'mail')).id;
  // A public file on each customer's ticket, and an internal one on acme's
  // (docs/attachments.md): a requester sees only the public ones of theirs.
  fx.attachment = {};
  for (const c of ['acme', 'globex']) {
    fx.attachment[c] = (await must(send(actors.admin, 'POST',
      `/api/v1/tickets/${fx.ticket[c]}/attachments?filename=authz.txt&public=true`, 'authz file',
      'application/octet-stream'), 'attach')).id;
  }
  await must(send(actors.admin, 'POST', `/api/v1/tickets/${fx.ticket.acme}/attachments?filename=internal.txt`,
    'internal file', 'application/octet-stream'), 'attach internal');
  // A staff record for every staff user, linked to that user: "own" is the
  // caller's, "other" is agent2's (a person none of the callers is).
  for (const u of ['admin', 'agent1', 'operator1', 'manager1', 'agent2']) {
    await adminPost('/api/v1/staff', { key: u, name: `Staff ${u}`, user: u });
  }
});

after(async () => {
  if (srv) await stopClean(srv);
  store?.cleanup();
});

// ---- the cell's record ------------------------------------------------

// A cell names the caller's own record, another's, or one that does not
// exist. Whose is "own": a customer's record, the requester's customer
// (acme; staff have none, so acme stands for "own" there too and both must
// answer alike); a user, the caller; a staff record, the one linked to the
// caller. "Other" is globex's, dave's (globex's requester), agent2's.
const ABSENT = { customer: 'no-such-customer', ticket: 'INC-999999', sla: 'no-such-sla',
  user: 'no-such-user', staff: 'no-such-staff' };
const customerOf = (ctx) => ({ own: 'acme', other: 'globex', absent: ABSENT.customer })[ctx.whose];
const ticketIn = (ctx, set) => (ctx.whose === 'absent' ? ABSENT.ticket : set[customerOf(ctx)]);
const slaOf = (ctx) => (ctx.whose === 'absent' ? ABSENT.sla : fx.sla[customerOf(ctx)]);
const userOf = (ctx) => ({ own: ctx.actor.user, other: 'dave', absent: ABSENT.user })[ctx.whose];
const staffOf = (ctx) => ({ own: ctx.actor.user === 'alice' ? 'agent2' : ctx.actor.user, other: 'agent2',
  absent: ABSENT.staff })[ctx.whose];
// Who must not learn whether another's record exists: for them another's
// record answers exactly as one that does not exist (API.md: existence is
// not disclosed), so their cells try an absent record too.
const HIDDEN_FROM = { customer: ['requester'], user: ['requester'], staff: ['agent', 'operator'], token: [],
  article: ['requester'] };
const articleOf = (ctx) => (ctx.whose === 'absent' ? 'KB-999999' : fx.article[ctx.whose]);
// A fresh draft article, for the cells that change one.
const draftArticle = () => adminPost('/api/v1/knowledge', { title: fresh('authz draft ') });
// Another user whose account a cell may change (disable, reset): made for
// the cell, so the callers' own accounts and tokens stay as they are.
const victim = async (ctx) => (ctx.whose === 'absent' ? { username: ABSENT.user, version: 1 }
  : ctx.whose === 'own' ? adminGet(`/api/v1/users/${ctx.actor.user}`)
    : adminPost('/api/v1/users', { username: fresh('victim-'), role: 'agent' }));
const q = (o) => `?${new URLSearchParams(o)}`;
// An autoresponder's message: stored as ignored, whoever sent it.
const robotMail = (id) => `From: robot@acme.example\r\nSubject: Out of office\r\nMessage-ID: <${id}@acme.example>\r\n`
  + 'Auto-Submitted: auto-replied\r\n\r\nAway.\r\n';

// Operation by procedure (docs/operation.md): a published procedure whose
// first step needs a second operator, runs started by the admin, and that
// step recorded by agent2 (a person none of the callers is), so that any
// caller may confirm it.
const OP_STEPS = [{ instruction: 'Swap the tape', expected: 'loaded', confirm: true },
  { instruction: 'Sign', expected: 'signed' }];
const opProcedure = async (publish = true) => {
  const p = await adminPost('/api/v1/procedures', { title: fresh('Authz procedure '), steps: OP_STEPS });
  return publish ? adminPost(`/api/v1/procedures/${p.key}/publish`, {}) : p;
};
let opShared;
const opRun = async () => {
  opShared ??= await opProcedure();
  return adminPost('/api/v1/runs', { procedure: opShared.key });
};
let agent2;
const opRecorded = async () => {
  agent2 ??= client(srv.url, cliOk(store.db, ['token', 'create', 'authz', '--user', 'agent2']));
  const r = await opRun();
  await must(agent2.post(`/api/v1/runs/${r.key}/steps`, { step: 1, result: 'loaded' }), 'record step 1');
  return r;
};

// Condition reports (docs/operation.md): a fresh draft per cell, each of a
// day of its own; signed, for acknowledging, by a shift leader none of the
// callers is.
let condDays = 0;
const condDate = () => new Date(Date.UTC(2031, 0, 1) + (condDays++) * 86400000).toISOString().slice(0, 10);
const condDraft = () => adminPost('/api/v1/condition-reports', { date: condDate(), remarks: 'authz' });
let condLead;
const condSigned = async () => {
  if (!condLead) {
    cliOk(store.db, ['user', 'add', 'authz-lead', '--role', 'manager', '--password-stdin'], { input: `${PASSWORD}\n` });
    condLead = client(srv.url, cliOk(store.db, ['token', 'create', 'authz', '--user', 'authz-lead']));
  }
  const d = await condDraft();
  return must(condLead.post(`/api/v1/condition-reports/${d.key}/sign`, {}), 'sign a condition report');
};

// ---- the matrix -------------------------------------------------------

// One row per route. `who` gives the five roles' outcomes ([own, other]
// where they differ); `owned` says the route takes a record that belongs to
// someone (a customer, a user, a staff member), so each caller tries its own
// and another's, and those it is hidden from an absent one. `cell(ctx)` builds
// the request: { params, query, body, actor? } — a body valid for the
// caller, so that an allowed cell reaches 2xx and a refused one is refused
// for who asks, not for what. `look(res, ctx)` (lists) names what a caller
// saw that it must not.
const ROWS = [
  // platform
  { method: 'GET', path: '/healthz', public: true },
  { method: 'GET', path: '/metrics', public: true },
  { method: 'GET', path: '/api/v1/openapi.json', public: true },
  { method: 'GET', path: '/api/v1/me', who: EVERYONE },
  { method: 'GET', path: '/api/v1/customers', who: EVERYONE,
    look: (res, ctx) => ctx.role === 'requester' && res.json.items.some((c) => c.key !== 'acme') && 'another customer' },
  { method: 'POST', path: '/api/v1/customers', who: ADMINS, cell: () => ({ body: { key: fresh('cust-') } }) },
  // Customers change and retire like they are added: admins (docs/sla.md).
  { method: 'PATCH', path: '/api/v1/customers/:key', who: ADMINS,
    cell: async () => {
      const c = await adminPost('/api/v1/customers', { key: fresh('cust-') });
      return { params: { key: c.key }, body: { version: c.version, name: 'Renamed' } };
    } },
  { method: 'GET', path: '/api/v1/users', who: STAFF },
  { method: 'POST', path: '/api/v1/users', who: ADMINS,
    cell: () => ({ body: { username: fresh('user-'), role: 'agent' } }) },
  { method: 'GET', path: '/api/v1/users/:name', who: USER_RECORD, owned: 'user',
    cell: (ctx) => ({ params: { name: userOf(ctx) } }) },
  { method: 'POST', path: '/api/v1/tokens', who: TOKEN_FOR, owned: 'user',
    cell: (ctx) => ({ body: { name: 'authz', user: userOf(ctx) } }) },
  // Own: a new display name. Another's: disabling them.
  { method: 'PATCH', path: '/api/v1/users/:name', who: ACCOUNT, owned: 'user',
    cell: async (ctx) => {
      const u = await victim(ctx);
      const change = ctx.whose === 'own' ? { name: fresh('Name ') } : { active: false };
      return { params: { name: u.username }, body: { version: u.version, ...change } };
    } },
  // Own: a change with the current password; it ends one's other sessions,
  // so the admin's cell signs the cookie caller in again after it. Another's:
  // an admin's reset.
  { method: 'POST', path: '/api/v1/users/:name/password', who: ACCOUNT, owned: 'user',
    cell: async (ctx) => {
      const u = await victim(ctx);
      const body = ctx.whose === 'own' ? { current_password: PASSWORD, password: PASSWORD } : { password: PASSWORD };
      const resume = async () => { actors.cookie.headers.cookie = await signInCookie('admin'); };
      return { params: { name: u.username }, body,
        after: ctx.role === 'admin' && ctx.whose === 'own' ? resume : undefined };
    } },
  { method: 'GET', path: '/api/v1/tokens', who: EVERYONE,
    look: (res, ctx) => ctx.actor.user !== 'admin' && res.json.items.some((t) => t.user !== ctx.actor.user) &&
      'another user\'s token' },
  // Own: a token made for the caller; another's: one of agent2's.
  { method: 'DELETE', path: '/api/v1/tokens/:id', who: TOKEN_OWNER, owned: 'token',
    cell: async (ctx) => {
      const user = ctx.whose === 'own' ? ctx.actor.user : 'agent2';
      return { params: { id: (await adminPost('/api/v1/tokens', { name: fresh('revoke-'), user })).id } };
    } },
  { method: 'GET', path: '/api/v1/audit/verify', who: ADMINS },
  { method: 'GET', path: '/api/v1/audit', who: MANAGERS },
  { method: 'POST', path: '/api/v1/audit/checkpoints', who: ADMINS },
  // into the configured backup directory; the request names no path. A
  // PostgreSQL store has no file to copy: the allowed caller is told so (400).
  { method: 'POST', path: '/api/v1/admin/backup', who: ADMINS,
    ...(ENGINE === 'postgresql' && { allowed: 400 }) },

  // service desk
  { method: 'GET', path: '/api/v1/tickets', who: CUSTOMER_LIST, owned: 'customer',
    cell: (ctx) => ({ query: q({ customer: customerOf(ctx) }) }),
    look: (res, ctx) => ctx.role === 'requester' && res.json.items.some((t) => t.customer !== 'acme') &&
      'another customer\'s ticket' },
  { method: 'POST', path: '/api/v1/tickets', who: EVERYONE, cell: () => ({ body: ticketBody() }) },
  { method: 'GET', path: '/api/v1/tickets/:ref', who: CUSTOMER_RECORD, owned: 'customer',
    cell: (ctx) => ({ params: { ref: ticketIn(ctx, fx.ticket) } }) },
  { method: 'PATCH', path: '/api/v1/tickets/:ref', who: CUSTOMER_RECORD, owned: 'customer',
    cell: async (ctx) => {
      const t = ctx.whose === 'absent' ? { key: ABSENT.ticket, version: 1 } : await ticketOf(customerOf(ctx));
      // A requester may only confirm, reopen or cancel; staff edit.
      const change = ctx.role === 'requester' ? { status: 'cancelled' } : { title: 'Retitled by the matrix' };
      return { params: { ref: t.key }, body: { version: t.version, ...change } };
    } },
  { method: 'GET', path: '/api/v1/tickets/:ref/comments', who: CUSTOMER_RECORD, owned: 'customer',
    cell: (ctx) => ({ params: { ref: ticketIn(ctx, fx.ticket) } }),
    look: (res, ctx) => ctx.role === 'requester' && res.json.items.some((c) => !c.public) && 'an internal note' },
  { method: 'POST', path: '/api/v1/tickets/:ref/comments', who: CUSTOMER_RECORD, owned: 'customer',
    cell: (ctx) => ({ params: { ref: ticketIn(ctx, fx.ticket) }, body: { body: 'Any news?', public: true } }) },
  { method: 'GET', path: '/api/v1/tickets/:ref/history', who: CUSTOMER_RECORD, owned: 'customer',
    cell: (ctx) => ({ params: { ref: ticketIn(ctx, fx.ticket) } }) },
  { method: 'GET', path: '/api/v1/tickets/:ref/items', who: CUSTOMER_RECORD, owned: 'customer',
    cell: (ctx) => ({ params: { ref: ticketIn(ctx, fx.ticket) } }) },
  { method: 'GET', path: '/api/v1/tickets/:ref/mail', who: CUSTOMER_RECORD, owned: 'customer',
    cell: (ctx) => ({ params: { ref: ticketIn(ctx, fx.ticket) } }) },
  // time spent (docs/cost.md): staff only; a requester sees none
  { method: 'GET', path: '/api/v1/tickets/:ref/time', who: STAFF,
    cell: () => ({ params: { ref: fx.ticket.acme } }) },
  { method: 'POST', path: '/api/v1/tickets/:ref/time', who: STAFF,
    cell: () => ({ params: { ref: fx.ticket.acme }, body: { minutes: 5, note: 'authz' } }) },
  { method: 'GET', path: '/api/v1/time-entries/:id', who: STAFF,
    cell: async () => ({ params: { id: (await timeEntryOf('agent1')).id } }) },
  // an entry's own user corrects it (another's is a manager's): the entry is the caller's
  { method: 'PATCH', path: '/api/v1/time-entries/:id', who: STAFF,
    cell: async (ctx) => {
      const t = await timeEntryOf(['alice', 'dave'].includes(ctx.actor.user) ? 'agent2' : ctx.actor.user);
      return { params: { id: t.id }, body: { version: t.version, minutes: 7 } };
    } },
  { method: 'GET', path: '/api/v1/tickets/:ref/rating', who: CUSTOMER_RECORD, owned: 'customer',
    cell: (ctx) => ({ params: { ref: ticketIn(ctx, fx.rated) } }) },
  { method: 'POST', path: '/api/v1/tickets/:ref/rating', who: RATERS, owned: 'customer',
    cell: async (ctx) => ({
      params: { ref: ctx.whose === 'absent' ? ABSENT.ticket : (await ticketOf(customerOf(ctx), { resolved: true })).key },
      body: { score: 4, comment: 'Quick fix' } }) },
  { method: 'GET', path: '/api/v1/stats/tickets', who: STAFF },

  // files on tickets, links, merge (docs/attachments.md): whoever may see
  // the ticket; a requester's upload is public; merging is the desk's work
  { method: 'POST', path: '/api/v1/tickets/:ref/attachments', who: CUSTOMER_RECORD, owned: 'customer',
    cell: (ctx) => ({ params: { ref: ticketIn(ctx, fx.ticket) }, query: q({ filename: 'note.txt' }),
      type: 'application/octet-stream', body: 'a file' }) },
  { method: 'GET', path: '/api/v1/tickets/:ref/attachments', who: CUSTOMER_RECORD, owned: 'customer',
    cell: (ctx) => ({ params: { ref: ticketIn(ctx, fx.ticket) } }),
    look: (res, ctx) => ctx.role === 'requester' && res.json.items.some((a) => !a.public) && 'an internal file' },
  { method: 'GET', path: '/api/v1/attachments/:id', who: CUSTOMER_RECORD, owned: 'customer',
    cell: (ctx) => ({ params: { id: ctx.whose === 'absent' ? 999999 : fx.attachment[customerOf(ctx)] } }) },
  { method: 'GET', path: '/api/v1/attachments/:id/meta', who: CUSTOMER_RECORD, owned: 'customer',
    cell: (ctx) => ({ params: { id: ctx.whose === 'absent' ? 999999 : fx.attachment[customerOf(ctx)] } }) },
  { method: 'GET', path: '/api/v1/tickets/:ref/links', who: CUSTOMER_RECORD, owned: 'customer',
    cell: (ctx) => ({ params: { ref: ticketIn(ctx, fx.ticket) } }) },
  { method: 'POST', path: '/api/v1/tickets/:ref/links', who: CUSTOMER_RECORD, owned: 'customer',
    cell: async (ctx) => {
      const other = ctx.whose === 'absent' ? fx.ticket.acme : (await ticketOf(customerOf(ctx))).key;
      return { params: { ref: ticketIn(ctx, fx.ticket) }, body: { kind: 'related', ticket: other } };
    } },
  { method: 'DELETE', path: '/api/v1/tickets/:ref/links/:id', who: CUSTOMER_RECORD, owned: 'customer',
    cell: async (ctx) => {
      if (ctx.whose === 'absent') return { params: { ref: ABSENT.ticket, id: 999999 } };
      const ref = fx.ticket[customerOf(ctx)];
      const other = (await ticketOf(customerOf(ctx))).key;
      const l = await adminPost(`/api/v1/tickets/${ref}/links`, { kind: 'related', ticket: other });
      return { params: { ref, id: l.id } };
    } },
  { method: 'POST', path: '/api/v1/tickets/:ref/merge', who: STAFF,
    cell: async () => ({ params: { ref: (await ticketOf('acme')).key }, body: { into: (await ticketOf('acme')).key } }) },

  // web console sessions and live updates
  { method: 'POST', path: '/api/v1/session', public: true,
    cell: () => ({ body: { username: 'operator1', password: PASSWORD } }) },
  { method: 'GET', path: '/api/v1/session', who: EVERYONE },
  // With a bearer token there is no session to end: 200, nothing happens.
  // The cookie's cell signs in a session of its own, so that a sign-out let
  // through without CSRF would not end the session the other cells use.
  { method: 'DELETE', path: '/api/v1/session', who: EVERYONE,
    cell: async (ctx) => (ctx.role === 'cookie' ? { actor: { ...ctx.actor, headers: { cookie: await signInCookie('admin') } } } : {}) },
  { method: 'GET', path: '/api/v1/stream', who: EVERYONE },

  // service level management
  { method: 'GET', path: '/api/v1/services', who: EVERYONE },
  { method: 'POST', path: '/api/v1/services', who: MANAGERS, cell: () => ({ body: { key: fresh('svc-') } }) },
  { method: 'GET', path: '/api/v1/services/:key', who: STAFF, cell: () => ({ params: { key: 'authz-svc' } }) },
  // The catalogue changes as it is made: managers and admins (docs/sla.md).
  { method: 'PATCH', path: '/api/v1/services/:key', who: MANAGERS,
    cell: async () => {
      const s = await adminPost('/api/v1/services', { key: fresh('svc-') });
      return { params: { key: s.key }, body: { version: s.version, name: 'Renamed' } };
    } },
  { method: 'GET', path: '/api/v1/calendars', who: EVERYONE },
  { method: 'POST', path: '/api/v1/calendars', who: MANAGERS, cell: () => ({ body: { ...OFFICE, name: fresh('cal-') } }) },
  { method: 'GET', path: '/api/v1/calendars/:name', who: EVERYONE, cell: () => ({ params: { name: 'authz-office' } }) },
  { method: 'PATCH', path: '/api/v1/calendars/:name', who: MANAGERS,
    cell: async () => {
      const c = await adminPost('/api/v1/calendars', { ...OFFICE, name: fresh('cal-') });
      return { params: { name: c.name }, body: { version: c.version, timezone: 'UTC' } };
    } },
  { method: 'GET', path: '/api/v1/calendars/:name/holidays', who: EVERYONE,
    cell: () => ({ params: { name: 'authz-office' }, query: q({ year: '2026' }) }) },
  { method: 'POST', path: '/api/v1/calendars/:name/holidays', who: MANAGERS,
    cell: async () => {
      const c = await adminPost('/api/v1/calendars', { ...OFFICE, name: fresh('cal-') });
      return { params: { name: c.name }, body: { date: '2027-12-25', name: 'Christmas' } };
    } },
  { method: 'DELETE', path: '/api/v1/calendars/:name/holidays/:date', who: MANAGERS,
    cell: async () => {
      const c = await adminPost('/api/v1/calendars', { ...OFFICE, name: fresh('cal-'), holidays: ['2027-12-25'] });
      return { params: { name: c.name, date: '2027-12-25' } };
    } },
  { method: 'GET', path: '/api/v1/calendars/:name/due', who: EVERYONE,
    cell: () => ({ params: { name: 'authz-office' }, query: q({ from: '2026-03-06T17:00:00Z', minutes: '120' }) }) },
  { method: 'GET', path: '/api/v1/calendars/:name/elapsed', who: EVERYONE,
    cell: () => ({ params: { name: 'authz-office' }, query: q({ from: '2026-03-06T08:00:00Z', to: '2026-03-09T12:00:00Z' }) }) },
  { method: 'GET', path: '/api/v1/slas', who: CUSTOMER_LIST, owned: 'customer',
    cell: (ctx) => ({ query: q({ customer: customerOf(ctx) }) }),
    look: (res, ctx) => ctx.role === 'requester' && res.json.items.some((s) => s.customer !== 'acme') &&
      'another customer\'s SLA' },
  { method: 'POST', path: '/api/v1/slas', who: MANAGERS,
    cell: () => ({ body: { name: fresh('ola-'), group: fresh('group-'), service: 'authz-svc', targets } }) },
  { method: 'GET', path: '/api/v1/slas/:name', who: CUSTOMER_RECORD, owned: 'customer',
    cell: (ctx) => ({ params: { name: slaOf(ctx) } }) },
  { method: 'PATCH', path: '/api/v1/slas/:name', who: MANAGERS,
    cell: async () => {
      const s = await adminPost('/api/v1/slas', { name: fresh('ola-'), group: fresh('group-'), service: 'authz-svc', targets });
      return { params: { name: s.name }, body: { version: s.version, warn_at: 0.8 } };
    } },
  { method: 'GET', path: '/api/v1/outages', who: STAFF },
  { method: 'POST', path: '/api/v1/outages', who: STAFF,
    cell: () => ({ body: { service: 'authz-svc', start: '2026-04-01T10:00:00Z', end: '2026-04-01T10:05:00Z', planned: true } }) },
  { method: 'GET', path: '/api/v1/outages/:id', who: STAFF, cell: () => ({ params: { id: fx.outage } }) },
  { method: 'PATCH', path: '/api/v1/outages/:id', who: STAFF,
    cell: async () => {
      const o = await adminPost('/api/v1/outages', { service: 'authz-svc', start: '2026-05-01T10:00:00Z' });
      return { params: { id: o.id }, body: { version: o.version, end: '2026-05-01T10:20:00Z' } };
    } },
  { method: 'POST', path: '/api/v1/sla/tick', who: ADMINS, cell: () => ({ body: {} }) },
  { method: 'GET', path: '/api/v1/sla/outbox', who: ADMINS },
  // Notification templates: admins (docs/notify.md). A PATCH puts the
  // current subject back at the current version.
  { method: 'GET', path: '/api/v1/notify/templates', who: ADMINS },
  { method: 'GET', path: '/api/v1/notify/templates/:name', who: ADMINS,
    cell: () => ({ params: { name: 'create.ja' } }) },
  { method: 'PATCH', path: '/api/v1/notify/templates/:name', who: ADMINS,
    cell: async () => {
      const t = await must(admin.get('/api/v1/notify/templates/comment.en'), 'GET template');
      return { params: { name: 'comment.en' }, body: { version: t.version, subject: t.subject } };
    } },
  // A user's notification settings: the user, or an admin; anyone else's
  // look absent (docs/notify.md).
  { method: 'GET', path: '/api/v1/users/:name/notifications', who: NOTIFY_SETTINGS, owned: 'user',
    cell: (ctx) => ({ params: { name: userOf(ctx) } }) },
  { method: 'PATCH', path: '/api/v1/users/:name/notifications', who: NOTIFY_SETTINGS, owned: 'user',
    cell: async (ctx) => {
      const name = userOf(ctx);
      const r = await admin.get(`/api/v1/users/${encodeURIComponent(name)}/notifications`);
      return { params: { name }, body: { version: r.json?.version ?? 1, lang: 'en' } };
    } },
  { method: 'GET', path: '/api/v1/reports/service-level', who: CUSTOMER_RECORD, owned: 'customer',
    cell: (ctx) => ({ query: q({ customer: customerOf(ctx), month: '2026-03' }) }) },
  { method: 'GET', path: '/api/v1/reports/service-level/breaches', who: CUSTOMER_RECORD, owned: 'customer',
    cell: (ctx) => ({ query: q({ customer: customerOf(ctx), month: '2026-03', sla: slaOf(ctx) }) }) },
  { method: 'POST', path: '/api/v1/import/time', who: MANAGERS,
    cell: () => ({ body: { entries: [{ ticket: fx.ticket.acme, user: 'agent1', minutes: 5, date: '2026-03-02' }] } }) },
  { method: 'GET', path: '/api/v1/reports/cost', who: MANAGERS, cell: () => ({ query: q({ month: '2026-03' }) }) },
  { method: 'POST', path: '/api/v1/import/tickets', who: ADMINS,
    cell: () => ({ body: { tickets: [{ ...ticketBody({ title: fresh('imported ') }), customer: 'acme',
      created_at: '2026-03-02T10:00:00Z' }] } }) },

  // skills and staff records
  { method: 'POST', path: '/api/v1/skills/assess', who: EVERYONE, cell: () => ({ body: profile }) },
  { method: 'GET', path: '/api/v1/skills/map', who: MANAGERS },
  { method: 'GET', path: '/api/v1/staff', who: STAFF,
    look: (res, ctx) => ['agent', 'operator'].includes(ctx.role) &&
      res.json.items.some((s) => s.key !== ctx.actor.user) && 'another person\'s record' },
  { method: 'POST', path: '/api/v1/staff', who: MANAGERS, cell: () => ({ body: { key: fresh('staff-'), name: 'New colleague' } }) },
  { method: 'GET', path: '/api/v1/staff/:key', who: STAFF_RECORD, owned: 'staff',
    cell: (ctx) => ({ params: { key: staffOf(ctx) } }) },
  { method: 'PATCH', path: '/api/v1/staff/:key', who: MANAGERS, owned: 'staff',
    cell: async (ctx) => {
      const s = ctx.whose === 'absent' ? { key: ABSENT.staff, version: 1 } : await adminGet(`/api/v1/staff/${staffOf(ctx)}`);
      return { params: { key: s.key }, body: { version: s.version, note: fresh('note ') } };
    } },
  { method: 'POST', path: '/api/v1/staff/:key/careers', who: STAFF_RECORD, owned: 'staff',
    cell: (ctx) => ({ params: { key: staffOf(ctx) }, body: career }) },
  { method: 'POST', path: '/api/v1/staff/:key/careers/:id/verify', who: VERIFIERS, owned: 'staff',
    cell: async (ctx) => {
      const c = ctx.whose === 'absent' ? { id: 1 } : await adminPost(`/api/v1/staff/${staffOf(ctx)}/careers`, career);
      return { params: { key: staffOf(ctx), id: c.id } };
    } },
  // Computing an assessment of one's own record is allowed; deciding a level on it is not.
  { method: 'POST', path: '/api/v1/staff/:key/assess', who: MANAGERS, owned: 'staff',
    cell: (ctx) => ({ params: { key: staffOf(ctx) }, body: { as_of: '2026-01-01' } }) },
  { method: 'GET', path: '/api/v1/staff/:key/assessments', who: STAFF_RECORD, owned: 'staff',
    cell: (ctx) => ({ params: { key: staffOf(ctx) } }) },

  // operation by procedure: managers define, staff read and execute
  { method: 'GET', path: '/api/v1/procedures', who: STAFF },
  { method: 'POST', path: '/api/v1/procedures', who: MANAGERS,
    cell: () => ({ body: { title: fresh('Procedure '), steps: OP_STEPS } }) },
  { method: 'GET', path: '/api/v1/procedures/:key', who: STAFF,
    cell: async () => ({ params: { key: (opShared ??= await opProcedure()).key } }) },
  { method: 'POST', path: '/api/v1/procedures/:key/versions', who: MANAGERS,
    cell: async () => ({ params: { key: (await opProcedure()).key }, body: { steps: OP_STEPS } }) },
  { method: 'POST', path: '/api/v1/procedures/:key/publish', who: MANAGERS,
    cell: async () => ({ params: { key: (await opProcedure(false)).key }, body: {} }) },
  { method: 'GET', path: '/api/v1/schedule', who: STAFF },
  { method: 'POST', path: '/api/v1/schedule', who: MANAGERS,
    cell: async () => ({ body: { procedure: (opShared ??= await opProcedure()).key, rrule: 'FREQ=DAILY;BYHOUR=6',
      start: '2026-01-01T00:00:00Z', deadline_minutes: 30, shift: 'authz' } }) },
  { method: 'GET', path: '/api/v1/schedule/today', who: STAFF,
    cell: () => ({ query: q({ shift: 'authz', date: '2026-01-05' }) }) },
  { method: 'GET', path: '/api/v1/runs', who: STAFF },
  { method: 'POST', path: '/api/v1/runs', who: STAFF,
    cell: async () => ({ body: { procedure: (opShared ??= await opProcedure()).key } }) },
  { method: 'GET', path: '/api/v1/runs/:key', who: STAFF,
    cell: async () => ({ params: { key: (await opRun()).key } }) },
  { method: 'POST', path: '/api/v1/runs/:key/steps', who: STAFF,
    cell: async () => ({ params: { key: (await opRun()).key }, body: { step: 1, result: 'loaded' } }) },
  { method: 'POST', path: '/api/v1/runs/:key/steps/:step/confirm', who: STAFF,
    cell: async () => ({ params: { key: (await opRecorded()).key, step: 1 } }) },
  { method: 'POST', path: '/api/v1/runs/:key/abandon', who: STAFF,
    cell: async () => ({ params: { key: (await opRun()).key }, body: { reason: 'authz' } }) },
  { method: 'GET', path: '/api/v1/runs/:key/time', who: STAFF,
    cell: async () => ({ params: { key: (await opRun()).key } }) },
  { method: 'POST', path: '/api/v1/runs/:key/time', who: STAFF,
    cell: async () => ({ params: { key: (await opRun()).key }, body: { minutes: 5 } }) },
  // condition reports: staff draft and acknowledge, shift leaders sign
  { method: 'GET', path: '/api/v1/condition-reports', who: STAFF },
  { method: 'POST', path: '/api/v1/condition-reports', who: STAFF,
    cell: () => ({ body: { date: condDate(), shift: 'night' } }) },
  { method: 'GET', path: '/api/v1/condition-reports/:key', who: STAFF,
    cell: async () => ({ params: { key: (await condDraft()).key } }) },
  { method: 'PATCH', path: '/api/v1/condition-reports/:key', who: STAFF,
    cell: async () => ({ params: { key: (await condDraft()).key }, body: { remarks: 'edited', version: 1 } }) },
  { method: 'POST', path: '/api/v1/condition-reports/:key/sign', who: MANAGERS,
    cell: async () => ({ params: { key: (await condDraft()).key }, body: {} }) },
  { method: 'POST', path: '/api/v1/condition-reports/:key/ack', who: STAFF,
    cell: async () => ({ params: { key: (await condSigned()).key }, body: {} }) },
  // problem management: staff records (docs/problems.md); a requester is
  // refused outright, whatever problem it names
  { method: 'GET', path: '/api/v1/problems', who: STAFF },
  { method: 'POST', path: '/api/v1/problems', who: STAFF, cell: () => ({ body: { title: fresh('authz problem ') } }) },
  { method: 'GET', path: '/api/v1/problems/proposals', who: STAFF },
  { method: 'POST', path: '/api/v1/problems/proposals/:id/confirm', who: STAFF,
    cell: async () => ({ params: { id: await proposal() }, body: { title: fresh('confirmed ') } }) },
  { method: 'POST', path: '/api/v1/problems/proposals/:id/dismiss', who: STAFF,
    cell: async () => ({ params: { id: await proposal() } }) },
  { method: 'GET', path: '/api/v1/problems/:key', who: STAFF, cell: () => ({ params: { key: fx.problem } }) },
  { method: 'PATCH', path: '/api/v1/problems/:key', who: STAFF,
    cell: async () => {
      const p = await adminPost('/api/v1/problems', { title: fresh('patched ') });
      return { params: { key: p.key }, body: { version: p.version, status: 'investigating' } };
    } },
  { method: 'POST', path: '/api/v1/problems/:key/incidents', who: STAFF,
    cell: async () => {
      const p = await adminPost('/api/v1/problems', { title: fresh('linking ') });
      return { params: { key: p.key }, body: { ticket: (await ticketOf('acme')).key } };
    } },
  { method: 'DELETE', path: '/api/v1/problems/:key/incidents/:ticket', who: STAFF,
    cell: async () => {
      const t = await ticketOf('acme');
      const p = await adminPost('/api/v1/problems', { title: fresh('unlinking '), incidents: [t.key] });
      return { params: { key: p.key, ticket: t.key } };
    } },

  // knowledge and search (docs/knowledge.md): lists, suggestions and the
  // search answer everyone, each showing only what the caller may read
  { method: 'GET', path: '/api/v1/knowledge', who: EVERYONE,
    look: (res, ctx) => ctx.role === 'requester' && res.json.items.some((a) => a.visibility !== 'public'
      || a.status !== 'published') && 'an internal or unpublished article' },
  { method: 'POST', path: '/api/v1/knowledge', who: KB_WRITERS, cell: () => ({ body: { title: fresh('authz article ') } }) },
  { method: 'GET', path: '/api/v1/knowledge/suggest', who: EVERYONE, cell: () => ({ query: '?title=authz+article' }),
    look: (res, ctx) => ctx.role === 'requester' && (res.json.known_errors.length
      || res.json.articles.some((a) => a.key !== fx.article.own)) && 'an internal article or a problem' },
  { method: 'GET', path: '/api/v1/knowledge/:key', who: ARTICLE, owned: 'article',
    cell: (ctx) => ({ params: { key: articleOf(ctx) } }) },
  { method: 'PATCH', path: '/api/v1/knowledge/:key', who: KB_WRITERS,
    cell: async () => {
      const a = await draftArticle();
      return { params: { key: a.key }, body: { version: a.version, body: fresh('text ') } };
    } },
  { method: 'POST', path: '/api/v1/knowledge/:key/publish', who: KB_WRITERS,
    cell: async () => {
      const a = await draftArticle();
      return { params: { key: a.key }, body: { version: a.version } };
    } },
  { method: 'POST', path: '/api/v1/knowledge/:key/retire', who: KB_WRITERS,
    cell: async () => {
      const a = await draftArticle();
      return { params: { key: a.key }, body: { version: a.version } };
    } },
  { method: 'GET', path: '/api/v1/knowledge/:key/versions', who: ARTICLE, owned: 'article',
    cell: (ctx) => ({ params: { key: articleOf(ctx) } }) },
  { method: 'GET', path: '/api/v1/knowledge/:key/versions/:n', who: ARTICLE, owned: 'article',
    cell: (ctx) => ({ params: { key: articleOf(ctx), n: 2 } }) },
  { method: 'GET', path: '/api/v1/search', who: EVERYONE, cell: () => ({ query: '?q=authz' }),
    look: (res, ctx) => ctx.role === 'requester' && res.json.items.some((i) => i.kind === 'problem'
      || (i.kind === 'comment' && i.status === 'internal') || i.key === fx.ticket.globex
      || (i.kind === 'article' && i.key !== fx.article.own)) && 'a record hidden from a requester' },

  // change control (docs/changes.md): staff work on changes; managers (and
  // admins) approve emergency changes, set and remove freeze windows. Each
  // move acts on a fresh change brought to the state the move starts from.
  { method: 'GET', path: '/api/v1/changes', who: STAFF },
  { method: 'POST', path: '/api/v1/changes', who: STAFF,
    cell: () => ({ body: { type: 'standard', title: fresh('change ') } }) },
  { method: 'GET', path: '/api/v1/changes/calendar.ics', who: STAFF },
  { method: 'GET', path: '/api/v1/changes/:key/time', who: STAFF,
    cell: async () => ({ params: { key: (await changeIn('draft')).key } }) },
  { method: 'POST', path: '/api/v1/changes/:key/time', who: STAFF,
    cell: async () => ({ params: { key: (await changeIn('draft')).key }, body: { minutes: 5, customer: 'acme' } }) },
  { method: 'GET', path: '/api/v1/changes/:key', who: STAFF,
    cell: async () => ({ params: { key: (await changeIn('draft')).key } }) },
  { method: 'PATCH', path: '/api/v1/changes/:key', who: STAFF,
    cell: async () => {
      const c = await changeIn('draft');
      return { params: { key: c.key }, body: { version: c.version, title: fresh('retitled ') } };
    } },
  { method: 'POST', path: '/api/v1/changes/:key/submit', who: STAFF, cell: () => moveCell('draft') },
  { method: 'POST', path: '/api/v1/changes/:key/approve', who: MANAGERS,
    cell: () => moveCell('assessment') },
  { method: 'POST', path: '/api/v1/changes/:key/reject', who: MANAGERS,
    cell: () => moveCell('assessment', { comment: 'no' }) },
  { method: 'POST', path: '/api/v1/changes/:key/schedule', who: STAFF, cell: () => moveCell('approved') },
  { method: 'POST', path: '/api/v1/changes/:key/start', who: STAFF, cell: () => moveCell('scheduled') },
  { method: 'POST', path: '/api/v1/changes/:key/review', who: STAFF,
    cell: () => moveCell('implementing', { outcome: 'success' }) },
  { method: 'POST', path: '/api/v1/changes/:key/cancel', who: STAFF, cell: () => moveCell('draft') },
  { method: 'GET', path: '/api/v1/freezes', who: STAFF },
  { method: 'POST', path: '/api/v1/freezes', who: MANAGERS,
    cell: () => ({ body: { start: '2030-01-01T00:00:00Z', end: '2030-01-02T00:00:00Z', reason: fresh('freeze ') } }) },
  { method: 'DELETE', path: '/api/v1/freezes/:id', who: MANAGERS,
    cell: async () => {
      const f = await adminPost('/api/v1/freezes', { start: '2030-02-01T00:00:00Z', end: '2030-02-02T00:00:00Z', reason: fresh('gone ') });
      return { params: { id: f.id } };
    } },

  // the operational level report (docs/sla.md, "OLAs"): staff.
  { method: 'GET', path: '/api/v1/reports/operational-level', who: STAFF,
    cell: () => ({ query: q({ group: 'ops', month: '2026-11' }) }) },
  // routing rules (docs/desk.md): staff read them; admins alone write them.
  // Each cell acts on a fresh rule (its keyword matches no ticket).
  { method: 'GET', path: '/api/v1/routing-rules', who: STAFF },
  { method: 'POST', path: '/api/v1/routing-rules', who: ADMINS,
    cell: () => ({ body: { name: fresh('rule-'), group: 'g', keyword: 'authz-never' } }) },
  { method: 'GET', path: '/api/v1/routing-rules/:name', who: STAFF,
    cell: async () => ({ params: { name: (await freshRule()).name } }) },
  { method: 'PATCH', path: '/api/v1/routing-rules/:name', who: ADMINS,
    cell: async () => {
      const r = await freshRule();
      return { params: { name: r.name }, body: { version: r.version, position: 7 } };
    } },
  { method: 'DELETE', path: '/api/v1/routing-rules/:name', who: ADMINS,
    cell: async () => ({ params: { name: (await freshRule()).name } }) },

  // operational acceptance (docs/acceptance.md): staff read checklists and
  // record manual evidence; managers (and admins) write checklists, plans
  // and the go/no-go. Requesters see nothing. Each write acts on a fresh one.
  { method: 'GET', path: '/api/v1/acceptances', who: STAFF },
  { method: 'POST', path: '/api/v1/acceptances', who: MANAGERS,
    cell: () => ({ body: { title: fresh('acceptance '), service: 'authz-svc' } }) },
  { method: 'GET', path: '/api/v1/acceptances/criteria', who: STAFF },
  { method: 'GET', path: '/api/v1/acceptances/:key', who: STAFF,
    cell: async () => ({ params: { key: (await freshAcceptance()).key } }) },
  { method: 'PATCH', path: '/api/v1/acceptances/:key', who: MANAGERS,
    cell: async () => {
      const a = await freshAcceptance();
      return { params: { key: a.key }, body: { version: a.version, title: 'renamed' } };
    } },
  { method: 'POST', path: '/api/v1/acceptances/:key/evidence', who: STAFF,
    cell: async () => {
      const a = await freshAcceptance();
      return { params: { key: a.key }, body: { version: a.version, criterion: 'capacity', note: 'sized' } };
    } },
  { method: 'POST', path: '/api/v1/acceptances/:key/plan', who: MANAGERS,
    cell: async () => {
      const a = await freshAcceptance();
      return { params: { key: a.key }, body: { version: a.version, rollback: 'switch back',
        steps: [{ title: 'switch', owner: 'admin', at: '2030-01-01T00:00:00Z' }] } };
    } },
  { method: 'POST', path: '/api/v1/acceptances/:key/decide', who: MANAGERS,
    cell: async () => {
      const a = await freshAcceptance();
      return { params: { key: a.key }, body: { version: a.version, decision: 'no_go', reason: 'not yet' } };
    } },

  // the risk register (docs/risk.md): staff read it; managers (and admins)
  // write risks, their measures and reviews. Each write acts on a fresh risk.
  { method: 'GET', path: '/api/v1/risks', who: STAFF },
  { method: 'POST', path: '/api/v1/risks', who: MANAGERS,
    cell: () => ({ body: { title: fresh('risk '), owner: 'admin', likelihood: 2, impact: 3 } }) },
  { method: 'GET', path: '/api/v1/risks/heatmap', who: STAFF },
  { method: 'GET', path: '/api/v1/risks/:key', who: STAFF,
    cell: async () => ({ params: { key: (await freshRisk()).key } }) },
  { method: 'PATCH', path: '/api/v1/risks/:key', who: MANAGERS,
    cell: async () => {
      const r = await freshRisk();
      return { params: { key: r.key }, body: { version: r.version, status: 'mitigating' } };
    } },
  { method: 'POST', path: '/api/v1/risks/:key/review', who: MANAGERS,
    cell: async () => {
      const r = await freshRisk();
      return { params: { key: r.key }, body: { version: r.version, notes: 'reviewed' } };
    } },
  { method: 'POST', path: '/api/v1/risks/:key/measures', who: MANAGERS,
    cell: async () => {
      const r = await freshRisk();
      return { params: { key: r.key }, body: { version: r.version, description: 'do it', owner: 'admin' } };
    } },
  { method: 'PATCH', path: '/api/v1/risks/:key/measures/:id', who: MANAGERS,
    cell: async () => {
      let r = await freshRisk();
      r = await adminPost(`/api/v1/risks/${r.key}/measures`, { version: r.version, description: 'do it', owner: 'admin' });
      return { params: { key: r.key, id: r.measures[0].id }, body: { version: r.version, status: 'in_progress' } };
    } },

  // operational guidelines (docs/risk.md): managers write them; staff read,
  // acknowledge and run their checklists. Each write acts on a fresh one.
  { method: 'GET', path: '/api/v1/guidelines', who: STAFF },
  { method: 'POST', path: '/api/v1/guidelines', who: MANAGERS,
    cell: () => ({ body: { title: fresh('guideline '), text: 'Do it right.' } }) },
  { method: 'GET', path: '/api/v1/guidelines/:key', who: STAFF,
    cell: async () => ({ params: { key: (await freshGuideline()).key } }) },
  { method: 'PATCH', path: '/api/v1/guidelines/:key', who: MANAGERS,
    cell: async () => {
      const g = await freshGuideline();
      return { params: { key: g.key }, body: { version: g.version, title: fresh('retitled ') } };
    } },
  { method: 'POST', path: '/api/v1/guidelines/:key/publish', who: MANAGERS,
    cell: async () => {
      const g = await freshGuideline();
      return { params: { key: g.key }, body: { version: g.version } };
    } },
  { method: 'POST', path: '/api/v1/guidelines/:key/ack', who: STAFF,
    cell: async () => ({ params: { key: (await freshGuideline(true)).key }, body: {} }) },
  { method: 'GET', path: '/api/v1/guidelines/:key/acks', who: STAFF,
    cell: async () => ({ params: { key: (await freshGuideline(true)).key } }) },
  { method: 'POST', path: '/api/v1/guidelines/:key/check', who: STAFF,
    cell: async () => {
      const g = await freshGuideline(true);
      return { params: { key: g.key }, body: { version: g.version, results: [{ item: 1, result: 'pass' }] } };
    } },

  // configuration management
  { method: 'GET', path: '/api/v1/cis', who: STAFF },
  { method: 'POST', path: '/api/v1/cis', who: STAFF,
    cell: () => ({ body: { key: fresh('ci-'), name: 'New server', type: 'server' } }) },
  { method: 'POST', path: '/api/v1/cis/import', who: STAFF,
    cell: () => ({ body: { cis: [{ key: fresh('imp-'), name: 'Imported', type: 'server' }], relationships: [] } }) },
  { method: 'GET', path: '/api/v1/cis/export', who: STAFF },
  { method: 'GET', path: '/api/v1/cis/:key', who: STAFF, cell: () => ({ params: { key: 'authz-db' } }) },
  { method: 'PATCH', path: '/api/v1/cis/:key', who: STAFF,
    cell: async () => {
      const c = await adminGet('/api/v1/cis/authz-db');
      return { params: { key: c.key }, body: { version: c.version, location: fresh('room ') } };
    } },
  { method: 'GET', path: '/api/v1/cis/:key/impact', who: STAFF, cell: () => ({ params: { key: 'authz-db' } }) },
  { method: 'GET', path: '/api/v1/cis/:key/dependencies', who: STAFF, cell: () => ({ params: { key: 'authz-app' } }) },
  { method: 'GET', path: '/api/v1/cis/:key/history', who: STAFF, cell: () => ({ params: { key: 'authz-db' } }) },
  { method: 'GET', path: '/api/v1/cis/:key/relationships', who: STAFF, cell: () => ({ params: { key: 'authz-db' } }) },
  { method: 'GET', path: '/api/v1/cis/:key/metrics', who: STAFF, cell: () => ({ params: { key: 'authz-db' } }) },
  { method: 'GET', path: '/api/v1/cis/:key/tickets', who: STAFF, cell: () => ({ params: { key: 'authz-db' } }) },
  { method: 'POST', path: '/api/v1/cis/:key/tickets', who: STAFF,
    cell: async () => {
      const c = await adminPost('/api/v1/cis', { key: fresh('lk-'), name: 'Linked', type: 'server' });
      return { params: { key: c.key }, body: { ticket: fx.ticket.acme, role: 'affected' } };
    } },
  { method: 'GET', path: '/api/v1/ci-types', who: STAFF },
  { method: 'POST', path: '/api/v1/ci-types', who: ADMINS, cell: () => ({ body: { name: fresh('authztype') } }) },
  { method: 'POST', path: '/api/v1/relationships', who: STAFF,
    cell: async () => {
      const c = await adminPost('/api/v1/cis', { key: fresh('rel-'), name: 'Related', type: 'application' });
      return { body: { source: c.key, type: 'runs_on', target: 'authz-db' } };
    } },
  { method: 'DELETE', path: '/api/v1/relationships/:id', who: STAFF,
    cell: async () => {
      const c = await adminPost('/api/v1/cis', { key: fresh('rd-'), name: 'Unrelated', type: 'application' });
      const r = await adminPost('/api/v1/relationships', { source: c.key, type: 'runs_on', target: 'authz-db' });
      return { params: { id: r.id } };
    } },

  // monitoring: intake (`intake`: the only routes an events-scoped token reaches), alerts, checks
  { method: 'POST', path: '/api/v1/events', who: INTAKE, intake: true,
    cell: () => ({ body: { source: 'authz', resource: 'authz-db', check: fresh('probe-'), severity: 'info', summary: 'probe' } }) },
  { method: 'POST', path: '/api/v1/integrations/alertmanager', who: INTAKE, intake: true,
    cell: () => {
      const fp = fresh('f00d');
      return { body: {
        version: '4', groupKey: '{}:{alertname="Probe"}', truncatedAlerts: 0, status: 'firing', receiver: 'itsm',
        groupLabels: { alertname: 'Probe' }, commonLabels: { alertname: 'Probe', severity: 'info' },
        commonAnnotations: {}, externalURL: 'http://alertmanager:9093',
        alerts: [{ status: 'firing', labels: { alertname: 'Probe', ci: 'authz-db', severity: 'info' },
          annotations: { summary: 'probe' }, startsAt: '2026-03-10T10:00:00Z', endsAt: '0001-01-01T00:00:00Z',
          generatorURL: 'http://prometheus:9090/graph', fingerprint: fp }],
      } };
    } },
  { method: 'POST', path: '/api/v1/integrations/events-v2', who: INTAKE, intake: true,
    cell: () => ({ body: { routing_key: 'R0UT1NGKEY0000000000000000000001', event_action: 'trigger',
      dedup_key: fresh('v2-'), payload: { summary: 'probe', source: 'authz-db', severity: 'info' } } }) },
  // e-mail in (docs/mail.md): whoever delivers writes as any sender, so
  // admins and staff integration tokens only; a robot's message (200
  // ignored) with a fresh Message-ID for every cell
  { method: 'POST', path: '/api/v1/mail/inbound', who: ADMINS, intake: true,
    cell: () => ({ type: 'message/rfc822', body: robotMail(fresh('authz-')) }) },
  { method: 'GET', path: '/api/v1/mail/:id/raw', who: STAFF, cell: () => ({ params: { id: fx.mail } }) },
  { method: 'GET', path: '/api/v1/alerts', who: STAFF },
  { method: 'GET', path: '/api/v1/alerts/:id', who: STAFF, cell: () => ({ params: { id: fx.alert } }) },
  { method: 'GET', path: '/api/v1/checks', who: STAFF },
  { method: 'GET', path: '/api/v1/check-commands', who: STAFF },
  { method: 'POST', path: '/api/v1/checks', who: CHECK_WRITERS,
    cell: () => ({ body: { name: fresh('chk-'), ci: 'authz-db', command: 'authz_dummy', args: ['0'], enabled: false } }) },
  { method: 'GET', path: '/api/v1/checks/:name', who: STAFF, cell: () => ({ params: { name: 'authz-check' } }) },
  { method: 'PATCH', path: '/api/v1/checks/:name', who: CHECK_WRITERS,
    cell: async () => {
      const c = await adminGet('/api/v1/checks/authz-check');
      return { params: { name: c.name }, body: { version: c.version, timeout_seconds: 5 + (++serial % 50) } };
    } },
  { method: 'DELETE', path: '/api/v1/checks/:name', who: CHECK_WRITERS,
    cell: async () => {
      const c = await adminPost('/api/v1/checks', { name: fresh('del-'), ci: 'authz-db', command: 'authz_dummy', args: ['0'], enabled: false });
      return { params: { name: c.name } };
    } },
];

// What a caller of each kind must get, from the row's own five roles and the
// product's rules for the other four:
// - public routes answer everyone alike (credentials are not even read);
// - no credentials: 401;
// - an events-scoped token reaches event intake and nothing else (docs/events.md);
//   a requester's events token reaches nothing: requesters send no events;
// - the console's cookie without X-CSRF-Token: reads as its user (the admin),
//   every state change 403 (API.md);
// - a record that does not exist answers as another's, to whom it is hidden.
function expected(row, role, whose) {
  const pick = (v) => (Array.isArray(v) ? v[whose === 'own' ? 0 : 1] : v);
  if (row.public) return OK;
  switch (role) {
    case 'anonymous': return UNAUTH;
    case 'events': return row.intake ? OK : FORBIDDEN;
    case 'requester-events': return FORBIDDEN;
    case 'cookie': return row.method === 'GET' ? pick(row.who.admin) : FORBIDDEN;
    default: return pick(row.who[role]);
  }
}

const fill = (path, params = {}) => path.replace(/:(\w+)/g, (_, k) => {
  if (!(k in params)) throw new Error(`${path}: the row fills no ':${k}'`);
  return encodeURIComponent(params[k]);
});

// Run one cell; return a failure message, or null when it answered as meant.
async function runCell(row, role, whose) {
  const ctx = { role, whose, actor: actors[role] };
  const want = expected(row, role, whose);
  const req = row.cell ? await row.cell(ctx) : {};
  const path = fill(row.path, req.params) + (req.query || '');
  const res = await send(req.actor || ctx.actor, row.method, path, req.body, req.type);
  await req.after?.();
  const name = `${row.method} ${row.path} × ${role}${row.owned ? ` × ${whose}` : ''}`;
  tally.cells++;
  tally[want]++;
  if (want === OK && row.allowed) {
    return res.status === row.allowed ? null
      : `${name}: expected ${row.allowed} (allowed, then refused by the store), got ${res.status} ${res.text.slice(0, 300)}`;
  }
  if (want === OK) {
    if (res.status < 200 || res.status > 299) return `${name}: expected 2xx, got ${res.status} ${res.text.slice(0, 300)}`;
    const seen = row.look?.(res, ctx);
    return seen ? `${name}: answered ${res.status} but showed ${seen}: ${res.text.slice(0, 300)}` : null;
  }
  try {
    expectError(res, want, ERROR_CODE[want]);
  } catch (err) {
    return `${name} (${path}): ${err.message.slice(0, 400)}`;
  }
  return null;
}

// ---- the tests --------------------------------------------------------

// Every route of routes.c has exactly one row, and every row a route.
test('the matrix has one row for every route of src/api/routes.c', () => {
  const text = readFileSync(ROUTES_C, 'utf8');
  const routes = [...text.matchAll(/\{\s*"([A-Z]+)",\s*"([^"]+)",\s*api_\w+,\s*AUTH_[A-Z]+/g)]
    .map((m) => `${m[1]} ${m[2]}`);
  assert.ok(routes.length > 50, `parsed only ${routes.length} routes from ${ROUTES_C}`);
  const rows = ROWS.map((r) => `${r.method} ${r.path}`);
  const dup = rows.filter((r, i) => rows.indexOf(r) !== i);
  assert.deepEqual(dup, [], 'rows listed twice');
  assert.deepEqual(routes.filter((r) => !rows.includes(r)), [], 'routes without a row in the matrix');
  assert.deepEqual(rows.filter((r) => !routes.includes(r)), [], 'rows for routes that do not exist');
});

for (const row of ROWS) {
  test(`${row.method} ${row.path}`, async () => {
    const failures = [];
    for (const role of ROLES) {
      const whose = !row.owned ? ['own'] : HIDDEN_FROM[row.owned].includes(role) ?
        ['own', 'other', 'absent'] : ['own', 'other'];
      for (const w of whose) {
        const f = await runCell(row, role, w);
        if (f) failures.push(f);
      }
    }
    tally.routes++;
    assert.deepEqual(failures, [], `${failures.length} cell(s) did not answer as meant:\n${failures.join('\n')}`);
  });
}

// Beyond the matrix: a list filter names someone too. To a requester,
// another customer's person and a name no one has answer alike (staff are
// told a name is unknown).
test('a requester\'s ticket filters disclose no names', async () => {
  const other = await send(actors.requester, 'GET', '/api/v1/tickets?assignee=dave');
  const absent = await send(actors.requester, 'GET', `/api/v1/tickets?assignee=${ABSENT.user}`);
  assert.equal(other.status, 200, other.text);
  assert.deepEqual(other.json.items, []);
  assert.equal(absent.status, 200, `?assignee=${ABSENT.user}: ${absent.text}`);
  assert.deepEqual(absent.json.items, []);
  expectError(await send(actors.agent, 'GET', `/api/v1/tickets?assignee=${ABSENT.user}`), 400, 'invalid', 'assignee');
  expectError(await send(actors.agent, 'GET', `/api/v1/tickets?customer=${ABSENT.customer}`), 400, 'invalid', 'customer');
});

test('the matrix checked its cells', (t) => {
  const line = `authz matrix: ${tally.cells} cells over ${tally.routes} routes × ${ROLES.length} callers ` +
    `(allowed ${tally[OK]}, 403 ${tally[FORBIDDEN]}, 404 ${tally[NOT_FOUND]}, 401 ${tally[UNAUTH]}) ` +
    `in ${((Date.now() - t0) / 1000).toFixed(1)} s`;
  t.diagnostic(line);
  console.log(line);
  assert.equal(tally.routes, ROWS.length);
  assert.ok(tally.cells > 600, line);
});
