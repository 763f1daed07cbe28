/*
 * tests/unit/store/errors.c — a failing store never reads as "absent".
 *
 * A full disk (the writer held to its page count with max_page_count) is
 * ERR_FULL, 507; a table whose pages are garbage makes every read of it an
 * error — a get is not "not found", a list is not empty, a count is not
 * zero; and the error comes back the same through the domain. Includes
 * the SQLite driver to reach the writer's connection.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/db_sqlite.c"
#include "store/sql.h"

#include "domain/desk/ticket.h"
#include "domain/platform/actor.h"
#include "domain/platform/customer.h"
#include "domain/platform/user.h"
#include "domain/sla/sla.h"
#include "lib/log.h"

struct fx {
	char dir[64];
	char path[96];
	struct store *st;
	struct actor sys;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct err e;

	snprintf(f->dir, sizeof(f->dir), "/tmp/itsm-store-errors-XXXXXX");
	if (!f || !mkdtemp(f->dir))
		return -1;
	snprintf(f->path, sizeof(f->path), "%s/itsm.db", f->dir);
	if (!(f->st = store_open(f->path, 0, &e)))
		return -1;
	actor_system(&f->sys, "test");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	static const char *const suffixes[] = { "", "-wal", "-shm" };
	char p[128];

	store_close(f->st);
	for (size_t i = 0; i < 3; i++) {
		snprintf(p, sizeof(p), "%s%s", f->path, suffixes[i]);
		unlink(p);
	}
	rmdir(f->dir);
	free(f);
	return 0;
}

static void add_customer(struct fx *f, const char *key, const char *name)
{
	json_t *in = json_pack("{s:s, s:s}", "key", key, "name", name), *out = NULL;
	struct err e;

	if (customer_add(f->st, &f->sys, in, &out, &e))
		fail_msg("customer %s: %s", key, e.msg);
	json_decref(in);
	json_decref(out);
}

static int64_t pragma(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *s;
	int64_t v = -1;

	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

/* The writer may not grow the file: the next write that needs a page is
 * SQLITE_FULL, which the API answers 507 insufficient_storage. */
static void test_full_disk_is_507(void **state)
{
	struct fx *f = *state;
	sqlite3 *w = L(sq_main(f->st))->db;
	const char *name = "a customer whose name takes some room in a page of the file";
	char sql[64];
	json_t *in, *out = NULL;
	struct err e;
	int rc;

	add_customer(f, "acme", "Acme");
	snprintf(sql, sizeof(sql), "PRAGMA max_page_count=%lld",
		 (long long)pragma(w, "PRAGMA page_count"));
	pragma(w, sql);
	/* customers until one needs a page the file may not have */
	rc = 0;
	for (int i = 0; i < 10000 && !rc; i++) {
		char key[32];

		snprintf(key, sizeof(key), "c%d", i);
		in = json_pack("{s:s, s:s}", "key", key, "name", name);
		err_clear(&e);
		rc = customer_add(f->st, &f->sys, in, &out, &e);
		json_decref(in);
		json_decref(out);
		out = NULL;
	}
	assert_int_equal(rc, ERR_FULL);
	assert_int_equal(e.code, ERR_FULL);
	assert_int_equal(err_http_status(rc), 507);
	assert_string_equal(err_code_name(rc), "insufficient_storage");
	assert_null(out);
	/* nothing of the refused write is stored, and the store goes on */
	pragma(w, "PRAGMA max_page_count=1073741823");
	in = json_pack("{s:s, s:s}", "key", "globex", "name", "Globex");
	rc = customer_add(f->st, &f->sys, in, &out, &e);
	json_decref(in);
	json_decref(out);
	assert_int_equal(rc, 0);
}

/* Overwrite every page of table and its indexes with garbage, behind the
 * store. */
static void corrupt(struct fx *f, const char *table)
{
	sqlite3 *db;
	sqlite3_stmt *s;
	int64_t size;
	char *junk;
	int fd;

	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL),
			 SQLITE_OK);
	size = pragma(db, "PRAGMA page_size");
	junk = malloc((size_t)size);
	memset(junk, 0xa5, (size_t)size);
	assert_int_equal(sqlite3_prepare_v2(db,
					    "SELECT pageno FROM dbstat WHERE name IN "
					    "(SELECT name FROM sqlite_master WHERE tbl_name = ?1)",
					    -1, &s, NULL),
			 SQLITE_OK);
	sqlite3_bind_text(s, 1, table, -1, SQLITE_STATIC);
	fd = open(f->path, O_WRONLY);
	assert_true(fd >= 0);
	while (sqlite3_step(s) == SQLITE_ROW) {
		off_t at = (off_t)(sqlite3_column_int64(s, 0) - 1) * size;

		assert_int_equal(pwrite(fd, junk, (size_t)size, at), size);
	}
	close(fd);
	sqlite3_finalize(s);
	sqlite3_close(db);
	free(junk);
}

static void test_unreadable_table_is_an_error(void **state)
{
	struct fx *f = *state;
	struct customer cu, *cs = NULL;
	struct user *us = NULL;
	json_t *out = NULL;
	size_t n = 7;
	int64_t count = 7;
	struct err e;
	int rc;

	add_customer(f, "acme", "Acme");
	add_customer(f, "globex", "Globex");
	store_close(f->st);
	corrupt(f, "customers");
	corrupt(f, "users");
	assert_non_null(f->st = store_open(f->path, 0, &e));

	err_clear(&e);
	rc = f->st->ops->customer_get(f->st, NULL, 0, "acme", &cu, &e);
	assert_true(rc < 0);
	assert_int_not_equal(rc, ERR_NOT_FOUND);
	assert_int_equal(rc, e.code);
	assert_int_equal(err_http_status(rc), 500);

	rc = f->st->ops->customer_list(f->st, &cs, &n, &e);
	assert_int_equal(rc, ERR_INTERNAL);
	assert_null(cs);
	assert_int_equal(n, 0);

	rc = f->st->ops->user_list(f->st, &us, &n, &e);
	assert_int_equal(rc, ERR_INTERNAL);
	rc = f->st->ops->user_count(f->st, &count, &e);
	assert_int_equal(rc, ERR_INTERNAL);

	/* through the domain: an unknown customer would be 400, this is 500 */
	err_clear(&e);
	rc = customer_list_json(f->st, &f->sys, NULL, &out, &e);
	assert_int_equal(rc, ERR_INTERNAL);
	assert_null(out);
}

/* A ticket's SLA clock read that fails is an error, not "no SLA". */
static void test_unreadable_clock_is_an_error(void **state)
{
	struct fx *f = *state;
	json_t *in, *out = NULL;
	struct ticket t;
	struct err e;
	int rc;

	in = json_pack("{s:s, s:s, s:i, s:i}", "kind", "incident", "title", "down", "impact", 2,
		       "urgency", 2);
	rc = ticket_create(f->st, &f->sys, in, &out, &e);
	json_decref(in);
	json_decref(out);
	assert_int_equal(rc, 0);
	store_close(f->st);
	corrupt(f, "ticket_sla");
	assert_non_null(f->st = store_open(f->path, 0, &e));
	assert_int_equal(f->st->ops->ticket_get(f->st, NULL, "INC-1", &t, &e), 0);
	out = NULL;
	rc = ticket_sla_json(f->st, NULL, &t, &out, &e);
	ticket_release(&t);
	assert_int_equal(rc, ERR_INTERNAL);
	json_decref(out);
	out = NULL;
	rc = ticket_get_json(f->st, &f->sys, "INC-1", &out, &e);
	assert_int_equal(rc, ERR_INTERNAL);
	assert_null(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_full_disk_is_507, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unreadable_table_is_an_error, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_unreadable_clock_is_an_error, setup,
						teardown),
	};

	if (sodium_init() < 0)
		return 1;
	log_threshold = LOG_OFF;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
