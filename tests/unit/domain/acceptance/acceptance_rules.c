/*
 * tests/unit/domain/acceptance/acceptance_rules.c — the data of operational
 * acceptance: the templates (codes valid and unique, the mandatory ones as
 * docs/acceptance.md lists them, every rule named), the names of the rules
 * and statuses both ways, which criterion codes are accepted, and the LIKE
 * pattern the evidence questions match item and service keys with
 * (acceptance_evidence.c, included for its static helper).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "../../../../src/domain/acceptance/acceptance_evidence.c"

static void test_templates(void **state)
{
	/* docs/acceptance.md's table, in its order. */
	static const char *const codes[] = { "monitoring", "runbooks", "backups", "sla",
					     "capacity", "desk_trained", "security", NULL };
	static const int mandatory[] = { 1, 1, 1, 1, 1, 1, 0 };
	const struct acc_template *t = acc_templates();
	size_t i;

	for (i = 0; codes[i]; i++) {
		assert_non_null(t[i].code);
		assert_string_equal(t[i].code, codes[i]);
		assert_int_equal(t[i].mandatory, mandatory[i]);
		assert_true(acc_code_valid(t[i].code));
		assert_ptr_equal(acc_template_find(codes[i]), &t[i]);
		assert_true(*acc_rule_name(t[i].rule));
		assert_true(*acc_rule_text(t[i].rule));
		assert_int_equal(t[i].rule == ACC_RULE_BACKUP, t[i].days == ACC_BACKUP_DAYS);
	}
	assert_null(t[i].code);
	assert_null(acc_template_find("nope"));
	assert_null(acc_template_find(NULL));
}

static void test_names_round_trip(void **state)
{
	enum acc_rule r;
	enum acc_status s;

	for (int i = 0; i < ACC_RULE__COUNT; i++) {
		assert_int_equal(acc_rule_parse(acc_rule_name((enum acc_rule)i), &r), 0);
		assert_int_equal(r, i);
	}
	for (int i = 0; i < ACC_STATUS__COUNT; i++) {
		assert_int_equal(acc_status_parse(acc_status_name((enum acc_status)i), &s), 0);
		assert_int_equal(s, i);
	}
	assert_int_equal(acc_rule_parse("auto", &r), -1);
	assert_int_equal(acc_status_parse("closed", &s), -1);
	assert_int_equal(acc_status_parse(NULL, &s), -1);
	assert_string_equal(acc_status_name(ACC_NO_GO), "no_go");
}

static void test_codes(void **state)
{
	assert_true(acc_code_valid("a"));
	assert_true(acc_code_valid("dr_drill2"));
	assert_true(acc_code_valid("abcdefghijklmnopqrstuvwxyz012345")); /* 32 */
	assert_false(acc_code_valid("abcdefghijklmnopqrstuvwxyz0123456")); /* 33 */
	assert_false(acc_code_valid(""));
	assert_false(acc_code_valid(NULL));
	assert_false(acc_code_valid("2fa"));
	assert_false(acc_code_valid("_x"));
	assert_false(acc_code_valid("Bad"));
	assert_false(acc_code_valid("a-b"));
	assert_false(acc_code_valid("a b"));
}

static void test_like_pattern(void **state)
{
	char out[32];

	like_pattern("Pay-DB", out, sizeof(out));
	assert_string_equal(out, "%pay-db%");
	like_pattern("a_b%c\\d", out, sizeof(out));
	assert_string_equal(out, "%a\\_b\\%c\\\\d%");
	/* cut short, still closed */
	like_pattern("abcdefghijklmnopqrstuvwxyz0123456789", out, 10);
	assert_int_equal(strlen(out), 8);
	assert_int_equal(out[0], '%');
	assert_int_equal(out[7], '%');
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_templates),
		cmocka_unit_test(test_names_round_trip),
		cmocka_unit_test(test_codes),
		cmocka_unit_test(test_like_pattern),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
