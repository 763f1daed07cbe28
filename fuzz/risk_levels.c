/*
 * fuzz/risk_levels.c — libFuzzer target: the [risk] levels table
 * (risk_levels_set) on arbitrary bytes. Beyond memory safety it checks the
 * invariant every score relies on: after any call, accepted or refused, the
 * table in force gives every score 1..25 a level and none outside it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domain/risk/risk.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *spec = malloc(size + 1);
	struct err e = { 0 };

	if (!spec)
		return 0;
	memcpy(spec, data, size);
	spec[size] = '\0';
	if (risk_levels_set(spec, &e) && !e.msg[0])
		abort(); /* a refusal says why */
	for (int s = 1; s <= RISK_SCORE_MAX; s++)
		if (!*risk_level(s))
			abort();
	if (*risk_level(0) || *risk_level(RISK_SCORE_MAX + 1))
		abort();
	free(spec);
	return 0;
}
