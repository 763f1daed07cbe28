/*
 * tests/unit/store/search_query.c — a search's words as each engine gets
 * them (src/store/sql_search.c): every word an FTS5 string ("…" with "
 * doubled), so no operator, quote, star or bracket reaches FTS5 as syntax;
 * ILIKE patterns with %, _ and \ escaped; which words go to MATCH and which
 * to the instr() check. The expected strings are written out by hand.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "lib/terms.h"
#include "store/sql.h"

static char *quoted(const char *term)
{
	struct buf b;

	buf_init(&b, 1024);
	assert_int_equal(sq_fts_quote(&b, term), 0);
	return buf_detach(&b, NULL);
}

#define QUOTE(in, want)                                                                            \
	do {                                                                                       \
		char *q_ = quoted(in);                                                             \
		assert_string_equal(q_, want);                                                     \
		free(q_);                                                                          \
	} while (0)

static void test_fts_quote(void **state)
{
	(void)state;
	QUOTE("printer", "\"printer\"");
	QUOTE("\"", "\"\"\"\"");             /* " → "" inside quotes */
	QUOTE("\"\"", "\"\"\"\"\"\"");       /* two quotes, doubled each */
	QUOTE("a\"b", "\"a\"\"b\"");
	QUOTE("*", "\"*\"");
	QUOTE("vpn*", "\"vpn*\"");
	QUOTE("NEAR", "\"NEAR\"");
	QUOTE("NEAR(a", "\"NEAR(a\"");
	QUOTE("AND", "\"AND\"");
	QUOTE("-", "\"-\"");
	QUOTE("(", "\"(\"");
	QUOTE("title:x", "\"title:x\"");
	QUOTE("^x", "\"^x\"");
	QUOTE("印刷", "\"印刷\"");
}

static char *pattern(const char *term)
{
	struct buf b;

	buf_init(&b, 1024);
	assert_int_equal(sq_like_pattern(&b, term), 0);
	return buf_detach(&b, NULL);
}

static void test_like_pattern(void **state)
{
	char *p;

	(void)state;
	p = pattern("vpn");
	assert_string_equal(p, "%vpn%");
	free(p);
	p = pattern("50%_off\\");
	assert_string_equal(p, "%50\\%\\_off\\\\%");
	free(p);
	p = pattern("'");
	assert_string_equal(p, "%'%"); /* bound, never spliced: a quote is text */
	free(p);
}

/* The arguments for q on an engine, any or every word. */
static void args(const char *q, int sqlite, int any, struct sq_text *t)
{
	struct terms w;

	assert_int_equal(terms_split(q, &w), 0);
	assert_int_equal(sq_text_args(sqlite, w.v, w.chars, w.n, any, t), 0);
}

static void expect(const char *got, const char *want)
{
	if (!want)
		assert_null(got);
	else
		assert_string_equal(got, want);
}

static void test_text_args(void **state)
{
	struct sq_text t;

	(void)state;
	/* SQLite, every word: the long ones ANDed by MATCH, the short ones checked */
	args("printer 印刷 jam", 1, 0, &t);
	expect(t.match, "\"printer\" \"jam\"");
	expect(t.check, "[\"印刷\"]");
	sq_text_release(&t);
	/* only short words: no MATCH, every word checked (the bounded scan) */
	args("印刷 PC", 1, 0, &t);
	expect(t.match, NULL);
	expect(t.check, "[\"印刷\",\"PC\"]");
	sq_text_release(&t);
	/* operators are words like any other */
	args("vpn AND \" NEAR(", 1, 0, &t);
	expect(t.match, "\"vpn\" \"AND\" \"NEAR(\"");
	expect(t.check, "[\"\\\"\"]");
	sq_text_release(&t);
	/* any word: ORed, short words left out of a MATCH */
	args("プリン リンタ ab", 1, 1, &t);
	expect(t.match, "\"プリン\" OR \"リンタ\"");
	expect(t.check, NULL);
	sq_text_release(&t);
	/* PostgreSQL: the longest word's pattern, every word checked */
	args("vpn gateway 印刷", 0, 0, &t);
	expect(t.match, "%gateway%");
	expect(t.check, "[\"vpn\",\"gateway\",\"印刷\"]");
	sq_text_release(&t);
	args("vpn gateway", 0, 1, &t);
	expect(t.match, NULL);
	expect(t.check, "[\"vpn\",\"gateway\"]");
	sq_text_release(&t);
}

static void test_terms_split(void **state)
{
	struct terms t;
	char big[TERMS_MAX_CHARS * 3 + 4];

	(void)state;
	assert_int_equal(terms_split("  vpn\tgateway\n", &t), 0);
	assert_int_equal(t.n, 2);
	assert_string_equal(t.v[0], "vpn");
	assert_string_equal(t.v[1], "gateway");
	/* the ideographic space separates; characters are counted, not bytes */
	assert_int_equal(terms_split("印刷\xE3\x80\x80プリンター", &t), 0);
	assert_int_equal(t.n, 2);
	assert_string_equal(t.v[0], "印刷");
	assert_int_equal(t.chars[0], 2);
	assert_int_equal(t.chars[1], 5);
	assert_int_equal(terms_split("", &t), -2);
	assert_int_equal(terms_split(" \xE3\x80\x80 ", &t), -2);
	assert_int_equal(terms_split("a\x01" "b", &t), -1);
	assert_int_equal(terms_split("\xff", &t), -1);
	/* 200 characters of three bytes each pass, 201 do not */
	for (int i = 0; i <= TERMS_MAX_CHARS; i++)
		memcpy(big + 3 * i, "印", 3);
	big[3 * TERMS_MAX_CHARS] = '\0';
	assert_int_equal(terms_split(big, &t), 0);
	memcpy(big + 3 * TERMS_MAX_CHARS, "印", 3);
	big[3 * TERMS_MAX_CHARS + 3] = '\0';
	assert_int_equal(terms_split(big, &t), -3);
	assert_int_equal(terms_split("a b c d e f g h i j k l m n o p", &t), 0);
	assert_int_equal(t.n, TERMS_MAX);
	assert_int_equal(terms_split("a b c d e f g h i j k l m n o p q", &t), -4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fts_quote),
		cmocka_unit_test(test_like_pattern),
		cmocka_unit_test(test_text_args),
		cmocka_unit_test(test_terms_split),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
