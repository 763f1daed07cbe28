/*
 * history_digest.c — the digest of a ticket's field history that its
 * audited state holds ("history_entries", "history_digest"), built entry
 * by entry: from the stored rows (ticket_state.c) or, as a ticket is
 * created, from the rows the write adds (ticket.c, sla_clock.c).
 */
#include "domain/desk/ticket.h"

#include <sodium.h>
#include <stdio.h>
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
