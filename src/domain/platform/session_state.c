/*
 * session_state.c — a console session as the audit log records it, and the
 * scan of every stored session that audit_verify holds against the chain.
 *
 * What is held is what grants rights: the session's user, when it began
 * (its absolute end follows from that) and a digest of the hash of its
 * cookie with its CSRF token. last_seen is not held: it moves on use
 * without an audit record, so the idle timeout rests on the store alone
 * (docs/audit.md). The entity names a session by a digest of its hash, so
 * neither the hash nor the cookie appears in the log.
 */
#include "domain/platform/session.h"
#include "domain/platform/audit.h"
#include "lib/jsonx.h"
#include "store/store.h"
#include "store/store_session.h"

#include <sodium.h>
#include <string.h>

void session_entity(const uint8_t hash[32], char out[SESSION_ENTITY_LEN])
{
	static const unsigned char ctx[] = "itsm audit: session id";
	uint8_t id[16];
	char hex[sizeof(id) * 2 + 1];

	crypto_generichash(id, sizeof(id), hash, 32, ctx, sizeof(ctx) - 1);
	sodium_bin2hex(hex, sizeof(hex), id, sizeof(id));
	snprintf(out, SESSION_ENTITY_LEN, "session:%s", hex);
}

json_t *session_state_json(const struct session_row *s, const char *username)
{
	uint8_t secret[32 + sizeof(s->csrf)];
	char d[AUDIT_HASH_LEN * 2 + 1];
	size_t n = strnlen(s->csrf, sizeof(s->csrf));
	json_t *j = json_object();

	memcpy(secret, s->hash, 32);
	memcpy(secret + 32, s->csrf, n);
	audit_secret_digest(secret, 32 + n, d);
	sodium_memzero(secret, sizeof(secret));
	json_object_set_new(j, "user", json_string(username));
	json_object_set_new(j, "user_id", json_integer(s->user_id));
	jx_set_time(j, "created_at", s->created_at);
	json_object_set_new(j, "digest", json_string(d));
	return j;
}

static int state_session(const struct session_row *r, const char *username, void *to)
{
	char entity[SESSION_ENTITY_LEN];

	session_entity(r->hash, entity);
	return audit_state_hand(to, session_state_json(r, username), "%s", entity);
}

int session_state_scan(struct store *st, audit_state_fn fn, void *ctx, struct err *e)
{
	struct audit_scan s = { fn, ctx };

	return st->ops->session->scan(st, state_session, &s, e);
}
