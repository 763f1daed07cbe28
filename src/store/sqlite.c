/*
 * sqlite.c — the SQLite backend: opening, migrating, connections and the
 * group-commit writer.
 *
 * Invariants:
 *  - WAL mode with synchronous=FULL: a COMMIT returns after the WAL is
 *    fsynced, so a write acknowledged to a client survives a crash;
 *  - in the server (STORE_SERVER) only the writer thread writes: it takes
 *    every queued write, runs them in one BEGIN IMMEDIATE … COMMIT with a
 *    savepoint each, and wakes each caller with its own result after the
 *    commit; one fsync serves the whole batch (group commit);
 *  - other processes (the CLI) may write the same file; SQLite's lock and
 *    the busy timeout order them;
 *  - every other thread reads through a connection of its own.
 */
#include "store/sqlite_int.h"
#include "lib/embedded.h"
#include "lib/log.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

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
	char path[512];
	int threaded;
	struct conn *writer;
	pthread_mutex_t mu;
	pthread_cond_t cv_work;
	struct job *head, *tail;
	int stopping;
	pthread_t thread;
	pthread_key_t rkey;
	pthread_mutex_t reg_mu;
	struct conn *readers;
};

static int conn_open(const char *path, int create, struct conn **out, struct err *e)
{
	struct conn *c = calloc(1, sizeof(*c));
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
	int rc;

	if (!c)
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	rc = sqlite3_open_v2(path, &c->db, flags, NULL);
	if (rc != SQLITE_OK) {
		err_set(e, ERR_INTERNAL, NULL, "cannot open store '%s': %s", path,
			c->db ? sqlite3_errmsg(c->db) : sqlite3_errstr(rc));
		sqlite3_close(c->db);
		free(c);
		return ERR_INTERNAL;
	}
	sqlite3_busy_timeout(c->db, 10000);
	sqlite3_exec(c->db,
		     "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
		     "PRAGMA temp_store=MEMORY;",
		     NULL, NULL, NULL);
	/* Page cache: 4 MiB for the writer (created with the store), 512 KiB
	 * for each reader: with one reader per server thread, a large cache
	 * each would multiply the resident memory by the thread count. */
	sqlite3_exec(c->db, create ? "PRAGMA cache_size=-4096" : "PRAGMA cache_size=-512", NULL,
		     NULL, NULL);
	*out = c;
	return 0;
}

static void conn_close(struct conn *c)
{
	if (!c)
		return;
	for (int i = 0; i < CONN_CACHE; i++)
		if (c->cache[i].stmt)
			sqlite3_finalize(c->cache[i].stmt);
	sqlite3_close(c->db);
	free(c);
}

sqlite3_stmt *sq_stmt(struct conn *c, const char *sql, struct err *e)
{
	int i, rc;

	for (i = 0; i < CONN_CACHE && c->cache[i].sql; i++)
		if (c->cache[i].sql == sql) {
			sqlite3_reset(c->cache[i].stmt);
			sqlite3_clear_bindings(c->cache[i].stmt);
			return c->cache[i].stmt;
		}
	if (i == CONN_CACHE) {
		err_set(e, ERR_INTERNAL, NULL, "statement cache full");
		return NULL;
	}
	rc = sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &c->cache[i].stmt,
				NULL);
	if (rc != SQLITE_OK) {
		err_set(e, ERR_INTERNAL, NULL, "prepare failed: %s", sqlite3_errmsg(c->db));
		log_error("msg=\"prepare failed\" err=%s sql=%s", LOG_STR(sqlite3_errmsg(c->db)),
			  LOG_STR(sql));
		return NULL;
	}
	c->cache[i].sql = sql;
	return c->cache[i].stmt;
}

/* Append a zeroed element to a growing array; NULL when out of memory. */
void *sq_grow(void **arr, size_t *n, size_t *cap, size_t size)
{
	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 16;
		void *p = realloc(*arr, nc * size);

		if (!p)
			return NULL;
		*arr = p;
		*cap = nc;
	}
	memset((char *)*arr + *n * size, 0, size);
	return (char *)*arr + (*n)++ * size;
}

int sq_done(struct conn *c, sqlite3_stmt *s, const char *field, const char *conflict,
	    struct err *e)
{
	int rc = sqlite3_step(s);

	sqlite3_reset(s);
	if (rc == SQLITE_DONE)
		return 0;
	if (conflict && (rc & 0xff) == SQLITE_CONSTRAINT)
		return err_set(e, ERR_CONFLICT, field, "%s", conflict);
	return sq_fail(c, rc, e);
}

int sq_fail(struct conn *c, int rc, struct err *e)
{
	int code = ERR_INTERNAL;

	if ((rc & 0xff) == SQLITE_CONSTRAINT)
		code = ERR_CONFLICT;
	else if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
		code = ERR_BUSY;
	if (code == ERR_INTERNAL)
		log_error("msg=\"sqlite error\" rc=%d err=%s", rc, LOG_STR(sqlite3_errmsg(c->db)));
	return err_set(e, code, NULL, "store: %s", sqlite3_errmsg(c->db));
}

void sq_text(sqlite3_stmt *s, int col, char *out, size_t n)
{
	const unsigned char *t = sqlite3_column_text(s, col);

	snprintf(out, n, "%s", t ? (const char *)t : "");
}

char *sq_strdup(sqlite3_stmt *s, int col)
{
	const unsigned char *t = sqlite3_column_text(s, col);

	return t ? strdup((const char *)t) : NULL;
}

int64_t sq_int(sqlite3_stmt *s, int col)
{
	return sqlite3_column_int64(s, col);
}

void sq_bind_text(sqlite3_stmt *s, int i, const char *v)
{
	if (v && *v)
		sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(s, i);
}

void sq_bind_str(sqlite3_stmt *s, int i, const char *v)
{
	sqlite3_bind_text(s, i, v ? v : "", -1, SQLITE_STATIC);
}

void sq_bind_id(sqlite3_stmt *s, int i, int64_t v)
{
	if (v)
		sqlite3_bind_int64(s, i, v);
	else
		sqlite3_bind_null(s, i);
}

/* Per-thread read connections: opened on a thread's first read, kept in a
 * registry and closed when the store closes. */
struct conn *sq_conn(struct store *st, struct store_tx *tx)
{
	struct sq *sq = st->impl;
	struct conn *c;
	struct err e;

	if (tx)
		return ((struct sq_tx *)tx)->c;
	c = pthread_getspecific(sq->rkey);
	if (c)
		return c;
	if (conn_open(sq->path, 0, &c, &e)) {
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

static int exec(struct conn *c, const char *sql, struct err *e)
{
	int rc = sqlite3_exec(c->db, sql, NULL, NULL, NULL);

	return rc == SQLITE_OK ? 0 : sq_fail(c, rc, e);
}

/* The writer's own statements, prepared once (exec would parse each time). */
static const char SQL_BEGIN[] = "BEGIN IMMEDIATE";
static const char SQL_COMMIT[] = "COMMIT";
static const char SQL_ROLLBACK[] = "ROLLBACK";
static const char SQL_SAVEPOINT[] = "SAVEPOINT job";
static const char SQL_ROLLBACK_TO[] = "ROLLBACK TO job";
static const char SQL_RELEASE[] = "RELEASE job";

static int step(struct conn *c, const char *sql, struct err *e)
{
	sqlite3_stmt *s = sq_stmt(c, sql, e);
	int rc;

	if (!s)
		return ERR_INTERNAL;
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : sq_fail(c, rc, e);
}

/* Apply every embedded migration whose number (the file name's leading
 * digits: 001_init.sql is 1) is above the store's user_version, in order,
 * each in its own transaction together with the new user_version. */
static int user_version(struct conn *c)
{
	sqlite3_stmt *s;
	int version = 0;

	if (sqlite3_prepare_v2(c->db, "PRAGMA user_version", -1, &s, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(s) == SQLITE_ROW)
		version = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	return version;
}

static int migrate(struct conn *c, struct err *e)
{
	int version = user_version(c), rc;

	if (version < 0)
		return sq_fail(c, SQLITE_ERROR, e);
	for (const struct embedded *m = sql_migrations; m->path; m++) {
		int n = atoi(m->path + 1);
		char pragma[64];

		if (n <= 0)
			return err_set(e, ERR_INTERNAL, NULL, "migration %s has no number", m->path);
		if (n <= version)
			continue;
		rc = exec(c, "BEGIN IMMEDIATE", e);
		if (rc)
			return rc;
		/* Another process may have migrated while we waited for the lock. */
		if ((version = user_version(c)) >= n) {
			exec(c, "COMMIT", NULL);
			continue;
		}
		snprintf(pragma, sizeof(pragma), "PRAGMA user_version=%d", n);
		if ((rc = exec(c, (const char *)m->data, e)) || (rc = exec(c, pragma, e))) {
			exec(c, "ROLLBACK", NULL);
			return err_set(e, rc, NULL, "migration %s failed: %s", m->path, e->msg);
		}
		if ((rc = exec(c, "COMMIT", e)))
			return rc;
		version = n;
		log_info("msg=\"migrated store\" migration=%s", LOG_STR(m->path + 1));
	}
	return 0;
}

void sq_after_commit(struct store_tx *tx, store_commit_fn fn, void *arg)
{
	struct sq_tx *t = (struct sq_tx *)tx;

	if (t->npending == t->cap) {
		size_t n = t->cap ? t->cap * 2 : 8;
		struct sq_pending *p = realloc(t->pending, n * sizeof(*p));

		if (!p) {
			fn(arg, 0);
			return;
		}
		t->pending = p;
		t->cap = n;
	}
	t->pending[t->npending].fn = fn;
	t->pending[t->npending].arg = arg;
	t->npending++;
}

/* Tell the after-commit functions from index `from` on how it went. */
static void settle(struct sq_tx *tx, size_t from, int committed)
{
	for (size_t i = from; i < tx->npending; i++)
		tx->pending[i].fn(tx->pending[i].arg, committed);
	tx->npending = from;
}

/* Run a batch of jobs in one transaction; set each job's rc. */
static void run_batch(struct store *st, struct sq *sq, struct job *jobs)
{
	struct sq_tx tx = { { st }, sq->writer, NULL, 0, 0 };
	struct err e;
	int rc;

	rc = step(sq->writer, SQL_BEGIN, &e);
	if (rc) {
		for (struct job *j = jobs; j; j = j->next)
			j->rc = err_set(j->e, rc == ERR_BUSY ? ERR_BUSY : ERR_INTERNAL, NULL,
					"store unavailable: %s", e.msg);
		return;
	}
	for (struct job *j = jobs; j; j = j->next) {
		size_t mark = tx.npending;

		step(sq->writer, SQL_SAVEPOINT, NULL);
		j->rc = j->fn(&tx.base, j->ctx, j->e);
		if (j->rc) {
			step(sq->writer, SQL_ROLLBACK_TO, NULL);
			settle(&tx, mark, 0);
		}
		step(sq->writer, SQL_RELEASE, NULL);
	}
	rc = step(sq->writer, SQL_COMMIT, &e);
	if (rc) {
		step(sq->writer, SQL_ROLLBACK, NULL);
		for (struct job *j = jobs; j; j = j->next)
			if (!j->rc)
				j->rc = err_set(j->e, ERR_INTERNAL, NULL, "commit failed: %s", e.msg);
	}
	settle(&tx, 0, rc == 0);
	free(tx.pending);
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
	struct sq *sq = calloc(1, sizeof(*sq));
	int rc;

	if (!sq)
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	snprintf(sq->path, sizeof(sq->path), "%s", path);
	pthread_mutex_init(&sq->mu, NULL);
	pthread_mutex_init(&sq->reg_mu, NULL);
	pthread_cond_init(&sq->cv_work, NULL);
	pthread_key_create(&sq->rkey, NULL);
	st->impl = sq;
	rc = conn_open(path, 1, &sq->writer, e);
	if (!rc)
		rc = migrate(sq->writer, e);
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
	if (sq->threaded) {
		pthread_mutex_lock(&sq->mu);
		sq->stopping = 1;
		pthread_cond_signal(&sq->cv_work);
		pthread_mutex_unlock(&sq->mu);
		pthread_join(sq->thread, NULL);
	}
	pthread_setspecific(sq->rkey, NULL);
	while (sq->readers) {
		struct conn *c = sq->readers;

		sq->readers = c->next;
		conn_close(c);
	}
	conn_close(sq->writer);
	pthread_key_delete(sq->rkey);
	free(sq);
	st->impl = NULL;
}

int sq_ping(struct store *st)
{
	struct conn *c = sq_conn(st, NULL);
	sqlite3_stmt *s;
	int rc;

	if (!c || !(s = sq_stmt(c, "SELECT 1", NULL)))
		return ERR_INTERNAL;
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? 0 : ERR_INTERNAL;
}

