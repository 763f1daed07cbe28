// signin.mjs — the sign-in figures of docs/platform.md, for one or more
// builds side by side (the same run, the same machine):
//
//   node bench/signin.mjs [BIN ...]          default: build/itsm
//   e.g. node bench/signin.mjs /tmp/old/itsm build/itsm
//
// For each binary, ROUNDS times (default 3; env ROUNDS), each round on a
// fresh store and server:
//   burst  32 wrong passwords for one user, sent at once over connections
//          opened beforehand: the answers, and the failure count the store
//          holds afterwards (sign_in_failures, read with the sqlite3 shell);
//   crowd  32 sign-ins at once (5 right, 27 for unknown names) on another
//          fresh server: the answers and the server's peak resident memory
//          (VmHWM in /proc/PID/status), against its VmRSS before.
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const bins = process.argv.slice(2).length ? process.argv.slice(2) : ['build/itsm'];
const ROUNDS = Number(process.env.ROUNDS || 3);
const PASSWORD = 'correct-horse-battery';

async function withServer(bin, fn) {
  process.env.ITSM_BIN = resolve(bin);
  const lib = await import(`../tests/api/lib.mjs?bin=${encodeURIComponent(bin)}`);
  const store = lib.makeStore();
  lib.seed(store.db);
  const srv = await lib.startServer(store.db);
  try {
    return await fn(srv, store, lib);
  } finally {
    await lib.stopClean(srv);
    store.cleanup();
  }
}

// POST each body at once, each over a connection of its own opened first.
async function postAtOnce(url, bodies) {
  const agents = bodies.map(() => new http.Agent({ keepAlive: true, maxSockets: 1 }));
  const send = (agent, body) => new Promise((ok, fail) => {
    const req = http.request(`${url}${body ? '/api/v1/session' : '/healthz'}`,
      { method: body ? 'POST' : 'GET', agent, headers: body ? { 'content-type': 'application/json' } : {} },
      (res) => { res.resume(); res.on('end', () => ok(res.statusCode)); });
    req.on('error', fail);
    req.end(body);
  });
  try {
    for (const a of agents) await send(a);
    return await Promise.all(bodies.map((b, i) => send(agents[i], JSON.stringify(b))));
  } finally {
    for (const a of agents) a.destroy();
  }
}

const tally = (statuses) => Object.entries(statuses.reduce((m, s) => ({ ...m, [s]: (m[s] || 0) + 1 }), {}))
  .map(([s, n]) => `${n}×${s}`).join(' ');
const status = (pid, field) => Number(readFileSync(`/proc/${pid}/status`, 'utf8').match(new RegExp(`${field}:\\s+(\\d+) kB`))[1]) / 1024;

console.log(`# ${new Date().toISOString()}, load ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);
console.log('| build | round | burst: answers | burst: failures counted | crowd: answers | crowd: RSS before → VmHWM (MiB) |');
console.log('|---|---|---|---|---|---|');
for (let round = 1; round <= ROUNDS; round++) {
  for (const bin of bins) {
    const burst = await withServer(bin, async (srv, store, lib) => {
      const answers = await postAtOnce(srv.url, Array.from({ length: 32 }, () => ({ username: 'alice', password: 'wrong-password' })));
      return { answers, failures: lib.sqlite(store.db, "SELECT failures FROM sign_in_failures WHERE username='alice'") };
    });
    const crowd = await withServer(bin, async (srv) => {
      const before = status(srv.proc.pid, 'VmRSS');
      const users = ['agent1', 'manager1', 'operator1', 'alice', 'dave'];
      const answers = await postAtOnce(srv.url, Array.from({ length: 32 }, (_, i) => (i < users.length
        ? { username: users[i], password: PASSWORD } : { username: `nobody${i}`, password: 'wrong-password' })));
      return { answers, before, peak: status(srv.proc.pid, 'VmHWM') };
    });
    console.log(`| ${bin} | ${round} | ${tally(burst.answers)} | ${burst.failures} | ${tally(crowd.answers)} | ${crowd.before.toFixed(0)} → ${crowd.peak.toFixed(0)} |`);
  }
}
