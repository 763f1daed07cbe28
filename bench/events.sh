#!/bin/sh
# bench/events.sh — the monitoring figures of itsm:
#   1. events ingested per second, durable (acknowledged after the group
#      commit's fsync), 32 connections, dedup path hot (bench/events.lua),
#      for itsm's own events and for Alertmanager notifications; the store's
#      event log is counted before and after, so nothing acknowledged is lost;
#   2. checks run per second by the scheduler of `itsm serve` (BENCH_CHECKS
#      check_dummy checks, default 400, each due every second; checks.workers
#      8): the scheduler's capacity when more is due than it can run;
#   3. impact analysis time on 100,000 items and 500,000 relationships
#      (bench/cmdb_impact.c over the shared graph code).
#
#   sh bench/events.sh     (BENCH_DURATION, BENCH_CONNECTIONS, BENCH_CHECKS,
#                           BENCH_IMPACT_ITEMS, BENCH_IMPACT_RELS, ITSM_BIN)
set -eu

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=bench/lib.sh
. "$here/lib.sh" # wait_listening
root=$(dirname "$here")
ITSM=${ITSM_BIN:-$root/build/itsm}
DUR=${BENCH_DURATION:-10}
CONNS=${BENCH_CONNECTIONS:-32}
WRK_T=${BENCH_WRK_THREADS:-2}
NCHECKS=${BENCH_CHECKS:-400}
DUMMY=/usr/lib/nagios/plugins/check_dummy

tmp=$(mktemp -d "${TMPDIR:-/tmp}/itsm-bench-events.XXXXXX")
spid=""
cleanup() {
	[ -n "$spid" ] && kill "$spid" 2>/dev/null && wait "$spid" 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM
say() { printf 'bench-events: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }
field() { printf '%s\n' "$2" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
command -v wrk >/dev/null || die "wrk is not installed"
[ -x "$ITSM" ] || die "no binary at $ITSM (run make)"

db="$tmp/itsm.db"
export ITSM_LOG=error
# Checks run command templates of the configuration, which the server and
# the CLI both read from ITSM_CONFIG.
if [ -x "$DUMMY" ]; then
	printf '[commands]\ncheck_dummy = %s $ARG1$ "$ARG2$"\n' "$DUMMY" >"$tmp/itsm.conf"
	export ITSM_CONFIG="$tmp/itsm.conf"
fi
start_server() {
	: >"$tmp/server.out"
	# every wrk connection comes from one address: lift the per-address cap
	printf '[server]\nmax_connections_per_ip = 2048\n' >"$tmp/bench.conf"
	"$ITSM" --db "$db" serve --config "$tmp/bench.conf" --listen 127.0.0.1:0 \
		>"$tmp/server.out" 2>>"$tmp/server.log" &
	spid=$!
	wait_listening "$tmp/server.out" "$tmp/server.log" "$spid" || exit 1
}
stop_server() { kill "$spid"; wait "$spid" 2>/dev/null || true; spid=""; }
events_stored() { sqlite3 "$db" 'SELECT count(*) FROM events'; }

"$ITSM" --db "$db" user add bench --role operator >/dev/null
token=$("$ITSM" --db "$db" token create bench --user bench --scope events)
for k in 0 1 2 3 4 5 6 7 8 9; do
	"$ITSM" --db "$db" ci add "bench-ci-$k" --name "bench $k" --type server >/dev/null
done
export BENCH_TOKEN="$token"

# --- 1. events ----------------------------------------------------------------
start_server
say "warming up (opens the 50 alerts)"
wrk -t1 -c4 -d2s -s "$here/events.lua" "$base" >/dev/null 2>&1 || true
BENCH_PATH=/api/v1/integrations/alertmanager wrk -t1 -c4 -d1s -s "$here/events.lua" "$base" >/dev/null 2>&1 || true
stop_server
run_intake() { # run_intake NAME PATH BATCH — sets NAME_line and NAME_grew
	before=$(events_stored)
	start_server
	say "POST $2 ($3 per request), $CONNS connections, ${DUR} s"
	BENCH_PATH=$2 BENCH_BATCH=$3 wrk -t"$WRK_T" -c"$CONNS" -d"${DUR}s" --timeout 10s \
		-s "$here/events.lua" "$base" >"$tmp/wrk.out" 2>&1 || die "wrk failed: $(tail -n 3 "$tmp/wrk.out")"
	line=$(grep '^RESULT ' "$tmp/wrk.out")
	stop_server
	after=$(events_stored)
	eval "$1_line=\$line"
	eval "$1_grew=$((after - before))"
}
run_intake ev /api/v1/events 1
run_intake evb /api/v1/events 10
run_intake am /api/v1/integrations/alertmanager 10

# --- 2. checks ----------------------------------------------------------------
if [ -x "$DUMMY" ]; then
	say "defining $NCHECKS checks (check_dummy, every second)"
	i=0
	while [ $i -lt "$NCHECKS" ]; do
		"$ITSM" --db "$db" check add "dummy-$i" --ci bench-ci-$((i % 10)) --interval 1 --max-attempts 1 \
			-- check_dummy 0 "bench ok" >/dev/null
		i=$((i + 1))
	done
	start_server
	sleep 3
	r0=$(curl -sf "$base/metrics" | awk '/^itsm_check_results_total/ { s += $2 } END { print s + 0 }')
	t0=$(date +%s.%N)
	sleep "$DUR"
	r1=$(curl -sf "$base/metrics" | awk '/^itsm_check_results_total/ { s += $2 } END { print s + 0 }')
	t1=$(date +%s.%N)
	stop_server
	checks_rate=$(awk -v a="$r0" -v b="$r1" -v s="$t0" -v e="$t1" 'BEGIN { printf "%.0f", (b - a) / (e - s) }')
else
	checks_rate="n/a"
fi

# --- 3. impact ----------------------------------------------------------------
say "building the impact bench"
# shellcheck disable=SC2046
cc -std=c17 -O2 -D_GNU_SOURCE -I"$root/src" -include "$root/src/lib/compat.h" -o "$tmp/cmdb-impact" \
	"$here/cmdb_impact.c" "$root/build/libitsm.a" \
	$(itsm_libs) \
	|| die "cannot build bench/cmdb_impact.c (run make first)"
"$tmp/cmdb-impact" "${BENCH_IMPACT_ITEMS:-100000}" "${BENCH_IMPACT_RELS:-500000}" "$tmp/impact.db" >"$tmp/impact.out" || die "impact bench failed"

cat <<EOT

itsm monitoring benchmark — $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, loopback, wrk -t$WRK_T -c$CONNS, ${DUR} s
$(printf '%-52s %10s   %s\n' "figure" "value" "target")
$(printf '%-52s %10.0f   %s\n' "events/s durable, 1 event per POST, dedup hot" "$(field stored_per_s "$ev_line")" ">= 10000")
$(printf '%-52s %10.2f\n' "  p99 (ms)" "$(field p99_ms "$ev_line")")
$(printf '%-52s %10s\n' "  acknowledged / stored in the event log" "$(field stored "$ev_line") / $ev_grew")
$(printf '%-52s %10.0f   %s\n' "events/s durable, 10 events per POST, dedup hot" "$(field stored_per_s "$evb_line")" ">= 10000")
$(printf '%-52s %10s\n' "  acknowledged / stored in the event log" "$(field stored "$evb_line") / $evb_grew")
$(printf '%-52s %10.0f\n' "alerts/s durable, Alertmanager, 10 alerts per POST" "$(field stored_per_s "$am_line")")
$(printf '%-52s %10s\n' "  acknowledged / stored in the event log" "$(field stored "$am_line") / $am_grew")
$(printf '%-52s %10s\n' "checks run per second by the scheduler ($NCHECKS checks)" "$checks_rate")
$(cat "$tmp/impact.out")
EOT
