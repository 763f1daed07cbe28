/*
 * tz.h — IANA time zones without TZ, localtime() or any global state but a
 * cache: UTC offsets and offset changes of a zone read from its TZif file.
 *
 * Invariants: a struct tz is immutable once loaded and lives until the
 * process exits, so a pointer from tz_load() may be kept and shared between
 * threads without locking. Instants are int64 seconds since the Unix epoch
 * (POSIX time, no leap seconds); offsets are seconds east of UTC, so the wall
 * clock of a zone at instant t reads t + tz_offset(z, t).
 *
 * Zone files come from /usr/share/zoneinfo, or from the directory named by
 * the environment variable ITSM_ZONEINFO (read when a zone is first loaded).
 * "UTC" is built in and works without any zone file.
 */
#ifndef ITSM_TZ_H
#define ITSM_TZ_H

#include <stddef.h>
#include <stdint.h>

struct err;
struct tz;

#define TZ_NAME_MAX 128

/* Look up a zone by IANA name ("Europe/London"), loading and caching it on
 * first use. The name must be 1-127 characters of letters, digits and
 * "/_-+.", must not start with '/' and has no empty, "." or ".." component.
 * Returns 0 and sets *out (owned by the cache: never freed by the caller),
 * or ERR_INVALID with e->field "timezone" and "unknown time zone 'NAME'"
 * (bad name, no such file, not a TZif file, a zone counting leap seconds).
 * Thread-safe. */
int tz_load(const char *name, const struct tz **out, struct err *e);

/* Read a zone from the bytes of a TZif file, uncached: 0 and a new zone in
 * *out named name (the caller frees it with tz_free()), or ERR_INVALID with
 * e->field "timezone" for bytes that are not a TZif file tz_load() would
 * take. tz_load() reads its files through this; also for the fuzz target. */
int tz_parse(const char *name, const void *data, size_t len, struct tz **out, struct err *e);
void tz_free(struct tz *z);

/* The built-in UTC zone (offset 0, never changes). */
const struct tz *tz_utc(void);

/* The name the zone was loaded under. */
const char *tz_name(const struct tz *z);

/* UTC offset in seconds at instant utc. */
int32_t tz_offset(const struct tz *z, int64_t utc);

/* The first instant > utc at which the offset differs from tz_offset(z, utc),
 * or INT64_MAX when it never changes again. Transitions that only change the
 * abbreviation or the DST flag are not changes. */
int64_t tz_next_change(const struct tz *z, int64_t utc);

/* Both at once: returns tz_offset(z, utc) and stores tz_next_change(z, utc)
 * in *next (the offset is constant on [utc, *next)). */
int32_t tz_span(const struct tz *z, int64_t utc, int64_t *next);

/* The first instant at which the zone's wall clock reads local or later:
 * the usual instant for an ordinary local time, the first of the two for a
 * repeated one (fall back), the transition instant for a skipped one
 * (spring forward). local is wall-clock seconds since 1970-01-01T00:00. */
int64_t tz_utc_from_local(const struct tz *z, int64_t local);

#endif
