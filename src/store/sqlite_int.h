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
/* Step a statement that returns no row and reset it: 0 when done; a
 * constraint violation is ERR_CONFLICT on field with the message conflict
 * (when conflict is not NULL); anything else as sq_fail. */
int sq_done(struct conn *c, sqlite3_stmt *s, const char *field, const char *conflict,
	    struct err *e);
/* The connection of a write transaction. */
static inline struct conn *sq_txc(struct store_tx *tx)
{
	return ((struct sq_tx *)tx)->c;
}
/* Turn the current SQLite error into e; returns the ERR_* code. */
int sq_fail(struct conn *c, int rc, struct err *e);

/* sqlite.c: lifecycle and the group-commit writer. */
int sq_open(struct store *st, const char *path, int flags, struct err *e);
void sq_close(struct store *st);
int sq_write(struct store *st, store_write_fn fn, void *ctx, struct err *e);
void sq_after_commit(struct store_tx *tx, store_commit_fn fn, void *arg);
int sq_ping(struct store *st);

/* The module tables, one sqlite_<module>.c each. */
extern const struct store_session_ops sqlite_session_ops;
extern const struct store_sla_ops sqlite_sla_ops;
extern const struct store_skill_ops sqlite_skill_ops;
extern const struct store_cmdb_ops sqlite_cmdb_ops;

/* Step a statement that returns no row; on failure reset it and return. */
#define STEP_DONE(c, s, e)                                                                         \
	do {                                                                                       \
		int rc_ = sqlite3_step(s);                                                         \
		if (rc_ != SQLITE_DONE) {                                                          \
			int code_ = sq_fail((c), rc_, (e));                                        \
			sqlite3_reset(s);                                                          \
			return code_;                                                              \
		}                                                                                  \
		sqlite3_reset(s);                                                                  \
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
int sq_user_insert(struct store_tx *tx, struct user *u, struct err *e);
int sq_user_update(struct store_tx *tx, const struct user *u, struct err *e);
int sq_user_get(struct store *st, struct store_tx *tx, int64_t id, const char *username,
		struct user *u, struct err *e);
int sq_user_list(struct store *st, struct user **out, size_t *n, struct err *e);
int sq_user_count(struct store *st, int64_t *n);
int sq_token_insert(struct store_tx *tx, struct token *t, struct err *e);
int sq_token_find(struct store *st, const uint8_t *hash, struct token *t, struct user *u,
		  struct err *e);
int sq_token_scan(struct store *st, store_token_fn fn, void *ctx, struct err *e);

/* Column helpers. */
void sq_text(sqlite3_stmt *s, int col, char *out, size_t n);
char *sq_strdup(sqlite3_stmt *s, int col);
int64_t sq_int(sqlite3_stmt *s, int col);
void sq_bind_text(sqlite3_stmt *s, int i, const char *v); /* NULL or "" binds NULL */
void sq_bind_str(sqlite3_stmt *s, int i, const char *v);  /* "" stays "" */
void sq_bind_id(sqlite3_stmt *s, int i, int64_t v);       /* 0 binds NULL */

#endif
