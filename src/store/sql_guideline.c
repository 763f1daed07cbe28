/*
 * sql_guideline.c — the SQL store's guideline operations (see
 * store_guideline.h): guidelines, their published versions,
 * acknowledgements and checklist runs, each statement written once for both
 * engines (migrations/024_risk.sql).
 *
 * Every statement is a static string so the connection's cache keys it by
 * address. A published version is never updated: a new one is inserted.
 */
#include "lib/jsonx.h"
#include "store/sql.h"
#include "store/store_guideline.h"

#include <stdlib.h>
#include <string.h>

#define GL_COLS                                                                                    \
	"id, key, title, status, current, draft, every_days, next_check, body, created_by, "        \
	"created_at, updated_at, version FROM guidelines "

static const char SQL_GL_INSERT[] =
	"INSERT INTO guidelines(key, title, status, current, draft, every_days, next_check, body, "
	"created_by, created_at, updated_at, version) "
	"VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10, 1) RETURNING id";
static const char SQL_GL_UPDATE[] =
	"UPDATE guidelines SET title = ?2, status = ?3, current = ?4, draft = ?5, every_days = ?6, "
	"next_check = ?7, body = ?8, updated_at = ?9, version = ?10 WHERE id = ?1 AND version = ?11";
static const char SQL_GL_BY_KEY[] = "SELECT " GL_COLS "WHERE key = ?1";
static const char SQL_GL_LIST[] =
	"SELECT " GL_COLS "WHERE (?1 IS NULL OR status = ?1) AND (?2 IS NULL OR id < ?2) "
	"ORDER BY id DESC LIMIT ?3";

static int gl_row(struct db_stmt *s, void *item)
{
	struct guideline_rec *g = item;
	int rc;

	g->id = db_int(s, 0);
	db_text(s, 1, g->key, sizeof(g->key));
	db_text(s, 2, g->title, sizeof(g->title));
	db_text(s, 3, g->status, sizeof(g->status));
	g->current = db_int(s, 4);
	g->every_days = db_int(s, 6);
	g->next_check = db_int(s, 7);
	db_text(s, 9, g->created_by, sizeof(g->created_by));
	g->created_at = db_int(s, 10);
	g->updated_at = db_int(s, 11);
	g->version = db_int(s, 12);
	g->draft = g->body = NULL;
	if ((rc = db_dup(s, 5, &g->draft)))
		return rc;
	return db_dup(s, 8, &g->body);
}

static void gl_drop(void *item)
{
	guideline_rec_release(item);
}

static const struct db_kind gl_kind = { sizeof(struct guideline_rec), gl_row, gl_drop };

static void bind_gl(struct db_stmt *s, const struct guideline_rec *g)
{
	db_bind_str(s, 2, g->title);
	db_bind_str(s, 3, g->status);
	db_bind_int(s, 4, g->current);
	db_bind_str(s, 5, g->draft ? g->draft : "");
	db_bind_int(s, 6, g->every_days);
	db_bind_int(s, 7, g->next_check);
	db_bind_str(s, 8, g->body ? g->body : "{}");
}

static int gl_insert(struct store_tx *tx, struct guideline_rec *g, struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_GL_INSERT, e);
	int rc;

	db_bind_str(s, 1, g->key);
	bind_gl(s, g);
	db_bind_str(s, 9, g->created_by);
	db_bind_int(s, 10, g->created_at);
	if ((rc = db_insert(s, "key", "the guideline key is taken", &g->id, e)))
		return rc;
	g->updated_at = g->created_at;
	g->version = 1;
	return 0;
}

static int gl_update(struct store_tx *tx, const struct guideline_rec *g, struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_GL_UPDATE, e);

	db_bind_int(s, 1, g->id);
	bind_gl(s, g);
	db_bind_int(s, 9, g->updated_at);
	db_bind_int(s, 10, g->version);
	db_bind_int(s, 11, g->version - 1);
	return db_done_versioned(s, e, "guideline %s", g->key);
}

static int gl_get(struct store *st, struct store_tx *tx, const char *key,
		  struct guideline_rec *g, struct err *e)
{
	CONN_OR_FAIL(c, st, tx, e);
	STMT_OR_FAIL(s, c, SQL_GL_BY_KEY, e);

	memset(g, 0, sizeof(*g));
	db_bind_str(s, 1, key);
	return db_one(s, &gl_kind, g, e);
}

static int gl_list(struct store *st, const char *status, int64_t before_id, int limit,
		   struct guideline_rec **out, size_t *n, int *more, struct err *e)
{
	CONN_OR_FAIL(c, st, NULL, e);
	STMT_OR_FAIL(s, c, SQL_GL_LIST, e);

	db_bind_text(s, 1, status);
	db_bind_id(s, 2, before_id);
	db_bind_int(s, 3, limit + 1);
	return db_all(s, &gl_kind, (size_t)limit, (void **)out, n, more, e);
}

/* ---- versions ---- */

static const char SQL_VER_INSERT[] =
	"INSERT INTO guideline_versions(guideline_id, n, text, published_by, published_at) "
	"VALUES(?1, ?2, ?3, ?4, ?5)";
static const char SQL_VER_GET[] =
	"SELECT n, text, published_by, published_at FROM guideline_versions "
	"WHERE guideline_id = ?1 AND n = ?2";

static int ver_insert(struct store_tx *tx, int64_t id, int64_t n, const char *text,
		      const char *by, int64_t at, struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_VER_INSERT, e);

	db_bind_int(s, 1, id);
	db_bind_int(s, 2, n);
	db_bind_str(s, 3, text);
	db_bind_str(s, 4, by);
	db_bind_int(s, 5, at);
	return db_done(s, "version", "the version is taken", e);
}

static json_t *version_json(struct db_stmt *s)
{
	return json_pack("{s:I, s:s, s:s, s:o}", "version", (json_int_t)db_int(s, 0), "text",
			 db_cstr(s, 1) ? db_cstr(s, 1) : "", "published_by",
			 db_cstr(s, 2) ? db_cstr(s, 2) : "", "published_at",
			 jx_time_value(db_int(s, 3)));
}

static int ver_get(struct store *st, struct store_tx *tx, int64_t id, int64_t n, json_t **out,
		   struct err *e)
{
	CONN_OR_FAIL(c, st, tx, e);
	STMT_OR_FAIL(s, c, SQL_VER_GET, e);
	json_t *all = NULL;
	int rc;

	db_bind_int(s, 1, id);
	db_bind_int(s, 2, n);
	if ((rc = db_json(s, version_json, &all, e)))
		return rc;
	if (!json_array_size(all)) {
		json_decref(all);
		return ERR_NOT_FOUND;
	}
	*out = json_incref(json_array_get(all, 0));
	json_decref(all);
	return 0;
}

/* ---- acknowledgements ---- */

static const char SQL_ACK_INSERT[] =
	"INSERT INTO guideline_acks(guideline_id, n, username, at) VALUES(?1, ?2, ?3, ?4)";
static const char SQL_ACK_LIST[] =
	"SELECT username, at FROM guideline_acks WHERE guideline_id = ?1 AND n = ?2 "
	"ORDER BY username";

static int ack_insert(struct store_tx *tx, int64_t id, int64_t n, const char *username,
		      int64_t at, struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_ACK_INSERT, e);

	db_bind_int(s, 1, id);
	db_bind_int(s, 2, n);
	db_bind_str(s, 3, username);
	db_bind_int(s, 4, at);
	return db_done(s, "version", "this version is acknowledged already", e);
}

static json_t *ack_json(struct db_stmt *s)
{
	return json_pack("{s:s, s:o}", "username", db_cstr(s, 0) ? db_cstr(s, 0) : "", "at",
			 jx_time_value(db_int(s, 1)));
}

static int ack_list(struct store *st, struct store_tx *tx, int64_t id, int64_t n, json_t **out,
		    struct err *e)
{
	CONN_OR_FAIL(c, st, tx, e);
	STMT_OR_FAIL(s, c, SQL_ACK_LIST, e);

	db_bind_int(s, 1, id);
	db_bind_int(s, 2, n);
	return db_json(s, ack_json, out, e);
}

/* ---- checklist runs ---- */

static const char SQL_RUN_INSERT[] =
	"INSERT INTO guideline_runs(guideline_id, results, failed, run_by, run_at) "
	"VALUES(?1, ?2, ?3, ?4, ?5) RETURNING id";
static const char SQL_RUN_LIST[] =
	"SELECT id, results, failed, run_by, run_at FROM guideline_runs WHERE guideline_id = ?1 "
	"ORDER BY id DESC LIMIT ?2";

static int run_insert(struct store_tx *tx, int64_t id, const char *results, int64_t failed,
		      const char *by, int64_t at, int64_t *run_id, struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_RUN_INSERT, e);

	db_bind_int(s, 1, id);
	db_bind_str(s, 2, results);
	db_bind_int(s, 3, failed);
	db_bind_str(s, 4, by);
	db_bind_int(s, 5, at);
	return db_insert(s, NULL, NULL, run_id, e);
}

static json_t *run_json(struct db_stmt *s)
{
	json_t *results = json_loads(db_cstr(s, 1) ? db_cstr(s, 1) : "[]", 0, NULL);

	/* the store writes the results as JSON: unreadable is out of memory */
	if (!results)
		return NULL;
	return json_pack("{s:I, s:o, s:I, s:s, s:o}", "id", (json_int_t)db_int(s, 0), "results",
			 results, "failed", (json_int_t)db_int(s, 2), "run_by",
			 db_cstr(s, 3) ? db_cstr(s, 3) : "", "run_at", jx_time_value(db_int(s, 4)));
}

static int run_list(struct store *st, int64_t id, int limit, json_t **out, struct err *e)
{
	CONN_OR_FAIL(c, st, NULL, e);
	STMT_OR_FAIL(s, c, SQL_RUN_LIST, e);

	db_bind_int(s, 1, id);
	db_bind_int(s, 2, limit);
	return db_json(s, run_json, out, e);
}

const struct store_guideline_ops sql_guideline_ops = {
	.insert = gl_insert,
	.update = gl_update,
	.get = gl_get,
	.list = gl_list,
	.version_insert = ver_insert,
	.version_get = ver_get,
	.ack_insert = ack_insert,
	.ack_list = ack_list,
	.run_insert = run_insert,
	.run_list = run_list,
};
