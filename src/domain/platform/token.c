/*
 * token.c — API tokens: creating, listing and revoking them, and the
 * bearer check with its small cache. See token.h for the invariants.
 *
 * The cache holds an actor per token hash for TOKEN_CACHE_TTL seconds (or
 * until the token expires, if sooner). token_cache_forget clears entries
 * and moves a generation counter on; a check remembers what it read only
 * when no forget happened since it began, so a read made before a
 * revocation committed can never be cached after it. The cache lives in
 * this process: a revocation made by another process (the CLI on the
 * store) reaches a running server's cache within TOKEN_CACHE_TTL.
 */
#include "domain/platform/token.h"
#include "domain/platform/audit.h"
#include "domain/platform/user.h"
#include "lib/jsonx.h"
#include "lib/log.h"
#include "lib/timeutil.h"
#include "store/store.h"

#include <ctype.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int is_admin(const struct actor *a)
{
	return a->role == ROLE_ADMIN || a->role == ROLE_SYSTEM;
}

void auth_hash_token(const char *token, uint8_t out[TOKEN_HASH_LEN])
{
	crypto_generichash(out, TOKEN_HASH_LEN, (const unsigned char *)token, strlen(token), NULL,
			   0);
}

/* ---- the record as the API shows it (never the text nor the hash) ---- */

json_t *token_to_json(const struct token *t)
{
	json_t *j = json_object();

	json_object_set_new(j, "id", json_integer(t->id));
	json_object_set_new(j, "name", json_string(t->name));
	json_object_set_new(j, "user", json_string(t->user));
	json_object_set_new(j, "scope", json_string(t->scope));
	jx_set_time(j, "created_at", t->created_at);
	jx_set_time(j, "last_used_at", t->last_used_at);
	jx_set_time(j, "expires_at", t->expires_at);
	json_object_set_new(j, "revoked", json_boolean(t->revoked));
	return j;
}

/* ---- creating ---- */

struct token_ctx {
	const struct actor *a;
	const char *username;
	struct token t;
	struct user u;
};

static int do_token_create(struct store_tx *tx, void *arg, struct err *e)
{
	struct token_ctx *w = arg;
	char entity[96];
	json_t *change;
	int rc;

	if ((rc = tx->st->ops->user_get(tx->st, tx, 0, w->username, &w->u, e)))
		return err_absent(e, rc, ERR_INVALID, "user", "unknown user '%s'", w->username);
	w->t.user_id = w->u.id;
	snprintf(w->t.user, sizeof(w->t.user), "%s", w->u.username);
	w->t.created_at = clock_now();
	if (w->t.expires_at && w->t.expires_at <= w->t.created_at)
		return err_set(e, ERR_INVALID, "expires_at", "expires_at must be in the future");
	if ((rc = tx->st->ops->token_insert(tx, &w->t, e)))
		return rc;
	snprintf(entity, sizeof(entity), "token:%lld", (long long)w->t.id);
	change = json_pack("{s:o}", "after", token_state_json(&w->t, w->u.username));
	rc = audit_append(tx, w->a, "token.create", entity, change, e);
	json_decref(change);
	return rc;
}

int token_create(struct store *st, const struct actor *a, const char *username,
		 const char *name, const char *scope, int64_t expires_at, char *token_out,
		 json_t **out, struct err *e)
{
	struct token_ctx w = { .a = a, .username = username ? username : a->username };
	unsigned char raw[24];
	char b64[48];
	int rc;

	if (!scope || !*scope)
		scope = "all";
	if (strcmp(scope, "all") && strcmp(scope, "events"))
		return err_set(e, ERR_INVALID, "scope", "unknown scope '%s' (all, events)", scope);
	if (!name || !*name || strlen(name) > 63)
		return err_set(e, ERR_INVALID, "name", "a token needs a name of 1-63 bytes");
	if (strcmp(w.username, a->username) && !is_admin(a))
		return err_set(e, ERR_FORBIDDEN, "user", "only admins create tokens for others");
	if (!w.username[0])
		return err_set(e, ERR_INVALID, "user", "name the user the token is for");
	if (expires_at < 0 || expires_at > clock_now() + TOKEN_MAX_LIFETIME)
		return err_set(e, ERR_INVALID, "expires_at",
			       "expires_at must be within ten years from now");
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(b64, sizeof(b64), raw, sizeof(raw), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	snprintf(token_out, TOKEN_TEXT_LEN, "itsm_%s", b64);
	auth_hash_token(token_out, w.t.hash);
	snprintf(w.t.name, sizeof(w.t.name), "%s", name);
	snprintf(w.t.scope, sizeof(w.t.scope), "%s", scope);
	w.t.expires_at = expires_at;
	rc = store_write(st, do_token_create, &w, e);
	if (rc)
		return rc;
	if (out) {
		*out = token_to_json(&w.t);
		json_object_set_new(*out, "token", json_string(token_out));
	}
	return 0;
}

int token_parse_lifetime(const char *text, int64_t *seconds, struct err *e)
{
	size_t n = strlen(text), digits = strspn(text, "0123456789");
	int64_t v = 0, unit;

	if (digits == 0 || digits > 6 || n != digits + 1 || text[0] == '0')
		goto bad;
	unit = text[digits] == 'd' ? 86400 : text[digits] == 'h' ? 3600 : 0;
	if (!unit)
		goto bad;
	v = strtoll(text, NULL, 10) * unit;
	if (v > TOKEN_MAX_LIFETIME)
		return err_set(e, ERR_INVALID, "expires_in",
			       "expires_in '%s' is longer than ten years", text);
	*seconds = v;
	return 0;
bad:
	return err_set(e, ERR_INVALID, "expires_in",
		       "malformed expires_in '%s' (a whole number of days or hours: 90d, 12h)",
		       text);
}

int token_create_json(struct store *st, const struct actor *a, const json_t *in,
		      char *token_out, json_t **out, struct err *e)
{
	static const char *const fields[] = { "name",	    "user",	  "scope",
					      "expires_in", "expires_at", NULL };
	const char *name = NULL, *user = NULL, *scope = NULL, *lifetime = NULL;
	int64_t expires_at = 0, seconds;
	int rc;

	if (!json_is_object(in))
		return err_set(e, ERR_INVALID, NULL, "the body must be a JSON object");
	if ((rc = jx_only(in, fields, e)) ||
	    (rc = jx_str(in, "name", JX_REQUIRED, 63, &name, e)) ||
	    (rc = jx_str(in, "user", JX_OPTIONAL, 63, &user, e)) < 0 ||
	    (rc = jx_str(in, "scope", JX_OPTIONAL, 15, &scope, e)) < 0 ||
	    (rc = jx_str(in, "expires_in", JX_OPTIONAL, 16, &lifetime, e)) < 0 ||
	    (rc = jx_time(in, "expires_at", JX_OPTIONAL, &expires_at, e)) < 0)
		return rc;
	if (lifetime && json_object_get(in, "expires_at"))
		return err_set(e, ERR_INVALID, "expires_in",
			       "give expires_in or expires_at, not both");
	if (lifetime) {
		if ((rc = token_parse_lifetime(lifetime, &seconds, e)))
			return rc;
		expires_at = clock_now() + seconds;
	} else if (json_object_get(in, "expires_at") && expires_at <= clock_now()) {
		return err_set(e, ERR_INVALID, "expires_at", "expires_at must be in the future");
	}
	return token_create(st, a, user, name, scope, expires_at, token_out, out, e);
}

/* ---- listing ---- */

int token_list_json(struct store *st, const struct actor *a, const json_t *query, json_t **out,
		    struct err *e)
{
	const char *user = jx_qstr(query, "user");
	struct token *ts = NULL;
	int64_t user_id = a->user_id;
	size_t n = 0;
	json_t *items;
	int rc;

	if (!is_admin(a)) {
		if (user && strcmp(user, a->username))
			return err_set(e, ERR_FORBIDDEN, "user",
				       "only admins list other users' tokens");
	} else if (user) {
		struct user u;

		if ((rc = st->ops->user_get(st, NULL, 0, user, &u, e)))
			return err_absent(e, rc, ERR_INVALID, "user", "unknown user '%s'", user);
		user_id = u.id;
	} else {
		user_id = 0; /* everyone's */
	}
	if (!is_admin(a) && !user_id)
		return err_set(e, ERR_FORBIDDEN, NULL, "only users have tokens");
	if ((rc = st->ops->token_list(st, user_id, &ts, &n, e)))
		return rc;
	items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, token_to_json(&ts[i]));
	free(ts);
	return jx_page(items, query, "id", 1, out, e);
}

/* ---- revoking ---- */

struct revoke_ctx {
	const struct actor *a;
	int64_t id;
	struct token t;
	int changed;
};

static int do_token_revoke(struct store_tx *tx, void *arg, struct err *e)
{
	struct revoke_ctx *w = arg;
	char entity[96];
	json_t *change;
	int rc;

	if ((rc = tx->st->ops->token_get(tx->st, tx, w->id, &w->t, e)))
		return rc;
	if (!is_admin(w->a) && w->t.user_id != w->a->user_id)
		return err_set(e, ERR_FORBIDDEN, NULL, "only admins revoke other users' tokens");
	if (w->t.revoked)
		return 0;
	if ((rc = tx->st->ops->token_revoke(tx, w->id, e)))
		return rc;
	w->t.revoked = 1;
	w->changed = 1;
	snprintf(entity, sizeof(entity), "token:%lld", (long long)w->id);
	change = json_pack("{s:o}", "after", token_state_json(&w->t, w->t.user));
	rc = audit_append(tx, w->a, "token.revoke", entity, change, e);
	json_decref(change);
	return rc ? rc : token_announce(tx, w->t.hash, 0, e);
}

int token_revoke(struct store *st, const struct actor *a, const char *ref, json_t **out,
		 struct err *e)
{
	struct revoke_ctx w = { .a = a };
	char *end = NULL;
	int rc;

	w.id = ref && isdigit((unsigned char)ref[0]) ? strtoll(ref, &end, 10) : 0;
	if (w.id <= 0 || *end)
		return err_set(e, ERR_NOT_FOUND, NULL, "token '%s' not found", ref ? ref : "");
	if ((rc = store_write(st, do_token_revoke, &w, e)))
		return rc;
	if (w.changed)
		token_cache_forget(w.t.hash, 0);
	*out = token_to_json(&w.t);
	return 0;
}

/* ---- the bearer check ---- */

/* Recently seen tokens, so a busy client does not cost a store read per
 * request. An entry lives TOKEN_CACHE_TTL seconds at most, and never past
 * its token's expiry. */
#define TOKEN_CACHE_SIZE 256
#define TOKEN_CACHE_TTL 5
/* last_used_at is written at most this often per token. */
#define TOKEN_TOUCH_EVERY 60

static struct {
	uint8_t hash[TOKEN_HASH_LEN];
	struct actor a;
	int64_t until;
} token_cache[TOKEN_CACHE_SIZE];
static uint64_t token_cache_gen; /* moves on at every forget */
static pthread_mutex_t token_cache_mu = PTHREAD_MUTEX_INITIALIZER;

/* A hit fills a; a miss gives the generation to remember a read under. */
static int token_cached(const uint8_t h[TOKEN_HASH_LEN], struct actor *a, uint64_t *gen)
{
	int hit = 0, slot = h[0];

	pthread_mutex_lock(&token_cache_mu);
	if (token_cache[slot].until > clock_now() &&
	    !memcmp(token_cache[slot].hash, h, TOKEN_HASH_LEN)) {
		*a = token_cache[slot].a;
		hit = 1;
	}
	*gen = token_cache_gen;
	pthread_mutex_unlock(&token_cache_mu);
	return hit;
}

static void token_remember(const uint8_t h[TOKEN_HASH_LEN], const struct actor *a,
			   int64_t until, uint64_t gen)
{
	int slot = h[0];

	pthread_mutex_lock(&token_cache_mu);
	if (gen == token_cache_gen) {
		memcpy(token_cache[slot].hash, h, TOKEN_HASH_LEN);
		token_cache[slot].a = *a;
		token_cache[slot].until = until;
	}
	pthread_mutex_unlock(&token_cache_mu);
}

void token_cache_forget(const uint8_t *hash, int64_t user_id)
{
	pthread_mutex_lock(&token_cache_mu);
	token_cache_gen++;
	for (int i = 0; i < TOKEN_CACHE_SIZE; i++)
		if ((hash && !memcmp(token_cache[i].hash, hash, TOKEN_HASH_LEN)) ||
		    (user_id && token_cache[i].a.user_id == user_id))
			token_cache[i].until = 0;
	pthread_mutex_unlock(&token_cache_mu);
}

/* ---- the other servers' announcements ---- */

/* "h:<hex hash>" or "u:<user id>". */
int token_announce(struct store_tx *tx, const uint8_t *hash, int64_t user_id, struct err *e)
{
	char msg[2 + 2 * TOKEN_HASH_LEN + 1] = "h:";

	if (hash)
		for (int i = 0; i < TOKEN_HASH_LEN; i++)
			snprintf(msg + 2 + 2 * i, 3, "%02x", hash[i]);
	else
		snprintf(msg, sizeof(msg), "u:%lld", (long long)user_id);
	return tx->st->ops->announce(tx, "token", msg, e);
}

void token_heard(const char *text)
{
	uint8_t hash[TOKEN_HASH_LEN];

	if (!text) {
		log_info("msg=\"announcements may have been missed: token cache cleared\"");
		pthread_mutex_lock(&token_cache_mu);
		token_cache_gen++;
		for (int i = 0; i < TOKEN_CACHE_SIZE; i++)
			token_cache[i].until = 0;
		pthread_mutex_unlock(&token_cache_mu);
		return;
	}
	if (!strncmp(text, "u:", 2)) {
		token_cache_forget(NULL, strtoll(text + 2, NULL, 10));
		return;
	}
	if (strncmp(text, "h:", 2) || strlen(text + 2) != 2 * TOKEN_HASH_LEN)
		return;
	for (int i = 0; i < TOKEN_HASH_LEN; i++) {
		unsigned v;

		if (sscanf(text + 2 + 2 * i, "%2x", &v) != 1)
			return;
		hash[i] = (uint8_t)v;
	}
	token_cache_forget(hash, 0);
}

struct touch_ctx {
	int64_t id, at;
};

static int do_touch(struct store_tx *tx, void *arg, struct err *e)
{
	struct touch_ctx *t = arg;

	return tx->st->ops->token_touch(tx, t->id, t->at, e);
}

int auth_token(struct store *st, const char *token, struct actor *a, struct err *e)
{
	uint8_t h[TOKEN_HASH_LEN];
	int64_t now, until;
	uint64_t gen;
	struct token t;
	struct user u;
	int rc;

	if (!token || strncmp(token, "itsm_", 5) || strlen(token) > TOKEN_TEXT_LEN)
		return err_set(e, ERR_UNAUTH, NULL, "invalid token");
	auth_hash_token(token, h);
	if (token_cached(h, a, &gen))
		return 0;
	if ((rc = st->ops->token_find(st, h, &t, &u, e))) /* ERR_UNAUTH when none */
		return rc;
	now = clock_now();
	if (t.expires_at && t.expires_at <= now)
		return err_set(e, ERR_UNAUTH, NULL, "invalid token");
	if (now - t.last_used_at >= TOKEN_TOUCH_EVERY) {
		struct touch_ctx tc = { t.id, now };

		/* Best effort: a use not recorded changes nothing it decides. */
		store_write(st, do_touch, &tc, NULL);
	}
	actor_from_user(a, &u);
	a->scope_events = !strcmp(t.scope, "events");
	until = now + TOKEN_CACHE_TTL;
	if (t.expires_at && t.expires_at < until)
		until = t.expires_at;
	token_remember(h, a, until, gen);
	return 0;
}
