/*
 * user.h — customers (the organisations we serve), users with roles, the
 * audit's view of users and tokens, and password authentication. Changing
 * a user: account.h; API tokens: token.h.
 *
 * Invariants: a requester belongs to exactly one customer, staff to none;
 * passwords are stored only as Argon2id strings (libsodium crypto_pwhash_str);
 * usernames and customer keys are unique.
 */
#ifndef ITSM_USER_H
#define ITSM_USER_H

#include <jansson.h>
#include <stdint.h>

#include "domain/platform/actor.h"
#include "model/platform.h"
#include "domain/platform/audit.h"
#include "lib/err.h"

struct store;
struct store_tx;

int customer_key_valid(const char *key);
/* The customer a request names (in tx, or NULL): ERR_INVALID on the field
 * "customer" when there is none by that key. */
int customer_named(struct store *st, struct store_tx *tx, const char *key, struct customer *cu,
		   struct err *e);
/* Every customer, user and token as stored now ("customer:KEY",
 * "user:NAME", "token:ID"), in the form the audit log recorded them, for
 * audit_verify. */
int user_state_scan(struct store *st, audit_state_fn fn, void *ctx, struct err *e);
/* The forms the audit log records (new references): a user with a digest
 * of their password hash, a token with a digest of its hash. */
json_t *user_state_json(const struct user *u);
json_t *token_state_json(const struct token *t, const char *username);
int customer_add(struct store *st, const struct actor *a, const json_t *in, json_t **out,
		 struct err *e);
/* The form the audit log records ("status" only when retired; the API
 * shows it always: lifecycle_show). Lists and changes: customer.h. */
json_t *customer_to_json(const struct customer *c);

/* {"username","name","role","customer","email","password","groups"} */
int user_add(struct store *st, const struct actor *a, const json_t *in, json_t **out,
	     struct err *e);
/* A new contact, staff logging a ticket for a caller who is no user yet
 * (in the caller's write tx): {"name", "email", "phone"?} (c, a JSON
 * object; field names the errors as prefix.name) becomes an active
 * requester of customer cu without a password, audited "user.add". The
 * e-mail must be no active user's (compared without case: the mail intake
 * finds senders by it), else ERR_INVALID on prefix.email naming the user.
 * The username is the e-mail in lower case (characters a username does
 * not take as '_'), with "-2", "-3", … when taken. *u is the new user. */
#define USER_PHONE_MAX 32
int user_add_contact_in(struct store_tx *tx, const struct actor *a, const json_t *c,
			const char *prefix, const struct customer *cu, struct user *u,
			struct err *e);
int user_list_json(struct store *st, const struct actor *a, json_t **out, struct err *e);
int user_get_json(struct store *st, const struct actor *a, const char *username, json_t **out,
		  struct err *e);
json_t *user_to_json(const struct user *u);
/* A store with no users gets an admin with a random one-time password,
 * written to password; *created says whether that happened. */
#define USER_OTP_LEN 32
int user_bootstrap_admin(struct store *st, char password[USER_OTP_LEN], int *created,
			 struct err *e);

/* The actor a user acts as (a requester with their customer). */
void actor_from_user(struct actor *a, const struct user *u);
int actor_for_username(struct store *st, const char *username, struct actor *a, struct err *e);

/* Authentication: fill an actor from a password (tokens: token.h).
 * ERR_UNAUTH on any mismatch, without saying which part was wrong. */
int auth_password(struct store *st, const char *username, const char *password,
		  struct actor *a, struct err *e);
int auth_password_hash(const char *password, char out[160], struct err *e);

#endif
