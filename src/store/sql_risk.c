/*
 * sql_risk.c — the SQL store's risk register operations (see store_risk.h):
 * risks and their preventive measures, each statement written once for both
 * engines (migrations/024_risk.sql).
 *
 * Every statement is a static string so the connection's cache keys it by
 * address. The periodic check's two queries read only rows past due that
 * were not warned of at that date (review_warned, warned_due), so a warning
 * is queued once per due date however often the check runs.
 */
#include "store/sql.h"
#include "store/store_risk.h"

#include <stdlib.h>
#include <string.h>

/* ---- risks ---- */

#define RISK_COLS                                                                                  \
	"id, key, title, status, owner, likelihood, impact, review_every_days, next_review, "      \
	"review_warned, body, created_by, created_at, updated_at, version FROM risks "

static const char SQL_RISK_INSERT[] =
	"INSERT INTO risks(key, title, status, owner, likelihood, impact, review_every_days, "
	"next_review, body, created_by, created_at, updated_at, version) "
	"VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11, 1) RETURNING id";
static const char SQL_RISK_UPDATE[] =
	"UPDATE risks SET title = ?2, status = ?3, owner = ?4, likelihood = ?5, impact = ?6, "
	"review_every_days = ?7, next_review = ?8, body = ?9, updated_at = ?10, version = ?11 "
	"WHERE id = ?1 AND version = ?12";
static const char SQL_RISK_BY_KEY[] = "SELECT " RISK_COLS "WHERE key = ?1";
static const char SQL_RISK_BY_ID[] = "SELECT " RISK_COLS "WHERE id = ?1";
static const char SQL_RISK_LIST[] =
	"SELECT " RISK_COLS "WHERE (?1 IS NULL OR status = ?1) AND (?2 IS NULL OR owner = ?2) "
	"AND (?3 IS NULL OR id < ?3) ORDER BY id DESC LIMIT ?4";
static const char SQL_RISK_REVIEW_DUE[] =
	"SELECT " RISK_COLS "WHERE next_review > 0 AND next_review <= ?1 "
	"AND review_warned <> next_review AND status <> 'closed' ORDER BY next_review, id LIMIT ?2";
static const char SQL_RISK_WARNED[] = "UPDATE risks SET review_warned = ?2 WHERE id = ?1";

static int risk_row(struct db_stmt *s, void *item)
{
	struct risk_rec *r = item;

	r->id = db_int(s, 0);
	db_text(s, 1, r->key, sizeof(r->key));
	db_text(s, 2, r->title, sizeof(r->title));
	db_text(s, 3, r->status, sizeof(r->status));
	db_text(s, 4, r->owner, sizeof(r->owner));
	r->likelihood = (int)db_int(s, 5);
	r->impact = (int)db_int(s, 6);
	r->review_every_days = db_int(s, 7);
	r->next_review = db_int(s, 8);
	r->review_warned = db_int(s, 9);
	db_text(s, 11, r->created_by, sizeof(r->created_by));
	r->created_at = db_int(s, 12);
	r->updated_at = db_int(s, 13);
	r->version = db_int(s, 14);
	return db_dup(s, 10, &r->body);
}

static void risk_drop(void *item)
{
	risk_rec_release(item);
}

static const struct db_kind risk_kind = { sizeof(struct risk_rec), risk_row, risk_drop };

static void bind_risk(struct db_stmt *s, const struct risk_rec *r)
{
	db_bind_str(s, 2, r->title);
	db_bind_str(s, 3, r->status);
	db_bind_str(s, 4, r->owner);
	db_bind_int(s, 5, r->likelihood);
	db_bind_int(s, 6, r->impact);
	db_bind_int(s, 7, r->review_every_days);
	db_bind_int(s, 8, r->next_review);
	db_bind_str(s, 9, r->body ? r->body : "{}");
}

static int rk_insert(struct store_tx *tx, struct risk_rec *r, struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_RISK_INSERT, e);
	int rc;

	db_bind_str(s, 1, r->key);
	bind_risk(s, r);
	db_bind_str(s, 10, r->created_by);
	db_bind_int(s, 11, r->created_at);
	if ((rc = db_insert(s, "key", "the risk key is taken", &r->id, e)))
		return rc;
	r->updated_at = r->created_at;
	r->version = 1;
	return 0;
}

static int rk_update(struct store_tx *tx, const struct risk_rec *r, struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_RISK_UPDATE, e);

	db_bind_int(s, 1, r->id);
	bind_risk(s, r);
	db_bind_int(s, 10, r->updated_at);
	db_bind_int(s, 11, r->version);
	db_bind_int(s, 12, r->version - 1);
	return db_done_versioned(s, e, "risk %s", r->key);
}

static int rk_get(struct store *st, struct store_tx *tx, const char *key, int64_t id,
		  struct risk_rec *r, struct err *e)
{
	CONN_OR_FAIL(c, st, tx, e);

	memset(r, 0, sizeof(*r));
	return db_one_by(c, SQL_RISK_BY_KEY, SQL_RISK_BY_ID, key, id, &risk_kind, r, e);
}

static int rk_list(struct store *st, const char *status, const char *owner, int64_t before_id,
		   int limit, struct risk_rec **out, size_t *n, int *more, struct err *e)
{
	CONN_OR_FAIL(c, st, NULL, e);
	STMT_OR_FAIL(s, c, SQL_RISK_LIST, e);

	db_bind_text(s, 1, status);
	db_bind_text(s, 2, owner);
	db_bind_id(s, 3, before_id);
	db_bind_int(s, 4, limit > 0 ? limit + 1 : INT32_MAX);
	return db_all(s, &risk_kind, limit > 0 ? (size_t)limit : 0, (void **)out, n, more, e);
}

static int rk_review_due(struct store *st, struct store_tx *tx, int64_t now, int limit,
			 struct risk_rec **out, size_t *n, struct err *e)
{
	CONN_OR_FAIL(c, st, tx, e);
	STMT_OR_FAIL(s, c, SQL_RISK_REVIEW_DUE, e);

	db_bind_int(s, 1, now);
	db_bind_int(s, 2, limit);
	return db_all(s, &risk_kind, 0, (void **)out, n, NULL, e);
}

static int rk_review_warned(struct store_tx *tx, int64_t id, int64_t at, struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_RISK_WARNED, e);

	db_bind_int(s, 1, id);
	db_bind_int(s, 2, at);
	return db_done(s, NULL, NULL, e);
}

/* ---- measures ---- */

#define MEASURE_COLS                                                                               \
	"m.id, m.risk_id, m.description, m.owner, m.due, m.status, m.warned_due, m.created_at, " \
	"m.updated_at, r.key FROM risk_measures m JOIN risks r ON r.id = m.risk_id "

static const char SQL_MS_INSERT[] =
	"INSERT INTO risk_measures(risk_id, description, owner, due, status, created_at, "
	"updated_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?6) RETURNING id";
static const char SQL_MS_UPDATE[] =
	"UPDATE risk_measures SET description = ?2, owner = ?3, due = ?4, status = ?5, "
	"updated_at = ?6 WHERE id = ?1";
static const char SQL_MS_LIST[] = "SELECT " MEASURE_COLS "WHERE m.risk_id = ?1 ORDER BY m.id";
static const char SQL_MS_DUE[] =
	"SELECT " MEASURE_COLS "WHERE m.due > 0 AND m.due <= ?1 AND m.warned_due <> m.due "
	"AND m.status IN ('planned', 'in_progress') AND r.status <> 'closed' "
	"ORDER BY m.due, m.id LIMIT ?2";
static const char SQL_MS_WARNED[] = "UPDATE risk_measures SET warned_due = ?2 WHERE id = ?1";

static int measure_row(struct db_stmt *s, void *item)
{
	struct risk_measure *m = item;

	m->id = db_int(s, 0);
	m->risk_id = db_int(s, 1);
	db_text(s, 2, m->description, sizeof(m->description));
	db_text(s, 3, m->owner, sizeof(m->owner));
	m->due = db_int(s, 4);
	db_text(s, 5, m->status, sizeof(m->status));
	m->warned_due = db_int(s, 6);
	m->created_at = db_int(s, 7);
	m->updated_at = db_int(s, 8);
	db_text(s, 9, m->risk_key, sizeof(m->risk_key));
	return 0;
}

static const struct db_kind measure_kind = { sizeof(struct risk_measure), measure_row, NULL };

static int ms_insert(struct store_tx *tx, struct risk_measure *m, struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_MS_INSERT, e);

	db_bind_int(s, 1, m->risk_id);
	db_bind_str(s, 2, m->description);
	db_bind_str(s, 3, m->owner);
	db_bind_int(s, 4, m->due);
	db_bind_str(s, 5, m->status);
	db_bind_int(s, 6, m->created_at);
	m->updated_at = m->created_at;
	return db_insert(s, NULL, NULL, &m->id, e);
}

static int ms_update(struct store_tx *tx, const struct risk_measure *m, struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_MS_UPDATE, e);

	db_bind_int(s, 1, m->id);
	db_bind_str(s, 2, m->description);
	db_bind_str(s, 3, m->owner);
	db_bind_int(s, 4, m->due);
	db_bind_str(s, 5, m->status);
	db_bind_int(s, 6, m->updated_at);
	return db_done(s, NULL, NULL, e);
}

static int ms_list(struct store *st, struct store_tx *tx, int64_t risk_id,
		   struct risk_measure **out, size_t *n, struct err *e)
{
	CONN_OR_FAIL(c, st, tx, e);
	STMT_OR_FAIL(s, c, SQL_MS_LIST, e);

	db_bind_int(s, 1, risk_id);
	return db_all(s, &measure_kind, 0, (void **)out, n, NULL, e);
}

static int ms_due(struct store *st, struct store_tx *tx, int64_t now, int limit,
		  struct risk_measure **out, size_t *n, struct err *e)
{
	CONN_OR_FAIL(c, st, tx, e);
	STMT_OR_FAIL(s, c, SQL_MS_DUE, e);

	db_bind_int(s, 1, now);
	db_bind_int(s, 2, limit);
	return db_all(s, &measure_kind, 0, (void **)out, n, NULL, e);
}

static int ms_warned(struct store_tx *tx, int64_t id, int64_t due, struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_MS_WARNED, e);

	db_bind_int(s, 1, id);
	db_bind_int(s, 2, due);
	return db_done(s, NULL, NULL, e);
}

const struct store_risk_ops sql_risk_ops = {
	.risk_insert = rk_insert,
	.risk_update = rk_update,
	.risk_get = rk_get,
	.risk_list = rk_list,
	.review_due = rk_review_due,
	.review_warned = rk_review_warned,
	.measure_insert = ms_insert,
	.measure_update = ms_update,
	.measure_list = ms_list,
	.measure_due = ms_due,
	.measure_warned = ms_warned,
};
