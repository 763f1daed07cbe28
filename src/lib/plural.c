/*
 * plural.c — choosing the noun for a count (see plural.h). Invariant: the
 * singular only for exactly one (or minus one); zero is plural, as English
 * says "0 tickets".
 */
#include "lib/plural.h"

const char *plural(int64_t n, const char *one, const char *other)
{
	return n == 1 || n == -1 ? one : other;
}
