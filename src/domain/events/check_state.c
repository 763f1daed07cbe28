/*
 * check_state.c — what of a check the audit log holds, and the scan of
 * every stored check that audit_verify holds against the chain.
 *
 * A check's audit records carry its whole JSON form (check_to_json) under
 * "after"; of it, audit_verify compares the definition only: what it runs
 * (the command template and its arguments, or a legacy argv), on which item, how often, how patiently, and
 * whether it runs at all. The result fields (state, attempt, last run, next
 * run, output) move with every run without an audit record, so they are
 * not held; a key added to the definition belongs in check_state_keys.
 */
#include "domain/events/check.h"
#include "store/store_cmdb.h"

const char *const check_state_keys[] = {
	"id",		  "name",	   "ci",	   "command",	      "args",
	"legacy_command", "interval_seconds", "retry_seconds", "max_attempts",
	"timeout_seconds", "enabled",	   "created_at",  "version",	      NULL,
};

int check_state_scan(struct store *st, audit_state_fn fn, void *ctx, struct err *e)
{
	struct audit_scan to = { fn, ctx };
	struct check *items;
	size_t n;
	int rc = st->ops->cmdb->check_list(st, &items, &n, e);

	if (rc)
		return rc;
	for (size_t i = 0; !rc && i < n; i++)
		rc = audit_state_hand(&to, check_to_json(&items[i]), "check:%s", items[i].name);
	check_free_array(items, n);
	return rc;
}
