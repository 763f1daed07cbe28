/*
 * survey.h — the satisfaction survey: after a ticket is resolved, a requester
 * of the ticket's customer rates the service 1–5 with an optional comment.
 *
 * Invariants kept here and nowhere else:
 *  - only a requester of the ticket's own customer rates (staff are refused,
 *    another customer's requester gets "not found": existence is not
 *    disclosed);
 *  - a ticket is rated only once it is resolved or closed, and only once
 *    (the store's unique key keeps the second attempt out even in a race);
 *  - each rating is written with its audit record in the same transaction.
 */
#ifndef ITSM_SURVEY_H
#define ITSM_SURVEY_H

#include <jansson.h>
#include <stdint.h>

#include "domain/platform/actor.h"
#include "domain/platform/audit.h"
#include "model/desk.h"
#include "lib/err.h"

struct store;

#define RATING_COMMENT_MAX 4000

json_t *rating_to_json(const struct rating *r, const char *ticket_key);
/* The rating as the audit log records it (its ids beside what the API
 * shows), and the scan of every stored rating ("rating:KEY") in that form,
 * for audit_verify. */
json_t *rating_state_json(const struct rating *r, const char *ticket_key);
int survey_state_scan(struct store *st, audit_state_fn fn, void *ctx, struct err *e);

/* POST /tickets/{ref}/rating {"score": 1-5, "comment"}: returns 0 and the
 * new rating in *out (caller json_decref()s), or ERR_* with e filled in and
 * nothing written. */
int survey_rate(struct store *st, const struct actor *a, const char *ref, const json_t *in,
		json_t **out, struct err *e);
/* The rating of a ticket the actor may see; ERR_NOT_FOUND when there is
 * none yet. */
int survey_get_json(struct store *st, const struct actor *a, const char *ref, json_t **out,
		    struct err *e);

#endif
