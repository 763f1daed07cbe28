/*
 * plural.h — a count with its noun, in English: "1 ticket", "0 tickets",
 * "2 tickets". Every message that counts (CLI lines, API and domain
 * messages) takes its noun from here, so none says "1 tickets".
 */
#ifndef ITSM_PLURAL_H
#define ITSM_PLURAL_H

#include <stdint.h>

/* one when n is 1 or -1, else other: printf("%lld %s", n, plural(n,
 * "ticket", "tickets")). Both forms are given (English has "entry" /
 * "entries"); the answer is one of them, never copied. */
const char *plural(int64_t n, const char *one, const char *other);

#endif
