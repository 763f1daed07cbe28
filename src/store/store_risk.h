/*
 * store_risk.h — the store operations of the risk register (see store.h):
 * risks, their measures, and what the periodic check reads (measures and
 * reviews past due that were not warned of).
 *
 * Conventions as in store.h: writes take the tx of a store_write; reads take
 * tx = NULL (or the tx, to see its changes). Records handed out own their
 * body; release them with risk_rec_release, arrays with risk_free_recs
 * (model/risk.h); measure arrays with free().
 *
 * Invariants the backend keeps: risk keys are unique (ERR_CONFLICT on
 * "key"); an update applies only when the stored version is the one before
 * (else ERR_CONFLICT on "version").
 */
#ifndef ITSM_STORE_RISK_H
#define ITSM_STORE_RISK_H

#include "model/risk.h"
#include "store/store.h"

struct store_risk_ops {
	/* Insert r (id, version 1 and updated_at set on success). */
	int (*risk_insert)(struct store_tx *tx, struct risk_rec *r, struct err *e);
	/* Update when the stored version equals r->version - 1. */
	int (*risk_update)(struct store_tx *tx, const struct risk_rec *r, struct err *e);
	/* By key, or by id when key is NULL; ERR_NOT_FOUND (e untouched) when none. */
	int (*risk_get)(struct store *st, struct store_tx *tx, const char *key, int64_t id,
			struct risk_rec *r, struct err *e);
	/* Newest first: status NULL for all, owner NULL for all; ids below
	 * before_id (0: from the newest); at most limit (0: all), *more set
	 * when another follows. */
	int (*risk_list)(struct store *st, const char *status, const char *owner,
			 int64_t before_id, int limit, struct risk_rec **out, size_t *n, int *more,
			 struct err *e);
	/* Risks not closed whose next review is due at or before now and was
	 * not warned of yet, oldest review first, at most limit. */
	int (*review_due)(struct store *st, struct store_tx *tx, int64_t now, int limit, struct risk_rec **out,
			  size_t *n, struct err *e);
	/* Set the review warned of, without a new version (a notice, not an edit). */
	int (*review_warned)(struct store_tx *tx, int64_t id, int64_t at, struct err *e);

	/* Insert m (id set). */
	int (*measure_insert)(struct store_tx *tx, struct risk_measure *m, struct err *e);
	int (*measure_update)(struct store_tx *tx, const struct risk_measure *m, struct err *e);
	/* The measures of a risk in id order (a new array the caller frees). */
	int (*measure_list)(struct store *st, struct store_tx *tx, int64_t risk_id,
			    struct risk_measure **out, size_t *n, struct err *e);
	/* Measures planned or in progress, of a risk not closed, due at or
	 * before now and not warned of at that due date; at most limit, with
	 * risk_key set. */
	int (*measure_due)(struct store *st, struct store_tx *tx, int64_t now, int limit, struct risk_measure **out,
			   size_t *n, struct err *e);
	int (*measure_warned)(struct store_tx *tx, int64_t id, int64_t due, struct err *e);
};

#endif
