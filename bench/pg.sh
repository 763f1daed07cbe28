#!/bin/sh
# bench/pg.sh — itsm on PostgreSQL beside itsm on SQLite, one run, one machine:
#   1. durable creates/s (POST /api/v1/tickets, bench/post.lua, 32 clients)
#      with 1 itsm server on PostgreSQL, 3 itsm servers on the same database
#      (three wrk, one per server, the 32 connections split between them;
#      their figures added) and 1 itsm server on SQLite;
#   2. GET one ticket/s (bench/get.lua, 32 clients) the same three ways;
#   3. the monthly service level report over N1 and N2 tickets (default
#      1,000,000 and 10,000,000) on each engine, rows made with SQL straight
#      into the tables, timed through the CLI (best of 3);
#   4. impact analysis over ITEMS items (default 100,000, 5 relationships per
#      item) on each engine, through GET /api/v1/cis/KEY/impact.
# A PostgreSQL 15 cluster of its own in the temp dir (fsync and
# synchronous_commit on, shared_buffers 256MB), on loopback. The table prints
# the 1-minute load average beside each figure, and the targets: PostgreSQL
# creates >= 3,000/s with 32 clients, the report over 10M tickets < 5 s.
# Every process it starts and its temp dir are removed on exit, also on
# failure or Ctrl-C. bench/README.md explains the figures and the knobs.
#
#   sh bench/pg.sh                    (full sizes: many minutes, GBs of disk)
#   BENCH_PG_SMALL=1 sh bench/pg.sh   (tiny sizes: under a minute)
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
ITSM=${ITSM_BIN:-$root/build/itsm}
PG_BIN=${PG_BIN:-$(sh "$root/scripts/pg-test.sh" bin 2>/dev/null || true)}
if [ "${BENCH_PG_SMALL:-0}" = 1 ]; then
	d_round=3 d_n1=1000 d_n2=10000 d_items=1000 d_queries=20
else
	d_round=10 d_n1=1000000 d_n2=10000000 d_items=100000 d_queries=200
fi
ROUND_S=${BENCH_PG_ROUND_S:-$d_round}     # seconds of each wrk run
SLA_N1=${BENCH_PG_SLA_N1:-$d_n1}          # tickets of the first report
SLA_N2=${BENCH_PG_SLA_N2:-$d_n2}          # tickets of the second (more rows added)
ITEMS=${BENCH_PG_ITEMS:-$d_items}         # configuration items
QUERIES=${BENCH_PG_QUERIES:-$d_queries}   # impact queries after the first
SHARED_BUFFERS=${BENCH_PG_SHARED_BUFFERS:-256MB}
CONNS=${BENCH_CONNECTIONS:-32}            # wrk connections in all
WRK_T=${BENCH_WRK_THREADS:-2}             # wrk threads against one server
MONTH=2026-03                             # the report's month (the rows span 2025-2026)

# shellcheck source=bench/lib.sh
. "$here/lib.sh"

# --- prerequisites --------------------------------------------------------

[ -x "$PG_BIN/pg_ctl" ] || die "no PostgreSQL server (apt-get install postgresql, or set PG_BIN)"
need=""
command -v wrk >/dev/null 2>&1 || need="$need wrk"
command -v curl >/dev/null 2>&1 || need="$need curl"
command -v sqlite3 >/dev/null 2>&1 || need="$need sqlite3"
# shellcheck disable=SC2086 # one word per package
install_missing $need

# --- processes and cleanup ----------------------------------------------------

pids=""    # itsm servers running
wrkpids="" # wrk runs going
pg_up=0

as_pg() { # run a PostgreSQL program as postgres when we are root
	if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# lib.sh's cleanup, with the servers, the wrk runs and the cluster added.
cleanup() {
	rc=$?
	trap - EXIT HUP INT PIPE TERM
	for p in $wrkpids $pids; do stop_pid "$p"; done
	if [ "$pg_up" = 1 ]; then
		as_pg "$PG_BIN/pg_ctl" -D "$tmp/pg" -m fast -w stop >/dev/null 2>&1 || true
	fi
	if [ -n "$tmp" ]; then
		if [ $rc -ne 0 ]; then
			for f in "$tmp"/*.log "$tmp/pg/postgresql.log"; do
				[ -f "$f" ] || continue
				say "last lines of $(basename "$f"):"
				tail -n 5 "$f" >&2 || true
			done
		fi
		rm -rf "$tmp"
	fi
	exit $rc
}

bench_init
# postgres must reach its data directory inside the 0700 temp dir.
chmod 0711 "$tmp"
fs=$(df -T "$tmp" | awk 'NR == 2 { print $2 }')
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
load1() { cut -d' ' -f1 /proc/loadavg; }
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }

# --- the PostgreSQL cluster ---------------------------------------------------

mkdir "$tmp/pg"
[ "$(id -u)" -eq 0 ] && chown postgres: "$tmp/pg"
as_pg "$PG_BIN/initdb" -D "$tmp/pg" -U postgres --auth=trust >"$tmp/initdb.log" 2>&1 ||
	die "initdb failed: $(tail -n 3 "$tmp/initdb.log")"
cp "$tmp/pg/postgresql.conf" "$tmp/postgresql.conf.orig"
tries=0
while :; do
	tries=$((tries + 1))
	pgport=$(od -An -N2 -tu2 /dev/urandom | awk '{ print 20000 + $1 % 40000 }')
	cp "$tmp/postgresql.conf.orig" "$tmp/pg/postgresql.conf"
	cat >>"$tmp/pg/postgresql.conf" <<EOF
port = $pgport
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
fsync = on
synchronous_commit = on
shared_buffers = $SHARED_BUFFERS
max_connections = 300
max_wal_size = 4GB
EOF
	if as_pg "$PG_BIN/pg_ctl" -D "$tmp/pg" -l "$tmp/pg/postgresql.log" -w start >/dev/null 2>&1; then
		pg_up=1
		break
	fi
	[ $tries -lt 5 ] || die "PostgreSQL did not start: $(tail -n 3 "$tmp/pg/postgresql.log")"
done
pg_version=$("$PG_BIN/postgres" --version | awk '{ print $3 }')
say "PostgreSQL $pg_version on 127.0.0.1:$pgport, data in $tmp/pg ($fs)"

psql_in() { # psql_in DB SQL — run SQL in database DB
	"$PG_BIN/psql" -X -q -A -t -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$pgport" -U postgres \
		-d "$1" -c "$2"
}
pg_db() { # pg_db NAME — a fresh database; prints its URI
	psql_in postgres "CREATE DATABASE $1" >/dev/null
	printf 'postgresql://postgres@127.0.0.1:%s/%s' "$pgport" "$1"
}
sql_in() { # sql_in ENGINE DB SQL — SQL into a store of either engine
	if [ "$1" = pg ]; then
		psql_in "${2##*/}" "$3"
	else
		"$SQLITE3" "$2" "$3"
	fi
}
# The first rows 1..N of a query, as a CTE g(i): the engines differ only here.
series() { # series ENGINE FROM TO
	if [ "$1" = pg ]; then
		printf 'WITH g(i) AS (SELECT generate_series(%s::bigint, %s::bigint))' "$2" "$3"
	else
		printf 'WITH RECURSIVE g(i) AS (SELECT %s UNION ALL SELECT i + 1 FROM g WHERE i < %s)' "$2" "$3"
	fi
}

printf '[server]\nmax_connections_per_ip = 2048\n' >"$tmp/bench.conf"
serve() { # serve DB NAME — start itsm serve; sets base, adds the pid to pids
	"$ITSM" --db "$1" serve --config "$tmp/bench.conf" --listen 127.0.0.1:0 \
		>"$tmp/$2.out" 2>>"$tmp/$2.log" &
	pids="$pids $!"
	wait_listening "$tmp/$2.out" "$tmp/$2.log" "$!" || exit 1
}
stop_servers() {
	for p in $pids; do stop_pid "$p"; done
	pids=""
}

# --- 1 and 2. creates and GET one ticket --------------------------------------

# wrk_each SCRIPT URL… — one wrk per URL at once, the connections split
# between them; their RESULT lines, one per wrk, into $tmp/results.
wrk_each() {
	script=$1
	shift
	n=$#
	k=0
	for url in "$@"; do
		c=$((CONNS / n))
		[ $k -lt $((CONNS % n)) ] && c=$((c + 1))
		t=$WRK_T
		[ "$n" -gt 1 ] && t=1
		wrk -t"$t" -c"$c" -d"${ROUND_S}s" --timeout 10s -s "$here/$script" -H "$auth" "$url" \
			>"$tmp/wrk.$k" 2>&1 &
		wrkpids="$wrkpids $!"
		k=$((k + 1))
	done
	for p in $wrkpids; do wait "$p" || die "wrk failed: $(cat "$tmp"/wrk.*)"; done
	wrkpids=""
	: >"$tmp/results"
	k=0
	while [ $k -lt "$n" ]; do
		line=$(grep '^RESULT ' "$tmp/wrk.$k" | tail -n 1)
		[ -n "$line" ] || die "wrk printed no result: $(tail -n 3 "$tmp/wrk.$k")"
		printf '%s\n' "$line" >>"$tmp/results"
		k=$((k + 1))
	done
}
sum_field() { # sum_field KEY — the sum of KEY=… over the last wrk_each's results
	tr ' ' '\n' <"$tmp/results" | sed -n "s/^$1=//p" | awk '{ s += $1 } END { printf "%.0f", s }'
}

# http_figures NAME DB SERVERS — sets c_rate c_load g_rate g_load g_bad
http_figures() {
	new_store "$2"
	urls="" gets=""
	i=0
	while [ $i -lt "$3" ]; do
		serve "$2" "$1-$i"
		urls="$urls $base/api/v1/tickets"
		gets="$gets $base/api/v1/tickets/INC-1"
		i=$((i + 1))
	done
	# shellcheck disable=SC2086 # one word per URL
	wrk_each post.lua $urls
	c_rate=$(sum_field created_per_s)
	c_bad=$(($(sum_field other) + $(sum_field errors)))
	c_load=$(load1)
	curl -sf -o /dev/null -H "$auth" "$base/api/v1/tickets/INC-1" || die "$1: no INC-1 after the creates"
	# shellcheck disable=SC2086
	wrk_each get.lua $gets
	g_rate=$(sum_field rps)
	g_bad=$(($(sum_field non2xx) + $(sum_field errors) + c_bad))
	g_load=$(load1)
	stop_servers
	say "$1: $c_rate creates/s, $g_rate GET/s (non-2xx or errors: $g_bad)"
}

say "creates and GET: ${ROUND_S} s rounds, $CONNS connections"
http_figures pg1 "$(pg_db http1)" 1
pc1=$c_rate pc1l=$c_load pg1r=$g_rate pg1l=$g_load pb1=$g_bad
http_figures pg3 "$(pg_db http3)" 3
pc3=$c_rate pc3l=$c_load pg3r=$g_rate pg3l=$g_load pb3=$g_bad
http_figures sqlite "$tmp/http.db" 1
sc1=$c_rate sc1l=$c_load sg1r=$g_rate sg1l=$g_load sb1=$g_bad

# --- 3. the monthly report ------------------------------------------------------

# Reference data through the CLI (a customer, four services, an SLA each on
# the 24x7 calendar), then tickets and their SLA clocks straight into the
# tables: created over 2025-2026, one SLA per service, a response verdict
# after 1-67 minutes (target 60) and a resolution after 0.5-18.5 hours of
# clock (target 16).
sla_setup() { # sla_setup DB
	"$ITSM" --db "$1" customer add acme >/dev/null
	for svc in email erp vpn web; do
		"$ITSM" --db "$1" service add "$svc" >/dev/null
		cat >"$tmp/sla-$svc.json" <<JSON
{"name":"acme-$svc","customer":"acme","service":"$svc","calendar":"24x7",
 "targets":{"1":{"response_minutes":60,"resolution_minutes":960},
  "2":{"response_minutes":60,"resolution_minutes":960},
  "3":{"response_minutes":60,"resolution_minutes":960},
  "4":{"response_minutes":60,"resolution_minutes":960},
  "5":{"response_minutes":60,"resolution_minutes":960}},
 "warn_at":0.75,"availability_target":99.9}
JSON
		"$ITSM" --db "$1" sla add --file "$tmp/sla-$svc.json" >/dev/null
	done
}
# h(i, M): a hash of row i, 0 … 2^32-6.
H() { printf '((i * %s) %% 4294967291)' "$1"; }
sla_rows() { # sla_rows ENGINE DB FROM TO
	cust=$(sql_in "$1" "$2" "SELECT id FROM customers WHERE key = 'acme'")
	sla0=$(sql_in "$1" "$2" "SELECT min(id) FROM slas")
	w=$(series "$1" "$3" "$4")
	pre="" post=""
	[ "$1" = sqlite ] && pre="PRAGMA synchronous = OFF; BEGIN;" post="COMMIT;"
	sql_in "$1" "$2" "$pre
$w, x AS (SELECT i, 1735689600 + $(H 2654435761) % 63072000 AS c,
	60 + $(H 40503) % 4000 AS r, 1800 + $(H 69069) % 64800 AS s FROM g)
INSERT INTO tickets(id, key, kind, title, description, impact, urgency, priority, status,
	customer_id, service, channel, created_at, updated_at, resolved_at, closed_at)
SELECT i, 'INC-' || i, 'incident', 'Generated ticket ' || i, '', 2, 2, 3, 'closed', $cust,
	CASE i % 4 WHEN 0 THEN 'email' WHEN 1 THEN 'erp' WHEN 2 THEN 'vpn' ELSE 'web' END,
	'api', c, c + s + 86400, c + s, c + s + 86400 FROM x;
$w, x AS (SELECT i, 1735689600 + $(H 2654435761) % 63072000 AS c,
	60 + $(H 40503) % 4000 AS r, 1800 + $(H 69069) % 64800 AS s FROM g)
INSERT INTO ticket_sla(ticket_id, sla_id, priority, resp_target, res_target, warn_permille,
	started_at, resp_due, resp_warn, resp_stopped, resp_met, res_spent, run_from, res_due,
	res_warn, res_stopped, res_met, paused, fired, grp, next_at)
SELECT i, $sla0 + i % 4, 3, 3600, 57600, 750, c, c + 3600, c + 2700, c + r,
	CASE WHEN r <= 3600 THEN 1 ELSE 0 END, s, 0, c + 57600, c + 43200, c + s,
	CASE WHEN s <= 57600 THEN 1 ELSE 0 END, 0, 0, '', NULL FROM x;
$post"
	if [ "$1" = pg ]; then
		sql_in pg "$2" "ANALYZE tickets; ANALYZE ticket_sla"
	else
		sql_in sqlite "$2" "PRAGMA analysis_limit = 1000; ANALYZE" >/dev/null
	fi
}
report_best() { # report_best DB — seconds, best of 3; the report in $tmp/report.json
	best=""
	for i in 1 2 3; do
		t0=$(now)
		"$ITSM" --db "$1" sla report --customer acme --month "$MONTH" --format json >"$tmp/report.json" ||
			die "the report failed on $1"
		t1=$(now)
		s=$(secs "$t0" "$t1")
		best=$(awk -v a="${best:-$s}" -v b="$s" 'BEGIN { print (b < a) ? b : a }')
	done
	printf '%s\n' "$best"
}
counted() { # the tickets the last report counted, over its SLAs
	awk -F'"tickets": ' '/"tickets"/ { split($2, v, ","); s += v[1] } END { print s + 0 }' "$tmp/report.json"
}
sla_figures() { # sla_figures ENGINE DB — sets r1 r1l n1 r2 r2l n2
	sla_setup "$2"
	say "$1: $SLA_N1 tickets"
	sla_rows "$1" "$2" 1 "$SLA_N1"
	r1=$(report_best "$2") r1l=$(load1) n1=$(counted)
	say "$1: report over $SLA_N1 in $r1 s; $SLA_N2 tickets"
	sla_rows "$1" "$2" $((SLA_N1 + 1)) "$SLA_N2"
	r2=$(report_best "$2") r2l=$(load1) n2=$(counted)
	say "$1: report over $SLA_N2 in $r2 s"
}
sla_figures pg "$(pg_db sla)"
pr1=$r1 pr1l=$r1l pn1=$n1 pr2=$r2 pr2l=$r2l pn2=$n2
sla_figures sqlite "$tmp/sla.db"
sr1=$r1 sr1l=$r1l sn1=$n1 sr2=$r2 sr2l=$r2l sn2=$n2

# --- 4. impact ------------------------------------------------------------------

# Items in tiers (network 10 %, servers 20 %, virtual machines 30 %,
# applications 30 %, services 10 %) and 5 relationships per item, each
# "upper depends on lower" (mostly the next tier down), duplicates dropped,
# plus a few cycles from services back to network devices — the graph
# bench/cmdb_impact.c makes, with a hash in place of its random numbers so
# both engines hold the same one.
s1=$((1 + ITEMS * 100 / 1000))
s2=$((s1 + ITEMS * 200 / 1000))
s3=$((s2 + ITEMS * 300 / 1000))
s4=$((s3 + ITEMS * 300 / 1000))
s5=$((ITEMS + 1))
RELS=$((ITEMS * 5))
cmdb_rows() { # cmdb_rows ENGINE DB
	pre="" post="" tail=""
	[ "$1" = sqlite ] && pre="PRAGMA synchronous = OFF; BEGIN;" post="COMMIT;" tail="WHERE true"
	sql_in "$1" "$2" "$pre
$(series "$1" 1 "$ITEMS")
INSERT INTO cis(id, key, name, type, status, created_at, updated_at)
SELECT i, 'ci-' || i, 'item ' || i, CASE WHEN i < $s1 THEN 'network_device'
	WHEN i < $s2 THEN 'server' WHEN i < $s3 THEN 'virtual_machine'
	WHEN i < $s4 THEN 'application' ELSE 'service' END, 'active', 0, 0 FROM g;
$(series "$1" 1 "$RELS"),
t AS (SELECT i, 1 + $(H 2654435761) % 4 AS up,
	CASE WHEN $(H 40503) % 4 <> 0 THEN 1 ELSE 0 END AS nx, $(H 69069) AS h1,
	$(H 1103515245) AS h2 FROM g),
l AS (SELECT i, up, CASE WHEN nx = 1 THEN up - 1 ELSE h1 % up END AS lo, h1, h2 FROM t),
e AS (SELECT i, up,
	CASE up WHEN 1 THEN $s1 + h2 % $((s2 - s1)) WHEN 2 THEN $s2 + h2 % $((s3 - s2))
		WHEN 3 THEN $s3 + h2 % $((s4 - s3)) ELSE $s4 + h2 % $((s5 - s4)) END AS src,
	CASE lo WHEN 0 THEN 1 + $(H 16807) % $((s1 - 1)) WHEN 1 THEN $s1 + $(H 16807) % $((s2 - s1))
		WHEN 2 THEN $s2 + $(H 16807) % $((s3 - s2)) ELSE $s3 + $(H 16807) % $((s4 - s3)) END AS dst
	FROM l)
INSERT INTO ci_relationships(source_id, type, target_id, propagates, created_at)
SELECT src, CASE WHEN up = 4 THEN 'depends_on' ELSE 'runs_on' END, dst, 0, 0 FROM e $tail
ON CONFLICT DO NOTHING;
INSERT INTO ci_relationships(source_id, type, target_id, propagates, created_at)
SELECT id, 'connected_to', id % $((s1 - 1)) + 1, 1, 0 FROM cis
WHERE type = 'service' AND id % 50 = 0 ON CONFLICT DO NOTHING;
INSERT INTO meta(key, value) VALUES('cmdb.gen', '1')
ON CONFLICT(key) DO UPDATE SET value = '1';
$post"
	if [ "$1" = pg ]; then sql_in pg "$2" "ANALYZE cis; ANALYZE ci_relationships"; fi
}
ms_sorted() { sort -g "$tmp/impact.ms" | awk -v q="$1" '{ v[NR] = $1 } END { i = int(NR * q + 0.999); if (i < 1) i = 1; print v[i] }'; }
impact_figures() { # impact_figures ENGINE DB — sets i_first i_med i_p99 i_load i_reached i_rels
	new_store "$2"
	cmdb_rows "$1" "$2"
	i_rels=$(sql_in "$1" "$2" "SELECT count(*) FROM ci_relationships")
	serve "$2" "impact-$1"
	t=$(curl -sf -o "$tmp/impact.json" -w '%{time_total}' -H "$auth" "$base/api/v1/cis/ci-1/impact?limit=100") ||
		die "$1: impact of ci-1 failed"
	i_first=$(awk -v t="$t" 'BEGIN { printf "%.1f", t * 1000 }')
	: >"$tmp/impact.ms"
	i_reached=0
	k=1
	while [ $k -le "$QUERIES" ]; do
		id=$((1 + (k * 7919) % (s2 - 1))) # network devices and servers
		t=$(curl -sf -o "$tmp/impact.json" -w '%{time_total}' -H "$auth" \
			"$base/api/v1/cis/ci-$id/impact?limit=100") || die "$1: impact of ci-$id failed"
		awk -v t="$t" 'BEGIN { printf "%.3f\n", t * 1000 }' >>"$tmp/impact.ms"
		n=$(grep -o '"count": *[0-9]*' "$tmp/impact.json" | head -n 1 | tr -dc 0-9)
		i_reached=$((i_reached + ${n:-0}))
		k=$((k + 1))
	done
	i_med=$(ms_sorted 0.5) i_p99=$(ms_sorted 0.99) i_load=$(load1)
	stop_servers
	say "$1: impact first ${i_first} ms, median $i_med ms, p99 $i_p99 ms ($i_rels relationships)"
}
say "impact: $ITEMS items, $RELS relationships asked, $QUERIES queries"
impact_figures pg "$(pg_db cmdb)"
pif=$i_first pim=$i_med pip=$i_p99 pil=$i_load pir=$i_reached pirels=$i_rels
impact_figures sqlite "$tmp/cmdb.db"
sif=$i_first sim=$i_med sip=$i_p99 sil=$i_load sir=$i_reached sirels=$i_rels

# --- the table ------------------------------------------------------------------

ok() { awk -v v="$1" -v t="$2" -v op="$3" 'BEGIN { p = (op == ">=") ? (v >= t) : (v < t); print p ? "PASS" : "FAIL" }'; }
same() {
	if [ "$1" = "$2" ]; then echo "$1 on both"; else echo "DIFFER: PG $1, SQLite $2"; fi
}
row() { printf '%-44s %11s %6s %11s %6s   %s\n' "$@"; }
cat <<EOT

itsm on PostgreSQL $pg_version and on SQLite — $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, loopback, $fs
wrk: $CONNS connections, ${ROUND_S} s per run; load average at the start: $load_start
$(row "figure" "PostgreSQL" "load" "SQLite" "load" "target")
$(row "durable creates/s, $CONNS clients, 1 server" "$pc1" "$pc1l" "$sc1" "$sc1l" "PG >= 3000 $(ok "$pc1" 3000 '>=')")
$(row "durable creates/s, $CONNS clients, 3 servers" "$pc3" "$pc3l" "-" "-" "PG >= 3000 $(ok "$pc3" 3000 '>=')")
$(row "GET one ticket/s, $CONNS clients, 1 server" "$pg1r" "$pg1l" "$sg1r" "$sg1l" "")
$(row "GET one ticket/s, $CONNS clients, 3 servers" "$pg3r" "$pg3l" "-" "-" "")
$(row "SLA report $MONTH over $SLA_N1 tickets (s)" "$pr1" "$pr1l" "$sr1" "$sr1l" "")
$(row "SLA report $MONTH over $SLA_N2 tickets (s)" "$pr2" "$pr2l" "$sr2" "$sr2l" "PG < 5 $(ok "$pr2" 5 '<')")
$(row "impact, $ITEMS items: first query (ms)" "$pif" "-" "$sif" "-" "")
$(row "impact, $ITEMS items: median of $QUERIES (ms)" "$pim" "-" "$sim" "-" "")
$(row "impact, $ITEMS items: p99 of $QUERIES (ms)" "$pip" "$pil" "$sip" "$sil" "")
checks: non-2xx answers or socket errors in the HTTP runs: PG 1 server $pb1, PG 3 servers $pb3, SQLite $sb1
checks: tickets the reports counted: $SLA_N1: $(same "$pn1" "$sn1"); $SLA_N2: $(same "$pn2" "$sn2")
checks: relationships stored: $(same "$pirels" "$sirels"); items reached by the queries: $(same "$pir" "$sir")
load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)
EOT
