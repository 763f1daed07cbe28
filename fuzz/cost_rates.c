/*
 * fuzz/cost_rates.c — libFuzzer target: the [cost] rates table
 * (cost_rates_set) on arbitrary bytes, the first line the currency and the
 * rest the rates. Beyond memory safety it checks the invariants every entry
 * relies on: a refusal says why; after any call, accepted or refused, the
 * rate any user gets is within 0..COST_RATE_MAX under a key of at most
 * COST_RATE_KEY_MAX bytes, the currency three capitals, and an entry's cost
 * never negative.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domain/cost/cost.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const roles[] = { "agent", "operator", "manager", "admin", NULL };
	char *text = malloc(size + 1), *nl;
	const char *cur;
	struct err e = { 0 };

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	nl = strchr(text, '\n');
	if (nl)
		*nl = '\0';
	if (cost_rates_set(nl ? nl + 1 : "", text, &e) && !e.msg[0])
		abort(); /* a refusal says why */
	cur = cost_currency();
	if (strlen(cur) != 3 || !isupper((unsigned char)cur[0]) || !isupper((unsigned char)cur[1]) ||
	    !isupper((unsigned char)cur[2]))
		abort();
	for (const char *const *r = roles; *r; r++) {
		char key[COST_RATE_KEY_MAX + 1];
		int64_t rate;
		struct err e2 = { 0 };

		if (cost_rate_for(*r, "l2,night,a", NULL, key, &rate, &e2) || rate < 0 ||
		    rate > COST_RATE_MAX || strlen(key) > COST_RATE_KEY_MAX ||
		    cost_of(TIME_MINUTES_MAX, rate) < 0)
			abort();
	}
	free(text);
	return 0;
}
