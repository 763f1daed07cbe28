/*
 * timeutil.h — instants as int64 seconds since the Unix epoch (UTC), RFC 3339
 * text, civil-date arithmetic, and the injectable clock.
 *
 * Every "now" in itsm comes from clock_now(), so tests set the time instead of
 * sleeping to reach a deadline.
 */
#ifndef ITSM_TIMEUTIL_H
#define ITSM_TIMEUTIL_H

#include <stdint.h>

#define RFC3339_LEN 32

/* Parse "YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)"; fractions are truncated.
 * Returns 0 or ERR_INVALID. */
int time_parse_rfc3339(const char *s, int64_t *out);
/* Parse a local date "YYYY-MM-DD" into days since 1970-01-01. */
int time_parse_date(const char *s, int64_t *days);
/* Write "YYYY-MM-DDTHH:MM:SSZ" into out (at least RFC3339_LEN bytes). */
void time_format_rfc3339(int64_t t, char *out);
void time_format_date(int64_t days, char *out); /* "YYYY-MM-DD", 11 bytes */

/* Proleptic Gregorian civil date <-> days since 1970-01-01. */
int64_t time_days_from_civil(int64_t y, unsigned m, unsigned d);
void time_civil_from_days(int64_t days, int64_t *y, unsigned *m, unsigned *d);
/* 0 = Monday … 6 = Sunday. */
unsigned time_weekday(int64_t days);
int64_t time_floor_div(int64_t a, int64_t b);

/* Seconds since the epoch; a fixed value while a test has set one. */
int64_t clock_now(void);
void clock_set(int64_t t); /* t < 0 returns to the real clock */
/* Monotonic seconds with fractions, for latency measurement. */
double clock_mono(void);

#endif
