/*
 * acceptance.c — stored acceptance checklists: who may act, create, read,
 * list, update, manual evidence, the migration plan, the go/no-go, and the
 * one write every change runs (run).
 *
 * Each write validates what it can outside the store, then runs one
 * function on the writer that re-reads the checklist, checks the version
 * and the status against that fresh copy, checks the references (service,
 * items, owners), writes it and appends the audit record "acceptance:KEY"
 * whose "after" is the stored checklist — so a refused request leaves
 * nothing. The evidence found now ("met", "evidence", "missing", "ready")
 * is added to answers only, never to what the audit holds, except the
 * snapshot a decision keeps of what it saw.
 */
#include "domain/acceptance/acceptance.h"
#include "domain/platform/audit.h"
#include "lib/ident.h"
#include "lib/jsonx.h"
#include "lib/timeutil.h"
#include "model/cmdb.h"
#include "model/knowledge.h"
#include "model/operation.h"
#include "store/store_acceptance.h"
#include "store/store_cmdb.h"
#include "store/store_knowledge.h"
#include "store/store_operation.h"
#include "store/store_sla.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ITEMS_MAX 100
#define CRITERIA_MAX 40
#define NOTES_MAX 50
#define STEPS_MAX 50
#define NOTE_MAX 2000
#define STEP_TITLE_MAX 500

static int oom(struct err *e)
{
	return err_set(e, ERR_INTERNAL, NULL, "out of memory");
}

/* ---- who may act ----------------------------------------------------- */

static int staff_check(const struct actor *a, struct err *e)
{
	return actor_require_staff(a, 0, "operational acceptance is for staff", NULL, e);
}

static int manager_check(const struct actor *a, struct err *e)
{
	return actor_require_staff(a, 1, "operational acceptance is for staff",
				   "only managers change acceptance checklists", e);
}

/* ---- JSON ------------------------------------------------------------ */

/* Whether every mandatory criterion is met (after acc_evidence_eval); the
 * codes of those that are not go into missing. */
static int readiness(const json_t *criteria, json_t *missing)
{
	size_t i;
	json_t *c;
	int ready = 1;

	json_array_foreach(criteria, i, c)
		if (json_is_true(json_object_get(c, "mandatory")) &&
		    !json_is_true(json_object_get(c, "met"))) {
			ready = 0;
			json_array_append(missing, json_object_get(c, "code"));
		}
	return ready;
}

static int plan_complete(const json_t *plan)
{
	return json_array_size(json_object_get(plan, "steps")) > 0 &&
	       json_string_length(json_object_get(plan, "rollback")) > 0;
}

/* The checklist as answered (now > 0: with the evidence found now) or as
 * audited (now 0). */
static int acc_json(struct store *st, struct store_tx *tx, const struct acc_rec *r, int64_t now,
		    json_t **out, struct err *e)
{
	json_t *j = json_object(), *body = json_loads(r->body ? r->body : "{}", 0, NULL);
	int rc;

	if (!j || !json_is_object(body)) {
		json_decref(body);
		json_decref(j);
		return err_set(e, ERR_INTERNAL, NULL, "acceptance %s: a malformed body or out of memory",
			       r->key);
	}
	json_object_set_new(j, "id", json_integer(r->id));
	json_object_set_new(j, "key", json_string(r->key));
	json_object_set_new(j, "title", json_string(r->title));
	json_object_set_new(j, "status", json_string(r->status));
	json_object_set_new(j, "service", *r->service ? json_string(r->service) : json_null());
	json_object_update(j, body);
	json_decref(body);
	if (now) {
		json_t *missing = json_array(), *criteria = json_object_get(j, "criteria");

		if (!missing)
			rc = oom(e);
		else
			rc = acc_evidence_eval(st, tx, r->service, json_object_get(j, "items"),
					       criteria, now, e);
		if (rc) {
			json_decref(missing);
			json_decref(j);
			return rc;
		}
		if (json_object_set_new(j, "ready",
					json_boolean(readiness(criteria, missing) &&
						     plan_complete(json_object_get(j, "plan")))) |
		    json_object_set_new(j, "missing", missing)) {
			json_decref(j);
			return oom(e);
		}
	}
	json_object_set_new(j, "created_by", json_string(r->created_by));
	jx_set_time(j, "created_at", r->created_at);
	jx_set_time(j, "updated_at", r->updated_at);
	json_object_set_new(j, "version", json_integer(r->version));
	*out = j;
	return 0;
}

static int body_store(struct acc_rec *r, const json_t *body, struct err *e)
{
	free(r->body);
	r->body = NULL;
	if (jx_canonical_dup(body, &r->body))
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	return 0;
}

/* ---- reading --------------------------------------------------------- */

static int load(struct store *st, struct store_tx *tx, const char *key, struct acc_rec *r,
		struct err *e)
{
	int rc;

	memset(r, 0, sizeof(*r));
	if (!ident_numbered(key, "ACC"))
		return err_set(e, ERR_NOT_FOUND, NULL, "acceptance '%.32s' not found", key ? key : "");
	rc = st->ops->acceptance->get(st, tx, key, r, e);
	return err_absent(e, rc, ERR_NOT_FOUND, NULL, "acceptance '%s' not found", key);
}

int acc_criteria_json(struct store *st, const struct actor *a, json_t **out, struct err *e)
{
	json_t *items;
	int rc;

	(void)st;
	if ((rc = staff_check(a, e)))
		return rc;
	items = json_array();
	for (const struct acc_template *t = acc_templates(); t->code; t++) {
		json_t *j = json_pack("{s:s, s:s, s:s, s:b, s:s}", "code", t->code, "title",
				      t->title, "rule", acc_rule_name(t->rule), "mandatory",
				      t->mandatory, "rule_text", acc_rule_text(t->rule));

		if (t->rule == ACC_RULE_BACKUP)
			json_object_set_new(j, "days", json_integer(t->days));
		json_array_append_new(items, j);
	}
	*out = json_pack("{s:o}", "items", items);
	return 0;
}

int acc_get_json(struct store *st, const struct actor *a, const char *key, json_t **out,
		 struct err *e)
{
	struct acc_rec r;
	int rc;

	if ((rc = staff_check(a, e)) || (rc = load(st, NULL, key, &r, e)))
		return rc;
	rc = acc_json(st, NULL, &r, clock_now(), out, e);
	acc_rec_release(&r);
	return rc;
}

int acc_list_json(struct store *st, const struct actor *a, const json_t *q, json_t **out,
		  struct err *e)
{
	const char *status = jx_qstr(q, "status"), *service = jx_qstr(q, "service");
	int64_t limit = 50, cursor = 0, now = clock_now();
	enum acc_status s;
	struct acc_rec *v = NULL;
	size_t n = 0;
	int more = 0, rc;
	json_t *items;

	if ((rc = staff_check(a, e)))
		return rc;
	if (status && acc_status_parse(status, &s))
		return err_set(e, ERR_INVALID, "status", "unknown status '%.32s' (open, go, no_go)",
			       status);
	if ((rc = jx_qint(q, "limit", 1, 500, &limit, e)) < 0 ||
	    (rc = jx_qint(q, "cursor", 1, INT64_MAX, &cursor, e)) < 0)
		return rc;
	if ((rc = st->ops->acceptance->list(st, status, service, cursor, (int)limit, &v, &n, &more,
					     e)))
		return rc;
	items = json_array();
	for (size_t i = 0; i < n && !rc; i++) {
		json_t *j = NULL;

		if (!(rc = acc_json(st, NULL, &v[i], now, &j, e)))
			json_array_append_new(items, j);
	}
	if (!rc)
		*out = json_pack("{s:o, s:o}", "items", items, "next_cursor",
				 more && n ? json_sprintf("%lld", (long long)v[n - 1].id)
					   : json_null());
	else
		json_decref(items);
	acc_free_recs(v, n);
	return rc;
}

/* ---- fields ---------------------------------------------------------- */

/* "items": keys of 1-63 characters, no duplicates, into body. */
static int read_items(const json_t *in, json_t *body, struct err *e)
{
	json_t *v = json_object_get(in, "items"), *out, *x, *y;
	size_t i, k;
	char field[32];

	if (!v)
		return 0;
	if (!json_is_array(v))
		return err_set(e, ERR_INVALID, "items", "'items' must be an array of item keys");
	if (json_array_size(v) > ITEMS_MAX)
		return err_set(e, ERR_INVALID, "items", "too many items (at most %d)", ITEMS_MAX);
	if (!(out = json_array()))
		return oom(e);
	json_array_foreach(v, i, x) {
		const char *s = json_string_value(x);

		snprintf(field, sizeof(field), "items[%zu]", i);
		if (!s || !*s || strlen(s) > 63) {
			json_decref(out);
			return err_set(e, ERR_INVALID, field, "'%s' must be a key of 1-63 characters",
				       field);
		}
		json_array_foreach(out, k, y)
			if (!strcmp(json_string_value(y), s)) {
				json_decref(out);
				return err_set(e, ERR_INVALID, field, "item '%.63s' is named twice", s);
			}
		if (json_array_append_new(out, json_string(s))) {
			json_decref(out);
			return oom(e);
		}
	}
	return json_object_set_new(body, "items", out) ? oom(e) : 0;
}

/* The notes a criterion of that code had in old (a new reference). */
static json_t *old_notes(const json_t *old, const char *code)
{
	size_t i;
	json_t *c;

	json_array_foreach(old, i, c)
		if (!strcmp(json_string_value(json_object_get(c, "code")), code))
			return json_incref(json_object_get(c, "notes"));
	return json_array();
}

/* One entry of "criteria": a template's code, {"code", "mandatory"?,
 * "days"?} of a template, or {"code", "title", "mandatory"?} of a manual
 * criterion of this checklist. */
static int read_criterion(const json_t *x, const char *field, const json_t *old, json_t **out,
			  struct err *e)
{
	static const char *const keys[] = { "code", "title", "mandatory", "days", NULL };
	const struct acc_template *t;
	const char *code = json_string_value(x), *title = NULL;
	int64_t days = 0;
	int mandatory = 1, rc;
	enum acc_rule rule = ACC_RULE_MANUAL;
	struct err sub = { 0 };

	if (json_is_object(x)) {
		if (jx_only(x, keys, &sub))
			return err_set(e, ERR_INVALID, field, "%s: %s", field, sub.msg);
		code = json_string_value(json_object_get(x, "code"));
	} else if (!json_is_string(x)) {
		return err_set(e, ERR_INVALID, field,
			       "'%s' must be a criterion code or an object with 'code'", field);
	}
	if (!acc_code_valid(code))
		return err_set(e, ERR_INVALID, field,
			       "'%s' needs a code of 1-32 of a-z, 0-9 and _ starting with a letter",
			       field);
	t = acc_template_find(code);
	if (t) {
		title = t->title;
		rule = t->rule;
		mandatory = t->mandatory;
		days = t->days;
	}
	if (json_is_object(x)) {
		const char *s;
		int64_t v;

		if ((rc = jx_text(x, "title", JX_OPTIONAL, ACC_TITLE_MAX, &s, &sub)) < 0)
			return err_set(e, ERR_INVALID, field, "%s: %s", field, sub.msg);
		if (rc == 0) {
			if (t)
				return err_set(e, ERR_INVALID, field,
					       "%s: '%s' is a template: its title is its own", field,
					       code);
			title = s;
		}
		if ((rc = jx_bool(x, "mandatory", JX_OPTIONAL, &mandatory, &sub)) < 0)
			return err_set(e, ERR_INVALID, field, "%s: %s", field, sub.msg);
		if ((rc = jx_int(x, "days", JX_OPTIONAL, 1, ACC_DAYS_MAX, &v, &sub)) < 0)
			return err_set(e, ERR_INVALID, field, "%s: %s", field, sub.msg);
		if (rc == 0) {
			if (rule != ACC_RULE_BACKUP)
				return err_set(e, ERR_INVALID, field,
					       "%s: only a backup_run criterion takes 'days'", field);
			days = v;
		}
	}
	if (!title)
		return err_set(e, ERR_INVALID, field,
			       "unknown criterion '%s': a criterion of this checklist needs a 'title'",
			       code);
	*out = json_pack("{s:s, s:s, s:s, s:b, s:o}", "code", code, "title", title, "rule",
			 acc_rule_name(rule), "mandatory", mandatory, "notes", old_notes(old, code));
	if (!*out || (rule == ACC_RULE_BACKUP &&
		      json_object_set_new(*out, "days", json_integer(days)))) {
		json_decref(*out);
		*out = NULL;
		return oom(e);
	}
	return 0;
}

/* "criteria" into body (the templates when absent and fill_default). */
static int read_criteria(const json_t *in, json_t *body, int fill_default, struct err *e)
{
	json_t *v = json_object_get(in, "criteria"), *old = json_object_get(body, "criteria");
	json_t *out, *x, *y;
	size_t i, k;
	char field[32];
	int rc;

	if (!v) {
		if (!fill_default)
			return 0;
		if (!(out = json_array()))
			return oom(e);
		for (const struct acc_template *t = acc_templates(); t->code; t++) {
			json_t *c = NULL;
			json_t *code = json_string(t->code);

			rc = code ? read_criterion(code, "criteria", NULL, &c, e) : oom(e);
			json_decref(code);
			if (!rc && json_array_append_new(out, c))
				rc = oom(e);
			if (rc) {
				json_decref(out);
				return rc;
			}
		}
		return json_object_set_new(body, "criteria", out) ? oom(e) : 0;
	}
	if (!json_is_array(v) || !json_array_size(v))
		return err_set(e, ERR_INVALID, "criteria", "'criteria' must be a non-empty array");
	if (json_array_size(v) > CRITERIA_MAX)
		return err_set(e, ERR_INVALID, "criteria", "too many criteria (at most %d)",
			       CRITERIA_MAX);
	if (!(out = json_array()))
		return oom(e);
	json_array_foreach(v, i, x) {
		json_t *c = NULL;

		snprintf(field, sizeof(field), "criteria[%zu]", i);
		if ((rc = read_criterion(x, field, old, &c, e))) {
			json_decref(out);
			return rc;
		}
		json_array_foreach(out, k, y)
			if (json_equal(json_object_get(y, "code"), json_object_get(c, "code"))) {
				json_decref(c);
				json_decref(out);
				return err_set(e, ERR_INVALID, field, "criterion '%s' is named twice",
					       json_string_value(json_object_get(y, "code")));
			}
		if (json_array_append_new(out, c)) {
			json_decref(out);
			return oom(e);
		}
	}
	return json_object_set_new(body, "criteria", out) ? oom(e) : 0;
}

/* Apply the request's fields to r and its body: validation without the store. */
static int apply_fields(const json_t *in, struct acc_rec *r, json_t *body, int creating,
			struct err *e)
{
	const char *s;
	int rc;

	if ((rc = jx_text(in, "title", creating ? JX_REQUIRED : JX_OPTIONAL, ACC_TITLE_MAX, &s,
			  e)) < 0)
		return rc;
	if (rc == 0)
		snprintf(r->title, sizeof(r->title), "%s", s);
	if ((rc = jx_str(in, "description", JX_OPTIONAL, ACC_TEXT_MAX, &s, e)) < 0)
		return rc;
	if (rc == 0 && json_object_set_new(body, "description", json_string(s)))
		return oom(e);
	if (json_is_null(json_object_get(in, "service")))
		r->service[0] = '\0';
	else if ((rc = jx_str(in, "service", JX_OPTIONAL, 63, &s, e)) < 0)
		return rc;
	else if (rc == 0)
		snprintf(r->service, sizeof(r->service), "%s", s);
	if ((rc = read_items(in, body, e)))
		return rc;
	return read_criteria(in, body, creating, e);
}

/* The references, checked inside the write. */
static int check_refs(struct store_tx *tx, const struct acc_rec *r, const json_t *body,
		      struct err *e)
{
	struct store *st = tx->st;
	json_t *items = json_object_get(body, "items"), *v;
	size_t i;
	char field[32];
	int rc;

	if (!*r->service && !json_array_size(items))
		return err_set(e, ERR_INVALID, "service",
			       "a checklist names a service, items, or both");
	if (*r->service) {
		struct service_rec svc;

		if ((rc = st->ops->sla->service_get(st, tx, r->service, &svc, e)))
			return err_absent(e, rc, ERR_INVALID, "service", "unknown service '%.64s'",
					  r->service);
	}
	json_array_foreach(items, i, v) {
		struct ci c;

		snprintf(field, sizeof(field), "items[%zu]", i);
		if ((rc = st->ops->cmdb->ci_get(st, tx, 0, json_string_value(v), &c, e)))
			return err_absent(e, rc, ERR_INVALID, field, "unknown item '%.64s'",
					  json_string_value(v));
		ci_release(&c);
	}
	return 0;
}

static int staff_user(struct store_tx *tx, const char *name, const char *field, struct err *e)
{
	struct user u;
	int rc;

	if ((rc = tx->st->ops->user_get(tx->st, tx, 0, name, &u, e)))
		return err_absent(e, rc, ERR_INVALID, field, "unknown user '%.63s'", name);
	if (u.role == ROLE_REQUESTER || !u.active)
		return err_set(e, ERR_INVALID, field, "'%.63s' is not an active staff user", name);
	return 0;
}

static int audit_acc(struct store_tx *tx, const struct actor *a, const char *action,
		     const struct acc_rec *r, const json_t *in, json_t **after, struct err *e)
{
	char entity[64];
	json_t *audited = NULL;
	int rc;

	if ((rc = acc_json(tx->st, tx, r, 0, &audited, e)))
		return rc;
	snprintf(entity, sizeof(entity), "acceptance:%s", r->key);
	rc = audit_set_after(tx, a, action, entity, in, audited, e);
	json_decref(audited);
	if (!rc)
		rc = acc_json(tx->st, tx, r, clock_now(), after, e);
	return rc;
}

/* ---- create ---------------------------------------------------------- */

struct create_ctx {
	const struct actor *a;
	const json_t *in;
	struct acc_rec r;
	json_t *body;
	json_t *after;
};

static int do_create(struct store_tx *tx, void *arg, struct err *e)
{
	struct create_ctx *w = arg;
	struct acc_rec *r = &w->r;
	int64_t n;
	int rc;

	if ((rc = check_refs(tx, r, w->body, e)) || (rc = body_store(r, w->body, e)) ||
	    (rc = tx->st->ops->counter_next(tx, "ACC", &n, e)))
		return rc;
	snprintf(r->key, sizeof(r->key), "ACC-%lld", (long long)n);
	r->created_at = clock_now();
	if ((rc = tx->st->ops->acceptance->insert(tx, r, e)))
		return rc;
	return audit_acc(tx, w->a, "acceptance.create", r, w->in, &w->after, e);
}

int acc_add(struct store *st, const struct actor *a, const json_t *in, json_t **out,
	    struct err *e)
{
	static const char *const keys[] = { "title", "description", "service", "items", "criteria",
					    NULL };
	struct create_ctx w = { .a = a, .in = in };
	int rc;

	if ((rc = manager_check(a, e)))
		return rc;
	if (!json_is_object(in))
		return err_set(e, ERR_INVALID, NULL, "the body must be a JSON object");
	if ((rc = jx_only(in, keys, e)))
		return rc;
	snprintf(w.r.status, sizeof(w.r.status), "%s", acc_status_name(ACC_OPEN));
	snprintf(w.r.created_by, sizeof(w.r.created_by), "%s", a->username);
	if (!(w.body = json_pack("{s:s, s:[], s:n, s:[]}", "description", "", "items", "plan",
				 "decisions")))
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	if (!(rc = apply_fields(in, &w.r, w.body, 1, e)))
		rc = store_write(st, do_create, &w, e);
	if (!rc)
		*out = w.after;
	else
		json_decref(w.after);
	json_decref(w.body);
	acc_rec_release(&w.r);
	return rc;
}

/* ---- the write of a stored checklist ----------------------------------- */

struct rw;
typedef int (*acc_op_fn)(struct store_tx *tx, struct rw *w, struct acc_rec *r, json_t *body,
			 struct err *e);

struct rw {
	const struct actor *a;
	const json_t *in;
	const char *key;
	const char *action;
	int64_t version;
	acc_op_fn op;
	json_t *after;
};

static int do_run(struct store_tx *tx, void *arg, struct err *e)
{
	struct rw *w = arg;
	struct acc_rec r;
	json_t *body = NULL;
	int rc;

	if ((rc = load(tx->st, tx, w->key, &r, e)))
		return rc;
	if (w->version != r.version) {
		rc = err_set(e, ERR_CONFLICT, "version",
			     "acceptance %s is at version %lld, not %lld: reload and retry", r.key,
			     (long long)r.version, (long long)w->version);
		goto out;
	}
	if (!strcmp(r.status, acc_status_name(ACC_GO))) {
		rc = err_set(e, ERR_TRANSITION, "status",
			     "acceptance %s was decided go: it is final", r.key);
		goto out;
	}
	if (!(body = json_loads(r.body ? r.body : "{}", 0, NULL))) {
		rc = err_set(e, ERR_INTERNAL, NULL, "acceptance %s holds a malformed body", r.key);
		goto out;
	}
	if ((rc = w->op(tx, w, &r, body, e)) || (rc = body_store(&r, body, e)))
		goto out;
	r.updated_at = clock_now();
	r.version++;
	if (!(rc = tx->st->ops->acceptance->update(tx, &r, e)))
		rc = audit_acc(tx, w->a, w->action, &r, w->in, &w->after, e);
out:
	json_decref(body);
	acc_rec_release(&r);
	return rc;
}

/* Check who acts and the body's version, then run op in one write. */
static int run(struct store *st, struct rw *w, int manage, const char *const *keys,
	       json_t **out, struct err *e)
{
	int rc;

	if ((rc = manage ? manager_check(w->a, e) : staff_check(w->a, e)))
		return rc;
	if (!json_is_object(w->in))
		return err_set(e, ERR_INVALID, NULL, "the body must be a JSON object");
	if ((rc = jx_only(w->in, keys, e)) ||
	    (rc = jx_int(w->in, "version", JX_REQUIRED, 1, INT64_MAX, &w->version, e)))
		return rc;
	if ((rc = store_write(st, do_run, w, e))) {
		json_decref(w->after);
		return rc;
	}
	*out = w->after;
	return 0;
}

/* ---- update ---------------------------------------------------------- */

static int op_update(struct store_tx *tx, struct rw *w, struct acc_rec *r, json_t *body,
		     struct err *e)
{
	int rc;

	if ((rc = apply_fields(w->in, r, body, 0, e)))
		return rc;
	return check_refs(tx, r, body, e);
}

int acc_update(struct store *st, const struct actor *a, const char *key, const json_t *in,
	       json_t **out, struct err *e)
{
	static const char *const keys[] = { "version", "title", "description", "service",
					    "items",   "criteria", NULL };
	struct rw w = { .a = a, .in = in, .key = key, .action = "acceptance.update",
			.op = op_update };

	return run(st, &w, 1, keys, out, e);
}

/* ---- manual evidence ------------------------------------------------- */

/* A note's link: a record of itsm that holds the evidence — a knowledge
 * article (KB-n) or a procedure (PROC-n) — which must exist. */
static int check_link(struct store_tx *tx, const char *link, struct err *e)
{
	struct store *st = tx->st;
	int rc;

	if (ident_numbered(link, "KB")) {
		struct article a;

		memset(&a, 0, sizeof(a));
		rc = st->ops->knowledge->get(st, tx, link, &a, e);
		article_release(&a);
		return err_absent(e, rc, ERR_INVALID, "link", "unknown article '%.32s'", link);
	}
	if (ident_numbered(link, "PROC")) {
		struct op_procedure p;

		rc = st->ops->operation->proc_get(st, tx, link, &p, e);
		return err_absent(e, rc, ERR_INVALID, "link", "unknown procedure '%.32s'", link);
	}
	return err_set(e, ERR_INVALID, "link",
		       "a note links a knowledge article (KB-n) or a procedure (PROC-n), not '%.32s'",
		       link);
}

static int op_evidence(struct store_tx *tx, struct rw *w, struct acc_rec *r, json_t *body,
		       struct err *e)
{
	const char *code, *note, *link = NULL;
	json_t *c = NULL, *x, *notes, *entry;
	size_t i;
	int rc;

	if ((rc = jx_str(w->in, "criterion", JX_REQUIRED, 32, &code, e)) ||
	    (rc = jx_text(w->in, "note", JX_REQUIRED, NOTE_MAX, &note, e)) ||
	    (rc = jx_str(w->in, "link", JX_OPTIONAL, 32, &link, e)) < 0)
		return rc;
	if (rc)
		link = NULL;
	json_array_foreach(json_object_get(body, "criteria"), i, x)
		if (!strcmp(json_string_value(json_object_get(x, "code")), code))
			c = x;
	if (!c)
		return err_set(e, ERR_INVALID, "criterion", "acceptance %s has no criterion '%.32s'",
			       r->key, code);
	if (strcmp(json_string_value(json_object_get(c, "rule")), acc_rule_name(ACC_RULE_MANUAL)))
		return err_set(e, ERR_INVALID, "criterion",
			       "criterion '%s' is checked automatically (%s): its evidence is "
			       "found in itsm, not noted",
			       code, json_string_value(json_object_get(c, "rule")));
	notes = json_object_get(c, "notes");
	if (json_array_size(notes) >= NOTES_MAX)
		return err_set(e, ERR_INVALID, "criterion", "criterion '%s' has %d notes already",
			       code, NOTES_MAX);
	if (link && (rc = check_link(tx, link, e)))
		return rc;
	entry = json_pack("{s:s, s:s, s:o}", "note", note, "by", w->a->username, "at",
			  jx_time_value(clock_now()));
	if (!entry || (link && json_object_set_new(entry, "link", json_string(link)))) {
		json_decref(entry);
		return oom(e);
	}
	return json_array_append_new(notes, entry) ? oom(e) : 0;
}

int acc_evidence(struct store *st, const struct actor *a, const char *key, const json_t *in,
		 json_t **out, struct err *e)
{
	static const char *const keys[] = { "version", "criterion", "note", "link", NULL };
	struct rw w = { .a = a, .in = in, .key = key, .action = "acceptance.evidence",
			.op = op_evidence };

	return run(st, &w, 0, keys, out, e);
}

/* ---- the migration plan ---------------------------------------------- */

static int op_plan(struct store_tx *tx, struct rw *w, struct acc_rec *r, json_t *body,
		   struct err *e)
{
	static const char *const step_keys[] = { "title", "owner", "at", NULL };
	json_t *steps = json_object_get(w->in, "steps"), *out, *x;
	const char *rollback;
	char field[48];
	size_t i;
	int rc;

	(void)r;
	if (!json_is_array(steps) || !json_array_size(steps))
		return err_set(e, ERR_INVALID, "steps", "'steps' must be a non-empty array");
	if (json_array_size(steps) > STEPS_MAX)
		return err_set(e, ERR_INVALID, "steps", "too many steps (at most %d)", STEPS_MAX);
	if ((rc = jx_text(w->in, "rollback", JX_REQUIRED, ACC_TEXT_MAX, &rollback, e)))
		return rc;
	if (!(out = json_array()))
		return oom(e);
	json_array_foreach(steps, i, x) {
		const char *title, *owner;
		int64_t at;
		struct err sub = { 0 };

		if (!json_is_object(x)) {
			snprintf(field, sizeof(field), "steps[%zu]", i);
			rc = err_set(e, ERR_INVALID, field, "'%s' must be an object", field);
			goto fail;
		}
		if (jx_only(x, step_keys, &sub)) {
			snprintf(field, sizeof(field), "steps[%zu]", i);
			rc = err_set(e, ERR_INVALID, field, "%s: %s", field, sub.msg);
			goto fail;
		}
		snprintf(field, sizeof(field), "steps[%zu].title", i);
		if (jx_text(x, "title", JX_REQUIRED, STEP_TITLE_MAX, &title, &sub)) {
			rc = err_set(e, ERR_INVALID, field, "%s: %s", field, sub.msg);
			goto fail;
		}
		snprintf(field, sizeof(field), "steps[%zu].owner", i);
		if (jx_str(x, "owner", JX_REQUIRED, 63, &owner, &sub)) {
			rc = err_set(e, ERR_INVALID, field, "%s: %s", field, sub.msg);
			goto fail;
		}
		if ((rc = staff_user(tx, owner, field, e)))
			goto fail;
		snprintf(field, sizeof(field), "steps[%zu].at", i);
		if (jx_time(x, "at", JX_REQUIRED, &at, &sub)) {
			rc = err_set(e, ERR_INVALID, field, "%s: %s", field, sub.msg);
			goto fail;
		}
		if (json_array_append_new(out, json_pack("{s:I, s:s, s:s, s:o}", "n",
							 (json_int_t)(i + 1), "title", title,
							 "owner", owner, "at", jx_time_value(at)))) {
			rc = oom(e);
			goto fail;
		}
	}
	/* "o" steals out even when the pack fails */
	return json_object_set_new(body, "plan",
				   json_pack("{s:o, s:s, s:s, s:o}", "steps", out, "rollback",
					     rollback, "by", w->a->username, "at",
					     jx_time_value(clock_now())))
		       ? oom(e)
		       : 0;
fail:
	json_decref(out);
	return rc;
}

int acc_plan(struct store *st, const struct actor *a, const char *key, const json_t *in,
	     json_t **out, struct err *e)
{
	static const char *const keys[] = { "version", "steps", "rollback", NULL };
	struct rw w = { .a = a, .in = in, .key = key, .action = "acceptance.plan", .op = op_plan };

	return run(st, &w, 1, keys, out, e);
}

/* ---- go / no-go ------------------------------------------------------ */

/* What a decision keeps of the evidence it saw: each criterion's code,
 * whether it was met, and what proved it. */
static json_t *snapshot(const json_t *criteria)
{
	json_t *out = json_array(), *c;
	size_t i;

	json_array_foreach(criteria, i, c)
		if (!out || json_array_append_new(out, json_pack("{s:O, s:O, s:O}", "code",
								 json_object_get(c, "code"), "met",
								 json_object_get(c, "met"), "evidence",
								 json_object_get(c, "evidence")))) {
			json_decref(out);
			return NULL;
		}
	return out;
}

static int op_decide(struct store_tx *tx, struct rw *w, struct acc_rec *r, json_t *body,
		     struct err *e)
{
	const char *decision, *reason = "";
	json_t *criteria = json_deep_copy(json_object_get(body, "criteria")), *c;
	enum acc_status to;
	int64_t now = clock_now();
	size_t i;
	int rc;

	if (!criteria) {
		rc = oom(e);
		goto out;
	}
	if ((rc = jx_str(w->in, "decision", JX_REQUIRED, 16, &decision, e)))
		goto out;
	if (acc_status_parse(decision, &to) || to == ACC_OPEN) {
		rc = err_set(e, ERR_INVALID, "decision", "unknown decision '%.16s' (go, no_go)",
			     decision);
		goto out;
	}
	if ((rc = jx_text(w->in, "reason", to == ACC_NO_GO ? JX_REQUIRED : JX_OPTIONAL,
			  ACC_TEXT_MAX, &reason, e)) < 0)
		goto out;
	if (rc)
		reason = "";
	if ((rc = acc_evidence_eval(tx->st, tx, r->service, json_object_get(body, "items"),
				    criteria, now, e)))
		goto out;
	if (to == ACC_GO) {
		char field[48];

		json_array_foreach(criteria, i, c) {
			const char *code = json_string_value(json_object_get(c, "code"));

			if (!json_is_true(json_object_get(c, "mandatory")) ||
			    json_is_true(json_object_get(c, "met")))
				continue;
			snprintf(field, sizeof(field), "criteria.%s", code);
			rc = err_set(e, ERR_TRANSITION, field,
				     "go refused: mandatory criterion '%s' (%.64s) lacks evidence: "
				     "%.120s",
				     code, json_string_value(json_object_get(c, "title")),
				     json_string_value(json_object_get(c, "missing")));
			goto out;
		}
		if (!plan_complete(json_object_get(body, "plan"))) {
			rc = err_set(e, ERR_TRANSITION, "plan",
				     "go refused: acceptance %s has no migration plan with steps and "
				     "a rollback",
				     r->key);
			goto out;
		}
	}
	snprintf(r->status, sizeof(r->status), "%s", acc_status_name(to));
	rc = json_array_append_new(json_object_get(body, "decisions"),
				   json_pack("{s:s, s:s, s:o, s:s, s:o}", "decision", decision,
					     "by", w->a->username, "at", jx_time_value(now),
					     "reason", reason, "evidence", snapshot(criteria)))
		     ? oom(e)
		     : 0;
out:
	json_decref(criteria);
	return rc;
}

int acc_decide(struct store *st, const struct actor *a, const char *key, const json_t *in,
	       json_t **out, struct err *e)
{
	static const char *const keys[] = { "version", "decision", "reason", NULL };
	struct rw w = { .a = a, .in = in, .key = key, .action = "acceptance.decide",
			.op = op_decide };

	return run(st, &w, 1, keys, out, e);
}

/* ---- seen in itsm: the decisions of one user ---------------------------- */

#define RECENT_MAX 5

int acc_decisions_by(struct store *st, const char *username, json_t **out, struct err *e)
{
	struct acc_rec *v = NULL;
	size_t n = 0;
	int64_t all = 0, go = 0, no_go = 0;
	json_t *recent;
	int rc = st->ops->acceptance->list(st, NULL, NULL, 0, 0, &v, &n, NULL, e);

	if (rc)
		return rc;
	recent = json_array();
	/* newest checklist first; within one, its last decision first */
	for (size_t i = 0; i < n; i++) {
		json_t *body = json_loads(v[i].body ? v[i].body : "{}", 0, NULL);
		json_t *ds = json_object_get(body, "decisions");

		for (size_t k = json_array_size(ds); k-- > 0;) {
			json_t *d = json_array_get(ds, k);
			const char *what = json_string_value(json_object_get(d, "decision"));

			if (!json_is_string(json_object_get(d, "by")) ||
			    strcmp(json_string_value(json_object_get(d, "by")), username) || !what)
				continue;
			all++;
			if (!strcmp(what, acc_status_name(ACC_GO)))
				go++;
			else
				no_go++;
			if (json_array_size(recent) < RECENT_MAX)
				json_array_append_new(recent,
						      json_pack("{s:s, s:s, s:s, s:O}", "key", v[i].key,
								"title", v[i].title, "decision", what,
								"at", json_object_get(d, "at")));
		}
		json_decref(body);
	}
	acc_free_recs(v, n);
	*out = json_pack("{s:I, s:I, s:I, s:o}", "decisions", (json_int_t)all, "go", (json_int_t)go,
			 "no_go", (json_int_t)no_go, "recent", recent);
	return *out ? 0 : err_set(e, ERR_INTERNAL, NULL, "out of memory");
}

/* ---- what the audit holds -------------------------------------------- */

int acc_state_scan(struct store *st, audit_state_fn fn, void *ctx, struct err *e)
{
	struct audit_scan to = { fn, ctx };
	struct acc_rec *v = NULL;
	size_t n = 0;
	int rc = st->ops->acceptance->list(st, NULL, NULL, 0, 0, &v, &n, NULL, e);

	for (size_t i = 0; !rc && i < n; i++) {
		json_t *j = NULL;

		if (!(rc = acc_json(st, NULL, &v[i], 0, &j, e)))
			rc = audit_state_hand(&to, j, "acceptance:%s", v[i].key);
	}
	acc_free_recs(v, n);
	return rc;
}
