/*
 * fuzz/tzif.c — libFuzzer target: lib/tz's TZif reader (tz_parse) on
 * arbitrary bytes, then the zone's arithmetic at a set of instants. Seeds:
 * Europe/London, Asia/Tokyo, America/New_York and UTC as the system has
 * them, and truncated, corrupt and re-written variants (v1 only, leap
 * seconds, unsorted or far transitions, odd POSIX footers).
 *
 * A refusal is ERR_INVALID on "timezone". For a zone read, at every instant
 * t probed within ±2^39 s (about ±17,000 years: the rules are evaluated up
 * to ±2^40) it checks tz.h's contract:
 *  - tz_span(t) answers tz_offset(t), within ±26 hours, and a next change
 *    after t, the same as tz_next_change(t);
 *  - the offset holds on [t, next): at t, halfway and at next - 1; and at
 *    next it really changes (transitions that change nothing are dropped);
 *  - tz_utc_from_local(local) is the first instant whose wall clock reads
 *    local or later: the wall clock at it reads >= local, one second
 *    before it < local.
 * The instants probed are a fixed list and the last 16 bytes of the input
 * (ignored by the reader after the footer), so the fuzzer steers them too.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/err.h"
#include "lib/tz.h"
#include "support/fuzz_check.h"

#define PROBE_LIMIT ((int64_t)1 << 39)
#define OFF_MAX (26 * 3600)

static void check_at(const struct tz *z, int64_t t)
{
	int64_t next;
	int32_t o = tz_span(z, t, &next);

	CHECK(o == tz_offset(z, t));
	CHECK(o >= -OFF_MAX && o <= OFF_MAX);
	CHECK(next > t);
	CHECK(tz_next_change(z, t) == next);
	if (next == INT64_MAX || next > PROBE_LIMIT)
		return;
	CHECK(tz_offset(z, t + (next - t) / 2) == o);
	CHECK(tz_offset(z, next - 1) == o);
	CHECK(tz_offset(z, next) != o);
}

static void check_local(const struct tz *z, int64_t local)
{
	int64_t u = tz_utc_from_local(z, local);

	CHECK(u + tz_offset(z, u) >= local);
	CHECK(u - 1 + tz_offset(z, u - 1) < local);
}

static void probe(const struct tz *z, int64_t t)
{
	if (t < -PROBE_LIMIT || t > PROBE_LIMIT)
		t %= PROBE_LIMIT;
	check_at(z, t);
	check_local(z, t);
	/* Walk a few changes on from t. */
	for (int i = 0; i < 8; i++) {
		int64_t next = tz_next_change(z, t);

		if (next == INT64_MAX || next > PROBE_LIMIT)
			break;
		check_at(z, next);
		check_local(z, next + tz_offset(z, next));
		t = next;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int64_t fixed[] = {
		-PROBE_LIMIT,  -62135596800LL, /* 0001-01-01 */
		-2208988800LL, /* 1900 */      -1LL, 0, 946684800LL, /* 2000 */
		1772445600LL, /* 2026-03-02 */ 2147483647LL, 4102444800LL, /* 2100 */
		253402300799LL, /* 9999-12-31 */ PROBE_LIMIT,
	};
	struct tz *z = NULL;
	struct err e = { 0 };

	if (tz_parse("Fuzz/Zone", data, size, &z, &e)) {
		CHECK(e.code == ERR_INVALID && !strcmp(e.field, "timezone"));
		return 0;
	}
	CHECK(!strcmp(tz_name(z), "Fuzz/Zone"));
	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		probe(z, fixed[i]);
	for (size_t k = 0; k < 2 && size >= 16; k++) {
		uint64_t v;

		memcpy(&v, data + size - 8 * (k + 1), 8);
		probe(z, (int64_t)v);
	}
	tz_free(z);
	return 0;
}
