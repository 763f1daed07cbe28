/*
 * tests/unit/domain/platform/backup.c — the backup's rules without a
 * server: the interval's spellings, a backup that verifies and names its
 * count and head, no overwrite without force and never the store itself,
 * a restore refused while the store is held and done once it is not,
 * keeping the replaced store.
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

#include "domain/platform/audit.h"
#include "domain/platform/backup.h"
#include "lib/err.h"
#include "lib/fsutil.h"
#include "lib/log.h"
#include "store/store.h"

static char dir[64];

static void path(char *out, const char *name)
{
	snprintf(out, 128, "%s/%s", dir, name);
}

static void test_interval(void **state)
{
	static const struct {
		const char *text;
		int64_t seconds; /* -1: refused */
	} cases[] = {
		{ "24h", 86400 }, { "30m", 1800 }, { "2s", 2 }, { "7d", 604800 }, { "90", 90 },
		{ "0", 0 },	  { "", -1 },	   { "h", -1 }, { "-1s", -1 },	 { "2w", -1 },
		{ "2hh", -1 },	  { " 2h", -1 },   { "1.5h", -1 },
	};
	struct err e = { 0 };
	int64_t s;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc = backup_interval_parse(cases[i].text, &s, &e);

		if (cases[i].seconds < 0) {
			assert_int_equal(rc, ERR_INVALID);
			assert_non_null(strstr(e.msg, "backup.interval"));
		} else {
			assert_int_equal(rc, 0);
			assert_int_equal(s, cases[i].seconds);
		}
	}
}

static void test_backup_and_restore(void **state)
{
	char db[128], copy[128], kept[1024], lock[128];
	struct backup_result r, back, other;
	struct audit_result res;
	struct err e = { 0 };
	struct store *st;
	int held;

	path(db, "store.db");
	path(copy, "copy.db");
	st = store_open(db, 0, &e);
	assert_non_null(st);
	assert_int_equal(backup_write(st, copy, 0, &r, &e), 0);
	assert_int_equal(r.tickets, 0);
	assert_int_equal(audit_verify(st, &res, &e), 0);
	assert_string_equal(r.head, res.head);
	assert_true(fs_exists(copy));
	assert_int_equal(backup_write(st, copy, 0, &r, &e), ERR_CONFLICT);
	assert_non_null(strstr(e.msg, "--force"));
	assert_int_equal(backup_write(st, copy, 1, &r, &e), 0);
	assert_int_equal(backup_write(st, db, 1, &other, &e), ERR_INVALID); /* the store itself */
	store_close(st);

	/* held as serve holds it: refused, nothing replaced or left behind */
	assert_int_equal(backup_hold_store(db, &held, &e), 0);
	assert_int_equal(backup_restore(db, copy, &back, &e), ERR_CONFLICT);
	assert_non_null(strstr(e.msg, "a server holds the store"));
	assert_string_equal(back.kept, "");
	backup_release_store(held);

	assert_int_equal(backup_restore(db, copy, &back, &e), 0);
	assert_string_equal(back.head, r.head);
	assert_non_null(strstr(back.kept, "store.db.before-restore-"));
	assert_true(fs_exists(back.kept));
	snprintf(kept, sizeof(kept), "%s", back.kept);
	unlink(kept);
	path(lock, "store.db.lock");
	unlink(lock);
	unlink(copy);
	unlink(db);
}

static int setup(void **state)
{
	log_threshold = LOG_ERROR;
	snprintf(dir, sizeof(dir), "/tmp/itsm-backup-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	return rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_interval),
		cmocka_unit_test(test_backup_and_restore),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
