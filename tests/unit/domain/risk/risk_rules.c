/*
 * tests/unit/domain/risk/risk_rules.c — the rules of the risk register: the
 * lifecycles of a risk and of a measure (every pair, against the moves
 * written out here by hand), the score and level of every cell of the 5×5
 * matrix under the default table and under a table of the configuration,
 * and the tables the configuration refuses (gaps, overlaps, short ends).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "domain/risk/risk.h"

static const char *const risk_allowed[] = {
	"open>mitigating",     "open>accepted",	    "open>closed", "mitigating>accepted",
	"mitigating>closed",   "accepted>mitigating", "accepted>closed", NULL,
};

static const char *const measure_allowed[] = {
	"planned>in_progress", "planned>done",	     "planned>cancelled", "in_progress>planned",
	"in_progress>done",    "in_progress>cancelled", NULL,
};

static int listed(const char *const *allowed, const char *from, const char *to)
{
	char pair[64];

	snprintf(pair, sizeof(pair), "%s>%s", from, to);
	for (const char *const *p = allowed; *p; p++)
		if (!strcmp(*p, pair))
			return 1;
	return 0;
}

static void test_risk_lifecycle_every_pair(void **state)
{
	for (int f = 0; f < RS__COUNT; f++)
		for (int t = 0; t < RS__COUNT; t++) {
			const char *from = risk_status_name(f), *to = risk_status_name(t);

			assert_int_equal(risk_can_move(f, t), listed(risk_allowed, from, to));
		}
	/* closed is terminal */
	for (int t = 0; t < RS__COUNT; t++)
		assert_false(risk_can_move(RS_CLOSED, t));
}

static void test_measure_lifecycle_every_pair(void **state)
{
	for (int f = 0; f < MS__COUNT; f++)
		for (int t = 0; t < MS__COUNT; t++) {
			const char *from = risk_measure_status_name(f), *to = risk_measure_status_name(t);

			assert_int_equal(risk_measure_can_move(f, t), listed(measure_allowed, from, to));
		}
	assert_true(risk_measure_is_open(MS_PLANNED));
	assert_true(risk_measure_is_open(MS_IN_PROGRESS));
	assert_false(risk_measure_is_open(MS_DONE));
	assert_false(risk_measure_is_open(MS_CANCELLED));
}

static void test_names_round_trip(void **state)
{
	enum risk_status rs;
	enum measure_status ms;

	for (int i = 0; i < RS__COUNT; i++) {
		assert_int_equal(risk_status_parse(risk_status_name(i), &rs), 0);
		assert_int_equal(rs, i);
	}
	for (int i = 0; i < MS__COUNT; i++) {
		assert_int_equal(risk_measure_status_parse(risk_measure_status_name(i), &ms), 0);
		assert_int_equal(ms, i);
	}
	assert_int_not_equal(risk_status_parse("pending", &rs), 0);
	assert_int_not_equal(risk_measure_status_parse("", &ms), 0);
	assert_int_not_equal(risk_status_parse(NULL, &rs), 0);
}

static void test_default_matrix(void **state)
{
	/* The default table, cell by cell (likelihood rows 1..5, impact
	 * columns 1..5), worked out by hand from low:1-4, medium:5-9,
	 * high:10-16, critical:17-25:
	 *   l=1: 1 2 3 4 5      → L L L L M
	 *   l=2: 2 4 6 8 10     → L L M M H
	 *   l=3: 3 6 9 12 15    → L M M H H
	 *   l=4: 4 8 12 16 20   → L M H H C
	 *   l=5: 5 10 15 20 25  → M H H C C */
	static const char *const want[5] = { "LLLLM", "LLMMH", "LMMHH", "LMHHC", "MHHCC" };
	struct err e = { 0 };

	assert_int_equal(risk_levels_set(RISK_LEVELS_DEFAULT, &e), 0);
	for (int l = 1; l <= 5; l++)
		for (int i = 1; i <= 5; i++) {
			int s = risk_score(l, i);
			const char *lv = risk_level(s);

			assert_int_equal(s, l * i);
			assert_int_equal(lv[0], want[l - 1][i - 1] == 'L'   ? 'l'
						: want[l - 1][i - 1] == 'M' ? 'm'
						: want[l - 1][i - 1] == 'H' ? 'h'
									    : 'c');
		}
	assert_int_equal(risk_score(6, 1), 0);
	assert_int_equal(risk_score(1, 0), 0);
	assert_string_equal(risk_level(0), "");
	assert_string_equal(risk_level(26), "");
}

static void test_configured_matrix(void **state)
{
	struct err e = { 0 };

	/* Two bands: 3 × 3 = 9 is minor, 2 × 5 = 10 is major. */
	assert_int_equal(risk_levels_set("minor:1-9,major:10-25", &e), 0);
	assert_string_equal(risk_level(risk_score(3, 3)), "minor");
	assert_string_equal(risk_level(risk_score(2, 5)), "major");
	assert_string_equal(risk_level(risk_score(5, 5)), "major");
	assert_int_equal(risk_levels_set(RISK_LEVELS_DEFAULT, &e), 0);
	assert_string_equal(risk_level(12), "high");
}

static void test_refused_tables(void **state)
{
	static const char *const bad[] = {
		"",			      /* nothing */
		"low:1-4, high:6-25",	      /* a gap at 5 */
		"low:1-5, high:5-25",	      /* an overlap at 5 */
		"low:1-4, high:5-24",	      /* ends short of 25 */
		"low:2-25",		      /* starts after 1 */
		"low:1-30",		      /* beyond 25 */
		"Low:1-25",		      /* upper case */
		"low:1-4; high:5-25",	      /* not a comma */
		"low:1-4, low:5-25",	      /* named twice */
		"low:4-1, high:2-25",	      /* backwards */
		"low 1-25",		      /* no colon */
		"a:1-1,b:2-2,c:3-3,d:4-4,e:5-5,f:6-6,g:7-7,h:8-8,i:9-25", /* too many */
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct err e = { 0 };

		assert_int_equal(risk_levels_set(bad[i], &e), ERR_INVALID);
		assert_true(e.msg[0] != 0);
		/* the table in force stays */
		assert_string_equal(risk_level(12), "high");
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_risk_lifecycle_every_pair),
		cmocka_unit_test(test_measure_lifecycle_every_pair),
		cmocka_unit_test(test_names_round_trip),
		cmocka_unit_test(test_default_matrix),
		cmocka_unit_test(test_configured_matrix),
		cmocka_unit_test(test_refused_tables),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
