/*
 * account.c — changing users: user_update (role, groups, customer, name,
 * e-mail, active) and user_password (an admin's reset, a user's own
 * change). See account.h for the invariants. Each change is one write that
 * re-reads the user, checks its version, keeps the last active admin, ends
 * the sessions it must and appends the audit record with the user's state
 * after it; the token cache forgets the user once the write committed.
 */
#include "domain/platform/account.h"
#include "domain/platform/audit.h"
#include "domain/platform/session.h"
#include "domain/platform/token.h"
#include "domain/platform/user.h"
#include "lib/ident.h"
#include "lib/jsonx.h"
#include "lib/timeutil.h"
#include "store/store.h"
#include "store/store_session.h"

#include <sodium.h>
#include <string.h>

static int is_admin(const struct actor *a)
{
	return a->role == ROLE_ADMIN || a->role == ROLE_SYSTEM;
}

/* The actor is the user named (the system never is). */
static int is_self(const struct actor *a, const char *username)
{
	return a->role != ROLE_SYSTEM && !strcmp(a->username, username);
}

/* Another user, for one who is not an admin: a requester is told nothing
 * of whether they exist (API.md), staff are refused. */
static int not_yours(const struct actor *a, const char *username, const char *what,
		     struct err *e)
{
	if (!actor_is_staff(a))
		return err_set(e, ERR_NOT_FOUND, NULL, "user '%s' not found", username);
	return err_set(e, ERR_FORBIDDEN, NULL, "only admins %s", what);
}

/* "ops,dba": names of letters, digits, '.', '_' and '-', no empty one. */
static int groups_valid(const char *s)
{
	char one[64];

	if (!*s)
		return 1;
	for (;;) {
		size_t n = strcspn(s, ",");

		if (n == 0 || n >= sizeof(one))
			return 0;
		memcpy(one, s, n);
		one[n] = '\0';
		if (!ident_valid(one, sizeof(one) - 1, IDENT_PUNCT))
			return 0;
		if (!s[n])
			return 1;
		s += n + 1;
	}
}

/* "groups": "g1,g2" as user add takes it, or ["g1", "g2"]; *out points to
 * the text (buf holds it when it came as a list). 0, 1 when absent, or
 * ERR_INVALID. */
static int groups_read(const json_t *in, char buf[256], const char **out, struct err *e)
{
	json_t *g = json_object_get(in, "groups"), *v;
	size_t i, len = 0;

	if (!json_is_array(g))
		return jx_str(in, "groups", JX_OPTIONAL, 255, out, e);
	buf[0] = '\0';
	json_array_foreach(g, i, v) {
		const char *name = json_string_value(v);
		size_t n = name ? strlen(name) : 0;

		if (!name || !n || strchr(name, ','))
			return err_set(e, ERR_INVALID, "groups",
				       "groups must be names (strings without commas)");
		if (len + n + 2 > 256)
			return err_set(e, ERR_INVALID, "groups", "too many groups (255 bytes at most)");
		if (len)
			buf[len++] = ',';
		memcpy(buf + len, name, n + 1);
		len += n;
	}
	*out = buf;
	return 0;
}

/* Blank or one address: something@something, no spaces or controls. */
static int email_valid(const char *s)
{
	const char *at = strchr(s, '@');

	if (!*s)
		return 1;
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7f || *p == ',' || *p == '<' || *p == '>')
			return 0;
	return at && at != s && at[1] && !strchr(at + 1, '@');
}

/* ---- user_update ---- */

struct update_ctx {
	const struct actor *a;
	const char *username;
	const json_t *in;
	int64_t version;
	const char *name, *email, *groups, *customer;
	char groups_buf[256];
	int has_role, role_given, has_customer, has_active, active;
	enum role role;
	struct user before, after;
};

/* The last active admin stays one. */
static int keep_an_admin(struct store_tx *tx, const struct user *before,
			 const struct user *after, struct err *e)
{
	int64_t n;
	int rc;

	if (before->role != ROLE_ADMIN || !before->active ||
	    (after->role == ROLE_ADMIN && after->active))
		return 0;
	if ((rc = tx->st->ops->user_count_admins(tx->st, tx, &n, e)))
		return rc;
	if (n <= 1)
		return err_set(e, ERR_CONFLICT, after->active ? "role" : "active",
			       "cannot %s '%s': the last active admin (make another admin first)",
			       after->active ? "demote" : "disable", before->username);
	return 0;
}

static int do_user_update(struct store_tx *tx, void *arg, struct err *e)
{
	struct update_ctx *w = arg;
	struct user *u = &w->after;
	const char *action = "user.update";
	char entity[96];
	json_t *change;
	int rc;

	if ((rc = tx->st->ops->user_get(tx->st, tx, 0, w->username, &w->before, e)))
		return err_absent(e, rc, ERR_NOT_FOUND, NULL, "user '%s' not found", w->username);
	if (w->before.version != w->version)
		return err_set(e, ERR_CONFLICT, "version",
			       "user '%s' has changed (version %lld, not %lld): read it again",
			       w->username, (long long)w->before.version, (long long)w->version);
	*u = w->before;
	if (w->name)
		snprintf(u->name, sizeof(u->name), "%s", w->name);
	if (w->email)
		snprintf(u->email, sizeof(u->email), "%s", w->email);
	if (w->groups)
		snprintf(u->groups, sizeof(u->groups), "%s", w->groups);
	if (w->has_role)
		u->role = w->role;
	if (w->has_active)
		u->active = w->active;
	if (w->has_customer && !w->customer) {
		u->customer_id = 0;
		u->customer[0] = '\0';
	} else if (w->has_customer) {
		struct customer c;

		if ((rc = customer_named(tx->st, tx, w->customer, &c, e)))
			return rc;
		u->customer_id = c.id;
		snprintf(u->customer, sizeof(u->customer), "%s", c.key);
	}
	if (u->role == ROLE_REQUESTER && !u->customer_id)
		return err_set(e, ERR_INVALID, "customer", "a requester needs a customer");
	if (u->role != ROLE_REQUESTER && u->customer_id)
		return err_set(e, ERR_INVALID, "customer",
			       "only requesters belong to a customer: send \"customer\": null "
			       "with the new role");
	if ((rc = keep_an_admin(tx, &w->before, u, e)))
		return rc;
	u->updated_at = clock_now();
	u->version++;
	if ((rc = tx->st->ops->user_update(tx, u, e)))
		return rc;
	if (w->before.active && !u->active) {
		action = "user.disable";
		if ((rc = session_end_user(tx, w->a, u->id, NULL, e)))
			return rc;
	} else if (!w->before.active && u->active) {
		action = "user.enable";
	}
	snprintf(entity, sizeof(entity), "user:%s", u->username);
	change = json_pack("{s:o}", "after", user_state_json(u));
	rc = audit_append(tx, w->a, action, entity, change, e);
	json_decref(change);
	/* The other servers drop their cached tokens of this user too. */
	return rc ? rc : token_announce(tx, NULL, u->id, e);
}

int user_update(struct store *st, const struct actor *a, const char *username,
		const json_t *in, json_t **out, struct err *e)
{
	static const char *const fields[] = { "version", "name",     "email",  "role",
					      "groups",	 "customer", "active", NULL };
	static const char *const own[] = { "version", "name", NULL };
	struct update_ctx w = { .a = a, .username = username, .in = in };
	const char *role = NULL;
	int rc;

	if (!is_admin(a) && !is_self(a, username))
		return not_yours(a, username, "change other users", e);
	if (!json_is_object(in))
		return err_set(e, ERR_INVALID, NULL, "the body must be a JSON object");
	if ((rc = jx_only(in, fields, e)))
		return rc;
	if (!is_admin(a) && jx_only(in, own, e)) {
		char field[sizeof(e->field)];

		snprintf(field, sizeof(field), "%s", e->field);
		return err_set(e, ERR_FORBIDDEN, field, "only admins change a user's %s", field);
	}
	if ((rc = jx_int(in, "version", JX_REQUIRED, 1, INT64_MAX, &w.version, e)) ||
	    (rc = jx_str(in, "name", JX_OPTIONAL, 199, &w.name, e)) < 0 ||
	    (rc = jx_str(in, "email", JX_OPTIONAL, 199, &w.email, e)) < 0 ||
	    (rc = groups_read(in, w.groups_buf, &w.groups, e)) < 0 ||
	    (rc = jx_str(in, "role", JX_OPTIONAL, 16, &role, e)) < 0 ||
	    (rc = jx_bool(in, "active", JX_OPTIONAL, &w.active, e)) < 0)
		return rc;
	w.has_active = json_object_get(in, "active") != NULL;
	if (json_is_null(json_object_get(in, "customer"))) {
		w.has_customer = 1;
	} else if ((rc = jx_str(in, "customer", JX_OPTIONAL, 63, &w.customer, e)) < 0) {
		return rc;
	} else {
		w.has_customer = rc == 0;
	}
	if (role && role_parse(role, &w.role))
		return err_set(e, ERR_INVALID, "role",
			       "unknown role '%s' (requester, agent, operator, manager, admin)",
			       role);
	w.has_role = role != NULL;
	if (w.groups && !groups_valid(w.groups))
		return err_set(e, ERR_INVALID, "groups",
			       "malformed groups '%s' (names of letters, digits, . _ and -, "
			       "separated by commas)",
			       w.groups);
	if (w.email && !email_valid(w.email))
		return err_set(e, ERR_INVALID, "email", "malformed e-mail address '%s'", w.email);
	if ((rc = store_write(st, do_user_update, &w, e)))
		return rc;
	token_cache_forget(NULL, w.after.id);
	*out = user_to_json(&w.after);
	return 0;
}

/* ---- passwords ---- */

#define GENERATED_BYTES 18 /* 24 characters of base64url */

struct pw_ctx {
	const struct actor *a;
	const char *username;
	const char *keep; /* the cookie of the session that stays, or NULL */
	int self;         /* the user's own change: their current password passed */
	char hash[160];
	struct user u;
};

static int do_set_password(struct store_tx *tx, void *arg, struct err *e)
{
	struct pw_ctx *w = arg;
	char entity[96];
	json_t *change;
	int rc;

	if ((rc = tx->st->ops->user_get(tx->st, tx, 0, w->username, &w->u, e)))
		return err_absent(e, rc, ERR_NOT_FOUND, NULL, "user '%s' not found", w->username);
	snprintf(w->u.password_hash, sizeof(w->u.password_hash), "%s", w->hash);
	w->u.updated_at = clock_now();
	w->u.version++;
	if ((rc = tx->st->ops->user_update(tx, &w->u, e)) ||
	    (rc = session_end_user(tx, w->a, w->u.id, w->keep, e)))
		return rc;
	/* The current password was right: its check counts no failure, as a
	 * sign-in's success clears the count. */
	if (w->self && (rc = tx->st->ops->session->failures_clear(tx, w->u.username, e)))
		return rc;
	snprintf(entity, sizeof(entity), "user:%s", w->u.username);
	change = json_pack("{s:o}", "after", user_state_json(&w->u));
	rc = audit_append(tx, w->a, "user.password", entity, change, e);
	json_decref(change);
	return rc;
}

int user_password(struct store *st, const struct actor *a, const char *username,
		  const json_t *in, const char *keep_session, json_t **out, struct err *e)
{
	static const char *const fields[] = { "password", "current_password", NULL };
	struct pw_ctx w = { .a = a, .username = username };
	const char *password = NULL, *current = NULL;
	char generated[GENERATED_BYTES * 2];
	int self = is_self(a, username), rc;

	if (!self && !is_admin(a))
		return not_yours(a, username, "set other users' passwords", e);
	if (!json_is_object(in))
		return err_set(e, ERR_INVALID, NULL, "the body must be a JSON object");
	if ((rc = jx_only(in, fields, e)) ||
	    (rc = jx_str(in, "password", self ? JX_REQUIRED : JX_OPTIONAL, 1024, &password, e)) <
		    0 ||
	    (rc = jx_str(in, "current_password", self ? JX_REQUIRED : JX_OPTIONAL, 1024, &current,
			 e)) < 0)
		return rc;
	if (self) {
		struct actor checked;

		/* Under the sign-in back-off: no faster way to guess it. */
		rc = session_check_password(st, username, current, &checked, e);
		if (rc == ERR_UNAUTH)
			return err_set(e, ERR_FORBIDDEN, "current_password",
				       "current password is wrong");
		if (rc)
			return rc;
		w.keep = keep_session;
		w.self = 1;
	} else if (current) {
		return err_set(e, ERR_INVALID, "current_password",
			       "current_password is for one's own password only");
	}
	if (!password) {
		unsigned char raw[GENERATED_BYTES];

		randombytes_buf(raw, sizeof(raw));
		sodium_bin2base64(generated, sizeof(generated), raw, sizeof(raw),
				  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
		sodium_memzero(raw, sizeof(raw));
	}
	if ((rc = auth_password_hash(password ? password : generated, w.hash, e)) ||
	    (rc = store_write(st, do_set_password, &w, e)))
		return rc;
	*out = user_to_json(&w.u);
	if (!password)
		json_object_set_new(*out, "password", json_string(generated));
	sodium_memzero(generated, sizeof(generated));
	return 0;
}

int user_set_password(struct store *st, const struct actor *a, const char *username,
		      const char *password, struct err *e)
{
	struct pw_ctx w = { .a = a, .username = username };
	int rc;

	if (!is_admin(a))
		return err_set(e, ERR_FORBIDDEN, NULL, "only admins reset passwords");
	if ((rc = auth_password_hash(password, w.hash, e)))
		return rc;
	return store_write(st, do_set_password, &w, e);
}
