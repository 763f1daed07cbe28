/*
 * problem.c — stored problems: who may act, add, read (with items and
 * linked incidents), list, update (fields, status, resolving the linked
 * incidents), link and unlink incidents, and the known errors a ticket
 * shows.
 *
 * Each write validates what it can outside the store, then runs one
 * function on the store's writer that re-reads the problem inside the
 * transaction, checks the version and the lifecycle against that fresh
 * copy, writes, and appends the audit record for "problem:KEY" — so a
 * refused request leaves nothing behind (a failure while resolving the
 * fifth linked incident undoes the four before it and the problem's move).
 *
 * Invariants: see problem.h.
 */
#include "domain/problem/problem.h"
#include "domain/desk/ticket.h"
#include "domain/platform/audit.h"
#include "domain/sla/service.h"
#include "lib/ident.h"
#include "lib/jsonx.h"
#include "lib/timeutil.h"
#include "model/cmdb.h"
#include "store/store_cmdb.h"
#include "store/store_problem.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* ---- who may act ----------------------------------------------------- */

int problem_actor_check(const struct actor *a, struct err *e)
{
	if (a->scope_events)
		return err_set(e, ERR_FORBIDDEN, NULL, "this token may only send events");
	if (!actor_is_staff(a))
		return err_set(e, ERR_FORBIDDEN, NULL, "requesters have no access to problems");
	return 0;
}


static int load(struct store *st, struct store_tx *tx, const char *key, struct problem *p,
		struct err *e)
{
	int rc;

	memset(p, 0, sizeof(*p));
	if (!ident_numbered(key, "PRB"))
		return err_set(e, ERR_NOT_FOUND, NULL, "problem '%.32s' not found", key);
	rc = st->ops->problem->get(st, tx, key, p, e);
	return err_absent(e, rc, ERR_NOT_FOUND, NULL, "problem '%s' not found", key);
}

static enum problem_status status_of(const struct problem *p)
{
	enum problem_status s = PS_NEW;

	problem_status_parse(p->status, &s);
	return s;
}

/* ---- JSON ------------------------------------------------------------ */

json_t *problem_to_json(const struct problem *p)
{
	json_t *j = json_object();

	json_object_set_new(j, "id", json_integer(p->id));
	json_object_set_new(j, "key", json_string(p->key));
	json_object_set_new(j, "title", json_string(p->title ? p->title : ""));
	json_object_set_new(j, "description", json_string(p->description ? p->description : ""));
	jx_set_str(j, "service", p->service[0] ? p->service : NULL);
	json_object_set_new(j, "root_cause", json_string(p->root_cause ? p->root_cause : ""));
	json_object_set_new(j, "workaround", json_string(p->workaround ? p->workaround : ""));
	json_object_set_new(j, "impact", json_integer(p->impact));
	json_object_set_new(j, "urgency", json_integer(p->urgency));
	json_object_set_new(j, "priority", json_integer(p->priority));
	json_object_set_new(j, "status", json_string(p->status));
	json_object_set_new(j, "created_by", json_string(p->created_by));
	jx_set_time(j, "created_at", p->created_at);
	jx_set_time(j, "updated_at", p->updated_at);
	jx_set_time(j, "resolved_at", p->resolved_at);
	jx_set_time(j, "closed_at", p->closed_at);
	json_object_set_new(j, "version", json_integer(p->version));
	return j;
}

/* The record with its items and linked incidents (tx NULL: a read). */
static int full_json(struct store *st, struct store_tx *tx, const struct problem *p,
		     json_t **out, struct err *e)
{
	json_t *items = NULL, *inc = NULL;
	int rc;

	if ((rc = st->ops->problem->items_list(st, tx, p->id, &items, e)) ||
	    (rc = st->ops->problem->incidents_list(st, tx, p->id, &inc, e))) {
		json_decref(items);
		return rc;
	}
	*out = problem_to_json(p);
	json_object_set_new(*out, "items", items);
	json_object_set_new(*out, "incidents", inc);
	return 0;
}

static int audit(struct store_tx *tx, const struct actor *a, const char *action, const char *key,
		 json_t *change, struct err *e)
{
	char entity[40];
	int rc;

	if (!change)
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	snprintf(entity, sizeof(entity), "problem:%s", key);
	rc = audit_append(tx, a, action, entity, change, e);
	json_decref(change);
	return rc;
}

/* ---- validation -------------------------------------------------------- */

static const char *const add_keys[] = { "title",      "description", "service", "items",
					"root_cause", "workaround",  "impact",  "urgency",
					"incidents",  NULL };
static const char *const update_keys[] = { "version",	 "title",      "description",
					   "service",	 "items",      "root_cause",
					   "workaround", "impact",     "urgency",
					   "status",	 "resolve_incidents", NULL };

/* A list of strings under key (absent: 1), each at most max bytes. */
static int str_array(const json_t *in, const char *key, size_t max, struct err *e)
{
	json_t *arr = json_object_get(in, key), *v;
	size_t i;
	char f[48];

	if (!arr)
		return 1;
	if (!json_is_array(arr))
		return err_set(e, ERR_INVALID, key, "'%s' must be an array of strings", key);
	if (json_array_size(arr) > 100)
		return err_set(e, ERR_INVALID, key, "'%s' holds at most 100 entries", key);
	json_array_foreach(arr, i, v) {
		snprintf(f, sizeof(f), "%s[%zu]", key, i);
		if (!json_is_string(v) || !json_string_length(v) || json_string_length(v) > max)
			return err_set(e, ERR_INVALID, f, "'%s' must be a string of 1-%zu bytes", f,
				       max);
		for (size_t j = 0; j < i; j++)
			if (json_equal(v, json_array_get(arr, j)))
				return err_set(e, ERR_INVALID, f, "'%s' is listed twice", f);
	}
	return 0;
}

int problem_validate(const json_t *in, int adding, struct err *e)
{
	const char *s;
	int64_t v;
	int rc;

	if (!json_is_object(in))
		return err_set(e, ERR_INVALID, NULL, "the body must be a JSON object");
	if ((rc = jx_only(in, adding ? add_keys : update_keys, e)))
		return rc;
	if ((rc = jx_text(in, "title", adding, PROBLEM_TITLE_MAX, &s, e)) < 0)
		return rc;
	if ((rc = jx_str(in, "description", 0, PROBLEM_TEXT_MAX, &s, e)) < 0 ||
	    (rc = jx_str(in, "root_cause", 0, PROBLEM_TEXT_MAX, &s, e)) < 0 ||
	    (rc = jx_str(in, "workaround", 0, PROBLEM_TEXT_MAX, &s, e)) < 0 ||
	    (rc = jx_int(in, "impact", 0, 1, 3, &v, e)) < 0 ||
	    (rc = jx_int(in, "urgency", 0, 1, 3, &v, e)) < 0 ||
	    (rc = str_array(in, "items", 63, e)) < 0 ||
	    (adding && (rc = str_array(in, "incidents", 23, e)) < 0))
		return rc;
	if ((rc = jx_str(in, "service", 0, 63, &s, e)) < 0)
		return rc;
	if (rc == 0 && *s && !ident_valid(s, 63, IDENT_PUNCT))
		return err_set(e, ERR_INVALID, "service", "malformed service key '%.64s'", s);
	if (!adding) {
		int b;

		if ((rc = jx_int(in, "version", JX_REQUIRED, 1, INT64_MAX, &v, e)) < 0 ||
		    (rc = jx_bool(in, "resolve_incidents", 0, &b, e)) < 0)
			return rc;
		if ((rc = jx_str(in, "status", 0, 32, &s, e)) < 0)
			return rc;
		if (rc == 0) {
			enum problem_status st;

			if (problem_status_parse(s, &st))
				return err_set(e, ERR_INVALID, "status",
					       "unknown status '%.32s' (new, investigating, "
					       "known_error, resolved, closed, cancelled)",
					       s);
		}
	}
	return 0;
}

/* Replace *dst by a copy of in's string under key, when present. */
static int set_text(const json_t *in, const char *key, char **dst, struct err *e)
{
	const char *s = json_string_value(json_object_get(in, key));
	char *c;

	if (!s)
		return 0;
	if (!(c = strdup(s)))
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	free(*dst);
	*dst = c;
	return 0;
}

/* The items named in in (when present) as ids, each an existing item. */
static int set_items(struct store_tx *tx, const json_t *in, int64_t problem_id, struct err *e)
{
	json_t *arr = json_object_get(in, "items"), *v;
	int64_t ids[100];
	size_t i, n = 0;
	int rc;

	if (!arr)
		return 0;
	json_array_foreach(arr, i, v) {
		struct ci c;
		char f[32];

		snprintf(f, sizeof(f), "items[%zu]", i);
		if ((rc = tx->st->ops->cmdb->ci_get(tx->st, tx, 0, json_string_value(v), &c, e)))
			return err_absent(e, rc, ERR_INVALID, f, "unknown item '%.64s'",
					  json_string_value(v));
		ids[n++] = c.id;
		ci_release(&c);
	}
	return tx->st->ops->problem->items_set(tx, problem_id, ids, n, e);
}

/* Whether in names items (in any order) other than the problem's. */
static int items_differ(struct store_tx *tx, const json_t *in, int64_t problem_id, int *differ,
			struct err *e)
{
	json_t *want = json_object_get(in, "items"), *have = NULL, *v, *h;
	size_t i, j;
	int rc;

	*differ = 0;
	if (!want)
		return 0;
	if ((rc = tx->st->ops->problem->items_list(tx->st, tx, problem_id, &have, e)))
		return rc;
	*differ = json_array_size(want) != json_array_size(have);
	json_array_foreach(want, i, v) {
		int found = 0;

		json_array_foreach(have, j, h)
			found |= json_equal(v, h);
		*differ |= !found;
	}
	json_decref(have);
	return 0;
}

static int check_service(struct store_tx *tx, const char *service, struct err *e)
{
	return *service ? service_check_choosable(tx->st, tx, service, "service", e) : 0;
}

/* Link ticket ref (as named in field) to problem p inside tx. */
static int link_in(struct store_tx *tx, const struct actor *a, const struct problem *p,
		   const char *ref, const char *field, char *key_out, struct err *e)
{
	struct store *st = tx->st;
	struct ticket t;
	int rc;

	if ((rc = st->ops->ticket_get(st, tx, ref, &t, e)))
		return err_absent(e, rc, ERR_INVALID, field, "unknown ticket '%.24s'", ref);
	if (t.kind != KIND_INCIDENT) {
		rc = err_set(e, ERR_INVALID, field, "%s is a %s: only incidents are linked to problems",
			     t.key, ticket_kind_name(t.kind));
	} else {
		rc = st->ops->problem->incident_link(tx, p->id, t.id, a->username, clock_now(), e);
		if (rc == ERR_CONFLICT)
			rc = err_set(e, ERR_CONFLICT, field,
				     "%s is linked to a problem already (unlink it first)", t.key);
	}
	if (!rc && key_out)
		snprintf(key_out, 24, "%s", t.key);
	ticket_release(&t);
	return rc;
}

/* ---- add ------------------------------------------------------------- */

int problem_add_in(struct store_tx *tx, const struct actor *a, const json_t *in, json_t **after,
		   struct err *e)
{
	struct store *st = tx->st;
	struct problem p = { 0 };
	json_t *inc = json_object_get(in, "incidents"), *v;
	int64_t n, impact = 2, urgency = 2;
	size_t i;
	int rc;

	*after = NULL;
	jx_int(in, "impact", 0, 1, 3, &impact, NULL);
	jx_int(in, "urgency", 0, 1, 3, &urgency, NULL);
	p.impact = (int)impact;
	p.urgency = (int)urgency;
	p.priority = ticket_priority(p.impact, p.urgency);
	if (json_string_value(json_object_get(in, "service")))
		snprintf(p.service, sizeof(p.service), "%s",
			 json_string_value(json_object_get(in, "service")));
	snprintf(p.status, sizeof(p.status), "%s", problem_status_name(PS_NEW));
	snprintf(p.created_by, sizeof(p.created_by), "%s", a->username);
	p.created_at = p.updated_at = clock_now();
	p.version = 1;
	if ((rc = set_text(in, "title", &p.title, e)) ||
	    (rc = set_text(in, "description", &p.description, e)) ||
	    (rc = set_text(in, "root_cause", &p.root_cause, e)) ||
	    (rc = set_text(in, "workaround", &p.workaround, e)) ||
	    (rc = check_service(tx, p.service, e)) ||
	    (rc = st->ops->counter_next(tx, "PRB", &n, e)))
		goto out;
	snprintf(p.key, sizeof(p.key), "PRB-%lld", (long long)n);
	if ((rc = st->ops->problem->insert(tx, &p, e)) || (rc = set_items(tx, in, p.id, e)))
		goto out;
	json_array_foreach(inc, i, v) {
		char f[32];

		snprintf(f, sizeof(f), "incidents[%zu]", i);
		if ((rc = link_in(tx, a, &p, json_string_value(v), f, NULL, e)))
			goto out;
	}
	if ((rc = full_json(st, tx, &p, after, e)))
		goto out;
	rc = audit(tx, a, "problem.add", p.key, json_pack("{s:O}", "after", *after), e);
out:
	if (rc) {
		json_decref(*after);
		*after = NULL;
	}
	problem_release(&p);
	return rc;
}

struct write_ctx {
	const struct actor *a;
	const json_t *in;
	const char *key;
	json_t *after;
};

static int do_add(struct store_tx *tx, void *arg, struct err *e)
{
	struct write_ctx *w = arg;

	return problem_add_in(tx, w->a, w->in, &w->after, e);
}

static int run(struct store *st, store_write_fn fn, struct write_ctx *w, json_t **out,
	       struct err *e)
{
	int rc = store_write(st, fn, w, e);

	if (!rc)
		*out = w->after;
	else
		json_decref(w->after);
	return rc;
}

int problem_add(struct store *st, const struct actor *a, const json_t *in, json_t **out,
		struct err *e)
{
	struct write_ctx w = { .a = a, .in = in };
	int rc;

	if ((rc = problem_actor_check(a, e)) || (rc = problem_validate(in, 1, e)))
		return rc;
	return run(st, do_add, &w, out, e);
}

/* ---- read ------------------------------------------------------------ */

int problem_get_json(struct store *st, const struct actor *a, const char *key, json_t **out,
		     struct err *e)
{
	struct problem p;
	int rc;

	if ((rc = problem_actor_check(a, e)) || (rc = load(st, NULL, key, &p, e)))
		return rc;
	rc = full_json(st, NULL, &p, out, e);
	problem_release(&p);
	return rc;
}

int problem_list_json(struct store *st, const struct actor *a, const json_t *q, json_t **out,
		      struct err *e)
{
	struct problem_filter f = { .limit = 50 };
	struct problem *items = NULL;
	size_t n = 0;
	int64_t v = 50;
	int more = 0, rc;
	enum problem_status s;
	json_t *arr;

	if ((rc = problem_actor_check(a, e)))
		return rc;
	f.status = jx_qstr(q, "status");
	f.service = jx_qstr(q, "service");
	if (f.status && problem_status_parse(f.status, &s))
		return err_set(e, ERR_INVALID, "status", "unknown status '%.32s'", f.status);
	if (f.service && !ident_valid(f.service, 63, IDENT_PUNCT))
		return err_set(e, ERR_INVALID, "service", "malformed service key '%.64s'",
			       f.service);
	if ((rc = jx_qint(q, "limit", 1, 500, &v, e)) < 0 ||
	    (rc = jx_qint(q, "cursor", 1, INT64_MAX, &f.after_id, e)) < 0)
		return rc;
	f.limit = (int)v;
	if ((rc = st->ops->problem->list(st, &f, &items, &n, &more, e)))
		return rc;
	arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, problem_to_json(&items[i]));
	*out = json_pack("{s:o, s:o}", "items", arr, "next_cursor",
			 more && n ? json_sprintf("%lld", (long long)items[n - 1].id) : json_null());
	problem_free_array(items, n);
	return *out ? 0 : err_set(e, ERR_INTERNAL, NULL, "out of memory");
}

/* ---- update ---------------------------------------------------------- */

/* Resolve incident ref (through in_progress when the desk's lifecycle needs
 * it) with an internal note naming the problem; the desk records each move
 * in the ticket's history. One already resolved, closed or cancelled is
 * left alone. *done is set when it moved. */
static int resolve_incident(struct store_tx *tx, const struct actor *a, const char *ref,
			    const char *pkey, int *done, struct err *e)
{
	struct ticket t;
	json_t *in;
	char note[96];
	int rc;

	*done = 0;
	if ((rc = tx->st->ops->ticket_get(tx->st, tx, ref, &t, e)))
		return rc;
	if (t.status == ST_RESOLVED || ticket_status_is_terminal(t.status))
		goto out;
	if (!ticket_can_move(t.status, ST_RESOLVED)) {
		in = json_pack("{s:I, s:s}", "version", (json_int_t)t.version, "status",
			       ticket_status_name(ST_IN_PROGRESS));
		rc = in ? ticket_update_in(tx, a, ref, in, NULL, e)
			: err_set(e, ERR_INTERNAL, NULL, "out of memory");
		json_decref(in);
		if (rc)
			goto out;
		t.version++;
	}
	in = json_pack("{s:I, s:s}", "version", (json_int_t)t.version, "status",
		       ticket_status_name(ST_RESOLVED));
	rc = in ? ticket_update_in(tx, a, ref, in, NULL, e)
		: err_set(e, ERR_INTERNAL, NULL, "out of memory");
	json_decref(in);
	if (rc)
		goto out;
	snprintf(note, sizeof(note), "resolved with problem %s", pkey);
	in = json_pack("{s:s, s:b}", "body", note, "public", 0);
	rc = in ? ticket_comment_in(tx, a, ref, in, NULL, e)
		: err_set(e, ERR_INTERNAL, NULL, "out of memory");
	json_decref(in);
	*done = !rc;
out:
	ticket_release(&t);
	return rc;
}

static int resolve_linked(struct store_tx *tx, const struct actor *a, const struct problem *p,
			  json_t *resolved, struct err *e)
{
	json_t *inc = NULL, *v;
	size_t i;
	int rc;

	if ((rc = tx->st->ops->problem->incidents_list(tx->st, tx, p->id, &inc, e)))
		return rc;
	json_array_foreach(inc, i, v) {
		const char *ref = json_string_value(json_object_get(v, "key"));
		int done;

		if ((rc = resolve_incident(tx, a, ref, p->key, &done, e)))
			break;
		if (done)
			json_array_append_new(resolved, json_string(ref));
	}
	json_decref(inc);
	return rc;
}

static int do_update(struct store_tx *tx, void *arg, struct err *e)
{
	struct write_ctx *w = arg;
	struct store *st = tx->st;
	const json_t *in = w->in;
	const char *sname = json_string_value(json_object_get(in, "status"));
	const char *svc = json_string_value(json_object_get(in, "service"));
	struct problem p;
	enum problem_status from, to;
	json_t *resolved = NULL, *was = NULL;
	int64_t version, v;
	int rc, resolve = 0;

	if ((rc = load(st, tx, w->key, &p, e)))
		return rc;
	jx_int(in, "version", JX_REQUIRED, 1, INT64_MAX, &version, NULL);
	jx_bool(in, "resolve_incidents", 0, &resolve, NULL);
	from = to = status_of(&p);
	if (sname)
		problem_status_parse(sname, &to);
	if (version != p.version) {
		rc = err_set(e, ERR_CONFLICT, "version",
			     "problem %s is at version %lld, not %lld: reload and retry", p.key,
			     (long long)p.version, (long long)version);
		goto out;
	}
	if (problem_status_is_terminal(from)) {
		rc = err_set(e, ERR_TRANSITION, "status", "problem %s is %s and cannot change", p.key,
			     p.status);
		goto out;
	}
	if (to != from && !problem_can_move(from, to)) {
		rc = err_set(e, ERR_TRANSITION, "status", "problem %s cannot move from %s to %s",
			     p.key, problem_status_name(from), problem_status_name(to));
		goto out;
	}
	if (resolve && (to != PS_RESOLVED || from == PS_RESOLVED)) {
		rc = err_set(e, ERR_INVALID, "resolve_incidents",
			     "'resolve_incidents' goes with a move to status resolved");
		goto out;
	}
	was = problem_to_json(&p);
	if ((rc = set_text(in, "title", &p.title, e)) ||
	    (rc = set_text(in, "description", &p.description, e)) ||
	    (rc = set_text(in, "root_cause", &p.root_cause, e)) ||
	    (rc = set_text(in, "workaround", &p.workaround, e)))
		goto out;
	if (svc && strcmp(svc, p.service)) {
		if ((rc = check_service(tx, svc, e)))
			goto out;
		snprintf(p.service, sizeof(p.service), "%s", svc);
	}
	if (!jx_int(in, "impact", 0, 1, 3, &v, NULL))
		p.impact = (int)v;
	if (!jx_int(in, "urgency", 0, 1, 3, &v, NULL))
		p.urgency = (int)v;
	p.priority = ticket_priority(p.impact, p.urgency);
	if (to == PS_KNOWN_ERROR && !(p.workaround && *p.workaround)) {
		rc = err_set(e, ERR_INVALID, "workaround",
			     "a known error needs a workaround: describe how users get by");
		goto out;
	}
	if (to == from) {
		json_t *now = problem_to_json(&p);
		int same = json_equal(was, now), differ = 0;

		json_decref(now);
		if (same && (rc = items_differ(tx, in, p.id, &differ, e)))
			goto out;
		if (same && !differ) {
			/* Nothing changed: no new version, nothing to audit. */
			rc = full_json(st, tx, &p, &w->after, e);
			goto out;
		}
	}
	p.updated_at = clock_now();
	if (to != from) {
		snprintf(p.status, sizeof(p.status), "%s", problem_status_name(to));
		if (to == PS_RESOLVED)
			p.resolved_at = p.updated_at;
		else if (to == PS_INVESTIGATING)
			p.resolved_at = 0;
		if (to == PS_CLOSED || to == PS_CANCELLED)
			p.closed_at = p.updated_at;
	}
	p.version++;
	if ((rc = st->ops->problem->update(tx, &p, e)) || (rc = set_items(tx, in, p.id, e)))
		goto out;
	if (resolve) {
		resolved = json_array();
		if ((rc = resolve_linked(tx, w->a, &p, resolved, e)))
			goto out;
	}
	if ((rc = full_json(st, tx, &p, &w->after, e)) ||
	    (rc = audit(tx, w->a, "problem.update", p.key,
			json_pack("{s:O, s:O}", "set", in, "after", w->after), e)))
		goto out;
	if (resolved)
		json_object_set(w->after, "resolved_incidents", resolved);
out:
	json_decref(was);
	json_decref(resolved);
	problem_release(&p);
	return rc;
}

int problem_update(struct store *st, const struct actor *a, const char *key, const json_t *in,
		   json_t **out, struct err *e)
{
	struct write_ctx w = { .a = a, .in = in, .key = key };
	int rc;

	if ((rc = problem_actor_check(a, e)) || (rc = problem_validate(in, 0, e)))
		return rc;
	return run(st, do_update, &w, out, e);
}

/* ---- link, unlink ---------------------------------------------------- */

static const char *const link_keys[] = { "ticket", NULL };

static int do_link(struct store_tx *tx, void *arg, struct err *e, int linking)
{
	struct write_ctx *w = arg;
	struct store *st = tx->st;
	const char *ref = json_string_value(json_object_get(w->in, "ticket"));
	struct problem p;
	struct ticket t;
	char tkey[24] = "";
	int rc;

	if ((rc = load(st, tx, w->key, &p, e)))
		return rc;
	if (problem_status_is_terminal(status_of(&p))) {
		rc = err_set(e, ERR_TRANSITION, "status", "problem %s is %s: its incidents stay",
			     p.key, p.status);
		goto out;
	}
	if (linking) {
		if ((rc = link_in(tx, w->a, &p, ref, "ticket", tkey, e)))
			goto out;
	} else {
		if ((rc = st->ops->ticket_get(st, tx, ref, &t, e))) {
			rc = err_absent(e, rc, ERR_INVALID, "ticket", "unknown ticket '%.24s'", ref);
			goto out;
		}
		snprintf(tkey, sizeof(tkey), "%s", t.key);
		rc = st->ops->problem->incident_unlink(tx, p.id, t.id, e);
		ticket_release(&t);
		if (rc) {
			rc = err_absent(e, rc, ERR_INVALID, "ticket", "%s is not linked to %s", tkey,
					p.key);
			goto out;
		}
	}
	if ((rc = full_json(st, tx, &p, &w->after, e)))
		goto out;
	rc = audit(tx, w->a, linking ? "problem.link" : "problem.unlink", p.key,
		   json_pack("{s:s, s:O}", "ticket", tkey, "after", w->after), e);
out:
	problem_release(&p);
	return rc;
}

static int do_link_add(struct store_tx *tx, void *arg, struct err *e)
{
	return do_link(tx, arg, e, 1);
}

static int do_link_remove(struct store_tx *tx, void *arg, struct err *e)
{
	return do_link(tx, arg, e, 0);
}

static int link_check(const struct actor *a, const json_t *in, struct err *e)
{
	const char *ref;
	int rc;

	if ((rc = problem_actor_check(a, e)))
		return rc;
	if (!json_is_object(in))
		return err_set(e, ERR_INVALID, NULL, "the body must be a JSON object");
	if ((rc = jx_only(in, link_keys, e)) || (rc = jx_str(in, "ticket", 1, 23, &ref, e)))
		return rc;
	return 0;
}

int problem_link(struct store *st, const struct actor *a, const char *key, const json_t *in,
		 json_t **out, struct err *e)
{
	struct write_ctx w = { .a = a, .in = in, .key = key };
	int rc;

	if ((rc = link_check(a, in, e)))
		return rc;
	return run(st, do_link_add, &w, out, e);
}

int problem_unlink(struct store *st, const struct actor *a, const char *key, const json_t *in,
		   json_t **out, struct err *e)
{
	struct write_ctx w = { .a = a, .in = in, .key = key };
	int rc;

	if ((rc = link_check(a, in, e)))
		return rc;
	return run(st, do_link_remove, &w, out, e);
}

/* ---- known errors on a ticket ---------------------------------------- */

int problem_ticket_get_json(struct store *st, const struct actor *a, const char *ref,
			    json_t **out, struct err *e)
{
	json_t *t = NULL, *ke = NULL;
	const char *kind, *status, *svc;
	enum ticket_status s = ST_CLOSED;
	int rc;

	if ((rc = ticket_get_json(st, a, ref, &t, e)))
		return rc;
	kind = json_string_value(json_object_get(t, "kind"));
	status = json_string_value(json_object_get(t, "status"));
	svc = json_string_value(json_object_get(t, "service"));
	if (status)
		ticket_status_parse(status, &s);
	/* Open incidents only: new, assigned, in progress, pending. */
	if (kind && !strcmp(kind, "incident") && s != ST_RESOLVED && !ticket_status_is_terminal(s)) {
		rc = st->ops->problem->known_errors(
			st, json_integer_value(json_object_get(t, "id")), svc ? svc : "",
			actor_is_staff(a) ? 0 : (a->customer_id ? a->customer_id : -1), &ke, e);
		if (rc) {
			json_decref(t);
			return rc;
		}
	}
	json_object_set_new(t, "known_errors", ke ? ke : json_array());
	*out = t;
	return 0;
}
