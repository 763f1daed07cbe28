/*
 * store_change.h — the store operations of change control (see store.h):
 * changes and freeze windows.
 *
 * Conventions as in store.h: writes take the tx of a store_write; reads take
 * tx = NULL (or the tx, to see its changes). Records handed out own their
 * body; release them with change_rec_release, arrays with change_free_recs
 * (model/change.h); freeze arrays with free().
 *
 * Invariants the backend keeps: change keys are unique (ERR_CONFLICT on
 * "key"); an update applies only when the stored version is the one before
 * (else ERR_CONFLICT on "version").
 */
#ifndef ITSM_STORE_CHANGE_H
#define ITSM_STORE_CHANGE_H

#include "model/change.h"
#include "store/store.h"

struct store_change_ops {
	/* Insert c (id, version 1 and updated_at set on success). */
	int (*change_insert)(struct store_tx *tx, struct change_rec *c, struct err *e);
	/* Update when the stored version equals c->version - 1. */
	int (*change_update)(struct store_tx *tx, const struct change_rec *c, struct err *e);
	/* By key, or by id when key is NULL; ERR_NOT_FOUND (e untouched) when none. */
	int (*change_get)(struct store *st, struct store_tx *tx, const char *key, int64_t id,
			  struct change_rec *c, struct err *e);
	/* Newest first: status "" or NULL for all; ids below before_id (0: from
	 * the newest); at most limit, *more set when another follows. */
	int (*change_list)(struct store *st, const char *status, int64_t before_id, int limit,
			   struct change_rec **out, size_t *n, int *more, struct err *e);
	/* Changes scheduled or implementing whose window meets [from, to)
	 * (from = to = 0: all of them), in start order. */
	int (*change_active)(struct store *st, struct store_tx *tx, int64_t from, int64_t to,
			     struct change_rec **out, size_t *n, struct err *e);

	int (*freeze_insert)(struct store_tx *tx, struct freeze_rec *f, struct err *e);
	/* ERR_NOT_FOUND (e untouched) when none. */
	int (*freeze_get)(struct store *st, struct store_tx *tx, int64_t id, struct freeze_rec *f,
			  struct err *e);
	int (*freeze_delete)(struct store_tx *tx, int64_t id, struct err *e);
	/* Freezes meeting [from, to) (0, 0: all), in start order. */
	int (*freeze_list)(struct store *st, struct store_tx *tx, int64_t from, int64_t to,
			   struct freeze_rec **out, size_t *n, struct err *e);
};

#endif
