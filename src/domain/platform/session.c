/*
 * session.c — signing in and out of the web console. See session.h for the
 * invariants.
 */
#include "domain/platform/session.h"
#include "domain/platform/audit.h"
#include "domain/platform/user.h"
#include "lib/timeutil.h"
#include "store/store.h"
#include "store/store_session.h"

#include <sodium.h>
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

struct failure_ctx {
	const char *username;
	int64_t failures, locked_until;
};

static int do_failures(struct store_tx *tx, void *arg, struct err *e)
{
	struct failure_ctx *f = arg;

	return tx->st->ops->session->failures_set(tx, f->username, f->failures, f->locked_until,
						  e);
}

struct signin_ctx {
	const struct actor *a;
	struct session_row row;
};

static int do_sign_in(struct store_tx *tx, void *arg, struct err *e)
{
	struct signin_ctx *s = arg;
	char entity[96];
	int rc;

	if ((rc = tx->st->ops->session->insert(tx, &s->row, e)) ||
	    (rc = tx->st->ops->session->failures_set(tx, s->a->username, 0, 0, e)))
		return rc;
	snprintf(entity, sizeof(entity), "user:%s", s->a->username);
	return audit_append(tx, s->a, "session.sign_in", entity, NULL, e);
}

int session_sign_in(struct store *st, const char *username, const char *password,
		    char token[SESSION_TOKEN_LEN], char csrf[SESSION_TOKEN_LEN], struct actor *a,
		    struct err *e)
{
	struct failure_ctx f = { username };
	struct signin_ctx s = { a };
	struct err wrong;
	int64_t now = clock_now();
	int rc;

	if ((rc = st->ops->session->failures_get(st, username, &f.failures, &f.locked_until, e)))
		return rc; /* the back-off cannot be known: no sign-in */
	if (f.locked_until > now)
		return err_set(e, ERR_RATE, NULL,
			       "too many failed sign-ins: try again in %lld seconds",
			       (long long)(f.locked_until - now));
	rc = auth_password(st, username, password, a, e);
	if (rc) {
		f.failures++;
		if (f.failures >= SIGNIN_FREE_FAILURES) {
			int64_t lock = SIGNIN_FIRST_LOCK;

			for (int64_t i = SIGNIN_FREE_FAILURES; i < f.failures && lock < SIGNIN_MAX_LOCK;
			     i++)
				lock *= 2;
			f.locked_until = now + (lock < SIGNIN_MAX_LOCK ? lock : SIGNIN_MAX_LOCK);
		}
		/* An unrecorded failure would be a free guess: say so instead. */
		if (store_write(st, do_failures, &f, &wrong))
			return err_set(e, wrong.code, NULL, "%s", wrong.msg);
		return rc;
	}
	random_token(token, SESSION_TOKEN_LEN);
	random_token(csrf, SESSION_TOKEN_LEN);
	token_hash(token, s.row.hash);
	s.row.user_id = a->user_id;
	snprintf(s.row.csrf, sizeof(s.row.csrf), "%s", csrf);
	s.row.created_at = s.row.last_seen = now;
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

static int do_remove(struct store_tx *tx, void *arg, struct err *e)
{
	return tx->st->ops->session->remove(tx, arg, e);
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
		/* Best effort: a session left behind is refused again the same way. */
		store_write(st, do_remove, t.hash, NULL);
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

	if (!token || !*token)
		return 0;
	token_hash(token, h);
	return store_write(st, do_remove, h, e);
}
