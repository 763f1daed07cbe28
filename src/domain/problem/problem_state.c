/*
 * problem_state.c — the scan of every stored problem ("problem:KEY") in the
 * form the audit log records it, for audit_verify: the record's fields and
 * its items, as every write (add, update, link, unlink, confirm) recorded
 * them under "after". The linked incidents are in that form too but not
 * held: their status and title are the desk's, which move without a record
 * of the problem's; the links themselves are audited as problem.link and
 * problem.unlink.
 */
#include "domain/problem/problem.h"
#include "store/store_problem.h"

#include <stdlib.h>

#define PAGE 200

const char *const problem_state_keys[] = {
	"id",	      "key",	     "title",	   "description", "service",	"root_cause",
	"workaround", "impact",	     "urgency",	   "priority",	  "status",	"created_by",
	"created_at", "updated_at",  "resolved_at", "closed_at",  "version",	"items",
	NULL,
};

int problem_state_scan(struct store *st, audit_state_fn fn, void *ctx, struct err *e)
{
	struct audit_scan to = { fn, ctx };
	struct problem_filter f = { .limit = PAGE };
	int more = 1, rc = 0;

	while (!rc && more) {
		struct problem *ps = NULL;
		size_t n = 0;

		if ((rc = st->ops->problem->list(st, &f, &ps, &n, &more, e)))
			break;
		for (size_t i = 0; !rc && i < n; i++) {
			json_t *state = problem_to_json(&ps[i]), *items = NULL;

			if ((rc = st->ops->problem->items_list(st, NULL, ps[i].id, &items, e))) {
				json_decref(state);
				break;
			}
			json_object_set_new(state, "items", items);
			rc = audit_state_hand(&to, state, "problem:%s", ps[i].key);
			f.after_id = ps[i].id;
		}
		problem_free_array(ps, n);
		if (!n)
			break;
	}
	return rc;
}
