/*
 * sqlite_int.h — what the SQLite backend's files share: connections with a
 * prepared-statement cache, and the transaction type.
 */
#ifndef ITSM_SQLITE_INT_H
#define ITSM_SQLITE_INT_H

#include <sqlite3.h>

#include "store/store.h"

#define CONN_CACHE 512

/* One SQLite connection and its statements, keyed by the address of the
 * static SQL text that prepared them. Used by one thread at a time. */
struct conn {
	sqlite3 *db;
	struct {
		const char *sql;
		sqlite3_stmt *stmt;
	} cache[CONN_CACHE];
	struct conn *next; /* registry of open read connections */
};

struct sq_tx {
	struct store_tx base;
	struct conn *c;
};

/* The connection to use: the transaction's, or this thread's read one. */
struct conn *sq_conn(struct store *st, struct store_tx *tx);
/* A reset statement for sql (a static string), or NULL with e set. */
sqlite3_stmt *sq_stmt(struct conn *c, const char *sql, struct err *e);
/* Turn the current SQLite error into e; returns the ERR_* code. */
int sq_fail(struct conn *c, int rc, struct err *e);

/* sqlite.c: lifecycle and the group-commit writer. */
int sq_open(struct store *st, const char *path, int flags, struct err *e);
void sq_close(struct store *st);
int sq_write(struct store *st, store_write_fn fn, void *ctx, struct err *e);
int sq_ping(struct store *st);

/* The module tables, one sqlite_<module>.c each. */
extern const struct store_session_ops sqlite_session_ops;
extern const struct store_sla_ops sqlite_sla_ops;
extern const struct store_skill_ops sqlite_skill_ops;
extern const struct store_cmdb_ops sqlite_cmdb_ops;

/* Column helpers. */
void sq_text(sqlite3_stmt *s, int col, char *out, size_t n);
char *sq_strdup(sqlite3_stmt *s, int col);
int64_t sq_int(sqlite3_stmt *s, int col);
void sq_bind_text(sqlite3_stmt *s, int i, const char *v); /* NULL or "" binds NULL */
void sq_bind_str(sqlite3_stmt *s, int i, const char *v);  /* "" stays "" */
void sq_bind_id(sqlite3_stmt *s, int i, int64_t v);       /* 0 binds NULL */

#endif
