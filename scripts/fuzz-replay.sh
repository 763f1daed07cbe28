#!/bin/sh
# scripts/fuzz-replay.sh — replay the saved inputs of every fuzz target in an
# ordinary sanitizer build, so a crash found once by `make fuzz` stays fixed
# (meant to run in `make test`; needs no clang and no libFuzzer).
#
# For each fuzz/<name>.c (every file there but replay_main.c): build it with
# $CC (gcc by default), fuzz/replay_main.c as main(), the helpers of
# fuzz/support/ and ASan+UBSan against the sanitizer library of `make test`
# (build/san/libitsm.a, built by the Makefile's own rules), then replay every
# file under fuzz/regressions/<name>/ and fuzz/seeds/<name>/ — all in one
# process (a target with a seeded store opens it once), and when that fails
# once more each in a process of its own, to name the inputs at fault. One
# line at the end:
#   fuzz-replay: N passed, M failed
# and a non-zero exit when anything failed or did not build.
#
#   sh scripts/fuzz-replay.sh               every target
#   sh scripts/fuzz-replay.sh ticket_json   only those named
# PKGS and the flag lists are split into words on purpose.
# shellcheck disable=SC2086
set -eu
cd "$(dirname "$0")/.."

BUILD=${REPLAY_BUILD:-build/san}
CC=${CC:-cc}
OUT=$BUILD/fuzz-replay
PKGS=$(sed -n 's/^PKGS[[:space:]]*:=[[:space:]]*//p' Makefile)
JOBS=$(nproc 2>/dev/null || echo 2)
SAN='-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer'

if [ $# -gt 0 ]; then
	targets=$*
else
	targets=$(for f in fuzz/*.c; do
		n=$(basename "$f" .c)
		[ "$n" = replay_main ] || echo "$n"
	done)
fi

make -s -j"$JOBS" BUILD="$BUILD" SAN=1 OPT='-O1 -g' "$BUILD/libitsm.a"
mkdir -p "$OUT"

CFLAGS_T="-std=c17 -Wall -Wextra -Werror -Wshadow -Wno-unused-parameter \
-Wno-missing-field-initializers -D_GNU_SOURCE -Isrc -include src/lib/compat.h \
$(pkg-config --cflags $PKGS) -O1 -g"
LIBS="$(pkg-config --libs $PKGS) -lpthread -lm"

# Replay the inputs named after the binary in one process; its output in
# the target's log.
replay() {
	bin=$1
	shift
	ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} \
	UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
		"$bin" "$@" >"$bin.log" 2>&1
}

SUPPORT=$(ls fuzz/support/*.c 2>/dev/null || true)
pass=0 fail=0
for n in $targets; do
	src=fuzz/$n.c
	if [ ! -f "$src" ]; then
		echo "FAILED: no such target $src"
		fail=$((fail + 1))
		continue
	fi
	if ! $CC $CFLAGS_T $SAN -o "$OUT/$n" "$src" fuzz/replay_main.c $SUPPORT \
		"$BUILD/libitsm.a" $LIBS
	then
		echo "FAILED: $src does not build"
		fail=$((fail + 1))
		continue
	fi
	set --
	for dir in "fuzz/regressions/$n" "fuzz/seeds/$n"; do
		[ -d "$dir" ] || continue
		for input in "$dir"/* "$dir"/.[!.]*; do
			[ -f "$input" ] && set -- "$@" "$input"
		done
	done
	if [ $# -eq 0 ]; then
		echo "FAILED: $n has no inputs (add seeds to fuzz/seeds/$n/)"
		fail=$((fail + 1))
		continue
	fi
	if replay "$OUT/$n" "$@"; then
		pass=$((pass + $#))
		continue
	fi
	grep -E 'ERROR|SUMMARY|runtime error|check failed|fuzz_store' "$OUT/$n.log" | head -10 || true
	before=$fail
	for input in "$@"; do
		if replay "$OUT/$n" "$input"; then
			pass=$((pass + 1))
		else
			fail=$((fail + 1))
			echo "FAILED: $n $input"
			grep -E 'ERROR|SUMMARY|runtime error|check failed|fuzz_store' "$OUT/$n.log" | head -10 || true
		fi
	done
	if [ "$fail" -eq "$before" ]; then
		echo "FAILED: $n fails on its inputs together, on none alone"
		fail=$((fail + 1))
	fi
done
echo "fuzz-replay: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
