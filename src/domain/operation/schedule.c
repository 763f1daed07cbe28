/*
 * schedule.c — the operation schedule: jobs (JOB-n) that run a procedure on
 * an RFC 5545 recurrence from a start time, for a shift, optionally on
 * configuration items, each occurrence due within a deadline (minutes after
 * it); and a shift's list of a day: every occurrence with its state.
 *
 * The day is a UTC day and rules are evaluated in UTC (docs/operation.md).
 * An occurrence's state: the status of the run that executes it (running,
 * completed, abandoned) when one was started; else "missed" once its
 * deadline has passed, "due" once it has come, "upcoming" before.
 */
#include "domain/operation/operation.h"
#include "lib/ident.h"
#include "lib/jsonx.h"
#include "lib/strlist.h"
#include "lib/timeutil.h"
#include "model/cmdb.h"
#include "store/store_cmdb.h"
#include "store/store_operation.h"

#include <stdlib.h>
#include <string.h>

/* At most this many occurrences of one job in a day (one a minute). */
#define OP_DAY_MAX 1440
#define OP_DEADLINE_MAX (366 * 24 * 60)

static int shift_valid(const char *s)
{
	return ident_valid(s, OP_SHIFT_MAX, IDENT_PUNCT);
}

static json_t *job_json(const struct op_job *j)
{
	json_t *o = json_object();

	json_object_set_new(o, "id", json_integer(j->id));
	json_object_set_new(o, "key", json_string(j->key));
	json_object_set_new(o, "procedure", json_string(j->proc_key));
	json_object_set_new(o, "rrule", json_string(j->rrule));
	jx_set_time(o, "start", j->dtstart);
	json_object_set_new(o, "deadline_minutes", json_integer(j->deadline_min));
	json_object_set_new(o, "shift", json_string(j->shift));
	json_object_set_new(o, "items", strlist_json(j->items));
	json_object_set_new(o, "created_by", json_string(j->created_by));
	jx_set_time(o, "created_at", j->created_at);
	jx_set_time(o, "updated_at", j->updated_at);
	json_object_set_new(o, "version", json_integer(j->version));
	return o;
}

json_t *op_job_to_json(const struct op_job *j)
{
	return job_json(j);
}

/* The items (an array of CI keys or NULL) into "a,b"; ERR_INVALID naming
 * the item at fault. Their existence is checked in the write. */
static int items_read(const json_t *arr, char *out, size_t n, struct err *e)
{
	size_t i, len = 0;
	json_t *v;
	char f[32];

	out[0] = '\0';
	if (!arr || json_is_null(arr))
		return 0;
	if (!json_is_array(arr))
		return err_set(e, ERR_INVALID, "items", "'items' must be an array of CI keys");
	json_array_foreach(arr, i, v) {
		const char *k = json_string_value(v);
		size_t kl;

		snprintf(f, sizeof(f), "items[%zu]", i);
		if (!k || !ident_valid(k, 63, IDENT_PUNCT))
			return err_set(e, ERR_INVALID, f, "'%s' must be a CI key", f);
		kl = strlen(k);
		if (strlist_has(out, k, kl))
			continue;
		if (len + kl + 2 > n)
			return err_set(e, ERR_INVALID, "items", "too many items (at most %zu bytes)",
				       n - 1);
		if (len)
			out[len++] = ',';
		memcpy(out + len, k, kl + 1);
		len += kl;
	}
	return 0;
}

struct job_write {
	const struct actor *a;
	const char *proc;
	struct op_job j;
	json_t *after;
};

static int items_exist(struct store_tx *tx, const char *items, struct err *e)
{
	char key[64];
	size_t i = 0;

	for (const char *p = items; *p;) {
		const char *end = strchr(p, ',');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		struct ci c;
		char f[32];
		int rc;

		snprintf(key, sizeof(key), "%.*s", (int)n, p);
		snprintf(f, sizeof(f), "items[%zu]", i++);
		rc = tx->st->ops->cmdb->ci_get(tx->st, tx, 0, key, &c, e);
		if (rc)
			return err_absent(e, rc, ERR_INVALID, f, "unknown configuration item '%s'",
					  key);
		ci_release(&c);
		p += n;
		if (*p)
			p++;
	}
	return 0;
}

static int do_job_add(struct store_tx *tx, void *arg, struct err *e)
{
	struct job_write *w = arg;
	struct op_procedure p;
	char entity[64];
	int64_t n;
	int rc;

	rc = tx->st->ops->operation->proc_get(tx->st, tx, w->proc, &p, e);
	if (rc)
		return err_absent(e, rc, ERR_INVALID, "procedure", "unknown procedure '%.64s'",
				  w->proc);
	if ((rc = items_exist(tx, w->j.items, e)) ||
	    (rc = tx->st->ops->counter_next(tx, "JOB", &n, e)))
		return rc;
	w->j.procedure_id = p.id;
	snprintf(w->j.proc_key, sizeof(w->j.proc_key), "%s", p.key);
	snprintf(w->j.key, sizeof(w->j.key), "JOB-%lld", (long long)n);
	snprintf(w->j.created_by, sizeof(w->j.created_by), "%s", w->a->username);
	w->j.created_at = clock_now();
	if ((rc = tx->st->ops->operation->job_insert(tx, &w->j, e)))
		return rc;
	w->after = job_json(&w->j);
	snprintf(entity, sizeof(entity), "job:%s", w->j.key);
	return op_audit(tx, w->a, "job.add", entity, json_pack("{s:O}", "after", w->after), e);
}

static const char *const job_keys[] = { "procedure", "rrule", "start", "deadline_minutes",
					"shift", "items", NULL };

int op_job_add(struct store *st, const struct actor *a, const json_t *in, json_t **out,
	       struct err *e)
{
	struct job_write w = { .a = a };
	const char *rrule, *shift;
	int rc;

	if ((rc = op_actor_check(a, 1, e)))
		return rc;
	if (!json_is_object(in))
		return err_set(e, ERR_INVALID, NULL, "the body must be a JSON object");
	if ((rc = jx_only(in, job_keys, e)) ||
	    (rc = jx_str(in, "procedure", JX_REQUIRED, 63, &w.proc, e)))
		return rc;
	rrule = json_string_value(json_object_get(in, "rrule"));
	if (json_object_get(in, "rrule") && !rrule)
		return err_set(e, ERR_INVALID, "rrule", "'rrule' must be a string");
	if ((rc = op_rrule_check(rrule, e)) ||
	    (rc = jx_time(in, "start", JX_REQUIRED, &w.j.dtstart, e)) ||
	    (rc = jx_int(in, "deadline_minutes", JX_REQUIRED, 1, OP_DEADLINE_MAX,
			 &w.j.deadline_min, e)) ||
	    (rc = jx_str(in, "shift", JX_REQUIRED, OP_SHIFT_MAX, &shift, e)))
		return rc;
	if (!shift_valid(shift))
		return err_set(e, ERR_INVALID, "shift",
			       "malformed shift '%.64s' (letters, digits, '.', '_', '-')", shift);
	snprintf(w.j.rrule, sizeof(w.j.rrule), "%s", rrule);
	snprintf(w.j.shift, sizeof(w.j.shift), "%s", shift);
	if ((rc = items_read(json_object_get(in, "items"), w.j.items, sizeof(w.j.items), e)))
		return rc;
	rc = store_write(st, do_job_add, &w, e);
	if (!rc)
		*out = w.after;
	else
		json_decref(w.after);
	return rc;
}

static int shift_query(const json_t *q, int required, const char **shift, struct err *e)
{
	*shift = jx_qstr(q, "shift");
	if (!*shift && required)
		return err_set(e, ERR_INVALID, "shift", "'shift' is required");
	if (*shift && !shift_valid(*shift))
		return err_set(e, ERR_INVALID, "shift", "malformed shift '%.64s'", *shift);
	return 0;
}

int op_job_list_json(struct store *st, const struct actor *a, const json_t *query,
		     json_t **out, struct err *e)
{
	struct op_job *j = NULL;
	const char *shift;
	size_t n = 0;
	json_t *items;
	int rc;

	if ((rc = op_actor_check(a, 0, e)) || (rc = shift_query(query, 0, &shift, e)) ||
	    (rc = st->ops->operation->job_list(st, shift, &j, &n, e)))
		return rc;
	items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, job_json(&j[i]));
	free(j);
	return jx_page(items, query, "id", 1, out, e);
}

/* The run of job_id at occurrence at, among runs (NULL when none). */
static const struct op_run *run_at(const struct op_run *runs, size_t n, int64_t job_id,
				   int64_t at)
{
	for (size_t i = 0; i < n; i++)
		if (runs[i].job_id == job_id && runs[i].occurrence == at)
			return &runs[i];
	return NULL;
}

const char *op_occurrence_state(int64_t at, int64_t deadline_min, const char *run_status,
				int64_t now)
{
	if (run_status)
		return run_status;
	if (now >= at + deadline_min * 60)
		return "missed";
	return now >= at ? "due" : "upcoming";
}

static json_t *occurrence_json(const struct op_job *j, int64_t at, const struct op_run *r,
			       int64_t now)
{
	int64_t due = at + j->deadline_min * 60;
	const char *state = op_occurrence_state(at, j->deadline_min, r ? r->status : NULL, now);
	json_t *o = json_object();

	json_object_set_new(o, "job", json_string(j->key));
	json_object_set_new(o, "procedure", json_string(j->proc_key));
	json_object_set_new(o, "shift", json_string(j->shift));
	json_object_set_new(o, "items", strlist_json(j->items));
	jx_set_time(o, "occurrence", at);
	jx_set_time(o, "deadline", due);
	json_object_set_new(o, "state", json_string(state));
	jx_set_str(o, "run", r ? r->key : NULL);
	json_object_set_new(o, "late", json_boolean(r && r->started_at >= due));
	return o;
}

int op_schedule_today_json(struct store *st, const struct actor *a, const json_t *query,
			   json_t **out, struct err *e)
{
	const char *shift, *date = jx_qstr(query, "date");
	struct op_job *jobs = NULL;
	struct op_run *runs = NULL;
	size_t nj = 0, nr = 0;
	int64_t day, from, to, now = clock_now();
	int64_t *at = NULL;
	char dbuf[11];
	json_t *items = NULL;
	int rc;

	if ((rc = op_actor_check(a, 0, e)) || (rc = shift_query(query, 1, &shift, e)))
		return rc;
	if (date) {
		if (time_parse_date(date, &day))
			return err_set(e, ERR_INVALID, "date", "'date' must be YYYY-MM-DD, not '%.32s'",
				       date);
	} else {
		day = time_floor_div(now, 86400);
	}
	from = day * 86400;
	to = from + 86400;
	if ((rc = st->ops->operation->job_list(st, shift, &jobs, &nj, e)) ||
	    (rc = st->ops->operation->run_list(st, NULL, 0, from, to, &runs, &nr, e)))
		goto out;
	if (!(at = malloc(sizeof(*at) * OP_DAY_MAX))) {
		rc = err_set(e, ERR_INTERNAL, NULL, "out of memory");
		goto out;
	}
	items = json_array();
	for (size_t i = 0; i < nj && !rc; i++) {
		size_t n;

		if ((rc = op_rrule_between(jobs[i].rrule, jobs[i].dtstart, from, to, at, OP_DAY_MAX,
					   &n, e)))
			break;
		for (size_t k = 0; k < n; k++)
			json_array_append_new(items, occurrence_json(&jobs[i], at[k],
								     run_at(runs, nr, jobs[i].id,
									    at[k]),
								     now));
	}
	if (!rc) {
		/* In time order, then by job. */
		size_t n = json_array_size(items);

		for (size_t i = 1; i < n; i++)
			for (size_t k = i; k > 0; k--) {
				json_t *x = json_array_get(items, k - 1), *y = json_array_get(items, k);
				const char *ax = json_string_value(json_object_get(x, "occurrence"));
				const char *ay = json_string_value(json_object_get(y, "occurrence"));

				if (strcmp(ax, ay) <= 0)
					break;
				json_incref(x);
				json_array_set(items, k - 1, y);
				json_array_set_new(items, k, x);
			}
		time_format_date(day, dbuf);
		*out = json_pack("{s:s, s:s, s:O}", "date", dbuf, "shift", shift, "items", items);
	}
out:
	json_decref(items);
	free(at);
	free(jobs);
	op_free_runs(runs, nr);
	return rc;
}
