/*
 * tests/unit/domain/platform/lifecycle.c — what catalogue records share
 * when they change: the version a change must name (absent or malformed is
 * invalid, another one a conflict naming both), the status "active" or
 * "retired" and nothing else, the audited form that names the status only
 * while retired, and the list filter (a comma list; absent: active only).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "domain/platform/lifecycle.h"

static void test_version(void **state)
{
	json_t *in = json_pack("{s:i}", "version", 3);
	struct err e = { 0 };

	assert_int_equal(lifecycle_version_check(in, 3, "service 'mail'", &e), 0);
	assert_int_equal(lifecycle_version_check(in, 4, "service 'mail'", &e), ERR_CONFLICT);
	assert_string_equal(e.field, "version");
	assert_non_null(strstr(e.msg, "service 'mail' is at version 4, not 3"));
	json_decref(in);
	in = json_pack("{s:s}", "version", "3");
	assert_int_equal(lifecycle_version_check(in, 3, "x", &e), ERR_INVALID);
	json_decref(in);
	in = json_object();
	assert_int_equal(lifecycle_version_check(in, 1, "x", &e), ERR_INVALID);
	assert_string_equal(e.field, "version");
	json_decref(in);
}

static void test_status(void **state)
{
	char status[16] = "active";
	json_t *in = json_object();
	struct err e = { 0 };

	assert_int_equal(lifecycle_status_parse(in, status, &e), 0);
	assert_string_equal(status, "active"); /* absent: unchanged */
	json_object_set_new(in, "status", json_string("retired"));
	assert_int_equal(lifecycle_status_parse(in, status, &e), 0);
	assert_string_equal(status, "retired");
	assert_true(lifecycle_retired(status));
	json_object_set_new(in, "status", json_string("deleted"));
	assert_int_equal(lifecycle_status_parse(in, status, &e), ERR_INVALID);
	assert_string_equal(e.field, "status");
	assert_string_equal(status, "retired"); /* refused: unchanged */
	json_object_set_new(in, "status", json_integer(1));
	assert_int_equal(lifecycle_status_parse(in, status, &e), ERR_INVALID);
	json_decref(in);
	assert_false(lifecycle_retired("active"));
	assert_false(lifecycle_retired(""));
	assert_false(lifecycle_retired(NULL));
}

static void test_forms(void **state)
{
	json_t *j = lifecycle_state(json_object(), "active");

	/* The audited form of an active record is as before statuses existed… */
	assert_null(json_object_get(j, "status"));
	/* …the API's form names it always. */
	assert_string_equal(json_string_value(json_object_get(lifecycle_show(j), "status")), "active");
	json_decref(j);
	j = lifecycle_state(json_object(), "retired");
	assert_string_equal(json_string_value(json_object_get(j, "status")), "retired");
	assert_string_equal(json_string_value(json_object_get(lifecycle_show(j), "status")), "retired");
	json_decref(j);
}

static int filter(const char *q, int *show)
{
	json_t *query = q ? json_pack("{s:s}", "status", q) : json_object();
	struct err e = { 0 };
	int rc = lifecycle_list_filter(query, show, &e);

	json_decref(query);
	return rc;
}

static void test_list_filter(void **state)
{
	int show;

	assert_int_equal(filter(NULL, &show), 0);
	assert_int_equal(show, LIFECYCLE_SHOW_ACTIVE);
	assert_true(lifecycle_listed(show, "active"));
	assert_false(lifecycle_listed(show, "retired"));
	assert_int_equal(filter("retired", &show), 0);
	assert_int_equal(show, LIFECYCLE_SHOW_RETIRED);
	assert_int_equal(filter("active,retired", &show), 0);
	assert_int_equal(show, LIFECYCLE_SHOW_ACTIVE | LIFECYCLE_SHOW_RETIRED);
	assert_int_equal(filter("retired,active", &show), 0);
	assert_int_equal(show, LIFECYCLE_SHOW_ACTIVE | LIFECYCLE_SHOW_RETIRED);
	assert_int_equal(filter("", &show), ERR_INVALID);
	assert_int_equal(filter("active,", &show), ERR_INVALID);
	assert_int_equal(filter("activ", &show), ERR_INVALID);
	assert_int_equal(filter("actives", &show), ERR_INVALID);
	assert_int_equal(filter("all", &show), ERR_INVALID);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_version),
		cmocka_unit_test(test_status),
		cmocka_unit_test(test_forms),
		cmocka_unit_test(test_list_filter),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
