/*
 * store.h — the one interface between the domain and durable storage.
 *
 * A backend fills a table of function pointers (struct store_ops); the domain
 * calls the store_* wrappers below and never sees SQL.
 *
 * Writes: store_write(st, fn, ctx) runs fn inside a write transaction. In the
 * server, one writer thread runs the writes of all concurrent requests in a
 * single transaction (group commit) with a savepoint per request, so one
 * request's failure undoes only its own changes; store_write returns only
 * after the transaction is durable on disk (fsynced). Inside fn, pass the tx
 * to the store_* calls so they see the transaction's own changes.
 *
 * Reads: pass tx = NULL; each thread reads through a connection of its own.
 *
 * Errors: every operation reports a failure of the store (busy: ERR_BUSY; a
 * full disk: ERR_FULL; an I/O error or no memory: ERR_INTERNAL) as such,
 * never as "not found" or as a shorter list. A get's ERR_NOT_FOUND means the
 * record is absent.
 *
 * Records handed out (struct ticket, comments, …) own their strings; release
 * them with the *_release functions of model/ (the records' headers).
 */
#ifndef ITSM_STORE_H
#define ITSM_STORE_H

#include <jansson.h>
#include <stdint.h>

#include "model/desk.h"
#include "model/platform.h"
#include "lib/err.h"

struct store;
struct store_tx;

typedef int (*store_write_fn)(struct store_tx *tx, void *ctx, struct err *e);
typedef int (*store_audit_fn)(const struct audit_rec *r, void *ctx);
/* Run after a write: committed is 1 once it is durable, 0 when it was
 * rolled back; either way the function owns (and frees) arg. */
typedef void (*store_commit_fn)(void *arg, int committed);
/* Scan callbacks return 0 to go on, >0 to stop early, <0 on error. */
typedef int (*store_ticket_fn)(const struct ticket *t, void *ctx);
typedef int (*store_comment_fn)(const struct comment *c, const char *ticket_key, void *ctx);
typedef int (*store_token_fn)(const struct token *t, const char *username, void *ctx);
typedef void (*store_follow_fn)(const char *topic, const char *text, void *ctx);
typedef void (*store_copy_fn)(const char *table, int64_t rows, void *ctx);

enum { STORE_SERVER = 1 }; /* open flag: run the group-commit writer thread */

struct ticket_page {
	struct ticket *items;
	size_t n;
	int more; /* another page follows */
};

/* Modules beyond the service desk keep their operations in tables of their
 * own (store/store_<module>.h), reached from here; a backend fills each. */
struct store_sla_ops;
struct store_skill_ops;
struct store_cmdb_ops;
struct store_problem_ops;
struct store_change_ops;
struct store_session_ops;
struct store_operation_ops;
struct store_mail_ops;
struct store_attach_ops;
struct store_notify_ops;
struct store_condition_ops;
struct store_risk_ops;
struct store_acceptance_ops;
struct store_guideline_ops;
struct store_knowledge_ops;
struct store_cost_ops;

struct store_ops {
	const char *name;
	int (*open)(struct store *st, const char *uri, int flags, struct err *e);
	void (*close)(struct store *st);
	int (*write)(struct store *st, store_write_fn fn, void *ctx, struct err *e);
	/* Inside a write: call fn once the write's fate is known (after the
	 * commit, or when this request's changes are rolled back). ERR_INTERNAL
	 * when out of memory: fn has then been called with committed 0. */
	int (*after_commit)(struct store_tx *tx, store_commit_fn fn, void *arg);
	int (*ping)(struct store *st);

	int (*counter_next)(struct store_tx *tx, const char *name, int64_t *out, struct err *e);
	/* ERR_NOT_FOUND (e untouched) when the key has no value. */
	int (*meta_get)(struct store *st, struct store_tx *tx, const char *key, char *out,
			size_t n, struct err *e);
	int (*meta_set)(struct store_tx *tx, const char *key, const char *value, struct err *e);

	int (*customer_insert)(struct store_tx *tx, struct customer *c, struct err *e);
	int (*customer_get)(struct store *st, struct store_tx *tx, int64_t id, const char *key,
			    struct customer *c, struct err *e);
	int (*customer_list)(struct store *st, struct customer **out, size_t *n, struct err *e);
	/* Name and status, when the stored version is c->version - 1; else
	 * ERR_CONFLICT on "version". */
	int (*customer_update)(struct store_tx *tx, const struct customer *c, struct err *e);

	int (*user_insert)(struct store_tx *tx, struct user *u, struct err *e);
	int (*user_update)(struct store_tx *tx, const struct user *u, struct err *e);
	int (*user_get)(struct store *st, struct store_tx *tx, int64_t id, const char *username,
			struct user *u, struct err *e);
	int (*user_list)(struct store *st, struct user **out, size_t *n, struct err *e);
	int (*user_count)(struct store *st, int64_t *n, struct err *e);
	/* Active admins, in tx when inside a write (the last one stays). */
	int (*user_count_admins)(struct store *st, struct store_tx *tx, int64_t *n,
				 struct err *e);

	int (*token_insert)(struct store_tx *tx, struct token *t, struct err *e);
	/* Find an unrevoked token by hash and its active user. */
	int (*token_find)(struct store *st, const uint8_t *hash, struct token *t, struct user *u,
			  struct err *e);
	/* Every token, revoked or not, with its user's name ("" when none). */
	int (*token_scan)(struct store *st, store_token_fn fn, void *ctx, struct err *e);
	/* A token by id, revoked or not, with its user's name in t->user;
	 * ERR_NOT_FOUND when there is none. */
	int (*token_get)(struct store *st, struct store_tx *tx, int64_t id, struct token *t,
			 struct err *e);
	/* The tokens of user_id (0: of everyone) by id, revoked ones too, each
	 * with its user's name; *out is the caller's to free. */
	int (*token_list)(struct store *st, int64_t user_id, struct token **out, size_t *n,
			  struct err *e);
	int (*token_revoke)(struct store_tx *tx, int64_t id, struct err *e);
	int (*token_touch)(struct store_tx *tx, int64_t id, int64_t at, struct err *e);

	int (*ticket_insert)(struct store_tx *tx, struct ticket *t, struct err *e);
	/* Update when the stored version equals t->version - 1; else ERR_CONFLICT. */
	int (*ticket_update)(struct store_tx *tx, const struct ticket *t, struct err *e);
	int (*ticket_get)(struct store *st, struct store_tx *tx, const char *ref, struct ticket *t,
			  struct err *e);
	int (*ticket_list)(struct store *st, const struct ticket_filter *f, struct ticket_page *p,
			   struct err *e);
	int (*ticket_scan)(struct store *st, store_ticket_fn fn, void *ctx, struct err *e);
	int (*comment_scan)(struct store *st, store_comment_fn fn, void *ctx, struct err *e);
	int (*ticket_count_by_status)(struct store *st, int64_t counts[ST__COUNT], struct err *e);

	int (*comment_insert)(struct store_tx *tx, struct comment *c, struct err *e);
	int (*comment_list)(struct store *st, int64_t ticket_id, int include_internal,
			    struct comment **out, size_t *n, struct err *e);
	int (*history_insert)(struct store_tx *tx, struct history_entry *h, struct err *e);
	int (*history_list)(struct store *st, struct store_tx *tx, int64_t ticket_id,
			    struct history_entry **out, size_t *n, struct err *e);

	int (*audit_head)(struct store_tx *tx, int64_t *seq, uint8_t hash[AUDIT_HASH_LEN],
			  struct err *e);
	int (*audit_insert)(struct store_tx *tx, const struct audit_rec *r, struct err *e);
	int (*audit_scan)(struct store *st, int64_t after, int64_t limit, store_audit_fn fn,
			  void *ctx, struct err *e);
	/* Copy the whole store into a new file at path (which must not exist):
	 * one committed state, taken while writers go on (they are never
	 * paused); the copy is a store of its own. */
	int (*backup)(struct store *st, const char *path, struct err *e);
	/* The backend's check of every page and index: ERR_INVALID naming the
	 * first problem. */
	int (*check)(struct store *st, struct err *e);
	/* Reads on this thread between these two see one state of the store. */
	int (*snapshot_begin)(struct store *st, struct err *e);
	void (*snapshot_end)(struct store *st);

	/* Several servers on one store. leader: 1 when this process leads
	 * role ("sla", "checks"): one process at a time does that role's work;
	 * the role passes to another when its leader dies. announce: inside
	 * a write, tell the other processes on the store (topic, text) once
	 * it commits. follow: call fn in a thread of the store's for what
	 * other processes announce (topic NULL after a gap: something may
	 * have been missed). A store one process owns leads every role and
	 * has no one to tell. */
	int (*leader)(struct store *st, const char *role);
	int (*announce)(struct store_tx *tx, const char *topic, const char *text,
			struct err *e);
	int (*follow)(struct store *st, store_follow_fn fn, void *ctx, struct err *e);
	/* Copy every row of the store st into to, an empty store of either
	 * engine opened by this process (not the server's): one read state
	 * of st, one transaction in to; progress (may be NULL) hears each
	 * table done. */
	int (*copy)(struct store *st, struct store *to, store_copy_fn progress, void *ctx,
		    struct err *e);

	/* ticket statistics and satisfaction ratings (sql_web.c) */
	const struct store_web_ops *web; /* store_web.h */

	const struct store_session_ops *session; /* store_session.h */
	const struct store_sla_ops *sla;	 /* store_sla.h */
	const struct store_skill_ops *skill;	 /* store_skill.h */
	const struct store_cmdb_ops *cmdb;	 /* store_cmdb.h */
	const struct store_operation_ops *operation; /* store_operation.h */
	const struct store_problem_ops *problem; /* store_problem.h */
	const struct store_change_ops *change;	 /* store_change.h */
	const struct store_mail_ops *mail;	 /* store_mail.h */
	const struct store_notify_ops *notify;	 /* store_notify.h */
	const struct store_condition_ops *condition; /* store_condition.h */
	const struct store_risk_ops *risk;	 /* store_risk.h */
	const struct store_acceptance_ops *acceptance; /* store_acceptance.h */
	const struct store_guideline_ops *guideline; /* store_guideline.h */
	const struct store_knowledge_ops *knowledge; /* store_knowledge.h */
	const struct store_routing_ops *routing; /* store_routing.h */
	const struct store_attach_ops *attach;	 /* store_attach.h */
	const struct store_cost_ops *cost;	 /* store_cost.h */
};

struct store {
	const struct store_ops *ops;
	void *impl;
	char uri[512];
};

/* A write transaction; backends embed it as the first member of their own. */
struct store_tx {
	struct store *st;
};

/* Whether uri names a store that is one file (SQLite), which the file
 * operations (backup, restore, STORE.lock) apply to; else it is a
 * PostgreSQL connection string. */
int store_is_file(const char *uri);

/* Open the store named by uri (a file path selects SQLite; the file and its
 * schema are created and migrated when missing). Returns NULL with e set.
 * Release with store_close. */
struct store *store_open(const char *uri, int flags, struct err *e);
void store_close(struct store *st);

/* What `itsm version` says of a store, read without opening it for use:
 * nothing is created or migrated. schema is the store's migration number
 * (SQLite: PRAGMA user_version), latest the newest this binary embeds. */
struct store_schema {
	int schema;
	int latest;
};
/* ERR_NOT_FOUND when no store exists at uri; ERR_INVALID when the file is
 * not a store. */
int store_schema_read(const char *uri, struct store_schema *out, struct err *e);
/* The newest migration this binary embeds. */
int store_schema_latest(void);
/* The run-time version of an engine's library ("sqlite": "3.40.1";
 * "postgresql": libpq's "15.18"); a static string. */
const char *store_library_version(const char *engine);

static inline int store_write(struct store *st, store_write_fn fn, void *ctx, struct err *e)
{
	return st->ops->write(st, fn, ctx, e);
}

extern const struct store_ops store_sql_ops;

#endif
