/*
 * fuzz/rrule.c — libFuzzer target: a schedule job's RRULE (libical) on
 * arbitrary bytes, checked and walked over one UTC day. Beyond memory
 * safety it checks what the schedule relies on: a rule op_rrule_check
 * refuses names the field "rrule"; a rule it takes is walked without
 * failing unless it names "rrule" (too many occurrences), and the
 * occurrences are at most the cap, strictly increasing, inside the day and
 * not before the start.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domain/operation/operation.h"

#define START 1767225600LL /* 2026-01-01T00:00:00Z */
#define FROM (START + 4 * 86400LL)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int64_t at[1440];
	char rule[OP_RRULE_MAX + 2];
	struct err e = { 0 };
	size_t n = size < sizeof(rule) - 1 ? size : sizeof(rule) - 1;

	memcpy(rule, data, n);
	rule[n] = '\0';
	if (op_rrule_check(rule, &e)) {
		if (strcmp(e.field, "rrule"))
			abort();
		return 0;
	}
	/* The start moves with the input's length: before, in and after the day. */
	int64_t start = START + (int64_t)(size % 7) * 86400 - 3600;
	if (op_rrule_between(rule, start, FROM, FROM + 86400, at, 1440, &n, &e)) {
		if (strcmp(e.field, "rrule"))
			abort();
		return 0;
	}
	if (n > 1440)
		abort();
	for (size_t i = 0; i < n; i++) {
		if (at[i] < FROM || at[i] >= FROM + 86400 || at[i] < start)
			abort();
		if (i && at[i] <= at[i - 1])
			abort();
	}
	return 0;
}
