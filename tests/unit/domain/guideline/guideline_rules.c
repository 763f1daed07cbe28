/*
 * tests/unit/domain/guideline/guideline_rules.c — the rules of guidelines:
 * what each status allows (edit, publish, acknowledge, check), written out
 * here by hand, and who belongs to an audience of roles, groups and named
 * users.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <jansson.h>

#include "domain/guideline/guideline.h"

static void test_what_each_status_allows(void **state)
{
	/* edit publish ack check */
	static const int want[GS__COUNT][4] = {
		[GS_DRAFT] = { 1, 1, 0, 0 },
		[GS_PUBLISHED] = { 1, 1, 1, 1 },
		[GS_RETIRED] = { 0, 0, 0, 0 },
	};
	for (int s = 0; s < GS__COUNT; s++) {
		int got[4] = { !guideline_may_edit(s), !guideline_may_publish(s),
			       !guideline_may_ack(s), !guideline_may_check(s) };

		for (int k = 0; k < 4; k++)
			assert_int_equal(got[k], want[s][k]);
	}
	/* a refusal is an illegal transition (409), not bad input */
	assert_int_equal(guideline_may_ack(GS_RETIRED), ERR_TRANSITION);
	assert_int_equal(guideline_may_ack(GS_DRAFT), ERR_TRANSITION);
}

static void test_names(void **state)
{
	enum guideline_status s;

	for (int i = 0; i < GS__COUNT; i++) {
		assert_int_equal(guideline_status_parse(guideline_status_name(i), &s), 0);
		assert_int_equal(s, i);
	}
	assert_int_equal(guideline_status_parse("archived", &s), ERR_INVALID);
}

static void test_audience(void **state)
{
	json_t *a = json_pack("{s:[s], s:[s], s:[s]}", "roles", "operator", "groups", "dba",
			      "users", "agent1");
	json_t *none = json_pack("{s:[], s:[], s:[]}", "roles", "groups", "users");

	assert_true(guideline_audience_has(a, "operator", "", "op9"));   /* by role */
	assert_true(guideline_audience_has(a, "agent", "web,dba", "x")); /* by group */
	assert_true(guideline_audience_has(a, "agent", "", "agent1"));   /* by name */
	assert_false(guideline_audience_has(a, "agent", "dbadmin", "agent2"));
	assert_false(guideline_audience_has(a, "manager", "", "manager1"));
	/* no audience: every staff user */
	assert_true(guideline_audience_has(none, "manager", "", "manager1"));
	assert_true(guideline_audience_has(NULL, "agent", "", "agent1"));
	json_decref(a);
	json_decref(none);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_what_each_status_allows),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_audience),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
