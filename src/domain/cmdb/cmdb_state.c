/*
 * cmdb_state.c — the scan of every stored configuration item ("ci:KEY")
 * and relationship ("ci_rel:ID") in the form the audit log records them
 * (ci_to_json, ci_rel_to_json), for audit_verify: the items and the edges
 * the impact analysis and the reports follow.
 */
#include "domain/cmdb/cmdb.h"
#include "store/store_cmdb.h"

struct scan_ctx {
	audit_state_fn fn;
	void *ctx;
};

static int state_ci(const struct ci *c, void *arg)
{
	struct scan_ctx *s = arg;
	char entity[96];
	json_t *j = ci_to_json(c);
	int rc;

	snprintf(entity, sizeof(entity), "ci:%s", c->key);
	rc = s->fn(entity, j, s->ctx);
	json_decref(j);
	return rc;
}

static int state_rel(const struct ci_rel *r, void *arg)
{
	struct scan_ctx *s = arg;
	char entity[96];
	json_t *j = ci_rel_to_json(r);
	int rc;

	snprintf(entity, sizeof(entity), "ci_rel:%lld", (long long)r->id);
	rc = s->fn(entity, j, s->ctx);
	json_decref(j);
	return rc;
}

int cmdb_state_scan(struct store *st, audit_state_fn fn, void *ctx, struct err *e)
{
	struct scan_ctx s = { fn, ctx };
	int rc = st->ops->cmdb->ci_scan(st, state_ci, &s, e);

	return rc ? rc : st->ops->cmdb->rel_scan(st, 0, state_rel, &s, e);
}
