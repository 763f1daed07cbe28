/*
 * tests/unit/lib/ident.c — a numbered record's key: the prefix, '-', and a
 * number without a leading zero; every other shape names no record.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "lib/ident.h"

static void test_numbered(void **state)
{
	static const char *const good[] = { "PRB-1", "PRB-42", "PRB-1234567890123456789" };
	static const char *const bad[] = {
		"",	   "PRB",      "PRB-",	   "PRB-0",    "PRB-01",  "PRB-1a",
		"PRB-+1",  "PRB- 1",   "prb-1",	   "PRB1",     "PRBX-1",  "CHG-1",
		"PRB-1-2", "PRB-12345678901234567890", /* 20 digits */
	};

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		if (!ident_numbered(good[i], "PRB"))
			fail_msg("refused %s", good[i]);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (ident_numbered(bad[i], "PRB"))
			fail_msg("took %s", bad[i]);
	assert_false(ident_numbered(NULL, "PRB"));
	assert_true(ident_numbered("RISK-7", "RISK"));
	assert_false(ident_numbered("RISK-7", "RIS"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_numbered),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
