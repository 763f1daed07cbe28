/*
 * freeze.c — freeze (blackout) windows: no change is scheduled inside one
 * without a manager's override. A freeze covers every service, or one
 * service of the catalogue. Managers add and remove them; staff read them.
 * Each write is audited as "freeze:ID" (a removal with "after": null).
 */
#include "domain/change/change_int.h"
#include "domain/platform/audit.h"
#include "lib/jsonx.h"
#include "lib/timeutil.h"
#include "store/store_change.h"
#include "store/store_sla.h"

#include <stdlib.h>
#include <string.h>

static int audit_freeze(struct store_tx *tx, const struct actor *a, const char *action,
			int64_t id, json_t *change, struct err *e)
{
	char entity[64];
	int rc;

	if (!change)
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	snprintf(entity, sizeof(entity), "freeze:%lld", (long long)id);
	rc = audit_append(tx, a, action, entity, change, e);
	json_decref(change);
	return rc;
}

static int manager_check(const struct actor *a, struct err *e)
{
	int rc = change_actor_check(a, e);

	if (!rc && !actor_is_manager(a))
		rc = err_set(e, ERR_FORBIDDEN, NULL, "only managers set freeze windows");
	return rc;
}

struct fw {
	const struct actor *a;
	const json_t *in;
	struct freeze_rec f;
	json_t *after;
};

static int do_add(struct store_tx *tx, void *arg, struct err *e)
{
	struct fw *w = arg;
	struct service_rec svc;
	int rc;

	if (w->f.service[0] &&
	    (rc = tx->st->ops->sla->service_get(tx->st, tx, w->f.service, &svc, e)))
		return err_absent(e, rc, ERR_INVALID, "service", "unknown service '%s'",
				  w->f.service);
	w->f.created_at = clock_now();
	if ((rc = tx->st->ops->change->freeze_insert(tx, &w->f, e)))
		return rc;
	w->after = change_freeze_json(&w->f);
	return audit_freeze(tx, w->a, "freeze.add", w->f.id,
			    json_pack("{s:O, s:O}", "set", w->in, "after", w->after), e);
}

int freeze_add(struct store *st, const struct actor *a, const json_t *in, json_t **out,
	       struct err *e)
{
	static const char *const keys[] = { "start", "end", "service", "reason", NULL };
	struct fw w = { .a = a, .in = in };
	const char *s;
	int rc;

	if ((rc = manager_check(a, e)))
		return rc;
	if (!json_is_object(in))
		return err_set(e, ERR_INVALID, NULL, "the body must be a JSON object");
	if ((rc = jx_only(in, keys, e)) || (rc = jx_time(in, "start", JX_REQUIRED, &w.f.start, e)) ||
	    (rc = jx_time(in, "end", JX_REQUIRED, &w.f.end, e)))
		return rc;
	if (w.f.end <= w.f.start)
		return err_set(e, ERR_INVALID, "end", "the freeze ends before it starts");
	if ((rc = jx_str(in, "reason", JX_REQUIRED, FREEZE_REASON_MAX, &s, e)))
		return rc;
	if (!*s)
		return err_set(e, ERR_INVALID, "reason", "a freeze needs a reason");
	snprintf(w.f.reason, sizeof(w.f.reason), "%s", s);
	if ((rc = jx_str(in, "service", JX_OPTIONAL, 63, &s, e)) < 0)
		return rc;
	if (rc == 0)
		snprintf(w.f.service, sizeof(w.f.service), "%s", s);
	snprintf(w.f.created_by, sizeof(w.f.created_by), "%s", a->username);
	if ((rc = store_write(st, do_add, &w, e))) {
		json_decref(w.after);
		return rc;
	}
	*out = w.after;
	return 0;
}

int freeze_list_json(struct store *st, const struct actor *a, const json_t *q, json_t **out,
		     struct err *e)
{
	struct freeze_rec *f = NULL;
	size_t n = 0;
	json_t *items;
	int rc;

	if ((rc = change_actor_check(a, e)) ||
	    (rc = st->ops->change->freeze_list(st, NULL, 0, 0, &f, &n, e)))
		return rc;
	items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, change_freeze_json(&f[i]));
	free(f);
	return jx_page(items, q, "id", 1, out, e);
}

struct rw {
	const struct actor *a;
	int64_t id;
};

static int do_remove(struct store_tx *tx, void *arg, struct err *e)
{
	struct rw *w = arg;
	struct freeze_rec f;
	int rc;

	if ((rc = tx->st->ops->change->freeze_get(tx->st, tx, w->id, &f, e)))
		return err_absent(e, rc, ERR_NOT_FOUND, NULL, "freeze %lld not found",
				  (long long)w->id);
	if ((rc = tx->st->ops->change->freeze_delete(tx, w->id, e)))
		return rc;
	return audit_freeze(tx, w->a, "freeze.remove", w->id,
			    json_pack("{s:o, s:n}", "before", change_freeze_json(&f), "after"), e);
}

int freeze_remove(struct store *st, const struct actor *a, const char *id, json_t **out,
		  struct err *e)
{
	struct rw w = { .a = a };
	char *end;
	int rc;

	if ((rc = manager_check(a, e)))
		return rc;
	w.id = strtoll(id ? id : "", &end, 10);
	if (!id || !*id || *end || w.id < 1)
		return err_set(e, ERR_NOT_FOUND, NULL, "freeze '%.32s' not found", id ? id : "");
	if ((rc = store_write(st, do_remove, &w, e)))
		return rc;
	*out = json_pack("{s:I, s:b}", "id", (json_int_t)w.id, "removed", 1);
	return 0;
}
