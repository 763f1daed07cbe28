/*
 * sql_sla.c — the SQL store's sla operations (see store_sla.h).
 *
 * Every statement is a static string, prepared once per connection. The
 * watcher's queue is the partial index ticket_sla_next: the head is one
 * index seek, never a scan of the tickets.
 */
#include "store/sql.h"
#include "store/store_sla.h"

#include <stdlib.h>
#include <string.h>

/* ---- services ---- */

static const char SQL_SVC_INSERT[] =
	"INSERT INTO services(key, name, owner_group, created_at, updated_at, version) "
	"VALUES(?1, ?2, ?3, ?4, ?4, 1) RETURNING id";
#define SVC_COLS "id, key, name, owner_group, created_at, updated_at, version, status FROM services "
static const char SQL_SVC_GET[] = "SELECT " SVC_COLS "WHERE key = ?1";
static const char SQL_SVC_LIST[] = "SELECT " SVC_COLS "ORDER BY key";
static const char SQL_SVC_UPDATE[] =
	"UPDATE services SET name = ?2, owner_group = ?3, status = ?4, updated_at = ?5, "
	"version = ?6 WHERE id = ?1 AND version = ?7";

static int svc_row(struct db_stmt *s, void *item)
{
	struct service_rec *r = item;

	r->id = db_int(s, 0);
	db_text(s, 1, r->key, sizeof(r->key));
	db_text(s, 2, r->name, sizeof(r->name));
	db_text(s, 3, r->owner_group, sizeof(r->owner_group));
	r->created_at = db_int(s, 4);
	r->updated_at = db_int(s, 5);
	r->version = db_int(s, 6);
	db_text(s, 7, r->status, sizeof(r->status));
	return 0;
}

static const struct db_kind svc_kind = { sizeof(struct service_rec), svc_row, NULL };

static int service_insert(struct store_tx *tx, struct service_rec *r, struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_SVC_INSERT, e);
	int rc;

	db_bind_str(s, 1, r->key);
	db_bind_str(s, 2, r->name);
	db_bind_str(s, 3, r->owner_group);
	db_bind_int(s, 4, r->created_at);
	if ((rc = db_insert(s, NULL, NULL, &r->id, e)))
		return rc == ERR_CONFLICT ? err_set(e, ERR_CONFLICT, "key",
						    "service '%s' already exists", r->key)
					  : rc;
	r->updated_at = r->created_at;
	r->version = 1;
	snprintf(r->status, sizeof(r->status), "active");
	return 0;
}

static int service_update(struct store_tx *tx, const struct service_rec *r, struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_SVC_UPDATE, e);

	db_bind_int(s, 1, r->id);
	db_bind_str(s, 2, r->name);
	db_bind_str(s, 3, r->owner_group);
	db_bind_str(s, 4, r->status);
	db_bind_int(s, 5, r->updated_at);
	db_bind_int(s, 6, r->version);
	db_bind_int(s, 7, r->version - 1);
	return db_done_versioned(s, e, "service '%s'", r->key);
}

static int service_get(struct store *st, struct store_tx *tx, const char *key,
		       struct service_rec *r, struct err *e)
{
	CONN_OR_FAIL(c, st, tx, e);
	STMT_OR_FAIL(s, c, SQL_SVC_GET, e);
	int rc;

	db_bind_str(s, 1, key);
	rc = db_one(s, &svc_kind, r, e);
	return err_absent(e, rc, ERR_NOT_FOUND, "service", "unknown service '%s'", key);
}

static int service_list(struct store *st, struct service_rec **out, size_t *n, struct err *e)
{
	CONN_OR_FAIL(c, st, NULL, e);
	STMT_OR_FAIL(s, c, SQL_SVC_LIST, e);

	return db_all(s, &svc_kind, 0, (void **)out, n, NULL, e);
}

/* ---- calendars ---- */

static const char SQL_CAL_INSERT[] =
	"INSERT INTO calendars(name, body, created_at, updated_at, version) "
	"VALUES(?1, ?2, ?3, ?3, 1) RETURNING id";
#define CAL_COLS "id, name, body, created_at, updated_at, version, status FROM calendars "
static const char SQL_CAL_GET[] = "SELECT " CAL_COLS "WHERE name = ?1";
static const char SQL_CAL_LIST[] = "SELECT " CAL_COLS "ORDER BY name";
static const char SQL_CAL_UPDATE[] =
	"UPDATE calendars SET body = ?2, status = ?3, updated_at = ?4, version = ?5 "
	"WHERE id = ?1 AND version = ?6";

static int cal_row(struct db_stmt *s, void *item)
{
	struct calendar_rec *r = item;

	r->id = db_int(s, 0);
	db_text(s, 1, r->name, sizeof(r->name));
	r->created_at = db_int(s, 3);
	r->updated_at = db_int(s, 4);
	r->version = db_int(s, 5);
	db_text(s, 6, r->status, sizeof(r->status));
	return db_dup(s, 2, &r->body);
}

static void cal_drop(void *item)
{
	struct calendar_rec *r = item;

	free(r->body);
	r->body = NULL;
}

static const struct db_kind cal_kind = { sizeof(struct calendar_rec), cal_row, cal_drop };

static int calendar_insert(struct store_tx *tx, struct calendar_rec *r, struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_CAL_INSERT, e);
	char msg[128];
	int rc;

	snprintf(msg, sizeof(msg), "calendar '%s' already exists", r->name);
	db_bind_str(s, 1, r->name);
	db_bind_str(s, 2, r->body);
	db_bind_int(s, 3, r->created_at);
	if ((rc = db_insert(s, "name", msg, &r->id, e)))
		return rc;
	r->updated_at = r->created_at;
	r->version = 1;
	snprintf(r->status, sizeof(r->status), "active");
	return 0;
}

static int calendar_update(struct store_tx *tx, const struct calendar_rec *r, struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_CAL_UPDATE, e);

	db_bind_int(s, 1, r->id);
	db_bind_str(s, 2, r->body);
	db_bind_str(s, 3, r->status);
	db_bind_int(s, 4, r->updated_at);
	db_bind_int(s, 5, r->version);
	db_bind_int(s, 6, r->version - 1);
	return db_done_versioned(s, e, "calendar '%s'", r->name);
}

static int calendar_get(struct store *st, struct store_tx *tx, const char *name,
			struct calendar_rec *r, struct err *e)
{
	CONN_OR_FAIL(c, st, tx, e);
	STMT_OR_FAIL(s, c, SQL_CAL_GET, e);
	int rc;

	db_bind_str(s, 1, name);
	rc = db_one(s, &cal_kind, r, e);
	return err_absent(e, rc, ERR_NOT_FOUND, "calendar", "unknown calendar '%s'", name);
}

static int calendar_list(struct store *st, struct calendar_rec **out, size_t *n, struct err *e)
{
	CONN_OR_FAIL(c, st, NULL, e);
	STMT_OR_FAIL(s, c, SQL_CAL_LIST, e);

	return db_all(s, &cal_kind, 0, (void **)out, n, NULL, e);
}

/* ---- SLAs ---- */

#define SLA_COLS                                                                                   \
	"s.id, s.name, COALESCE(s.customer_id, 0), COALESCE(c.key, ''), COALESCE(s.grp, ''), "   \
	"s.service, s.calendar, s.body, s.created_at, s.updated_at, s.version, s.status "        \
	"FROM slas s LEFT JOIN customers c ON c.id = s.customer_id "

static const char SQL_SLA_INSERT[] =
	"INSERT INTO slas(name, customer_id, grp, service, calendar, body, created_at, "
	"updated_at, version) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, 1) RETURNING id";
static const char SQL_SLA_BY_ID[] = "SELECT " SLA_COLS "WHERE s.id = ?1";
static const char SQL_SLA_BY_NAME[] = "SELECT " SLA_COLS "WHERE s.name = ?1";
static const char SQL_SLA_FIND[] =
	"SELECT " SLA_COLS "WHERE COALESCE(s.customer_id, 0) = ?1 AND COALESCE(s.grp, '') = '' "
	"AND s.service = ?2 AND s.status = 'active'";
static const char SQL_OLA_FIND[] =
	"SELECT " SLA_COLS "WHERE s.customer_id IS NULL AND s.grp = ?1 "
	"AND s.service = ?2 AND s.status = 'active'";
static const char SQL_SLA_UPDATE[] =
	"UPDATE slas SET calendar = ?2, body = ?3, status = ?4, updated_at = ?5, version = ?6 "
	"WHERE id = ?1 AND version = ?7";
static const char SQL_SLA_VERSION_PUT[] =
	"INSERT INTO sla_versions(sla_id, version, calendar, body, created_at) "
	"VALUES(?1, ?2, ?3, ?4, ?5)";
static const char SQL_SLA_VERSION_GET[] =
	"SELECT body FROM sla_versions WHERE sla_id = ?1 AND version = ?2";
static const char SQL_SLA_VERSIONS[] =
	"SELECT version, created_at, calendar, body FROM sla_versions WHERE sla_id = ?1 "
	"ORDER BY version";
static const char SQL_SLA_LIST[] =
	"SELECT " SLA_COLS "WHERE (?1 IS NULL OR s.customer_id = ?1) "
	"AND (?2 IS NULL OR s.service = ?2) ORDER BY s.name";

static int sla_row(struct db_stmt *s, void *item)
{
	struct sla_rec *r = item;

	r->id = db_int(s, 0);
	db_text(s, 1, r->name, sizeof(r->name));
	r->customer_id = db_int(s, 2);
	db_text(s, 3, r->customer, sizeof(r->customer));
	db_text(s, 4, r->group, sizeof(r->group));
	db_text(s, 5, r->service, sizeof(r->service));
	db_text(s, 6, r->calendar, sizeof(r->calendar));
	r->created_at = db_int(s, 8);
	r->updated_at = db_int(s, 9);
	r->version = db_int(s, 10);
	db_text(s, 11, r->status, sizeof(r->status));
	return db_dup(s, 7, &r->body);
}

static void sla_drop(void *item)
{
	struct sla_rec *r = item;

	free(r->body);
	r->body = NULL;
}

static const struct db_kind sla_kind = { sizeof(struct sla_rec), sla_row, sla_drop };

/* The terms of r's version, kept for the clocks started under it. */
static int version_put(struct db *c, const struct sla_rec *r, struct err *e)
{
	STMT_OR_FAIL(s, c, SQL_SLA_VERSION_PUT, e);

	db_bind_int(s, 1, r->id);
	db_bind_int(s, 2, r->version);
	db_bind_str(s, 3, r->calendar);
	db_bind_str(s, 4, r->body);
	db_bind_int(s, 5, r->updated_at);
	return db_done(s, NULL, NULL, e);
}

static int sla_insert(struct store_tx *tx, struct sla_rec *r, struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_SLA_INSERT, e);
	int rc;

	db_bind_str(s, 1, r->name);
	db_bind_id(s, 2, r->customer_id);
	db_bind_text(s, 3, r->group);
	db_bind_str(s, 4, r->service);
	db_bind_str(s, 5, r->calendar);
	db_bind_str(s, 6, r->body);
	db_bind_int(s, 7, r->created_at);
	if ((rc = db_insert(s, NULL, NULL, &r->id, e))) {
		if (rc != ERR_CONFLICT)
			return rc;
		if (db_conflict_is(e, "slas", "name"))
			return err_set(e, ERR_CONFLICT, "name", "sla '%s' already exists", r->name);
		return err_set(e, ERR_CONFLICT, "service",
			       "%s '%s' already has an agreement for service '%s'",
			       r->customer_id ? "customer" : "group",
			       r->customer_id ? r->customer : r->group, r->service);
	}
	r->updated_at = r->created_at;
	r->version = 1;
	snprintf(r->status, sizeof(r->status), "active");
	return version_put(c, r, e);
}

static int sla_update(struct store_tx *tx, const struct sla_rec *r, int new_terms,
		      struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_SLA_UPDATE, e);
	int rc;

	db_bind_int(s, 1, r->id);
	db_bind_str(s, 2, r->calendar);
	db_bind_str(s, 3, r->body);
	db_bind_str(s, 4, r->status);
	db_bind_int(s, 5, r->updated_at);
	db_bind_int(s, 6, r->version);
	db_bind_int(s, 7, r->version - 1);
	if ((rc = db_done(s, NULL, NULL, e))) {
		if (rc != ERR_CONFLICT)
			return rc;
		/* The one constraint an update can meet: slas_scope, when a
		 * retired SLA comes back beside the one that replaced it. */
		return err_set(e, ERR_CONFLICT, "status",
			       "%s '%s' already has an active agreement for service '%s'",
			       r->customer_id ? "customer" : "group",
			       r->customer_id ? r->customer : r->group, r->service);
	}
	if (db_changes(s) != 1)
		return err_set(e, ERR_CONFLICT, "version", "sla '%s' was changed meanwhile",
			       r->name);
	return new_terms ? version_put(c, r, e) : 0;
}

/* A row of one text column, copied (the caller frees it). */
static int text_row(struct db_stmt *s, void *item)
{
	return db_dup(s, 0, (char **)item);
}

static const struct db_kind text_kind = { sizeof(char *), text_row, NULL };

static int sla_version_body(struct store *st, struct store_tx *tx, int64_t sla_id,
			    int64_t version, char **body, struct err *e)
{
	CONN_OR_FAIL(c, st, tx, e);
	STMT_OR_FAIL(s, c, SQL_SLA_VERSION_GET, e);

	*body = NULL;
	db_bind_int(s, 1, sla_id);
	db_bind_int(s, 2, version);
	return db_one(s, &text_kind, body, e);
}

struct versions_to {
	int (*fn)(int64_t version, int64_t created_at, const char *calendar, const char *body,
		  void *ctx);
	void *ctx;
};

static int version_row(struct db_stmt *s, void *arg)
{
	struct versions_to *to = arg;
	const char *cal = db_cstr(s, 2);
	const char *body = db_cstr(s, 3);

	return to->fn(db_int(s, 0), db_int(s, 1), cal ? cal : "", body ? body : "", to->ctx);
}

static int sla_versions_each(struct store *st, struct store_tx *tx, int64_t sla_id,
			     int (*fn)(int64_t version, int64_t created_at, const char *calendar,
				       const char *body, void *ctx),
			     void *ctx, struct err *e)
{
	CONN_OR_FAIL(c, st, tx, e);
	STMT_OR_FAIL(s, c, SQL_SLA_VERSIONS, e);
	struct versions_to to = { fn, ctx };

	db_bind_int(s, 1, sla_id);
	return db_each(s, version_row, &to, e);
}

static int sla_get(struct store *st, struct store_tx *tx, int64_t id, const char *name,
		   struct sla_rec *r, struct err *e)
{
	CONN_OR_FAIL(c, st, tx, e);
	int rc = db_one_by(c, SQL_SLA_BY_NAME, SQL_SLA_BY_ID, name, id, &sla_kind, r, e);

	return err_absent(e, rc, ERR_NOT_FOUND, NULL, "sla '%s' not found", name ? name : "");
}

static int sla_find(struct store *st, struct store_tx *tx, int64_t customer_id,
		    const char *service, struct sla_rec *r, struct err *e)
{
	CONN_OR_FAIL(c, st, tx, e);
	STMT_OR_FAIL(s, c, SQL_SLA_FIND, e);
	int rc;

	db_bind_int(s, 1, customer_id);
	db_bind_str(s, 2, service);
	rc = db_one(s, &sla_kind, r, e);
	return err_absent(e, rc, ERR_NOT_FOUND, NULL, "no sla");
}

static int ola_find(struct store *st, struct store_tx *tx, const char *group,
		    const char *service, struct sla_rec *r, struct err *e)
{
	CONN_OR_FAIL(c, st, tx, e);
	STMT_OR_FAIL(s, c, SQL_OLA_FIND, e);
	int rc;

	db_bind_str(s, 1, group);
	db_bind_str(s, 2, service);
	rc = db_one(s, &sla_kind, r, e);
	return err_absent(e, rc, ERR_NOT_FOUND, NULL, "no ola");
}

static int sla_list(struct store *st, int64_t customer_id, const char *service,
		    struct sla_rec **out, size_t *n, struct err *e)
{
	CONN_OR_FAIL(c, st, NULL, e);
	STMT_OR_FAIL(s, c, SQL_SLA_LIST, e);

	db_bind_id(s, 1, customer_id);
	db_bind_text(s, 2, service);
	return db_all(s, &sla_kind, 0, (void **)out, n, NULL, e);
}

/* ---- outages ---- */

#define OUTAGE_COLS                                                                                \
	"id, service, start, COALESCE(end_at, 0), planned, COALESCE(incident, ''), "              \
	"COALESCE(ci, ''), created_at, updated_at, version FROM outages "

static const char SQL_OUT_INSERT[] =
	"INSERT INTO outages(service, start, end_at, planned, incident, ci, created_at, "
	"updated_at, version) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, 1) RETURNING id";
static const char SQL_OUT_GET[] = "SELECT " OUTAGE_COLS "WHERE id = ?1";
static const char SQL_OUT_UPDATE[] =
	"UPDATE outages SET end_at = ?2, updated_at = ?3, version = ?4 WHERE id = ?1 AND version = ?5";
static const char SQL_OUT_LIST[] =
	"SELECT " OUTAGE_COLS "WHERE (?1 IS NULL OR service = ?1) "
	"AND (?3 IS NULL OR start < ?3) AND (?2 IS NULL OR end_at IS NULL OR end_at > ?2) "
	"ORDER BY start, id";

static int out_row(struct db_stmt *s, void *item)
{
	struct outage_rec *r = item;

	r->id = db_int(s, 0);
	db_text(s, 1, r->service, sizeof(r->service));
	r->start = db_int(s, 2);
	r->end = db_int(s, 3);
	r->planned = (int)db_int(s, 4);
	db_text(s, 5, r->incident, sizeof(r->incident));
	db_text(s, 6, r->ci, sizeof(r->ci));
	r->created_at = db_int(s, 7);
	r->updated_at = db_int(s, 8);
	r->version = db_int(s, 9);
	return 0;
}

static const struct db_kind out_kind = { sizeof(struct outage_rec), out_row, NULL };

static int outage_insert(struct store_tx *tx, struct outage_rec *r, struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_OUT_INSERT, e);
	int rc;

	db_bind_str(s, 1, r->service);
	db_bind_int(s, 2, r->start);
	if (r->end)
		db_bind_int(s, 3, r->end);
	else
		db_bind_null(s, 3, DB_INT);
	db_bind_int(s, 4, r->planned);
	db_bind_text(s, 5, r->incident);
	db_bind_text(s, 6, r->ci);
	db_bind_int(s, 7, r->created_at);
	if ((rc = db_insert(s, "name", NULL, &r->id, e)))
		return rc;
	r->updated_at = r->created_at;
	r->version = 1;
	return 0;
}

static int outage_get(struct store *st, struct store_tx *tx, int64_t id, struct outage_rec *r,
		      struct err *e)
{
	CONN_OR_FAIL(c, st, tx, e);
	STMT_OR_FAIL(s, c, SQL_OUT_GET, e);
	int rc;

	db_bind_int(s, 1, id);
	rc = db_one(s, &out_kind, r, e);
	return err_absent(e, rc, ERR_NOT_FOUND, NULL, "outage %lld not found", (long long)id);
}

static int outage_update(struct store_tx *tx, const struct outage_rec *r, struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_OUT_UPDATE, e);

	db_bind_int(s, 1, r->id);
	db_bind_int(s, 2, r->end);
	db_bind_int(s, 3, r->updated_at);
	db_bind_int(s, 4, r->version);
	db_bind_int(s, 5, r->version - 1);
	return db_done_versioned(s, e, "outage %lld", (long long)r->id);
}

static const char SQL_OUT_DELETE[] = "DELETE FROM outages WHERE id = ?1";

static int outage_delete(struct store_tx *tx, int64_t id, struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_OUT_DELETE, e);

	db_bind_int(s, 1, id);
	return db_done(s, NULL, NULL, e);
}

static int outage_list(struct store *st, const char *service, int64_t from, int64_t to,
		       struct outage_rec **out, size_t *n, struct err *e)
{
	CONN_OR_FAIL(c, st, NULL, e);
	STMT_OR_FAIL(s, c, SQL_OUT_LIST, e);

	db_bind_text(s, 1, service);
	db_bind_id(s, 2, from);
	db_bind_id(s, 3, to);
	return db_all(s, &out_kind, 0, (void **)out, n, NULL, e);
}

/* ---- ticket clocks ---- */

#define CLK_COLS                                                                                   \
	"k.ticket_id, k.sla_id, k.priority, k.resp_target, k.res_target, k.warn_permille, "      \
	"k.started_at, k.resp_due, k.resp_warn, k.resp_stopped, COALESCE(k.resp_met, -1), "      \
	"k.res_spent, k.run_from, k.res_due, k.res_warn, k.res_stopped, "                        \
	"COALESCE(k.res_met, -1), k.paused, k.fired, k.grp, COALESCE(k.next_at, 0), "             \
	"k.sla_version "
/* The clocks of SLAs (ticket_sla) and of OLAs (ticket_ola, migration 028):
 * one layout, the same statements over either table, [0] SLA, [1] OLA. */
#define CLK_GET(T) "SELECT " CLK_COLS "FROM " T " k WHERE k.ticket_id = ?1"
#define CLK_GET_NAMED(T)                                                                          \
	"SELECT " CLK_COLS ", s.name FROM " T " k JOIN slas s ON s.id = k.sla_id "                \
	"WHERE k.ticket_id = ?1"
/* A clock's row; CLK_PUT upserts it, and it is kept as is in ticket_ola_past
 * (the clock a group ended by handing the ticket on, migration 033). */
#define CLK_INSERT(T)                                                                             \
	"INSERT INTO " T "(ticket_id, sla_id, priority, resp_target, res_target, "                \
	"warn_permille, started_at, resp_due, resp_warn, resp_stopped, resp_met, res_spent, "    \
	"run_from, res_due, res_warn, res_stopped, res_met, paused, fired, grp, next_at, "       \
	"sla_version) "                                                                          \
	"VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, " \
	"?19, ?20, ?21, ?22)"
#define CLK_PUT(T)                                                                                \
	CLK_INSERT(T) " ON CONFLICT(ticket_id) DO UPDATE SET sla_id = excluded.sla_id, "    \
	"priority = excluded.priority, resp_target = excluded.resp_target, "                     \
	"res_target = excluded.res_target, warn_permille = excluded.warn_permille, "             \
	"started_at = excluded.started_at, resp_due = excluded.resp_due, "                       \
	"resp_warn = excluded.resp_warn, resp_stopped = excluded.resp_stopped, "                 \
	"resp_met = excluded.resp_met, res_spent = excluded.res_spent, "                         \
	"run_from = excluded.run_from, res_due = excluded.res_due, res_warn = excluded.res_warn, " \
	"res_stopped = excluded.res_stopped, res_met = excluded.res_met, "                       \
	"paused = excluded.paused, fired = excluded.fired, grp = excluded.grp, "                 \
	"next_at = excluded.next_at, sla_version = excluded.sla_version"
#define CLK_DUE(T)                                                                                \
	"SELECT ticket_id FROM " T " WHERE next_at IS NOT NULL AND next_at <= ?1 "                \
	"ORDER BY next_at LIMIT ?2"
#define CLK_NEXT(T) "SELECT next_at FROM " T " WHERE next_at IS NOT NULL ORDER BY next_at LIMIT 1"
static const char SQL_CLK_GET[] = CLK_GET("ticket_sla");
static const char SQL_CLK_GET_NAMED[] = CLK_GET_NAMED("ticket_sla");
static const char SQL_CLK_PUT[] = CLK_PUT("ticket_sla");
static const char SQL_CLK_DUE[] = CLK_DUE("ticket_sla");
static const char SQL_CLK_NEXT[] = CLK_NEXT("ticket_sla");
static const char SQL_OLA_GET[] = CLK_GET("ticket_ola");
static const char SQL_OLA_GET_NAMED[] = CLK_GET_NAMED("ticket_ola");
static const char SQL_OLA_PUT[] = CLK_PUT("ticket_ola");
static const char SQL_OLA_DUE[] = CLK_DUE("ticket_ola");
static const char SQL_OLA_NEXT[] = CLK_NEXT("ticket_ola");
static const char SQL_OLA_DELETE[] = "DELETE FROM ticket_ola WHERE ticket_id = ?1";
static const char SQL_OLA_KEEP[] = CLK_INSERT("ticket_ola_past");
static const char SQL_OLA_LAST_PAST[] = "SELECT " CLK_COLS "FROM ticket_ola_past k "
					"WHERE k.ticket_id = ?1 AND k.sla_id = ?2 "
					"ORDER BY k.id DESC LIMIT 1";
static const char *const CLK_SQL[2][5] = {
	{ SQL_CLK_GET, SQL_CLK_GET_NAMED, SQL_CLK_PUT, SQL_CLK_DUE, SQL_CLK_NEXT },
	{ SQL_OLA_GET, SQL_OLA_GET_NAMED, SQL_OLA_PUT, SQL_OLA_DUE, SQL_OLA_NEXT },
};
enum { CLK_S_GET, CLK_S_GET_NAMED, CLK_S_PUT, CLK_S_DUE, CLK_S_NEXT };

static int clock_row(struct db_stmt *s, void *item)
{
	struct sla_clock *k = item;

	k->ticket_id = db_int(s, 0);
	k->sla_id = db_int(s, 1);
	k->priority = (int)db_int(s, 2);
	k->resp_target = db_int(s, 3);
	k->res_target = db_int(s, 4);
	k->warn_permille = (int)db_int(s, 5);
	k->started_at = db_int(s, 6);
	k->resp_due = db_int(s, 7);
	k->resp_warn = db_int(s, 8);
	k->resp_stopped = db_int(s, 9);
	k->resp_met = (int)db_int(s, 10);
	k->res_spent = db_int(s, 11);
	k->run_from = db_int(s, 12);
	k->res_due = db_int(s, 13);
	k->res_warn = db_int(s, 14);
	k->res_stopped = db_int(s, 15);
	k->res_met = (int)db_int(s, 16);
	k->paused = (int)db_int(s, 17);
	k->fired = (int)db_int(s, 18);
	db_text(s, 19, k->group, sizeof(k->group));
	k->next_at = db_int(s, 20);
	k->sla_version = db_int(s, 21);
	return 0;
}

static const struct db_kind clock_kind = { sizeof(struct sla_clock), clock_row, NULL };

/* A clock and its SLA's name, into a buffer of the caller's. */
struct named_clock {
	struct sla_clock *k;
	char *name;
	size_t n;
};

static int named_clock_row(struct db_stmt *s, void *item)
{
	struct named_clock *nc = item;

	db_text(s, 22, nc->name, nc->n);
	return clock_row(s, nc->k);
}

static const struct db_kind named_clock_kind = { sizeof(struct named_clock), named_clock_row,
						 NULL };

static int clk_get(int t, struct store *st, struct store_tx *tx, int64_t ticket_id,
		   struct sla_clock *k, struct err *e)
{
	CONN_OR_FAIL(c, st, tx, e);
	STMT_OR_FAIL(s, c, CLK_SQL[t][CLK_S_GET], e);

	memset(k, 0, sizeof(*k));
	db_bind_int(s, 1, ticket_id);
	return db_one(s, &clock_kind, k, e);
}

static int clk_get_named(int t, struct store *st, struct store_tx *tx, int64_t ticket_id,
			 struct sla_clock *k, char *sla_name, size_t n, struct err *e)
{
	CONN_OR_FAIL(c, st, tx, e);
	STMT_OR_FAIL(s, c, CLK_SQL[t][CLK_S_GET_NAMED], e);
	struct named_clock nc = { k, sla_name, n };

	memset(k, 0, sizeof(*k));
	db_bind_int(s, 1, ticket_id);
	return db_one(s, &named_clock_kind, &nc, e);
}

static void bind_met(struct db_stmt *s, int i, int met)
{
	if (met < 0)
		db_bind_null(s, i, DB_INT);
	else
		db_bind_int(s, i, met);
}

/* k written by sql, an insert of the 22 columns in CLK_PUT's order. */
static int clk_write(const char *sql, struct store_tx *tx, const struct sla_clock *k,
		     struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, sql, e);

	db_bind_int(s, 1, k->ticket_id);
	db_bind_int(s, 2, k->sla_id);
	db_bind_int(s, 3, k->priority);
	db_bind_int(s, 4, k->resp_target);
	db_bind_int(s, 5, k->res_target);
	db_bind_int(s, 6, k->warn_permille);
	db_bind_int(s, 7, k->started_at);
	db_bind_int(s, 8, k->resp_due);
	db_bind_int(s, 9, k->resp_warn);
	db_bind_int(s, 10, k->resp_stopped);
	bind_met(s, 11, k->resp_met);
	db_bind_int(s, 12, k->res_spent);
	db_bind_int(s, 13, k->run_from);
	db_bind_int(s, 14, k->res_due);
	db_bind_int(s, 15, k->res_warn);
	db_bind_int(s, 16, k->res_stopped);
	bind_met(s, 17, k->res_met);
	db_bind_int(s, 18, k->paused);
	db_bind_int(s, 19, k->fired);
	db_bind_str(s, 20, k->group);
	db_bind_id(s, 21, k->next_at);
	db_bind_int(s, 22, k->sla_version ? k->sla_version : 1);
	return db_done(s, "name", NULL, e);
}

static int clk_put(int t, struct store_tx *tx, const struct sla_clock *k, struct err *e)
{
	return clk_write(CLK_SQL[t][CLK_S_PUT], tx, k, e);
}

/* Ids into a caller's array of max. */
struct id_list {
	int64_t *ids;
	size_t max, *n;
};

static int id_row(struct db_stmt *s, void *ctx)
{
	struct id_list *l = ctx;

	if (*l->n == l->max)
		return 1;
	l->ids[(*l->n)++] = db_int(s, 0);
	return 0;
}

static int clk_due(int t, struct store_tx *tx, int64_t now, int64_t *ids, size_t max, size_t *n,
		   struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, CLK_SQL[t][CLK_S_DUE], e);
	struct id_list l = { ids, max, n };

	*n = 0;
	db_bind_int(s, 1, now);
	db_bind_int(s, 2, (int64_t)max);
	return db_each(s, id_row, &l, e);
}

static int clk_next(int t, struct store *st, int64_t *at, struct err *e)
{
	CONN_OR_FAIL(c, st, NULL, e);
	STMT_OR_FAIL(s, c, CLK_SQL[t][CLK_S_NEXT], e);
	int rc;

	*at = 0;
	rc = db_one(s, &db_int64, at, e);
	return rc == ERR_NOT_FOUND ? 0 : rc; /* the queue is empty */
}

/* The SLA's clocks and the OLA's, as the ops table names them. */
static int clock_get(struct store *st, struct store_tx *tx, int64_t ticket_id,
		     struct sla_clock *k, struct err *e)
{
	return clk_get(0, st, tx, ticket_id, k, e);
}
static int clock_get_named(struct store *st, struct store_tx *tx, int64_t ticket_id,
			   struct sla_clock *k, char *sla_name, size_t n, struct err *e)
{
	return clk_get_named(0, st, tx, ticket_id, k, sla_name, n, e);
}
static int clock_put(struct store_tx *tx, const struct sla_clock *k, struct err *e)
{
	return clk_put(0, tx, k, e);
}
static int clock_due(struct store_tx *tx, int64_t now, int64_t *ids, size_t max, size_t *n,
		     struct err *e)
{
	return clk_due(0, tx, now, ids, max, n, e);
}
static int clock_next(struct store *st, int64_t *at, struct err *e)
{
	return clk_next(0, st, at, e);
}
static int ola_clock_get(struct store *st, struct store_tx *tx, int64_t ticket_id,
			 struct sla_clock *k, struct err *e)
{
	return clk_get(1, st, tx, ticket_id, k, e);
}
static int ola_clock_get_named(struct store *st, struct store_tx *tx, int64_t ticket_id,
			       struct sla_clock *k, char *name, size_t n, struct err *e)
{
	return clk_get_named(1, st, tx, ticket_id, k, name, n, e);
}
static int ola_clock_put(struct store_tx *tx, const struct sla_clock *k, struct err *e)
{
	return clk_put(1, tx, k, e);
}
static int ola_clock_due(struct store_tx *tx, int64_t now, int64_t *ids, size_t max, size_t *n,
			 struct err *e)
{
	return clk_due(1, tx, now, ids, max, n, e);
}
static int ola_clock_next(struct store *st, int64_t *at, struct err *e)
{
	return clk_next(1, st, at, e);
}
static int ola_clock_delete(struct store_tx *tx, int64_t ticket_id, struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_OLA_DELETE, e);

	db_bind_int(s, 1, ticket_id);
	return db_done(s, NULL, NULL, e);
}

static int ola_clock_keep(struct store_tx *tx, const struct sla_clock *k, struct err *e)
{
	return clk_write(SQL_OLA_KEEP, tx, k, e);
}

static int ola_clock_last_past(struct store *st, struct store_tx *tx, int64_t ticket_id,
			       int64_t ola_id, struct sla_clock *k, struct err *e)
{
	CONN_OR_FAIL(c, st, tx, e);
	STMT_OR_FAIL(s, c, SQL_OLA_LAST_PAST, e);

	db_bind_int(s, 1, ticket_id);
	db_bind_int(s, 2, ola_id);
	return db_one(s, &clock_kind, k, e);
}

/* ---- outbox ---- */

#define OUTBOX_COLS                                                                                \
	"id, target, payload, state, attempts, next_at, last_error, created_at, "                 \
	"COALESCE(sent_at, 0) FROM outbox "

static const char SQL_OB_INSERT[] =
	"INSERT INTO outbox(target, payload, state, attempts, next_at, created_at) "
	"VALUES(?1, ?2, 'pending', 0, ?3, ?3) RETURNING id";
static const char SQL_OB_DUE[] =
	"SELECT " OUTBOX_COLS "WHERE state = 'pending' AND next_at <= ?1 ORDER BY next_at, id "
	"LIMIT ?2";
static const char SQL_OB_SET[] =
	"UPDATE outbox SET state = ?2, attempts = ?3, next_at = ?4, last_error = ?5, sent_at = ?6 "
	"WHERE id = ?1";
static const char SQL_OB_LIST[] =
	"SELECT " OUTBOX_COLS "WHERE (?1 IS NULL OR state = ?1) ORDER BY id DESC LIMIT ?2";

static int ob_row(struct db_stmt *s, void *item)
{
	struct outbox_rec *r = item;

	r->target = r->payload = NULL;
	r->id = db_int(s, 0);
	db_text(s, 3, r->state, sizeof(r->state));
	r->attempts = db_int(s, 4);
	r->next_at = db_int(s, 5);
	db_text(s, 6, r->last_error, sizeof(r->last_error));
	r->created_at = db_int(s, 7);
	r->sent_at = db_int(s, 8);
	return db_dup(s, 1, &r->target) || db_dup(s, 2, &r->payload) ? ERR_INTERNAL : 0;
}

static void ob_drop(void *item)
{
	struct outbox_rec *r = item;

	free(r->target);
	free(r->payload);
	r->target = r->payload = NULL;
}

static const struct db_kind ob_kind = { sizeof(struct outbox_rec), ob_row, ob_drop };

static int outbox_insert(struct store_tx *tx, struct outbox_rec *r, struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_OB_INSERT, e);

	db_bind_str(s, 1, r->target);
	db_bind_str(s, 2, r->payload);
	db_bind_int(s, 3, r->created_at);
	return db_insert(s, "name", NULL, &r->id, e);
}

static int outbox_due(struct store *st, int64_t now, size_t max, struct outbox_rec **out,
		      size_t *n, struct err *e)
{
	CONN_OR_FAIL(c, st, NULL, e);
	STMT_OR_FAIL(s, c, SQL_OB_DUE, e);

	db_bind_int(s, 1, now);
	db_bind_int(s, 2, (int64_t)max);
	return db_all(s, &ob_kind, 0, (void **)out, n, NULL, e);
}

static int outbox_set(struct store_tx *tx, const struct outbox_rec *r, struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_OB_SET, e);

	db_bind_int(s, 1, r->id);
	db_bind_str(s, 2, r->state);
	db_bind_int(s, 3, r->attempts);
	db_bind_int(s, 4, r->next_at);
	db_bind_str(s, 5, r->last_error);
	db_bind_id(s, 6, r->sent_at);
	return db_done(s, "name", NULL, e);
}

static int outbox_list(struct store *st, const char *state, int limit, struct outbox_rec **out,
		       size_t *n, struct err *e)
{
	CONN_OR_FAIL(c, st, NULL, e);
	STMT_OR_FAIL(s, c, SQL_OB_LIST, e);

	db_bind_text(s, 1, state);
	db_bind_int(s, 2, limit);
	return db_all(s, &ob_kind, 0, (void **)out, n, NULL, e);
}

/* ---- bulk writes ---- */

/* ---- the report ---- */

/* Each clock counts in the period its due falls in ([?2, ?3)), once its
 * verdict is known at ?4 (now): a response clock stopped with a verdict or
 * still running past its due; a resolution clock resolved, running past its
 * due, or paused with its target used up. A running clock not yet due counts
 * nowhere yet; a clock stopped without a verdict (cancelled) never does.
 * Those counted without a verdict are missed (docs/sla.md, "Report").
 * Each side is one range of its covering index (migration 011):
 * ticket_sla_resp_due, ticket_sla_res_due — no row of the table is read. */
#define REP_RESP_IN(T, cols)                                                                      \
	"SELECT " cols " FROM " T " WHERE sla_id = ?1 AND resp_due >= ?2 AND resp_due < ?3 "      \
	"AND resp_due > 0 AND (resp_met IS NOT NULL OR (resp_stopped = 0 AND resp_due < ?4))"
#define REP_RES_IN(T, cols)                                                                       \
	"SELECT " cols " FROM " T " WHERE sla_id = ?1 AND res_due >= ?2 AND res_due < ?3 "        \
	"AND res_due > 0 AND (res_met IS NOT NULL OR (run_from > 0 AND res_due < ?4) OR "        \
	"(paused = 1 AND res_spent > res_target))"
/* The aggregate over the clocks of table T (ticket_sla; an OLA's clocks,
 * counted by the same rules). RESOLVED tells the clocks whose time is a
 * time to resolve (the MTTR's): every one with a verdict for an SLA; for
 * an OLA not those its group ended by handing the ticket on, whose
 * verdict counts but whose time is no resolution. XCOL: the columns
 * RESOLVED reads beyond the four. */
#define REP_STATS_IN(T, XCOL, RESOLVED)                                                           \
	"WITH r AS (" REP_RESP_IN(T, "ticket_id, resp_met, resp_due") "), s AS ("                 \
	REP_RES_IN(T, "ticket_id, res_met, res_due, res_spent" XCOL) ") SELECT "                  \
	"(SELECT count(*) FROM (SELECT ticket_id FROM r UNION SELECT ticket_id FROM s) u), "      \
	"rr.n, rr.met, ss.n, ss.met, ss.resolved, ss.spent FROM "                                 \
	"(SELECT count(*) AS n, count(CASE WHEN resp_met = 1 THEN 1 END) AS met FROM r) rr, "     \
	"(SELECT count(*) AS n, count(CASE WHEN res_met = 1 THEN 1 END) AS met, "                 \
	"count(CASE WHEN " RESOLVED " THEN 1 END) AS resolved, "                                  \
	"COALESCE(sum(CASE WHEN " RESOLVED " THEN res_spent END), 0) AS spent FROM s) ss"
static const char SQL_REP_STATS[] = REP_STATS_IN("ticket_sla", "", "res_met IS NOT NULL");
/* An OLA's clocks: the running ones and those its group ended by handing
 * the ticket on (ticket_ola_past), each pushed down to its own index. */
#define OLA_CLOCKS                                                                                \
	"(SELECT ticket_id, sla_id, resp_met, resp_due, resp_stopped, res_met, res_due, "        \
	"res_spent, res_stopped, res_target, run_from, paused, 0 AS handed FROM ticket_ola "      \
	"UNION ALL SELECT ticket_id, sla_id, resp_met, resp_due, resp_stopped, res_met, "        \
	"res_due, res_spent, res_stopped, res_target, run_from, paused, 1 FROM ticket_ola_past) k"
static const char SQL_OLA_REP_STATS[] =
	REP_STATS_IN(OLA_CLOCKS, ", handed", "res_met IS NOT NULL AND handed = 0");
/* The missed ones, one row per clock (0 response, 1 resolution), with the
 * due that applied and when the clock stopped (0: not yet). Read from the
 * same two index ranges: migration 017 put res_stopped in the second. */
#define REP_MISSED_IN(T)                                                                          \
	"SELECT ticket_id, 0 AS clock, resp_due AS due, resp_stopped AS stopped FROM ("          \
	REP_RESP_IN(T, "ticket_id, resp_met, resp_due, resp_stopped") ") r "                      \
	"WHERE resp_met IS DISTINCT FROM 1 UNION ALL "                                           \
	"SELECT ticket_id, 1, res_due, res_stopped FROM ("                                       \
	REP_RES_IN(T, "ticket_id, res_met, res_due, res_stopped") ") s "                          \
	"WHERE res_met IS DISTINCT FROM 1"
#define REP_MISSED REP_MISSED_IN("ticket_sla")
/* A page of them by (due, ticket, clock), after ?5/?6/?7, at most ?8. */
static const char SQL_REP_BREACHES[] =
	"SELECT t.key, b.ticket_id, b.clock, b.due, b.stopped FROM (" REP_MISSED ") b "
	"JOIN tickets t ON t.id = b.ticket_id "
	"WHERE b.due > ?5 OR (b.due = ?5 AND (b.ticket_id > ?6 OR "
	"(b.ticket_id = ?6 AND b.clock > ?7))) "
	"ORDER BY b.due, b.ticket_id, b.clock LIMIT ?8";
/* The ?5 most overdue at ?4, the most overdue first: only those few are
 * looked up in tickets. */
#define REP_WORST_IN(T)                                                                           \
	"SELECT t.key, w.ticket_id, w.clock, w.due, w.stopped FROM ("                            \
	"SELECT ticket_id, clock, due, stopped, "                                                 \
	"CASE WHEN stopped > 0 THEN stopped ELSE ?4 END - due AS late "                         \
	"FROM (" REP_MISSED_IN(T) ") b ORDER BY late DESC, due, ticket_id, clock LIMIT ?5) w "   \
	"JOIN tickets t ON t.id = w.ticket_id ORDER BY w.late DESC, w.due, w.ticket_id, w.clock"
static const char SQL_REP_WORST[] = REP_WORST_IN("ticket_sla");
/* The same over an OLA's clocks (ticket_ola and ticket_ola_past: their
 * indexes on (sla_id, res_due) narrow both sides to the OLA's rows). */
static const char SQL_OLA_REP_WORST[] = REP_WORST_IN(OLA_CLOCKS);

static int stats_row(struct db_stmt *s, void *item)
{
	struct sla_stats *out = item;

	out->tickets = db_int(s, 0);
	out->responses = db_int(s, 1);
	out->response_met = db_int(s, 2);
	out->resolutions = db_int(s, 3);
	out->resolution_met = db_int(s, 4);
	out->resolved = db_int(s, 5);
	out->res_spent_sum = db_int(s, 6);
	return 0;
}

static const struct db_kind stats_kind = { sizeof(struct sla_stats), stats_row, NULL };

/* ?1 the SLA, [?2, ?3) the month, ?4 now: the report's statements. */
static void bind_month(struct db_stmt *s, int64_t sla_id, int64_t t0, int64_t t1, int64_t now)
{
	db_bind_int(s, 1, sla_id);
	db_bind_int(s, 2, t0);
	db_bind_int(s, 3, t1);
	db_bind_int(s, 4, now);
}

static int rep_stats(const char *sql, struct store *st, int64_t sla_id, int64_t t0, int64_t t1,
		     int64_t now, struct sla_stats *out, struct err *e)
{
	CONN_OR_FAIL(c, st, NULL, e);
	STMT_OR_FAIL(s, c, sql, e);
	int rc;

	memset(out, 0, sizeof(*out));
	bind_month(s, sla_id, t0, t1, now);
	rc = db_one(s, &stats_kind, out, e);
	return err_absent(e, rc, ERR_INTERNAL, NULL, "store: no aggregate row");
}

static int report_stats(struct store *st, int64_t sla_id, int64_t t0, int64_t t1, int64_t now,
			struct sla_stats *out, struct err *e)
{
	return rep_stats(SQL_REP_STATS, st, sla_id, t0, t1, now, out, e);
}

static int ola_report_stats(struct store *st, int64_t ola_id, int64_t t0, int64_t t1,
			    int64_t now, struct sla_stats *out, struct err *e)
{
	return rep_stats(SQL_OLA_REP_STATS, st, ola_id, t0, t1, now, out, e);
}

struct breach_to {
	sla_breach_fn fn;
	void *ctx;
};

/* One missed clock to the callback. */
static int breach_row(struct db_stmt *s, void *arg)
{
	struct breach_to *to = arg;
	struct sla_breach b;

	db_text(s, 0, b.ticket, sizeof(b.ticket));
	b.ticket_id = db_int(s, 1);
	b.clock = (int)db_int(s, 2);
	b.due = db_int(s, 3);
	b.stopped = db_int(s, 4);
	return to->fn(&b, to->ctx);
}

static int report_breaches(struct store *st, int64_t sla_id, int64_t t0, int64_t t1,
			   int64_t now, const struct sla_breach_after *after, int64_t limit,
			   sla_breach_fn fn, void *ctx, struct err *e)
{
	CONN_OR_FAIL(c, st, NULL, e);
	STMT_OR_FAIL(s, c, SQL_REP_BREACHES, e);
	struct breach_to to = { fn, ctx };

	bind_month(s, sla_id, t0, t1, now);
	/* every due counted is > 0: (-1, 0, 0) is before the first */
	db_bind_int(s, 5, after ? after->due : -1);
	db_bind_int(s, 6, after ? after->ticket_id : 0);
	db_bind_int(s, 7, after ? after->clock : 0);
	db_bind_int(s, 8, limit < 0 ? INT64_MAX : limit);
	return db_each(s, breach_row, &to, e);
}

static int rep_worst(const char *sql, struct store *st, int64_t sla_id, int64_t t0, int64_t t1,
		     int64_t now, int64_t limit, sla_breach_fn fn, void *ctx, struct err *e)
{
	CONN_OR_FAIL(c, st, NULL, e);
	STMT_OR_FAIL(s, c, sql, e);
	struct breach_to to = { fn, ctx };

	bind_month(s, sla_id, t0, t1, now);
	db_bind_int(s, 5, limit);
	return db_each(s, breach_row, &to, e);
}

static int report_worst(struct store *st, int64_t sla_id, int64_t t0, int64_t t1, int64_t now,
			int64_t limit, sla_breach_fn fn, void *ctx, struct err *e)
{
	return rep_worst(SQL_REP_WORST, st, sla_id, t0, t1, now, limit, fn, ctx, e);
}

static int ola_report_worst(struct store *st, int64_t ola_id, int64_t t0, int64_t t1,
			    int64_t now, int64_t limit, sla_breach_fn fn, void *ctx,
			    struct err *e)
{
	return rep_worst(SQL_OLA_REP_WORST, st, ola_id, t0, t1, now, limit, fn, ctx, e);
}

const struct store_sla_ops sql_sla_ops = {
	.service_insert = service_insert,
	.service_get = service_get,
	.service_list = service_list,
	.service_update = service_update,
	.calendar_insert = calendar_insert,
	.calendar_get = calendar_get,
	.calendar_list = calendar_list,
	.calendar_update = calendar_update,
	.sla_insert = sla_insert,
	.sla_get = sla_get,
	.sla_find = sla_find,
	.sla_list = sla_list,
	.sla_update = sla_update,
	.sla_version_body = sla_version_body,
	.sla_versions_each = sla_versions_each,
	.outage_insert = outage_insert,
	.outage_get = outage_get,
	.outage_update = outage_update,
	.outage_delete = outage_delete,
	.outage_list = outage_list,
	.clock_get = clock_get,
	.clock_put = clock_put,
	.clock_get_named = clock_get_named,
	.clock_due = clock_due,
	.clock_next = clock_next,
	.ola_find = ola_find,
	.ola_clock_get = ola_clock_get,
	.ola_clock_get_named = ola_clock_get_named,
	.ola_clock_put = ola_clock_put,
	.ola_clock_delete = ola_clock_delete,
	.ola_clock_keep = ola_clock_keep,
	.ola_clock_last_past = ola_clock_last_past,
	.ola_clock_due = ola_clock_due,
	.ola_clock_next = ola_clock_next,
	.outbox_insert = outbox_insert,
	.outbox_due = outbox_due,
	.outbox_set = outbox_set,
	.outbox_list = outbox_list,
	.bulk = sq_bulk,
	.counter_get = sq_counter_get, /* the batch's deferred rows */
	.counter_set = sq_counter_set,
	.report_stats = report_stats,
	.ola_report_stats = ola_report_stats,
	.report_breaches = report_breaches,
	.report_worst = report_worst,
	.ola_report_worst = ola_report_worst,
};
