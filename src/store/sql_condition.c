/*
 * sql_condition.c — the SQL store's operations for condition reports (see
 * store_condition.h): the reports, and the reads of a period their figures
 * are made of.
 *
 * Every statement is a static string so the connection's cache keys it by
 * address. The schema (migrations/023_condition.sql) refuses by itself a
 * second report of one day and shift, a change to what was signed and any
 * deletion; the guarded UPDATE below refuses a stale version. The period's
 * reads are one table of sections, each a count and a list over an index
 * on the time it cuts by.
 */
#include "lib/jsonx.h"
#include "lib/timeutil.h"
#include "store/sql.h"
#include "store/store_condition.h"

#include <stdlib.h>
#include <string.h>

/* ---- the reports ---- */

#define COND_COLS                                                                                  \
	"id, key, day, shift, period_from, period_to, state, remarks, created_by, "               \
	"COALESCE(signed_by, ''), COALESCE(signed_at, 0), figures, COALESCE(figures_hash, ''), "  \
	"COALESCE(acked_by, ''), COALESCE(acked_at, 0), created_at, updated_at, version "

static const char SQL_COND_INSERT[] =
	"INSERT INTO condition_reports(key, day, shift, period_from, period_to, state, remarks, "
	"created_by, created_at, updated_at, version) "
	"VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9, 1) RETURNING id";
static const char SQL_COND_UPDATE[] =
	"UPDATE condition_reports SET state = ?2, remarks = ?3, signed_by = ?4, signed_at = ?5, "
	"figures = ?6, figures_hash = ?7, acked_by = ?8, acked_at = ?9, updated_at = ?10, "
	"version = ?11 WHERE id = ?1 AND version = ?12";
static const char SQL_COND_GET[] = "SELECT " COND_COLS "FROM condition_reports WHERE key = ?1";
static const char SQL_COND_LIST[] = "SELECT " COND_COLS
				    "FROM condition_reports WHERE (?1 IS NULL OR state = ?1) ORDER BY id";

static int sq_cond_row(struct db_stmt *s, void *item)
{
	struct cond_report *r = item;

	r->remarks = r->figures = NULL;
	r->id = db_int(s, 0);
	db_text(s, 1, r->key, sizeof(r->key));
	r->day = db_int(s, 2);
	db_text(s, 3, r->shift, sizeof(r->shift));
	r->from = db_int(s, 4);
	r->to = db_int(s, 5);
	db_text(s, 6, r->state, sizeof(r->state));
	db_text(s, 8, r->created_by, sizeof(r->created_by));
	db_text(s, 9, r->signed_by, sizeof(r->signed_by));
	r->signed_at = db_int(s, 10);
	db_text(s, 12, r->figures_hash, sizeof(r->figures_hash));
	db_text(s, 13, r->acked_by, sizeof(r->acked_by));
	r->acked_at = db_int(s, 14);
	r->created_at = db_int(s, 15);
	r->updated_at = db_int(s, 16);
	r->version = db_int(s, 17);
	if (db_dup(s, 7, &r->remarks) || db_dup(s, 11, &r->figures))
		return ERR_INTERNAL;
	if (!r->remarks && !(r->remarks = strdup("")))
		return ERR_INTERNAL;
	return 0;
}

static void sq_cond_drop(void *item)
{
	cond_report_release(item);
}

static const struct db_kind sq_cond_kind = { sizeof(struct cond_report), sq_cond_row, sq_cond_drop };

static int sq_cond_insert(struct store_tx *tx, struct cond_report *r, struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_COND_INSERT, e);

	db_bind_str(s, 1, r->key);
	db_bind_int(s, 2, r->day);
	db_bind_str(s, 3, r->shift);
	db_bind_int(s, 4, r->from);
	db_bind_int(s, 5, r->to);
	db_bind_str(s, 6, r->state);
	db_bind_str(s, 7, r->remarks);
	db_bind_str(s, 8, r->created_by);
	db_bind_int(s, 9, r->created_at);
	r->updated_at = r->created_at;
	r->version = 1;
	return db_insert(s, "date", "that day and shift have a condition report already", &r->id,
			 e);
}

static int sq_cond_update(struct store_tx *tx, const struct cond_report *r, struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_COND_UPDATE, e);

	db_bind_int(s, 1, r->id);
	db_bind_str(s, 2, r->state);
	db_bind_str(s, 3, r->remarks);
	db_bind_text(s, 4, r->signed_by);
	db_bind_id(s, 5, r->signed_at);
	db_bind_text(s, 6, r->figures);
	db_bind_text(s, 7, r->figures_hash);
	db_bind_text(s, 8, r->acked_by);
	db_bind_id(s, 9, r->acked_at);
	db_bind_int(s, 10, r->updated_at);
	db_bind_int(s, 11, r->version);
	db_bind_int(s, 12, r->version - 1);
	return db_done_versioned(s, e, "condition report '%s'", r->key);
}

static int sq_cond_get(struct store *st, struct store_tx *tx, const char *key,
		    struct cond_report *r, struct err *e)
{
	CONN_OR_FAIL(c, st, tx, e);
	STMT_OR_FAIL(s, c, SQL_COND_GET, e);
	int rc;

	memset(r, 0, sizeof(*r));
	db_bind_str(s, 1, key);
	rc = db_one(s, &sq_cond_kind, r, e);
	return err_absent(e, rc, ERR_NOT_FOUND, NULL, "condition report '%.64s' not found", key);
}

static int sq_cond_list(struct store *st, const char *state, struct cond_report **out, size_t *n,
		     struct err *e)
{
	CONN_OR_FAIL(c, st, NULL, e);
	STMT_OR_FAIL(s, c, SQL_COND_LIST, e);

	db_bind_text(s, 1, state);
	return db_all(s, &sq_cond_kind, 0, (void **)out, n, NULL, e);
}

/* ---- a period's sections ---- */

#define IN_PERIOD(col) col " >= ?1 AND " col " < ?2"

static const char SQL_RUNS_N[] = "SELECT count(*) FROM runs WHERE " IN_PERIOD("started_at");
static const char SQL_RUNS[] = "SELECT status, count(*) FROM runs WHERE " IN_PERIOD("started_at")
			       " GROUP BY status ORDER BY status LIMIT ?3";
static const char SQL_DEV_N[] = "SELECT count(DISTINCT run_id) FROM run_steps "
				"WHERE deviation IS NOT NULL AND " IN_PERIOD("done_at");
static const char SQL_DEV[] =
	"SELECT r.key, p.key, s.step, s.deviation, s.ticket_key, s.done_by, s.done_at "
	"FROM run_steps s JOIN runs r ON r.id = s.run_id JOIN procedures p ON p.id = r.procedure_id "
	"WHERE s.deviation IS NOT NULL AND " IN_PERIOD("s.done_at") " ORDER BY s.done_at, s.id LIMIT ?3";
static const char SQL_OPENED_N[] =
	"SELECT count(*) FROM tickets WHERE kind = 'incident' AND " IN_PERIOD("created_at");
static const char SQL_OPENED[] = "SELECT key, title, priority, status, created_at FROM tickets "
				 "WHERE kind = 'incident' AND " IN_PERIOD("created_at")
				 " ORDER BY created_at, id LIMIT ?3";
static const char SQL_RESOLVED_N[] =
	"SELECT count(*) FROM tickets WHERE kind = 'incident' AND " IN_PERIOD("resolved_at");
static const char SQL_RESOLVED[] = "SELECT key, title, priority, status, resolved_at FROM tickets "
				   "WHERE kind = 'incident' AND " IN_PERIOD("resolved_at")
				   " ORDER BY resolved_at, id LIMIT ?3";
/* A change's start is in its body, RFC 3339 text: the bounds are texts. */
#define CHG_START "json_extract(body, '$.started_at')"
static const char SQL_CHANGES_N[] = "SELECT count(*) FROM changes WHERE " IN_PERIOD(CHG_START);
static const char SQL_CHANGES[] = "SELECT key, title, type, status, " CHG_START " FROM changes "
				  "WHERE " IN_PERIOD(CHG_START) " ORDER BY 5, id LIMIT ?3";
#define SLA_FROM                                                                                   \
	"FROM ticket_history h WHERE " IN_PERIOD("h.at")                                          \
	" AND h.field IN ('sla.response', 'sla.resolution')"
static const char SQL_SLA_N[] = "SELECT count(*) " SLA_FROM;
static const char SQL_SLA[] = "SELECT t.key, h.field, h.new_value, h.at "
			      "FROM ticket_history h JOIN tickets t ON t.id = h.ticket_id WHERE " IN_PERIOD("h.at")
			      " AND h.field IN ('sla.response', 'sla.resolution') "
			      "ORDER BY h.at, h.id LIMIT ?3";
static const char SQL_SLA_KINDS[] =
	"SELECT COALESCE(h.new_value, ''), count(*) " SLA_FROM " GROUP BY 1 ORDER BY 1 LIMIT ?3";
static const char SQL_EVENTS_N[] = "SELECT count(*) FROM events WHERE " IN_PERIOD("at");
static const char SQL_EVENTS[] = "SELECT severity, count(*) FROM events WHERE " IN_PERIOD("at")
				 " GROUP BY severity ORDER BY severity LIMIT ?3";
#define OUTAGE_WHERE "WHERE start < ?2 AND (end_at IS NULL OR end_at > ?1)"
static const char SQL_OUTAGES_N[] = "SELECT count(*) FROM outages " OUTAGE_WHERE;
static const char SQL_OUTAGES[] = "SELECT id, service, start, end_at, planned, incident "
				  "FROM outages " OUTAGE_WHERE " ORDER BY start, id LIMIT ?3";

static json_t *counted(struct db_stmt *s, const char *name)
{
	json_t *o = json_object();

	json_object_set_new(o, name, json_string(db_cstr(s, 0) ? db_cstr(s, 0) : ""));
	json_object_set_new(o, "count", json_integer(db_int(s, 1)));
	return o;
}

static json_t *runs_row(struct db_stmt *s)
{
	return counted(s, "status");
}

static json_t *kinds_row(struct db_stmt *s)
{
	return counted(s, "event");
}

static json_t *events_row(struct db_stmt *s)
{
	return counted(s, "severity");
}

static json_t *dev_row(struct db_stmt *s)
{
	json_t *o = json_object();

	jx_set_str(o, "run", db_cstr(s, 0));
	jx_set_str(o, "procedure", db_cstr(s, 1));
	json_object_set_new(o, "step", json_integer(db_int(s, 2)));
	jx_set_str(o, "deviation", db_cstr(s, 3));
	jx_set_str(o, "incident", db_cstr(s, 4));
	jx_set_str(o, "done_by", db_cstr(s, 5));
	jx_set_time(o, "done_at", db_int(s, 6));
	return o;
}

static json_t *ticket_row(struct db_stmt *s)
{
	json_t *o = json_object();

	jx_set_str(o, "key", db_cstr(s, 0));
	jx_set_str(o, "title", db_cstr(s, 1));
	json_object_set_new(o, "priority", json_integer(db_int(s, 2)));
	jx_set_str(o, "status", db_cstr(s, 3));
	jx_set_time(o, "at", db_int(s, 4));
	return o;
}

static json_t *change_row(struct db_stmt *s)
{
	json_t *o = json_object();

	jx_set_str(o, "key", db_cstr(s, 0));
	jx_set_str(o, "title", db_cstr(s, 1));
	jx_set_str(o, "type", db_cstr(s, 2));
	jx_set_str(o, "status", db_cstr(s, 3));
	jx_set_str(o, "at", db_cstr(s, 4));
	return o;
}

static json_t *sla_row(struct db_stmt *s)
{
	const char *field = db_cstr(s, 1);
	json_t *o = json_object();

	jx_set_str(o, "ticket", db_cstr(s, 0));
	/* "sla.response" → "response" */
	jx_set_str(o, "clock", field && !strncmp(field, "sla.", 4) ? field + 4 : field);
	jx_set_str(o, "event", db_cstr(s, 2));
	jx_set_time(o, "at", db_int(s, 3));
	return o;
}

static json_t *outage_row(struct db_stmt *s)
{
	json_t *o = json_object();

	json_object_set_new(o, "id", json_integer(db_int(s, 0)));
	jx_set_str(o, "service", db_cstr(s, 1));
	jx_set_time(o, "start", db_int(s, 2));
	jx_set_time(o, "end", db_is_null(s, 3) ? 0 : db_int(s, 3));
	json_object_set_new(o, "planned", json_boolean(db_int(s, 4)));
	jx_set_str(o, "incident", db_cstr(s, 5));
	return o;
}

static const struct {
	const char *count, *list;
	db_json_fn row;
	int text_bounds; /* the bounds are RFC 3339 texts */
} sections[COND__SECTIONS] = {
	[COND_RUNS] = { SQL_RUNS_N, SQL_RUNS, runs_row, 0 },
	[COND_DEVIATIONS] = { SQL_DEV_N, SQL_DEV, dev_row, 0 },
	[COND_OPENED] = { SQL_OPENED_N, SQL_OPENED, ticket_row, 0 },
	[COND_RESOLVED] = { SQL_RESOLVED_N, SQL_RESOLVED, ticket_row, 0 },
	[COND_CHANGES] = { SQL_CHANGES_N, SQL_CHANGES, change_row, 1 },
	[COND_SLA] = { SQL_SLA_N, SQL_SLA, sla_row, 0 },
	[COND_SLA_KINDS] = { SQL_SLA_N, SQL_SLA_KINDS, kinds_row, 0 },
	[COND_EVENTS] = { SQL_EVENTS_N, SQL_EVENTS, events_row, 0 },
	[COND_OUTAGES] = { SQL_OUTAGES_N, SQL_OUTAGES, outage_row, 0 },
};

static void bind_period(struct db_stmt *s, int text, int64_t from, int64_t to, char *a, char *b)
{
	if (text) {
		time_format_rfc3339(from, a);
		time_format_rfc3339(to, b);
		db_bind_str(s, 1, a);
		db_bind_str(s, 2, b);
	} else {
		db_bind_int(s, 1, from);
		db_bind_int(s, 2, to);
	}
}

static int sq_cond_section(struct store *st, struct store_tx *tx, enum cond_section which,
			int64_t from, int64_t to, int64_t limit, json_t **rows, int64_t *total,
			struct err *e)
{
	char a[RFC3339_LEN], b[RFC3339_LEN];
	int64_t n = 0;
	int rc;

	*rows = NULL;
	*total = 0;
	if ((unsigned)which >= COND__SECTIONS)
		return err_set(e, ERR_INTERNAL, NULL, "unknown section %d", (int)which);
	{
		CONN_OR_FAIL(c, st, tx, e);
		STMT_OR_FAIL(s, c, sections[which].count, e);

		bind_period(s, sections[which].text_bounds, from, to, a, b);
		if ((rc = db_one(s, &db_int64, &n, e)) && rc != ERR_NOT_FOUND)
			return rc;
	}
	{
		CONN_OR_FAIL(c, st, tx, e);
		STMT_OR_FAIL(s, c, sections[which].list, e);

		bind_period(s, sections[which].text_bounds, from, to, a, b);
		db_bind_int(s, 3, limit);
		if ((rc = db_json(s, sections[which].row, rows, e)))
			return rc;
	}
	*total = n;
	return 0;
}

const struct store_condition_ops sql_condition_ops = {
	.insert = sq_cond_insert,
	.update = sq_cond_update,
	.get = sq_cond_get,
	.list = sq_cond_list,
	.section = sq_cond_section,
};
