#!/bin/sh
# bench/durability.sh — kill -9 cycles: run tests/api/durability.test.mjs
# ROUNDS times (two kills each: in the middle of concurrent creates, then of
# concurrent updates), each against a fresh store, and sum what it saw.
# Fails when any round fails (an acknowledged write missing after the
# restart, or an audit chain that no longer verifies).
#
#   sh bench/durability.sh [ROUNDS]     (default 25; ITSM_BIN, default build/itsm)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
ROUNDS=${1:-25}
ITSM_BIN=${ITSM_BIN:-$root/build/itsm}
export ITSM_BIN
[ -x "$ITSM_BIN" ] || { echo "bench-durability: no binary at $ITSM_BIN (run make)" >&2; exit 1; }

out=$(mktemp "${TMPDIR:-/tmp}/itsm-durability.XXXXXX")
trap 'rm -f "$out"' EXIT INT TERM
rounds=0 failed=0 acked=0 extra=0
start=$(cut -d' ' -f1-3 /proc/loadavg)
i=0
while [ "$i" -lt "$ROUNDS" ]; do
	i=$((i + 1))
	if (cd "$root" && node --test tests/api/durability.test.mjs) >"$out" 2>&1; then
		rounds=$((rounds + 1))
	else
		failed=$((failed + 1))
		echo "bench-durability: round $i failed:" >&2
		grep -E '^not ok|error:' "$out" | head -5 >&2
	fi
	# "# N acknowledged, M stored without an answer"
	a=$(sed -n 's/^ *# \([0-9]*\) acknowledged, \([0-9]*\) stored without an answer$/\1 \2/p' "$out" | head -1)
	[ -n "$a" ] && acked=$((acked + ${a% *})) && extra=$((extra + ${a#* }))
	printf 'bench-durability: round %d/%d done\n' "$i" "$ROUNDS" >&2
done
cat <<EOT
itsm durability — $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, $ITSM_BIN
load average: $start at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end
kill -9 cycles run (2 per round)          $((2 * (rounds + failed)))
rounds passed / run                       $rounds / $((rounds + failed))
acknowledged creates before the kills     $acked (every one found after the restart)
stored without an answer (in flight)      $extra
EOT
[ "$failed" -eq 0 ]
