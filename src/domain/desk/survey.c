/*
 * survey.c — the satisfaction survey: one rating (1–5 and a comment) per
 * resolved ticket, given by a requester of the ticket's customer.
 *
 * The write re-reads the ticket inside the transaction and checks, against
 * that fresh copy, who may rate it (its own customer's requester), that it
 * is resolved or closed, and that it is not rated yet; the rating and its
 * audit record ("ticket.rate", entity "rating:KEY") are written together.
 * A refused request leaves nothing behind.
 */
#include "domain/desk/survey.h"
#include "domain/platform/audit.h"
#include "domain/desk/ticket.h"
#include "lib/bus.h"
#include "lib/jsonx.h"
#include "lib/timeutil.h"
#include "store/store_web.h"

#include <stdlib.h>
#include <string.h>

json_t *rating_to_json(const struct rating *r, const char *ticket_key)
{
	json_t *j = json_object();

	json_object_set_new(j, "ticket", json_string(ticket_key));
	json_object_set_new(j, "score", json_integer(r->score));
	json_object_set_new(j, "comment", json_string(r->comment ? r->comment : ""));
	json_object_set_new(j, "rater", json_string(r->rater));
	jx_set_time(j, "created_at", r->created_at);
	return j;
}

json_t *rating_state_json(const struct rating *r, const char *ticket_key)
{
	json_t *j = rating_to_json(r, ticket_key);

	json_object_set_new(j, "id", json_integer(r->id));
	json_object_set_new(j, "customer_id", json_integer(r->customer_id));
	json_object_set_new(j, "rater_id", json_integer(r->rater_id));
	return j;
}

static int state_rating(const struct rating *r, const char *ticket_key, void *to)
{
	return audit_state_hand(to, rating_state_json(r, ticket_key), "rating:%s", ticket_key);
}

int survey_state_scan(struct store *st, audit_state_fn fn, void *ctx, struct err *e)
{
	struct audit_scan s = { fn, ctx };

	return st->ops->web->rating_scan(st, state_rating, &s, e);
}

struct rate_ctx {
	const struct actor *a;
	const char *ref;
	struct rating r;    /* comment borrowed from the request body */
	char key[24];       /* the ticket's key, once read */
	int64_t customer_id;
	json_t *after;      /* the rating as written */
};

static int do_rate(struct store_tx *tx, void *arg, struct err *e)
{
	struct rate_ctx *w = arg;
	struct store *st = tx->st;
	struct ticket t;
	struct rating old;
	char entity[64];
	json_t *change;
	int rc;

	if ((rc = ticket_load_visible(st, tx, w->a, w->ref, &t, e)))
		return rc;
	snprintf(w->key, sizeof(w->key), "%s", t.key);
	w->customer_id = t.customer_id;
	w->r.ticket_id = t.id;
	w->r.customer_id = t.customer_id;
	if (t.status != ST_RESOLVED && t.status != ST_CLOSED) {
		rc = err_set(e, ERR_TRANSITION, "status",
			     "ticket %s is '%s': rate it once it is resolved", t.key,
			     ticket_status_name(t.status));
		ticket_release(&t);
		return rc;
	}
	ticket_release(&t);
	rc = st->ops->web->rating_get(st, tx, w->r.ticket_id, &old, e);
	if (rc == 0) {
		rating_release(&old);
		return err_set(e, ERR_CONFLICT, "ticket", "ticket %s has already been rated",
			       w->key);
	}
	if (rc != ERR_NOT_FOUND)
		return rc;
	w->r.created_at = clock_now();
	if ((rc = st->ops->web->rating_insert(tx, &w->r, e)))
		return rc;
	w->after = rating_to_json(&w->r, w->key);
	snprintf(entity, sizeof(entity), "rating:%s", w->key);
	change = json_pack("{s:o}", "after", rating_state_json(&w->r, w->key));
	rc = audit_append(tx, w->a, "ticket.rate", entity, change, e);
	json_decref(change);
	return rc;
}

int survey_rate(struct store *st, const struct actor *a, const char *ref, const json_t *in,
		json_t **out, struct err *e)
{
	static const char *const fields[] = { "score", "comment", NULL };
	struct rate_ctx w = { .a = a, .ref = ref };
	const char *comment = "";
	int64_t score;
	int rc;

	if (a->scope_events)
		return err_set(e, ERR_FORBIDDEN, NULL, "this token may only send events");
	if (a->role != ROLE_REQUESTER || !a->customer_id)
		return err_set(e, ERR_FORBIDDEN, NULL,
			       "only the customer's requesters rate the service");
	if (!json_is_object(in))
		return err_set(e, ERR_INVALID, NULL, "the body must be a JSON object");
	if ((rc = jx_only(in, fields, e)) ||
	    (rc = jx_int(in, "score", JX_REQUIRED, 1, 5, &score, e)) ||
	    (rc = jx_str(in, "comment", JX_OPTIONAL, RATING_COMMENT_MAX, &comment, e)) < 0)
		return rc;
	w.r.score = (int)score;
	w.r.comment = (char *)comment;
	w.r.rater_id = a->user_id;
	snprintf(w.r.rater, sizeof(w.r.rater), "%s", a->username);
	rc = store_write(st, do_rate, &w, e);
	if (rc) {
		json_decref(w.after);
		return rc;
	}
	*out = w.after;
	{
		/* Live views of the ticket show the rating at once. */
		json_t *n = json_pack("{s:s, s:b}", "key", w.key, "comment", 0);
		char *text = n ? json_dumps(n, JSON_COMPACT) : NULL;

		if (text)
			bus_publish("ticket", w.customer_id, text);
		free(text);
		json_decref(n);
	}
	return 0;
}

int survey_get_json(struct store *st, const struct actor *a, const char *ref, json_t **out,
		    struct err *e)
{
	struct ticket t;
	struct rating r;
	int rc;

	if (a->scope_events)
		return err_set(e, ERR_FORBIDDEN, NULL, "this token may only send events");
	if ((rc = ticket_load_visible(st, NULL, a, ref, &t, e)))
		return rc;
	rc = st->ops->web->rating_get(st, NULL, t.id, &r, e);
	if (rc == ERR_NOT_FOUND)
		err_set(e, ERR_NOT_FOUND, NULL, "ticket %s has not been rated", t.key);
	if (!rc) {
		*out = rating_to_json(&r, t.key);
		rating_release(&r);
	}
	ticket_release(&t);
	return rc;
}
