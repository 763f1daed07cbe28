/*
 * store_operation.h — the store operations of operation by procedure (see
 * store.h): procedures and their versions, schedule jobs, executions and
 * their recorded steps.
 *
 * Conventions as in store.h: writes take the tx of a store_write; reads take
 * tx = NULL (or the tx, to see its changes). Records handed out own their
 * strings; release them with model/operation.h's functions.
 *
 * Invariants the backend keeps: keys are unique; a published version is
 * never changed (a trigger refuses it), a draft's steps change only while it
 * is one; one execution per occurrence of a job (ERR_CONFLICT on
 * "occurrence"); a step is recorded once per execution (ERR_CONFLICT on
 * "step") and confirmed once; updates guarded by a version apply only when
 * the stored version is the one before (else ERR_CONFLICT on "version").
 */
#ifndef ITSM_STORE_OPERATION_H
#define ITSM_STORE_OPERATION_H

#include "model/operation.h"
#include "store/store.h"

struct store_operation_ops {
	/* Insert p (id, version 1 set). */
	int (*proc_insert)(struct store_tx *tx, struct op_procedure *p, struct err *e);
	/* Set title and updated_at when the stored version is p->version - 1. */
	int (*proc_update)(struct store_tx *tx, const struct op_procedure *p, struct err *e);
	/* By key; ERR_NOT_FOUND when none. */
	int (*proc_get)(struct store *st, struct store_tx *tx, const char *key,
			struct op_procedure *p, struct err *e);
	/* By id; ERR_NOT_FOUND when none. */
	int (*proc_get_id)(struct store *st, struct store_tx *tx, int64_t id,
			   struct op_procedure *p, struct err *e);
	/* Every procedure in id order (*out the caller frees). */
	int (*proc_list)(struct store *st, struct op_procedure **out, size_t *n, struct err *e);

	int (*version_insert)(struct store_tx *tx, struct op_proc_version *v, struct err *e);
	/* A draft's steps; ERR_CONFLICT when it is published meanwhile. */
	int (*version_set_steps)(struct store_tx *tx, const struct op_proc_version *v,
				 struct err *e);
	/* Set published_by/published_at of a draft; else ERR_CONFLICT. */
	int (*version_publish)(struct store_tx *tx, const struct op_proc_version *v,
			       struct err *e);
	/* Version number of procedure_id; ERR_NOT_FOUND when none. */
	int (*version_get)(struct store *st, struct store_tx *tx, int64_t procedure_id,
			   int64_t number, struct op_proc_version *v, struct err *e);
	/* Every version of procedure_id, by number. */
	int (*version_list)(struct store *st, struct store_tx *tx, int64_t procedure_id,
			    struct op_proc_version **out, size_t *n, struct err *e);

	int (*job_insert)(struct store_tx *tx, struct op_job *j, struct err *e);
	int (*job_get)(struct store *st, struct store_tx *tx, const char *key, struct op_job *j,
		       struct err *e);
	/* Every job (of shift, unless NULL) in id order. */
	int (*job_list)(struct store *st, const char *shift, struct op_job **out, size_t *n,
			struct err *e);

	int (*run_insert)(struct store_tx *tx, struct op_run *r, struct err *e);
	/* Status, reason, ended_at, updated_at when the stored version is
	 * r->version - 1. */
	int (*run_update)(struct store_tx *tx, const struct op_run *r, struct err *e);
	int (*run_get)(struct store *st, struct store_tx *tx, const char *key, struct op_run *r,
		       struct err *e);
	/* Newest first; status "" or NULL for all; job_id 0 for all;
	 * occurrences in [from, to) when to > 0. */
	int (*run_list)(struct store *st, const char *status, int64_t job_id, int64_t from,
			int64_t to, struct op_run **out, size_t *n, struct err *e);

	int (*step_insert)(struct store_tx *tx, struct op_step *s, struct err *e);
	/* Set confirmed_by/confirmed_at once; else ERR_CONFLICT. */
	int (*step_confirm)(struct store_tx *tx, const struct op_step *s, struct err *e);
	/* Every recorded step of run_id in step order. */
	int (*step_list)(struct store *st, struct store_tx *tx, int64_t run_id,
			 struct op_step **out, size_t *n, struct err *e);
};

#endif
