/*
 * sqlite_cmdb.c — the SQLite backend's cmdb operations (see store_cmdb.h):
 * item types, items, relationships, item history and the graph load for
 * impact analysis. The intake, checks and metrics are in
 * sqlite_cmdb_events.c; this file holds the one ops table.
 */
#include "store/sqlite_int.h"
#include "store/sqlite_cmdb.h"
#include "lib/timeutil.h"

#include <stdlib.h>
#include <string.h>

#define CI_COLS                                                                            \
	"c.id, c.key, c.name, c.type, c.status, c.owner_group, c.location, c.service, "     \
	"c.attributes, c.created_at, c.updated_at, c.version"

static const char SQL_TYPE_EXISTS[] = "SELECT 1 FROM ci_types WHERE name = ?1";
static const char SQL_TYPE_INSERT[] = "INSERT INTO ci_types(name, builtin) VALUES(?1, 0)";
static const char SQL_TYPE_LIST[] = "SELECT name, builtin FROM ci_types ORDER BY name";
static const char SQL_CI_INSERT[] =
	"INSERT INTO cis(key, name, type, status, owner_group, location, service, attributes, "
	"created_at, updated_at, version) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9, 1)";
static const char SQL_CI_UPDATE[] =
	"UPDATE cis SET name = ?2, type = ?3, status = ?4, owner_group = ?5, location = ?6, "
	"service = ?7, attributes = ?8, updated_at = ?9, version = ?10 "
	"WHERE id = ?1 AND version = ?10 - 1";
static const char SQL_CI_BY_ID[] = "SELECT " CI_COLS " FROM cis c WHERE c.id = ?1";
static const char SQL_CI_BY_KEY[] = "SELECT " CI_COLS " FROM cis c WHERE c.key = ?1";
static const char SQL_CI_RESOLVE_KEY[] = "SELECT id FROM cis WHERE key = ?1";
static const char SQL_CI_RESOLVE_NAME[] = "SELECT id FROM cis WHERE name = ?1 ORDER BY id LIMIT 1";
static const char SQL_CI_LIST[] =
	"SELECT " CI_COLS " FROM cis c WHERE (?1 IS NULL OR c.type = ?1) "
	"AND (?2 IS NULL OR c.status = ?2) "
	"AND (?3 IS NULL OR c.key LIKE '%' || ?3 || '%' OR c.name LIKE '%' || ?3 || '%') "
	"AND (?4 IS NULL OR (CASE json_type(c.attributes, '$.\"' || ?4 || '\"') "
	"     WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' "
	"     ELSE CAST(json_extract(c.attributes, '$.\"' || ?4 || '\"') AS TEXT) END) = ?5) "
	"AND (?6 IS NULL OR c.owner_group = ?6) AND (?7 IS NULL OR c.location = ?7) "
	"AND c.id > ?8 ORDER BY c.id LIMIT ?9";
static const char SQL_CI_SCAN[] = "SELECT " CI_COLS " FROM cis c ORDER BY c.id";
static const char SQL_HIST_INSERT[] =
	"INSERT INTO ci_history(ci_id, at, actor, action, change) VALUES(?1, ?2, ?3, ?4, ?5)";
static const char SQL_HIST_LIST[] =
	"SELECT at, actor, action, change FROM ci_history WHERE ci_id = ?1 ORDER BY id";
static const char SQL_REL_INSERT[] =
	"INSERT INTO ci_relationships(source_id, type, target_id, propagates, created_at) "
	"VALUES(?1, ?2, ?3, ?4, ?5)";
#define REL_COLS                                                                           \
	"r.id, r.source_id, s.key, r.type, r.target_id, t.key, r.propagates, r.created_at "  \
	"FROM ci_relationships r JOIN cis s ON s.id = r.source_id JOIN cis t ON t.id = r.target_id"
static const char SQL_REL_GET[] = "SELECT " REL_COLS " WHERE r.id = ?1";
static const char SQL_REL_DELETE[] = "DELETE FROM ci_relationships WHERE id = ?1";
static const char SQL_REL_SCAN_CI[] =
	"SELECT " REL_COLS " WHERE r.source_id = ?1 UNION ALL SELECT " REL_COLS
	" WHERE r.target_id = ?1 AND r.source_id <> ?1 ORDER BY 1";
static const char SQL_REL_SCAN_ALL[] = "SELECT " REL_COLS " ORDER BY r.id";
static const char SQL_GRAPH_NODES[] = "SELECT id, key, name, type, service FROM cis ORDER BY id";
static const char SQL_GRAPH_COUNT[] =
	"SELECT (SELECT count(*) FROM cis), (SELECT count(*) FROM ci_relationships)";
static const char SQL_GRAPH_EDGES[] =
	"SELECT source_id, target_id, type, propagates FROM ci_relationships";
static const char SQL_TICKET_LINKS[] =
	"SELECT t.key, t.kind, t.status, t.priority, t.title, l.role, t.created_at "
	"FROM ticket_cis l JOIN tickets t ON t.id = l.ticket_id WHERE l.ci_id = ?1 "
	"ORDER BY t.id DESC LIMIT 500";
static const char SQL_TICKET_ITEMS[] =
	"SELECT c.key, c.name, c.type, c.status, l.role FROM ticket_cis l "
	"JOIN cis c ON c.id = l.ci_id WHERE l.ticket_id = ?1 ORDER BY l.role, c.key";
static const char SQL_TICKET_LINK[] =
	"INSERT OR IGNORE INTO ticket_cis(ticket_id, ci_id, role) VALUES(?1, ?2, ?3)";

/* ---- types ---- */

static int type_exists(struct store *st, struct store_tx *tx, const char *name)
{
	struct conn *c = sq_conn(st, tx);
	sqlite3_stmt *s = c ? sq_stmt(c, SQL_TYPE_EXISTS, NULL) : NULL;
	int found;

	if (!s)
		return 0;
	sq_bind_str(s, 1, name);
	found = sqlite3_step(s) == SQLITE_ROW;
	sqlite3_reset(s);
	return found;
}

static int type_insert(struct store_tx *tx, const char *name, struct err *e)
{
	sqlite3_stmt *s = sq_stmt(sq_txc(tx), SQL_TYPE_INSERT, e);

	if (!s)
		return ERR_INTERNAL;
	sq_bind_str(s, 1, name);
	return sq_done(sq_txc(tx), s, NULL, NULL, e);
}

static int type_list(struct store *st, json_t **out, struct err *e)
{
	struct conn *c = sq_conn(st, NULL);
	sqlite3_stmt *s = c ? sq_stmt(c, SQL_TYPE_LIST, e) : NULL;

	if (!s)
		return ERR_INTERNAL;
	*out = json_array();
	while (sqlite3_step(s) == SQLITE_ROW)
		json_array_append_new(*out, json_pack("{s:s, s:b}", "name",
						      (const char *)sqlite3_column_text(s, 0),
						      "builtin", sqlite3_column_int(s, 1)));
	sqlite3_reset(s);
	return 0;
}

/* ---- items ---- */

static void read_ci(sqlite3_stmt *s, struct ci *c)
{
	const char *attrs = (const char *)sqlite3_column_text(s, 8);

	memset(c, 0, sizeof(*c));
	c->id = sq_int(s, 0);
	sq_text(s, 1, c->key, sizeof(c->key));
	sq_text(s, 2, c->name, sizeof(c->name));
	sq_text(s, 3, c->type, sizeof(c->type));
	sq_text(s, 4, c->status, sizeof(c->status));
	sq_text(s, 5, c->owner_group, sizeof(c->owner_group));
	sq_text(s, 6, c->location, sizeof(c->location));
	sq_text(s, 7, c->service, sizeof(c->service));
	c->attributes = attrs ? json_loads(attrs, 0, NULL) : NULL;
	if (!json_is_object(c->attributes)) {
		json_decref(c->attributes);
		c->attributes = json_object();
	}
	c->created_at = sq_int(s, 9);
	c->updated_at = sq_int(s, 10);
	c->version = sq_int(s, 11);
}

static char *attrs_text(const struct ci *c)
{
	return json_dumps(c->attributes ? c->attributes : json_object(),
			  JSON_COMPACT | JSON_SORT_KEYS);
}

static int ci_insert(struct store_tx *tx, struct ci *ci, struct err *e)
{
	struct conn *c = sq_txc(tx);
	sqlite3_stmt *s = sq_stmt(c, SQL_CI_INSERT, e);
	char *attrs;
	int rc;

	if (!s)
		return ERR_INTERNAL;
	attrs = attrs_text(ci);
	sq_bind_str(s, 1, ci->key);
	sq_bind_str(s, 2, ci->name);
	sq_bind_str(s, 3, ci->type);
	sq_bind_str(s, 4, ci->status);
	sq_bind_str(s, 5, ci->owner_group);
	sq_bind_str(s, 6, ci->location);
	sq_bind_str(s, 7, ci->service);
	sq_bind_str(s, 8, attrs ? attrs : "{}");
	sqlite3_bind_int64(s, 9, ci->created_at);
	rc = sq_done(c, s, NULL, NULL, e);
	free(attrs);
	if (rc)
		return rc == ERR_CONFLICT ? err_set(e, ERR_CONFLICT, "key",
						    "an item with key '%s' exists", ci->key)
					  : rc;
	ci->id = sqlite3_last_insert_rowid(c->db);
	ci->version = 1;
	ci->updated_at = ci->created_at;
	return 0;
}

static int ci_update(struct store_tx *tx, const struct ci *ci, struct err *e)
{
	struct conn *c = sq_txc(tx);
	sqlite3_stmt *s = sq_stmt(c, SQL_CI_UPDATE, e);
	char *attrs;
	int rc;

	if (!s)
		return ERR_INTERNAL;
	attrs = attrs_text(ci);
	sqlite3_bind_int64(s, 1, ci->id);
	sq_bind_str(s, 2, ci->name);
	sq_bind_str(s, 3, ci->type);
	sq_bind_str(s, 4, ci->status);
	sq_bind_str(s, 5, ci->owner_group);
	sq_bind_str(s, 6, ci->location);
	sq_bind_str(s, 7, ci->service);
	sq_bind_str(s, 8, attrs ? attrs : "{}");
	sqlite3_bind_int64(s, 9, ci->updated_at);
	sqlite3_bind_int64(s, 10, ci->version);
	rc = sq_done(c, s, NULL, NULL, e);
	free(attrs);
	if (rc)
		return rc;
	if (sqlite3_changes(c->db) != 1)
		return err_set(e, ERR_CONFLICT, "version", "item '%s' was changed meanwhile",
			       ci->key);
	return 0;
}

static int ci_get(struct store *st, struct store_tx *tx, int64_t id, const char *key,
		  struct ci *ci, struct err *e)
{
	struct conn *c = sq_conn(st, tx);
	sqlite3_stmt *s = c ? sq_stmt(c, key ? SQL_CI_BY_KEY : SQL_CI_BY_ID, e) : NULL;
	int found = 0;

	if (!s)
		return ERR_INTERNAL;
	if (key)
		sq_bind_str(s, 1, key);
	else
		sqlite3_bind_int64(s, 1, id);
	if (sqlite3_step(s) == SQLITE_ROW) {
		read_ci(s, ci);
		found = 1;
	}
	sqlite3_reset(s);
	if (!found)
		return key ? err_set(e, ERR_NOT_FOUND, NULL, "item '%s' not found", key)
			   : err_set(e, ERR_NOT_FOUND, NULL, "item %lld not found", (long long)id);
	return 0;
}

static int64_t lookup_id(struct conn *c, const char *sql, const char *v)
{
	sqlite3_stmt *s = sq_stmt(c, sql, NULL);
	int64_t id = 0;

	if (!s)
		return 0;
	sq_bind_str(s, 1, v);
	if (sqlite3_step(s) == SQLITE_ROW)
		id = sq_int(s, 0);
	sqlite3_reset(s);
	return id;
}

static int64_t ci_resolve(struct store *st, struct store_tx *tx, const char *ref)
{
	struct conn *c = sq_conn(st, tx);
	int64_t id;

	if (!c || !ref || !*ref)
		return 0;
	id = lookup_id(c, SQL_CI_RESOLVE_KEY, ref);
	return id ? id : lookup_id(c, SQL_CI_RESOLVE_NAME, ref);
}

static int ci_list(struct store *st, const struct ci_filter *f, struct ci **items, size_t *n,
		   int *more, struct err *e)
{
	struct conn *c = sq_conn(st, NULL);
	sqlite3_stmt *s = c ? sq_stmt(c, SQL_CI_LIST, e) : NULL;
	size_t cap = (size_t)f->limit + 1, k = 0;
	struct ci *out;

	*items = NULL;
	*n = 0;
	*more = 0;
	if (!s)
		return ERR_INTERNAL;
	out = calloc(cap, sizeof(*out));
	if (!out)
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	sq_bind_text(s, 1, f->type);
	sq_bind_text(s, 2, f->status);
	sq_bind_text(s, 3, f->q);
	sq_bind_text(s, 4, f->attr_key);
	sq_bind_str(s, 5, f->attr_value);
	sq_bind_text(s, 6, f->owner_group);
	sq_bind_text(s, 7, f->location);
	sqlite3_bind_int64(s, 8, f->after_id);
	sqlite3_bind_int64(s, 9, f->limit + 1);
	while (sqlite3_step(s) == SQLITE_ROW && k < cap)
		read_ci(s, &out[k++]);
	sqlite3_reset(s);
	if (k > (size_t)f->limit) {
		ci_release(&out[--k]);
		*more = 1;
	}
	*items = out;
	*n = k;
	return 0;
}

static int ci_scan(struct store *st, store_ci_fn fn, void *ctx, struct err *e)
{
	struct conn *c = sq_conn(st, NULL);
	sqlite3_stmt *s = c ? sq_stmt(c, SQL_CI_SCAN, e) : NULL;
	int rc = 0;

	if (!s)
		return ERR_INTERNAL;
	while (!rc && sqlite3_step(s) == SQLITE_ROW) {
		struct ci ci;

		read_ci(s, &ci);
		rc = fn(&ci, ctx);
		ci_release(&ci);
	}
	sqlite3_reset(s);
	return rc < 0 ? rc : 0;
}

static int history_insert(struct store_tx *tx, int64_t ci_id, int64_t at, const char *actor,
			  const char *action, const char *change, struct err *e)
{
	sqlite3_stmt *s = sq_stmt(sq_txc(tx), SQL_HIST_INSERT, e);

	if (!s)
		return ERR_INTERNAL;
	sqlite3_bind_int64(s, 1, ci_id);
	sqlite3_bind_int64(s, 2, at);
	sq_bind_str(s, 3, actor);
	sq_bind_str(s, 4, action);
	sq_bind_str(s, 5, change);
	return sq_done(sq_txc(tx), s, NULL, NULL, e);
}

static int history_list(struct store *st, int64_t ci_id, json_t **items, struct err *e)
{
	struct conn *c = sq_conn(st, NULL);
	sqlite3_stmt *s = c ? sq_stmt(c, SQL_HIST_LIST, e) : NULL;

	if (!s)
		return ERR_INTERNAL;
	*items = json_array();
	sqlite3_bind_int64(s, 1, ci_id);
	while (sqlite3_step(s) == SQLITE_ROW) {
		json_t *h = json_object(), *ch;
		char at[RFC3339_LEN];

		time_format_rfc3339(sq_int(s, 0), at);
		json_object_set_new(h, "at", json_string(at));
		json_object_set_new(h, "actor", json_string((const char *)sqlite3_column_text(s, 1)));
		json_object_set_new(h, "action",
				    json_string((const char *)sqlite3_column_text(s, 2)));
		ch = json_loads((const char *)sqlite3_column_text(s, 3), 0, NULL);
		json_object_set_new(h, "change", ch ? ch : json_null());
		json_array_append_new(*items, h);
	}
	sqlite3_reset(s);
	return 0;
}

/* ---- relationships ---- */

static void read_rel(sqlite3_stmt *s, struct ci_rel *r)
{
	memset(r, 0, sizeof(*r));
	r->id = sq_int(s, 0);
	r->source_id = sq_int(s, 1);
	sq_text(s, 2, r->source, sizeof(r->source));
	sq_text(s, 3, r->type, sizeof(r->type));
	r->target_id = sq_int(s, 4);
	sq_text(s, 5, r->target, sizeof(r->target));
	r->propagates = sqlite3_column_int(s, 6);
	r->created_at = sq_int(s, 7);
}

static int rel_insert(struct store_tx *tx, struct ci_rel *r, struct err *e)
{
	struct conn *c = sq_txc(tx);
	sqlite3_stmt *s = sq_stmt(c, SQL_REL_INSERT, e);
	int rc;

	if (!s)
		return ERR_INTERNAL;
	sqlite3_bind_int64(s, 1, r->source_id);
	sq_bind_str(s, 2, r->type);
	sqlite3_bind_int64(s, 3, r->target_id);
	sqlite3_bind_int(s, 4, r->propagates);
	sqlite3_bind_int64(s, 5, r->created_at);
	rc = sq_done(c, s, NULL, NULL, e);
	if (rc)
		return rc == ERR_CONFLICT
			       ? err_set(e, ERR_CONFLICT, NULL, "'%s %s %s' exists already",
					 r->source, r->type, r->target)
			       : rc;
	r->id = sqlite3_last_insert_rowid(c->db);
	return 0;
}

static int rel_get(struct store *st, struct store_tx *tx, int64_t id, struct ci_rel *r,
		   struct err *e)
{
	struct conn *c = sq_conn(st, tx);
	sqlite3_stmt *s = c ? sq_stmt(c, SQL_REL_GET, e) : NULL;
	int found = 0;

	if (!s)
		return ERR_INTERNAL;
	sqlite3_bind_int64(s, 1, id);
	if (sqlite3_step(s) == SQLITE_ROW) {
		read_rel(s, r);
		found = 1;
	}
	sqlite3_reset(s);
	return found ? 0
		     : err_set(e, ERR_NOT_FOUND, NULL, "relationship %lld not found", (long long)id);
}

static int rel_delete(struct store_tx *tx, int64_t id, struct err *e)
{
	sqlite3_stmt *s = sq_stmt(sq_txc(tx), SQL_REL_DELETE, e);

	if (!s)
		return ERR_INTERNAL;
	sqlite3_bind_int64(s, 1, id);
	return sq_done(sq_txc(tx), s, NULL, NULL, e);
}

static int rel_scan(struct store *st, int64_t ci_id, store_rel_fn fn, void *ctx, struct err *e)
{
	struct conn *c = sq_conn(st, NULL);
	sqlite3_stmt *s = c ? sq_stmt(c, ci_id ? SQL_REL_SCAN_CI : SQL_REL_SCAN_ALL, e) : NULL;
	int rc = 0;

	if (!s)
		return ERR_INTERNAL;
	if (ci_id)
		sqlite3_bind_int64(s, 1, ci_id);
	while (!rc && sqlite3_step(s) == SQLITE_ROW) {
		struct ci_rel r;

		read_rel(s, &r);
		rc = fn(&r, ctx);
	}
	sqlite3_reset(s);
	return rc < 0 ? rc : 0;
}

/* Both reads in one read transaction, so nodes and edges agree. */
static int graph_load(struct store *st, struct cmdb_graph_rows *g, struct err *e)
{
	struct conn *c = sq_conn(st, NULL);
	sqlite3_stmt *s;
	size_t nn = 0, ne = 0, cap_n, cap_e;
	int rc = 0;

	memset(g, 0, sizeof(*g));
	if (!c)
		return err_set(e, ERR_INTERNAL, NULL, "no read connection");
	sqlite3_exec(c->db, "BEGIN", NULL, NULL, NULL);
	if (!(s = sq_stmt(c, SQL_GRAPH_COUNT, e))) {
		rc = ERR_INTERNAL;
		goto out;
	}
	sqlite3_step(s);
	cap_n = (size_t)sq_int(s, 0) + 1;
	cap_e = (size_t)sq_int(s, 1) + 1;
	sqlite3_reset(s);
	g->ids = malloc(cap_n * sizeof(*g->ids));
	g->keys = calloc(cap_n, sizeof(char *));
	g->names = calloc(cap_n, sizeof(char *));
	g->types = calloc(cap_n, sizeof(char *));
	g->services = calloc(cap_n, sizeof(char *));
	g->edges = malloc(cap_e * sizeof(*g->edges));
	if (!g->ids || !g->keys || !g->names || !g->types || !g->services || !g->edges) {
		rc = err_set(e, ERR_INTERNAL, NULL, "out of memory");
		goto out;
	}
	if (!(s = sq_stmt(c, SQL_GRAPH_NODES, e))) {
		rc = ERR_INTERNAL;
		goto out;
	}
	while (nn < cap_n && sqlite3_step(s) == SQLITE_ROW) {
		g->ids[nn] = sq_int(s, 0);
		g->keys[nn] = sq_strdup(s, 1);
		g->names[nn] = sq_strdup(s, 2);
		g->types[nn] = sq_strdup(s, 3);
		g->services[nn] = sq_strdup(s, 4);
		nn++;
		g->n_nodes = nn;
	}
	sqlite3_reset(s);
	if (!(s = sq_stmt(c, SQL_GRAPH_EDGES, e))) {
		rc = ERR_INTERNAL;
		goto out;
	}
	while (ne < cap_e && sqlite3_step(s) == SQLITE_ROW) {
		g->edges[ne].source_id = sq_int(s, 0);
		g->edges[ne].target_id = sq_int(s, 1);
		sq_text(s, 2, g->edges[ne].type, sizeof(g->edges[ne].type));
		g->edges[ne].propagates = sqlite3_column_int(s, 3);
		ne++;
	}
	sqlite3_reset(s);
	g->n_edges = ne;
out:
	sqlite3_exec(c->db, "COMMIT", NULL, NULL, NULL);
	if (rc)
		cmdb_graph_rows_release(g);
	return rc;
}

static int ticket_ci_link(struct store_tx *tx, int64_t ticket_id, int64_t ci_id, const char *role,
			  struct err *e)
{
	sqlite3_stmt *s = sq_stmt(sq_txc(tx), SQL_TICKET_LINK, e);

	if (!s)
		return ERR_INTERNAL;
	sqlite3_bind_int64(s, 1, ticket_id);
	sqlite3_bind_int64(s, 2, ci_id);
	sq_bind_str(s, 3, role);
	return sq_done(sq_txc(tx), s, NULL, NULL, e);
}

static int ticket_ci_list(struct store *st, int64_t ci_id, json_t **items, struct err *e)
{
	struct conn *c = sq_conn(st, NULL);
	sqlite3_stmt *s = c ? sq_stmt(c, SQL_TICKET_LINKS, e) : NULL;

	if (!s)
		return ERR_INTERNAL;
	sqlite3_bind_int64(s, 1, ci_id);
	*items = json_array();
	while (sqlite3_step(s) == SQLITE_ROW) {
		char at[RFC3339_LEN];

		time_format_rfc3339(sq_int(s, 6), at);
		json_array_append_new(
			*items,
			json_pack("{s:s, s:s, s:s, s:i, s:s, s:s, s:s}", "ticket",
				  (const char *)sqlite3_column_text(s, 0), "kind",
				  (const char *)sqlite3_column_text(s, 1), "status",
				  (const char *)sqlite3_column_text(s, 2), "priority",
				  sqlite3_column_int(s, 3), "title",
				  (const char *)sqlite3_column_text(s, 4), "role",
				  (const char *)sqlite3_column_text(s, 5), "created_at", at));
	}
	sqlite3_reset(s);
	return 0;
}

static int ci_ticket_list(struct store *st, int64_t ticket_id, json_t **items, struct err *e)
{
	struct conn *c = sq_conn(st, NULL);
	sqlite3_stmt *s = c ? sq_stmt(c, SQL_TICKET_ITEMS, e) : NULL;

	if (!s)
		return ERR_INTERNAL;
	sqlite3_bind_int64(s, 1, ticket_id);
	*items = json_array();
	while (sqlite3_step(s) == SQLITE_ROW)
		json_array_append_new(*items,
				      json_pack("{s:s, s:s, s:s, s:s, s:s}", "key",
						(const char *)sqlite3_column_text(s, 0), "name",
						(const char *)sqlite3_column_text(s, 1), "type",
						(const char *)sqlite3_column_text(s, 2), "status",
						(const char *)sqlite3_column_text(s, 3), "role",
						(const char *)sqlite3_column_text(s, 4)));
	sqlite3_reset(s);
	return 0;
}

const struct store_cmdb_ops sqlite_cmdb_ops = {
	.type_exists = type_exists,
	.type_insert = type_insert,
	.type_list = type_list,
	.ci_insert = ci_insert,
	.ci_update = ci_update,
	.ci_get = ci_get,
	.ci_resolve = ci_resolve,
	.ci_list = ci_list,
	.ci_scan = ci_scan,
	.ci_history_insert = history_insert,
	.ci_history_list = history_list,
	.rel_insert = rel_insert,
	.rel_get = rel_get,
	.rel_delete = rel_delete,
	.rel_scan = rel_scan,
	.graph_load = graph_load,
	.ticket_ci_link = ticket_ci_link,
	.ticket_ci_list = ticket_ci_list,
	.ci_ticket_list = ci_ticket_list,
	.alert_get = sqc_alert_get,
	.alert_insert = sqc_alert_insert,
	.alert_update = sqc_alert_update,
	.alert_list = sqc_alert_list,
	.event_insert = sqc_event_insert,
	.event_list = sqc_event_list,
	.outage_insert = sqc_outage_insert,
	.outage_open_list = sqc_outage_open_list,
	.outage_end = sqc_outage_end,
	.outage_list = sqc_outage_list,
	.incident_counts = sqc_incident_counts,
	.check_insert = sqc_check_insert,
	.check_get = sqc_check_get,
	.check_list = sqc_check_list,
	.check_due = sqc_check_due,
	.check_save_state = sqc_check_save_state,
	.check_delete = sqc_check_delete,
	.check_update = sqc_check_update,
	.metric_insert = sqc_metric_insert,
	.metric_query = sqc_metric_query,
	.metric_names = sqc_metric_names,
	.prune = sqc_prune,
};
