/*
 * store_session.h — the store operations of web console sessions (see
 * store.h): sessions keyed by the hash of their cookie, and the count of
 * failed sign-ins per username for the back-off.
 *
 * The count only grows by failures_add, an increment the database does
 * itself, so sign-ins that fail at once never overwrite each other's.
 */
#ifndef ITSM_STORE_SESSION_H
#define ITSM_STORE_SESSION_H

#include "model/platform.h"
#include "store/store.h"

/* A stored session and its user's name ("" when none); 0 goes on. */
typedef int (*store_session_fn)(const struct session_row *s, const char *username, void *ctx);

struct store_session_ops {
	int (*insert)(struct store_tx *tx, const struct session_row *s, struct err *e);
	/* The session and its active user; ERR_NOT_FOUND when there is none. */
	int (*get)(struct store *st, const uint8_t hash[32], struct session_row *s, struct user *u,
		   struct err *e);
	int (*touch)(struct store_tx *tx, const uint8_t hash[32], int64_t at, struct err *e);
	/* ERR_NOT_FOUND when there was no such session. */
	int (*remove)(struct store_tx *tx, const uint8_t hash[32], struct err *e);
	/* The hashes of user_id's sessions (*out: n × 32 bytes, the caller's to
	 * free), in tx when inside a write. */
	int (*list_user)(struct store *st, struct store_tx *tx, int64_t user_id, uint8_t **out,
			 size_t *n, struct err *e);
	/* Every session, for audit_verify. */
	int (*scan)(struct store *st, store_session_fn fn, void *ctx, struct err *e);
	/* The failures counted for username and when its lock ends (0 and 0
	 * when there are none); pass the tx inside a write to see its changes. */
	int (*failures_get)(struct store *st, struct store_tx *tx, const char *username,
			    int64_t *failures, int64_t *locked_until, struct err *e);
	/* Count one more failure; *failures is the count after it. */
	int (*failures_add)(struct store_tx *tx, const char *username, int64_t *failures,
			    struct err *e);
	int (*failures_lock)(struct store_tx *tx, const char *username, int64_t locked_until,
			     struct err *e);
	int (*failures_clear)(struct store_tx *tx, const char *username, struct err *e);
};

#endif
