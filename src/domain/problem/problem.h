/*
 * problem.h — problem management: problems (PRB-n) with their root cause
 * and workaround, known errors, linked incidents, and the detection of
 * recurring incidents.
 *
 * Invariants kept here and nowhere else:
 *  - status moves follow the lifecycle table (problem_can_move); closed
 *    and cancelled are terminal; a move the table refuses is
 *    ERR_TRANSITION;
 *  - a problem in known_error has a workaround (ERR_INVALID on
 *    "workaround" otherwise);
 *  - priority is the desk's impact × urgency rule (ticket_priority), never
 *    sent;
 *  - every change names the version it read (a stale one is ERR_CONFLICT),
 *    bumps it, and appends the audit record for "problem:KEY" in the same
 *    transaction; linking, unlinking and dismissing are audited too;
 *  - only incidents are linked, each to one problem at most;
 *  - a proposal is never acted on by itself: an agent confirms it (one
 *    problem linking its incidents) or dismisses it (its incidents do not
 *    count on that basis again);
 *  - problems are staff records: requesters and event-only tokens are
 *    refused; a requester sees a known error only on a ticket of their own
 *    customer, and never one linked to another customer's incident.
 */
#ifndef ITSM_DOMAIN_PROBLEM_H
#define ITSM_DOMAIN_PROBLEM_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/platform/actor.h"
#include "lib/err.h"

struct store;

/* ---- rules as data (problem_rules.c) -------------------------------- */

enum problem_status {
	PS_NEW,
	PS_INVESTIGATING,
	PS_KNOWN_ERROR,
	PS_RESOLVED,
	PS_CLOSED,
	PS_CANCELLED,
	PS__COUNT
};

const char *problem_status_name(enum problem_status s);
/* 0 and *out, or -1 for a name that is not a status. */
int problem_status_parse(const char *name, enum problem_status *out);
int problem_can_move(enum problem_status from, enum problem_status to);
int problem_status_is_terminal(enum problem_status s);

/* Similar titles: the Jaccard index of two titles' token sets (0..1).
 * Tokens: a run of letters and digits in a script written with spaces is
 * one word, lowercased (ASCII and full-width forms alike); in kana and CJK
 * ideographs, every two adjacent characters are one token (a run of one is
 * itself a token); everything else (spaces, punctuation, symbols) separates.
 * Two empty titles are 0. */
double problem_title_similarity(const char *a, const char *b);
/* The same from titles tokenized once (problem_tokens_new: NULL when out of
 * memory; free with free()). */
struct problem_tokens;
struct problem_tokens *problem_tokens_new(const char *title);
double problem_tokens_similarity(const struct problem_tokens *a, const struct problem_tokens *b);
#define PROBLEM_SIMILAR 0.5 /* titles at or above this are similar */

/* Recurring-incident detection: `count` incidents (2-1000) within `window_days`
 * (1-365) make a proposal. Set once at start (itsm.conf [problems]). */
struct problem_detect_config {
	int count;
	int window_days;
};
extern struct problem_detect_config problem_detect_cfg;

/* ---- operations (problem.c, problem_detect.c) ------------------------- */

/* Each returns 0 and a new JSON reference in *out (caller json_decref()s),
 * or a negative ERR_* with e filled in and nothing changed. */

/* {"title", "description", "service", "items": [CI keys], "root_cause",
 *  "workaround", "impact", "urgency", "incidents": [ticket refs]} → 201. */
int problem_add(struct store *st, const struct actor *a, const json_t *in, json_t **out,
		struct err *e);
/* The problem with its items and linked incidents. */
int problem_get_json(struct store *st, const struct actor *a, const char *key, json_t **out,
		     struct err *e);
/* Query: status, service, cursor, limit. */
int problem_list_json(struct store *st, const struct actor *a, const json_t *query,
		      json_t **out, struct err *e);
/* PATCH {"version", any of title, description, service, items, root_cause,
 * workaround, impact, urgency, status, and "resolve_incidents": true with
 * status resolved}. */
int problem_update(struct store *st, const struct actor *a, const char *key, const json_t *in,
		   json_t **out, struct err *e);
/* {"ticket": REF} links (or unlinks) an incident. */
int problem_link(struct store *st, const struct actor *a, const char *key, const json_t *in,
		 json_t **out, struct err *e);
int problem_unlink(struct store *st, const struct actor *a, const char *key, const json_t *in,
		   json_t **out, struct err *e);

/* The ticket as ticket_get_json answers it, with "known_errors": the
 * known errors that concern it (one more query). */
int problem_ticket_get_json(struct store *st, const struct actor *a, const char *ref,
			    json_t **out, struct err *e);

/* Proposals now: {"items": [{"id", "basis", "kind", "item"|"service",
 * "title", "incidents": [{"key", "title", "created_at"}]}], "count",
 * "window_days"}. */
int problem_proposals_json(struct store *st, const struct actor *a, const json_t *query,
			   json_t **out, struct err *e);
/* Confirm proposal id: {"title"?, "impact"?, "urgency"?, …} → the problem
 * created (201); dismiss it → {"id", "dismissed": [ticket keys]}. A
 * proposal that no longer stands as listed is ERR_NOT_FOUND. */
int problem_confirm(struct store *st, const struct actor *a, const char *id, const json_t *in,
		    json_t **out, struct err *e);
int problem_dismiss(struct store *st, const struct actor *a, const char *id, const json_t *in,
		    json_t **out, struct err *e);

/* ---- shared by problem*.c ---------------------------------------------- */

#include "domain/platform/audit.h"
#include "model/problem.h"

/* The record's own fields as answered (no items, no incidents); a new
 * reference. */
json_t *problem_to_json(const struct problem *p);
/* Every stored problem ("problem:KEY") in the form the audit log records
 * it, for audit_verify (problem_state.c); problem_state_keys are the keys
 * held: the record and its items, not its incidents, whose tickets move
 * without a record of the problem's. */
extern const char *const problem_state_keys[];
int problem_state_scan(struct store *st, audit_state_fn fn, void *ctx, struct err *e);

struct store_tx;
/* ERR_FORBIDDEN unless a is staff (requesters, event-only tokens). */
int problem_actor_check(const struct actor *a, struct err *e);
/* Every field a create (adding 1) or an update body may carry, checked
 * without the store: 0, or ERR_INVALID naming the field. */
int problem_validate(const json_t *in, int adding, struct err *e);
/* Create a problem from in inside tx (the confirm of a proposal adds its
 * incidents through the same path); *after the new record as answered. */
int problem_add_in(struct store_tx *tx, const struct actor *a, const json_t *in,
		   json_t **after, struct err *e);

#endif
