#!/bin/sh
# bench/mail.sh — e-mail in: messages stored per second
#   1. through `itsm mail receive` (one process per message, as an MTA pipe
#      runs it), WORKERS at once (default 2, the cores of the target);
#   2. through itsm-mailgate (one process per message, libc and jansson
#      only) into a running `itsm serve`, GATE_WORKERS at once (default 8:
#      an MTA delivers several messages at a time);
#   3. through IMAP: N messages in a Dovecot Maildir, one `itsm mail poll
#      --once` (bench/mail_imap.mjs; needs dovecot-imapd and node).
# Every message opens a ticket (mail.sender_hourly_limit = 0: one sender).
# Prints the figures and the load average.
#
#   sh bench/mail.sh [N]        (default 1000; ITSM_BIN, default build/itsm)
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
ITSM=${ITSM_BIN:-$root/build/itsm}
N=${1:-1000}
WORKERS=${BENCH_MAIL_WORKERS:-2}
GATE=${ITSM_MAILGATE:-$(dirname "$ITSM")/itsm-mailgate}
GATE_WORKERS=${BENCH_MAIL_GATE_WORKERS:-8}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/itsm-bench-mail.XXXXXX")
gpid=""
trap '[ -z "$gpid" ] || kill "$gpid" 2>/dev/null; rm -rf "$tmp"' EXIT
trap 'exit 130' HUP INT TERM

say() { printf 'bench: %s\n' "$*" >&2; }
now_ms() { date +%s%3N; }

setup() { # setup DB — a store with alice, the sender
	"$ITSM" --db "$1" customer add acme --name Acme >/dev/null
	echo 'correct-horse-battery' | "$ITSM" --db "$1" user add alice --role requester \
		--customer acme --email alice@acme.example --password-stdin >/dev/null
}

printf '[mail]\nsender_hourly_limit = 0\n' >"$tmp/itsm.conf"
db="$tmp/receive.db"
setup "$db"

# deliver K PREFIX COMMAND… — messages 0…N-1 (Message-ID <PREFIX-n@…>),
# K processes at once, each message piped into a run of COMMAND; sets ms
# to the time it took.
deliver() {
	k=$1
	prefix=$2
	shift 2
	t0=$(now_ms)
	w=0
	pids=""
	while [ "$w" -lt "$k" ]; do
		(
			i=$w
			while [ "$i" -lt "$N" ]; do
				printf 'From: alice@acme.example\r\nSubject: bench %d\r\nMessage-ID: <%s-%d@acme.example>\r\n\r\nMessage %d.\r\n' \
					"$i" "$prefix" "$i" "$i" | "$@" >/dev/null
				i=$((i + k))
			done
		) &
		pids="$pids $!"
		w=$((w + 1))
	done
	for p in $pids; do wait "$p"; done
	ms=$(($(now_ms) - t0))
	[ "$ms" -gt 0 ] || ms=1
}

say "mail receive: $N messages, $WORKERS at once"
deliver "$WORKERS" bench "$ITSM" --db "$db" --config "$tmp/itsm.conf" mail receive
made=$(sqlite3 "$db" "SELECT count(*) FROM tickets")
[ "$made" -eq "$N" ] || { say "error: $made tickets of $N"; exit 1; }
printf 'mail receive: %d messages in %d ms: %d/s (%d processes at once)\n' "$N" "$ms" \
	$((N * 1000 / ms)) "$WORKERS"

# What one process spends: the same message again (a duplicate: parse,
# one read, no write) against an empty-ish run of --help (exec alone).
t0=$(now_ms)
i=0
while [ "$i" -lt 100 ]; do "$ITSM" --help >/dev/null; i=$((i + 1)); done
t1=$(now_ms)
printf 'one process of itsm (exec, no store): %d.%02d ms\n' $(((t1 - t0) / 100)) $(((t1 - t0) % 100))
t0=$(now_ms)
i=0
while [ "$i" -lt 100 ]; do
	printf 'From: alice@acme.example\r\nSubject: bench 0\r\nMessage-ID: <bench-0@acme.example>\r\n\r\nMessage 0.\r\n' |
		"$ITSM" --db "$db" --config "$tmp/itsm.conf" mail receive >/dev/null
	i=$((i + 1))
done
t1=$(now_ms)
printf 'one mail receive of a duplicate (exec, open the store, parse, one read): %d.%02d ms\n' \
	$(((t1 - t0) / 100)) $(((t1 - t0) % 100))

# The gate: a server on its own store, an integration token for the gate.
gdb="$tmp/gate.db"
setup "$gdb"
"$ITSM" --db "$gdb" user add gw --role agent >/dev/null
"$ITSM" --db "$gdb" token create gw --user gw --scope events >"$tmp/gate.token"
printf '[mail]\nsender_hourly_limit = 0\n[server]\nmax_connections_per_ip = 2048\n' >"$tmp/gate.conf"
"$ITSM" --db "$gdb" serve --config "$tmp/gate.conf" --listen 127.0.0.1:0 \
	>"$tmp/gate.out" 2>"$tmp/gate.log" &
gpid=$!
k=0
until grep -q 'listening on http://' "$tmp/gate.out" 2>/dev/null; do
	kill -0 "$gpid" 2>/dev/null || { say "error: the server exited: $(tail -n 3 "$tmp/gate.log")"; exit 1; }
	[ "$k" -lt 600 ] || { say "error: the server did not start within 60 s"; exit 1; }
	sleep 0.1
	k=$((k + 1))
done
url=$(sed -n 's|.*listening on \(http://[^ ]*\).*|\1|p' "$tmp/gate.out" | head -n 1)

say "itsm-mailgate: $N messages, $GATE_WORKERS at once"
deliver "$GATE_WORKERS" gate "$GATE" --url "$url" --token-file "$tmp/gate.token"
kill "$gpid"
wait "$gpid" 2>/dev/null || true
gpid=""
made=$(sqlite3 "$gdb" "SELECT count(*) FROM tickets")
[ "$made" -eq "$N" ] || { say "error: $made tickets of $N through the gate"; exit 1; }
printf 'itsm-mailgate into itsm serve: %d messages in %d ms: %d/s (%d processes at once)\n' "$N" "$ms" \
	$((N * 1000 / ms)) "$GATE_WORKERS"
t0=$(now_ms)
i=0
while [ "$i" -lt 100 ]; do "$GATE" --help 2>/dev/null; i=$((i + 1)); done
t1=$(now_ms)
printf 'one process of itsm-mailgate (exec, no server): %d.%02d ms\n' $(((t1 - t0) / 100)) $(((t1 - t0) % 100))

idb="$tmp/imap.db"
setup "$idb"
say "imap: $N messages in the Maildir, one poll"
ITSM_BIN="$ITSM" node "$here/mail_imap.mjs" "$idb" "$tmp" "$N"
printf 'load average: %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
