/*
 * sql_copy.c — a whole store copied into another, of the same or of the
 * other engine (`itsm migrate --from … --to …`).
 *
 * Every table is copied row by row, each column as the value it holds,
 * in an order where a row's references are copied before it: ids, hashes
 * and the audit chain arrive as they were, so `audit verify` passes on the
 * copy. The source is read in one read transaction (one state of it); the
 * destination is written in one transaction: a copy that fails leaves it
 * as empty as it was.
 *
 * Invariants:
 *  - the destination must be empty (no user, ticket or audit record) and
 *    the source must hold no table this list does not name: a copy never
 *    merges, and never leaves a table behind;
 *  - after each table the destination holds as many rows as the source,
 *    or the copy fails naming the table;
 *  - the search index is not a table of this list: SQLite's FTS5 table is
 *    left out of the driver's list of tables, and the destination's own
 *    triggers (SQLite) or indexes (PostgreSQL) index the records as they
 *    arrive (docs/knowledge.md).
 */
#include "store/sql.h"
#include "lib/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_COLS 32

/* Every table, referenced ones first. */
static const char *const TABLES[] = {
	"meta",		   "counters",	      "customers",   "users",	       "tokens",
	"sessions",	   "sign_in_failures", "services",    "calendars",     "slas",
	"sla_versions",	   "tickets",	      "comments",    "ticket_history", "audit_log",
	"outages",	   "ticket_sla",      "outbox",	     "staff",	       "staff_careers",
	"staff_assessments", "ci_types",      "cis",	     "ci_relationships", "ci_history",
	"ticket_cis",	   "alerts",	      "events",	     "alert_outages",  "checks",
	"metrics",	   "ticket_ratings", "procedures", "procedure_versions", "schedule_jobs",
	"runs",		   "run_steps",
	"problems",	   "problem_items",  "problem_incidents", "problem_dismissals",
	"changes",	   "change_freezes", "mail_messages", "mail_imap_uids", "condition_reports",
	"risks",	   "risk_measures",  "guidelines",  "guideline_versions",
	"guideline_acks", "guideline_runs", "articles",	   "article_versions", "article_links",
	"routing_rules",	   "ticket_ola",	   "ticket_ola_past",
	"attachment_blobs", "attachments", "ticket_links",
	"notify_templates", "notify_prefs", "notify_messages", "acceptances",
	"time_entries",
};
#define NTABLES (sizeof(TABLES) / sizeof(TABLES[0]))

/* The statements of one copy. The statement caches key SQL by address, so
 * the text lives in static storage for the life of the process. */
static char select_sql[NTABLES][64], insert_sql[NTABLES][1024], count_sql[NTABLES][64];

static int known(const char *table)
{
	for (size_t i = 0; i < NTABLES; i++)
		if (!strcmp(TABLES[i], table))
			return 1;
	return 0;
}

static int check_tables(struct db *src, struct err *e)
{
	struct db_stmt *s = db_stmt(src, src->drv->tables_sql, e);
	int rc;

	if (!s)
		return ERR_INTERNAL;
	while ((rc = db_next(s, e)) > 0) {
		const char *t = db_cstr(s, 0);

		if (t && !known(t)) {
			err_set(e, ERR_INVALID, NULL,
				"the store holds a table this itsm does not copy: '%.60s'", t);
			db_reset(s);
			return ERR_INVALID;
		}
	}
	return rc;
}

static int count(struct db *c, size_t t, int64_t *n, struct err *e)
{
	struct db_stmt *s = db_stmt(c, count_sql[t], e);

	return s ? db_one(s, &db_int64, n, e) : ERR_INTERNAL;
}

static int check_empty(struct db *dst, struct err *e)
{
	static const char *const held[] = { "users", "tickets", "audit_log", "cis", "staff" };

	for (size_t i = 0; i < sizeof(held) / sizeof(held[0]); i++) {
		int64_t n = 0;
		size_t t;
		int rc;

		for (t = 0; strcmp(TABLES[t], held[i]); t++)
			;
		if ((rc = count(dst, t, &n, e)))
			return rc;
		if (n)
			return err_set(e, ERR_CONFLICT, NULL,
				       "the destination holds records already (%lld in %s): a copy "
				       "goes into an empty store",
				       (long long)n, held[i]);
	}
	return 0;
}

/* The INSERT of table t for the columns of the row s is on. */
static int make_insert(size_t t, struct db_stmt *s, struct err *e)
{
	int n = s->c->drv->col_count(s), rc = 0, bad;
	struct buf b;

	if (n < 1 || n > MAX_COLS)
		return err_set(e, ERR_INTERNAL, NULL, "table %s has %d columns", TABLES[t], n);
	/* An append past the limit fails and leaves the buffer short of it:
	 * any failure fails the whole statement. */
	buf_init(&b, sizeof(insert_sql[t]) - 1);
	bad = buf_printf(&b, "INSERT INTO %s(", TABLES[t]);
	for (int i = 0; i < n; i++)
		bad |= buf_printf(&b, "%s%s", i ? ", " : "", s->c->drv->col_name(s, i));
	bad |= buf_puts(&b, ") VALUES(");
	for (int i = 0; i < n; i++)
		bad |= buf_printf(&b, "%s?%d", i ? ", " : "", i + 1);
	bad |= buf_puts(&b, ") ON CONFLICT DO NOTHING");
	if (bad)
		rc = err_set(e, ERR_INTERNAL, NULL, "table %s: no insert of its columns", TABLES[t]);
	else
		memcpy(insert_sql[t], b.data, b.len + 1);
	buf_release(&b);
	return rc;
}

/* The row s is on into the insert ins. Blobs are copied out first: a
 * driver may hold one column's bytes in a buffer the next overwrites. */
static int copy_row(struct db_stmt *s, struct db_stmt *ins, unsigned char blobs[][64],
		    struct err *e)
{
	int n = s->c->drv->col_count(s);

	for (int i = 0; i < n; i++) {
		if (db_is_null(s, i)) {
			db_bind_null(ins, i + 1, DB_ANY);
			continue;
		}
		switch (s->c->drv->col_type(s, i)) {
		case DB_INT:
			db_bind_int(ins, i + 1, db_int(s, i));
			break;
		case DB_DOUBLE:
			db_bind_double(ins, i + 1, db_double(s, i));
			break;
		case DB_BLOB: {
			size_t len = 0;
			const void *p = s->c->drv->col_blob(s, i, &len);

			if (len > sizeof(blobs[i]))
				return err_set(e, ERR_INTERNAL, NULL, "a blob of %zu bytes", len);
			if (len)
				memcpy(blobs[i], p, len);
			db_bind_blob(ins, i + 1, blobs[i], len);
			break;
		}
		default:
			db_bind_str(ins, i + 1, db_cstr(s, i));
		}
	}
	return db_done(ins, NULL, NULL, e);
}

static int copy_table(struct db *src, struct db *dst, size_t t, int64_t *rows, struct err *e)
{
	static unsigned char blobs[MAX_COLS][64];
	struct db_stmt *s = db_stmt(src, select_sql[t], e), *ins = NULL;
	int64_t want = 0, got = 0;
	int rc;

	if (!s)
		return ERR_INTERNAL;
	*rows = 0;
	while ((rc = db_next(s, e)) > 0) {
		if (!ins && ((rc = make_insert(t, s, e)) || !(ins = db_stmt(dst, insert_sql[t], e)))) {
			rc = rc ? rc : ERR_INTERNAL;
			break;
		}
		if ((rc = copy_row(s, ins, blobs, e)))
			break;
		(*rows)++;
	}
	if (rc) {
		db_reset(s);
		return rc;
	}
	if ((rc = dst->drv->copied(dst, TABLES[t], e)) || (rc = count(src, t, &want, e)) ||
	    (rc = count(dst, t, &got, e)))
		return rc;
	if (want != got)
		return err_set(e, ERR_INTERNAL, NULL, "table %s: %lld rows copied of %lld",
			       TABLES[t], (long long)got, (long long)want);
	return 0;
}

int sq_copy(struct store *from, struct store *to, store_copy_fn progress, void *ctx,
	    struct err *e)
{
	struct db *src = sq_conn(from, NULL), *dst = sq_main(to);
	int rc, own = 0;

	if (!src || !dst)
		return err_set(e, ERR_INTERNAL, NULL, "store connection unavailable");
	for (size_t t = 0; t < NTABLES; t++) {
		snprintf(select_sql[t], sizeof(select_sql[t]), "SELECT * FROM %s", TABLES[t]);
		snprintf(count_sql[t], sizeof(count_sql[t]), "SELECT count(*) FROM %s", TABLES[t]);
	}
	if ((rc = check_tables(src, e)) || (rc = check_empty(dst, e)) ||
	    (rc = db_read_begin(src, &own, e)))
		return rc;
	if ((rc = db_exec(dst, dst->drv->begin_write, e)))
		goto out;
	for (size_t t = 0; t < NTABLES && !rc; t++) {
		int64_t rows;

		if (!(rc = copy_table(src, dst, t, &rows, e)) && progress)
			progress(TABLES[t], rows, ctx);
	}
	if (!rc)
		rc = db_exec(dst, "COMMIT", e);
	if (rc)
		db_exec(dst, "ROLLBACK", NULL);
out:
	db_read_end(src, own);
	return rc;
}
