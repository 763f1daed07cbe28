/*
 * sql_acceptance.c — the SQL store's operational acceptance operations (see
 * store_acceptance.h): the checklists, and the evidence questions asked of
 * the checks, procedures, runs and SLAs, each statement written once for
 * both engines (migrations/030_acceptance.sql).
 *
 * Every statement is a static string so the connection's cache keys it by
 * address. The evidence questions read one row (LIMIT 1) and match text with
 * LOWER(…) LIKE ?  ESCAPE '\', which both engines read alike.
 */
#include "store/sql.h"
#include "store/store_acceptance.h"

#include <stdlib.h>
#include <string.h>

#define ACC_COLS                                                                                   \
	"id, key, title, status, service, body, created_by, created_at, updated_at, version "      \
	"FROM acceptances "

static const char SQL_ACC_INSERT[] =
	"INSERT INTO acceptances(key, title, status, service, body, created_by, created_at, "
	"updated_at, version) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, 1) RETURNING id";
static const char SQL_ACC_UPDATE[] =
	"UPDATE acceptances SET title = ?2, status = ?3, service = ?4, body = ?5, updated_at = ?6, "
	"version = ?7 WHERE id = ?1 AND version = ?8";
static const char SQL_ACC_BY_KEY[] = "SELECT " ACC_COLS "WHERE key = ?1";
static const char SQL_ACC_LIST[] =
	"SELECT " ACC_COLS "WHERE (?1 IS NULL OR status = ?1) AND (?2 IS NULL OR service = ?2) "
	"AND (?3 IS NULL OR id < ?3) ORDER BY id DESC LIMIT ?4";

static const char SQL_CHECK_ON_ITEM[] =
	"SELECT k.name, k.created_at FROM checks k JOIN cis c ON c.id = k.ci_id "
	"WHERE c.key = ?1 AND k.enabled = 1 ORDER BY k.id LIMIT 1";
static const char SQL_CHECK_ON_SERVICE[] =
	"SELECT k.name, k.created_at FROM checks k JOIN cis c ON c.id = k.ci_id "
	"WHERE c.service = ?1 AND k.enabled = 1 ORDER BY k.id LIMIT 1";
static const char SQL_PROC_NAMING[] =
	"SELECT p.key, v.published_at FROM procedures p JOIN procedure_versions v "
	"ON v.procedure_id = p.id WHERE v.published_at IS NOT NULL "
	"AND (LOWER(p.title) LIKE ?1 ESCAPE '\\' OR LOWER(v.steps) LIKE ?1 ESCAPE '\\') "
	"ORDER BY v.published_at DESC, v.id DESC LIMIT 1";
static const char SQL_BACKUP_RUN[] =
	"SELECT r.key, r.ended_at FROM runs r JOIN procedures p ON p.id = r.procedure_id "
	"JOIN procedure_versions v ON v.procedure_id = p.id AND v.number = r.proc_version "
	"WHERE r.status = 'completed' AND r.ended_at >= ?2 AND LOWER(p.title) LIKE '%backup%' "
	"AND (LOWER(p.title) LIKE ?1 ESCAPE '\\' OR LOWER(v.steps) LIKE ?1 ESCAPE '\\') "
	"AND NOT EXISTS (SELECT 1 FROM run_steps s WHERE s.run_id = r.id "
	"AND s.deviation IS NOT NULL AND s.deviation <> '') "
	"ORDER BY r.ended_at DESC, r.id DESC LIMIT 1";
static const char SQL_SLA_ON_SERVICE[] =
	"SELECT name, created_at FROM slas WHERE service = ?1 AND status = 'active' "
	"AND customer_id IS NOT NULL ORDER BY id LIMIT 1";

static int acc_row(struct db_stmt *s, void *item)
{
	struct acc_rec *r = item;

	r->id = db_int(s, 0);
	db_text(s, 1, r->key, sizeof(r->key));
	db_text(s, 2, r->title, sizeof(r->title));
	db_text(s, 3, r->status, sizeof(r->status));
	db_text(s, 4, r->service, sizeof(r->service));
	db_text(s, 6, r->created_by, sizeof(r->created_by));
	r->created_at = db_int(s, 7);
	r->updated_at = db_int(s, 8);
	r->version = db_int(s, 9);
	return db_dup(s, 5, &r->body);
}

static void acc_drop(void *item)
{
	acc_rec_release(item);
}

static const struct db_kind acc_kind = { sizeof(struct acc_rec), acc_row, acc_drop };

static int found_row(struct db_stmt *s, void *item)
{
	struct acc_found *f = item;

	db_text(s, 0, f->ref, sizeof(f->ref));
	f->at = db_is_null(s, 1) ? 0 : db_int(s, 1);
	return 0;
}

static const struct db_kind found_kind = { sizeof(struct acc_found), found_row, NULL };

static void bind_acc(struct db_stmt *s, const struct acc_rec *r)
{
	db_bind_str(s, 2, r->title);
	db_bind_str(s, 3, r->status);
	db_bind_str(s, 4, r->service);
	db_bind_str(s, 5, r->body ? r->body : "{}");
}

static int acc_insert(struct store_tx *tx, struct acc_rec *r, struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_ACC_INSERT, e);
	int rc;

	db_bind_str(s, 1, r->key);
	bind_acc(s, r);
	db_bind_str(s, 6, r->created_by);
	db_bind_int(s, 7, r->created_at);
	if ((rc = db_insert(s, "key", "the acceptance key is taken", &r->id, e)))
		return rc;
	r->updated_at = r->created_at;
	r->version = 1;
	return 0;
}

static int acc_update(struct store_tx *tx, const struct acc_rec *r, struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_ACC_UPDATE, e);

	db_bind_int(s, 1, r->id);
	bind_acc(s, r);
	db_bind_int(s, 6, r->updated_at);
	db_bind_int(s, 7, r->version);
	db_bind_int(s, 8, r->version - 1);
	return db_done_versioned(s, e, "acceptance %s", r->key);
}

static int acc_get(struct store *st, struct store_tx *tx, const char *key, struct acc_rec *r,
		   struct err *e)
{
	CONN_OR_FAIL(c, st, tx, e);
	STMT_OR_FAIL(s, c, SQL_ACC_BY_KEY, e);

	memset(r, 0, sizeof(*r));
	db_bind_str(s, 1, key);
	return db_one(s, &acc_kind, r, e);
}

static int acc_list(struct store *st, const char *status, const char *service, int64_t before_id,
		    int limit, struct acc_rec **out, size_t *n, int *more, struct err *e)
{
	CONN_OR_FAIL(c, st, NULL, e);
	STMT_OR_FAIL(s, c, SQL_ACC_LIST, e);

	db_bind_text(s, 1, status);
	db_bind_text(s, 2, service);
	db_bind_id(s, 3, before_id);
	db_bind_int(s, 4, limit > 0 ? limit + 1 : INT32_MAX);
	return db_all(s, &acc_kind, limit > 0 ? (size_t)limit : 0, (void **)out, n, more, e);
}

/* One row of a question with ?1 the text (and ?2 the time when since > 0). */
static int ask(struct store *st, struct store_tx *tx, const char *sql, const char *text,
	       int64_t since, struct acc_found *f, struct err *e)
{
	CONN_OR_FAIL(c, st, tx, e);
	STMT_OR_FAIL(s, c, sql, e);

	memset(f, 0, sizeof(*f));
	db_bind_str(s, 1, text);
	if (since > 0)
		db_bind_int(s, 2, since);
	return db_one(s, &found_kind, f, e);
}

static int ev_check_item(struct store *st, struct store_tx *tx, const char *item,
			 struct acc_found *f, struct err *e)
{
	return ask(st, tx, SQL_CHECK_ON_ITEM, item, 0, f, e);
}

static int ev_check_service(struct store *st, struct store_tx *tx, const char *service,
			    struct acc_found *f, struct err *e)
{
	return ask(st, tx, SQL_CHECK_ON_SERVICE, service, 0, f, e);
}

static int ev_procedure(struct store *st, struct store_tx *tx, const char *pattern,
			struct acc_found *f, struct err *e)
{
	return ask(st, tx, SQL_PROC_NAMING, pattern, 0, f, e);
}

static int ev_backup(struct store *st, struct store_tx *tx, const char *pattern, int64_t since,
		     struct acc_found *f, struct err *e)
{
	return ask(st, tx, SQL_BACKUP_RUN, pattern, since > 0 ? since : 1, f, e);
}

static int ev_sla(struct store *st, struct store_tx *tx, const char *service, struct acc_found *f,
		  struct err *e)
{
	return ask(st, tx, SQL_SLA_ON_SERVICE, service, 0, f, e);
}

const struct store_acceptance_ops sql_acceptance_ops = {
	.insert = acc_insert,
	.update = acc_update,
	.get = acc_get,
	.list = acc_list,
	.check_on_item = ev_check_item,
	.check_on_service = ev_check_service,
	.procedure_naming = ev_procedure,
	.backup_run = ev_backup,
	.sla_on_service = ev_sla,
};
