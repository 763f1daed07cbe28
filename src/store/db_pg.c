/*
 * db_pg.c — the PostgreSQL driver of the database layer (db.h), on libpq.
 *
 * The URI is any libpq connection string: postgresql://user@host/db?…,
 * several hosts with target_session_attrs=read-write included. Statements
 * are prepared once per connection, with the parameter types of their
 * binds (an int binds int8, a text text, a blob bytea; an unbound
 * parameter is a NULL whose type PostgreSQL infers); a statement bound
 * with other types is prepared again under another name. Results come as
 * text and are read row by row from the whole result.
 *
 * Dialect, kept here: ?N becomes $N; the migrations' SQLite DDL is turned
 * into PostgreSQL's (translate_ddl); the functions the shared SQL uses
 * that PostgreSQL lacks (instr, json_each, json_extract, json_type) are
 * created before the migrations run; the schema number lives in the table
 * itsm_schema; migrations run under an advisory lock.
 *
 * Invariants:
 *  - a connection refuses to open on a server that would acknowledge a
 *    commit before it is durable (fsync or synchronous_commit off);
 *  - a lost connection is reopened (libpq tries every host of the string)
 *    on the next statement, never inside a transaction: a transaction the
 *    connection took with it is reported gone (DB_TX_NONE), so the writer
 *    fails its batch instead of running the rest outside it;
 *  - a failed statement inside a transaction leaves it DB_TX_FAILED until
 *    the savepoint is rolled back;
 *  - statements sent without waiting (step_later, exec_later: libpq's
 *    pipeline mode) are all answered before anything else runs on the
 *    connection, in the round trip of the next statement waited for; when
 *    one of them failed, the transaction is rolled back whole and that
 *    statement reports the failure.
 */
#include "store/db.h"
#include "lib/buf.h"
#include "lib/log.h"

#include <ctype.h>
#include <libpq-fe.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STMT_CACHE 512
/* Commands in one pipe before it is read anyway: their answers must fit
 * the socket's buffers while we are still writing (blocking mode). */
#define PIPE_MAX 64
#define MAX_PARAMS 48
#define VARIANTS 4
/* pg_advisory_lock key of the migrations: "itsm" in ASCII. */
#define MIGRATION_LOCK 1769239405

/* PostgreSQL's type oids (pg_type.h, stable across versions). */
enum { OID_BOOL = 16, OID_BYTEA = 17, OID_INT8 = 20, OID_TEXT = 25, OID_FLOAT8 = 701 };

struct variant {
	char name[24];
	Oid types[MAX_PARAMS];
};

struct pstmt {
	struct db_stmt base;
	const char *sql; /* the key: the static string */
	char *text;	 /* the SQL with $N */
	int nparams;
	struct variant var[VARIANTS];
	int nvar, next_var;
	/* The binds of the next run; num holds the text of numbers. */
	Oid types[MAX_PARAMS];
	const char *values[MAX_PARAMS];
	int lengths[MAX_PARAMS], formats[MAX_PARAMS];
	unsigned char bound[MAX_PARAMS];
	char num[MAX_PARAMS][32];
	PGresult *res;
	int row, nrows;
	int64_t changes;
	unsigned char *blob; /* a decoded bytea column */
	size_t blobcap;
};

struct pg {
	struct db base;
	PGconn *conn;
	int tx;		/* a transaction is open (as last seen) */
	int listening;	/* LISTEN itsm was run */
	unsigned epoch; /* bumped when the connection is reopened */
	int piped;	/* in pipeline mode, with sent commands to read */
	int nsent;	/* commands sent in it whose answers are unread */
	/* the prepares sent in the pipe: a variant whose prepare did not
	 * succeed is forgotten when the pipe is read */
	struct {
		struct variant *v;
		int cmd, ok;
	} prep[PIPE_MAX + 8]; /* nsent stays below PIPE_MAX + 6 (pg_step_later) */
	int nprep;
	unsigned seq;
	int nstmt;
	struct pstmt *stmts[STMT_CACHE];
};

static inline struct pg *G(struct db *c)
{
	return (struct pg *)c;
}
static inline struct pstmt *P(struct db_stmt *s)
{
	return (struct pstmt *)s;
}

/* The first line of a libpq message, without its "ERROR:  " prefix. */
static void first_line(const char *msg, char *out, size_t n)
{
	size_t len;

	if (!msg)
		msg = "";
	if (!strncmp(msg, "ERROR:  ", 8))
		msg += 8;
	len = strcspn(msg, "\n");
	snprintf(out, n, "%.*s", (int)len, msg);
}

/* Whether a failure (state: its SQLSTATE, NULL when the server sent none)
 * means the connection is gone or going: the link broke, or the server
 * said it is shutting down or crashed (57P…). */
static int gone(struct pg *c, const char *state)
{
	return PQstatus(c->conn) == CONNECTION_BAD || !state || !strncmp(state, "08", 2) ||
	       !strncmp(state, "57P", 3);
}

/* A failed command into e by its SQLSTATE: integrity (23…) and a trigger's
 * refusal (P0001) are ERR_CONFLICT; a lost or refusing connection, a
 * standby (25006), a serialization failure or deadlock ERR_BUSY; a full
 * disk ERR_FULL; anything else ERR_INTERNAL, logged. */
static int pg_fail(struct pg *c, const PGresult *res, struct err *e)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	char msg[240];

	first_line(res ? PQresultErrorMessage(res) : PQerrorMessage(c->conn), msg, sizeof(msg));
	if (gone(c, state) || !strcmp(state, "25006") || !strcmp(state, "40001") ||
	    !strcmp(state, "40P01")) {
		log_warn("msg=\"store unavailable\" sqlstate=%s err=%s", LOG_STR(state ? state : ""),
			 LOG_STR(msg));
		return err_set(e, ERR_BUSY, NULL, "store unavailable: %s; retry later", msg);
	}
	if (!strncmp(state, "23", 2) || !strcmp(state, "P0001"))
		return err_set(e, ERR_CONFLICT, NULL, "store: %s", msg);
	if (!strcmp(state, "53100")) {
		log_error("msg=\"store full\" err=%s", LOG_STR(msg));
		return err_set(e, ERR_FULL, NULL, "store: the disk is full");
	}
	log_error("msg=\"postgresql error\" sqlstate=%s err=%s", LOG_STR(state), LOG_STR(msg));
	return err_set(e, ERR_INTERNAL, NULL, "store: %s", msg);
}

/* Whether a command failed because the connection is gone (gone()). */
static int lost(struct pg *c, const PGresult *r)
{
	ExecStatusType st = PQresultStatus(r);

	if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
		return 0;
	return gone(c, r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL);
}

static void note_tx(struct pg *c)
{
	PGTransactionStatusType t = PQtransactionStatus(c->conn);

	if (t != PQTRANS_UNKNOWN)
		c->tx = t != PQTRANS_IDLE;
}

static void quiet(void *arg, const char *msg)
{
	(void)arg;
	log_debug("msg=\"postgresql notice\" notice=%s", LOG_STR(msg));
}

/* Connect again (a transaction open on the old link is gone with it):
 * whether the new link is up. */
static int reset_conn(struct pg *c)
{
	PQreset(c->conn);
	c->piped = c->nsent = c->nprep = 0;
	c->tx = 0;
	c->epoch++;
	for (int i = 0; i < c->nstmt; i++)
		c->stmts[i]->nvar = 0; /* prepared on the old connection */
	if (PQstatus(c->conn) != CONNECTION_OK)
		return 0;
	PQsetNoticeProcessor(c->conn, quiet, NULL);
	return 1;
}

/* A connection that is usable, reopened when it was lost (or, force, is
 * known to be going) outside a transaction. */
static int reopen(struct pg *c, int force, struct err *e)
{
	if (PQstatus(c->conn) == CONNECTION_OK && !force)
		return 0;
	if (c->tx)
		return err_set(e, ERR_BUSY, NULL, "store unavailable: the connection was lost");
	if (!reset_conn(c)) {
		char msg[240];

		first_line(PQerrorMessage(c->conn), msg, sizeof(msg));
		return err_set(e, ERR_BUSY, NULL, "store unavailable: %s; retry later", msg);
	}
	log_info("msg=\"store reconnected\" host=%s", LOG_STR(PQhost(c->conn)));
	return 0;
}

/* ---- statements sent without waiting (libpq's pipeline mode) ---- */

static int pipe_open(struct pg *c, struct err *e)
{
	if (c->piped)
		return 0;
	if (!PQenterPipelineMode(c->conn))
		return pg_fail(c, NULL, e);
	c->piped = 1;
	c->nsent = 0;
	return 0;
}

/* Sync the pipe and read every answer in it, then leave pipeline mode.
 * last (or NULL) is the statement waited for, sent last: its result goes
 * to last->res (a failure of its own is returned like pg_step's, the
 * transaction then DB_TX_FAILED). A command sent earlier that failed ends
 * the transaction (ROLLBACK) and its failure is returned. */
static int pipe_read(struct pg *c, struct pstmt *last, struct err *e)
{
	int rc = 0, earlier_failed = 0, done = 0, nulls = 0;
	int mine = last ? c->nsent - 1 : -1; /* index of last's command */
	PGresult *r;

	if (!PQpipelineSync(c->conn))
		rc = pg_fail(c, NULL, e), earlier_failed = 1;
	/* Each command's results end with a NULL; the Sync's answer ends the
	 * pipe. Two NULLs in a row: nothing more will come (a lost link). */
	while (!earlier_failed || PQstatus(c->conn) == CONNECTION_OK) {
		if (!(r = PQgetResult(c->conn))) {
			done++;
			if (++nulls > 1 || PQstatus(c->conn) != CONNECTION_OK)
				break;
			continue;
		}
		nulls = 0;
		switch (PQresultStatus(r)) {
		case PGRES_PIPELINE_SYNC:
			PQclear(r);
			goto synced;
		case PGRES_TUPLES_OK:
		case PGRES_COMMAND_OK:
			for (int i = 0; i < c->nprep; i++)
				if (c->prep[i].cmd == done)
					c->prep[i].ok = 1;
			if (done == mine && !last->res) {
				last->res = r;
				continue;
			}
			break;
		case PGRES_PIPELINE_ABORTED:
			break;
		default: /* a failure: the first one counts */
			if (!rc) {
				rc = pg_fail(c, r, e);
				earlier_failed = done != mine;
			}
			break;
		}
		PQclear(r);
	}
	earlier_failed = 1; /* the Sync never came back: the link broke */
	if (!rc)
		rc = err_set(e, ERR_BUSY, NULL, "store unavailable: the connection was lost");
synced:
	for (int i = 0; i < c->nprep; i++)
		if (!c->prep[i].ok) /* never prepared: prepare it again when used */
			c->prep[i].v->name[0] = '\0';
	c->piped = c->nsent = c->nprep = 0;
	if (!PQexitPipelineMode(c->conn)) {
		/* answers left unread on a link that failed its Sync: start
		 * over, the transaction gone with the old link */
		log_warn("msg=\"store connection reset after a broken pipeline\"");
		reset_conn(c);
		return rc;
	}
	if (earlier_failed && last && last->res) {
		PQclear(last->res);
		last->res = NULL;
	}
	if (earlier_failed && PQstatus(c->conn) == CONNECTION_OK)
		PQclear(PQexec(c->conn, "ROLLBACK"));
	/* A statement sent without waiting was one no caller answers a
	 * conflict of (db.h): its refusal is the store's failure, and the
	 * batch's other requests must not read it as a conflict of theirs. */
	if (earlier_failed && rc == ERR_CONFLICT) {
		char was[sizeof(e->msg)];

		snprintf(was, sizeof(was), "%s", e ? e->msg : "");
		rc = err_set(e, ERR_INTERNAL, NULL, "store: a write was refused after it was sent: %s",
			     was);
	}
	note_tx(c);
	if (earlier_failed && PQstatus(c->conn) != CONNECTION_OK)
		c->tx = 0;
	return rc;
}

/* Before a command that waits: the answers of what was sent before. */
static int pipe_settle(struct pg *c, struct err *e)
{
	return c->piped ? pipe_read(c, NULL, e) : 0;
}

static void pg_reset(struct db_stmt *bs)
{
	struct pstmt *s = P(bs);

	PQclear(s->res);
	s->res = NULL;
	s->row = s->nrows = 0;
}

static void pg_close(struct db *bc)
{
	struct pg *c = G(bc);

	if (!c)
		return;
	for (int i = 0; i < c->nstmt; i++) {
		pg_reset(&c->stmts[i]->base);
		free(c->stmts[i]->text);
		free(c->stmts[i]->blob);
		free(c->stmts[i]);
	}
	PQfinish(c->conn);
	free(c);
}

/* One value of a command that returns one row (SHOW, SELECT). */
static int query_value(struct pg *c, const char *sql, char *out, size_t n, struct err *e)
{
	PGresult *r;
	int rc = pipe_settle(c, e);

	if (rc)
		return rc;
	r = PQexec(c->conn, sql);

	if (PQresultStatus(r) != PGRES_TUPLES_OK)
		rc = pg_fail(c, r, e);
	else if (PQntuples(r) < 1)
		*out = '\0';
	else
		snprintf(out, n, "%s", PQgetvalue(r, 0, 0));
	PQclear(r);
	note_tx(c);
	return rc;
}

/* A connection to uri, with defaults the string may override: a server out
 * of reach is given up after 5 s (libpq would wait forever), a peer that
 * vanished is noticed by TCP keepalives within about 25 s, and no query is
 * compiled by JIT (the store's queries are short or read an index range;
 * JIT spent 2.9 s compiling a report that then ran in 0.4 s). */
static PGconn *connect_to(const char *uri)
{
	static const char *const keys[] = { "connect_timeout", "keepalives_idle",
					     "keepalives_interval", "keepalives_count",
					     "options", "dbname", NULL };
	const char *values[] = { "5", "10", "5", "3", "-c jit=off", uri, NULL };

	return PQconnectdbParams(keys, values, 1);
}

static int pg_open(const char *uri, int create, struct db **out, struct err *e)
{
	struct pg *c = calloc(1, sizeof(*c));
	char v[64];
	int rc;

	if (!c)
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	c->base.drv = &db_pg;
	c->conn = connect_to(uri);
	if (!c->conn || PQstatus(c->conn) != CONNECTION_OK) {
		char msg[240];

		first_line(c->conn ? PQerrorMessage(c->conn) : "out of memory", msg, sizeof(msg));
		pg_close(&c->base);
		return err_set(e, ERR_BUSY, "db", "cannot connect to the store: %s", msg);
	}
	PQsetNoticeProcessor(c->conn, quiet, NULL);
	/* A 2xx means the write is durable: refuse a server that would
	 * acknowledge a commit before it is flushed (as SQLite's connection
	 * refuses to run without synchronous=FULL). */
	if (create) {
		if ((rc = query_value(c, "SHOW synchronous_commit", v, sizeof(v), e)) ||
		    (!strcmp(v, "off") &&
		     (rc = err_set(e, ERR_INVALID, "db",
				   "the PostgreSQL server has synchronous_commit=off: an acknowledged "
				   "write could be lost; set it on"))) ||
		    (rc = query_value(c, "SHOW fsync", v, sizeof(v), e)) ||
		    (!strcmp(v, "off") &&
		     (rc = err_set(e, ERR_INVALID, "db",
				   "the PostgreSQL server has fsync=off: a crash could lose "
				   "acknowledged writes; set it on")))) {
			pg_close(&c->base);
			return rc;
		}
	}
	*out = &c->base;
	return 0;
}

/* sql with ?N (and a bare ? as the next number) turned into $N, skipping
 * quoted text; the highest number into *n. */
static char *dollars(const char *sql, int *n)
{
	struct buf b;
	int next = 1, max = 0;
	char quote = 0;

	buf_init(&b, 0);
	for (const char *p = sql; *p; p++) {
		if (quote) {
			if (*p == quote)
				quote = 0;
			buf_putc(&b, *p);
		} else if (*p == '\'' || *p == '"') {
			quote = *p;
			buf_putc(&b, *p);
		} else if (*p == '?') {
			int k = 0;

			while (isdigit((unsigned char)p[1]))
				k = k * 10 + (*++p - '0');
			if (!k)
				k = next;
			next = k + 1;
			if (k > max)
				max = k;
			buf_printf(&b, "$%d", k);
		} else {
			buf_putc(&b, *p);
		}
	}
	*n = max;
	return buf_detach(&b, NULL);
}

static void clear_binds(struct pstmt *s)
{
	for (int i = 0; i < s->nparams; i++) {
		s->types[i] = 0;
		s->values[i] = NULL;
		s->lengths[i] = s->formats[i] = 0;
		s->bound[i] = 0;
	}
}

static struct db_stmt *pg_stmt(struct db *bc, const char *sql, struct err *e)
{
	struct pg *c = G(bc);
	struct pstmt *s;
	int i;

	for (i = 0; i < c->nstmt; i++)
		if (c->stmts[i]->sql == sql) {
			pg_reset(&c->stmts[i]->base);
			clear_binds(c->stmts[i]);
			return &c->stmts[i]->base;
		}
	if (c->nstmt == STMT_CACHE) {
		err_set(e, ERR_INTERNAL, NULL, "statement cache full");
		return NULL;
	}
	if (!(s = calloc(1, sizeof(*s))) || !(s->text = dollars(sql, &s->nparams))) {
		free(s);
		err_set(e, ERR_INTERNAL, NULL, "out of memory");
		return NULL;
	}
	if (s->nparams > MAX_PARAMS) {
		free(s->text);
		free(s);
		err_set(e, ERR_INTERNAL, NULL, "a statement has more than %d parameters", MAX_PARAMS);
		return NULL;
	}
	s->base.c = bc;
	s->sql = sql;
	c->stmts[c->nstmt++] = s;
	return &s->base;
}

static int pg_exec(struct db *bc, const char *sql, struct err *e)
{
	struct pg *c = G(bc);
	PGresult *r;
	int rc = pipe_settle(c, e);

	if (rc)
		return rc;

	for (int tries = 0;; tries++) {
		int in_tx = c->tx;

		if ((rc = reopen(c, tries, e)))
			return rc;
		r = PQexec(c->conn, sql);
		note_tx(c);
		if (tries || in_tx || !lost(c, r)) /* as pg_step */
			break;
		PQclear(r);
	}
	if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK)
		rc = pg_fail(c, r, e);
	PQclear(r);
	return rc;
}

static enum db_tx pg_tx_state(struct db *bc)
{
	struct pg *c = G(bc);

	if (PQstatus(c->conn) != CONNECTION_OK) {
		c->tx = 0; /* gone with the connection */
		return DB_TX_NONE;
	}
	if (c->piped) /* as last seen: what was sent is read later */
		return c->tx ? DB_TX_OPEN : DB_TX_NONE;
	switch (PQtransactionStatus(c->conn)) {
	case PQTRANS_INTRANS:
	case PQTRANS_ACTIVE:
		return DB_TX_OPEN;
	case PQTRANS_INERROR:
		return DB_TX_FAILED;
	default:
		return DB_TX_NONE;
	}
}

static int pg_row_failed(struct db *c)
{
	(void)c;
	return 0; /* a whole result is in memory once stepped */
}

static void bind(struct pstmt *s, int i, Oid type, const char *value, int len, int fmt)
{
	if (i < 1 || i > s->nparams)
		return; /* a parameter the statement does not use */
	s->types[i - 1] = type;
	s->bound[i - 1] = 1;
	s->values[i - 1] = value;
	s->lengths[i - 1] = len;
	s->formats[i - 1] = fmt;
}

static void pg_bind_int(struct db_stmt *bs, int i, int64_t v)
{
	struct pstmt *s = P(bs);

	if (i < 1 || i > s->nparams)
		return;
	snprintf(s->num[i - 1], sizeof(s->num[0]), "%lld", (long long)v);
	bind(s, i, OID_INT8, s->num[i - 1], 0, 0);
}
static void pg_bind_null(struct db_stmt *bs, int i, enum db_type t)
{
	static const Oid oid[] = { [DB_INT] = OID_INT8, [DB_TEXT] = OID_TEXT,
				   [DB_BLOB] = OID_BYTEA, [DB_DOUBLE] = OID_FLOAT8,
				   [DB_ANY] = 0 /* PostgreSQL infers it */ };

	bind(P(bs), i, oid[t], NULL, 0, 0);
}
static void pg_bind_text(struct db_stmt *bs, int i, const char *v)
{
	bind(P(bs), i, OID_TEXT, v, 0, 0);
}
static void pg_bind_blob(struct db_stmt *bs, int i, const void *p, size_t n)
{
	bind(P(bs), i, OID_BYTEA, p, (int)n, 1);
}
static void pg_bind_double(struct db_stmt *bs, int i, double v)
{
	struct pstmt *s = P(bs);

	if (i < 1 || i > s->nparams)
		return;
	snprintf(s->num[i - 1], sizeof(s->num[0]), "%.17g", v);
	bind(s, i, OID_FLOAT8, s->num[i - 1], 0, 0);
}

/* The name of a prepared variant of s for its current binds, preparing it
 * when there is none: NULL with e set on failure. */
static const char *prepared(struct pg *c, struct pstmt *s, struct err *e)
{
	size_t tsize = (size_t)s->nparams * sizeof(Oid);
	struct variant *v;
	PGresult *r;
	int i;

	for (i = 0; i < s->nvar; i++)
		if (s->var[i].name[0] && !memcmp(s->var[i].types, s->types, tsize))
			return s->var[i].name;
	for (v = NULL, i = 0; i < s->nvar && !v; i++)
		if (!s->var[i].name[0]) /* one whose prepare never ran */
			v = &s->var[i];
	if (!v && s->nvar < VARIANTS) {
		v = &s->var[s->nvar++];
	} else if (!v) {
		v = &s->var[s->next_var];
		s->next_var = (s->next_var + 1) % VARIANTS;
		char sql[48];

		snprintf(sql, sizeof(sql), "DEALLOCATE %s", v->name);
		if (c->piped) {
			if (PQsendQueryParams(c->conn, sql, 0, NULL, NULL, NULL, NULL, 0))
				c->nsent++;
		} else {
			PQclear(PQexec(c->conn, sql));
		}
	}
	snprintf(v->name, sizeof(v->name), "s%u_%u", c->epoch, ++c->seq);
	memcpy(v->types, s->types, tsize);
	if (c->piped && c->nprep == (int)(sizeof(c->prep) / sizeof(c->prep[0]))) {
		v->name[0] = '\0';
		err_set(e, ERR_INTERNAL, NULL, "store: too many statements prepared in one pipe");
		return NULL;
	}
	if (c->piped) { /* sent ahead of the statement; a failure is the pipe's */
		c->prep[c->nprep].v = v;
		c->prep[c->nprep].cmd = c->nsent;
		c->prep[c->nprep].ok = 0;
		if (!PQsendPrepare(c->conn, v->name, s->text, s->nparams, s->types)) {
			pg_fail(c, NULL, e);
			v->name[0] = '\0';
			return NULL;
		}
		c->nprep++;
		c->nsent++;
		return v->name;
	}
	r = PQprepare(c->conn, v->name, s->text, s->nparams, s->types);
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		pg_fail(c, r, e);
		log_error("msg=\"prepare failed\" sql=%s", LOG_STR(s->sql));
		PQclear(r);
		v->name[0] = '\0';
		s->nvar = (int)(v - s->var); /* drop it and any after */
		note_tx(c);
		return NULL;
	}
	PQclear(r);
	return v->name;
}

/* Whether every parameter of s is bound: a parameter nobody bound would
 * leave PostgreSQL to guess its type (SQLite reads it as NULL), so each is
 * bound, db_bind_null for none. */
static int all_bound(struct pstmt *s, struct err *e)
{
	for (int i = 0; i < s->nparams; i++)
		if (!s->bound[i]) {
			log_error("msg=\"parameter not bound\" param=%d sql=%s", i + 1, LOG_STR(s->sql));
			return err_set(e, ERR_INTERNAL, NULL, "store: parameter ?%d is not bound", i + 1);
		}
	return 0;
}

/* Send s into the open pipe (its prepare first, when due); 0 or the
 * failure, the pipe then read and left. */
static int pipe_send(struct pg *c, struct pstmt *s, struct err *e)
{
	const char *name = prepared(c, s, e);
	int rc;

	if (name && PQsendQueryPrepared(c->conn, name, s->nparams, s->values, s->lengths,
					s->formats, 0)) {
		c->nsent++;
		return 0;
	}
	rc = name ? pg_fail(c, NULL, e) : e ? e->code : ERR_INTERNAL;
	pipe_read(c, NULL, NULL);
	return rc;
}

static int pg_step(struct db_stmt *bs, struct err *e)
{
	struct pstmt *s = P(bs);
	struct pg *c = G(bs->c);
	const char *name;
	int rc;

	if (s->res)
		return ++s->row < s->nrows ? 1 : 0;
	if ((rc = all_bound(s, e)))
		return rc;
	if (c->piped) { /* sent last into the pipe, whose answers it reads */
		if ((rc = pipe_send(c, s, e)) || (rc = pipe_read(c, s, e))) {
			pg_reset(bs);
			return rc;
		}
		if (!s->res)
			return err_set(e, ERR_INTERNAL, NULL, "store: no answer to a statement");
	}
	for (int tries = 0; !s->res; tries++) {
		int in_tx = c->tx;

		if ((rc = reopen(c, tries, e)))
			return rc;
		if (!(name = prepared(c, s, e)))
			return e ? e->code : ERR_INTERNAL;
		s->res = PQexecPrepared(c->conn, name, s->nparams, s->values, s->lengths, s->formats,
					0);
		note_tx(c);
		/* A connection found dead (the server restarted or failed over
		 * while it was idle) is reopened and the statement run again,
		 * once: outside a transaction nothing of it can have run. */
		if (tries || in_tx || !lost(c, s->res))
			break;
		pg_reset(bs);
	}
	switch (PQresultStatus(s->res)) {
	case PGRES_TUPLES_OK:
	case PGRES_COMMAND_OK:
		s->nrows = PQntuples(s->res);
		s->row = 0;
		s->changes = atoll(PQcmdTuples(s->res));
		return s->nrows > 0;
	default:
		rc = pg_fail(c, s->res, e);
		pg_reset(bs);
		return rc;
	}
}

/* Sent without waiting inside a transaction that is fine so far;
 * otherwise (no transaction, one failed already) run now, so a statement
 * failing in a failed transaction fails its own job as before. */
static int can_wait(struct pg *c)
{
	return c->tx && PQstatus(c->conn) == CONNECTION_OK &&
	       (c->piped || PQtransactionStatus(c->conn) == PQTRANS_INTRANS);
}

static int pg_step_later(struct db_stmt *bs, struct err *e)
{
	struct pstmt *s = P(bs);
	struct pg *c = G(bs->c);
	int rc;

	if (!can_wait(c))
		return db_done(bs, NULL, NULL, e);
	if ((rc = all_bound(s, e)))
		return rc;
	if (c->nsent >= PIPE_MAX && (rc = pipe_read(c, NULL, e)))
		return rc;
	if (!(rc = pipe_open(c, e)))
		rc = pipe_send(c, s, e);
	pg_reset(bs);
	return rc;
}

static int pg_exec_later(struct db *bc, const char *sql, struct err *e)
{
	struct pg *c = G(bc);
	char one[128];
	int rc;

	if (!can_wait(c))
		return pg_exec(bc, sql, e);
	if (c->nsent >= PIPE_MAX && (rc = pipe_read(c, NULL, e)))
		return rc;
	if ((rc = pipe_open(c, e)))
		return rc;
	for (const char *p = sql; *p;) {
		size_t n = strcspn(p, ";");

		if (n >= sizeof(one))
			return err_set(e, ERR_INTERNAL, NULL, "store: a statement too long to send");
		memcpy(one, p, n);
		one[n] = '\0';
		p += n + (p[n] == ';');
		while (*p == ' ')
			p++;
		if (!PQsendQueryParams(c->conn, one, 0, NULL, NULL, NULL, NULL, 0)) {
			rc = pg_fail(c, NULL, e);
			pipe_read(c, NULL, NULL);
			return rc;
		}
		c->nsent++;
	}
	return 0;
}

static int pg_col_null(struct db_stmt *bs, int col)
{
	struct pstmt *s = P(bs);

	return !s->res || PQgetisnull(s->res, s->row, col);
}

static const char *pg_col_text(struct db_stmt *bs, int col)
{
	struct pstmt *s = P(bs);

	if (pg_col_null(bs, col))
		return NULL;
	return PQgetvalue(s->res, s->row, col);
}

static int64_t pg_col_int(struct db_stmt *bs, int col)
{
	const char *v = pg_col_text(bs, col);

	if (!v)
		return 0;
	if (PQftype(P(bs)->res, col) == OID_BOOL)
		return *v == 't';
	if (strpbrk(v, ".eE")) /* a numeric or float read as an integer */
		return (int64_t)strtod(v, NULL);
	return strtoll(v, NULL, 10);
}

static double pg_col_double(struct db_stmt *bs, int col)
{
	const char *v = pg_col_text(bs, col);

	if (!v)
		return 0;
	if (PQftype(P(bs)->res, col) == OID_BOOL)
		return *v == 't';
	return strtod(v, NULL);
}

static int hexval(char ch)
{
	return ch >= '0' && ch <= '9'	? ch - '0'
	       : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10
	       : ch >= 'A' && ch <= 'F' ? ch - 'A' + 10
					: -1;
}

/* A bytea column, which comes as text in the hex format ("\x0a1b…"). */
static const void *pg_col_blob(struct db_stmt *bs, int col, size_t *n)
{
	struct pstmt *s = P(bs);
	const char *v = pg_col_text(bs, col);
	size_t len;

	*n = 0;
	if (!v || strncmp(v, "\\x", 2))
		return NULL;
	v += 2;
	len = strlen(v) / 2;
	if (len > s->blobcap) {
		unsigned char *p = realloc(s->blob, len);

		if (!p)
			return NULL;
		s->blob = p;
		s->blobcap = len;
	}
	for (size_t i = 0; i < len; i++) {
		int hi = hexval(v[2 * i]), lo = hexval(v[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return NULL;
		s->blob[i] = (unsigned char)(hi << 4 | lo);
	}
	*n = len;
	return s->blob;
}

static int64_t pg_changes(struct db_stmt *bs)
{
	return P(bs)->changes;
}

static int pg_col_count(struct db_stmt *bs)
{
	return P(bs)->res ? PQnfields(P(bs)->res) : 0;
}
static const char *pg_col_name(struct db_stmt *bs, int col)
{
	return PQfname(P(bs)->res, col);
}
static enum db_type pg_col_type(struct db_stmt *bs, int col)
{
	switch (PQftype(P(bs)->res, col)) {
	case OID_BOOL:
	case 21: /* int2 */
	case 23: /* int4 */
	case OID_INT8:
		return DB_INT;
	case 700: /* float4 */
	case OID_FLOAT8:
	case 1700: /* numeric */
		return DB_DOUBLE;
	case OID_BYTEA:
		return DB_BLOB;
	default:
		return DB_TEXT;
	}
}

/* The identity of table (its id, or the audit log's seq) moved past the
 * largest value copied in. */
static int pg_copied(struct db *bc, const char *table, struct err *e)
{
	char sql[400], v[32];

	snprintf(sql, sizeof(sql),
		 "SELECT a.attname FROM pg_attribute a WHERE a.attrelid = '%s'::regclass "
		 "AND a.attidentity <> '' LIMIT 1",
		 table);
	if (query_value(G(bc), sql, v, sizeof(v), e))
		return e->code;
	if (!v[0])
		return 0;
	snprintf(sql, sizeof(sql),
		 "SELECT setval(pg_get_serial_sequence('%s', '%s'), "
		 "GREATEST((SELECT max(%s) FROM %s), 1))",
		 table, v, v, table);
	return query_value(G(bc), sql, v, sizeof(v), e);
}

/* ---- schema and migrations ---- */

/* What the shared SQL needs of PostgreSQL beyond its own: SQLite's
 * functions the store uses, the trigger function the append-only tables'
 * triggers call, and the table of the schema number. Run under the
 * migration lock before any migration, so only when one is due: a change
 * here comes with a new migration (even an empty one). */
static const char COMPAT[] =
	"CREATE TABLE IF NOT EXISTS itsm_schema (version BIGINT NOT NULL);"
	"CREATE OR REPLACE FUNCTION instr(text, text) RETURNS bigint LANGUAGE sql IMMUTABLE "
	"  AS 'SELECT strpos($1, $2)::bigint';"
	"CREATE OR REPLACE FUNCTION json_each(text) RETURNS TABLE(value text) LANGUAGE sql "
	"  IMMUTABLE AS 'SELECT json_array_elements_text($1::json)';"
	"CREATE OR REPLACE FUNCTION itsm_json_path(text) RETURNS text[] LANGUAGE sql IMMUTABLE "
	"  AS $f$SELECT CASE WHEN $1 LIKE '$.\"%\"' THEN ARRAY[substr($1, 4, length($1) - 4)] "
	"  ELSE string_to_array(substr($1, 3), '.') END$f$;"
	"CREATE OR REPLACE FUNCTION json_extract(text, text) RETURNS text LANGUAGE sql IMMUTABLE "
	"  AS $f$SELECT $1::jsonb #>> itsm_json_path($2)$f$;"
	"CREATE OR REPLACE FUNCTION json_type(text, text) RETURNS text LANGUAGE sql IMMUTABLE "
	"  AS $f$SELECT CASE jsonb_typeof($1::jsonb #> itsm_json_path($2)) "
	"  WHEN 'boolean' THEN $1::jsonb #>> itsm_json_path($2) "
	"  WHEN 'number' THEN CASE WHEN ($1::jsonb #>> itsm_json_path($2)) ~ '^-?[0-9]+$' "
	"    THEN 'integer' ELSE 'real' END "
	"  WHEN 'string' THEN 'text' ELSE jsonb_typeof($1::jsonb #> itsm_json_path($2)) END$f$;"
	"CREATE OR REPLACE FUNCTION itsm_refuse() RETURNS trigger LANGUAGE plpgsql "
	"  AS $f$BEGIN RAISE EXCEPTION '%', TG_ARGV[0]; END$f$;";

static int pg_migrate_lock(struct db *bc, int on, struct err *e)
{
	struct pg *c = G(bc);
	char sql[64], v[16];
	int rc;

	snprintf(sql, sizeof(sql), "SELECT pg_advisory_%s(%d)", on ? "lock" : "unlock",
		 MIGRATION_LOCK);
	if ((rc = reopen(c, 0, e)) || (rc = query_value(c, sql, v, sizeof(v), e)))
		return rc;
	return on ? pg_exec(bc, COMPAT, e) : 0;
}

static int pg_schema_get(struct db *bc, int *version, struct err *e)
{
	char v[32];
	int rc;

	/* A database no itsm opened yet has no itsm_schema: schema 0. */
	if ((rc = query_value(G(bc), "SELECT to_regclass('itsm_schema') IS NOT NULL", v,
			      sizeof(v), e)))
		return rc;
	*version = 0;
	if (strcmp(v, "t"))
		return 0;
	rc = query_value(G(bc), "SELECT COALESCE(max(version), 0) FROM itsm_schema", v, sizeof(v),
			 e);
	if (!rc)
		*version = atoi(v);
	return rc;
}

static int pg_schema_set(struct db *bc, int version, struct err *e)
{
	char sql[96];

	snprintf(sql, sizeof(sql), "DELETE FROM itsm_schema; INSERT INTO itsm_schema VALUES(%d)",
		 version);
	return pg_exec(bc, sql, e);
}

/* Whether the word at p (length n) is w. */
static int word_is(const char *p, size_t n, const char *w)
{
	return strlen(w) == n && !strncmp(p, w, n);
}

/* The next word at or after *p (skipping space), its length in *n. */
static const char *next_word(const char **p, size_t *n)
{
	const char *s = *p;

	while (isspace((unsigned char)*s))
		s++;
	*n = 0;
	while (isalnum((unsigned char)s[*n]) || s[*n] == '_')
		(*n)++;
	*p = s + *n;
	return s;
}

/* A SQLite trigger of the one form the migrations use,
 *   CREATE TRIGGER name BEFORE|AFTER UPDATE|DELETE|INSERT ON table
 *   [WHEN condition] BEGIN SELECT RAISE(ABORT, 'message'); END;
 * from p (just past "CREATE TRIGGER") as a row trigger calling
 * itsm_refuse('message'). *p is moved past "END;". 0, or -1 when the text
 * is not of that form. */
static int trigger(const char **p, struct buf *out)
{
	const char *s = *p, *name, *timing, *event, *table, *when = NULL, *begin, *msg, *end;
	size_t nn, nt, ne, nt2, n = 0;

	name = next_word(&s, &nn);
	timing = next_word(&s, &nt);
	event = next_word(&s, &ne);
	{
		const char *on = next_word(&s, &n);

		if (!word_is(on, n, "ON"))
			return -1;
	}
	table = next_word(&s, &nt2);
	begin = strstr(s, "BEGIN");
	if (!begin)
		return -1;
	{
		const char *t = s;
		const char *w = next_word(&t, &n);

		if (word_is(w, n, "WHEN"))
			when = t;
	}
	msg = strstr(begin, "RAISE(ABORT, '");
	end = msg ? strstr(msg, "END;") : NULL;
	if (!msg || !end)
		return -1;
	msg += strlen("RAISE(ABORT, '");
	buf_printf(out, "CREATE TRIGGER %.*s %.*s %.*s ON %.*s FOR EACH ROW ", (int)nn, name,
		   (int)nt, timing, (int)ne, event, (int)nt2, table);
	if (when)
		buf_printf(out, "WHEN (%.*s) ", (int)(begin - when), when);
	buf_printf(out, "EXECUTE FUNCTION itsm_refuse('%.*s');", (int)(strchr(msg, '\'') - msg),
		   msg);
	*p = end + 4;
	return 0;
}

/* The migrations' SQLite DDL as PostgreSQL's: INTEGER is BIGINT (times in
 * milliseconds do not fit 32 bits), an INTEGER PRIMARY KEY an identity,
 * BLOB BYTEA, REAL DOUBLE PRECISION; WITHOUT ROWID goes; a trigger becomes
 * a row trigger calling itsm_refuse. Quoted text and comments are copied
 * as they are. NULL when out of memory or on a trigger of another form. */
static char *translate_ddl(const char *sql)
{
	struct buf b;

	buf_init(&b, 0);
	for (const char *p = sql; *p;) {
		const char *w;
		size_t n;

		if (*p == '\'') {
			const char *q = strchr(p + 1, '\'');

			q = q ? q + 1 : p + strlen(p);
			buf_append(&b, p, (size_t)(q - p));
			p = q;
			continue;
		}
		if (p[0] == '-' && p[1] == '-') {
			size_t len = strcspn(p, "\n");

			buf_append(&b, p, len);
			p += len;
			continue;
		}
		if (!isalpha((unsigned char)*p) && *p != '_') {
			buf_putc(&b, *p++);
			continue;
		}
		w = p;
		for (n = 0; isalnum((unsigned char)w[n]) || w[n] == '_'; n++)
			;
		p = w + n;
		if (word_is(w, n, "INTEGER")) {
			const char *t = p;
			size_t m;
			const char *k = next_word(&t, &m);

			if (word_is(k, m, "PRIMARY")) {
				buf_puts(&b, "BIGINT GENERATED BY DEFAULT AS IDENTITY");
			} else {
				buf_puts(&b, "BIGINT");
			}
		} else if (word_is(w, n, "BLOB")) {
			buf_puts(&b, "BYTEA");
		} else if (word_is(w, n, "REAL")) {
			buf_puts(&b, "DOUBLE PRECISION");
		} else if (word_is(w, n, "WITHOUT")) {
			const char *t = p;
			size_t m;
			const char *k = next_word(&t, &m);

			if (word_is(k, m, "ROWID"))
				p = t;
			else
				buf_append(&b, w, n);
		} else if (word_is(w, n, "CREATE")) {
			const char *t = p;
			size_t m;
			const char *k = next_word(&t, &m);

			if (word_is(k, m, "TRIGGER")) {
				p = t;
				if (trigger(&p, &b)) {
					buf_release(&b);
					return NULL;
				}
			} else {
				buf_append(&b, w, n);
			}
		} else {
			buf_append(&b, w, n);
		}
	}
	return buf_detach(&b, NULL);
}

static int pg_migrate(struct db *c, const char *sql, struct err *e)
{
	char *ddl = translate_ddl(sql);
	int rc;

	if (!ddl)
		return err_set(e, ERR_INTERNAL, NULL,
			       "a migration holds a trigger of a form the PostgreSQL driver does "
			       "not translate");
	rc = pg_exec(c, ddl, e);
	free(ddl);
	return rc;
}

static int pg_schema_peek(const char *uri, int *version, struct err *e)
{
	PGconn *conn = connect_to(uri);
	PGresult *r;
	int rc = 0;

	if (PQstatus(conn) != CONNECTION_OK) {
		char msg[240];

		first_line(PQerrorMessage(conn), msg, sizeof(msg));
		PQfinish(conn);
		return err_set(e, ERR_NOT_FOUND, NULL, "no store at '%s': %s", uri, msg);
	}
	r = PQexec(conn, "SELECT COALESCE(max(version), 0) FROM itsm_schema");
	if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1)
		*version = atoi(PQgetvalue(r, 0, 0));
	else if (!strcmp(PQresultErrorField(r, PG_DIAG_SQLSTATE) ?: "", "42P01"))
		rc = err_set(e, ERR_NOT_FOUND, NULL, "no store in '%s' yet", uri);
	else
		rc = err_set(e, ERR_INVALID, NULL, "cannot read the schema of the store");
	PQclear(r);
	PQfinish(conn);
	return rc;
}

static const char *pg_library_version(void)
{
	static char v[16];
	int n = PQlibVersion();

	snprintf(v, sizeof(v), "%d.%d", n / 10000, n % 10000);
	return v;
}

/* Nothing to tune: PostgreSQL checks a foreign key per row either way. */
static int pg_bulk(struct db *c, int on)
{
	(void)c, (void)on;
	return 0;
}

/* PostgreSQL checks its own pages as it reads them (with checksums on);
 * the store's check is that every table answers. */
static int pg_check(struct db *bc, const char *uri, struct err *e)
{
	char v[32];

	(void)uri;
	return query_value(G(bc), "SELECT count(*) FROM itsm_schema", v, sizeof(v), e);
}

/* ---- several servers ---- */

/* A role's advisory lock key: MIGRATION_LOCK + 1 + the role's FNV-1a hash
 * folded to 16 bits, so roles never share the migrations' key. */
static long long role_key(const char *role)
{
	uint32_t h = 2166136261u;

	for (const char *p = role; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	return (long long)MIGRATION_LOCK + 1 + (h & 0xffff);
}

/* A session-level advisory lock is held for as long as the connection
 * lives: when a leader dies, the server ends its session and the lock is
 * free for the next that asks. A held role is checked by a round trip, so
 * a leader whose connection was cut stops leading at once. */
static int pg_lead(struct db *bc, const char *role, int *held, struct err *e)
{
	struct pg *c = G(bc);
	char sql[80], v[8];
	unsigned epoch = c->epoch;
	int rc;

	if ((rc = reopen(c, 0, e)))
		return *held = 0, rc;
	if (*held && epoch == c->epoch && !query_value(c, "SELECT 1", v, sizeof(v), NULL))
		return 1;
	*held = 0;
	snprintf(sql, sizeof(sql), "SELECT pg_try_advisory_lock(%lld)", role_key(role));
	if ((rc = query_value(c, sql, v, sizeof(v), e)))
		return rc;
	*held = !strcmp(v, "t");
	return *held;
}

/* A transaction-level advisory lock: the next transaction that asks waits
 * for this one's end, then reads what it committed (READ COMMITTED takes a
 * new snapshot per statement). The three statements go as one simple query:
 * the first that fails ends it, and its error is the answer. */
static int pg_begin_serialized(struct db *bc, const char *name, const char *then, struct err *e)
{
	char sql[256];
	int n = snprintf(sql, sizeof(sql), "BEGIN; SELECT pg_advisory_xact_lock(%lld); %s",
			 role_key(name), then);

	if (n < 0 || (size_t)n >= sizeof(sql))
		return err_set(e, ERR_INTERNAL, NULL, "statement too long");
	return pg_exec(bc, sql, e);
}

static const char SQL_NOTIFY[] =
	"SELECT pg_notify('itsm', m) FROM json_array_elements_text(CAST(?1 AS json)) AS n(m)";

static int pg_notify(struct db *c, const json_t *texts, struct err *e)
{
	struct db_stmt *s = pg_stmt(c, SQL_NOTIFY, e);
	char *array;
	int rc;

	if (!s)
		return ERR_INTERNAL;
	if (!(array = json_dumps(texts, JSON_COMPACT)))
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	pg_bind_text(s, 1, array);
	rc = pg_step_later(s, e); /* sent with COMMIT */
	free(array);
	return rc;
}

static int pg_listen(struct db *bc, int ms, void (*fn)(const char *text, void *ctx), void *ctx,
		     struct err *e)
{
	struct pg *c = G(bc);
	unsigned epoch = c->epoch;
	PGnotify *n;
	struct pollfd pfd;
	int rc;

	if ((rc = reopen(c, 0, e)))
		return rc;
	if (!c->listening || epoch != c->epoch) {
		if ((rc = pg_exec(bc, "LISTEN itsm", e)))
			return rc;
		if (c->listening)
			fn(NULL, ctx); /* what was notified meanwhile is lost */
		c->listening = 1;
	}
	pfd.fd = PQsocket(c->conn);
	pfd.events = POLLIN;
	if (pfd.fd < 0 || poll(&pfd, 1, ms) < 0 || !PQconsumeInput(c->conn))
		return PQstatus(c->conn) == CONNECTION_OK ? 0 : pg_fail(c, NULL, e);
	while ((n = PQnotifies(c->conn))) {
		fn(n->extra, ctx);
		PQfreemem(n);
	}
	return 0;
}

const struct db_driver db_pg = {
	.name = "postgresql",
	.open = pg_open,
	.close = pg_close,
	.stmt = pg_stmt,
	.exec = pg_exec,
	.step_later = pg_step_later,
	.exec_later = pg_exec_later,
	.tx_state = pg_tx_state,
	.row_failed = pg_row_failed,
	.bind_int = pg_bind_int,
	.bind_null = pg_bind_null,
	.bind_text = pg_bind_text,
	.bind_blob = pg_bind_blob,
	.bind_double = pg_bind_double,
	.step = pg_step,
	.reset = pg_reset,
	.col_null = pg_col_null,
	.col_int = pg_col_int,
	.col_double = pg_col_double,
	.col_text = pg_col_text,
	.col_blob = pg_col_blob,
	.changes = pg_changes,
	.col_count = pg_col_count,
	.col_name = pg_col_name,
	.col_type = pg_col_type,
	.tables_sql = "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
		      "AND tablename <> 'itsm_schema' ORDER BY tablename",
	.copied = pg_copied,
	.schema_get = pg_schema_get,
	.schema_set = pg_schema_set,
	.migrate = pg_migrate,
	.migrate_lock = pg_migrate_lock,
	.begin_write = "BEGIN",
	/* One snapshot for the whole transaction, from its first statement. */
	.begin_read = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
	.library_version = pg_library_version,
	.schema_peek = pg_schema_peek,
	.backup = NULL,
	.bulk = pg_bulk,
	.check = pg_check,
	.lead = pg_lead,
	.begin_serialized = pg_begin_serialized,
	.notify = pg_notify,
	.listen = pg_listen,
};
