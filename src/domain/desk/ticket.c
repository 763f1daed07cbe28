/*
 * ticket.c — the service desk's writes: create, update (fields, assignment,
 * status moves) and comment, each as an entry point with its own write and
 * as an *_in variant that joins a write the caller holds. Reads are in
 * ticket_read.c, the audited state in ticket_state.c.
 *
 * Each write validates outside the store, then runs one function on the
 * store's writer that re-reads the ticket inside the transaction, checks
 * visibility, version and lifecycle against that fresh copy, writes the
 * ticket, its history entries and its audit record, and hands the new state
 * back. So two racing updates cannot both win, and a refused request leaves
 * nothing behind.
 */
#include "domain/desk/ticket.h"
#include "domain/desk/routing.h"
#include "domain/platform/customer.h"
#include "domain/platform/user.h"
#include "domain/platform/audit.h"
#include "domain/platform/changes.h"
#include "domain/notify/notify.h"
#include "domain/sla/sla.h"
#include "lib/ident.h"
#include "lib/bus.h"
#include "lib/jsonx.h"
#include "lib/timeutil.h"
#include "store/store.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* A notice for live views (the console's queues), published once the write
 * is durable and dropped if it is rolled back. Internal notes are announced
 * to staff only. */
struct notice {
	int64_t audience;
	char text[96];
};

static void publish_notice(void *arg, int committed)
{
	struct notice *n = arg;

	if (committed)
		bus_publish("ticket", n->audience, n->text);
	free(n);
}

static int notify_change(struct store_tx *tx, const char *key, int64_t customer_id,
			 int customer_may_see, int comment, struct err *e)
{
	struct notice *n = malloc(sizeof(*n));

	if (!n)
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	n->audience = customer_may_see ? customer_id : 0;
	snprintf(n->text, sizeof(n->text), "{\"key\":\"%s\",\"comment\":%s}", key,
		 comment ? "true" : "false");
	if (changes_ticket(tx, n->audience, n->text, e)) {
		free(n);
		return e->code;
	}
	if (tx->st->ops->after_commit(tx, publish_notice, n)) /* n freed */
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	return 0;
}

/* ---- create ---- */

static const char *const create_fields[] = { "kind",	 "title",   "description", "impact",
					      "urgency", "customer", "service",	   "assignee",
					      "channel", "requester", "group",   NULL };
static const char *const channels[] = { "web",	      "api",	 "email", "phone",
					"walk_in", "monitoring", NULL };

/* A catalogue service key, as the service module shapes them. */
static int valid_ident(const char *s)
{
	return ident_valid(s, 63, IDENT_PUNCT);
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
	if ((rc = jx_text(j, "title", JX_REQUIRED, TICKET_TITLE_MAX, &title, e)))
		return rc;
	if ((rc = jx_str(j, "description", JX_OPTIONAL, TICKET_TEXT_MAX, &desc, e)) < 0)
		return rc;
	/* One rule for every way in (API, CLI, console, import): each of impact
	 * and urgency that is not sent is medium. */
	impact = urgency = TICKET_LEVEL_DEFAULT;
	if ((rc = jx_int(j, "impact", JX_OPTIONAL, 1, 3, &impact, e)) < 0 ||
	    (rc = jx_int(j, "urgency", JX_OPTIONAL, 1, 3, &urgency, e)) < 0)
		return rc;
	if ((rc = jx_str(j, "service", JX_OPTIONAL, 63, &service, e)) < 0)
		return rc;
	if (*service && !valid_ident(service))
		return err_set(e, ERR_INVALID, "service", "malformed service key '%s'", service);
	if ((rc = jx_str(j, "channel", JX_OPTIONAL, 15, &channel, e)) < 0)
		return rc;
	if ((rc = jx_str(j, "group", JX_OPTIONAL, TICKET_GROUP_MAX, &ref, e)) < 0)
		return rc;
	if (rc == 0) {
		if (!ticket_group_valid(ref))
			return err_set(e, ERR_INVALID, "group", "malformed group name '%s'", ref);
		snprintf(t->group, sizeof(t->group), "%s", ref);
	}
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
	/* The requester: an existing user's name, or a new contact's
	 * {"name","email","phone"?} (checked in the write, user.c). */
	if (!json_is_object(json_object_get(j, "requester")) &&
	    (rc = jx_str(j, "requester", JX_OPTIONAL, 63, &ref, e)) < 0)
		return rc;
	if (!actor_is_staff(a)) {
		static const char *const staff_only[] = { "assignee", "customer", "requester",
							  "group" };

		for (size_t i = 0; i < sizeof(staff_only) / sizeof(staff_only[0]); i++)
			if (json_object_get(j, staff_only[i]))
				return err_set(e, ERR_FORBIDDEN, staff_only[i],
					       "requesters cannot set the assignee, the customer, "
					       "the requester or the group");
	}
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
	json_t *sla;         /* the reply's SLA block, read in the same write */
	json_t *ola;         /* the reply's OLA block, NULL when none */
	int changes;         /* field changes recorded by this write */
	const struct ticket_origin *origin; /* where it comes from (create) */
	/* A creation: t is whole as a read would give it (names included),
	 * and its history is only what this write recorded, digested as it
	 * went; so its audited state needs no read back. NULL otherwise. */
	struct history_digest *created;
};

/* The reply's SLA block, read in the write: a reply then never misses what
 * was committed, nor claims what was not. */
static int read_sla(struct store_tx *tx, struct write_ctx *w, int rc, struct err *e)
{
	if (rc || (rc = ticket_sla_json(tx->st, tx, &w->t, &w->sla, e)))
		return rc;
	return ticket_ola_json(tx->st, tx, &w->t, &w->ola, e);
}

/* Audit a write to ticket t: record what was asked ("set") and the full
 * state it led to ("after"), which audit_verify later holds against the
 * stored row and its history. An update re-reads the ticket inside the
 * transaction; a creation knows its state already (w->created), and
 * tests/unit/domain/desk/chain.c holds the two to the same bytes. */
static int audit_ticket(struct store_tx *tx, struct write_ctx *w, const char *action,
			const json_t *set, struct err *e)
{
	struct ticket fresh;
	char entity[64];
	json_t *change, *state;
	int rc;

	if (w->created) {
		if (!(state = ticket_to_json(&w->t)) || !(w->after = ticket_to_json(&w->t))) {
			json_decref(state);
			return err_set(e, ERR_INTERNAL, NULL, "out of memory");
		}
		history_digest_set(w->created, state);
	} else {
		if ((rc = tx->st->ops->ticket_get(tx->st, tx, w->t.key, &fresh, e)))
			return rc;
		rc = ticket_state_json(tx->st, tx, &fresh, &state, e);
		if (!rc)
			w->after = ticket_to_json(&fresh);
		ticket_release(&fresh);
		if (rc)
			return rc;
	}
	snprintf(entity, sizeof(entity), "ticket:%s", w->t.key);
	change = json_pack("{s:O, s:o}", "set", set ? set : json_null(), "after", state);
	rc = audit_append(tx, w->a, action, entity, change, e);
	json_decref(change);
	if (!rc)
		rc = notify_change(tx, w->t.key, w->t.customer_id, 1, 0, e);
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
	int rc;

	w->changes++;
	h.ticket_id = t->id;
	h.at = t->updated_at;
	h.actor_id = a->user_id;
	snprintf(h.actor, sizeof(h.actor), "%s", a->username);
	snprintf(h.field, sizeof(h.field), "%s", field);
	h.old_value = (char *)old;
	h.new_value = (char *)new_value;
	if ((rc = tx->st->ops->history_insert(tx, &h, e)))
		return rc;
	if (w->created)
		history_digest_add(w->created, &h);
	return 0;
}

/* Resolve a username given in a request to a staff user id (in tx). */
static int resolve_assignee(struct store_tx *tx, const char *username, int64_t *id, char *name,
			    struct err *e)
{
	struct user u;
	int rc;

	if ((rc = tx->st->ops->user_get(tx->st, tx, 0, username, &u, e)))
		return err_absent(e, rc, ERR_INVALID, "assignee", "unknown user '%s'", username);
	if (u.role == ROLE_REQUESTER || !u.active)
		return err_set(e, ERR_INVALID, "assignee", "user '%s' cannot be assigned tickets",
			       username);
	*id = u.id;
	snprintf(name, 64, "%s", u.username);
	return 0;
}

/* Staff logging a ticket for a caller (in tx): the requester is an active
 * user of a customer, the ticket's customer (named or, when none was,
 * taken from the requester; by_customer: one was named). */
static int on_behalf(struct store_tx *tx, const char *username, struct ticket *t,
		     int by_customer, struct err *e)
{
	struct store *st = tx->st;
	struct user u;
	int rc;

	if ((rc = st->ops->user_get(st, tx, 0, username, &u, e)))
		return err_absent(e, rc, ERR_INVALID, "requester", "unknown user '%s'", username);
	if (!u.active)
		return err_set(e, ERR_INVALID, "requester", "user '%s' is disabled", username);
	if (!u.customer_id)
		return err_set(e, ERR_INVALID, "requester", "user '%s' belongs to no customer",
			       username);
	if (by_customer && u.customer_id != t->customer_id)
		return err_set(e, ERR_INVALID, "requester",
			       "user '%s' is not a user of the ticket's customer", username);
	if (!by_customer) {
		struct customer cu;

		if ((rc = st->ops->customer_get(st, tx, u.customer_id, NULL, &cu, e)) ||
		    (rc = customer_open(&cu, 0, e)))
			return rc;
		t->customer_id = cu.id;
		snprintf(t->customer, sizeof(t->customer), "%s", cu.key);
	}
	t->requester_id = u.id;
	snprintf(t->requester, sizeof(t->requester), "%s", u.username);
	return 0;
}

static int do_create(struct store_tx *tx, void *arg, struct err *e)
{
	struct write_ctx *w = arg;
	struct ticket *t = &w->t;
	struct store *st = tx->st;
	const char *assignee = NULL, *customer = NULL, *requester = NULL;
	json_t *contact;
	char routed[64] = "";
	int64_t n;
	int rc;

	jx_str(w->in, "assignee", JX_OPTIONAL, 63, &assignee, NULL);
	jx_str(w->in, "customer", JX_OPTIONAL, 63, &customer, NULL);
	jx_str(w->in, "requester", JX_OPTIONAL, 63, &requester, NULL);
	contact = json_object_get(w->in, "requester");
	if (!json_is_object(contact))
		contact = NULL;
	struct history_digest history;

	/* The names beside the ids are filled as they are learnt, so that t is
	 * what a read of the new row gives (audit_ticket). */
	if (w->a->role == ROLE_REQUESTER) {
		struct customer cu;

		t->customer_id = w->a->customer_id;
		if ((rc = st->ops->customer_get(st, tx, t->customer_id, NULL, &cu, e)))
			return err_absent(e, rc, ERR_INVALID, "customer", "unknown customer");
		if ((rc = customer_open(&cu, 1, e)))
			return rc;
		snprintf(t->customer, sizeof(t->customer), "%s", cu.key);
	} else if (customer) {
		struct customer cu;

		if ((rc = customer_named(st, tx, customer, &cu, e)) ||
		    (rc = customer_open(&cu, 0, e)))
			return rc;
		t->customer_id = cu.id;
		snprintf(t->customer, sizeof(t->customer), "%s", cu.key);
	}
	if (requester && (rc = on_behalf(tx, requester, t, customer != NULL, e)))
		return rc;
	if (contact) {
		/* A caller who is no user yet: added for the ticket's customer in
		 * this write (user.c), the ticket then theirs. */
		struct customer cu;
		struct user u;

		if (!customer)
			return err_set(e, ERR_INVALID, "customer",
				       "a new contact needs the ticket's customer");
		if ((rc = st->ops->customer_get(st, tx, t->customer_id, NULL, &cu, e)) ||
		    (rc = user_add_contact_in(tx, w->a, contact, "requester", &cu, &u, e)))
			return rc;
		t->requester_id = u.id;
		snprintf(t->requester, sizeof(t->requester), "%s", u.username);
	}
	if (*t->service && (rc = sla_service_check_open(st, tx, t->service, e)))
		return rc;
	if (!t->requester_id && w->a->user_id && !(w->origin && w->origin->by_system)) {
		t->requester_id = w->a->user_id;
		snprintf(t->requester, sizeof(t->requester), "%s", w->a->username);
	}
	if (assignee) {
		if ((rc = resolve_assignee(tx, assignee, &t->assignee_id, t->assignee, e)))
			return rc;
		t->status = ST_ASSIGNED;
	}
	if (!t->group[0]) {
		/* Nobody named a group: the first routing rule that matches. */
		struct route_subject subj = { ticket_kind_name(t->kind), t->service,
					      w->origin ? w->origin->ci : NULL,
					      w->origin ? w->origin->queue : NULL, t->title,
					      t->description };

		if ((rc = routing_route(tx, &subj, t->group, routed, e)) < 0)
			return rc;
	}
	if ((rc = st->ops->counter_next(tx, ticket_kind_prefix(t->kind), &n, e)))
		return rc;
	snprintf(t->key, sizeof(t->key), "%s-%lld", ticket_kind_prefix(t->kind), (long long)n);
	t->created_at = t->updated_at = clock_now();
	if ((rc = st->ops->ticket_insert(tx, t, e)))
		return rc;
	history_digest_init(&history);
	w->created = &history;
	if ((rc = record_history(tx, w, "status", NULL, ticket_status_name(t->status), e)) ||
	    (routed[0] && (rc = record_history(tx, w, "group", NULL, t->group, e))) ||
	    (routed[0] && (rc = record_history(tx, w, "routed_by", NULL, routed, e))) ||
	    (rc = sla_clock_on_create(tx, w->a, t, &history, e)) || /* SLA clocks */
	    (rc = sla_ola_on_create(tx, w->a, t, &history, e)) ||   /* the group's OLA */
	    (rc = audit_ticket(tx, w, "ticket.create", w->in, e))) {
		w->created = NULL;
		return rc;
	}
	w->created = NULL;
	/* The requester, the assignee and the members of its group. */
	return notify_ticket(tx, w->a, NOTIFY_CREATE, t, NULL, NULL, e);
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
	ticket_release(&w->t);
	return rc;
}

int ticket_create_in(struct store_tx *tx, const struct actor *a, const json_t *in, json_t **after,
		     struct err *e)
{
	return ticket_create_from_in(tx, a, in, NULL, after, e);
}

int ticket_create_from_in(struct store_tx *tx, const struct actor *a, const json_t *in,
			    const struct ticket_origin *origin, json_t **after, struct err *e)
{
	struct write_ctx w = { .a = a, .in = in, .origin = origin };
	int rc = prepare_create(&w, e);

	if (!rc)
		rc = do_create(tx, &w, e);
	/* The title and description were borrowed from `in`: not ours to free. */
	w.t.title = w.t.description = NULL;
	return hand_over(&w, rc, after);
}

static int do_create_reply(struct store_tx *tx, void *arg, struct err *e)
{
	struct write_ctx *w = arg;
	int rc = do_create(tx, w, e);

	/* A clock starts only for a customer and a service (sla_clock.c), so
	 * a new ticket lacking either has none to read. */
	if (!rc && (!w->t.customer_id || !w->t.service[0])) {
		w->sla = json_null();
		return ticket_ola_json(tx->st, tx, &w->t, &w->ola, e);
	}
	return read_sla(tx, w, rc, e);
}

int ticket_create(struct store *st, const struct actor *a, const json_t *in, json_t **out,
		  struct err *e)
{
	struct write_ctx w = { .a = a, .in = in };
	int rc;

	if ((rc = prepare_create(&w, e)))
		return rc;
	rc = store_write(st, do_create_reply, &w, e);
	if (rc) {
		json_decref(w.after);
		json_decref(w.sla);
		json_decref(w.ola);
		return rc;
	}
	*out = w.after;
	ticket_json_present(*out);
	json_object_set_new(*out, "sla", w.sla); /* not audited: time-dependent */
	if (w.ola && actor_is_staff(a)) /* between groups: not the requester's */
		json_object_set_new(*out, "ola", w.ola);
	else
		json_decref(w.ola);
	return 0;
}

/* ---- update ---- */

static const char *const update_fields[] = { "version", "title",    "description", "impact",
					      "urgency", "status",   "assignee",    "service",
					      "customer", "group",   NULL };

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

/* The notices of an update: "assign" to a new assignee; a status move
 * that was asked for ("resolve" for resolved) to the requester and
 * assignee — not the moves that only follow a change of assignee
 * (new -> assigned, assigned -> new). */
static int notify_update(struct store_tx *tx, struct write_ctx *w, int64_t old_assignee,
			 enum ticket_status old_status, int status_asked, struct err *e)
{
	const struct ticket *t = &w->t;
	int assigned = t->assignee_id && t->assignee_id != old_assignee;
	int rc;

	if (assigned && (rc = notify_ticket(tx, w->a, NOTIFY_ASSIGN, t, NULL, NULL, e)))
		return rc;
	if (t->status == old_status || !status_asked)
		return 0;
	return notify_ticket(tx, w->a, t->status == ST_RESOLVED ? NOTIFY_RESOLVE : NOTIFY_STATUS, t,
			     NULL, NULL, e);
}

static int do_update(struct store_tx *tx, void *arg, struct err *e)
{
	struct write_ctx *w = arg;
	struct ticket *t = &w->t;
	struct store *st = tx->st;
	const char *status_s = NULL, *service = NULL;
	int64_t version;
	int rc, status_given, old_priority, old_status;
	int64_t old_assignee;
	json_t *v;
	char o[8], n[8], old_group[64], old_service[64];

	if ((rc = ticket_load_visible(st, tx, w->a, w->ref, t, e)))
		return rc;
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
	snprintf(old_group, sizeof(old_group), "%s", t->group);
	snprintf(old_service, sizeof(old_service), "%s", t->service);
	old_assignee = t->assignee_id;
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
		if (*service && (rc = sla_service_check_open(tx->st, tx, service, e)))
			return rc;
		if ((rc = record_history(tx, w, "service", t->service, service, e)))
			return rc;
		snprintf(t->service, sizeof(t->service), "%s", service);
	}
	v = json_object_get(w->in, "customer");
	if (v) {
		struct customer cu;

		if (!json_is_string(v))
			return err_set(e, ERR_INVALID, "customer", "field 'customer' must be a string");
		if ((rc = customer_named(st, tx, json_string_value(v), &cu, e)))
			return rc;
		if (cu.id != t->customer_id) {
			if ((rc = customer_open(&cu, 0, e)) ||
			    (rc = record_history(tx, w, "customer", t->customer, cu.key, e)))
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
	v = json_object_get(w->in, "group");
	if (v) {
		const char *g = json_is_string(v) ? json_string_value(v) : "";

		if (!json_is_null(v) && !json_is_string(v))
			return err_set(e, ERR_INVALID, "group",
				       "field 'group' must be a group name or null");
		if (*g && !ticket_group_valid(g))
			return err_set(e, ERR_INVALID, "group", "malformed group name '%s'", g);
		if (strcmp(g, t->group)) {
			if ((rc = record_history(tx, w, "group", t->group[0] ? t->group : NULL,
						 *g ? g : NULL, e)))
				return rc;
			snprintf(t->group, sizeof(t->group), "%s", g);
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
				      e)) || /* SLA clocks */
	    (rc = sla_ola_on_update(tx, w->a, t, (enum ticket_status)old_status, old_priority,
				    old_group, old_service, e))) /* the group's OLA */
		return rc;
	if ((rc = audit_ticket(tx, w, "ticket.update", w->in, e)))
		return rc;
	return notify_update(tx, w, old_assignee, (enum ticket_status)old_status,
			     status_given == 0, e);
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

static int do_update_reply(struct store_tx *tx, void *arg, struct err *e)
{
	return read_sla(tx, arg, do_update(tx, arg, e), e);
}

int ticket_update(struct store *st, const struct actor *a, const char *ref, const json_t *in,
		  json_t **out, struct err *e)
{
	struct write_ctx w = { .a = a, .in = in, .ref = ref };
	int rc;

	if ((rc = prepare_update(&w, e)))
		return rc;
	rc = store_write(st, do_update_reply, &w, e);
	if (!rc) {
		*out = w.after;
		ticket_json_present(*out);
		json_object_set_new(*out, "sla", w.sla); /* not audited */
		if (w.ola && actor_is_staff(a))
			json_object_set_new(*out, "ola", w.ola);
		else
			json_decref(w.ola);
	} else {
		json_decref(w.after);
		json_decref(w.sla);
		json_decref(w.ola);
	}
	ticket_release(&w.t);
	return rc;
}

/* ---- comments ---- */

static int do_comment(struct store_tx *tx, void *arg, struct err *e)
{
	struct write_ctx *w = arg;
	struct store *st = tx->st;
	json_t *change;
	char entity[64];
	int rc;

	if ((rc = ticket_load_visible(st, tx, w->a, w->ref, &w->t, e)))
		return rc;
	if (ticket_status_is_terminal(w->t.status))
		return err_set(e, ERR_TRANSITION, NULL, "ticket %s is %s: comments are closed",
			       w->t.key, ticket_status_name(w->t.status));
	w->c.ticket_id = w->t.id;
	w->c.author_id = w->a->user_id;
	snprintf(w->c.author, sizeof(w->c.author), "%s", w->a->username);
	w->c.created_at = clock_now();
	if ((rc = st->ops->comment_insert(tx, &w->c, e)))
		return rc;
	if ((rc = sla_clock_on_comment(tx, w->a, &w->t, w->c.public, w->c.created_at, e)) ||
	    (rc = sla_ola_on_comment(tx, w->a, &w->t, w->c.public, w->c.created_at, e)))
		return rc; /* SLA and OLA clocks: a public reply by staff is the response */
	snprintf(entity, sizeof(entity), "comment:%lld", (long long)w->c.id);
	w->after = comment_to_json(&w->c, w->t.key);
	change = json_pack("{s:O}", "after", w->after);
	rc = audit_append(tx, w->a, "ticket.comment", entity, change, e);
	json_decref(change);
	if (!rc)
		rc = notify_change(tx, w->t.key, w->t.customer_id, w->c.public, 1, e);
	if (!rc && w->c.public)
		rc = notify_ticket(tx, w->a, NOTIFY_COMMENT, &w->t, w->c.body, NULL, e);
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
	if (!rc)
		*out = w.after;
	else
		json_decref(w.after);
	ticket_release(&w.t);
	return rc;
}

/* ---- notes: what befell a ticket beyond its fields ---- */

int ticket_note_in(struct store_tx *tx, const struct actor *a, const char *key,
		   const char *field, const char *old, const char *new_value, const char *action,
		   const json_t *set, struct err *e)
{
	struct write_ctx w = { .a = a };
	int rc;

	if ((rc = tx->st->ops->ticket_get(tx->st, tx, key, &w.t, e)))
		return rc;
	w.t.updated_at = clock_now(); /* the entry's time; the row keeps its own */
	rc = record_history(tx, &w, field, old, new_value, e);
	if (!rc)
		rc = audit_ticket(tx, &w, action, set, e);
	json_decref(w.after);
	ticket_release(&w.t);
	return rc;
}
