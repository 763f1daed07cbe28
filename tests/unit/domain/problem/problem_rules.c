/*
 * tests/unit/domain/problem/problem_rules.c — the problem lifecycle table
 * and the similarity of incident titles (docs/problems.md).
 *
 * The lifecycle is written out here by hand, every (from, to) pair, not
 * read from problem_rules.c, so a wrong cell in the table fails a test.
 * Each similarity figure is computed by hand in the comment beside it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "domain/problem/problem.h"

static void test_lifecycle_every_pair(void **state)
{
	/* allowed[from] lists the statuses it may move to */
	static const char *const allowed[PS__COUNT] = {
		[PS_NEW] = "investigating cancelled",
		[PS_INVESTIGATING] = "known_error resolved cancelled",
		[PS_KNOWN_ERROR] = "investigating resolved cancelled",
		[PS_RESOLVED] = "investigating closed",
		[PS_CLOSED] = "",
		[PS_CANCELLED] = "",
	};
	int moves = 0;

	(void)state;
	for (int f = 0; f < PS__COUNT; f++)
		for (int t = 0; t < PS__COUNT; t++) {
			char want[64];
			const char *name = problem_status_name((enum problem_status)t);

			snprintf(want, sizeof(want), " %s ", allowed[f]);
			char needle[24];
			snprintf(needle, sizeof(needle), " %s ", name);
			int expect = strstr(want, needle) != NULL;

			assert_int_equal(problem_can_move((enum problem_status)f,
							  (enum problem_status)t),
					 expect);
			moves += expect;
		}
	assert_int_equal(moves, 2 + 3 + 3 + 2); /* every allowed move counted once */
	assert_int_equal(problem_can_move(PS__COUNT, PS_NEW), 0);
	assert_int_equal(problem_can_move(PS_NEW, PS__COUNT), 0);
	assert_true(problem_status_is_terminal(PS_CLOSED));
	assert_true(problem_status_is_terminal(PS_CANCELLED));
	assert_false(problem_status_is_terminal(PS_RESOLVED));
	assert_false(problem_status_is_terminal(PS_KNOWN_ERROR));
}

static void test_status_names(void **state)
{
	static const char *const names[] = { "new",	 "investigating", "known_error",
					     "resolved", "closed",	  "cancelled" };
	enum problem_status s;

	(void)state;
	for (int i = 0; i < PS__COUNT; i++) {
		assert_string_equal(problem_status_name((enum problem_status)i), names[i]);
		assert_int_equal(problem_status_parse(names[i], &s), 0);
		assert_int_equal(s, i);
	}
	assert_int_equal(problem_status_parse("known-error", &s), -1);
	assert_int_equal(problem_status_parse("", &s), -1);
	assert_int_equal(problem_status_parse(NULL, &s), -1);
	assert_string_equal(problem_status_name(PS__COUNT), "?");
}

#define SIM(a, b) problem_title_similarity((a), (b))
#define NEAR(x, y) assert_true(fabs((x) - (y)) < 1e-9)

static void test_similarity_words(void **state)
{
	(void)state;
	/* {mail, server, not, responding} vs {mail, server, is, not, responding}:
	 * 4 shared of 5 → 0.8; case and punctuation do not count */
	NEAR(SIM("Mail server not responding", "mail server is NOT responding!"), 4.0 / 5);
	/* {disk, full, on, db} vs {disk, full, on, web}: 3 of 5 → 0.6 */
	NEAR(SIM("Disk full on db", "disk full on web"), 3.0 / 5);
	/* {printer, jammed} vs {printer, offline}: 1 of 3 → 0.333…, not similar */
	NEAR(SIM("Printer jammed", "Printer offline"), 1.0 / 3);
	assert_true(SIM("Printer jammed", "Printer offline") < PROBLEM_SIMILAR);
	/* {disk, full} vs {disk, full, now, again}: 2 of 4 → exactly 0.5, similar */
	NEAR(SIM("disk full", "disk full now, again"), 0.5);
	assert_true(SIM("disk full", "disk full now, again") >= PROBLEM_SIMILAR);
	/* a set: repeated words count once → {error} vs {error} = 1 */
	NEAR(SIM("error error error", "Error"), 1.0);
	/* symmetric */
	NEAR(SIM("a b c", "b c d e"), SIM("b c d e", "a b c"));
	/* nothing to compare: 0 */
	NEAR(SIM("", ""), 0);
	NEAR(SIM("!!! ...", "---"), 0);
	NEAR(SIM("word", ""), 0);
	NEAR(SIM(NULL, "word"), 0);
}

static void test_similarity_japanese(void **state)
{
	(void)state;
	/* "メールサーバー 応答なし": runs メールサーバー (bigrams メー ール ルサ
	 * サー ーバ バー) and 応答なし (応答 答な なし): 9 tokens.
	 * "メールサーバーが応答なし": one run, 11 bigrams, the 9 above plus ーが
	 * and が応. 9 shared of 11 → 0.818… */
	NEAR(SIM("メールサーバー 応答なし", "メールサーバーが応答なし"), 9.0 / 11);
	/* "プリンターが印刷できない" (プリ リン ンタ ター ーが が印 印刷 刷で でき
	 * きな ない) and the mail title share ーが only: 1 of 21 */
	NEAR(SIM("プリンターが印刷できない", "メールサーバーが応答なし"), 1.0 / 21);
	/* the ideographic comma separates: "メール、遅延" is {メー, ール, 遅延},
	 * "メール遅延" {メー, ール, ル遅, 遅延}: 3 of 4 → 0.75 */
	NEAR(SIM("メール、遅延", "メール遅延"), 3.0 / 4);
	/* a run of one ideograph is a token; full-width letters are ASCII:
	 * {vpn, 接続} both → 1 */
	NEAR(SIM("ＶＰＮ　接続", "vpn 接続"), 1.0);
	NEAR(SIM("猫", "猫"), 1.0);
	/* mixed: "DB接続エラー" is {db, 接続, 続エ, エラ, ラー}; "db 接続エラー
	 * 再発" adds 再発: 5 of 6 */
	NEAR(SIM("DB接続エラー", "db 接続エラー 再発"), 5.0 / 6);
	/* two of the API test's titles: "データベース接続エラーが発生" is 14
	 * characters, 13 bigrams (デー … ーが, が発, 発生); "…が再発生" is 15,
	 * 14 bigrams (the same 11 to ーが, then が再, 再発, 発生). Shared: 11 +
	 * 発生 = 12; union 13 + 14 - 12 = 15 → 12/15 = 0.8 */
	NEAR(SIM("データベース接続エラーが発生", "データベース接続エラーが再発生"), 12.0 / 15);
}

static void test_similarity_malformed(void **state)
{
	(void)state;
	/* a stray byte separates; nothing is read past the end */
	NEAR(SIM("disk\xff" "full", "disk full"), 1.0);
	NEAR(SIM("\xe3\x81", "x"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lifecycle_every_pair),
		cmocka_unit_test(test_status_names),
		cmocka_unit_test(test_similarity_words),
		cmocka_unit_test(test_similarity_japanese),
		cmocka_unit_test(test_similarity_malformed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
