/*
 * ticket_state.c — a ticket as the audit log records it: its fields as the
 * API shows them plus a digest of its field history, and the scan of every
 * stored ticket and comment that audit_verify holds against the chain.
 */
#include "domain/desk/ticket.h"
#include "store/store.h"

#include <sodium.h>
#include <string.h>

void history_digest_init(struct history_digest *d)
{
	crypto_generichash_init(&d->h, NULL, 0, sizeof(d->out));
	d->n = 0;
}

/* Each entry as "id at", actor, field, old, new (absent values as 0x01),
 * each part ended by 0x1f, so no two histories give the same bytes. */
void history_digest_add(struct history_digest *d, const struct history_entry *h)
{
	static const unsigned char sep = 0x1f;
	const char *parts[] = { h->actor, h->field, h->old_value ? h->old_value : "\x01",
				h->new_value ? h->new_value : "\x01" };
	char num[64];

	snprintf(num, sizeof(num), "%lld %lld", (long long)h->id, (long long)h->at);
	crypto_generichash_update(&d->h, (const unsigned char *)num, strlen(num));
	crypto_generichash_update(&d->h, &sep, 1);
	for (size_t k = 0; k < 4; k++) {
		crypto_generichash_update(&d->h, (const unsigned char *)parts[k], strlen(parts[k]));
		crypto_generichash_update(&d->h, &sep, 1);
	}
	d->n++;
}

void history_digest_set(struct history_digest *d, json_t *state)
{
	char hex[sizeof(d->out) * 2 + 1];

	crypto_generichash_final(&d->h, d->out, sizeof(d->out));
	sodium_bin2hex(hex, sizeof(hex), d->out, sizeof(d->out));
	json_object_set_new(state, "history_entries", json_integer((json_int_t)d->n));
	json_object_set_new(state, "history_digest", json_string(hex));
}

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
