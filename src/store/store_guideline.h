/*
 * store_guideline.h — the store operations of operational guidelines (see
 * store.h): guidelines, their published versions, acknowledgements and the
 * runs of their checklists.
 *
 * Conventions as in store.h: writes take the tx of a store_write; reads take
 * tx = NULL (or the tx, to see its changes). Records handed out own their
 * strings (guideline_rec_release, guideline_free_recs); JSON handed out is
 * a new reference the caller json_decref()s.
 *
 * Invariants the backend keeps: keys are unique (ERR_CONFLICT on "key"); an
 * update applies only when the stored version is the one before (else
 * ERR_CONFLICT on "version"); a version number is stored once per
 * guideline; a user acknowledges a version once (ERR_CONFLICT).
 */
#ifndef ITSM_STORE_GUIDELINE_H
#define ITSM_STORE_GUIDELINE_H

#include <jansson.h>

#include "model/guideline.h"
#include "store/store.h"

struct store_guideline_ops {
	/* Insert g (id, version 1 and updated_at set on success). */
	int (*insert)(struct store_tx *tx, struct guideline_rec *g, struct err *e);
	/* Update when the stored version equals g->version - 1. */
	int (*update)(struct store_tx *tx, const struct guideline_rec *g, struct err *e);
	/* By key; ERR_NOT_FOUND (e untouched) when none. */
	int (*get)(struct store *st, struct store_tx *tx, const char *key,
		   struct guideline_rec *g, struct err *e);
	/* Newest first: status NULL for all; ids below before_id (0: from the
	 * newest); at most limit, *more set when another follows. */
	int (*list)(struct store *st, const char *status, int64_t before_id, int limit,
		    struct guideline_rec **out, size_t *n, int *more, struct err *e);

	int (*version_insert)(struct store_tx *tx, int64_t id, int64_t n, const char *text,
			      const char *by, int64_t at, struct err *e);
	/* {"version", "text", "published_by", "published_at"}; ERR_NOT_FOUND
	 * (e untouched) when none. */
	int (*version_get)(struct store *st, struct store_tx *tx, int64_t id, int64_t n,
			   json_t **out, struct err *e);

	int (*ack_insert)(struct store_tx *tx, int64_t id, int64_t n, const char *username,
			  int64_t at, struct err *e);
	/* The acknowledgements of version n: [{"username", "at"}] by name. */
	int (*ack_list)(struct store *st, struct store_tx *tx, int64_t id, int64_t n, json_t **out,
			struct err *e);

	/* A run: results (canonical JSON text), the count of failures. */
	int (*run_insert)(struct store_tx *tx, int64_t id, const char *results, int64_t failed,
			  const char *by, int64_t at, int64_t *run_id, struct err *e);
	/* The runs of a guideline, newest first, at most limit:
	 * [{"id", "results", "failed", "run_by", "run_at"}]. */
	int (*run_list)(struct store *st, int64_t id, int limit, json_t **out, struct err *e);
};

#endif
