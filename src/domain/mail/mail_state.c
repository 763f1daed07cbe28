/*
 * mail_state.c — a received message as the API lists it, what the audit
 * log holds of it, and the scan audit_verify holds against the chain
 * (audit.c's state_sources).
 *
 * The state is the message's record as the API lists it, plus the SHA-256
 * of its raw bytes: a raw message, a subject or an outcome changed in the
 * store behind the application's back no longer matches the last state
 * the chain recorded for it. "via" (who delivered it) is in the record but
 * not in the store, so only the keys below are held.
 */
#include "domain/mail/mail.h"
#include "lib/jsonx.h"
#include "store/store.h"
#include "store/store_mail.h"

#include <sodium.h>

const char *const mail_state_keys[] = { "id",	   "message_id", "queue",    "from",
					"subject", "outcome",	 "reason",   "ticket",
					"comment", "sender",	 "raw_size", "received_at",
					"raw_sha256", NULL };

json_t *mail_message_to_json(const struct mail_message *m)
{
	json_t *j = json_object();

	json_object_set_new(j, "id", json_integer(m->id));
	json_object_set_new(j, "message_id", json_string(m->message_id));
	json_object_set_new(j, "queue", json_string(m->queue));
	json_object_set_new(j, "from", json_string(m->from_addr));
	json_object_set_new(j, "subject", json_string(m->subject));
	json_object_set_new(j, "outcome", json_string(mail_outcome_name(m->outcome)));
	json_object_set_new(j, "reason", json_string(m->reason));
	json_object_set_new(j, "ticket", m->ticket_key[0] ? json_string(m->ticket_key) : json_null());
	json_object_set_new(j, "comment", m->comment_id ? json_integer(m->comment_id) : json_null());
	json_object_set_new(j, "sender", m->username[0] ? json_string(m->username) : json_null());
	json_object_set_new(j, "raw_size", json_integer(m->raw_size));
	jx_set_time(j, "received_at", m->received_at);
	return j;
}

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
