/*
 * change_state.c — the scan of every stored change ("change:KEY") and
 * freeze window ("freeze:ID"), in the form the audit log records them, for
 * audit_verify: the schedule, the planned outages and the conflict check
 * are made of them, so a row changed behind the chain's back is caught.
 */
#include "domain/change/change_int.h"
#include "lib/jsonx.h"
#include "store/store_change.h"

#include <stdlib.h>

#define PAGE 200

/* A freeze as its audit records hold it (freeze.c writes the same form). */
json_t *change_freeze_json(const struct freeze_rec *f)
{
	json_t *j = json_object();

	json_object_set_new(j, "id", json_integer(f->id));
	jx_set_str(j, "service", f->service[0] ? f->service : NULL);
	jx_set_time(j, "start", f->start);
	jx_set_time(j, "end", f->end);
	json_object_set_new(j, "reason", json_string(f->reason));
	json_object_set_new(j, "created_by", json_string(f->created_by));
	jx_set_time(j, "created_at", f->created_at);
	return j;
}

int change_state_scan(struct store *st, audit_state_fn fn, void *ctx, struct err *e)
{
	struct audit_scan to = { fn, ctx };
	struct freeze_rec *f = NULL;
	int64_t before = 0;
	size_t nf = 0;
	int more = 1, rc = 0;

	while (!rc && more) {
		struct change_rec *v = NULL;
		size_t n = 0;

		if ((rc = st->ops->change->change_list(st, NULL, before, PAGE, &v, &n, &more, e)))
			break;
		for (size_t i = 0; !rc && i < n; i++) {
			rc = audit_state_hand(&to, change_rec_json(&v[i]), "change:%s", v[i].key);
			before = v[i].id;
		}
		change_free_recs(v, n);
		if (!n)
			break;
	}
	if (rc || (rc = st->ops->change->freeze_list(st, NULL, 0, 0, &f, &nf, e)))
		return rc;
	for (size_t i = 0; !rc && i < nf; i++)
		rc = audit_state_hand(&to, change_freeze_json(&f[i]), "freeze:%lld", (long long)f[i].id);
	free(f);
	return rc;
}
