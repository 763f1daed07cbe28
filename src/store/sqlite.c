/*
 * sqlite.c — the SQLite backend: opening, migrating, connections, the
 * group-commit writer, and the one way every statement is stepped and its
 * rows read (sq_next, sq_one, sq_all, sq_scan, sq_each, sq_json).
 *
 * Invariants:
 *  - a step ends in a row, in SQLITE_DONE, or in an error that reaches the
 *    caller (sq_fail: busy ERR_BUSY, full ERR_FULL, else ERR_INTERNAL); a
 *    column SQLite could not convert for want of memory fails the read; a
 *    list is whole or an error, never short;
 *  - WAL mode with synchronous=FULL: a COMMIT returns after the WAL is
 *    fsynced, so a write acknowledged to a client survives a crash;
 *  - in the server (STORE_SERVER) only the writer thread writes: it takes
 *    every queued write, runs them in one BEGIN IMMEDIATE … COMMIT with a
 *    savepoint each, and wakes each caller with its own result after the
 *    commit; one fsync serves the whole batch (group commit);
 *  - a job during which jansson failed to allocate is refused: a value it
 *    built (the audit record's state) may be silently missing a member;
 *  - a job is reported done only when its batch committed: when SQLite
 *    rolls the transaction back by itself, or a savepoint or COMMIT fails,
 *    every job of the batch fails with that error;
 *  - other processes (the CLI) may write the same file; SQLite's lock and
 *    the busy timeout order them;
 *  - every other thread reads through a connection of its own.
 */
#include "store/sqlite_int.h"
#include "lib/embedded.h"
#include "lib/jsonx.h"
#include "lib/log.h"

#include <pthread.h>
#include <stdarg.h>
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

static void conn_close(struct conn *c);

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
	/* Durability and the foreign keys are invariants: a connection
	 * without them is not opened. */
	rc = sqlite3_exec(c->db,
			  "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
			  "PRAGMA temp_store=MEMORY;",
			  NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		rc = sq_fail(c, rc, e);
		conn_close(c);
		return rc;
	}
	/* Page cache: 4 MiB for the writer (created with the store), 512 KiB
	 * for each reader: with one reader per server thread, a large cache
	 * each would multiply the resident memory by the thread count. Only
	 * the memory used depends on it, so a failure is not one of the open. */
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

int sq_fail(struct conn *c, int rc, struct err *e)
{
	/* The connection's message when it speaks of rc (the fault build fails
	 * a step SQLite never saw), else the code's own. */
	const char *msg = (sqlite3_errcode(c->db) & 0xff) == (rc & 0xff) ? sqlite3_errmsg(c->db)
									  : sqlite3_errstr(rc);

	switch (rc & 0xff) {
	case SQLITE_CONSTRAINT:
		return err_set(e, ERR_CONFLICT, NULL, "store: %s", msg);
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return err_set(e, ERR_BUSY, NULL, "store busy: %s; retry later", msg);
	case SQLITE_FULL:
		log_error("msg=\"store full\" rc=%d err=%s", rc, LOG_STR(msg));
		return err_set(e, ERR_FULL, NULL, "store: the disk is full");
	default:
		log_error("msg=\"sqlite error\" rc=%d err=%s", rc, LOG_STR(msg));
		return err_set(e, ERR_INTERNAL, NULL, "store: %s", msg);
	}
}

int sq_done(struct conn *c, sqlite3_stmt *s, const char *field, const char *conflict,
	    struct err *e)
{
	int rc = sqlite3_step(s);

	if (rc == SQLITE_DONE) {
		sqlite3_reset(s);
		return 0;
	}
	if (conflict && (rc & 0xff) == SQLITE_CONSTRAINT)
		rc = err_set(e, ERR_CONFLICT, field, "%s", conflict);
	else
		rc = sq_fail(c, rc, e);
	sqlite3_reset(s);
	return rc;
}

int sq_done_versioned(struct conn *c, sqlite3_stmt *s, struct err *e, const char *what_fmt, ...)
{
	char what[160];
	va_list ap;
	int rc = sq_done(c, s, NULL, NULL, e);

	if (rc || sqlite3_changes(c->db) == 1)
		return rc;
	va_start(ap, what_fmt);
	vsnprintf(what, sizeof(what), what_fmt, ap);
	va_end(ap);
	return err_set(e, ERR_CONFLICT, "version", "%s was changed meanwhile", what);
}

int sq_next(struct conn *c, sqlite3_stmt *s, struct err *e)
{
	int rc = sqlite3_step(s);

	if (rc == SQLITE_ROW)
		return 1;
	rc = rc == SQLITE_DONE ? 0 : sq_fail(c, rc, e);
	sqlite3_reset(s);
	return rc;
}

/* Read the row s is on into item. A column SQLite could not convert for
 * want of memory (sqlite3_column_text returns NULL and the connection's
 * error becomes SQLITE_NOMEM) fails the read as surely as our own
 * allocations. On failure the item is released and s reset. */
static int read_row(struct conn *c, sqlite3_stmt *s, const struct sq_kind *k, void *item,
		    struct err *e)
{
	int rc = k->read(s, item);

	if (rc >= 0 && sqlite3_errcode(c->db) == SQLITE_NOMEM)
		rc = ERR_INTERNAL;
	if (rc > 0 && k->release)
		k->release(item);
	if (rc < 0) {
		if (k->release)
			k->release(item);
		sqlite3_reset(s);
		return err_set(e, rc, NULL, "store: cannot read a row: out of memory");
	}
	return rc;
}

int sq_one(struct conn *c, sqlite3_stmt *s, const struct sq_kind *k, void *item, struct err *e)
{
	int rc = sq_next(c, s, e);

	if (rc <= 0)
		return rc ? rc : ERR_NOT_FOUND;
	if ((rc = read_row(c, s, k, item, e)) < 0)
		return rc;
	sqlite3_reset(s);
	return rc ? ERR_NOT_FOUND : 0;
}

int sq_one_by(struct conn *c, const char *by_key, const char *by_id, const char *key, int64_t id,
	      const struct sq_kind *k, void *item, struct err *e)
{
	sqlite3_stmt *s = sq_stmt(c, key ? by_key : by_id, e);

	if (!s)
		return ERR_INTERNAL;
	if (key)
		sq_bind_str(s, 1, key);
	else
		sqlite3_bind_int64(s, 1, id);
	return sq_one(c, s, k, item, e);
}

int sq_all(struct conn *c, sqlite3_stmt *s, const struct sq_kind *k, size_t limit, void **items,
	   size_t *n, int *more, struct err *e)
{
	size_t cap = 0;
	int rc;

	*items = NULL;
	*n = 0;
	if (more)
		*more = 0;
	while ((rc = sq_next(c, s, e)) > 0) {
		void *item;

		if (limit && *n == limit) {
			if (more)
				*more = 1;
			sqlite3_reset(s);
			return 0;
		}
		if (!(item = sq_grow(items, n, &cap, k->size))) {
			sqlite3_reset(s);
			rc = err_set(e, ERR_INTERNAL, NULL, "out of memory");
			break;
		}
		if ((rc = read_row(c, s, k, item, e)) < 0)
			break;
		if (rc > 0)
			(*n)--;
	}
	if (!rc)
		return 0;
	for (size_t i = 0; k->release && i < *n; i++)
		k->release((char *)*items + i * k->size);
	free(*items);
	*items = NULL;
	*n = 0;
	return rc;
}

int sq_scan(struct conn *c, sqlite3_stmt *s, const struct sq_kind *k, sq_use_fn use, void *ctx,
	    struct err *e)
{
	void *item = calloc(1, k->size);
	int rc;

	if (!item) {
		sqlite3_reset(s);
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	}
	while ((rc = sq_next(c, s, e)) > 0) {
		if ((rc = read_row(c, s, k, item, e)) < 0)
			break;
		if (rc > 0) { /* passed over (and released) */
			memset(item, 0, k->size);
			continue;
		}
		rc = use(item, ctx);
		if (k->release)
			k->release(item);
		memset(item, 0, k->size);
		if (rc) {
			sqlite3_reset(s);
			break;
		}
	}
	free(item);
	return rc > 0 ? 0 : rc;
}

int sq_scan_whole(struct conn *c, sqlite3_stmt *s, const struct sq_kind *k, sq_use_fn use,
		  void *ctx, struct err *e)
{
	int rc, own;

	if ((rc = sq_read_begin(c, &own, e))) {
		sqlite3_reset(s);
		return rc;
	}
	rc = sq_scan(c, s, k, use, ctx, e);
	sq_read_end(c, own);
	return rc;
}

int sq_each(struct conn *c, sqlite3_stmt *s, sq_row_fn fn, void *ctx, struct err *e)
{
	int rc;

	while ((rc = sq_next(c, s, e)) > 0) {
		rc = fn(s, ctx);
		if (!rc && sqlite3_errcode(c->db) == SQLITE_NOMEM)
			rc = err_set(e, ERR_INTERNAL, NULL, "store: cannot read a row: out of memory");
		if (rc) {
			sqlite3_reset(s);
			break;
		}
	}
	return rc > 0 ? 0 : rc;
}

int sq_json(struct conn *c, sqlite3_stmt *s, sq_json_fn row, json_t **out, struct err *e)
{
	json_t *a = json_array();
	int rc;

	*out = NULL;
	if (!a) {
		sqlite3_reset(s);
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	}
	while ((rc = sq_next(c, s, e)) > 0) {
		json_t *j = row(s);

		if (j && sqlite3_errcode(c->db) == SQLITE_NOMEM) {
			json_decref(j);
			j = NULL;
		}
		if (!j || json_array_append_new(a, j)) {
			sqlite3_reset(s);
			rc = err_set(e, ERR_INTERNAL, NULL, "store: cannot read a row: out of memory");
			break;
		}
	}
	if (rc) {
		json_decref(a);
		return rc;
	}
	*out = a;
	return 0;
}

static int read_int64(sqlite3_stmt *s, void *item)
{
	*(int64_t *)item = sqlite3_column_int64(s, 0);
	return 0;
}

const struct sq_kind sq_int64 = { sizeof(int64_t), read_int64, NULL };

int sq_read_begin(struct conn *c, int *own, struct err *e)
{
	int rc;

	*own = sqlite3_get_autocommit(c->db);
	if (!*own)
		return 0;
	rc = sqlite3_exec(c->db, "BEGIN", NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		return 0;
	*own = 0;
	return sq_fail(c, rc, e);
}

/* A read transaction left open would hold this thread's connection on an
 * old state for good: when COMMIT fails, roll back. */
void sq_read_end(struct conn *c, int own)
{
	if (!own || sqlite3_get_autocommit(c->db))
		return;
	if (sqlite3_exec(c->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK &&
	    sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL) != SQLITE_OK)
		log_error("msg=\"cannot end a read transaction\" err=%s",
			  LOG_STR(sqlite3_errmsg(c->db)));
}

void sq_text(sqlite3_stmt *s, int col, char *out, size_t n)
{
	const unsigned char *t = sqlite3_column_text(s, col);

	snprintf(out, n, "%s", t ? (const char *)t : "");
}

int sq_dup(sqlite3_stmt *s, int col, char **out)
{
	const unsigned char *t = sqlite3_column_text(s, col);

	*out = t ? strdup((const char *)t) : NULL;
	return t && !*out ? ERR_INTERNAL : 0;
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

/* PRAGMA user_version into *version. */
static int user_version(struct conn *c, int *version, struct err *e)
{
	sqlite3_stmt *s;
	int rc = sqlite3_prepare_v2(c->db, "PRAGMA user_version", -1, &s, NULL);

	if (rc != SQLITE_OK)
		return sq_fail(c, rc, e);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*version = sqlite3_column_int(s, 0);
		rc = 0;
	} else {
		rc = sq_fail(c, rc == SQLITE_DONE ? SQLITE_CORRUPT : rc, e);
	}
	sqlite3_finalize(s);
	return rc;
}

/* Apply every embedded migration whose number (the file name's leading
 * digits: 001_init.sql is 1) is above the store's user_version, in order,
 * each in its own transaction together with the new user_version. */
static int migrate(struct conn *c, struct err *e)
{
	int version, rc;

	if ((rc = user_version(c, &version, e)))
		return rc;
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
		if ((rc = user_version(c, &version, e))) {
			exec(c, "ROLLBACK", NULL);
			return rc;
		}
		if (version >= n) {
			if ((rc = exec(c, "COMMIT", e)))
				return rc;
			continue;
		}
		snprintf(pragma, sizeof(pragma), "PRAGMA user_version=%d", n);
		if ((rc = exec(c, (const char *)m->data, e)) || (rc = exec(c, pragma, e))) {
			exec(c, "ROLLBACK", NULL);
			return err_set(e, rc, NULL, "migration %s failed: %s", m->path, e->msg);
		}
		if ((rc = exec(c, "COMMIT", e))) {
			exec(c, "ROLLBACK", NULL);
			return rc;
		}
		version = n;
		log_info("msg=\"migrated store\" migration=%s", LOG_STR(m->path + 1));
	}
	return 0;
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

/* Run a batch of jobs in one transaction; set each job's rc.
 *
 * A job's failure rolls back its savepoint only. But when the savepoint
 * cannot be rolled back, or SQLite has rolled back the whole transaction
 * itself (it may, on an I/O error, a full disk or no memory), or COMMIT
 * fails, nothing of the batch is stored: every job that had succeeded is
 * told so, with the error that undid it. */
static void run_batch(struct store *st, struct sq *sq, struct job *jobs)
{
	struct conn *w = sq->writer;
	struct sq_tx tx = { { st }, w, NULL, 0, 0 };
	struct err e = { 0 };
	int rc;

	/* A transaction a failed ROLLBACK left open would refuse every BEGIN. */
	if (!sqlite3_get_autocommit(w->db))
		step(w, SQL_ROLLBACK, NULL);
	if ((rc = step(w, SQL_BEGIN, &e))) {
		for (struct job *j = jobs; j; j = j->next)
			j->rc = err_set(j->e, rc, NULL, "store unavailable: %s", e.msg);
		return;
	}
	for (struct job *j = jobs; j; j = j->next) {
		size_t mark = tx.npending;

		unsigned long json_failures = jx_alloc_failures();
		int saved = !(j->rc = step(w, SQL_SAVEPOINT, j->e));

		if (saved) {
			j->rc = j->fn(&tx.base, j->ctx, j->e);
			/* whatever fn answered: a NULL it met may have read as bad input */
			if (jx_alloc_failures() != json_failures)
				j->rc = err_set(j->e, ERR_INTERNAL, NULL, "out of memory");
		}
		if (sqlite3_get_autocommit(w->db)) {
			rc = j->rc && j->e ? err_set(&e, j->rc, NULL, "%s", j->e->msg)
					   : err_set(&e, ERR_INTERNAL, NULL, "transaction rolled back");
			if (!j->rc)
				j->rc = err_set(j->e, rc, NULL, "%s", e.msg);
			break;
		}
		if (!saved) /* nothing of this job to undo */
			continue;
		if (j->rc) {
			if ((rc = step(w, SQL_ROLLBACK_TO, &e)))
				break;
			settle(&tx, mark, 0);
		}
		/* A savepoint left unreleased is folded into the commit. */
		step(w, SQL_RELEASE, NULL);
	}
	if (!rc)
		rc = step(w, SQL_COMMIT, &e);
	if (rc) {
		if (!sqlite3_get_autocommit(w->db) && step(w, SQL_ROLLBACK, NULL))
			log_error("msg=\"cannot roll back a failed batch\"");
		for (struct job *j = jobs; j; j = j->next)
			if (!j->rc)
				j->rc = err_set(j->e, rc, NULL, "not stored: %s", e.msg);
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
	static pthread_once_t watch_once = PTHREAD_ONCE_INIT;
	struct sq *sq = calloc(1, sizeof(*sq));
	int rc;

	pthread_once(&watch_once, jx_watch_alloc); /* for run_batch */
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

