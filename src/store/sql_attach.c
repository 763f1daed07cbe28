/*
 * sql_attach.c — the SQL store's attachment and ticket-link operations
 * (see store_attach.h).
 *
 * Every statement is a static string so the connection's cache keys it by
 * address. The schema (migrations/029_attach.sql) keeps the bytes of a
 * content once (its digest is the key), stored attachments and bytes
 * unchanged and undeleted, one parent and one original per ticket, and no
 * link from a ticket to itself, whatever the caller does.
 */
#include "store/sql.h"
#include "store/store_attach.h"

#include <stdlib.h>
#include <string.h>

#define ATT_COLS                                                                                   \
	"a.id, a.ticket_id, t.key, COALESCE(t.customer_id, 0), COALESCE(a.comment_id, 0), "       \
	"a.sha256, a.filename, a.content_type, a.size, a.public, a.source, "                      \
	"COALESCE(a.created_by, 0), COALESCE(u.username, ''), a.created_at "
#define ATT_FROM                                                                                   \
	"FROM attachments a JOIN tickets t ON t.id = a.ticket_id "                                \
	"LEFT JOIN users u ON u.id = a.created_by "

static const char SQL_BLOB_PUT[] =
	"INSERT INTO attachment_blobs(sha256, size, data, created_at) VALUES(?1, ?2, ?3, ?4) "
	"ON CONFLICT(sha256) DO NOTHING";
static const char SQL_BLOB_COUNT[] = "SELECT count(*) FROM attachment_blobs";
static const char SQL_ATT_INSERT[] =
	"INSERT INTO attachments(ticket_id, comment_id, sha256, filename, content_type, size, "
	"public, source, created_by, created_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) "
	"RETURNING id";
static const char SQL_ATT_GET[] = "SELECT " ATT_COLS ATT_FROM "WHERE a.id = ?1";
static const char SQL_ATT_GET_DATA[] =
	"SELECT " ATT_COLS ", b.data " ATT_FROM
	"JOIN attachment_blobs b ON b.sha256 = a.sha256 WHERE a.id = ?1";
static const char SQL_ATT_LIST[] = "SELECT " ATT_COLS ATT_FROM
				   "WHERE a.ticket_id = ?1 AND (?2 = 1 OR a.public = 1) "
				   "ORDER BY a.id";
static const char SQL_ATT_SCAN[] =
	"SELECT " ATT_COLS ", b.data " ATT_FROM
	"LEFT JOIN attachment_blobs b ON b.sha256 = a.sha256 ORDER BY a.id";

#define LINK_COLS                                                                                  \
	"l.id, l.ticket_id, l.other_id, a.key, b.key, COALESCE(a.customer_id, 0), "               \
	"COALESCE(b.customer_id, 0), l.kind, COALESCE(l.created_by, 0), "                        \
	"COALESCE(u.username, ''), l.created_at "
#define LINK_FROM                                                                                  \
	"FROM ticket_links l JOIN tickets a ON a.id = l.ticket_id "                               \
	"JOIN tickets b ON b.id = l.other_id LEFT JOIN users u ON u.id = l.created_by "

static const char SQL_LINK_INSERT[] =
	"INSERT INTO ticket_links(ticket_id, other_id, kind, created_by, created_at) "
	"VALUES(?1, ?2, ?3, ?4, ?5) RETURNING id";
static const char SQL_LINK_GET[] = "SELECT " LINK_COLS LINK_FROM "WHERE l.id = ?1";
static const char SQL_LINK_DELETE[] = "DELETE FROM ticket_links WHERE id = ?1";
static const char SQL_LINKS_OF[] = "SELECT " LINK_COLS LINK_FROM
				   "WHERE l.ticket_id = ?1 OR l.other_id = ?1 ORDER BY l.id";
static const char SQL_PARENT_OF[] =
	"SELECT other_id FROM ticket_links WHERE ticket_id = ?1 AND kind = 'parent'";

/* ---- attachments ---- */

static int att_cols(struct db_stmt *s, struct attachment *r)
{
	r->id = db_int(s, 0);
	r->ticket_id = db_int(s, 1);
	db_text(s, 2, r->ticket_key, sizeof(r->ticket_key));
	r->customer_id = db_int(s, 3);
	r->comment_id = db_int(s, 4);
	db_text(s, 5, r->sha256, sizeof(r->sha256));
	db_text(s, 6, r->filename, sizeof(r->filename));
	db_text(s, 7, r->content_type, sizeof(r->content_type));
	r->size = db_int(s, 8);
	r->public = (int)db_int(s, 9);
	db_text(s, 10, r->source, sizeof(r->source));
	r->created_by = db_int(s, 11);
	db_text(s, 12, r->creator, sizeof(r->creator));
	r->created_at = db_int(s, 13);
	return 0;
}

static int att_row(struct db_stmt *s, void *item)
{
	return att_cols(s, item);
}

/* The row with the bytes in its last column (14); NULL bytes (none stored
 * under the digest) read as empty. */
static int att_data_row(struct db_stmt *s, void *item)
{
	struct attachment *r = item;
	const void *p = NULL;
	size_t n = 0;

	att_cols(s, r);
	if (!db_is_null(s, 14))
		p = s->c->drv->col_blob(s, 14, &n);
	r->data = malloc(n ? n : 1);
	if (!r->data)
		return ERR_INTERNAL;
	if (n)
		memcpy(r->data, p, n);
	r->data_len = n;
	return 0;
}

static void att_drop(void *item)
{
	attachment_release(item);
}

static const struct db_kind att_kind = { sizeof(struct attachment), att_row, att_drop };
static const struct db_kind att_data_kind = { sizeof(struct attachment), att_data_row, att_drop };

static int at_blob_put(struct store_tx *tx, const char *sha256, const void *data, size_t n,
		       int64_t at, int *stored, struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_BLOB_PUT, e);
	static const unsigned char empty[1];
	int rc;

	db_bind_str(s, 1, sha256);
	db_bind_int(s, 2, (int64_t)n);
	db_bind_blob(s, 3, n ? data : empty, n);
	db_bind_int(s, 4, at);
	rc = db_done(s, NULL, NULL, e);
	if (!rc)
		*stored = db_changes(s) > 0;
	return rc;
}

static int at_insert(struct store_tx *tx, struct attachment *r, struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_ATT_INSERT, e);

	db_bind_int(s, 1, r->ticket_id);
	db_bind_id(s, 2, r->comment_id);
	db_bind_str(s, 3, r->sha256);
	db_bind_str(s, 4, r->filename);
	db_bind_str(s, 5, r->content_type);
	db_bind_int(s, 6, r->size);
	db_bind_int(s, 7, r->public ? 1 : 0);
	db_bind_str(s, 8, r->source);
	db_bind_id(s, 9, r->created_by);
	db_bind_int(s, 10, r->created_at);
	return db_insert(s, NULL, NULL, &r->id, e);
}

static int at_get(struct store *st, struct store_tx *tx, int64_t id, int with_data,
		  struct attachment *r, struct err *e)
{
	CONN_OR_FAIL(c, st, tx, e);
	STMT_OR_FAIL(s, c, with_data ? SQL_ATT_GET_DATA : SQL_ATT_GET, e);
	int rc;

	memset(r, 0, sizeof(*r));
	db_bind_int(s, 1, id);
	rc = db_one(s, with_data ? &att_data_kind : &att_kind, r, e);
	return err_absent(e, rc, ERR_NOT_FOUND, NULL, "attachment %lld not found", (long long)id);
}

static int at_list_for_ticket(struct store *st, struct store_tx *tx, int64_t ticket_id,
			      int include_internal, struct attachment **out, size_t *n,
			      struct err *e)
{
	CONN_OR_FAIL(c, st, tx, e);
	STMT_OR_FAIL(s, c, SQL_ATT_LIST, e);

	db_bind_int(s, 1, ticket_id);
	db_bind_int(s, 2, include_internal ? 1 : 0);
	return db_all(s, &att_kind, 0, (void **)out, n, NULL, e);
}

static int count_row(struct db_stmt *s, void *ctx)
{
	*(int64_t *)ctx = db_int(s, 0);
	return 0;
}

static int at_blob_count(struct store *st, int64_t *n, struct err *e)
{
	CONN_OR_FAIL(c, st, NULL, e);
	STMT_OR_FAIL(s, c, SQL_BLOB_COUNT, e);

	*n = 0;
	return db_each(s, count_row, n, e);
}

struct att_to {
	store_attach_fn fn;
	void *ctx;
};

static int use_att(void *item, void *ctx)
{
	struct att_to *to = ctx;

	return to->fn(item, to->ctx);
}

static int at_scan(struct store *st, store_attach_fn fn, void *ctx, struct err *e)
{
	CONN_OR_FAIL(c, st, NULL, e);
	STMT_OR_FAIL(s, c, SQL_ATT_SCAN, e);
	struct att_to to = { fn, ctx };

	return db_scan_whole(s, &att_data_kind, use_att, &to, e);
}

/* ---- links ---- */

static int link_row(struct db_stmt *s, void *item)
{
	struct ticket_link *l = item;

	l->id = db_int(s, 0);
	l->ticket_id = db_int(s, 1);
	l->other_id = db_int(s, 2);
	db_text(s, 3, l->ticket_key, sizeof(l->ticket_key));
	db_text(s, 4, l->other_key, sizeof(l->other_key));
	l->ticket_customer = db_int(s, 5);
	l->other_customer = db_int(s, 6);
	if (link_kind_parse(db_cstr(s, 7), &l->kind))
		l->kind = LINK_RELATED;
	l->created_by = db_int(s, 8);
	db_text(s, 9, l->creator, sizeof(l->creator));
	l->created_at = db_int(s, 10);
	return 0;
}

static const struct db_kind link_kind = { sizeof(struct ticket_link), link_row, NULL };

static int lk_insert(struct store_tx *tx, struct ticket_link *l, struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_LINK_INSERT, e);

	db_bind_int(s, 1, l->ticket_id);
	db_bind_int(s, 2, l->other_id);
	db_bind_str(s, 3, link_kind_name(l->kind));
	db_bind_id(s, 4, l->created_by);
	db_bind_int(s, 5, l->created_at);
	return db_insert(s, "ticket", "the tickets are linked so already", &l->id, e);
}

static int lk_get(struct store *st, struct store_tx *tx, int64_t id, struct ticket_link *l,
		  struct err *e)
{
	CONN_OR_FAIL(c, st, tx, e);
	STMT_OR_FAIL(s, c, SQL_LINK_GET, e);
	int rc;

	memset(l, 0, sizeof(*l));
	db_bind_int(s, 1, id);
	rc = db_one(s, &link_kind, l, e);
	return err_absent(e, rc, ERR_NOT_FOUND, NULL, "link %lld not found", (long long)id);
}

static int lk_delete(struct store_tx *tx, int64_t id, struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_LINK_DELETE, e);

	db_bind_int(s, 1, id);
	return db_done(s, NULL, NULL, e);
}

static int lk_links_of(struct store *st, struct store_tx *tx, int64_t ticket_id,
		       struct ticket_link **out, size_t *n, struct err *e)
{
	CONN_OR_FAIL(c, st, tx, e);
	STMT_OR_FAIL(s, c, SQL_LINKS_OF, e);

	db_bind_int(s, 1, ticket_id);
	return db_all(s, &link_kind, 0, (void **)out, n, NULL, e);
}

static int lk_parent_of(struct store *st, struct store_tx *tx, int64_t ticket_id,
			int64_t *parent, struct err *e)
{
	CONN_OR_FAIL(c, st, tx, e);
	STMT_OR_FAIL(s, c, SQL_PARENT_OF, e);

	*parent = 0;
	db_bind_int(s, 1, ticket_id);
	return db_each(s, count_row, parent, e);
}

const struct store_attach_ops sql_attach_ops = {
	.blob_put = at_blob_put,
	.insert = at_insert,
	.get = at_get,
	.list_for_ticket = at_list_for_ticket,
	.blob_count = at_blob_count,
	.scan = at_scan,
	.link_insert = lk_insert,
	.link_get = lk_get,
	.link_delete = lk_delete,
	.links_of = lk_links_of,
	.parent_of = lk_parent_of,
};
