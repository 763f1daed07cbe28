/*
 * sql_skill.c — the SQL store's skill operations (see store_skill.h):
 * staff, careers, the assessment history, and ticket counts for evidence.
 *
 * Every statement is a static string so the connection's cache keys it by
 * address. The schema (migrations/004_skills.sql) keeps the history honest
 * by itself: triggers refuse to update or delete an assessment, to change a
 * declared career, or to verify one twice, whatever the caller does.
 */
#include "store/sql.h"
#include "store/store_skill.h"

#include <stdlib.h>
#include <string.h>

/* ---- staff ---- */

#define STAFF_COLS                                                                                 \
	"s.id, s.key, s.name, s.groups_csv, COALESCE(s.user_id, 0), COALESCE(u.username, ''), "   \
	"s.profile, s.created_at, s.updated_at, s.version "
#define STAFF_FROM "FROM staff s LEFT JOIN users u ON u.id = s.user_id "
/* Membership in a comma-separated list, without LIKE's wildcards. */
#define STAFF_IN_GROUP "(?1 IS NULL OR instr(',' || s.groups_csv || ',', ',' || ?1 || ',') > 0) "

static const char SQL_STAFF_INSERT[] =
	"INSERT INTO staff(key, name, groups_csv, user_id, profile, created_at, updated_at, version) "
	"VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?6, 1) RETURNING id";
static const char SQL_STAFF_UPDATE[] =
	"UPDATE staff SET name = ?2, groups_csv = ?3, user_id = ?4, profile = ?5, updated_at = ?6, "
	"version = ?7 WHERE id = ?1 AND version = ?8";
static const char SQL_STAFF_BY_KEY[] = "SELECT " STAFF_COLS STAFF_FROM "WHERE s.key = ?1";
static const char SQL_STAFF_BY_USER[] = "SELECT " STAFF_COLS STAFF_FROM "WHERE s.user_id = ?1";
static const char SQL_STAFF_LIST[] = "SELECT " STAFF_COLS STAFF_FROM "WHERE " STAFF_IN_GROUP
				     "AND s.key > ?2 ORDER BY s.key LIMIT ?3";

static int staff_cols(struct db_stmt *s, int o, struct staff *r)
{
	r->id = db_int(s, o + 0);
	db_text(s, o + 1, r->key, sizeof(r->key));
	db_text(s, o + 2, r->name, sizeof(r->name));
	db_text(s, o + 3, r->groups, sizeof(r->groups));
	r->user_id = db_int(s, o + 4);
	db_text(s, o + 5, r->username, sizeof(r->username));
	r->created_at = db_int(s, o + 7);
	r->updated_at = db_int(s, o + 8);
	r->version = db_int(s, o + 9);
	return db_dup(s, o + 6, &r->profile);
}

static int staff_row(struct db_stmt *s, void *item)
{
	return staff_cols(s, 0, item);
}

static void staff_drop(void *item)
{
	staff_release(item);
}

static const struct db_kind staff_kind = { sizeof(struct staff), staff_row, staff_drop };

static void bind_staff(struct db_stmt *s, const struct staff *r)
{
	db_bind_str(s, 2, r->name);
	db_bind_str(s, 3, r->groups);
	db_bind_id(s, 4, r->user_id);
	db_bind_str(s, 5, r->profile ? r->profile : "{}");
}

/* After a constraint failure on insert or update: was it the key or the user? */
/* Which constraint an insert or update of staff r met. */
static int staff_conflict(const struct staff *r, struct err *e)
{
	if (db_conflict_is(e, "staff", "key"))
		return err_set(e, ERR_CONFLICT, "key", "staff '%s' already exists", r->key);
	return err_set(e, ERR_CONFLICT, "user", "user '%s' is already linked to another staff record",
		       r->username);
}

static int sk_staff_insert(struct store_tx *tx, struct staff *r, struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_STAFF_INSERT, e);
	int rc;

	db_bind_str(s, 1, r->key);
	bind_staff(s, r);
	db_bind_int(s, 6, r->created_at);
	if ((rc = db_insert(s, NULL, NULL, &r->id, e)))
		return rc == ERR_CONFLICT ? staff_conflict(r, e) : rc;
	r->updated_at = r->created_at;
	r->version = 1;
	return 0;
}

static int sk_staff_update(struct store_tx *tx, const struct staff *r, struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_STAFF_UPDATE, e);
	int rc;

	db_bind_int(s, 1, r->id);
	bind_staff(s, r);
	db_bind_int(s, 6, r->updated_at);
	db_bind_int(s, 7, r->version);
	db_bind_int(s, 8, r->version - 1);
	if ((rc = db_done(s, NULL, NULL, e)))
		return rc == ERR_CONFLICT ? staff_conflict(r, e) : rc;
	if (db_changes(s) != 1)
		return err_set(e, ERR_CONFLICT, "version", "staff '%s' was changed meanwhile", r->key);
	return 0;
}

static int sk_staff_get(struct store *st, struct store_tx *tx, const char *key, int64_t user_id,
			struct staff *r, struct err *e)
{
	CONN_OR_FAIL(c, st, tx, e);
	int rc;

	memset(r, 0, sizeof(*r));
	rc = db_one_by(c, SQL_STAFF_BY_KEY, SQL_STAFF_BY_USER, key, user_id, &staff_kind, r, e);
	return err_absent(e, rc, ERR_NOT_FOUND, NULL, "staff '%s' not found", key ? key : "");
}

static int sk_staff_list(struct store *st, const char *group, const char *after, int limit,
			 struct staff_page *p, struct err *e)
{
	CONN_OR_FAIL(c, st, NULL, e);
	STMT_OR_FAIL(s, c, SQL_STAFF_LIST, e);

	db_bind_text(s, 1, group);
	db_bind_str(s, 2, after ? after : "");
	db_bind_int(s, 3, limit + 1);
	return db_all(s, &staff_kind, (size_t)limit, (void **)&p->items, &p->n, &p->more, e);
}

/* ---- careers ---- */

#define CAREER_COLS                                                                                \
	"id, staff_id, field, body, declared_by, created_at, COALESCE(verified_by, ''), "         \
	"COALESCE(verified_at, 0) "

static const char SQL_CAREER_INSERT[] =
	"INSERT INTO staff_careers(staff_id, field, body, declared_by, created_at) "
	"VALUES(?1, ?2, ?3, ?4, ?5) RETURNING id";
static const char SQL_CAREER_GET[] = "SELECT " CAREER_COLS "FROM staff_careers WHERE id = ?1";
static const char SQL_CAREER_VERIFY[] =
	"UPDATE staff_careers SET verified_by = ?2, verified_at = ?3 "
	"WHERE id = ?1 AND verified_at IS NULL";
static const char SQL_CAREER_LIST[] =
	"SELECT " CAREER_COLS "FROM staff_careers WHERE staff_id = ?1 ORDER BY id";

static int career_row(struct db_stmt *s, void *item)
{
	struct staff_career *r = item;

	r->id = db_int(s, 0);
	r->staff_id = db_int(s, 1);
	db_text(s, 2, r->field, sizeof(r->field));
	db_text(s, 4, r->declared_by, sizeof(r->declared_by));
	r->created_at = db_int(s, 5);
	db_text(s, 6, r->verified_by, sizeof(r->verified_by));
	r->verified_at = db_int(s, 7);
	return db_dup(s, 3, &r->body);
}

static void career_drop(void *item)
{
	staff_career_release(item);
}

static const struct db_kind career_kind = { sizeof(struct staff_career), career_row,
					    career_drop };

static int sk_career_insert(struct store_tx *tx, struct staff_career *r, struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_CAREER_INSERT, e);

	db_bind_int(s, 1, r->staff_id);
	db_bind_str(s, 2, r->field);
	db_bind_str(s, 3, r->body);
	db_bind_str(s, 4, r->declared_by);
	db_bind_int(s, 5, r->created_at);
	return db_insert(s, NULL, NULL, &r->id, e);
}

static int sk_career_get(struct store *st, struct store_tx *tx, int64_t id,
			 struct staff_career *r, struct err *e)
{
	CONN_OR_FAIL(c, st, tx, e);
	STMT_OR_FAIL(s, c, SQL_CAREER_GET, e);
	int rc;

	memset(r, 0, sizeof(*r));
	db_bind_int(s, 1, id);
	rc = db_one(s, &career_kind, r, e);
	return err_absent(e, rc, ERR_NOT_FOUND, NULL, "career %lld not found", (long long)id);
}

static int sk_career_verify(struct store_tx *tx, const struct staff_career *r, struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_CAREER_VERIFY, e);
	int rc;

	db_bind_int(s, 1, r->id);
	db_bind_str(s, 2, r->verified_by);
	db_bind_int(s, 3, r->verified_at);
	if ((rc = db_done(s, NULL, "career records are verified once", e)))
		return rc;
	if (db_changes(s) != 1)
		return err_set(e, ERR_CONFLICT, NULL, "career %lld is already verified",
			       (long long)r->id);
	return 0;
}

static int sk_career_list(struct store *st, struct store_tx *tx, int64_t staff_id,
			  struct staff_career **out, size_t *n, struct err *e)
{
	CONN_OR_FAIL(c, st, tx, e);
	STMT_OR_FAIL(s, c, SQL_CAREER_LIST, e);

	db_bind_int(s, 1, staff_id);
	return db_all(s, &career_kind, 0, (void **)out, n, NULL, e);
}

/* ---- assessments ---- */

#define ASSESS_COLS                                                                                \
	"a.id, a.staff_id, a.at, a.assessor, a.rules_version, a.input_hash, a.as_of, a.profile, " \
	"a.result, a.levels, COALESCE(a.decided_field, ''), COALESCE(a.decided_level, 0), a.note "

static const char SQL_ASSESS_INSERT[] =
	"INSERT INTO staff_assessments(staff_id, at, assessor, rules_version, input_hash, as_of, "
	"profile, result, levels, decided_field, decided_level, note) "
	"VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) RETURNING id";
static const char SQL_ASSESS_LIST[] =
	"SELECT " ASSESS_COLS "FROM staff_assessments a WHERE a.staff_id = ?1 "
	"AND (?2 IS NULL OR a.id < ?2) ORDER BY a.id DESC LIMIT ?3";
static const char SQL_STAFF_LATEST[] =
	"SELECT " STAFF_COLS ", " ASSESS_COLS STAFF_FROM
	"LEFT JOIN staff_assessments a ON a.id = "
	"(SELECT max(id) FROM staff_assessments WHERE staff_id = s.id) "
	"WHERE " STAFF_IN_GROUP "ORDER BY s.key";

static int assess_cols(struct db_stmt *s, int o, struct staff_assessment *r)
{
	r->profile = r->result = r->levels = r->note = NULL;
	r->id = db_int(s, o + 0);
	r->staff_id = db_int(s, o + 1);
	r->at = db_int(s, o + 2);
	db_text(s, o + 3, r->assessor, sizeof(r->assessor));
	db_text(s, o + 4, r->rules_version, sizeof(r->rules_version));
	db_text(s, o + 5, r->input_hash, sizeof(r->input_hash));
	db_text(s, o + 6, r->as_of, sizeof(r->as_of));
	db_text(s, o + 10, r->decided_field, sizeof(r->decided_field));
	r->decided_level = (int)db_int(s, o + 11);
	return db_dup(s, o + 7, &r->profile) || db_dup(s, o + 8, &r->result) ||
			       db_dup(s, o + 9, &r->levels) || db_dup(s, o + 12, &r->note)
		       ? ERR_INTERNAL
		       : 0;
}

static int assess_row(struct db_stmt *s, void *item)
{
	return assess_cols(s, 0, item);
}

static void assess_drop(void *item)
{
	staff_assessment_release(item);
}

static const struct db_kind assess_kind = { sizeof(struct staff_assessment), assess_row,
					    assess_drop };

static int sk_assessment_insert(struct store_tx *tx, struct staff_assessment *r, struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_ASSESS_INSERT, e);

	db_bind_int(s, 1, r->staff_id);
	db_bind_int(s, 2, r->at);
	db_bind_str(s, 3, r->assessor);
	db_bind_str(s, 4, r->rules_version);
	db_bind_str(s, 5, r->input_hash);
	db_bind_str(s, 6, r->as_of);
	db_bind_str(s, 7, r->profile);
	db_bind_str(s, 8, r->result);
	db_bind_str(s, 9, r->levels);
	db_bind_text(s, 10, r->decided_field);
	db_bind_id(s, 11, r->decided_level);
	db_bind_text(s, 12, r->note);
	return db_insert(s, NULL, NULL, &r->id, e);
}

static int sk_assessment_list(struct store *st, int64_t staff_id, int64_t before_id, int limit,
			      struct staff_assessment **out, size_t *n, int *more, struct err *e)
{
	CONN_OR_FAIL(c, st, NULL, e);
	STMT_OR_FAIL(s, c, SQL_ASSESS_LIST, e);

	db_bind_int(s, 1, staff_id);
	db_bind_id(s, 2, before_id);
	db_bind_int(s, 3, limit + 1);
	return db_all(s, &assess_kind, (size_t)limit, (void **)out, n, more, e);
}

/* A staff record and its latest assessment, when it has one. */
struct latest {
	struct staff r;
	struct staff_assessment a;
	int has;
};

static int latest_row(struct db_stmt *s, void *item)
{
	struct latest *l = item;

	l->has = !db_is_null(s, 10);
	l->a.profile = l->a.result = l->a.levels = l->a.note = NULL;
	return staff_cols(s, 0, &l->r) || (l->has && assess_cols(s, 10, &l->a)) ? ERR_INTERNAL : 0;
}

static void latest_drop(void *item)
{
	struct latest *l = item;

	staff_release(&l->r);
	staff_assessment_release(&l->a);
}

static const struct db_kind latest_kind = { sizeof(struct latest), latest_row, latest_drop };

struct latest_to {
	store_staff_latest_fn fn;
	void *ctx;
};

static int use_latest(void *item, void *arg)
{
	struct latest *l = item;
	struct latest_to *to = arg;

	return to->fn(&l->r, l->has ? &l->a : NULL, to->ctx);
}

static int sk_staff_latest_scan(struct store *st, const char *group, store_staff_latest_fn fn,
				void *ctx, struct err *e)
{
	CONN_OR_FAIL(c, st, NULL, e);
	STMT_OR_FAIL(s, c, SQL_STAFF_LATEST, e);
	struct latest_to to = { fn, ctx };

	/* One read transaction: one consistent map. */
	db_bind_text(s, 1, group);
	return db_scan_whole(s, &latest_kind, use_latest, &to, e);
}

/* ---- evidence ---- */

static const char SQL_TICKET_COUNTS_FOR[] =
	"SELECT kind, status, count(*) FROM tickets WHERE assignee_id = ?1 GROUP BY kind, status";

/* (kind, status, count) into counts[kind][status]; unknown names passed over. */
static int count_row(struct db_stmt *s, void *ctx)
{
	int64_t(*counts)[ST__COUNT] = ctx;
	const char *k = db_cstr(s, 0);
	const char *t = db_cstr(s, 1);
	enum ticket_kind kind;
	enum ticket_status status;

	if (k && t && !ticket_kind_parse(k, &kind) && !ticket_status_parse(t, &status))
		counts[kind][status] = db_int(s, 2);
	return 0;
}

static int sk_ticket_counts_for(struct store *st, int64_t user_id,
				int64_t counts[KIND__COUNT][ST__COUNT], struct err *e)
{
	CONN_OR_FAIL(c, st, NULL, e);
	STMT_OR_FAIL(s, c, SQL_TICKET_COUNTS_FOR, e);

	memset(counts, 0, sizeof(int64_t) * KIND__COUNT * ST__COUNT);
	db_bind_int(s, 1, user_id);
	return db_each(s, count_row, counts, e);
}

const struct store_skill_ops sql_skill_ops = {
	.staff_insert = sk_staff_insert,
	.staff_update = sk_staff_update,
	.staff_get = sk_staff_get,
	.staff_list = sk_staff_list,
	.career_insert = sk_career_insert,
	.career_get = sk_career_get,
	.career_verify = sk_career_verify,
	.career_list = sk_career_list,
	.assessment_insert = sk_assessment_insert,
	.assessment_list = sk_assessment_list,
	.staff_latest_scan = sk_staff_latest_scan,
	.ticket_counts_for = sk_ticket_counts_for,
};
