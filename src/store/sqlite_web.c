/*
 * sqlite_web.c — the SQLite backend's web console operations (see
 * store_web.h): satisfaction ratings and the dashboard's ticket statistics.
 *
 * Statistics are aggregate queries (GROUP BY, count, avg) that read indexes,
 * never every ticket: the open cube is at most kinds × priorities × services
 * rows. Every statement is a static string so the connection's cache keys
 * it by address. The schema (migrations/006_web.sql) keeps one rating per
 * ticket and refuses to change or delete one, whatever the caller does.
 */
#include "store/sqlite_int.h"
#include "store/sqlite_web.h"

#include <stdlib.h>
#include <string.h>

/* ---- ratings ---- */

static const char SQL_RATING_INSERT[] =
	"INSERT INTO ticket_ratings(ticket_id, customer_id, rater_id, rater, score, comment, "
	"created_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)";
static const char SQL_RATING_GET[] =
	"SELECT id, ticket_id, COALESCE(customer_id, 0), COALESCE(rater_id, 0), rater, score, "
	"comment, created_at FROM ticket_ratings WHERE ticket_id = ?1";
static const char SQL_RATING_SCAN[] =
	"SELECT r.id, r.ticket_id, COALESCE(r.customer_id, 0), COALESCE(r.rater_id, 0), r.rater, "
	"r.score, r.comment, r.created_at, COALESCE(t.key, '') "
	"FROM ticket_ratings r LEFT JOIN tickets t ON t.id = r.ticket_id ORDER BY r.id";

static int web_rating_insert(struct store_tx *tx, struct rating *r, struct err *e)
{
	struct conn *c = ((struct sq_tx *)tx)->c;
	STMT_OR_FAIL(s, c, SQL_RATING_INSERT, e);
	int rc;

	sqlite3_bind_int64(s, 1, r->ticket_id);
	sq_bind_id(s, 2, r->customer_id);
	sq_bind_id(s, 3, r->rater_id);
	sq_bind_str(s, 4, r->rater);
	sqlite3_bind_int(s, 5, r->score);
	sq_bind_str(s, 6, r->comment ? r->comment : "");
	sqlite3_bind_int64(s, 7, r->created_at);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if ((rc & 0xff) == SQLITE_CONSTRAINT)
		return err_set(e, ERR_CONFLICT, "ticket", "this ticket has already been rated");
	if (rc != SQLITE_DONE)
		return sq_fail(c, rc, e);
	r->id = sqlite3_last_insert_rowid(c->db);
	return 0;
}

static int web_rating_get(struct store *st, struct store_tx *tx, int64_t ticket_id,
			  struct rating *r, struct err *e)
{
	CONN_OR_FAIL(c, st, tx, e);
	STMT_OR_FAIL(s, c, SQL_RATING_GET, e);
	int rc;

	memset(r, 0, sizeof(*r));
	sqlite3_bind_int64(s, 1, ticket_id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		r->id = sq_int(s, 0);
		r->ticket_id = sq_int(s, 1);
		r->customer_id = sq_int(s, 2);
		r->rater_id = sq_int(s, 3);
		sq_text(s, 4, r->rater, sizeof(r->rater));
		r->score = (int)sq_int(s, 5);
		r->comment = sq_strdup(s, 6);
		r->created_at = sq_int(s, 7);
		sqlite3_reset(s);
		if (!r->comment)
			return err_set(e, ERR_INTERNAL, NULL, "out of memory");
		return 0;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return sq_fail(c, rc, e);
	return err_set(e, ERR_NOT_FOUND, NULL, "no rating");
}

static int web_rating_scan(struct store *st, store_rating_fn fn, void *ctx, struct err *e)
{
	CONN_OR_FAIL(c, st, NULL, e);
	STMT_OR_FAIL(s, c, SQL_RATING_SCAN, e);
	char ticket[64];
	int rc = 0, step;

	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		struct rating r;

		memset(&r, 0, sizeof(r));
		r.id = sq_int(s, 0);
		r.ticket_id = sq_int(s, 1);
		r.customer_id = sq_int(s, 2);
		r.rater_id = sq_int(s, 3);
		sq_text(s, 4, r.rater, sizeof(r.rater));
		r.score = (int)sq_int(s, 5);
		r.comment = (char *)sqlite3_column_text(s, 6); /* borrowed for the call */
		r.created_at = sq_int(s, 7);
		sq_text(s, 8, ticket, sizeof(ticket));
		if ((rc = fn(&r, ticket, ctx)))
			break;
	}
	if (!rc && step != SQLITE_DONE)
		rc = sq_fail(c, step, e);
	sqlite3_reset(s);
	return rc > 0 ? 0 : rc;
}

/* ---- statistics ---- */

/* ?1 is the customer id or NULL for all. */
static const char SQL_BY_STATUS[] =
	"SELECT status, count(*) FROM tickets WHERE (?1 IS NULL OR customer_id = ?1) "
	"GROUP BY status";
static const char SQL_OPEN_CUBE[] =
	"SELECT kind, priority, service, count(*) FROM tickets "
	"WHERE status IN ('new', 'assigned', 'in_progress', 'pending') "
	"AND (?1 IS NULL OR customer_id = ?1) GROUP BY kind, priority, service "
	"ORDER BY kind, priority, service";
static const char SQL_RESOLVED[] =
	"SELECT count(*) FROM tickets WHERE resolved_at >= ?2 AND resolved_at < ?3 "
	"AND (?1 IS NULL OR customer_id = ?1)";
static const char SQL_RATINGS[] =
	"SELECT count(*), COALESCE(avg(score), 0), "
	"count(CASE WHEN created_at >= ?2 AND created_at < ?3 THEN 1 END), "
	"COALESCE(avg(CASE WHEN created_at >= ?2 AND created_at < ?3 THEN score END), 0) "
	"FROM ticket_ratings WHERE (?1 IS NULL OR customer_id = ?1)";

static void bind_query(sqlite3_stmt *s, const struct stats_query *q)
{
	sq_bind_id(s, 1, q->customer_id);
	if (sqlite3_bind_parameter_count(s) >= 3) {
		sqlite3_bind_int64(s, 2, q->from);
		sqlite3_bind_int64(s, 3, q->to);
	}
}

static int stats_by_status(struct conn *c, const struct stats_query *q, struct ticket_stats *out,
			   struct err *e)
{
	STMT_OR_FAIL(s, c, SQL_BY_STATUS, e);
	int rc;

	bind_query(s, q);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		enum ticket_status st;
		const char *name = (const char *)sqlite3_column_text(s, 0);

		if (name && !ticket_status_parse(name, &st))
			out->by_status[st] += sq_int(s, 1);
	}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? 0 : sq_fail(c, rc, e);
}

static int stats_open_cube(struct conn *c, const struct stats_query *q, struct ticket_stats *out,
			   struct err *e)
{
	STMT_OR_FAIL(s, c, SQL_OPEN_CUBE, e);
	size_t cap = 0;
	int rc;

	bind_query(s, q);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct stats_cell *cell;
		enum ticket_kind k;
		const char *kind = (const char *)sqlite3_column_text(s, 0);

		if (!kind || ticket_kind_parse(kind, &k))
			continue;
		if (out->n_open == cap) {
			size_t nc = cap ? cap * 2 : 32;
			void *p = realloc(out->open, nc * sizeof(*out->open));

			if (!p) {
				sqlite3_reset(s);
				return err_set(e, ERR_INTERNAL, NULL, "out of memory");
			}
			out->open = p;
			cap = nc;
		}
		cell = &out->open[out->n_open++];
		memset(cell, 0, sizeof(*cell));
		cell->kind = k;
		cell->priority = (int)sq_int(s, 1);
		sq_text(s, 2, cell->service, sizeof(cell->service));
		cell->count = sq_int(s, 3);
	}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? 0 : sq_fail(c, rc, e);
}

static int stats_resolved(struct conn *c, const struct stats_query *q, struct ticket_stats *out,
			  struct err *e)
{
	STMT_OR_FAIL(s, c, SQL_RESOLVED, e);
	int rc;

	bind_query(s, q);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		out->resolved = sq_int(s, 0);
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? 0 : sq_fail(c, rc, e);
}

static int stats_ratings(struct conn *c, const struct stats_query *q, struct ticket_stats *out,
			 struct err *e)
{
	STMT_OR_FAIL(s, c, SQL_RATINGS, e);
	int rc;

	bind_query(s, q);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		out->rated = sq_int(s, 0);
		out->mean = sqlite3_column_double(s, 1);
		out->rated_month = sq_int(s, 2);
		out->mean_month = sqlite3_column_double(s, 3);
	}
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? 0 : sq_fail(c, rc, e);
}

/* The four aggregates read one snapshot: they run in one read transaction. */
static int web_ticket_stats(struct store *st, const struct stats_query *q,
			    struct ticket_stats *out, struct err *e)
{
	CONN_OR_FAIL(c, st, NULL, e);
	int rc;

	memset(out, 0, sizeof(*out));
	sqlite3_exec(c->db, "BEGIN", NULL, NULL, NULL);
	if ((rc = stats_by_status(c, q, out, e)) || (rc = stats_open_cube(c, q, out, e)) ||
	    (rc = stats_resolved(c, q, out, e)) || (rc = stats_ratings(c, q, out, e))) {
		free(out->open);
		out->open = NULL;
		out->n_open = 0;
	}
	sqlite3_exec(c->db, "COMMIT", NULL, NULL, NULL);
	return rc;
}

const struct store_web_ops sqlite_web_ops = {
	.rating_insert = web_rating_insert,
	.rating_get = web_rating_get,
	.rating_scan = web_rating_scan,
	.ticket_stats = web_ticket_stats,
};
