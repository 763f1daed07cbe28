/*
 * sql_web.c — the SQL store's web console operations (see
 * store_web.h): satisfaction ratings and the dashboard's ticket statistics.
 *
 * Statistics are aggregate queries (GROUP BY, count, avg) that read indexes,
 * never every ticket: the open cube is at most kinds × priorities × services
 * rows. Every statement is a static string so the connection's cache keys
 * it by address. The schema (migrations/006_web.sql) keeps one rating per
 * ticket and refuses to change or delete one, whatever the caller does.
 */
#include "store/sql.h"
#include "store/sql_web.h"

#include <stdlib.h>
#include <string.h>

/* ---- ratings ---- */

static const char SQL_RATING_INSERT[] =
	"INSERT INTO ticket_ratings(ticket_id, customer_id, rater_id, rater, score, comment, "
	"created_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id";
static const char SQL_RATING_GET[] =
	"SELECT id, ticket_id, COALESCE(customer_id, 0), COALESCE(rater_id, 0), rater, score, "
	"comment, created_at FROM ticket_ratings WHERE ticket_id = ?1";
static const char SQL_RATING_SCAN[] =
	"SELECT r.id, r.ticket_id, COALESCE(r.customer_id, 0), COALESCE(r.rater_id, 0), r.rater, "
	"r.score, r.comment, r.created_at, COALESCE(t.key, '') "
	"FROM ticket_ratings r LEFT JOIN tickets t ON t.id = r.ticket_id ORDER BY r.id";

static int web_rating_insert(struct store_tx *tx, struct rating *r, struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_RATING_INSERT, e);

	db_bind_int(s, 1, r->ticket_id);
	db_bind_id(s, 2, r->customer_id);
	db_bind_id(s, 3, r->rater_id);
	db_bind_str(s, 4, r->rater);
	db_bind_int(s, 5, r->score);
	db_bind_str(s, 6, r->comment ? r->comment : "");
	db_bind_int(s, 7, r->created_at);
	return db_insert(s, "ticket", "this ticket has already been rated", &r->id, e);
}

static int rating_row(struct db_stmt *s, void *item)
{
	struct rating *r = item;

	r->id = db_int(s, 0);
	r->ticket_id = db_int(s, 1);
	r->customer_id = db_int(s, 2);
	r->rater_id = db_int(s, 3);
	db_text(s, 4, r->rater, sizeof(r->rater));
	r->score = (int)db_int(s, 5);
	r->created_at = db_int(s, 7);
	if (db_dup(s, 6, &r->comment))
		return ERR_INTERNAL;
	/* never NULL once read (model/desk.h) */
	return r->comment || (r->comment = strdup("")) ? 0 : ERR_INTERNAL;
}

static void rating_drop(void *item)
{
	rating_release(item);
}

static const struct db_kind rating_kind = { sizeof(struct rating), rating_row, rating_drop };

static int web_rating_get(struct store *st, struct store_tx *tx, int64_t ticket_id,
			  struct rating *r, struct err *e)
{
	CONN_OR_FAIL(c, st, tx, e);
	STMT_OR_FAIL(s, c, SQL_RATING_GET, e);
	int rc;

	memset(r, 0, sizeof(*r));
	db_bind_int(s, 1, ticket_id);
	rc = db_one(s, &rating_kind, r, e);
	return err_absent(e, rc, ERR_NOT_FOUND, NULL, "no rating");
}

struct rating_scan {
	store_rating_fn fn;
	void *ctx;
};

static int rating_scan_row(struct db_stmt *s, void *arg)
{
	struct rating_scan *rs = arg;
	struct rating r;
	char ticket[64];

	memset(&r, 0, sizeof(r));
	r.id = db_int(s, 0);
	r.ticket_id = db_int(s, 1);
	r.customer_id = db_int(s, 2);
	r.rater_id = db_int(s, 3);
	db_text(s, 4, r.rater, sizeof(r.rater));
	r.score = (int)db_int(s, 5);
	r.comment = (char *)db_cstr(s, 6); /* borrowed for the call */
	r.created_at = db_int(s, 7);
	db_text(s, 8, ticket, sizeof(ticket));
	return rs->fn(&r, ticket, rs->ctx);
}

static int web_rating_scan(struct store *st, store_rating_fn fn, void *ctx, struct err *e)
{
	CONN_OR_FAIL(c, st, NULL, e);
	STMT_OR_FAIL(s, c, SQL_RATING_SCAN, e);
	struct rating_scan rs = { fn, ctx };

	return db_each(s, rating_scan_row, &rs, e);
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

static void bind_query(struct db_stmt *s, const struct stats_query *q)
{
	db_bind_id(s, 1, q->customer_id);
	/* A statement without ?2 and ?3 leaves them unused. */
	db_bind_int(s, 2, q->from);
	db_bind_int(s, 3, q->to);
}

/* (status, count) rows, added up by status; unknown names passed over. */
static int by_status_row(struct db_stmt *s, void *ctx)
{
	struct ticket_stats *out = ctx;
	enum ticket_status st;
	const char *name = db_cstr(s, 0);

	if (name && !ticket_status_parse(name, &st))
		out->by_status[st] += db_int(s, 1);
	return 0;
}

/* (kind, priority, service, count): a cell of the open cube; a kind the
 * model does not know is passed over. */
static int cell_row(struct db_stmt *s, void *item)
{
	struct stats_cell *cell = item;
	const char *kind = db_cstr(s, 0);

	if (!kind || ticket_kind_parse(kind, &cell->kind))
		return 1;
	cell->priority = (int)db_int(s, 1);
	db_text(s, 2, cell->service, sizeof(cell->service));
	cell->count = db_int(s, 3);
	return 0;
}

static const struct db_kind cell_kind = { sizeof(struct stats_cell), cell_row, NULL };

static int resolved_row(struct db_stmt *s, void *item)
{
	struct ticket_stats *out = item;

	out->resolved = db_int(s, 0);
	return 0;
}

static int ratings_row(struct db_stmt *s, void *item)
{
	struct ticket_stats *out = item;

	out->rated = db_int(s, 0);
	out->mean = db_double(s, 1);
	out->rated_month = db_int(s, 2);
	out->mean_month = db_double(s, 3);
	return 0;
}

static const struct db_kind resolved_kind = { sizeof(struct ticket_stats), resolved_row, NULL };
static const struct db_kind ratings_kind = { sizeof(struct ticket_stats), ratings_row, NULL };

/* An aggregate without GROUP BY returns one row, always. */
static int aggregate(struct db *c, const char *sql, const struct stats_query *q,
		     const struct db_kind *k, struct ticket_stats *out, struct err *e)
{
	STMT_OR_FAIL(s, c, sql, e);
	int rc;

	bind_query(s, q);
	rc = db_one(s, k, out, e);
	return err_absent(e, rc, ERR_INTERNAL, NULL, "store: no aggregate row");
}

static int stats_read(struct db *c, const struct stats_query *q, struct ticket_stats *out,
		      struct err *e)
{
	struct db_stmt *s;
	int rc;

	if (!(s = db_stmt(c, SQL_BY_STATUS, e)))
		return ERR_INTERNAL;
	bind_query(s, q);
	if ((rc = db_each(s, by_status_row, out, e)))
		return rc;
	if (!(s = db_stmt(c, SQL_OPEN_CUBE, e)))
		return ERR_INTERNAL;
	bind_query(s, q);
	if ((rc = db_all(s, &cell_kind, 0, (void **)&out->open, &out->n_open, NULL, e)))
		return rc;
	if ((rc = aggregate(c, SQL_RESOLVED, q, &resolved_kind, out, e)))
		return rc;
	return aggregate(c, SQL_RATINGS, q, &ratings_kind, out, e);
}

/* The four aggregates read one snapshot: they run in one read transaction. */
static int web_ticket_stats(struct store *st, const struct stats_query *q,
			    struct ticket_stats *out, struct err *e)
{
	CONN_OR_FAIL(c, st, NULL, e);
	int rc, own;

	memset(out, 0, sizeof(*out));
	if ((rc = db_read_begin(c, &own, e)))
		return rc;
	if ((rc = stats_read(c, q, out, e))) {
		free(out->open);
		out->open = NULL;
		out->n_open = 0;
	}
	db_read_end(c, own);
	return rc;
}

const struct store_web_ops sql_web_ops = {
	.rating_insert = web_rating_insert,
	.rating_get = web_rating_get,
	.rating_scan = web_rating_scan,
	.ticket_stats = web_ticket_stats,
};
