/*
 * db.h — the database layer under the store: connections, statements,
 * binding, stepping and reading rows, the same for every engine. The store's
 * SQL files (sql_*.c) are written against this header once; a driver
 * (db_sqlite.c, db_pg.c) fills struct db_driver for one engine.
 *
 * The SQL both engines run: numbered parameters ?1, ?2… (the PostgreSQL
 * driver turns them into $1, $2…), RETURNING, ON CONFLICT, CTEs, window
 * functions, COALESCE, CASE, and the functions each driver provides for the
 * other's sake (db_sqlite.c: greatest, least; the PostgreSQL compatibility
 * schema: instr, json_each, json_extract). Booleans are integers 0/1 and
 * compared as such; a text search lower()s both sides.
 *
 * Kept inside the drivers: placeholders, the types of the migrations' DDL
 * (INTEGER PRIMARY KEY, BLOB, WITHOUT ROWID, triggers), where the schema
 * version lives, the error codes, and the locks of a migration.
 *
 * Invariants:
 *  - a step ends in a row (1), at the end (0), or in an error that reaches
 *    the caller in e (<0: ERR_CONFLICT for a constraint or a trigger's
 *    refusal, ERR_BUSY when the database is busy or unreachable, ERR_FULL,
 *    else ERR_INTERNAL), never read as "no row";
 *  - a statement is reset when its walk ends, however it ends;
 *  - every parameter is bound before the first step (db_bind_null for a
 *    NULL); a bound text or blob is not copied: it lives until the
 *    statement is stepped to its end or reset;
 *  - a connection is used by one thread at a time.
 */
#ifndef ITSM_DB_H
#define ITSM_DB_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/err.h"

struct db;
struct db_stmt;

/* The type of a NULL bound to a parameter (PostgreSQL types every one). */
enum db_type { DB_INT, DB_TEXT, DB_BLOB, DB_DOUBLE, DB_ANY /* the column's own */ };

/* Where a connection's transaction stands. */
enum db_tx { DB_TX_NONE, DB_TX_OPEN, DB_TX_FAILED };

struct db_driver {
	const char *name; /* "sqlite", "postgresql" */
	/* Open a connection; create: the first of a store (SQLite creates the
	 * file and sets WAL mode; PostgreSQL checks the server's settings). */
	int (*open)(const char *uri, int create, struct db **out, struct err *e);
	void (*close)(struct db *c);
	/* A reset statement for sql, a static string: the connection keeps
	 * it, keyed by the string's address. NULL with e set. */
	struct db_stmt *(*stmt)(struct db *c, const char *sql, struct err *e);
	/* Run statements that return nothing (transaction control, DDL). */
	int (*exec)(struct db *c, const char *sql, struct err *e);
	/* Inside a write transaction, send a statement whose outcome nobody
	 * reads (db_done_later, db_exec_later) without waiting for it: its
	 * answer is read with the next statement waited for. NULL where
	 * every statement runs at once (SQLite, in process). */
	int (*step_later)(struct db_stmt *s, struct err *e);
	int (*exec_later)(struct db *c, const char *sql, struct err *e);
	enum db_tx (*tx_state)(struct db *c);
	/* Whether a value read from the current row failed for want of memory. */
	int (*row_failed)(struct db *c);

	void (*bind_int)(struct db_stmt *s, int i, int64_t v);
	void (*bind_null)(struct db_stmt *s, int i, enum db_type t);
	void (*bind_text)(struct db_stmt *s, int i, const char *v);
	void (*bind_blob)(struct db_stmt *s, int i, const void *p, size_t n);
	void (*bind_double)(struct db_stmt *s, int i, double v);
	int (*step)(struct db_stmt *s, struct err *e);
	void (*reset)(struct db_stmt *s);
	int (*col_null)(struct db_stmt *s, int col);
	int64_t (*col_int)(struct db_stmt *s, int col);
	double (*col_double)(struct db_stmt *s, int col);
	const char *(*col_text)(struct db_stmt *s, int col); /* NULL for SQL NULL */
	const void *(*col_blob)(struct db_stmt *s, int col, size_t *n);
	/* Rows the statement's last step to the end inserted, changed or deleted. */
	int64_t (*changes)(struct db_stmt *s);
	/* What a row of any table holds, for copying a store whole. */
	int (*col_count)(struct db_stmt *s);
	const char *(*col_name)(struct db_stmt *s, int col);
	enum db_type (*col_type)(struct db_stmt *s, int col); /* of a value not NULL */
	/* A query whose rows name every table of the store. */
	const char *tables_sql;
	/* After rows were copied into table with their own ids: move the
	 * table's id generator past them. */
	int (*copied)(struct db *c, const char *table, struct err *e);

	/* Schema: the number of the newest migration applied (0: none). */
	int (*schema_get)(struct db *c, int *version, struct err *e);
	int (*schema_set)(struct db *c, int version, struct err *e);
	/* Run one migration's SQL, turned into this engine's DDL, inside the
	 * open transaction. */
	int (*migrate)(struct db *c, const char *sql, struct err *e);
	/* Hold (on 1) or release (on 0) the lock that lets one process migrate. */
	int (*migrate_lock)(struct db *c, int on, struct err *e);
	const char *begin_write; /* what opens a write transaction */
	/* What opens a read transaction that sees one state of the store
	 * from its first statement on. */
	const char *begin_read;
	const char *(*library_version)(void);
	/* The schema number of the store at uri, read without creating or
	 * changing anything: ERR_NOT_FOUND when there is no store. */
	int (*schema_peek)(const char *uri, int *version, struct err *e);
	/* Copy the whole store into a new file at path: one committed state,
	 * taken while writers go on. */
	int (*backup)(const char *uri, const char *path, struct err *e);
	/* Tune the open write transaction for a bulk import (on 1) and back
	 * (on 0): only memory and when foreign keys are checked may change. */
	int (*bulk)(struct db *c, int on);

	/* Several processes on one database (NULL where one process owns the
	 * store, as with SQLite: then it leads every role and nobody else is
	 * told anything). */
	/* Whether this connection leads role: it takes the role when free
	 * and keeps it while the connection lives; *held is the caller's
	 * memory of it (0 at first). */
	int (*lead)(struct db *c, const char *role, int *held, struct err *e);
	/* Open a write transaction that first waits until no other
	 * process's transaction holds name and then holds it to its end (the
	 * writer's batches of several servers, which extend one audit chain,
	 * take "writes"), then run then (SQL without parameters): one round
	 * trip for the three. */
	int (*begin_serialized)(struct db *c, const char *name, const char *then, struct err *e);
	/* Tell every listening connection each text of the array texts, in
	 * order, once the open transaction commits (nothing when it rolls
	 * back): one round trip for them all. */
	int (*notify)(struct db *c, const json_t *texts, struct err *e);
	/* Wait up to ms for what other connections notified; fn for each
	 * (text NULL after a reconnection: notices may have been missed). */
	int (*listen)(struct db *c, int ms, void (*fn)(const char *text, void *ctx), void *ctx,
		      struct err *e);

	/* The engine's check of every page and index: ERR_INVALID naming the
	 * first problem. */
	int (*check)(struct db *c, const char *uri, struct err *e);
};

/* Every connection and statement begins with these. */
struct db {
	const struct db_driver *drv;
	struct db *next; /* the store's registry of read connections */
};
struct db_stmt {
	struct db *c;
};

extern const struct db_driver db_sqlite;
extern const struct db_driver db_pg;

/* The driver for a store URI: PostgreSQL for postgres:// and postgresql://
 * (and libpq's key=value strings naming dbname= or host=), else SQLite. */
const struct db_driver *db_driver_for(const char *uri);

static inline struct db_stmt *db_stmt(struct db *c, const char *sql, struct err *e)
{
	return c->drv->stmt(c, sql, e);
}
static inline int db_exec(struct db *c, const char *sql, struct err *e)
{
	return c->drv->exec(c, sql, e);
}

/* ---- binding ---- */
static inline void db_bind_int(struct db_stmt *s, int i, int64_t v)
{
	s->c->drv->bind_int(s, i, v);
}
static inline void db_bind_null(struct db_stmt *s, int i, enum db_type t)
{
	s->c->drv->bind_null(s, i, t);
}
static inline void db_bind_blob(struct db_stmt *s, int i, const void *p, size_t n)
{
	s->c->drv->bind_blob(s, i, p, n);
}
static inline void db_bind_double(struct db_stmt *s, int i, double v)
{
	s->c->drv->bind_double(s, i, v);
}
/* NULL or "" binds NULL. */
static inline void db_bind_text(struct db_stmt *s, int i, const char *v)
{
	if (v && *v)
		s->c->drv->bind_text(s, i, v);
	else
		s->c->drv->bind_null(s, i, DB_TEXT);
}
/* "" stays "" (and NULL binds ""). */
static inline void db_bind_str(struct db_stmt *s, int i, const char *v)
{
	s->c->drv->bind_text(s, i, v ? v : "");
}
/* 0 binds NULL. */
static inline void db_bind_id(struct db_stmt *s, int i, int64_t v)
{
	if (v)
		s->c->drv->bind_int(s, i, v);
	else
		s->c->drv->bind_null(s, i, DB_INT);
}

/* ---- columns ---- */
static inline int db_is_null(struct db_stmt *s, int col)
{
	return s->c->drv->col_null(s, col);
}
static inline int64_t db_int(struct db_stmt *s, int col)
{
	return s->c->drv->col_int(s, col);
}
static inline double db_double(struct db_stmt *s, int col)
{
	return s->c->drv->col_double(s, col);
}
/* The text of a column, NULL for SQL NULL. */
static inline const char *db_cstr(struct db_stmt *s, int col)
{
	return s->c->drv->col_text(s, col);
}
static inline void db_reset(struct db_stmt *s)
{
	s->c->drv->reset(s);
}
static inline int64_t db_changes(struct db_stmt *s)
{
	return s->c->drv->changes(s);
}
/* A text column into a buffer ("" for NULL), truncated to n - 1 bytes. */
void db_text(struct db_stmt *s, int col, char *out, size_t n);
/* A copy of a text column the caller frees (NULL for SQL NULL): 0, or
 * ERR_INTERNAL when out of memory. */
int db_dup(struct db_stmt *s, int col, char **out);
/* A blob column of exactly n bytes into out: 1; 0 (out untouched) when the
 * column holds another length or NULL. */
int db_blob(struct db_stmt *s, int col, void *out, size_t n);

/* Whether e, a conflict, was met on the unique column of table (SQLite
 * names it "table.column", PostgreSQL's constraint "table_column_key").
 * After a failed statement PostgreSQL runs nothing more in the
 * transaction, so a conflict is told apart by its message, not by a query. */
int db_conflict_is(const struct err *e, const char *table, const char *column);

/* ---- stepping ---- */

/* The next row: 1 when there is one (s stays on it), 0 at the end and <0
 * on failure (e set); s is reset at the end and on failure. */
int db_next(struct db_stmt *s, struct err *e);
/* Step a statement that returns no row, and reset it: 0 when done; a
 * constraint violation is ERR_CONFLICT on field with the message conflict
 * (when conflict is not NULL); anything else as the driver reports it. */
int db_done(struct db_stmt *s, const char *field, const char *conflict, struct err *e);
/* db_done of a statement whose outcome the caller does not read, inside a
 * write transaction: run now, or (PostgreSQL) sent with the connection's
 * next round trip. A later failure ends the whole transaction, rolled back,
 * and is reported by the statement that found it: the writer then fails
 * its batch. So only what fails with a broken store goes this way (the
 * audit record, savepoints, the batch's meta rows and notices), never a
 * statement whose conflict a caller answers. Resets s. */
int db_done_later(struct db_stmt *s, struct err *e);
/* db_exec of transaction control (no quotes, statements split at ';') the
 * same way. */
int db_exec_later(struct db *c, const char *sql, struct err *e);
/* db_done of an INSERT … RETURNING id: the new row's id into *id. */
int db_insert(struct db_stmt *s, const char *field, const char *conflict, int64_t *id,
	      struct err *e);
/* db_done for an update guarded by the version it read: ERR_CONFLICT on
 * "version", "<what> was changed meanwhile", when no row matched. */
int db_done_versioned(struct db_stmt *s, struct err *e, const char *what_fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* How to read one kind of record from a row. read fills item and returns
 * 0, 1 to pass the row over, or <0 (ERR_INTERNAL: out of memory); it sets
 * every pointer the record owns before anything can fail, so that release
 * (NULL when the record owns nothing) may free what read took, also after
 * a failed or passed-over read. */
struct db_kind {
	size_t size;
	int (*read)(struct db_stmt *s, void *item);
	void (*release)(void *item);
};

/* The first row into item: 0; ERR_NOT_FOUND with e untouched when there is
 * none (the caller names what is missing); or the failure in e. Resets s. */
int db_one(struct db_stmt *s, const struct db_kind *k, void *item, struct err *e);
/* db_one of the statement by_key with key bound to ?1, or (key NULL) of
 * by_id with id. */
int db_one_by(struct db *c, const char *by_key, const char *by_id, const char *key, int64_t id,
	      const struct db_kind *k, void *item, struct err *e);
/* Every row into a new array *(T **)items of *n elements, the caller frees
 * (each element released, then the array). limit > 0 keeps the first limit
 * rows and sets *more (when more is not NULL) when another follows. On
 * failure, releases what it collected: *items NULL and *n 0. */
int db_all(struct db_stmt *s, const struct db_kind *k, size_t limit, void **items, size_t *n,
	   int *more, struct err *e);
/* Read each row into a record and hand it to use, which returns 0 to go
 * on, >0 to stop early (the scan then returns 0), or <0 to fail (returned
 * as is: use fills its own error). The record is released after use. */
typedef int (*db_use_fn)(void *item, void *ctx);
int db_scan(struct db_stmt *s, const struct db_kind *k, db_use_fn use, void *ctx, struct err *e);
/* db_scan inside a read transaction of its own (unless one is open), so the
 * scan sees one state of the store. */
int db_scan_whole(struct db_stmt *s, const struct db_kind *k, db_use_fn use, void *ctx,
		  struct err *e);
/* Hand each row to fn as it is (for aggregates read in place): fn returns
 * 0 to go on, >0 to stop early (the walk then returns 0), or <0 to fail
 * (returned as is: fn fills its own error, or it is out of memory). */
typedef int (*db_row_fn)(struct db_stmt *s, void *ctx);
int db_each(struct db_stmt *s, db_row_fn fn, void *ctx, struct err *e);
/* Every row as a JSON value made by row (NULL when out of memory), in a new
 * array *out the caller decrefs; NULL on failure. */
typedef json_t *(*db_json_fn)(struct db_stmt *s);
int db_json(struct db_stmt *s, db_json_fn row, json_t **out, struct err *e);
/* A row of one integer column (NULL reads as 0), for db_one and db_all. */
extern const struct db_kind db_int64;

/* A read transaction, so that several statements see one state: begun
 * unless one is open already (a write's, or a snapshot's); *own says
 * whether db_read_end is to end it. */
int db_read_begin(struct db *c, int *own, struct err *e);
void db_read_end(struct db *c, int own);

/* Append a zeroed element to a growing array; NULL when out of memory. */
void *db_grow(void **arr, size_t *n, size_t *cap, size_t size);

/* Apply every embedded migration above the schema's number, in order, each
 * in its own transaction with the new number; under the driver's migration
 * lock, so one process of several migrates. A schema newer than this binary
 * knows is refused (ERR_INVALID): an older itsm does not run on it. */
int db_migrate(struct db *c, struct err *e);
/* A migration's SQL as engine ("sqlite", "postgresql": a driver's name)
 * runs it: a line "-- for engine: NAME" starts a part only that engine
 * runs, "-- for engine: all" ends it; the other engines' lines are
 * blanked. What one engine alone has (SQLite's FTS5 table and the triggers
 * filling it, PostgreSQL's pg_trgm indexes) is written so, in the open. A
 * new string the caller frees; NULL when out of memory. */
char *db_migration_for(const char *sql, const char *engine);
/* The newest migration this binary embeds. */
int db_schema_latest(void);

#endif
