/*
 * cmdb_state.c — the scan of every stored configuration item ("ci:KEY")
 * and relationship ("ci_rel:ID") in the form the audit log records them
 * (ci_to_json, ci_rel_to_json), for audit_verify: the items and the edges
 * the impact analysis and the reports follow.
 */
#include "domain/cmdb/cmdb.h"
#include "store/store_cmdb.h"

static int state_ci(const struct ci *c, void *to)
{
	return audit_state_hand(to, ci_to_json(c), "ci:%s", c->key);
}

static int state_rel(const struct ci_rel *r, void *to)
{
	return audit_state_hand(to, ci_rel_to_json(r), "ci_rel:%lld", (long long)r->id);
}

int cmdb_state_scan(struct store *st, audit_state_fn fn, void *ctx, struct err *e)
{
	struct audit_scan s = { fn, ctx };
	int rc = st->ops->cmdb->ci_scan(st, state_ci, &s, e);

	return rc ? rc : st->ops->cmdb->rel_scan(st, 0, state_rel, &s, e);
}
