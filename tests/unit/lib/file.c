/*
 * tests/unit/lib/file.c — reading a whole file: a missing file, an empty one,
 * one over the cap (refused, nothing handed out) and one exactly at it, a
 * normal file byte for byte, a directory, and standard input ("-") as a pipe,
 * which has no size to check beforehand.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/err.h"
#include "lib/file.h"

static char dir[] = "/tmp/itsm-file-test-XXXXXX";

/* A file in the test's directory holding n bytes of data; returns its path. */
static const char *put(const char *name, const void *data, size_t n)
{
	static char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
	return path;
}

/* A poisoned out and len, to prove a refusal resets them. */
#define POISON(out, len) ((out) = (char *)"stale", (len) = 99)

static void test_missing(void **state)
{
	struct err e = { 0 };
	char path[256], *out;
	size_t len;

	snprintf(path, sizeof(path), "%s/no-such-file.json", dir);
	POISON(out, len);
	assert_int_equal(file_read(path, 1024, &out, &len, &e), ERR_NOT_FOUND);
	assert_null(out);
	assert_int_equal(len, 0);
	assert_int_equal(e.code, ERR_NOT_FOUND);
	assert_non_null(strstr(e.msg, path));
	assert_non_null(strstr(e.msg, "cannot open"));
	assert_non_null(strstr(e.msg, "no such file"));
	/* a NULL error is allowed: only the code comes back */
	assert_int_equal(file_read(path, 1024, &out, NULL, NULL), ERR_NOT_FOUND);
	assert_null(out);
}

static void test_empty(void **state)
{
	const char *path = put("empty", "", 0);
	struct err e = { 0 };
	char *out;
	size_t len;

	POISON(out, len);
	assert_int_equal(file_read(path, 1024, &out, &len, &e), 0);
	assert_non_null(out);
	assert_int_equal(len, 0);
	assert_string_equal(out, "");
	free(out);
	/* an empty file fits even a cap of 0 */
	assert_int_equal(file_read(path, 0, &out, &len, &e), 0);
	assert_string_equal(out, "");
	free(out);
}

static void test_cap(void **state)
{
	const char *path = put("ten", "0123456789", 10);
	struct err e = { 0 };
	char *out;
	size_t len;

	POISON(out, len);
	assert_int_equal(file_read(path, 9, &out, &len, &e), ERR_TOO_LARGE);
	assert_null(out);
	assert_int_equal(len, 0);
	assert_int_equal(e.code, ERR_TOO_LARGE);
	assert_non_null(strstr(e.msg, path));
	assert_non_null(strstr(e.msg, "9 bytes"));
	assert_int_equal(file_read(path, 0, &out, &len, &e), ERR_TOO_LARGE);
	assert_null(out);
	/* exactly at the cap is fine */
	assert_int_equal(file_read(path, 10, &out, &len, &e), 0);
	assert_int_equal(len, 10);
	assert_string_equal(out, "0123456789");
	free(out);
}

static void test_normal(void **state)
{
	static const char text[] = "{\"name\": \"office\"}\nline two\0after a NUL\n";
	size_t big_n = 300000; /* several times the first read's chunk */
	char *big = malloc(big_n), *out;
	const char *path;
	struct err e = { 0 };
	size_t len;

	path = put("doc.json", text, sizeof(text) - 1);
	assert_int_equal(file_read(path, 1 << 20, &out, &len, &e), 0);
	assert_int_equal(len, sizeof(text) - 1);
	assert_memory_equal(out, text, sizeof(text) - 1);
	assert_int_equal(out[len], '\0');
	free(out);
	/* len may be NULL */
	assert_int_equal(file_read(path, 1 << 20, &out, NULL, &e), 0);
	assert_string_equal(out, "{\"name\": \"office\"}\nline two");
	free(out);

	assert_non_null(big);
	for (size_t i = 0; i < big_n; i++)
		big[i] = (char)('a' + i % 26);
	path = put("big", big, big_n);
	assert_int_equal(file_read(path, big_n, &out, &len, &e), 0);
	assert_int_equal(len, big_n);
	assert_memory_equal(out, big, big_n);
	assert_int_equal(out[len], '\0');
	free(out);
	free(big);
}

static void test_directory(void **state)
{
	struct err e = { 0 };
	char *out;
	size_t len;

	POISON(out, len);
	assert_int_equal(file_read(dir, 1024, &out, &len, &e), ERR_INVALID);
	assert_null(out);
	assert_int_equal(len, 0);
	assert_non_null(strstr(e.msg, dir));
}

/* Standard input replaced by a pipe a child fills with n bytes of 'x'. */
static pid_t stdin_from_pipe(size_t n)
{
	int fds[2];
	pid_t pid;

	assert_int_equal(pipe(fds), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		char chunk[4096];

		memset(chunk, 'x', sizeof(chunk));
		close(fds[0]);
		while (n) {
			size_t k = n < sizeof(chunk) ? n : sizeof(chunk);
			ssize_t w = write(fds[1], chunk, k);

			if (w <= 0)
				_exit(0); /* the reader stopped at its cap */
			n -= (size_t)w;
		}
		_exit(0);
	}
	close(fds[1]);
	assert_int_equal(dup2(fds[0], STDIN_FILENO), STDIN_FILENO);
	close(fds[0]);
	clearerr(stdin);
	return pid;
}

static void test_stdin_pipe(void **state)
{
	struct err e = { 0 };
	char *out;
	size_t len;
	pid_t pid;

	/* a pipe has no size: the cap is found while reading */
	pid = stdin_from_pipe(200000);
	assert_int_equal(file_read("-", 200000, &out, &len, &e), 0);
	assert_int_equal(len, 200000);
	assert_int_equal(out[0], 'x');
	assert_int_equal(out[len - 1], 'x');
	assert_int_equal(out[len], '\0');
	free(out);
	assert_int_equal(waitpid(pid, NULL, 0), pid);

	pid = stdin_from_pipe(200001);
	assert_int_equal(file_read("-", 200000, &out, &len, &e), ERR_TOO_LARGE);
	assert_null(out);
	assert_non_null(strstr(e.msg, "'-'"));
	close(STDIN_FILENO); /* lets the writer finish */
	assert_int_equal(waitpid(pid, NULL, 0), pid);
}

static int setup(void **state)
{
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	static const char *const names[] = { "empty", "ten", "doc.json", "big" };
	char path[256];

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		unlink(path);
	}
	return rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_missing),	  cmocka_unit_test(test_empty),
		cmocka_unit_test(test_cap),	  cmocka_unit_test(test_normal),
		cmocka_unit_test(test_directory), cmocka_unit_test(test_stdin_pipe),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
