/*
 * sql_operation.c — the SQL store's operations for operation by procedure
 * (see store_operation.h): procedures and versions, schedule jobs,
 * executions and their steps.
 *
 * Every statement is a static string so the connection's cache keys it by
 * address. The schema (migrations/018_operation.sql) refuses by itself to
 * change a published version, to record a step twice or to execute an
 * occurrence twice; the guarded UPDATEs below refuse a stale version.
 */
#include "store/sql.h"
#include "store/store_operation.h"

#include <stdlib.h>
#include <string.h>

/* ---- procedures ---- */

#define PROC_COLS                                                                                  \
	"p.id, p.key, p.title, p.created_by, p.created_at, p.updated_at, p.version, "             \
	"COALESCE((SELECT max(number) FROM procedure_versions v WHERE v.procedure_id = p.id), 0), " \
	"COALESCE((SELECT max(number) FROM procedure_versions v WHERE v.procedure_id = p.id "     \
	"AND v.published_at IS NOT NULL), 0) "

static const char SQL_PROC_INSERT[] =
	"INSERT INTO procedures(key, title, created_by, created_at, updated_at, version) "
	"VALUES(?1, ?2, ?3, ?4, ?4, 1) RETURNING id";
static const char SQL_PROC_UPDATE[] =
	"UPDATE procedures SET title = ?2, updated_at = ?3, version = ?4 "
	"WHERE id = ?1 AND version = ?5";
static const char SQL_PROC_BY_KEY[] = "SELECT " PROC_COLS "FROM procedures p WHERE p.key = ?1";
static const char SQL_PROC_BY_ID[] = "SELECT " PROC_COLS "FROM procedures p WHERE p.id = ?1";
static const char SQL_PROC_LIST[] = "SELECT " PROC_COLS "FROM procedures p ORDER BY p.id";

static int proc_row(struct db_stmt *s, void *item)
{
	struct op_procedure *p = item;

	p->id = db_int(s, 0);
	db_text(s, 1, p->key, sizeof(p->key));
	db_text(s, 2, p->title, sizeof(p->title));
	db_text(s, 3, p->created_by, sizeof(p->created_by));
	p->created_at = db_int(s, 4);
	p->updated_at = db_int(s, 5);
	p->version = db_int(s, 6);
	p->latest = db_int(s, 7);
	p->published = db_int(s, 8);
	return 0;
}

static const struct db_kind proc_kind = { sizeof(struct op_procedure), proc_row, NULL };

static int op_proc_insert(struct store_tx *tx, struct op_procedure *p, struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_PROC_INSERT, e);

	db_bind_str(s, 1, p->key);
	db_bind_str(s, 2, p->title);
	db_bind_str(s, 3, p->created_by);
	db_bind_int(s, 4, p->created_at);
	p->updated_at = p->created_at;
	p->version = 1;
	return db_insert(s, "key", "the procedure key is taken", &p->id, e);
}

static int op_proc_update(struct store_tx *tx, const struct op_procedure *p, struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_PROC_UPDATE, e);

	db_bind_int(s, 1, p->id);
	db_bind_str(s, 2, p->title);
	db_bind_int(s, 3, p->updated_at);
	db_bind_int(s, 4, p->version);
	db_bind_int(s, 5, p->version - 1);
	return db_done_versioned(s, e, "procedure '%s'", p->key);
}

static int op_proc_get(struct store *st, struct store_tx *tx, const char *key,
		       struct op_procedure *p, struct err *e)
{
	CONN_OR_FAIL(c, st, tx, e);
	int rc;

	memset(p, 0, sizeof(*p));
	rc = db_one_by(c, SQL_PROC_BY_KEY, SQL_PROC_BY_ID, key, 0, &proc_kind, p, e);
	return err_absent(e, rc, ERR_NOT_FOUND, NULL, "procedure '%.64s' not found", key);
}

static int op_proc_get_id(struct store *st, struct store_tx *tx, int64_t id,
			  struct op_procedure *p, struct err *e)
{
	CONN_OR_FAIL(c, st, tx, e);
	int rc;

	memset(p, 0, sizeof(*p));
	rc = db_one_by(c, SQL_PROC_BY_KEY, SQL_PROC_BY_ID, NULL, id, &proc_kind, p, e);
	return err_absent(e, rc, ERR_NOT_FOUND, NULL, "procedure %lld not found", (long long)id);
}

static int op_proc_list(struct store *st, struct op_procedure **out, size_t *n, struct err *e)
{
	CONN_OR_FAIL(c, st, NULL, e);
	STMT_OR_FAIL(s, c, SQL_PROC_LIST, e);

	return db_all(s, &proc_kind, 0, (void **)out, n, NULL, e);
}

/* ---- versions ---- */

#define VERSION_COLS                                                                               \
	"id, procedure_id, number, steps, created_by, created_at, COALESCE(published_by, ''), "   \
	"COALESCE(published_at, 0) "

static const char SQL_VERSION_INSERT[] =
	"INSERT INTO procedure_versions(procedure_id, number, steps, created_by, created_at) "
	"VALUES(?1, ?2, ?3, ?4, ?5) RETURNING id";
static const char SQL_VERSION_STEPS[] =
	"UPDATE procedure_versions SET steps = ?2 WHERE id = ?1 AND published_at IS NULL";
static const char SQL_VERSION_PUBLISH[] =
	"UPDATE procedure_versions SET published_by = ?2, published_at = ?3 "
	"WHERE id = ?1 AND published_at IS NULL";
static const char SQL_VERSION_GET[] = "SELECT " VERSION_COLS
				      "FROM procedure_versions WHERE procedure_id = ?1 AND number = ?2";
static const char SQL_VERSION_LIST[] =
	"SELECT " VERSION_COLS "FROM procedure_versions WHERE procedure_id = ?1 ORDER BY number";

static int version_row(struct db_stmt *s, void *item)
{
	struct op_proc_version *v = item;

	v->steps = NULL;
	v->id = db_int(s, 0);
	v->procedure_id = db_int(s, 1);
	v->number = db_int(s, 2);
	db_text(s, 4, v->created_by, sizeof(v->created_by));
	v->created_at = db_int(s, 5);
	db_text(s, 6, v->published_by, sizeof(v->published_by));
	v->published_at = db_int(s, 7);
	return db_dup(s, 3, &v->steps);
}

static void version_drop(void *item)
{
	op_proc_version_release(item);
}

static const struct db_kind version_kind = { sizeof(struct op_proc_version), version_row,
					     version_drop };

static int op_version_insert(struct store_tx *tx, struct op_proc_version *v, struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_VERSION_INSERT, e);

	db_bind_int(s, 1, v->procedure_id);
	db_bind_int(s, 2, v->number);
	db_bind_str(s, 3, v->steps);
	db_bind_str(s, 4, v->created_by);
	db_bind_int(s, 5, v->created_at);
	return db_insert(s, "version", "that version of the procedure exists already", &v->id, e);
}

static int changed_one(struct db_stmt *s, const char *what, struct err *e)
{
	int rc;

	if ((rc = db_done(s, NULL, what, e)))
		return rc;
	if (db_changes(s) != 1)
		return err_set(e, ERR_CONFLICT, NULL, "%s", what);
	return 0;
}

static int op_version_set_steps(struct store_tx *tx, const struct op_proc_version *v,
				struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_VERSION_STEPS, e);

	db_bind_int(s, 1, v->id);
	db_bind_str(s, 2, v->steps);
	return changed_one(s, "a published procedure version never changes", e);
}

static int op_version_publish(struct store_tx *tx, const struct op_proc_version *v,
			      struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_VERSION_PUBLISH, e);

	db_bind_int(s, 1, v->id);
	db_bind_str(s, 2, v->published_by);
	db_bind_int(s, 3, v->published_at);
	return changed_one(s, "the version is published already", e);
}

static int op_version_get(struct store *st, struct store_tx *tx, int64_t procedure_id,
			  int64_t number, struct op_proc_version *v, struct err *e)
{
	CONN_OR_FAIL(c, st, tx, e);
	STMT_OR_FAIL(s, c, SQL_VERSION_GET, e);
	int rc;

	memset(v, 0, sizeof(*v));
	db_bind_int(s, 1, procedure_id);
	db_bind_int(s, 2, number);
	rc = db_one(s, &version_kind, v, e);
	return err_absent(e, rc, ERR_NOT_FOUND, NULL, "version %lld not found", (long long)number);
}

static int op_version_list(struct store *st, struct store_tx *tx, int64_t procedure_id,
			   struct op_proc_version **out, size_t *n, struct err *e)
{
	CONN_OR_FAIL(c, st, tx, e);
	STMT_OR_FAIL(s, c, SQL_VERSION_LIST, e);

	db_bind_int(s, 1, procedure_id);
	return db_all(s, &version_kind, 0, (void **)out, n, NULL, e);
}

/* ---- schedule jobs ---- */

#define JOB_COLS                                                                                   \
	"j.id, j.key, j.procedure_id, p.key, j.rrule, j.dtstart, j.deadline_min, j.shift, "       \
	"j.items, j.created_by, j.created_at, j.updated_at, j.version "
#define JOB_FROM "FROM schedule_jobs j JOIN procedures p ON p.id = j.procedure_id "

static const char SQL_JOB_INSERT[] =
	"INSERT INTO schedule_jobs(key, procedure_id, rrule, dtstart, deadline_min, shift, items, "
	"created_by, created_at, updated_at, version) "
	"VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9, 1) RETURNING id";
static const char SQL_JOB_GET[] = "SELECT " JOB_COLS JOB_FROM "WHERE j.key = ?1";
static const char SQL_JOB_LIST[] =
	"SELECT " JOB_COLS JOB_FROM "WHERE (?1 IS NULL OR j.shift = ?1) ORDER BY j.id";

static int job_row(struct db_stmt *s, void *item)
{
	struct op_job *j = item;

	j->id = db_int(s, 0);
	db_text(s, 1, j->key, sizeof(j->key));
	j->procedure_id = db_int(s, 2);
	db_text(s, 3, j->proc_key, sizeof(j->proc_key));
	db_text(s, 4, j->rrule, sizeof(j->rrule));
	j->dtstart = db_int(s, 5);
	j->deadline_min = db_int(s, 6);
	db_text(s, 7, j->shift, sizeof(j->shift));
	db_text(s, 8, j->items, sizeof(j->items));
	db_text(s, 9, j->created_by, sizeof(j->created_by));
	j->created_at = db_int(s, 10);
	j->updated_at = db_int(s, 11);
	j->version = db_int(s, 12);
	return 0;
}

static const struct db_kind job_kind = { sizeof(struct op_job), job_row, NULL };

static int op_job_insert(struct store_tx *tx, struct op_job *j, struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_JOB_INSERT, e);

	db_bind_str(s, 1, j->key);
	db_bind_int(s, 2, j->procedure_id);
	db_bind_str(s, 3, j->rrule);
	db_bind_int(s, 4, j->dtstart);
	db_bind_int(s, 5, j->deadline_min);
	db_bind_str(s, 6, j->shift);
	db_bind_str(s, 7, j->items);
	db_bind_str(s, 8, j->created_by);
	db_bind_int(s, 9, j->created_at);
	j->updated_at = j->created_at;
	j->version = 1;
	return db_insert(s, "key", "the job key is taken", &j->id, e);
}

static int op_job_get(struct store *st, struct store_tx *tx, const char *key, struct op_job *j,
		      struct err *e)
{
	CONN_OR_FAIL(c, st, tx, e);
	STMT_OR_FAIL(s, c, SQL_JOB_GET, e);
	int rc;

	memset(j, 0, sizeof(*j));
	db_bind_str(s, 1, key);
	rc = db_one(s, &job_kind, j, e);
	return err_absent(e, rc, ERR_NOT_FOUND, NULL, "job '%.64s' not found", key);
}

static int op_job_list(struct store *st, const char *shift, struct op_job **out, size_t *n,
		       struct err *e)
{
	CONN_OR_FAIL(c, st, NULL, e);
	STMT_OR_FAIL(s, c, SQL_JOB_LIST, e);

	db_bind_text(s, 1, shift);
	return db_all(s, &job_kind, 0, (void **)out, n, NULL, e);
}

/* ---- runs ---- */

#define RUN_COLS                                                                                   \
	"r.id, r.key, r.procedure_id, p.key, r.proc_version, COALESCE(r.job_id, 0), "             \
	"COALESCE(j.key, ''), COALESCE(r.occurrence, 0), r.status, r.reason, r.started_by, "      \
	"r.started_at, COALESCE(r.ended_at, 0), r.updated_at, r.version "
#define RUN_FROM                                                                                   \
	"FROM runs r JOIN procedures p ON p.id = r.procedure_id "                                  \
	"LEFT JOIN schedule_jobs j ON j.id = r.job_id "

static const char SQL_RUN_INSERT[] =
	"INSERT INTO runs(key, procedure_id, proc_version, job_id, occurrence, status, started_by, "
	"started_at, updated_at, version) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, 1) RETURNING id";
static const char SQL_RUN_UPDATE[] =
	"UPDATE runs SET status = ?2, reason = ?3, ended_at = ?4, updated_at = ?5, version = ?6 "
	"WHERE id = ?1 AND version = ?7";
static const char SQL_RUN_GET[] = "SELECT " RUN_COLS RUN_FROM "WHERE r.key = ?1";
static const char SQL_RUN_LIST[] =
	"SELECT " RUN_COLS RUN_FROM "WHERE (?1 IS NULL OR r.status = ?1) "
	"AND (?2 IS NULL OR r.job_id = ?2) "
	"AND (?4 IS NULL OR (r.occurrence >= ?3 AND r.occurrence < ?4)) ORDER BY r.id DESC";

static int run_row(struct db_stmt *s, void *item)
{
	struct op_run *r = item;

	r->reason = NULL;
	r->id = db_int(s, 0);
	db_text(s, 1, r->key, sizeof(r->key));
	r->procedure_id = db_int(s, 2);
	db_text(s, 3, r->proc_key, sizeof(r->proc_key));
	r->proc_version = db_int(s, 4);
	r->job_id = db_int(s, 5);
	db_text(s, 6, r->job_key, sizeof(r->job_key));
	r->occurrence = db_int(s, 7);
	db_text(s, 8, r->status, sizeof(r->status));
	db_text(s, 10, r->started_by, sizeof(r->started_by));
	r->started_at = db_int(s, 11);
	r->ended_at = db_int(s, 12);
	r->updated_at = db_int(s, 13);
	r->version = db_int(s, 14);
	return db_dup(s, 9, &r->reason);
}

static void run_drop(void *item)
{
	op_run_release(item);
}

static const struct db_kind run_kind = { sizeof(struct op_run), run_row, run_drop };

static int op_run_insert(struct store_tx *tx, struct op_run *r, struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_RUN_INSERT, e);

	db_bind_str(s, 1, r->key);
	db_bind_int(s, 2, r->procedure_id);
	db_bind_int(s, 3, r->proc_version);
	db_bind_id(s, 4, r->job_id);
	if (r->job_id)
		db_bind_int(s, 5, r->occurrence);
	else
		db_bind_null(s, 5, DB_INT);
	db_bind_str(s, 6, r->status);
	db_bind_str(s, 7, r->started_by);
	db_bind_int(s, 8, r->started_at);
	r->updated_at = r->started_at;
	r->version = 1;
	return db_insert(s, "occurrence", "that occurrence of the job is executed already", &r->id,
			 e);
}

static int op_run_update(struct store_tx *tx, const struct op_run *r, struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_RUN_UPDATE, e);

	db_bind_int(s, 1, r->id);
	db_bind_str(s, 2, r->status);
	db_bind_text(s, 3, r->reason);
	db_bind_id(s, 4, r->ended_at);
	db_bind_int(s, 5, r->updated_at);
	db_bind_int(s, 6, r->version);
	db_bind_int(s, 7, r->version - 1);
	return db_done_versioned(s, e, "run '%s'", r->key);
}

static int op_run_get(struct store *st, struct store_tx *tx, const char *key, struct op_run *r,
		      struct err *e)
{
	CONN_OR_FAIL(c, st, tx, e);
	STMT_OR_FAIL(s, c, SQL_RUN_GET, e);
	int rc;

	memset(r, 0, sizeof(*r));
	db_bind_str(s, 1, key);
	rc = db_one(s, &run_kind, r, e);
	return err_absent(e, rc, ERR_NOT_FOUND, NULL, "run '%.64s' not found", key);
}

static int op_run_list(struct store *st, const char *status, int64_t job_id, int64_t from,
		       int64_t to, struct op_run **out, size_t *n, struct err *e)
{
	CONN_OR_FAIL(c, st, NULL, e);
	STMT_OR_FAIL(s, c, SQL_RUN_LIST, e);

	db_bind_text(s, 1, status);
	db_bind_id(s, 2, job_id);
	db_bind_int(s, 3, from);
	db_bind_id(s, 4, to);
	return db_all(s, &run_kind, 0, (void **)out, n, NULL, e);
}

/* ---- steps ---- */

#define STEP_COLS                                                                                  \
	"id, run_id, step, result, deviation, COALESCE(ticket_key, ''), done_by, done_at, "       \
	"COALESCE(confirmed_by, ''), COALESCE(confirmed_at, 0) "

static const char SQL_STEP_INSERT[] =
	"INSERT INTO run_steps(run_id, step, result, deviation, ticket_key, done_by, done_at) "
	"VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id";
static const char SQL_STEP_CONFIRM[] =
	"UPDATE run_steps SET confirmed_by = ?2, confirmed_at = ?3 "
	"WHERE id = ?1 AND confirmed_at IS NULL";
static const char SQL_STEP_LIST[] =
	"SELECT " STEP_COLS "FROM run_steps WHERE run_id = ?1 ORDER BY step";

static int step_row(struct db_stmt *s, void *item)
{
	struct op_step *p = item;

	p->result = p->deviation = NULL;
	p->id = db_int(s, 0);
	p->run_id = db_int(s, 1);
	p->step = db_int(s, 2);
	db_text(s, 5, p->ticket_key, sizeof(p->ticket_key));
	db_text(s, 6, p->done_by, sizeof(p->done_by));
	p->done_at = db_int(s, 7);
	db_text(s, 8, p->confirmed_by, sizeof(p->confirmed_by));
	p->confirmed_at = db_int(s, 9);
	return db_dup(s, 3, &p->result) || db_dup(s, 4, &p->deviation) ? ERR_INTERNAL : 0;
}

static void step_drop(void *item)
{
	op_step_release(item);
}

static const struct db_kind step_kind = { sizeof(struct op_step), step_row, step_drop };

static int op_step_insert(struct store_tx *tx, struct op_step *p, struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_STEP_INSERT, e);

	db_bind_int(s, 1, p->run_id);
	db_bind_int(s, 2, p->step);
	db_bind_str(s, 3, p->result);
	db_bind_text(s, 4, p->deviation);
	db_bind_text(s, 5, p->ticket_key);
	db_bind_str(s, 6, p->done_by);
	db_bind_int(s, 7, p->done_at);
	return db_insert(s, "step", "that step is recorded already", &p->id, e);
}

static int op_step_confirm(struct store_tx *tx, const struct op_step *p, struct err *e)
{
	struct db *c = sq_txc(tx);
	STMT_OR_FAIL(s, c, SQL_STEP_CONFIRM, e);

	db_bind_int(s, 1, p->id);
	db_bind_str(s, 2, p->confirmed_by);
	db_bind_int(s, 3, p->confirmed_at);
	return changed_one(s, "the step is confirmed already", e);
}

static int op_step_list(struct store *st, struct store_tx *tx, int64_t run_id,
			struct op_step **out, size_t *n, struct err *e)
{
	CONN_OR_FAIL(c, st, tx, e);
	STMT_OR_FAIL(s, c, SQL_STEP_LIST, e);

	db_bind_int(s, 1, run_id);
	return db_all(s, &step_kind, 0, (void **)out, n, NULL, e);
}

const struct store_operation_ops sql_operation_ops = {
	.proc_insert = op_proc_insert,
	.proc_update = op_proc_update,
	.proc_get = op_proc_get,
	.proc_get_id = op_proc_get_id,
	.proc_list = op_proc_list,
	.version_insert = op_version_insert,
	.version_set_steps = op_version_set_steps,
	.version_publish = op_version_publish,
	.version_get = op_version_get,
	.version_list = op_version_list,
	.job_insert = op_job_insert,
	.job_get = op_job_get,
	.job_list = op_job_list,
	.run_insert = op_run_insert,
	.run_update = op_run_update,
	.run_get = op_run_get,
	.run_list = op_run_list,
	.step_insert = op_step_insert,
	.step_confirm = op_step_confirm,
	.step_list = op_step_list,
};
