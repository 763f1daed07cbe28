/*
 * db_sqlite.c — the SQLite driver of the database layer (db.h): a file on
 * disk, WAL mode with synchronous=FULL (a COMMIT returns after the WAL is
 * fsynced, so a write acknowledged to a client survives a crash), foreign
 * keys on, and statements prepared once per connection.
 *
 * SQLite runs the shared SQL as written; for PostgreSQL's sake it gains
 * greatest() and least() here. The schema number is PRAGMA user_version.
 * Other processes (the CLI) may write the same file; SQLite's lock and the
 * busy timeout order them, and BEGIN IMMEDIATE is the migration's lock.
 */
#include "store/db_sqlite.h"
#include "lib/log.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define STMT_CACHE 512

struct lstmt {
	struct db_stmt base;
	sqlite3_stmt *st;
	const char *sql;
};

struct lite {
	struct db base;
	sqlite3 *db;
	int nstmt;
	struct lstmt *stmts[STMT_CACHE];
};

static inline struct lite *L(struct db *c)
{
	return (struct lite *)c;
}
static inline sqlite3_stmt *S(struct db_stmt *s)
{
	return ((struct lstmt *)s)->st;
}

/* Turn a failed SQLite call's result rc into e: a constraint (or a
 * trigger's RAISE) is ERR_CONFLICT, busy or locked ERR_BUSY, a full disk
 * ERR_FULL, anything else ERR_INTERNAL. */
static int lite_fail(sqlite3 *db, int rc, struct err *e)
{
	/* The connection's message when it speaks of rc (the fault build fails
	 * a step SQLite never saw), else the code's own. */
	const char *msg = (sqlite3_errcode(db) & 0xff) == (rc & 0xff) ? sqlite3_errmsg(db)
								       : sqlite3_errstr(rc);

	switch (rc & 0xff) {
	case SQLITE_CONSTRAINT:
		return err_set(e, ERR_CONFLICT, NULL, "store: %s", msg);
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return err_set(e, ERR_BUSY, NULL, "store busy: %s; retry later", msg);
	case SQLITE_FULL:
		log_error("msg=\"store full\" rc=%d err=%s", rc, LOG_STR(msg));
		return err_set(e, ERR_FULL, NULL, "store: the disk is full");
	default:
		log_error("msg=\"sqlite error\" rc=%d err=%s", rc, LOG_STR(msg));
		return err_set(e, ERR_INTERNAL, NULL, "store: %s", msg);
	}
}

/* greatest(a, b, …) and least(…), as PostgreSQL has them: NULLs ignored. */
static void pick(sqlite3_context *ctx, int argc, sqlite3_value **argv, int sign)
{
	sqlite3_value *best = NULL;

	for (int i = 0; i < argc; i++) {
		if (sqlite3_value_type(argv[i]) == SQLITE_NULL)
			continue;
		if (!best || sign * (sqlite3_value_double(argv[i]) - sqlite3_value_double(best)) > 0)
			best = argv[i];
	}
	if (best)
		sqlite3_result_value(ctx, best);
	else
		sqlite3_result_null(ctx);
}
static void fn_greatest(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	pick(ctx, argc, argv, 1);
}
static void fn_least(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	pick(ctx, argc, argv, -1);
}

static void lite_close(struct db *c)
{
	if (!c)
		return;
	for (int i = 0; i < L(c)->nstmt; i++) {
		sqlite3_finalize(L(c)->stmts[i]->st);
		free(L(c)->stmts[i]);
	}
	sqlite3_close(L(c)->db);
	free(c);
}

static int lite_open(const char *uri, int create, struct db **out, struct err *e)
{
	struct lite *c = calloc(1, sizeof(*c));
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
	int rc;

	if (!c)
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	c->base.drv = &db_sqlite;
	rc = sqlite3_open_v2(uri, &c->db, flags, NULL);
	if (rc != SQLITE_OK) {
		err_set(e, ERR_INTERNAL, NULL, "cannot open store '%s': %s", uri,
			c->db ? sqlite3_errmsg(c->db) : sqlite3_errstr(rc));
		lite_close(&c->base);
		return ERR_INTERNAL;
	}
	sqlite3_busy_timeout(c->db, 10000);
	/* Durability and the foreign keys are invariants: a connection
	 * without them is not opened. */
	rc = sqlite3_exec(c->db,
			  "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
			  "PRAGMA temp_store=MEMORY;",
			  NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_create_function(c->db, "greatest", -1,
					     SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, fn_greatest,
					     NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_create_function(c->db, "least", -1, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
					     NULL, fn_least, NULL, NULL);
	if (rc != SQLITE_OK) {
		rc = lite_fail(c->db, rc, e);
		lite_close(&c->base);
		return rc;
	}
	/* Page cache: 4 MiB for the first connection (the writer), 512 KiB
	 * for each reader: with one reader per server thread, a large cache
	 * each would multiply the resident memory by the thread count. Only
	 * the memory used depends on it, so a failure is not one of the open. */
	sqlite3_exec(c->db, create ? "PRAGMA cache_size=-4096" : "PRAGMA cache_size=-512", NULL,
		     NULL, NULL);
	*out = &c->base;
	return 0;
}

static struct db_stmt *lite_stmt(struct db *c, const char *sql, struct err *e)
{
	struct lite *l = L(c);
	struct lstmt *s;
	int i, rc;

	for (i = 0; i < l->nstmt; i++)
		if (l->stmts[i]->sql == sql) {
			sqlite3_reset(l->stmts[i]->st);
			sqlite3_clear_bindings(l->stmts[i]->st);
			return &l->stmts[i]->base;
		}
	if (l->nstmt == STMT_CACHE) {
		err_set(e, ERR_INTERNAL, NULL, "statement cache full");
		return NULL;
	}
	if (!(s = calloc(1, sizeof(*s)))) {
		err_set(e, ERR_INTERNAL, NULL, "out of memory");
		return NULL;
	}
	rc = sqlite3_prepare_v3(l->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s->st, NULL);
	if (rc != SQLITE_OK) {
		err_set(e, ERR_INTERNAL, NULL, "prepare failed: %s", sqlite3_errmsg(l->db));
		log_error("msg=\"prepare failed\" err=%s sql=%s", LOG_STR(sqlite3_errmsg(l->db)),
			  LOG_STR(sql));
		free(s);
		return NULL;
	}
	s->base.c = c;
	s->sql = sql;
	l->stmts[l->nstmt++] = s;
	return &s->base;
}

static int lite_exec(struct db *c, const char *sql, struct err *e)
{
	int rc = sqlite3_exec(L(c)->db, sql, NULL, NULL, NULL);

	return rc == SQLITE_OK ? 0 : lite_fail(L(c)->db, rc, e);
}

static enum db_tx lite_tx_state(struct db *c)
{
	return sqlite3_get_autocommit(L(c)->db) ? DB_TX_NONE : DB_TX_OPEN;
}

static int lite_row_failed(struct db *c)
{
	return sqlite3_errcode(L(c)->db) == SQLITE_NOMEM;
}

static void lite_bind_int(struct db_stmt *s, int i, int64_t v)
{
	sqlite3_bind_int64(S(s), i, v);
}
static void lite_bind_null(struct db_stmt *s, int i, enum db_type t)
{
	(void)t;
	sqlite3_bind_null(S(s), i);
}
static void lite_bind_text(struct db_stmt *s, int i, const char *v)
{
	sqlite3_bind_text(S(s), i, v, -1, SQLITE_STATIC);
}
static void lite_bind_blob(struct db_stmt *s, int i, const void *p, size_t n)
{
	sqlite3_bind_blob(S(s), i, p, (int)n, SQLITE_STATIC);
}
static void lite_bind_double(struct db_stmt *s, int i, double v)
{
	sqlite3_bind_double(S(s), i, v);
}

static int lite_step(struct db_stmt *s, struct err *e)
{
	int rc = sqlite3_step(S(s));

	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	return lite_fail(L(s->c)->db, rc, e);
}

static void lite_reset(struct db_stmt *s)
{
	sqlite3_reset(S(s));
}
static int lite_col_null(struct db_stmt *s, int col)
{
	return sqlite3_column_type(S(s), col) == SQLITE_NULL;
}
static int64_t lite_col_int(struct db_stmt *s, int col)
{
	return sqlite3_column_int64(S(s), col);
}
static double lite_col_double(struct db_stmt *s, int col)
{
	return sqlite3_column_double(S(s), col);
}
static const char *lite_col_text(struct db_stmt *s, int col)
{
	return (const char *)sqlite3_column_text(S(s), col);
}
static const void *lite_col_blob(struct db_stmt *s, int col, size_t *n)
{
	const void *p = sqlite3_column_blob(S(s), col);

	*n = (size_t)sqlite3_column_bytes(S(s), col);
	return p;
}
static int64_t lite_changes(struct db_stmt *s)
{
	return sqlite3_changes(L(s->c)->db);
}

static int lite_col_count(struct db_stmt *s)
{
	return sqlite3_column_count(S(s));
}
static const char *lite_col_name(struct db_stmt *s, int col)
{
	return sqlite3_column_name(S(s), col);
}
static enum db_type lite_col_type(struct db_stmt *s, int col)
{
	switch (sqlite3_column_type(S(s), col)) {
	case SQLITE_INTEGER:
		return DB_INT;
	case SQLITE_FLOAT:
		return DB_DOUBLE;
	case SQLITE_BLOB:
		return DB_BLOB;
	default:
		return DB_TEXT;
	}
}
/* An INTEGER PRIMARY KEY takes the next id past the largest: nothing to move. */
static int lite_copied(struct db *c, const char *table, struct err *e)
{
	(void)c, (void)table, (void)e;
	return 0;
}

static int user_version(sqlite3 *db, int *version, struct err *e)
{
	sqlite3_stmt *s;
	int rc = sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &s, NULL);

	if (rc != SQLITE_OK)
		return lite_fail(db, rc, e);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*version = sqlite3_column_int(s, 0);
		rc = 0;
	} else {
		rc = lite_fail(db, rc == SQLITE_DONE ? SQLITE_CORRUPT : rc, e);
	}
	sqlite3_finalize(s);
	return rc;
}

static int lite_schema_get(struct db *c, int *version, struct err *e)
{
	return user_version(L(c)->db, version, e);
}

static int lite_schema_set(struct db *c, int version, struct err *e)
{
	char sql[64];

	snprintf(sql, sizeof(sql), "PRAGMA user_version=%d", version);
	return lite_exec(c, sql, e);
}

/* The migrations are written in SQLite's DDL: run as they are. */
static int lite_migrate(struct db *c, const char *sql, struct err *e)
{
	return lite_exec(c, sql, e);
}

/* Each migration's BEGIN IMMEDIATE is the lock; migrate_one re-reads the
 * number inside it. */
static int lite_migrate_lock(struct db *c, int on, struct err *e)
{
	(void)c, (void)on, (void)e;
	return 0;
}

static int lite_schema_peek(const char *uri, int *version, struct err *e)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *s = NULL;
	struct stat sb;
	int rc;

	if (stat(uri, &sb))
		return err_set(e, ERR_NOT_FOUND, NULL, "no store at '%s'", uri);
	/* Read as is, not through user_version: a file that is not a store
	 * is the asker's answer here, not an error of the server's to log. */
	rc = sqlite3_open_v2(uri, &db, SQLITE_OPEN_READONLY, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &s, NULL);
	if (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		*version = sqlite3_column_int(s, 0);
		rc = 0;
	} else {
		rc = err_set(e, ERR_INVALID, NULL, "cannot read the schema of '%s': %s", uri,
			     db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
	}
	sqlite3_finalize(s);
	sqlite3_close(db);
	return rc;
}

static const char *lite_library_version(void)
{
	return sqlite3_libversion();
}

#define BULK_CACHE_KIB 524288

static int lite_bulk(struct db *c, int on)
{
	static _Thread_local int saved;
	sqlite3_stmt *s;
	char sql[64];

	/* Only the memory the import uses and when the foreign keys are
	 * checked depend on these pragmas, never an answer: when reading the
	 * cache size fails, the default is restored after the import. */
	if (on) {
		saved = -4000;
		if (sqlite3_prepare_v2(L(c)->db, "PRAGMA cache_size", -1, &s, NULL) == SQLITE_OK) {
			if (sqlite3_step(s) == SQLITE_ROW)
				saved = sqlite3_column_int(s, 0);
			sqlite3_finalize(s);
		}
	}
	/* Foreign keys checked once at commit, not per statement (the batch
	 * references only records it has looked up). Reset by every commit. */
	snprintf(sql, sizeof(sql), "PRAGMA cache_size=%d; PRAGMA defer_foreign_keys=%s",
		 on ? -BULK_CACHE_KIB : saved, on ? "ON" : "OFF");
	return sqlite3_exec(L(c)->db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : ERR_INTERNAL;
}

const struct db_driver db_sqlite = {
	.name = "sqlite",
	.open = lite_open,
	.close = lite_close,
	.stmt = lite_stmt,
	.exec = lite_exec,
	.tx_state = lite_tx_state,
	.row_failed = lite_row_failed,
	.bind_int = lite_bind_int,
	.bind_null = lite_bind_null,
	.bind_text = lite_bind_text,
	.bind_blob = lite_bind_blob,
	.bind_double = lite_bind_double,
	.step = lite_step,
	.reset = lite_reset,
	.col_null = lite_col_null,
	.col_int = lite_col_int,
	.col_double = lite_col_double,
	.col_text = lite_col_text,
	.col_blob = lite_col_blob,
	.changes = lite_changes,
	.col_count = lite_col_count,
	.col_name = lite_col_name,
	.col_type = lite_col_type,
	.tables_sql = "SELECT name FROM sqlite_schema WHERE type = 'table' "
		      "AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'search_fts%' ORDER BY name",
	.copied = lite_copied,
	.schema_get = lite_schema_get,
	.schema_set = lite_schema_set,
	.migrate = lite_migrate,
	.migrate_lock = lite_migrate_lock,
	.begin_write = "BEGIN IMMEDIATE",
	/* A deferred BEGIN takes its snapshot at the first read: read now. */
	.begin_read = "BEGIN; SELECT count(*) FROM meta",
	.library_version = lite_library_version,
	.schema_peek = lite_schema_peek,
	.backup = sqlite_backup,
	.bulk = lite_bulk,
	.check = sqlite_check,
};
