// lib.mjs — what the browser tests share: the server under test (started by
// run.sh, or here when a test file runs alone), chromium through
// playwright-core, sign-in, screenshots and the axe-core check.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
export const ROOT = resolve(here, '../..');
export const PASSWORD = process.env.E2E_PASSWORD || 'correct-horse-battery';
export const SHOTS = join(ROOT, 'test-output', 'screenshots');
const BIN = process.env.ITSM_BIN || join(ROOT, 'build/itsm');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

let server = null;

// The server under test: {url}. run.sh passes ITSM_URL; a file run alone
// (node --test tests/e2e/x.test.mjs) gets a fresh seeded server of its own.
export async function serverUrl() {
  if (process.env.ITSM_URL) return process.env.ITSM_URL;
  if (server) return server.url;
  const dir = mkdtempSync(join(tmpdir(), 'itsm-e2e-'));
  const db = join(dir, 'itsm.db');
  const cli = (args, input) => {
    const r = spawnSync(BIN, ['--db', db, ...args], { input, encoding: 'utf8', env: { ...process.env, ITSM_LOG: 'error' } });
    if (r.status !== 0) throw new Error(`itsm ${args.join(' ')}: ${r.stderr}`);
  };
  cli(['customer', 'add', 'acme', '--name', 'Acme Manufacturing']);
  cli(['customer', 'add', 'globex', '--name', 'Globex Logistics']);
  for (const [name, role, customer] of [['admin', 'admin'], ['agent1', 'agent'], ['agent2', 'agent'], ['manager1', 'manager'],
    ['alice', 'requester', 'acme'], ['bob', 'requester', 'acme'], ['dave', 'requester', 'globex']]) {
    cli(['user', 'add', name, '--role', role, ...(customer ? ['--customer', customer] : []), '--password-stdin'], `${PASSWORD}\n`);
  }
  // The server's stdout goes to a file, and the child is unref'd: this
  // process holds no handle to it and exits when its tests are done,
  // stopping the server on the way out.
  const out = join(dir, 'out');
  // The per-address connection cap lifted, as run.sh does (see there).
  const conf = join(dir, 'e2e.conf');
  writeFileSync(conf, '[server]\nmax_connections_per_ip = 1024\n');
  const proc = spawn(BIN, ['--db', db, 'serve', '--config', conf, '--listen', '127.0.0.1:0'], {
    env: { ...process.env, ITSM_LOG: 'warn' }, stdio: ['ignore', openSync(out, 'w'), 'ignore'],
  });
  let exited = null;
  proc.once('exit', (code) => { exited = code; });
  proc.unref();
  let url = null;
  for (let i = 0; i < 200 && !url && exited === null; i++) {
    await new Promise((r) => setTimeout(r, 50));
    const m = readFileSync(out, 'utf8').match(/listening on (http:\/\/[0-9.:]+)/);
    if (m) url = m[1];
  }
  if (!url) throw new Error(`itsm did not start (exit ${exited})`);
  server = { url, proc, dir };
  process.once('exit', () => { proc.kill('SIGTERM'); rmSync(dir, { recursive: true, force: true }); });
  return url;
}

export async function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

// A browser context signed in as username, with a page on its start screen.
// Page errors (uncaught exceptions) are collected in page.errors.
export async function signIn(browser, base, username, { viewport, lang = 'en' } = {}) {
  const context = await browser.newContext({ viewport: viewport || { width: 1280, height: 860 }, locale: lang === 'ja' ? 'ja-JP' : 'en-GB' });
  await context.addInitScript((l) => { try { localStorage.setItem('itsm.lang', l); } catch { /* */ } }, lang);
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(e.message));
  page.on('dialog', (d) => { page.errors.push(`dialog: ${d.message()}`); d.dismiss().catch(() => {}); });
  await page.goto(`${base}/signin`);
  await page.fill('#username', username);
  await page.fill('#password', PASSWORD);
  await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/api/v1/session') && r.request().method() === 'POST'),
    page.click('form.signin button[type=submit]'),
  ]);
  await page.waitForSelector('main [data-screen], main h1');
  return { context, page };
}

export async function shot(page, name) {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

const AXE = readFileSync(join(here, 'node_modules/axe-core/axe.min.js'), 'utf8');

// Run axe-core on the page; returns the serious and critical violations.
// The script goes in through the DevTools protocol (page.evaluate), which
// the page's Content-Security-Policy does not govern.
export async function axe(page) {
  const has = await page.evaluate(() => typeof window.axe !== 'undefined');
  if (!has) await page.evaluate(AXE);
  const res = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  });
  return res.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

// JSON API calls from node with a session of their own (cookie + CSRF).
export async function apiSession(base, username) {
  const res = await fetch(`${base}/api/v1/session`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: PASSWORD }),
  });
  if (res.status !== 201) throw new Error(`sign-in ${username}: ${res.status}`);
  const cookie = res.headers.get('set-cookie').split(';')[0];
  const { csrf_token: csrf } = await res.json();
  const call = async (method, path, body, { token = csrf, headers = {} } = {}) => {
    const h = { cookie, ...headers };
    if (token && method !== 'GET') h['x-csrf-token'] = token;
    if (body !== undefined) h['content-type'] = h['content-type'] || 'application/json';
    const r = await fetch(base + path, { method, headers: h, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
    const text = await r.text();
    let json = null;
    try { json = JSON.parse(text); } catch { /* not JSON */ }
    return { status: r.status, json, text };
  };
  return { cookie, csrf, call, get: (p) => call('GET', p), post: (p, b, o) => call('POST', p, b, o), patch: (p, b, o) => call('PATCH', p, b, o) };
}

export function unique(prefix) {
  return `${prefix} ${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
}
