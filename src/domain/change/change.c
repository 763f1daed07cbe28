/*
 * change.c — stored changes: who may act, create, read, list, update a
 * draft, the risk shown with its reasons, and the one write every operation
 * runs (change_run). The moves of the lifecycle are change_flow.c.
 *
 * Each write validates what it can outside the store, computes what reads
 * the CMDB's shared impact graph (risk, reach) before it takes the writer,
 * then runs one function on the writer that re-reads the change, checks the
 * version and the lifecycle against that fresh copy, writes it and appends
 * the audit record "change:KEY" — so a refused request leaves nothing.
 */
#include "domain/change/change_int.h"
#include "domain/platform/audit.h"
#include "lib/buf.h"
#include "lib/ident.h"
#include "lib/jsonx.h"
#include "lib/timeutil.h"
#include "store/store_change.h"
#include "store/store_sla.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define TEXT_MAX 8000
#define LIST_MAX 100

/* ---- who may act ----------------------------------------------------- */

int change_actor_check(const struct actor *a, struct err *e)
{
	if (a->scope_events)
		return err_set(e, ERR_FORBIDDEN, NULL, "this token may only send events");
	if (!actor_is_staff(a))
		return err_set(e, ERR_FORBIDDEN, NULL, "changes are for staff");
	return 0;
}

/* ---- JSON ------------------------------------------------------------ */

json_t *change_rec_json(const struct change_rec *c)
{
	json_t *j = json_object(), *body = json_loads(c->body ? c->body : "{}", 0, NULL);

	json_object_set_new(j, "id", json_integer(c->id));
	json_object_set_new(j, "key", json_string(c->key));
	json_object_set_new(j, "type", json_string(c->type));
	json_object_set_new(j, "status", json_string(c->status));
	json_object_set_new(j, "title", json_string(c->title));
	jx_set_time(j, "planned_start", c->start);
	jx_set_time(j, "planned_end", c->end);
	if (json_is_object(body))
		json_object_update(j, body);
	json_decref(body);
	json_object_set_new(j, "created_by", json_string(c->created_by));
	jx_set_time(j, "created_at", c->created_at);
	jx_set_time(j, "updated_at", c->updated_at);
	json_object_set_new(j, "version", json_integer(c->version));
	return j;
}

static int body_store(struct change_rec *c, const json_t *body, struct err *e)
{
	if (jx_canonical_dup(body, &c->body))
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	return 0;
}

/* ---- reading --------------------------------------------------------- */


static int load(struct store *st, struct store_tx *tx, const struct actor *a, const char *key,
		struct change_rec *c, struct err *e)
{
	int rc;

	memset(c, 0, sizeof(*c));
	if ((rc = change_actor_check(a, e)))
		return rc;
	if (!ident_numbered(key, "CHG"))
		return err_set(e, ERR_NOT_FOUND, NULL, "change '%.32s' not found", key ? key : "");
	rc = st->ops->change->change_get(st, tx, key, 0, c, e);
	return err_absent(e, rc, ERR_NOT_FOUND, NULL, "change '%s' not found", key);
}

int change_read(struct store *st, const struct actor *a, const char *key, struct change_rec *c,
		json_t **body, struct err *e)
{
	int rc = load(st, NULL, a, key, c, e);

	if (rc)
		return rc;
	*body = json_loads(c->body ? c->body : "{}", 0, NULL);
	if (!*body) {
		change_rec_release(c);
		return err_set(e, ERR_INTERNAL, NULL, "change %s holds a malformed body", key);
	}
	return 0;
}

int change_get_json(struct store *st, const struct actor *a, const char *key, json_t **out,
		    struct err *e)
{
	struct change_rec c;
	int rc = load(st, NULL, a, key, &c, e);

	if (rc)
		return rc;
	*out = change_rec_json(&c);
	change_rec_release(&c);
	return 0;
}

int change_list_json(struct store *st, const struct actor *a, const json_t *q, json_t **out,
		     struct err *e)
{
	const char *status = jx_qstr(q, "status");
	int64_t limit = 50, cursor = 0;
	enum change_status s;
	struct change_rec *v = NULL;
	size_t n = 0;
	int more = 0, rc;
	json_t *items;

	if ((rc = change_actor_check(a, e)))
		return rc;
	if (status && change_status_parse(status, &s))
		return err_set(e, ERR_INVALID, "status", "unknown status '%.32s'", status);
	if ((rc = jx_qint(q, "limit", 1, 500, &limit, e)) < 0 ||
	    (rc = jx_qint(q, "cursor", 1, INT64_MAX, &cursor, e)) < 0)
		return rc;
	if ((rc = st->ops->change->change_list(st, status, cursor, (int)limit, &v, &n, &more, e)))
		return rc;
	items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, change_rec_json(&v[i]));
	*out = json_pack("{s:o, s:o}", "items", items, "next_cursor",
			 more && n ? json_sprintf("%lld", (long long)v[n - 1].id) : json_null());
	change_free_recs(v, n);
	return 0;
}

int change_calendar_json(struct store *st, const struct actor *a, json_t **out, struct err *e)
{
	struct change_rec *v = NULL;
	size_t n = 0;
	json_t *items;
	int rc;

	if ((rc = change_actor_check(a, e)) ||
	    (rc = st->ops->change->change_active(st, NULL, 0, 0, &v, &n, e)))
		return rc;
	items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, change_rec_json(&v[i]));
	change_free_recs(v, n);
	*out = json_pack("{s:o}", "items", items);
	return 0;
}

/* ---- the write -------------------------------------------------------- */

static int do_run(struct store_tx *tx, void *arg, struct err *e)
{
	struct cw *w = arg;
	struct change_rec c;
	json_t *body = NULL, *change;
	char entity[64];
	int rc;

	if ((rc = load(tx->st, tx, w->a, w->key, &c, e)))
		return rc;
	if (w->version != c.version) {
		rc = err_set(e, ERR_CONFLICT, "version",
			     "change %s is at version %lld, not %lld: reload and retry", c.key,
			     (long long)c.version, (long long)w->version);
		goto out;
	}
	if (!(body = json_loads(c.body ? c.body : "{}", 0, NULL))) {
		rc = err_set(e, ERR_INTERNAL, NULL, "change %s holds a malformed body", c.key);
		goto out;
	}
	if ((rc = w->op(tx, w, &c, body, e)) || (rc = body_store(&c, body, e)))
		goto out;
	c.updated_at = clock_now();
	c.version++;
	if ((rc = tx->st->ops->change->change_update(tx, &c, e)))
		goto out;
	w->after = change_rec_json(&c);
	snprintf(entity, sizeof(entity), "change:%s", c.key);
	change = json_pack("{s:O, s:O}", "set", w->in ? w->in : json_null(), "after", w->after);
	rc = change ? audit_append(tx, w->a, w->action, entity, change, e)
		    : err_set(e, ERR_INTERNAL, NULL, "out of memory");
	json_decref(change);
out:
	json_decref(body);
	change_rec_release(&c);
	return rc;
}

int change_run(struct store *st, struct cw *w, json_t **out, struct err *e)
{
	int rc = store_write(st, do_run, w, e);

	*out = NULL;
	if (!rc) {
		*out = w->after;
		w->after = NULL;
	} else if (w->detail) {
		*out = w->detail;
		w->detail = NULL;
	}
	json_decref(w->after);
	json_decref(w->detail);
	json_decref(w->ctx);
	return rc;
}

/* ---- fields of create and update -------------------------------------- */

static const char *const text_fields[] = { "description", "reason", "implementation_plan",
					   "test_plan", "backout_plan", NULL };

static const char *const create_keys[] = {
	"type",	     "title",	      "description",   "reason",	 "items",
	"services",  "implementation_plan", "test_plan", "backout_plan", "planned_start",
	"planned_end", "approvers",   "rule",	      "quorum",		 "questionnaire",
	NULL
};

/* A list of keys: strings, no duplicates (ERR_CONFLICT for approvers, whose
 * duplicate is the same person named twice). */
static int read_keys(const json_t *in, const char *name, json_t *body, struct err *e)
{
	json_t *v = json_object_get(in, name), *out, *x;
	size_t i;
	char field[48];

	if (!v)
		return 0;
	if (json_is_null(v))
		v = NULL;
	else if (!json_is_array(v))
		return err_set(e, ERR_INVALID, name, "'%s' must be an array of keys", name);
	if (json_array_size(v) > LIST_MAX)
		return err_set(e, ERR_INVALID, name, "too many %s (at most %d)", name, LIST_MAX);
	out = json_array();
	json_array_foreach(v, i, x) {
		const char *s = json_string_value(x);
		size_t k;
		json_t *y;

		snprintf(field, sizeof(field), "%s[%zu]", name, i);
		if (!s || !*s || strlen(s) > 63) {
			json_decref(out);
			return err_set(e, ERR_INVALID, field, "'%s' must be a key of 1-63 characters",
				       field);
		}
		json_array_foreach(out, k, y)
			if (!strcmp(json_string_value(y), s)) {
				json_decref(out);
				return err_set(e,
					       strcmp(name, "approvers") ? ERR_INVALID
									 : ERR_CONFLICT,
					       field, "'%.63s' is named twice in '%s'", s, name);
			}
		json_array_append_new(out, json_string(s));
	}
	json_object_set_new(body, name, out);
	return 0;
}

static int read_questionnaire(const json_t *in, json_t *body, struct err *e)
{
	json_t *q = json_object_get(in, "questionnaire"), *v;
	const char *k;
	char field[64];

	if (!q)
		return 0;
	if (!json_is_object(q))
		return err_set(e, ERR_INVALID, "questionnaire",
			       "'questionnaire' must be an object of yes/no answers");
	json_object_foreach(q, k, v) {
		int known = 0;

		for (const char *const *p = change_risk_questions; *p; p++)
			known |= !strcmp(*p, k);
		snprintf(field, sizeof(field), "questionnaire.%.40s", k);
		if (!known)
			return err_set(e, ERR_INVALID, field, "unknown question '%.40s'", k);
		if (!json_is_boolean(v) && !json_is_null(v))
			return err_set(e, ERR_INVALID, field, "'%s' must be true, false or null",
				       field);
	}
	json_object_set(body, "questionnaire", q);
	return 0;
}

/* Apply the request's fields to the record c and its body; validation that
 * needs no store. */
static int apply_fields(const json_t *in, struct change_rec *c, json_t *body, struct err *e)
{
	const char *s;
	int64_t t;
	int rc;

	if ((rc = jx_text(in, "title", JX_OPTIONAL, CHANGE_TITLE_MAX, &s, e)) < 0)
		return rc;
	if (rc == 0)
		snprintf(c->title, sizeof(c->title), "%s", s);
	for (const char *const *f = text_fields; *f; f++) {
		if ((rc = jx_str(in, *f, JX_OPTIONAL, TEXT_MAX, &s, e)) < 0)
			return rc;
		if (rc == 0)
			json_object_set_new(body, *f, json_string(s));
	}
	if ((rc = jx_time(in, "planned_start", JX_OPTIONAL, &t, e)) < 0)
		return rc;
	if (rc == 0)
		c->start = t;
	if ((rc = jx_time(in, "planned_end", JX_OPTIONAL, &t, e)) < 0)
		return rc;
	if (rc == 0)
		c->end = t;
	if (c->start && c->end && c->end <= c->start)
		return err_set(e, ERR_INVALID, "planned_end", "the change ends before it starts");
	if ((rc = read_keys(in, "items", body, e)) || (rc = read_keys(in, "services", body, e)) ||
	    (rc = read_keys(in, "approvers", body, e)) || (rc = read_questionnaire(in, body, e)))
		return rc;
	if ((rc = jx_str(in, "rule", JX_OPTIONAL, 16, &s, e)) < 0)
		return rc;
	if (rc == 0) {
		enum change_rule r;

		if (change_rule_parse(s, &r))
			return err_set(e, ERR_INVALID, "rule",
				       "unknown rule '%.16s' (all, any, quorum)", s);
		json_object_set_new(body, "rule", json_string(s));
	}
	if ((rc = jx_int(in, "quorum", JX_OPTIONAL, 1, LIST_MAX, &t, e)) < 0)
		return rc;
	if (rc == 0)
		json_object_set_new(body, "quorum", json_integer(t));
	s = json_string_value(json_object_get(body, "rule"));
	if (s && !strcmp(s, "quorum")) {
		json_t *q = json_object_get(body, "quorum");
		size_t n = json_array_size(json_object_get(body, "approvers"));

		if (!json_is_integer(q))
			return err_set(e, ERR_INVALID, "quorum", "rule quorum needs 'quorum'");
		if (n && json_integer_value(q) > (json_int_t)n)
			return err_set(e, ERR_INVALID, "quorum",
				       "a quorum of %lld out of %zu approvers cannot be met",
				       (long long)json_integer_value(q), n);
	}
	return 0;
}

/* The references, checked inside the write: approvers are active staff
 * users, services are in the catalogue. */
static int check_refs(struct store_tx *tx, const json_t *body, struct err *e)
{
	struct store *st = tx->st;
	size_t i;
	json_t *v;
	char field[48];
	int rc;

	json_array_foreach(json_object_get(body, "approvers"), i, v) {
		const char *name = json_string_value(v);
		struct user u;

		snprintf(field, sizeof(field), "approvers[%zu]", i);
		if ((rc = st->ops->user_get(st, tx, 0, name, &u, e)))
			return err_absent(e, rc, ERR_INVALID, field, "unknown user '%s'", name);
		if (u.role == ROLE_REQUESTER || !u.active)
			return err_set(e, ERR_INVALID, field,
				       "approver '%s' is not an active staff user", name);
	}
	json_array_foreach(json_object_get(body, "services"), i, v) {
		const char *key = json_string_value(v);
		struct service_rec svc;

		snprintf(field, sizeof(field), "services[%zu]", i);
		if ((rc = st->ops->sla->service_get(st, tx, key, &svc, e)))
			return err_absent(e, rc, ERR_INVALID, field, "unknown service '%s'", key);
	}
	return 0;
}

/* ---- create ------------------------------------------------------------ */

struct create_ctx {
	const struct actor *a;
	const json_t *in;
	struct change_rec c;
	json_t *body;
	json_t *after;
};

static int do_create(struct store_tx *tx, void *arg, struct err *e)
{
	struct create_ctx *w = arg;
	struct change_rec *c = &w->c;
	char entity[64];
	json_t *change;
	int64_t n;
	int rc;

	if ((rc = check_refs(tx, w->body, e)) || (rc = body_store(c, w->body, e)) ||
	    (rc = tx->st->ops->counter_next(tx, "CHG", &n, e)))
		return rc;
	snprintf(c->key, sizeof(c->key), "CHG-%lld", (long long)n);
	c->created_at = clock_now();
	if ((rc = tx->st->ops->change->change_insert(tx, c, e)))
		return rc;
	w->after = change_rec_json(c);
	snprintf(entity, sizeof(entity), "change:%s", c->key);
	change = json_pack("{s:O, s:O}", "set", w->in, "after", w->after);
	rc = change ? audit_append(tx, w->a, "change.create", entity, change, e)
		    : err_set(e, ERR_INTERNAL, NULL, "out of memory");
	json_decref(change);
	return rc;
}

/* The risk, recomputed from the body's items and answers. */
static int set_risk(struct store *st, const struct actor *a, json_t *body, struct err *e)
{
	json_t *risk;
	int rc = change_risk_json(st, a, body, &risk, e);

	if (!rc)
		json_object_set_new(body, "risk", risk);
	return rc;
}

static json_t *new_body(void)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:[], s:[], s:[], s:s, s:n, s:{}, s:[], "
			 "s:[], s:n, s:n}",
			 "description", "", "reason", "", "implementation_plan", "", "test_plan",
			 "", "backout_plan", "", "items", "services", "approvers", "rule", "all",
			 "quorum", "questionnaire", "approvals", "outages", "override", "review");
}

int change_create(struct store *st, const struct actor *a, const json_t *in, json_t **out,
		  struct err *e)
{
	struct create_ctx w = { .a = a, .in = in };
	enum change_type type;
	const char *s;
	int rc;

	if ((rc = change_actor_check(a, e)))
		return rc;
	if (!json_is_object(in))
		return err_set(e, ERR_INVALID, NULL, "the body must be a JSON object");
	if ((rc = jx_only(in, create_keys, e)) || (rc = jx_str(in, "type", JX_REQUIRED, 16, &s, e)))
		return rc;
	if (change_type_parse(s, &type))
		return err_set(e, ERR_INVALID, "type",
			       "unknown type '%.16s' (standard, normal, emergency)", s);
	if (!json_object_get(in, "title"))
		return err_set(e, ERR_INVALID, "title", "'title' is required");
	snprintf(w.c.type, sizeof(w.c.type), "%s", change_type_name(type));
	snprintf(w.c.status, sizeof(w.c.status), "%s", change_status_name(CHS_DRAFT));
	snprintf(w.c.created_by, sizeof(w.c.created_by), "%s", a->username);
	if (!(w.body = new_body()))
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	if (!(rc = apply_fields(in, &w.c, w.body, e)) && !(rc = set_risk(st, a, w.body, e)))
		rc = store_write(st, do_create, &w, e);
	if (!rc)
		*out = w.after;
	else
		json_decref(w.after);
	json_decref(w.body);
	change_rec_release(&w.c);
	return rc;
}

/* ---- update ------------------------------------------------------------ */

static int op_update(struct store_tx *tx, struct cw *w, struct change_rec *c, json_t *body,
		     struct err *e)
{
	int rc;

	if (strcmp(c->status, "draft"))
		return err_set(e, ERR_TRANSITION, "status",
			       "change %s is %s: only a draft is edited", c->key, c->status);
	if ((rc = apply_fields(w->in, c, body, e)) || (rc = check_refs(tx, body, e)))
		return rc;
	/* The risk computed before the write, from the same fields. */
	json_object_set(body, "risk", json_object_get(w->ctx, "risk"));
	return 0;
}

static const char *const update_keys[] = {
	"version",   "title",	      "description",   "reason",	 "items",
	"services",  "implementation_plan", "test_plan", "backout_plan", "planned_start",
	"planned_end", "approvers",   "rule",	      "quorum",		 "questionnaire",
	NULL
};

int change_update(struct store *st, const struct actor *a, const char *key, const json_t *in,
		  json_t **out, struct err *e)
{
	struct cw w = { .a = a, .in = in, .key = key, .action = "change.update", .op = op_update };
	struct change_rec c;
	json_t *body;
	int rc;

	if ((rc = change_actor_check(a, e)))
		return rc;
	if (!json_is_object(in))
		return err_set(e, ERR_INVALID, NULL, "the body must be a JSON object");
	if ((rc = jx_only(in, update_keys, e)) ||
	    (rc = jx_int(in, "version", JX_REQUIRED, 1, INT64_MAX, &w.version, e)))
		return rc;
	/* Validate and compute the risk on the record as read now; the write
	 * re-applies the fields to the fresh copy at the same version. */
	if ((rc = change_read(st, a, key, &c, &body, e)))
		return rc;
	if (!(rc = apply_fields(in, &c, body, e)) && !(rc = set_risk(st, a, body, e)))
		w.ctx = json_pack("{s:O}", "risk", json_object_get(body, "risk"));
	json_decref(body);
	change_rec_release(&c);
	if (rc)
		return rc;
	return change_run(st, &w, out, e);
}
