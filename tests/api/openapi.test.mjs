// openapi.test.mjs — docs/openapi.json, the OpenAPI 3.1 description of the
// HTTP API, held against the code and against a running server:
//  - drift: every route of src/api/routes.c (method, path, query column) is
//    described, and every described operation is a route, with exactly the
//    query parameters the route table lists;
//  - the document is valid OpenAPI 3.1 (@apidevtools/swagger-parser);
//  - GET /api/v1/openapi.json serves this very document, without credentials;
//  - every operation that carries examples (its path parameters' and its
//    request body's) is sent to a demo server as an admin, and the answer
//    has the described success status and validates against the described
//    schema, as the example body does against the request's (ajv, JSON
//    Schema 2020-12, the dialect of OpenAPI 3.1);
//  - docs/grafana-itsm.json uses only series a live /metrics answer has.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import SwaggerParser from '@apidevtools/swagger-parser';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { makeStore, startServer, client, cliOk, stopClean } from './lib.mjs';

const file = (p) => fileURLToPath(new URL(p, import.meta.url));
const DOC_TEXT = readFileSync(file('../../docs/openapi.json'), 'utf8');
const DOC = JSON.parse(DOC_TEXT);
const ROUTES_C = readFileSync(file('../../src/api/routes.c'), 'utf8');
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

// The route table's rows: { method, path ("/x/{id}"), query: [names] }.
// Q_PAGE is the table's macro for the paging parameters.
function routes() {
  const qpage = ROUTES_C.match(/#define\s+Q_PAGE\s+"([^"]*)"/) ||
    readFileSync(file('../../src/api/http.h'), 'utf8').match(/#define\s+Q_PAGE\s+"([^"]*)"/);
  assert.ok(qpage, 'Q_PAGE not found');
  const rows = [...ROUTES_C.matchAll(
    /\{\s*"([A-Z]+)",\s*"([^"]+)",\s*\w+,\s*AUTH_\w+,\s*BODY_\w+,\s*"[^"]+"\s*(?:,\s*((?:Q_PAGE|"[^"]*")(?:\s*(?:Q_PAGE|"[^"]*"))*))?\s*\}/g)];
  return rows.map((m) => {
    const q = (m[3] || '').replace(/Q_PAGE/g, `"${qpage[1]}"`).replace(/"\s*"/g, '').replace(/"/g, '');
    return { method: m[1].toLowerCase(), path: m[2].replace(/:([a-z_]+)/g, '{$1}'),
      query: q ? q.split(',').sort() : [] };
  });
}

function operations() {
  const ops = [];
  for (const [path, item] of Object.entries(DOC.paths))
    for (const method of METHODS) if (item[method]) ops.push({ path, method, op: item[method] });
  return ops;
}

const queryOf = (op) => (op.parameters || []).filter((p) => p.in === 'query').map((p) => p.name).sort();

test('every route of routes.c is described, with its query parameters, and nothing else is', () => {
  const rs = routes();
  const declared = (ROUTES_C.match(/^\s*\{\s*"[A-Z]+",\s*"\//gm) || []).length;
  assert.equal(rs.length, declared, 'the parser missed rows of the route table');
  const described = new Map(operations().map((o) => [`${o.method.toUpperCase()} ${o.path}`, o.op]));
  for (const r of rs) {
    const id = `${r.method.toUpperCase()} ${r.path}`;
    const op = described.get(id);
    assert.ok(op, `${id} is a route but docs/openapi.json does not describe it`);
    assert.deepEqual(queryOf(op), r.query, `${id}: described query parameters`);
    described.delete(id);
  }
  assert.deepEqual([...described.keys()], [], 'described but not a route');
});

test('every path parameter is described, and every operation answers with the error shape', () => {
  for (const { path, method, op } of operations()) {
    const inPath = [...path.matchAll(/\{([a-z_]+)\}/g)].map((m) => m[1]).sort();
    const declared = (op.parameters || []).filter((p) => p.in === 'path').map((p) => p.name).sort();
    assert.deepEqual(declared, inPath, `${method} ${path}: path parameters`);
    assert.ok(op.responses['400'], `${method} ${path}: no 400`);
    const ok = Object.keys(op.responses).filter((c) => /^2/.test(c));
    assert.equal(ok.length, 1, `${method} ${path}: one success status`);
  }
});

test('the document is valid OpenAPI 3.1', async () => {
  assert.match(DOC.openapi, /^3\.1\./);
  await SwaggerParser.validate(structuredClone(DOC));
});

// ---- against a demo server ------------------------------------------------

let store, srv, admin, anon;

before(async () => {
  store = makeStore();
  // A command template, so that the example check can be defined.
  const conf = join(store.dir, 'itsm.conf');
  writeFileSync(conf, '[commands]\ncheck_dummy = check_dummy $ARG1$ "$ARG2$"\n');
  srv = await startServer(store.db, ['--demo', '--config', conf]);
  admin = client(srv.url, cliOk(store.db, ['token', 'create', 'openapi', '--user', 'admin']));
  anon = client(srv.url, null);
});

after(async () => {
  if (srv) await stopClean(srv);
  store?.cleanup();
});

test('GET /api/v1/openapi.json serves the document, without credentials', async () => {
  const res = await anon.get('/api/v1/openapi.json');
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^application\/json/);
  assert.equal(res.text, DOC_TEXT);
});

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema({ ...DOC, $id: 'openapi' });
const pointer = (...parts) => parts.map((p) => String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

// Operations whose every path parameter and whose request body (if any) have
// an example (a write without a body, only when it has a path parameter): the creations first, then the reads, changes and deletions,
// so an example GET or PATCH finds the record an example POST made.
function examples() {
  const order = { post: 0, get: 1, patch: 2, delete: 3 };
  return operations().filter(({ method, op }) => {
    const params = op.parameters || [];
    if (op['x-itsm-no-example']) return false;
    if (params.some((p) => p.in === 'path' && p.example === undefined)) return false;
    if (op.requestBody) return op.requestBody.content['application/json'].example !== undefined;
    // A write without a body is an example when it names its record.
    return method === 'get' || params.some((p) => p.in === 'path');
  }).sort((a, b) => order[a.method] - order[b.method]);
}

test('every GET and the main writes carry an example', () => {
  const have = new Set(examples().map((o) => `${o.method} ${o.path}`));
  const want = ['post /api/v1/tickets', 'patch /api/v1/tickets/{ref}', 'post /api/v1/tickets/{ref}/comments',
    'post /api/v1/customers', 'patch /api/v1/customers/{key}', 'post /api/v1/cis', 'post /api/v1/tokens'];
  for (const w of want) assert.ok(have.has(w), `${w} has no example`);
  for (const { path, method, op } of operations())
    if (method === 'get' && !op['x-itsm-no-example'])
      assert.ok(have.has(`get ${path}`), `GET ${path} has no example (nor an x-itsm-no-example reason)`);
});

test('each example request answers as its description says', async () => {
  let sent = 0;
  for (const { path, method, op } of examples()) {
    let url = path;
    const qs = new URLSearchParams();
    for (const p of op.parameters || []) {
      if (p.in === 'path') url = url.replace(`{${p.name}}`, encodeURIComponent(p.example));
      else if (p.in === 'query' && p.example !== undefined) qs.set(p.name, p.example);
    }
    if ([...qs].length) url += `?${qs}`;
    let body = op.requestBody?.content['application/json'].example;
    if (body !== undefined) {
      const validBody = ajv.getSchema(`openapi#/${pointer('paths', path, method, 'requestBody',
        'content', 'application/json', 'schema')}`);
      assert.ok(validBody(body), `${method} ${path}: its example body: ${ajv.errorsText(validBody.errors)}`);
    }
    if (body && 'version' in body && DOC.paths[path].get) {
      // A PATCH is made at the version it reads, as a client would (where
      // the record cannot be read alone, the example's version holds).
      const cur = await admin.get(url);
      assert.equal(cur.status, 200, `GET ${url} before the example PATCH: ${cur.text}`);
      body = { ...body, version: cur.json.version };
    }
    const res = await admin.req(method.toUpperCase(), url, body);
    const [code] = Object.keys(op.responses).filter((c) => /^2/.test(c));
    assert.equal(String(res.status), code, `${method} ${url}: ${res.text.slice(0, 300)}`);
    const media = op.responses[code].content;
    if (media && media['application/json']) {
      const validate = ajv.getSchema(`openapi#/${pointer('paths', path, method, 'responses', code,
        'content', 'application/json', 'schema')}`);
      assert.ok(validate(res.json), `${method} ${url}: ${ajv.errorsText(validate.errors)}\n${res.text.slice(0, 300)}`);
    } else if (media) {
      const type = Object.keys(media)[0];
      assert.ok(res.headers.get('content-type').startsWith(type.split(';')[0]), `${method} ${url}: content type`);
    }
    sent++;
  }
  assert.ok(sent >= 60, `only ${sent} examples sent`);
});

test('the Grafana dashboard uses only series that /metrics has', async () => {
  const dash = JSON.parse(readFileSync(file('../../docs/grafana-itsm.json'), 'utf8'));
  assert.ok(dash.__inputs.some((i) => i.name === 'DS_PROMETHEUS' && i.pluginId === 'prometheus'));
  const exprs = [];
  const walk = (panels) => {
    for (const p of panels || []) {
      for (const t of p.targets || []) exprs.push(t.expr);
      assert.equal(p.datasource?.uid ?? '${DS_PROMETHEUS}', '${DS_PROMETHEUS}', p.title);
      walk(p.panels);
    }
  };
  walk(dash.panels);
  assert.ok(exprs.length >= 8, `only ${exprs.length} queries`);
  const res = await anon.get('/metrics');
  assert.equal(res.status, 200);
  const series = new Set(res.text.split('\n').filter((l) => l && !l.startsWith('#'))
    .map((l) => l.match(/^[a-zA-Z_:][a-zA-Z0-9_:]*/)[0]));
  const labels = new Set([...res.text.matchAll(/[{,]([a-z_]+)="/g)].map((m) => m[1]));
  for (const e of exprs) {
    const names = e.match(/\bitsm_[a-z_]+/g) || [];
    assert.ok(names.length, `no itsm series in ${e}`);
    for (const n of names) assert.ok(series.has(n), `${n} (in ${e}) is not in /metrics`);
    for (const m of e.matchAll(/[{,]\s*([a-z_]+)\s*(?:=~|!=|!~|=)/g))
      assert.ok(labels.has(m[1]), `label ${m[1]} (in ${e}) is not in /metrics`);
    for (const m of e.matchAll(/\bby\s*\(([^)]*)\)/g))
      for (const l of m[1].split(',').map((s) => s.trim()))
        assert.ok(labels.has(l), `label ${l} (in ${e}) is not in /metrics`);
  }
});
