/*
 * harness.c — fault injection over the domain's writes, as SQLite tests
 * itself: for every scenario (create a ticket, comment, update, CMDB import,
 * create a change, schedule one (its planned outage),
 * event intake, a problem resolved with its incident, a received e-mail, one
 * polled over IMAP (the message and its remembered UID together), a
 * condition report stored, one signed (its figures read and frozen in the
 * write), an article added, an article edited, an acceptance checklist
 * added, one decided no-go with its evidence read in the write) and
 * every kind of fault (fault.h: the k-th allocation, the
 * k-th SQLite step failing with an I/O error or busy, the k-th write or
 * fsync), run the scenario with the fault at k = 1, 2, … until a run no
 * longer reaches the k-th event, each time on a fresh copy of one store.
 *
 * After each run it holds:
 *  - the answer is 0 or a failure of the store (internal, busy, full),
 *    never a wrong answer (not found, invalid, conflict …);
 *  - reopened, the store holds the change exactly when success was
 *    reported — no success without the commit, no failure with it;
 *  - the same store handle then does the scenario again without a fault
 *    (a failure leaves nothing stuck: no open transaction, no stale read);
 *  - audit_verify finds the chain and every record's state intact;
 *  - PRAGMA integrity_check passes and the search index (FTS5, migration
 *    025) holds every record once, as its own check finds it;
 *  - and, per scenario and kind, LeakSanitizer finds nothing leaked.
 * A crash ends the run under ASan.
 *
 *   harness [--stride N] [--only SCENARIO] [--kind KIND] [--k K] [-v]
 * --stride N runs the allocation faults at k = 1, 1+N, 1+2N, … (make test;
 * they are thousands of k a scenario, the steps and writes tens, always
 * run whole); 1 is every k (make fault). --k K runs that k alone, -v tells
 * each run, FAULT_TRACE=1 prints where each fault strikes, FAULT_KEEP=1
 * keeps the last run's store. Prints a line per scenario and kind; exits 1
 * on any violation.
 */
#include "fault.h"

#include <jansson.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
#define LEAK_CHECK() __lsan_do_recoverable_leak_check()
#else
#define LEAK_CHECK() 0
#endif

#include "domain/acceptance/acceptance.h"
#include "domain/attach/attach.h"
#include "domain/change/change.h"
#include "domain/cmdb/cmdb.h"
#include "domain/desk/ticket.h"
#include "domain/events/correlate.h"
#include "domain/knowledge/knowledge.h"
#include "domain/mail/mail.h"
#include "domain/operation/condition.h"
#include "domain/platform/actor.h"
#include "domain/platform/audit.h"
#include "domain/platform/user.h"
#include "domain/problem/problem.h"
#include "domain/sla/service.h"
#include "domain/sla/sla.h"
#include "lib/jsonx.h"
#include "lib/log.h"
#include "lib/timeutil.h"
#include "store/store.h"

#define T0 1767603600 /* 2026-01-05T09:00:00Z */

static char dir[128], template_db[192], db[192];
static struct actor sys;
static int verbose;
static long only_k; /* --k: that run alone */

/* ---- files ---- */

static void remove_db(const char *path)
{
	static const char *const suffixes[] = { "", "-wal", "-shm", "-journal" };
	char p[256];

	for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		snprintf(p, sizeof(p), "%s%s", path, suffixes[i]);
		unlink(p);
	}
}

static void copy_file(const char *from, const char *to)
{
	FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
	char buf[65536];
	size_t n;

	if (!in || !out) {
		fprintf(stderr, "fault: cannot copy %s to %s\n", from, to);
		exit(2);
	}
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		fwrite(buf, 1, n, out);
	fclose(in);
	fclose(out);
}

/* One integer from the store file, read without the store (no fault armed). */
static long long sql_int(const char *path, const char *sql)
{
	sqlite3 *h;
	sqlite3_stmt *s;
	long long v = -1;

	if (sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(h, sql, -1, &s, NULL) != SQLITE_OK) {
		fprintf(stderr, "fault: %s: %s\n", sql, sqlite3_errmsg(h));
		exit(2);
	}
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(h);
	return v;
}

/* The store's pages and the search index (migration 025): 0 when whole,
 * else what is wrong into what. PRAGMA integrity_check reads every page;
 * FTS5's 'integrity-check' command holds the index against the text it
 * stores; and every ticket, comment, problem and article has exactly its
 * one document (rowid id * 4 + kind), no document outlives its record. */
static int index_check(const char *path, char *what, size_t n)
{
	static const char *const checks[] = {
		"PRAGMA integrity_check",
		"INSERT INTO search_fts(search_fts) VALUES('integrity-check')",
		"SELECT (SELECT count(*) FROM search_fts) = (SELECT count(*) FROM tickets) + "
		"(SELECT count(*) FROM comments) + (SELECT count(*) FROM problems) + "
		"(SELECT count(*) FROM articles) AND NOT EXISTS (SELECT 1 FROM tickets t WHERE "
		"NOT EXISTS (SELECT 1 FROM search_fts f WHERE f.rowid = t.id * 4 AND "
		"f.title = t.title)) AND NOT EXISTS (SELECT 1 FROM comments c WHERE NOT EXISTS "
		"(SELECT 1 FROM search_fts f WHERE f.rowid = c.id * 4 + 1 AND f.body = c.body)) "
		"AND NOT EXISTS (SELECT 1 FROM problems p WHERE NOT EXISTS (SELECT 1 FROM "
		"search_fts f WHERE f.rowid = p.id * 4 + 2 AND f.title = p.title)) "
		"AND NOT EXISTS (SELECT 1 FROM articles a WHERE NOT EXISTS (SELECT 1 FROM "
		"search_fts f WHERE f.rowid = a.id * 4 + 3 AND f.body = a.body))",
	};
	sqlite3 *h;
	int bad = 0;

	if (sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		snprintf(what, n, "index check: cannot open: %s", sqlite3_errmsg(h));
		sqlite3_close(h);
		return 1;
	}
	for (size_t i = 0; i < sizeof(checks) / sizeof(checks[0]) && !bad; i++) {
		sqlite3_stmt *s;
		int rc;

		if (sqlite3_prepare_v2(h, checks[i], -1, &s, NULL) != SQLITE_OK) {
			snprintf(what, n, "index check %zu: %s", i, sqlite3_errmsg(h));
			bad = 1;
			break;
		}
		rc = sqlite3_step(s);
		if (rc == SQLITE_ROW && sqlite3_column_type(s, 0) == SQLITE_TEXT &&
		    strcmp((const char *)sqlite3_column_text(s, 0), "ok")) {
			snprintf(what, n, "integrity_check: %s", sqlite3_column_text(s, 0));
			bad = 1;
		} else if (rc == SQLITE_ROW && sqlite3_column_type(s, 0) == SQLITE_INTEGER &&
			   sqlite3_column_int(s, 0) != 1) {
			snprintf(what, n, "the search index does not hold every record once");
			bad = 1;
		} else if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
			snprintf(what, n, "index check %zu: %s", i, sqlite3_errmsg(h));
			bad = 1;
		}
		sqlite3_finalize(s);
	}
	sqlite3_close(h);
	return bad;
}

/* ---- the store every run starts from ---- */

typedef int (*body_fn)(struct store *, const struct actor *, const json_t *, json_t **,
		       struct err *);

static int problem_investigate(struct store *st, const struct actor *a, const json_t *in,
			       json_t **out, struct err *e)
{
	return problem_update(st, a, "PRB-1", in, out, e);
}

static void setup_call(struct store *st, body_fn fn, const char *body)
{
	json_error_t je;
	json_t *in = json_loads(body, 0, &je), *out = NULL;
	struct err e = { 0 };

	if (!in || fn(st, &sys, in, &out, &e)) {
		fprintf(stderr, "fault: setup %s: %s\n", body, in ? e.msg : je.text);
		exit(2);
	}
	json_decref(in);
	json_decref(out);
}

/* A change move on "CHG-<change_n>" as a body_fn (setup and scenarios). */
static int change_n;

static int submit_n(struct store *st, const struct actor *a, const json_t *in, json_t **out,
		    struct err *e)
{
	char key[24];

	snprintf(key, sizeof(key), "CHG-%d", change_n);
	return change_submit(st, a, key, in, out, e);
}

static int schedule_n(struct store *st, const struct actor *a, const json_t *in, json_t **out,
		      struct err *e)
{
	char key[24];

	snprintf(key, sizeof(key), "CHG-%d", change_n);
	return change_schedule(st, a, key, in, out, e);
}

static int acc_note_1(struct store *st, const struct actor *a, const json_t *in, json_t **out,
		      struct err *e)
{
	return acc_evidence(st, a, "ACC-1", in, out, e);
}

static int acc_decide_1(struct store *st, const struct actor *a, const json_t *in, json_t **out,
			struct err *e)
{
	return acc_decide(st, a, "ACC-1", in, out, e);
}

static void make_template(void)
{
	static const char *const targets =
		"{\"1\":{\"response_minutes\":60,\"resolution_minutes\":240},"
		"\"2\":{\"response_minutes\":60,\"resolution_minutes\":240},"
		"\"3\":{\"response_minutes\":60,\"resolution_minutes\":240},"
		"\"4\":{\"response_minutes\":60,\"resolution_minutes\":240},"
		"\"5\":{\"response_minutes\":60,\"resolution_minutes\":240}}";
	char sla[1024];
	struct err e = { 0 };
	struct store *st = store_open(template_db, 0, &e);

	if (!st) {
		fprintf(stderr, "fault: %s\n", e.msg);
		exit(2);
	}
	snprintf(sla, sizeof(sla),
		 "{\"name\":\"acme-web\",\"customer\":\"acme\",\"service\":\"web\","
		 "\"targets\":%s}",
		 targets);
	setup_call(st, customer_add, "{\"key\":\"acme\",\"name\":\"Acme\"}");
	setup_call(st, service_add, "{\"key\":\"web\",\"name\":\"Web\"}");
	setup_call(st, sla_add, sla);
	setup_call(st, ticket_create,
		   "{\"kind\":\"incident\",\"title\":\"down\",\"impact\":2,\"urgency\":2,"
		   "\"customer\":\"acme\",\"service\":\"web\"}");
	setup_call(st, cmdb_ci_create,
		   "{\"key\":\"mail\",\"name\":\"Mail\",\"type\":\"service\",\"service\":\"web\"}");
	setup_call(st, cmdb_ci_create, "{\"key\":\"mx1\",\"name\":\"mx1\",\"type\":\"server\"}");
	setup_call(st, cmdb_rel_create,
		   "{\"source\":\"mail\",\"type\":\"depends_on\",\"target\":\"mx1\"}");
	setup_call(st, problem_add,
		   "{\"title\":\"mx1 drops mail\",\"items\":[\"mx1\"],\"incidents\":[\"INC-1\"]}");
	setup_call(st, problem_investigate, "{\"version\":1,\"status\":\"investigating\"}");
	/* Two approved standard changes on mx1 in windows apart, for
	 * change-schedule (the second is the probe's). */
	for (change_n = 1; change_n <= 2; change_n++) {
		char body[256];

		snprintf(body, sizeof(body),
			 "{\"type\":\"standard\",\"title\":\"c%d\",\"items\":[\"mx1\"],"
			 "\"services\":[\"web\"],\"planned_start\":\"2026-02-0%dT01:00:00Z\","
			 "\"planned_end\":\"2026-02-0%dT02:00:00Z\"}",
			 change_n, change_n, change_n);
		setup_call(st, change_create, body);
		setup_call(st, submit_n, "{\"version\":1}");
	}
	setup_call(st, knowledge_add, "{\"title\":\"Spooler\",\"body\":\"first\"}");
	setup_call(st, user_add,
		   "{\"username\":\"alice\",\"role\":\"requester\",\"customer\":\"acme\","
		   "\"email\":\"alice@acme.example\"}");
	/* ACC-1 for acceptance-decide: a manual criterion with its note, the
	 * SLA acme-web and a check the evidence questions find missing. */
	setup_call(st, acc_add,
		   "{\"title\":\"web to production\",\"service\":\"web\",\"items\":[\"mx1\"],"
		   "\"criteria\":[\"capacity\",\"sla\",\"monitoring\"]}");
	setup_call(st, acc_note_1, "{\"version\":1,\"criterion\":\"capacity\",\"note\":\"sized\"}");
	/* Two drafts, COND-1 and COND-2, for condition-sign. */
	setup_call(st, cond_add, "{\"date\":\"2026-01-01\",\"remarks\":\"quiet\"}");
	setup_call(st, cond_add, "{\"date\":\"2026-01-02\",\"shift\":\"night\"}");
	/* OLAs of groups desk and l2 on web, and INC-2 held by desk, for
	 * ola-handover. */
	for (int g = 0; g < 2; g++) {
		snprintf(sla, sizeof(sla),
			 "{\"name\":\"%s-web\",\"group\":\"%s\",\"service\":\"web\","
			 "\"targets\":%s}",
			 g ? "l2" : "desk", g ? "l2" : "desk", targets);
		setup_call(st, sla_add, sla);
	}
	setup_call(st, ticket_create,
		   "{\"kind\":\"incident\",\"title\":\"slow\",\"impact\":2,\"urgency\":2,"
		   "\"service\":\"web\",\"group\":\"desk\"}");
	store_close(st);
}

/* ---- the scenarios: one domain write each, the n-th of the run ---- */

static int run_json(struct store *st, body_fn fn, const char *body, struct err *e)
{
	unsigned long failures = jx_alloc_failures();
	json_t *in = json_loads(body, 0, NULL), *out = NULL;
	int rc;

	/* jansson's reader may drop a character of a string whose buffer did
	 * not grow ("resolve_incidets") rather than fail: a body read under a
	 * failed allocation is not the test's body */
	if (!in || jx_alloc_failures() != failures) {
		json_decref(in);
		return err_set(e, ERR_INTERNAL, NULL, "out of memory (the test's own JSON)");
	}
	rc = fn(st, &sys, in, &out, e);
	if (rc && out) {
		fprintf(stderr, "fault: a failure with an answer\n");
		exit(1);
	}
	json_decref(in);
	json_decref(out);
	return rc;
}

static int op_create(struct store *st, int n, struct err *e)
{
	char body[256];

	snprintf(body, sizeof(body),
		 "{\"kind\":\"incident\",\"title\":\"t%d\",\"impact\":2,\"urgency\":2,"
		 "\"customer\":\"acme\",\"service\":\"web\"}",
		 n);
	return run_json(st, ticket_create, body, e);
}

static int comment(struct store *st, const struct actor *a, const json_t *in, json_t **out,
		   struct err *e)
{
	return ticket_comment(st, a, "INC-1", in, out, e);
}

static int op_comment(struct store *st, int n, struct err *e)
{
	char body[128];

	snprintf(body, sizeof(body), "{\"body\":\"reply %d\",\"public\":true}", n);
	return run_json(st, comment, body, e);
}

static int update(struct store *st, const struct actor *a, const json_t *in, json_t **out,
		  struct err *e)
{
	return ticket_update(st, a, "INC-1", in, out, e);
}

static int op_update(struct store *st, int n, struct err *e)
{
	char body[128];

	/* the version read before the fault is armed: see run_one */
	snprintf(body, sizeof(body), "{\"version\":%d,\"title\":\"title %d\",\"impact\":%d}", n,
		 n, 1 + n % 3);
	return run_json(st, update, body, e);
}

static int update_2(struct store *st, const struct actor *a, const json_t *in, json_t **out,
		    struct err *e)
{
	return ticket_update(st, a, "INC-2", in, out, e);
}

/* INC-2 passed between desk and l2: each move ends one group's OLA clock
 * (kept in ticket_ola_past) and starts the other's, in the update's write. */
static int op_handover(struct store *st, int n, struct err *e)
{
	char body[128];

	snprintf(body, sizeof(body), "{\"version\":%d,\"group\":\"%s\"}", n,
		 n % 2 ? "l2" : "desk");
	return run_json(st, update_2, body, e);
}

static int op_import(struct store *st, int n, struct err *e)
{
	char doc[512];
	json_t *out = NULL;
	int rc;

	snprintf(doc, sizeof(doc),
		 "{\"cis\":[{\"key\":\"i%da\",\"name\":\"A\",\"type\":\"server\"},"
		 "{\"key\":\"i%db\",\"name\":\"B\",\"type\":\"application\"}],"
		 "\"relationships\":[{\"source\":\"i%db\",\"type\":\"runs_on\",\"target\":\"i%da\"}]}",
		 n, n, n, n);
	rc = cmdb_import(st, &sys, "json", doc, strlen(doc), 0, &out, e);
	json_decref(out);
	return rc;
}

static int op_intake(struct store *st, int n, struct err *e)
{
	char body[256];

	snprintf(body, sizeof(body),
		 "{\"source\":\"nagios\",\"resource\":\"mx1\",\"check\":\"smtp\","
		 "\"severity\":\"critical\",\"summary\":\"SMTP CRITICAL %d\","
		 "\"at\":\"2026-01-05T09:00:0%dZ\"}",
		 n, n);
	return run_json(st, correlate_ingest_json, body, e);
}

/* PRB-1 at version n: an even n resolves it with its incident (INC-1, new:
 * moved through in_progress to resolved, its clocks, a note — one write of
 * many steps), an odd one reopens it. */
static int op_problem(struct store *st, int n, struct err *e)
{
	char body[128];

	snprintf(body, sizeof(body),
		 n % 2 ? "{\"version\":%d,\"status\":\"investigating\"}"
		       : "{\"version\":%d,\"status\":\"resolved\",\"resolve_incidents\":true}",
		 n);
	return run_json(st, problem_investigate, body, e);
}

static int op_change_create(struct store *st, int n, struct err *e)
{
	char body[256];

	snprintf(body, sizeof(body),
		 "{\"type\":\"normal\",\"title\":\"c%d\",\"items\":[\"mx1\"],"
		 "\"questionnaire\":{\"tested\":true}}",
		 n);
	return run_json(st, change_create, body, e);
}

/* Schedule CHG-n (approved in the template): its planned outage of web and
 * the conflict scan against the other. */
static int op_change_schedule(struct store *st, int n, struct err *e)
{
	change_n = n;
	return run_json(st, schedule_n, "{\"version\":2}", e);
}

/* A new article (its search document added in the write), and KB-1 edited
 * at version n (its document replaced: the index's delete and insert). */
static int op_article_add(struct store *st, int n, struct err *e)
{
	char body[160];

	snprintf(body, sizeof(body),
		 "{\"title\":\"プリンター a%d\",\"body\":\"# 印刷\\n\\nRestart the spooler %d\"}", n,
		 n);
	return run_json(st, knowledge_add, body, e);
}

static int kb_edit(struct store *st, const struct actor *a, const json_t *in, json_t **out,
		   struct err *e)
{
	return knowledge_edit(st, a, "KB-1", in, out, e);
}

static int op_article_edit(struct store *st, int n, struct err *e)
{
	char body[128];

	snprintf(body, sizeof(body), "{\"version\":%d,\"body\":\"edit %d 紙詰まり\"}", n, n);
	return run_json(st, kb_edit, body, e);
}

/* A received message opening a ticket (the parse, the desk's create, the
 * message's record and both audit records in one write). */
static int op_mail(struct store *st, int n, struct err *e)
{
	char raw[512];
	struct mail_receipt r;
	int len, rc;

	len = snprintf(raw, sizeof(raw),
		       "From: Alice <alice@acme.example>\r\nSubject: =?UTF-8?Q?Caf=C3=A9_%d?=\r\n"
		       "Message-ID: <fault-%d@acme.example>\r\nContent-Type: text/html; "
		       "charset=UTF-8\r\n\r\n<p>Printer &amp; scanner %d</p>\r\n",
		       n, n, n);
	rc = mail_receive(st, &sys, "support", raw, (size_t)len, &r, e);
	if (!rc && (r.duplicate || r.outcome != MAIL_CREATED)) {
		fprintf(stderr, "fault: mail stored as %s (%s)\n", mail_outcome_name(r.outcome),
			r.reason);
		exit(1);
	}
	return rc;
}

/* A message polled over IMAP: the message, its ticket and the remembered
 * (mailbox, UIDVALIDITY, UID) in one write — both rows or neither. */
static int op_mail_imap(struct store *st, int n, struct err *e)
{
	char raw[512];
	struct mail_receipt r;
	struct mail_origin o = { "support", 7, n };
	int len, rc;

	len = snprintf(raw, sizeof(raw),
		       "From: Alice <alice@acme.example>\r\nSubject: polled %d\r\n"
		       "Message-ID: <imap-fault-%d@acme.example>\r\n\r\nText %d\r\n",
		       n, n, n);
	rc = mail_receive_at(st, &sys, "support", raw, (size_t)len, &o, &r, e);
	if (!rc && (r.duplicate || r.outcome != MAIL_CREATED)) {
		fprintf(stderr, "fault: polled mail stored as %s (%s)\n",
			mail_outcome_name(r.outcome), r.reason);
		exit(1);
	}
	return rc;
}

/* A file on INC-1: new bytes each run, so each stores a BLOB, an
 * attachment and its audit record (docs/attachments.md). */
static int op_attach(struct store *st, int n, struct err *e)
{
	struct attach_in in = { "fault.txt", NULL, "true" };
	json_t *out = NULL;
	char data[64];
	int len = snprintf(data, sizeof(data), "the file of run %d\n", n);
	int rc = attach_add(st, &sys, "INC-1", &in, data, (size_t)len, &out, e);

	if (rc && out) {
		fprintf(stderr, "fault: a failure with an answer\n");
		exit(1);
	}
	json_decref(out);
	return rc;
}

/* A condition report of 2026-02-n (COND-3 on: the template holds two). */
static int op_condition_add(struct store *st, int n, struct err *e)
{
	char body[128];

	snprintf(body, sizeof(body), "{\"date\":\"2026-02-%02d\",\"remarks\":\"shift %d\"}", n,
		 n);
	return run_json(st, cond_add, body, e);
}

/* Sign COND-n (a draft of the template) as a shift leader: the period's
 * figures read inside the write and stored frozen with their hash. */
static int op_condition_sign(struct store *st, int n, struct err *e)
{
	struct actor lead = { .user_id = 99, .username = "lead", .role = ROLE_MANAGER };
	char key[24];
	json_t *in = json_object(), *out = NULL;
	int rc;

	snprintf(key, sizeof(key), "COND-%d", n);
	if (!in)
		return err_set(e, ERR_INTERNAL, NULL, "out of memory (the test's own JSON)");
	rc = cond_sign(st, &lead, key, in, &out, e);
	if (rc && out) {
		fprintf(stderr, "fault: a failure with an answer\n");
		exit(1);
	}
	json_decref(in);
	json_decref(out);
	return rc;
}

/* An acceptance checklist of the web service and mx1 (ACC-2 on). */
static int op_acceptance_add(struct store *st, int n, struct err *e)
{
	char body[160];

	snprintf(body, sizeof(body),
		 "{\"title\":\"system %d\",\"service\":\"web\",\"items\":[\"mx1\"]}", n);
	return run_json(st, acc_add, body, e);
}

/* A no-go on ACC-1 at its version n: the evidence read inside the write,
 * its snapshot stored with the decision. */
static int op_acceptance_decide(struct store *st, int n, struct err *e)
{
	char body[128];

	snprintf(body, sizeof(body),
		 "{\"version\":%d,\"decision\":\"no_go\",\"reason\":\"run %d\"}", n, n);
	return run_json(st, acc_decide_1, body, e);
}

struct scenario {
	const char *name;
	int (*op)(struct store *st, int n, struct err *e);
	const char *count_sql; /* grows by `grows` with each stored run */
	int grows;
	int versioned; /* op's n is the stored version of INC-1 + 1 */
	const char *version_sql; /* that version when count_sql is not it */
};

static const struct scenario scenarios[] = {
	{ "ticket-create", op_create, "SELECT count(*) FROM tickets", 1, 0 },
	{ "comment", op_comment, "SELECT count(*) FROM comments", 1, 0 },
	{ "ticket-update", op_update, "SELECT version FROM tickets WHERE key = 'INC-1'", 1, 1 },
	{ "cmdb-import", op_import, "SELECT count(*) FROM cis", 2, 0 },
	{ "event-intake", op_intake, "SELECT count(*) FROM events", 1, 0 },
	{ "problem-resolve", op_problem, "SELECT version FROM problems WHERE key = 'PRB-1'", 1, 1 },
	{ "change-create", op_change_create, "SELECT count(*) FROM changes", 1, 0 },
	{ "change-schedule", op_change_schedule, "SELECT count(*) FROM outages", 1, 0 },
	{ "mail-receive", op_mail, "SELECT count(*) FROM mail_messages", 1, 0 },
	{ "mail-imap", op_mail_imap,
	  "SELECT (SELECT count(*) FROM mail_messages) + (SELECT count(*) FROM mail_imap_uids)", 2,
	  0 },
	{ "condition-add", op_condition_add, "SELECT count(*) FROM condition_reports", 1, 0 },
	{ "condition-sign", op_condition_sign,
	  "SELECT count(*) FROM condition_reports WHERE figures IS NOT NULL", 1, 0 },
	{ "article-add", op_article_add, "SELECT count(*) FROM articles", 1, 0 },
	{ "article-edit", op_article_edit, "SELECT version FROM articles WHERE key = 'KB-1'", 1, 1 },
	{ "attach-add", op_attach, "SELECT count(*) FROM attachments", 1, 0 },
	{ "acceptance-add", op_acceptance_add, "SELECT count(*) FROM acceptances", 1, 0 },
	{ "acceptance-decide", op_acceptance_decide,
	  "SELECT version FROM acceptances WHERE key = 'ACC-1'", 1, 1 },
	/* INC-2's version and the kept clocks grow together */
	{ "ola-handover", op_handover,
	  "SELECT version + (SELECT count(*) FROM ticket_ola_past) FROM tickets "
	  "WHERE key = 'INC-2'",
	  2, 1, "SELECT version FROM tickets WHERE key = 'INC-2'" },
};

/* ---- one run ---- */

struct tally {
	long runs, hits, failed, absorbed, violations;
	long codes[4]; /* internal, busy, full, other */
	long events;   /* the k of the first run that did not reach its fault - 1 */
};

static void violation(struct tally *t, const struct scenario *sc, enum fault_kind kind, long k,
		      const char *what, const struct err *e)
{
	t->violations++;
	fprintf(stderr, "fault: VIOLATION %s %s k=%ld: %s (%s)\n", sc->name, fault_kind_name(kind),
		k, what, e ? e->msg : "");
}

static int store_code(int rc)
{
	return rc == ERR_INTERNAL ? 0 : rc == ERR_BUSY ? 1 : rc == ERR_FULL ? 2 : 3;
}

/* Run sc with the kind's k-th event failing; 1 when that event came. */
static int run_one(const struct scenario *sc, enum fault_kind kind, long k, struct tally *t)
{
	struct err e = { 0 }, pe = { 0 };
	struct audit_result res;
	struct store *st;
	long long before, version, after, expect;
	int rc, prc, came;

	remove_db(db);
	copy_file(template_db, db);
	clock_set(T0 + 3600);
	cmdb_graph_reset();
	before = sql_int(db, sc->count_sql);
	version = sc->version_sql ? sql_int(db, sc->version_sql) : before;
	if (!(st = store_open(db, 0, &e))) {
		fprintf(stderr, "fault: open: %s\n", e.msg);
		exit(2);
	}
	fault_arm(kind, k);
	rc = sc->op(st, sc->versioned ? (int)version : 1, &e);
	came = fault_disarm();
	t->runs++;
	t->hits += came;
	if (rc) {
		t->failed++;
		t->codes[store_code(rc)]++;
		if (store_code(rc) == 3)
			violation(t, sc, kind, k, "a fault answered as something else", &e);
		if (kind == FAULT_STEP_BUSY && rc != ERR_BUSY)
			violation(t, sc, kind, k, "busy answered as not busy", &e);
	} else if (came) {
		t->absorbed++;
	}
	if (verbose)
		fprintf(stderr, "  %s %s k=%ld came=%d rc=%d %s\n", sc->name, fault_kind_name(kind),
			k, came, rc, rc ? e.msg : "");
	/* The same handle again, without a fault: nothing may be left stuck. */
	prc = sc->op(st, sc->versioned ? (int)version + !rc : 2, &pe);
	if (prc)
		violation(t, sc, kind, k, "the store did not recover", &pe);
	store_close(st);

	after = sql_int(db, sc->count_sql);
	expect = before + sc->grows * ((rc == 0) + (prc == 0));
	if (after != expect) {
		char what[128];

		snprintf(what, sizeof(what), "%s: %lld stored, expected %lld (rc %d, probe %d)",
			 rc ? "a failure that stored" : "a success that was not stored", after,
			 expect, rc, prc);
		violation(t, sc, kind, k, what, &e);
	}
	{
		char what[256];

		if (index_check(db, what, sizeof(what)))
			violation(t, sc, kind, k, what, NULL);
	}
	if (!(st = store_open(db, 0, &e)) || audit_verify(st, &res, &e) || res.first_bad) {
		char what[224];

		snprintf(what, sizeof(what), "audit_verify: %s", st ? res.reason : "cannot open");
		violation(t, sc, kind, k, what, &e);
	}
	store_close(st);
	return came;
}

/* Every k of sc and kind; the number of violations and leaks. */
static long sweep(const struct scenario *sc, enum fault_kind kind, long stride)
{
	struct tally t = { 0 };
	long k = 1;
	int leaks;

	if (only_k) {
		run_one(sc, kind, only_k, &t);
		k = only_k + 1;
	} else {
		while (run_one(sc, kind, k, &t))
			k += stride;
	}
	t.events = k - 1; /* with stride 1: the scenario's count of events */
	leaks = LEAK_CHECK();
	printf("fault: %-13s %-11s k=1..%ld by %ld: %ld runs, %ld failed (internal %ld, busy %ld, "
	       "full %ld), %ld absorbed, %ld violations%s\n",
	       sc->name, fault_kind_name(kind), t.events, stride, t.runs,
	       t.failed, t.codes[0], t.codes[1], t.codes[2], t.absorbed, t.violations,
	       leaks ? ", LEAKS" : "");
	fflush(stdout);
	return t.violations + !!leaks;
}

int main(int argc, char **argv)
{
	const char *only = NULL, *kind_name = NULL, *tmp = getenv("TMPDIR");
	long stride = 1, bad = 0;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--stride") && i + 1 < argc)
			stride = atol(argv[++i]);
		else if (!strcmp(argv[i], "--only") && i + 1 < argc)
			only = argv[++i];
		else if (!strcmp(argv[i], "--kind") && i + 1 < argc)
			kind_name = argv[++i];
		else if (!strcmp(argv[i], "--k") && i + 1 < argc)
			only_k = atol(argv[++i]);
		else if (!strcmp(argv[i], "-v"))
			verbose = 1;
		else {
			/* --help lands here too */
			fprintf(stderr,
				"usage: %s [--stride N] [--only SCENARIO] [--kind KIND] [--k K] [-v]\n",
				argv[0]);
			return 2;
		}
	}
	if (stride < 1)
		stride = 1;
	fault_install();
	if (sodium_init() < 0)
		return 2;
	log_threshold = LOG_OFF;
	actor_system(&sys, "fault");
	/* tmpfs when there is one: the runs fsync a great deal */
	if (!tmp && access("/dev/shm", W_OK) == 0)
		tmp = "/dev/shm";
	snprintf(dir, sizeof(dir), "%s/itsm-fault-XXXXXX", tmp ? tmp : "/tmp");
	if (!mkdtemp(dir))
		return 2;
	snprintf(template_db, sizeof(template_db), "%s/template.db", dir);
	snprintf(db, sizeof(db), "%s/run.db", dir);
	clock_set(T0);
	make_template();
	for (size_t i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++) {
		if (only && strcmp(only, scenarios[i].name))
			continue;
		for (int kind = 0; kind < FAULT__COUNT; kind++)
			if (!kind_name || !strcmp(kind_name, fault_kind_name((enum fault_kind)kind)))
				bad += sweep(&scenarios[i], (enum fault_kind)kind,
					     kind == FAULT_ALLOC ? stride : 1);
	}
	if (getenv("FAULT_KEEP")) { /* the last run's store, to look at */
		printf("fault: kept %s\n", db);
	} else {
		remove_db(db);
		remove_db(template_db);
		rmdir(dir);
	}
	cmdb_graph_reset();
	return bad ? 1 : 0;
}
