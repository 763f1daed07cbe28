#!/bin/sh
# bench/smoke.sh — every benchmark once, at toy sizes, so that a bench that
# no longer builds or runs fails `make test` (make bench-smoke). The figures
# it prints mean nothing; `make bench` and the scripts' defaults measure.
#
#   sh bench/smoke.sh          (ITSM_BIN, default build/itsm; needs wrk, nginx,
#                               PostgreSQL's server programs, cc, dovecot, python3-aiosmtpd)
#
# bench/profile.sh is not run: it needs perf and the right to sample the
# kernel, which a test machine may not grant.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
ITSM_BIN=${ITSM_BIN:-$root/build/itsm}
export ITSM_BIN
log=$(mktemp "${TMPDIR:-/tmp}/itsm-bench-smoke.XXXXXX")
trap 'rm -f "$log" "$log.bin"' EXIT HUP INT TERM
failed=""

# run NAME COMMAND… — run a bench, quiet unless it fails.
run() {
	name=$1
	shift
	start=$(date +%s)
	if (cd "$root" && "$@") >"$log" 2>&1; then
		printf 'bench-smoke: %-14s ok (%s s)\n' "$name" $(($(date +%s) - start))
	else
		printf 'bench-smoke: %-14s FAILED; its last lines:\n' "$name"
		tail -n 20 "$log"
		failed="$failed $name"
	fi
}

run run.sh env BENCH_ROUND_S=1 BENCH_ROUNDS=1 BENCH_DURATION=1 BENCH_LOAD=300 \
	BENCH_SEED=20 BENCH_READ_S=1 sh bench/run.sh
run sla.sh env BENCH_CALENDAR_N=1000 sh bench/sla.sh 500
run events.sh env BENCH_DURATION=1 BENCH_CHECKS=10 BENCH_IMPACT_ITEMS=1000 \
	BENCH_IMPACT_RELS=5000 sh bench/events.sh
run backup.sh env BENCH_BACKUP_SECONDS=1 sh bench/backup.sh 500
run pg.sh env BENCH_PG_SMALL=1 BENCH_PG_ROUND_S=1 sh bench/pg.sh
run durability.sh sh bench/durability.sh 1
run condition.sh sh bench/condition.sh
run search.sh env BENCH_SEARCH_REQUESTS=5 sh bench/search.sh 2000
run mail.sh sh bench/mail.sh 10
run attach.mjs node bench/attach.mjs 2
run notify.sh sh bench/notify.sh 20
# bench/cigraph.c has no script: it must still build against the library.
. "$here/lib.sh"
# shellcheck disable=SC2046 # one word per flag
run cigraph.c cc -std=c17 -O2 -D_GNU_SOURCE -I"$root/src" -include "$root/src/lib/compat.h" \
	-o "$log.bin" "$here/cigraph.c" "$root/build/libitsm.a" $(itsm_libs)

[ -z "$failed" ] || { printf 'bench-smoke: failed:%s\n' "$failed"; exit 1; }
