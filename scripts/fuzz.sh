#!/bin/sh
# scripts/fuzz.sh — build every libFuzzer target fuzz/<name>.c (each defines
# LLVMFuzzerTestOneInput) with clang -fsanitize=fuzzer,address,undefined and
# run each for FUZZ_SECONDS (default 60). Called by `make fuzz`.
#
#   sh scripts/fuzz.sh                 every target
#   sh scripts/fuzz.sh ticket_json     only the targets named
#   FUZZ_SECONDS=600 sh scripts/fuzz.sh
#
# Per target: the growing corpus is fuzz/corpus-<name>/ (gitignored), the
# hand-written seeds fuzz/seeds/<name>/ and the saved regressions (read,
# never written), a dictionary fuzz/<name>.dict when there is one. A crash,
# leak, timeout or OOM input is saved into fuzz/regressions/<name>/
# (committed), where scripts/fuzz-replay.sh replays it in `make test` from
# then on. Each target is linked with the helpers of fuzz/support/.
#
# At the end of each run one line gives libFuzzer's final figures:
#   fuzz: NAME ok: RUNS runs in S s, E exec/s, cov C, ft F, corpus N
# and the same, tab-separated, goes to build/fuzz/summary.tsv (docs/fuzzing.md
# keeps a table of them).
#
# The library is built by the Makefile's own rules in build/fuzz (same
# pkg-config flags, same sources: all of src/ but src/cli/main.c), with clang,
# the sanitizers, coverage instrumentation and -DFUZZING.
# Needs clang and libFuzzer (Debian: clang, libclang-rt-14-dev).
# PKGS and the flag lists are split into words on purpose.
# shellcheck disable=SC2086
set -eu
cd "$(dirname "$0")/.."

FUZZ_SECONDS=${FUZZ_SECONDS:-60}
FUZZ_CC=${FUZZ_CC:-clang}
OUT=build/fuzz
SAN='-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer'
PKGS=$(sed -n 's/^PKGS[[:space:]]*:=[[:space:]]*//p' Makefile)
JOBS=$(nproc 2>/dev/null || echo 2)

if ! command -v "$FUZZ_CC" >/dev/null 2>&1; then
	echo "fuzz: $FUZZ_CC not found (Debian: apt-get install clang libclang-rt-14-dev)" >&2
	exit 1
fi

if [ $# -gt 0 ]; then
	targets=$*
else
	targets=$(for f in fuzz/*.c; do
		n=$(basename "$f" .c)
		[ "$n" = replay_main ] || echo "$n"
	done)
fi
[ -n "$targets" ] || { echo "fuzz: no targets in fuzz/" >&2; exit 1; }

# The library, instrumented. -Wno-error: a warning only clang gives must not
# stop a fuzz run (the gcc build keeps -Werror).
make -s -j"$JOBS" BUILD="$OUT" CC="$FUZZ_CC" SAN= OPT='-O1 -g' \
	CFLAGS="-fsanitize=fuzzer-no-link $SAN -DFUZZING -Wno-error" "$OUT/libitsm.a"

CFLAGS_T="-std=c17 -Wall -Wextra -Wno-unused-parameter -D_GNU_SOURCE -Isrc \
-include src/lib/compat.h $(pkg-config --cflags $PKGS) -O1 -g -DFUZZING"
LIBS="$(pkg-config --libs $PKGS) -lpthread -lm"

SUPPORT=$(ls fuzz/support/*.c 2>/dev/null || true)
failed=""
for n in $targets; do
	src=fuzz/$n.c
	[ -f "$src" ] || { echo "fuzz: no such target $src" >&2; failed="$failed $n"; continue; }
	echo "fuzz: building $n"
	if ! "$FUZZ_CC" $CFLAGS_T -fsanitize=fuzzer $SAN -o "$OUT/$n" "$src" $SUPPORT \
		"$OUT/libitsm.a" $LIBS; then
		echo "fuzz: $n does not build"
		failed="$failed $n"
		continue
	fi

	corpus=fuzz/corpus-$n
	regress=fuzz/regressions/$n
	mkdir -p "$corpus" "$regress"
	dirs=$corpus
	[ -d "fuzz/seeds/$n" ] && dirs="$dirs fuzz/seeds/$n"
	[ -n "$(ls -A "$regress")" ] && dirs="$dirs $regress"
	dict=""
	[ -f "fuzz/$n.dict" ] && dict="-dict=fuzz/$n.dict"

	echo "fuzz: running $n for ${FUZZ_SECONDS}s"
	log=$OUT/$n.log
	if ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1} \
	   UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
	   "$OUT/$n" -max_total_time="$FUZZ_SECONDS" -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$regress/" $dict $dirs >"$log" 2>&1; then
		runs=$(sed -n 's/^stat::number_of_executed_units:[[:space:]]*//p' "$log" | tail -1)
		# The last status line: "#N DONE cov: C ft: F corp: … exec/s: E …"
		last=$(grep -E '^#[0-9]+' "$log" | tail -1)
		cov=$(echo "$last" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
		ft=$(echo "$last" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
		eps=$(echo "$last" | sed -n 's/.* exec\/s: \([0-9]*\).*/\1/p')
		ncorp=$(find "$corpus" -type f | wc -l)
		echo "fuzz: $n ok: ${runs:-?} runs in ${FUZZ_SECONDS} s, ${eps:-?} exec/s," \
			"cov ${cov:-?}, ft ${ft:-?}, corpus $ncorp"
		printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$n" "${runs:-}" "$FUZZ_SECONDS" "${eps:-}" \
			"${cov:-}" "${ft:-}" "$ncorp" >>"$OUT/summary.tsv"
	else
		echo "fuzz: $n FAILED; the input is in $regress/, the log in $log:"
		grep -E 'ERROR|SUMMARY|runtime error|check failed|deadly signal|Test unit written' "$log" | head -20 || true
		failed="$failed $n"
	fi
done

if [ -n "$failed" ]; then
	echo "fuzz: failed:$failed"
	exit 1
fi
echo "fuzz: all targets ran ${FUZZ_SECONDS}s without a finding"
