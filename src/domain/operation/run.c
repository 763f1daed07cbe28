/*
 * run.c — executions (RUN-n): an operator starts a procedure's newest
 * published version, ad hoc or for an occurrence of a schedule job, then
 * records each step's actual result (and any deviation) in order; a step
 * that needs it is confirmed by a second operator; a deviation may open an
 * incident through the desk, in the same transaction, linked to the step;
 * a run is abandoned with a reason. The rules of what may be recorded when
 * are run_rules.c's; this file reads the fresh state inside the write,
 * asks them, writes, and appends the audit record for "run:RUN-n" — one
 * per step recorded or confirmed — so a refused request leaves nothing.
 */
#include "domain/desk/ticket.h"
#include "domain/operation/operation.h"
#include "lib/jsonx.h"
#include "lib/timeutil.h"
#include "store/store_operation.h"

#include <stdlib.h>
#include <string.h>

#define OP_RESULT_MAX 4000

/* A run with what its rules read: the version's steps and those recorded. */
struct run_state {
	struct op_run r;
	json_t *steps; /* the version's steps */
	int *confirm;
	struct op_step *rec;
	size_t nrec;
	struct op_run_view v;
};

static void state_release(struct run_state *s)
{
	op_run_release(&s->r);
	json_decref(s->steps);
	free(s->confirm);
	op_free_steps(s->rec, s->nrec);
	memset(s, 0, sizeof(*s));
}

static int state_load(struct store *st, struct store_tx *tx, const char *key,
		      struct run_state *s, struct err *e)
{
	struct op_proc_version pv;
	size_t n;
	int rc;

	memset(s, 0, sizeof(*s));
	if ((rc = st->ops->operation->run_get(st, tx, key, &s->r, e)))
		return rc;
	if ((rc = st->ops->operation->version_get(st, tx, s->r.procedure_id, s->r.proc_version,
						  &pv, e)))
		return rc;
	s->steps = op_steps_parse(pv.steps);
	op_proc_version_release(&pv);
	if (!s->steps)
		return err_set(e, ERR_INTERNAL, NULL, "run '%s': its procedure's steps are unreadable",
			       key);
	n = json_array_size(s->steps);
	if (!(s->confirm = calloc(n ? n : 1, sizeof(int))))
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	for (size_t i = 0; i < n; i++)
		s->confirm[i] = json_is_true(json_object_get(json_array_get(s->steps, i), "confirm"));
	if ((rc = st->ops->operation->step_list(st, tx, s->r.id, &s->rec, &s->nrec, e)))
		return rc;
	s->v = (struct op_run_view){ s->r.status, n, s->confirm, s->nrec, s->rec };
	return 0;
}

static json_t *step_json(const struct run_state *s, size_t i)
{
	json_t *def = json_array_get(s->steps, i), *o = json_deep_copy(def);
	const struct op_step *r = NULL;
	const char *state;

	for (size_t k = 0; k < s->nrec; k++)
		if (s->rec[k].step == (int64_t)i + 1)
			r = &s->rec[k];
	state = !r ? "pending" : s->confirm[i] && !r->confirmed_at ? "awaiting_confirmation" : "done";
	json_object_set_new(o, "step", json_integer((json_int_t)i + 1));
	json_object_set_new(o, "state", json_string(state));
	jx_set_str(o, "result", r ? r->result : NULL);
	jx_set_str(o, "deviation", r ? r->deviation : NULL);
	jx_set_str(o, "incident", r && r->ticket_key[0] ? r->ticket_key : NULL);
	jx_set_str(o, "done_by", r ? r->done_by : NULL);
	jx_set_time(o, "done_at", r ? r->done_at : 0);
	jx_set_str(o, "confirmed_by", r && r->confirmed_at ? r->confirmed_by : NULL);
	jx_set_time(o, "confirmed_at", r ? r->confirmed_at : 0);
	return o;
}

static json_t *run_json(const struct op_run *r)
{
	json_t *o = json_object();

	json_object_set_new(o, "id", json_integer(r->id));
	json_object_set_new(o, "key", json_string(r->key));
	json_object_set_new(o, "procedure", json_string(r->proc_key));
	json_object_set_new(o, "procedure_version", json_integer(r->proc_version));
	jx_set_str(o, "job", r->job_id ? r->job_key : NULL);
	jx_set_time(o, "occurrence", r->job_id ? r->occurrence : 0);
	json_object_set_new(o, "status", json_string(r->status));
	jx_set_str(o, "reason", r->reason);
	json_object_set_new(o, "started_by", json_string(r->started_by));
	jx_set_time(o, "started_at", r->started_at);
	jx_set_time(o, "ended_at", r->ended_at);
	jx_set_time(o, "updated_at", r->updated_at);
	json_object_set_new(o, "version", json_integer(r->version));
	return o;
}

static json_t *state_json(const struct run_state *s)
{
	json_t *o = run_json(&s->r), *arr = json_array();
	int64_t next = op_rule_next(&s->v);

	for (size_t i = 0; i < s->v.nsteps; i++)
		json_array_append_new(arr, step_json(s, i));
	json_object_set_new(o, "next_step", next ? json_integer(next) : json_null());
	json_object_set_new(o, "steps", arr);
	return o;
}

int op_run_state_json(struct store *st, const char *key, json_t **out, struct err *e)
{
	struct run_state s;
	int rc = state_load(st, NULL, key, &s, e);

	if (!rc)
		*out = state_json(&s);
	state_release(&s);
	return rc;
}

/* ---- writes ---------------------------------------------------------- */

struct run_write {
	const struct actor *a;
	const json_t *in;
	const char *key;
	int64_t step;
	json_t *after;
};

static int audit_run(struct store_tx *tx, struct run_write *w, const char *action,
		     const char *key, json_t *what, struct err *e)
{
	char entity[64];

	snprintf(entity, sizeof(entity), "run:%s", key);
	return op_audit(tx, w->a, action, entity,
			json_pack("{s:o, s:O}", "change", what ? what : json_object(), "after",
				  w->after),
			e);
}

/* Re-read the run after a change and answer it. */
static int answer(struct store_tx *tx, struct run_write *w, const char *key, struct err *e)
{
	struct run_state s;
	int rc = state_load(tx->st, tx, key, &s, e);

	if (!rc)
		w->after = state_json(&s);
	state_release(&s);
	return rc;
}

static int end_write(struct store *st, store_write_fn fn, struct run_write *w, json_t **out,
		     struct err *e)
{
	int rc = store_write(st, fn, w, e);

	if (!rc)
		*out = w->after;
	else
		json_decref(w->after);
	return rc;
}

static int do_start(struct store_tx *tx, void *arg, struct err *e)
{
	struct run_write *w = arg;
	const char *proc = json_string_value(json_object_get(w->in, "procedure"));
	const char *job = json_string_value(json_object_get(w->in, "job"));
	struct op_procedure p;
	struct op_run r = { 0 };
	struct op_job j;
	int64_t n;
	int rc;

	if (job) {
		int64_t occ, at;
		size_t k;

		rc = tx->st->ops->operation->job_get(tx->st, tx, job, &j, e);
		if (rc)
			return err_absent(e, rc, ERR_INVALID, "job", "unknown job '%.64s'", job);
		jx_time(w->in, "occurrence", JX_REQUIRED, &occ, NULL);
		if ((rc = op_rrule_between(j.rrule, j.dtstart, occ, occ + 1, &at, 1, &k, e)))
			return rc;
		if (k != 1)
			return err_set(e, ERR_INVALID, "occurrence",
				       "job '%s' has no occurrence at that time", j.key);
		r.job_id = j.id;
		r.occurrence = occ;
		proc = j.proc_key;
	}
	rc = tx->st->ops->operation->proc_get(tx->st, tx, proc, &p, e);
	if (rc)
		return err_absent(e, rc, ERR_INVALID, "procedure", "unknown procedure '%.64s'",
				  proc);
	if (!p.published)
		return err_set(e, ERR_TRANSITION, "procedure",
			       "procedure '%s' has no published version to execute", p.key);
	if ((rc = tx->st->ops->counter_next(tx, "RUN", &n, e)))
		return rc;
	snprintf(r.key, sizeof(r.key), "RUN-%lld", (long long)n);
	r.procedure_id = p.id;
	r.proc_version = p.published;
	snprintf(r.status, sizeof(r.status), "running");
	snprintf(r.started_by, sizeof(r.started_by), "%s", w->a->username);
	r.started_at = clock_now();
	if ((rc = tx->st->ops->operation->run_insert(tx, &r, e)))
		return rc;
	if ((rc = answer(tx, w, r.key, e)))
		return rc;
	return audit_run(tx, w, "run.start", r.key, NULL, e);
}

int op_run_start(struct store *st, const struct actor *a, const json_t *in, json_t **out,
		 struct err *e)
{
	static const char *const keys[] = { "procedure", "job", "occurrence", NULL };
	struct run_write w = { .a = a, .in = in };
	const char *s;
	int64_t t;
	int rc;

	if ((rc = op_actor_check(a, 0, e)))
		return rc;
	if (!json_is_object(in))
		return err_set(e, ERR_INVALID, NULL, "the body must be a JSON object");
	if ((rc = jx_only(in, keys, e)))
		return rc;
	if (json_object_get(in, "job")) {
		if (json_object_get(in, "procedure"))
			return err_set(e, ERR_INVALID, "procedure",
				       "a run is of a job or of a procedure, not both");
		if ((rc = jx_str(in, "job", JX_REQUIRED, 63, &s, e)) ||
		    (rc = jx_time(in, "occurrence", JX_REQUIRED, &t, e)))
			return rc;
	} else if ((rc = jx_str(in, "procedure", JX_REQUIRED, 63, &s, e))) {
		return rc;
	} else if (json_object_get(in, "occurrence")) {
		return err_set(e, ERR_INVALID, "occurrence", "an occurrence is a job's: name the job");
	}
	return end_write(st, do_start, &w, out, e);
}

/* The run's status after a change: completed when nothing is left. */
static int settle(struct store_tx *tx, struct run_state *s, struct err *e)
{
	struct op_step *rec;
	int64_t now = clock_now();

	/* The view must see the new state: re-read the steps. */
	op_free_steps(s->rec, s->nrec);
	s->rec = NULL;
	s->nrec = 0;
	if (tx->st->ops->operation->step_list(tx->st, tx, s->r.id, &rec, &s->nrec, e))
		return ERR_INTERNAL;
	s->rec = rec;
	s->v.rec = rec;
	s->v.nrec = s->nrec;
	if (!op_rule_complete(&s->v))
		return 0;
	snprintf(s->r.status, sizeof(s->r.status), "completed");
	s->r.ended_at = now;
	s->r.updated_at = now;
	s->r.version++;
	return tx->st->ops->operation->run_update(tx, &s->r, e);
}

/* Open the incident of a deviation (inside the write): its key into out. */
static int open_incident(struct store_tx *tx, struct run_write *w, const struct run_state *s,
			 const char *deviation, char *out, size_t n, struct err *e)
{
	const char *ins = json_string_value(
		json_object_get(json_array_get(s->steps, (size_t)w->step - 1), "instruction"));
	char title[200];
	json_t *body, *after = NULL;
	int64_t v;
	int rc;

	snprintf(title, sizeof(title), "%s step %lld deviation: %.120s", s->r.key,
		 (long long)w->step, ins ? ins : "");
	body = json_pack("{s:s, s:s, s:s}", "kind", "incident", "title", title, "description",
			 deviation);
	if (!body)
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	if (jx_int(w->in, "impact", JX_OPTIONAL, 1, 3, &v, NULL) == 0)
		json_object_set_new(body, "impact", json_integer(v));
	if (jx_int(w->in, "urgency", JX_OPTIONAL, 1, 3, &v, NULL) == 0)
		json_object_set_new(body, "urgency", json_integer(v));
	rc = ticket_create_in(tx, w->a, body, &after, e);
	if (!rc)
		snprintf(out, n, "%s", json_string_value(json_object_get(after, "key")));
	json_decref(after);
	json_decref(body);
	return rc;
}

static int do_step(struct store_tx *tx, void *arg, struct err *e)
{
	struct run_write *w = arg;
	struct run_state s;
	struct op_step p = { 0 };
	const char *result = json_string_value(json_object_get(w->in, "result"));
	const char *dev = json_string_value(json_object_get(w->in, "deviation"));
	int incident = json_is_true(json_object_get(w->in, "incident"));
	int rc;

	if ((rc = state_load(tx->st, tx, w->key, &s, e)) ||
	    (rc = op_rule_record(&s.v, w->step, e)))
		goto out;
	p.run_id = s.r.id;
	p.step = w->step;
	p.result = (char *)result;
	p.deviation = dev && *dev ? (char *)dev : NULL;
	snprintf(p.done_by, sizeof(p.done_by), "%s", w->a->username);
	p.done_at = clock_now();
	if (incident && (rc = open_incident(tx, w, &s, dev, p.ticket_key, sizeof(p.ticket_key), e)))
		goto out;
	if ((rc = tx->st->ops->operation->step_insert(tx, &p, e)) || (rc = settle(tx, &s, e)) ||
	    (rc = answer(tx, w, s.r.key, e)))
		goto out;
	rc = audit_run(tx, w, "run.step", s.r.key,
		       json_pack("{s:I, s:s, s:s?, s:s?}", "step", (json_int_t)w->step, "result",
				 result, "deviation", p.deviation, "incident",
				 p.ticket_key[0] ? p.ticket_key : NULL),
		       e);
out:
	state_release(&s);
	return rc;
}

int op_run_step(struct store *st, const struct actor *a, const char *key, const json_t *in,
		json_t **out, struct err *e)
{
	static const char *const keys[] = { "step", "result", "deviation", "incident", "impact",
					    "urgency", NULL };
	struct run_write w = { .a = a, .in = in, .key = key };
	const char *s;
	int64_t v;
	int inc = 0, rc;

	if ((rc = op_actor_check(a, 0, e)))
		return rc;
	if (!json_is_object(in))
		return err_set(e, ERR_INVALID, NULL, "the body must be a JSON object");
	if ((rc = jx_only(in, keys, e)) ||
	    (rc = jx_int(in, "step", JX_REQUIRED, 1, INT32_MAX, &w.step, e)) ||
	    (rc = jx_str(in, "result", JX_REQUIRED, OP_RESULT_MAX, &s, e)) ||
	    (rc = jx_str(in, "deviation", JX_OPTIONAL, OP_RESULT_MAX, &s, e)) < 0 ||
	    (rc = jx_bool(in, "incident", JX_OPTIONAL, &inc, e)) < 0 ||
	    (rc = jx_int(in, "impact", JX_OPTIONAL, 1, 3, &v, e)) < 0 ||
	    (rc = jx_int(in, "urgency", JX_OPTIONAL, 1, 3, &v, e)) < 0)
		return rc;
	if (!*json_string_value(json_object_get(in, "result")))
		return err_set(e, ERR_INVALID, "result", "'result' must not be empty");
	s = json_string_value(json_object_get(in, "deviation"));
	if (inc && (!s || !*s))
		return err_set(e, ERR_INVALID, "incident",
			       "an incident is opened from a deviation: describe it in 'deviation'");
	if (!inc && (json_object_get(in, "impact") || json_object_get(in, "urgency")))
		return err_set(e, ERR_INVALID, json_object_get(in, "impact") ? "impact" : "urgency",
			       "impact and urgency are the incident's: set 'incident' too");
	return end_write(st, do_step, &w, out, e);
}

static int do_confirm(struct store_tx *tx, void *arg, struct err *e)
{
	struct run_write *w = arg;
	struct run_state s;
	int rc;

	if ((rc = state_load(tx->st, tx, w->key, &s, e)) ||
	    (rc = op_rule_confirm(&s.v, w->step, w->a->username, e)))
		goto out;
	for (size_t i = 0; i < s.nrec; i++)
		if (s.rec[i].step == w->step) {
			snprintf(s.rec[i].confirmed_by, sizeof(s.rec[i].confirmed_by), "%s",
				 w->a->username);
			s.rec[i].confirmed_at = clock_now();
			rc = tx->st->ops->operation->step_confirm(tx, &s.rec[i], e);
		}
	if (rc || (rc = settle(tx, &s, e)) || (rc = answer(tx, w, s.r.key, e)))
		goto out;
	rc = audit_run(tx, w, "run.confirm", s.r.key,
		       json_pack("{s:I}", "step", (json_int_t)w->step), e);
out:
	state_release(&s);
	return rc;
}

int op_run_confirm(struct store *st, const struct actor *a, const char *key, const char *step,
		   json_t **out, struct err *e)
{
	struct run_write w = { .a = a, .key = key };
	char *end;
	long v;
	int rc;

	if ((rc = op_actor_check(a, 0, e)))
		return rc;
	v = strtol(step, &end, 10);
	if (!*step || *end || v < 1 || v > INT32_MAX)
		return err_set(e, ERR_INVALID, "step", "malformed step '%.16s'", step);
	if (!a->username[0])
		return err_set(e, ERR_FORBIDDEN, NULL, "a confirmation is a named operator's");
	w.step = v;
	return end_write(st, do_confirm, &w, out, e);
}

static int do_abandon(struct store_tx *tx, void *arg, struct err *e)
{
	struct run_write *w = arg;
	struct run_state s;
	const char *reason = json_string_value(json_object_get(w->in, "reason"));
	int64_t now = clock_now();
	int rc;

	if ((rc = state_load(tx->st, tx, w->key, &s, e)) || (rc = op_rule_abandon(s.r.status, e)))
		goto out;
	snprintf(s.r.status, sizeof(s.r.status), "abandoned");
	free(s.r.reason);
	if (!(s.r.reason = strdup(reason))) {
		rc = err_set(e, ERR_INTERNAL, NULL, "out of memory");
		goto out;
	}
	s.r.ended_at = now;
	s.r.updated_at = now;
	s.r.version++;
	if ((rc = tx->st->ops->operation->run_update(tx, &s.r, e)) ||
	    (rc = answer(tx, w, s.r.key, e)))
		goto out;
	rc = audit_run(tx, w, "run.abandon", s.r.key, json_pack("{s:s}", "reason", reason), e);
out:
	state_release(&s);
	return rc;
}

int op_run_abandon(struct store *st, const struct actor *a, const char *key, const json_t *in,
		   json_t **out, struct err *e)
{
	static const char *const keys[] = { "reason", NULL };
	struct run_write w = { .a = a, .in = in, .key = key };
	const char *reason;
	int rc;

	if ((rc = op_actor_check(a, 0, e)))
		return rc;
	if (!json_is_object(in))
		return err_set(e, ERR_INVALID, NULL, "the body must be a JSON object");
	if ((rc = jx_only(in, keys, e)) ||
	    (rc = jx_text(in, "reason", JX_REQUIRED, OP_RESULT_MAX, &reason, e)))
		return rc;
	return end_write(st, do_abandon, &w, out, e);
}

/* ---- reads ----------------------------------------------------------- */

int op_run_get_json(struct store *st, const struct actor *a, const char *key, json_t **out,
		    struct err *e)
{
	struct run_state s;
	int rc;

	if ((rc = op_actor_check(a, 0, e)))
		return rc;
	if (!(rc = state_load(st, NULL, key, &s, e)))
		*out = state_json(&s);
	state_release(&s);
	return rc;
}

int op_run_list_json(struct store *st, const struct actor *a, const json_t *query,
		     json_t **out, struct err *e)
{
	static const char *const statuses[] = { "running", "completed", "abandoned", NULL };
	const char *status = jx_qstr(query, "status"), *job = jx_qstr(query, "job");
	struct op_run *r = NULL;
	struct op_job j = { 0 };
	size_t n = 0, i;
	json_t *items;
	int rc;

	if ((rc = op_actor_check(a, 0, e)))
		return rc;
	if (status) {
		for (i = 0; statuses[i] && strcmp(statuses[i], status); i++)
			;
		if (!statuses[i])
			return err_set(e, ERR_INVALID, "status",
				       "unknown status '%.32s' (running, completed, abandoned)",
				       status);
	}
	if (job && (rc = st->ops->operation->job_get(st, NULL, job, &j, e)))
		return err_absent(e, rc, ERR_INVALID, "job", "unknown job '%.64s'", job);
	if ((rc = st->ops->operation->run_list(st, status, j.id, 0, 0, &r, &n, e)))
		return rc;
	items = json_array();
	/* Oldest first, as the cursor walks ids upwards. */
	for (i = n; i > 0; i--)
		json_array_append_new(items, run_json(&r[i - 1]));
	op_free_runs(r, n);
	return jx_page(items, query, "id", 1, out, e);
}
