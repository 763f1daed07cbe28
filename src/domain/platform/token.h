/*
 * token.h — API tokens: made, listed, revoked, and the bearer check.
 *
 * Invariants: a token's text comes from the CSPRNG, is shown once and is
 * stored only as its BLAKE2b hash; no list or answer ever carries the text
 * or the hash. A token works while it is not revoked, its user is active
 * and its expires_at (when it has one) is still ahead of clock_now(). A
 * user sees and revokes their own tokens; an admin everyone's. The bearer
 * check keeps recently seen tokens for TOKEN_CACHE_TTL seconds; a
 * revocation, a user's change or disabling made through these functions
 * clears what the cache holds of them once it has committed, so the next
 * request is checked against the store.
 */
#ifndef ITSM_TOKEN_H
#define ITSM_TOKEN_H

#include <jansson.h>
#include <stdint.h>

#include "domain/platform/actor.h"
#include "lib/err.h"
#include "model/platform.h"

struct store;
struct store_tx;

#define TOKEN_TEXT_LEN 64
/* The longest lifetime expires_in or expires_at may give (ten years). */
#define TOKEN_MAX_LIFETIME (3650LL * 86400)

/* Create a token for username (the actor's own when NULL), expiring at
 * expires_at (0: never). The plaintext is written to token_out (at least
 * TOKEN_TEXT_LEN bytes) and never stored; *out (when out is not NULL) gets
 * the token's record with the text under "token", a new reference. */
int token_create(struct store *st, const struct actor *a, const char *username,
		 const char *name, const char *scope, int64_t expires_at, char *token_out,
		 json_t **out, struct err *e);
/* The same from a request body {"name", "user", "scope", "expires_in":
 * "90d"|"12h", "expires_at": RFC 3339} (at most one of the last two). */
int token_create_json(struct store *st, const struct actor *a, const json_t *in,
		      char *token_out, json_t **out, struct err *e);
/* "90d" or "12h" as seconds after now, at most TOKEN_MAX_LIFETIME. */
int token_parse_lifetime(const char *text, int64_t *seconds, struct err *e);

/* {"items": [...], "next_cursor"}: the actor's tokens, or (admins) every
 * token or those of query's "user"; paged by "cursor"/"limit". */
int token_list_json(struct store *st, const struct actor *a, const json_t *query, json_t **out,
		    struct err *e);
/* Revoke token ref (its id): the owner or an admin. A token already revoked
 * is answered as it is, with no new audit record. *out: the token. */
int token_revoke(struct store *st, const struct actor *a, const char *ref, json_t **out,
		 struct err *e);
json_t *token_to_json(const struct token *t);

/* Authentication by bearer token: the actor, or ERR_UNAUTH on any
 * mismatch without saying which part was wrong. */
int auth_token(struct store *st, const char *token, struct actor *a, struct err *e);
void auth_hash_token(const char *token, uint8_t out[TOKEN_HASH_LEN]);
/* Drop what the bearer check's cache holds of the token with this hash
 * (NULL: none) and of every token of user_id (0: none). Call after the
 * change committed: a check that read the store before is not cached. */
void token_cache_forget(const uint8_t *hash, int64_t user_id);
/* Inside a write that revokes the token with hash (when not NULL) or
 * changes user_id (when not 0): tell the other servers on the store to
 * drop it from their caches once the write commits (changes.h). */
int token_announce(struct store_tx *tx, const uint8_t *hash, int64_t user_id, struct err *e);
/* What another server announced: drop what it names from the cache;
 * text NULL (announcements may have been missed) drops everything. */
void token_heard(const char *text);

#endif
