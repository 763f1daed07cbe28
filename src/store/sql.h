/*
 * sql.h — what the store's SQL files (sql_*.c) share: the write
 * transaction, the connection a call uses, and the module tables. The SQL
 * in these files is written once for every engine, against the database
 * layer (db.h); nothing here knows which engine runs it. The sq_ prefix
 * names the SQL store's own functions.
 */
#ifndef ITSM_SQL_H
#define ITSM_SQL_H

#include "store/db.h"
#include "lib/buf.h"
#include "store/store.h"

struct sq_pending {
	store_commit_fn fn;
	void *arg;
};

/* The audit chain's head as the batch left it (known: read or written in
 * this batch). Only the batch extends the chain while it runs: the engine's
 * write lock (SQLite) or the "writes" lock (PostgreSQL, db serialize) is
 * held from BEGIN to COMMIT, so the head one job leaves is the next one's. */
struct sq_head {
	int known;
	int64_t seq;
	uint8_t hash[AUDIT_HASH_LEN];
};

struct sq_tx {
	struct store_tx base;
	struct db *c;
	struct sq_pending *pending; /* what to run once the batch commits */
	size_t npending, cap;
	struct sq_head head;
	/* Written once, just before COMMIT, whatever the number of jobs that
	 * set them: rows of meta and counters (objects {"meta": {key: text},
	 * "counters": {name: value}}, each key to the last value set: the
	 * batch's committed jobs' in rows, the running job's in job_rows until
	 * it ends) and announcements (their texts). A job rolled back drops
	 * its own. */
	json_t *rows, *job_rows, *notes;
};

/* The connection to use: the transaction's, or this thread's read one. */
struct db *sq_conn(struct store *st, struct store_tx *tx);
/* The store's first connection: the writer's (idle in the server), which
 * the CLI's one-off work (a copy) writes through. */
struct db *sq_main(struct store *st);
/* Copy every row of from into to (empty). */
int sq_copy(struct store *from, struct store *to, store_copy_fn progress, void *ctx,
	    struct err *e);
/* The connection of a write transaction. */
static inline struct db *sq_txc(struct store_tx *tx)
{
	return ((struct sq_tx *)tx)->c;
}

/* sql_records.c: the batch's deferred rows (rows above), written now. */
int sq_rows_flush(struct sq_tx *tx, struct err *e);
/* sql_records.c: a counter's value inside a write (the batch's deferred
 * value when one was set, else the stored one; 0 for a counter never
 * counted), and the value it is to have. */
int sq_counter_get(struct store_tx *tx, const char *name, int64_t *value, struct err *e);
int sq_counter_set(struct store_tx *tx, const char *name, int64_t value, struct err *e);

/* sql_store.c: lifecycle and the group-commit writer. */
int sq_open(struct store *st, const char *path, int flags, struct err *e);
void sq_close(struct store *st);
int sq_write(struct store *st, store_write_fn fn, void *ctx, struct err *e);
int sq_after_commit(struct store_tx *tx, store_commit_fn fn, void *arg);
int sq_ping(struct store *st);
int sq_backup(struct store *st, const char *path, struct err *e);
int sq_check(struct store *st, struct err *e);
int sq_snapshot_begin(struct store *st, struct err *e);
void sq_snapshot_end(struct store *st);
int sq_leader(struct store *st, const char *role);
int sq_announce(struct store_tx *tx, const char *topic, const char *text, struct err *e);
int sq_follow(struct store *st, store_follow_fn fn, void *ctx, struct err *e);
/* Tune the write transaction for a bulk import (on 1) and back (on 0). */
int sq_bulk(struct store_tx *tx, int on);

/* The module tables, one sql_<module>.c each. */
extern const struct store_session_ops sql_session_ops;
extern const struct store_sla_ops sql_sla_ops;
extern const struct store_skill_ops sql_skill_ops;
extern const struct store_cmdb_ops sql_cmdb_ops;
extern const struct store_operation_ops sql_operation_ops;
extern const struct store_problem_ops sql_problem_ops;
extern const struct store_change_ops sql_change_ops;
extern const struct store_mail_ops sql_mail_ops;
extern const struct store_attach_ops sql_attach_ops;
extern const struct store_notify_ops sql_notify_ops;
extern const struct store_condition_ops sql_condition_ops;
extern const struct store_risk_ops sql_risk_ops;
extern const struct store_acceptance_ops sql_acceptance_ops;
extern const struct store_guideline_ops sql_guideline_ops;
extern const struct store_knowledge_ops sql_knowledge_ops;
extern const struct store_routing_ops sql_routing_ops;
extern const struct store_cost_ops sql_cost_ops;

/* sql_search.c: the full-text search and the ticket list's text filter,
 * the one SQL written per engine (see there). */
static inline int sq_is_sqlite(const struct db *c)
{
	return c->drv == &db_sqlite;
}
/* A word as an FTS5 string: "…" with each " doubled. */
int sq_fts_quote(struct buf *b, const char *term);
/* A word as an ILIKE pattern with ESCAPE '\': %…% with %, _ and \ escaped. */
int sq_like_pattern(struct buf *b, const char *term);
/* The text arguments of a search for an engine: match (SQLite: the FTS5
 * query of the words of three characters or more, joined by AND or, when
 * any, by OR; PostgreSQL: the ILIKE pattern of the longest word, none when
 * any) and check (the JSON array of the words instr() checks: on SQLite
 * the short ones, or all when there is no match; on PostgreSQL all);
 * each NULL when empty, else freed by sq_text_release. 0, or ERR_INTERNAL
 * when out of memory. */
struct sq_text {
	char *match, *check;
};
int sq_text_args(int sqlite, const char *const *terms, const size_t *chars, size_t n, int any,
		 struct sq_text *out);
void sq_text_release(struct sq_text *t);
struct search_query;
int sq_search(struct store *st, const struct search_query *q, json_t **out, struct err *e);

/* Step a statement that returns no row; on failure reset it and return. */
#define STEP_DONE(c, s, e)                                                                         \
	do {                                                                                       \
		int rc_ = db_done((s), NULL, NULL, (e));                                           \
		if (rc_)                                                                           \
			return rc_;                                                                \
	} while (0)

#define CONN_OR_FAIL(c, st, tx, e)                                                                 \
	struct db *c = sq_conn((st), (tx));                                                      \
	if (!c)                                                                                    \
	return err_set((e), ERR_INTERNAL, NULL, "store connection unavailable")

#define STMT_OR_FAIL(s, c, sql, e)                                                                 \
	struct db_stmt *s = db_stmt((c), (sql), (e));                                              \
	if (!s)                                                                                    \
	return ERR_INTERNAL

/* sql_users.c: customers, users and tokens. */
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

#endif
