/*
 * sql_knowledge.c — the SQL store's knowledge operations (see
 * store_knowledge.h): articles, their versions and links. The search is
 * sql_search.c's.
 *
 * Every statement is a static string so the connection's cache keys it by
 * address; each is written once for both engines (db.h). The schema
 * (migrations/025_knowledge.sql) keeps a version written once by its key.
 */
#include "store/sql.h"
#include "store/store_knowledge.h"

#include <stdlib.h>
#include <string.h>

#define ARTICLE_COLS                                                                               \
	"id, key, title, body, visibility, status, created_by, updated_by, created_at, "         \
	"updated_at, COALESCE(published_at, 0), version "

static const char SQL_ARTICLE_INSERT[] =
	"INSERT INTO articles(key, title, body, visibility, status, created_by, updated_by, "
	"created_at, updated_at, published_at, version) "
	"VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 1) RETURNING id";
static const char SQL_ARTICLE_UPDATE[] =
	"UPDATE articles SET title = ?2, body = ?3, visibility = ?4, status = ?5, updated_by = ?6, "
	"updated_at = ?7, published_at = ?8, version = ?9 WHERE id = ?1 AND version = ?10";
static const char SQL_ARTICLE_GET[] = "SELECT " ARTICLE_COLS "FROM articles WHERE key = ?1";
static const char SQL_ARTICLE_LIST[] =
	"SELECT " ARTICLE_COLS "FROM articles a WHERE (?1 IS NULL OR status = ?1) "
	"AND (?2 IS NULL OR visibility = ?2) AND (?3 IS NULL OR EXISTS (SELECT 1 FROM "
	"article_links l WHERE l.article_id = a.id AND l.kind = 'service' AND l.ref = ?3)) "
	"AND id > ?4 ORDER BY id LIMIT ?5";

static int article_row(struct db_stmt *s, void *item)
{
	struct article *a = item;

	a->title = a->body = NULL;
	a->id = db_int(s, 0);
	db_text(s, 1, a->key, sizeof(a->key));
	db_text(s, 4, a->visibility, sizeof(a->visibility));
	db_text(s, 5, a->status, sizeof(a->status));
	db_text(s, 6, a->created_by, sizeof(a->created_by));
	db_text(s, 7, a->updated_by, sizeof(a->updated_by));
	a->created_at = db_int(s, 8);
	a->updated_at = db_int(s, 9);
	a->published_at = db_int(s, 10);
	a->version = db_int(s, 11);
	return db_dup(s, 2, &a->title) || db_dup(s, 3, &a->body) ? ERR_INTERNAL : 0;
}

static void article_drop(void *item)
{
	article_release(item);
}

static const struct db_kind article_kind = { sizeof(struct article), article_row, article_drop };

static int kn_insert(struct store_tx *tx, struct article *a, struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_ARTICLE_INSERT, e);

	db_bind_str(s, 1, a->key);
	db_bind_str(s, 2, a->title);
	db_bind_str(s, 3, a->body);
	db_bind_str(s, 4, a->visibility);
	db_bind_str(s, 5, a->status);
	db_bind_str(s, 6, a->created_by);
	db_bind_str(s, 7, a->updated_by);
	db_bind_int(s, 8, a->created_at);
	db_bind_int(s, 9, a->updated_at);
	db_bind_id(s, 10, a->published_at);
	return db_insert(s, "key", "article key already taken", &a->id, e);
}

static int kn_update(struct store_tx *tx, const struct article *a, struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_ARTICLE_UPDATE, e);

	db_bind_int(s, 1, a->id);
	db_bind_str(s, 2, a->title);
	db_bind_str(s, 3, a->body);
	db_bind_str(s, 4, a->visibility);
	db_bind_str(s, 5, a->status);
	db_bind_str(s, 6, a->updated_by);
	db_bind_int(s, 7, a->updated_at);
	db_bind_id(s, 8, a->published_at);
	db_bind_int(s, 9, a->version);
	db_bind_int(s, 10, a->version - 1);
	return db_done_versioned(s, e, "article %s", a->key);
}

static int kn_get(struct store *st, struct store_tx *tx, const char *key, struct article *a,
		  struct err *e)
{
	CONN_OR_FAIL(c, st, tx, e);
	STMT_OR_FAIL(s, c, SQL_ARTICLE_GET, e);

	memset(a, 0, sizeof(*a));
	db_bind_str(s, 1, key);
	return db_one(s, &article_kind, a, e);
}

static int kn_list(struct store *st, const struct article_filter *f, struct article **out,
		   size_t *n, int *more, struct err *e)
{
	CONN_OR_FAIL(c, st, NULL, e);
	STMT_OR_FAIL(s, c, SQL_ARTICLE_LIST, e);

	db_bind_text(s, 1, f->status);
	db_bind_text(s, 2, f->visibility);
	db_bind_text(s, 3, f->service);
	db_bind_int(s, 4, f->after_id);
	db_bind_int(s, 5, f->limit + 1);
	return db_all(s, &article_kind, (size_t)f->limit, (void **)out, n, more, e);
}

/* ---- links ---- */

static const char SQL_LINKS_GET[] =
	"SELECT kind, ref FROM article_links WHERE article_id = ?1 ORDER BY kind, ref";
static const char SQL_LINKS_CLEAR[] = "DELETE FROM article_links WHERE article_id = ?1";
static const char SQL_LINK_ADD[] = "INSERT INTO article_links(article_id, kind, ref) "
				   "VALUES(?1, ?2, ?3) ON CONFLICT DO NOTHING";

/* The links' kinds as stored and as the JSON names them. */
static const char *const LINK_KINDS[][2] = {
	{ "service", "services" },
	{ "item", "items" },
	{ "problem", "problems" },
};

static int link_row(struct db_stmt *s, void *ctx)
{
	json_t *links = ctx;
	const char *kind = db_cstr(s, 0);

	for (size_t i = 0; kind && i < 3; i++)
		if (!strcmp(kind, LINK_KINDS[i][0]) &&
		    json_array_append_new(json_object_get(links, LINK_KINDS[i][1]),
					  json_string(db_cstr(s, 1))))
			return ERR_INTERNAL;
	return 0;
}

static int kn_links_get(struct store *st, struct store_tx *tx, int64_t article_id, json_t **out,
			struct err *e)
{
	CONN_OR_FAIL(c, st, tx, e);
	STMT_OR_FAIL(s, c, SQL_LINKS_GET, e);
	json_t *links = json_pack("{s:[], s:[], s:[]}", "services", "items", "problems");
	int rc;

	*out = NULL;
	if (!links)
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	db_bind_int(s, 1, article_id);
	rc = db_each(s, link_row, links, e);
	if (rc == ERR_INTERNAL && !e->msg[0])
		err_set(e, ERR_INTERNAL, NULL, "out of memory");
	if (rc)
		json_decref(links);
	else
		*out = links;
	return rc;
}

static int kn_links_set(struct store_tx *tx, int64_t article_id, const json_t *links,
			struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(clear, c, SQL_LINKS_CLEAR, e);
	int rc;

	db_bind_int(clear, 1, article_id);
	if ((rc = db_done(clear, NULL, NULL, e)))
		return rc;
	for (size_t k = 0; k < 3; k++) {
		json_t *v;
		size_t i;

		json_array_foreach(json_object_get(links, LINK_KINDS[k][1]), i, v) {
			STMT_OR_FAIL(add, c, SQL_LINK_ADD, e);

			db_bind_int(add, 1, article_id);
			db_bind_str(add, 2, LINK_KINDS[k][0]);
			db_bind_str(add, 3, json_string_value(v));
			if ((rc = db_done(add, NULL, NULL, e)))
				return rc;
		}
	}
	return 0;
}

/* ---- versions ---- */

static const char SQL_VERSION_ADD[] =
	"INSERT INTO article_versions(article_id, version, title, body, visibility, status, links, "
	"edited_by, edited_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
static const char SQL_VERSION_GET[] =
	"SELECT version, title, body, visibility, status, links, edited_by, edited_at "
	"FROM article_versions WHERE article_id = ?1 AND version = ?2";
static const char SQL_VERSIONS[] =
	"SELECT version, title, status, edited_by, edited_at FROM article_versions "
	"WHERE article_id = ?1 ORDER BY version";

static int kn_version_add(struct store_tx *tx, const struct article *a, const json_t *links,
			  struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_VERSION_ADD, e);
	char *text = json_dumps(links, JSON_COMPACT);
	int rc;

	if (!text)
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	db_bind_int(s, 1, a->id);
	db_bind_int(s, 2, a->version);
	db_bind_str(s, 3, a->title);
	db_bind_str(s, 4, a->body);
	db_bind_str(s, 5, a->visibility);
	db_bind_str(s, 6, a->status);
	db_bind_str(s, 7, text);
	db_bind_str(s, 8, a->updated_by);
	db_bind_int(s, 9, a->updated_at);
	rc = db_done(s, "version", "that version of the article is written already", e);
	free(text);
	return rc;
}

/* A stored links text as JSON (an object; {} when it does not parse). */
static json_t *links_value(const char *text)
{
	json_t *j = text ? json_loads(text, 0, NULL) : NULL;

	if (j && json_is_object(j))
		return j;
	json_decref(j);
	return json_object();
}

static json_t *version_json(struct db_stmt *s)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:o, s:s, s:I}", "version",
			 (json_int_t)db_int(s, 0), "title", db_cstr(s, 1) ?: "", "body",
			 db_cstr(s, 2) ?: "", "visibility", db_cstr(s, 3) ?: "", "status",
			 db_cstr(s, 4) ?: "", "links", links_value(db_cstr(s, 5)), "edited_by",
			 db_cstr(s, 6) ?: "", "edited_at", (json_int_t)db_int(s, 7));
}

static int kn_version_get(struct store *st, int64_t article_id, int64_t version, json_t **out,
			  struct err *e)
{
	CONN_OR_FAIL(c, st, NULL, e);
	STMT_OR_FAIL(s, c, SQL_VERSION_GET, e);
	json_t *rows = NULL;
	int rc;

	*out = NULL;
	db_bind_int(s, 1, article_id);
	db_bind_int(s, 2, version);
	if ((rc = db_json(s, version_json, &rows, e)))
		return rc;
	if (!json_array_size(rows)) {
		json_decref(rows);
		return ERR_NOT_FOUND;
	}
	*out = json_incref(json_array_get(rows, 0));
	json_decref(rows);
	return 0;
}

static json_t *version_brief(struct db_stmt *s)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:I}", "version", (json_int_t)db_int(s, 0), "title",
			 db_cstr(s, 1) ?: "", "status", db_cstr(s, 2) ?: "", "edited_by",
			 db_cstr(s, 3) ?: "", "edited_at", (json_int_t)db_int(s, 4));
}

static int kn_versions(struct store *st, int64_t article_id, json_t **out, struct err *e)
{
	CONN_OR_FAIL(c, st, NULL, e);
	STMT_OR_FAIL(s, c, SQL_VERSIONS, e);

	db_bind_int(s, 1, article_id);
	return db_json(s, version_brief, out, e);
}

const struct store_knowledge_ops sql_knowledge_ops = {
	.insert = kn_insert,
	.update = kn_update,
	.get = kn_get,
	.list = kn_list,
	.links_get = kn_links_get,
	.links_set = kn_links_set,
	.version_add = kn_version_add,
	.version_get = kn_version_get,
	.versions = kn_versions,
	.search = sq_search,
};
