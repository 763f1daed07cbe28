/*
 * sqlite_int.h — what the SQLite backend's files share: connections with a
 * prepared-statement cache, the transaction type, and the one way rows are
 * stepped and read (sq_next, sq_one, sq_all, sq_scan, sq_json).
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

struct sq_pending {
	store_commit_fn fn;
	void *arg;
};

struct sq_tx {
	struct store_tx base;
	struct conn *c;
	struct sq_pending *pending; /* what to run once the batch commits */
	size_t npending, cap;
};

/* The connection to use: the transaction's, or this thread's read one. */
struct conn *sq_conn(struct store *st, struct store_tx *tx);
/* A reset statement for sql (a static string), or NULL with e set. */
sqlite3_stmt *sq_stmt(struct conn *c, const char *sql, struct err *e);
/* The connection of a write transaction. */
static inline struct conn *sq_txc(struct store_tx *tx)
{
	return ((struct sq_tx *)tx)->c;
}
/* Turn a failed SQLite call's result rc into e; returns the ERR_* code:
 * a constraint is ERR_CONFLICT, busy or locked ERR_BUSY, a full disk
 * ERR_FULL, anything else ERR_INTERNAL. */
int sq_fail(struct conn *c, int rc, struct err *e);

/* sqlite.c: lifecycle and the group-commit writer. */
int sq_open(struct store *st, const char *path, int flags, struct err *e);
void sq_close(struct store *st);
int sq_write(struct store *st, store_write_fn fn, void *ctx, struct err *e);
int sq_after_commit(struct store_tx *tx, store_commit_fn fn, void *arg);
int sq_ping(struct store *st);
/* sqlite_backup.c: one snapshot copied while writers go on; integrity. */
int sq_backup(struct store *st, const char *path, struct err *e);
int sq_check(struct store *st, struct err *e);

/* The module tables, one sqlite_<module>.c each. */
extern const struct store_session_ops sqlite_session_ops;
extern const struct store_sla_ops sqlite_sla_ops;
extern const struct store_skill_ops sqlite_skill_ops;
extern const struct store_cmdb_ops sqlite_cmdb_ops;

/*
 * Stepping. Every statement is stepped through these: a step ends in a row,
 * in SQLITE_DONE, or in an error that reaches the caller in e (busy, a full
 * disk, an I/O error or no memory is never read as "no row"), and the
 * statement is reset when the walk ends, however it ends.
 */

/* Step a statement that returns no row, and reset it: 0 when done; a
 * constraint violation is ERR_CONFLICT on field with the message conflict
 * (when conflict is not NULL); anything else as sq_fail. */
int sq_done(struct conn *c, sqlite3_stmt *s, const char *field, const char *conflict,
	    struct err *e);
/* sq_done for an update guarded by the version it read: ERR_CONFLICT on
 * "version", "<what> was changed meanwhile", when no row matched. */
int sq_done_versioned(struct conn *c, sqlite3_stmt *s, struct err *e, const char *what_fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* The next row: 1 when there is one (s stays on it), 0 at the end and <0
 * on failure (e set); s is reset at the end and on failure. */
int sq_next(struct conn *c, sqlite3_stmt *s, struct err *e);

/* How to read one kind of record from a row. read fills item and returns
 * 0, 1 to pass the row over, or <0 (ERR_INTERNAL: out of memory); it sets
 * every pointer the record owns before anything can fail, so that release
 * (NULL when the record owns nothing) may free what read took, also after
 * a failed or passed-over read. */
struct sq_kind {
	size_t size;
	int (*read)(sqlite3_stmt *s, void *item);
	void (*release)(void *item);
};

/* The first row into item: 0; ERR_NOT_FOUND with e untouched when there is
 * none (the caller names what is missing); or the failure in e. Resets s. */
int sq_one(struct conn *c, sqlite3_stmt *s, const struct sq_kind *k, void *item, struct err *e);
/* sq_one of the statement by_key with key bound to ?1, or (key NULL) of
 * by_id with id. */
int sq_one_by(struct conn *c, const char *by_key, const char *by_id, const char *key, int64_t id,
	      const struct sq_kind *k, void *item, struct err *e);
/* Every row into a new array *(T **)items of *n elements, the caller frees
 * (each element released, then the array). limit > 0 keeps the first limit
 * rows and sets *more (when more is not NULL) when another follows. On
 * failure, releases what it collected: *items NULL and *n 0. */
int sq_all(struct conn *c, sqlite3_stmt *s, const struct sq_kind *k, size_t limit, void **items,
	   size_t *n, int *more, struct err *e);
/* Read each row into a record and hand it to use, which returns 0 to go
 * on, >0 to stop early (the scan then returns 0), or <0 to fail (returned
 * as is: use fills its own error). The record is released after use. */
typedef int (*sq_use_fn)(void *item, void *ctx);
int sq_scan(struct conn *c, sqlite3_stmt *s, const struct sq_kind *k, sq_use_fn use, void *ctx,
	    struct err *e);
/* sq_scan inside a read transaction of its own (unless one is open), so the
 * scan sees one state of the store. */
int sq_scan_whole(struct conn *c, sqlite3_stmt *s, const struct sq_kind *k, sq_use_fn use,
		  void *ctx, struct err *e);
/* Hand each row to fn as it is (for aggregates read in place): fn returns
 * 0 to go on, >0 to stop early (the walk then returns 0), or <0 to fail
 * (returned as is: fn fills its own error, or it is out of memory). */
typedef int (*sq_row_fn)(sqlite3_stmt *s, void *ctx);
int sq_each(struct conn *c, sqlite3_stmt *s, sq_row_fn fn, void *ctx, struct err *e);
/* Every row as a JSON value made by row (NULL when out of memory), in a new
 * array *out the caller decrefs; NULL on failure. */
typedef json_t *(*sq_json_fn)(sqlite3_stmt *s);
int sq_json(struct conn *c, sqlite3_stmt *s, sq_json_fn row, json_t **out, struct err *e);
/* A row of one integer column (NULL reads as 0), for sq_one and sq_all. */
extern const struct sq_kind sq_int64;

/* A read transaction, so that several statements see one state: begun
 * unless one is open already (a write's, or a snapshot's); *own says
 * whether sq_read_end is to end it. */
int sq_read_begin(struct conn *c, int *own, struct err *e);
void sq_read_end(struct conn *c, int own);

/* Step a statement that returns no row; on failure reset it and return. */
#define STEP_DONE(c, s, e)                                                                         \
	do {                                                                                       \
		int rc_ = sq_done((c), (s), NULL, NULL, (e));                                      \
		if (rc_)                                                                           \
			return rc_;                                                                \
	} while (0)

#define CONN_OR_FAIL(c, st, tx, e)                                                                 \
	struct conn *c = sq_conn((st), (tx));                                                      \
	if (!c)                                                                                    \
	return err_set((e), ERR_INTERNAL, NULL, "store connection unavailable")

#define STMT_OR_FAIL(s, c, sql, e)                                                                 \
	sqlite3_stmt *s = sq_stmt((c), (sql), (e));                                                \
	if (!s)                                                                                    \
	return ERR_INTERNAL

/* Append a zeroed element to a growing array; NULL when out of memory. */
void *sq_grow(void **arr, size_t *n, size_t *cap, size_t size);

/* sqlite_users.c: customers, users and tokens. */
int sq_customer_insert(struct store_tx *tx, struct customer *cu, struct err *e);
int sq_customer_get(struct store *st, struct store_tx *tx, int64_t id, const char *key,
		    struct customer *cu, struct err *e);
int sq_customer_list(struct store *st, struct customer **out, size_t *n, struct err *e);
int sq_customer_update(struct store_tx *tx, const struct customer *cu, struct err *e);
int sq_user_insert(struct store_tx *tx, struct user *u, struct err *e);
int sq_user_update(struct store_tx *tx, const struct user *u, struct err *e);
int sq_user_get(struct store *st, struct store_tx *tx, int64_t id, const char *username,
		struct user *u, struct err *e);
int sq_user_list(struct store *st, struct user **out, size_t *n, struct err *e);
int sq_user_count(struct store *st, int64_t *n, struct err *e);
int sq_user_count_admins(struct store *st, struct store_tx *tx, int64_t *n, struct err *e);
int sq_token_insert(struct store_tx *tx, struct token *t, struct err *e);
int sq_token_find(struct store *st, const uint8_t *hash, struct token *t, struct user *u,
		  struct err *e);
int sq_token_scan(struct store *st, store_token_fn fn, void *ctx, struct err *e);
int sq_token_get(struct store *st, struct store_tx *tx, int64_t id, struct token *t,
		 struct err *e);
int sq_token_list(struct store *st, int64_t user_id, struct token **out, size_t *n,
		  struct err *e);
int sq_token_revoke(struct store_tx *tx, int64_t id, struct err *e);
int sq_token_touch(struct store_tx *tx, int64_t id, int64_t at, struct err *e);

/* Column helpers. A column SQLite cannot convert for want of memory reads
 * as empty here; sq_one, sq_all, sq_scan and sq_json notice it after the
 * row is read and fail the read. */
void sq_text(sqlite3_stmt *s, int col, char *out, size_t n);
/* A copy of a text column the caller frees (NULL for SQL NULL): 0, or
 * ERR_INTERNAL when out of memory. */
int sq_dup(sqlite3_stmt *s, int col, char **out);
int64_t sq_int(sqlite3_stmt *s, int col);
void sq_bind_text(sqlite3_stmt *s, int i, const char *v); /* NULL or "" binds NULL */
void sq_bind_str(sqlite3_stmt *s, int i, const char *v);  /* "" stays "" */
void sq_bind_id(sqlite3_stmt *s, int i, int64_t v);       /* 0 binds NULL */

#endif
