/*
 * attach_state.c — the scan audit_verify holds against the chain (audit.c's
 * state_sources): every attachment as stored now, in the form its
 * "attachment.add" record holds it, with the digest recomputed from the
 * bytes stored under it. A file whose bytes were changed behind the
 * application's back (or a record pointed at other bytes) no longer matches
 * the last state the chain recorded for it.
 */
#include "domain/attach/attach.h"
#include "store/store.h"
#include "store/store_attach.h"

#include <stdio.h>

static int hand(const struct attachment *a, void *ctx)
{
	struct attachment now = *a;

	now.data = NULL;
	attach_digest(a->data, a->data_len, now.sha256);
	now.size = (int64_t)a->data_len;
	return audit_state_hand(ctx, attachment_to_json(&now), "attachment:%lld",
				(long long)a->id);
}

int attach_state_scan(struct store *st, audit_state_fn fn, void *ctx, struct err *e)
{
	struct audit_scan to = { fn, ctx };

	return st->ops->attach->scan(st, hand, &to, e);
}
