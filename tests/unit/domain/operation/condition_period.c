/*
 * tests/unit/domain/operation/condition_period.c — the period of a
 * condition report (condition_period.c): the whole UTC day, a day shift, a
 * night shift crossing midnight (it belongs to the date it starts on), a
 * 24-hour shift; reading [shift.NAME] start/end from the configuration;
 * the default shifts when none is configured.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "domain/operation/condition.h"
#include "lib/timeutil.h"

/* 2026-01-05 is day 20458 since the epoch: 56 years of 365 days (20440)
 * plus 14 leap days (1972 … 2024) is 20454 days to 2026-01-01, +4. Its
 * midnight is 20458 × 86400 = 1767571200 (2026-01-05T00:00:00Z). */
#define DAY 20458
#define MIDNIGHT INT64_C(1767571200)

static void test_day_number(void **state)
{
	int64_t d;

	assert_int_equal(time_parse_date("2026-01-05", &d), 0);
	assert_int_equal(d, DAY);
	assert_int_equal(d * 86400, MIDNIGHT);
}

static void test_whole_day(void **state)
{
	int64_t from, to;

	cond_period(NULL, DAY, &from, &to);
	assert_int_equal(from, MIDNIGHT);
	assert_int_equal(to, MIDNIGHT + 86400); /* 2026-01-06T00:00:00Z */
}

static void test_day_shift(void **state)
{
	struct cond_shift s = { "day", 8 * 60, 20 * 60 };
	int64_t from, to;

	cond_period(&s, DAY, &from, &to);
	assert_int_equal(from, MIDNIGHT + 8 * 3600);  /* 08:00 = 28800 s */
	assert_int_equal(to, MIDNIGHT + 20 * 3600);   /* 20:00 = 72000 s */
}

static void test_night_crosses_midnight(void **state)
{
	struct cond_shift s = { "night", 20 * 60, 8 * 60 };
	int64_t from, to;

	/* The night of the 5th: 20:00 on the 5th to 08:00 on the 6th, 12 h. */
	cond_period(&s, DAY, &from, &to);
	assert_int_equal(from, MIDNIGHT + 72000);
	assert_int_equal(to, MIDNIGHT + 86400 + 28800);
	assert_int_equal(to - from, 12 * 3600);
	/* 02:00 on the 6th is in the night of the 5th, not of the 6th. */
	assert_true(MIDNIGHT + 86400 + 7200 >= from && MIDNIGHT + 86400 + 7200 < to);
	cond_period(&s, DAY + 1, &from, &to);
	assert_int_equal(from, MIDNIGHT + 86400 + 72000);
	/* Ending at midnight: 18:00-00:00 ends on the next day's midnight. */
	s = (struct cond_shift){ "late", 18 * 60, 0 };
	cond_period(&s, DAY, &from, &to);
	assert_int_equal(from, MIDNIGHT + 18 * 3600);
	assert_int_equal(to, MIDNIGHT + 86400);
	/* Equal start and end: 24 hours from the start. */
	s = (struct cond_shift){ "all", 6 * 60, 6 * 60 };
	cond_period(&s, DAY, &from, &to);
	assert_int_equal(to - from, 86400);
}

static void test_hhmm(void **state)
{
	int m = -1;

	assert_int_equal(cond_parse_hhmm("00:00", &m), 0);
	assert_int_equal(m, 0);
	assert_int_equal(cond_parse_hhmm("23:59", &m), 0);
	assert_int_equal(m, 23 * 60 + 59);
	assert_int_equal(cond_parse_hhmm("24:00", &m), -1);
	assert_int_equal(cond_parse_hhmm("8:00", &m), -1);
	assert_int_equal(cond_parse_hhmm("08:60", &m), -1);
	assert_int_equal(cond_parse_hhmm("08-00", &m), -1);
	assert_int_equal(cond_parse_hhmm("", &m), -1);
}

static void test_config(void **state)
{
	struct cond_shifts set = { 0 };
	struct err e = { 0 };

	assert_int_equal(cond_shifts_add(&set, "early.start", "06:00", &e), 0);
	assert_int_equal(cond_shifts_check(&set, &e), ERR_INVALID); /* no end yet */
	assert_int_equal(cond_shifts_add(&set, "early.end", "14:00", &e), 0);
	assert_int_equal(cond_shifts_add(&set, "late.start", "14:00", &e), 0);
	assert_int_equal(cond_shifts_add(&set, "late.end", "22:00", &e), 0);
	assert_int_equal(cond_shifts_check(&set, &e), 0);
	assert_int_equal(set.n, 2);
	assert_int_equal(cond_shifts_add(&set, "early.begin", "06:00", &e), ERR_INVALID);
	assert_int_equal(cond_shifts_add(&set, "early.start", "6am", &e), ERR_INVALID);
	assert_int_equal(cond_shifts_add(&set, "start", "06:00", &e), ERR_INVALID);
	assert_int_equal(cond_shifts_add(&set, "b@d.start", "06:00", &e), ERR_INVALID);

	cond_shifts_install(&set);
	assert_non_null(cond_shift_find("early"));
	assert_int_equal(cond_shift_find("late")->end, 22 * 60);
	assert_null(cond_shift_find("night")); /* configured shifts replace the defaults */

	/* None configured: day and night. */
	memset(&set, 0, sizeof(set));
	cond_shifts_install(&set);
	assert_int_equal(cond_shift_find("day")->start, 8 * 60);
	assert_int_equal(cond_shift_find("night")->start, 20 * 60);
	assert_int_equal(cond_shift_find("night")->end, 8 * 60);
	assert_null(cond_shift_find("early"));
	assert_null(cond_shift_find(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_day_number),
		cmocka_unit_test(test_whole_day),
		cmocka_unit_test(test_day_shift),
		cmocka_unit_test(test_night_crosses_midnight),
		cmocka_unit_test(test_hhmm),
		cmocka_unit_test(test_config),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
