/*
 * store_cost.h — the store operations of time entries and the cost report's
 * sums (see store.h, docs/cost.md).
 *
 * Conventions as in store.h: writes take the tx of a store_write; reads take
 * tx = NULL (or the tx, to see its changes). JSON handed out is a new
 * reference the caller json_decref()s.
 *
 * Invariants the backend keeps: an update applies only when the stored
 * version is the one before (else ERR_CONFLICT on "version"); an entry is
 * never deleted.
 */
#ifndef ITSM_STORE_COST_H
#define ITSM_STORE_COST_H

#include <jansson.h>

#include "model/cost.h"
#include "store/store.h"

struct store_cost_ops {
	/* Insert t (id, version 1 and updated_at set on success). */
	int (*insert)(struct store_tx *tx, struct time_entry *t, struct err *e);
	/* Minutes, date, note, cost and updated_at when the stored version is
	 * t->version - 1. */
	int (*update)(struct store_tx *tx, const struct time_entry *t, struct err *e);
	/* ERR_NOT_FOUND (e untouched) when none. */
	int (*get)(struct store *st, struct store_tx *tx, int64_t id, struct time_entry *t,
		   struct err *e);
	/* The entries of one ticket, change or run, oldest first (subject NULL:
	 * every entry with an id above after_id, at most limit, for the audit
	 * scan); *out is a new array the caller frees. */
	int (*list)(struct store *st, const char *subject, const char *ref, int64_t after_id,
		    int limit, struct time_entry **out, size_t *n, struct err *e);

	/* Sums over the entries worked on days in [from, to) (YYYY-MM-DD),
	 * of one customer (0: all): cost counts only the entries in currency;
	 * "other" counts those in another. by: */
	/*   COST_BY_SERVICE  [{"customer", "service", "entries", "minutes", "cost", "other"}]
	 *   COST_BY_TICKET   [{"ticket", "customer", "service", ...}] the most costly
	 *                    first, at most limit
	 *   COST_BY_MONTH    [{"month", ...}] by month, oldest first */
	int (*sums)(struct store *st, int by, const char *from, const char *to, int64_t customer_id,
		    const char *currency, int limit, json_t **out, struct err *e);
};

enum { COST_BY_SERVICE, COST_BY_TICKET, COST_BY_MONTH };

#endif
