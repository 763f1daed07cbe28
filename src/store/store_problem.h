/*
 * store_problem.h — the store operations of the problem module (see
 * store.h): problems, the items they concern, their linked incidents, the
 * known errors a ticket shows, and the raw material of recurring-incident
 * detection (recent incidents, dismissals).
 *
 * Conventions as in store.h: writes take the tx of a store_write; reads take
 * tx = NULL (or the tx, to see its changes). A struct problem handed out
 * owns its strings (problem_release); JSON handed out is a new reference
 * the caller json_decref()s.
 *
 * Invariants the backend keeps: problem keys are unique; an update applies
 * only when the stored version is the one before (else ERR_CONFLICT on
 * "version"); a ticket is linked to one problem at most (ERR_CONFLICT on
 * "ticket"); a dismissal is recorded once per basis and ticket.
 */
#ifndef ITSM_STORE_PROBLEM_H
#define ITSM_STORE_PROBLEM_H

#include <jansson.h>

#include "model/problem.h"
#include "store/store.h"

struct store_problem_ops {
	/* Insert p (id set on success; key, times and version 1 as given). */
	int (*insert)(struct store_tx *tx, struct problem *p, struct err *e);
	/* Update when the stored version equals p->version - 1. */
	int (*update)(struct store_tx *tx, const struct problem *p, struct err *e);
	/* By key; ERR_NOT_FOUND (e untouched) when none. */
	int (*get)(struct store *st, struct store_tx *tx, const char *key, struct problem *p,
		   struct err *e);
	/* Id order after f->after_id, at most f->limit; *more when another follows. */
	int (*list)(struct store *st, const struct problem_filter *f, struct problem **out,
		    size_t *n, int *more, struct err *e);

	/* The items of a problem: ["KEY", …] in key order. */
	int (*items_list)(struct store *st, struct store_tx *tx, int64_t problem_id, json_t **out,
			  struct err *e);
	/* Replace the items of a problem by the n ids of ci_ids. */
	int (*items_set)(struct store_tx *tx, int64_t problem_id, const int64_t *ci_ids, size_t n,
			 struct err *e);

	int (*incident_link)(struct store_tx *tx, int64_t problem_id, int64_t ticket_id,
			     const char *by, int64_t at, struct err *e);
	/* ERR_NOT_FOUND (e untouched) when the ticket is not linked to it. */
	int (*incident_unlink)(struct store_tx *tx, int64_t problem_id, int64_t ticket_id,
			       struct err *e);
	/* The incidents linked to a problem, in ticket id order:
	 * [{"id", "key", "title", "status", "customer", "service", "linked_at"}]. */
	int (*incidents_list)(struct store *st, struct store_tx *tx, int64_t problem_id,
			      json_t **out, struct err *e);

	/* One query: the known errors (status known_error) that concern ticket
	 * ticket_id — linked to it, or naming an item linked to it and either
	 * no service or the ticket's service — as [{"key", "title",
	 * "workaround"}] in problem id order. customer_id nonzero (a
	 * requester's) leaves out problems linked to another customer's
	 * incident. */
	int (*known_errors)(struct store *st, int64_t ticket_id, const char *service,
			    int64_t customer_id, json_t **out, struct err *e);

	/* Incidents created at or after since, not cancelled, not linked to a
	 * problem, oldest first, at most limit: one row per ticket and linked
	 * item [{"id", "key", "title", "service", "created_at", "ci"|null}]. */
	int (*recent_incidents)(struct store *st, int64_t since, int limit, json_t **out,
				struct err *e);
	/* Dismissals of tickets created at or after since: [{"basis", "ticket"}]. */
	int (*dismissals)(struct store *st, int64_t since, json_t **out, struct err *e);
	int (*dismiss)(struct store_tx *tx, const char *basis, int64_t ticket_id, const char *by,
		       int64_t at, struct err *e);
};

#endif
