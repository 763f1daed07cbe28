/*
 * tests/unit/lib/strlist.c — comma-separated name lists: membership is by
 * whole item (no prefix matches), empty items are skipped, and the JSON
 * form keeps the items in order.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "lib/strlist.h"

static void test_has(void **state)
{
	assert_true(strlist_has("ops,dba,net", "dba", 3));
	assert_true(strlist_has("ops,dba,net", "ops", 3));
	assert_true(strlist_has("ops,dba,net", "net", 3));
	/* whole items only: a prefix or a longer name is not a member */
	assert_false(strlist_has("ops,dba,net", "db", 2));
	assert_false(strlist_has("ops,dba,net", "dbas", 4));
	assert_false(strlist_has("", "ops", 3));
	assert_false(strlist_has(NULL, "ops", 3));
	/* the item need not be NUL-terminated at n */
	assert_true(strlist_has("a,bc", "bcd", 2));
}

static void test_json(void **state)
{
	json_t *j = strlist_json(",ops,,dba,");
	char *s = json_dumps(j, JSON_COMPACT);

	assert_string_equal(s, "[\"ops\",\"dba\"]");
	free(s);
	json_decref(j);
	j = strlist_json(NULL);
	assert_int_equal(json_array_size(j), 0);
	json_decref(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_has),
		cmocka_unit_test(test_json),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
