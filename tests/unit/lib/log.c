/*
 * tests/unit/lib/log.c — log_value: plain words stay bare; anything that
 * could end a line, start a field or drive a terminal is quoted and
 * escaped; what it writes is valid UTF-8 without a control character; a
 * long value is cut at a character and still ends its quotes. The server's
 * buffering: info lines wait, a warning writes them first, a full buffer
 * and the flusher write them, a stop leaves nothing behind, and lines from
 * several threads all arrive whole, each once, in each thread's order.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "lib/err.h"
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

/* stderr sent to a fresh file for a test; its text read back. */
static int saved_stderr = -1;
static char log_path[64];

static void capture(void)
{
	int fd;

	snprintf(log_path, sizeof(log_path), "/tmp/itsm-log-test-XXXXXX");
	assert_true((fd = mkstemp(log_path)) >= 0);
	saved_stderr = dup(STDERR_FILENO);
	assert_true(dup2(fd, STDERR_FILENO) >= 0);
	close(fd);
}

static char *captured(void)
{
	FILE *f = fopen(log_path, "r");
	char *text;
	long n;

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	text = calloc(1, (size_t)n + 1);
	assert_int_equal(fread(text, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	return text;
}

static void release(void)
{
	dup2(saved_stderr, STDERR_FILENO);
	close(saved_stderr);
	unlink(log_path);
}

static int count(const char *text, const char *needle)
{
	int n = 0;

	for (const char *p = text; (p = strstr(p, needle)); p++)
		n++;
	return n;
}

static void test_buffered(void **state)
{
	struct err e = { 0 };
	char *text;

	capture();
	log_threshold = LOG_INFO;
	assert_int_equal(log_buffer_start(3600, &e), 0); /* no tick in the test */
	log_info("msg=one");
	log_info("msg=two");
	text = captured();
	assert_string_equal(text, ""); /* waiting in the buffer */
	free(text);
	log_warn("msg=three");
	text = captured();
	/* the warning wrote the two before it, then itself */
	assert_non_null(strstr(text, "level=info msg=one\n"));
	assert_true(strstr(text, "msg=one") < strstr(text, "msg=two"));
	assert_true(strstr(text, "msg=two") < strstr(text, "msg=three"));
	assert_int_equal(count(text, "\n"), 3);
	free(text);
	log_info("msg=four");
	log_buffer_stop();
	text = captured();
	assert_non_null(strstr(text, "msg=four\n")); /* the stop left nothing */
	free(text);
	log_info("msg=five"); /* one by one again */
	text = captured();
	assert_non_null(strstr(text, "msg=five\n"));
	free(text);
	release();
}

static void test_full_and_flusher(void **state)
{
	struct err e = { 0 };
	struct timespec nap = { 0, 10 * 1000 * 1000 };
	char *text;
	int i;

	capture();
	assert_int_equal(log_buffer_start(3600, &e), 0); /* no tick in the test */
	/* 1,000 lines of ~90 bytes pass the 32 KB buffer: the first ones
	 * are written before any flush, none is lost. */
	for (i = 0; i < 1000; i++)
		log_info("msg=fill n=%04d pad=%040d", i, 0);
	text = captured();
	assert_true(count(text, "msg=fill") >= 300);
	assert_non_null(strstr(text, "n=0000 "));
	free(text);
	log_buffer_stop();
	/* the flusher writes a lone line without anything else happening */
	assert_int_equal(log_buffer_start(LOG_FLUSH_S, &e), 0);
	log_info("msg=lonely");
	for (i = 0; i < 500; i++) {
		text = captured();
		if (strstr(text, "msg=lonely"))
			break;
		free(text);
		nanosleep(&nap, NULL);
	}
	assert_true(i < 500);
	assert_int_equal(count(text, "msg=fill"), 1000);
	free(text);
	log_buffer_stop();
	release();
}

#define THREADS 4
#define LINES 3000

static void *writer(void *arg)
{
	int t = (int)(intptr_t)arg;

	for (int i = 0; i < LINES; i++)
		if (i % 500 == 499)
			log_warn("msg=mt t=%d i=%04d", t, i);
		else
			log_info("msg=mt t=%d i=%04d", t, i);
	return NULL;
}

static void test_threads(void **state)
{
	pthread_t th[THREADS];
	struct err e = { 0 };
	char *text, *line, *save = NULL;
	int next[THREADS] = { 0 }, total = 0;

	capture();
	assert_int_equal(log_buffer_start(LOG_FLUSH_S, &e), 0);
	for (int t = 0; t < THREADS; t++)
		assert_int_equal(pthread_create(&th[t], NULL, writer, (void *)(intptr_t)t), 0);
	for (int t = 0; t < THREADS; t++)
		pthread_join(th[t], NULL);
	log_buffer_stop();
	text = captured();
	/* every line whole, each thread's in its order, none twice or lost */
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		int t, i;
		const char *m = strstr(line, " msg=mt ");

		assert_non_null(m);
		assert_int_equal(sscanf(m, " msg=mt t=%d i=%d", &t, &i), 2);
		assert_true(t >= 0 && t < THREADS);
		assert_int_equal(i, next[t]);
		next[t]++;
		total++;
	}
	assert_int_equal(total, THREADS * LINES);
	free(text);
	release();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bare),
		cmocka_unit_test(test_quoted),
		cmocka_unit_test(test_cut),
		cmocka_unit_test(test_any_bytes),
		cmocka_unit_test(test_buffered),
		cmocka_unit_test(test_full_and_flusher),
		cmocka_unit_test(test_threads),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
