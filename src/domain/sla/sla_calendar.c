/*
 * sla_calendar.c — business calendar records: create, list, read, and the
 * calendar arithmetic as a user-facing tool (due, elapsed).
 *
 * Stored calendars are immutable; the parsed form of each is cached for the
 * life of the process, keyed by name and checked against the stored text,
 * so a ticket write or a report costs one indexed read, not a parse.
 */
#include "domain/platform/audit.h"
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

static json_t *record_json(const struct calendar *c, const struct calendar_rec *r)
{
	json_t *j = calendar_to_json(c);

	if (!j)
		return NULL;
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
	return j;
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
	int rc = st->ops->sla->calendar_list(st, &v, &n, e);
	json_t *items;

	if (rc)
		return rc;
	items = json_array();
	json_array_append_new(items, record_json(calendar_24x7(), NULL));
	for (size_t i = 0; !rc && i < n; i++) {
		const struct calendar *c;

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
