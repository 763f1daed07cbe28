/*
 * sqlite_session.c — the SQLite backend's session operations. A failed
 * sign-in is counted by an upsert that adds one in SQL (see
 * store_session.h).
 */
#include "store/sqlite_int.h"
#include "store/store_session.h"

#include <string.h>

static const char SQL_INSERT[] =
	"INSERT INTO sessions(hash, user_id, csrf, created_at, last_seen) VALUES(?1, ?2, ?3, ?4, ?4)";
static const char SQL_GET[] =
	"SELECT s.user_id, s.csrf, s.created_at, s.last_seen, u.username, u.role, "
	"COALESCE(u.customer_id, 0), u.active FROM sessions s JOIN users u ON u.id = s.user_id "
	"WHERE s.hash = ?1";
static const char SQL_TOUCH[] = "UPDATE sessions SET last_seen = ?2 WHERE hash = ?1";
static const char SQL_REMOVE[] = "DELETE FROM sessions WHERE hash = ?1";
static const char SQL_SCAN[] =
	"SELECT s.hash, s.user_id, s.csrf, s.created_at, s.last_seen, COALESCE(u.username, '') "
	"FROM sessions s LEFT JOIN users u ON u.id = s.user_id ORDER BY s.hash";
static const char SQL_FAIL_GET[] =
	"SELECT failures, locked_until FROM sign_in_failures WHERE username = ?1";
static const char SQL_FAIL_ADD[] =
	"INSERT INTO sign_in_failures(username, failures, locked_until) VALUES(?1, 1, 0) "
	"ON CONFLICT(username) DO UPDATE SET failures = failures + 1 RETURNING failures";
static const char SQL_FAIL_LOCK[] =
	"UPDATE sign_in_failures SET locked_until = ?2 WHERE username = ?1";
static const char SQL_FAIL_CLEAR[] = "DELETE FROM sign_in_failures WHERE username = ?1";

static int insert(struct store_tx *tx, const struct session_row *r, struct err *e)
{
	struct conn *c = ((struct sq_tx *)tx)->c;
	sqlite3_stmt *s = sq_stmt(c, SQL_INSERT, e);

	if (!s)
		return ERR_INTERNAL;
	sqlite3_bind_blob(s, 1, r->hash, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, r->user_id);
	sq_bind_str(s, 3, r->csrf);
	sqlite3_bind_int64(s, 4, r->created_at);
	return sq_done(c, s, NULL, NULL, e);
}

static int get(struct store *st, const uint8_t hash[32], struct session_row *r, struct user *u,
	       struct err *e)
{
	struct conn *c = sq_conn(st, NULL);
	sqlite3_stmt *s = c ? sq_stmt(c, SQL_GET, e) : NULL;
	int found = 0;
	char role[32];

	if (!s)
		return ERR_INTERNAL;
	sqlite3_bind_blob(s, 1, hash, 32, SQLITE_STATIC);
	if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_int(s, 7)) {
		memset(r, 0, sizeof(*r));
		memset(u, 0, sizeof(*u));
		memcpy(r->hash, hash, 32);
		r->user_id = sq_int(s, 0);
		sq_text(s, 1, r->csrf, sizeof(r->csrf));
		r->created_at = sq_int(s, 2);
		r->last_seen = sq_int(s, 3);
		u->id = r->user_id;
		sq_text(s, 4, u->username, sizeof(u->username));
		sq_text(s, 5, role, sizeof(role));
		if (role_parse(role, &u->role))
			u->role = ROLE_REQUESTER;
		u->customer_id = sq_int(s, 6);
		u->active = 1;
		found = 1;
	}
	sqlite3_reset(s);
	return found ? 0 : err_set(e, ERR_NOT_FOUND, NULL, "no such session");
}

static int touch(struct store_tx *tx, const uint8_t hash[32], int64_t at, struct err *e)
{
	struct conn *c = ((struct sq_tx *)tx)->c;
	sqlite3_stmt *s = sq_stmt(c, SQL_TOUCH, e);

	if (!s)
		return ERR_INTERNAL;
	sqlite3_bind_blob(s, 1, hash, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, at);
	return sq_done(c, s, NULL, NULL, e);
}

static int remove_session(struct store_tx *tx, const uint8_t hash[32], struct err *e)
{
	struct conn *c = ((struct sq_tx *)tx)->c;
	sqlite3_stmt *s = sq_stmt(c, SQL_REMOVE, e);
	int rc;

	if (!s)
		return ERR_INTERNAL;
	sqlite3_bind_blob(s, 1, hash, 32, SQLITE_STATIC);
	if ((rc = sq_done(c, s, NULL, NULL, e)))
		return rc;
	return sqlite3_changes(c->db) ? 0 : err_set(e, ERR_NOT_FOUND, NULL, "no such session");
}

static int scan(struct store *st, store_session_fn fn, void *ctx, struct err *e)
{
	CONN_OR_FAIL(c, st, NULL, e);
	STMT_OR_FAIL(s, c, SQL_SCAN, e);
	int rc = 0, step;

	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		struct session_row r;
		char username[64];

		memset(&r, 0, sizeof(r));
		/* A hash of another length is kept as zeros: it matches no cookie. */
		if (sqlite3_column_bytes(s, 0) == (int)sizeof(r.hash))
			memcpy(r.hash, sqlite3_column_blob(s, 0), sizeof(r.hash));
		r.user_id = sq_int(s, 1);
		sq_text(s, 2, r.csrf, sizeof(r.csrf));
		r.created_at = sq_int(s, 3);
		r.last_seen = sq_int(s, 4);
		sq_text(s, 5, username, sizeof(username));
		if ((rc = fn(&r, username, ctx)))
			break;
	}
	if (!rc && step != SQLITE_DONE)
		rc = sq_fail(c, step, e);
	sqlite3_reset(s);
	return rc > 0 ? 0 : rc;
}

static int failures_get(struct store *st, struct store_tx *tx, const char *username,
			int64_t *failures, int64_t *locked_until)
{
	struct conn *c = sq_conn(st, tx);
	sqlite3_stmt *s = c ? sq_stmt(c, SQL_FAIL_GET, NULL) : NULL;

	*failures = *locked_until = 0;
	if (!s)
		return ERR_INTERNAL;
	sq_bind_str(s, 1, username);
	if (sqlite3_step(s) == SQLITE_ROW) {
		*failures = sq_int(s, 0);
		*locked_until = sq_int(s, 1);
	}
	sqlite3_reset(s);
	return 0;
}

static int failures_add(struct store_tx *tx, const char *username, int64_t *failures,
			struct err *e)
{
	struct conn *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_FAIL_ADD, e);
	int rc;

	sq_bind_str(s, 1, username);
	rc = sqlite3_step(s);
	if (rc != SQLITE_ROW) {
		rc = sq_fail(c, rc, e);
		sqlite3_reset(s);
		return rc;
	}
	*failures = sq_int(s, 0);
	sqlite3_step(s);
	sqlite3_reset(s);
	return 0;
}

static int failures_lock(struct store_tx *tx, const char *username, int64_t locked_until,
			 struct err *e)
{
	struct conn *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_FAIL_LOCK, e);

	sq_bind_str(s, 1, username);
	sqlite3_bind_int64(s, 2, locked_until);
	return sq_done(c, s, NULL, NULL, e);
}

static int failures_clear(struct store_tx *tx, const char *username, struct err *e)
{
	struct conn *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_FAIL_CLEAR, e);

	sq_bind_str(s, 1, username);
	return sq_done(c, s, NULL, NULL, e);
}

const struct store_session_ops sqlite_session_ops = {
	.insert = insert,
	.get = get,
	.touch = touch,
	.remove = remove_session,
	.scan = scan,
	.failures_get = failures_get,
	.failures_add = failures_add,
	.failures_lock = failures_lock,
	.failures_clear = failures_clear,
};
