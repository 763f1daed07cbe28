/*
 * tests/unit/lib/timeutil.c — RFC 3339 parsing and formatting, civil-date
 * arithmetic (proleptic Gregorian, negative years with floor division),
 * weekdays and the injectable clock. Known values were computed
 * independently (Python's datetime, and by hand for years before 1).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>
#include <time.h>

#include "lib/err.h"
#include "lib/timeutil.h"

static int64_t P(const char *s)
{
	int64_t t = INT64_MIN;

	if (time_parse_rfc3339(s, &t))
		fail_msg("'%s' does not parse", s);
	return t;
}

static void test_parse_utc(void **state)
{
	static const struct {
		const char *s;
		int64_t t;
	} cases[] = {
		{ "1970-01-01T00:00:00Z", 0 },
		{ "1969-12-31T23:59:59Z", -1 },
		{ "2026-01-05T09:00:00Z", 1767603600 },
		{ "2016-12-31T23:59:59Z", 1483228799 },
		{ "2000-02-29T12:34:56Z", 951827696 },
		{ "2038-01-19T03:14:08Z", 2147483648LL },
		{ "1900-03-01T00:00:00Z", -2203891200LL },
		{ "0001-01-01T00:00:00Z", -62135596800LL },
		{ "9999-12-31T23:59:59Z", 253402300799LL },
		/* lowercase t and z, and a space for the T (RFC 3339 §5.6 note) */
		{ "2026-01-05t09:00:00z", 1767603600 },
		{ "2026-01-05 09:00:00Z", 1767603600 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (P(cases[i].s) != cases[i].t)
			fail_msg("'%s': got %lld, want %lld", cases[i].s, (long long)P(cases[i].s),
				 (long long)cases[i].t);
}

static void test_parse_offsets(void **state)
{
	const int64_t t = 1767603600; /* 2026-01-05T09:00:00Z */

	assert_int_equal(P("2026-01-05T09:00:00+00:00"), t);
	assert_int_equal(P("2026-01-05T09:00:00-00:00"), t);
	assert_int_equal(P("2026-01-05T10:00:00+01:00"), t);
	assert_int_equal(P("2026-01-05T14:30:00+05:30"), t);
	assert_int_equal(P("2026-01-05T04:00:00-05:00"), t);
	assert_int_equal(P("2026-01-04T23:15:00-09:45"), t);
	/* crossing a day, a month and a year boundary */
	assert_int_equal(P("2026-01-06T08:00:00+23:00"), t);
	assert_int_equal(P("2025-12-31T23:30:00-01:00"), P("2026-01-01T00:30:00Z"));
	assert_int_equal(P("1970-01-01T00:00:00+00:01"), -60);
	assert_int_equal(P("2026-01-05T09:00:00+23:59"), t - 23 * 3600 - 59 * 60);
}

static void test_parse_fractions(void **state)
{
	const int64_t t = 1767603600;

	/* Fractions are truncated, never rounded. */
	assert_int_equal(P("2026-01-05T09:00:00.0Z"), t);
	assert_int_equal(P("2026-01-05T09:00:00.5Z"), t);
	assert_int_equal(P("2026-01-05T09:00:00.999999999Z"), t);
	assert_int_equal(P("2026-01-05T09:00:00.123456789012345678901234567890Z"), t);
	assert_int_equal(P("2026-01-05T10:00:00.75+01:00"), t);
	/* before the epoch, truncation is toward the earlier whole second */
	assert_int_equal(P("1969-12-31T23:59:59.9Z"), -1);
}

static void test_parse_leap_second(void **state)
{
	/* :60 is folded into the second before it. */
	assert_int_equal(P("2016-12-31T23:59:60Z"), P("2016-12-31T23:59:59Z"));
	assert_int_equal(P("2016-12-31T23:59:60.5Z"), 1483228799);
	assert_int_equal(P("2017-01-01T00:59:60+01:00"), 1483228799);
	assert_int_equal(P("2016-12-31T23:59:60Z") + 1, P("2017-01-01T00:00:00Z"));
}

static void test_parse_rejects(void **state)
{
	static const char *const bad[] = {
		"",
		"2026",
		"2026-01-05",
		"2026-01-05T09:00:00",	    /* missing zone */
		"2026-01-05T09:00:00.5",    /* missing zone after a fraction */
		"2026-01-05T09:00Z",	    /* missing seconds */
		"2026-00-05T09:00:00Z",	    /* month 0 */
		"2026-13-05T09:00:00Z",	    /* month 13 */
		"2026-01-00T09:00:00Z",	    /* day 0 */
		"2026-01-32T09:00:00Z",	    /* day 32 */
		"2026-04-31T09:00:00Z",	    /* April has 30 */
		"2026-06-31T09:00:00Z",
		"2026-09-31T09:00:00Z",
		"2026-11-31T09:00:00Z",
		"2025-02-29T09:00:00Z",	    /* not a leap year */
		"1900-02-29T09:00:00Z",	    /* a century that is not a leap year */
		"2026-02-30T09:00:00Z",
		"2024-02-30T09:00:00Z",
		"2026-01-05T24:00:00Z",	    /* hour 24 */
		"2026-01-05T09:60:00Z",	    /* minute 60 */
		"2026-01-05T09:00:61Z",	    /* second 61 */
		"2026-01-05T09:00:00.Z",    /* a dot without digits */
		"2026-01-05T09:00:00,5Z",   /* a comma for the dot */
		"2026-01-05T09:00:00+0100", /* offset without a colon */
		"2026-01-05T09:00:00+1:00",
		"2026-01-05T09:00:00+01",
		"2026-01-05T09:00:00+01:",
		"2026-01-05T09:00:00+01:0",
		"2026-01-05T09:00:00+24:00", /* offset hour 24 */
		"2026-01-05T09:00:00+01:60", /* offset minute 60 */
		"2026-01-05T09:00:00 Z",
		"2026-01-05T09:00:00ZZ",
		"2026-01-05T09:00:00Z ",
		"2026-01-05T09:00:00+01:00Z",
		"2026-01-05T09:00:00UTC",
		"2026-01-05X09:00:00Z",
		"2026/01/05T09:00:00Z",
		"2026-1-05T09:00:00Z",
		"26-01-05T09:00:00Z",
		"+2026-01-05T09:00:00Z",
		"-2026-01-05T09:00:00Z",
		"2026-01-05T9:00:00Z",
		"2026-01-05T09:0a:00Z",
		" 2026-01-05T09:00:00Z",
		"2026-01-05T-9:00:00Z",
	};
	int64_t t;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		t = 12345;
		if (time_parse_rfc3339(bad[i], &t) != ERR_INVALID)
			fail_msg("'%s' was accepted as %lld", bad[i], (long long)t);
		assert_int_equal(t, 12345); /* untouched */
	}
	assert_int_equal(time_parse_rfc3339(NULL, &t), ERR_INVALID);
}

static void test_parse_leap_days(void **state)
{
	assert_int_equal(P("2024-02-29T00:00:00Z") + 86400, P("2024-03-01T00:00:00Z"));
	assert_int_equal(P("2000-02-29T00:00:00Z") + 86400, P("2000-03-01T00:00:00Z"));
	assert_int_equal(P("1600-02-29T00:00:00Z") + 86400, P("1600-03-01T00:00:00Z"));
	assert_int_equal(P("2025-02-28T00:00:00Z") + 86400, P("2025-03-01T00:00:00Z"));
	assert_int_equal(P("1900-02-28T00:00:00Z") + 86400, P("1900-03-01T00:00:00Z"));
}

static void test_parse_date(void **state)
{
	int64_t d;

	assert_int_equal(time_parse_date("1970-01-01", &d), 0);
	assert_int_equal(d, 0);
	assert_int_equal(time_parse_date("2024-02-29", &d), 0);
	assert_int_equal(d, 19782);
	assert_int_equal(time_parse_date("1969-12-31", &d), 0);
	assert_int_equal(d, -1);
	d = 7;
	assert_int_equal(time_parse_date("2023-02-29", &d), ERR_INVALID);
	assert_int_equal(time_parse_date("2024-02-29T00:00:00Z", &d), ERR_INVALID);
	assert_int_equal(time_parse_date("2024-2-29", &d), ERR_INVALID);
	assert_int_equal(time_parse_date("2024-02-29 ", &d), ERR_INVALID);
	assert_int_equal(time_parse_date("2024-13-01", &d), ERR_INVALID);
	assert_int_equal(time_parse_date("", &d), ERR_INVALID);
	assert_int_equal(time_parse_date(NULL, &d), ERR_INVALID);
	assert_int_equal(d, 7);
}

static void test_format(void **state)
{
	static const struct {
		int64_t t;
		const char *s;
	} cases[] = {
		{ 0, "1970-01-01T00:00:00Z" },
		{ -1, "1969-12-31T23:59:59Z" },
		{ -86400, "1969-12-31T00:00:00Z" },
		{ -86401, "1969-12-30T23:59:59Z" },
		{ 1767603600, "2026-01-05T09:00:00Z" },
		{ 951827696, "2000-02-29T12:34:56Z" },
		{ 2147483648LL, "2038-01-19T03:14:08Z" },
		{ -62135596800LL, "0001-01-01T00:00:00Z" },
		{ 253402300799LL, "9999-12-31T23:59:59Z" },
	};
	char out[RFC3339_LEN], d[11];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(out, 'x', sizeof(out));
		time_format_rfc3339(cases[i].t, out);
		assert_string_equal(out, cases[i].s);
	}
	time_format_date(0, d);
	assert_string_equal(d, "1970-01-01");
	time_format_date(19782, d);
	assert_string_equal(d, "2024-02-29");
	time_format_date(-1, d);
	assert_string_equal(d, "1969-12-31");
	time_format_date(-719162, d);
	assert_string_equal(d, "0001-01-01");
}

static void test_format_round_trip(void **state)
{
	char out[RFC3339_LEN];
	int n = 0;

	/* From year 1 to 9999 in uneven steps, and every second of a day
	 * around the epoch. */
	for (int64_t t = -62135596800LL; t <= 253402300799LL; t += 7777777 + (t & 0xffff)) {
		time_format_rfc3339(t, out);
		if (P(out) != t)
			fail_msg("%lld -> %s -> %lld", (long long)t, out, (long long)P(out));
		n++;
	}
	for (int64_t t = -86400; t <= 86400; t++) {
		time_format_rfc3339(t, out);
		assert_int_equal(P(out), t);
	}
	assert_true(n > 1000);

	/* and text -> instant -> text */
	{
		static const char *const s[] = { "2026-01-05T09:00:00Z", "1999-12-31T23:59:59Z",
						 "2000-01-01T00:00:00Z", "1583-10-15T12:00:00Z" };

		for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++) {
			time_format_rfc3339(P(s[i]), out);
			assert_string_equal(out, s[i]);
		}
	}
}

static void test_civil_known(void **state)
{
	static const struct {
		int64_t y;
		unsigned m, d;
		int64_t days;
	} cases[] = {
		{ 1970, 1, 1, 0 },
		{ 1969, 12, 31, -1 },
		{ 2000, 3, 1, 11017 },
		{ 2024, 2, 29, 19782 },
		{ 1600, 1, 1, -135140 },
		{ 1900, 2, 28, -25509 },
		{ 1900, 3, 1, -25508 },
		{ 1, 1, 1, -719162 },
		{ 9999, 12, 31, 2932896 },
		/* before year 1: year 0 is a leap year (366 days) */
		{ 0, 3, 1, -719468 },
		{ 0, 2, 29, -719469 },
		{ 0, 1, 1, -719528 },
		{ -1, 12, 31, -719529 },
		{ -1, 1, 1, -719893 },
		{ -4, 3, 1, -720929 },
		{ -4, 2, 29, -720930 },
		{ -4, 1, 1, -720989 },
	};
	int64_t y;
	unsigned m, d;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int64_t got = time_days_from_civil(cases[i].y, cases[i].m, cases[i].d);

		if (got != cases[i].days)
			fail_msg("%lld-%02u-%02u: got %lld, want %lld", (long long)cases[i].y,
				 cases[i].m, cases[i].d, (long long)got, (long long)cases[i].days);
		time_civil_from_days(cases[i].days, &y, &m, &d);
		assert_int_equal(y, cases[i].y);
		assert_int_equal(m, cases[i].m);
		assert_int_equal(d, cases[i].d);
	}
}

static int is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Walk every day over more than four millennia either side of year 0: the
 * calendar advances one day at a time and the two conversions agree. */
static void test_civil_walk(void **state)
{
	static const unsigned dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int64_t y = -2400, days = time_days_from_civil(-2400, 1, 1);
	unsigned m = 1, d = 1;

	while (y <= 2400) {
		int64_t yy;
		unsigned mm, dd, len;

		time_civil_from_days(days, &yy, &mm, &dd);
		if (yy != y || mm != m || dd != d)
			fail_msg("day %lld: got %lld-%u-%u, want %lld-%u-%u", (long long)days,
				 (long long)yy, mm, dd, (long long)y, m, d);
		if (time_days_from_civil(y, m, d) != days)
			fail_msg("%lld-%u-%u: not day %lld", (long long)y, m, d, (long long)days);
		len = dm[m - 1] + (m == 2 && is_leap(y));
		days++;
		if (++d > len) {
			d = 1;
			if (++m > 12) {
				m = 1;
				y++;
			}
		}
	}
	/* 400 Gregorian years are 146097 days, on both sides of 0 */
	assert_int_equal(time_days_from_civil(400, 1, 1) - time_days_from_civil(0, 1, 1), 146097);
	assert_int_equal(time_days_from_civil(0, 1, 1) - time_days_from_civil(-400, 1, 1), 146097);
	assert_int_equal(time_days_from_civil(-100, 3, 1) - time_days_from_civil(-100, 2, 28), 1);
	assert_int_equal(time_days_from_civil(-400, 3, 1) - time_days_from_civil(-400, 2, 28), 2);
}

static void test_floor_div(void **state)
{
	static const struct {
		int64_t a, b, q;
	} cases[] = {
		{ 7, 2, 3 },	  { -7, 2, -4 },   { 7, -2, -4 },  { -7, -2, 3 },
		{ 6, 2, 3 },	  { -6, 2, -3 },   { 0, 5, 0 },	   { -1, 86400, -1 },
		{ -86400, 86400, -1 }, { -86401, 86400, -2 }, { 86399, 86400, 0 },
		{ -719468, 146097, -5 }, { INT64_MIN + 1, 2, INT64_MIN / 2 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (time_floor_div(cases[i].a, cases[i].b) != cases[i].q)
			fail_msg("floor(%lld / %lld): got %lld, want %lld", (long long)cases[i].a,
				 (long long)cases[i].b,
				 (long long)time_floor_div(cases[i].a, cases[i].b),
				 (long long)cases[i].q);
}

static void test_weekday(void **state)
{
	/* 0 = Monday … 6 = Sunday */
	assert_int_equal(time_weekday(0), 3);                                  /* Thursday */
	assert_int_equal(time_weekday(-1), 2);                                 /* Wednesday */
	assert_int_equal(time_weekday(time_days_from_civil(2026, 1, 5)), 0);   /* Monday */
	assert_int_equal(time_weekday(time_days_from_civil(2026, 1, 11)), 6);  /* Sunday */
	assert_int_equal(time_weekday(time_days_from_civil(2000, 1, 1)), 5);   /* Saturday */
	assert_int_equal(time_weekday(time_days_from_civil(2024, 2, 29)), 3);  /* Thursday */
	assert_int_equal(time_weekday(time_days_from_civil(1600, 1, 1)), 5);   /* Saturday */
	assert_int_equal(time_weekday(time_days_from_civil(1, 1, 1)), 0);      /* Monday */
	assert_int_equal(time_weekday(time_days_from_civil(0, 3, 1)), 2);      /* Wednesday */
	/* every day of a stretch around both epochs steps by one */
	for (int64_t dd = -800000; dd < 800000; dd++) {
		unsigned w = time_weekday(dd);

		assert_true(w < 7);
		assert_int_equal(time_weekday(dd + 1), (w + 1) % 7);
	}
}

static void test_clock(void **state)
{
	int64_t real = (int64_t)time(NULL);

	clock_set(1767603600);
	assert_int_equal(clock_now(), 1767603600);
	clock_set(0);
	assert_int_equal(clock_now(), 0);
	clock_set(-1);
	assert_true(clock_now() >= real && clock_now() <= real + 5);
	{
		double a = clock_mono(), b = clock_mono();

		assert_true(b >= a);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_utc),
		cmocka_unit_test(test_parse_offsets),
		cmocka_unit_test(test_parse_fractions),
		cmocka_unit_test(test_parse_leap_second),
		cmocka_unit_test(test_parse_rejects),
		cmocka_unit_test(test_parse_leap_days),
		cmocka_unit_test(test_parse_date),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_format_round_trip),
		cmocka_unit_test(test_civil_known),
		cmocka_unit_test(test_civil_walk),
		cmocka_unit_test(test_floor_div),
		cmocka_unit_test(test_weekday),
		cmocka_unit_test(test_clock),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
