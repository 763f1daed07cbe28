/*
 * tests/unit/domain/operation/run_rules.c — the step state rules of an
 * execution (run_rules.c) on a three-step procedure whose second step
 * needs a second operator's confirmation: order, the wait for the
 * confirmation, the four-eyes rule, completion and the end states.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "domain/operation/operation.h"

static const int confirm[3] = { 0, 1, 0 };

static struct op_step rec[3];

/* A view of a running run with the first n steps recorded by bob. */
static struct op_run_view view(const char *status, size_t n)
{
	memset(rec, 0, sizeof(rec));
	for (size_t i = 0; i < n; i++) {
		rec[i].step = (int64_t)i + 1;
		snprintf(rec[i].done_by, sizeof(rec[i].done_by), "bob");
		rec[i].done_at = 1000 + (int64_t)i;
	}
	return (struct op_run_view){ status, 3, confirm, n, rec };
}

static void confirm_second(void)
{
	snprintf(rec[1].confirmed_by, sizeof(rec[1].confirmed_by), "carol");
	rec[1].confirmed_at = 2000;
}

static void test_order(void **state)
{
	struct op_run_view v = view("running", 0);
	struct err e = { 0 };

	assert_int_equal(op_rule_next(&v), 1);
	assert_int_equal(op_rule_record(&v, 1, &e), 0);
	assert_int_equal(op_rule_record(&v, 2, &e), ERR_TRANSITION);
	assert_int_equal(op_rule_record(&v, 0, &e), ERR_INVALID);
	assert_string_equal(e.field, "step");
	assert_int_equal(op_rule_record(&v, 4, &e), ERR_INVALID);
	v = view("running", 1);
	assert_int_equal(op_rule_record(&v, 1, &e), ERR_TRANSITION);
	assert_int_equal(op_rule_record(&v, 2, &e), 0);
	assert_int_equal(op_rule_next(&v), 2);
}

static void test_confirmation(void **state)
{
	struct op_run_view v = view("running", 2);
	struct err e = { 0 };

	/* Step 2 awaits its confirmation: step 3 waits too. */
	assert_int_equal(op_rule_next(&v), 0);
	assert_int_equal(op_rule_record(&v, 3, &e), ERR_TRANSITION);
	assert_int_equal(op_rule_complete(&v), 0);
	/* Not by the operator who recorded it. */
	assert_int_equal(op_rule_confirm(&v, 2, "bob", &e), ERR_CONFLICT);
	assert_string_equal(e.field, "operator");
	/* Steps that need none, or are not recorded. */
	assert_int_equal(op_rule_confirm(&v, 1, "carol", &e), ERR_TRANSITION);
	assert_int_equal(op_rule_confirm(&v, 3, "carol", &e), ERR_TRANSITION);
	assert_int_equal(op_rule_confirm(&v, 9, "carol", &e), ERR_INVALID);
	assert_int_equal(op_rule_confirm(&v, 2, "carol", &e), 0);
	confirm_second();
	assert_int_equal(op_rule_confirm(&v, 2, "dave", &e), ERR_TRANSITION);
	assert_int_equal(op_rule_record(&v, 3, &e), 0);
	assert_int_equal(op_rule_next(&v), 3);
}

static void test_complete(void **state)
{
	struct op_run_view v = view("running", 3);

	/* All three recorded, the second unconfirmed: not complete. */
	assert_int_equal(op_rule_complete(&v), 0);
	confirm_second();
	assert_int_equal(op_rule_complete(&v), 1);
	assert_int_equal(op_rule_next(&v), 0);
}

static void test_end_states(void **state)
{
	struct err e = { 0 };
	struct op_run_view v = view("completed", 3);

	assert_int_equal(op_rule_record(&v, 3, &e), ERR_TRANSITION);
	v = view("abandoned", 1);
	assert_int_equal(op_rule_record(&v, 2, &e), ERR_TRANSITION);
	assert_int_equal(op_rule_confirm(&v, 1, "carol", &e), ERR_TRANSITION);
	assert_int_equal(op_rule_next(&v), 0);
	assert_int_equal(op_rule_abandon("running", &e), 0);
	assert_int_equal(op_rule_abandon("completed", &e), ERR_TRANSITION);
	assert_int_equal(op_rule_abandon("abandoned", &e), ERR_TRANSITION);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_order),
		cmocka_unit_test(test_confirmation),
		cmocka_unit_test(test_complete),
		cmocka_unit_test(test_end_states),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
