/*
 * sql_problem.c — the SQL store's problem operations (see store_problem.h):
 * problems, their items and linked incidents, the known errors of a ticket
 * (one statement), and the rows recurring-incident detection reads.
 *
 * Every statement is a static string so the connection's cache keys it by
 * address; each is written once for both engines (db.h). The schema
 * (migrations/019_problems.sql) keeps a ticket linked to one problem at most
 * by itself.
 */
#include "store/sql.h"
#include "store/store_problem.h"
#include "lib/jsonx.h"

#include <stdlib.h>
#include <string.h>

#define PROBLEM_COLS                                                                               \
	"id, key, title, description, root_cause, workaround, service, impact, urgency, "         \
	"priority, status, created_by, created_at, updated_at, COALESCE(resolved_at, 0), "        \
	"COALESCE(closed_at, 0), version "

static const char SQL_PROBLEM_INSERT[] =
	"INSERT INTO problems(key, title, description, root_cause, workaround, service, impact, "
	"urgency, priority, status, created_by, created_at, updated_at, resolved_at, closed_at, "
	"version) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, 1) "
	"RETURNING id";
static const char SQL_PROBLEM_UPDATE[] =
	"UPDATE problems SET title = ?2, description = ?3, root_cause = ?4, workaround = ?5, "
	"service = ?6, impact = ?7, urgency = ?8, priority = ?9, status = ?10, updated_at = ?11, "
	"resolved_at = ?12, closed_at = ?13, version = ?14 WHERE id = ?1 AND version = ?15";
static const char SQL_PROBLEM_GET[] = "SELECT " PROBLEM_COLS "FROM problems WHERE key = ?1";
static const char SQL_PROBLEM_LIST[] =
	"SELECT " PROBLEM_COLS "FROM problems WHERE (?1 IS NULL OR status = ?1) "
	"AND (?2 IS NULL OR service = ?2) AND id > ?3 ORDER BY id LIMIT ?4";

static int problem_row(struct db_stmt *s, void *item)
{
	struct problem *p = item;

	p->title = p->description = p->root_cause = p->workaround = NULL;
	p->id = db_int(s, 0);
	db_text(s, 1, p->key, sizeof(p->key));
	db_text(s, 6, p->service, sizeof(p->service));
	p->impact = (int)db_int(s, 7);
	p->urgency = (int)db_int(s, 8);
	p->priority = (int)db_int(s, 9);
	db_text(s, 10, p->status, sizeof(p->status));
	db_text(s, 11, p->created_by, sizeof(p->created_by));
	p->created_at = db_int(s, 12);
	p->updated_at = db_int(s, 13);
	p->resolved_at = db_int(s, 14);
	p->closed_at = db_int(s, 15);
	p->version = db_int(s, 16);
	return db_dup(s, 2, &p->title) || db_dup(s, 3, &p->description) ||
			       db_dup(s, 4, &p->root_cause) || db_dup(s, 5, &p->workaround)
		       ? ERR_INTERNAL
		       : 0;
}

static void problem_drop(void *item)
{
	problem_release(item);
}

static const struct db_kind problem_kind = { sizeof(struct problem), problem_row, problem_drop };

/* ?2 title … ?10 status, as the insert and the update share them. */
static void bind_problem(struct db_stmt *s, const struct problem *p)
{
	db_bind_str(s, 2, p->title);
	db_bind_str(s, 3, p->description);
	db_bind_str(s, 4, p->root_cause);
	db_bind_str(s, 5, p->workaround);
	db_bind_str(s, 6, p->service);
	db_bind_int(s, 7, p->impact);
	db_bind_int(s, 8, p->urgency);
	db_bind_int(s, 9, p->priority);
	db_bind_str(s, 10, p->status);
}

static int pr_insert(struct store_tx *tx, struct problem *p, struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_PROBLEM_INSERT, e);

	db_bind_str(s, 1, p->key);
	bind_problem(s, p);
	db_bind_str(s, 11, p->created_by);
	db_bind_int(s, 12, p->created_at);
	db_bind_int(s, 13, p->updated_at);
	db_bind_id(s, 14, p->resolved_at);
	db_bind_id(s, 15, p->closed_at);
	return db_insert(s, "key", "problem key already taken", &p->id, e);
}

static int pr_update(struct store_tx *tx, const struct problem *p, struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_PROBLEM_UPDATE, e);

	db_bind_int(s, 1, p->id);
	bind_problem(s, p);
	db_bind_int(s, 11, p->updated_at);
	db_bind_id(s, 12, p->resolved_at);
	db_bind_id(s, 13, p->closed_at);
	db_bind_int(s, 14, p->version);
	db_bind_int(s, 15, p->version - 1);
	return db_done_versioned(s, e, "problem %s", p->key);
}

static int pr_get(struct store *st, struct store_tx *tx, const char *key, struct problem *p,
		  struct err *e)
{
	CONN_OR_FAIL(c, st, tx, e);
	STMT_OR_FAIL(s, c, SQL_PROBLEM_GET, e);

	memset(p, 0, sizeof(*p));
	db_bind_str(s, 1, key);
	return db_one(s, &problem_kind, p, e);
}

static int pr_list(struct store *st, const struct problem_filter *f, struct problem **out,
		   size_t *n, int *more, struct err *e)
{
	CONN_OR_FAIL(c, st, NULL, e);
	STMT_OR_FAIL(s, c, SQL_PROBLEM_LIST, e);

	db_bind_text(s, 1, f->status);
	db_bind_text(s, 2, f->service);
	db_bind_int(s, 3, f->after_id);
	db_bind_int(s, 4, f->limit + 1);
	return db_all(s, &problem_kind, (size_t)f->limit, (void **)out, n, more, e);
}

/* ---- items ---- */

static const char SQL_ITEMS_LIST[] =
	"SELECT c.key FROM problem_items pi JOIN cis c ON c.id = pi.ci_id "
	"WHERE pi.problem_id = ?1 ORDER BY c.key";
static const char SQL_ITEMS_CLEAR[] = "DELETE FROM problem_items WHERE problem_id = ?1";
static const char SQL_ITEMS_ADD[] =
	"INSERT INTO problem_items(problem_id, ci_id) VALUES(?1, ?2) ON CONFLICT DO NOTHING";

static json_t *key_json(struct db_stmt *s)
{
	return json_string(db_cstr(s, 0));
}

static int pr_items_list(struct store *st, struct store_tx *tx, int64_t problem_id,
			 json_t **out, struct err *e)
{
	CONN_OR_FAIL(c, st, tx, e);
	STMT_OR_FAIL(s, c, SQL_ITEMS_LIST, e);

	db_bind_int(s, 1, problem_id);
	return db_json(s, key_json, out, e);
}

static int pr_items_set(struct store_tx *tx, int64_t problem_id, const int64_t *ci_ids, size_t n,
			struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(clear, c, SQL_ITEMS_CLEAR, e);
	int rc;

	db_bind_int(clear, 1, problem_id);
	if ((rc = db_done(clear, NULL, NULL, e)))
		return rc;
	for (size_t i = 0; i < n; i++) {
		STMT_OR_FAIL(add, c, SQL_ITEMS_ADD, e);

		db_bind_int(add, 1, problem_id);
		db_bind_int(add, 2, ci_ids[i]);
		if ((rc = db_done(add, NULL, NULL, e)))
			return rc;
	}
	return 0;
}

/* ---- linked incidents ---- */

static const char SQL_LINK[] =
	"INSERT INTO problem_incidents(problem_id, ticket_id, linked_by, linked_at) "
	"VALUES(?1, ?2, ?3, ?4)";
static const char SQL_UNLINK[] =
	"DELETE FROM problem_incidents WHERE problem_id = ?1 AND ticket_id = ?2";
static const char SQL_INCIDENTS[] =
	"SELECT t.id, t.key, t.title, t.status, COALESCE(cu.key, ''), t.service, pi.linked_at "
	"FROM problem_incidents pi JOIN tickets t ON t.id = pi.ticket_id "
	"LEFT JOIN customers cu ON cu.id = t.customer_id WHERE pi.problem_id = ?1 ORDER BY t.id";

static int pr_incident_link(struct store_tx *tx, int64_t problem_id, int64_t ticket_id,
			    const char *by, int64_t at, struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_LINK, e);

	db_bind_int(s, 1, problem_id);
	db_bind_int(s, 2, ticket_id);
	db_bind_str(s, 3, by);
	db_bind_int(s, 4, at);
	return db_done(s, "ticket", "the incident is linked to a problem already", e);
}

static int pr_incident_unlink(struct store_tx *tx, int64_t problem_id, int64_t ticket_id,
			      struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_UNLINK, e);
	int rc;

	db_bind_int(s, 1, problem_id);
	db_bind_int(s, 2, ticket_id);
	if ((rc = db_done(s, NULL, NULL, e)))
		return rc;
	return db_changes(s) == 1 ? 0 : ERR_NOT_FOUND;
}

static json_t *incident_json(struct db_stmt *s)
{
	const char *cu = db_cstr(s, 4), *svc = db_cstr(s, 5);

	return json_pack("{s:I, s:s, s:s, s:s, s:s?, s:s?, s:o}", "id", (json_int_t)db_int(s, 0),
			 "key", db_cstr(s, 1), "title", db_cstr(s, 2), "status", db_cstr(s, 3),
			 "customer", cu && *cu ? cu : NULL, "service", svc && *svc ? svc : NULL,
			 "linked_at", jx_time_value(db_int(s, 6)));
}

static int pr_incidents_list(struct store *st, struct store_tx *tx, int64_t problem_id,
			     json_t **out, struct err *e)
{
	CONN_OR_FAIL(c, st, tx, e);
	STMT_OR_FAIL(s, c, SQL_INCIDENTS, e);

	db_bind_int(s, 1, problem_id);
	return db_json(s, incident_json, out, e);
}

/* ---- known errors ---- */

/* The few problems in known_error (status index), each matched to the
 * ticket by a link or by an item of the ticket's; a requester's customer
 * (?3, 0 for staff) excludes problems linked to another customer's
 * incident. */
static const char SQL_KNOWN_ERRORS[] =
	"SELECT p.key, p.title, p.workaround FROM problems p WHERE p.status = 'known_error' "
	"AND (EXISTS (SELECT 1 FROM problem_incidents l WHERE l.problem_id = p.id "
	"AND l.ticket_id = ?1) "
	"OR ((p.service = '' OR p.service = ?2) AND EXISTS (SELECT 1 FROM problem_items x "
	"JOIN ticket_cis tc ON tc.ci_id = x.ci_id WHERE x.problem_id = p.id "
	"AND tc.ticket_id = ?1))) "
	"AND (?3 = 0 OR NOT EXISTS (SELECT 1 FROM problem_incidents o JOIN tickets ot "
	"ON ot.id = o.ticket_id WHERE o.problem_id = p.id AND COALESCE(ot.customer_id, 0) <> ?3)) "
	"ORDER BY p.id";

static json_t *known_error_json(struct db_stmt *s)
{
	return json_pack("{s:s, s:s, s:s}", "key", db_cstr(s, 0), "title", db_cstr(s, 1),
			 "workaround", db_cstr(s, 2));
}

static int pr_known_errors(struct store *st, int64_t ticket_id, const char *service,
			   int64_t customer_id, json_t **out, struct err *e)
{
	CONN_OR_FAIL(c, st, NULL, e);
	STMT_OR_FAIL(s, c, SQL_KNOWN_ERRORS, e);

	db_bind_int(s, 1, ticket_id);
	db_bind_str(s, 2, service);
	db_bind_int(s, 3, customer_id);
	return db_json(s, known_error_json, out, e);
}

/* ---- detection ---- */

static const char SQL_RECENT[] =
	"SELECT t.id, t.key, t.title, t.service, t.created_at, c.key FROM tickets t "
	"LEFT JOIN ticket_cis tc ON tc.ticket_id = t.id LEFT JOIN cis c ON c.id = tc.ci_id "
	"WHERE t.kind = 'incident' AND t.created_at >= ?1 AND t.status <> 'cancelled' "
	"AND NOT EXISTS (SELECT 1 FROM problem_incidents pi WHERE pi.ticket_id = t.id) "
	"AND t.id IN (SELECT r.id FROM tickets r WHERE r.kind = 'incident' AND r.created_at >= ?1 "
	"AND r.status <> 'cancelled' ORDER BY r.id LIMIT ?2) "
	"ORDER BY t.id, c.key";
static const char SQL_DISMISSALS[] =
	"SELECT d.basis, d.ticket_id FROM problem_dismissals d JOIN tickets t ON t.id = d.ticket_id "
	"WHERE t.created_at >= ?1";
static const char SQL_DISMISS[] =
	"INSERT INTO problem_dismissals(basis, ticket_id, dismissed_by, dismissed_at) "
	"VALUES(?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING";

static json_t *recent_json(struct db_stmt *s)
{
	const char *svc = db_cstr(s, 3);

	return json_pack("{s:I, s:s, s:s, s:s, s:I, s:s?}", "id", (json_int_t)db_int(s, 0), "key",
			 db_cstr(s, 1), "title", db_cstr(s, 2), "service", svc ? svc : "",
			 "created_at", (json_int_t)db_int(s, 4), "ci", db_cstr(s, 5));
}

static int pr_recent_incidents(struct store *st, int64_t since, int limit, json_t **out,
			       struct err *e)
{
	CONN_OR_FAIL(c, st, NULL, e);
	STMT_OR_FAIL(s, c, SQL_RECENT, e);

	db_bind_int(s, 1, since);
	db_bind_int(s, 2, limit);
	return db_json(s, recent_json, out, e);
}

static json_t *dismissal_json(struct db_stmt *s)
{
	return json_pack("{s:s, s:I}", "basis", db_cstr(s, 0), "ticket", (json_int_t)db_int(s, 1));
}

static int pr_dismissals(struct store *st, int64_t since, json_t **out, struct err *e)
{
	CONN_OR_FAIL(c, st, NULL, e);
	STMT_OR_FAIL(s, c, SQL_DISMISSALS, e);

	db_bind_int(s, 1, since);
	return db_json(s, dismissal_json, out, e);
}

static int pr_dismiss(struct store_tx *tx, const char *basis, int64_t ticket_id, const char *by,
		      int64_t at, struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_DISMISS, e);

	db_bind_str(s, 1, basis);
	db_bind_int(s, 2, ticket_id);
	db_bind_str(s, 3, by);
	db_bind_int(s, 4, at);
	return db_done(s, NULL, NULL, e);
}

const struct store_problem_ops sql_problem_ops = {
	.insert = pr_insert,
	.update = pr_update,
	.get = pr_get,
	.list = pr_list,
	.items_list = pr_items_list,
	.items_set = pr_items_set,
	.incident_link = pr_incident_link,
	.incident_unlink = pr_incident_unlink,
	.incidents_list = pr_incidents_list,
	.known_errors = pr_known_errors,
	.recent_incidents = pr_recent_incidents,
	.dismissals = pr_dismissals,
	.dismiss = pr_dismiss,
};
