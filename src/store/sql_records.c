/*
 * sql_records.c — the SQL store's service desk records (tickets,
 * comments, history), the audit log, counters and meta, and its table of
 * store operations. Customers, users and tokens are in sql_users.c.
 * SQL lives in src/store/ and in migrations/, nowhere else.
 *
 * Every statement is a static string so the connection's cache can key it by
 * address. Reads inside a write pass the tx and see its changes.
 */
#include "store/sql.h"
#include "store/sql_web.h"
#include "lib/terms.h"

#include <stdlib.h>
#include <string.h>

/* ---- counters and meta ---- */

/* Both are written once per batch, just before its COMMIT (sq_rows_flush):
 * a write sets them in its transaction's rows (sql.h) and reads them back
 * from there. Every batch holds the writer's lock (one writer thread; on
 * PostgreSQL the "writes" advisory lock across servers), so a value read
 * once in a batch stays the stored one until the batch writes it. */

static const char SQL_COUNTER_GET[] = "SELECT value FROM counters WHERE name = ?1";
static const char SQL_COUNTER_SET[] =
	"INSERT INTO counters(name, value) VALUES(?1, ?2) "
	"ON CONFLICT(name) DO UPDATE SET value = ?2";
static const char SQL_META_GET[] = "SELECT value FROM meta WHERE key = ?1";
static const char SQL_META_SET[] =
	"INSERT INTO meta(key, value) VALUES(?1, ?2) ON CONFLICT(key) DO UPDATE SET value = ?2";

/* The value a write set last for key in table ("meta", "counters"): the
 * running job's, else the batch's committed jobs'; NULL when none. */
static const json_t *row_get(const struct sq_tx *t, const char *table, const char *key)
{
	const json_t *v = json_object_get(json_object_get(t->job_rows, table), key);

	return v ? v : json_object_get(json_object_get(t->rows, table), key);
}

/* Set key in table to value (a new reference, taken even on failure) for
 * the running job. */
static int row_set(struct sq_tx *t, const char *table, const char *key, json_t *value,
		   struct err *e)
{
	json_t *rows = json_object_get(t->job_rows, table);

	if (!rows && json_object_set_new(t->job_rows, table, rows = json_object()))
		rows = NULL;
	if (!rows) {
		json_decref(value);
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	}
	/* json_object_set_new takes value even when it fails */
	if (!value || json_object_set_new(rows, key, value))
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	return 0;
}

int sq_counter_get(struct store_tx *tx, const char *name, int64_t *value, struct err *e)
{
	const json_t *set = row_get((const struct sq_tx *)tx, "counters", name);
	int rc;

	*value = 0;
	if (set) {
		*value = json_integer_value(set);
		return 0;
	}
	STMT_OR_FAIL(s, sq_txc(tx), SQL_COUNTER_GET, e);
	db_bind_str(s, 1, name);
	rc = db_one(s, &db_int64, value, e);
	return rc == ERR_NOT_FOUND ? 0 : rc; /* a counter never counted is at 0 */
}

int sq_counter_set(struct store_tx *tx, const char *name, int64_t value, struct err *e)
{
	return row_set((struct sq_tx *)tx, "counters", name, json_integer(value), e);
}

static int rec_counter_next(struct store_tx *tx, const char *name, int64_t *out, struct err *e)
{
	int rc = sq_counter_get(tx, name, out, e);

	return rc ? rc : sq_counter_set(tx, name, ++*out, e);
}

/* A value of meta into a buffer of the caller's. */
struct meta_value {
	char *out;
	size_t n;
};

static int meta_row(struct db_stmt *s, void *item)
{
	struct meta_value *v = item;

	db_text(s, 0, v->out, v->n);
	return 0;
}

static const struct db_kind meta_kind = { sizeof(struct meta_value), meta_row, NULL };

/* Inside a write, the value the write set last if it set one. */
static int rec_meta_get(struct store *st, struct store_tx *tx, const char *key, char *out, size_t n,
			struct err *e)
{
	const json_t *set = tx ? row_get((const struct sq_tx *)tx, "meta", key) : NULL;

	if (set) {
		snprintf(out, n, "%s", json_string_value(set));
		return 0;
	}
	CONN_OR_FAIL(c, st, tx, e);
	STMT_OR_FAIL(s, c, SQL_META_GET, e);
	struct meta_value v = { out, n };

	db_bind_str(s, 1, key);
	return db_one(s, &meta_kind, &v, e);
}

/* Kept for the end of the batch: every job writes "audit_head", which the
 * batch then writes once. */
static int rec_meta_set(struct store_tx *tx, const char *key, const char *value, struct err *e)
{
	return row_set((struct sq_tx *)tx, "meta", key, json_string(value), e);
}

/* One row of table set to its deferred value. */
static int row_put(struct db *c, const char *sql, const char *key, const json_t *value,
		   struct err *e)
{
	STMT_OR_FAIL(s, c, sql, e);

	db_bind_str(s, 1, key);
	if (json_is_integer(value))
		db_bind_int(s, 2, json_integer_value(value));
	else
		db_bind_str(s, 2, json_string_value(value));
	return db_done_later(s, e); /* sent with COMMIT */
}

int sq_rows_flush(struct sq_tx *tx, struct err *e)
{
	static const struct {
		const char *table, *sql;
	} tables[] = { { "meta", SQL_META_SET }, { "counters", SQL_COUNTER_SET } };
	const char *key;
	json_t *value;
	int rc;

	for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++)
		json_object_foreach(json_object_get(tx->rows, tables[i].table), key, value)
		{
			if ((rc = row_put(tx->c, tables[i].sql, key, value, e)))
				return rc;
		}
	return 0;
}

/* ---- tickets ---- */

#define TICKET_COLS                                                                                \
	"t.id, t.key, t.kind, t.title, t.description, t.impact, t.urgency, t.priority, "          \
	"t.status, t.requester_id, t.assignee_id, t.customer_id, COALESCE(r.username, ''), "     \
	"COALESCE(a.username, ''), COALESCE(c.key, ''), t.service, t.channel, t.created_at, "    \
	"t.updated_at, COALESCE(t.resolved_at, 0), COALESCE(t.closed_at, 0), t.version, "        \
	"t.group_name "
#define TICKET_FROM                                                                                \
	"FROM tickets t LEFT JOIN users r ON r.id = t.requester_id "                              \
	"LEFT JOIN users a ON a.id = t.assignee_id LEFT JOIN customers c ON c.id = t.customer_id "

static const char SQL_TICKET_INSERT[] =
	"INSERT INTO tickets(key, kind, title, description, impact, urgency, priority, status, "
	"requester_id, assignee_id, customer_id, service, channel, created_at, updated_at, "
	"resolved_at, closed_at, version, group_name) "
	"VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, 1, ?18) "
	"RETURNING id";
static const char SQL_TICKET_UPDATE[] =
	"UPDATE tickets SET title = ?2, description = ?3, impact = ?4, urgency = ?5, "
	"priority = ?6, status = ?7, assignee_id = ?8, customer_id = ?9, service = ?10, "
	"updated_at = ?11, resolved_at = ?12, closed_at = ?13, version = ?14, group_name = ?16 "
	"WHERE id = ?1 AND version = ?15";
static const char SQL_TICKET_BY_ID[] = "SELECT " TICKET_COLS TICKET_FROM "WHERE t.id = ?1";
static const char SQL_TICKET_BY_KEY[] = "SELECT " TICKET_COLS TICKET_FROM "WHERE t.key = ?1";
/* The ticket list; its text filter is the search index's (sql_search.c):
 * ?7 the engine's match of the words (NULL: none), ?10 the words instr()
 * checks (NULL: none). */
#define TICKET_LIST_HEAD                                                                           \
	"SELECT " TICKET_COLS TICKET_FROM                                                          \
	"WHERE (?1 IS NULL OR t.status IN (SELECT value FROM json_each(?1))) "                    \
	"AND (?2 IS NULL OR t.kind = ?2) "                                                        \
	"AND (?3 IS NULL OR t.priority = ?3) "                                                    \
	"AND (?4 IS NULL OR (?4 = -1 AND t.assignee_id IS NULL) OR t.assignee_id = ?4) "          \
	"AND (?5 IS NULL OR t.customer_id = ?5) "                                                  \
	"AND (?6 IS NULL OR (?6 = -1 AND t.requester_id IS NULL) OR t.requester_id = ?6) "        \
	"AND (?11 IS NULL OR t.group_name IN (SELECT value FROM json_each(?11))) "
#define TICKET_LIST_TAIL                                                                           \
	"AND NOT EXISTS (SELECT 1 FROM json_each(?10) j "                                          \
	"WHERE instr(lower(t.title || ' ' || t.description), lower(j.value)) = 0) "               \
	"AND (?8 IS NULL OR t.id < ?8) "                                                          \
	"ORDER BY t.id DESC LIMIT ?9"
static const char SQL_TICKET_LIST_SQLITE[] =
	TICKET_LIST_HEAD "AND (?7 IS NULL OR t.id IN (SELECT rowid / 4 FROM search_fts "
			 "WHERE search_fts MATCH ?7 AND rowid % 4 = 0)) " TICKET_LIST_TAIL;
static const char SQL_TICKET_LIST_PG[] =
	TICKET_LIST_HEAD "AND (?7 IS NULL OR (t.title || ' ' || t.description) ILIKE ?7 "
			 "ESCAPE '\\') " TICKET_LIST_TAIL;
static const char SQL_TICKET_BY_STATUS[] = "SELECT status, count(*) FROM tickets GROUP BY status";

static int ticket_row(struct db_stmt *s, void *item)
{
	struct ticket *t = item;
	char buf[32];

	t->title = t->description = NULL;

	t->id = db_int(s, 0);
	db_text(s, 1, t->key, sizeof(t->key));
	db_text(s, 2, buf, sizeof(buf));
	if (ticket_kind_parse(buf, &t->kind))
		t->kind = KIND_INCIDENT;
	if (db_dup(s, 3, &t->title) || db_dup(s, 4, &t->description))
		return ERR_INTERNAL;
	t->impact = (int)db_int(s, 5);
	t->urgency = (int)db_int(s, 6);
	t->priority = (int)db_int(s, 7);
	db_text(s, 8, buf, sizeof(buf));
	if (ticket_status_parse(buf, &t->status))
		t->status = ST_NEW;
	t->requester_id = db_int(s, 9);
	t->assignee_id = db_int(s, 10);
	t->customer_id = db_int(s, 11);
	db_text(s, 12, t->requester, sizeof(t->requester));
	db_text(s, 13, t->assignee, sizeof(t->assignee));
	db_text(s, 14, t->customer, sizeof(t->customer));
	db_text(s, 15, t->service, sizeof(t->service));
	db_text(s, 16, t->channel, sizeof(t->channel));
	t->created_at = db_int(s, 17);
	t->updated_at = db_int(s, 18);
	t->resolved_at = db_int(s, 19);
	t->closed_at = db_int(s, 20);
	t->version = db_int(s, 21);
	db_text(s, 22, t->group, sizeof(t->group));
	return 0;
}

static void ticket_drop(void *item)
{
	ticket_release(item);
}

static const struct db_kind ticket_kind = { sizeof(struct ticket), ticket_row, ticket_drop };

static int rec_ticket_insert(struct store_tx *tx, struct ticket *t, struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_TICKET_INSERT, e);
	int rc;

	db_bind_str(s, 1, t->key);
	db_bind_str(s, 2, ticket_kind_name(t->kind));
	db_bind_str(s, 3, t->title);
	db_bind_str(s, 4, t->description);
	db_bind_int(s, 5, t->impact);
	db_bind_int(s, 6, t->urgency);
	db_bind_int(s, 7, t->priority);
	db_bind_str(s, 8, ticket_status_name(t->status));
	db_bind_id(s, 9, t->requester_id);
	db_bind_id(s, 10, t->assignee_id);
	db_bind_id(s, 11, t->customer_id);
	db_bind_str(s, 12, t->service);
	db_bind_str(s, 13, t->channel[0] ? t->channel : "api");
	db_bind_int(s, 14, t->created_at);
	db_bind_int(s, 15, t->updated_at);
	db_bind_id(s, 16, t->resolved_at);
	db_bind_id(s, 17, t->closed_at);
	db_bind_str(s, 18, t->group);
	if ((rc = db_insert(s, NULL, NULL, &t->id, e)))
		return rc;
	t->version = 1;
	return 0;
}

static int rec_ticket_update(struct store_tx *tx, const struct ticket *t, struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_TICKET_UPDATE, e);

	db_bind_int(s, 1, t->id);
	db_bind_str(s, 2, t->title);
	db_bind_str(s, 3, t->description);
	db_bind_int(s, 4, t->impact);
	db_bind_int(s, 5, t->urgency);
	db_bind_int(s, 6, t->priority);
	db_bind_str(s, 7, ticket_status_name(t->status));
	db_bind_id(s, 8, t->assignee_id);
	db_bind_id(s, 9, t->customer_id);
	db_bind_str(s, 10, t->service);
	db_bind_int(s, 11, t->updated_at);
	db_bind_id(s, 12, t->resolved_at);
	db_bind_id(s, 13, t->closed_at);
	db_bind_int(s, 14, t->version);
	db_bind_int(s, 15, t->version - 1);
	db_bind_str(s, 16, t->group);
	return db_done_versioned(s, e, "ticket '%s'", t->key);
}

static int rec_ticket_get(struct store *st, struct store_tx *tx, const char *ref, struct ticket *t,
		      struct err *e)
{
	CONN_OR_FAIL(c, st, tx, e);
	int by_id = ref[0] && strspn(ref, "0123456789") == strlen(ref);
	STMT_OR_FAIL(s, c, by_id ? SQL_TICKET_BY_ID : SQL_TICKET_BY_KEY, e);
	char key[32];

	if (by_id) {
		db_bind_int(s, 1, strtoll(ref, NULL, 10));
	} else {
		size_t i;

		for (i = 0; ref[i] && i < sizeof(key) - 1; i++)
			key[i] = (char)(ref[i] >= 'a' && ref[i] <= 'z' ? ref[i] - 32 : ref[i]);
		key[i] = '\0';
		db_bind_str(s, 1, key);
	}
	return err_absent(e, db_one(s, &ticket_kind, t, e), ERR_NOT_FOUND, NULL,
			  "ticket '%s' not found", ref);
}

static int rec_ticket_list(struct store *st, const struct ticket_filter *f, struct ticket_page *p,
		       struct err *e)
{
	CONN_OR_FAIL(c, st, NULL, e);
	STMT_OR_FAIL(s, c, sq_is_sqlite(c) ? SQL_TICKET_LIST_SQLITE : SQL_TICKET_LIST_PG, e);
	struct sq_text text = { 0 };
	struct terms words;
	char statuses[160];
	size_t used = 0;
	int rc;

	/* The words the domain checked (terms.h): none is no filter. */
	if (f->q && !terms_split(f->q, &words) &&
	    sq_text_args(sq_is_sqlite(c), words.v, words.chars, words.n, 0, &text))
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	/* The set as a JSON array of names, for json_each. */
	for (int i = 0; f->statuses && i < ST__COUNT; i++)
		if (f->statuses & 1u << i)
			used += (size_t)snprintf(statuses + used, sizeof(statuses) - used, "%s\"%s\"",
						 used ? "," : "[", ticket_status_name(i));
	if (used)
		snprintf(statuses + used, sizeof(statuses) - used, "]");
	db_bind_text(s, 1, used ? statuses : NULL);
	db_bind_text(s, 2, f->kind >= 0 ? ticket_kind_name(f->kind) : NULL);
	db_bind_id(s, 3, f->priority > 0 ? f->priority : 0);
	db_bind_id(s, 4, f->assignee_id);
	db_bind_id(s, 5, f->customer_id);
	db_bind_id(s, 6, f->requester_id);
	db_bind_text(s, 7, text.match);
	db_bind_id(s, 8, f->after_id);
	db_bind_int(s, 9, f->limit + 1);
	db_bind_text(s, 10, text.check);
	db_bind_text(s, 11, f->groups);
	rc = db_all(s, &ticket_kind, (size_t)f->limit, (void **)&p->items, &p->n, &p->more, e);
	sq_text_release(&text);
	return rc;
}

static const char SQL_TICKET_SCAN[] = "SELECT " TICKET_COLS TICKET_FROM "ORDER BY t.id";
static const char SQL_COMMENT_SCAN[] =
	"SELECT c.id, c.ticket_id, COALESCE(c.author_id, 0), c.author, c.body, c.public, "
	"c.created_at, t.key FROM comments c JOIN tickets t ON t.id = c.ticket_id ORDER BY c.id";

/* A scan's callback and its argument, for sq_scan. */
struct scan_to {
	union {
		store_ticket_fn ticket;
		store_comment_fn comment;
		store_audit_fn audit;
	} fn;
	void *ctx;
};

static int use_ticket(void *item, void *arg)
{
	struct scan_to *to = arg;

	return to->fn.ticket(item, to->ctx);
}

static int rec_ticket_scan(struct store *st, store_ticket_fn fn, void *ctx, struct err *e)
{
	CONN_OR_FAIL(c, st, NULL, e);
	STMT_OR_FAIL(s, c, SQL_TICKET_SCAN, e);
	struct scan_to to = { .fn.ticket = fn, .ctx = ctx };

	return db_scan_whole(s, &ticket_kind, use_ticket, &to, e);
}

static int comment_row(struct db_stmt *s, void *item)
{
	struct comment *cm = item;

	cm->id = db_int(s, 0);
	cm->ticket_id = db_int(s, 1);
	cm->author_id = db_int(s, 2);
	db_text(s, 3, cm->author, sizeof(cm->author));
	cm->public = (int)db_int(s, 5);
	cm->created_at = db_int(s, 6);
	return db_dup(s, 4, &cm->body);
}

static void comment_drop(void *item)
{
	comment_release(item);
}

static const struct db_kind comment_kind = { sizeof(struct comment), comment_row, comment_drop };

/* A comment and the key of its ticket, as the comment scan reads them. */
struct keyed_comment {
	struct comment c;
	char key[32];
};

static int keyed_comment_row(struct db_stmt *s, void *item)
{
	struct keyed_comment *kc = item;

	db_text(s, 7, kc->key, sizeof(kc->key));
	return comment_row(s, &kc->c);
}

static const struct db_kind keyed_comment_kind = { sizeof(struct keyed_comment),
						   keyed_comment_row, comment_drop };

static int use_comment(void *item, void *arg)
{
	struct keyed_comment *kc = item;
	struct scan_to *to = arg;

	return to->fn.comment(&kc->c, kc->key, to->ctx);
}

static int rec_comment_scan(struct store *st, store_comment_fn fn, void *ctx, struct err *e)
{
	CONN_OR_FAIL(c, st, NULL, e);
	STMT_OR_FAIL(s, c, SQL_COMMENT_SCAN, e);
	struct scan_to to = { .fn.comment = fn, .ctx = ctx };

	return db_scan_whole(s, &keyed_comment_kind, use_comment, &to, e);
}

/* A count by a name column: (name, count) rows into counts[the index parse
 * gives the name]; names parse does not know are passed over. */
struct count_by {
	int (*parse)(const char *name, int *index);
	int64_t *counts;
};

static int count_row(struct db_stmt *s, void *item)
{
	struct count_by *cb = item;
	const char *name = db_cstr(s, 0);
	int i;

	if (name && !cb->parse(name, &i))
		cb->counts[i] = db_int(s, 1);
	return 0;
}

static int status_index(const char *name, int *i)
{
	enum ticket_status st;

	if (ticket_status_parse(name, &st))
		return -1;
	*i = (int)st;
	return 0;
}

static int rec_ticket_count_by_status(struct store *st, int64_t counts[ST__COUNT], struct err *e)
{
	CONN_OR_FAIL(c, st, NULL, e);
	STMT_OR_FAIL(s, c, SQL_TICKET_BY_STATUS, e);
	struct count_by cb = { status_index, counts };

	memset(counts, 0, sizeof(int64_t) * ST__COUNT);
	return db_each(s, count_row, &cb, e);
}

/* ---- comments and history ---- */

static const char SQL_COMMENT_INSERT[] =
	"INSERT INTO comments(ticket_id, author_id, author, body, public, created_at) "
	"VALUES(?1, ?2, ?3, ?4, ?5, ?6) RETURNING id";
static const char SQL_COMMENT_LIST[] =
	"SELECT id, ticket_id, COALESCE(author_id, 0), author, body, public, created_at "
	"FROM comments WHERE ticket_id = ?1 AND (?2 <> 0 OR public = 1) ORDER BY id";
static const char SQL_HISTORY_INSERT[] =
	"INSERT INTO ticket_history(ticket_id, at, actor_id, actor, field, old_value, new_value) "
	"VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id";
static const char SQL_HISTORY_LIST[] =
	"SELECT id, ticket_id, at, COALESCE(actor_id, 0), actor, field, old_value, new_value "
	"FROM ticket_history WHERE ticket_id = ?1 ORDER BY id";

static int rec_comment_insert(struct store_tx *tx, struct comment *cm, struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_COMMENT_INSERT, e);

	db_bind_int(s, 1, cm->ticket_id);
	db_bind_id(s, 2, cm->author_id);
	db_bind_str(s, 3, cm->author);
	db_bind_str(s, 4, cm->body);
	db_bind_int(s, 5, cm->public);
	db_bind_int(s, 6, cm->created_at);
	return db_insert(s, NULL, NULL, &cm->id, e);
}

static int rec_comment_list(struct store *st, int64_t ticket_id, int include_internal,
			struct comment **out, size_t *n, struct err *e)
{
	CONN_OR_FAIL(c, st, NULL, e);
	STMT_OR_FAIL(s, c, SQL_COMMENT_LIST, e);

	db_bind_int(s, 1, ticket_id);
	db_bind_int(s, 2, include_internal);
	return db_all(s, &comment_kind, 0, (void **)out, n, NULL, e);
}

static int rec_history_insert(struct store_tx *tx, struct history_entry *h, struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_HISTORY_INSERT, e);

	db_bind_int(s, 1, h->ticket_id);
	db_bind_int(s, 2, h->at);
	db_bind_id(s, 3, h->actor_id);
	db_bind_str(s, 4, h->actor);
	db_bind_str(s, 5, h->field);
	/* NULL and "" differ here: no value, or an empty one. */
	if (h->old_value)
		db_bind_str(s, 6, h->old_value);
	else
		db_bind_null(s, 6, DB_TEXT);
	if (h->new_value)
		db_bind_str(s, 7, h->new_value);
	else
		db_bind_null(s, 7, DB_TEXT);
	return db_insert(s, NULL, NULL, &h->id, e);
}

static int history_row(struct db_stmt *s, void *item)
{
	struct history_entry *h = item;

	h->old_value = h->new_value = NULL;

	h->id = db_int(s, 0);
	h->ticket_id = db_int(s, 1);
	h->at = db_int(s, 2);
	h->actor_id = db_int(s, 3);
	db_text(s, 4, h->actor, sizeof(h->actor));
	db_text(s, 5, h->field, sizeof(h->field));
	return db_dup(s, 6, &h->old_value) || db_dup(s, 7, &h->new_value) ? ERR_INTERNAL : 0;
}

static void history_drop(void *item)
{
	history_release(item);
}

static const struct db_kind history_kind = { sizeof(struct history_entry), history_row,
					     history_drop };

static int rec_history_list(struct store *st, struct store_tx *tx, int64_t ticket_id,
			    struct history_entry **out, size_t *n, struct err *e)
{
	CONN_OR_FAIL(c, st, tx, e);
	STMT_OR_FAIL(s, c, SQL_HISTORY_LIST, e);

	db_bind_int(s, 1, ticket_id);
	return db_all(s, &history_kind, 0, (void **)out, n, NULL, e);
}

/* ---- audit log ---- */

static const char SQL_AUDIT_HEAD[] = "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1";
static const char SQL_AUDIT_INSERT[] =
	"INSERT INTO audit_log(seq, at, actor, action, entity, change, prev_hash, hash) "
	"VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
static const char SQL_AUDIT_SCAN[] =
	"SELECT seq, at, actor, action, entity, change, prev_hash, hash FROM audit_log "
	"WHERE seq > ?1 ORDER BY seq LIMIT ?2";

/* An audit record; its change points into the row, valid until the next
 * step (the scan hands it out before that). */
static int audit_row(struct db_stmt *s, void *item)
{
	struct audit_rec *r = item;

	r->seq = db_int(s, 0);
	r->at = db_int(s, 1);
	db_text(s, 2, r->actor, sizeof(r->actor));
	db_text(s, 3, r->action, sizeof(r->action));
	db_text(s, 4, r->entity, sizeof(r->entity));
	r->change = db_cstr(s, 5);
	if (!r->change)
		r->change = "";
	db_blob(s, 6, r->prev, AUDIT_HASH_LEN);
	db_blob(s, 7, r->hash, AUDIT_HASH_LEN);
	return 0;
}

static const struct db_kind audit_kind = { sizeof(struct audit_rec), audit_row, NULL };

/* The head of the chain: seq, hash. */
static int audit_head_row(struct db_stmt *s, void *item)
{
	struct audit_rec *r = item;

	r->seq = db_int(s, 0);
	db_blob(s, 1, r->hash, AUDIT_HASH_LEN);
	return 0;
}

static const struct db_kind audit_head_kind = { sizeof(struct audit_rec), audit_head_row, NULL };

static int use_audit(void *item, void *arg)
{
	struct scan_to *to = arg;

	return to->fn.audit(item, to->ctx);
}

/* Read once a batch; then the head the batch's last record left (sql.h). */
static int rec_audit_head(struct store_tx *tx, int64_t *seq, uint8_t hash[AUDIT_HASH_LEN],
		      struct err *e)
{
	struct sq_tx *t = (struct sq_tx *)tx;
	struct db *c = sq_txc(tx);
	struct audit_rec r;
	int rc;

	if (!t->head.known) {
		STMT_OR_FAIL(s, c, SQL_AUDIT_HEAD, e);

		memset(&r, 0, sizeof(r));
		rc = db_one(s, &audit_head_kind, &r, e);
		if (rc && rc != ERR_NOT_FOUND) /* not found: an empty log, from zero */
			return rc;
		t->head.seq = r.seq;
		memcpy(t->head.hash, r.hash, AUDIT_HASH_LEN);
		t->head.known = 1;
	}
	*seq = t->head.seq;
	memcpy(hash, t->head.hash, AUDIT_HASH_LEN);
	return 0;
}

static int rec_audit_insert(struct store_tx *tx, const struct audit_rec *r, struct err *e)
{
	struct sq_tx *t = (struct sq_tx *)tx;
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_AUDIT_INSERT, e);
	int rc;

	db_bind_int(s, 1, r->seq);
	db_bind_int(s, 2, r->at);
	db_bind_str(s, 3, r->actor);
	db_bind_str(s, 4, r->action);
	db_bind_str(s, 5, r->entity);
	db_bind_str(s, 6, r->change);
	db_bind_blob(s, 7, r->prev, AUDIT_HASH_LEN);
	db_bind_blob(s, 8, r->hash, AUDIT_HASH_LEN);
	/* Its seq was taken under the writer's lock: it fails only with the
	 * store, so it is not waited for (db_done_later). */
	if ((rc = db_done_later(s, e)))
		return rc;
	t->head.known = 1;
	t->head.seq = r->seq;
	memcpy(t->head.hash, r->hash, AUDIT_HASH_LEN);
	return 0;
}

static int rec_audit_scan(struct store *st, int64_t after, int64_t limit, store_audit_fn fn,
		      void *ctx, struct err *e)
{
	CONN_OR_FAIL(c, st, NULL, e);
	STMT_OR_FAIL(s, c, SQL_AUDIT_SCAN, e);
	struct scan_to to = { .fn.audit = fn, .ctx = ctx };

	/* One read transaction, so the scan sees one consistent chain. */
	db_bind_int(s, 1, after);
	db_bind_int(s, 2, limit > 0 ? limit : INT64_MAX);
	return db_scan_whole(s, &audit_kind, use_audit, &to, e);
}

const struct store_ops store_sql_ops = {
	.name = "sql",
	.open = sq_open,
	.close = sq_close,
	.write = sq_write,
	.after_commit = sq_after_commit,
	.ping = sq_ping,
	.backup = sq_backup,
	.check = sq_check,
	.counter_next = rec_counter_next,
	.meta_get = rec_meta_get,
	.meta_set = rec_meta_set,
	.customer_insert = sq_customer_insert,
	.customer_get = sq_customer_get,
	.customer_list = sq_customer_list,
	.customer_update = sq_customer_update,
	.user_insert = sq_user_insert,
	.user_update = sq_user_update,
	.user_get = sq_user_get,
	.user_list = sq_user_list,
	.user_count = sq_user_count,
	.user_count_admins = sq_user_count_admins,
	.token_insert = sq_token_insert,
	.token_find = sq_token_find,
	.token_scan = sq_token_scan,
	.token_get = sq_token_get,
	.token_list = sq_token_list,
	.token_revoke = sq_token_revoke,
	.token_touch = sq_token_touch,
	.ticket_insert = rec_ticket_insert,
	.ticket_update = rec_ticket_update,
	.ticket_get = rec_ticket_get,
	.ticket_list = rec_ticket_list,
	.ticket_scan = rec_ticket_scan,
	.comment_scan = rec_comment_scan,
	.ticket_count_by_status = rec_ticket_count_by_status,
	.comment_insert = rec_comment_insert,
	.comment_list = rec_comment_list,
	.history_insert = rec_history_insert,
	.history_list = rec_history_list,
	.audit_head = rec_audit_head,
	.audit_insert = rec_audit_insert,
	.audit_scan = rec_audit_scan,
	.snapshot_begin = sq_snapshot_begin,
	.snapshot_end = sq_snapshot_end,
	.leader = sq_leader,
	.announce = sq_announce,
	.follow = sq_follow,
	.copy = sq_copy,
	.web = &sql_web_ops,
	.session = &sql_session_ops,
	.sla = &sql_sla_ops,
	.skill = &sql_skill_ops,
	.operation = &sql_operation_ops,
	.mail = &sql_mail_ops,
	.attach = &sql_attach_ops,
	.notify = &sql_notify_ops,
	.cmdb = &sql_cmdb_ops,
	.problem = &sql_problem_ops,
	.change = &sql_change_ops,
	.condition = &sql_condition_ops,
	.risk = &sql_risk_ops,
	.acceptance = &sql_acceptance_ops,
	.guideline = &sql_guideline_ops,
	.knowledge = &sql_knowledge_ops,
	.routing = &sql_routing_ops,
	.cost = &sql_cost_ops,
};
