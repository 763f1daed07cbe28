/*
 * session.c — signing in and out of the web console. See session.h for the
 * invariants: the back-off's count is taken in the write that checks the
 * lock, before the (costly) password check, which runs in one of a few
 * slots (lib/slots.h).
 */
#include "domain/platform/session.h"
#include "domain/platform/audit.h"
#include "domain/platform/user.h"
#include "lib/slots.h"
#include "lib/timeutil.h"
#include "store/store.h"
#include "store/store_session.h"
#include "lib/plural.h"

#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

static void token_hash(const char *token, uint8_t out[32])
{
	crypto_generichash(out, 32, (const unsigned char *)token, strlen(token), NULL, 0);
}

static void random_token(char *out, size_t n)
{
	unsigned char raw[32];

	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(out, n, raw, sizeof(raw), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

struct session_config session_cfg = {
	.max_verifications = 2,
	.verification_queue = 16,
	.verification_wait_ms = 3000,
};

static struct slots verify_slots;
static pthread_once_t verify_once = PTHREAD_ONCE_INIT;
static int verify_ready;

static void verify_init(void)
{
	verify_ready = !slots_init(&verify_slots, session_cfg.max_verifications,
				   session_cfg.verification_queue);
}

/* A slot for one password check, or ERR_BUSY. */
static int verify_take(struct err *e)
{
	pthread_once(&verify_once, verify_init);
	if (!verify_ready)
		return err_set(e, ERR_INTERNAL, NULL, "cannot set up the password checks");
	if (slots_take(&verify_slots, session_cfg.verification_wait_ms))
		return err_set(e, ERR_BUSY, NULL, "too many sign-ins at once: retry in a moment");
	return 0;
}

/* Seconds a username is locked after its failures-th failure (0 below
 * SIGNIN_FREE_FAILURES). */
static int64_t lock_seconds(int64_t failures)
{
	int64_t lock = SIGNIN_FIRST_LOCK;

	if (failures < SIGNIN_FREE_FAILURES)
		return 0;
	for (int64_t i = SIGNIN_FREE_FAILURES; i < failures && lock < SIGNIN_MAX_LOCK; i++)
		lock *= 2;
	return lock < SIGNIN_MAX_LOCK ? lock : SIGNIN_MAX_LOCK;
}

static int locked(struct err *e, int64_t seconds)
{
	return err_set(e, ERR_RATE, NULL, "too many failed sign-ins: try again in %lld %s",
		       (long long)seconds, plural(seconds, "second", "seconds"));
}

/* Refuse a locked username, or count this attempt as a failure (and lock
 * the name once it has had its free ones): one write, so attempts made at
 * once each see the ones before. */
struct attempt_ctx {
	const char *username;
};

static int do_attempt(struct store_tx *tx, void *arg, struct err *e)
{
	const struct store_session_ops *ops = tx->st->ops->session;
	const char *username = ((struct attempt_ctx *)arg)->username;
	int64_t failures, locked_until, now = clock_now();
	int rc;

	if ((rc = ops->failures_get(tx->st, tx, username, &failures, &locked_until, e)))
		return rc;
	if (locked_until > now)
		return locked(e, locked_until - now);
	if ((rc = ops->failures_add(tx, username, &failures, e)))
		return rc;
	if (failures < SIGNIN_FREE_FAILURES)
		return 0;
	return ops->failures_lock(tx, username, now + lock_seconds(failures), e);
}

struct signin_ctx {
	const struct actor *a;
	struct session_row row;
};

static int do_sign_in(struct store_tx *tx, void *arg, struct err *e)
{
	struct signin_ctx *s = arg;
	char entity[SESSION_ENTITY_LEN];
	json_t *change;
	int rc;

	if ((rc = tx->st->ops->session->insert(tx, &s->row, e)) ||
	    (rc = tx->st->ops->session->failures_clear(tx, s->a->username, e)))
		return rc;
	session_entity(s->row.hash, entity);
	change = json_pack("{s:o}", "after", session_state_json(&s->row, s->a->username));
	rc = audit_append(tx, s->a, "session.sign_in", entity, change, e);
	json_decref(change);
	return rc;
}

int session_check_password(struct store *st, const char *username, const char *password,
			   struct actor *a, struct err *e)
{
	struct attempt_ctx at = { username };
	int64_t failures, locked_until, now = clock_now();
	int rc;

	/* A locked name is refused before it waits for a password check. */
	if ((rc = st->ops->session->failures_get(st, NULL, username, &failures, &locked_until,
						 e)))
		return rc; /* the back-off cannot be known: no check */
	if (locked_until > now)
		return locked(e, locked_until - now);
	if ((rc = verify_take(e)))
		return rc;
	rc = store_write(st, do_attempt, &at, e);
	if (!rc)
		rc = auth_password(st, username, password, a, e);
	slots_give(&verify_slots);
	return rc;
}

int session_sign_in(struct store *st, const char *username, const char *password,
		    char token[SESSION_TOKEN_LEN], char csrf[SESSION_TOKEN_LEN], struct actor *a,
		    struct err *e)
{
	struct signin_ctx s = { a };
	int rc;

	if ((rc = session_check_password(st, username, password, a, e)))
		return rc;
	random_token(token, SESSION_TOKEN_LEN);
	random_token(csrf, SESSION_TOKEN_LEN);
	token_hash(token, s.row.hash);
	s.row.user_id = a->user_id;
	snprintf(s.row.csrf, sizeof(s.row.csrf), "%s", csrf);
	s.row.created_at = s.row.last_seen = clock_now();
	return store_write(st, do_sign_in, &s, e);
}

struct touch_ctx {
	uint8_t hash[32];
	int64_t at;
};

static int do_touch(struct store_tx *tx, void *arg, struct err *e)
{
	struct touch_ctx *t = arg;

	return tx->st->ops->session->touch(tx, t->hash, t->at, e);
}

struct remove_ctx {
	const uint8_t *hash;
	const char *action; /* "session.sign_out", "session.expire" */
};

/* A session's end is audited, so audit_verify expects it gone. */
static int do_remove(struct store_tx *tx, void *arg, struct err *e)
{
	struct remove_ctx *r = arg;
	char entity[SESSION_ENTITY_LEN];
	struct actor sys;
	json_t *change;
	int rc = tx->st->ops->session->remove(tx, r->hash, e);

	if (rc == ERR_NOT_FOUND)
		return 0; /* nothing ended: nothing to record */
	if (rc)
		return rc;
	actor_system(&sys, "session");
	session_entity(r->hash, entity);
	change = json_pack("{s:n}", "after");
	rc = audit_append(tx, &sys, r->action, entity, change, e);
	json_decref(change);
	return rc;
}

int session_check(struct store *st, const char *token, struct actor *a,
		  char csrf[SESSION_TOKEN_LEN], struct err *e)
{
	struct session_row row;
	struct user u;
	struct touch_ctx t;
	int64_t now = clock_now();
	int rc;

	if (!token || !*token || strlen(token) >= SESSION_TOKEN_LEN)
		return err_set(e, ERR_UNAUTH, NULL, "sign in first");
	token_hash(token, t.hash);
	if ((rc = st->ops->session->get(st, t.hash, &row, &u, e)))
		return err_absent(e, rc, ERR_UNAUTH, NULL, "your session has ended: sign in again");
	if (now - row.last_seen > SESSION_IDLE || now - row.created_at > SESSION_ABSOLUTE) {
		struct remove_ctx r = { t.hash, "session.expire" };

		/* Best effort: a session left behind is refused again the same way. */
		store_write(st, do_remove, &r, NULL);
		return err_set(e, ERR_UNAUTH, NULL, "your session has expired: sign in again");
	}
	/* Record use at most once a minute: a write per request would cost. */
	if (now - row.last_seen >= 60) {
		t.at = now;
		/* Best effort: a use not recorded only ends the session sooner. */
		store_write(st, do_touch, &t, NULL);
	}
	actor_from_user(a, &u);
	snprintf(csrf, SESSION_TOKEN_LEN, "%s", row.csrf);
	return 0;
}

int session_sign_out(struct store *st, const char *token, struct err *e)
{
	uint8_t h[32];
	struct remove_ctx r = { h, "session.sign_out" };

	if (!token || !*token)
		return 0;
	token_hash(token, h);
	return store_write(st, do_remove, &r, e);
}

int session_end_user(struct store_tx *tx, const struct actor *a, int64_t user_id,
		     const char *keep, struct err *e)
{
	const struct store_session_ops *ops = tx->st->ops->session;
	uint8_t *hashes = NULL, kept[32];
	char entity[SESSION_ENTITY_LEN];
	size_t n = 0;
	json_t *change;
	int rc;

	if (keep && *keep)
		token_hash(keep, kept);
	if ((rc = ops->list_user(tx->st, tx, user_id, &hashes, &n, e)))
		return rc;
	for (size_t i = 0; !rc && i < n; i++) {
		const uint8_t *h = hashes + 32 * i;

		if (keep && *keep && !memcmp(h, kept, 32))
			continue;
		if ((rc = ops->remove(tx, h, e)))
			break;
		session_entity(h, entity);
		change = json_pack("{s:n}", "after");
		rc = audit_append(tx, a, "session.end", entity, change, e);
		json_decref(change);
	}
	free(hashes);
	return rc;
}
