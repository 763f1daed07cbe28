/*
 * calendar.h — business calendars: weekly open hours in local time of an IANA
 * zone, and holidays, with exact business-time arithmetic.
 *
 * Business time is, exactly, the measure of the set of real instants whose
 * local wall-clock time lies inside an open interval of a local date that is
 * not a holiday. A local hour skipped when clocks go forward is not counted;
 * one that happens twice when they go back counts twice.
 *
 * Invariants: a struct calendar is immutable after calendar_from_json(), so
 * one calendar may be used from many threads. Each weekday holds at most
 * CALENDAR_MAX_INTERVALS intervals [start, end) of seconds of the local day,
 * 0 <= start < end <= 86400 (minute precision), sorted and non-overlapping;
 * holidays are sorted and unique.
 *
 * Instants are int64 seconds since the epoch. Arithmetic is defined on
 * [CALENDAR_TIME_MIN, CALENDAR_TIME_MAX) (years 1 to 9999): instants outside
 * are clamped into it, and no business time exists outside it.
 *
 * JSON form (the API's):
 *   {"name": "office", "timezone": "Europe/London",
 *    "hours": {"mon": [["09:00","18:00"]], …, "sun": []},
 *    "holidays": ["2026-12-25"]}
 * Weekdays left out of "hours" are closed; "24:00" is allowed as an end.
 */
#ifndef ITSM_CALENDAR_H
#define ITSM_CALENDAR_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct err;
struct tz;
struct interval_set;
struct calendar;

#define CALENDAR_NAME_MAX 64        /* bytes with the NUL */
#define CALENDAR_MAX_INTERVALS 48   /* per weekday */
#define CALENDAR_MAX_HOLIDAYS 10000
#define CALENDAR_TIME_MIN (-62135596800LL) /* 0001-01-01T00:00:00Z */
#define CALENDAR_TIME_MAX 253402300800LL   /* 10000-01-01T00:00:00Z */

/* ---- lifecycle ---- */

/* Build a calendar from its JSON object. Returns 0 and a new calendar in
 * *out, which the caller frees with calendar_free(); or ERR_INVALID with
 * e->field naming the part at fault ("name", "timezone", "hours",
 * "hours.mon", "hours.mon[0]", "holidays", "holidays[2]") and a lowercase
 * message; ERR_INTERNAL when out of memory. Keys other than name, timezone,
 * hours and holidays are ignored (records carry id, version, …). */
int calendar_from_json(const json_t *j, struct calendar **out, struct err *e);
/* The same from JSON text; malformed JSON is ERR_INVALID with no field. */
int calendar_parse(const char *text, size_t len, struct calendar **out, struct err *e);

/* The calendar's JSON object, all seven weekdays present and holidays
 * sorted; a new reference the caller releases with json_decref(), or NULL
 * when out of memory. */
json_t *calendar_to_json(const struct calendar *c);

/* The built-in "24x7" calendar: UTC, open all the time. Static: never freed
 * (calendar_free() ignores it). */
const struct calendar *calendar_24x7(void);

/* Frees a calendar from calendar_from_json(); NULL is allowed. */
void calendar_free(struct calendar *c);

/* ---- properties ---- */

const char *calendar_name(const struct calendar *c);
const struct tz *calendar_zone(const struct calendar *c);
/* Open seconds in one local week without holidays (0: never open). */
int64_t calendar_week_seconds(const struct calendar *c);
/* Whether instant t is business time. */
bool calendar_is_open(const struct calendar *c, int64_t t);

/* ---- arithmetic ---- */

/* Business seconds in [from, to); 0 when to <= from. */
int64_t calendar_elapsed(const struct calendar *c, int64_t from, int64_t to);

/* The earliest instant d >= from with calendar_elapsed(c, from, d) == seconds:
 * counting starts at the next opening when from is outside open hours, and
 * the answer is the instant the last second ends (9 hours from 09:00 on a
 * 09:00-18:00 day is 18:00 that day, not 09:00 the next). seconds <= 0
 * returns from unchanged. Returns INT64_MAX when the target is never reached:
 * a calendar with no open hours, or one beyond CALENDAR_TIME_MAX. */
int64_t calendar_due(const struct calendar *c, int64_t from, int64_t seconds);

/* The business time in [from, to) as a normalized interval set of instants:
 * out is reset, then filled. 0 or ERR_INTERNAL. Costs O(days in range). */
int calendar_open_set(const struct calendar *c, int64_t from, int64_t to,
		      struct interval_set *out);

/* The bounds [*t0, *t1) of a month in the calendar's zone: the first instants
 * at which the local clock reads the 1st of the month, and of the next month,
 * 00:00 or later. 0, or ERR_INVALID for a month outside 1-12 or a year
 * outside 1-9999. */
int calendar_month_range(const struct calendar *c, int year, int month, int64_t *t0,
			 int64_t *t1);

#endif
