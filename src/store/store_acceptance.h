/*
 * store_acceptance.h — the store operations of operational acceptance (see
 * store.h): the checklists, and the five questions the automatic evidence
 * asks of the rest of the store (checks, published procedures, backup runs,
 * SLAs).
 *
 * Conventions as in store.h: writes take the tx of a store_write; reads take
 * tx = NULL (or the tx, to see its changes). Records handed out own their
 * body; release them with acc_rec_release, arrays with acc_free_recs.
 *
 * Invariants the backend keeps: keys are unique (ERR_CONFLICT on "key"); an
 * update applies only when the stored version is the one before (else
 * ERR_CONFLICT on "version"). Each evidence question answers 0 with the
 * first record found in *f, or ERR_NOT_FOUND (e untouched) when there is
 * none.
 */
#ifndef ITSM_STORE_ACCEPTANCE_H
#define ITSM_STORE_ACCEPTANCE_H

#include "model/acceptance.h"
#include "store/store.h"

struct store_acceptance_ops {
	/* Insert r (id, version 1 and updated_at set on success). */
	int (*insert)(struct store_tx *tx, struct acc_rec *r, struct err *e);
	/* Update when the stored version equals r->version - 1. */
	int (*update)(struct store_tx *tx, const struct acc_rec *r, struct err *e);
	/* By key; ERR_NOT_FOUND (e untouched) when none. */
	int (*get)(struct store *st, struct store_tx *tx, const char *key, struct acc_rec *r,
		   struct err *e);
	/* Newest first: status and service NULL for all; ids below before_id
	 * (0: from the newest); at most limit (0: all), *more set when another
	 * follows. */
	int (*list)(struct store *st, const char *status, const char *service, int64_t before_id,
		    int limit, struct acc_rec **out, size_t *n, int *more, struct err *e);

	/* An enabled check on the item of that key. */
	int (*check_on_item)(struct store *st, struct store_tx *tx, const char *item,
			     struct acc_found *f, struct err *e);
	/* An enabled check on an item whose service is that key. */
	int (*check_on_service)(struct store *st, struct store_tx *tx, const char *service,
				struct acc_found *f, struct err *e);
	/* A published version of a procedure whose title or steps contain
	 * pattern (a LIKE pattern, ESCAPE '\', matched on lower case). */
	int (*procedure_naming)(struct store *st, struct store_tx *tx, const char *pattern,
				struct acc_found *f, struct err *e);
	/* A completed run, ended at or after since, with no step deviating, of
	 * a procedure whose title contains "backup" and whose title or run
	 * version's steps contain pattern (as above). The newest first. */
	int (*backup_run)(struct store *st, struct store_tx *tx, const char *pattern,
			  int64_t since, struct acc_found *f, struct err *e);
	/* An active SLA of a customer (not an OLA) on the service of that key. */
	int (*sla_on_service)(struct store *st, struct store_tx *tx, const char *service,
			      struct acc_found *f, struct err *e);
};

#endif
