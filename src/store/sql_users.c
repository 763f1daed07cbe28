/*
 * sql_users.c — the SQL store's customers, users and API tokens.
 * A token is found by the hash of its text, joined to its active user;
 * whether it has expired is the domain's to decide (its clock). A token is
 * never deleted: revoking it sets revoked, so its audit state stays.
 */
#include "store/sql.h"

#include <stdlib.h>
#include <string.h>

/* ---- customers ---- */

static const char SQL_CUSTOMER_INSERT[] =
	"INSERT INTO customers(key, name, created_at, updated_at, version) "
	"VALUES(?1, ?2, ?3, ?3, 1) RETURNING id";
#define CUSTOMER_COLS "id, key, name, created_at, updated_at, version, status FROM customers "
static const char SQL_CUSTOMER_BY_ID[] = "SELECT " CUSTOMER_COLS "WHERE id = ?1";
static const char SQL_CUSTOMER_BY_KEY[] = "SELECT " CUSTOMER_COLS "WHERE key = ?1";
static const char SQL_CUSTOMER_LIST[] = "SELECT " CUSTOMER_COLS "ORDER BY key";
static const char SQL_CUSTOMER_UPDATE[] =
	"UPDATE customers SET name = ?2, status = ?3, updated_at = ?4, version = ?5 "
	"WHERE id = ?1 AND version = ?6";

static int customer_row(struct db_stmt *s, void *item)
{
	struct customer *cu = item;

	cu->id = db_int(s, 0);
	db_text(s, 1, cu->key, sizeof(cu->key));
	db_text(s, 2, cu->name, sizeof(cu->name));
	cu->created_at = db_int(s, 3);
	cu->updated_at = db_int(s, 4);
	cu->version = db_int(s, 5);
	db_text(s, 6, cu->status, sizeof(cu->status));
	return 0;
}

static const struct db_kind customer_kind = { sizeof(struct customer), customer_row, NULL };

int sq_customer_insert(struct store_tx *tx, struct customer *cu, struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_CUSTOMER_INSERT, e);
	int rc;

	db_bind_str(s, 1, cu->key);
	db_bind_str(s, 2, cu->name);
	db_bind_int(s, 3, cu->created_at);
	if ((rc = db_insert(s, NULL, NULL, &cu->id, e)))
		return rc == ERR_CONFLICT ? err_set(e, ERR_CONFLICT, "key",
						    "customer '%s' already exists", cu->key)
					  : rc;
	cu->updated_at = cu->created_at;
	cu->version = 1;
	snprintf(cu->status, sizeof(cu->status), "active");
	return 0;
}

int sq_customer_update(struct store_tx *tx, const struct customer *cu, struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_CUSTOMER_UPDATE, e);

	db_bind_int(s, 1, cu->id);
	db_bind_str(s, 2, cu->name);
	db_bind_str(s, 3, cu->status);
	db_bind_int(s, 4, cu->updated_at);
	db_bind_int(s, 5, cu->version);
	db_bind_int(s, 6, cu->version - 1);
	return db_done_versioned(s, e, "customer '%s'", cu->key);
}

int sq_customer_get(struct store *st, struct store_tx *tx, int64_t id, const char *key,
			struct customer *cu, struct err *e)
{
	CONN_OR_FAIL(c, st, tx, e);
	int rc = db_one_by(c, SQL_CUSTOMER_BY_KEY, SQL_CUSTOMER_BY_ID, key, id, &customer_kind, cu,
			   e);

	return err_absent(e, rc, ERR_NOT_FOUND, "customer", "unknown customer '%s'",
			  key ? key : "");
}

int sq_customer_list(struct store *st, struct customer **out, size_t *n, struct err *e)
{
	CONN_OR_FAIL(c, st, NULL, e);
	STMT_OR_FAIL(s, c, SQL_CUSTOMER_LIST, e);

	return db_all(s, &customer_kind, 0, (void **)out, n, NULL, e);
}

/* ---- users and tokens ---- */

#define USER_COLS                                                                                  \
	"u.id, u.username, u.name, u.role, u.customer_id, COALESCE(c.key, ''), u.email, "         \
	"u.groups_csv, u.password_hash, u.active, u.created_at, u.updated_at, u.version, u.phone "

static const char SQL_USER_INSERT[] =
	"INSERT INTO users(username, name, role, customer_id, email, groups_csv, password_hash, "
	"active, created_at, updated_at, version, phone) "
	"VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, 1, ?8, ?8, 1, ?9) RETURNING id";
static const char SQL_USER_UPDATE[] =
	"UPDATE users SET name = ?2, role = ?3, customer_id = ?4, email = ?5, groups_csv = ?6, "
	"password_hash = ?7, active = ?8, updated_at = ?9, version = version + 1 "
	"WHERE id = ?1 AND version = ?10";
static const char SQL_USER_BY_ID[] = "SELECT " USER_COLS
				     "FROM users u LEFT JOIN customers c ON c.id = u.customer_id "
				     "WHERE u.id = ?1";
static const char SQL_USER_BY_NAME[] = "SELECT " USER_COLS
				       "FROM users u LEFT JOIN customers c ON c.id = u.customer_id "
				       "WHERE u.username = ?1";
static const char SQL_USER_LIST[] = "SELECT " USER_COLS
				    "FROM users u LEFT JOIN customers c ON c.id = u.customer_id "
				    "ORDER BY u.username";
static const char SQL_USER_COUNT[] = "SELECT count(*) FROM users";
static const char SQL_USER_COUNT_ADMINS[] =
	"SELECT count(*) FROM users WHERE role = 'admin' AND active = 1";
static const char SQL_TOKEN_INSERT[] =
	"INSERT INTO tokens(user_id, name, scope, hash, revoked, created_at, expires_at) "
	"VALUES(?1, ?2, ?3, ?4, 0, ?5, ?6) RETURNING id";
static const char SQL_TOKEN_FIND[] =
	"SELECT t.id, t.user_id, t.name, t.scope, t.created_at, COALESCE(t.expires_at, 0), "
	"COALESCE(t.last_used_at, 0), " USER_COLS
	"FROM tokens t JOIN users u ON u.id = t.user_id "
	"LEFT JOIN customers c ON c.id = u.customer_id "
	"WHERE t.hash = ?1 AND t.revoked = 0 AND u.active = 1";
#define TOKEN_COLS                                                                                 \
	"t.id, t.user_id, t.name, t.scope, t.hash, t.revoked, t.created_at, "                     \
	"COALESCE(t.expires_at, 0), COALESCE(t.last_used_at, 0), COALESCE(u.username, '') "
static const char SQL_TOKEN_SCAN[] = "SELECT " TOKEN_COLS
				     "FROM tokens t LEFT JOIN users u ON u.id = t.user_id ORDER BY t.id";
static const char SQL_TOKEN_GET[] = "SELECT " TOKEN_COLS
				    "FROM tokens t LEFT JOIN users u ON u.id = t.user_id "
				    "WHERE t.id = ?1";
static const char SQL_TOKEN_LIST[] = "SELECT " TOKEN_COLS
				     "FROM tokens t LEFT JOIN users u ON u.id = t.user_id "
				     "WHERE ?1 IS NULL OR t.user_id = ?1 ORDER BY t.id";
static const char SQL_TOKEN_REVOKE[] = "UPDATE tokens SET revoked = 1 WHERE id = ?1";
static const char SQL_TOKEN_TOUCH[] = "UPDATE tokens SET last_used_at = ?2 WHERE id = ?1";

static void user_cols(struct db_stmt *s, int o, struct user *u)
{
	char role[32];

	u->id = db_int(s, o + 0);
	db_text(s, o + 1, u->username, sizeof(u->username));
	db_text(s, o + 2, u->name, sizeof(u->name));
	db_text(s, o + 3, role, sizeof(role));
	if (role_parse(role, &u->role))
		u->role = ROLE_REQUESTER;
	u->customer_id = db_int(s, o + 4);
	db_text(s, o + 5, u->customer, sizeof(u->customer));
	db_text(s, o + 6, u->email, sizeof(u->email));
	db_text(s, o + 7, u->groups, sizeof(u->groups));
	db_text(s, o + 8, u->password_hash, sizeof(u->password_hash));
	u->active = (int)db_int(s, o + 9);
	u->created_at = db_int(s, o + 10);
	u->updated_at = db_int(s, o + 11);
	u->version = db_int(s, o + 12);
	db_text(s, o + 13, u->phone, sizeof(u->phone));
}

static int user_row(struct db_stmt *s, void *item)
{
	user_cols(s, 0, item);
	return 0;
}

static const struct db_kind user_kind = { sizeof(struct user), user_row, NULL };

int sq_user_insert(struct store_tx *tx, struct user *u, struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_USER_INSERT, e);
	int rc;

	db_bind_str(s, 1, u->username);
	db_bind_str(s, 2, u->name);
	db_bind_str(s, 3, role_name(u->role));
	db_bind_id(s, 4, u->customer_id);
	db_bind_str(s, 5, u->email);
	db_bind_str(s, 6, u->groups);
	db_bind_str(s, 7, u->password_hash);
	db_bind_int(s, 8, u->created_at);
	db_bind_str(s, 9, u->phone);
	if ((rc = db_insert(s, NULL, NULL, &u->id, e)))
		return rc == ERR_CONFLICT ? err_set(e, ERR_CONFLICT, "username",
						    "user '%s' already exists", u->username)
					  : rc;
	u->updated_at = u->created_at;
	u->version = 1;
	u->active = 1;
	return 0;
}

int sq_user_update(struct store_tx *tx, const struct user *u, struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_USER_UPDATE, e);

	db_bind_int(s, 1, u->id);
	db_bind_str(s, 2, u->name);
	db_bind_str(s, 3, role_name(u->role));
	db_bind_id(s, 4, u->customer_id);
	db_bind_str(s, 5, u->email);
	db_bind_str(s, 6, u->groups);
	db_bind_str(s, 7, u->password_hash);
	db_bind_int(s, 8, u->active);
	db_bind_int(s, 9, u->updated_at);
	db_bind_int(s, 10, u->version - 1);
	return db_done_versioned(s, e, "user '%s'", u->username);
}

int sq_user_get(struct store *st, struct store_tx *tx, int64_t id, const char *username,
		    struct user *u, struct err *e)
{
	CONN_OR_FAIL(c, st, tx, e);
	int rc = db_one_by(c, SQL_USER_BY_NAME, SQL_USER_BY_ID, username, id, &user_kind, u, e);

	return err_absent(e, rc, ERR_NOT_FOUND, "user", "unknown user '%s'",
			  username ? username : "");
}

int sq_user_list(struct store *st, struct user **out, size_t *n, struct err *e)
{
	CONN_OR_FAIL(c, st, NULL, e);
	STMT_OR_FAIL(s, c, SQL_USER_LIST, e);

	return db_all(s, &user_kind, 0, (void **)out, n, NULL, e);
}

int sq_user_count(struct store *st, int64_t *n, struct err *e)
{
	CONN_OR_FAIL(c, st, NULL, e);
	STMT_OR_FAIL(s, c, SQL_USER_COUNT, e);
	int rc = db_one(s, &db_int64, n, e);

	return err_absent(e, rc, ERR_INTERNAL, NULL, "store: no count");
}

int sq_user_count_admins(struct store *st, struct store_tx *tx, int64_t *n, struct err *e)
{
	CONN_OR_FAIL(c, st, tx, e);
	STMT_OR_FAIL(s, c, SQL_USER_COUNT_ADMINS, e);
	int rc = db_one(s, &db_int64, n, e);

	return err_absent(e, rc, ERR_INTERNAL, NULL, "store: no count");
}

int sq_token_insert(struct store_tx *tx, struct token *t, struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_TOKEN_INSERT, e);

	db_bind_int(s, 1, t->user_id);
	db_bind_str(s, 2, t->name);
	db_bind_str(s, 3, t->scope);
	db_bind_blob(s, 4, t->hash, TOKEN_HASH_LEN);
	db_bind_int(s, 5, t->created_at);
	db_bind_id(s, 6, t->expires_at);
	return db_insert(s, NULL, NULL, &t->id, e);
}

/* A token and its user, read from one row. */
struct token_user {
	struct token *t;
	struct user *u;
};

static int token_row(struct db_stmt *s, void *item)
{
	struct token_user *tu = item;

	tu->t->id = db_int(s, 0);
	tu->t->user_id = db_int(s, 1);
	db_text(s, 2, tu->t->name, sizeof(tu->t->name));
	db_text(s, 3, tu->t->scope, sizeof(tu->t->scope));
	tu->t->created_at = db_int(s, 4);
	tu->t->expires_at = db_int(s, 5);
	tu->t->last_used_at = db_int(s, 6);
	user_cols(s, 7, tu->u);
	snprintf(tu->t->user, sizeof(tu->t->user), "%s", tu->u->username);
	return 0;
}

static const struct db_kind token_kind = { sizeof(struct token_user), token_row, NULL };

int sq_token_find(struct store *st, const uint8_t *hash, struct token *t, struct user *u,
		      struct err *e)
{
	CONN_OR_FAIL(c, st, NULL, e);
	STMT_OR_FAIL(s, c, SQL_TOKEN_FIND, e);
	struct token_user tu = { t, u };
	int rc;

	db_bind_blob(s, 1, hash, TOKEN_HASH_LEN);
	if (!(rc = db_one(s, &token_kind, &tu, e)))
		memcpy(t->hash, hash, TOKEN_HASH_LEN);
	return err_absent(e, rc, ERR_UNAUTH, NULL, "invalid token");
}

/* A token as TOKEN_COLS read it. */
static void token_cols(struct db_stmt *s, struct token *t)
{
	memset(t, 0, sizeof(*t));
	t->id = db_int(s, 0);
	t->user_id = db_int(s, 1);
	db_text(s, 2, t->name, sizeof(t->name));
	db_text(s, 3, t->scope, sizeof(t->scope));
	/* A hash of another length is kept as zeros: it matches nothing. */
	db_blob(s, 4, t->hash, TOKEN_HASH_LEN);
	t->revoked = (int)db_int(s, 5);
	t->created_at = db_int(s, 6);
	t->expires_at = db_int(s, 7);
	t->last_used_at = db_int(s, 8);
	db_text(s, 9, t->user, sizeof(t->user));
}

static int token_cols_row(struct db_stmt *s, void *item)
{
	token_cols(s, item);
	return 0;
}

static const struct db_kind token_cols_kind = { sizeof(struct token), token_cols_row, NULL };

struct token_scan {
	store_token_fn fn;
	void *ctx;
};

static int token_scan_row(struct db_stmt *s, void *arg)
{
	struct token_scan *ts = arg;
	struct token t;

	token_cols(s, &t);
	return ts->fn(&t, t.user, ts->ctx);
}

int sq_token_scan(struct store *st, store_token_fn fn, void *ctx, struct err *e)
{
	CONN_OR_FAIL(c, st, NULL, e);
	STMT_OR_FAIL(s, c, SQL_TOKEN_SCAN, e);
	struct token_scan ts = { fn, ctx };

	return db_each(s, token_scan_row, &ts, e);
}

int sq_token_get(struct store *st, struct store_tx *tx, int64_t id, struct token *t,
		 struct err *e)
{
	CONN_OR_FAIL(c, st, tx, e);
	STMT_OR_FAIL(s, c, SQL_TOKEN_GET, e);
	int rc;

	db_bind_int(s, 1, id);
	rc = db_one(s, &token_cols_kind, t, e);
	return err_absent(e, rc, ERR_NOT_FOUND, NULL, "token %lld not found", (long long)id);
}

int sq_token_list(struct store *st, int64_t user_id, struct token **out, size_t *n,
		  struct err *e)
{
	CONN_OR_FAIL(c, st, NULL, e);
	STMT_OR_FAIL(s, c, SQL_TOKEN_LIST, e);

	db_bind_id(s, 1, user_id);
	return db_all(s, &token_cols_kind, 0, (void **)out, n, NULL, e);
}

int sq_token_revoke(struct store_tx *tx, int64_t id, struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_TOKEN_REVOKE, e);

	db_bind_int(s, 1, id);
	return db_done(s, NULL, NULL, e);
}

int sq_token_touch(struct store_tx *tx, int64_t id, int64_t at, struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_TOKEN_TOUCH, e);

	db_bind_int(s, 1, id);
	db_bind_int(s, 2, at);
	return db_done(s, NULL, NULL, e);
}
