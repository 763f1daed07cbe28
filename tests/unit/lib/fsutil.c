/*
 * tests/unit/lib/fsutil.c — durable file steps: a copy never overwrites and
 * leaves nothing behind when it fails, a rename replaces, and the lock file
 * lets shared holders in together but keeps an exclusive one out (and the
 * other way round) until the holder lets go.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/err.h"
#include "lib/file.h"
#include "lib/fsutil.h"

static char dir[64];

static const char *at(const char *name)
{
	static char paths[4][128];
	static int next;
	char *p = paths[next++ % 4];

	snprintf(p, 128, "%s/%s", dir, name);
	return p;
}

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void assert_content(const char *path, const char *text)
{
	struct err e = { 0 };
	char *d;

	assert_int_equal(file_read(path, 1 << 20, &d, NULL, &e), 0);
	assert_string_equal(d, text);
	free(d);
}

static int setup(void **state)
{
	snprintf(dir, sizeof(dir), "/tmp/itsm-fsutil-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	const char *names[] = { "a", "b", "c", "lock" };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		unlink(at(names[i]));
	return rmdir(dir);
}

static void test_copy_never_overwrites(void **state)
{
	struct err e = { 0 };

	put(at("a"), "first");
	assert_int_equal(fs_copy(at("a"), at("b"), &e), 0);
	assert_content(at("b"), "first");
	put(at("a"), "second");
	assert_int_equal(fs_copy(at("a"), at("b"), &e), ERR_CONFLICT);
	assert_non_null(strstr(e.msg, "file exists"));
	assert_content(at("b"), "first");
	assert_int_equal(fs_copy(at("missing"), at("c"), &e), ERR_NOT_FOUND);
	assert_int_equal(fs_exists(at("c")), 0);
}

static void test_rename_replaces(void **state)
{
	struct err e = { 0 };

	put(at("a"), "new");
	put(at("b"), "old");
	assert_int_equal(fs_rename(at("a"), at("b"), &e), 0);
	assert_content(at("b"), "new");
	assert_int_equal(fs_exists(at("a")), 0);
	assert_int_equal(fs_remove(at("a"), &e), 0); /* not there: no error */
}

static void test_lock_shared_and_exclusive(void **state)
{
	struct err e = { 0 };
	int s1, s2, x;

	assert_int_equal(fs_lock(at("lock"), 0, &s1, &e), 0);
	assert_int_equal(fs_lock(at("lock"), 0, &s2, &e), 0); /* two servers may */
	assert_int_equal(fs_lock(at("lock"), 1, &x, &e), ERR_CONFLICT);
	assert_int_equal(x, -1);
	fs_unlock(s1);
	assert_int_equal(fs_lock(at("lock"), 1, &x, &e), ERR_CONFLICT);
	fs_unlock(s2);
	assert_int_equal(fs_lock(at("lock"), 1, &x, &e), 0);
	assert_int_equal(fs_lock(at("lock"), 0, &s1, &e), ERR_CONFLICT);
	fs_unlock(x);
	assert_int_equal(fs_lock(at("lock"), 0, &s1, &e), 0);
	fs_unlock(s1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_copy_never_overwrites),
		cmocka_unit_test(test_rename_replaces),
		cmocka_unit_test(test_lock_shared_and_exclusive),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
