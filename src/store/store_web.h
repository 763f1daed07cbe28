/*
 * store_web.h — the store operations behind the web console's extras (see
 * store.h): satisfaction ratings and the dashboard's ticket statistics.
 *
 * Conventions as in store.h: writes take the tx of a store_write; reads take
 * tx = NULL (or the tx, to see its changes). A rating handed out owns its
 * comment (rating_release); ticket_stats its cells (ticket_stats_release).
 *
 * Invariants the backend keeps: at most one rating per ticket (a second
 * insert is ERR_CONFLICT on field "ticket"); a score is 1–5.
 */
#ifndef ITSM_STORE_WEB_H
#define ITSM_STORE_WEB_H

#include "model/desk.h"
#include "store/store.h"

/* A stored rating with its ticket's key ("" when none); the rating's
 * comment is borrowed for the call. 0 goes on. */
typedef int (*store_rating_fn)(const struct rating *r, const char *ticket_key, void *ctx);

struct store_web_ops {
	/* Insert r (id set on success). */
	int (*rating_insert)(struct store_tx *tx, struct rating *r, struct err *e);
	/* The rating of a ticket; ERR_NOT_FOUND when it has none. */
	int (*rating_get)(struct store *st, struct store_tx *tx, int64_t ticket_id,
			  struct rating *r, struct err *e);
	/* Every rating, for audit_verify. */
	int (*rating_scan)(struct store *st, store_rating_fn fn, void *ctx, struct err *e);
	/* Aggregates only: counts by status, the open cube, resolved in the
	 * month, ratings. */
	int (*ticket_stats)(struct store *st, const struct stats_query *q, struct ticket_stats *out,
			    struct err *e);
};

#endif
