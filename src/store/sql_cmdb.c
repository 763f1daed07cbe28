/*
 * sql_cmdb.c — the SQL store's cmdb operations (see store_cmdb.h):
 * item types, items, relationships, item history and the graph load for
 * impact analysis. The intake, checks and metrics are in
 * sql_cmdb_events.c; this file holds the one ops table.
 */
#include "store/sql.h"
#include "store/sql_cmdb.h"
#include "lib/jsonx.h"

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
	"created_at, updated_at, version) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9, 1) RETURNING id";
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
	"AND (?3 IS NULL OR lower(c.key) LIKE '%' || lower(?3) || '%' "
	"     OR lower(c.name) LIKE '%' || lower(?3) || '%') "
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
	"VALUES(?1, ?2, ?3, ?4, ?5) RETURNING id";
#define REL_COLS                                                                           \
	"r.id, r.source_id, s.key, r.type, r.target_id, t.key, r.propagates, r.created_at "  \
	"FROM ci_relationships r JOIN cis s ON s.id = r.source_id JOIN cis t ON t.id = r.target_id"
static const char SQL_REL_GET[] = "SELECT " REL_COLS " WHERE r.id = ?1";
static const char SQL_REL_FIND[] =
	"SELECT " REL_COLS " WHERE r.source_id = ?1 AND r.type = ?2 AND r.target_id = ?3";
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
	"INSERT INTO ticket_cis(ticket_id, ci_id, role) VALUES(?1, ?2, ?3) ON CONFLICT DO NOTHING";

/* ---- types ---- */

static int type_exists(struct store *st, struct store_tx *tx, const char *name, struct err *e)
{
	CONN_OR_FAIL(c, st, tx, e);
	STMT_OR_FAIL(s, c, SQL_TYPE_EXISTS, e);
	int64_t one;

	db_bind_str(s, 1, name);
	return db_one(s, &db_int64, &one, e);
}

static int type_insert(struct store_tx *tx, const char *name, struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_TYPE_INSERT, e);

	db_bind_str(s, 1, name);
	return db_done(s, NULL, NULL, e);
}

static json_t *type_json(struct db_stmt *s)
{
	return json_pack("{s:s, s:b}", "name", db_cstr(s, 0), "builtin",
			 db_int(s, 1));
}

static int type_list(struct store *st, json_t **out, struct err *e)
{
	CONN_OR_FAIL(c, st, NULL, e);
	STMT_OR_FAIL(s, c, SQL_TYPE_LIST, e);

	return db_json(s, type_json, out, e);
}

/* ---- items ---- */

static int read_ci(struct db_stmt *s, void *item)
{
	struct ci *c = item;
	const char *attrs = db_cstr(s, 8);

	memset(c, 0, sizeof(*c));
	c->id = db_int(s, 0);
	db_text(s, 1, c->key, sizeof(c->key));
	db_text(s, 2, c->name, sizeof(c->name));
	db_text(s, 3, c->type, sizeof(c->type));
	db_text(s, 4, c->status, sizeof(c->status));
	db_text(s, 5, c->owner_group, sizeof(c->owner_group));
	db_text(s, 6, c->location, sizeof(c->location));
	db_text(s, 7, c->service, sizeof(c->service));
	c->created_at = db_int(s, 9);
	c->updated_at = db_int(s, 10);
	c->version = db_int(s, 11);
	/* The store writes the attributes as an object: anything else read
	 * back is a failure (out of memory), not an item without them. */
	c->attributes = json_loads(attrs ? attrs : "{}", 0, NULL);
	return json_is_object(c->attributes) ? 0 : ERR_INTERNAL;
}

static void ci_drop(void *item)
{
	ci_release(item);
}

static const struct db_kind ci_kind = { sizeof(struct ci), read_ci, ci_drop };

/* ?2-?8 of an insert or an update: the fields, and the attributes as
 * stored in *attrs (the caller frees). */
static int bind_ci(struct db_stmt *s, const struct ci *ci, char **attrs, struct err *e)
{
	*attrs = ci->attributes ? json_dumps(ci->attributes, JSON_COMPACT | JSON_SORT_KEYS)
				: strdup("{}");
	if (!*attrs)
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	db_bind_str(s, 2, ci->name);
	db_bind_str(s, 3, ci->type);
	db_bind_str(s, 4, ci->status);
	db_bind_str(s, 5, ci->owner_group);
	db_bind_str(s, 6, ci->location);
	db_bind_str(s, 7, ci->service);
	db_bind_str(s, 8, *attrs);
	return 0;
}

static int ci_insert(struct store_tx *tx, struct ci *ci, struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_CI_INSERT, e);
	char *attrs;
	int rc;

	if ((rc = bind_ci(s, ci, &attrs, e)))
		return rc;
	db_bind_str(s, 1, ci->key);
	db_bind_int(s, 9, ci->created_at);
	rc = db_insert(s, NULL, NULL, &ci->id, e);
	free(attrs);
	if (rc)
		return rc == ERR_CONFLICT ? err_set(e, ERR_CONFLICT, "key",
						    "an item with key '%s' exists", ci->key)
					  : rc;
	ci->version = 1;
	ci->updated_at = ci->created_at;
	return 0;
}

static int ci_update(struct store_tx *tx, const struct ci *ci, struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_CI_UPDATE, e);
	char *attrs;
	int rc;

	if ((rc = bind_ci(s, ci, &attrs, e)))
		return rc;
	db_bind_int(s, 1, ci->id);
	db_bind_int(s, 9, ci->updated_at);
	db_bind_int(s, 10, ci->version);
	rc = db_done_versioned(s, e, "item '%s'", ci->key);
	free(attrs);
	return rc;
}

static int ci_get(struct store *st, struct store_tx *tx, int64_t id, const char *key,
		  struct ci *ci, struct err *e)
{
	CONN_OR_FAIL(c, st, tx, e);
	int rc = db_one_by(c, SQL_CI_BY_KEY, SQL_CI_BY_ID, key, id, &ci_kind, ci, e);

	return key ? err_absent(e, rc, ERR_NOT_FOUND, NULL, "item '%s' not found", key)
		   : err_absent(e, rc, ERR_NOT_FOUND, NULL, "item %lld not found", (long long)id);
}

/* The id the statement sql finds for v into *id: 0 there when none. */
static int lookup_id(struct db *c, const char *sql, const char *v, int64_t *id, struct err *e)
{
	STMT_OR_FAIL(s, c, sql, e);
	int rc;

	db_bind_str(s, 1, v);
	*id = 0;
	rc = db_one(s, &db_int64, id, e);
	return rc == ERR_NOT_FOUND ? 0 : rc;
}

static int ci_resolve(struct store *st, struct store_tx *tx, const char *ref, int64_t *id,
		      struct err *e)
{
	CONN_OR_FAIL(c, st, tx, e);
	int rc;

	*id = 0;
	if (!ref || !*ref)
		return 0;
	if ((rc = lookup_id(c, SQL_CI_RESOLVE_KEY, ref, id, e)) || *id)
		return rc;
	return lookup_id(c, SQL_CI_RESOLVE_NAME, ref, id, e);
}

static int ci_list(struct store *st, const struct ci_filter *f, struct ci **items, size_t *n,
		   int *more, struct err *e)
{
	CONN_OR_FAIL(c, st, NULL, e);
	STMT_OR_FAIL(s, c, SQL_CI_LIST, e);

	db_bind_text(s, 1, f->type);
	db_bind_text(s, 2, f->status);
	db_bind_text(s, 3, f->q);
	db_bind_text(s, 4, f->attr_key);
	db_bind_str(s, 5, f->attr_value);
	db_bind_text(s, 6, f->owner_group);
	db_bind_text(s, 7, f->location);
	db_bind_int(s, 8, f->after_id);
	db_bind_int(s, 9, f->limit + 1);
	return db_all(s, &ci_kind, (size_t)f->limit, (void **)items, n, more, e);
}

/* A scan's callback and its argument, for sq_scan. */
struct scan_to {
	union {
		store_ci_fn ci;
		store_rel_fn rel;
	} fn;
	void *ctx;
};

static int use_ci(void *item, void *arg)
{
	struct scan_to *to = arg;

	return to->fn.ci(item, to->ctx);
}

static int ci_scan(struct store *st, store_ci_fn fn, void *ctx, struct err *e)
{
	CONN_OR_FAIL(c, st, NULL, e);
	STMT_OR_FAIL(s, c, SQL_CI_SCAN, e);
	struct scan_to to = { .fn.ci = fn, .ctx = ctx };

	return db_scan(s, &ci_kind, use_ci, &to, e);
}

static int history_insert(struct store_tx *tx, int64_t ci_id, int64_t at, const char *actor,
			  const char *action, const char *change, struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_HIST_INSERT, e);

	db_bind_int(s, 1, ci_id);
	db_bind_int(s, 2, at);
	db_bind_str(s, 3, actor);
	db_bind_str(s, 4, action);
	db_bind_str(s, 5, change);
	return db_done(s, NULL, NULL, e);
}

static json_t *history_json(struct db_stmt *s)
{
	const char *change = db_cstr(s, 3);
	json_t *ch = change ? json_loads(change, 0, NULL) : json_null();

	/* the store writes the change as JSON: unreadable is out of memory */
	if (!ch)
		return NULL;
	return json_pack("{s:o, s:s?, s:s?, s:o}", "at", jx_time_value(db_int(s, 0)), "actor",
			 db_cstr(s, 1), "action",
			 db_cstr(s, 2), "change", ch);
}

static int history_list(struct store *st, int64_t ci_id, json_t **items, struct err *e)
{
	CONN_OR_FAIL(c, st, NULL, e);
	STMT_OR_FAIL(s, c, SQL_HIST_LIST, e);

	db_bind_int(s, 1, ci_id);
	return db_json(s, history_json, items, e);
}

/* ---- relationships ---- */

static int read_rel(struct db_stmt *s, void *item)
{
	struct ci_rel *r = item;

	memset(r, 0, sizeof(*r));
	r->id = db_int(s, 0);
	r->source_id = db_int(s, 1);
	db_text(s, 2, r->source, sizeof(r->source));
	db_text(s, 3, r->type, sizeof(r->type));
	r->target_id = db_int(s, 4);
	db_text(s, 5, r->target, sizeof(r->target));
	r->propagates = db_int(s, 6);
	r->created_at = db_int(s, 7);
	return 0;
}

static const struct db_kind rel_kind = { sizeof(struct ci_rel), read_rel, NULL };

static int rel_insert(struct store_tx *tx, struct ci_rel *r, struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_REL_INSERT, e);
	int rc;

	db_bind_int(s, 1, r->source_id);
	db_bind_str(s, 2, r->type);
	db_bind_int(s, 3, r->target_id);
	db_bind_int(s, 4, r->propagates);
	db_bind_int(s, 5, r->created_at);
	rc = db_insert(s, NULL, NULL, &r->id, e);
	if (rc)
		return rc == ERR_CONFLICT
			       ? err_set(e, ERR_CONFLICT, NULL, "'%s %s %s' exists already",
					 r->source, r->type, r->target)
			       : rc;
	return 0;
}

static int rel_get(struct store *st, struct store_tx *tx, int64_t id, struct ci_rel *r,
		   struct err *e)
{
	CONN_OR_FAIL(c, st, tx, e);
	STMT_OR_FAIL(s, c, SQL_REL_GET, e);

	db_bind_int(s, 1, id);
	return err_absent(e, db_one(s, &rel_kind, r, e), ERR_NOT_FOUND, NULL,
			  "relationship %lld not found", (long long)id);
}

static int rel_find(struct store_tx *tx, int64_t source_id, const char *type, int64_t target_id,
		    struct ci_rel *r, struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_REL_FIND, e);

	db_bind_int(s, 1, source_id);
	db_bind_text(s, 2, type);
	db_bind_int(s, 3, target_id);
	return db_one(s, &rel_kind, r, e);
}

static int rel_delete(struct store_tx *tx, int64_t id, struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_REL_DELETE, e);

	db_bind_int(s, 1, id);
	return db_done(s, NULL, NULL, e);
}

static int use_rel(void *item, void *arg)
{
	struct scan_to *to = arg;

	return to->fn.rel(item, to->ctx);
}

static int rel_scan(struct store *st, int64_t ci_id, store_rel_fn fn, void *ctx, struct err *e)
{
	CONN_OR_FAIL(c, st, NULL, e);
	STMT_OR_FAIL(s, c, ci_id ? SQL_REL_SCAN_CI : SQL_REL_SCAN_ALL, e);
	struct scan_to to = { .fn.rel = fn, .ctx = ctx };

	if (ci_id)
		db_bind_int(s, 1, ci_id);
	return db_scan(s, &rel_kind, use_rel, &to, e);
}

/* The graph's rows, filled in place up to the counts read first. */
struct graph_fill {
	struct cmdb_graph_rows *g;
	size_t cap_nodes, cap_edges;
	struct err *e;
};

static int node_row(struct db_stmt *s, void *ctx)
{
	struct graph_fill *f = ctx;
	struct cmdb_graph_rows *g = f->g;
	size_t i = g->n_nodes;

	if (i == f->cap_nodes) /* more than counted: cannot be, in one transaction */
		return err_set(f->e, ERR_INTERNAL, NULL, "store: the graph changed while read");
	g->ids[i] = db_int(s, 0);
	g->n_nodes++; /* counted before the copies: released even half made */
	if (db_dup(s, 1, &g->keys[i]) || db_dup(s, 2, &g->names[i]) ||
	    db_dup(s, 3, &g->types[i]) || db_dup(s, 4, &g->services[i]))
		return err_set(f->e, ERR_INTERNAL, NULL, "out of memory");
	return 0;
}

static int edge_row(struct db_stmt *s, void *ctx)
{
	struct graph_fill *f = ctx;
	struct cmdb_graph_rows *g = f->g;
	size_t i = g->n_edges;

	if (i == f->cap_edges)
		return err_set(f->e, ERR_INTERNAL, NULL, "store: the graph changed while read");
	g->edges[i].source_id = db_int(s, 0);
	g->edges[i].target_id = db_int(s, 1);
	db_text(s, 2, g->edges[i].type, sizeof(g->edges[i].type));
	g->edges[i].propagates = db_int(s, 3);
	g->n_edges++;
	return 0;
}

/* The node and edge counts: (nodes, edges). */
static int count_row(struct db_stmt *s, void *item)
{
	int64_t *v = item;

	v[0] = db_int(s, 0);
	v[1] = db_int(s, 1);
	return 0;
}

static const struct db_kind count_kind = { 2 * sizeof(int64_t), count_row, NULL };

static int graph_read(struct db *c, struct cmdb_graph_rows *g, struct err *e)
{
	struct graph_fill f = { g, 0, 0, e };
	struct db_stmt *s;
	int64_t count[2];
	int rc;

	if (!(s = db_stmt(c, SQL_GRAPH_COUNT, e)))
		return ERR_INTERNAL;
	if ((rc = db_one(s, &count_kind, count, e)))
		return err_absent(e, rc, ERR_INTERNAL, NULL, "store: no count");
	f.cap_nodes = (size_t)count[0];
	f.cap_edges = (size_t)count[1];
	g->ids = malloc((f.cap_nodes + 1) * sizeof(*g->ids));
	g->keys = calloc(f.cap_nodes + 1, sizeof(char *));
	g->names = calloc(f.cap_nodes + 1, sizeof(char *));
	g->types = calloc(f.cap_nodes + 1, sizeof(char *));
	g->services = calloc(f.cap_nodes + 1, sizeof(char *));
	g->edges = malloc((f.cap_edges + 1) * sizeof(*g->edges));
	if (!g->ids || !g->keys || !g->names || !g->types || !g->services || !g->edges)
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	if (!(s = db_stmt(c, SQL_GRAPH_NODES, e)))
		return ERR_INTERNAL;
	if ((rc = db_each(s, node_row, &f, e)))
		return rc;
	if (!(s = db_stmt(c, SQL_GRAPH_EDGES, e)))
		return ERR_INTERNAL;
	return db_each(s, edge_row, &f, e);
}

/* Both reads in one read transaction, so nodes and edges agree. */
static int graph_load(struct store *st, struct cmdb_graph_rows *g, struct err *e)
{
	CONN_OR_FAIL(c, st, NULL, e);
	int rc, own;

	memset(g, 0, sizeof(*g));
	if ((rc = db_read_begin(c, &own, e)))
		return rc;
	rc = graph_read(c, g, e);
	db_read_end(c, own);
	if (rc)
		cmdb_graph_rows_release(g);
	return rc;
}

static int ticket_ci_link(struct store_tx *tx, int64_t ticket_id, int64_t ci_id, const char *role,
			  struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_TICKET_LINK, e);

	db_bind_int(s, 1, ticket_id);
	db_bind_int(s, 2, ci_id);
	db_bind_str(s, 3, role);
	return db_done(s, NULL, NULL, e);
}

static json_t *ticket_link_json(struct db_stmt *s)
{
	return json_pack("{s:s, s:s, s:s, s:i, s:s, s:s, s:o}", "ticket",
			 db_cstr(s, 0), "kind",
			 db_cstr(s, 1), "status",
			 db_cstr(s, 2), "priority",
			 db_int(s, 3), "title", db_cstr(s, 4),
			 "role", db_cstr(s, 5), "created_at",
			 jx_time_value(db_int(s, 6)));
}

static int ticket_ci_list(struct store *st, int64_t ci_id, json_t **items, struct err *e)
{
	CONN_OR_FAIL(c, st, NULL, e);
	STMT_OR_FAIL(s, c, SQL_TICKET_LINKS, e);

	db_bind_int(s, 1, ci_id);
	return db_json(s, ticket_link_json, items, e);
}

static json_t *ticket_item_json(struct db_stmt *s)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s}", "key", db_cstr(s, 0),
			 "name", db_cstr(s, 1), "type",
			 db_cstr(s, 2), "status",
			 db_cstr(s, 3), "role",
			 db_cstr(s, 4));
}

static int ci_ticket_list(struct store *st, int64_t ticket_id, json_t **items, struct err *e)
{
	CONN_OR_FAIL(c, st, NULL, e);
	STMT_OR_FAIL(s, c, SQL_TICKET_ITEMS, e);

	db_bind_int(s, 1, ticket_id);
	return db_json(s, ticket_item_json, items, e);
}

const struct store_cmdb_ops sql_cmdb_ops = {
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
	.rel_find = rel_find,
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
