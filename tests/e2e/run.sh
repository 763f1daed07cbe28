#!/bin/sh
# run.sh — the web console's browser tests, as `make test` runs them:
#   install playwright-core and axe-core (no browser download) if missing,
#   start itsm ($ITSM_BIN, default build/itsm) on a free port with a fresh
#   store seeded through the CLI, run tests/e2e/*.test.mjs with node's test
#   runner against Debian's chromium, stop the server.
# The store is a SQLite file, or with ITSM_TEST_ENGINE=postgresql a database
# of its own on the cluster at ITSM_TEST_PG (as the API tests, lib.mjs),
# dropped at the end.
# E2E_FILES (names under tests/e2e/, space-separated, e.g.
# "modules2.test.mjs") runs only those files; default: all of them.
# Screenshots land in test-output/screenshots/.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root"
BIN=${ITSM_BIN:-$root/build/itsm}
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}

[ -x "$BIN" ] || { echo "run.sh: no itsm binary at $BIN (run make first)" >&2; exit 2; }
[ -x "$CHROMIUM" ] || { echo "run.sh: no chromium at $CHROMIUM (apt-get install -y chromium)" >&2; exit 2; }
if [ ! -d "$here/node_modules/playwright-core" ] || [ ! -d "$here/node_modules/axe-core" ]; then
	PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --prefix "$here" --no-audit --no-fund >/dev/null
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/itsm-e2e-XXXXXX")
db="$tmp/itsm.db"
pgname=
pid=
cleanup() {
	if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
	if [ -n "$pgname" ]; then
		psql -X -q -v ON_ERROR_STOP=1 -d "${ITSM_TEST_PG}postgres" \
			-c "DROP DATABASE IF EXISTS $pgname WITH (FORCE)" || true
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

case "${ITSM_TEST_ENGINE:-sqlite}" in
sqlite) ;;
postgresql)
	case "${ITSM_TEST_PG:-}" in
	postgresql://*/) ;;
	*) echo "run.sh: ITSM_TEST_ENGINE=postgresql needs ITSM_TEST_PG, a base URI ending in / (scripts/pg-test.sh)" >&2; exit 2 ;;
	esac
	pgname=itsm_e2e_$$
	psql -X -q -v ON_ERROR_STOP=1 -d "${ITSM_TEST_PG}postgres" -c "CREATE DATABASE $pgname" || { pgname=; exit 1; }
	db="${ITSM_TEST_PG}$pgname"
	;;
*) echo "run.sh: ITSM_TEST_ENGINE is sqlite or postgresql, not '$ITSM_TEST_ENGINE'" >&2; exit 2 ;;
esac

# The cast: two customers, staff of each role the console serves, and a
# requester for each customer. One password for all.
PASSWORD=correct-horse-battery
itsm() { ITSM_LOG=error "$BIN" --db "$db" "$@" >/dev/null; }
itsm customer add acme --name "Acme Manufacturing"
itsm customer add globex --name "Globex Logistics"
for u in "admin admin" "agent1 agent" "agent2 agent" "manager1 manager" \
	 "alice requester acme" "bob requester acme" "dave requester globex"; do
	set -- $u
	if [ $# -eq 3 ]; then
		echo "$PASSWORD" | itsm user add "$1" --role "$2" --customer "$3" --password-stdin
	else
		echo "$PASSWORD" | itsm user add "$1" --role "$2" --password-stdin
	fi
done

# Every browser of every test file comes from 127.0.0.1, and a page a test
# has left may hold its live-view stream a while longer: the per-address
# connection cap (32 by default, against one abusive client) is lifted for
# the test server, as bench/ lifts it for wrk.
printf '[server]\nmax_connections_per_ip = 1024\n' >"$tmp/e2e.conf"
ITSM_LOG=${ITSM_TEST_LOG:-warn} "$BIN" --db "$db" serve --config "$tmp/e2e.conf" --listen 127.0.0.1:0 \
	>"$tmp/out" 2>"$tmp/err" &
pid=$!
url=
for _ in $(seq 1 100); do
	url=$(sed -n 's/.*listening on \(http:[^ ]*\).*/\1/p' "$tmp/out" | head -n 1)
	[ -n "$url" ] && break
	kill -0 "$pid" 2>/dev/null || { cat "$tmp/err" >&2; exit 1; }
	sleep 0.1
done
[ -n "$url" ] || { echo "run.sh: itsm did not start" >&2; cat "$tmp/err" >&2; exit 1; }

files=
for f in ${E2E_FILES:-}; do files="$files $here/$f"; done
[ -n "$files" ] || files=$(ls "$here"/*.test.mjs)
status=0
# shellcheck disable=SC2086 # the file names are ours, without spaces
ITSM_URL=$url ITSM_DB=$db ITSM_BIN=$BIN E2E_PASSWORD=$PASSWORD CHROMIUM=$CHROMIUM \
	node --test --test-concurrency=1 --test-timeout=120000 $files || status=$?

# Stop the server; it must exit cleanly (a sanitizer build exits non-zero
# when it found a leak or an error).
kill -TERM "$pid" 2>/dev/null || true
srv=0
wait "$pid" || srv=$?
pid=
if [ "$srv" -ne 0 ]; then
	echo "run.sh: itsm exited with status $srv" >&2
	[ "$status" -ne 0 ] || status=1
fi
if [ "$status" -ne 0 ] && [ -s "$tmp/err" ]; then
	echo "--- itsm stderr (last lines) ---" >&2
	tail -n 60 "$tmp/err" >&2
fi
exit "$status"
