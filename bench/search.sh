#!/bin/sh
# bench/search.sh — the full-text search over N tickets (default 100,000):
#   1. the store: N tickets inserted by one SQL statement (sqlite3, a
#      recursive CTE; the migration's triggers index each one as it is
#      inserted — what an upgraded store holds), titles and descriptions in
#      English and Japanese, one ticket in 20 about printers;
#   2. the time that insert took, the index included;
#   3. GET /api/v1/search as an agent, R sequential requests per query
#      (BENCH_SEARCH_REQUESTS, default 200): p50 and p99 in ms for an
#      English word, two English words, a Japanese word of five characters
#      (trigrams) and one of two (印刷: the bounded scan), and for the
#      tickets' list with ?q= (the same index).
# The load average is printed beside the figures: the machine is shared.
#
#   sh bench/search.sh [N]        (N=…, ITSM_BIN, KEEP=1 keeps the temp dir)
set -eu

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=bench/lib.sh
. "$here/lib.sh" # wait_listening
root=$(dirname "$here")
ITSM=${ITSM_BIN:-$root/build/itsm}
N=${1:-${N:-100000}}
R=${BENCH_SEARCH_REQUESTS:-200}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/itsm-bench-search.XXXXXX")
spid=""
cleanup() {
	if [ -n "$spid" ]; then
		kill "$spid" 2>/dev/null && wait "$spid" 2>/dev/null || true
	fi
	[ "${KEEP:-0}" = 1 ] || rm -rf "$tmp"
}
trap cleanup EXIT INT TERM
say() { printf 'bench-search: %s\n' "$*" >&2; }
load() { cut -d' ' -f1-3 /proc/loadavg; }

[ -x "$ITSM" ] || { say "no binary at $ITSM (run make)"; exit 1; }
for tool in sqlite3 node; do
	command -v "$tool" >/dev/null || { say "needs $tool (apt-get install sqlite3 nodejs)"; exit 1; }
done

db="$tmp/itsm.db"
"$ITSM" --db "$db" customer add acme >/dev/null
"$ITSM" --db "$db" user add agent1 --role agent >/dev/null
token=$("$ITSM" --db "$db" token create bench --user agent1)

say "inserting $N tickets into $tmp"
t0=$(date +%s.%N)
sqlite3 "$db" "
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $N)
INSERT INTO tickets(key, kind, title, description, impact, urgency, priority, status,
	customer_id, created_at, updated_at)
SELECT 'INC-' || i, 'incident',
	CASE i % 4
	WHEN 0 THEN 'VPN gateway timeout ' || i
	WHEN 1 THEN 'メールが届かない ' || i
	WHEN 2 THEN CASE WHEN i % 20 = 2 THEN 'プリンターで印刷できない ' ELSE '画面が固まる ' END || i
	ELSE 'Laptop slow after update ' || i END,
	'ticket ' || i || ' ' || hex(randomblob(8)) || CASE WHEN i % 20 = 2 THEN ' printer paper jam' ELSE '' END,
	2, 2, 3, 'new', 1, 1700000000000 + i, 1700000000000 + i
FROM n;
INSERT INTO counters(name, value) VALUES('INC', $N)
	ON CONFLICT(name) DO UPDATE SET value = excluded.value;"
t1=$(date +%s.%N)
insert_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
docs=$(sqlite3 "$db" 'SELECT count(*) FROM search_fts')

"$ITSM" --db "$db" serve --listen 127.0.0.1:0 >"$tmp/out" 2>"$tmp/log" &
spid=$!
wait_listening "$tmp/out" "$tmp/log" "$spid"

cat >"$tmp/bench.mjs" <<'JS'
const [base, token, r, ...paths] = process.argv.slice(2);
const pct = (a, p) => a[Math.min(a.length - 1, Math.floor(a.length * p))];
for (const path of paths) {
  const ms = [];
  let hits = 0;
  for (let i = 0; i < Number(r); i++) {
    const t = process.hrtime.bigint();
    const res = await fetch(base + path, { headers: { authorization: `Bearer ${token}` } });
    const body = await res.json();
    ms.push(Number(process.hrtime.bigint() - t) / 1e6);
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(body)}`);
    hits = body.items.length;
  }
  ms.sort((a, b) => a - b);
  console.log(`${decodeURIComponent(path).padEnd(52)} ${pct(ms, 0.5).toFixed(2).padStart(8)} ${pct(ms, 0.99).toFixed(2).padStart(8)} ${String(hits).padStart(5)}`);
}
JS
q() { node -e 'console.log(encodeURIComponent(process.argv[1]))' "$1"; }
echo "search over $N tickets ($docs documents indexed; inserted and indexed in ${insert_s} s)"
echo "load average before: $(load)"
printf '%-52s %8s %8s %5s\n' "request ($R each)" "p50 ms" "p99 ms" "items"
node "$tmp/bench.mjs" "$base" "$token" "$R" \
	"/api/v1/search?q=printer" \
	"/api/v1/search?q=$(q 'vpn gateway')" \
	"/api/v1/search?q=$(q 'プリンター')" \
	"/api/v1/search?q=$(q '印刷')" \
	"/api/v1/tickets?q=printer" \
	"/api/v1/tickets?q=$(q 'プリンター')"
echo "load average after: $(load)"
