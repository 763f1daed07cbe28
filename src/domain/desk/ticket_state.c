/*
 * ticket_state.c — a ticket as the audit log records it: its fields as the
 * API shows them plus a digest of its field history (history_digest.c),
 * and the scan of every
 * stored ticket and comment that audit_verify holds against the chain.
 */
#include "domain/desk/ticket.h"
#include "store/store.h"


/* The state the audit log records for a ticket: its fields as the API shows
 * them, plus a digest of its field history, so that a history row changed
 * or removed behind the server's back shows too. tx may be NULL (reads). */
int ticket_state_json(struct store *st, struct store_tx *tx, const struct ticket *t, json_t **out,
		      struct err *e)
{
	struct history_entry *hs = NULL;
	struct history_digest d;
	size_t n = 0;
	int rc;

	*out = NULL;
	/* A history that cannot be read is no empty history: no digest. */
	if ((rc = st->ops->history_list(st, tx, t->id, &hs, &n, e)))
		return rc;
	history_digest_init(&d);
	for (size_t i = 0; i < n; i++)
		history_digest_add(&d, &hs[i]);
	history_free_array(hs, n);
	if (!(*out = ticket_to_json(t)))
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	history_digest_set(&d, *out);
	return 0;
}

struct state_ctx {
	struct audit_scan to;
	struct store *st;
	struct err *e;
};

static int state_ticket(const struct ticket *t, void *arg)
{
	struct state_ctx *s = arg;
	json_t *j;
	int rc;

	if ((rc = ticket_state_json(s->st, NULL, t, &j, s->e)))
		return rc;
	return audit_state_hand(&s->to, j, "ticket:%s", t->key);
}

static int state_comment(const struct comment *c, const char *key, void *arg)
{
	struct state_ctx *s = arg;

	return audit_state_hand(&s->to, comment_to_json(c, key), "comment:%lld", (long long)c->id);
}

int ticket_state_scan(struct store *st, audit_state_fn fn, void *ctx, struct err *e)
{
	struct state_ctx s = { { fn, ctx }, st, e };
	int rc = st->ops->ticket_scan(st, state_ticket, &s, e);

	return rc ? rc : st->ops->comment_scan(st, state_comment, &s, e);
}
