/*
 * tests/unit/domain/operation/rrule.c — the occurrences of a schedule job
 * (op_rrule_between, libical in UTC) against times worked out by hand, and
 * the rules refused with field "rrule".
 *
 * The figures: 2026-01-01 is day 20,454 since 1970-01-01 (56 years of 365
 * days = 20,440, plus the 14 leap days of 1972 … 2024), so 00:00Z that day
 * is 20,454 × 86,400 = 1,767,225,600. 2026-01-01 is a Thursday, so
 * 2026-01-05 (day 20,458, 1,767,571,200) is a Monday.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "domain/operation/operation.h"

#define JAN1 1767225600LL           /* 2026-01-01T00:00:00Z */
#define JAN5 (JAN1 + 4 * 86400LL)   /* 2026-01-05T00:00:00Z = 1,767,571,200 */
#define DAY 86400LL

static void test_day_figures(void **state)
{
	assert_int_equal(JAN5, 1767571200LL);
}

static void test_daily_two_hours(void **state)
{
	int64_t at[8];
	size_t n;
	struct err e = { 0 };

	/* Every day at 06:00 and 18:00 from the 1st: on the 5th,
	 * 1,767,571,200 + 6 × 3,600 = 1,767,592,800 and + 18 × 3,600 =
	 * 1,767,636,000. */
	assert_int_equal(op_rrule_between("FREQ=DAILY;BYHOUR=6,18", JAN1, JAN5, JAN5 + DAY, at, 8,
					  &n, &e),
			 0);
	assert_int_equal(n, 2);
	assert_int_equal(at[0], 1767592800LL);
	assert_int_equal(at[1], 1767636000LL);
}

static void test_weekly(void **state)
{
	int64_t at[8];
	size_t n;
	struct err e = { 0 };

	/* Mondays at 09:30 (the start's time): Monday the 5th at
	 * 1,767,571,200 + 34,200 = 1,767,605,400; nothing on Tuesday the 6th. */
	assert_int_equal(op_rrule_between("FREQ=WEEKLY;BYDAY=MO", JAN1 + 34200, JAN5, JAN5 + DAY, at,
					  8, &n, &e),
			 0);
	assert_int_equal(n, 1);
	assert_int_equal(at[0], 1767605400LL);
	assert_int_equal(op_rrule_between("FREQ=WEEKLY;BYDAY=MO", JAN1 + 34200, JAN5 + DAY,
					  JAN5 + 2 * DAY, at, 8, &n, &e),
			 0);
	assert_int_equal(n, 0);
}

static void test_count(void **state)
{
	int64_t at[8];
	size_t n;
	struct err e = { 0 };

	/* Three days from the 1st at 08:00: the 3rd has the last one
	 * (1,767,225,600 + 2 × 86,400 + 28,800 = 1,767,427,200); the 4th none. */
	assert_int_equal(op_rrule_between("FREQ=DAILY;COUNT=3", JAN1 + 28800, JAN1 + 2 * DAY,
					  JAN1 + 3 * DAY, at, 8, &n, &e),
			 0);
	assert_int_equal(n, 1);
	assert_int_equal(at[0], 1767427200LL);
	assert_int_equal(op_rrule_between("FREQ=DAILY;COUNT=3", JAN1 + 28800, JAN1 + 3 * DAY,
					  JAN1 + 4 * DAY, at, 8, &n, &e),
			 0);
	assert_int_equal(n, 0);
}

static void test_until_and_before_start(void **state)
{
	int64_t at[8];
	size_t n;
	struct err e = { 0 };

	/* A day before the start has nothing. */
	assert_int_equal(op_rrule_between("FREQ=DAILY", JAN5, JAN1, JAN1 + DAY, at, 8, &n, &e), 0);
	assert_int_equal(n, 0);
	/* UNTIL the 2nd at noon: the 5th has nothing. */
	assert_int_equal(op_rrule_between("FREQ=DAILY;UNTIL=20260102T120000Z", JAN1, JAN5,
					  JAN5 + DAY, at, 8, &n, &e),
			 0);
	assert_int_equal(n, 0);
}

static void test_minutely_cap(void **state)
{
	static int64_t at[1440];
	size_t n;
	struct err e = { 0 };

	/* Every 15 minutes: 24 × 4 = 96 in a day. */
	assert_int_equal(op_rrule_between("FREQ=MINUTELY;INTERVAL=15", JAN1, JAN5, JAN5 + DAY, at,
					  1440, &n, &e),
			 0);
	assert_int_equal(n, 96);
	assert_int_equal(at[95], JAN5 + DAY - 900);
	/* More than the caller takes: refused, naming the rule. */
	assert_int_equal(op_rrule_between("FREQ=MINUTELY;INTERVAL=15", JAN1, JAN5, JAN5 + DAY, at,
					  50, &n, &e),
			 ERR_INVALID);
	assert_string_equal(e.field, "rrule");
}

static void test_refused(void **state)
{
	static const char *const bad[] = {
		"",			"FREQ=BOGUS",	   "BYHOUR=6",	   "FREQ=DAILY;BYHOUR=x",
		"FREQ=SECONDLY",	"RRULE:FREQ=DAILY", "FREQ=DAILY; BYHOUR=6",
		NULL,
	};

	for (size_t i = 0; bad[i]; i++) {
		struct err e = { 0 };

		if (op_rrule_check(bad[i], &e) != ERR_INVALID)
			fail_msg("'%s' was taken", bad[i]);
		assert_string_equal(e.field, "rrule");
	}
	{
		struct err e = { 0 };

		assert_int_equal(op_rrule_check(NULL, &e), ERR_INVALID);
		assert_int_equal(op_rrule_check("FREQ=WEEKLY;BYDAY=MO,WE;INTERVAL=2", &e), 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_day_figures),
		cmocka_unit_test(test_daily_two_hours),
		cmocka_unit_test(test_weekly),
		cmocka_unit_test(test_count),
		cmocka_unit_test(test_until_and_before_start),
		cmocka_unit_test(test_minutely_cap),
		cmocka_unit_test(test_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
