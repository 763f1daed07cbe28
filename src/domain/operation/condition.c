/*
 * condition.c — condition reports (COND-n): the figures of a period read
 * from the records (runs of src/domain/operation, incidents of the desk,
 * changes, SLA warnings and breaches, events, outages), the reports'
 * writes (add, remarks, sign, acknowledge) and reads.
 *
 * A draft's figures are computed whenever it is read, at the clock's now
 * (an occurrence is missed once its deadline has passed). Signing computes
 * them inside the write, stores their canonical JSON and records its
 * SHA-256 in the audit chain: a signed report answers with what was
 * signed, whatever is recorded later. Each write re-reads the report in
 * its transaction, checks state and version against that copy, writes it
 * and appends "condition:COND-n" with the report after (no figures; their
 * hash).
 */
#include "domain/operation/condition.h"
#include "domain/operation/operation.h"
#include "lib/buf.h"
#include "lib/jsonx.h"
#include "lib/timeutil.h"
#include "store/store_condition.h"
#include "store/store_operation.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

/* Rows a report lists of each kind (every kind is counted whole). */
#define COND_LIST_MAX 100
/* A job's occurrences in one period (one a minute for 24 hours). */
#define COND_OCC_MAX 1440

/* ---- who may ----------------------------------------------------------- */

static int may_read(const struct actor *a, struct err *e)
{
	if (a->scope_events)
		return err_set(e, ERR_FORBIDDEN, NULL, "this token may only send events");
	if (a->role == ROLE_REQUESTER)
		return err_set(e, ERR_FORBIDDEN, NULL, "requesters have no access to operation");
	return 0;
}

static int may_sign(const struct actor *a, struct err *e)
{
	int rc = may_read(a, e);

	if (rc)
		return rc;
	if (a->role != ROLE_MANAGER && a->role != ROLE_ADMIN)
		return err_set(e, ERR_FORBIDDEN, NULL,
			       "a condition report is signed by a shift leader: a manager or admin "
			       "(--as USER from the command line)");
	return 0;
}

static int may_ack(const struct actor *a, struct err *e)
{
	int rc = may_read(a, e);

	if (rc)
		return rc;
	if (!a->user_id)
		return err_set(e, ERR_FORBIDDEN, NULL,
			       "an acknowledgement is a named user's (--as USER from the command line)");
	return 0;
}

/* ---- the period -------------------------------------------------------- */

struct period {
	int64_t day, from, to;
	const char *shift; /* NULL: the whole day */
};

static int period_read(const char *date, const char *shift, struct period *p, struct err *e)
{
	const struct cond_shift *s = NULL;

	if (!date)
		return err_set(e, ERR_INVALID, "date", "'date' is required (YYYY-MM-DD)");
	if (time_parse_date(date, &p->day))
		return err_set(e, ERR_INVALID, "date", "'date' must be YYYY-MM-DD, not '%.32s'", date);
	if (shift && *shift && !(s = cond_shift_find(shift)))
		return err_set(e, ERR_INVALID, "shift", "unknown shift '%.64s'", shift);
	p->shift = s ? s->name : NULL;
	cond_period(s, p->day, &p->from, &p->to);
	return 0;
}

/* ---- figures ----------------------------------------------------------- */

struct occ_key {
	int64_t job, at;
};

static int occ_cmp(const void *x, const void *y)
{
	const struct occ_key *a = x, *b = y;

	if (a->job != b->job)
		return a->job < b->job ? -1 : 1;
	return a->at < b->at ? -1 : a->at > b->at;
}

/* Occurrences of every job in [from, to) without a run whose deadline has
 * passed at now: their count and the first COND_LIST_MAX. */
static int missed(struct store *st, int64_t from, int64_t to, int64_t now, json_t *into,
		  struct err *e)
{
	const struct store_operation_ops *op = st->ops->operation;
	struct op_job *jobs = NULL;
	struct op_run *runs = NULL;
	struct occ_key *done = NULL;
	size_t nj = 0, nr = 0;
	int64_t *at = NULL, count = 0;
	json_t *items = json_array();
	int rc;

	if ((rc = op->job_list(st, NULL, &jobs, &nj, e)) ||
	    (rc = op->run_list(st, NULL, 0, from, to, &runs, &nr, e)))
		goto out;
	if (!(at = malloc(sizeof(*at) * COND_OCC_MAX)) ||
	    !(done = malloc(sizeof(*done) * (nr ? nr : 1))) || !items) {
		rc = err_set(e, ERR_INTERNAL, NULL, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < nr; i++)
		done[i] = (struct occ_key){ runs[i].job_id, runs[i].occurrence };
	qsort(done, nr, sizeof(*done), occ_cmp);
	for (size_t i = 0; i < nj && !rc; i++) {
		size_t n;

		if ((rc = op_rrule_between(jobs[i].rrule, jobs[i].dtstart, from, to, at, COND_OCC_MAX,
					   &n, e)))
			break;
		for (size_t k = 0; k < n; k++) {
			struct occ_key key = { jobs[i].id, at[k] };
			int64_t due = at[k] + jobs[i].deadline_min * 60;

			if (due > now || bsearch(&key, done, nr, sizeof(*done), occ_cmp))
				continue;
			if (count++ < COND_LIST_MAX) {
				json_t *o = json_object();

				json_object_set_new(o, "job", json_string(jobs[i].key));
				json_object_set_new(o, "procedure", json_string(jobs[i].proc_key));
				json_object_set_new(o, "shift", json_string(jobs[i].shift));
				jx_set_time(o, "occurrence", at[k]);
				jx_set_time(o, "deadline", due);
				json_array_append_new(items, o);
			}
		}
	}
	if (!rc) {
		json_object_set_new(into, "missed", json_integer(count));
		json_object_set(into, "missed_items", items);
	}
out:
	json_decref(items);
	free(at);
	free(done);
	free(jobs);
	op_free_runs(runs, nr);
	return rc;
}

/* rows of {name, count} as an object name → count */
static json_t *counts_object(const json_t *rows, const char *name)
{
	json_t *o = json_object(), *r;
	size_t i;

	json_array_foreach(rows, i, r)
		json_object_set(o, json_string_value(json_object_get(r, name)),
				json_object_get(r, "count"));
	return o;
}

static int64_t count_of(const json_t *rows, const char *name, const char *value)
{
	json_t *r;
	size_t i;

	json_array_foreach(rows, i, r)
		if (!strcmp(json_string_value(json_object_get(r, name)), value))
			return json_integer_value(json_object_get(r, "count"));
	return 0;
}

/* The figures of [from, to) at now (a new object into *out). */
static int figures(struct store *st, struct store_tx *tx, int64_t from, int64_t to, int64_t now,
		   json_t **out, struct err *e)
{
	const struct store_condition_ops *cq = st->ops->condition;
	json_t *rows[COND__SECTIONS] = { 0 };
	int64_t total[COND__SECTIONS] = { 0 };
	json_t *f = NULL, *x;
	int rc = 0;

	*out = NULL;
	for (int i = 0; i < COND__SECTIONS && !rc; i++)
		rc = cq->section(st, tx, (enum cond_section)i, from, to,
				 i == COND_RUNS || i == COND_SLA_KINDS || i == COND_EVENTS ? 1000
											 : COND_LIST_MAX,
				 &rows[i], &total[i], e);
	if (rc)
		goto out;
	if (!(f = json_object())) {
		rc = err_set(e, ERR_INTERNAL, NULL, "out of memory");
		goto out;
	}
	jx_set_time(f, "from", from);
	jx_set_time(f, "to", to);
	jx_set_time(f, "computed_at", now);
	json_object_set_new(f, "list_limit", json_integer(COND_LIST_MAX));

	x = json_object();
	json_object_set_new(x, "started", json_integer(total[COND_RUNS]));
	json_object_set_new(x, "completed", json_integer(count_of(rows[COND_RUNS], "status",
								   "completed")));
	json_object_set_new(x, "running", json_integer(count_of(rows[COND_RUNS], "status",
								 "running")));
	json_object_set_new(x, "abandoned", json_integer(count_of(rows[COND_RUNS], "status",
								   "abandoned")));
	json_object_set_new(x, "deviated", json_integer(total[COND_DEVIATIONS]));
	json_object_set(x, "deviations", rows[COND_DEVIATIONS]);
	json_object_set_new(f, "executions", x);
	if ((rc = missed(st, from, to, now, x, e)))
		goto out;

	x = json_pack("{s:I, s:I, s:O, s:O}", "opened", (json_int_t)total[COND_OPENED], "resolved",
		      (json_int_t)total[COND_RESOLVED], "opened_items", rows[COND_OPENED],
		      "resolved_items", rows[COND_RESOLVED]);
	json_object_set_new(f, "incidents", x);
	json_object_set_new(f, "changes", json_pack("{s:I, s:O}", "implemented",
						    (json_int_t)total[COND_CHANGES], "items",
						    rows[COND_CHANGES]));
	json_object_set_new(f, "sla",
			    json_pack("{s:I, s:I, s:O}", "warnings",
				      (json_int_t)count_of(rows[COND_SLA_KINDS], "event", "warning"),
				      "breaches",
				      (json_int_t)count_of(rows[COND_SLA_KINDS], "event", "breach"),
				      "items", rows[COND_SLA]));
	json_object_set_new(f, "events", json_pack("{s:I, s:o}", "received",
						   (json_int_t)total[COND_EVENTS], "by_severity",
						   counts_object(rows[COND_EVENTS], "severity")));
	json_object_set_new(f, "outages", json_pack("{s:I, s:O}", "count",
						    (json_int_t)total[COND_OUTAGES], "items",
						    rows[COND_OUTAGES]));
	*out = f;
	f = NULL;
out:
	json_decref(f);
	for (int i = 0; i < COND__SECTIONS; i++)
		json_decref(rows[i]);
	return rc;
}

/* ---- the record -------------------------------------------------------- */

static void sha256_hex(const char *text, size_t n, char out[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(h, (const unsigned char *)text, n);
	sodium_bin2hex(out, 65, h, sizeof(h));
}

/* The report as the audit log records it: no figures, but the hash of the
 * frozen ones computed from the stored text (so a rewritten text shows). */
static json_t *record_json(const struct cond_report *r)
{
	json_t *o = json_object();
	char date[11], hash[65];

	time_format_date(r->day, date);
	json_object_set_new(o, "id", json_integer(r->id));
	json_object_set_new(o, "key", json_string(r->key));
	json_object_set_new(o, "date", json_string(date));
	jx_set_str(o, "shift", r->shift[0] ? r->shift : NULL);
	jx_set_time(o, "from", r->from);
	jx_set_time(o, "to", r->to);
	json_object_set_new(o, "state", json_string(r->state));
	json_object_set_new(o, "remarks", json_string(r->remarks ? r->remarks : ""));
	json_object_set_new(o, "created_by", json_string(r->created_by));
	jx_set_time(o, "created_at", r->created_at);
	jx_set_str(o, "signed_by", r->signed_by[0] ? r->signed_by : NULL);
	jx_set_time(o, "signed_at", r->signed_at);
	if (r->figures)
		sha256_hex(r->figures, strlen(r->figures), hash);
	jx_set_str(o, "figures_sha256", r->figures ? hash : NULL);
	jx_set_str(o, "acknowledged_by", r->acked_by[0] ? r->acked_by : NULL);
	jx_set_time(o, "acknowledged_at", r->acked_at);
	jx_set_time(o, "updated_at", r->updated_at);
	json_object_set_new(o, "version", json_integer(r->version));
	return o;
}

/* The report with its figures: frozen ones when signed, else computed now
 * (tx: inside that write). */
static int report_json(struct store *st, struct store_tx *tx, const struct cond_report *r,
		       json_t **out, struct err *e)
{
	json_t *o = record_json(r), *f = NULL;
	int rc = 0;

	if (!o)
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	if (r->figures) {
		if (!(f = json_loads(r->figures, 0, NULL)))
			rc = err_set(e, ERR_INTERNAL, NULL, "%s: its signed figures are unreadable",
				     r->key);
	} else {
		rc = figures(st, tx, r->from, r->to, clock_now(), &f, e);
	}
	if (rc) {
		json_decref(o);
		return rc;
	}
	json_object_set_new(o, "frozen", json_boolean(r->figures != NULL));
	json_object_set_new(o, "figures", f);
	*out = o;
	return 0;
}

/* ---- reads ------------------------------------------------------------- */

/* The shifts reports are cut by: [{name, start, end}] ("HH:MM", UTC). */
static json_t *shifts_json(void)
{
	const struct cond_shifts *set = cond_shifts_get();
	json_t *a = json_array();

	for (size_t i = 0; i < set->n; i++) {
		char from[24], to[24];

		snprintf(from, sizeof(from), "%02d:%02d", set->s[i].start / 60, set->s[i].start % 60);
		snprintf(to, sizeof(to), "%02d:%02d", set->s[i].end / 60, set->s[i].end % 60);
		json_array_append_new(a, json_pack("{s:s, s:s, s:s}", "name", set->s[i].name, "start",
						   from, "end", to));
	}
	return a;
}

int cond_draft_json(struct store *st, const struct actor *a, const json_t *query, json_t **out,
		    struct err *e)
{
	struct period p;
	json_t *f, *o;
	char date[11];
	int rc;

	if ((rc = may_read(a, e)) ||
	    (rc = period_read(jx_qstr(query, "date"), jx_qstr(query, "shift"), &p, e)) ||
	    (rc = figures(st, NULL, p.from, p.to, clock_now(), &f, e)))
		return rc;
	time_format_date(p.day, date);
	if (!(o = json_object())) {
		json_decref(f);
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	}
	json_object_set_new(o, "key", json_null());
	json_object_set_new(o, "date", json_string(date));
	jx_set_str(o, "shift", p.shift);
	jx_set_time(o, "from", p.from);
	jx_set_time(o, "to", p.to);
	json_object_set_new(o, "state", json_string("draft"));
	json_object_set_new(o, "frozen", json_false());
	json_object_set_new(o, "figures", f);
	json_object_set_new(o, "shifts", shifts_json());
	*out = o;
	return 0;
}

int cond_get_json(struct store *st, const struct actor *a, const char *key, json_t **out,
		  struct err *e)
{
	struct cond_report r;
	int rc;

	if ((rc = may_read(a, e)))
		return rc;
	if (!(rc = st->ops->condition->get(st, NULL, key, &r, e)))
		rc = report_json(st, NULL, &r, out, e);
	cond_report_release(&r);
	return rc;
}

int cond_list_json(struct store *st, const struct actor *a, const json_t *query, json_t **out,
		   struct err *e)
{
	static const char *const states[] = { "draft", "signed", "acknowledged", NULL };
	const char *state = jx_qstr(query, "state");
	struct cond_report *r = NULL;
	size_t n = 0, i;
	json_t *items;
	int rc;

	if ((rc = may_read(a, e)))
		return rc;
	if (state) {
		for (i = 0; states[i] && strcmp(states[i], state); i++)
			;
		if (!states[i])
			return err_set(e, ERR_INVALID, "state",
				       "unknown state '%.32s' (draft, signed, acknowledged)", state);
	}
	if ((rc = st->ops->condition->list(st, state, &r, &n, e)))
		return rc;
	items = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(items, record_json(&r[i]));
	cond_free_reports(r, n);
	return jx_page(items, query, "id", 1, out, e);
}

int cond_state_scan(struct store *st, audit_state_fn fn, void *ctx, struct err *e)
{
	struct audit_scan to = { fn, ctx };
	struct cond_report *r = NULL;
	size_t n = 0;
	int rc;

	if ((rc = st->ops->condition->list(st, NULL, &r, &n, e)))
		return rc;
	for (size_t i = 0; !rc && i < n; i++)
		rc = audit_state_hand(&to, record_json(&r[i]), "condition:%s", r[i].key);
	cond_free_reports(r, n);
	return rc;
}

/* ---- writes ------------------------------------------------------------ */

struct cond_write {
	const struct actor *a;
	const json_t *in;
	const char *key;
	struct period p;
	struct cond_report r; /* the report after */
	json_t *answer;
};

/* Append the audit record and make the answer, inside the write: what a
 * committed write answers is read before the commit, so a reply can fail
 * only with the write. */
static int audit_cond(struct store_tx *tx, struct cond_write *w, const char *action,
		      struct err *e)
{
	char entity[64];
	int rc;

	snprintf(entity, sizeof(entity), "condition:%s", w->r.key);
	if ((rc = op_audit(tx, w->a, action, entity,
			   json_pack("{s:o}", "after", record_json(&w->r)), e)))
		return rc;
	json_decref(w->answer);
	w->answer = NULL;
	return report_json(tx->st, tx, &w->r, &w->answer, e);
}

static int end_write(struct store *st, store_write_fn fn, struct cond_write *w, json_t **out,
		     struct err *e)
{
	int rc = store_write(st, fn, w, e);

	if (!rc)
		*out = w->answer;
	else
		json_decref(w->answer);
	cond_report_release(&w->r);
	return rc;
}

static int do_add(struct store_tx *tx, void *arg, struct err *e)
{
	struct cond_write *w = arg;
	const char *remarks = json_string_value(json_object_get(w->in, "remarks"));
	int64_t n;
	int rc;

	if ((rc = tx->st->ops->counter_next(tx, "COND", &n, e)))
		return rc;
	cond_report_release(&w->r);
	memset(&w->r, 0, sizeof(w->r));
	snprintf(w->r.key, sizeof(w->r.key), "COND-%lld", (long long)n);
	w->r.day = w->p.day;
	snprintf(w->r.shift, sizeof(w->r.shift), "%s", w->p.shift ? w->p.shift : "");
	w->r.from = w->p.from;
	w->r.to = w->p.to;
	snprintf(w->r.state, sizeof(w->r.state), "draft");
	if (!(w->r.remarks = strdup(remarks ? remarks : "")))
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	snprintf(w->r.created_by, sizeof(w->r.created_by), "%s", w->a->username);
	w->r.created_at = clock_now();
	if ((rc = tx->st->ops->condition->insert(tx, &w->r, e)))
		return rc;
	return audit_cond(tx, w, "condition.add", e);
}

int cond_add(struct store *st, const struct actor *a, const json_t *in, json_t **out,
	     struct err *e)
{
	static const char *const keys[] = { "date", "shift", "remarks", NULL };
	struct cond_write w = { .a = a, .in = in };
	const char *date, *shift = NULL, *remarks;
	int rc;

	if ((rc = may_read(a, e)))
		return rc;
	if (!json_is_object(in))
		return err_set(e, ERR_INVALID, NULL, "the body must be a JSON object");
	if ((rc = jx_only(in, keys, e)) || (rc = jx_str(in, "date", JX_REQUIRED, 10, &date, e)) ||
	    (rc = jx_str(in, "shift", JX_OPTIONAL, COND_SHIFT_MAX, &shift, e)) < 0 ||
	    (rc = jx_str(in, "remarks", JX_OPTIONAL, COND_REMARKS_MAX, &remarks, e)) < 0)
		return rc;
	if ((rc = period_read(date, json_string_value(json_object_get(in, "shift")), &w.p, e)))
		return rc;
	return end_write(st, do_add, &w, out, e);
}

/* Read the report into w->r inside the write and hold the body's version
 * (when it names one) against it. */
static int load(struct store_tx *tx, struct cond_write *w, struct err *e)
{
	json_t *v = json_object_get(w->in, "version");
	int rc;

	cond_report_release(&w->r);
	if ((rc = tx->st->ops->condition->get(tx->st, tx, w->key, &w->r, e)))
		return rc;
	if (v && json_integer_value(v) != w->r.version)
		return err_set(e, ERR_CONFLICT, "version",
			       "condition report '%s' was changed meanwhile (version %lld, not %lld)",
			       w->r.key, (long long)w->r.version, (long long)json_integer_value(v));
	return 0;
}

static int save(struct store_tx *tx, struct cond_write *w, const char *action, struct err *e)
{
	int rc;

	w->r.updated_at = clock_now();
	w->r.version++;
	if ((rc = tx->st->ops->condition->update(tx, &w->r, e)))
		return rc;
	return audit_cond(tx, w, action, e);
}

static int do_update(struct store_tx *tx, void *arg, struct err *e)
{
	struct cond_write *w = arg;
	const char *remarks = json_string_value(json_object_get(w->in, "remarks"));
	char *copy;
	int rc;

	if ((rc = load(tx, w, e)))
		return rc;
	if (strcmp(w->r.state, "draft"))
		return err_set(e, ERR_TRANSITION, "state",
			       "condition report %s is %s: only a draft's remarks change", w->r.key,
			       w->r.state);
	if (!(copy = strdup(remarks)))
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	free(w->r.remarks);
	w->r.remarks = copy;
	return save(tx, w, "condition.update", e);
}

static int version_body(const json_t *in, const char *const *keys, int need_version,
			struct err *e)
{
	int64_t v;
	int rc;

	if (in && !json_is_object(in))
		return err_set(e, ERR_INVALID, NULL, "the body must be a JSON object");
	if (!in)
		return need_version ? err_set(e, ERR_INVALID, "version", "'version' is required") : 0;
	if ((rc = jx_only(in, keys, e)) ||
	    (rc = jx_int(in, "version", need_version ? JX_REQUIRED : JX_OPTIONAL, 1, INT64_MAX, &v,
			 e)) < 0)
		return rc;
	return 0;
}

int cond_update(struct store *st, const struct actor *a, const char *key, const json_t *in,
		json_t **out, struct err *e)
{
	static const char *const keys[] = { "remarks", "version", NULL };
	struct cond_write w = { .a = a, .in = in, .key = key };
	const char *remarks;
	int rc;

	if ((rc = may_read(a, e)) || (rc = version_body(in, keys, 1, e)) ||
	    (rc = jx_str(in, "remarks", JX_REQUIRED, COND_REMARKS_MAX, &remarks, e)))
		return rc;
	return end_write(st, do_update, &w, out, e);
}

static int do_sign(struct store_tx *tx, void *arg, struct err *e)
{
	struct cond_write *w = arg;
	struct buf text = BUF_INIT;
	json_t *f = NULL;
	int64_t now = clock_now();
	int rc;

	if ((rc = load(tx, w, e)))
		return rc;
	if (strcmp(w->r.state, "draft"))
		return err_set(e, ERR_TRANSITION, "state", "condition report %s is %s already",
			       w->r.key, w->r.state);
	if ((rc = figures(tx->st, tx, w->r.from, w->r.to, now, &f, e)))
		return rc;
	if (jx_canonical(&text, f) || !(w->r.figures = strdup(buf_str(&text)))) {
		rc = err_set(e, ERR_INTERNAL, NULL, "out of memory");
		goto out;
	}
	sha256_hex(w->r.figures, strlen(w->r.figures), w->r.figures_hash);
	snprintf(w->r.state, sizeof(w->r.state), "signed");
	snprintf(w->r.signed_by, sizeof(w->r.signed_by), "%s", w->a->username);
	w->r.signed_at = now;
	rc = save(tx, w, "condition.sign", e);
out:
	buf_release(&text);
	json_decref(f);
	return rc;
}

int cond_sign(struct store *st, const struct actor *a, const char *key, const json_t *in,
	      json_t **out, struct err *e)
{
	static const char *const keys[] = { "version", NULL };
	struct cond_write w = { .a = a, .in = in, .key = key };
	int rc;

	if ((rc = may_sign(a, e)) || (rc = version_body(in, keys, 0, e)))
		return rc;
	return end_write(st, do_sign, &w, out, e);
}

static int do_ack(struct store_tx *tx, void *arg, struct err *e)
{
	struct cond_write *w = arg;
	int rc;

	if ((rc = load(tx, w, e)))
		return rc;
	if (strcmp(w->r.state, "signed"))
		return err_set(e, ERR_TRANSITION, "state",
			       !strcmp(w->r.state, "draft")
				       ? "condition report %s is a draft: it is signed first"
				       : "condition report %s is acknowledged already",
			       w->r.key);
	if (!strcmp(w->r.signed_by, w->a->username))
		return err_set(e, ERR_TRANSITION, "acknowledged_by",
			       "%s signed condition report %s: someone of the next shift "
			       "acknowledges it",
			       w->a->username, w->r.key);
	snprintf(w->r.state, sizeof(w->r.state), "acknowledged");
	snprintf(w->r.acked_by, sizeof(w->r.acked_by), "%s", w->a->username);
	w->r.acked_at = clock_now();
	return save(tx, w, "condition.ack", e);
}

int cond_ack(struct store *st, const struct actor *a, const char *key, const json_t *in,
	     json_t **out, struct err *e)
{
	static const char *const keys[] = { "version", NULL };
	struct cond_write w = { .a = a, .in = in, .key = key };
	int rc;

	if ((rc = may_ack(a, e)) || (rc = version_body(in, keys, 0, e)))
		return rc;
	return end_write(st, do_ack, &w, out, e);
}
