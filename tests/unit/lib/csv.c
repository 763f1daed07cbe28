/*
 * tests/unit/lib/csv.c — the CSV writer and reader: quoting only when
 * needed (or always), the ' before each formula character and its exact
 * inverse, numbers written whole and never escaped, records with the line
 * they began on across CRLF and quoted line ends, the reader's refusals
 * naming the line, its caps, and write → read round trips.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lib/buf.h"
#include "lib/csv.h"
#include "lib/err.h"

/* One text cell as the writer writes it (a static copy). */
static const char *cell(const char *s, unsigned flags)
{
	static char out[256];
	struct buf b = BUF_INIT;

	assert_int_equal(csv_put_text(&b, s, flags), 0);
	snprintf(out, sizeof(out), "%s", buf_str(&b));
	buf_release(&b);
	return out;
}

static const char *decimal(double v, int places)
{
	static char out[512];
	struct buf b = BUF_INIT;

	assert_int_equal(csv_put_decimal(&b, v, places), 0);
	snprintf(out, sizeof(out), "%s", buf_str(&b));
	buf_release(&b);
	return out;
}

static void test_quoting(void **state)
{
	assert_string_equal(cell("plain", 0), "plain");
	assert_string_equal(cell("", 0), "");
	assert_string_equal(cell(NULL, 0), "");
	assert_string_equal(cell("a,b", 0), "\"a,b\"");
	assert_string_equal(cell("say \"hi\"", 0), "\"say \"\"hi\"\"\"");
	assert_string_equal(cell("\"", 0), "\"\"\"\"");
	assert_string_equal(cell("two\nlines", 0), "\"two\nlines\"");
	assert_string_equal(cell("cr\rhere", 0), "\"cr\rhere\"");
	assert_string_equal(cell("semi;colon and space", 0), "semi;colon and space");
	/* CSV_QUOTE_ALL quotes what needs no quotes, and only once */
	assert_string_equal(cell("plain", CSV_QUOTE_ALL), "\"plain\"");
	assert_string_equal(cell("", CSV_QUOTE_ALL), "\"\"");
	assert_string_equal(cell("a\"b", CSV_QUOTE_ALL), "\"a\"\"b\"");
	/* a quote that is not first needs no escaping of its own */
	assert_string_equal(cell("it's", 0), "it's");
}

static void test_formula_escaping(void **state)
{
	/* each formula character, alone and leading */
	assert_string_equal(cell("=1+1", 0), "'=1+1");
	assert_string_equal(cell("+1", 0), "'+1");
	assert_string_equal(cell("-5", 0), "'-5");
	assert_string_equal(cell("@SUM(A1)", 0), "'@SUM(A1)");
	assert_string_equal(cell("\tx", 0), "'\tx");
	assert_string_equal(cell("\rx", 0), "\"'\rx\"");
	assert_string_equal(cell("=", 0), "'=");
	/* the ' goes inside the quotes when the cell is quoted */
	assert_string_equal(cell("=HYPERLINK(\"http://x\")", 0),
			    "\"'=HYPERLINK(\"\"http://x\"\")\"");
	assert_string_equal(cell("-x", CSV_QUOTE_ALL), "\"'-x\"");
	/* not first: nothing to escape */
	assert_string_equal(cell("a=b", 0), "a=b");
	assert_string_equal(cell(" =x", 0), " =x");
	/* ' then a formula character gets one more ', so reading undoes
	 * exactly what writing did */
	assert_string_equal(cell("'=x", 0), "''=x");
	assert_string_equal(cell("''-y", 0), "'''-y");
	assert_string_equal(cell("'plain", 0), "'plain");
	assert_string_equal(cell("'", 0), "'");
	/* the inverse */
	assert_string_equal(csv_unformula("'=x"), "=x");
	assert_string_equal(csv_unformula("''=x"), "'=x");
	assert_string_equal(csv_unformula("'\tx"), "\tx");
	assert_string_equal(csv_unformula("'plain"), "'plain");
	assert_string_equal(csv_unformula("'"), "'");
	assert_string_equal(csv_unformula("=x"), "=x");
	assert_string_equal(csv_unformula(""), "");
	assert_null(csv_unformula(NULL));
	{
		static const char *const texts[] = { "=a", "+a", "-a", "@a", "\ta", "\ra",
						     "'=a", "''+a", "'", "''", "'a", "a", "",
						     "-", "'-", NULL };

		for (const char *const *t = texts; *t; t++) {
			struct buf b = BUF_INIT;
			const char *w;

			assert_int_equal(csv_put_text(&b, *t, 0), 0);
			w = buf_str(&b);
			if (*w == '"') { /* quoted: the cell is between the quotes */
				w++;
				assert_true(b.len >= 2);
				b.data[b.len - 1] = '\0';
			}
			assert_true(!*w || !strchr("=+-@\t\r", *w));
			assert_string_equal(csv_unformula(w), *t);
			buf_release(&b);
		}
	}
}

static void test_numbers(void **state)
{
	struct buf b = BUF_INIT;

	/* integers exactly, negative ones untouched */
	assert_int_equal(csv_put_int(&b, -5), 0);
	assert_int_equal(buf_putc(&b, ','), 0);
	assert_int_equal(csv_put_int(&b, 2671200), 0);
	assert_int_equal(buf_putc(&b, ','), 0);
	assert_int_equal(csv_put_int(&b, INT64_MIN), 0);
	assert_string_equal(buf_str(&b), "-5,2671200,-9223372036854775808");
	buf_release(&b);
	/* decimals: fixed places, trailing zeros dropped, never an exponent */
	assert_string_equal(decimal(99.5, 4), "99.5");
	assert_string_equal(decimal(100, 4), "100");
	assert_string_equal(decimal(12000.0, 4), "12000");
	assert_string_equal(decimal(200.0 / 3, 4), "66.6667");
	assert_string_equal(decimal(2581980.25, 4), "2581980.25");
	assert_string_equal(decimal(2581980.0, 4), "2581980");
	assert_string_equal(decimal(1e15, 4), "1000000000000000");
	assert_string_equal(decimal(-5, 4), "-5");
	assert_string_equal(decimal(-0.5, 4), "-0.5");
	assert_string_equal(decimal(-0.0, 4), "0");
	assert_string_equal(decimal(-0.00001, 4), "0");
	assert_string_equal(decimal(0, 4), "0");
	assert_string_equal(decimal(1.23456, 0), "1");
	assert_string_equal(decimal(0.1, 17), "0.10000000000000001");
	assert_string_equal(decimal(2.7, -3), "3"); /* places clamped to 0 */
	assert_null(strchr(decimal(1.7976931348623157e308, 4), 'e'));
	assert_string_equal(decimal(NAN, 4), "");
	assert_string_equal(decimal(INFINITY, 4), "");
	/* numbers as text: as they are when they are numbers */
	b = (struct buf)BUF_INIT;
	assert_int_equal(csv_put_number(&b, "-5"), 0);
	assert_int_equal(csv_put_number(&b, ";"), 0);
	assert_int_equal(csv_put_number(&b, "1.0000000000000001e+300"), 0);
	assert_int_equal(csv_put_number(&b, ";"), 0);
	assert_int_equal(csv_put_number(&b, "-0.25E-3"), 0);
	assert_string_equal(buf_str(&b), "-5;1.0000000000000001e+300;-0.25E-3");
	buf_reset(&b);
	/* and escaped text when they are not */
	assert_int_equal(csv_put_number(&b, "-5+cmd"), 0);
	assert_int_equal(buf_putc(&b, ','), 0);
	assert_int_equal(csv_put_number(&b, "=1"), 0);
	assert_int_equal(buf_putc(&b, ','), 0);
	assert_int_equal(csv_put_number(&b, "-"), 0);
	assert_int_equal(buf_putc(&b, ','), 0);
	assert_int_equal(csv_put_number(&b, "1."), 0);
	assert_int_equal(buf_putc(&b, ','), 0);
	assert_int_equal(csv_put_number(&b, "1,5"), 0);
	assert_int_equal(buf_putc(&b, ','), 0);
	assert_int_equal(csv_put_number(&b, NULL), 0);
	assert_string_equal(buf_str(&b), "'-5+cmd,'=1,'-,1.,\"1,5\",");
	buf_release(&b);
}

static void test_write_cap(void **state)
{
	struct buf b;

	buf_init(&b, 8);
	assert_int_equal(csv_put_text(&b, "abc", 0), 0);
	/* the cell does not fit: nothing of it stays */
	assert_int_equal(csv_put_text(&b, "a,\"b\"", 0), ERR_TOO_LARGE);
	assert_string_equal(buf_str(&b), "abc");
	assert_int_equal(b.len, 3);
	/* the ' counts: "'=xyzw" is one byte too many */
	assert_int_equal(csv_put_text(&b, "=xyzw", 0), ERR_TOO_LARGE);
	assert_string_equal(buf_str(&b), "abc");
	assert_int_equal(csv_put_text(&b, "=xyz", 0), 0);
	assert_string_equal(buf_str(&b), "abc'=xyz");
	buf_release(&b);
}

/* Read every record of text; the fields of each joined by '|', records by
 * '/', each prefixed by its first line: "1:a|b/3:c". */
static int read_all(const char *text, size_t len, char *out, size_t size, struct err *e)
{
	struct csv_reader r;
	size_t n = 0;
	int rc;

	out[0] = '\0';
	csv_reader_init(&r, text, len);
	while ((rc = csv_read(&r, e)) == 1) {
		assert_true(r.nfield >= 1);
		n += (size_t)snprintf(out + n, size - n, "%s%d:", n ? "/" : "", r.record_line);
		for (size_t i = 0; i < r.nfield; i++)
			n += (size_t)snprintf(out + n, size - n, "%s%s", i ? "|" : "",
					      csv_field(&r, i));
		assert_true(n < size);
	}
	assert_int_equal(r.nfield, 0);
	assert_string_equal(csv_field(&r, 0), "");
	csv_reader_release(&r);
	return rc;
}

static void expect(const char *text, const char *want)
{
	char got[1024];
	struct err e = { 0 };

	if (read_all(text, strlen(text), got, sizeof(got), &e))
		fail_msg("'%s' refused: %s", text, e.msg);
	assert_string_equal(got, want);
}

static void expect_error(const char *text, const char *msg)
{
	char got[1024];
	struct err e = { 0 };

	assert_int_equal(read_all(text, strlen(text), got, sizeof(got), &e), ERR_INVALID);
	assert_int_equal(e.code, ERR_INVALID);
	assert_string_equal(e.msg, msg);
}

static void test_read(void **state)
{
	expect("", "");
	expect("a", "1:a");
	expect("a,b,c\n", "1:a|b|c");
	expect("a,b\nc,d\n", "1:a|b/2:c|d");
	/* CRLF, a lone CR and LF end records alike */
	expect("a,b\r\nc,d\r\n", "1:a|b/2:c|d");
	expect("a\rb\r\nc\n", "1:a/2:b/3:c");
	/* empty fields and empty lines (one empty field) */
	expect(",\n", "1:|");
	expect("a,\n\n,b", "1:a|/2:/3:|b");
	expect("\n\n", "1:/2:");
	expect("\r\n", "1:");
	/* quoted: commas, doubled quotes, line ends; the record keeps its first
	 * line and the next one is counted past the quoted line ends */
	expect("\"a,b\",\"say \"\"hi\"\"\"\n", "1:a,b|say \"hi\"");
	expect("\"multi\nline\",x\nnext\n", "1:multi\nline|x/3:next");
	expect("\"crlf\r\ninside\",x\r\nnext\r\n", "1:crlf\r\ninside|x/3:next");
	expect("\"cr\rinside\"\nnext", "1:cr\rinside/3:next");
	expect("\"\"\n\"\"\"\"", "1:/2:\"");
	expect("\"\",\"\"", "1:|");
	/* all of it at once (the CMDB import's old reader test) */
	expect("a,\"b,1\",\"say \"\"hi\"\"\"\r\n\"multi\nline\",x,\n\nlast",
	       "1:a|b,1|say \"hi\"/2:multi\nline|x|/4:/5:last");
	/* a quote inside an unquoted field is text */
	expect("a\"b,c\"\n", "1:a\"b|c\"");
	/* the reader takes what it reads: no unescaping of its own */
	expect("'=x,\"'-y\"", "1:'=x|'-y");
}

static void test_read_errors(void **state)
{
	expect_error("k,n\n\"open,x\n", "line 2: a quoted field does not end");
	/* the line where the quote opened, not where the data ends */
	expect_error("k\n\n\"open\nmore\nlines", "line 3: a quoted field does not end");
	expect_error("\"", "line 1: a quoted field does not end");
	expect_error("\"a\"b\n", "line 1: text after a closing quote");
	expect_error("x\n\"a\" ,b\n", "line 2: text after a closing quote");
	/* the line of the closing quote */
	expect_error("\"a\nb\"c\n", "line 2: text after a closing quote");
	{
		const char nul[] = "a\nb\0c\n";
		const char qnul[] = "a\n\"b\0c\"\n";
		char got[64];
		struct err e = { 0 };

		assert_int_equal(read_all(nul, sizeof(nul) - 1, got, sizeof(got), &e),
				 ERR_INVALID);
		assert_string_equal(e.msg, "line 2: a NUL byte");
		assert_int_equal(read_all(qnul, sizeof(qnul) - 1, got, sizeof(got), &e),
				 ERR_INVALID);
		assert_string_equal(e.msg, "line 2: a NUL byte");
	}
}

static void test_read_caps(void **state)
{
	struct csv_reader r;
	struct err e = { 0 };
	const char *text = "a,b,c\nd,e,f,g\n";
	char big[100];

	csv_reader_init(&r, text, strlen(text));
	r.max_fields = 3;
	assert_int_equal(csv_read(&r, &e), 1);
	assert_int_equal(r.nfield, 3);
	assert_int_equal(csv_read(&r, &e), ERR_INVALID);
	assert_string_equal(e.msg, "line 2: more than 3 fields");
	/* a refusal ends the reading */
	assert_int_equal(r.nfield, 0);
	assert_int_equal(csv_read(&r, &e), 0);
	csv_reader_release(&r);

	memset(big, 'x', sizeof(big));
	big[sizeof(big) - 1] = '\0';
	csv_reader_init(&r, big, strlen(big));
	r.max_field_len = 99;
	assert_int_equal(csv_read(&r, &e), 1);
	assert_int_equal(strlen(csv_field(&r, 0)), 99);
	csv_reader_release(&r);
	csv_reader_init(&r, big, strlen(big));
	r.max_field_len = 98;
	assert_int_equal(csv_read(&r, &e), ERR_INVALID);
	assert_string_equal(e.msg, "line 1: field 1 is longer than 98 bytes");
	csv_reader_release(&r);
	/* in quotes too, counted after the doubled quotes are undone */
	text = "ok,\"ab\"\"cd\"\n";
	csv_reader_init(&r, text, strlen(text));
	r.max_field_len = 5;
	assert_int_equal(csv_read(&r, &e), 1);
	assert_string_equal(csv_field(&r, 1), "ab\"cd");
	csv_reader_release(&r);
	csv_reader_init(&r, text, strlen(text));
	r.max_field_len = 4;
	assert_int_equal(csv_read(&r, &e), ERR_INVALID);
	assert_string_equal(e.msg, "line 1: field 2 is longer than 4 bytes");
	csv_reader_release(&r);
}

static void test_many_fields_and_records(void **state)
{
	struct buf b = BUF_INIT;
	struct csv_reader r;
	struct err e = { 0 };
	int n = 0;

	/* more fields than the reader's first allocation, many records */
	for (int row = 0; row < 50; row++) {
		for (int i = 0; i < 100; i++) {
			if (i)
				buf_putc(&b, ',');
			buf_printf(&b, "r%dc%d", row, i);
		}
		buf_puts(&b, "\r\n");
	}
	csv_reader_init(&r, b.data, b.len);
	while (csv_read(&r, &e) == 1) {
		char want[32];

		assert_int_equal(r.nfield, 100);
		assert_int_equal(r.record_line, n + 1);
		snprintf(want, sizeof(want), "r%dc99", n);
		assert_string_equal(csv_field(&r, 99), want);
		assert_string_equal(csv_field(&r, 100), "");
		n++;
	}
	assert_int_equal(n, 50);
	csv_reader_release(&r);
	buf_release(&b);
}

/* Write rows of cells, read them back, undo the escaping: the same cells. */
static void test_round_trip(void **state)
{
	static const char *const rows[][4] = {
		{ "key", "name", "note", "x" },
		{ "a,b", "say \"hi\"", "two\nlines", "crlf\r\nin" },
		{ "=HYPERLINK(\"http://x\")", "+1", "-5", "@cmd" },
		{ "\tTab", "\rcr", "'=x", "''-y" },
		{ "'", "", "'plain", "\"" },
		{ "", "", "", "" },
	};
	const size_t nrows = sizeof(rows) / sizeof(rows[0]);

	for (unsigned flags = 0; flags <= CSV_QUOTE_ALL; flags += CSV_QUOTE_ALL) {
		struct buf b = BUF_INIT;
		struct csv_reader r;
		struct err e = { 0 };
		size_t i = 0;

		for (size_t k = 0; k < nrows; k++) {
			for (size_t j = 0; j < 4; j++) {
				if (j)
					buf_putc(&b, ',');
				assert_int_equal(csv_put_text(&b, rows[k][j], flags), 0);
			}
			buf_putc(&b, '\n');
		}
		csv_reader_init(&r, b.data, b.len);
		while (csv_read(&r, &e) == 1) {
			assert_true(i < nrows);
			assert_int_equal(r.nfield, 4);
			for (size_t j = 0; j < 4; j++) {
				assert_true(!strchr("=+-@\t\r", csv_field(&r, j)[0]) ||
					    !csv_field(&r, j)[0]);
				assert_string_equal(csv_unformula(csv_field(&r, j)), rows[i][j]);
			}
			i++;
		}
		assert_int_equal(e.code, 0);
		assert_int_equal(i, nrows);
		csv_reader_release(&r);
		buf_release(&b);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quoting),
		cmocka_unit_test(test_formula_escaping),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_write_cap),
		cmocka_unit_test(test_read),
		cmocka_unit_test(test_read_errors),
		cmocka_unit_test(test_read_caps),
		cmocka_unit_test(test_many_fields_and_records),
		cmocka_unit_test(test_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
