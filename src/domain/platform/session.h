/*
 * session.h — web console sessions: sign in with username and password,
 * then a random session token (sent as an HttpOnly cookie) and a CSRF token
 * (sent by the console in X-CSRF-Token on every state change).
 *
 * Invariants: the store keeps only the BLAKE2b hash of a session token; a
 * session ends after SESSION_IDLE seconds without use or SESSION_ABSOLUTE
 * seconds after sign-in, whichever comes first; after SIGNIN_FREE_FAILURES
 * wrong passwords for a username, further attempts are refused for a delay
 * that doubles with each failure (up to SIGNIN_MAX_LOCK), checked before the
 * password is, and a success clears the count.
 *
 * Under parallel attempts: every attempt is counted as a failure, in the
 * same write that checks the lock, before its password is checked (a
 * success then clears the count). So N attempts at once count N, and at
 * most SIGNIN_FREE_FAILURES of them reach a password check before the lock
 * refuses the rest — however many arrive together.
 *
 * Password checks (Argon2id, 64 MiB each) run at most
 * session_cfg.max_verifications at once; at most
 * session_cfg.verification_queue more sign-ins wait for one, each at most
 * session_cfg.verification_wait_ms; any other sign-in is ERR_BUSY (503,
 * "retry later") at once. ERR_BUSY counts no failure. API tokens never
 * wait here (auth_token hashes with BLAKE2b).
 */
#ifndef ITSM_SESSION_H
#define ITSM_SESSION_H

#include "domain/platform/actor.h"
#include "domain/platform/audit.h"
#include "model/platform.h"
#include "lib/err.h"

struct store;

#define SESSION_IDLE (30 * 60)
#define SESSION_ABSOLUTE (12 * 3600)
#define SIGNIN_FREE_FAILURES 5
#define SIGNIN_FIRST_LOCK 30
#define SIGNIN_MAX_LOCK (15 * 60)
#define SESSION_TOKEN_LEN 64

/* Set before the first sign-in (itsm serve: the auth.* options); read once. */
struct session_config {
	int max_verifications;    /* password checks at once, >= 1 */
	int verification_queue;   /* sign-ins that may wait for one, >= 0 */
	long verification_wait_ms; /* the longest one waits */
};
extern struct session_config session_cfg;

int session_sign_in(struct store *st, const char *username, const char *password,
		    char token[SESSION_TOKEN_LEN], char csrf[SESSION_TOKEN_LEN], struct actor *a,
		    struct err *e);
/* Resolve a session token to its actor and CSRF token; ERR_UNAUTH when the
 * session is unknown or expired. */
int session_check(struct store *st, const char *token, struct actor *a,
		  char csrf[SESSION_TOKEN_LEN], struct err *e);
int session_sign_out(struct store *st, const char *token, struct err *e);
/* Check username's password under the sign-in back-off and the
 * verification slots, as a sign-in does (a wrong one counts as a failed
 * sign-in): 0 with the actor, ERR_UNAUTH, ERR_RATE or ERR_BUSY. */
int session_check_password(struct store *st, const char *username, const char *password,
			   struct actor *a, struct err *e);
/* Inside a write: end every session of user_id but the one whose cookie is
 * keep (NULL: none), each with an audit record "session.end" by a. */
struct store_tx;
int session_end_user(struct store_tx *tx, const struct actor *a, int64_t user_id,
		     const char *keep, struct err *e);

/* The audit log's view of sessions (session_state.c): the entity naming a
 * session ("session:" and a digest of its hash), its recorded state (a new
 * reference), and the scan of every stored session for audit_verify. */
#define SESSION_ENTITY_LEN 48
void session_entity(const uint8_t hash[32], char out[SESSION_ENTITY_LEN]);
json_t *session_state_json(const struct session_row *s, const char *username);
int session_state_scan(struct store *st, audit_state_fn fn, void *ctx, struct err *e);

#endif
