#!/bin/sh
# bench/profile.sh — where the server's time goes under one workload.
#
#   sh bench/profile.sh get|list|post|random [SECONDS]
#
# Starts build/itsm on a fresh store in a temp dir (about 2,000 tickets, or
# 100,000 for 'random'), drives it with wrk (2 threads, 32 connections) and
# meanwhile samples it with perf record --call-graph dwarf; prints the
# request rate, the syscalls and the server CPU per request, and the top
# functions by inclusive and by self time. Cleans up like run.sh.
# Needs perf (Debian: linux-perf) and root or kernel.perf_event_paranoid <= 1.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
ITSM=${ITSM_BIN:-$root/build/itsm}
WRK_T=${BENCH_WRK_THREADS:-2}
CONNS=${BENCH_CONNECTIONS:-32}
SERVER_THREADS=${BENCH_SERVER_THREADS:-}
what=${1:-get}
secs=${2:-10}

# shellcheck source=bench/lib.sh
. "$here/lib.sh"

command -v perf >/dev/null 2>&1 || die "perf is missing (apt-get install linux-perf)"
command -v wrk >/dev/null 2>&1 || die "wrk is missing (apt-get install wrk)"
case $what in
get | list | post | random) ;;
*) die "usage: sh bench/profile.sh get|list|post|random [SECONDS]" ;;
esac
bench_init

new_store "$tmp/p.db"
start_server "$tmp/p.db"
n=2000
[ "$what" = random ] && n=100000
say "itsm pid $spid on $base; creating $n tickets"
create_tickets "$n" 150 seed
total=$(stored)

requests() { # all requests the server has answered, from /metrics
	curl -sf "$base/metrics" | awk '/^itsm_http_requests_total\{/ { s += $2 } END { print s + 0 }'
}
cpu_ticks() { # user + system clock ticks of the server so far
	awk '{ print $14 + $15 }' "/proc/$spid/stat"
}

case $what in
get) set -- get.lua "$base/api/v1/tickets/INC-1" -H "$auth" ;;
list) set -- get.lua "$base/api/v1/tickets?limit=50" -H "$auth" ;;
post) set -- post.lua "$base" ;;
random) set -- get.lua "$base" -H "$auth" ;;
esac
script=$1
shift
say "profiling '$what' for $secs s"
BENCH_RANDOM_MAX=$total wrk -t"$WRK_T" -c"$CONNS" -d"$((secs + 2))s" -s "$here/$script" "$@" \
	>"$tmp/load.wrk" 2>&1 &
bgpid=$!
sleep 1
r0=$(requests)
c0=$(cpu_ticks)
perf stat -e raw_syscalls:sys_enter -x, -o "$tmp/sys.txt" -p "$spid" -- sleep 2 2>/dev/null || true
perf record -q -F 499 --call-graph dwarf,16384 -o "$tmp/perf.data" -p "$spid" -- sleep "$((secs - 2))" \
	>/dev/null 2>&1 || die "perf record failed (perf_event_paranoid?)"
r1=$(requests)
c1=$(cpu_ticks)
wait "$bgpid" 2>/dev/null || true
bgpid=""
hz=$(getconf CLK_TCK)
sys=$(awk -F, '/raw_syscalls/ { print $1 }' "$tmp/sys.txt")
rps=$(awk -v a="$r0" -v b="$r1" -v s="$secs" 'BEGIN { printf "%.0f", (b - a) / s }')

echo
echo "itsm profile: $what, $total tickets stored, wrk -t$WRK_T -c$CONNS, $secs s"
grep -E '^RESULT' "$tmp/load.wrk" | sed 's/^RESULT /wrk: /'
awk -v r="$((r1 - r0))" -v c="$((c1 - c0))" -v hz="$hz" -v s="$secs" -v sys="${sys:-0}" -v rps="$rps" 'BEGIN {
	printf "server: %s req/s, %.2f cores busy, %.1f us CPU per request, %.1f syscalls per request\n",
		rps, c / hz / s, c / hz / r * 1e6, sys / (rps * 2) }'
echo
echo "top functions, inclusive (children) time:"
perf report -i "$tmp/perf.data" --children --stdio -g none --sort sym --percent-limit 3 2>/dev/null |
	grep -v '^#' | grep -v '^$' | grep -v '\[k\]' | grep -v ' 0x0000' | head -40
echo
echo "top functions, self time:"
perf report -i "$tmp/perf.data" --no-children --stdio -g none --sort dso,sym --percent-limit 1 2>/dev/null |
	grep -v '^#' | grep -v '^$' | head -25
