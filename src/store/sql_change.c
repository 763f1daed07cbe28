/*
 * sql_change.c — the SQL store's change control operations (see
 * store_change.h): changes and freeze windows, each statement written once
 * for both engines (migrations/021_changes.sql).
 *
 * Every statement is a static string so the connection's cache keys it by
 * address. A window "meets" [from, to) when it starts before to and ends
 * after from; 0 for both bounds asks for every row.
 */
#include "store/sql.h"
#include "store/store_change.h"

#include <stdlib.h>
#include <string.h>

/* ---- changes ---- */

#define CHANGE_COLS                                                                                \
	"id, key, type, status, title, planned_start, planned_end, body, created_by, created_at, " \
	"updated_at, version FROM changes "

static const char SQL_CHG_INSERT[] =
	"INSERT INTO changes(key, type, status, title, planned_start, planned_end, body, "
	"created_by, created_at, updated_at, version) "
	"VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9, 1) RETURNING id";
static const char SQL_CHG_UPDATE[] =
	"UPDATE changes SET type = ?2, status = ?3, title = ?4, planned_start = ?5, "
	"planned_end = ?6, body = ?7, updated_at = ?8, version = ?9 WHERE id = ?1 AND version = ?10";
static const char SQL_CHG_BY_KEY[] = "SELECT " CHANGE_COLS "WHERE key = ?1";
static const char SQL_CHG_BY_ID[] = "SELECT " CHANGE_COLS "WHERE id = ?1";
static const char SQL_CHG_LIST[] =
	"SELECT " CHANGE_COLS "WHERE (?1 IS NULL OR status = ?1) AND (?2 IS NULL OR id < ?2) "
	"ORDER BY id DESC LIMIT ?3";
static const char SQL_CHG_ACTIVE[] =
	"SELECT " CHANGE_COLS "WHERE status IN ('scheduled', 'implementing') "
	"AND (?2 = 0 OR planned_start < ?2) AND (?1 = 0 OR planned_end > ?1) "
	"ORDER BY planned_start, id";

static int change_row(struct db_stmt *s, void *item)
{
	struct change_rec *r = item;

	r->id = db_int(s, 0);
	db_text(s, 1, r->key, sizeof(r->key));
	db_text(s, 2, r->type, sizeof(r->type));
	db_text(s, 3, r->status, sizeof(r->status));
	db_text(s, 4, r->title, sizeof(r->title));
	r->start = db_int(s, 5);
	r->end = db_int(s, 6);
	db_text(s, 8, r->created_by, sizeof(r->created_by));
	r->created_at = db_int(s, 9);
	r->updated_at = db_int(s, 10);
	r->version = db_int(s, 11);
	return db_dup(s, 7, &r->body);
}

static void change_drop(void *item)
{
	change_rec_release(item);
}

static const struct db_kind change_kind = { sizeof(struct change_rec), change_row, change_drop };

static void bind_change(struct db_stmt *s, const struct change_rec *r)
{
	db_bind_str(s, 2, r->type);
	db_bind_str(s, 3, r->status);
	db_bind_str(s, 4, r->title);
	db_bind_int(s, 5, r->start);
	db_bind_int(s, 6, r->end);
	db_bind_str(s, 7, r->body ? r->body : "{}");
}

static int ch_insert(struct store_tx *tx, struct change_rec *r, struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_CHG_INSERT, e);
	int rc;

	db_bind_str(s, 1, r->key);
	bind_change(s, r);
	db_bind_str(s, 8, r->created_by);
	db_bind_int(s, 9, r->created_at);
	if ((rc = db_insert(s, "key", "the change key is taken", &r->id, e)))
		return rc;
	r->updated_at = r->created_at;
	r->version = 1;
	return 0;
}

static int ch_update(struct store_tx *tx, const struct change_rec *r, struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_CHG_UPDATE, e);

	db_bind_int(s, 1, r->id);
	bind_change(s, r);
	db_bind_int(s, 8, r->updated_at);
	db_bind_int(s, 9, r->version);
	db_bind_int(s, 10, r->version - 1);
	return db_done_versioned(s, e, "change %s", r->key);
}

static int ch_get(struct store *st, struct store_tx *tx, const char *key, int64_t id,
		  struct change_rec *r, struct err *e)
{
	CONN_OR_FAIL(c, st, tx, e);

	memset(r, 0, sizeof(*r));
	return db_one_by(c, SQL_CHG_BY_KEY, SQL_CHG_BY_ID, key, id, &change_kind, r, e);
}

static int ch_list(struct store *st, const char *status, int64_t before_id, int limit,
		   struct change_rec **out, size_t *n, int *more, struct err *e)
{
	CONN_OR_FAIL(c, st, NULL, e);
	STMT_OR_FAIL(s, c, SQL_CHG_LIST, e);

	db_bind_text(s, 1, status);
	db_bind_id(s, 2, before_id);
	db_bind_int(s, 3, limit + 1);
	return db_all(s, &change_kind, (size_t)limit, (void **)out, n, more, e);
}

static int ch_active(struct store *st, struct store_tx *tx, int64_t from, int64_t to,
		     struct change_rec **out, size_t *n, struct err *e)
{
	CONN_OR_FAIL(c, st, tx, e);
	STMT_OR_FAIL(s, c, SQL_CHG_ACTIVE, e);

	db_bind_int(s, 1, from);
	db_bind_int(s, 2, to);
	return db_all(s, &change_kind, 0, (void **)out, n, NULL, e);
}

/* ---- freezes ---- */

#define FREEZE_COLS                                                                                \
	"id, COALESCE(service, ''), starts_at, ends_at, reason, created_by, created_at "          \
	"FROM change_freezes "

static const char SQL_FRZ_INSERT[] =
	"INSERT INTO change_freezes(service, starts_at, ends_at, reason, created_by, created_at) "
	"VALUES(?1, ?2, ?3, ?4, ?5, ?6) RETURNING id";
static const char SQL_FRZ_GET[] = "SELECT " FREEZE_COLS "WHERE id = ?1";
static const char SQL_FRZ_DELETE[] = "DELETE FROM change_freezes WHERE id = ?1";
static const char SQL_FRZ_LIST[] = "SELECT " FREEZE_COLS
				   "WHERE (?2 = 0 OR starts_at < ?2) AND (?1 = 0 OR ends_at > ?1) "
				   "ORDER BY starts_at, id";

static int freeze_row(struct db_stmt *s, void *item)
{
	struct freeze_rec *r = item;

	r->id = db_int(s, 0);
	db_text(s, 1, r->service, sizeof(r->service));
	r->start = db_int(s, 2);
	r->end = db_int(s, 3);
	db_text(s, 4, r->reason, sizeof(r->reason));
	db_text(s, 5, r->created_by, sizeof(r->created_by));
	r->created_at = db_int(s, 6);
	return 0;
}

static const struct db_kind freeze_kind = { sizeof(struct freeze_rec), freeze_row, NULL };

static int fz_insert(struct store_tx *tx, struct freeze_rec *r, struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_FRZ_INSERT, e);

	db_bind_text(s, 1, r->service);
	db_bind_int(s, 2, r->start);
	db_bind_int(s, 3, r->end);
	db_bind_str(s, 4, r->reason);
	db_bind_str(s, 5, r->created_by);
	db_bind_int(s, 6, r->created_at);
	return db_insert(s, NULL, NULL, &r->id, e);
}

static int fz_get(struct store *st, struct store_tx *tx, int64_t id, struct freeze_rec *r,
		  struct err *e)
{
	CONN_OR_FAIL(c, st, tx, e);
	STMT_OR_FAIL(s, c, SQL_FRZ_GET, e);

	memset(r, 0, sizeof(*r));
	db_bind_int(s, 1, id);
	return db_one(s, &freeze_kind, r, e);
}

static int fz_delete(struct store_tx *tx, int64_t id, struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_FRZ_DELETE, e);

	db_bind_int(s, 1, id);
	return db_done(s, NULL, NULL, e);
}

static int fz_list(struct store *st, struct store_tx *tx, int64_t from, int64_t to,
		   struct freeze_rec **out, size_t *n, struct err *e)
{
	CONN_OR_FAIL(c, st, tx, e);
	STMT_OR_FAIL(s, c, SQL_FRZ_LIST, e);

	db_bind_int(s, 1, from);
	db_bind_int(s, 2, to);
	return db_all(s, &freeze_kind, 0, (void **)out, n, NULL, e);
}

const struct store_change_ops sql_change_ops = {
	.change_insert = ch_insert,
	.change_update = ch_update,
	.change_get = ch_get,
	.change_list = ch_list,
	.change_active = ch_active,
	.freeze_insert = fz_insert,
	.freeze_get = fz_get,
	.freeze_delete = fz_delete,
	.freeze_list = fz_list,
};
