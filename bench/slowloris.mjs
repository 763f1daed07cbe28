// bench/slowloris.mjs — slow clients against a running `itsm serve`, with a
// well-behaved client beside them: N sockets from 127.0.0.1 each send the
// start of a request head and then one header line every INTERVAL ms; a
// client on 127.0.0.2 asks GET /healthz every 100 ms for DURATION ms. Prints
// how the slow sockets ended and how the client fared (docs/http.md).
//
//   node bench/slowloris.mjs PORT [N=128] [INTERVAL_MS=20000] [DURATION_MS=15000]
import net from 'node:net';
import http from 'node:http';

const [port, n = 128, every = 20000, duration = 15000] = process.argv.slice(2).map(Number);
if (!port) {
  console.error('usage: node bench/slowloris.mjs PORT [N] [INTERVAL_MS] [DURATION_MS]');
  process.exit(2);
}
const closedAfter = [];
const sockets = [];
for (let i = 0; i < n; i++) {
  const s = net.connect({ host: '127.0.0.1', port, localAddress: '127.0.0.1' });
  const opened = Date.now();
  let drip;
  s.on('connect', () => {
    s.write('GET /healthz HTTP/1.1\r\nHost: bench\r\n');
    drip = setInterval(() => s.write('X-Slow: 1\r\n'), every);
  });
  s.on('error', () => {});
  s.on('close', () => { clearInterval(drip); closedAfter.push(Date.now() - opened); });
  sockets.push(s);
}

function healthz() {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const req = http.get({ host: '127.0.0.1', port, path: '/healthz', localAddress: '127.0.0.2', agent: false },
      (res) => { res.resume(); res.on('end', () => resolve({ ok: res.statusCode === 200, ms: Date.now() - t0 })); });
    req.on('error', () => resolve({ ok: false, ms: Date.now() - t0 }));
    req.setTimeout(5000, () => req.destroy());
  });
}

const served = [];
const start = Date.now();
while (Date.now() - start < duration) {
  served.push(await healthz());
  await new Promise((r) => setTimeout(r, 100));
}
const atAccept = closedAfter.filter((ms) => ms < 1000);
const later = closedAfter.filter((ms) => ms >= 1000);
const ms = served.map((r) => r.ms).sort((a, b) => a - b);
console.log(`slow sockets: ${n} from 127.0.0.1, a header line every ${every} ms`);
console.log(`  closed at accept: ${atAccept.length}${atAccept.length ? ` (within ${Math.max(...atAccept)} ms)` : ''}`);
console.log(`  closed later: ${later.length}${later.length ? ` (after ${Math.min(...later)}-${Math.max(...later)} ms)` : ''}`);
console.log(`  still open after ${duration} ms: ${n - closedAfter.length}`);
console.log(`well-behaved client (127.0.0.2): ${served.length} requests, ${served.filter((r) => !r.ok).length} failed, `
  + `median ${ms[ms.length >> 1]} ms, max ${ms[ms.length - 1]} ms`);
for (const s of sockets) s.destroy();
