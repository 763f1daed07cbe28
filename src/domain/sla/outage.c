/*
 * outage.c — outages of catalogue services (see outage.h). The API's create
 * and update run outage_open/outage_close in a write of their own; other
 * modules call those two inside theirs.
 */
#include "domain/sla/outage.h"
#include "domain/platform/audit.h"
#include "domain/sla/sla_int.h"
#include "lib/jsonx.h"
#include "lib/timeutil.h"
#include "store/store_sla.h"

#include <stdlib.h>

json_t *outage_to_json(const struct outage_rec *o)
{
	json_t *j = json_object();

	json_object_set_new(j, "id", json_integer(o->id));
	json_object_set_new(j, "service", json_string(o->service));
	jx_set_time(j, "start", o->start);
	jx_set_time(j, "end", o->end);
	json_object_set_new(j, "planned", json_boolean(o->planned));
	jx_set_str(j, "incident", o->incident[0] ? o->incident : NULL);
	jx_set_str(j, "ci", o->ci[0] ? o->ci : NULL);
	jx_set_time(j, "created_at", o->created_at);
	jx_set_time(j, "updated_at", o->updated_at);
	json_object_set_new(j, "version", json_integer(o->version));
	return j;
}

static int audit_outage(struct store_tx *tx, const struct actor *a, const char *action,
			const struct outage_rec *o, const json_t *set, struct err *e)
{
	char entity[64];
	json_t *change;
	int rc;

	snprintf(entity, sizeof(entity), "outage:%lld", (long long)o->id);
	change = json_pack("{s:O, s:o}", "set", set ? set : json_null(), "after", outage_to_json(o));
	rc = audit_append(tx, a, action, entity, change, e);
	json_decref(change);
	return rc;
}

static int insert(struct store_tx *tx, const struct actor *a, struct outage_rec *o,
		  const json_t *set, struct err *e)
{
	struct store *st = tx->st;
	struct service_rec svc;
	int rc;

	if ((rc = st->ops->sla->service_get(st, tx, o->service, &svc, e)))
		return err_absent(e, rc, ERR_INVALID, "service", "unknown service '%s'", o->service);
	if (o->end && o->end < o->start)
		return err_set(e, ERR_INVALID, "end", "the outage ends before it starts");
	o->created_at = clock_now();
	if ((rc = st->ops->sla->outage_insert(tx, o, e)))
		return rc;
	return audit_outage(tx, a, "outage.open", o, set, e);
}

int outage_open(struct store_tx *tx, const struct actor *a, const char *service, int64_t start,
		int planned, const char *incident_key, const char *ci_key, int64_t *id,
		struct err *e)
{
	struct outage_rec o = { 0 };
	int rc;

	if (!service || !sla_valid_key(service))
		return err_set(e, ERR_INVALID, "service", "unknown service '%s'",
			       service ? service : "");
	snprintf(o.service, sizeof(o.service), "%s", service);
	o.start = start;
	o.planned = planned != 0;
	snprintf(o.incident, sizeof(o.incident), "%s", incident_key ? incident_key : "");
	snprintf(o.ci, sizeof(o.ci), "%s", ci_key ? ci_key : "");
	if ((rc = insert(tx, a, &o, NULL, e)))
		return rc;
	*id = o.id;
	return 0;
}

static int close_outage(struct store_tx *tx, const struct actor *a, int64_t id, int64_t end,
			int64_t version, const json_t *set, struct outage_rec *o, struct err *e)
{
	struct store *st = tx->st;
	int rc;

	if ((rc = st->ops->sla->outage_get(st, tx, id, o, e)))
		return rc;
	if (version && version != o->version)
		return err_set(e, ERR_CONFLICT, "version",
			       "outage %lld is at version %lld, not %lld: reload and retry",
			       (long long)id, (long long)o->version, (long long)version);
	if (o->end)
		return err_set(e, ERR_CONFLICT, "end", "outage %lld has ended already",
			       (long long)id);
	if (end < o->start)
		return err_set(e, ERR_INVALID, "end", "the outage ends before it starts");
	o->end = end;
	o->updated_at = clock_now();
	o->version++;
	if ((rc = st->ops->sla->outage_update(tx, o, e)))
		return rc;
	return audit_outage(tx, a, "outage.close", o, set, e);
}

int outage_close(struct store_tx *tx, const struct actor *a, int64_t id, int64_t end,
		 struct err *e)
{
	struct outage_rec o;

	return close_outage(tx, a, id, end, 0, NULL, &o, e);
}

int outage_remove(struct store_tx *tx, const struct actor *a, int64_t id, struct err *e)
{
	struct store *st = tx->st;
	struct outage_rec o;
	char entity[64];
	json_t *change;
	int rc;

	if ((rc = st->ops->sla->outage_get(st, tx, id, &o, e)) ||
	    (rc = st->ops->sla->outage_delete(tx, id, e)))
		return rc;
	snprintf(entity, sizeof(entity), "outage:%lld", (long long)id);
	change = json_pack("{s:o, s:n}", "before", outage_to_json(&o), "after");
	rc = audit_append(tx, a, "outage.remove", entity, change, e);
	json_decref(change);
	return rc;
}

/* ---- API operations ---- */

struct out_ctx {
	const struct actor *a;
	const json_t *in;
	struct outage_rec o;
	int64_t id, end, version;
};

/* A record's 0 means "none" (an open outage has end 0), so an instant the
 * API takes must come after the epoch. */
static int after_epoch(const char *field, int64_t t, struct err *e)
{
	if (t <= 0)
		return err_set(e, ERR_INVALID, field, "'%s' must be after 1970-01-01T00:00:00Z",
			       field);
	return 0;
}

static int do_create(struct store_tx *tx, void *arg, struct err *e)
{
	struct out_ctx *w = arg;

	return insert(tx, w->a, &w->o, w->in, e);
}

int outage_create(struct store *st, const struct actor *a, const json_t *in, json_t **out,
		  struct err *e)
{
	static const char *const fields[] = { "service", "start", "end", "planned",
					      "incident", "ci", NULL };
	struct out_ctx w = { .a = a, .in = in };
	const char *service, *incident = "", *ci = "";
	int planned = 0, rc;

	if (!actor_is_staff(a))
		return err_set(e, ERR_FORBIDDEN, NULL, "only staff record outages");
	if (!json_is_object(in))
		return err_set(e, ERR_INVALID, NULL, "the body must be a JSON object");
	if ((rc = jx_only(in, fields, e)) ||
	    (rc = jx_str(in, "service", JX_REQUIRED, 63, &service, e)) ||
	    (rc = jx_time(in, "start", JX_REQUIRED, &w.o.start, e)) ||
	    (rc = jx_bool(in, "planned", JX_OPTIONAL, &planned, e)) < 0 ||
	    (rc = jx_str(in, "incident", JX_OPTIONAL, 63, &incident, e)) < 0 ||
	    (rc = jx_str(in, "ci", JX_OPTIONAL, 127, &ci, e)) < 0 ||
	    (rc = after_epoch("start", w.o.start, e)))
		return rc;
	if (json_object_get(in, "end") && !json_is_null(json_object_get(in, "end")) &&
	    ((rc = jx_time(in, "end", JX_REQUIRED, &w.o.end, e)) ||
	     (rc = after_epoch("end", w.o.end, e))))
		return rc;
	snprintf(w.o.service, sizeof(w.o.service), "%s", service);
	snprintf(w.o.incident, sizeof(w.o.incident), "%s", incident);
	snprintf(w.o.ci, sizeof(w.o.ci), "%s", ci);
	w.o.planned = planned;
	if ((rc = store_write(st, do_create, &w, e)))
		return rc;
	*out = outage_to_json(&w.o);
	return 0;
}

static int do_update(struct store_tx *tx, void *arg, struct err *e)
{
	struct out_ctx *w = arg;

	return close_outage(tx, w->a, w->id, w->end, w->version, w->in, &w->o, e);
}

int outage_update(struct store *st, const struct actor *a, const char *id, const json_t *in,
		  json_t **out, struct err *e)
{
	static const char *const fields[] = { "end", "version", NULL };
	struct out_ctx w = { .a = a, .in = in };
	char *endp;
	int rc;

	if (!actor_is_staff(a))
		return err_set(e, ERR_FORBIDDEN, NULL, "only staff record outages");
	w.id = strtoll(id, &endp, 10);
	if (!*id || *endp || w.id <= 0)
		return err_set(e, ERR_NOT_FOUND, NULL, "outage '%s' not found", id);
	if (!json_is_object(in))
		return err_set(e, ERR_INVALID, NULL, "the body must be a JSON object");
	if ((rc = jx_only(in, fields, e)) ||
	    (rc = jx_int(in, "version", JX_REQUIRED, 1, INT64_MAX, &w.version, e)) ||
	    (rc = jx_time(in, "end", JX_REQUIRED, &w.end, e)) ||
	    (rc = after_epoch("end", w.end, e)))
		return rc;
	if ((rc = store_write(st, do_update, &w, e)))
		return rc;
	*out = outage_to_json(&w.o);
	return 0;
}

int outage_get_json(struct store *st, const struct actor *a, const char *id, json_t **out,
		    struct err *e)
{
	struct outage_rec o;
	char *endp;
	int64_t n;
	int rc;

	if (!actor_is_staff(a))
		return err_set(e, ERR_FORBIDDEN, NULL, "only staff read outages");
	n = strtoll(id, &endp, 10);
	rc = !*id || *endp || n <= 0 ? ERR_NOT_FOUND : st->ops->sla->outage_get(st, NULL, n, &o, e);
	if (rc)
		return err_absent(e, rc, ERR_NOT_FOUND, NULL, "outage '%s' not found", id);
	*out = outage_to_json(&o);
	return 0;
}

int outage_list_json(struct store *st, const struct actor *a, const json_t *q, json_t **out,
		     struct err *e)
{
	const char *service = jx_qstr(q, "service");
	int64_t from = 0, to = 0;
	struct outage_rec *v;
	size_t n;
	int rc;

	if (!actor_is_staff(a))
		return err_set(e, ERR_FORBIDDEN, NULL, "only staff read outages");
	if (service) {
		struct service_rec svc;

		if ((rc = st->ops->sla->service_get(st, NULL, service, &svc, e)))
			return err_absent(e, rc, ERR_INVALID, "service", "unknown service '%s'",
					  service);
	}
	if ((jx_qstr(q, "from") && (rc = sla_parse_time(jx_qstr(q, "from"), "from", &from, e))) ||
	    (jx_qstr(q, "to") && (rc = sla_parse_time(jx_qstr(q, "to"), "to", &to, e))))
		return rc;
	if (from && to && to < from)
		return err_set(e, ERR_INVALID, "to", "'to' is before 'from'");
	if ((rc = st->ops->sla->outage_list(st, service, from, to, &v, &n, e)))
		return rc;
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, outage_to_json(&v[i]));
	free(v);
	return jx_page(items, q, "id", 1, out, e);
}
