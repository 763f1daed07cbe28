#!/bin/sh
# scripts/pg-test.sh — a throwaway PostgreSQL cluster for the API tests.
#
#   sh scripts/pg-test.sh start DIR   initdb a cluster in DIR, start it on
#                                     127.0.0.1 at a free port (55432 up),
#                                     write its base URI to DIR/uri and print it
#   sh scripts/pg-test.sh uri DIR     print the base URI of a started cluster
#   sh scripts/pg-test.sh stop DIR    stop the cluster (fast) and remove DIR
#   sh scripts/pg-test.sh bin         print the newest server's bin directory
#                                     (the failover test and bench/pg.sh
#                                     find PostgreSQL through it)
#
# The base URI names no database (postgresql://postgres@127.0.0.1:PORT/);
# a test appends one. Trust authentication, on loopback only, and a unix
# socket in the cluster's own directory: nothing outside the machine can
# reach the cluster, and nothing else on it shares its socket. Run as root, the server runs as
# the postgres user (initdb refuses root). A cluster that does not start is
# an error, never a skip: the exit status is non-zero and the server log's
# last lines are printed.
set -eu

usage() { echo "usage: pg-test.sh start|stop|uri DIR | pg-test.sh bin" >&2; exit 2; }
die() { echo "pg-test.sh: $*" >&2; exit 1; }

# The newest installed server: /usr/lib/postgresql/<major>/bin.
bindir() {
	best=""
	best_major=0
	for d in /usr/lib/postgresql/*/bin; do
		[ -x "$d/initdb" ] || continue
		major=${d#/usr/lib/postgresql/}
		major=${major%/bin}
		case "$major" in '' | *[!0-9]*) continue ;; esac
		if [ "$major" -gt "$best_major" ]; then best=$d; best_major=$major; fi
	done
	[ -n "$best" ] || die "no PostgreSQL server under /usr/lib/postgresql (apt-get install postgresql)"
	echo "$best"
}

if [ "${1:-}" = bin ] && [ $# -eq 1 ]; then
	bindir
	exit 0
fi
[ $# -eq 2 ] || usage
cmd=$1
dir=$2
case "$dir" in
/*) ;;
*) dir=$(pwd)/$dir ;;
esac

# Run a server program as the cluster's owner: postgres when we are root.
as_owner() {
	if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# The cluster itself (data/, the socket, server.log) lives in a directory
# of its own under $TMPDIR, which the postgres user can reach even when DIR
# is in a tree it cannot (a checkout under /root); DIR/cluster names it.
cluster=""
[ ! -s "$dir/cluster" ] || cluster=$(cat "$dir/cluster")

log_tail() {
	if [ -n "$cluster" ] && [ -f "$cluster/server.log" ]; then
		echo "--- server log (last lines) ---" >&2
		tail -n 40 "$cluster/server.log" >&2
	fi
}

start() {
	bin=$(bindir)
	[ -z "$cluster" ] || die "a cluster is started in $dir already: stop it first"
	mkdir -p "$dir"
	cluster=$(mktemp -d "${TMPDIR:-/tmp}/itsm-pg-XXXXXX")
	echo "$cluster" >"$dir/cluster"
	[ "$(id -u)" -ne 0 ] || chown postgres: "$cluster"
	as_owner "$bin/initdb" -D "$cluster/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
		>"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; die "initdb failed in $cluster"; }
	# Trust on loopback only: no line for other addresses, so none connect.
	printf '%s\n' \
		'local all all trust' \
		'host all all 127.0.0.1/32 trust' \
		'host all all ::1/128 trust' >"$cluster/data/pg_hba.conf"
	[ "$(id -u)" -ne 0 ] || chown postgres: "$cluster/data/pg_hba.conf"
	# A free port: the first from 55432 up where nothing answers and the
	# server starts (two clusters starting at once may pick the same port:
	# the loser's server cannot bind, and it tries the next one).
	port=55432
	while [ "$port" -lt 55532 ]; do
		ready=0
		pg_isready -q -h 127.0.0.1 -p "$port" -t 2 || ready=$?
		# 0 accepting, 1 rejecting: something listens there.
		if [ "$ready" -le 1 ]; then port=$((port + 1)); continue; fi
		if as_owner "$bin/pg_ctl" -D "$cluster/data" -l "$cluster/server.log" -w -t 60 \
			-o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$cluster \
-c fsync=on -c synchronous_commit=on -c max_connections=300 -c shared_buffers=128MB" \
			start >/dev/null 2>&1; then
			uri="postgresql://postgres@127.0.0.1:$port/"
			if ! psql -X -q -At -d "${uri}postgres" -c 'SELECT 1' >/dev/null 2>&1; then
				log_tail
				as_owner "$bin/pg_ctl" -D "$cluster/data" -m immediate stop >/dev/null 2>&1 || true
				die "the cluster in $cluster started but takes no connection at $uri"
			fi
			echo "$uri" >"$dir/uri"
			echo "$uri"
			return 0
		fi
		# Not started: a port in use is worth another try, anything else not.
		if ! grep -q 'could not bind\|could not create any TCP/IP sockets' \
			"$cluster/server.log" 2>/dev/null; then
			log_tail
			die "PostgreSQL did not start in $cluster"
		fi
		rm -f "$cluster/server.log"
		port=$((port + 1))
	done
	log_tail
	die "no free port in 55432..55531"
}

stop() {
	if [ -n "$cluster" ] && [ -f "$cluster/data/postmaster.pid" ]; then
		bin=$(bindir)
		# A server already gone (killed, its pid file left) is as good as
		# stopped: pg_ctl status says 3, not running.
		if ! as_owner "$bin/pg_ctl" -D "$cluster/data" -m fast -w -t 60 stop >/dev/null; then
			st=0
			as_owner "$bin/pg_ctl" -D "$cluster/data" status >/dev/null 2>&1 || st=$?
			[ "$st" -eq 3 ] || { log_tail; die "the cluster in $cluster did not stop"; }
		fi
	fi
	[ -z "$cluster" ] || rm -rf "$cluster"
	rm -rf "$dir"
}

case "$cmd" in
start) start ;;
stop) stop ;;
uri) [ -s "$dir/uri" ] || die "no cluster started in $dir"; cat "$dir/uri" ;;
*) usage ;;
esac
