/*
 * sql_cost.c — the SQL store's time entries and the cost report's sums (see
 * store_cost.h), each statement written once for both engines
 * (migrations/031_cost.sql).
 *
 * Every statement is a static string so the connection's cache keys it by
 * address. A day is YYYY-MM-DD text, so a month is its first seven
 * characters and a range of days compares as text in both engines.
 */
#include "store/sql.h"
#include "store/store_cost.h"

#include <string.h>

#define TE_COLS                                                                                    \
	"t.id, t.subject, t.subject_key, t.customer_id, COALESCE(c.key, ''), t.service, "          \
	"t.user_id, u.username, t.minutes, t.work_date, t.note, t.rate_key, t.rate, t.currency, "  \
	"t.cost, t.source, t.created_by, COALESCE(b.username, ''), t.created_at, t.updated_at, "  \
	"t.version FROM time_entries t JOIN users u ON u.id = t.user_id "                         \
	"LEFT JOIN customers c ON c.id = t.customer_id LEFT JOIN users b ON b.id = t.created_by "

static const char SQL_TE_INSERT[] =
	"INSERT INTO time_entries(subject, subject_key, customer_id, service, user_id, minutes, "
	"work_date, note, rate_key, rate, currency, cost, source, created_by, created_at, "
	"updated_at, version) "
	"VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?15, 1) "
	"RETURNING id";
static const char SQL_TE_UPDATE[] =
	"UPDATE time_entries SET minutes = ?2, work_date = ?3, note = ?4, cost = ?5, "
	"updated_at = ?6, version = ?7 WHERE id = ?1 AND version = ?8";
static const char SQL_TE_GET[] = "SELECT " TE_COLS "WHERE t.id = ?1";
static const char SQL_TE_LIST[] =
	"SELECT " TE_COLS "WHERE t.subject = ?1 AND t.subject_key = ?2 ORDER BY t.id";
static const char SQL_TE_ALL[] = "SELECT " TE_COLS "WHERE t.id > ?1 ORDER BY t.id LIMIT ?2";

static int te_row(struct db_stmt *s, void *item)
{
	struct time_entry *t = item;

	t->id = db_int(s, 0);
	db_text(s, 1, t->subject, sizeof(t->subject));
	db_text(s, 2, t->ref, sizeof(t->ref));
	t->customer_id = db_int(s, 3);
	db_text(s, 4, t->customer, sizeof(t->customer));
	db_text(s, 5, t->service, sizeof(t->service));
	t->user_id = db_int(s, 6);
	db_text(s, 7, t->user, sizeof(t->user));
	t->minutes = db_int(s, 8);
	db_text(s, 9, t->date, sizeof(t->date));
	db_text(s, 10, t->note, sizeof(t->note));
	db_text(s, 11, t->rate_key, sizeof(t->rate_key));
	t->rate = db_int(s, 12);
	db_text(s, 13, t->currency, sizeof(t->currency));
	t->cost = db_int(s, 14);
	db_text(s, 15, t->source, sizeof(t->source));
	t->created_by = db_int(s, 16);
	db_text(s, 17, t->created_by_name, sizeof(t->created_by_name));
	t->created_at = db_int(s, 18);
	t->updated_at = db_int(s, 19);
	t->version = db_int(s, 20);
	return 0;
}

static const struct db_kind te_kind = { sizeof(struct time_entry), te_row, NULL };

static int te_insert(struct store_tx *tx, struct time_entry *t, struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_TE_INSERT, e);
	int rc;

	db_bind_str(s, 1, t->subject);
	db_bind_str(s, 2, t->ref);
	db_bind_id(s, 3, t->customer_id);
	db_bind_str(s, 4, t->service);
	db_bind_int(s, 5, t->user_id);
	db_bind_int(s, 6, t->minutes);
	db_bind_str(s, 7, t->date);
	db_bind_str(s, 8, t->note);
	db_bind_str(s, 9, t->rate_key);
	db_bind_int(s, 10, t->rate);
	db_bind_str(s, 11, t->currency);
	db_bind_int(s, 12, t->cost);
	db_bind_str(s, 13, t->source);
	db_bind_id(s, 14, t->created_by);
	db_bind_int(s, 15, t->created_at);
	if ((rc = db_insert(s, NULL, NULL, &t->id, e)))
		return rc;
	t->updated_at = t->created_at;
	t->version = 1;
	return 0;
}

static int te_update(struct store_tx *tx, const struct time_entry *t, struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_TE_UPDATE, e);

	db_bind_int(s, 1, t->id);
	db_bind_int(s, 2, t->minutes);
	db_bind_str(s, 3, t->date);
	db_bind_str(s, 4, t->note);
	db_bind_int(s, 5, t->cost);
	db_bind_int(s, 6, t->updated_at);
	db_bind_int(s, 7, t->version);
	db_bind_int(s, 8, t->version - 1);
	return db_done_versioned(s, e, "time entry %lld", (long long)t->id);
}

static int te_get(struct store *st, struct store_tx *tx, int64_t id, struct time_entry *t,
		  struct err *e)
{
	CONN_OR_FAIL(c, st, tx, e);
	STMT_OR_FAIL(s, c, SQL_TE_GET, e);

	memset(t, 0, sizeof(*t));
	db_bind_int(s, 1, id);
	return db_one(s, &te_kind, t, e);
}

static int te_list(struct store *st, const char *subject, const char *ref, int64_t after_id,
		   int limit, struct time_entry **out, size_t *n, struct err *e)
{
	CONN_OR_FAIL(c, st, NULL, e);
	STMT_OR_FAIL(s, c, subject ? SQL_TE_LIST : SQL_TE_ALL, e);

	if (subject) {
		db_bind_str(s, 1, subject);
		db_bind_str(s, 2, ref);
		return db_all(s, &te_kind, 0, (void **)out, n, NULL, e);
	}
	db_bind_int(s, 1, after_id);
	db_bind_int(s, 2, limit);
	return db_all(s, &te_kind, 0, (void **)out, n, NULL, e);
}

/* ---- the report's sums ---- */

/* The sums every grouping ends with: entries, minutes, the cost of those
 * in the report's currency, and how many are in another. */
#define SUMS                                                                                       \
	"count(*), SUM(t.minutes), SUM(CASE WHEN t.currency = ?4 THEN t.cost ELSE 0 END), "         \
	"SUM(CASE WHEN t.currency = ?4 THEN 0 ELSE 1 END) FROM time_entries t "                     \
	"LEFT JOIN customers c ON c.id = t.customer_id "                                            \
	"WHERE t.work_date >= ?1 AND t.work_date < ?2 AND (?3 IS NULL OR t.customer_id = ?3) "

static const char SQL_BY_SERVICE[] =
	"SELECT COALESCE(c.key, ''), t.service, " SUMS
	"GROUP BY COALESCE(c.key, ''), t.service ORDER BY COALESCE(c.key, ''), t.service";
static const char SQL_BY_TICKET[] =
	"SELECT t.subject_key, COALESCE(c.key, ''), t.service, " SUMS
	"AND t.subject = 'ticket' GROUP BY t.subject_key, COALESCE(c.key, ''), t.service "
	"ORDER BY SUM(CASE WHEN t.currency = ?4 THEN t.cost ELSE 0 END) DESC, SUM(t.minutes) DESC, "
	"t.subject_key LIMIT ?5";
static const char SQL_BY_MONTH[] =
	"SELECT substr(t.work_date, 1, 7), " SUMS
	"GROUP BY substr(t.work_date, 1, 7) ORDER BY substr(t.work_date, 1, 7)";

static void put_sums(json_t *j, struct db_stmt *s, int col)
{
	json_object_set_new(j, "entries", json_integer(db_int(s, col)));
	json_object_set_new(j, "minutes", json_integer(db_int(s, col + 1)));
	json_object_set_new(j, "cost", json_integer(db_int(s, col + 2)));
	json_object_set_new(j, "other", json_integer(db_int(s, col + 3)));
}

static json_t *by_service_json(struct db_stmt *s)
{
	json_t *j = json_object();

	json_object_set_new(j, "customer", json_string(db_cstr(s, 0) ? db_cstr(s, 0) : ""));
	json_object_set_new(j, "service", json_string(db_cstr(s, 1) ? db_cstr(s, 1) : ""));
	put_sums(j, s, 2);
	return j;
}

static json_t *by_ticket_json(struct db_stmt *s)
{
	json_t *j = json_object();

	json_object_set_new(j, "ticket", json_string(db_cstr(s, 0) ? db_cstr(s, 0) : ""));
	json_object_set_new(j, "customer", json_string(db_cstr(s, 1) ? db_cstr(s, 1) : ""));
	json_object_set_new(j, "service", json_string(db_cstr(s, 2) ? db_cstr(s, 2) : ""));
	put_sums(j, s, 3);
	return j;
}

static json_t *by_month_json(struct db_stmt *s)
{
	json_t *j = json_object();

	json_object_set_new(j, "month", json_string(db_cstr(s, 0) ? db_cstr(s, 0) : ""));
	put_sums(j, s, 1);
	return j;
}

static int te_sums(struct store *st, int by, const char *from, const char *to,
		   int64_t customer_id, const char *currency, int limit, json_t **out,
		   struct err *e)
{
	static const char *const sql[] = { SQL_BY_SERVICE, SQL_BY_TICKET, SQL_BY_MONTH };
	static const db_json_fn row[] = { by_service_json, by_ticket_json, by_month_json };
	CONN_OR_FAIL(c, st, NULL, e);
	STMT_OR_FAIL(s, c, sql[by], e);

	db_bind_str(s, 1, from);
	db_bind_str(s, 2, to);
	db_bind_id(s, 3, customer_id);
	db_bind_str(s, 4, currency);
	if (by == COST_BY_TICKET)
		db_bind_int(s, 5, limit);
	return db_json(s, row[by], out, e);
}

const struct store_cost_ops sql_cost_ops = {
	.insert = te_insert,
	.update = te_update,
	.get = te_get,
	.list = te_list,
	.sums = te_sums,
};
