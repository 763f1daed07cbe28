/*
 * sql_session.c — the SQL store's session operations. A failed
 * sign-in is counted by an upsert that adds one in SQL (see
 * store_session.h).
 */
#include "store/sql.h"
#include "store/store_session.h"

#include <string.h>

static const char SQL_INSERT[] =
	"INSERT INTO sessions(hash, user_id, csrf, created_at, last_seen) VALUES(?1, ?2, ?3, ?4, ?4)";
static const char SQL_GET[] =
	"SELECT s.user_id, s.csrf, s.created_at, s.last_seen, u.username, u.role, "
	"COALESCE(u.customer_id, 0), u.active FROM sessions s JOIN users u ON u.id = s.user_id "
	"WHERE s.hash = ?1";
static const char SQL_TOUCH[] = "UPDATE sessions SET last_seen = ?2 WHERE hash = ?1";
static const char SQL_LIST_USER[] = "SELECT hash FROM sessions WHERE user_id = ?1 ORDER BY hash";
static const char SQL_REMOVE[] = "DELETE FROM sessions WHERE hash = ?1";
static const char SQL_SCAN[] =
	"SELECT s.hash, s.user_id, s.csrf, s.created_at, s.last_seen, COALESCE(u.username, '') "
	"FROM sessions s LEFT JOIN users u ON u.id = s.user_id ORDER BY s.hash";
static const char SQL_FAIL_GET[] =
	"SELECT failures, locked_until FROM sign_in_failures WHERE username = ?1";
static const char SQL_FAIL_ADD[] =
	"INSERT INTO sign_in_failures(username, failures, locked_until) VALUES(?1, 1, 0) "
	"ON CONFLICT(username) DO UPDATE SET failures = sign_in_failures.failures + 1 RETURNING failures";
static const char SQL_FAIL_LOCK[] =
	"UPDATE sign_in_failures SET locked_until = ?2 WHERE username = ?1";
static const char SQL_FAIL_CLEAR[] = "DELETE FROM sign_in_failures WHERE username = ?1";

static int insert(struct store_tx *tx, const struct session_row *r, struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_INSERT, e);

	db_bind_blob(s, 1, r->hash, 32);
	db_bind_int(s, 2, r->user_id);
	db_bind_str(s, 3, r->csrf);
	db_bind_int(s, 4, r->created_at);
	return db_done(s, NULL, NULL, e);
}

/* A session and its user, read from one row; a user no longer active
 * has no session. */
struct session_user {
	struct session_row *r;
	struct user *u;
};

static int session_row(struct db_stmt *s, void *item)
{
	struct session_user *su = item;
	struct session_row *r = su->r;
	struct user *u = su->u;
	char role[32];

	if (!db_int(s, 7))
		return 1;
	memset(r, 0, sizeof(*r));
	memset(u, 0, sizeof(*u));
	r->user_id = db_int(s, 0);
	db_text(s, 1, r->csrf, sizeof(r->csrf));
	r->created_at = db_int(s, 2);
	r->last_seen = db_int(s, 3);
	u->id = r->user_id;
	db_text(s, 4, u->username, sizeof(u->username));
	db_text(s, 5, role, sizeof(role));
	if (role_parse(role, &u->role))
		u->role = ROLE_REQUESTER;
	u->customer_id = db_int(s, 6);
	u->active = 1;
	return 0;
}

static const struct db_kind session_kind = { sizeof(struct session_user), session_row, NULL };

static int get(struct store *st, const uint8_t hash[32], struct session_row *r, struct user *u,
	       struct err *e)
{
	CONN_OR_FAIL(c, st, NULL, e);
	STMT_OR_FAIL(s, c, SQL_GET, e);
	struct session_user su = { r, u };
	int rc;

	db_bind_blob(s, 1, hash, 32);
	rc = db_one(s, &session_kind, &su, e);
	if (rc == ERR_NOT_FOUND)
		return err_set(e, rc, NULL, "no such session");
	if (!rc)
		memcpy(r->hash, hash, 32);
	return rc;
}

static int touch(struct store_tx *tx, const uint8_t hash[32], int64_t at, struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_TOUCH, e);

	db_bind_blob(s, 1, hash, 32);
	db_bind_int(s, 2, at);
	return db_done(s, NULL, NULL, e);
}

static int remove_session(struct store_tx *tx, const uint8_t hash[32], struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_REMOVE, e);
	int rc;

	db_bind_blob(s, 1, hash, 32);
	if ((rc = db_done(s, NULL, NULL, e)))
		return rc;
	return db_changes(s) ? 0 : err_set(e, ERR_NOT_FOUND, NULL, "no such session");
}

static int hash_row(struct db_stmt *s, void *item)
{
	memset(item, 0, 32);
	/* A hash of another length is kept as zeros: it removes nothing. */
	db_blob(s, 0, item, 32);
	return 0;
}

static const struct db_kind hash_kind = { 32, hash_row, NULL };

static int list_user(struct store *st, struct store_tx *tx, int64_t user_id, uint8_t **out,
		     size_t *n, struct err *e)
{
	CONN_OR_FAIL(c, st, tx, e);
	STMT_OR_FAIL(s, c, SQL_LIST_USER, e);

	db_bind_int(s, 1, user_id);
	return db_all(s, &hash_kind, 0, (void **)out, n, NULL, e);
}

/* A session as the audit holds it, with its user's name. */
struct held_session {
	struct session_row r;
	char username[64];
};

static int held_row(struct db_stmt *s, void *item)
{
	struct held_session *h = item;

	memset(h, 0, sizeof(*h));
	/* A hash of another length is kept as zeros: it matches no cookie. */
	db_blob(s, 0, h->r.hash, sizeof(h->r.hash));
	h->r.user_id = db_int(s, 1);
	db_text(s, 2, h->r.csrf, sizeof(h->r.csrf));
	h->r.created_at = db_int(s, 3);
	h->r.last_seen = db_int(s, 4);
	db_text(s, 5, h->username, sizeof(h->username));
	return 0;
}

static const struct db_kind held_kind = { sizeof(struct held_session), held_row, NULL };

struct scan_ctx {
	store_session_fn fn;
	void *ctx;
};

static int held_use(void *item, void *arg)
{
	struct held_session *h = item;
	struct scan_ctx *sc = arg;

	return sc->fn(&h->r, h->username, sc->ctx);
}

static int scan(struct store *st, store_session_fn fn, void *ctx, struct err *e)
{
	CONN_OR_FAIL(c, st, NULL, e);
	STMT_OR_FAIL(s, c, SQL_SCAN, e);
	struct scan_ctx sc = { fn, ctx };

	return db_scan(s, &held_kind, held_use, &sc, e);
}

/* failures, locked_until */
static int failures_row(struct db_stmt *s, void *item)
{
	int64_t *v = item;

	v[0] = db_int(s, 0);
	v[1] = db_int(s, 1);
	return 0;
}

static const struct db_kind failures_kind = { 2 * sizeof(int64_t), failures_row, NULL };

static int failures_get(struct store *st, struct store_tx *tx, const char *username,
			int64_t *failures, int64_t *locked_until, struct err *e)
{
	CONN_OR_FAIL(c, st, tx, e);
	STMT_OR_FAIL(s, c, SQL_FAIL_GET, e);
	int64_t v[2] = { 0, 0 };
	int rc;

	db_bind_str(s, 1, username);
	rc = db_one(s, &failures_kind, v, e);
	if (rc == ERR_NOT_FOUND)
		rc = 0; /* no failures on record */
	*failures = v[0];
	*locked_until = v[1];
	return rc;
}

static int failures_add(struct store_tx *tx, const char *username, int64_t *failures,
			struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_FAIL_ADD, e);
	int rc;

	db_bind_str(s, 1, username);
	rc = db_one(s, &db_int64, failures, e);
	return rc == ERR_NOT_FOUND ? err_set(e, ERR_INTERNAL, NULL, "no count came back") : rc;
}

static int failures_lock(struct store_tx *tx, const char *username, int64_t locked_until,
			 struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_FAIL_LOCK, e);

	db_bind_str(s, 1, username);
	db_bind_int(s, 2, locked_until);
	return db_done(s, NULL, NULL, e);
}

static int failures_clear(struct store_tx *tx, const char *username, struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_FAIL_CLEAR, e);

	db_bind_str(s, 1, username);
	return db_done(s, NULL, NULL, e);
}

const struct store_session_ops sql_session_ops = {
	.insert = insert,
	.get = get,
	.touch = touch,
	.remove = remove_session,
	.list_user = list_user,
	.scan = scan,
	.failures_get = failures_get,
	.failures_add = failures_add,
	.failures_lock = failures_lock,
	.failures_clear = failures_clear,
};
