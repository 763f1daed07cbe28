#!/bin/sh
# scripts/fuzz-replay.sh — replay the saved inputs of every fuzz target in an
# ordinary sanitizer build, so a crash found once by `make fuzz` stays fixed
# (meant to run in `make test`; needs no clang and no libFuzzer).
#
# For each fuzz/<name>.c (every file there but replay_main.c): build it with
# $CC (gcc by default), fuzz/replay_main.c as main() and ASan+UBSan against the
# sanitizer library of `make test` (build/san/libitsm.a, built by the
# Makefile's own rules), then run it once per file under
# fuzz/regressions/<name>/ and fuzz/seeds/<name>/. One line at the end:
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

pass=0 fail=0
for n in $targets; do
	src=fuzz/$n.c
	if [ ! -f "$src" ]; then
		echo "FAILED: no such target $src"
		fail=$((fail + 1))
		continue
	fi
	if ! $CC $CFLAGS_T $SAN -o "$OUT/$n" "$src" fuzz/replay_main.c "$BUILD/libitsm.a" $LIBS
	then
		echo "FAILED: $src does not build"
		fail=$((fail + 1))
		continue
	fi
	for dir in "fuzz/regressions/$n" "fuzz/seeds/$n"; do
		[ -d "$dir" ] || continue
		for input in "$dir"/* "$dir"/.[!.]*; do
			[ -f "$input" ] || continue
			if ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} \
			   UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
			   "$OUT/$n" "$input" >"$OUT/$n.log" 2>&1; then
				pass=$((pass + 1))
			else
				fail=$((fail + 1))
				echo "FAILED: $n $input"
				grep -E 'ERROR|SUMMARY|runtime error' "$OUT/$n.log" | head -10 || true
			fi
		done
	done
done
echo "fuzz-replay: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
