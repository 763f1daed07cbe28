/*
 * procedure.c — procedures (runbooks, PROC-n): versioned, ordered steps,
 * each an instruction, its expected result and whether a second operator
 * must confirm it. Version 1 is made with the procedure; a version is a
 * draft until published and never changes after; a new draft is the
 * newest version plus one. Also the helpers the module's files share: who
 * may act, the audit record, the steps' text.
 *
 * Each write validates outside the store, then runs one function on the
 * store's writer that re-reads the procedure inside the transaction, checks
 * the version against that fresh copy, writes, and appends the audit record
 * for "procedure:PROC-n", so a refused request leaves nothing behind.
 */
#include "domain/operation/operation.h"
#include "domain/platform/audit.h"
#include "lib/buf.h"
#include "lib/jsonx.h"
#include "lib/timeutil.h"
#include "store/store_operation.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define OP_STEPS_MAX 200
#define OP_TEXT_MAX 4000

/* ---- shared ---------------------------------------------------------- */

int op_actor_check(const struct actor *a, int manage, struct err *e)
{
	if (a->scope_events)
		return err_set(e, ERR_FORBIDDEN, NULL, "this token may only send events");
	if (a->role == ROLE_REQUESTER)
		return err_set(e, ERR_FORBIDDEN, NULL, "requesters have no access to operation");
	if (manage && !actor_is_manager(a))
		return err_set(e, ERR_FORBIDDEN, NULL,
			       "only managers and admins define procedures and the schedule");
	return 0;
}

int op_audit(struct store_tx *tx, const struct actor *a, const char *action,
	     const char *entity, json_t *change, struct err *e)
{
	int rc;

	if (!change)
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	rc = audit_append(tx, a, action, entity, change, e);
	json_decref(change);
	return rc;
}

json_t *op_steps_parse(const char *text)
{
	json_t *j = text ? json_loads(text, 0, NULL) : NULL;

	if (j && !json_is_array(j)) {
		json_decref(j);
		return NULL;
	}
	return j;
}

static const char *const step_keys[] = { "instruction", "expected", "confirm", NULL };

/* in["steps"] validated into its canonical text (*text, the caller frees). */
static int steps_read(const json_t *in, char **text, struct err *e)
{
	const json_t *arr = json_object_get(in, "steps");
	json_t *out, *v;
	size_t i;
	char f[48];
	int rc = 0;

	*text = NULL;
	if (!json_is_array(arr) || !json_array_size(arr))
		return err_set(e, ERR_INVALID, "steps", "'steps' must be an array of 1-%d steps",
			       OP_STEPS_MAX);
	if (json_array_size(arr) > OP_STEPS_MAX)
		return err_set(e, ERR_INVALID, "steps", "a procedure has at most %d steps",
			       OP_STEPS_MAX);
	out = json_array();
	json_array_foreach(arr, i, v) {
		const char *ins, *exp;
		int confirm = 0;

		snprintf(f, sizeof(f), "steps[%zu]", i);
		if (!json_is_object(v)) {
			rc = err_set(e, ERR_INVALID, f, "'%s' must be an object", f);
			break;
		}
		if ((rc = jx_only(v, step_keys, e))) {
			/* name the step: "steps[2].command" */
			char inner[sizeof(e->field)];

			snprintf(inner, sizeof(inner), "%s", e->field);
			snprintf(e->field, sizeof(e->field), "%.20s.%.40s", f, inner);
			break;
		}
		snprintf(f, sizeof(f), "steps[%zu].instruction", i);
		if ((rc = jx_str(v, "instruction", JX_REQUIRED, OP_TEXT_MAX, &ins, e)) ||
		    !*ins) {
			rc = err_set(e, ERR_INVALID, f, "'%s' is required (at most %d bytes)", f,
				     OP_TEXT_MAX);
			break;
		}
		snprintf(f, sizeof(f), "steps[%zu].expected", i);
		if ((rc = jx_str(v, "expected", JX_REQUIRED, OP_TEXT_MAX, &exp, e)) || !*exp) {
			rc = err_set(e, ERR_INVALID, f, "'%s' is required (at most %d bytes)", f,
				     OP_TEXT_MAX);
			break;
		}
		snprintf(f, sizeof(f), "steps[%zu].confirm", i);
		if (jx_bool(v, "confirm", JX_OPTIONAL, &confirm, e) < 0) {
			rc = err_set(e, ERR_INVALID, f, "'%s' must be true or false", f);
			break;
		}
		json_array_append_new(out, json_pack("{s:s, s:s, s:b}", "instruction", ins,
						     "expected", exp, "confirm", confirm));
	}
	if (!rc && !(*text = json_dumps(out, JSON_SORT_KEYS | JSON_COMPACT)))
		rc = err_set(e, ERR_INTERNAL, NULL, "out of memory");
	json_decref(out);
	return rc;
}

static int title_read(const json_t *in, int required, char *out, size_t n, struct err *e)
{
	const char *t;
	int rc = jx_text(in, "title", required, OP_TITLE_MAX, &t, e);

	if (rc)
		return rc < 0 ? rc : 0;
	snprintf(out, n, "%s", t);
	return 0;
}

/* ---- JSON ------------------------------------------------------------ */

static json_t *version_json(const struct op_proc_version *v)
{
	json_t *j = json_object(), *steps = op_steps_parse(v->steps);

	json_object_set_new(j, "number", json_integer(v->number));
	json_object_set_new(j, "status", json_string(v->published_at ? "published" : "draft"));
	json_object_set_new(j, "steps", steps ? steps : json_array());
	json_object_set_new(j, "created_by", json_string(v->created_by));
	jx_set_time(j, "created_at", v->created_at);
	jx_set_str(j, "published_by", v->published_at ? v->published_by : NULL);
	jx_set_time(j, "published_at", v->published_at);
	return j;
}

static json_t *proc_json(const struct op_procedure *p)
{
	json_t *j = json_object();

	json_object_set_new(j, "id", json_integer(p->id));
	json_object_set_new(j, "key", json_string(p->key));
	json_object_set_new(j, "title", json_string(p->title));
	json_object_set_new(j, "latest_version", json_integer(p->latest));
	json_object_set_new(j, "published_version",
			    p->published ? json_integer(p->published) : json_null());
	json_object_set_new(j, "created_by", json_string(p->created_by));
	jx_set_time(j, "created_at", p->created_at);
	jx_set_time(j, "updated_at", p->updated_at);
	json_object_set_new(j, "version", json_integer(p->version));
	return j;
}

/* The procedure with every version (tx: inside a write, or NULL). */
static int proc_full_json(struct store *st, struct store_tx *tx, const struct op_procedure *p,
			  json_t **out, struct err *e)
{
	struct op_proc_version *v = NULL;
	size_t n = 0;
	json_t *arr;
	int rc;

	if ((rc = st->ops->operation->version_list(st, tx, p->id, &v, &n, e)))
		return rc;
	*out = proc_json(p);
	arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, version_json(&v[i]));
	json_object_set_new(*out, "versions", arr);
	op_free_versions(v, n);
	return 0;
}

int op_procedure_state_json(struct store *st, const struct op_procedure *p, json_t **out,
			    struct err *e)
{
	return proc_full_json(st, NULL, p, out, e);
}

/* ---- writes ---------------------------------------------------------- */

struct proc_write {
	const struct actor *a;
	const json_t *in;
	const char *key;
	struct op_procedure p;
	char *steps;      /* canonical text (owned) */
	int64_t number;   /* publish: the version named; 0 the newest */
	json_t *after;
};

static int reread(struct store_tx *tx, struct proc_write *w, struct err *e)
{
	int64_t version;
	int rc = tx->st->ops->operation->proc_get(tx->st, tx, w->key, &w->p, e);

	if (rc)
		return rc;
	if (jx_int(w->in, "version", JX_OPTIONAL, 1, INT64_MAX, &version, NULL) == 0 &&
	    version != w->p.version)
		return err_set(e, ERR_CONFLICT, "version",
			       "procedure '%s' is at version %lld, not %lld: reload and retry",
			       w->p.key, (long long)w->p.version, (long long)version);
	return 0;
}

static int finish(struct store_tx *tx, struct proc_write *w, const char *action, json_t *what,
		  struct err *e)
{
	char entity[64];
	int rc;

	w->p.updated_at = clock_now();
	w->p.version++;
	snprintf(entity, sizeof(entity), "%s", w->p.key);
	if ((rc = tx->st->ops->operation->proc_update(tx, &w->p, e)) ||
	    (rc = tx->st->ops->operation->proc_get(tx->st, tx, entity, &w->p, e)) ||
	    (rc = proc_full_json(tx->st, tx, &w->p, &w->after, e))) {
		json_decref(what);
		return rc;
	}
	snprintf(entity, sizeof(entity), "procedure:%s", w->p.key);
	return op_audit(tx, w->a, action, entity,
			json_pack("{s:o, s:O}", "change", what, "after", w->after), e);
}

static int do_add(struct store_tx *tx, void *arg, struct err *e)
{
	struct proc_write *w = arg;
	struct op_proc_version v = { 0 };
	char entity[64];
	int64_t n;
	int rc;

	if ((rc = tx->st->ops->counter_next(tx, "PROC", &n, e)))
		return rc;
	snprintf(w->p.key, sizeof(w->p.key), "PROC-%lld", (long long)n);
	snprintf(entity, sizeof(entity), "%s", w->p.key);
	snprintf(w->p.created_by, sizeof(w->p.created_by), "%s", w->a->username);
	w->p.created_at = clock_now();
	if ((rc = tx->st->ops->operation->proc_insert(tx, &w->p, e)))
		return rc;
	v.procedure_id = w->p.id;
	v.number = 1;
	v.steps = w->steps;
	snprintf(v.created_by, sizeof(v.created_by), "%s", w->a->username);
	v.created_at = w->p.created_at;
	if ((rc = tx->st->ops->operation->version_insert(tx, &v, e)) ||
	    (rc = tx->st->ops->operation->proc_get(tx->st, tx, entity, &w->p, e)) ||
	    (rc = proc_full_json(tx->st, tx, &w->p, &w->after, e)))
		return rc;
	snprintf(entity, sizeof(entity), "procedure:%s", w->p.key);
	return op_audit(tx, w->a, "procedure.add", entity, json_pack("{s:O}", "after", w->after),
			e);
}

static const char *const add_keys[] = { "title", "steps", NULL };

static int run_write(struct store *st, store_write_fn fn, struct proc_write *w, json_t **out,
		     struct err *e)
{
	int rc = store_write(st, fn, w, e);

	if (!rc)
		*out = w->after;
	else
		json_decref(w->after);
	free(w->steps);
	return rc;
}

int op_procedure_add(struct store *st, const struct actor *a, const json_t *in, json_t **out,
		     struct err *e)
{
	struct proc_write w = { .a = a, .in = in };
	int rc;

	if ((rc = op_actor_check(a, 1, e)))
		return rc;
	if (!json_is_object(in))
		return err_set(e, ERR_INVALID, NULL, "the body must be a JSON object");
	if ((rc = jx_only(in, add_keys, e)) ||
	    (rc = title_read(in, JX_REQUIRED, w.p.title, sizeof(w.p.title), e)) ||
	    (rc = steps_read(in, &w.steps, e)))
		return rc;
	return run_write(st, do_add, &w, out, e);
}

static int do_draft(struct store_tx *tx, void *arg, struct err *e)
{
	struct proc_write *w = arg;
	struct op_proc_version v = { 0 };
	const char *action;
	int rc;

	if ((rc = reread(tx, w, e)))
		return rc;
	if (json_object_get(w->in, "title") &&
	    (rc = title_read(w->in, JX_REQUIRED, w->p.title, sizeof(w->p.title), e)))
		return rc;
	if (w->p.latest > w->p.published) {
		/* The newest is a draft: it takes the new steps. */
		if ((rc = tx->st->ops->operation->version_get(tx->st, tx, w->p.id, w->p.latest, &v,
							     e)))
			return rc;
		free(v.steps);
		v.steps = w->steps;
		rc = tx->st->ops->operation->version_set_steps(tx, &v, e);
		action = "procedure.draft_update";
	} else {
		v.procedure_id = w->p.id;
		v.number = w->p.latest + 1;
		v.steps = w->steps;
		snprintf(v.created_by, sizeof(v.created_by), "%s", w->a->username);
		v.created_at = clock_now();
		rc = tx->st->ops->operation->version_insert(tx, &v, e);
		action = "procedure.draft";
	}
	if (rc)
		return rc;
	return finish(tx, w, action, json_pack("{s:I}", "draft", (json_int_t)v.number), e);
}

static const char *const draft_keys[] = { "title", "steps", "version", NULL };

int op_procedure_draft(struct store *st, const struct actor *a, const char *key,
		       const json_t *in, json_t **out, struct err *e)
{
	struct proc_write w = { .a = a, .in = in, .key = key };
	int64_t version;
	int rc;

	if ((rc = op_actor_check(a, 1, e)))
		return rc;
	if (!json_is_object(in))
		return err_set(e, ERR_INVALID, NULL, "the body must be a JSON object");
	if ((rc = jx_only(in, draft_keys, e)) ||
	    (rc = jx_int(in, "version", JX_OPTIONAL, 1, INT64_MAX, &version, e)) < 0 ||
	    (rc = title_read(in, JX_OPTIONAL, w.p.title, sizeof(w.p.title), e)) ||
	    (rc = steps_read(in, &w.steps, e)))
		return rc;
	return run_write(st, do_draft, &w, out, e);
}

static int do_publish(struct store_tx *tx, void *arg, struct err *e)
{
	struct proc_write *w = arg;
	struct op_proc_version v = { 0 };
	int64_t n;
	int rc;

	if ((rc = reread(tx, w, e)))
		return rc;
	n = w->number ? w->number : w->p.latest;
	if (w->p.latest <= w->p.published)
		return err_set(e, ERR_TRANSITION, "number",
			       "procedure '%s' has no draft: version %lld is published", w->p.key,
			       (long long)w->p.published);
	if (n != w->p.latest)
		return err_set(e, ERR_TRANSITION, "number",
			       "only the draft, version %lld, may be published (not %lld)",
			       (long long)w->p.latest, (long long)n);
	if ((rc = tx->st->ops->operation->version_get(tx->st, tx, w->p.id, n, &v, e)))
		return rc;
	snprintf(v.published_by, sizeof(v.published_by), "%s", w->a->username);
	v.published_at = clock_now();
	rc = tx->st->ops->operation->version_publish(tx, &v, e);
	op_proc_version_release(&v);
	if (rc)
		return rc;
	return finish(tx, w, "procedure.publish", json_pack("{s:I}", "published", (json_int_t)n),
		      e);
}

static const char *const publish_keys[] = { "number", "version", NULL };

int op_procedure_publish(struct store *st, const struct actor *a, const char *key,
			 const json_t *in, json_t **out, struct err *e)
{
	struct proc_write w = { .a = a, .in = in, .key = key };
	int64_t version;
	int rc;

	if ((rc = op_actor_check(a, 1, e)))
		return rc;
	if (in && !json_is_object(in))
		return err_set(e, ERR_INVALID, NULL, "the body must be a JSON object");
	if (in && ((rc = jx_only(in, publish_keys, e)) ||
		   (rc = jx_int(in, "number", JX_OPTIONAL, 1, INT64_MAX, &w.number, e)) < 0 ||
		   (rc = jx_int(in, "version", JX_OPTIONAL, 1, INT64_MAX, &version, e)) < 0))
		return rc;
	return run_write(st, do_publish, &w, out, e);
}

/* ---- reads ----------------------------------------------------------- */

int op_procedure_get_json(struct store *st, const struct actor *a, const char *key,
			  json_t **out, struct err *e)
{
	struct op_procedure p;
	int rc;

	if ((rc = op_actor_check(a, 0, e)) ||
	    (rc = st->ops->operation->proc_get(st, NULL, key, &p, e)))
		return rc;
	return proc_full_json(st, NULL, &p, out, e);
}

int op_procedure_list_json(struct store *st, const struct actor *a, const json_t *query,
			   json_t **out, struct err *e)
{
	struct op_procedure *p = NULL;
	size_t n = 0;
	json_t *items;
	int rc;

	if ((rc = op_actor_check(a, 0, e)) ||
	    (rc = st->ops->operation->proc_list(st, &p, &n, e)))
		return rc;
	items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, proc_json(&p[i]));
	free(p);
	return jx_page(items, query, "id", 1, out, e);
}
