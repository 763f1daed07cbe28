/*
 * sql_notify.c — the SQL store's notification operations (see
 * store_notify.h): edited templates, users' settings, queued notifications
 * by Message-ID, and group members.
 *
 * Every statement is a static string so the connection's cache keys it by
 * address. The schema (migrations/026_notify.sql) keeps one template per
 * (event, lang), one settings row per user and a Message-ID once.
 */
#include "store/sql.h"
#include "store/store_notify.h"

#include <stdlib.h>
#include <string.h>

#define TPL_COLS "id, event, lang, subject, body, updated_by, updated_at, version "

static const char SQL_TPL_GET[] =
	"SELECT " TPL_COLS "FROM notify_templates WHERE event = ?1 AND lang = ?2";
static const char SQL_TPL_LIST[] = "SELECT " TPL_COLS "FROM notify_templates ORDER BY event, lang";
static const char SQL_TPL_INSERT[] =
	"INSERT INTO notify_templates(event, lang, subject, body, updated_by, updated_at, version) "
	"VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id";
static const char SQL_TPL_UPDATE[] =
	"UPDATE notify_templates SET subject = ?3, body = ?4, updated_by = ?5, updated_at = ?6, "
	"version = ?7 WHERE event = ?1 AND lang = ?2 AND version = ?8";

#define PREFS_COLS "id, user_id, lang, off_csv, updated_at, version "

static const char SQL_PREFS_GET[] = "SELECT " PREFS_COLS "FROM notify_prefs WHERE user_id = ?1";
static const char SQL_PREFS_INSERT[] =
	"INSERT INTO notify_prefs(user_id, lang, off_csv, updated_at, version) "
	"VALUES(?1, ?2, ?3, ?4, ?5) RETURNING id";
static const char SQL_PREFS_UPDATE[] =
	"UPDATE notify_prefs SET lang = ?2, off_csv = ?3, updated_at = ?4, version = ?5 "
	"WHERE user_id = ?1 AND version = ?6";

static const char SQL_SENT_INSERT[] =
	"INSERT INTO notify_messages(message_id, ticket_id, seq, event, user_id, created_at, "
	"recipient) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id";
static const char SQL_SENT_LAST[] =
	"SELECT COALESCE((SELECT max(seq) FROM notify_messages WHERE ticket_id = ?1), 0), "
	"COALESCE((SELECT message_id FROM notify_messages WHERE ticket_id = ?1 AND user_id = ?2 "
	"ORDER BY seq DESC LIMIT 1), '')";
/* The address a notification went to; '' in the rows written before it
 * was kept (migration 032): their user's address now. */
static const char SQL_SENT_TICKET[] =
	"SELECT t.key, CASE WHEN n.recipient <> '' THEN n.recipient ELSE COALESCE(u.email, '') END "
	"FROM notify_messages n JOIN tickets t ON t.id = n.ticket_id "
	"LEFT JOIN users u ON u.id = n.user_id WHERE n.message_id = ?1";
/* Membership in a comma-separated list, without LIKE's wildcards. */
static const char SQL_GROUP_MEMBERS[] =
	"SELECT username FROM users WHERE active = 1 AND "
	"instr(',' || groups_csv || ',', ',' || ?1 || ',') > 0 ORDER BY id";

static int tpl_row(struct db_stmt *s, void *item)
{
	struct notify_template *t = item;

	t->id = db_int(s, 0);
	db_text(s, 1, t->event, sizeof(t->event));
	db_text(s, 2, t->lang, sizeof(t->lang));
	db_text(s, 3, t->subject, sizeof(t->subject));
	db_text(s, 4, t->body, sizeof(t->body));
	db_text(s, 5, t->updated_by, sizeof(t->updated_by));
	t->updated_at = db_int(s, 6);
	t->version = db_int(s, 7);
	return 0;
}

static const struct db_kind tpl_kind = { sizeof(struct notify_template), tpl_row, NULL };

static int nt_template_get(struct store *st, struct store_tx *tx, const char *event,
			   const char *lang, struct notify_template *t, struct err *e)
{
	CONN_OR_FAIL(c, st, tx, e);
	STMT_OR_FAIL(s, c, SQL_TPL_GET, e);

	memset(t, 0, sizeof(*t));
	db_bind_str(s, 1, event);
	db_bind_str(s, 2, lang);
	return db_one(s, &tpl_kind, t, e);
}

static int nt_template_list(struct store *st, struct notify_template **out, size_t *n,
			    struct err *e)
{
	CONN_OR_FAIL(c, st, NULL, e);
	STMT_OR_FAIL(s, c, SQL_TPL_LIST, e);

	return db_all(s, &tpl_kind, 0, (void **)out, n, NULL, e);
}

static int nt_template_put(struct store_tx *tx, const struct notify_template *t,
			   int64_t old_version, struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, old_version ? SQL_TPL_UPDATE : SQL_TPL_INSERT, e);
	int64_t id;

	db_bind_str(s, 1, t->event);
	db_bind_str(s, 2, t->lang);
	db_bind_str(s, 3, t->subject);
	db_bind_str(s, 4, t->body);
	db_bind_str(s, 5, t->updated_by);
	db_bind_int(s, 6, t->updated_at);
	db_bind_int(s, 7, t->version);
	if (!old_version)
		return db_insert(s, "version", "the template was saved meanwhile: reload and retry", &id, e);
	db_bind_int(s, 8, old_version);
	return db_done_versioned(s, e, "template %s.%s", t->event, t->lang);
}

static int prefs_row(struct db_stmt *s, void *item)
{
	struct notify_prefs *p = item;

	p->id = db_int(s, 0);
	p->user_id = db_int(s, 1);
	db_text(s, 2, p->lang, sizeof(p->lang));
	db_text(s, 3, p->off, sizeof(p->off));
	p->updated_at = db_int(s, 4);
	p->version = db_int(s, 5);
	return 0;
}

static const struct db_kind prefs_kind = { sizeof(struct notify_prefs), prefs_row, NULL };

static int nt_prefs_get(struct store *st, struct store_tx *tx, int64_t user_id,
			struct notify_prefs *p, struct err *e)
{
	CONN_OR_FAIL(c, st, tx, e);
	STMT_OR_FAIL(s, c, SQL_PREFS_GET, e);

	memset(p, 0, sizeof(*p));
	db_bind_int(s, 1, user_id);
	return db_one(s, &prefs_kind, p, e);
}

static int nt_prefs_put(struct store_tx *tx, const struct notify_prefs *p, int64_t old_version,
			struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, old_version ? SQL_PREFS_UPDATE : SQL_PREFS_INSERT, e);
	int64_t id;

	db_bind_int(s, 1, p->user_id);
	db_bind_str(s, 2, p->lang);
	db_bind_str(s, 3, p->off);
	db_bind_int(s, 4, p->updated_at);
	db_bind_int(s, 5, p->version);
	if (!old_version)
		return db_insert(s, "version", "the settings were saved meanwhile: reload and retry", &id, e);
	db_bind_int(s, 6, old_version);
	return db_done_versioned(s, e, "the notification settings");
}

static int nt_sent_insert(struct store_tx *tx, struct notify_sent *r, struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_SENT_INSERT, e);

	db_bind_str(s, 1, r->message_id);
	db_bind_int(s, 2, r->ticket_id);
	db_bind_int(s, 3, r->seq);
	db_bind_str(s, 4, r->event);
	db_bind_int(s, 5, r->user_id);
	db_bind_int(s, 6, r->created_at);
	db_bind_str(s, 7, r->recipient);
	return db_insert(s, "message_id", NULL, &r->id, e);
}

struct last_row {
	int64_t seq;
	char *msgid;
};

static int last_row(struct db_stmt *s, void *ctx)
{
	struct last_row *r = ctx;

	r->seq = db_int(s, 0);
	db_text(s, 1, r->msgid, NOTIFY_MSGID_MAX + 1);
	return 0;
}

static int nt_sent_last(struct store_tx *tx, int64_t ticket_id, int64_t user_id, int64_t *seq,
			char msgid[NOTIFY_MSGID_MAX + 1], struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_SENT_LAST, e);
	struct last_row r = { 0, msgid };
	int rc;

	msgid[0] = '\0';
	db_bind_int(s, 1, ticket_id);
	db_bind_int(s, 2, user_id);
	rc = db_each(s, last_row, &r, e);
	*seq = r.seq;
	return rc;
}

struct sent_to {
	char *key;
	char *to;
	size_t to_size;
};

static int key_row(struct db_stmt *s, void *ctx)
{
	struct sent_to *r = ctx;

	db_text(s, 0, r->key, 24);
	if (r->to)
		db_text(s, 1, r->to, r->to_size);
	return 1;
}

static int nt_sent_ticket(struct store *st, struct store_tx *tx, const char *msgid,
			  char key[24], char *to, size_t to_size, struct err *e)
{
	CONN_OR_FAIL(c, st, tx, e);
	STMT_OR_FAIL(s, c, SQL_SENT_TICKET, e);
	struct sent_to r = { key, to, to_size };
	int rc;

	key[0] = '\0';
	if (to && to_size)
		to[0] = '\0';
	else
		r.to = NULL;
	db_bind_str(s, 1, msgid);
	if ((rc = db_each(s, key_row, &r, e)))
		return rc;
	return key[0] ? 0 : ERR_NOT_FOUND;
}

struct member_to {
	store_notify_user_fn fn;
	void *ctx;
};

static int member_row(struct db_stmt *s, void *ctx)
{
	struct member_to *to = ctx;
	char name[64];

	db_text(s, 0, name, sizeof(name));
	return to->fn(name, to->ctx);
}

static int nt_group_members(struct store_tx *tx, const char *group, store_notify_user_fn fn,
			    void *ctx, struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_GROUP_MEMBERS, e);
	struct member_to to = { fn, ctx };

	db_bind_str(s, 1, group);
	return db_each(s, member_row, &to, e);
}

const struct store_notify_ops sql_notify_ops = {
	.template_get = nt_template_get,
	.template_list = nt_template_list,
	.template_put = nt_template_put,
	.prefs_get = nt_prefs_get,
	.prefs_put = nt_prefs_put,
	.sent_insert = nt_sent_insert,
	.sent_last = nt_sent_last,
	.sent_ticket = nt_sent_ticket,
	.group_members = nt_group_members,
};
