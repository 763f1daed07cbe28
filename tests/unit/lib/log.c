/*
 * tests/unit/lib/log.c — log_value: plain words stay bare; anything that
 * could end a line, start a field or drive a terminal is quoted and
 * escaped; what it writes is valid UTF-8 without a control character; a
 * long value is cut at a character and still ends its quotes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "lib/log.h"
#include "lib/utf8.h"

static const char *v(const char *s)
{
	static char out[LOG_VALUE_MAX];

	return log_value(out, sizeof(out), s);
}

static void test_bare(void **state)
{
	assert_string_equal(v("GET"), "GET");
	assert_string_equal(v("/api/v1/tickets"), "/api/v1/tickets");
	assert_string_equal(v("tickets.list"), "tickets.list");
	assert_string_equal(v(NULL), "-");
	assert_string_equal(v(""), "\"\"");
}

static void test_quoted(void **state)
{
	assert_string_equal(v("a b"), "\"a b\"");
	assert_string_equal(v("k=v"), "\"k=v\"");
	assert_string_equal(v("say \"hi\""), "\"say \\\"hi\\\"\"");
	assert_string_equal(v("back\\slash"), "\"back\\\\slash\"");
	assert_string_equal(v("a\nb\rc\td"), "\"a\\nb\\rc\\td\"");
	assert_string_equal(v("\x1b[31mred"), "\"\\x1b[31mred\"");
	assert_string_equal(v("del\x7f"), "\"del\\x7f\"");
	/* a forged line and a forged field stay inside one value */
	assert_string_equal(v("/x\nts=1 level=error msg=\"forged\""),
			    "\"/x\\nts=1 level=error msg=\\\"forged\\\"\"");
	/* UTF-8 passes; C1 controls, U+2028 and bytes that are not UTF-8 do not */
	assert_string_equal(v("caf\xc3\xa9"), "\"caf\xc3\xa9\"");
	assert_string_equal(v("\xc2\x9b" "2J"), "\"\\xc2\\x9b2J\"");
	assert_string_equal(v("a\xe2\x80\xa8" "b"), "\"a\\xe2\\x80\\xa8b\"");
	assert_string_equal(v("\xff\xfe"), "\"\\xff\\xfe\"");
	assert_string_equal(v("\xe6\x97"), "\"\\xe6\\x97\"");
}

static void test_cut(void **state)
{
	char out[12], big[LOG_VALUE_MAX * 2];

	/* 12 bytes: the quote, 6 bytes of the value, ...", the NUL */
	assert_string_equal(log_value(out, sizeof(out), "abcdefghijklmnop qrs"), "\"abcdef...\"");
	assert_string_equal(log_value(out, sizeof(out), "\n\n\n\n"), "\"\\n\\n\\n...\"");
	assert_string_equal(log_value(out, sizeof(out), "\xe6\x97\xa5\xe6\x97\xa5\xe6\x97\xa5"),
			    "\"\xe6\x97\xa5\xe6\x97\xa5...\"");
	/* a word too long to stay bare is quoted, so its cut shows */
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(strlen(v(big)), LOG_VALUE_MAX - 1);
	assert_true(!strncmp(v(big) + LOG_VALUE_MAX - 5, "...\"", 4));
}

/* Whatever goes in, what comes out is one clean value. */
static void test_any_bytes(void **state)
{
	char in[64], out[48];

	srand(7);
	for (int round = 0; round < 20000; round++) {
		size_t n = (size_t)(rand() % 60);
		size_t len;

		for (size_t i = 0; i < n; i++)
			in[i] = (char)(1 + rand() % 255);
		in[n] = '\0';
		log_value(out, sizeof(out), in);
		len = strlen(out);
		assert_true(len < sizeof(out));
		assert_true(utf8_valid(out, len));
		for (size_t i = 0; i < len; i++)
			assert_true((unsigned char)out[i] >= ' ' && out[i] != 0x7f);
		assert_false(strstr(out, "\xc2\x9b"));
		if (out[0] == '"') {
			size_t bs = 0;

			assert_int_equal(out[len - 1], '"');
			for (size_t i = len - 1; i > 1 && out[i - 1] == '\\'; i--)
				bs++;
			assert_int_equal(bs % 2, 0); /* the closing quote is not escaped */
		} else {
			assert_null(strpbrk(out, " \"="));
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bare),
		cmocka_unit_test(test_quoted),
		cmocka_unit_test(test_cut),
		cmocka_unit_test(test_any_bytes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
