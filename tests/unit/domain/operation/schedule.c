/*
 * tests/unit/domain/operation/schedule.c — the state of an occurrence in a
 * shift's day (op_occurrence_state) around its time and its deadline.
 *
 * The figures: an occurrence at 2026-01-05T06:00:00Z = 1,767,571,200 +
 * 6 × 3,600 = 1,767,592,800 with a deadline of 30 minutes is due from
 * 06:00:00 (1,767,592,800) and missed from 06:30:00 (1,767,592,800 +
 * 1,800 = 1,767,594,600).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "domain/operation/operation.h"

#define AT 1767592800LL
#define MISSED 1767594600LL

static void test_without_run(void **state)
{
	assert_string_equal(op_occurrence_state(AT, 30, NULL, AT - 1), "upcoming");
	assert_string_equal(op_occurrence_state(AT, 30, NULL, AT), "due");
	assert_string_equal(op_occurrence_state(AT, 30, NULL, MISSED - 1), "due");
	assert_string_equal(op_occurrence_state(AT, 30, NULL, MISSED), "missed");
	assert_string_equal(op_occurrence_state(AT, 30, NULL, MISSED + 86400), "missed");
}

static void test_with_run(void **state)
{
	/* A run, even started late, tells the state by its status. */
	assert_string_equal(op_occurrence_state(AT, 30, "running", MISSED + 60), "running");
	assert_string_equal(op_occurrence_state(AT, 30, "completed", AT - 60), "completed");
	assert_string_equal(op_occurrence_state(AT, 30, "abandoned", MISSED), "abandoned");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_without_run),
		cmocka_unit_test(test_with_run),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
