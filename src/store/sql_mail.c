/*
 * sql_mail.c — the SQL store's mail operations (see store_mail.h):
 * received messages, threading lookups, and the sender's user by address.
 *
 * Every statement is a static string so the connection's cache keys it by
 * address. The schema (migrations/020_mail.sql) keeps a Message-ID unique
 * and a stored message unchanged by itself, whatever the caller does.
 */
#include "store/sql.h"
#include "store/store_mail.h"

#include <stdlib.h>
#include <string.h>

#define MAIL_COLS                                                                                  \
	"m.id, m.message_id, m.queue, m.from_addr, m.subject, m.outcome, m.reason, "              \
	"COALESCE(m.ticket_id, 0), COALESCE(t.key, ''), COALESCE(m.comment_id, 0), "              \
	"COALESCE(m.user_id, 0), COALESCE(u.username, ''), m.body, m.raw_size, m.received_at "
#define MAIL_FROM                                                                                  \
	"FROM mail_messages m LEFT JOIN tickets t ON t.id = m.ticket_id "                         \
	"LEFT JOIN users u ON u.id = m.user_id "

static const char SQL_MAIL_INSERT[] =
	"INSERT INTO mail_messages(message_id, queue, from_addr, subject, outcome, reason, "
	"ticket_id, comment_id, user_id, body, raw, raw_size, received_at) "
	"VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) RETURNING id";
static const char SQL_MAIL_GET[] = "SELECT " MAIL_COLS MAIL_FROM "WHERE m.id = ?1";
static const char SQL_MAIL_GET_RAW[] = "SELECT " MAIL_COLS ", m.raw " MAIL_FROM "WHERE m.id = ?1";
static const char SQL_MAIL_BY_MSGID[] = "SELECT " MAIL_COLS MAIL_FROM "WHERE m.message_id = ?1";
static const char SQL_MAIL_FOR_TICKET[] =
	"SELECT " MAIL_COLS MAIL_FROM "WHERE m.ticket_id = ?1 ORDER BY m.id";
static const char SQL_MAIL_SCAN[] = "SELECT " MAIL_COLS ", m.raw " MAIL_FROM "ORDER BY m.id";
static const char SQL_USER_BY_EMAIL[] =
	"SELECT username FROM users WHERE lower(email) = lower(?1) AND email <> '' AND active = 1 "
	"ORDER BY id LIMIT 2";

static const char SQL_SENDER_CREATED[] =
	"SELECT COUNT(*) FROM mail_messages WHERE lower(from_addr) = lower(?1) "
	"AND received_at >= ?2 AND outcome = 'created'";
static const char SQL_IMAP_REMEMBER[] =
	"INSERT INTO mail_imap_uids(mailbox, uidvalidity, uid, mail_id, done, taken_at) "
	"VALUES(?1, ?2, ?3, ?4, 0, ?5) ON CONFLICT DO NOTHING";
static const char SQL_IMAP_DONE[] =
	"UPDATE mail_imap_uids SET done = 1 WHERE mailbox = ?1 AND uidvalidity = ?2 AND uid = ?3";
static const char SQL_IMAP_RESET[] =
	"DELETE FROM mail_imap_uids WHERE mailbox = ?1 AND uidvalidity <> ?2";
static const char SQL_IMAP_MAX[] =
	"SELECT COALESCE(MAX(uid), 0) FROM mail_imap_uids WHERE mailbox = ?1 AND uidvalidity = ?2";
static const char SQL_IMAP_VALIDITY[] =
	"SELECT uidvalidity FROM mail_imap_uids WHERE mailbox = ?1 ORDER BY taken_at DESC, uid DESC "
	"LIMIT 1";
static const char SQL_IMAP_UNDONE[] =
	"SELECT uid FROM mail_imap_uids WHERE mailbox = ?1 AND uidvalidity = ?2 AND done = 0 "
	"ORDER BY uid";

static int mail_cols(struct db_stmt *s, struct mail_message *r)
{
	const char *outcome;

	r->id = db_int(s, 0);
	db_text(s, 1, r->message_id, sizeof(r->message_id));
	db_text(s, 2, r->queue, sizeof(r->queue));
	db_text(s, 3, r->from_addr, sizeof(r->from_addr));
	db_text(s, 4, r->subject, sizeof(r->subject));
	outcome = db_cstr(s, 5);
	if (mail_outcome_parse(outcome, &r->outcome))
		r->outcome = MAIL_REFUSED;
	db_text(s, 6, r->reason, sizeof(r->reason));
	r->ticket_id = db_int(s, 7);
	db_text(s, 8, r->ticket_key, sizeof(r->ticket_key));
	r->comment_id = db_int(s, 9);
	r->user_id = db_int(s, 10);
	db_text(s, 11, r->username, sizeof(r->username));
	r->raw_size = db_int(s, 13);
	r->received_at = db_int(s, 14);
	return db_dup(s, 12, &r->body);
}

static int mail_row(struct db_stmt *s, void *item)
{
	return mail_cols(s, item);
}

/* The row with the raw message in its last column (15). */
static int mail_raw_row(struct db_stmt *s, void *item)
{
	struct mail_message *r = item;
	const void *p;
	size_t n = 0;
	int rc = mail_cols(s, r);

	if (rc)
		return rc;
	p = s->c->drv->col_blob(s, 15, &n);
	r->raw = malloc(n ? n : 1);
	if (!r->raw)
		return ERR_INTERNAL;
	if (n)
		memcpy(r->raw, p, n);
	r->raw_len = n;
	return 0;
}

static void mail_drop(void *item)
{
	mail_message_release(item);
}

static const struct db_kind mail_kind = { sizeof(struct mail_message), mail_row, mail_drop };
static const struct db_kind mail_raw_kind = { sizeof(struct mail_message), mail_raw_row,
					      mail_drop };

static int ml_insert(struct store_tx *tx, struct mail_message *r, struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_MAIL_INSERT, e);
	static const unsigned char empty[1];

	db_bind_str(s, 1, r->message_id);
	db_bind_str(s, 2, r->queue);
	db_bind_str(s, 3, r->from_addr);
	db_bind_str(s, 4, r->subject);
	db_bind_str(s, 5, mail_outcome_name(r->outcome));
	db_bind_str(s, 6, r->reason);
	db_bind_id(s, 7, r->ticket_id);
	db_bind_id(s, 8, r->comment_id);
	db_bind_id(s, 9, r->user_id);
	db_bind_str(s, 10, r->body);
	db_bind_blob(s, 11, r->raw ? r->raw : empty, r->raw_len);
	db_bind_int(s, 12, (int64_t)r->raw_len);
	db_bind_int(s, 13, r->received_at);
	return db_insert(s, "message_id", NULL, &r->id, e);
}

static int ml_get(struct store *st, struct store_tx *tx, int64_t id, int with_raw,
		  struct mail_message *r, struct err *e)
{
	CONN_OR_FAIL(c, st, tx, e);
	STMT_OR_FAIL(s, c, with_raw ? SQL_MAIL_GET_RAW : SQL_MAIL_GET, e);
	int rc;

	memset(r, 0, sizeof(*r));
	db_bind_int(s, 1, id);
	rc = db_one(s, with_raw ? &mail_raw_kind : &mail_kind, r, e);
	return err_absent(e, rc, ERR_NOT_FOUND, NULL, "mail %lld not found", (long long)id);
}

static int ml_get_by_msgid(struct store *st, struct store_tx *tx, const char *msgid,
			   struct mail_message *r, struct err *e)
{
	CONN_OR_FAIL(c, st, tx, e);
	STMT_OR_FAIL(s, c, SQL_MAIL_BY_MSGID, e);
	int rc;

	memset(r, 0, sizeof(*r));
	db_bind_str(s, 1, msgid);
	rc = db_one(s, &mail_kind, r, e);
	return err_absent(e, rc, ERR_NOT_FOUND, NULL, "no mail with that Message-ID");
}

static int ml_list_for_ticket(struct store *st, int64_t ticket_id, struct mail_message **out,
			      size_t *n, struct err *e)
{
	CONN_OR_FAIL(c, st, NULL, e);
	STMT_OR_FAIL(s, c, SQL_MAIL_FOR_TICKET, e);

	db_bind_int(s, 1, ticket_id);
	return db_all(s, &mail_kind, 0, (void **)out, n, NULL, e);
}

struct mail_to {
	store_mail_fn fn;
	void *ctx;
};

static int use_mail(void *item, void *ctx)
{
	struct mail_to *to = ctx;

	return to->fn(item, to->ctx);
}

static int ml_scan(struct store *st, store_mail_fn fn, void *ctx, struct err *e)
{
	CONN_OR_FAIL(c, st, NULL, e);
	STMT_OR_FAIL(s, c, SQL_MAIL_SCAN, e);
	struct mail_to to = { fn, ctx };

	return db_scan_whole(s, &mail_raw_kind, use_mail, &to, e);
}

struct name_rows {
	char first[64];
	int n;
};

static int name_row(struct db_stmt *s, void *ctx)
{
	struct name_rows *r = ctx;

	if (!r->n++)
		db_text(s, 0, r->first, sizeof(r->first));
	return 0;
}

static int ml_user_by_email(struct store *st, struct store_tx *tx, const char *addr,
			    char username[64], struct err *e)
{
	CONN_OR_FAIL(c, st, tx, e);
	STMT_OR_FAIL(s, c, SQL_USER_BY_EMAIL, e);
	struct name_rows r = { 0 };
	int rc;

	db_bind_str(s, 1, addr);
	if ((rc = db_each(s, name_row, &r, e)))
		return rc;
	if (!r.n)
		return ERR_NOT_FOUND;
	if (r.n > 1)
		return err_set(e, ERR_CONFLICT, "from", "more than one user has the address '%s'",
			       addr);
	memcpy(username, r.first, 64);
	return 0;
}

static int ml_sender_created_since(struct store *st, struct store_tx *tx, const char *addr,
				   int64_t since, int64_t *n, struct err *e)
{
	CONN_OR_FAIL(c, st, tx, e);
	STMT_OR_FAIL(s, c, SQL_SENDER_CREATED, e);

	*n = 0;
	db_bind_str(s, 1, addr);
	db_bind_int(s, 2, since);
	return db_one(s, &db_int64, n, e);
}

static int ml_imap_remember(struct store_tx *tx, const char *mailbox, int64_t uidvalidity,
			    int64_t uid, int64_t mail_id, int64_t now, struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_IMAP_REMEMBER, e);

	db_bind_str(s, 1, mailbox);
	db_bind_int(s, 2, uidvalidity);
	db_bind_int(s, 3, uid);
	db_bind_id(s, 4, mail_id);
	db_bind_int(s, 5, now);
	return db_done(s, NULL, NULL, e);
}

static int ml_imap_done(struct store_tx *tx, const char *mailbox, int64_t uidvalidity,
			int64_t uid, struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_IMAP_DONE, e);

	db_bind_str(s, 1, mailbox);
	db_bind_int(s, 2, uidvalidity);
	db_bind_int(s, 3, uid);
	return db_done(s, NULL, NULL, e);
}

static int ml_imap_reset(struct store_tx *tx, const char *mailbox, int64_t uidvalidity,
			 int64_t *n, struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_IMAP_RESET, e);
	int rc;

	db_bind_str(s, 1, mailbox);
	db_bind_int(s, 2, uidvalidity);
	rc = db_done(s, NULL, NULL, e);
	*n = rc ? 0 : db_changes(s);
	return rc;
}

static int ml_imap_mark(struct store *st, const char *mailbox, int64_t uidvalidity,
			int64_t *max, int64_t *seen_validity, struct err *e)
{
	CONN_OR_FAIL(c, st, NULL, e);
	int rc;

	*max = *seen_validity = 0;
	{
		STMT_OR_FAIL(s, c, SQL_IMAP_MAX, e);
		db_bind_str(s, 1, mailbox);
		db_bind_int(s, 2, uidvalidity);
		if ((rc = db_one(s, &db_int64, max, e)) && rc != ERR_NOT_FOUND)
			return rc;
	}
	{
		STMT_OR_FAIL(s, c, SQL_IMAP_VALIDITY, e);
		db_bind_str(s, 1, mailbox);
		if ((rc = db_one(s, &db_int64, seen_validity, e)) && rc != ERR_NOT_FOUND)
			return rc;
	}
	return 0;
}

static int ml_imap_undone(struct store *st, const char *mailbox, int64_t uidvalidity,
			  size_t limit, int64_t **out, size_t *n, struct err *e)
{
	CONN_OR_FAIL(c, st, NULL, e);
	STMT_OR_FAIL(s, c, SQL_IMAP_UNDONE, e);

	db_bind_str(s, 1, mailbox);
	db_bind_int(s, 2, uidvalidity);
	return db_all(s, &db_int64, limit, (void **)out, n, NULL, e);
}

const struct store_mail_ops sql_mail_ops = {
	.insert = ml_insert,
	.get = ml_get,
	.get_by_msgid = ml_get_by_msgid,
	.list_for_ticket = ml_list_for_ticket,
	.scan = ml_scan,
	.user_by_email = ml_user_by_email,
	.sender_created_since = ml_sender_created_since,
	.imap_remember = ml_imap_remember,
	.imap_done = ml_imap_done,
	.imap_reset = ml_imap_reset,
	.imap_mark = ml_imap_mark,
	.imap_undone = ml_imap_undone,
};
