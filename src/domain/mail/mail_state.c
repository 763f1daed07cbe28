/*
 * mail_state.c — what the audit log holds of a received message, and the
 * scan audit_verify holds against the chain (audit.c's state_sources).
 *
 * The state is the message's record as the API lists it, plus the SHA-256
 * of its raw bytes: a raw message, a subject or an outcome changed in the
 * store behind the application's back no longer matches the last state
 * the chain recorded for it. "via" (who delivered it) is in the record but
 * not in the store, so only the keys below are held.
 */
#include "domain/mail/mail.h"
#include "store/store.h"
#include "store/store_mail.h"

#include <sodium.h>

const char *const mail_state_keys[] = { "id",	   "message_id", "queue",    "from",
					"subject", "outcome",	 "reason",   "ticket",
					"comment", "sender",	 "raw_size", "received_at",
					"raw_sha256", NULL };

json_t *mail_state_json(const struct mail_message *m, const char *raw_sha256)
{
	json_t *j = mail_message_to_json(m);

	if (j)
		json_object_set_new(j, "raw_sha256", json_string(raw_sha256));
	return j;
}

static int hand(const struct mail_message *m, void *ctx)
{
	unsigned char h[crypto_hash_sha256_BYTES];
	char hex[crypto_hash_sha256_BYTES * 2 + 1];

	crypto_hash_sha256(h, m->raw ? m->raw : (const unsigned char *)"", m->raw_len);
	sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
	return audit_state_hand(ctx, mail_state_json(m, hex), "mail:%lld", (long long)m->id);
}

int mail_state_scan(struct store *st, audit_state_fn fn, void *ctx, struct err *e)
{
	struct audit_scan to = { fn, ctx };

	return st->ops->mail->scan(st, hand, &to, e);
}
