/*
 * tests/unit/domain/calendar.c — business calendars: known answers worked
 * out by hand (weekend, holiday, night start, targets beyond a week, 24x7,
 * the 2026 DST changes of New York and London, Tokyo without DST), the JSON
 * form and its errors, and a seeded comparison with a minute-by-minute count.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "domain/sla/calendar.h"
#include "domain/sla/interval.h"
#include "lib/err.h"
#include "lib/timeutil.h"
#include "lib/tz.h"

#define H 3600

/* London office hours with the 2026 bank holidays of England. */
static const char office_json[] =
	"{\"name\":\"office\",\"timezone\":\"Europe/London\",\"hours\":{"
	"\"mon\":[[\"09:00\",\"18:00\"]],\"tue\":[[\"09:00\",\"18:00\"]],"
	"\"wed\":[[\"09:00\",\"18:00\"]],\"thu\":[[\"09:00\",\"18:00\"]],"
	"\"fri\":[[\"09:00\",\"18:00\"]]},"
	"\"holidays\":[\"2026-01-01\",\"2026-04-03\",\"2026-04-06\",\"2026-05-04\","
	"\"2026-05-25\",\"2026-08-31\",\"2026-12-25\",\"2026-12-28\"]}";

static int64_t T(const char *s)
{
	int64_t t = 0;

	assert_int_equal(time_parse_rfc3339(s, &t), 0);
	return t;
}

static struct calendar *cal(const char *json)
{
	struct calendar *c = NULL;
	struct err e = { 0 };
	int ret = calendar_parse(json, strlen(json), &c, &e);

	if (ret)
		fail_msg("parse failed: %s: %s", e.field, e.msg);
	return c;
}

/* A calendar in zone with the same intervals every day of the week. */
static struct calendar *daily(const char *zone, const char *intervals)
{
	char json[1024];

	snprintf(json, sizeof(json),
		 "{\"name\":\"d\",\"timezone\":\"%s\",\"hours\":{\"mon\":%s,\"tue\":%s,"
		 "\"wed\":%s,\"thu\":%s,\"fri\":%s,\"sat\":%s,\"sun\":%s}}",
		 zone, intervals, intervals, intervals, intervals, intervals, intervals, intervals);
	return cal(json);
}

static void expect_err(const char *json, const char *field, const char *msg)
{
	struct calendar *c = NULL;
	struct err e = { 0 };

	assert_int_equal(calendar_parse(json, strlen(json), &c, &e), ERR_INVALID);
	assert_null(c);
	assert_string_equal(e.field, field);
	assert_string_equal(e.msg, msg);
}

#define assert_time_equal(a, b) assert_true((int64_t)(a) == (int64_t)(b))

static void test_weekend(void **state)
{
	struct calendar *c = cal(office_json);

	/* Fri 17:00 + 2h: one hour on Friday, one on Monday. */
	assert_time_equal(calendar_due(c, T("2026-01-09T17:00:00Z"), 2 * H), T("2026-01-12T10:00:00Z"));
	assert_int_equal(calendar_elapsed(c, T("2026-01-09T17:00:00Z"), T("2026-01-12T10:00:00Z")),
			 2 * H);
	/* Saturday noon + 30 min: Monday 09:30. */
	assert_time_equal(calendar_due(c, T("2026-01-10T12:00:00Z"), 30 * 60), T("2026-01-12T09:30:00Z"));
	/* A full working day ends at 18:00, not at 09:00 the next morning. */
	assert_time_equal(calendar_due(c, T("2026-01-12T09:00:00Z"), 9 * H), T("2026-01-12T18:00:00Z"));
	assert_false(calendar_is_open(c, T("2026-01-10T12:00:00Z")));
	assert_true(calendar_is_open(c, T("2026-01-12T09:00:00Z")));
	assert_false(calendar_is_open(c, T("2026-01-12T18:00:00Z")));
	calendar_free(c);
}

static void test_holiday(void **state)
{
	struct calendar *c = cal(office_json);

	/* Thu 24 Dec 17:00 + 2h: Fri 25 and Mon 28 are holidays → Tue 29 10:00. */
	assert_time_equal(calendar_due(c, T("2026-12-24T17:00:00Z"), 2 * H), T("2026-12-29T10:00:00Z"));
	assert_int_equal(calendar_elapsed(c, T("2026-12-24T09:00:00Z"), T("2026-12-30T09:00:00Z")),
			 18 * H);
	assert_false(calendar_is_open(c, T("2026-12-25T10:00:00Z")));
	calendar_free(c);
}

static void test_night_start(void **state)
{
	struct calendar *c = cal(office_json);
	int64_t night = T("2026-01-13T03:00:00Z");

	assert_time_equal(calendar_due(c, night, H), T("2026-01-13T10:00:00Z"));
	assert_time_equal(calendar_due(c, night, 0), night); /* 0 seconds: from itself */
	assert_int_equal(calendar_elapsed(c, night, T("2026-01-13T09:00:00Z")), 0);
	assert_int_equal(calendar_elapsed(c, T("2026-01-13T10:00:00Z"), night), 0);
	calendar_free(c);
}

static void test_longer_than_a_week(void **state)
{
	struct calendar *c = cal(office_json);

	/* 50h = a 45h week + 5h. */
	assert_time_equal(calendar_due(c, T("2026-01-12T09:00:00Z"), 50 * H), T("2026-01-19T14:00:00Z"));
	assert_int_equal(calendar_elapsed(c, T("2026-01-12T09:00:00Z"), T("2026-01-19T14:00:00Z")),
			 50 * H);
	/* Three weeks and a second from mid-Wednesday. */
	assert_time_equal(calendar_due(c, T("2026-01-14T13:00:00Z"), 135 * H + 1),
			  T("2026-02-04T13:00:01Z"));
	/* Five weeks (225h) from Mon 2 March, across the DST change and Easter:
	 * 216h by Thu 2 April 18:00 BST, Good Friday and Easter Monday closed,
	 * the last 9h on Tue 7 April, ending 18:00 BST = 17:00Z. */
	assert_time_equal(calendar_due(c, T("2026-03-02T09:00:00Z"), 225 * H), T("2026-04-07T17:00:00Z"));
	assert_int_equal(calendar_elapsed(c, T("2026-03-02T09:00:00Z"), T("2026-04-07T17:00:00Z")),
			 225 * H);
	/* A year: 2026 has 261 weekdays, 8 of them bank holidays. */
	assert_int_equal(calendar_elapsed(c, T("2026-01-01T00:00:00Z"), T("2026-12-31T23:59:59Z")),
			 (261 - 8) * 9 * H);
	calendar_free(c);
}

static void test_london_dst_office(void **state)
{
	struct calendar *c = cal(office_json);

	/* Fri 27 March 17:00 GMT + 2h: Monday opens at 09:00 BST = 08:00Z. */
	assert_time_equal(calendar_due(c, T("2026-03-27T17:00:00Z"), 2 * H), T("2026-03-30T09:00:00Z"));
	assert_int_equal(calendar_elapsed(c, T("2026-03-27T17:00:00Z"), T("2026-03-30T09:00:00Z")),
			 2 * H);
	/* And back in October: Fri 23 Oct 17:00 BST (16:00Z), Mon 09:00 GMT. */
	assert_time_equal(calendar_due(c, T("2026-10-23T16:00:00Z"), 2 * H), T("2026-10-26T10:00:00Z"));
	calendar_free(c);
}

static void test_24x7(void **state)
{
	const struct calendar *c = calendar_24x7();
	int64_t a = T("2026-03-08T00:00:00Z");

	assert_string_equal(calendar_name(c), "24x7");
	assert_string_equal(tz_name(calendar_zone(c)), "UTC");
	assert_int_equal(calendar_week_seconds(c), 7 * 24 * H);
	assert_int_equal(calendar_elapsed(c, a, a + 12345678), 12345678);
	assert_time_equal(calendar_due(c, a, 10 * 24 * H), a + 10 * 24 * H);
	assert_time_equal(calendar_due(c, a, 1), a + 1);
	assert_true(calendar_is_open(c, a));
	/* Beyond year 9999 there is no business time. */
	assert_time_equal(calendar_due(c, a, INT64_MAX / 2), INT64_MAX);
	assert_int_equal(calendar_elapsed(c, CALENDAR_TIME_MAX - 10, CALENDAR_TIME_MAX + 10), 10);
	calendar_free((struct calendar *)c); /* ignored for the built-in */
}

static void test_new_york_dst(void **state)
{
	struct calendar *sun = cal("{\"name\":\"s\",\"timezone\":\"America/New_York\","
				   "\"hours\":{\"sun\":[[\"00:00\",\"24:00\"]]}}");
	struct calendar *all = daily("America/New_York", "[[\"00:00\",\"24:00\"]]");
	struct calendar *one = daily("America/New_York", "[[\"01:00\",\"02:00\"]]");
	struct calendar *two = daily("America/New_York", "[[\"02:00\",\"03:00\"]]");
	int64_t t0, t1;

	/* Sunday 8 March has 23 hours, Sunday 1 November 25. */
	assert_int_equal(calendar_elapsed(sun, T("2026-03-02T12:00:00Z"), T("2026-03-14T12:00:00Z")),
			 23 * H);
	assert_int_equal(calendar_elapsed(sun, T("2026-10-26T12:00:00Z"), T("2026-11-07T12:00:00Z")),
			 25 * H);
	assert_time_equal(calendar_due(sun, T("2026-03-02T12:00:00Z"), 23 * H), T("2026-03-09T04:00:00Z"));
	assert_time_equal(calendar_due(sun, T("2026-03-02T12:00:00Z"), 23 * H + 1),
			  T("2026-03-15T04:00:01Z"));
	assert_time_equal(calendar_due(sun, T("2026-10-26T12:00:00Z"), 25 * H), T("2026-11-02T05:00:00Z"));
	/* Over the local date, open all day: 23h and 25h. */
	assert_int_equal(calendar_elapsed(all, T("2026-03-08T05:00:00Z"), T("2026-03-09T04:00:00Z")),
			 23 * H);
	assert_int_equal(calendar_elapsed(all, T("2026-11-01T04:00:00Z"), T("2026-11-02T05:00:00Z")),
			 25 * H);
	/* 01:00-02:00 happens twice on 1 November, once on 8 March. */
	assert_int_equal(calendar_elapsed(one, T("2026-11-01T04:00:00Z"), T("2026-11-02T05:00:00Z")),
			 2 * H);
	assert_int_equal(calendar_elapsed(one, T("2026-03-08T05:00:00Z"), T("2026-03-09T04:00:00Z")), H);
	/* From 01:30 EDT, one hour: the rest of the first 01:xx, then the
	 * first half of the second. */
	assert_time_equal(calendar_due(one, T("2026-11-01T05:30:00Z"), H), T("2026-11-01T06:30:00Z"));
	/* 02:00-03:00 does not exist on 8 March; it happens once on 1 November. */
	assert_int_equal(calendar_elapsed(two, T("2026-03-08T05:00:00Z"), T("2026-03-09T04:00:00Z")), 0);
	assert_int_equal(calendar_elapsed(two, T("2026-11-01T04:00:00Z"), T("2026-11-02T05:00:00Z")), H);
	assert_time_equal(calendar_due(two, T("2026-03-07T08:00:00Z"), 1800), T("2026-03-09T06:30:00Z"));
	/* Months in local time. */
	assert_int_equal(calendar_month_range(all, 2026, 3, &t0, &t1), 0);
	assert_time_equal(t0, T("2026-03-01T05:00:00Z"));
	assert_time_equal(t1, T("2026-04-01T04:00:00Z"));
	assert_int_equal(calendar_elapsed(all, t0, t1), (31 * 24 - 1) * H);
	assert_int_equal(calendar_month_range(all, 2026, 11, &t0, &t1), 0);
	assert_int_equal(calendar_elapsed(all, t0, t1), (30 * 24 + 1) * H);
	assert_int_equal(calendar_month_range(all, 2026, 13, &t0, &t1), ERR_INVALID);
	calendar_free(sun);
	calendar_free(all);
	calendar_free(one);
	calendar_free(two);
}

static void test_london_dst(void **state)
{
	struct calendar *sun = cal("{\"name\":\"s\",\"timezone\":\"Europe/London\","
				   "\"hours\":{\"sun\":[[\"00:00\",\"24:00\"]]}}");
	struct calendar *one = daily("Europe/London", "[[\"01:00\",\"02:00\"]]");

	assert_int_equal(calendar_elapsed(sun, T("2026-03-23T00:00:00Z"), T("2026-04-04T00:00:00Z")),
			 23 * H);
	assert_int_equal(calendar_elapsed(sun, T("2026-10-19T00:00:00Z"), T("2026-10-31T00:00:00Z")),
			 25 * H);
	/* 01:00-02:00 is skipped on 29 March and happens twice on 25 October. */
	assert_int_equal(calendar_elapsed(one, T("2026-03-29T00:00:00Z"), T("2026-03-29T23:00:00Z")), 0);
	assert_int_equal(calendar_elapsed(one, T("2026-10-24T23:00:00Z"), T("2026-10-26T00:00:00Z")),
			 2 * H);
	assert_time_equal(calendar_due(one, T("2026-03-28T02:00:00Z"), 1), T("2026-03-30T00:00:01Z"));
	calendar_free(sun);
	calendar_free(one);
}

static void test_tokyo(void **state)
{
	struct calendar *c = cal("{\"name\":\"tokyo\",\"timezone\":\"Asia/Tokyo\",\"hours\":{"
				 "\"mon\":[[\"09:00\",\"17:30\"]],\"tue\":[[\"09:00\",\"17:30\"]],"
				 "\"wed\":[[\"09:00\",\"17:30\"]],\"thu\":[[\"09:00\",\"17:30\"]],"
				 "\"fri\":[[\"09:00\",\"17:30\"]]}}");
	int64_t t0, t1;

	/* Fri 17:00 JST + 1h: 30 min on Friday, 30 on Monday. */
	assert_time_equal(calendar_due(c, T("2026-07-03T08:00:00Z"), H), T("2026-07-06T00:30:00Z"));
	/* 2026 has 261 weekdays of 8.5 hours. */
	assert_int_equal(calendar_elapsed(c, T("2025-12-31T15:00:00Z"), T("2026-12-31T15:00:00Z")),
			 261 * 30600);
	assert_int_equal(calendar_month_range(c, 2026, 4, &t0, &t1), 0);
	assert_time_equal(t0, T("2026-03-31T15:00:00Z"));
	assert_time_equal(t1, T("2026-04-30T15:00:00Z"));
	calendar_free(c);
}

static void test_split_shifts_and_midnight(void **state)
{
	struct calendar *c = cal("{\"name\":\"split\",\"timezone\":\"UTC\",\"hours\":{"
				 "\"mon\":[[\"13:00\",\"17:00\"],[\"08:00\",\"12:00\"],[\"22:00\",\"24:00\"]],"
				 "\"tue\":[[\"00:00\",\"02:00\"]]}}");
	struct interval_set s = INTERVAL_SET_INIT;

	assert_time_equal(calendar_due(c, T("2026-01-12T11:00:00Z"), 2 * H), T("2026-01-12T14:00:00Z"));
	assert_time_equal(calendar_due(c, T("2026-01-12T23:00:00Z"), 2 * H), T("2026-01-13T01:00:00Z"));
	/* Mon 22:00 to Tue 02:00 is one stretch of open time. */
	assert_int_equal(
		calendar_open_set(c, T("2026-01-12T00:00:00Z"), T("2026-01-14T00:00:00Z"), &s), 0);
	assert_int_equal(s.len, 3);
	assert_time_equal(s.v[2].start, T("2026-01-12T22:00:00Z"));
	assert_time_equal(s.v[2].end, T("2026-01-13T02:00:00Z"));
	assert_int_equal(interval_set_measure(&s), 12 * H);
	interval_set_release(&s);
	calendar_free(c);
}

static void test_never_open(void **state)
{
	struct calendar *c = cal("{\"name\":\"closed\",\"timezone\":\"UTC\",\"hours\":{}}");

	assert_int_equal(calendar_week_seconds(c), 0);
	assert_int_equal(calendar_elapsed(c, 0, 1000000), 0);
	assert_time_equal(calendar_due(c, 0, 1), INT64_MAX);
	assert_time_equal(calendar_due(c, 5, 0), 5);
	calendar_free(c);
}

static void test_json_round_trip(void **state)
{
	struct calendar *c = cal("{\"name\":\"rt\",\"timezone\":\"Europe/London\",\"id\":7,"
				 "\"hours\":{\"sat\":[[\"18:00\",\"24:00\"],[\"08:00\",\"12:30\"]]},"
				 "\"holidays\":[\"2026-12-31\",\"2026-01-01\"]}");
	struct calendar *c2 = NULL;
	json_t *j = calendar_to_json(c), *j2;
	char *text;
	struct err e = { 0 };

	assert_non_null(j);
	text = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
	assert_string_equal(text,
			    "{\"name\":\"rt\",\"timezone\":\"Europe/London\",\"hours\":{\"mon\":[],"
			    "\"tue\":[],\"wed\":[],\"thu\":[],\"fri\":[],\"sat\":[[\"08:00\",\"12:30\"],"
			    "[\"18:00\",\"24:00\"]],\"sun\":[]},\"holidays\":[\"2026-01-01\","
			    "\"2026-12-31\"]}");
	assert_int_equal(calendar_from_json(j, &c2, &e), 0);
	j2 = calendar_to_json(c2);
	assert_true(json_equal(j, j2));
	free(text);
	json_decref(j);
	json_decref(j2);
	calendar_free(c);
	calendar_free(c2);
}

static void test_json_errors(void **state)
{
	expect_err("{\"name\":\"x\",\"timezone\":\"Mars/Olympus_Mons\",\"hours\":{}}", "timezone",
		   "unknown time zone 'Mars/Olympus_Mons'");
	expect_err("{\"name\":\"x\",\"timezone\":\"../../etc/passwd\",\"hours\":{}}", "timezone",
		   "unknown time zone '../../etc/passwd'");
	expect_err("{\"name\":\"x\",\"hours\":{}}", "timezone", "missing timezone");
	expect_err("{\"name\":\"x\",\"timezone\":5,\"hours\":{}}", "timezone",
		   "timezone must be a string");
	expect_err("{\"timezone\":\"UTC\",\"hours\":{}}", "name", "missing name");
	expect_err("{\"name\":\"a b\",\"timezone\":\"UTC\",\"hours\":{}}", "name",
		   "bad name, expected 1-63 letters, digits, '.', '_' or '-'");
	expect_err("{\"name\":\"x\",\"timezone\":\"UTC\"}", "hours", "missing hours");
	expect_err("{\"name\":\"x\",\"timezone\":\"UTC\",\"hours\":[]}", "hours",
		   "hours must be an object of weekdays");
	expect_err("{\"name\":\"x\",\"timezone\":\"UTC\",\"hours\":{\"mon\":[[\"9:00\",\"18:00\"]]}}",
		   "hours.mon[0]", "bad start time '9:00', expected HH:MM");
	expect_err("{\"name\":\"x\",\"timezone\":\"UTC\",\"hours\":{\"tue\":[[\"09:00\",\"24:30\"]]}}",
		   "hours.tue[0]", "bad end time '24:30', expected HH:MM");
	expect_err("{\"name\":\"x\",\"timezone\":\"UTC\",\"hours\":{\"wed\":[[\"24:00\",\"24:00\"]]}}",
		   "hours.wed[0]", "bad start time '24:00', expected HH:MM");
	expect_err("{\"name\":\"x\",\"timezone\":\"UTC\",\"hours\":{\"mon\":[[\"18:00\",\"09:00\"]]}}",
		   "hours.mon[0]", "end '09:00' not after start '18:00'");
	expect_err("{\"name\":\"x\",\"timezone\":\"UTC\",\"hours\":{\"mon\":[[\"09:00\",\"09:00\"]]}}",
		   "hours.mon[0]", "end '09:00' not after start '09:00'");
	expect_err("{\"name\":\"x\",\"timezone\":\"UTC\",\"hours\":{\"tue\":[[\"09:00\",\"12:00\"],"
		   "[\"13:00\",\"14:00\"],[\"11:00\",\"13:30\"]]}}",
		   "hours.tue[2]", "interval 11:00-13:30 overlaps hours.tue[0]");
	expect_err("{\"name\":\"x\",\"timezone\":\"UTC\",\"hours\":{\"thu\":[\"09:00\",\"18:00\"]}}",
		   "hours.thu[0]", "malformed interval, expected [\"HH:MM\", \"HH:MM\"]");
	expect_err("{\"name\":\"x\",\"timezone\":\"UTC\",\"hours\":{\"fri\":\"09:00-18:00\"}}",
		   "hours.fri", "hours for 'fri' must be an array of intervals");
	expect_err("{\"name\":\"x\",\"timezone\":\"UTC\",\"hours\":{\"funday\":[]}}", "hours.funday",
		   "unknown weekday 'funday', expected mon, tue, wed, thu, fri, sat or sun");
	expect_err("{\"name\":\"x\",\"timezone\":\"UTC\",\"hours\":{},"
		   "\"holidays\":[\"2026-12-25\",\"2026-12-31\",\"2026-02-30\"]}",
		   "holidays[2]", "bad date '2026-02-30', expected YYYY-MM-DD");
	expect_err("{\"name\":\"x\",\"timezone\":\"UTC\",\"hours\":{},\"holidays\":[20261225]}",
		   "holidays[0]", "holiday must be a string YYYY-MM-DD");
	expect_err("{\"name\":\"x\",\"timezone\":\"UTC\",\"hours\":{},"
		   "\"holidays\":[\"2026-12-25\",\"2026-12-25\"]}",
		   "holidays[1]", "duplicate holiday '2026-12-25'");
	expect_err("{\"name\":\"x\",\"timezone\":\"UTC\",\"hours\":{},\"holidays\":\"2026-12-25\"}",
		   "holidays", "holidays must be an array of dates");
	expect_err("[1]", "", "calendar must be a json object");
	{
		struct calendar *c = NULL;
		struct err e = { 0 };

		assert_int_equal(calendar_parse("{\"name\":", 8, &c, &e), ERR_INVALID);
		assert_string_equal(e.field, "");
		assert_memory_equal(e.msg, "malformed json: ", 16);
	}
}

/* ---- seeded comparison with a minute-by-minute count ---- */

static uint64_t rng = 0x2545F4914F6CDD1Dull;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static int64_t naive_elapsed(const struct calendar *c, int64_t a, int64_t b)
{
	int64_t sum = 0;

	/* Offsets and intervals are whole minutes, so business time is
	 * constant on each minute. */
	while (a < b) {
		int64_t n = (time_floor_div(a, 60) + 1) * 60;

		if (n > b)
			n = b;
		if (calendar_is_open(c, a))
			sum += n - a;
		a = n;
	}
	return sum;
}

static void test_against_naive_count(void **state)
{
	static const char *zones[] = { "America/New_York", "Europe/London", "Asia/Tokyo",
				       "Australia/Lord_Howe", "America/Santiago", "Asia/Kathmandu" };
	/* The DST changes of 2026 in the northern hemisphere, and 1 April. */
	static const int64_t bases[] = { 1772953200, 1793512800, 1774746000, 1792890000,
					 1775001600 };

	for (int round = 0; round < 40; round++) {
		char json[2048], hours[128];
		struct calendar *c;
		/* [a, b) in the morning, plus an afternoon stretch to midnight. */
		int a = (int)(rnd() % 40) * 15, b = a + 15 + (int)(rnd() % (uint64_t)((705 - a) / 15)) * 15;
		int64_t base = bases[rnd() % 5];
		char hol[11];

		snprintf(hours, sizeof(hours), "[[\"%02d:%02d\",\"%02d:%02d\"],[\"%02d:00\",\"24:00\"]]",
			 a / 60, a % 60, b / 60, b % 60, 12 + (int)(rnd() % 10));
		time_format_date(time_floor_div(base, 86400) + (int64_t)(rnd() % 5) - 2, hol);
		snprintf(json, sizeof(json),
			 "{\"name\":\"r\",\"timezone\":\"%s\",\"hours\":{\"mon\":%s,\"wed\":%s,"
			 "\"sat\":%s,\"sun\":%s},\"holidays\":[\"%s\"]}",
			 zones[rnd() % 6], hours, hours, hours, hours, hol);
		c = cal(json);
		for (int q = 0; q < 8; q++) {
			int64_t from = base - 5 * 86400 + (int64_t)(rnd() % (10 * 86400));
			int64_t to = from + (int64_t)(rnd() % (6 * 86400));
			int64_t secs = (int64_t)(rnd() % (3 * 86400)), due;

			assert_int_equal(calendar_elapsed(c, from, to), naive_elapsed(c, from, to));
			due = calendar_due(c, from, secs);
			assert_int_equal(calendar_elapsed(c, from, due), secs);
			if (secs > 0)
				assert_true(calendar_elapsed(c, from, due - 1) < secs);
		}
		calendar_free(c);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_weekend),
		cmocka_unit_test(test_holiday),
		cmocka_unit_test(test_night_start),
		cmocka_unit_test(test_longer_than_a_week),
		cmocka_unit_test(test_london_dst_office),
		cmocka_unit_test(test_24x7),
		cmocka_unit_test(test_new_york_dst),
		cmocka_unit_test(test_london_dst),
		cmocka_unit_test(test_tokyo),
		cmocka_unit_test(test_split_shifts_and_midnight),
		cmocka_unit_test(test_never_open),
		cmocka_unit_test(test_json_round_trip),
		cmocka_unit_test(test_json_errors),
		cmocka_unit_test(test_against_naive_count),
	};

	return cmocka_run_group_tests_name("calendar", tests, NULL, NULL);
}
