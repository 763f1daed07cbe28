/*
 * tests/unit/domain/sla/sla_pick.c — "the most severe SLA" as
 * sla_more_severe orders two: the shorter resolution target at the
 * incident's priority, then the shorter response target, then the name.
 * Targets are business seconds (minutes × 60), written out by hand.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "domain/sla/sla.h"

/* An SLA named name whose priority p targets are resp and res minutes;
 * every other priority gets 1000 and 2000 minutes. */
static struct sla_def def(const char *name, int p, int64_t resp, int64_t res)
{
	struct sla_def d;

	memset(&d, 0, sizeof(d));
	snprintf(d.name, sizeof(d.name), "%s", name);
	for (int i = 1; i <= SLA_PRIORITIES; i++) {
		d.resp_target[i] = 1000 * 60;
		d.res_target[i] = 2000 * 60;
	}
	d.resp_target[p] = resp * 60;
	d.res_target[p] = res * 60;
	return d;
}

static void test_shorter_resolution_wins(void **state)
{
	/* priority 2: a resolves in 120 min = 7200 s, b in 240 min = 14400 s */
	struct sla_def a = def("b-first-by-name", 2, 60, 120), b = def("a-name", 2, 10, 240);

	assert_true(sla_more_severe(&a, &b, 2));
	assert_false(sla_more_severe(&b, &a, 2));
	/* at priority 3 both are 2000 min and responses 1000 min: the name */
	assert_true(sla_more_severe(&b, &a, 3));
	assert_false(sla_more_severe(&a, &b, 3));
}

static void test_tie_goes_to_response_then_name(void **state)
{
	/* both resolve in 240 min at priority 1; a answers in 30 min, b in 60 */
	struct sla_def a = def("zeta", 1, 30, 240), b = def("alpha", 1, 60, 240);

	assert_true(sla_more_severe(&a, &b, 1));
	assert_false(sla_more_severe(&b, &a, 1));
	/* all equal: the name first in byte order; never both ways */
	struct sla_def c = def("alpha", 1, 30, 240);
	assert_true(sla_more_severe(&c, &a, 1));
	assert_false(sla_more_severe(&a, &c, 1));
	assert_false(sla_more_severe(&c, &c, 1));
}

static void test_priority_out_of_range_is_the_lowest(void **state)
{
	/* at priority 5 (and so at 0 or 9) a is 2000 min, b 100 min */
	struct sla_def a = def("a", 1, 1, 1), b = def("b", 5, 50, 100);

	assert_true(sla_more_severe(&a, &b, 1));
	assert_true(sla_more_severe(&b, &a, 5));
	assert_true(sla_more_severe(&b, &a, 0));
	assert_true(sla_more_severe(&b, &a, 9));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shorter_resolution_wins),
		cmocka_unit_test(test_tie_goes_to_response_then_name),
		cmocka_unit_test(test_priority_out_of_range_is_the_lowest),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
