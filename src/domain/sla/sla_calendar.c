/*
 * sla_calendar.c — business calendar records: create, list, read, change
 * (hours, zone, holidays, status) and the calendar arithmetic as a
 * user-facing tool (due, elapsed).
 *
 * A stored body is calendar_to_json()'s canonical text, plus
 * "holiday_names" ({date: name}, only for dates among its holidays, absent
 * when none is named). Every change re-reads the record inside the write,
 * checks its version, validates the changed body as a create would, and
 * writes it with the next version. The parsed form of each body is cached
 * for the life of the process, keyed by name and the stored text, so a
 * changed calendar is parsed once more and a ticket write or a report
 * costs one indexed read, not a parse (the forms of bodies replaced stay
 * cached: a few per change, never freed).
 */
#include "domain/platform/audit.h"
#include "domain/platform/lifecycle.h"
#include "domain/sla/calendar.h"
#include "domain/sla/sla.h"
#include "domain/sla/sla_int.h"
#include "lib/jsonx.h"
#include "lib/timeutil.h"
#include "store/store_sla.h"
#include "lib/plural.h"

#include <pthread.h>
#include <stdlib.h>

#define BUILTIN "24x7"

int sla_parse_time(const char *s, const char *field, int64_t *out, struct err *e)
{
	char buf[64];

	if (!s)
		return err_set(e, ERR_INVALID, field, "'%s' is required", field);
	snprintf(buf, sizeof(buf), "%s", s);
	for (char *p = buf; *p; p++)
		if (*p == ' ')
			*p = '+';
	if (strlen(s) >= sizeof(buf) || time_parse_rfc3339(buf, out))
		return err_set(e, ERR_INVALID, field, "'%s' must be an RFC 3339 time, not '%s'",
			       field, s);
	return 0;
}

/* ---- the cache ---- */

struct cached {
	char name[64];
	char *body;
	struct calendar *cal;
	struct cached *next;
};

static pthread_mutex_t cache_mu = PTHREAD_MUTEX_INITIALIZER;
static struct cached *cache;

static const struct calendar *cache_get(const char *name, const char *body)
{
	const struct calendar *c = NULL;

	pthread_mutex_lock(&cache_mu);
	for (struct cached *p = cache; p; p = p->next)
		if (!strcmp(p->name, name) && !strcmp(p->body, body)) {
			c = p->cal;
			break;
		}
	pthread_mutex_unlock(&cache_mu);
	return c;
}

static const struct calendar *cache_put(const char *name, const char *body, struct calendar *cal)
{
	struct cached *p = calloc(1, sizeof(*p));

	if (!p || !(p->body = strdup(body))) {
		free(p);
		calendar_free(cal);
		return NULL;
	}
	snprintf(p->name, sizeof(p->name), "%s", name);
	p->cal = cal;
	pthread_mutex_lock(&cache_mu);
	p->next = cache;
	cache = p;
	pthread_mutex_unlock(&cache_mu);
	return cal;
}

int sla_calendar_load(struct store *st, struct store_tx *tx, const char *name,
		      const char *field, const struct calendar **out, struct err *e)
{
	struct calendar_rec r;
	struct calendar *cal;
	int rc;

	if (!strcmp(name, BUILTIN)) {
		*out = calendar_24x7();
		return 0;
	}
	if ((rc = st->ops->sla->calendar_get(st, tx, name, &r, e)))
		return err_absent(e, rc, ERR_INVALID, field, "unknown calendar '%s'", name);
	if ((*out = cache_get(name, r.body))) {
		free(r.body);
		return 0;
	}
	rc = calendar_parse(r.body, strlen(r.body), &cal, e);
	if (!rc && !(*out = cache_put(name, r.body, cal)))
		rc = err_set(e, ERR_INTERNAL, NULL, "out of memory");
	free(r.body);
	return rc;
}

/* ---- records ---- */

/* The names of a stored body's holidays (a new reference; an empty object
 * when it names none). */
static json_t *holiday_names(const char *body)
{
	json_t *j = body ? json_loads(body, 0, NULL) : NULL;
	json_t *n = json_object_get(j, "holiday_names");

	n = json_is_object(n) ? json_incref(n) : json_object();
	json_decref(j);
	return n;
}

static json_t *record_json(const struct calendar *c, const struct calendar_rec *r)
{
	json_t *j = calendar_to_json(c);

	if (!j)
		return NULL;
	json_object_set_new(j, "holiday_names", holiday_names(r ? r->body : NULL));
	json_object_set_new(j, "status",
			    json_string(r && lifecycle_retired(r->status) ? LIFECYCLE_RETIRED :
									    LIFECYCLE_ACTIVE));
	json_object_set_new(j, "id", json_integer(r ? r->id : 0));
	json_object_set_new(j, "builtin", json_boolean(!r));
	jx_set_time(j, "created_at", r ? r->created_at : 0);
	jx_set_time(j, "updated_at", r ? r->updated_at : 0);
	json_object_set_new(j, "version", json_integer(r ? r->version : 1));
	return j;
}

json_t *sla_calendar_state_json(const struct calendar_rec *r)
{
	json_t *j = json_loads(r->body, 0, NULL);

	if (!json_is_object(j)) {
		json_decref(j);
		j = json_pack("{s:s}", "unparsed_body", r->body ? r->body : "");
	}
	json_object_set_new(j, "name", json_string(r->name));
	json_object_set_new(j, "id", json_integer(r->id));
	jx_set_time(j, "created_at", r->created_at);
	jx_set_time(j, "updated_at", r->updated_at);
	json_object_set_new(j, "version", json_integer(r->version));
	return lifecycle_state(j, r->status);
}

struct cal_ctx {
	const struct actor *a;
	struct calendar *cal;
	struct calendar_rec r;
	json_t *after;
};

static int do_add(struct store_tx *tx, void *arg, struct err *e)
{
	struct cal_ctx *w = arg;
	char entity[96];
	json_t *change;
	int rc;

	w->r.created_at = clock_now();
	if ((rc = tx->st->ops->sla->calendar_insert(tx, &w->r, e)))
		return rc;
	w->after = record_json(w->cal, &w->r);
	snprintf(entity, sizeof(entity), "calendar:%s", w->r.name);
	change = json_pack("{s:o}", "after", sla_calendar_state_json(&w->r));
	rc = audit_append(tx, w->a, "calendar.add", entity, change, e);
	json_decref(change);
	return rc;
}

int sla_calendar_add(struct store *st, const struct actor *a, const json_t *in, json_t **out,
		     struct err *e)
{
	static const char *const fields[] = { "name", "timezone", "hours", "holidays", NULL };
	struct cal_ctx w = { .a = a };
	json_t *canon;
	int rc;

	if (!actor_is_manager(a))
		return err_set(e, ERR_FORBIDDEN, NULL, "only managers and admins add calendars");
	if (!json_is_object(in))
		return err_set(e, ERR_INVALID, NULL, "the body must be a JSON object");
	if ((rc = jx_only(in, fields, e)))
		return rc;
	if ((rc = calendar_from_json(in, &w.cal, e)))
		return rc;
	if (!strcmp(calendar_name(w.cal), BUILTIN)) {
		calendar_free(w.cal);
		return err_set(e, ERR_CONFLICT, "name", "calendar '%s' is built in", BUILTIN);
	}
	canon = calendar_to_json(w.cal);
	w.r.body = canon ? json_dumps(canon, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	json_decref(canon);
	if (!w.r.body) {
		calendar_free(w.cal);
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	}
	snprintf(w.r.name, sizeof(w.r.name), "%s", calendar_name(w.cal));
	rc = store_write(st, do_add, &w, e);
	if (!rc)
		*out = w.after;
	else
		json_decref(w.after);
	free(w.r.body);
	calendar_free(w.cal);
	return rc;
}

int sla_calendar_list_json(struct store *st, const struct actor *a, const json_t *query,
			   json_t **out, struct err *e)
{
	struct calendar_rec *v;
	size_t n;
	int show, rc;
	json_t *items;

	if ((rc = lifecycle_list_filter(query, &show, e)) ||
	    (rc = st->ops->sla->calendar_list(st, &v, &n, e)))
		return rc;
	items = json_array();
	if (show & LIFECYCLE_SHOW_ACTIVE)
		json_array_append_new(items, record_json(calendar_24x7(), NULL));
	for (size_t i = 0; !rc && i < n; i++) {
		const struct calendar *c;

		if (!lifecycle_listed(show, v[i].status))
			continue;
		if (!(rc = sla_calendar_load(st, NULL, v[i].name, NULL, &c, e)))
			json_array_append_new(items, record_json(c, &v[i]));
	}
	sla_free_calendars(v, n);
	if (rc) {
		json_decref(items);
		return rc;
	}
	return jx_page(items, query, "name", 0, out, e);
}

int sla_calendar_get_json(struct store *st, const char *name, json_t **out, struct err *e)
{
	struct calendar_rec r;
	const struct calendar *c;
	int rc;

	if (!strcmp(name, BUILTIN)) {
		*out = record_json(calendar_24x7(), NULL);
		return 0;
	}
	if ((rc = st->ops->sla->calendar_get(st, NULL, name, &r, e)))
		return err_absent(e, rc, ERR_NOT_FOUND, NULL, "calendar '%s' not found", name);
	if (sla_calendar_load(st, NULL, name, NULL, &c, e)) {
		free(r.body);
		return e->code;
	}
	*out = record_json(c, &r);
	free(r.body);
	return 0;
}

/* ---- changes ---- */

/* One change of a stored calendar: edit turns the stored body (an object
 * the change owns) into the new one, or refuses. */
struct cal_change {
	const struct actor *a;
	const char *name;
	const json_t *in;  /* the request; its "version" is checked when given */
	const char *action; /* lifecycle_action's, or holiday_add/_remove */
	int (*edit)(struct cal_change *w, json_t *body, struct err *e);
	const char *date;  /* holidays: the date added or removed */
	const char *label; /* holidays: its name, or NULL */
	struct calendar_rec r;
	json_t *after;
};

/* The canonical body of j (a calendar object with "holiday_names"): the
 * names kept only for dates it holds. *out is the caller's to free. */
static int canonical_body(const json_t *j, char **out, struct err *e)
{
	struct calendar *cal;
	json_t *canon, *names, *kept;
	const char *date;
	json_t *v;
	int rc;

	if ((rc = calendar_from_json(j, &cal, e)))
		return rc;
	canon = calendar_to_json(cal);
	calendar_free(cal);
	if (!canon)
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	names = json_object_get(j, "holiday_names");
	kept = json_object();
	json_object_foreach(names, date, v)
	{
		size_t i;
		json_t *h;

		json_array_foreach(json_object_get(canon, "holidays"), i, h)
			if (!strcmp(json_string_value(h), date) && json_is_string(v))
				json_object_set(kept, date, v);
	}
	if (json_object_size(kept))
		json_object_set(canon, "holiday_names", kept);
	json_decref(kept);
	*out = json_dumps(canon, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(canon);
	return *out ? 0 : err_set(e, ERR_INTERNAL, NULL, "out of memory");
}

static int do_change(struct store_tx *tx, void *arg, struct err *e)
{
	struct cal_change *w = arg;
	struct calendar_rec *r = &w->r;
	const struct calendar *c;
	char what[96];
	json_t *body;
	char *text = NULL;
	int rc;

	if ((rc = tx->st->ops->sla->calendar_get(tx->st, tx, w->name, r, e)))
		return err_absent(e, rc, ERR_NOT_FOUND, NULL, "calendar '%s' not found", w->name);
	snprintf(what, sizeof(what), "calendar '%s'", r->name);
	if ((json_object_get(w->in, "version") || !w->date) &&
	    (rc = lifecycle_version_check(w->in, r->version, what, e)))
		return rc;
	if (!(body = json_loads(r->body, 0, NULL)))
		return err_set(e, ERR_INTERNAL, NULL, "stored calendar '%s' is not JSON", r->name);
	rc = w->edit(w, body, e);
	if (!rc)
		rc = canonical_body(body, &text, e);
	json_decref(body);
	if (rc)
		return rc;
	free(r->body);
	r->body = text;
	r->updated_at = clock_now();
	r->version++;
	if ((rc = tx->st->ops->sla->calendar_update(tx, r, e)) ||
	    (rc = sla_calendar_load(tx->st, tx, r->name, NULL, &c, e)))
		return rc;
	w->after = record_json(c, r);
	return lifecycle_audit(tx, w->a, "calendar", w->action, r->name, w->in,
			       sla_calendar_state_json(r), e);
}

static int run_change(struct store *st, struct cal_change *w, json_t **out, struct err *e)
{
	int rc;

	if (!actor_is_manager(w->a))
		return err_set(e, ERR_FORBIDDEN, NULL, "only managers and admins change calendars");
	if (!strcmp(w->name, BUILTIN))
		return err_set(e, ERR_INVALID, "name", "calendar '%s' is built in and never changes",
			       BUILTIN);
	rc = store_write(st, do_change, w, e);
	free(w->r.body);
	if (!rc)
		*out = w->after;
	else
		json_decref(w->after);
	return rc;
}

/* The fields of a change over the stored body: each given one replaces
 * the stored one; a date dropped from "holidays" loses its name. */
static int edit_fields(struct cal_change *w, json_t *body, struct err *e)
{
	static const char *const replaced[] = { "timezone", "hours", "holidays", NULL };
	int was_retired = lifecycle_retired(w->r.status), rc;

	if ((rc = lifecycle_status_parse(w->in, w->r.status, e)))
		return rc;
	for (const char *const *k = replaced; *k; k++)
		if (json_object_get(w->in, *k))
			json_object_set(body, *k, json_object_get(w->in, *k));
	w->action = lifecycle_action(was_retired, w->r.status);
	return 0;
}

int sla_calendar_update(struct store *st, const struct actor *a, const char *name,
			const json_t *in, json_t **out, struct err *e)
{
	static const char *const fields[] = { "version",  "name",     "timezone",
					      "hours",	  "holidays", "status",
					      NULL };
	struct cal_change w = { .a = a, .name = name, .in = in, .edit = edit_fields };
	const char *n = NULL;
	char status[16];
	int rc;

	if (!json_is_object(in))
		return err_set(e, ERR_INVALID, NULL, "the body must be a JSON object");
	if ((rc = jx_only(in, fields, e)) ||
	    (rc = jx_int(in, "version", JX_REQUIRED, 1, INT64_MAX, &(int64_t){ 0 }, e)) ||
	    (rc = jx_str(in, "name", JX_OPTIONAL, 63, &n, e)) < 0 ||
	    (rc = lifecycle_status_parse(in, status, e)))
		return rc;
	if (n && strcmp(n, name))
		return err_set(e, ERR_INVALID, "name", "a calendar's name never changes ('%s')",
			       name);
	return run_change(st, &w, out, e);
}

/* The index of date in body's holidays, or -1. */
static long holiday_at(const json_t *body, const char *date)
{
	size_t i;
	json_t *h;

	json_array_foreach(json_object_get(body, "holidays"), i, h)
		if (json_is_string(h) && !strcmp(json_string_value(h), date))
			return (long)i;
	return -1;
}

static int edit_holiday_add(struct cal_change *w, json_t *body, struct err *e)
{
	json_t *hol = json_object_get(body, "holidays"), *names;

	if (holiday_at(body, w->date) >= 0)
		return err_set(e, ERR_CONFLICT, "date", "calendar '%s' already has holiday %s",
			       w->r.name, w->date);
	if (!json_is_array(hol)) {
		hol = json_array();
		json_object_set_new(body, "holidays", hol);
	}
	json_array_append_new(hol, json_string(w->date));
	if (w->label && *w->label) {
		names = json_object_get(body, "holiday_names");
		if (!json_is_object(names)) {
			names = json_object();
			json_object_set_new(body, "holiday_names", names);
		}
		json_object_set_new(names, w->date, json_string(w->label));
	}
	return 0;
}

static int edit_holiday_remove(struct cal_change *w, json_t *body, struct err *e)
{
	long i = holiday_at(body, w->date);

	if (i < 0)
		return err_set(e, ERR_NOT_FOUND, NULL, "calendar '%s' has no holiday %s", w->r.name,
			       w->date);
	json_array_remove(json_object_get(body, "holidays"), (size_t)i);
	json_object_del(json_object_get(body, "holiday_names"), w->date);
	return 0;
}

/* A date as holidays hold it: YYYY-MM-DD, a real day. */
static int check_date(const char *date, const char *field, struct err *e)
{
	int64_t day;

	if (strlen(date) != 10 || time_parse_date(date, &day))
		return err_set(e, ERR_INVALID, field, "bad date '%.32s', expected YYYY-MM-DD", date);
	return 0;
}

int sla_calendar_holiday_add(struct store *st, const struct actor *a, const char *name,
			     const json_t *in, json_t **out, struct err *e)
{
	static const char *const fields[] = { "date", "name", "version", NULL };
	struct cal_change w = { .a = a, .name = name, .in = in, .edit = edit_holiday_add,
				.action = "holiday_add" };
	int rc;

	if (!json_is_object(in))
		return err_set(e, ERR_INVALID, NULL, "the body must be a JSON object");
	if ((rc = jx_only(in, fields, e)) ||
	    (rc = jx_str(in, "date", JX_REQUIRED, 10, &w.date, e)) ||
	    (rc = jx_str(in, "name", JX_OPTIONAL, 100, &w.label, e)) < 0 ||
	    (rc = check_date(w.date, "date", e)))
		return rc;
	/* A name is one line of text: it is printed in tables and on pages. */
	for (const char *p = w.label; p && *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return err_set(e, ERR_INVALID, "name",
				       "a holiday's name holds no control character");
	return run_change(st, &w, out, e);
}

int sla_calendar_holiday_remove(struct store *st, const struct actor *a, const char *name,
				const char *date, json_t **out, struct err *e)
{
	json_t *in = json_pack("{s:s}", "date", date);
	struct cal_change w = { .a = a, .name = name, .in = in, .edit = edit_holiday_remove,
				.action = "holiday_remove", .date = date };
	int rc = check_date(date, "date", e);

	if (!rc)
		rc = run_change(st, &w, out, e);
	json_decref(in);
	return rc;
}

int sla_calendar_holidays_json(struct store *st, const char *name, const json_t *query,
			       json_t **out, struct err *e)
{
	const char *year = jx_qstr(query, "year");
	json_t *cal, *names, *items, *h;
	size_t i;
	int rc;

	if (year && (strlen(year) != 4 || strspn(year, "0123456789") != 4))
		return err_set(e, ERR_INVALID, "year", "'year' must be YYYY, not '%.16s'", year);
	if ((rc = sla_calendar_get_json(st, name, &cal, e)))
		return rc;
	names = json_object_get(cal, "holiday_names");
	items = json_array();
	json_array_foreach(json_object_get(cal, "holidays"), i, h)
	{
		const char *d = json_string_value(h);

		if (!d || (year && strncmp(d, year, 4)))
			continue;
		json_array_append_new(items, json_pack("{s:s, s:O}", "date", d, "name",
						       json_object_get(names, d) ?
							       json_object_get(names, d) :
							       json_null()));
	}
	json_decref(cal);
	*out = json_pack("{s:o, s:n}", "items", items, "next_cursor");
	return 0;
}

int sla_calendar_check_choosable(struct store *st, struct store_tx *tx, const char *name,
				 struct err *e)
{
	struct calendar_rec r;
	int rc;

	if (!strcmp(name, BUILTIN))
		return 0;
	if ((rc = st->ops->sla->calendar_get(st, tx, name, &r, e)))
		return err_absent(e, rc, ERR_INVALID, "calendar", "unknown calendar '%s'", name);
	rc = lifecycle_retired(r.status) ?
		     err_set(e, ERR_INVALID, "calendar", "calendar '%s' is retired", name) :
		     0;
	free(r.body);
	return rc;
}

/* ---- arithmetic ---- */

static int load_named(struct store *st, const char *name, const struct calendar **c,
		      struct err *e)
{
	int rc = sla_calendar_load(st, NULL, name, NULL, c, e);

	/* An unknown name is the one failure sla_calendar_load calls invalid
	 * (a stored calendar parses: it was checked when written); here it is
	 * the resource asked for. Any other failure is the store's. */
	return rc == ERR_INVALID ? err_set(e, ERR_NOT_FOUND, NULL, "calendar '%s' not found", name)
				 : rc;
}

int sla_calendar_due_json(struct store *st, const char *name, const char *from,
			  const char *minutes, json_t **out, struct err *e)
{
	const struct calendar *c;
	int64_t t, due;
	long long m;
	char *end;
	int rc;

	if ((rc = load_named(st, name, &c, e)) || (rc = sla_parse_time(from, "from", &t, e)))
		return rc;
	if (!minutes || !*minutes)
		return err_set(e, ERR_INVALID, "minutes", "'minutes' is required");
	m = strtoll(minutes, &end, 10);
	if (*end || m < 0 || m > 100LL * 366 * 24 * 60)
		return err_set(e, ERR_INVALID, "minutes",
			       "'minutes' must be a whole number from 0 to 52704000, not '%s'",
			       minutes);
	due = calendar_due(c, t, (int64_t)m * 60);
	if (due == INT64_MAX)
		return err_set(e, ERR_INVALID, "minutes",
			       "calendar '%s' never reaches %lld business %s", name, m,
			       plural(m, "minute", "minutes"));
	*out = json_object();
	jx_set_time(*out, "due", due);
	return 0;
}

int sla_calendar_elapsed_json(struct store *st, const char *name, const char *from,
			      const char *to, json_t **out, struct err *e)
{
	const struct calendar *c;
	int64_t t0, t1;
	int rc;

	if ((rc = load_named(st, name, &c, e)) || (rc = sla_parse_time(from, "from", &t0, e)) ||
	    (rc = sla_parse_time(to, "to", &t1, e)))
		return rc;
	if (t1 < t0)
		return err_set(e, ERR_INVALID, "to", "'to' is before 'from'");
	*out = json_pack("{s:I}", "business_seconds", (json_int_t)calendar_elapsed(c, t0, t1));
	return 0;
}
