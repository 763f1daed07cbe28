#!/bin/sh
# bench/notify.sh — notifications delivered per second to a real SMTP
# server (python3-aiosmtpd with tests/api/smtp_sink.py, writing each
# message to a file): N tickets are opened for a requester with an address
# while the SMTP server is down, so N notifications wait in the outbox;
# then the server comes up and one pass of the outbox (POST
# /api/v1/sla/tick with the clock past the back-off) sends them all — on
# one SMTP connection where the binary reuses it (the number of connections
# the pass opened is printed, "-" from a binary that does not log it), one
# recorded result per message. Prints the figures and the load average (the
# machine may be shared).
#
#   sh bench/notify.sh [N]       (default 500, at most 512: one pass of the
#                                 outbox; ITSM_BIN, default build/itsm)
set -eu

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=bench/lib.sh
. "$here/lib.sh" # say, die, stop_pid, bench_init, wait_listening
root=$(dirname "$here")
ITSM=${ITSM_BIN:-$root/build/itsm}
N=${1:-500}
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
sampler="" bgpid="" npid="" spid=""
[ "$N" -ge 1 ] && [ "$N" -le 512 ] || die "N is 1 to 512 (one pass of the outbox)"
"$PY" -c 'import aiosmtpd' 2>/dev/null || die "needs python3-aiosmtpd (apt-get install python3-aiosmtpd)"
command -v curl >/dev/null || die "needs curl"
bench_init

sink="$tmp/sink"
mkdir "$sink"
smtp_port=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
db="$tmp/itsm.db"
"$ITSM" --db "$db" customer add acme >/dev/null
"$ITSM" --db "$db" user add admin --role admin >/dev/null
"$ITSM" --db "$db" user add bench --role agent >/dev/null
"$ITSM" --db "$db" user add alice --role requester --customer acme >/dev/null
token=$("$ITSM" --db "$db" token create bench --user admin)
auth="Authorization: Bearer $token"
printf '[mail]\nsmtp_url = smtp://127.0.0.1:%s\nfrom = desk@bench.example\n' "$smtp_port" >"$tmp/itsm.conf"
"$ITSM" --db "$db" --config "$tmp/itsm.conf" serve --listen 127.0.0.1:0 --allow-clock \
	>"$tmp/server.out" 2>>"$tmp/server.log" &
spid=$!
wait_listening "$tmp/server.out" "$tmp/server.log" "$spid" || exit 1
ver=$(curl -sf -H "$auth" "$base/api/v1/users/alice" | sed 's/.*"version":\([0-9]*\).*/\1/')
curl -sf -o /dev/null -X PATCH -H "$auth" -H 'Content-Type: application/json' \
	-d "{\"version\":$ver,\"email\":\"alice@acme.example\"}" "$base/api/v1/users/alice" ||
	die "cannot give alice an address"

say "opening $N tickets for alice with the SMTP server down"
i=0
while [ $i -lt "$N" ]; do
	curl -sf -o /dev/null -H "$auth" -H 'Content-Type: application/json' \
		-d '{"kind":"incident","title":"Bench notice","description":"x","impact":3,"urgency":3,"requester":"alice","customer":"acme"}' \
		"$base/api/v1/tickets" || die "ticket $i refused"
	i=$((i + 1))
done
sleep 2 # the watcher tries each once (connection refused) and backs off

PYTHONPATH="$root/tests/api" "$PY" -m aiosmtpd -n -l "127.0.0.1:$smtp_port" -c smtp_sink.Sink "$sink" \
	2>"$tmp/sink.log" &
npid=$!
i=0
until "$PY" -c "import socket; socket.create_connection(('127.0.0.1', $smtp_port), 1)" 2>/dev/null; do
	[ $i -lt 100 ] || die "the SMTP sink did not start: $(tail -n 3 "$tmp/sink.log")"
	sleep 0.1
	i=$((i + 1))
done

later=$(date -u -d '+2 hours' +%Y-%m-%dT%H:%M:%SZ)
t0=$(date +%s.%N)
out=$(curl -sf -H "$auth" -H 'Content-Type: application/json' -d "{\"now\":\"$later\"}" \
	"$base/api/v1/sla/tick") || die "the tick failed"
t1=$(date +%s.%N)
sent=$(printf '%s' "$out" | sed 's/.*"sent":\([0-9]*\).*/\1/')
got=$(find "$sink" -name '*.eml' | wc -l)
secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
rate=$(awk -v n="$sent" -v s="$secs" 'BEGIN { printf "%.0f", (s > 0) ? n / s : 0 }')
conns=$(sed -n 's/.*msg="outbox smtp" connections=\([0-9]*\).*/\1/p' "$tmp/server.log" |
	awk '{ n += $1; seen = 1 } END { print seen ? n : "-" }')
printf 'notify: queued=%s sent=%s received=%s seconds=%s per_second=%s connections=%s load=%s\n' \
	"$N" "$sent" "$got" "$secs" "$rate" "$conns" "$(cut -d' ' -f1-3 /proc/loadavg)"
[ "$sent" -eq "$N" ] && [ "$got" -eq "$N" ] || die "sent $sent, received $got of $N"
