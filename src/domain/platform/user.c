/*
 * user.c — customers, users, the audit's view of them and of tokens, and
 * signing in with a password. See user.h for the invariants. Only admins
 * add users and customers; the CLI acts as the system actor, which may do
 * everything (it holds the database file). Changing a user is account.c's;
 * making, revoking and checking tokens is token.c's.
 */
#include "domain/platform/lifecycle.h"
#include "domain/platform/user.h"
#include "domain/platform/audit.h"
#include "lib/ident.h"
#include "lib/jsonx.h"
#include "lib/timeutil.h"
#include "store/store.h"
#include "store/store_mail.h"

#include "lib/log.h"

#include <pthread.h>
#include <sodium.h>
#include <string.h>

static int is_admin(const struct actor *a)
{
	return a->role == ROLE_ADMIN || a->role == ROLE_SYSTEM;
}

int customer_key_valid(const char *key)
{
	return ident_valid(key, 63, "-_");
}

int customer_named(struct store *st, struct store_tx *tx, const char *key, struct customer *cu,
		   struct err *e)
{
	int rc = st->ops->customer_get(st, tx, 0, key, cu, e);

	return err_absent(e, rc, ERR_INVALID, "customer", "unknown customer '%s'", key);
}

json_t *customer_to_json(const struct customer *c)
{
	json_t *j = json_object();

	json_object_set_new(j, "id", json_integer(c->id));
	json_object_set_new(j, "key", json_string(c->key));
	json_object_set_new(j, "name", json_string(c->name));
	jx_set_time(j, "created_at", c->created_at);
	jx_set_time(j, "updated_at", c->updated_at);
	json_object_set_new(j, "version", json_integer(c->version));
	return lifecycle_state(j, c->status);
}

struct cust_ctx {
	const struct actor *a;
	struct customer c;
};

static int do_customer_add(struct store_tx *tx, void *arg, struct err *e)
{
	struct cust_ctx *w = arg;
	json_t *change;
	char entity[96];
	int rc;

	w->c.created_at = clock_now();
	if ((rc = tx->st->ops->customer_insert(tx, &w->c, e)))
		return rc;
	snprintf(entity, sizeof(entity), "customer:%s", w->c.key);
	change = json_pack("{s:o}", "after", customer_to_json(&w->c));
	rc = audit_append(tx, w->a, "customer.add", entity, change, e);
	json_decref(change);
	return rc;
}

int customer_add(struct store *st, const struct actor *a, const json_t *in, json_t **out,
		 struct err *e)
{
	static const char *const fields[] = { "key", "name", NULL };
	struct cust_ctx w = { .a = a };
	const char *key, *name = NULL;
	int rc;

	if (!is_admin(a))
		return err_set(e, ERR_FORBIDDEN, NULL, "only admins add customers");
	if (!json_is_object(in))
		return err_set(e, ERR_INVALID, NULL, "the body must be a JSON object");
	if ((rc = jx_only(in, fields, e)) || (rc = jx_str(in, "key", JX_REQUIRED, 63, &key, e)) ||
	    (rc = jx_str(in, "name", JX_OPTIONAL, 199, &name, e)) < 0)
		return rc;
	if (!customer_key_valid(key))
		return err_set(e, ERR_INVALID, "key",
			       "malformed customer key '%s' (letters, digits, - and _)", key);
	snprintf(w.c.key, sizeof(w.c.key), "%s", key);
	snprintf(w.c.name, sizeof(w.c.name), "%s", name && *name ? name : key);
	rc = store_write(st, do_customer_add, &w, e);
	if (!rc)
		*out = lifecycle_show(customer_to_json(&w.c));
	return rc;
}

/* A token as the audit log records it: whose it is, its scope, whether it
 * is revoked, when it expires (if it does), and a digest of its hash (the
 * hash itself stays out of the log managers read). */
json_t *token_state_json(const struct token *t, const char *username)
{
	char d[AUDIT_HASH_LEN * 2 + 1];
	json_t *j = json_object();

	audit_secret_digest(t->hash, TOKEN_HASH_LEN, d);
	json_object_set_new(j, "id", json_integer(t->id));
	json_object_set_new(j, "user", json_string(username));
	json_object_set_new(j, "name", json_string(t->name));
	json_object_set_new(j, "scope", json_string(t->scope));
	json_object_set_new(j, "revoked", json_boolean(t->revoked));
	json_object_set_new(j, "hash_digest", json_string(d));
	jx_set_time(j, "created_at", t->created_at);
	/* Only when set: a token without one reads as it always did. */
	if (t->expires_at)
		jx_set_time(j, "expires_at", t->expires_at);
	return j;
}

static int state_token(const struct token *t, const char *username, void *to)
{
	return audit_state_hand(to, token_state_json(t, username), "token:%lld", (long long)t->id);
}

int user_state_scan(struct store *st, audit_state_fn fn, void *ctx, struct err *e)
{
	struct audit_scan s = { fn, ctx };
	struct customer *cs = NULL;
	struct user *us = NULL;
	size_t nc = 0, nu = 0;
	int rc;

	if ((rc = st->ops->customer_list(st, &cs, &nc, e)) ||
	    (rc = st->ops->user_list(st, &us, &nu, e)))
		goto out;
	for (size_t i = 0; !rc && i < nc; i++)
		rc = audit_state_hand(&s, customer_to_json(&cs[i]), "customer:%s", cs[i].key);
	for (size_t i = 0; !rc && i < nu; i++)
		rc = audit_state_hand(&s, user_state_json(&us[i]), "user:%s", us[i].username);
	if (!rc)
		rc = st->ops->token_scan(st, state_token, &s, e);
out:
	free(cs);
	free(us);
	return rc;
}

/* ---- users ---- */

json_t *user_to_json(const struct user *u)
{
	json_t *j = json_object();

	json_object_set_new(j, "id", json_integer(u->id));
	json_object_set_new(j, "username", json_string(u->username));
	json_object_set_new(j, "name", json_string(u->name));
	json_object_set_new(j, "role", json_string(role_name(u->role)));
	jx_set_str(j, "customer", u->customer[0] ? u->customer : NULL);
	json_object_set_new(j, "email", json_string(u->email));
	json_object_set_new(j, "groups", json_string(u->groups));
	/* Left out when unset: every user stored before keeps its form. */
	if (u->phone[0])
		json_object_set_new(j, "phone", json_string(u->phone));
	json_object_set_new(j, "active", json_boolean(u->active));
	jx_set_time(j, "created_at", u->created_at);
	jx_set_time(j, "updated_at", u->updated_at);
	json_object_set_new(j, "version", json_integer(u->version));
	return j;
}

/* A user as the audit log records it: as the API shows them, plus the
 * customer's id (a requester's rights hang on it) and a digest of the
 * password hash (null when there is none), never the hash itself. */
json_t *user_state_json(const struct user *u)
{
	json_t *j = user_to_json(u);
	char d[AUDIT_HASH_LEN * 2 + 1];

	json_object_set_new(j, "customer_id", json_integer(u->customer_id));
	if (u->password_hash[0]) {
		audit_secret_digest(u->password_hash, strlen(u->password_hash), d);
		json_object_set_new(j, "password_digest", json_string(d));
	} else {
		json_object_set_new(j, "password_digest", json_null());
	}
	return j;
}

int auth_password_hash(const char *password, char out[160], struct err *e)
{
	if (strlen(password) < 8)
		return err_set(e, ERR_INVALID, "password", "password must have at least 8 characters");
	if (strlen(password) > 1024)
		return err_set(e, ERR_INVALID, "password", "password is too long");
	if (crypto_pwhash_str(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE))
		return err_set(e, ERR_INTERNAL, NULL, "cannot hash the password (out of memory)");
	return 0;
}

static int valid_username(const char *s)
{
	return ident_valid(s, 63, "._-@");
}

struct user_ctx {
	const struct actor *a;
	struct user u;
	const char *customer;
};

static int do_user_add(struct store_tx *tx, void *arg, struct err *e)
{
	struct user_ctx *w = arg;
	json_t *change;
	char entity[96];
	int rc;

	if (w->customer) {
		struct customer c;

		if ((rc = customer_named(tx->st, tx, w->customer, &c, e)))
			return rc;
		w->u.customer_id = c.id;
		snprintf(w->u.customer, sizeof(w->u.customer), "%s", c.key);
	}
	w->u.created_at = clock_now();
	if ((rc = tx->st->ops->user_insert(tx, &w->u, e)))
		return rc;
	snprintf(entity, sizeof(entity), "user:%s", w->u.username);
	change = json_pack("{s:o}", "after", user_state_json(&w->u));
	rc = audit_append(tx, w->a, "user.add", entity, change, e);
	json_decref(change);
	return rc;
}

int user_add(struct store *st, const struct actor *a, const json_t *in, json_t **out,
	     struct err *e)
{
	static const char *const fields[] = { "username", "name",     "role",	"customer",
					      "email",	  "password", "groups", NULL };
	struct user_ctx w = { .a = a };
	const char *username, *name = "", *role, *email = "", *password = NULL, *groups = "";
	int rc;

	if (!is_admin(a))
		return err_set(e, ERR_FORBIDDEN, NULL, "only admins add users");
	if (!json_is_object(in))
		return err_set(e, ERR_INVALID, NULL, "the body must be a JSON object");
	if ((rc = jx_only(in, fields, e)) ||
	    (rc = jx_str(in, "username", JX_REQUIRED, 63, &username, e)) ||
	    (rc = jx_str(in, "name", JX_OPTIONAL, 199, &name, e)) < 0 ||
	    (rc = jx_str(in, "role", JX_REQUIRED, 16, &role, e)) ||
	    (rc = jx_str(in, "customer", JX_OPTIONAL, 63, &w.customer, e)) < 0 ||
	    (rc = jx_str(in, "email", JX_OPTIONAL, 199, &email, e)) < 0 ||
	    (rc = jx_str(in, "groups", JX_OPTIONAL, 255, &groups, e)) < 0 ||
	    (rc = jx_str(in, "password", JX_OPTIONAL, 1024, &password, e)) < 0)
		return rc;
	if (!valid_username(username))
		return err_set(e, ERR_INVALID, "username", "malformed username '%s'", username);
	/* The requester the API shows for the tickets the system opened. */
	if (!strcmp(username, USERNAME_SYSTEM))
		return err_set(e, ERR_INVALID, "username",
			       "username '%s' is reserved: it names the tickets the system opened",
			       username);
	if (role_parse(role, &w.u.role))
		return err_set(e, ERR_INVALID, "role",
			       "unknown role '%s' (requester, agent, operator, manager, admin)",
			       role);
	if (w.u.role == ROLE_REQUESTER && !w.customer)
		return err_set(e, ERR_INVALID, "customer", "a requester needs a customer");
	if (w.u.role != ROLE_REQUESTER && w.customer)
		return err_set(e, ERR_INVALID, "customer", "only requesters belong to a customer");
	if (password && (rc = auth_password_hash(password, w.u.password_hash, e)))
		return rc;
	snprintf(w.u.username, sizeof(w.u.username), "%s", username);
	snprintf(w.u.name, sizeof(w.u.name), "%s", name);
	snprintf(w.u.email, sizeof(w.u.email), "%s", email);
	snprintf(w.u.groups, sizeof(w.u.groups), "%s", groups);
	rc = store_write(st, do_user_add, &w, e);
	if (!rc)
		*out = user_to_json(&w.u);
	return rc;
}

/* An address as the mail intake can match it: local@domain, one '@', no
 * space or control character, no quote or angle bracket. */
static int valid_email(const char *s)
{
	const char *at = strchr(s, '@');

	if (!at || at == s || !at[1] || strchr(at + 1, '@') || !strchr(at + 1, '.'))
		return 0;
	for (; *s; s++)
		if ((unsigned char)*s <= ' ' || *s == 0x7f || strchr("\"<>(),;:[]\\", *s))
			return 0;
	return 1;
}

/* Digits with the usual separators, an optional leading '+'. */
static int valid_phone(const char *s)
{
	int digits = 0;

	for (const char *p = s; *p; p++) {
		if (*p >= '0' && *p <= '9')
			digits++;
		else if (!strchr(" -.()/", *p) && !(*p == '+' && p == s))
			return 0;
	}
	return digits >= 3;
}

int user_add_contact_in(struct store_tx *tx, const struct actor *a, const json_t *c,
			const char *prefix, const struct customer *cu, struct user *u,
			struct err *e)
{
	static const char *const fields[] = { "name", "email", "phone", NULL };
	struct store *st = tx->st;
	const char *name, *email, *phone = "";
	char field[160], taken[64], base[57];
	json_t *change;
	char entity[96];
	int rc;

	memset(u, 0, sizeof(*u));
	if ((rc = jx_only(c, fields, e)) || (rc = jx_text(c, "name", JX_REQUIRED, 199, &name, e)) ||
	    (rc = jx_str(c, "email", JX_REQUIRED, 199, &email, e)) ||
	    (rc = jx_str(c, "phone", JX_OPTIONAL, USER_PHONE_MAX, &phone, e)) < 0) {
		/* name the field inside the object: requester.email */
		snprintf(field, sizeof(field), "%s.%s", prefix, e->field[0] ? e->field : "name");
		snprintf(e->field, sizeof(e->field), "%.63s", field);
		return rc;
	}
	snprintf(field, sizeof(field), "%s.email", prefix);
	if (!valid_email(email))
		return err_set(e, ERR_INVALID, field, "malformed e-mail address '%s'", email);
	rc = st->ops->mail->user_by_email(st, tx, email, taken, e);
	if (rc == 0 || rc == ERR_CONFLICT) {
		err_clear(e);
		return err_set(e, ERR_INVALID, field, "the e-mail address '%s' is already %s's",
			       email, rc ? "several users" : taken);
	}
	if (rc != ERR_NOT_FOUND)
		return rc;
	err_clear(e);
	snprintf(field, sizeof(field), "%s.phone", prefix);
	if (*phone && !valid_phone(phone))
		return err_set(e, ERR_INVALID, field, "malformed phone number '%s'", phone);
	/* The username: the address, lower case, what a username does not take
	 * made '_'; a suffix when it is taken. */
	size_t i;
	for (i = 0; email[i] && i < 56; i++) {
		char ch = email[i];

		ch = (char)(ch >= 'A' && ch <= 'Z' ? ch + 32 : ch);
		base[i] = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || strchr("._-@", ch)
				  ? ch
				  : '_';
	}
	base[i] = '\0';
	for (int n = 1;; n++) {
		struct user other;

		if (n == 1)
			snprintf(u->username, sizeof(u->username), "%s", base);
		else
			snprintf(u->username, sizeof(u->username), "%.56s-%u", base,
				 (unsigned)n % 1000u);
		rc = st->ops->user_get(st, tx, 0, u->username, &other, e);
		if (rc == ERR_NOT_FOUND) {
			err_clear(e);
			break;
		}
		if (rc)
			return rc;
		if (n >= 100)
			return err_set(e, ERR_CONFLICT, prefix, "no free username for '%s'", email);
	}
	snprintf(u->name, sizeof(u->name), "%s", name);
	snprintf(u->email, sizeof(u->email), "%s", email);
	snprintf(u->phone, sizeof(u->phone), "%s", phone);
	u->role = ROLE_REQUESTER;
	u->customer_id = cu->id;
	snprintf(u->customer, sizeof(u->customer), "%s", cu->key);
	u->created_at = clock_now();
	if ((rc = st->ops->user_insert(tx, u, e)))
		return rc;
	snprintf(entity, sizeof(entity), "user:%s", u->username);
	change = json_pack("{s:o}", "after", user_state_json(u));
	rc = audit_append(tx, a, "user.add", entity, change, e);
	json_decref(change);
	return rc;
}

int user_list_json(struct store *st, const struct actor *a, json_t **out, struct err *e)
{
	struct user *us;
	size_t n;
	int rc;

	if (!actor_is_staff(a))
		return err_set(e, ERR_FORBIDDEN, NULL, "requesters cannot list users");
	rc = st->ops->user_list(st, &us, &n, e);
	if (rc)
		return rc;
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, user_to_json(&us[i]));
	free(us);
	*out = json_pack("{s:o, s:n}", "items", items, "next_cursor");
	return 0;
}

int user_get_json(struct store *st, const struct actor *a, const char *username, json_t **out,
		  struct err *e)
{
	struct user u;
	int rc;

	if (!actor_is_staff(a) && strcmp(username, a->username))
		return err_set(e, ERR_NOT_FOUND, NULL, "user '%s' not found", username);
	rc = st->ops->user_get(st, NULL, 0, username, &u, e);
	if (rc)
		return rc;
	*out = user_to_json(&u);
	return 0;
}

int user_bootstrap_admin(struct store *st, char password[USER_OTP_LEN], int *created,
			 struct err *e)
{
	unsigned char raw[12];
	struct actor sys;
	json_t *in, *out = NULL;
	int64_t n;
	int rc;

	*created = 0;
	if ((rc = st->ops->user_count(st, &n, e)))
		return rc;
	if (n > 0)
		return 0;
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(password, USER_OTP_LEN, raw, sizeof(raw),
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	actor_system(&sys, "bootstrap");
	in = json_pack("{s:s, s:s, s:s, s:s}", "username", "admin", "name", "Administrator", "role",
		       "admin", "password", password);
	rc = user_add(st, &sys, in, &out, e);
	json_decref(in);
	json_decref(out);
	/* Several servers starting at once on one empty store (PostgreSQL)
	 * all count no user; the first to write makes the admin and the
	 * others' writes meet its name: the store has its first admin. */
	if (rc && e->code == ERR_CONFLICT && !strcmp(e->field, "username")) {
		err_clear(e);
		return 0;
	}
	*created = !rc;
	return rc;
}

void actor_from_user(struct actor *a, const struct user *u)
{
	memset(a, 0, sizeof(*a));
	a->user_id = u->id;
	snprintf(a->username, sizeof(a->username), "%s", u->username);
	a->role = u->role;
	a->customer_id = u->role == ROLE_REQUESTER ? u->customer_id : 0;
}

int actor_for_username(struct store *st, const char *username, struct actor *a, struct err *e)
{
	struct user u;
	int rc = st->ops->user_get(st, NULL, 0, username, &u, e);

	if (!rc)
		actor_from_user(a, &u);
	return rc;
}

static char dummy_hash[crypto_pwhash_STRBYTES];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void make_dummy(void)
{
	unsigned char r[32];
	char pw[65];

	randombytes_buf(r, sizeof(r));
	sodium_bin2hex(pw, sizeof(pw), r, sizeof(r));
	if (crypto_pwhash_str(dummy_hash, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE))
		dummy_hash[0] = '\0';
}

int auth_password(struct store *st, const char *username, const char *password,
		  struct actor *a, struct err *e)
{
	struct user u;
	int rc = username && password ? st->ops->user_get(st, NULL, 0, username, &u, e)
				       : ERR_NOT_FOUND;

	if (rc && rc != ERR_NOT_FOUND)
		return rc; /* the store failed: not a wrong password */
	if (rc || !u.active || !u.password_hash[0]) {
		/* Spend the same time as a real check so timing tells nothing. */
		pthread_once(&dummy_once, make_dummy);
		if (crypto_pwhash_str_verify(dummy_hash, password ? password : "",
					     password ? strlen(password) : 0) == 0)
			log_error("msg=\"dummy password hash matched\"");
		return err_set(e, ERR_UNAUTH, NULL, "wrong username or password");
	}
	if (crypto_pwhash_str_verify(u.password_hash, password, strlen(password)))
		return err_set(e, ERR_UNAUTH, NULL, "wrong username or password");
	actor_from_user(a, &u);
	return 0;
}
