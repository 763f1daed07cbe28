# bench/lib.sh — helpers shared by the bench scripts; sourced, not run.
# backup.sh, events.sh and sla.sh take only wait_listening (they keep their
# own temp dir and trap); run.sh and profile.sh take the rest too:
#
# The sourcing script sets here (this dir), ITSM, WRK_T and CONNS, then calls
# bench_init, which makes $tmp and arranges that every process started through
# these helpers (spid, npid, bgpid, sampler) is stopped and $tmp removed on
# exit, also on failure or Ctrl-C.
# The helpers set globals for the caller (base, auth, load_n …):
# shellcheck disable=SC2034,SC2154

tmp=""
spid=""
npid=""
bgpid=""
sampler=""

say() { printf 'bench: %s\n' "$*" >&2; }
# The libraries a program linked against build/libitsm.a needs: the
# Makefile's own list, so a bench never lags behind what the binary links.
itsm_libs() { make -s --no-print-directory -C "$root" print-link; }
die() {
	printf 'bench: error: %s\n' "$*" >&2
	exit 1
}

# install_missing PKG… — install the Debian packages named (the words a
# script collected for what it lacks); nothing when none is named.
install_missing() {
	[ $# -gt 0 ] || return 0
	command -v apt-get >/dev/null 2>&1 || die "missing: $*"
	say "installing: $*"
	SUDO=""
	[ "$(id -u)" -ne 0 ] && SUDO=sudo
	$SUDO apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@" >/dev/null
}

stop_pid() { # stop_pid PID — TERM, wait up to 10 s, then KILL
	[ -n "$1" ] || return 0
	kill -TERM "$1" 2>/dev/null || return 0
	i=0
	while kill -0 "$1" 2>/dev/null && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	kill -KILL "$1" 2>/dev/null || true
	wait "$1" 2>/dev/null || true
}

bench_init() { # bench_init — the temp dir and the exit trap
	SQLITE3=$(command -v sqlite3 2>/dev/null || true)
	trap cleanup EXIT
	trap 'exit 129' HUP
	trap 'exit 130' INT
	trap 'exit 141' PIPE # e.g. piped into head: still clean up
	trap 'exit 143' TERM
	[ -x "$ITSM" ] || die "no server binary at $ITSM (run make)"
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/itsm-bench.XXXXXX")
}

cleanup() {
	rc=$?
	trap - EXIT HUP INT PIPE TERM
	stop_pid "$sampler"
	stop_pid "$bgpid"
	stop_pid "$npid"
	stop_pid "$spid"
	if [ -n "$tmp" ]; then
		if [ $rc -eq 1 ] && [ -f "$tmp/server.log" ]; then
			say "last lines of the server's log:"
			tail -n 5 "$tmp/server.log" >&2 || true
		fi
		rm -rf "$tmp"
	fi
	exit $rc
}

field() { # field KEY LINE — the value of KEY=… in a RESULT line
	printf '%s\n' "$2" | tr ' ' '\n' | sed -n "s/^$1=//p"
}

kb_of() { # kb_of PID KEY — VmRSS / VmHWM of a process, in kB
	awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0
}

mb() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

median() { # median N1 N2 … — the middle value (the lower middle for an even count)
	printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

stored() { # tickets in the store the server runs on
	# Read from the file with sqlite3 (a WAL reader, like the CLI), not from
	# the server: its /metrics gauge counts the tickets table on every
	# scrape, which at 100,000 tickets costs ~50 ms of server CPU and fills
	# that thread's page cache, so polling it would skew the very figures
	# measured here. max(id) is O(log n); the benchmark never deletes.
	if [ -n "$SQLITE3" ]; then
		"$SQLITE3" "$db" 'SELECT coalesce(max(id), 0) FROM tickets' 2>/dev/null || echo 0
	else
		curl -sf "$base/metrics" | awk '/^itsm_tickets\{/ { s += $2 } END { print s + 0 }'
	fi
}

run_wrk() { # run_wrk NAME SCRIPT SECONDS URL [wrk args] — prints the RESULT line
	name=$1 script=$2 secs=$3 url=$4
	shift 4
	wrk -t"$WRK_T" -c"$CONNS" -d"${secs}s" --timeout 10s -s "$here/$script" "$@" "$url" \
		>"$tmp/$name.wrk" 2>&1 || die "wrk $name failed: $(tail -n 3 "$tmp/$name.wrk")"
	line=$(grep '^RESULT ' "$tmp/$name.wrk" | tail -n 1)
	[ -n "$line" ] || die "wrk $name printed no result: $(tail -n 3 "$tmp/$name.wrk")"
	printf '%s\n' "$line"
}

create_tickets() { # create_tickets N MAX_S NAME — POST N tickets with wrk, timed
	# Each wrk thread stops itself after its share of 201s; wrk itself would
	# sleep out its -d, so it is interrupted once the store holds N more.
	# Sets load_n (tickets stored), load_s (seconds), load_rate, load_other.
	start_n=$(stored)
	goal=$((start_n + $1))
	t0=$(date +%s.%N)
	BENCH_QUOTA=$((($1 + WRK_T - 1) / WRK_T)) \
		wrk -t"$WRK_T" -c"$CONNS" -d"$(($2 + 5))s" --timeout 10s -s "$here/post.lua" "$base" \
		>"$tmp/$3.wrk" 2>&1 &
	bgpid=$!
	now_n=$start_n
	while :; do
		sleep 0.1
		now_n=$(stored)
		t1=$(date +%s.%N)
		[ "$now_n" -ge "$goal" ] && break
		kill -0 "$bgpid" 2>/dev/null || break
		awk -v a="$t0" -v b="$t1" -v m="$2" 'BEGIN { exit !(b - a > m) }' && break
	done
	kill -INT "$bgpid" 2>/dev/null || true
	wait "$bgpid" 2>/dev/null || true
	bgpid=""
	load_n=$((now_n - start_n))
	load_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
	load_rate=$(awk -v n="$load_n" -v s="$load_s" 'BEGIN { printf "%.0f", (s > 0) ? n / s : 0 }')
	load_other=$(field other "$(grep '^RESULT ' "$tmp/$3.wrk" | tail -n 1)")
}

new_store() { # new_store DB — a customer, an agent and a token; sets token, auth
	"$ITSM" --db "$1" customer add acme >/dev/null
	"$ITSM" --db "$1" user add bench --role agent >/dev/null
	token=$("$ITSM" --db "$1" token create bench --user bench)
	[ -n "$token" ] || die "no token"
	export BENCH_TOKEN="$token"
	auth="Authorization: Bearer $token"
}

wait_listening() { # wait_listening OUT LOG PID — sets base and port once
	# `itsm serve --listen 127.0.0.1:0` (pid PID, stdout OUT, log LOG) says
	# where it listens; fails when it exits first or says nothing in 60 s.
	# (Its counter has a name of its own: sh has no local variables, and
	# a caller's loop over i was reset by it.)
	wl_i=0
	while ! grep -q 'listening on http://' "$1" 2>/dev/null; do
		if ! kill -0 "$3" 2>/dev/null; then
			printf 'bench: the server exited: %s\n' "$(tail -n 3 "$2" 2>/dev/null)" >&2
			return 1
		fi
		[ $wl_i -lt 600 ] || { printf 'bench: the server did not start within 60 s\n' >&2; return 1; }
		sleep 0.1
		wl_i=$((wl_i + 1))
	done
	base=$(sed -n 's|.*listening on \(http://[^ ]*\).*|\1|p' "$1" | head -n 1)
	port=${base##*:}
}

start_server() { # start_server DB — sets spid, port, base, db
	db=$1
	: >"$tmp/server.out"
	# The request log (one line per request, stderr) goes to a file, as in
	# production; nginx writes its access log likewise. Every wrk
	# connection comes from one address, so the per-address cap is lifted.
	printf '[server]\nmax_connections_per_ip = 2048\n' >"$tmp/bench.conf"
	if [ -n "$SERVER_THREADS" ]; then
		"$ITSM" --db "$1" serve --config "$tmp/bench.conf" --listen 127.0.0.1:0 \
			--threads "$SERVER_THREADS" >"$tmp/server.out" 2>>"$tmp/server.log" &
	else
		"$ITSM" --db "$1" serve --config "$tmp/bench.conf" --listen 127.0.0.1:0 \
			>"$tmp/server.out" 2>>"$tmp/server.log" &
	fi
	spid=$!
	wait_listening "$tmp/server.out" "$tmp/server.log" "$spid" || exit 1
}
