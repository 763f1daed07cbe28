/*
 * tests/unit/lib/buf.c — the growable buffer: the hard cap is enforced to the
 * byte, a refused append (ERR_TOO_LARGE) leaves the buffer exactly as it was,
 * printf grows the buffer, and the lifecycle (init, reset, detach, release).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "lib/buf.h"
#include "lib/err.h"

/* The buffer as it was, to prove a refused append changed nothing. */
struct snap {
	char *data;
	char bytes[256];
	size_t len, alloc, limit;
};

static struct snap snap(const struct buf *b)
{
	struct snap s = { b->data, { 0 }, b->len, b->alloc, b->limit };

	if (b->data)
		memcpy(s.bytes, b->data, b->len + 1 < sizeof(s.bytes) ? b->len + 1 : sizeof(s.bytes));
	return s;
}

static void assert_unchanged(const struct buf *b, const struct snap *s)
{
	assert_ptr_equal(b->data, s->data);
	assert_int_equal(b->len, s->len);
	assert_int_equal(b->alloc, s->alloc);
	assert_int_equal(b->limit, s->limit);
	if (b->data)
		assert_memory_equal(b->data, s->bytes,
				    b->len + 1 < sizeof(s->bytes) ? b->len + 1 : sizeof(s->bytes));
}

static void test_init(void **state)
{
	struct buf b = BUF_INIT, c;

	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.limit, BUF_DEFAULT_LIMIT);
	assert_string_equal(buf_str(&b), "");
	buf_init(&c, 0); /* 0 means the default */
	assert_int_equal(c.limit, BUF_DEFAULT_LIMIT);
	buf_init(&c, 10);
	assert_int_equal(c.limit, 10);
	assert_string_equal(buf_str(&c), "");
	buf_release(&c);
	buf_release(&b);
}

static void test_append(void **state)
{
	struct buf b;

	buf_init(&b, 0);
	assert_int_equal(buf_puts(&b, "hello"), 0);
	assert_int_equal(buf_putc(&b, ','), 0);
	assert_int_equal(buf_append(&b, " world!!", 6), 0);
	assert_int_equal(b.len, 12);
	assert_string_equal(buf_str(&b), "hello, world");
	assert_int_equal(b.data[b.len], '\0');
	/* empty appends are fine and keep the terminator */
	assert_int_equal(buf_append(&b, NULL, 0), 0);
	assert_int_equal(buf_puts(&b, ""), 0);
	assert_int_equal(b.len, 12);
	/* bytes, NULs included, go in as they are */
	assert_int_equal(buf_append(&b, "a\0b", 3), 0);
	assert_int_equal(b.len, 15);
	assert_memory_equal(b.data + 12, "a\0b\0", 4);
	buf_release(&b);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	/* a released buffer may be used again */
	assert_int_equal(buf_puts(&b, "again"), 0);
	assert_string_equal(buf_str(&b), "again");
	buf_release(&b);
}

static void test_empty_append_terminates(void **state)
{
	struct buf b;

	buf_init(&b, 0);
	assert_int_equal(buf_append(&b, "", 0), 0);
	assert_non_null(b.data);
	assert_string_equal(b.data, "");
	buf_release(&b);
}

static void test_growth(void **state)
{
	struct buf b;
	size_t prev_alloc = 0;
	int grew = 0;

	buf_init(&b, 0);
	for (int i = 0; i < 100000; i++) {
		assert_int_equal(buf_putc(&b, (char)('a' + i % 26)), 0);
		assert_true(b.alloc > b.len);
		if (b.alloc != prev_alloc) {
			grew++;
			prev_alloc = b.alloc;
		}
	}
	assert_int_equal(b.len, 100000);
	assert_int_equal(strlen(b.data), 100000);
	for (int i = 0; i < 100000; i++)
		assert_int_equal(b.data[i], 'a' + i % 26);
	/* geometric growth: a handful of reallocations, not one per byte */
	assert_true(grew < 20);
	buf_release(&b);
}

static void test_cap_exact(void **state)
{
	struct buf b;
	struct snap s;

	buf_init(&b, 8);
	assert_int_equal(buf_puts(&b, "12345678"), 0); /* exactly the cap */
	assert_int_equal(b.len, 8);
	assert_string_equal(buf_str(&b), "12345678");
	s = snap(&b);
	assert_int_equal(buf_putc(&b, 'x'), ERR_TOO_LARGE);
	assert_unchanged(&b, &s);
	assert_int_equal(buf_puts(&b, "x"), ERR_TOO_LARGE);
	assert_unchanged(&b, &s);
	assert_int_equal(buf_printf(&b, "%d", 1), ERR_TOO_LARGE);
	assert_unchanged(&b, &s);
	/* empty appends still fit */
	assert_int_equal(buf_append(&b, "", 0), 0);
	assert_int_equal(buf_printf(&b, "%s", ""), 0);
	assert_unchanged(&b, &s);
	buf_release(&b);
}

static void test_cap_refusal_unchanged(void **state)
{
	struct buf b;
	struct snap s;

	buf_init(&b, 100);
	assert_int_equal(buf_puts(&b, "0123456789"), 0);
	s = snap(&b);
	{
		char big[91];

		memset(big, 'z', sizeof(big));
		assert_int_equal(buf_append(&b, big, 91), ERR_TOO_LARGE);
		assert_unchanged(&b, &s);
		assert_int_equal(buf_append(&b, big, 90), 0);
		assert_int_equal(b.len, 100);
		assert_int_equal(buf_putc(&b, 'z'), ERR_TOO_LARGE);
	}
	buf_reset(&b);
	assert_int_equal(b.len, 0);
	assert_string_equal(buf_str(&b), "");
	assert_int_equal(buf_puts(&b, "fits again"), 0);
	s = snap(&b);
	/* sizes that would overflow size_t arithmetic are refused too */
	assert_int_equal(buf_append(&b, "x", SIZE_MAX), ERR_TOO_LARGE);
	assert_unchanged(&b, &s);
	assert_int_equal(buf_append(&b, "x", SIZE_MAX - 5), ERR_TOO_LARGE);
	assert_unchanged(&b, &s);
	assert_int_equal(buf_append(&b, "x", 101), ERR_TOO_LARGE);
	assert_unchanged(&b, &s);
	buf_release(&b);
}

static void test_cap_on_empty(void **state)
{
	struct buf b;

	buf_init(&b, 4);
	assert_int_equal(buf_puts(&b, "12345"), ERR_TOO_LARGE);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_string_equal(buf_str(&b), "");
	assert_int_equal(buf_printf(&b, "%s", "toolong"), ERR_TOO_LARGE);
	assert_null(b.data);
	buf_release(&b);
}

static void test_printf(void **state)
{
	struct buf b;
	char want[5000];
	size_t n = 0;

	buf_init(&b, 0);
	assert_int_equal(buf_printf(&b, "%s=%d", "seq", 42), 0);
	assert_string_equal(buf_str(&b), "seq=42");
	assert_int_equal(b.len, 6);
	assert_int_equal(buf_printf(&b, "%s", ""), 0);
	assert_int_equal(b.len, 6);
	/* many appends, each one past the current allocation now and then */
	buf_reset(&b);
	for (int i = 0; i < 500; i++) {
		assert_int_equal(buf_printf(&b, "%d,", i), 0);
		n += (size_t)snprintf(want + n, sizeof(want) - n, "%d,", i);
	}
	assert_int_equal(b.len, n);
	assert_string_equal(buf_str(&b), want);
	/* one printf much larger than the allocation */
	buf_reset(&b);
	assert_int_equal(buf_printf(&b, "[%4000s]", "x"), 0);
	assert_int_equal(b.len, 4002);
	assert_int_equal(b.data[0], '[');
	assert_int_equal(b.data[3999], ' ');
	assert_int_equal(b.data[4000], 'x');
	assert_int_equal(b.data[4001], ']');
	assert_int_equal(b.data[4002], '\0');
	buf_release(&b);
}

static void test_printf_cap(void **state)
{
	struct buf b;
	struct snap s;

	buf_init(&b, 16);
	assert_int_equal(buf_printf(&b, "%08d", 7), 0);
	s = snap(&b);
	assert_int_equal(buf_printf(&b, "%09d", 7), ERR_TOO_LARGE); /* 8 + 9 > 16 */
	assert_unchanged(&b, &s);
	assert_int_equal(buf_printf(&b, "%08d", 8), 0); /* 8 + 8 = 16 */
	assert_string_equal(buf_str(&b), "0000000700000008");
	assert_int_equal(buf_printf(&b, "%s", ""), 0);
	assert_int_equal(b.len, 16);
	buf_release(&b);
}

static int vp(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = buf_vprintf(b, fmt, ap);
	va_end(ap);
	return rc;
}

static void test_vprintf(void **state)
{
	struct buf b;

	buf_init(&b, 0);
	assert_int_equal(vp(&b, "%s-%lld-%c", "INC", 42LL, '!'), 0);
	assert_string_equal(buf_str(&b), "INC-42-!");
	buf_release(&b);
}

static void test_detach(void **state)
{
	struct buf b;
	size_t len = 99;
	char *s;

	buf_init(&b, 0);
	assert_int_equal(buf_puts(&b, "owned"), 0);
	s = buf_detach(&b, &len);
	assert_string_equal(s, "owned");
	assert_int_equal(len, 5);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.alloc, 0);
	free(s);
	/* detaching an empty buffer still hands out a string to free */
	s = buf_detach(&b, &len);
	assert_non_null(s);
	assert_string_equal(s, "");
	assert_int_equal(len, 0);
	free(s);
	s = buf_detach(&b, NULL);
	assert_non_null(s);
	free(s);
	/* and the buffer goes on working */
	assert_int_equal(buf_puts(&b, "next"), 0);
	assert_string_equal(buf_str(&b), "next");
	buf_release(&b);
}

static void test_reset(void **state)
{
	struct buf b;
	size_t alloc;

	buf_init(&b, 0);
	buf_reset(&b); /* on an empty buffer */
	assert_string_equal(buf_str(&b), "");
	assert_int_equal(buf_puts(&b, "some text"), 0);
	alloc = b.alloc;
	buf_reset(&b);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.alloc, alloc); /* memory kept for reuse */
	assert_string_equal(buf_str(&b), "");
	assert_int_equal(buf_puts(&b, "more"), 0);
	assert_string_equal(buf_str(&b), "more");
	buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init),
		cmocka_unit_test(test_append),
		cmocka_unit_test(test_empty_append_terminates),
		cmocka_unit_test(test_growth),
		cmocka_unit_test(test_cap_exact),
		cmocka_unit_test(test_cap_refusal_unchanged),
		cmocka_unit_test(test_cap_on_empty),
		cmocka_unit_test(test_printf),
		cmocka_unit_test(test_printf_cap),
		cmocka_unit_test(test_vprintf),
		cmocka_unit_test(test_detach),
		cmocka_unit_test(test_reset),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
