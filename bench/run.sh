#!/bin/sh
# bench/run.sh — the benchmark figures of itsm, from one run, on loopback.
#
#   make bench            (or: sh bench/run.sh)
#
# Starts build/itsm on a fresh store in a temp dir, then with wrk measures:
#   1. GET one ticket (req/s, p99) against nginx serving a static JSON file of
#      the same size (bench/nginx.conf), in alternating rounds, and the ratio
#      itsm/nginx of each round with their median;
#   2. list 50 tickets (req/s); then GET one ticket and list 50 again through
#      the web console's session cookie (signed in as the console does);
#   3. durable POST create with 32 connections (tickets/s, 201s counted);
# then restarts itsm on a second fresh store and measures
#   4. the time to create 100,000 tickets through the API;
#   5. reads across those 100,000 tickets, the server's RSS while serving them
#      and its peak RSS (VmHWM) since it started.
# Prints a summary table with the targets beside. Every process it starts and
# its temp dir are removed on exit, also on failure or Ctrl-C.
# bench/README.md explains each figure; the knobs are the BENCH_* variables
# below.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
ITSM=${ITSM_BIN:-$root/build/itsm}
ROUND_S=${BENCH_ROUND_S:-5}           # seconds per GET round (itsm, nginx)
ROUNDS=${BENCH_ROUNDS:-3}             # GET rounds, alternating itsm and nginx
DUR=${BENCH_DURATION:-10}             # seconds for each other measured run
CONNS=${BENCH_CONNECTIONS:-32}        # wrk connections
WRK_T=${BENCH_WRK_THREADS:-2}         # wrk threads
LOAD_N=${BENCH_LOAD:-100000}          # tickets to create in the load phase
LOAD_MAX_S=${BENCH_LOAD_MAX_S:-150}   # give up the load phase after this
SEED_N=${BENCH_SEED:-200}             # tickets before the read benchmarks
READ_S=${BENCH_READ_S:-30}            # random reads across the loaded store
SERVER_THREADS=${BENCH_SERVER_THREADS:-} # empty: the server's default

# shellcheck source=bench/lib.sh
. "$here/lib.sh"

# --- prerequisites --------------------------------------------------------

need=""
command -v wrk >/dev/null 2>&1 || need="$need wrk"
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need="$need nginx-light"
command -v curl >/dev/null 2>&1 || need="$need curl"
# shellcheck disable=SC2086 # one word per package
install_missing $need
NGINX=$(command -v nginx 2>/dev/null || echo /usr/sbin/nginx)
[ -r /proc/self/status ] || die "needs /proc to read the server's RSS"

bench_init
load_start=$(cut -d' ' -f1-3 /proc/loadavg)

start_nginx() {
	p="$tmp/nginx"
	mkdir -p "$p/html" "$p/logs" "$p/temp"
	user=""
	[ "$(id -u)" -eq 0 ] && user="user root;" # workers must read the 0700 temp dir
	tries=0
	while :; do
		tries=$((tries + 1))
		nport=$(od -An -N2 -tu2 /dev/urandom | awk '{ print 20000 + $1 % 40000 }')
		sed -e "s|@PREFIX@|$p|g" -e "s|@PORT@|$nport|g" -e "s|@USER@|$user|g" \
			"$here/nginx.conf" >"$p/nginx.conf"
		"$NGINX" -e "$p/logs/error.log" -p "$p/" -c "$p/nginx.conf" -g 'daemon off;' \
			>>"$p/logs/stdout.log" 2>&1 &
		npid=$!
		i=0
		while [ $i -lt 50 ]; do
			curl -sf -o /dev/null "http://127.0.0.1:$nport/ticket.json" && return 0
			kill -0 "$npid" 2>/dev/null || break
			sleep 0.1
			i=$((i + 1))
		done
		stop_pid "$npid"
		npid=""
		[ $tries -lt 5 ] || die "nginx did not start: $(tail -n 3 "$p/logs/error.log")"
	done
}

# --- 1. a fresh store, a user, a token, some tickets -----------------------

say "stores in $tmp"
new_store "$tmp/a.db"
start_server "$tmp/a.db"
say "itsm pid $spid on $base"
rss_idle=$(kb_of "$spid" VmRSS)

curl -sf -o /dev/null -H "$auth" -H 'Content-Type: application/json' \
	-d '{"kind":"incident","title":"Printer on floor 3 is jammed","description":"Paper jam in tray 2, the display shows E-104.","impact":2,"urgency":2}' \
	"$base/api/v1/tickets" || die "cannot create a ticket"
create_tickets "$SEED_N" 30 seed
seeded=$(stored)
say "seeded $seeded tickets"

# --- 2. GET one ticket, itsm against nginx ----------------------------------

one="$base/api/v1/tickets/INC-1"
curl -sf -H "$auth" -o "$tmp/one.json" "$one" || die "cannot read INC-1"
mkdir -p "$tmp/nginx/html"
cp "$tmp/one.json" "$tmp/nginx/html/ticket.json"
size=$(wc -c <"$tmp/one.json" | tr -d ' ')
start_nginx
static="http://127.0.0.1:$nport/ticket.json"
nsize=$(curl -sf "$static" | wc -c | tr -d ' ')
[ "$nsize" = "$size" ] || die "nginx serves $nsize bytes, itsm $size"
say "nginx pid $npid on port $nport, static file $size bytes"

say "warming up"
run_wrk warm-itsm get.lua 2 "$one" -H "$auth" >/dev/null
run_wrk warm-nginx get.lua 2 "$static" >/dev/null

get_rps="" get_p99="" ngx_rps="" ngx_p99="" ratios="" rounds_txt="" get_bad=0
r=1
while [ $r -le "$ROUNDS" ]; do
	say "GET round $r/$ROUNDS (${ROUND_S} s itsm, ${ROUND_S} s nginx)"
	a=$(run_wrk "get-$r" get.lua "$ROUND_S" "$one" -H "$auth")
	b=$(run_wrk "nginx-$r" get.lua "$ROUND_S" "$static")
	get_rps="$get_rps $(field rps "$a")"
	get_p99="$get_p99 $(field p99_ms "$a")"
	ngx_rps="$ngx_rps $(field rps "$b")"
	ngx_p99="$ngx_p99 $(field p99_ms "$b")"
	get_bad=$((get_bad + $(field non2xx "$a") + $(field errors "$a")))
	rr=$(awk -v x="$(field rps "$a")" -v y="$(field rps "$b")" 'BEGIN { printf "%.3f", x / y }')
	ratios="$ratios $rr"
	rounds_txt="$rounds_txt$(printf '    round %d: itsm %8.0f req/s (p99 %6.2f ms)   nginx %8.0f req/s (p99 %6.2f ms)   ratio %.2f' \
		"$r" "$(field rps "$a")" "$(field p99_ms "$a")" "$(field rps "$b")" "$(field p99_ms "$b")" "$rr")
"
	r=$((r + 1))
done
# shellcheck disable=SC2086 # word splitting of the lists is intended
{
	g_rps=$(median $get_rps)
	g_p99=$(median $get_p99)
	n_rps=$(median $ngx_rps)
	n_p99=$(median $ngx_p99)
}
# The ratio of each round (itsm and nginx measured back to back, so what
# else the machine did weighs on both alike), and their median.
# shellcheck disable=SC2086
ratio=$(median $ratios | awk '{ printf "%.2f", $1 }')
stop_pid "$npid"
npid=""

# --- 3. list 50 tickets ---------------------------------------------------------

say "list 50 (${DUR} s)"
l=$(run_wrk list get.lua "$DUR" "$base/api/v1/tickets?limit=50" -H "$auth")
curl -sf -H "$auth" "$base/api/v1/tickets?limit=50" | grep -o '"key":' | wc -l | tr -d ' ' >"$tmp/list.n"

# --- 3b. the same through the console's session cookie -------------------------
# What people use: the web console signs in (POST /api/v1/session) and
# reads with its cookie, which the server looks up per request.
pw=$("$ITSM" --db "$tmp/a.db" user password bench) || die "cannot set the bench user's password"
curl -sf -o /dev/null -c "$tmp/cookies" -H 'Content-Type: application/json' \
	-d "{\"username\":\"bench\",\"password\":\"$pw\"}" "$base/api/v1/session" ||
	die "cannot sign in to the console"
# curl's jar marks an HttpOnly cookie's line with a "#HttpOnly_" prefix
cookie=$(sed 's/^#HttpOnly_//' "$tmp/cookies" |
	awk '!/^#/ && NF >= 7 { printf "%s%s=%s", sep, $6, $7; sep = "; " }')
[ -n "$cookie" ] || die "the sign-in set no cookie"
curl -sf -o /dev/null -H "Cookie: $cookie" "$one" || die "the console's cookie cannot read INC-1"
say "GET one ticket and list 50 with the console's cookie (${DUR} s each)"
cg=$(run_wrk cookie-get get.lua "$DUR" "$one" -H "Cookie: $cookie")
cl=$(run_wrk cookie-list get.lua "$DUR" "$base/api/v1/tickets?limit=50" -H "Cookie: $cookie")

# --- 4. durable POST, 32 connections -------------------------------------------

say "durable POST (${DUR} s, $CONNS connections)"
before=$(stored)
p=$(run_wrk post post.lua "$DUR" "$base")
sleep 0.5
after=$(stored)

a_hwm=$(kb_of "$spid" VmHWM)
a_stored=$(stored)
stop_pid "$spid"
spid=""

# --- 5. a second server on a fresh store: create 100,000 tickets -----------------

new_store "$tmp/b.db"
start_server "$tmp/b.db"
say "itsm pid $spid on $base, fresh store"
say "creating $LOAD_N tickets (at most ${LOAD_MAX_S} s)"
create_tickets "$LOAD_N" "$LOAD_MAX_S" load
sleep 0.5
total=$(stored)

# --- 6. serving reads across them; RSS ---------------------------------------------

say "reads across $total stored tickets (${READ_S} s random GET, ${DUR} s list), sampling RSS"
rss_loaded_idle=$(kb_of "$spid" VmRSS)
(
	max=0
	while kill -0 "$spid" 2>/dev/null; do
		v=$(kb_of "$spid" VmRSS)
		[ "${v:-0}" -gt "$max" ] && max=$v && echo "$max" >"$tmp/rss.max"
		sleep 0.2
	done
) &
sampler=$!
rg=$(
	export BENCH_RANDOM_MAX="$total"
	run_wrk random get.lua "$READ_S" "$base" -H "$auth"
)
rl=$(run_wrk list-big get.lua "$DUR" "$base/api/v1/tickets?limit=50" -H "$auth")
stop_pid "$sampler"
sampler=""
rss_serving=$(cat "$tmp/rss.max" 2>/dev/null || echo 0)
rss_hwm=$(kb_of "$spid" VmHWM)
threads_now=$(awk '$1 == "Threads:" { print $2 }' "/proc/$spid/status")
# /metrics counts tickets by status on each scrape: its cost grows with the store
metrics_ms=$(
	for _ in 1 2 3; do curl -sf -o /dev/null -w '%{time_total}\n' "$base/metrics"; done |
		sort -g | awk 'NR == 2 { printf "%.1f", $1 * 1000 }'
)
db_mb=$(du -sk "$tmp" | awk '{ printf "%.0f", $1 / 1024 }')

# --- summary -------------------------------------------------------------------------

ok() { awk -v v="$1" -v t="$2" -v op="$3" 'BEGIN {
	pass = (op == ">=") ? (v >= t) : (v < t); print pass ? "PASS" : "FAIL" }'; }

post_rate=$(field created_per_s "$p")
cat <<EOF

itsm benchmark — $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, loopback, wrk -t$WRK_T -c$CONNS
server: $ITSM (threads: ${SERVER_THREADS:-default}), store on $(df -T "$tmp" | awk 'NR == 2 { print $2 }')
load average: $load_start at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end (other work on the machine skews every figure)

GET one ticket, $size-byte body, median of $ROUNDS alternating ${ROUND_S}-s rounds:
$rounds_txt
$(printf '%-44s %10s   %s\n' "figure" "value" "target")
$(printf '%-44s %10.0f   %s\n' "GET one ticket (req/s)" "$g_rps" "")
$(printf '%-44s %10.2f   %s\n' "GET one ticket p99 (ms)" "$g_p99" "")
$(printf '%-44s %10.0f   %s\n' "nginx static, same size (req/s)" "$n_rps" "")
$(printf '%-44s %10.2f   %s\n' "nginx static p99 (ms)" "$n_p99" "")
$(printf '%-44s %10.2f   %s\n' "ratio itsm/nginx (median of the rounds')" "$ratio" ">= 0.70 $(ok "$ratio" 0.7 '>=')")
$(printf '%-44s %10.0f   %s\n' "list 50 tickets (req/s, $seeded stored)" "$(field rps "$l")" ">= 10000 $(ok "$(field rps "$l")" 10000 '>=')")
$(printf '%-44s %10.2f   %s\n' "list 50 tickets p99 (ms)" "$(field p99_ms "$l")" "")
$(printf '%-44s %10.0f   %s\n' "GET one ticket, console cookie (req/s)" "$(field rps "$cg")" "")
$(printf '%-44s %10.2f   %s\n' "GET one ticket, console cookie p99 (ms)" "$(field p99_ms "$cg")" "")
$(printf '%-44s %10.0f   %s\n' "list 50 tickets, console cookie (req/s)" "$(field rps "$cl")" ">= 10000 $(ok "$(field rps "$cl")" 10000 '>=')")
$(printf '%-44s %10.0f   %s\n' "durable POST, $CONNS conns (tickets/s)" "$post_rate" ">= 10000 $(ok "$post_rate" 10000 '>=')")
$(printf '%-44s %10.2f   %s\n' "durable POST p99 (ms)" "$(field p99_ms "$p")" "< 10 $(ok "$(field p99_ms "$p")" 10 '<')")
$(printf '%-44s %10s   %s\n' "create $LOAD_N tickets (s)" "$load_s" "")
$(printf '%-44s %10s   %s\n' "create $LOAD_N tickets (tickets/s)" "$load_rate" "")
$(printf '%-44s %10.0f   %s\n' "GET random ticket of $total (req/s)" "$(field rps "$rg")" "")
$(printf '%-44s %10.2f   %s\n' "GET random ticket p99 (ms)" "$(field p99_ms "$rg")" "")
$(printf '%-44s %10.0f   %s\n' "list 50 tickets of $total (req/s)" "$(field rps "$rl")" "")
$(printf '%-44s %10s   %s\n' "GET /metrics with $total stored (ms)" "$metrics_ms" "")
$(printf '%-44s %10s   %s\n' "RSS idle, fresh store (MB)" "$(mb "$rss_idle")" "")
$(printf '%-44s %10s   %s\n' "RSS idle after the load, $total stored (MB)" "$(mb "$rss_loaded_idle")" "")
$(printf '%-44s %10s   %s\n' "RSS serving reads, $total stored (MB)" "$(mb "$rss_serving")" "< 50 $(ok "$(mb "$rss_serving")" 50 '<')")
$(printf '%-44s %10s   %s\n' "peak RSS, load + reads, VmHWM (MB)" "$(mb "$rss_hwm")" "")
$(printf '%-44s %10s   %s\n' "peak RSS, GET/list/POST server, VmHWM (MB)" "$(mb "$a_hwm")" "")

checks: GET non-2xx/errors $get_bad; with the cookie $(($(field non2xx "$cg") + $(field non2xx "$cl"))); POST 201s $(field created "$p") (other $(field other "$p"), errors $(field errors "$p")), store grew by $((after - before)) to $a_stored;
        load: $load_n tickets stored in ${load_s} s (non-201 $load_other); random GET non-2xx $(field non2xx "$rg");
        list returned $(cat "$tmp/list.n") items; server threads $threads_now; temp dir ${db_mb} MB
EOF
if [ "$load_n" -lt "$LOAD_N" ]; then
	echo "warning: only $load_n of $LOAD_N tickets were created within ${LOAD_MAX_S} s"
fi
