/*
 * tests/unit/lib/utf8.c — well-formed UTF-8 by Unicode's table: every
 * boundary of every row, overlong forms, surrogates, code points above
 * U+10FFFF, cut sequences; and utf8_repair's output is always valid and
 * never cut inside a character.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "lib/utf8.h"

#define SEQ(lit) utf8_seq(lit, sizeof(lit) - 1)

static void test_seq(void **state)
{
	assert_int_equal(SEQ("a"), 1);
	assert_int_equal(utf8_seq("", 1), 1); /* NUL is a character */
	assert_int_equal(utf8_seq("a", 0), 0);
	assert_int_equal(SEQ("\x7f"), 1);
	assert_int_equal(SEQ("\xc2\x80"), 2);
	assert_int_equal(SEQ("\xdf\xbf"), 2);
	assert_int_equal(SEQ("\xe0\xa0\x80"), 3);
	assert_int_equal(SEQ("\xed\x9f\xbf"), 3);   /* U+D7FF */
	assert_int_equal(SEQ("\xee\x80\x80"), 3);   /* U+E000 */
	assert_int_equal(SEQ("\xef\xbf\xbf"), 3);
	assert_int_equal(SEQ("\xf0\x90\x80\x80"), 4);
	assert_int_equal(SEQ("\xf4\x8f\xbf\xbf"), 4); /* U+10FFFF */
	/* not well-formed */
	assert_int_equal(SEQ("\x80"), 0);            /* a lone continuation */
	assert_int_equal(SEQ("\xbf"), 0);
	assert_int_equal(SEQ("\xc0\x80"), 0);        /* overlong NUL */
	assert_int_equal(SEQ("\xc1\xbf"), 0);
	assert_int_equal(SEQ("\xe0\x9f\xbf"), 0);    /* overlong three bytes */
	assert_int_equal(SEQ("\xed\xa0\x80"), 0);    /* U+D800, a surrogate */
	assert_int_equal(SEQ("\xed\xbf\xbf"), 0);
	assert_int_equal(SEQ("\xf0\x8f\xbf\xbf"), 0); /* overlong four bytes */
	assert_int_equal(SEQ("\xf4\x90\x80\x80"), 0); /* U+110000 */
	assert_int_equal(SEQ("\xf5\x80\x80\x80"), 0);
	assert_int_equal(SEQ("\xff"), 0);
	assert_int_equal(SEQ("\xc3"), 0);            /* cut short */
	assert_int_equal(SEQ("\xe2\x82"), 0);
	assert_int_equal(SEQ("\xe2\x82\x41"), 0);    /* a bad continuation */
	assert_int_equal(SEQ("\xf0\x9f\x98"), 0);
}

static void test_valid(void **state)
{
	assert_true(utf8_valid("", 0));
	assert_true(utf8_valid("plain ascii", 11));
	assert_true(utf8_valid("\xe6\x97\xa5\xe6\x9c\xac", 6));
	assert_true(utf8_valid("a\0b", 3));
	assert_false(utf8_valid("ab\xff", 3));
	assert_false(utf8_valid("\xe6\x97\xa5\xe6\x9c", 5));
}

static void test_repair(void **state)
{
	char out[16];

	assert_string_equal(utf8_repair(out, sizeof(out), "caf\xc3\xa9"), "caf\xc3\xa9");
	assert_string_equal(utf8_repair(out, sizeof(out), "a\xff" "b"), "a\xef\xbf\xbd" "b");
	assert_string_equal(utf8_repair(out, sizeof(out), "\xc3"), "\xef\xbf\xbd");
	/* cut at a character: 5 x 3 bytes fill 15, the NUL the 16th */
	assert_string_equal(utf8_repair(out, sizeof(out), "\xe6\x97\xa5\xe6\x97\xa5\xe6\x97\xa5"
							  "\xe6\x97\xa5\xe6\x97\xa5\xe6\x97\xa5"),
			    "\xe6\x97\xa5\xe6\x97\xa5\xe6\x97\xa5\xe6\x97\xa5\xe6\x97\xa5");
	assert_string_equal(utf8_repair(out, 6, "ab\xe6\x97\xa5\xe6\x97\xa5"), "ab\xe6\x97\xa5");
	assert_string_equal(utf8_repair(out, 5, "ab\xe6\x97\xa5"), "ab");
	assert_true(utf8_valid(out, strlen(out)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seq),
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_repair),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
