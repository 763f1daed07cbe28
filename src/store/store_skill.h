/*
 * store_skill.h — the store operations of the skill module (see store.h):
 * staff records, their career records, the append-only assessment history,
 * and the ticket counts shown as evidence.
 *
 * Conventions as in store.h: writes take the tx of a store_write; reads take
 * tx = NULL (or the tx, to see its changes). Records handed out own their
 * strings; release them with staff_release, staff_career_release,
 * staff_assessment_release (model/skills.h), arrays with staff_free_*.
 *
 * Invariants the backend keeps: staff keys are unique and a user is linked to
 * at most one staff record (both ERR_CONFLICT naming the field); an update
 * applies only when the stored version is the one before (else ERR_CONFLICT);
 * a career is verified at most once; assessment rows are never updated or
 * deleted.
 */
#ifndef ITSM_STORE_SKILL_H
#define ITSM_STORE_SKILL_H

#include "model/desk.h"
#include "model/skills.h"
#include "store/store.h"

/* For the skill map: a staff record and its latest assessment (NULL when it
 * was never assessed). Return 0 to go on, >0 to stop, <0 on error. */
typedef int (*store_staff_latest_fn)(const struct staff *s, const struct staff_assessment *a,
				     void *ctx);

struct staff_page {
	struct staff *items;
	size_t n;
	int more; /* another page follows */
};

struct store_skill_ops {
	/* Insert s (id, version 1 and times set on success). */
	int (*staff_insert)(struct store_tx *tx, struct staff *s, struct err *e);
	/* Update when the stored version equals s->version - 1. */
	int (*staff_update)(struct store_tx *tx, const struct staff *s, struct err *e);
	/* By key, or by linked user when key is NULL; ERR_NOT_FOUND when none. */
	int (*staff_get)(struct store *st, struct store_tx *tx, const char *key, int64_t user_id,
			 struct staff *s, struct err *e);
	/* Key order; group "" or NULL for all; keys after `after` ("" from the
	 * start); at most limit items, more set when another page follows. */
	int (*staff_list)(struct store *st, const char *group, const char *after, int limit,
			  struct staff_page *p, struct err *e);

	int (*career_insert)(struct store_tx *tx, struct staff_career *c, struct err *e);
	int (*career_get)(struct store *st, struct store_tx *tx, int64_t id, struct staff_career *c,
			  struct err *e);
	/* Set verified_by/verified_at when still unverified; else ERR_CONFLICT. */
	int (*career_verify)(struct store_tx *tx, const struct staff_career *c, struct err *e);
	/* Every career of staff_id in id order. */
	int (*career_list)(struct store *st, struct store_tx *tx, int64_t staff_id,
			   struct staff_career **out, size_t *n, struct err *e);

	int (*assessment_insert)(struct store_tx *tx, struct staff_assessment *a, struct err *e);
	/* Newest first: ids below before_id (0: from the newest), at most limit. */
	int (*assessment_list)(struct store *st, int64_t staff_id, int64_t before_id, int limit,
			       struct staff_assessment **out, size_t *n, int *more,
			       struct err *e);
	/* Every staff record (of group, unless "" or NULL) in key order, each with
	 * its latest assessment. */
	int (*staff_latest_scan)(struct store *st, const char *group, store_staff_latest_fn fn,
				 void *ctx, struct err *e);

	/* Tickets whose assignee is user_id, counted by kind and status. */
	int (*ticket_counts_for)(struct store *st, int64_t user_id,
				 int64_t counts[KIND__COUNT][ST__COUNT], struct err *e);
};

#endif
