/*
 * guideline.c — stored guidelines: who may act, create, read, list, edit,
 * publish, acknowledge, the acknowledgement list, and checklist runs with
 * their follow-up tickets.
 *
 * Each change runs one function on the writer that re-reads the guideline,
 * checks its version and what its status allows against that fresh copy,
 * writes it and appends the audit record "guideline:KEY" whose "after" is
 * the record as guideline_json makes it — so a refused request leaves
 * nothing (a failed follow-up ticket takes its run with it). An
 * acknowledgement changes no field of the guideline: it is its own row,
 * audited without "after".
 */
#include "domain/desk/ticket.h"
#include "domain/guideline/guideline.h"
#include "domain/platform/audit.h"
#include "lib/buf.h"
#include "lib/ident.h"
#include "lib/jsonx.h"
#include "lib/timeutil.h"
#include "store/store_guideline.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define DAY 86400
#define EVERY_DAYS_MAX 3650
#define LIST_MAX 100
#define ITEM_MAX 500
#define RESULT_COMMENT_MAX 2000
#define RUNS_SHOWN 10

/* ---- who may act ----------------------------------------------------- */

static int staff_check(const struct actor *a, struct err *e)
{
	return actor_require_staff(a, 0, "guidelines are for staff", NULL, e);
}

static int manager_check(const struct actor *a, struct err *e)
{
	return actor_require_staff(a, 1, "guidelines are for staff", "only managers write guidelines", e);
}

/* ---- JSON ------------------------------------------------------------ */

/* The record as the audit holds it (nothing time-dependent). */
static json_t *guideline_json(const struct guideline_rec *g)
{
	json_t *j = json_object(), *body = json_loads(g->body ? g->body : "{}", 0, NULL);

	json_object_set_new(j, "id", json_integer(g->id));
	json_object_set_new(j, "key", json_string(g->key));
	json_object_set_new(j, "title", json_string(g->title));
	json_object_set_new(j, "status", json_string(g->status));
	json_object_set_new(j, "current_version", json_integer(g->current));
	json_object_set_new(j, "draft", json_string(g->draft ? g->draft : ""));
	if (json_is_object(body))
		json_object_update(j, body);
	json_decref(body);
	json_object_set_new(j, "every_days", json_integer(g->every_days));
	jx_set_time(j, "next_check", g->next_check);
	json_object_set_new(j, "created_by", json_string(g->created_by));
	jx_set_time(j, "created_at", g->created_at);
	jx_set_time(j, "updated_at", g->updated_at);
	json_object_set_new(j, "version", json_integer(g->version));
	return j;
}

static int body_store(struct guideline_rec *g, const json_t *body, struct err *e)
{
	if (jx_canonical_dup(body, &g->body))
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	return 0;
}

static int audit_gl(struct store_tx *tx, const struct actor *a, const char *action,
		    const struct guideline_rec *g, const json_t *in, json_t **after, struct err *e)
{
	char entity[64];

	*after = guideline_json(g);
	snprintf(entity, sizeof(entity), "guideline:%s", g->key);
	return audit_set_after(tx, a, action, entity, in, *after, e);
}

/* ---- reading --------------------------------------------------------- */


static int load(struct store *st, struct store_tx *tx, const char *key,
		struct guideline_rec *g, enum guideline_status *s, struct err *e)
{
	int rc;

	memset(g, 0, sizeof(*g));
	if (!ident_numbered(key, "GL"))
		return err_set(e, ERR_NOT_FOUND, NULL, "guideline '%.32s' not found",
			       key ? key : "");
	rc = st->ops->guideline->get(st, tx, key, g, e);
	if (rc)
		return err_absent(e, rc, ERR_NOT_FOUND, NULL, "guideline '%s' not found", key);
	if (guideline_status_parse(g->status, s)) {
		guideline_rec_release(g);
		return err_set(e, ERR_INTERNAL, NULL, "guideline %s holds status '%s'", key,
			       g->status);
	}
	return 0;
}

static int acked_by(const json_t *acks, const char *username)
{
	size_t i;
	json_t *v;

	json_array_foreach(acks, i, v)
		if (!strcmp(json_string_value(json_object_get(v, "username")), username))
			return 1;
	return 0;
}

int guideline_get_json(struct store *st, const struct actor *a, const char *key, json_t **out,
		       struct err *e)
{
	struct guideline_rec g;
	enum guideline_status s;
	json_t *j, *ver = NULL, *acks = NULL, *runs = NULL;
	int64_t now = clock_now();
	int rc;

	if ((rc = staff_check(a, e)) || (rc = load(st, NULL, key, &g, &s, e)))
		return rc;
	if (g.current && (rc = st->ops->guideline->version_get(st, NULL, g.id, g.current, &ver, e)))
		goto out;
	if ((rc = st->ops->guideline->ack_list(st, NULL, g.id, g.current, &acks, e)) ||
	    (rc = st->ops->guideline->run_list(st, g.id, RUNS_SHOWN, &runs, e)))
		goto out;
	j = guideline_json(&g);
	json_object_set_new(j, "text", json_string(ver ? json_string_value(json_object_get(ver, "text"))
						       : (g.draft ? g.draft : "")));
	json_object_set(j, "published_at", ver ? json_object_get(ver, "published_at") : json_null());
	json_object_set_new(j, "acknowledged", json_boolean(g.current && acked_by(acks, a->username)));
	json_object_set_new(j, "check_overdue",
			    json_boolean(s == GS_PUBLISHED && g.next_check && g.next_check <= now));
	json_object_set(j, "runs", runs);
	*out = j;
out:
	json_decref(ver);
	json_decref(acks);
	json_decref(runs);
	guideline_rec_release(&g);
	return rc;
}

int guideline_list_json(struct store *st, const struct actor *a, const json_t *q, json_t **out,
			struct err *e)
{
	const char *status = jx_qstr(q, "status");
	int64_t limit = 50, cursor = 0, now = clock_now();
	enum guideline_status s;
	struct guideline_rec *v = NULL;
	size_t n = 0;
	int more = 0, rc;
	json_t *items;

	if ((rc = staff_check(a, e)))
		return rc;
	if (status && guideline_status_parse(status, &s))
		return err_set(e, ERR_INVALID, "status", "unknown status '%.32s'", status);
	if ((rc = jx_qint(q, "limit", 1, 500, &limit, e)) < 0 ||
	    (rc = jx_qint(q, "cursor", 1, INT64_MAX, &cursor, e)) < 0)
		return rc;
	if ((rc = st->ops->guideline->list(st, status, cursor, (int)limit, &v, &n, &more, e)))
		return rc;
	items = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *j = guideline_json(&v[i]);

		json_object_del(j, "draft");
		json_object_set_new(j, "check_overdue",
				    json_boolean(!strcmp(v[i].status, "published") &&
						 v[i].next_check && v[i].next_check <= now));
		json_array_append_new(items, j);
	}
	*out = json_pack("{s:o, s:o}", "items", items, "next_cursor",
			 more && n ? json_sprintf("%lld", (long long)v[n - 1].id) : json_null());
	guideline_free_recs(v, n);
	return 0;
}

/* ---- fields ---------------------------------------------------------- */

static int read_names(const json_t *in, const char *name, json_t *body, struct err *e)
{
	json_t *v = json_object_get(in, name), *out, *x;
	size_t i;
	char field[48];

	if (!v)
		return 0;
	if (!json_is_array(v) || json_array_size(v) > LIST_MAX)
		return err_set(e, ERR_INVALID, name, "'%s' must be an array of at most %d names",
			       name, LIST_MAX);
	out = json_array();
	json_array_foreach(v, i, x) {
		const char *s = json_string_value(x);
		enum role r;

		snprintf(field, sizeof(field), "%s[%zu]", name, i);
		if (!s || !*s || strlen(s) > 63 || strchr(s, ',')) {
			json_decref(out);
			return err_set(e, ERR_INVALID, field, "'%s' must be a name of 1-63 characters",
				       field);
		}
		if (!strcmp(name, "roles") && (role_parse(s, &r) || r == ROLE_REQUESTER)) {
			json_decref(out);
			return err_set(e, ERR_INVALID, field,
				       "'%.63s' is not a staff role (agent, operator, manager, admin)",
				       s);
		}
		json_array_append_new(out, json_string(s));
	}
	json_object_set_new(body, name, out);
	return 0;
}

static int read_checklist(const json_t *in, json_t *body, struct err *e)
{
	json_t *v = json_object_get(in, "checklist"), *out, *x;
	size_t i;
	char field[48];

	if (!v)
		return 0;
	if (!json_is_array(v) || json_array_size(v) > LIST_MAX)
		return err_set(e, ERR_INVALID, "checklist",
			       "'checklist' must be an array of at most %d items", LIST_MAX);
	out = json_array();
	json_array_foreach(v, i, x) {
		const char *s = json_string_value(x);

		snprintf(field, sizeof(field), "checklist[%zu]", i);
		if (!s || !*s || strlen(s) > ITEM_MAX) {
			json_decref(out);
			return err_set(e, ERR_INVALID, field, "'%s' must be a text of 1-%d bytes",
				       field, ITEM_MAX);
		}
		json_array_append_new(out, json_pack("{s:I, s:s}", "item", (json_int_t)i + 1, "text",
						     s));
	}
	json_object_set_new(body, "checklist", out);
	return 0;
}

static int apply_fields(const json_t *in, struct guideline_rec *g, json_t *body, struct err *e)
{
	const char *s;
	int64_t v;
	int rc;

	if ((rc = jx_text(in, "title", JX_OPTIONAL, GUIDELINE_TITLE_MAX, &s, e)) < 0)
		return rc;
	if (rc == 0)
		snprintf(g->title, sizeof(g->title), "%s", s);
	if ((rc = jx_str(in, "text", JX_OPTIONAL, GUIDELINE_TEXT_MAX, &s, e)) < 0)
		return rc;
	if (rc == 0) {
		char *d = strdup(s);

		if (!d)
			return err_set(e, ERR_INTERNAL, NULL, "out of memory");
		free(g->draft);
		g->draft = d;
	}
	if ((rc = jx_int(in, "every_days", JX_OPTIONAL, 0, EVERY_DAYS_MAX, &v, e)) < 0)
		return rc;
	if (rc == 0)
		g->every_days = v;
	if ((rc = read_names(in, "roles", body, e)) || (rc = read_names(in, "groups", body, e)) ||
	    (rc = read_names(in, "users", body, e)))
		return rc;
	return read_checklist(in, body, e);
}

/* Named users exist and are staff. */
static int check_users(struct store_tx *tx, const json_t *body, struct err *e)
{
	size_t i;
	json_t *v;
	char field[48];
	int rc;

	json_array_foreach(json_object_get(body, "users"), i, v) {
		struct user u;

		snprintf(field, sizeof(field), "users[%zu]", i);
		if ((rc = tx->st->ops->user_get(tx->st, tx, 0, json_string_value(v), &u, e)))
			return err_absent(e, rc, ERR_INVALID, field, "unknown user '%s'",
					  json_string_value(v));
		if (u.role == ROLE_REQUESTER)
			return err_set(e, ERR_INVALID, field, "'%s' is not a staff user",
				       json_string_value(v));
	}
	return 0;
}

/* ---- create ---------------------------------------------------------- */

struct create_ctx {
	const struct actor *a;
	const json_t *in;
	struct guideline_rec g;
	json_t *body, *after;
};

static int do_create(struct store_tx *tx, void *arg, struct err *e)
{
	struct create_ctx *w = arg;
	int64_t n;
	int rc;

	if ((rc = check_users(tx, w->body, e)) || (rc = body_store(&w->g, w->body, e)) ||
	    (rc = tx->st->ops->counter_next(tx, "GL", &n, e)))
		return rc;
	snprintf(w->g.key, sizeof(w->g.key), "GL-%lld", (long long)n);
	w->g.created_at = clock_now();
	if ((rc = tx->st->ops->guideline->insert(tx, &w->g, e)))
		return rc;
	return audit_gl(tx, w->a, "guideline.create", &w->g, w->in, &w->after, e);
}

int guideline_add(struct store *st, const struct actor *a, const json_t *in, json_t **out,
		  struct err *e)
{
	static const char *const keys[] = { "title", "text",	  "roles",	"groups",
					    "users", "checklist", "every_days", NULL };
	struct create_ctx w = { .a = a, .in = in };
	int rc;

	if ((rc = manager_check(a, e)))
		return rc;
	if (!json_is_object(in))
		return err_set(e, ERR_INVALID, NULL, "the body must be a JSON object");
	if ((rc = jx_only(in, keys, e)))
		return rc;
	if (!json_object_get(in, "title"))
		return err_set(e, ERR_INVALID, "title", "'title' is required");
	snprintf(w.g.status, sizeof(w.g.status), "%s", guideline_status_name(GS_DRAFT));
	snprintf(w.g.created_by, sizeof(w.g.created_by), "%s", a->username);
	if (!(w.body = json_pack("{s:[], s:[], s:[], s:[]}", "roles", "groups", "users",
				 "checklist")))
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	if (!(rc = apply_fields(in, &w.g, w.body, e)))
		rc = store_write(st, do_create, &w, e);
	if (!rc)
		*out = w.after;
	else
		json_decref(w.after);
	json_decref(w.body);
	guideline_rec_release(&w.g);
	return rc;
}

/* ---- the write of a stored guideline ---------------------------------- */

struct gw;
typedef int (*gl_op_fn)(struct store_tx *tx, struct gw *w, struct guideline_rec *g,
			enum guideline_status s, json_t *body, struct err *e);

struct gw {
	const struct actor *a;
	const json_t *in;
	const char *key;
	const char *action;
	int64_t version;
	gl_op_fn op;
	json_t *after;
	json_t *answer; /* what to answer instead of the record (owned) */
};

static int do_run(struct store_tx *tx, void *arg, struct err *e)
{
	struct gw *w = arg;
	struct guideline_rec g;
	enum guideline_status s;
	json_t *body = NULL;
	int rc;

	if ((rc = load(tx->st, tx, w->key, &g, &s, e)))
		return rc;
	if (w->version != g.version) {
		rc = err_set(e, ERR_CONFLICT, "version",
			     "guideline %s is at version %lld, not %lld: reload and retry", g.key,
			     (long long)g.version, (long long)w->version);
		goto out;
	}
	if (!(body = json_loads(g.body ? g.body : "{}", 0, NULL))) {
		rc = err_set(e, ERR_INTERNAL, NULL, "guideline %s holds a malformed body", g.key);
		goto out;
	}
	if ((rc = w->op(tx, w, &g, s, body, e)) || (rc = body_store(&g, body, e)))
		goto out;
	g.updated_at = clock_now();
	g.version++;
	if (!(rc = tx->st->ops->guideline->update(tx, &g, e)))
		rc = audit_gl(tx, w->a, w->action, &g, w->in, &w->after, e);
out:
	json_decref(body);
	guideline_rec_release(&g);
	return rc;
}

static int run(struct store *st, struct gw *w, int managers, const char *const *keys,
	       json_t **out, struct err *e)
{
	int rc = managers ? manager_check(w->a, e) : staff_check(w->a, e);

	if (rc)
		return rc;
	if (!json_is_object(w->in))
		return err_set(e, ERR_INVALID, NULL, "the body must be a JSON object");
	if ((rc = jx_only(w->in, keys, e)) ||
	    (rc = jx_int(w->in, "version", JX_REQUIRED, 1, INT64_MAX, &w->version, e)))
		return rc;
	rc = store_write(st, do_run, w, e);
	if (!rc && w->answer) {
		*out = w->answer;
		json_decref(w->after);
	} else if (!rc) {
		*out = w->after;
	} else {
		json_decref(w->after);
		json_decref(w->answer);
	}
	return rc;
}

static int refused(int rc, const struct guideline_rec *g, const char *what, struct err *e)
{
	return rc ? err_set(e, rc, "status", "guideline %s is %s: it is not %s", g->key, g->status,
			    what)
		  : 0;
}

/* ---- edit and publish -------------------------------------------------- */

static int op_edit(struct store_tx *tx, struct gw *w, struct guideline_rec *g,
		   enum guideline_status s, json_t *body, struct err *e)
{
	const char *status;
	int rc;

	if ((rc = refused(guideline_may_edit(s), g, "edited", e)))
		return rc;
	if ((rc = jx_str(w->in, "status", JX_OPTIONAL, 16, &status, e)) < 0)
		return rc;
	if (rc == 0) {
		if (strcmp(status, "retired"))
			return err_set(e, ERR_INVALID, "status",
				       "status may only be set to 'retired' (publish publishes)");
		snprintf(g->status, sizeof(g->status), "%s", guideline_status_name(GS_RETIRED));
	}
	if ((rc = apply_fields(w->in, g, body, e)) || (rc = check_users(tx, body, e)))
		return rc;
	if (json_object_get(w->in, "every_days") && g->current)
		g->next_check = g->every_days ? clock_now() + g->every_days * DAY : 0;
	return 0;
}

int guideline_edit(struct store *st, const struct actor *a, const char *key, const json_t *in,
		   json_t **out, struct err *e)
{
	static const char *const keys[] = { "version", "title",	    "text",	  "roles", "groups",
					    "users",   "checklist", "every_days", "status", NULL };
	struct gw w = { .a = a, .in = in, .key = key, .action = "guideline.edit", .op = op_edit };

	return run(st, &w, 1, keys, out, e);
}

static int op_publish(struct store_tx *tx, struct gw *w, struct guideline_rec *g,
		      enum guideline_status s, json_t *body, struct err *e)
{
	int64_t now = clock_now();
	int rc;

	if ((rc = refused(guideline_may_publish(s), g, "published", e)))
		return rc;
	if (!g->draft || !*g->draft)
		return err_set(e, ERR_INVALID, "text", "guideline %s has no text to publish",
			       g->key);
	if ((rc = tx->st->ops->guideline->version_insert(tx, g->id, g->current + 1, g->draft,
							 w->a->username, now, e)))
		return rc;
	if (!g->current && g->every_days)
		g->next_check = now + g->every_days * DAY;
	g->current++;
	snprintf(g->status, sizeof(g->status), "%s", guideline_status_name(GS_PUBLISHED));
	return 0;
}

int guideline_publish(struct store *st, const struct actor *a, const char *key,
		      const json_t *in, json_t **out, struct err *e)
{
	static const char *const keys[] = { "version", NULL };
	struct gw w = { .a = a, .in = in, .key = key, .action = "guideline.publish",
			.op = op_publish };

	return run(st, &w, 1, keys, out, e);
}

/* ---- acknowledgements --------------------------------------------------- */

struct ack_ctx {
	const struct actor *a;
	const char *key;
	json_t *out;
};

static int do_ack(struct store_tx *tx, void *arg, struct err *e)
{
	struct ack_ctx *w = arg;
	struct guideline_rec g;
	enum guideline_status s;
	json_t *acks = NULL, *change;
	int64_t now = clock_now();
	char entity[64];
	int rc;

	if ((rc = load(tx->st, tx, w->key, &g, &s, e)))
		return rc;
	if ((rc = refused(guideline_may_ack(s), &g, "acknowledged", e)) ||
	    (rc = tx->st->ops->guideline->ack_list(tx->st, tx, g.id, g.current, &acks, e)))
		goto out;
	if (acked_by(acks, w->a->username)) {
		size_t i;
		json_t *v;

		json_array_foreach(acks, i, v)
			if (!strcmp(json_string_value(json_object_get(v, "username")),
				    w->a->username))
				w->out = json_pack("{s:s, s:I, s:s, s:O, s:b}", "key", g.key,
						   "version", (json_int_t)g.current, "username",
						   w->a->username, "at", json_object_get(v, "at"),
						   "new", 0);
		goto out;
	}
	if ((rc = tx->st->ops->guideline->ack_insert(tx, g.id, g.current, w->a->username, now, e)))
		goto out;
	snprintf(entity, sizeof(entity), "guideline:%s", g.key);
	change = json_pack("{s:I}", "acknowledged", (json_int_t)g.current);
	rc = change ? audit_append(tx, w->a, "guideline.ack", entity, change, e)
		    : err_set(e, ERR_INTERNAL, NULL, "out of memory");
	json_decref(change);
	if (!rc)
		w->out = json_pack("{s:s, s:I, s:s, s:o, s:b}", "key", g.key, "version",
				   (json_int_t)g.current, "username", w->a->username, "at",
				   jx_time_value(now), "new", 1);
out:
	json_decref(acks);
	guideline_rec_release(&g);
	return rc;
}

int guideline_ack(struct store *st, const struct actor *a, const char *key, const json_t *in,
		  json_t **out, struct err *e)
{
	static const char *const keys[] = { NULL };
	struct ack_ctx w = { .a = a, .key = key };
	int rc;

	if ((rc = staff_check(a, e)))
		return rc;
	if (in && (!json_is_object(in) || (rc = jx_only(in, keys, e))))
		return json_is_object(in) ? rc
					  : err_set(e, ERR_INVALID, NULL,
						    "the body must be a JSON object");
	if ((rc = store_write(st, do_ack, &w, e))) {
		json_decref(w.out);
		return rc;
	}
	*out = w.out;
	return 0;
}

int guideline_acks_json(struct store *st, const struct actor *a, const char *key,
			const json_t *q, json_t **out, struct err *e)
{
	struct guideline_rec g;
	enum guideline_status s;
	struct user *users = NULL;
	size_t nu = 0;
	json_t *acks = NULL, *body = NULL, *pending;
	int64_t n = 0;
	int rc;

	if ((rc = staff_check(a, e)) || (rc = load(st, NULL, key, &g, &s, e)))
		return rc;
	if (!g.current) {
		rc = err_set(e, ERR_TRANSITION, "status", "guideline %s is not published yet", g.key);
		goto out;
	}
	n = g.current;
	if ((rc = jx_qint(q, "version", 1, g.current, &n, e)) < 0)
		goto out;
	rc = 0;
	if ((rc = st->ops->guideline->ack_list(st, NULL, g.id, n, &acks, e)) ||
	    (rc = st->ops->user_list(st, &users, &nu, e)))
		goto out;
	body = json_loads(g.body ? g.body : "{}", 0, NULL);
	pending = json_array();
	for (size_t i = 0; i < nu; i++) {
		const struct user *u = &users[i];

		if (!u->active || u->role == ROLE_REQUESTER ||
		    !guideline_audience_has(body, role_name(u->role), u->groups, u->username) ||
		    acked_by(acks, u->username))
			continue;
		json_array_append_new(pending, json_string(u->username));
	}
	*out = json_pack("{s:s, s:I, s:I, s:O, s:o}", "key", g.key, "version", (json_int_t)n,
			 "current_version", (json_int_t)g.current, "acknowledged", acks, "pending",
			 pending);
out:
	free(users);
	json_decref(acks);
	json_decref(body);
	guideline_rec_release(&g);
	return rc;
}

/* ---- checklist runs ------------------------------------------------------ */

/* The results of a run against the checklist: every item answered once. */
static int read_results(const json_t *in, const json_t *checklist, json_t **out, int64_t *failed,
			struct err *e)
{
	json_t *v = json_object_get(in, "results"), *x;
	size_t n = json_array_size(checklist), i;
	char seen[LIST_MAX + 1] = { 0 }, field[48];

	if (!n)
		return err_set(e, ERR_INVALID, "results", "the guideline has no checklist");
	if (!json_is_array(v))
		return err_set(e, ERR_INVALID, "results",
			       "'results' must be an array of {item, result, comment}");
	*failed = 0;
	*out = json_array();
	json_array_foreach(v, i, x) {
		static const char *const keys[] = { "item", "result", "comment", NULL };
		const char *result, *comment = "";
		int64_t item;
		int rc;

		snprintf(field, sizeof(field), "results[%zu]", i);
		if (!json_is_object(x)) {
			json_decref(*out);
			return err_set(e, ERR_INVALID, field, "'%s' must be an object", field);
		}
		if ((rc = jx_only(x, keys, e)) ||
		    (rc = jx_int(x, "item", JX_REQUIRED, 1, (int64_t)n, &item, e)) ||
		    (rc = jx_str(x, "result", JX_REQUIRED, 8, &result, e)) ||
		    (rc = jx_str(x, "comment", JX_OPTIONAL, RESULT_COMMENT_MAX, &comment, e)) < 0) {
			/* name the entry, not its member */
			snprintf(e->field, sizeof(e->field), "%s", field);
			json_decref(*out);
			return rc;
		}
		if (strcmp(result, "pass") && strcmp(result, "fail")) {
			json_decref(*out);
			return err_set(e, ERR_INVALID, field, "'%s' result must be pass or fail",
				       field);
		}
		if (seen[item]++) {
			json_decref(*out);
			return err_set(e, ERR_INVALID, field, "item %lld is answered twice",
				       (long long)item);
		}
		*failed += !strcmp(result, "fail");
		json_array_append_new(*out, json_pack("{s:I, s:s, s:s, s:s}", "item",
						      (json_int_t)item, "text",
						      json_string_value(json_object_get(
							      json_array_get(checklist, (size_t)item - 1),
							      "text")),
						      "result", result, "comment",
						      comment ? comment : ""));
	}
	for (size_t k = 1; k <= n; k++)
		if (!seen[k]) {
			json_decref(*out);
			return err_set(e, ERR_INVALID, "results", "item %zu is not answered", k);
		}
	return 0;
}

/* A follow-up ticket for a failed item, opened by the service desk's own
 * create in this write; its key goes into the result. */
static int follow_up(struct store_tx *tx, const struct actor *a, const struct guideline_rec *g,
		     const char *kind, json_t *result, struct err *e)
{
	json_t *in, *after = NULL;
	char title[GUIDELINE_TITLE_MAX + 1];
	char *desc = NULL;
	int rc;

	snprintf(title, sizeof(title), "%s check failed: %s", g->key,
		 json_string_value(json_object_get(result, "text")));
	if (asprintf(&desc, "A compliance check of %s (%s) failed.\nitem %lld: %s\ncomment: %s",
		     g->key, g->title, (long long)json_integer_value(json_object_get(result, "item")),
		     json_string_value(json_object_get(result, "text")),
		     json_string_value(json_object_get(result, "comment"))) < 0)
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	in = json_pack("{s:s, s:s, s:s, s:i, s:i}", "kind", kind, "title", title, "description",
		       desc, "impact", 3, "urgency", 3);
	free(desc);
	if (!in)
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	rc = ticket_create_in(tx, a, in, &after, e);
	json_decref(in);
	if (!rc)
		json_object_set(result, "ticket", json_object_get(after, "key"));
	json_decref(after);
	return rc;
}

static int op_check(struct store_tx *tx, struct gw *w, struct guideline_rec *g,
		    enum guideline_status s, json_t *body, struct err *e)
{
	const char *kind = "inquiry";
	json_t *results = NULL, *x;
	int64_t failed = 0, run_id = 0, now = clock_now();
	struct buf text = BUF_INIT;
	size_t i;
	int rc;

	if ((rc = refused(guideline_may_check(s), g, "checked", e)))
		return rc;
	if ((rc = jx_str(w->in, "followup_kind", JX_OPTIONAL, 16, &kind, e)) < 0)
		return rc;
	if (strcmp(kind, "inquiry") && strcmp(kind, "incident"))
		return err_set(e, ERR_INVALID, "followup_kind",
			       "a follow-up is an 'inquiry' or an 'incident'");
	if ((rc = read_results(w->in, json_object_get(body, "checklist"), &results, &failed, e)))
		return rc;
	json_array_foreach(results, i, x)
		if (!strcmp(json_string_value(json_object_get(x, "result")), "fail") &&
		    (rc = follow_up(tx, w->a, g, kind, x, e)))
			goto out;
	if (jx_canonical(&text, results)) {
		rc = err_set(e, ERR_INTERNAL, NULL, "out of memory");
		goto out;
	}
	if ((rc = tx->st->ops->guideline->run_insert(tx, g->id, buf_str(&text), failed,
						     w->a->username, now, &run_id, e)))
		goto out;
	g->next_check = g->every_days ? now + g->every_days * DAY : 0;
	w->answer = json_pack("{s:I, s:s, s:I, s:O, s:I, s:s, s:o}", "id", (json_int_t)run_id,
			      "guideline", g->key, "checked_version", (json_int_t)g->current,
			      "results", results, "failed", (json_int_t)failed, "run_by",
			      w->a->username, "run_at", jx_time_value(now));
	jx_set_time(w->answer, "next_check", g->next_check);
out:
	buf_release(&text);
	json_decref(results);
	return rc;
}

int guideline_check(struct store *st, const struct actor *a, const char *key, const json_t *in,
		    json_t **out, struct err *e)
{
	static const char *const keys[] = { "version", "results", "followup_kind", NULL };
	struct gw w = { .a = a, .in = in, .key = key, .action = "guideline.check",
			.op = op_check };

	return run(st, &w, 0, keys, out, e);
}

/* ---- what the audit holds ------------------------------------------------ */

int guideline_state_scan(struct store *st, audit_state_fn fn, void *ctx, struct err *e)
{
	struct audit_scan to = { fn, ctx };
	int64_t before = 0;
	int more = 1, rc = 0;

	while (!rc && more) {
		struct guideline_rec *v = NULL;
		size_t n = 0;

		if ((rc = st->ops->guideline->list(st, NULL, before, 200, &v, &n, &more, e)))
			break;
		for (size_t i = 0; !rc && i < n; i++) {
			rc = audit_state_hand(&to, guideline_json(&v[i]), "guideline:%s", v[i].key);
			before = v[i].id;
		}
		guideline_free_recs(v, n);
		if (!n)
			break;
	}
	return rc;
}
