/*
 * sql_routing.c — the SQL store's routing rules (see store_routing.h).
 *
 * Every statement is a static string so the connection's cache keys it by
 * address; each is written once for both engines. The table is small (a
 * desk's handful of rules), so the list reads it whole, in the order the
 * rules are tried.
 */
#include "store/sql.h"
#include "store/store_routing.h"

#include <stdlib.h>
#include <string.h>

#define RULE_COLS                                                                                  \
	"id, name, position, service, kind, ci, queue, keyword, group_name, created_at, "         \
	"updated_at, version FROM routing_rules "

static const char SQL_RULE_INSERT[] =
	"INSERT INTO routing_rules(name, position, service, kind, ci, queue, keyword, group_name, "
	"created_at, updated_at, version) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9, 1) "
	"RETURNING id";
static const char SQL_RULE_UPDATE[] =
	"UPDATE routing_rules SET position = ?2, service = ?3, kind = ?4, ci = ?5, queue = ?6, "
	"keyword = ?7, group_name = ?8, updated_at = ?9, version = ?10 "
	"WHERE id = ?1 AND version = ?11";
static const char SQL_RULE_DELETE[] = "DELETE FROM routing_rules WHERE id = ?1";
static const char SQL_RULE_BY_NAME[] = "SELECT " RULE_COLS "WHERE name = ?1";
static const char SQL_RULE_LIST[] = "SELECT " RULE_COLS "ORDER BY position, name";

static int rule_row(struct db_stmt *s, void *item)
{
	struct routing_rule *r = item;

	r->id = db_int(s, 0);
	db_text(s, 1, r->name, sizeof(r->name));
	r->position = db_int(s, 2);
	db_text(s, 3, r->service, sizeof(r->service));
	db_text(s, 4, r->kind, sizeof(r->kind));
	db_text(s, 5, r->ci, sizeof(r->ci));
	db_text(s, 6, r->queue, sizeof(r->queue));
	db_text(s, 7, r->keyword, sizeof(r->keyword));
	db_text(s, 8, r->group, sizeof(r->group));
	r->created_at = db_int(s, 9);
	r->updated_at = db_int(s, 10);
	r->version = db_int(s, 11);
	return 0;
}

static const struct db_kind rule_kind = { sizeof(struct routing_rule), rule_row, NULL };

static void bind_rule(struct db_stmt *s, const struct routing_rule *r)
{
	db_bind_int(s, 2, r->position);
	db_bind_str(s, 3, r->service);
	db_bind_str(s, 4, r->kind);
	db_bind_str(s, 5, r->ci);
	db_bind_str(s, 6, r->queue);
	db_bind_str(s, 7, r->keyword);
	db_bind_str(s, 8, r->group);
}

static int rt_rule_insert(struct store_tx *tx, struct routing_rule *r, struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_RULE_INSERT, e);
	char msg[128];
	int rc;

	snprintf(msg, sizeof(msg), "routing rule '%s' already exists", r->name);
	db_bind_str(s, 1, r->name);
	bind_rule(s, r);
	db_bind_int(s, 9, r->created_at);
	if ((rc = db_insert(s, "name", msg, &r->id, e)))
		return rc;
	r->updated_at = r->created_at;
	r->version = 1;
	return 0;
}

static int rt_rule_update(struct store_tx *tx, const struct routing_rule *r, struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_RULE_UPDATE, e);

	db_bind_int(s, 1, r->id);
	bind_rule(s, r);
	db_bind_int(s, 9, r->updated_at);
	db_bind_int(s, 10, r->version);
	db_bind_int(s, 11, r->version - 1);
	return db_done_versioned(s, e, "routing rule '%s'", r->name);
}

static int rt_rule_delete(struct store_tx *tx, int64_t id, struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_RULE_DELETE, e);

	db_bind_int(s, 1, id);
	return db_done(s, NULL, NULL, e);
}

static int rt_rule_get(struct store *st, struct store_tx *tx, const char *name,
		       struct routing_rule *r, struct err *e)
{
	CONN_OR_FAIL(c, st, tx, e);
	STMT_OR_FAIL(s, c, SQL_RULE_BY_NAME, e);

	memset(r, 0, sizeof(*r));
	db_bind_str(s, 1, name);
	return err_absent(e, db_one(s, &rule_kind, r, e), ERR_NOT_FOUND, NULL,
			  "routing rule '%s' not found", name);
}

static int rt_rule_list(struct store *st, struct store_tx *tx, struct routing_rule **out,
			size_t *n, struct err *e)
{
	CONN_OR_FAIL(c, st, tx, e);
	STMT_OR_FAIL(s, c, SQL_RULE_LIST, e);

	return db_all(s, &rule_kind, 0, (void **)out, n, NULL, e);
}

const struct store_routing_ops sql_routing_ops = {
	.rule_insert = rt_rule_insert,
	.rule_update = rt_rule_update,
	.rule_delete = rt_rule_delete,
	.rule_get = rt_rule_get,
	.rule_list = rt_rule_list,
};
