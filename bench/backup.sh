#!/bin/sh
# bench/backup.sh — `itsm backup` of a running store under a write load:
#   1. the store: N tickets with timelines (default 1,000,000) loaded the
#      fastest honest way the project has, `itsm import tickets` (every
#      ticket through the domain's rules and into the audit chain);
#   2. durable creates per second with no backup (wrk + post.lua, 32
#      connections, BENCH_BACKUP_SECONDS, default 10 s);
#   3. the same load while `itsm backup FILE` runs: the backup's time (the
#      copy, one read transaction; then the integrity check and audit verify
#      of the copy) and the creates per second while it ran, counted from
#      the ticket ids before and after (a sqlite3 WAL reader), and the p99
#      of create latency over that wrk run (2 s before the backup, the
#      backup, until wrk is stopped); the backup must verify and hold at
#      least the tickets there before it began;
#   4. for comparison, VACUUM INTO (sqlite3 shell) under the same load.
# The load average is printed beside every figure: the machine is shared.
#
#   sh bench/backup.sh [N]        (N=…, ITSM_BIN, KEEP=1 keeps the temp dir)
set -eu

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=bench/lib.sh
. "$here/lib.sh" # wait_listening
root=$(dirname "$here")
ITSM=${ITSM_BIN:-$root/build/itsm}
N=${1:-${N:-1000000}}
SECS=${BENCH_BACKUP_SECONDS:-10}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/itsm-bench-backup.XXXXXX")
spid=""
wpid=""
cleanup() {
	for p in $wpid $spid; do
		kill "$p" 2>/dev/null && wait "$p" 2>/dev/null || true
	done
	[ "${KEEP:-0}" = 1 ] || rm -rf "$tmp"
}
trap cleanup EXIT INT TERM
say() { printf 'bench-backup: %s\n' "$*" >&2; }
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
load() { cut -d' ' -f1-3 /proc/loadavg; }
maxid() { sqlite3 "$db" 'SELECT coalesce(max(id), 0) FROM tickets'; }

[ -x "$ITSM" ] || { say "no binary at $ITSM (run make)"; exit 1; }
for tool in wrk sqlite3 cc; do
	command -v "$tool" >/dev/null || { say "needs $tool (make deps; apt-get install wrk sqlite3)"; exit 1; }
done

# --- 1. the store -------------------------------------------------------------
db="$tmp/itsm.db"
say "store in $tmp; generating $N tickets"
cc -O2 -o "$tmp/sla-gen" "$here/sla_gen.c"
"$tmp/sla-gen" "$N" >"$tmp/tickets.jsonl"
"$ITSM" --db "$db" customer add acme >/dev/null
"$ITSM" --db "$db" user add agent1 --role agent >/dev/null
"$ITSM" --db "$db" user add admin --role admin >/dev/null
for svc in email erp vpn web; do
	"$ITSM" --db "$db" service add "$svc" >/dev/null
done
say "importing $N tickets (load $(load))"
t0=$(now)
"$ITSM" --db "$db" import tickets "$tmp/tickets.jsonl" >/dev/null
t1=$(now)
import_s=$(secs "$t0" "$t1")
import_load=$(load)
rm -f "$tmp/tickets.jsonl"
db_mb=$(du -m "$db" | cut -f1)
token=$("$ITSM" --db "$db" token create bench --user agent1)

"$ITSM" --db "$db" serve --listen 127.0.0.1:0 >"$tmp/serve.out" 2>"$tmp/serve.log" &
spid=$!
wait_listening "$tmp/serve.out" "$tmp/serve.log" "$spid" || exit 1

# wrk_for SECONDS OUT — creates for SECONDS in the background ($wpid)
wrk_for() {
	BENCH_TOKEN=$token wrk -t2 -c32 -d"$1"s -s "$here/post.lua" "$base" >"$2" 2>&1 &
	wpid=$!
}
rate_of() { sed -n 's/.*created_per_s=\([0-9.]*\).*/\1/p' "$1"; }
p99_of() { sed -n 's/.*p99_ms=\([0-9.]*\).*/\1/p' "$1"; }

# --- 2. creates without a backup ---------------------------------------------
say "creates for ${SECS} s, no backup"
wrk_for "$SECS" "$tmp/base.out"
wait "$wpid"
wpid=""
base_rate=$(rate_of "$tmp/base.out")
base_p99=$(p99_of "$tmp/base.out")
base_load=$(load)

# --- 3. creates while itsm backup runs ----------------------------------------
say "creates while itsm backup runs"
wrk_for 36000 "$tmp/during.out"
sleep 2
id0=$(maxid)
t0=$(now)
"$ITSM" --db "$db" --json backup "$tmp/backup.db" >"$tmp/backup.json"
t1=$(now)
id1=$(maxid)
backup_load=$(load)
kill -INT "$wpid" 2>/dev/null || true
wait "$wpid" 2>/dev/null || true
wpid=""
backup_s=$(secs "$t0" "$t1")
copy_s=$(sed -n 's/.*"copy_ms": \([0-9]*\).*/\1/p' "$tmp/backup.json" | awk '{ printf "%.3f", $1 / 1000 }')
verify_s=$(sed -n 's/.*"verify_ms": \([0-9]*\).*/\1/p' "$tmp/backup.json" | awk '{ printf "%.3f", $1 / 1000 }')
in_backup=$(sed -n 's/.*"tickets": \([0-9]*\).*/\1/p' "$tmp/backup.json")
during_rate=$(awk -v a="$id0" -v b="$id1" -v s="$backup_s" 'BEGIN { printf "%.1f", (b - a) / s }')
lost=$(awk -v b="$base_rate" -v d="$during_rate" 'BEGIN { printf "%.0f", (b > 0) ? 100 * (1 - d / b) : 0 }')
[ "$in_backup" -ge "$id0" ] || { say "the backup holds $in_backup tickets, $id0 were there before it"; exit 1; }
before_backup=$id0
"$ITSM" --db "$tmp/backup.db" audit verify >/dev/null || { say "the backup does not verify"; exit 1; }
backup_mb=$(du -m "$tmp/backup.db" | cut -f1)
during_p99=$(p99_of "$tmp/during.out")

# --- 4. VACUUM INTO under the same load, for comparison ------------------------
say "creates while VACUUM INTO runs"
wrk_for 36000 "$tmp/vacuum.out"
sleep 2
id0=$(maxid)
t0=$(now)
sqlite3 "$db" "VACUUM INTO '$tmp/vacuum.db'"
t1=$(now)
id1=$(maxid)
vacuum_load=$(load)
kill -INT "$wpid" 2>/dev/null || true
wait "$wpid" 2>/dev/null || true
wpid=""
vacuum_s=$(secs "$t0" "$t1")
vacuum_rate=$(awk -v a="$id0" -v b="$id1" -v s="$vacuum_s" 'BEGIN { printf "%.1f", (b - a) / s }')
vacuum_p99=$(p99_of "$tmp/vacuum.out")

cat <<EOF2

itsm backup bench — $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, N=$N, store ${db_mb} MB
$(printf '%-46s %12s   %s\n' "figure" "value" "load average (1 5 15 min)")
$(printf '%-46s %12s   %s\n' "import $N tickets (s)" "$import_s" "$import_load")
$(printf '%-46s %12s   %s\n' "creates/s, no backup" "$base_rate" "$base_load")
$(printf '%-46s %12s   %s\n' "  create p99 (ms)" "$base_p99" "")
$(printf '%-46s %12s   %s\n' "itsm backup, whole (s)" "$backup_s" "$backup_load")
$(printf '%-46s %12s   %s\n' "  the copy: one read transaction (s)" "$copy_s" "")
$(printf '%-46s %12s   %s\n' "  integrity check + audit verify (s)" "$verify_s" "")
$(printf '%-46s %12s   %s\n' "creates/s while itsm backup ran" "$during_rate" "$backup_load")
$(printf '%-46s %11s%%   %s\n' "create throughput lost during the backup" "$lost" "")
$(printf '%-46s %12s   %s\n' "  create p99 over that run (ms)" "$during_p99" "")
$(printf '%-46s %12s   %s\n' "VACUUM INTO (s), for comparison" "$vacuum_s" "$vacuum_load")
$(printf '%-46s %12s   %s\n' "creates/s while VACUUM INTO ran" "$vacuum_rate" "$vacuum_load")
$(printf '%-46s %12s   %s\n' "  create p99 over that run (ms)" "$vacuum_p99" "")

backup: ${backup_mb} MB, $in_backup tickets (>= the $before_backup there when it began), audit verify ok
EOF2
