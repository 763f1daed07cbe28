#!/bin/sh
# bench/sla.sh — the service level management figures:
#   1. calendar due (and elapsed) computations per second (bench/calendar.c);
#   2. the import rate of migrated history: N tickets with timelines (default
#      1,000,000; target under 60 s) through `itsm import tickets`;
#   3. the monthly service level report's time over those N tickets
#      (target under 2 s), JSON, best of 3 runs, CLI and over HTTP.
#
#   sh bench/sla.sh [N]        (BENCH_SLA_N, BENCH_CALENDAR_N, ITSM_BIN, KEEP=1 keeps the temp dir)
set -eu

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=bench/lib.sh
. "$here/lib.sh" # wait_listening
root=$(dirname "$here")
ITSM=${ITSM_BIN:-$root/build/itsm}
N=${1:-${BENCH_SLA_N:-1000000}}
MONTH=${BENCH_SLA_MONTH:-2026-03}
CFLAGS="-std=c17 -O2 -D_GNU_SOURCE -I$root/src -include $root/src/lib/compat.h"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/itsm-bench-sla.XXXXXX")
spid=""
cleanup() {
	[ -n "$spid" ] && kill "$spid" 2>/dev/null && wait "$spid" 2>/dev/null || true
	[ "${KEEP:-0}" = 1 ] || rm -rf "$tmp"
}
trap cleanup EXIT INT TERM
say() { printf 'bench-sla: %s\n' "$*" >&2; }
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }

[ -x "$ITSM" ] || { say "no binary at $ITSM (run make)"; exit 1; }

# --- 1. calendar arithmetic -------------------------------------------------
say "building the calendar bench"
# Linked against the binary's own library (make builds build/libitsm.a), so
# the bench never lags behind what a calendar needs.
[ -f "$root/build/libitsm.a" ] || { say "no $root/build/libitsm.a (run make)"; exit 1; }
# shellcheck disable=SC2086,SC2046 # word splitting of the flags is intended
cc $CFLAGS -o "$tmp/bench-calendar" "$here/calendar.c" "$root/build/libitsm.a" \
	$(itsm_libs)
cal=$("$tmp/bench-calendar" "${BENCH_CALENDAR_N:-1000000}")
due_rate=$(printf '%s\n' "$cal" | awk '/^calendar_due/ { print $6 }')
elapsed_rate=$(printf '%s\n' "$cal" | awk '/^calendar_elapsed/ { print $6 }')

# --- 2. import ----------------------------------------------------------------
db="$tmp/itsm.db"
say "store in $tmp; generating $N tickets"
cc -O2 -o "$tmp/sla-gen" "$here/sla_gen.c"
"$tmp/sla-gen" "$N" >"$tmp/tickets.jsonl"
"$ITSM" --db "$db" customer add acme >/dev/null
"$ITSM" --db "$db" user add agent1 --role agent >/dev/null
cat >"$tmp/office.json" <<'JSON'
{"name":"office","timezone":"Europe/London","hours":{"mon":[["09:00","18:00"]],
 "tue":[["09:00","18:00"]],"wed":[["09:00","18:00"]],"thu":[["09:00","18:00"]],
 "fri":[["09:00","18:00"]]},"holidays":["2025-12-25","2026-01-01","2026-12-25"]}
JSON
"$ITSM" --db "$db" calendar add --file "$tmp/office.json" >/dev/null
for svc in email erp vpn web; do
	"$ITSM" --db "$db" service add "$svc" >/dev/null
	cal=24x7
	[ "$svc" = erp ] && cal=office
	cat >"$tmp/sla-$svc.json" <<JSON
{"name":"acme-$svc","customer":"acme","service":"$svc","calendar":"$cal",
 "targets":{"1":{"response_minutes":15,"resolution_minutes":240},
  "2":{"response_minutes":30,"resolution_minutes":480},
  "3":{"response_minutes":60,"resolution_minutes":960},
  "4":{"response_minutes":120,"resolution_minutes":1920},
  "5":{"response_minutes":240,"resolution_minutes":2880}},
 "warn_at":0.75,"availability_target":99.9}
JSON
	"$ITSM" --db "$db" sla add --file "$tmp/sla-$svc.json" >/dev/null
	"$ITSM" --db "$db" outage add --service "$svc" --start "${MONTH}-10T10:00:00Z" \
		--end "${MONTH}-10T10:30:00Z" >/dev/null
	"$ITSM" --db "$db" outage add --service "$svc" --start "${MONTH}-15T01:00:00Z" \
		--end "${MONTH}-15T03:00:00Z" --planned >/dev/null
done
size=$(du -m "$tmp/tickets.jsonl" | cut -f1)
say "importing $N tickets (${size} MB of JSONL)"
t0=$(now)
"$ITSM" --db "$db" import tickets "$tmp/tickets.jsonl" >"$tmp/import.out"
t1=$(now)
import_s=$(secs "$t0" "$t1")
import_rate=$(awk -v n="$N" -v s="$import_s" 'BEGIN { printf "%.0f", n / s }')
db_mb=$(du -m "$db" | cut -f1)

# --- 3. the report ------------------------------------------------------------
say "report for acme, $MONTH"
best=""
for i in 1 2 3; do
	t0=$(now)
	"$ITSM" --db "$db" sla report --customer acme --month "$MONTH" --format json >"$tmp/report.json"
	t1=$(now)
	s=$(secs "$t0" "$t1")
	best=$(awk -v a="${best:-$s}" -v b="$s" 'BEGIN { print (b < a) ? b : a }')
done
in_month=$(awk -F'"tickets": ' '/"tickets"/ { split($2, v, ","); s += v[1] } END { print s + 0 }' "$tmp/report.json")

"$ITSM" --db "$db" user add admin --role admin >/dev/null
token=$("$ITSM" --db "$db" token create bench --user admin)
"$ITSM" --db "$db" serve --listen 127.0.0.1:0 >"$tmp/serve.out" 2>"$tmp/serve.log" &
spid=$!
wait_listening "$tmp/serve.out" "$tmp/serve.log" "$spid" || exit 1
http_best=""
for i in 1 2 3; do
	t=$(curl -s -o /dev/null -w '%{time_total}' -H "Authorization: Bearer $token" \
		"$base/api/v1/reports/service-level?customer=acme&month=$MONTH")
	http_best=$(awk -v a="${http_best:-$t}" -v b="$t" 'BEGIN { print (b < a) ? b : a }')
done

ok() { awk -v v="$1" -v t="$2" -v op="$3" 'BEGIN { p = (op == ">=") ? (v >= t) : (v < t); print p ? "PASS" : "FAIL" }'; }
cat <<EOF2

itsm service level bench — $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores
$(printf '%-52s %14s   %s\n' "figure" "value" "target")
$(printf '%-52s %14s   %s\n' "calendar_due (ops/s, London 09-18, 15 min-2 weeks)" "$due_rate" "")
$(printf '%-52s %14s   %s\n' "calendar_elapsed (ops/s, spans 0-2 weeks)" "$elapsed_rate" "")
$(printf '%-52s %14s   %s\n' "import $N tickets with timelines (s)" "$import_s" "< 60 $(ok "$import_s" 60 '<')")
$(printf '%-52s %14s   %s\n' "import rate (tickets/s)" "$import_rate" "")
$(printf '%-52s %14s   %s\n' "report $MONTH over $N tickets, CLI (s)" "$best" "< 2 $(ok "$best" 2 '<')")
$(printf '%-52s %14s   %s\n' "report $MONTH over $N tickets, HTTP (s)" "$http_best" "< 2 $(ok "$http_best" 2 '<')")
tickets counted in $MONTH (a clock due in it): $in_month; store ${db_mb} MB; $(cat "$tmp/import.out")
EOF2
