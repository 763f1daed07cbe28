/*
 * service.c — the service catalogue (see service.h). Validation outside the
 * store, then one write that inserts the service and audits it.
 */
#include "domain/sla/service.h"
#include "domain/platform/audit.h"
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
	return j;
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
	*out = service_to_json(&w.s);
	return 0;
}

int service_list_json(struct store *st, const struct actor *a, const json_t *query, json_t **out,
		      struct err *e)
{
	struct service_rec *v;
	size_t n;
	int rc = st->ops->sla->service_list(st, &v, &n, e);

	if (rc)
		return rc;
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, service_to_json(&v[i]));
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
	*out = service_to_json(&s);
	return 0;
}
