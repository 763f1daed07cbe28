/*
 * tests/unit/domain/audit.c — the tamper-evident audit log against a real
 * SQLite store in a temporary directory.
 *
 * Each test builds the same small history through the domain functions
 * (customers, users, tickets, comments, updates) with the clock injected,
 * closes the store, tampers with the file through the sqlite3 C API the way
 * someone with the file and the sqlite3 shell could, reopens it and checks
 * that audit_verify reports the first record that no longer verifies.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <jansson.h>
#include <pthread.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "domain/platform/actor.h"
#include "domain/platform/audit.h"
#include "domain/desk/ticket.h"
#include "domain/platform/user.h"
#include "lib/err.h"
#include "lib/log.h"
#include "lib/timeutil.h"
#include "store/store.h"

/* 2026-01-05T09:00:00Z; each step of the history is a minute later. */
#define T0 1767603600

/* The history every test starts from, one audit record each, in order. */
enum {
	SEQ_CUST_ACME = 1,   /* customer.add acme */
	SEQ_CUST_GLOBEX,     /* customer.add globex */
	SEQ_USER_ALICE,      /* user.add alice (agent) */
	SEQ_USER_CAROL,      /* user.add carol (requester at acme) */
	SEQ_INC1_CREATE,     /* ticket.create INC-1 */
	SEQ_REQ1_CREATE,     /* ticket.create REQ-1 */
	SEQ_INC1_COMMENT,    /* ticket.comment comment:1 on INC-1 */
	SEQ_INC1_ASSIGN,     /* ticket.update INC-1 assignee alice */
	SEQ_REQ1_PROGRESS,   /* ticket.update REQ-1 status in_progress */
	SEQ_REQ1_NOTE,       /* ticket.comment comment:2 on REQ-1 (internal) */
	SEQ_INC1_RESOLVE,    /* ticket.update INC-1 in_progress */
	SEQ_USER_DAVE,       /* user.add dave: the last record, no state checked */
	SEQ_COUNT = SEQ_USER_DAVE,
};

struct fx {
	char dir[64];
	char path[96];
	struct store *st;
	struct actor sys;
	int step;
	const char *tampered; /* the last tampering statement, for messages */
};

static void tick(struct fx *f)
{
	clock_set(T0 + 60 * f->step++);
}

static json_t *J(const char *text)
{
	json_error_t je;
	json_t *j = json_loads(text, 0, &je);

	if (!j)
		fail_msg("bad test JSON %s: %s", text, je.text);
	return j;
}

typedef int (*op_fn)(struct store *, const struct actor *, const json_t *, json_t **,
		     struct err *);

/* Run a domain write that takes a JSON body; assert it succeeded. */
static void run(struct fx *f, op_fn op, const char *body)
{
	json_t *in = J(body), *out = NULL;
	struct err e;

	tick(f);
	err_clear(&e);
	if (op(f->st, &f->sys, in, &out, &e))
		fail_msg("%s: %s (field '%s')", body, e.msg, e.field);
	json_decref(out);
	json_decref(in);
}

static void update(struct fx *f, const char *ref, const char *body)
{
	json_t *in = J(body), *out = NULL;
	struct err e;

	tick(f);
	err_clear(&e);
	if (ticket_update(f->st, &f->sys, ref, in, &out, &e))
		fail_msg("update %s %s: %s", ref, body, e.msg);
	json_decref(out);
	json_decref(in);
}

static void comment(struct fx *f, const char *ref, const char *body)
{
	json_t *in = J(body), *out = NULL;
	struct err e;

	tick(f);
	err_clear(&e);
	if (ticket_comment(f->st, &f->sys, ref, in, &out, &e))
		fail_msg("comment %s %s: %s", ref, body, e.msg);
	json_decref(out);
	json_decref(in);
}

static void open_store(struct fx *f)
{
	struct err e;

	err_clear(&e);
	f->st = store_open(f->path, 0, &e);
	if (!f->st)
		fail_msg("store_open %s: %s", f->path, e.msg);
}

static void close_store(struct fx *f)
{
	store_close(f->st);
	f->st = NULL;
}

static struct audit_result verify(struct fx *f)
{
	struct audit_result r;
	struct err e;

	err_clear(&e);
	if (!f->st)
		open_store(f);
	if (audit_verify(f->st, &r, &e))
		fail_msg("audit_verify failed to run: %s", e.msg);
	return r;
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	if (!f || sodium_init() < 0)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "/tmp/itsm-audit-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->path, sizeof(f->path), "%s/itsm.db", f->dir);
	actor_system(&f->sys, "root");
	f->step = 0;
	tick(f);
	open_store(f);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	static const char *const suffix[] = { "", "-wal", "-shm", "-journal" };
	char p[128];

	if (f->st)
		close_store(f);
	for (size_t i = 0; i < sizeof(suffix) / sizeof(suffix[0]); i++) {
		snprintf(p, sizeof(p), "%s%s", f->path, suffix[i]);
		unlink(p);
	}
	rmdir(f->dir);
	free(f);
	clock_set(-1);
	return 0;
}

/* Start again from an empty store in the same directory. */
static void fresh(struct fx *f)
{
	static const char *const suffix[] = { "", "-wal", "-shm", "-journal" };
	char p[128];

	if (f->st)
		close_store(f);
	for (size_t i = 0; i < sizeof(suffix) / sizeof(suffix[0]); i++) {
		snprintf(p, sizeof(p), "%s%s", f->path, suffix[i]);
		unlink(p);
	}
	f->step = 0;
	tick(f);
	open_store(f);
}

/* The history of the enum above. */
static void build(struct fx *f)
{
	run(f, customer_add, "{\"key\":\"acme\",\"name\":\"Acme Corp\"}");
	run(f, customer_add, "{\"key\":\"globex\"}");
	run(f, user_add, "{\"username\":\"alice\",\"name\":\"Alice\",\"role\":\"agent\"}");
	run(f, user_add, "{\"username\":\"carol\",\"role\":\"requester\",\"customer\":\"acme\"}");
	run(f, ticket_create,
	    "{\"kind\":\"incident\",\"title\":\"Printer on fire\",\"description\":\"3rd floor\","
	    "\"impact\":1,\"urgency\":2,\"customer\":\"acme\",\"channel\":\"phone\"}");
	run(f, ticket_create,
	    "{\"kind\":\"request\",\"title\":\"New laptop\",\"impact\":3,\"urgency\":3,"
	    "\"customer\":\"globex\",\"service\":\"hardware\"}");
	comment(f, "INC-1", "{\"body\":\"Extinguisher on its way\"}");
	update(f, "INC-1", "{\"version\":1,\"assignee\":\"alice\"}");
	update(f, "REQ-1", "{\"version\":1,\"status\":\"in_progress\"}");
	comment(f, "REQ-1", "{\"body\":\"order from the usual vendor\",\"public\":false}");
	update(f, "INC-1", "{\"version\":2,\"status\":\"in_progress\",\"urgency\":1}");
	run(f, user_add, "{\"username\":\"dave\",\"role\":\"manager\"}");
}

/* Tamper with the closed store's file directly, as someone holding it would:
 * first drop the triggers that keep the log append-only (migration 007);
 * each statement must change at least one row. */
static void tamper(struct fx *f, const char *sql)
{
	sqlite3 *db;
	char *msg = NULL;

	if (f->st)
		close_store(f);
	f->tampered = sql;
	assert_int_equal(sqlite3_open_v2(f->path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
	if (sqlite3_exec(db, "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete",
			 NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("dropping the guard: %s", msg);
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg);
	if (sqlite3_total_changes(db) == 0)
		fail_msg("%s changed nothing", sql);
	sqlite3_close(db);
}

static int64_t query_int(struct fx *f, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *s;
	int64_t v = -1;

	assert_int_equal(sqlite3_open_v2(f->path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(db);
	return v;
}

static void expect_bad(struct fx *f, int64_t first_bad)
{
	struct audit_result r = verify(f);

	if (r.ok || r.first_bad != first_bad)
		fail_msg("after %s: want first_bad %lld, got ok=%d first_bad=%lld (%s)",
			 f->tampered ? f->tampered : "nothing", (long long)first_bad, r.ok,
			 (long long)r.first_bad, r.reason);
	assert_true(r.reason[0] != '\0');
}

/* ---- a clean history ---- */

static void test_empty_store_verifies(void **state)
{
	struct fx *f = *state;
	struct audit_result r = verify(f);

	assert_true(r.ok);
	assert_int_equal(r.records, 0);
	assert_int_equal(r.first_bad, 0);
}

static void test_clean_history_verifies(void **state)
{
	struct fx *f = *state;
	struct audit_result r;
	char hex[AUDIT_HASH_LEN * 2 + 1];

	build(f);
	r = verify(f);
	if (!r.ok)
		fail_msg("clean history does not verify: first_bad %lld: %s",
			 (long long)r.first_bad, r.reason);
	assert_int_equal(r.records, SEQ_COUNT);
	assert_int_equal(r.first_bad, 0);
	assert_int_equal(strlen(r.head), AUDIT_HASH_LEN * 2);

	/* Again after a reopen, and the head is the last row's hash. */
	close_store(f);
	assert_int_equal(query_int(f, "SELECT count(*) FROM audit_log"), SEQ_COUNT);
	assert_int_equal(query_int(f, "SELECT max(seq) FROM audit_log WHERE entity='ticket:INC-1'"),
			 SEQ_INC1_RESOLVE);
	assert_int_equal(query_int(f, "SELECT seq FROM audit_log WHERE entity='comment:1'"),
			 SEQ_INC1_COMMENT);
	assert_int_equal(query_int(f, "SELECT seq FROM audit_log WHERE entity='user:dave'"),
			 SEQ_USER_DAVE);
	assert_int_equal(query_int(f, "SELECT min(at) FROM audit_log"), T0 + 60);
	assert_int_equal(query_int(f, "SELECT max(at) FROM audit_log"), T0 + 60 * SEQ_COUNT);
	r = verify(f);
	assert_true(r.ok);
	assert_int_equal(r.records, SEQ_COUNT);
	{
		sqlite3 *db;
		sqlite3_stmt *s;

		assert_int_equal(sqlite3_open_v2(f->path, &db, SQLITE_OPEN_READONLY, NULL),
				 SQLITE_OK);
		assert_int_equal(sqlite3_prepare_v2(db, "SELECT hash FROM audit_log "
							"ORDER BY seq DESC LIMIT 1",
						    -1, &s, NULL),
				 SQLITE_OK);
		assert_int_equal(sqlite3_step(s), SQLITE_ROW);
		assert_int_equal(sqlite3_column_bytes(s, 0), AUDIT_HASH_LEN);
		sodium_bin2hex(hex, sizeof(hex), sqlite3_column_blob(s, 0), AUDIT_HASH_LEN);
		sqlite3_finalize(s);
		sqlite3_close(db);
	}
	assert_string_equal(r.head, hex);
}

/* Each record chains the previous one: prev_hash(n) = hash(n-1). */
static void test_chain_links(void **state)
{
	struct fx *f = *state;

	build(f);
	close_store(f);
	assert_int_equal(query_int(f, "SELECT count(*) FROM audit_log a JOIN audit_log b "
				      "ON b.seq = a.seq + 1 WHERE b.prev_hash = a.hash"),
			 SEQ_COUNT - 1);
	assert_int_equal(query_int(f, "SELECT prev_hash = zeroblob(32) FROM audit_log "
				      "WHERE seq = 1"),
			 1);
	assert_int_equal(query_int(f, "SELECT count(DISTINCT hash) FROM audit_log"), SEQ_COUNT);
}

/* A refused write leaves no record behind. */
static void test_refused_write_not_audited(void **state)
{
	struct fx *f = *state;
	json_t *in, *out = NULL;
	struct err e;
	struct audit_result r;

	build(f);
	in = J("{\"version\":1,\"status\":\"closed\"}"); /* REQ-1 is at version 2 */
	assert_int_equal(ticket_update(f->st, &f->sys, "REQ-1", in, &out, &e), ERR_CONFLICT);
	json_decref(in);
	in = J("{\"version\":2,\"status\":\"closed\"}"); /* in_progress -> closed */
	assert_int_equal(ticket_update(f->st, &f->sys, "REQ-1", in, &out, &e), ERR_TRANSITION);
	json_decref(in);
	in = J("{\"kind\":\"incident\",\"title\":\"x\",\"impact\":1,\"urgency\":1,"
	       "\"assignee\":\"nobody\"}");
	assert_int_equal(ticket_create(f->st, &f->sys, in, &out, &e), ERR_INVALID);
	json_decref(in);
	r = verify(f);
	assert_true(r.ok);
	assert_int_equal(r.records, SEQ_COUNT);
}

/* ---- tampering with the audit log ---- */

/* While its guard stands, the log refuses to change or lose a record,
 * whoever asks; the chain is untouched. */
static void test_log_is_append_only(void **state)
{
	static const char *const sql[] = {
		"UPDATE audit_log SET actor = 'mallory' WHERE seq = 3",
		"DELETE FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log)",
		"DELETE FROM audit_log",
	};
	struct fx *f = *state;
	sqlite3 *db;

	build(f);
	close_store(f);
	assert_int_equal(sqlite3_open_v2(f->path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
	for (size_t i = 0; i < sizeof(sql) / sizeof(sql[0]); i++) {
		char *msg = NULL;

		assert_int_equal(sqlite3_exec(db, sql[i], NULL, NULL, &msg), SQLITE_CONSTRAINT);
		assert_non_null(strstr(msg, "append-only"));
		sqlite3_free(msg);
	}
	sqlite3_close(db);
	assert_true(verify(f).ok);
	assert_int_equal(verify(f).records, SEQ_COUNT);
}

/* (a) one record's change edited */
static void test_edited_change(void **state)
{
	struct fx *f = *state;

	build(f);
	tamper(f, "UPDATE audit_log SET change = replace(change, 'Printer', 'Scanner') "
		  "WHERE seq = 5");
	expect_bad(f, SEQ_INC1_CREATE);
}

/* (a') every other column of a record, one at a time */
static void test_edited_columns(void **state)
{
	static const char *const edits[] = {
		"UPDATE audit_log SET at = at + 1 WHERE seq = 6",
		"UPDATE audit_log SET actor = 'mallory' WHERE seq = 6",
		"UPDATE audit_log SET action = 'ticket.update' WHERE seq = 6",
		"UPDATE audit_log SET entity = 'ticket:REQ-2' WHERE seq = 6",
		"UPDATE audit_log SET hash = zeroblob(32) WHERE seq = 6",
		"UPDATE audit_log SET prev_hash = zeroblob(32) WHERE seq = 6",
		"UPDATE audit_log SET change = change || ' ' WHERE seq = 6",
	};
	struct fx *f = *state;

	for (size_t i = 0; i < sizeof(edits) / sizeof(edits[0]); i++) {
		fresh(f);
		build(f);
		assert_true(verify(f).ok);
		tamper(f, edits[i]);
		expect_bad(f, SEQ_REQ1_CREATE);
	}
}

/* (b) a record in the middle deleted */
static void test_deleted_middle(void **state)
{
	struct fx *f = *state;

	build(f);
	tamper(f, "DELETE FROM audit_log WHERE seq = 7");
	expect_bad(f, SEQ_INC1_COMMENT);
}

static void test_deleted_first(void **state)
{
	struct fx *f = *state;

	build(f);
	tamper(f, "DELETE FROM audit_log WHERE seq = 1");
	expect_bad(f, 1);
}

/* (b') deleted, and the later records renumbered to close the gap */
static void test_deleted_and_renumbered(void **state)
{
	struct fx *f = *state;

	build(f);
	tamper(f, "DELETE FROM audit_log WHERE seq = 4;"
		  "UPDATE audit_log SET seq = seq - 1 WHERE seq > 4");
	expect_bad(f, 4);
}

/* (c) the contents of two records swapped: the lower one is named */
static void test_swapped(void **state)
{
	struct fx *f = *state;

	build(f);
	tamper(f, "CREATE TEMP TABLE saved AS SELECT * FROM audit_log WHERE seq IN (5, 9);"
		  "UPDATE audit_log SET (at, actor, action, entity, change, prev_hash, hash) = "
		  "(SELECT at, actor, action, entity, change, prev_hash, hash FROM saved "
		  " WHERE saved.seq = CASE audit_log.seq WHEN 5 THEN 9 ELSE 5 END) "
		  "WHERE seq IN (5, 9)");
	assert_int_equal(query_int(f, "SELECT count(*) FROM audit_log WHERE seq = 5 AND "
				      "entity = 'ticket:REQ-1'"),
			 1);
	expect_bad(f, SEQ_INC1_CREATE);
}

static void test_swapped_adjacent(void **state)
{
	struct fx *f = *state;

	build(f);
	tamper(f, "CREATE TEMP TABLE saved AS SELECT * FROM audit_log WHERE seq IN (2, 3);"
		  "UPDATE audit_log SET (at, actor, action, entity, change, prev_hash, hash) = "
		  "(SELECT at, actor, action, entity, change, prev_hash, hash FROM saved "
		  " WHERE saved.seq = CASE audit_log.seq WHEN 2 THEN 3 ELSE 2 END) "
		  "WHERE seq IN (2, 3)");
	expect_bad(f, SEQ_CUST_GLOBEX);
}

/* (d) the last record cut off: only the head beside the chain shows it */
static void test_deleted_last(void **state)
{
	struct fx *f = *state;
	struct audit_result r;

	build(f);
	tamper(f, "DELETE FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log)");
	r = verify(f);
	assert_false(r.ok);
	assert_int_equal(r.first_bad, SEQ_USER_DAVE);
	assert_non_null(strstr(r.reason, "head"));
}

/* (d') several cut off from the end */
static void test_deleted_tail(void **state)
{
	struct fx *f = *state;
	struct audit_result r;

	build(f);
	tamper(f, "DELETE FROM audit_log WHERE seq >= 11");
	r = verify(f);
	assert_false(r.ok);
	assert_true(r.first_bad >= 1 && r.first_bad <= SEQ_USER_DAVE);
}

static void test_head_edited(void **state)
{
	struct fx *f = *state;
	struct audit_result r;

	build(f);
	tamper(f, "UPDATE meta SET value = '3:' || substr(value, 4) WHERE key = 'audit_head'");
	r = verify(f);
	assert_false(r.ok);
	assert_int_not_equal(r.first_bad, 0);
}

static void test_head_deleted(void **state)
{
	struct fx *f = *state;
	struct audit_result r;

	build(f);
	tamper(f, "DELETE FROM meta WHERE key = 'audit_head'");
	r = verify(f);
	assert_false(r.ok);
	assert_int_not_equal(r.first_bad, 0);
}

static void test_whole_log_deleted(void **state)
{
	struct fx *f = *state;
	struct audit_result r;

	build(f);
	tamper(f, "DELETE FROM audit_log");
	r = verify(f);
	assert_false(r.ok);
	assert_int_not_equal(r.first_bad, 0);
}

/* ---- tampering with the records the log speaks for ---- */

/* (e) a ticket's title edited: named by the ticket's last audit record */
static void test_ticket_row_edited(void **state)
{
	struct fx *f = *state;

	build(f);
	tamper(f, "UPDATE tickets SET title = 'Nothing happened' WHERE key = 'INC-1'");
	expect_bad(f, SEQ_INC1_RESOLVE);
}

static void test_ticket_other_columns_edited(void **state)
{
	static const struct {
		const char *sql;
		int64_t first_bad;
	} edits[] = {
		{ "UPDATE tickets SET status = 'closed' WHERE key = 'REQ-1'", SEQ_REQ1_PROGRESS },
		{ "UPDATE tickets SET priority = 5 WHERE key = 'INC-1'", SEQ_INC1_RESOLVE },
		{ "UPDATE tickets SET assignee_id = NULL WHERE key = 'INC-1'", SEQ_INC1_RESOLVE },
		{ "UPDATE tickets SET description = '' WHERE key = 'INC-1'", SEQ_INC1_RESOLVE },
		{ "UPDATE tickets SET customer_id = (SELECT id FROM customers WHERE key = 'acme') "
		  "WHERE key = 'REQ-1'",
		  SEQ_REQ1_PROGRESS },
		{ "UPDATE tickets SET created_at = created_at - 86400 WHERE key = 'REQ-1'",
		  SEQ_REQ1_PROGRESS },
	};
	struct fx *f = *state;

	for (size_t i = 0; i < sizeof(edits) / sizeof(edits[0]); i++) {
		fresh(f);
		build(f);
		assert_true(verify(f).ok);
		tamper(f, edits[i].sql);
		expect_bad(f, edits[i].first_bad);
	}
}

static void test_ticket_row_deleted(void **state)
{
	struct fx *f = *state;

	build(f);
	tamper(f, "DELETE FROM ticket_history WHERE ticket_id = (SELECT id FROM tickets "
		  "WHERE key = 'REQ-1');"
		  "DELETE FROM comments WHERE ticket_id = (SELECT id FROM tickets "
		  "WHERE key = 'REQ-1');"
		  "DELETE FROM tickets WHERE key = 'REQ-1'");
	/* The earliest of what was lost: REQ-1's last record comes before its
	 * comment's. */
	expect_bad(f, SEQ_REQ1_PROGRESS);
}

static void test_ticket_row_inserted(void **state)
{
	struct fx *f = *state;
	struct audit_result r;

	build(f);
	tamper(f, "INSERT INTO tickets(key, kind, title, impact, urgency, priority, status, "
		  "created_at, updated_at) VALUES('INC-99', 'incident', 'forged', 1, 1, 1, 'new', "
		  "1767603600, 1767603600)");
	r = verify(f);
	assert_false(r.ok);
	assert_int_not_equal(r.first_bad, 0);
}

/* (f) a comment deleted */
/* The field history is part of the audited state of its ticket. */
static void test_history_row_edited(void **state)
{
	struct fx *f = *state;

	build(f);
	tamper(f, "UPDATE ticket_history SET new_value = 'closed' "
		  "WHERE id = (SELECT max(h.id) FROM ticket_history h JOIN tickets t "
		  "ON t.id = h.ticket_id WHERE t.key = 'INC-1')");
	expect_bad(f, SEQ_INC1_RESOLVE);
}

static void test_history_row_deleted(void **state)
{
	struct fx *f = *state;

	build(f);
	tamper(f, "DELETE FROM ticket_history WHERE id = (SELECT min(h.id) FROM ticket_history h "
		  "JOIN tickets t ON t.id = h.ticket_id WHERE t.key = 'INC-1')");
	expect_bad(f, SEQ_INC1_RESOLVE);
}

static void test_comment_deleted(void **state)
{
	struct fx *f = *state;

	build(f);
	tamper(f, "DELETE FROM comments WHERE id = 1");
	expect_bad(f, SEQ_INC1_COMMENT);
}

static void test_comment_edited(void **state)
{
	struct fx *f = *state;

	build(f);
	tamper(f, "UPDATE comments SET public = 1 WHERE id = 2");
	expect_bad(f, SEQ_REQ1_NOTE);
}

/* ---- verifying a live store ---- */

struct churn {
	struct fx *f;
	_Atomic int stop;
	int writes;
};

static void *churn_main(void *arg)
{
	struct churn *c = arg;
	struct actor sys;

	actor_system(&sys, "churn");
	while (!c->stop && c->writes < 2000) {
		json_t *in = json_pack("{s:s, s:s, s:i, s:i}", "kind", "incident", "title", "load",
				       "impact", 2, "urgency", 2);
		json_t *out = NULL;
		struct err e;

		if (ticket_create(c->f->st, &sys, in, &out, &e) == 0)
			c->writes++;
		json_decref(out);
		json_decref(in);
	}
	return NULL;
}

/* A verify that runs while the server writes must not report tampering
 * that did not happen: the chain, the head and the stored state have to be
 * read as of one moment (audit_verify holds one snapshot for all three). */
static void test_verify_during_writes(void **state)
{
	struct fx *f = *state;
	struct churn c = { .f = f };
	struct err e;
	pthread_t t;
	int false_alarms = 0, runs = 0;
	char first[200] = "";

	build(f);
	close_store(f);
	err_clear(&e);
	f->st = store_open(f->path, STORE_SERVER, &e);
	assert_non_null(f->st);
	assert_int_equal(pthread_create(&t, NULL, churn_main, &c), 0);
	for (; runs < 100; runs++) {
		struct audit_result r;

		assert_int_equal(audit_verify(f->st, &r, &e), 0);
		if (!r.ok && !false_alarms++)
			snprintf(first, sizeof(first), "first_bad %lld: %s", (long long)r.first_bad,
				 r.reason);
	}
	c.stop = 1;
	pthread_join(t, NULL);
	assert_true(verify(f).ok);
	if (false_alarms)
		fail_msg("%d of %d verifies during %d writes reported tampering; %s",
			 false_alarms, runs, c.writes, first);
}

/* ---- the hash itself ---- */

static struct audit_rec sample(void)
{
	struct audit_rec r;

	memset(&r, 0, sizeof(r));
	r.seq = 42;
	r.at = T0;
	snprintf(r.actor, sizeof(r.actor), "alice");
	snprintf(r.action, sizeof(r.action), "ticket.update");
	snprintf(r.entity, sizeof(r.entity), "ticket:INC-7");
	r.change = "{\"set\":{\"status\":\"resolved\"}}";
	for (int i = 0; i < AUDIT_HASH_LEN; i++)
		r.prev[i] = (uint8_t)(i * 7 + 1);
	return r;
}

static void test_hash_deterministic(void **state)
{
	struct audit_rec a = sample(), b = sample();
	uint8_t h1[AUDIT_HASH_LEN], h2[AUDIT_HASH_LEN];

	assert_true(sodium_init() >= 0);
	audit_hash(&a, h1);
	audit_hash(&b, h2);
	assert_memory_equal(h1, h2, AUDIT_HASH_LEN);
	/* The stored hash field is not an input. */
	memset(b.hash, 0xab, sizeof(b.hash));
	audit_hash(&b, h2);
	assert_memory_equal(h1, h2, AUDIT_HASH_LEN);
}

/* The documented byte layout: prev, then each field and a 0x1f separator. */
static void test_hash_layout(void **state)
{
	struct audit_rec r = sample();
	uint8_t want[AUDIT_HASH_LEN], got[AUDIT_HASH_LEN];
	crypto_generichash_state h;
	const char *text = "42\x1f" "1767603600\x1f" "alice\x1f" "ticket.update\x1f"
			   "ticket:INC-7\x1f" "{\"set\":{\"status\":\"resolved\"}}\x1f";

	assert_true(sodium_init() >= 0);
	crypto_generichash_init(&h, NULL, 0, AUDIT_HASH_LEN);
	crypto_generichash_update(&h, r.prev, AUDIT_HASH_LEN);
	crypto_generichash_update(&h, (const unsigned char *)text, strlen(text));
	crypto_generichash_final(&h, want, AUDIT_HASH_LEN);
	audit_hash(&r, got);
	assert_memory_equal(got, want, AUDIT_HASH_LEN);
}

static void test_hash_changes_with_every_field(void **state)
{
	struct audit_rec base = sample(), r;
	uint8_t h0[AUDIT_HASH_LEN], h[AUDIT_HASH_LEN];
	int n = 0;

	assert_true(sodium_init() >= 0);
	audit_hash(&base, h0);
#define DIFFERS(mutate)                                                        \
	do {                                                                   \
		r = base;                                                      \
		mutate;                                                        \
		audit_hash(&r, h);                                             \
		if (!memcmp(h, h0, AUDIT_HASH_LEN))                            \
			fail_msg("hash unchanged by: %s", #mutate);            \
		n++;                                                           \
	} while (0)
	DIFFERS(r.seq = 43);
	DIFFERS(r.seq = -42);
	DIFFERS(r.at = T0 + 1);
	DIFFERS(r.actor[0] = 'A');
	DIFFERS(r.actor[0] = '\0');
	DIFFERS(snprintf(r.actor, sizeof(r.actor), "alice "));
	DIFFERS(r.action[0] = 'T');
	DIFFERS(r.entity[11] = '8');
	DIFFERS(r.change = "{\"set\":{\"status\":\"closed\"}}");
	DIFFERS(r.change = "");
	DIFFERS(r.prev[0] ^= 1);
	DIFFERS(r.prev[AUDIT_HASH_LEN - 1] ^= 0x80);
	/* Moving a boundary between two fields changes the hash too. */
	DIFFERS(snprintf(r.actor, sizeof(r.actor), "aliceticket.");
		snprintf(r.action, sizeof(r.action), "update"));
	DIFFERS(snprintf(r.action, sizeof(r.action), "ticket.updateticket:INC-7");
		r.entity[0] = '\0');
#undef DIFFERS
	assert_int_equal(n, 14);
}

int main(void)
{
	log_threshold = LOG_WARN; /* no "migrated store" line per test */
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_log_is_append_only),
		T(test_empty_store_verifies),
		T(test_clean_history_verifies),
		T(test_chain_links),
		T(test_refused_write_not_audited),
		T(test_edited_change),
		T(test_edited_columns),
		T(test_deleted_middle),
		T(test_deleted_first),
		T(test_deleted_and_renumbered),
		T(test_swapped),
		T(test_swapped_adjacent),
		T(test_deleted_last),
		T(test_deleted_tail),
		T(test_head_edited),
		T(test_head_deleted),
		T(test_whole_log_deleted),
		T(test_ticket_row_edited),
		T(test_ticket_other_columns_edited),
		T(test_ticket_row_deleted),
		T(test_ticket_row_inserted),
		T(test_history_row_edited),
		T(test_history_row_deleted),
		T(test_comment_deleted),
		T(test_comment_edited),
		T(test_verify_during_writes),
		cmocka_unit_test(test_hash_deterministic),
		cmocka_unit_test(test_hash_layout),
		cmocka_unit_test(test_hash_changes_with_every_field),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
