/*
 * db.c — what every engine shares above its driver: the one way rows are
 * stepped and read (db_next, db_one, db_all, db_scan, db_each, db_json),
 * read transactions, and the migrations.
 *
 * Invariants: a list is whole or an error, never short; a value a driver
 * could not read for want of memory fails the read of its row.
 */
#include "store/db.h"
#include "lib/embedded.h"
#include "lib/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct db_driver *db_driver_for(const char *uri)
{
	if (!strncmp(uri, "postgres://", 11) || !strncmp(uri, "postgresql://", 13) ||
	    strstr(uri, "dbname=") || strstr(uri, "host="))
		return &db_pg;
	return &db_sqlite;
}

void *db_grow(void **arr, size_t *n, size_t *cap, size_t size)
{
	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 16;
		void *p = realloc(*arr, nc * size);

		if (!p)
			return NULL;
		*arr = p;
		*cap = nc;
	}
	memset((char *)*arr + *n * size, 0, size);
	return (char *)*arr + (*n)++ * size;
}

void db_text(struct db_stmt *s, int col, char *out, size_t n)
{
	const char *t = db_cstr(s, col);

	snprintf(out, n, "%s", t ? t : "");
}

int db_dup(struct db_stmt *s, int col, char **out)
{
	const char *t = db_cstr(s, col);

	*out = t ? strdup(t) : NULL;
	return t && !*out ? ERR_INTERNAL : 0;
}

int db_blob(struct db_stmt *s, int col, void *out, size_t n)
{
	size_t len = 0;
	const void *p = s->c->drv->col_blob(s, col, &len);

	if (!p || len != n)
		return 0;
	memcpy(out, p, n);
	return 1;
}

int db_conflict_is(const struct err *e, const char *table, const char *column)
{
	char lite[128], pg[128];

	snprintf(lite, sizeof(lite), "%s.%s", table, column);
	snprintf(pg, sizeof(pg), "\"%s_%s_key\"", table, column);
	return e->code == ERR_CONFLICT && (strstr(e->msg, lite) || strstr(e->msg, pg));
}

int db_next(struct db_stmt *s, struct err *e)
{
	int rc = s->c->drv->step(s, e);

	if (rc == 1)
		return 1;
	db_reset(s);
	return rc;
}

int db_done(struct db_stmt *s, const char *field, const char *conflict, struct err *e)
{
	int rc;

	while ((rc = s->c->drv->step(s, e)) == 1)
		;
	db_reset(s);
	if (rc == ERR_CONFLICT && conflict)
		rc = err_set(e, ERR_CONFLICT, field, "%s", conflict);
	return rc;
}

int db_done_later(struct db_stmt *s, struct err *e)
{
	if (!s->c->drv->step_later)
		return db_done(s, NULL, NULL, e);
	return s->c->drv->step_later(s, e);
}

int db_exec_later(struct db *c, const char *sql, struct err *e)
{
	return c->drv->exec_later ? c->drv->exec_later(c, sql, e) : db_exec(c, sql, e);
}

int db_insert(struct db_stmt *s, const char *field, const char *conflict, int64_t *id,
	      struct err *e)
{
	int rc = s->c->drv->step(s, e);

	if (rc == 1) {
		*id = db_int(s, 0);
		/* RETURNING hands the row out first; the insert is complete
		 * only when the statement is stepped to its end. */
		return db_done(s, field, conflict, e);
	}
	db_reset(s);
	if (rc == ERR_CONFLICT && conflict)
		return err_set(e, ERR_CONFLICT, field, "%s", conflict);
	return rc ? rc : err_set(e, ERR_INTERNAL, NULL, "store: an insert returned no id");
}

int db_done_versioned(struct db_stmt *s, struct err *e, const char *what_fmt, ...)
{
	char what[160];
	va_list ap;
	int rc = db_done(s, NULL, NULL, e);

	if (rc || db_changes(s) == 1)
		return rc;
	va_start(ap, what_fmt);
	vsnprintf(what, sizeof(what), what_fmt, ap);
	va_end(ap);
	return err_set(e, ERR_CONFLICT, "version", "%s was changed meanwhile", what);
}

/* Read the row s is on into item. A value the driver could not read for
 * want of memory fails the read as surely as our own allocations. On
 * failure the item is released and s reset. */
static int read_row(struct db_stmt *s, const struct db_kind *k, void *item, struct err *e)
{
	int rc = k->read(s, item);

	if (rc >= 0 && s->c->drv->row_failed(s->c))
		rc = ERR_INTERNAL;
	if (rc > 0 && k->release)
		k->release(item);
	if (rc < 0) {
		if (k->release)
			k->release(item);
		db_reset(s);
		return err_set(e, rc, NULL, "store: cannot read a row: out of memory");
	}
	return rc;
}

int db_one(struct db_stmt *s, const struct db_kind *k, void *item, struct err *e)
{
	int rc = db_next(s, e);

	if (rc <= 0)
		return rc ? rc : ERR_NOT_FOUND;
	if ((rc = read_row(s, k, item, e)) < 0)
		return rc;
	db_reset(s);
	return rc ? ERR_NOT_FOUND : 0;
}

int db_one_by(struct db *c, const char *by_key, const char *by_id, const char *key, int64_t id,
	      const struct db_kind *k, void *item, struct err *e)
{
	struct db_stmt *s = db_stmt(c, key ? by_key : by_id, e);

	if (!s)
		return ERR_INTERNAL;
	if (key)
		db_bind_str(s, 1, key);
	else
		db_bind_int(s, 1, id);
	return db_one(s, k, item, e);
}

int db_all(struct db_stmt *s, const struct db_kind *k, size_t limit, void **items, size_t *n,
	   int *more, struct err *e)
{
	size_t cap = 0;
	int rc;

	*items = NULL;
	*n = 0;
	if (more)
		*more = 0;
	while ((rc = db_next(s, e)) > 0) {
		void *item;

		if (limit && *n == limit) {
			if (more)
				*more = 1;
			db_reset(s);
			return 0;
		}
		if (!(item = db_grow(items, n, &cap, k->size))) {
			db_reset(s);
			rc = err_set(e, ERR_INTERNAL, NULL, "out of memory");
			break;
		}
		if ((rc = read_row(s, k, item, e)) < 0)
			break;
		if (rc > 0)
			(*n)--;
	}
	if (!rc)
		return 0;
	for (size_t i = 0; k->release && i < *n; i++)
		k->release((char *)*items + i * k->size);
	free(*items);
	*items = NULL;
	*n = 0;
	return rc;
}

int db_scan(struct db_stmt *s, const struct db_kind *k, db_use_fn use, void *ctx, struct err *e)
{
	void *item = calloc(1, k->size);
	int rc;

	if (!item) {
		db_reset(s);
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	}
	while ((rc = db_next(s, e)) > 0) {
		if ((rc = read_row(s, k, item, e)) < 0)
			break;
		if (rc > 0) { /* passed over (and released) */
			memset(item, 0, k->size);
			continue;
		}
		rc = use(item, ctx);
		if (k->release)
			k->release(item);
		memset(item, 0, k->size);
		if (rc) {
			db_reset(s);
			break;
		}
	}
	free(item);
	return rc > 0 ? 0 : rc;
}

int db_scan_whole(struct db_stmt *s, const struct db_kind *k, db_use_fn use, void *ctx,
		  struct err *e)
{
	int rc, own;

	if ((rc = db_read_begin(s->c, &own, e))) {
		db_reset(s);
		return rc;
	}
	rc = db_scan(s, k, use, ctx, e);
	db_read_end(s->c, own);
	return rc;
}

int db_each(struct db_stmt *s, db_row_fn fn, void *ctx, struct err *e)
{
	int rc;

	while ((rc = db_next(s, e)) > 0) {
		rc = fn(s, ctx);
		if (!rc && s->c->drv->row_failed(s->c))
			rc = err_set(e, ERR_INTERNAL, NULL, "store: cannot read a row: out of memory");
		if (rc) {
			db_reset(s);
			break;
		}
	}
	return rc > 0 ? 0 : rc;
}

int db_json(struct db_stmt *s, db_json_fn row, json_t **out, struct err *e)
{
	json_t *a = json_array();
	int rc;

	*out = NULL;
	if (!a) {
		db_reset(s);
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	}
	while ((rc = db_next(s, e)) > 0) {
		json_t *j = row(s);

		if (j && s->c->drv->row_failed(s->c)) {
			json_decref(j);
			j = NULL;
		}
		if (!j || json_array_append_new(a, j)) {
			db_reset(s);
			rc = err_set(e, ERR_INTERNAL, NULL, "store: cannot read a row: out of memory");
			break;
		}
	}
	if (rc) {
		json_decref(a);
		return rc;
	}
	*out = a;
	return 0;
}

static int read_int64(struct db_stmt *s, void *item)
{
	*(int64_t *)item = db_int(s, 0);
	return 0;
}

const struct db_kind db_int64 = { sizeof(int64_t), read_int64, NULL };

int db_read_begin(struct db *c, int *own, struct err *e)
{
	int rc;

	*own = c->drv->tx_state(c) == DB_TX_NONE;
	if (!*own)
		return 0;
	if ((rc = db_exec(c, c->drv->begin_read, e))) {
		*own = 0;
		if (c->drv->tx_state(c) != DB_TX_NONE) /* BEGIN ran, the read did not */
			db_exec(c, "ROLLBACK", NULL);
	}
	return rc;
}

/* A read transaction left open would hold this thread's connection on an
 * old state for good: when COMMIT fails, roll back. */
void db_read_end(struct db *c, int own)
{
	struct err e;

	if (!own || c->drv->tx_state(c) == DB_TX_NONE)
		return;
	if (db_exec(c, "COMMIT", &e) && db_exec(c, "ROLLBACK", &e))
		log_error("msg=\"cannot end a read transaction\" err=%s", LOG_STR(e.msg));
}

int db_schema_latest(void)
{
	int latest = 0;

	for (const struct embedded *m = sql_migrations; m->path; m++)
		if (atoi(m->path + 1) > latest)
			latest = atoi(m->path + 1);
	return latest;
}

char *db_migration_for(const char *sql, const char *engine)
{
	static const char mark[] = "-- for engine: ";
	size_t n = strlen(sql);
	char *out = malloc(n + 1);
	int keep = 1;

	if (!out)
		return NULL;
	for (size_t i = 0; i < n;) {
		size_t len = strcspn(sql + i, "\n");

		if (!strncmp(sql + i, mark, sizeof(mark) - 1)) {
			const char *w = sql + i + sizeof(mark) - 1;
			size_t wl = len - (sizeof(mark) - 1);

			keep = (wl == 3 && !strncmp(w, "all", 3)) ||
			       (wl == strlen(engine) && !strncmp(w, engine, wl));
		}
		/* A line of another engine's part is blanked, not removed, so
		 * an error's line number still points into the file. */
		for (size_t j = 0; j < len; j++)
			out[i + j] = keep ? sql[i + j] : ' ';
		i += len;
		if (i < n)
			out[i++] = '\n';
	}
	out[n] = '\0';
	return out;
}

/* Apply migration m (number n) unless another process did while we waited. */
static int migrate_one(struct db *c, const struct embedded *m, int n, struct err *e)
{
	char *sql;
	int version, rc;

	if ((rc = db_exec(c, c->drv->begin_write, e)))
		return rc;
	if ((rc = c->drv->schema_get(c, &version, e)))
		goto fail;
	if (version >= n)
		return db_exec(c, "COMMIT", e);
	if (!(sql = db_migration_for((const char *)m->data, c->drv->name))) {
		rc = err_set(e, ERR_INTERNAL, NULL, "out of memory");
		goto fail;
	}
	rc = c->drv->migrate(c, sql, e);
	free(sql);
	if (rc || (rc = c->drv->schema_set(c, n, e))) {
		char why[sizeof(e->msg)];

		snprintf(why, sizeof(why), "%s", e->msg);
		rc = err_set(e, rc, NULL, "migration %s failed: %s", m->path + 1, why);
		goto fail;
	}
	if ((rc = db_exec(c, "COMMIT", e)))
		goto fail;
	log_info("msg=\"migrated store\" migration=%s", LOG_STR(m->path + 1));
	return 0;
fail:
	db_exec(c, "ROLLBACK", NULL);
	return rc;
}

/* A schema newer than this binary: refused. */
static int too_new(int version, int latest, struct err *e)
{
	return err_set(e, ERR_INVALID, NULL,
		       "the store's schema is %d, newer than this itsm knows (%d): run the itsm "
		       "that migrated it, or a newer one",
		       version, latest);
}

int db_migrate(struct db *c, struct err *e)
{
	int version, latest = db_schema_latest(), rc;

	/* The common case, every open of a current store, takes no lock. */
	if ((rc = c->drv->schema_get(c, &version, e)))
		return rc;
	if (version > latest)
		return too_new(version, latest, e);
	if (version == latest)
		return 0;
	if ((rc = c->drv->migrate_lock(c, 1, e)))
		return rc;
	if ((rc = c->drv->schema_get(c, &version, e)))
		goto out;
	if (version > latest) {
		rc = too_new(version, latest, e);
		goto out;
	}
	for (const struct embedded *m = sql_migrations; m->path && !rc; m++) {
		int n = atoi(m->path + 1);

		if (n <= 0)
			rc = err_set(e, ERR_INTERNAL, NULL, "migration %s has no number", m->path);
		else if (n > version)
			rc = migrate_one(c, m, n, e);
	}
out:
	c->drv->migrate_lock(c, 0, NULL);
	return rc;
}
