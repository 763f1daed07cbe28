/*
 * sql_store.c — the SQL store on any engine: opening and migrating,
 * connections, and the group-commit writer.
 *
 * Invariants:
 *  - in the server (STORE_SERVER) only the writer thread writes: it takes
 *    every queued write, runs them in one transaction with a savepoint
 *    each, and wakes each caller with its own result after the commit; one
 *    durable commit serves the whole batch (group commit). The engine's
 *    COMMIT returns once the batch is durable (SQLite: WAL fsynced;
 *    PostgreSQL: synchronous_commit on, checked at open);
 *  - a job during which jansson failed to allocate is refused: a value it
 *    built (the audit record's state) may be silently missing a member;
 *  - a job is reported done only when its batch committed: when the engine
 *    rolls the transaction back by itself (or the connection is lost), or
 *    a savepoint or COMMIT fails, every job of the batch fails with that
 *    error;
 *  - a job that swallowed a failed statement on an engine that then
 *    refuses the rest of the transaction (PostgreSQL) fails, and only its
 *    savepoint is rolled back;
 *  - every other thread reads through a connection of its own.
 */
#include "store/sql.h"
#include "lib/jsonx.h"
#include "lib/log.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BATCH_MAX 512

struct job {
	store_write_fn fn;
	void *ctx;
	struct err *e;
	int rc;
	int done;
	pthread_cond_t cv; /* signalled when this job's batch is committed */
	struct job *next;
};

struct sq {
	const struct db_driver *drv;
	char uri[512];
	int threaded;
	struct db *writer;
	/* The writer's connection met a failure for want of memory or an I/O
	 * error: it is replaced before the next batch (renew_writer). */
	int writer_stale;
	pthread_mutex_t mu;
	pthread_cond_t cv_work;
	struct job *head, *tail;
	int stopping;
	pthread_t thread;
	pthread_key_t rkey;
	pthread_mutex_t reg_mu;
	struct db *readers;
	/* several processes: this one's name in what it announces, the
	 * connection that holds its roles, and the follower thread */
	char instance[40];
	pthread_mutex_t lead_mu;
	struct db *leads;
	struct {
		char role[16];
		int held;
	} roles[4];
	struct db *listener;
	pthread_t follower;
	int following;
	store_follow_fn follow_fn;
	void *follow_ctx;
};

/* Per-thread read connections: opened on a thread's first read, kept in a
 * registry and closed when the store closes. */
struct db *sq_conn(struct store *st, struct store_tx *tx)
{
	struct sq *sq = st->impl;
	struct db *c;
	struct err e;

	if (tx)
		return ((struct sq_tx *)tx)->c;
	c = pthread_getspecific(sq->rkey);
	if (c)
		return c;
	if (sq->drv->open(sq->uri, 0, &c, &e)) {
		log_error("msg=\"cannot open read connection\" err=%s", LOG_STR(e.msg));
		return NULL;
	}
	pthread_mutex_lock(&sq->reg_mu);
	c->next = sq->readers;
	sq->readers = c;
	pthread_mutex_unlock(&sq->reg_mu);
	pthread_setspecific(sq->rkey, c);
	return c;
}

struct db *sq_main(struct store *st)
{
	return ((struct sq *)st->impl)->writer;
}

/* The writer's own statements, prepared once (exec would parse each time).
 * Between two jobs the one before is released and the next one's savepoint
 * set in one round trip (two statements, run by exec); COMMIT releases the
 * last. */
static const char SQL_COMMIT[] = "COMMIT";
static const char SQL_ROLLBACK[] = "ROLLBACK";
static const char SQL_SAVEPOINT[] = "SAVEPOINT job";
static const char SQL_NEXT_JOB[] = "RELEASE SAVEPOINT job; SAVEPOINT job";
static const char SQL_ROLLBACK_TO[] = "ROLLBACK TO SAVEPOINT job";

static int step(struct db *c, const char *sql, struct err *e)
{
	struct db_stmt *s = db_stmt(c, sql, e);

	return s ? db_done(s, NULL, NULL, e) : ERR_INTERNAL;
}

int sq_after_commit(struct store_tx *tx, store_commit_fn fn, void *arg)
{
	struct sq_tx *t = (struct sq_tx *)tx;

	if (t->npending == t->cap) {
		size_t n = t->cap ? t->cap * 2 : 8;
		struct sq_pending *p = realloc(t->pending, n * sizeof(*p));

		if (!p) {
			fn(arg, 0);
			return ERR_INTERNAL;
		}
		t->pending = p;
		t->cap = n;
	}
	t->pending[t->npending].fn = fn;
	t->pending[t->npending].arg = arg;
	t->npending++;
	return 0;
}

/* Tell the after-commit functions from index `from` on how it went. */
static void settle(struct sq_tx *tx, size_t from, int committed)
{
	for (size_t i = from; i < tx->npending; i++)
		tx->pending[i].fn(tx->pending[i].arg, committed);
	tx->npending = from;
}

/* Open the batch's transaction, with the first job's savepoint set. A connection lost meanwhile (a database
 * restarted or failed over) is reopened by the driver on the next
 * statement: nothing has run yet, so BEGIN is retried, for BEGIN_RETRY_S
 * in all (SQLite's busy wait, 10 s, outlasts it: tried once, as before). */
#define BEGIN_RETRY_S 3
#define BEGIN_WAIT_MS 100

static int begin(struct db *w, struct err *e)
{
	struct timespec t0, now;
	int rc = 0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		/* A transaction a failed ROLLBACK left open would refuse BEGIN. */
		if (w->drv->tx_state(w) != DB_TX_NONE)
			db_exec(w, SQL_ROLLBACK, NULL);
		/* Several servers extend one audit chain, each write reading the
		 * head the last one left: their batches run one at a time. The
		 * lock is taken first, before any row lock, so that two batches
		 * never wait for each other's (a deadlock). The first job's
		 * savepoint is set with it. */
		if (w->drv->begin_serialized)
			rc = w->drv->begin_serialized(w, "writes", SQL_SAVEPOINT, e);
		else if (!(rc = db_exec(w, w->drv->begin_write, e)))
			rc = step(w, SQL_SAVEPOINT, e);
		if (rc && w->drv->tx_state(w) != DB_TX_NONE)
			db_exec(w, SQL_ROLLBACK, NULL);
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (rc != ERR_BUSY || now.tv_sec - t0.tv_sec >= BEGIN_RETRY_S)
			return rc;
		nanosleep(&(struct timespec){ 0, BEGIN_WAIT_MS * 1000000L }, NULL);
	}
}

/* What a job may leave in the batch, to take back when it is rolled back. */
struct job_mark {
	size_t pending, notes;
	struct sq_head head;
};

static void mark_job(const struct sq_tx *tx, struct job_mark *m)
{
	m->pending = tx->npending;
	m->notes = json_array_size(tx->notes);
	m->head = tx->head;
}

static void undo_job(struct sq_tx *tx, const struct job_mark *m)
{
	settle(tx, m->pending, 0);
	json_object_clear(tx->job_rows);
	while (json_array_size(tx->notes) > m->notes)
		json_array_remove(tx->notes, json_array_size(tx->notes) - 1);
	tx->head = m->head;
}

/* The batch's deferred writes (sql.h), before its COMMIT: each meta key's
 * and counter's last value, and every announcement in one round trip. */
static int flush(struct sq_tx *tx, struct err *e)
{
	int rc = sq_rows_flush(tx, e);

	if (!rc && json_array_size(tx->notes))
		rc = tx->c->drv->notify(tx->c, tx->notes, e);
	return rc;
}

/* Run a batch of jobs in one transaction; set each job's rc.
 *
 * A job's failure rolls back its savepoint only. But when the savepoint
 * cannot be rolled back, or the engine has ended the whole transaction
 * itself (SQLite may, on an I/O error, a full disk or no memory; a lost
 * PostgreSQL connection does), or COMMIT fails, nothing of the batch is
 * stored: every job that had succeeded is told so, with the error that
 * undid it. */
/* Replace the writer's connection by a new one. A failure for want of
 * memory or an I/O error may leave what a connection keeps in memory out of
 * step with the file, though the transaction was rolled back: FTS5 (the
 * search index, migration 025) keeps its index structure per connection,
 * and a later write through it was seen to corrupt the index (make
 * fault-run). A new connection starts from the file. 0, or the failure to
 * open one (the old one is closed all the same: it is not written through
 * again). */
static int renew_writer(struct sq *sq, struct err *e)
{
	if (sq->writer) {
		sq->drv->close(sq->writer);
		sq->writer = NULL;
	}
	if (sq->drv->open(sq->uri, 0, &sq->writer, e)) {
		sq->writer = NULL;
		return e->code ? e->code : ERR_INTERNAL;
	}
	sq->writer_stale = 0;
	log_info("msg=\"writer connection renewed after a failed write\"");
	return 0;
}

static void run_batch_on(struct store *st, struct sq *sq, struct job *jobs);

static void run_batch(struct store *st, struct sq *sq, struct job *jobs)
{
	struct err e = { 0 };
	int rc;

	if (sq->writer_stale && (rc = renew_writer(sq, &e))) {
		for (struct job *j = jobs; j; j = j->next)
			j->rc = err_set(j->e, rc, NULL, "store unavailable: %s", e.msg);
		return;
	}
	run_batch_on(st, sq, jobs);
	for (struct job *j = jobs; j; j = j->next)
		sq->writer_stale |= j->rc == ERR_INTERNAL;
}

static void run_batch_on(struct store *st, struct sq *sq, struct job *jobs)
{
	struct db *w = sq->writer;
	struct sq_tx tx = { { st }, w, NULL, 0, 0, { 0 }, json_object(), json_object(), json_array() };
	struct err e = { 0 };
	int rc;

	if (!tx.rows || !tx.job_rows || !tx.notes)
		rc = err_set(&e, ERR_INTERNAL, NULL, "out of memory");
	else
		rc = begin(w, &e);
	if (rc) {
		for (struct job *j = jobs; j; j = j->next)
			j->rc = err_set(j->e, rc, NULL, "store unavailable: %s", e.msg);
		json_decref(tx.rows);
		json_decref(tx.job_rows);
		json_decref(tx.notes);
		return;
	}
	for (struct job *j = jobs, *held = NULL; j; j = j->next) {
		struct job_mark mark;
		unsigned long json_failures = jx_alloc_failures();
		/* held: the job before whose savepoint is set, to release first;
		 * the first job's was set by begin */
		int saved = !(j->rc = j == jobs ? 0
				 : held	  ? db_exec_later(w, SQL_NEXT_JOB, j->e)
					  : step(w, SQL_SAVEPOINT, j->e));
		enum db_tx state;

		held = saved ? j : NULL;

		mark_job(&tx, &mark);

		if (saved) {
			j->rc = j->fn(&tx.base, j->ctx, j->e);
			/* whatever fn answered: a NULL it met may have read as bad input */
			if (jx_alloc_failures() != json_failures)
				j->rc = err_set(j->e, ERR_INTERNAL, NULL, "out of memory");
		}
		state = w->drv->tx_state(w);
		if (state == DB_TX_NONE) {
			rc = j->rc && j->e ? err_set(&e, j->rc, NULL, "%s", j->e->msg)
					   : err_set(&e, ERR_INTERNAL, NULL, "transaction rolled back");
			if (!j->rc)
				j->rc = err_set(j->e, rc, NULL, "%s", e.msg);
			break;
		}
		if (!saved) /* nothing of this job to undo */
			continue;
		if (state == DB_TX_FAILED && !j->rc)
			j->rc = err_set(j->e, ERR_INTERNAL, NULL, "store: a statement failed");
		if (j->rc) {
			if ((rc = step(w, SQL_ROLLBACK_TO, &e)))
				break;
			undo_job(&tx, &mark);
		} else if (json_object_update_recursive(tx.rows, tx.job_rows)) {
			rc = err_set(&e, ERR_INTERNAL, NULL, "out of memory");
			break;
		}
		json_object_clear(tx.job_rows);
	}
	if (!rc)
		rc = flush(&tx, &e);
	if (!rc)
		rc = step(w, SQL_COMMIT, &e);
	if (rc) {
		if (w->drv->tx_state(w) != DB_TX_NONE && step(w, SQL_ROLLBACK, NULL))
			log_error("msg=\"cannot roll back a failed batch\"");
		for (struct job *j = jobs; j; j = j->next)
			if (!j->rc)
				j->rc = err_set(j->e, rc, NULL, "not stored: %s", e.msg);
	}
	settle(&tx, 0, rc == 0);
	free(tx.pending);
	json_decref(tx.rows);
	json_decref(tx.job_rows);
	json_decref(tx.notes);
}

static void *writer_main(void *arg)
{
	struct store *st = arg;
	struct sq *sq = st->impl;

	pthread_mutex_lock(&sq->mu);
	for (;;) {
		struct job *batch, *last;
		int n = 0;

		while (!sq->head && !sq->stopping)
			pthread_cond_wait(&sq->cv_work, &sq->mu);
		if (!sq->head && sq->stopping)
			break;
		batch = last = sq->head;
		while (last->next && ++n < BATCH_MAX)
			last = last->next;
		sq->head = last->next;
		if (!sq->head)
			sq->tail = NULL;
		last->next = NULL;
		pthread_mutex_unlock(&sq->mu);

		run_batch(st, sq, batch);

		/* Wake exactly the callers of this batch. A caller may return
		 * (and its job vanish) as soon as it sees done, so read next
		 * before marking. */
		pthread_mutex_lock(&sq->mu);
		for (struct job *j = batch, *next; j; j = next) {
			next = j->next;
			j->done = 1;
			pthread_cond_signal(&j->cv);
		}
	}
	pthread_mutex_unlock(&sq->mu);
	return NULL;
}

int sq_write(struct store *st, store_write_fn fn, void *ctx, struct err *e)
{
	struct sq *sq = st->impl;
	struct job j = { .fn = fn, .ctx = ctx, .e = e };

	if (!sq->threaded) {
		pthread_mutex_lock(&sq->mu);
		run_batch(st, sq, &j);
		pthread_mutex_unlock(&sq->mu);
		return j.rc;
	}
	pthread_cond_init(&j.cv, NULL);
	pthread_mutex_lock(&sq->mu);
	if (sq->tail)
		sq->tail->next = &j;
	else
		sq->head = &j;
	sq->tail = &j;
	pthread_cond_signal(&sq->cv_work);
	while (!j.done)
		pthread_cond_wait(&j.cv, &sq->mu);
	pthread_mutex_unlock(&sq->mu);
	pthread_cond_destroy(&j.cv);
	return j.rc;
}

int sq_open(struct store *st, const char *path, int flags, struct err *e)
{
	static pthread_once_t watch_once = PTHREAD_ONCE_INIT;
	struct sq *sq = calloc(1, sizeof(*sq));
	int rc;

	pthread_once(&watch_once, jx_watch_alloc); /* for run_batch */
	if (!sq)
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	sq->drv = db_driver_for(path);
	snprintf(sq->uri, sizeof(sq->uri), "%s", path);
	pthread_mutex_init(&sq->mu, NULL);
	pthread_mutex_init(&sq->reg_mu, NULL);
	pthread_mutex_init(&sq->lead_mu, NULL);
	{
		struct timespec now;

		clock_gettime(CLOCK_REALTIME, &now);
		snprintf(sq->instance, sizeof(sq->instance), "%d.%lld", (int)getpid(),
			 (long long)now.tv_sec * 1000000000LL + now.tv_nsec);
	}
	pthread_cond_init(&sq->cv_work, NULL);
	pthread_key_create(&sq->rkey, NULL);
	st->impl = sq;
	rc = sq->drv->open(path, 1, &sq->writer, e);
	if (!rc)
		rc = db_migrate(sq->writer, e);
	if (rc)
		return rc;
	if (flags & STORE_SERVER) {
		sq->threaded = 1;
		if (pthread_create(&sq->thread, NULL, writer_main, st))
			return err_set(e, ERR_INTERNAL, NULL, "cannot start the writer thread");
	}
	return 0;
}

void sq_close(struct store *st)
{
	struct sq *sq = st->impl;

	if (!sq)
		return;
	if (sq->following) {
		pthread_mutex_lock(&sq->mu);
		sq->stopping = 1;
		pthread_mutex_unlock(&sq->mu);
		pthread_join(sq->follower, NULL);
	}
	if (sq->listener)
		sq->drv->close(sq->listener);
	if (sq->leads)
		sq->drv->close(sq->leads);
	if (sq->threaded) {
		pthread_mutex_lock(&sq->mu);
		sq->stopping = 1;
		pthread_cond_signal(&sq->cv_work);
		pthread_mutex_unlock(&sq->mu);
		pthread_join(sq->thread, NULL);
	}
	pthread_setspecific(sq->rkey, NULL);
	while (sq->readers) {
		struct db *c = sq->readers;

		sq->readers = c->next;
		sq->drv->close(c);
	}
	if (sq->writer)
		sq->drv->close(sq->writer);
	pthread_key_delete(sq->rkey);
	free(sq);
	st->impl = NULL;
}

int sq_ping(struct store *st)
{
	struct db *c = sq_conn(st, NULL);
	struct db_stmt *s;

	if (!c || !(s = db_stmt(c, "SELECT 1", NULL)))
		return ERR_INTERNAL;
	return db_done(s, NULL, NULL, NULL) ? ERR_INTERNAL : 0;
}

int sq_backup(struct store *st, const char *path, struct err *e)
{
	struct sq *sq = st->impl;

	if (!sq->drv->backup) /* the domain asks store_is_file first */
		return err_set(e, ERR_INVALID, NULL, "a %s store has no file to copy",
			       sq->drv->name);
	return sq->drv->backup(sq->uri, path, e);
}

int sq_check(struct store *st, struct err *e)
{
	struct sq *sq = st->impl;
	struct db *c = sq_conn(st, NULL);

	if (!c)
		return err_set(e, ERR_INTERNAL, NULL, "store connection unavailable");
	return sq->drv->check(c, sq->uri, e);
}

/* A read transaction on this thread's connection, held until
 * sq_snapshot_end, so every read between sees one state of the store. */
int sq_snapshot_begin(struct store *st, struct err *e)
{
	struct db *c = sq_conn(st, NULL);

	if (!c)
		return err_set(e, ERR_INTERNAL, NULL, "store connection unavailable");
	int own, rc = db_read_begin(c, &own, e);

	if (!rc && !own)
		rc = err_set(e, ERR_INTERNAL, NULL, "a snapshot inside a transaction");
	return rc;
}

void sq_snapshot_end(struct store *st)
{
	struct db *c = sq_conn(st, NULL);

	if (c)
		db_read_end(c, 1);
}

int sq_bulk(struct store_tx *tx, int on)
{
	struct db *c = sq_txc(tx);

	return c->drv->bulk(c, on);
}

/* ---- several processes on one store ---- */

int sq_leader(struct store *st, const char *role)
{
	struct sq *sq = st->impl;
	struct err e = { 0 };
	int lead = 0, i;

	if (!sq->drv->lead)
		return 1;
	pthread_mutex_lock(&sq->lead_mu);
	for (i = 0; i < (int)(sizeof(sq->roles) / sizeof(sq->roles[0])); i++)
		if (!sq->roles[i].role[0] || !strcmp(sq->roles[i].role, role))
			break;
	if (i == (int)(sizeof(sq->roles) / sizeof(sq->roles[0]))) {
		log_error("msg=\"too many roles\" role=%s", LOG_STR(role));
	} else {
		snprintf(sq->roles[i].role, sizeof(sq->roles[i].role), "%s", role);
		if (!sq->leads && sq->drv->open(sq->uri, 0, &sq->leads, &e))
			log_warn("msg=\"cannot open the leadership connection\" err=%s",
				 LOG_STR(e.msg));
		else if ((lead = sq->drv->lead(sq->leads, role, &sq->roles[i].held, &e)) < 0)
			log_warn("msg=\"leadership unknown\" role=%s err=%s", LOG_STR(role),
				 LOG_STR(e.msg));
	}
	pthread_mutex_unlock(&sq->lead_mu);
	return lead > 0;
}

/* An announcement is "instance<TAB>topic<TAB>text", sent with the batch's
 * others just before it commits (flush). */
int sq_announce(struct store_tx *tx, const char *topic, const char *text, struct err *e)
{
	struct sq *sq = tx->st->impl;
	struct sq_tx *t = (struct sq_tx *)tx;
	char *msg;
	int rc = 0;

	if (!t->c->drv->notify)
		return 0;
	if (asprintf(&msg, "%s\t%s\t%s", sq->instance, topic, text) < 0)
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	if (json_array_append_new(t->notes, json_string(msg)))
		rc = err_set(e, ERR_INTERNAL, NULL, "out of memory");
	free(msg);
	return rc;
}

static void heard(const char *msg, void *arg)
{
	struct sq *sq = arg;
	const char *topic, *text;
	char name[32];
	size_t n = strlen(sq->instance);

	if (!msg) {
		sq->follow_fn(NULL, NULL, sq->follow_ctx);
		return;
	}
	if (!strncmp(msg, sq->instance, n) && msg[n] == '\t')
		return; /* our own: told in this process already */
	if (!(topic = strchr(msg, '\t')) || !(text = strchr(++topic, '\t')) ||
	    (size_t)(text - topic) >= sizeof(name))
		return;
	snprintf(name, sizeof(name), "%.*s", (int)(text - topic), topic);
	sq->follow_fn(name, text + 1, sq->follow_ctx);
}

static void *follow_main(void *arg)
{
	struct sq *sq = arg;

	for (;;) {
		struct err e = { 0 };
		int stop;

		pthread_mutex_lock(&sq->mu);
		stop = sq->stopping;
		pthread_mutex_unlock(&sq->mu);
		if (stop)
			break;
		if (sq->drv->listen(sq->listener, 200, heard, sq, &e)) {
			log_warn("msg=\"cannot follow the store\" err=%s", LOG_STR(e.msg));
			nanosleep(&(struct timespec){ 0, 500000000L }, NULL);
		}
	}
	return NULL;
}

int sq_follow(struct store *st, store_follow_fn fn, void *ctx, struct err *e)
{
	struct sq *sq = st->impl;
	int rc;

	if (!sq->drv->listen || sq->following)
		return 0;
	if ((rc = sq->drv->open(sq->uri, 0, &sq->listener, e)))
		return rc;
	sq->follow_fn = fn;
	sq->follow_ctx = ctx;
	if (pthread_create(&sq->follower, NULL, follow_main, sq))
		return err_set(e, ERR_INTERNAL, NULL, "cannot start the store's follower");
	sq->following = 1;
	return 0;
}
