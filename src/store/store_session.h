/*
 * store_session.h — the store operations of web console sessions (see
 * store.h): sessions keyed by the hash of their cookie, and the count of
 * failed sign-ins per username for the back-off.
 */
#ifndef ITSM_STORE_SESSION_H
#define ITSM_STORE_SESSION_H

#include "model/platform.h"
#include "store/store.h"

struct store_session_ops {
	int (*insert)(struct store_tx *tx, const struct session_row *s, struct err *e);
	/* The session and its active user; ERR_NOT_FOUND when there is none. */
	int (*get)(struct store *st, const uint8_t hash[32], struct session_row *s, struct user *u,
		   struct err *e);
	int (*touch)(struct store_tx *tx, const uint8_t hash[32], int64_t at, struct err *e);
	int (*remove)(struct store_tx *tx, const uint8_t hash[32], struct err *e);
	/* Zeros when username has no failures on record. */
	int (*failures_get)(struct store *st, const char *username, int64_t *failures,
			    int64_t *locked_until, struct err *e);
	int (*failures_set)(struct store_tx *tx, const char *username, int64_t failures,
			    int64_t locked_until, struct err *e);
};

#endif
