/*
 * tests/unit/domain/change/change_rules.c — the rules of change control:
 * the lifecycle table (every pair of statuses, against the moves written
 * out here by hand), the approval rule's outcome (all, any, quorum, at
 * every count of decisions) and the risk score against figures worked out
 * by hand in the comments.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <jansson.h>
#include <string.h>

#include "domain/change/change.h"

/* The moves the brief describes, written apart from change_rules.c. */
static const char *const allowed[] = {
	"draft>assessment",	 "draft>approved",	   "draft>cancelled",
	"assessment>approved",	 "assessment>rejected",	   "assessment>cancelled",
	"approved>scheduled",	 "approved>cancelled",	   "scheduled>implementing",
	"scheduled>cancelled",	 "implementing>review",	   "review>closed",
	"review>failed",	 NULL,
};

static int listed(const char *from, const char *to)
{
	char pair[64];

	snprintf(pair, sizeof(pair), "%s>%s", from, to);
	for (const char *const *p = allowed; *p; p++)
		if (!strcmp(*p, pair))
			return 1;
	return 0;
}

static void test_lifecycle_every_pair(void **state)
{
	int n = 0;

	for (int f = 0; f < CHS__COUNT; f++)
		for (int t = 0; t < CHS__COUNT; t++) {
			const char *from = change_status_name((enum change_status)f);
			const char *to = change_status_name((enum change_status)t);
			int want = listed(from, to);

			if (change_can_move((enum change_status)f, (enum change_status)t) != want)
				fail_msg("%s -> %s: expected %s", from, to, want ? "allowed" : "refused");
			n += want;
		}
	assert_int_equal(n, 13); /* every listed move exists */
}

static void test_terminal_and_names(void **state)
{
	enum change_status s;
	enum change_type t;

	assert_true(change_status_terminal(CHS_CLOSED));
	assert_true(change_status_terminal(CHS_REJECTED));
	assert_true(change_status_terminal(CHS_CANCELLED));
	assert_true(change_status_terminal(CHS_FAILED));
	assert_false(change_status_terminal(CHS_REVIEW));
	assert_false(change_status_terminal(CHS_DRAFT));
	for (int i = 0; i < CHS__COUNT; i++) {
		assert_int_equal(change_status_parse(change_status_name((enum change_status)i), &s), 0);
		assert_int_equal(s, i);
	}
	assert_int_equal(change_status_parse("done", &s), ERR_INVALID);
	assert_int_equal(change_status_parse(NULL, &s), ERR_INVALID);
	assert_int_equal(change_type_parse("emergency", &t), 0);
	assert_int_equal(t, CHT_EMERGENCY);
	assert_int_equal(change_type_parse("Normal", &t), ERR_INVALID);
	assert_false(change_can_move(CHS__COUNT, CHS_DRAFT));
}

static void test_rule_all(void **state)
{
	/* 3 approvers: approved at 3 yes; any no rejects. */
	assert_int_equal(change_rule_outcome(CHR_ALL, 0, 3, 0, 0), 0);
	assert_int_equal(change_rule_outcome(CHR_ALL, 0, 3, 2, 0), 0);
	assert_int_equal(change_rule_outcome(CHR_ALL, 0, 3, 3, 0), 1);
	assert_int_equal(change_rule_outcome(CHR_ALL, 0, 3, 2, 1), -1);
	assert_int_equal(change_rule_outcome(CHR_ALL, 0, 3, 0, 1), -1);
}

static void test_rule_any(void **state)
{
	/* 3 approvers: one yes approves; rejected only when all 3 say no. */
	assert_int_equal(change_rule_outcome(CHR_ANY, 0, 3, 1, 0), 1);
	assert_int_equal(change_rule_outcome(CHR_ANY, 0, 3, 1, 2), 1);
	assert_int_equal(change_rule_outcome(CHR_ANY, 0, 3, 0, 2), 0);
	assert_int_equal(change_rule_outcome(CHR_ANY, 0, 3, 0, 3), -1);
}

static void test_rule_quorum(void **state)
{
	/* quorum 2 of 3: at every (yes, no) with yes + no <= 3, by hand:
	 * yes >= 2 approves; else 3 - no < 2 (no >= 2) rejects; else pending. */
	static const int want[4][4] = {
		/* no: 0   1   2   3 */
		{ 0, 0, -1, -1 }, /* yes 0 */
		{ 0, 0, -1, 9 },  /* yes 1 (1+3 impossible) */
		{ 1, 1, 9, 9 },	  /* yes 2 */
		{ 1, 9, 9, 9 },	  /* yes 3 */
	};

	for (int y = 0; y <= 3; y++)
		for (int n = 0; y + n <= 3; n++)
			if (change_rule_outcome(CHR_QUORUM, 2, 3, y, n) != want[y][n])
				fail_msg("quorum 2/3 yes %d no %d: got %d, want %d", y, n,
					 change_rule_outcome(CHR_QUORUM, 2, 3, y, n), want[y][n]);
	/* a quorum that cannot be met at all */
	assert_int_equal(change_rule_outcome(CHR_QUORUM, 4, 3, 0, 0), -1);
	assert_int_equal(change_rule_outcome(CHR_QUORUM, 0, 3, 0, 0), -1);
	assert_int_equal(change_rule_outcome(CHR_ALL, 0, 0, 0, 0), -1);
}

static int score(const char *answers, int64_t svcs, int64_t custs, const char **level,
		 size_t *nreasons)
{
	json_t *a = json_loads(answers, 0, NULL), *why = NULL;
	int s = change_risk_score(a, svcs, custs, level, &why);

	*nreasons = json_array_size(why);
	json_decref(why);
	json_decref(a);
	return s;
}

static void test_risk_score(void **state)
{
	const char *level;
	size_t n;

	/* All safe, nothing reached: 0, low, no reasons. */
	assert_int_equal(score("{\"tested\":true,\"backout_tested\":true,\"service_outage\":false,"
			       "\"done_before\":true}",
			       0, 0, &level, &n),
			 0);
	assert_string_equal(level, "low");
	assert_int_equal(n, 0);
	/* Nothing answered: 2 + 3 + 2 + 1 = 8, high, four reasons. */
	assert_int_equal(score("{}", 0, 0, &level, &n), 8);
	assert_string_equal(level, "high");
	assert_int_equal(n, 4);
	/* Safe answers, 1 service (+1), 1 customer (+1): 2, low. */
	assert_int_equal(score("{\"tested\":true,\"backout_tested\":true,\"service_outage\":false,"
			       "\"done_before\":true}",
			       1, 1, &level, &n),
			 2);
	assert_string_equal(level, "low");
	/* Safe answers, 3 services (+2), 2 customers (+2): 4, medium. */
	assert_int_equal(score("{\"tested\":true,\"backout_tested\":true,\"service_outage\":false,"
			       "\"done_before\":true}",
			       3, 2, &level, &n),
			 4);
	assert_string_equal(level, "medium");
	/* Untested back-out (+3), outage (+2), 2 services (+1): 6, high. */
	assert_int_equal(score("{\"tested\":true,\"backout_tested\":false,\"service_outage\":true,"
			       "\"done_before\":true}",
			       2, 0, &level, &n),
			 6);
	assert_string_equal(level, "high");
	assert_int_equal(n, 3);
	/* The most: 8 + 2 + 2 = 12. */
	assert_int_equal(score("{}", 10, 10, &level, &n), 12);
	/* null counts as unanswered (risky): tested null +2 = 2 → low at the edge,
	 * + done_before false +1 = 3 → medium at the edge. */
	assert_int_equal(score("{\"tested\":null,\"backout_tested\":true,\"service_outage\":false,"
			       "\"done_before\":true}",
			       0, 0, &level, &n),
			 2);
	assert_string_equal(level, "low");
	assert_int_equal(score("{\"tested\":null,\"backout_tested\":true,\"service_outage\":false,"
			       "\"done_before\":false}",
			       0, 0, &level, &n),
			 3);
	assert_string_equal(level, "medium");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lifecycle_every_pair),
		cmocka_unit_test(test_terminal_and_names),
		cmocka_unit_test(test_rule_all),
		cmocka_unit_test(test_rule_any),
		cmocka_unit_test(test_rule_quorum),
		cmocka_unit_test(test_risk_score),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
