/*
 * tests/unit/domain/cost/cost_rates.c — the hourly rates of [cost]: the
 * precedence (a named rate, then the first group row the user is in, then
 * the role's row, then none), the cost of an entry against figures worked
 * out by hand (minutes × rate / 60, half up), and the tables the
 * configuration refuses, which leave the table in force.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "domain/cost/cost.h"

static void set(const char *spec, const char *cur)
{
	struct err e = { 0 };

	assert_int_equal(cost_rates_set(spec, cur, &e), 0);
}

static void test_precedence(void **state)
{
	char key[COST_RATE_KEY_MAX + 1];
	int64_t rate;
	struct err e = { 0 };

	set("agent=6000, manager=9000, group:l2=8000, group:night=4530", "JPY");
	assert_string_equal(cost_currency(), "JPY");
	/* the role's row */
	assert_int_equal(cost_rate_for("agent", "", NULL, key, &rate, &e), 0);
	assert_string_equal(key, "agent");
	assert_int_equal(rate, 6000);
	/* a group the user is in comes before the role */
	assert_int_equal(cost_rate_for("agent", "db,l2", NULL, key, &rate, &e), 0);
	assert_string_equal(key, "group:l2");
	assert_int_equal(rate, 8000);
	/* two groups: the first row of the table wins, not the user's order */
	assert_int_equal(cost_rate_for("manager", "night,l2", NULL, key, &rate, &e), 0);
	assert_string_equal(key, "group:l2");
	/* a group name is matched whole: "l20" is not "l2" */
	assert_int_equal(cost_rate_for("manager", "l20", NULL, key, &rate, &e), 0);
	assert_string_equal(key, "manager");
	assert_int_equal(rate, 9000);
	/* named on the entry */
	assert_int_equal(cost_rate_for("agent", "l2", "manager", key, &rate, &e), 0);
	assert_int_equal(rate, 9000);
	assert_int_equal(cost_rate_for("agent", "", "group:l9", key, &rate, &e), ERR_INVALID);
	assert_string_equal(e.field, "rate");
	/* no row: no rate */
	assert_int_equal(cost_rate_for("operator", "", NULL, key, &rate, &e), 0);
	assert_string_equal(key, "");
	assert_int_equal(rate, 0);
}

static void test_cost_of(void **state)
{
	/* by hand: 45 × 6000 / 60 = 4500; 10 × 8000 / 60 = 1333.33 → 1333;
	 * 1 × 4530 / 60 = 75.5 → 76 (half up); 61 × 4530 / 60 = 4605.5 → 4606;
	 * 1440 × 100000000 / 60 = 2400000000 (no overflow) */
	assert_int_equal(cost_of(45, 6000), 4500);
	assert_int_equal(cost_of(10, 8000), 1333);
	assert_int_equal(cost_of(1, 4530), 76);
	assert_int_equal(cost_of(61, 4530), 4606);
	assert_int_equal(cost_of(1, 89), 1);  /* 1.48 → 1 */
	assert_int_equal(cost_of(1, 90), 2);  /* 1.5 → 2 */
	assert_int_equal(cost_of(30, 0), 0);
	assert_int_equal(cost_of(TIME_MINUTES_MAX, COST_RATE_MAX), 2400000000LL);
}

static void test_refused(void **state)
{
	static const char *const bad[][2] = {
		{ "agent=6000, agent=7000", "JPY" }, { "requester=1", "JPY" },
		{ "group:=5", "JPY" },		     { "group:a b=5", "JPY" },
		{ "agent=-1", "JPY" },		     { "agent=1x", "JPY" },
		{ "agent", "JPY" },		     { "agent=100000001", "JPY" },
		{ "agent=1,", "JPY" },		     { "agent=1", "jpy" },
		{ "agent=1", "JPYY" },		     { "agent=1", "" },
	};
	char key[COST_RATE_KEY_MAX + 1];
	int64_t rate;

	set("agent=6000", "EUR");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct err e = { 0 };

		assert_int_equal(cost_rates_set(bad[i][0], bad[i][1], &e), ERR_INVALID);
		assert_true(e.msg[0] != 0);
		/* the table in force stays */
		assert_int_equal(cost_rate_for("agent", "", NULL, key, &rate, &e), 0);
		assert_int_equal(rate, 6000);
		assert_string_equal(cost_currency(), "EUR");
	}
	/* an empty table is no rate at all */
	set("", "JPY");
	{
		struct err e = { 0 };

		assert_int_equal(cost_rate_for("agent", "l2", NULL, key, &rate, &e), 0);
		assert_int_equal(rate, 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_precedence),
		cmocka_unit_test(test_cost_of),
		cmocka_unit_test(test_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
