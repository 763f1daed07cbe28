/*
 * ticket.c — the service desk's operations on tickets: create, read, list,
 * update (fields, assignment, status moves), comment, history.
 *
 * Each write validates outside the store, then runs one function on the
 * store's writer that re-reads the ticket inside the transaction, checks
 * visibility, version and lifecycle against that fresh copy, writes the
 * ticket, its history entries and its audit record, and hands the new state
 * back. So two racing updates cannot both win, and a refused request leaves
 * nothing behind.
 */
#include "domain/ticket.h"
#include "domain/audit.h"
#include "domain/sla.h"
#include "lib/bus.h"
#include "lib/jsonx.h"
#include "lib/timeutil.h"
#include "store/store.h"

#include <ctype.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

static int visible(const struct actor *a, const struct ticket *t)
{
	return actor_is_staff(a) || (a->customer_id && t->customer_id == a->customer_id);
}

json_t *ticket_to_json(const struct ticket *t)
{
	json_t *j = json_object();

	json_object_set_new(j, "id", json_integer(t->id));
	json_object_set_new(j, "key", json_string(t->key));
	json_object_set_new(j, "kind", json_string(ticket_kind_name(t->kind)));
	json_object_set_new(j, "title", json_string(t->title ? t->title : ""));
	json_object_set_new(j, "description", json_string(t->description ? t->description : ""));
	json_object_set_new(j, "impact", json_integer(t->impact));
	json_object_set_new(j, "urgency", json_integer(t->urgency));
	json_object_set_new(j, "priority", json_integer(t->priority));
	json_object_set_new(j, "status", json_string(ticket_status_name(t->status)));
	jx_set_str(j, "requester", t->requester[0] ? t->requester : NULL);
	jx_set_str(j, "assignee", t->assignee[0] ? t->assignee : NULL);
	jx_set_str(j, "customer", t->customer[0] ? t->customer : NULL);
	jx_set_str(j, "service", t->service[0] ? t->service : NULL);
	json_object_set_new(j, "channel", json_string(t->channel));
	jx_set_time(j, "created_at", t->created_at);
	jx_set_time(j, "updated_at", t->updated_at);
	jx_set_time(j, "resolved_at", t->resolved_at);
	jx_set_time(j, "closed_at", t->closed_at);
	json_object_set_new(j, "version", json_integer(t->version));
	return j;
}

/* Tell live views (the console's queues) what changed, once it is durable.
 * Internal notes are announced to staff only. */
static void notify_change(const json_t *state, int64_t customer_id, int customer_may_see)
{
	json_t *n = json_object();
	char *text;

	json_object_set(n, "key", json_object_get(state, "key") ? json_object_get(state, "key")
								 : json_object_get(state, "ticket"));
	json_object_set_new(n, "comment", json_boolean(json_object_get(state, "body") != NULL));
	text = json_dumps(n, JSON_COMPACT);
	json_decref(n);
	if (text)
		bus_publish("ticket", customer_may_see ? customer_id : 0, text);
	free(text);
}

/* ---- create ---- */

static const char *const create_fields[] = { "kind",	 "title",   "description", "impact",
					      "urgency", "customer", "service",	   "assignee",
					      "channel", NULL };
static const char *const channels[] = { "web", "api", "email", "phone", "monitoring", NULL };

static int valid_ident(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '-' && *s != '_' && *s != '.')
			return 0;
	return 1;
}

int ticket_validate_create(const json_t *j, const struct actor *a, struct ticket *t,
			   struct err *e)
{
	const char *kind, *title, *desc = "", *service = "", *channel = "api", *ref;
	int64_t impact, urgency;
	int rc;

	memset(t, 0, sizeof(*t));
	if (!json_is_object(j))
		return err_set(e, ERR_INVALID, NULL, "the body must be a JSON object");
	if ((rc = jx_only(j, create_fields, e)))
		return rc;
	if ((rc = jx_str(j, "kind", JX_REQUIRED, 32, &kind, e)))
		return rc;
	if (ticket_kind_parse(kind, &t->kind))
		return err_set(e, ERR_INVALID, "kind", "unknown kind '%s'", kind);
	if ((rc = jx_str(j, "title", JX_REQUIRED, TICKET_TITLE_MAX, &title, e)))
		return rc;
	while (isspace((unsigned char)*title))
		title++;
	if (!*title)
		return err_set(e, ERR_INVALID, "title", "title must not be empty");
	if ((rc = jx_str(j, "description", JX_OPTIONAL, TICKET_TEXT_MAX, &desc, e)) < 0)
		return rc;
	if ((rc = jx_int(j, "impact", JX_REQUIRED, 1, 3, &impact, e)))
		return rc;
	if ((rc = jx_int(j, "urgency", JX_REQUIRED, 1, 3, &urgency, e)))
		return rc;
	if ((rc = jx_str(j, "service", JX_OPTIONAL, 63, &service, e)) < 0)
		return rc;
	if (*service && !valid_ident(service))
		return err_set(e, ERR_INVALID, "service", "malformed service key '%s'", service);
	if ((rc = jx_str(j, "channel", JX_OPTIONAL, 15, &channel, e)) < 0)
		return rc;
	{
		const char *const *c = channels;

		while (*c && strcmp(*c, channel))
			c++;
		if (!*c)
			return err_set(e, ERR_INVALID, "channel", "unknown channel '%s'", channel);
	}
	/* Read again inside the write (do_create); their types are checked here. */
	if ((rc = jx_str(j, "customer", JX_OPTIONAL, 63, &ref, e)) < 0 ||
	    (rc = jx_str(j, "assignee", JX_OPTIONAL, 63, &ref, e)) < 0)
		return rc;
	if (!actor_is_staff(a) && (json_object_get(j, "assignee") ||
				   json_object_get(j, "customer")))
		return err_set(e, ERR_FORBIDDEN, json_object_get(j, "assignee") ? "assignee" :
										    "customer",
			       "requesters cannot set the assignee or the customer");
	t->impact = (int)impact;
	t->urgency = (int)urgency;
	t->priority = ticket_priority(t->impact, t->urgency);
	t->title = (char *)title;
	t->description = (char *)desc;
	snprintf(t->service, sizeof(t->service), "%s", service);
	snprintf(t->channel, sizeof(t->channel), "%s", channel);
	t->status = ST_NEW;
	return 0;
}

struct write_ctx {
	const struct actor *a;
	const json_t *in;
	const char *ref;
	struct ticket t;     /* the ticket as written (owned strings) */
	struct comment c;    /* for comments */
	json_t *after;       /* the ticket's state after the write, as audited */
	int changes;         /* field changes recorded by this write */
};

void history_digest_init(struct history_digest *d)
{
	crypto_generichash_init(&d->h, NULL, 0, sizeof(d->out));
	d->n = 0;
}

/* Each entry as "id at", actor, field, old, new (absent values as 0x01),
 * each part ended by 0x1f, so no two histories give the same bytes. */
void history_digest_add(struct history_digest *d, const struct history_entry *h)
{
	static const unsigned char sep = 0x1f;
	const char *parts[] = { h->actor, h->field, h->old_value ? h->old_value : "\x01",
				h->new_value ? h->new_value : "\x01" };
	char num[64];

	snprintf(num, sizeof(num), "%lld %lld", (long long)h->id, (long long)h->at);
	crypto_generichash_update(&d->h, (const unsigned char *)num, strlen(num));
	crypto_generichash_update(&d->h, &sep, 1);
	for (size_t k = 0; k < 4; k++) {
		crypto_generichash_update(&d->h, (const unsigned char *)parts[k], strlen(parts[k]));
		crypto_generichash_update(&d->h, &sep, 1);
	}
	d->n++;
}

void history_digest_set(struct history_digest *d, json_t *state)
{
	char hex[sizeof(d->out) * 2 + 1];

	crypto_generichash_final(&d->h, d->out, sizeof(d->out));
	sodium_bin2hex(hex, sizeof(hex), d->out, sizeof(d->out));
	json_object_set_new(state, "history_entries", json_integer((json_int_t)d->n));
	json_object_set_new(state, "history_digest", json_string(hex));
}

/* The state the audit log records for a ticket: its fields as the API shows
 * them, plus a digest of its field history, so that a history row changed
 * or removed behind the server's back shows too. tx may be NULL (reads). */
json_t *ticket_state_json(struct store *st, struct store_tx *tx, const struct ticket *t)
{
	struct history_entry *hs = NULL;
	struct history_digest d;
	json_t *j = ticket_to_json(t);
	size_t n = 0;

	history_digest_init(&d);
	if (st->ops->history_list(st, tx, t->id, &hs, &n, NULL) == 0) {
		for (size_t i = 0; i < n; i++)
			history_digest_add(&d, &hs[i]);
		store_free_history(hs, n);
	}
	history_digest_set(&d, j);
	return j;
}

/* Audit a write to ticket t: re-read it inside the transaction and record
 * what was asked ("set") and the full state it led to ("after"), which
 * audit_verify later holds against the stored row and its history. */
static int audit_ticket(struct store_tx *tx, struct write_ctx *w, const char *action,
			const json_t *set, struct err *e)
{
	struct ticket fresh;
	char entity[64];
	json_t *change;
	int rc;

	if ((rc = tx->st->ops->ticket_get(tx->st, tx, w->t.key, &fresh, e)))
		return rc;
	w->after = ticket_to_json(&fresh);
	snprintf(entity, sizeof(entity), "ticket:%s", w->t.key);
	change = json_pack("{s:O, s:o}", "set", set ? set : json_null(), "after",
			   ticket_state_json(tx->st, tx, &fresh));
	ticket_release(&fresh);
	rc = audit_append(tx, w->a, action, entity, change, e);
	json_decref(change);
	return rc;
}

/* Write one field change of w->t to its history and count it, so an update
 * that changes nothing can be told apart. */
static int record_history(struct store_tx *tx, struct write_ctx *w, const char *field,
			  const char *old, const char *new_value, struct err *e)
{
	const struct actor *a = w->a;
	const struct ticket *t = &w->t;
	struct history_entry h = { 0 };

	w->changes++;
	h.ticket_id = t->id;
	h.at = t->updated_at;
	h.actor_id = a->user_id;
	snprintf(h.actor, sizeof(h.actor), "%s", a->username);
	snprintf(h.field, sizeof(h.field), "%s", field);
	h.old_value = (char *)old;
	h.new_value = (char *)new_value;
	return tx->st->ops->history_insert(tx, &h, e);
}

/* Resolve a username given in a request to a staff user id (in tx). */
static int resolve_assignee(struct store_tx *tx, const char *username, int64_t *id, char *name,
			    struct err *e)
{
	struct user u;

	if (tx->st->ops->user_get(tx->st, tx, 0, username, &u, NULL))
		return err_set(e, ERR_INVALID, "assignee", "unknown user '%s'", username);
	if (u.role == ROLE_REQUESTER || !u.active)
		return err_set(e, ERR_INVALID, "assignee", "user '%s' cannot be assigned tickets",
			       username);
	*id = u.id;
	snprintf(name, 64, "%s", u.username);
	return 0;
}

static int do_create(struct store_tx *tx, void *arg, struct err *e)
{
	struct write_ctx *w = arg;
	struct ticket *t = &w->t;
	struct store *st = tx->st;
	const char *assignee = NULL, *customer = NULL;
	int64_t n;
	int rc;

	jx_str(w->in, "assignee", JX_OPTIONAL, 63, &assignee, NULL);
	jx_str(w->in, "customer", JX_OPTIONAL, 63, &customer, NULL);
	if (w->a->role == ROLE_REQUESTER) {
		t->customer_id = w->a->customer_id;
		t->requester_id = w->a->user_id;
	} else if (customer) {
		struct customer cu;

		if (st->ops->customer_get(st, tx, 0, customer, &cu, NULL))
			return err_set(e, ERR_INVALID, "customer", "unknown customer '%s'",
				       customer);
		t->customer_id = cu.id;
	}
	if (!t->requester_id && w->a->user_id)
		t->requester_id = w->a->user_id;
	if (assignee) {
		if ((rc = resolve_assignee(tx, assignee, &t->assignee_id, t->assignee, e)))
			return rc;
		t->status = ST_ASSIGNED;
	}
	if ((rc = st->ops->counter_next(tx, ticket_kind_prefix(t->kind), &n, e)))
		return rc;
	snprintf(t->key, sizeof(t->key), "%s-%lld", ticket_kind_prefix(t->kind), (long long)n);
	t->created_at = t->updated_at = clock_now();
	if ((rc = st->ops->ticket_insert(tx, t, e)))
		return rc;
	if ((rc = record_history(tx, w, "status", NULL, ticket_status_name(t->status), e)))
		return rc;
	if ((rc = sla_clock_on_create(tx, w->a, t, e))) /* SLA clocks */
		return rc;
	return audit_ticket(tx, w, "ticket.create", w->in, e);
}

/* What every create checks before it touches the store. */
static int prepare_create(struct write_ctx *w, struct err *e)
{
	if (w->a->scope_events)
		return err_set(e, ERR_FORBIDDEN, NULL, "this token may only send events");
	if (w->a->role == ROLE_REQUESTER && !w->a->customer_id)
		return err_set(e, ERR_FORBIDDEN, NULL, "requester has no customer");
	return ticket_validate_create(w->in, w->a, &w->t, e);
}

/* Hand the state a write produced to the caller of an *_in function. */
static int hand_over(struct write_ctx *w, int rc, json_t **after)
{
	if (!rc && after)
		*after = w->after;
	else
		json_decref(w->after);
	if (!rc)
		notify_change(w->after ? w->after : NULL, w->t.customer_id, w->c.body ? w->c.public : 1);
	ticket_release(&w->t);
	return rc;
}

int ticket_create_in(struct store_tx *tx, const struct actor *a, const json_t *in, json_t **after,
		     struct err *e)
{
	struct write_ctx w = { .a = a, .in = in };
	int rc = prepare_create(&w, e);

	if (!rc)
		rc = do_create(tx, &w, e);
	/* The title and description were borrowed from `in`: not ours to free. */
	w.t.title = w.t.description = NULL;
	return hand_over(&w, rc, after);
}

int ticket_create(struct store *st, const struct actor *a, const json_t *in, json_t **out,
		  struct err *e)
{
	struct write_ctx w = { .a = a, .in = in };
	int rc;

	if ((rc = prepare_create(&w, e)))
		return rc;
	rc = store_write(st, do_create, &w, e);
	if (rc) {
		json_decref(w.after);
		return rc;
	}
	*out = w.after;
	json_object_set_new(*out, "sla", ticket_sla_json(st, &w.t)); /* not audited: time-dependent */
	notify_change(w.after, w.t.customer_id, 1);
	return 0;
}

/* ---- read ---- */

static int load_visible(struct store *st, const struct actor *a, const char *ref,
			struct ticket *t, struct err *e)
{
	int rc = st->ops->ticket_get(st, NULL, ref, t, e);

	if (rc)
		return rc;
	if (!visible(a, t)) {
		ticket_release(t);
		return err_set(e, ERR_NOT_FOUND, NULL, "ticket '%s' not found", ref);
	}
	return 0;
}

int ticket_get_json(struct store *st, const struct actor *a, const char *ref, json_t **out,
		    struct err *e)
{
	struct ticket t;
	int rc = load_visible(st, a, ref, &t, e);

	if (rc)
		return rc;
	*out = ticket_to_json(&t);
	json_object_set_new(*out, "sla", ticket_sla_json(st, &t)); /* not audited: time-dependent */
	ticket_release(&t);
	return 0;
}

/* ---- update ---- */

static const char *const update_fields[] = { "version", "title",    "description", "impact",
					      "urgency", "status",   "assignee",    "service",
					      "customer", NULL };

/* What a requester may do: confirm a resolution, reopen, or cancel. */
static int requester_may_move(enum ticket_status from, enum ticket_status to)
{
	return (from == ST_RESOLVED && (to == ST_CLOSED || to == ST_IN_PROGRESS)) ||
	       ((from == ST_NEW || from == ST_ASSIGNED) && to == ST_CANCELLED);
}

static int set_text(struct store_tx *tx, struct write_ctx *w, const char *key, char **field,
		    size_t max, struct err *e)
{
	const char *v;
	int rc = jx_str(w->in, key, JX_OPTIONAL, max, &v, e);

	if (rc < 0)
		return rc;
	if (rc == 1 || !strcmp(v, *field ? *field : ""))
		return 0;
	if (!strcmp(key, "title") && !v[strspn(v, " \t\r\n\v\f")])
		return err_set(e, ERR_INVALID, key, "title must not be empty");
	rc = record_history(tx, w, key, *field, v, e);
	if (rc)
		return rc;
	free(*field);
	*field = strdup(v);
	return 0;
}

static int set_level(struct store_tx *tx, struct write_ctx *w, const char *key, int *field,
		     struct err *e)
{
	int64_t v;
	char o[8], n[8];
	int rc = jx_int(w->in, key, JX_OPTIONAL, 1, 3, &v, e);

	if (rc < 0)
		return rc;
	if (rc == 1 || v == *field)
		return 0;
	snprintf(o, sizeof(o), "%d", *field);
	snprintf(n, sizeof(n), "%d", (int)v);
	*field = (int)v;
	return record_history(tx, w, key, o, n, e);
}

static int apply_status(struct store_tx *tx, struct write_ctx *w, enum ticket_status to,
			struct err *e)
{
	struct ticket *t = &w->t;
	enum ticket_status from = t->status;

	if (from == to)
		return 0;
	if (!ticket_can_move(from, to))
		return err_set(e, ERR_TRANSITION, "status", "cannot move %s from '%s' to '%s'",
			       t->key, ticket_status_name(from), ticket_status_name(to));
	if (w->a->role == ROLE_REQUESTER && !requester_may_move(from, to))
		return err_set(e, ERR_FORBIDDEN, "status",
			       "requesters may only confirm, reopen or cancel a ticket");
	t->status = to;
	if (to == ST_RESOLVED)
		t->resolved_at = t->updated_at;
	if (from == ST_RESOLVED && to == ST_IN_PROGRESS)
		t->resolved_at = 0;
	if (ticket_status_is_terminal(to))
		t->closed_at = t->updated_at;
	return record_history(tx, w, "status", ticket_status_name(from),
			      ticket_status_name(to), e);
}

static int do_update(struct store_tx *tx, void *arg, struct err *e)
{
	struct write_ctx *w = arg;
	struct ticket *t = &w->t;
	struct store *st = tx->st;
	const char *status_s = NULL, *service = NULL;
	int64_t version;
	int rc, status_given, old_priority, old_status;
	json_t *v;
	char o[8], n[8];

	if ((rc = st->ops->ticket_get(st, tx, w->ref, t, e)))
		return rc;
	if (!visible(w->a, t))
		return err_set(e, ERR_NOT_FOUND, NULL, "ticket '%s' not found", w->ref);
	jx_int(w->in, "version", JX_REQUIRED, 1, INT64_MAX, &version, NULL);
	if (version != t->version)
		return err_set(e, ERR_CONFLICT, "version",
			       "ticket %s is at version %lld, not %lld: reload and retry", t->key,
			       (long long)t->version, (long long)version);
	if (w->a->role == ROLE_REQUESTER) {
		const char *key;

		json_object_foreach((json_t *)w->in, key, v)
		{
			if (strcmp(key, "version") && strcmp(key, "status"))
				return err_set(e, ERR_FORBIDDEN, key,
					       "requesters may only change the status");
		}
	}
	if (ticket_status_is_terminal(t->status))
		return err_set(e, ERR_TRANSITION, "status", "ticket %s is %s and cannot change",
			       t->key, ticket_status_name(t->status));
	t->updated_at = clock_now();
	old_priority = t->priority;
	old_status = t->status;
	if ((rc = set_text(tx, w, "title", &t->title, TICKET_TITLE_MAX, e)) ||
	    (rc = set_text(tx, w, "description", &t->description, TICKET_TEXT_MAX, e)) ||
	    (rc = set_level(tx, w, "impact", &t->impact, e)) ||
	    (rc = set_level(tx, w, "urgency", &t->urgency, e)))
		return rc;
	t->priority = ticket_priority(t->impact, t->urgency);
	if (t->priority != old_priority) {
		snprintf(o, sizeof(o), "%d", old_priority);
		snprintf(n, sizeof(n), "%d", t->priority);
		if ((rc = record_history(tx, w, "priority", o, n, e)))
			return rc;
	}
	if ((rc = jx_str(w->in, "service", JX_OPTIONAL, 63, &service, e)) < 0)
		return rc;
	if (rc == 0 && strcmp(service, t->service)) {
		if (*service && !valid_ident(service))
			return err_set(e, ERR_INVALID, "service", "malformed service key '%s'",
				       service);
		if ((rc = record_history(tx, w, "service", t->service, service, e)))
			return rc;
		snprintf(t->service, sizeof(t->service), "%s", service);
	}
	v = json_object_get(w->in, "customer");
	if (v) {
		struct customer cu;

		if (!json_is_string(v))
			return err_set(e, ERR_INVALID, "customer", "field 'customer' must be a string");
		if (st->ops->customer_get(st, tx, 0, json_string_value(v), &cu, NULL))
			return err_set(e, ERR_INVALID, "customer", "unknown customer '%s'",
				       json_string_value(v));
		if (cu.id != t->customer_id) {
			if ((rc = record_history(tx, w, "customer", t->customer, cu.key, e)))
				return rc;
			t->customer_id = cu.id;
			snprintf(t->customer, sizeof(t->customer), "%s", cu.key);
		}
	}
	v = json_object_get(w->in, "assignee");
	if (v) {
		int64_t id = 0;
		char name[64] = "";

		if (!json_is_null(v) && !json_is_string(v))
			return err_set(e, ERR_INVALID, "assignee",
				       "field 'assignee' must be a username or null");
		if (json_is_string(v) &&
		    (rc = resolve_assignee(tx, json_string_value(v), &id, name, e)))
			return rc;
		if (id != t->assignee_id) {
			if ((rc = record_history(tx, w, "assignee",
						 t->assignee[0] ? t->assignee : NULL,
						 name[0] ? name : NULL, e)))
				return rc;
			t->assignee_id = id;
			snprintf(t->assignee, sizeof(t->assignee), "%s", name);
		}
	}
	status_given = jx_str(w->in, "status", JX_OPTIONAL, 32, &status_s, e);
	if (status_given < 0)
		return status_given;
	if (status_given == 0) {
		enum ticket_status to;

		if (ticket_status_parse(status_s, &to))
			return err_set(e, ERR_INVALID, "status", "unknown status '%s'", status_s);
		if ((rc = apply_status(tx, w, to, e)))
			return rc;
	} else if (t->status == ST_NEW && t->assignee_id) {
		if ((rc = apply_status(tx, w, ST_ASSIGNED, e)))
			return rc;
	} else if (t->status == ST_ASSIGNED && !t->assignee_id) {
		/* Unassigned again: back to the queue. */
		if ((rc = apply_status(tx, w, ST_NEW, e)))
			return rc;
	}
	if (t->status == ST_ASSIGNED && !t->assignee_id)
		return err_set(e, ERR_INVALID, "assignee",
			       "ticket %s needs an assignee to be 'assigned'", t->key);
	if (!w->changes) {
		/* Nothing changed: no new version, nothing to audit. */
		w->after = ticket_to_json(t);
		return 0;
	}
	t->version++;
	if ((rc = st->ops->ticket_update(tx, t, e)))
		return rc;
	if ((rc = sla_clock_on_update(tx, w->a, t, (enum ticket_status)old_status, old_priority,
				      e))) /* SLA clocks */
		return rc;
	return audit_ticket(tx, w, "ticket.update", w->in, e);
}

static int prepare_update(const struct write_ctx *w, struct err *e)
{
	int64_t version;
	int rc;

	if (w->a->scope_events)
		return err_set(e, ERR_FORBIDDEN, NULL, "this token may only send events");
	if (!json_is_object(w->in))
		return err_set(e, ERR_INVALID, NULL, "the body must be a JSON object");
	if ((rc = jx_only(w->in, update_fields, e)) ||
	    (rc = jx_int(w->in, "version", JX_REQUIRED, 1, INT64_MAX, &version, e)))
		return rc;
	return 0;
}

int ticket_update_in(struct store_tx *tx, const struct actor *a, const char *ref,
		     const json_t *in, json_t **after, struct err *e)
{
	struct write_ctx w = { .a = a, .in = in, .ref = ref };
	int rc = prepare_update(&w, e);

	if (!rc)
		rc = do_update(tx, &w, e);
	return hand_over(&w, rc, after);
}

int ticket_update(struct store *st, const struct actor *a, const char *ref, const json_t *in,
		  json_t **out, struct err *e)
{
	struct write_ctx w = { .a = a, .in = in, .ref = ref };
	int rc;

	if ((rc = prepare_update(&w, e)))
		return rc;
	rc = store_write(st, do_update, &w, e);
	if (!rc) {
		*out = w.after;
		json_object_set_new(*out, "sla", ticket_sla_json(st, &w.t)); /* not audited */
		notify_change(w.after, w.t.customer_id, 1);
	}
	else
		json_decref(w.after);
	ticket_release(&w.t);
	return rc;
}

/* ---- comments ---- */

json_t *comment_to_json(const struct comment *c, const char *ticket_key)
{
	json_t *j = json_object();

	json_object_set_new(j, "id", json_integer(c->id));
	json_object_set_new(j, "ticket", json_string(ticket_key));
	json_object_set_new(j, "author", json_string(c->author));
	json_object_set_new(j, "body", json_string(c->body ? c->body : ""));
	json_object_set_new(j, "public", json_boolean(c->public));
	jx_set_time(j, "created_at", c->created_at);
	return j;
}

static int do_comment(struct store_tx *tx, void *arg, struct err *e)
{
	struct write_ctx *w = arg;
	struct store *st = tx->st;
	json_t *change;
	char entity[64];
	int rc;

	if ((rc = st->ops->ticket_get(st, tx, w->ref, &w->t, e)))
		return rc;
	if (!visible(w->a, &w->t))
		return err_set(e, ERR_NOT_FOUND, NULL, "ticket '%s' not found", w->ref);
	if (ticket_status_is_terminal(w->t.status))
		return err_set(e, ERR_TRANSITION, NULL, "ticket %s is %s: comments are closed",
			       w->t.key, ticket_status_name(w->t.status));
	w->c.ticket_id = w->t.id;
	w->c.author_id = w->a->user_id;
	snprintf(w->c.author, sizeof(w->c.author), "%s", w->a->username);
	w->c.created_at = clock_now();
	if ((rc = st->ops->comment_insert(tx, &w->c, e)))
		return rc;
	if ((rc = sla_clock_on_comment(tx, w->a, &w->t, w->c.public, w->c.created_at, e)))
		return rc; /* SLA clocks: a public reply by staff is the response */
	snprintf(entity, sizeof(entity), "comment:%lld", (long long)w->c.id);
	w->after = comment_to_json(&w->c, w->t.key);
	change = json_pack("{s:O}", "after", w->after);
	rc = audit_append(tx, w->a, "ticket.comment", entity, change, e);
	json_decref(change);
	return rc;
}

static int prepare_comment(struct write_ctx *w, struct err *e)
{
	static const char *const fields[] = { "body", "public", NULL };
	const char *body;
	int pub = 1, rc;

	if (w->a->scope_events)
		return err_set(e, ERR_FORBIDDEN, NULL, "this token may only send events");
	if (!json_is_object(w->in))
		return err_set(e, ERR_INVALID, NULL, "the body must be a JSON object");
	if ((rc = jx_only(w->in, fields, e)) ||
	    (rc = jx_str(w->in, "body", JX_REQUIRED, COMMENT_MAX, &body, e)) ||
	    (rc = jx_bool(w->in, "public", JX_OPTIONAL, &pub, e)) < 0)
		return rc;
	if (!body[strspn(body, " \t\r\n")])
		return err_set(e, ERR_INVALID, "body", "comment must not be empty");
	if (!pub && !actor_is_staff(w->a))
		return err_set(e, ERR_FORBIDDEN, "public", "requesters cannot write internal notes");
	w->c.body = (char *)body;
	w->c.public = pub;
	return 0;
}

int ticket_comment_in(struct store_tx *tx, const struct actor *a, const char *ref,
		      const json_t *in, json_t **after, struct err *e)
{
	struct write_ctx w = { .a = a, .in = in, .ref = ref };
	int rc = prepare_comment(&w, e);

	if (!rc)
		rc = do_comment(tx, &w, e);
	return hand_over(&w, rc, after);
}

int ticket_comment(struct store *st, const struct actor *a, const char *ref, const json_t *in,
		   json_t **out, struct err *e)
{
	struct write_ctx w = { .a = a, .in = in, .ref = ref };
	int rc;

	if ((rc = prepare_comment(&w, e)))
		return rc;
	rc = store_write(st, do_comment, &w, e);
	if (!rc) {
		*out = w.after;
		notify_change(w.after, w.t.customer_id, w.c.public);
	}
	else
		json_decref(w.after);
	ticket_release(&w.t);
	return rc;
}

int ticket_comments_json(struct store *st, const struct actor *a, const char *ref, json_t **out,
			 struct err *e)
{
	struct ticket t;
	struct comment *cs;
	size_t n;
	int rc = load_visible(st, a, ref, &t, e);

	if (rc)
		return rc;
	rc = st->ops->comment_list(st, t.id, actor_is_staff(a), &cs, &n, e);
	if (rc) {
		ticket_release(&t);
		return rc;
	}
	*out = json_object();
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, comment_to_json(&cs[i], t.key));
	ticket_release(&t);
	json_object_set_new(*out, "items", items);
	json_object_set_new(*out, "next_cursor", json_null());
	store_free_comments(cs, n);
	return 0;
}

int ticket_history_json(struct store *st, const struct actor *a, const char *ref, json_t **out,
			struct err *e)
{
	struct ticket t;
	struct history_entry *h;
	size_t n;
	int rc = load_visible(st, a, ref, &t, e);

	if (rc)
		return rc;
	rc = st->ops->history_list(st, NULL, t.id, &h, &n, e);
	ticket_release(&t);
	if (rc)
		return rc;
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *j = json_object();

		jx_set_time(j, "at", h[i].at);
		json_object_set_new(j, "actor", json_string(h[i].actor));
		json_object_set_new(j, "field", json_string(h[i].field));
		jx_set_str(j, "old", h[i].old_value);
		jx_set_str(j, "new", h[i].new_value);
		json_array_append_new(items, j);
	}
	store_free_history(h, n);
	*out = json_pack("{s:o, s:n}", "items", items, "next_cursor");
	return 0;
}

/* ---- list ---- */

static const char *qget(const json_t *q, const char *k)
{
	json_t *v = json_object_get(q, k);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

static int parse_int_param(const char *s, const char *name, int64_t min, int64_t max,
			   int64_t *out, struct err *e)
{
	char *end;
	long long v;

	if (!*s)
		return err_set(e, ERR_INVALID, name, "'%s' must be a number", name);
	v = strtoll(s, &end, 10);
	if (*end || v < min || v > max)
		return err_set(e, ERR_INVALID, name, "'%s' must be a number from %lld to %lld",
			       name, (long long)min, (long long)max);
	*out = v;
	return 0;
}

int ticket_list_json(struct store *st, const struct actor *a, const json_t *q, json_t **out,
		     struct err *e)
{
	struct ticket_filter f = { .status = -1, .kind = -1, .limit = 50 };
	struct ticket_page p;
	const char *s;
	int64_t v;
	int rc;

	if ((s = qget(q, "status"))) {
		enum ticket_status x;

		if (ticket_status_parse(s, &x))
			return err_set(e, ERR_INVALID, "status", "unknown status '%s'", s);
		f.status = x;
	}
	if ((s = qget(q, "kind"))) {
		enum ticket_kind x;

		if (ticket_kind_parse(s, &x))
			return err_set(e, ERR_INVALID, "kind", "unknown kind '%s'", s);
		f.kind = x;
	}
	if ((s = qget(q, "priority"))) {
		if ((rc = parse_int_param(s, "priority", 1, 5, &v, e)))
			return rc;
		f.priority = (int)v;
	}
	if ((s = qget(q, "limit"))) {
		if ((rc = parse_int_param(s, "limit", 1, 500, &v, e)))
			return rc;
		f.limit = (int)v;
	}
	if ((s = qget(q, "cursor"))) {
		if ((rc = parse_int_param(s, "cursor", 1, INT64_MAX, &f.after_id, e)))
			return rc;
	}
	if ((s = qget(q, "assignee"))) {
		if (!strcmp(s, "none")) {
			f.assignee_id = -1;
		} else if (!strcmp(s, "me")) {
			f.assignee_id = a->user_id ? a->user_id : -2;
		} else {
			struct user u;

			if (st->ops->user_get(st, NULL, 0, s, &u, NULL))
				return err_set(e, ERR_INVALID, "assignee", "unknown user '%s'", s);
			f.assignee_id = u.id;
		}
	}
	if ((s = qget(q, "customer"))) {
		struct customer cu;

		if (st->ops->customer_get(st, NULL, 0, s, &cu, NULL))
			return err_set(e, ERR_INVALID, "customer", "unknown customer '%s'", s);
		f.customer_id = cu.id;
	}
	if ((s = qget(q, "requester")) && !strcmp(s, "me"))
		f.requester_id = a->user_id ? a->user_id : -2;
	f.q = qget(q, "q");
	if (!actor_is_staff(a)) {
		/* Isolation: a requester's filter is always their own customer. */
		if (f.customer_id && f.customer_id != a->customer_id) {
			*out = json_pack("{s:[], s:n}", "items", "next_cursor");
			return 0;
		}
		f.customer_id = a->customer_id ? a->customer_id : -2;
	}
	rc = st->ops->ticket_list(st, &f, &p, e);
	if (rc)
		return rc;
	json_t *items = json_array();
	for (size_t i = 0; i < p.n; i++) {
		json_t *it = ticket_to_json(&p.items[i]);

		json_object_set_new(it, "sla", ticket_sla_json(st, &p.items[i])); /* not audited */
		json_array_append_new(items, it);
	}
	*out = json_object();
	json_object_set_new(*out, "items", items);
	if (p.more && p.n) {
		char cur[24];

		snprintf(cur, sizeof(cur), "%lld", (long long)p.items[p.n - 1].id);
		json_object_set_new(*out, "next_cursor", json_string(cur));
	} else {
		json_object_set_new(*out, "next_cursor", json_null());
	}
	store_free_tickets(p.items, p.n);
	return 0;
}

/* ---- state for audit verification ---- */

struct state_ctx {
	struct store *st;
	ticket_state_fn fn;
	void *ctx;
};

static int state_ticket(const struct ticket *t, void *arg)
{
	struct state_ctx *s = arg;
	char entity[64];
	json_t *j = ticket_state_json(s->st, NULL, t);
	int rc;

	snprintf(entity, sizeof(entity), "ticket:%s", t->key);
	rc = s->fn(entity, j, s->ctx);
	json_decref(j);
	return rc;
}

static int state_comment(const struct comment *c, const char *key, void *arg)
{
	struct state_ctx *s = arg;
	char entity[64];
	json_t *j = comment_to_json(c, key);
	int rc;

	snprintf(entity, sizeof(entity), "comment:%lld", (long long)c->id);
	rc = s->fn(entity, j, s->ctx);
	json_decref(j);
	return rc;
}

int ticket_state_scan(struct store *st, ticket_state_fn fn, void *ctx, struct err *e)
{
	struct state_ctx s = { st, fn, ctx };
	int rc = st->ops->ticket_scan(st, state_ticket, &s, e);

	return rc ? rc : st->ops->comment_scan(st, state_comment, &s, e);
}
