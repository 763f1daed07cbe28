/*
 * tests/unit/lib/plural.c — the noun for a count: singular for exactly one
 * (and minus one), plural for zero and every other count.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "lib/plural.h"

static void test_plural(void **state)
{
	assert_string_equal(plural(1, "ticket", "tickets"), "ticket");
	assert_string_equal(plural(-1, "second", "seconds"), "second");
	assert_string_equal(plural(0, "ticket", "tickets"), "tickets");
	assert_string_equal(plural(2, "entry", "entries"), "entries");
	assert_string_equal(plural(INT64_MAX, "item", "items"), "items");
	assert_string_equal(plural(INT64_MIN, "item", "items"), "items");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plural),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
