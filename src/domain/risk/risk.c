/*
 * risk.c — stored risks: who may act, create, read, list, update, measures,
 * reviews, the heat map, and the one write every change runs (run).
 *
 * Each write validates what it can outside the store, then runs one
 * function on the writer that re-reads the risk, checks the version and the
 * lifecycle against that fresh copy, checks the references (owner, items,
 * services), writes it and appends the audit record "risk:KEY" whose
 * "after" is the risk with its measures — so a refused request leaves
 * nothing. Time-dependent flags ("overdue") are added to answers only,
 * never to what the audit holds.
 */
#include "domain/platform/audit.h"
#include "domain/risk/risk.h"
#include "lib/buf.h"
#include "lib/ident.h"
#include "lib/jsonx.h"
#include "lib/timeutil.h"
#include "model/cmdb.h"
#include "store/store_cmdb.h"
#include "store/store_risk.h"
#include "store/store_sla.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define LIST_MAX 100
#define DAY 86400
#define REVIEW_DAYS_MAX 3650

/* ---- who may act ----------------------------------------------------- */

static int staff_check(const struct actor *a, struct err *e)
{
	return actor_require_staff(a, 0, "the risk register is for staff", NULL, e);
}

static int manager_check(const struct actor *a, struct err *e)
{
	return actor_require_staff(a, 1, "the risk register is for staff", "only managers change the risk register", e);
}

/* ---- JSON ------------------------------------------------------------ */

static json_t *measure_json(const struct risk_measure *m, int64_t now)
{
	json_t *j = json_object();
	enum measure_status s;

	json_object_set_new(j, "id", json_integer(m->id));
	json_object_set_new(j, "description", json_string(m->description));
	json_object_set_new(j, "owner", json_string(m->owner));
	jx_set_time(j, "due", m->due);
	json_object_set_new(j, "status", json_string(m->status));
	if (now)
		json_object_set_new(j, "overdue",
				    json_boolean(!risk_measure_status_parse(m->status, &s) &&
						 risk_measure_is_open(s) && m->due && m->due <= now));
	return j;
}

/* The risk as answered (now > 0: with its level and overdue flags) or as
 * audited (now 0). */
static json_t *risk_json(const struct risk_rec *r, const struct risk_measure *ms, size_t n,
			 int64_t now)
{
	json_t *j = json_object(), *body = json_loads(r->body ? r->body : "{}", 0, NULL);
	json_t *measures = json_array();
	int score = risk_score(r->likelihood, r->impact);

	json_object_set_new(j, "id", json_integer(r->id));
	json_object_set_new(j, "key", json_string(r->key));
	json_object_set_new(j, "title", json_string(r->title));
	json_object_set_new(j, "status", json_string(r->status));
	json_object_set_new(j, "owner", json_string(r->owner));
	json_object_set_new(j, "likelihood", json_integer(r->likelihood));
	json_object_set_new(j, "impact", json_integer(r->impact));
	json_object_set_new(j, "score", json_integer(score));
	/* The level is the configuration's reading of the score: answered,
	 * not audited, so a new table is not taken for a tampered row. */
	if (now)
		json_object_set_new(j, "level", json_string(risk_level(score)));
	json_object_set_new(j, "review_every_days", json_integer(r->review_every_days));
	jx_set_time(j, "next_review", r->next_review);
	if (now)
		json_object_set_new(j, "review_overdue",
				    json_boolean(strcmp(r->status, "closed") && r->next_review &&
						 r->next_review <= now));
	if (json_is_object(body))
		json_object_update(j, body);
	json_decref(body);
	for (size_t i = 0; i < n; i++)
		json_array_append_new(measures, measure_json(&ms[i], now));
	json_object_set_new(j, "measures", measures);
	json_object_set_new(j, "created_by", json_string(r->created_by));
	jx_set_time(j, "created_at", r->created_at);
	jx_set_time(j, "updated_at", r->updated_at);
	json_object_set_new(j, "version", json_integer(r->version));
	return j;
}

static int body_store(struct risk_rec *r, const json_t *body, struct err *e)
{
	if (jx_canonical_dup(body, &r->body))
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	return 0;
}

/* ---- reading --------------------------------------------------------- */


static int load(struct store *st, struct store_tx *tx, const char *key, struct risk_rec *r,
		struct err *e)
{
	int rc;

	memset(r, 0, sizeof(*r));
	if (!ident_numbered(key, "RISK"))
		return err_set(e, ERR_NOT_FOUND, NULL, "risk '%.32s' not found", key ? key : "");
	rc = st->ops->risk->risk_get(st, tx, key, 0, r, e);
	return err_absent(e, rc, ERR_NOT_FOUND, NULL, "risk '%s' not found", key);
}

/* The risk with its measures as JSON (now as in risk_json). */
static int full_json(struct store *st, struct store_tx *tx, const struct risk_rec *r,
		     int64_t now, json_t **out, struct err *e)
{
	struct risk_measure *ms = NULL;
	size_t n = 0;
	int rc = st->ops->risk->measure_list(st, tx, r->id, &ms, &n, e);

	if (rc)
		return rc;
	*out = risk_json(r, ms, n, now);
	free(ms);
	return 0;
}

int risk_get_json(struct store *st, const struct actor *a, const char *key, json_t **out,
		  struct err *e)
{
	struct risk_rec r;
	int rc;

	if ((rc = staff_check(a, e)) || (rc = load(st, NULL, key, &r, e)))
		return rc;
	rc = full_json(st, NULL, &r, clock_now(), out, e);
	risk_rec_release(&r);
	return rc;
}

int risk_list_json(struct store *st, const struct actor *a, const json_t *q, json_t **out,
		   struct err *e)
{
	const char *status = jx_qstr(q, "status"), *owner = jx_qstr(q, "owner");
	int64_t limit = 50, cursor = 0, now = clock_now();
	enum risk_status s;
	struct risk_rec *v = NULL;
	size_t n = 0;
	int more = 0, rc;
	json_t *items;

	if ((rc = staff_check(a, e)))
		return rc;
	if (status && risk_status_parse(status, &s))
		return err_set(e, ERR_INVALID, "status", "unknown status '%.32s'", status);
	if ((rc = jx_qint(q, "limit", 1, 500, &limit, e)) < 0 ||
	    (rc = jx_qint(q, "cursor", 1, INT64_MAX, &cursor, e)) < 0)
		return rc;
	if ((rc = st->ops->risk->risk_list(st, status, owner, cursor, (int)limit, &v, &n, &more,
					    e)))
		return rc;
	items = json_array();
	for (size_t i = 0; i < n && !rc; i++) {
		json_t *j = NULL;

		if (!(rc = full_json(st, NULL, &v[i], now, &j, e)))
			json_array_append_new(items, j);
	}
	if (!rc)
		*out = json_pack("{s:o, s:o}", "items", items, "next_cursor",
				 more && n ? json_sprintf("%lld", (long long)v[n - 1].id)
					   : json_null());
	else
		json_decref(items);
	risk_free_recs(v, n);
	return rc;
}

int risk_heatmap_json(struct store *st, const struct actor *a, json_t **out, struct err *e)
{
	int64_t counts[RISK_SCALE][RISK_SCALE] = { { 0 } }, total = 0;
	struct risk_rec *v = NULL;
	size_t n = 0;
	json_t *grid, *levels;
	int rc;

	if ((rc = staff_check(a, e)) ||
	    (rc = st->ops->risk->risk_list(st, NULL, NULL, 0, 0, &v, &n, NULL, e)))
		return rc;
	for (size_t i = 0; i < n; i++) {
		if (!strcmp(v[i].status, "closed") || !risk_score(v[i].likelihood, v[i].impact))
			continue;
		counts[v[i].likelihood - 1][v[i].impact - 1]++;
		total++;
	}
	risk_free_recs(v, n);
	grid = json_array();
	levels = json_array();
	for (int l = 0; l < RISK_SCALE; l++) {
		json_t *row = json_array(), *lrow = json_array();

		for (int i = 0; i < RISK_SCALE; i++) {
			json_array_append_new(row, json_integer(counts[l][i]));
			json_array_append_new(lrow, json_string(risk_level(risk_score(l + 1, i + 1))));
		}
		json_array_append_new(grid, row);
		json_array_append_new(levels, lrow);
	}
	*out = json_pack("{s:s, s:s, s:o, s:o, s:o, s:I}", "rows", "likelihood", "columns",
			 "impact", "counts", grid, "levels", levels, "bands", risk_levels_json(),
			 "total", (json_int_t)total);
	return 0;
}

/* ---- fields ---------------------------------------------------------- */

/* A list of keys: strings of 1-63 characters, no duplicates. */
static int read_keys(const json_t *in, const char *name, json_t *body, struct err *e)
{
	json_t *v = json_object_get(in, name), *out, *x, *y;
	size_t i, k;
	char field[48];

	if (!v)
		return 0;
	if (!json_is_array(v))
		return err_set(e, ERR_INVALID, name, "'%s' must be an array of keys", name);
	if (json_array_size(v) > LIST_MAX)
		return err_set(e, ERR_INVALID, name, "too many %s (at most %d)", name, LIST_MAX);
	out = json_array();
	json_array_foreach(v, i, x) {
		const char *s = json_string_value(x);

		snprintf(field, sizeof(field), "%s[%zu]", name, i);
		if (!s || !*s || strlen(s) > 63) {
			json_decref(out);
			return err_set(e, ERR_INVALID, field, "'%s' must be a key of 1-63 characters",
				       field);
		}
		json_array_foreach(out, k, y)
			if (!strcmp(json_string_value(y), s)) {
				json_decref(out);
				return err_set(e, ERR_INVALID, field, "'%.63s' is named twice in '%s'",
					       s, name);
			}
		json_array_append_new(out, json_string(s));
	}
	json_object_set_new(body, name, out);
	return 0;
}

static void set_next_review(struct risk_rec *r, const json_t *body)
{
	json_t *last = json_object_get(json_object_get(body, "last_review"), "at");
	int64_t from = r->created_at;

	if (json_is_string(last))
		time_parse_rfc3339(json_string_value(last), &from);
	r->next_review = r->review_every_days ? from + r->review_every_days * DAY : 0;
}

/* Apply the request's fields to r and its body: validation without the store. */
static int apply_fields(const json_t *in, struct risk_rec *r, json_t *body, struct err *e)
{
	const char *s;
	int64_t v;
	int rc;

	if ((rc = jx_text(in, "title", JX_OPTIONAL, RISK_TITLE_MAX, &s, e)) < 0)
		return rc;
	if (rc == 0)
		snprintf(r->title, sizeof(r->title), "%s", s);
	if ((rc = jx_str(in, "description", JX_OPTIONAL, RISK_TEXT_MAX, &s, e)) < 0)
		return rc;
	if (rc == 0)
		json_object_set_new(body, "description", json_string(s));
	if ((rc = jx_str(in, "owner", JX_OPTIONAL, 63, &s, e)) < 0)
		return rc;
	if (rc == 0)
		snprintf(r->owner, sizeof(r->owner), "%s", s);
	if ((rc = jx_int(in, "likelihood", JX_OPTIONAL, 1, RISK_SCALE, &v, e)) < 0)
		return rc;
	if (rc == 0)
		r->likelihood = (int)v;
	if ((rc = jx_int(in, "impact", JX_OPTIONAL, 1, RISK_SCALE, &v, e)) < 0)
		return rc;
	if (rc == 0)
		r->impact = (int)v;
	if ((rc = jx_int(in, "review_every_days", JX_OPTIONAL, 0, REVIEW_DAYS_MAX, &v, e)) < 0)
		return rc;
	if (rc == 0)
		r->review_every_days = v;
	if ((rc = read_keys(in, "services", body, e)))
		return rc;
	return read_keys(in, "items", body, e);
}

static int staff_user(struct store_tx *tx, const char *name, const char *field, struct err *e)
{
	struct user u;
	int rc;

	if (!*name)
		return err_set(e, ERR_INVALID, field, "'%s' is required", field);
	if ((rc = tx->st->ops->user_get(tx->st, tx, 0, name, &u, e)))
		return err_absent(e, rc, ERR_INVALID, field, "unknown user '%s'", name);
	if (u.role == ROLE_REQUESTER || !u.active)
		return err_set(e, ERR_INVALID, field, "%s '%s' is not an active staff user", field,
			       name);
	return 0;
}

/* The references, checked inside the write. */
static int check_refs(struct store_tx *tx, const struct risk_rec *r, const json_t *body,
		      struct err *e)
{
	struct store *st = tx->st;
	size_t i;
	json_t *v;
	char field[48];
	int rc;

	if ((rc = staff_user(tx, r->owner, "owner", e)))
		return rc;
	json_array_foreach(json_object_get(body, "items"), i, v) {
		struct ci c;

		snprintf(field, sizeof(field), "items[%zu]", i);
		if ((rc = st->ops->cmdb->ci_get(st, tx, 0, json_string_value(v), &c, e)))
			return err_absent(e, rc, ERR_INVALID, field, "unknown item '%.64s'",
					  json_string_value(v));
		ci_release(&c);
	}
	json_array_foreach(json_object_get(body, "services"), i, v) {
		struct service_rec svc;

		snprintf(field, sizeof(field), "services[%zu]", i);
		if ((rc = st->ops->sla->service_get(st, tx, json_string_value(v), &svc, e)))
			return err_absent(e, rc, ERR_INVALID, field, "unknown service '%.64s'",
					  json_string_value(v));
	}
	return 0;
}

static int audit_risk(struct store_tx *tx, const struct actor *a, const char *action,
		      const struct risk_rec *r, const json_t *in, json_t **after, struct err *e)
{
	char entity[64];
	json_t *audited = NULL;
	int rc;

	if ((rc = full_json(tx->st, tx, r, 0, &audited, e)))
		return rc;
	snprintf(entity, sizeof(entity), "risk:%s", r->key);
	rc = audit_set_after(tx, a, action, entity, in, audited, e);
	json_decref(audited);
	if (!rc)
		rc = full_json(tx->st, tx, r, clock_now(), after, e);
	return rc;
}

/* ---- create ---------------------------------------------------------- */

struct create_ctx {
	const struct actor *a;
	const json_t *in;
	struct risk_rec r;
	json_t *body;
	json_t *after;
};

static int do_create(struct store_tx *tx, void *arg, struct err *e)
{
	struct create_ctx *w = arg;
	struct risk_rec *r = &w->r;
	int64_t n;
	int rc;

	if ((rc = check_refs(tx, r, w->body, e)) || (rc = body_store(r, w->body, e)) ||
	    (rc = tx->st->ops->counter_next(tx, "RISK", &n, e)))
		return rc;
	snprintf(r->key, sizeof(r->key), "RISK-%lld", (long long)n);
	r->created_at = clock_now();
	set_next_review(r, w->body);
	if ((rc = tx->st->ops->risk->risk_insert(tx, r, e)))
		return rc;
	return audit_risk(tx, w->a, "risk.create", r, w->in, &w->after, e);
}

static const char *const create_keys[] = { "title",	 "description", "owner",
					   "likelihood", "impact",	"services",
					   "items",	 "review_every_days", NULL };

int risk_add(struct store *st, const struct actor *a, const json_t *in, json_t **out,
	     struct err *e)
{
	struct create_ctx w = { .a = a, .in = in };
	int rc;

	if ((rc = manager_check(a, e)))
		return rc;
	if (!json_is_object(in))
		return err_set(e, ERR_INVALID, NULL, "the body must be a JSON object");
	if ((rc = jx_only(in, create_keys, e)))
		return rc;
	for (const char *const *k = create_keys; k < create_keys + 5; k++)
		if (!json_object_get(in, *k) && strcmp(*k, "description"))
			return err_set(e, ERR_INVALID, *k, "'%s' is required", *k);
	snprintf(w.r.status, sizeof(w.r.status), "%s", risk_status_name(RS_OPEN));
	snprintf(w.r.created_by, sizeof(w.r.created_by), "%s", a->username);
	if (!(w.body = json_pack("{s:s, s:[], s:[], s:n}", "description", "", "services", "items",
				 "last_review")))
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	if (!(rc = apply_fields(in, &w.r, w.body, e)))
		rc = store_write(st, do_create, &w, e);
	if (!rc)
		*out = w.after;
	else
		json_decref(w.after);
	json_decref(w.body);
	risk_rec_release(&w.r);
	return rc;
}

/* ---- the write of a stored risk --------------------------------------- */

struct rw;
typedef int (*risk_op_fn)(struct store_tx *tx, struct rw *w, struct risk_rec *r, json_t *body,
			  struct err *e);

struct rw {
	const struct actor *a;
	const json_t *in;
	const char *key;
	const char *action;
	int64_t version;
	risk_op_fn op;
	json_t *after;
};

static int do_run(struct store_tx *tx, void *arg, struct err *e)
{
	struct rw *w = arg;
	struct risk_rec r;
	json_t *body = NULL;
	int rc;

	if ((rc = load(tx->st, tx, w->key, &r, e)))
		return rc;
	if (w->version != r.version) {
		rc = err_set(e, ERR_CONFLICT, "version",
			     "risk %s is at version %lld, not %lld: reload and retry", r.key,
			     (long long)r.version, (long long)w->version);
		goto out;
	}
	if (!(body = json_loads(r.body ? r.body : "{}", 0, NULL))) {
		rc = err_set(e, ERR_INTERNAL, NULL, "risk %s holds a malformed body", r.key);
		goto out;
	}
	if ((rc = w->op(tx, w, &r, body, e)) || (rc = body_store(&r, body, e)))
		goto out;
	r.updated_at = clock_now();
	r.version++;
	if (!(rc = tx->st->ops->risk->risk_update(tx, &r, e)))
		rc = audit_risk(tx, w->a, w->action, &r, w->in, &w->after, e);
out:
	json_decref(body);
	risk_rec_release(&r);
	return rc;
}

/* Check who acts and the body's version, then run op in one write. */
static int run(struct store *st, struct rw *w, const char *const *keys, json_t **out,
	       struct err *e)
{
	int rc;

	if ((rc = manager_check(w->a, e)))
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

static int op_update(struct store_tx *tx, struct rw *w, struct risk_rec *r, json_t *body,
		     struct err *e)
{
	enum risk_status from, to;
	const char *s;
	int rc;

	if (risk_status_parse(r->status, &from))
		return err_set(e, ERR_INTERNAL, NULL, "risk %s holds status '%s'", r->key,
			       r->status);
	if ((rc = jx_str(w->in, "status", JX_OPTIONAL, 16, &s, e)) < 0)
		return rc;
	if (rc == 0) {
		if (risk_status_parse(s, &to))
			return err_set(e, ERR_INVALID, "status",
				       "unknown status '%.16s' (open, mitigating, accepted, closed)",
				       s);
		if (to != from && !risk_can_move(from, to))
			return err_set(e, ERR_TRANSITION, "status", "risk %s cannot move from %s to %s",
				       r->key, r->status, s);
		snprintf(r->status, sizeof(r->status), "%s", risk_status_name(to));
	} else if (from == RS_CLOSED) {
		return err_set(e, ERR_TRANSITION, "status", "risk %s is closed", r->key);
	}
	if ((rc = apply_fields(w->in, r, body, e)) || (rc = check_refs(tx, r, body, e)))
		return rc;
	set_next_review(r, body);
	return 0;
}

int risk_update(struct store *st, const struct actor *a, const char *key, const json_t *in,
		json_t **out, struct err *e)
{
	static const char *const keys[] = { "version", "title",	   "description", "owner",
					    "likelihood", "impact", "services",	  "items",
					    "review_every_days", "status", NULL };
	struct rw w = { .a = a, .in = in, .key = key, .action = "risk.update", .op = op_update };

	return run(st, &w, keys, out, e);
}

/* ---- measures -------------------------------------------------------- */

static int op_measure(struct store_tx *tx, struct rw *w, struct risk_rec *r, json_t *body,
		      struct err *e)
{
	struct risk_measure m = { 0 }, *ms = NULL;
	enum measure_status from = MS_PLANNED, to;
	size_t n = 0;
	int64_t id = 0;
	const char *s;
	int rc;

	if (!strcmp(r->status, "closed"))
		return err_set(e, ERR_TRANSITION, "status", "risk %s is closed", r->key);
	if ((rc = jx_int(w->in, "id", JX_OPTIONAL, 1, INT64_MAX, &id, e)) < 0)
		return rc;
	if (id) {
		if ((rc = tx->st->ops->risk->measure_list(tx->st, tx, r->id, &ms, &n, e)))
			return rc;
		for (size_t i = 0; i < n; i++)
			if (ms[i].id == id)
				m = ms[i];
		free(ms);
		if (!m.id)
			return err_set(e, ERR_NOT_FOUND, NULL, "risk %s has no measure %lld", r->key,
				       (long long)id);
		if (risk_measure_status_parse(m.status, &from))
			return err_set(e, ERR_INTERNAL, NULL, "measure %lld holds status '%s'",
				       (long long)id, m.status);
	} else {
		m.risk_id = r->id;
		snprintf(m.status, sizeof(m.status), "%s", risk_measure_status_name(MS_PLANNED));
		if (!json_object_get(w->in, "description"))
			return err_set(e, ERR_INVALID, "description", "'description' is required");
		if (!json_object_get(w->in, "owner"))
			return err_set(e, ERR_INVALID, "owner", "'owner' is required");
	}
	if ((rc = jx_text(w->in, "description", JX_OPTIONAL, RISK_TEXT_MAX, &s, e)) < 0)
		return rc;
	if (rc == 0)
		snprintf(m.description, sizeof(m.description), "%s", s);
	if ((rc = jx_str(w->in, "owner", JX_OPTIONAL, 63, &s, e)) < 0)
		return rc;
	if (rc == 0)
		snprintf(m.owner, sizeof(m.owner), "%s", s);
	if (json_is_null(json_object_get(w->in, "due")))
		m.due = 0;
	else if ((rc = jx_time(w->in, "due", JX_OPTIONAL, &m.due, e)) < 0)
		return rc;
	if ((rc = jx_str(w->in, "status", JX_OPTIONAL, 16, &s, e)) < 0)
		return rc;
	if (rc == 0) {
		if (risk_measure_status_parse(s, &to))
			return err_set(e, ERR_INVALID, "status",
				       "unknown status '%.16s' (planned, in_progress, done, "
				       "cancelled)",
				       s);
		if (to != from && !risk_measure_can_move(from, to))
			return err_set(e, ERR_TRANSITION, "status",
				       "measure %lld cannot move from %s to %s", (long long)m.id,
				       m.status, s);
		snprintf(m.status, sizeof(m.status), "%s", risk_measure_status_name(to));
	} else if (id && !risk_measure_is_open(from)) {
		return err_set(e, ERR_TRANSITION, "status", "measure %lld is %s", (long long)id,
			       m.status);
	}
	if ((rc = staff_user(tx, m.owner, "owner", e)))
		return rc;
	m.updated_at = clock_now();
	if (id)
		return tx->st->ops->risk->measure_update(tx, &m, e);
	m.created_at = m.updated_at;
	return tx->st->ops->risk->measure_insert(tx, &m, e);
}

int risk_measure(struct store *st, const struct actor *a, const char *key, const json_t *in,
		 json_t **out, struct err *e)
{
	static const char *const keys[] = { "version", "id",	 "description", "owner",
					    "due",     "status", NULL };
	struct rw w = { .a = a, .in = in, .key = key, .op = op_measure };

	w.action = json_object_get(in, "id") ? "risk.measure.update" : "risk.measure.add";
	return run(st, &w, keys, out, e);
}

/* ---- review ---------------------------------------------------------- */

static int op_review(struct store_tx *tx, struct rw *w, struct risk_rec *r, json_t *body,
		     struct err *e)
{
	const char *notes = "";
	int64_t now = clock_now();
	int rc;

	if (!strcmp(r->status, "closed"))
		return err_set(e, ERR_TRANSITION, "status", "risk %s is closed", r->key);
	if ((rc = jx_str(w->in, "notes", JX_OPTIONAL, RISK_TEXT_MAX, &notes, e)) < 0 ||
	    (rc = apply_fields(w->in, r, body, e)))
		return rc;
	json_object_set_new(body, "last_review",
			    json_pack("{s:o, s:s, s:s, s:i, s:i}", "at", jx_time_value(now), "by",
				      w->a->username, "notes", notes ? notes : "", "likelihood",
				      r->likelihood, "impact", r->impact));
	set_next_review(r, body);
	return 0;
}

int risk_review(struct store *st, const struct actor *a, const char *key, const json_t *in,
		json_t **out, struct err *e)
{
	static const char *const keys[] = { "version", "notes", "likelihood", "impact", NULL };
	struct rw w = { .a = a, .in = in, .key = key, .action = "risk.review", .op = op_review };

	return run(st, &w, keys, out, e);
}

/* ---- what the audit holds ------------------------------------------------ */

int risk_state_scan(struct store *st, audit_state_fn fn, void *ctx, struct err *e)
{
	struct audit_scan to = { fn, ctx };
	struct risk_rec *v = NULL;
	size_t n = 0;
	int rc = st->ops->risk->risk_list(st, NULL, NULL, 0, 0, &v, &n, NULL, e);

	for (size_t i = 0; !rc && i < n; i++) {
		json_t *j = NULL;

		if (!(rc = full_json(st, NULL, &v[i], 0, &j, e)))
			rc = audit_state_hand(&to, j, "risk:%s", v[i].key);
	}
	risk_free_recs(v, n);
	return rc;
}
