/*
 * fuzz/calendar_json.c — libFuzzer target: a business calendar body
 * (POST /api/v1/calendars; sla_calendar_add stores what calendar_parse
 * accepts, sla_calendar_load parses it back), then its arithmetic.
 *
 * The body may carry two keys the parser ignores, "fuzz_from" (seconds
 * since the epoch) and "fuzz_seconds", which set the instant and the
 * business time the arithmetic is probed with, so the fuzzer steers them
 * too. Checked beyond memory safety:
 *  - a refusal is ERR_INVALID with a message (and no calendar);
 *  - round trip: calendar_to_json of the calendar, and of the calendar
 *    parsed back from its stored text (canonical JSON), are equal;
 *  - the open seconds of a week are the sum of the hours listed;
 *  - elapsed is additive over any split, zero on an empty or reversed
 *    range, at most the range's length; is_open(t) is elapsed(t, t + 1);
 *  - due is the earliest instant by which exactly the asked business time
 *    has elapsed; a calendar never open never gets there;
 *  - a month's range starts at the first instant whose wall clock reads the
 *    1st at 00:00 or later, and ends after it starts.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domain/sla/calendar.h"
#include "lib/err.h"
#include "lib/timeutil.h"
#include "lib/tz.h"
#include "support/fuzz_check.h"

#define WEEK (7 * 86400)

static int64_t hhmm(const char *s)
{
	return ((s[0] - '0') * 10 + (s[1] - '0')) * 3600 + ((s[3] - '0') * 10 + (s[4] - '0')) * 60;
}

/* The open seconds of a week, from the calendar's JSON. */
static int64_t listed_week(const json_t *j)
{
	const char *day;
	json_t *spans, *sp;
	int64_t sum = 0;
	size_t i;

	json_object_foreach(json_object_get(j, "hours"), day, spans)
		json_array_foreach(spans, i, sp)
			sum += hhmm(json_string_value(json_array_get(sp, 1))) -
			       hhmm(json_string_value(json_array_get(sp, 0)));
	return sum;
}

static void round_trip(const struct calendar *c, json_t **canon)
{
	struct calendar *back = NULL;
	struct err e = { 0 };
	json_t *j1 = calendar_to_json(c), *j2;
	char *text;

	CHECK(j1);
	text = json_dumps(j1, JSON_COMPACT | JSON_SORT_KEYS);
	CHECK(text && calendar_parse(text, strlen(text), &back, &e) == 0);
	j2 = calendar_to_json(back);
	CHECK(j2 && json_equal(j1, j2));
	CHECK(calendar_week_seconds(back) == calendar_week_seconds(c));
	json_decref(j2);
	calendar_free(back);
	free(text);
	*canon = j1;
}

static void arithmetic(const struct calendar *c, int64_t t, int64_t s)
{
	int64_t week = calendar_week_seconds(c), d, mid;

	CHECK(calendar_elapsed(c, t, t) == 0);
	CHECK(calendar_is_open(c, t) == (calendar_elapsed(c, t, t + 1) == 1));
	mid = t + s / 3;
	CHECK(calendar_elapsed(c, t, t + s) ==
	      calendar_elapsed(c, t, mid) + calendar_elapsed(c, mid, t + s));
	CHECK(calendar_elapsed(c, t, t + s) <= (s > 0 ? s : 0));
	CHECK(calendar_elapsed(c, s > 0 ? t + s : t, s > 0 ? t : t + s) == 0);

	d = calendar_due(c, t, s);
	if (s <= 0) {
		CHECK(d == t);
	} else if (week == 0) {
		CHECK(d == INT64_MAX);
	} else if (d != INT64_MAX) {
		CHECK(d > t);
		CHECK(calendar_elapsed(c, t, d) == s);
		CHECK(calendar_elapsed(c, t, d - 1) < s);
	}
}

static void month(const struct calendar *c, int64_t t)
{
	const struct tz *z = calendar_zone(c);
	int64_t y, t0, t1, first;
	unsigned m, dd;

	time_civil_from_days(time_floor_div(t + tz_offset(z, t), 86400), &y, &m, &dd);
	if (y < 1 || y > 9999)
		return;
	CHECK(calendar_month_range(c, (int)y, (int)m, &t0, &t1) == 0);
	CHECK(t0 < t1);
	first = time_days_from_civil(y, m, 1) * 86400;
	CHECK(t0 + tz_offset(z, t0) >= first);
	CHECK(t0 - 1 + tz_offset(z, t0 - 1) < first);
	CHECK(calendar_month_range(c, (int)y, 13, &t0, &t1) == ERR_INVALID);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int64_t probes[] = { 1772445600LL, /* Mon 2026-03-02 10:00Z */
					  1774744200LL, /* 2026-03-29 00:30Z, DST in Europe */
					  1798761599LL, /* 2026-12-31 23:59:59Z */
					  0, -62135596800LL + 86400, 253402300800LL - 86400 };
	struct calendar *c = NULL;
	struct err e = { 0 };
	json_t *canon, *j, *v;
	int64_t s = 9 * 3600;

	if (calendar_parse((const char *)data, size, &c, &e)) {
		CHECK(!c && (e.code == ERR_INVALID || e.code == ERR_INTERNAL) && e.msg[0]);
		return 0;
	}
	round_trip(c, &canon);
	CHECK(calendar_week_seconds(c) == listed_week(canon));
	CHECK(calendar_week_seconds(c) >= 0 && calendar_week_seconds(c) <= WEEK);
	CHECK(!strcmp(calendar_name(c), json_string_value(json_object_get(canon, "name"))));

	j = json_loadb((const char *)data, size, 0, NULL);
	if (json_is_integer(v = json_object_get(j, "fuzz_seconds")))
		s = json_integer_value(v) % (WEEK + 1);
	if (json_is_integer(v = json_object_get(j, "fuzz_from"))) {
		int64_t t = json_integer_value(v) % CALENDAR_TIME_MAX;

		arithmetic(c, t, s);
		month(c, t);
	}
	for (size_t i = 0; i < sizeof(probes) / sizeof(probes[0]); i++) {
		arithmetic(c, probes[i], s);
		month(c, probes[i]);
	}
	json_decref(j);
	json_decref(canon);
	calendar_free(c);
	return 0;
}
