/*
 * service.c — the service catalogue (see service.h). Validation outside the
 * store, then one write that inserts or changes the service and audits it.
 *
 * A service is changed at the version it was read (409 otherwise) and
 * retired rather than deleted: tickets, SLAs and outages name it. A retired
 * service is chosen for no new ticket or SLA; it cannot be retired while an
 * active SLA still names it (that SLA would silently never apply again).
 */
#include "domain/sla/service.h"
#include "domain/sla/sla.h"
#include "domain/platform/audit.h"
#include "domain/platform/lifecycle.h"
#include "domain/sla/sla_int.h"
#include "lib/jsonx.h"
#include "lib/timeutil.h"
#include "store/store_sla.h"

#include <stdlib.h>

json_t *service_to_json(const struct service_rec *s)
{
	json_t *j = json_object();

	json_object_set_new(j, "id", json_integer(s->id));
	json_object_set_new(j, "key", json_string(s->key));
	json_object_set_new(j, "name", json_string(s->name));
	jx_set_str(j, "owner_group", s->owner_group[0] ? s->owner_group : NULL);
	jx_set_time(j, "created_at", s->created_at);
	jx_set_time(j, "updated_at", s->updated_at);
	json_object_set_new(j, "version", json_integer(s->version));
	return lifecycle_state(j, s->status);
}

struct svc_ctx {
	const struct actor *a;
	struct service_rec s;
};

static int do_add(struct store_tx *tx, void *arg, struct err *e)
{
	struct svc_ctx *w = arg;
	char entity[96];
	json_t *change;
	int rc;

	w->s.created_at = clock_now();
	if ((rc = tx->st->ops->sla->service_insert(tx, &w->s, e)))
		return rc;
	snprintf(entity, sizeof(entity), "service:%s", w->s.key);
	change = json_pack("{s:o}", "after", service_to_json(&w->s));
	rc = audit_append(tx, w->a, "service.add", entity, change, e);
	json_decref(change);
	return rc;
}

int service_add(struct store *st, const struct actor *a, const json_t *in, json_t **out,
		struct err *e)
{
	static const char *const fields[] = { "key", "name", "owner_group", NULL };
	struct svc_ctx w = { .a = a };
	const char *key, *name = NULL, *group = "";
	int rc;

	if (!actor_is_manager(a))
		return err_set(e, ERR_FORBIDDEN, NULL, "only managers and admins add services");
	if (!json_is_object(in))
		return err_set(e, ERR_INVALID, NULL, "the body must be a JSON object");
	if ((rc = jx_only(in, fields, e)) || (rc = jx_str(in, "key", JX_REQUIRED, 63, &key, e)) ||
	    (rc = jx_str(in, "name", JX_OPTIONAL, 199, &name, e)) < 0 ||
	    (rc = jx_str(in, "owner_group", JX_OPTIONAL, 63, &group, e)) < 0)
		return rc;
	if (!sla_valid_key(key))
		return err_set(e, ERR_INVALID, "key",
			       "malformed service key '%s' (letters, digits, '-', '_', '.')", key);
	if (*group && !sla_valid_key(group))
		return err_set(e, ERR_INVALID, "owner_group", "malformed group name '%s'", group);
	snprintf(w.s.key, sizeof(w.s.key), "%s", key);
	snprintf(w.s.name, sizeof(w.s.name), "%s", name && *name ? name : key);
	snprintf(w.s.owner_group, sizeof(w.s.owner_group), "%s", group);
	if ((rc = store_write(st, do_add, &w, e)))
		return rc;
	*out = lifecycle_show(service_to_json(&w.s));
	return 0;
}

struct upd_ctx {
	const struct actor *a;
	const char *key;
	const json_t *in;
	struct service_rec s;
};

/* Whether an active SLA names the service (it could not apply again). */
static int in_use(struct store_tx *tx, const char *key, struct err *e)
{
	struct sla_rec *v = NULL;
	size_t n = 0;
	int rc = tx->st->ops->sla->sla_list(tx->st, 0, key, &v, &n, e);

	for (size_t i = 0; !rc && i < n; i++)
		if (!lifecycle_retired(v[i].status))
			rc = err_set(e, ERR_CONFLICT, "status",
				     "service '%s' is named by active sla '%s': retire it first", key,
				     v[i].name);
	sla_free_slas(v, n);
	return rc;
}

static int do_update(struct store_tx *tx, void *arg, struct err *e)
{
	struct upd_ctx *w = arg;
	struct service_rec *s = &w->s;
	const char *name = NULL, *group = NULL;
	char what[96];
	int was_retired, rc;

	if ((rc = tx->st->ops->sla->service_get(tx->st, tx, w->key, s, e)))
		return err_absent(e, rc, ERR_NOT_FOUND, NULL, "service '%s' not found", w->key);
	snprintf(what, sizeof(what), "service '%s'", s->key);
	if ((rc = lifecycle_version_check(w->in, s->version, what, e)))
		return rc;
	was_retired = lifecycle_retired(s->status);
	jx_str(w->in, "name", JX_OPTIONAL, 199, &name, NULL);
	jx_str(w->in, "owner_group", JX_OPTIONAL, 63, &group, NULL);
	if (name)
		snprintf(s->name, sizeof(s->name), "%s", *name ? name : s->key);
	if (group)
		snprintf(s->owner_group, sizeof(s->owner_group), "%s", group);
	lifecycle_status_parse(w->in, s->status, NULL);
	if (!was_retired && lifecycle_retired(s->status) && (rc = in_use(tx, s->key, e)))
		return rc;
	s->updated_at = clock_now();
	s->version++;
	if ((rc = tx->st->ops->sla->service_update(tx, s, e)))
		return rc;
	return lifecycle_audit(tx, w->a, "service", lifecycle_action(was_retired, s->status),
			       s->key, w->in, service_to_json(s), e);
}

int service_update(struct store *st, const struct actor *a, const char *key, const json_t *in,
		   json_t **out, struct err *e)
{
	static const char *const fields[] = { "version", "key", "name", "owner_group", "status",
					      NULL };
	struct upd_ctx w = { .a = a, .key = key, .in = in };
	const char *k = NULL, *name = NULL, *group = NULL;
	char status[16] = "";
	int rc;

	if (!actor_is_manager(a))
		return err_set(e, ERR_FORBIDDEN, NULL, "only managers and admins change services");
	if (!json_is_object(in))
		return err_set(e, ERR_INVALID, NULL, "the body must be a JSON object");
	if ((rc = jx_only(in, fields, e)) ||
	    (rc = jx_int(in, "version", JX_REQUIRED, 1, INT64_MAX, &(int64_t){ 0 }, e)) ||
	    (rc = jx_str(in, "key", JX_OPTIONAL, 63, &k, e)) < 0 ||
	    (rc = jx_str(in, "name", JX_OPTIONAL, 199, &name, e)) < 0 ||
	    (rc = jx_str(in, "owner_group", JX_OPTIONAL, 63, &group, e)) < 0 ||
	    (rc = lifecycle_status_parse(in, status, e)))
		return rc;
	if (k && strcmp(k, key))
		return err_set(e, ERR_INVALID, "key", "a service's key never changes ('%s')", key);
	if (group && *group && !sla_valid_key(group))
		return err_set(e, ERR_INVALID, "owner_group", "malformed group name '%s'", group);
	if ((rc = store_write(st, do_update, &w, e)))
		return rc;
	*out = lifecycle_show(service_to_json(&w.s));
	return 0;
}

int sla_service_check_open(struct store *st, struct store_tx *tx, const char *service,
			   struct err *e)
{
	struct service_rec s;
	struct err sub = { 0 };
	int rc = st->ops->sla->service_get(st, tx, service, &s, &sub);

	if (rc == ERR_NOT_FOUND)
		return 0;
	if (rc && e)
		*e = sub;
	else if (lifecycle_retired(s.status))
		rc = err_set(e, ERR_INVALID, "service", "service '%s' is retired", service);
	return rc;
}

int service_check_choosable(struct store *st, struct store_tx *tx, const char *key,
			    const char *field, struct err *e)
{
	struct service_rec s;
	int rc = st->ops->sla->service_get(st, tx, key, &s, e);

	if (rc)
		return err_absent(e, rc, ERR_INVALID, field, "unknown service '%s'", key);
	if (lifecycle_retired(s.status))
		return err_set(e, ERR_INVALID, field, "service '%s' is retired", key);
	return 0;
}

int service_list_json(struct store *st, const struct actor *a, const json_t *query, json_t **out,
		      struct err *e)
{
	struct service_rec *v;
	size_t n;
	int show, rc;

	if ((rc = lifecycle_list_filter(query, &show, e)) ||
	    (rc = st->ops->sla->service_list(st, &v, &n, e)))
		return rc;
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		if (lifecycle_listed(show, v[i].status))
			json_array_append_new(items, lifecycle_show(service_to_json(&v[i])));
	free(v);
	return jx_page(items, query, "key", 0, out, e);
}

int service_get_json(struct store *st, const struct actor *a, const char *key, json_t **out,
		     struct err *e)
{
	struct service_rec s;
	int rc;

	if ((rc = st->ops->sla->service_get(st, NULL, key, &s, e)))
		return err_absent(e, rc, ERR_NOT_FOUND, NULL, "service '%s' not found", key);
	*out = lifecycle_show(service_to_json(&s));
	return 0;
}
