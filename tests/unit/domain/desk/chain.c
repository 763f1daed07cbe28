/*
 * tests/unit/domain/desk/chain.c — the audit chain a scripted workload
 * leaves is byte for byte the one recorded before the write path was made
 * faster: with the clock fixed, every record (its time, actor, entity and
 * the state it holds) and so every hash is the same, run after run. A write
 * that stops re-reading what it wrote must still record exactly what the
 * re-read gave; when it does not, the head below changes and this fails.
 *
 * The workload covers every way a ticket is created (plain, by a requester,
 * for a named customer, on behalf of a caller, assigned at once, under an
 * SLA, with no service) and then updates, comments and resolves some, so
 * both the create path and the update path are held.
 *
 * The expected head was printed by this test on commit 864f057 (before the
 * change): set ITSM_CHAIN_PRINT=1 to print the head of the code under test.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "domain/desk/ticket.h"
#include "domain/platform/actor.h"
#include "domain/platform/audit.h"
#include "domain/platform/user.h"
#include "domain/sla/service.h"
#include "domain/sla/sla.h"
#include "lib/timeutil.h"
#include "store/store.h"

#define TEMPLATE "/tmp/itsm-chain-XXXXXX"

/* The head of the chain the workload leaves, hex (recorded on 864f057). */
#define WANT_HEAD "c06b0ee76693d29ceb49a47c325e4235c786b339015486b30ccf282bb71fa4bc"

static const struct actor admin = { 0, "cli", ROLE_SYSTEM, 0, 0 };

static void call(int rc, const struct err *e, const char *what)
{
	if (rc)
		fail_msg("%s: %s", what, e->msg);
}

static json_t *parse(const char *text)
{
	json_error_t je;
	json_t *j = json_loads(text, 0, &je);

	if (!j)
		fail_msg("bad JSON in the test: %s: %s", je.text, text);
	return j;
}

typedef int (*add_fn)(struct store *, const struct actor *, const json_t *, json_t **,
		      struct err *);

static void add(struct store *st, add_fn fn, const struct actor *a, const char *body)
{
	struct err e = { 0 };
	json_t *in = parse(body), *out = NULL;

	call(fn(st, a, in, &out, &e), &e, body);
	json_decref(in);
	json_decref(out);
}

static void update(struct store *st, const struct actor *a, const char *ref, const char *body)
{
	struct err e = { 0 };
	json_t *in = parse(body), *out = NULL, *cur = NULL;

	/* the version the ticket is at, as a client would send it */
	call(ticket_get_json(st, a, ref, &cur, &e), &e, ref);
	json_object_set(in, "version", json_object_get(cur, "version"));
	json_decref(cur);
	call(ticket_update(st, a, ref, in, &out, &e), &e, body);
	json_decref(in);
	json_decref(out);
}

static void comment(struct store *st, const struct actor *a, const char *ref, const char *body)
{
	struct err e = { 0 };
	json_t *in = parse(body), *out = NULL;

	call(ticket_comment(st, a, ref, in, &out, &e), &e, body);
	json_decref(in);
	json_decref(out);
}

static void actor_of(struct store *st, const char *username, struct actor *a)
{
	struct err e = { 0 };
	struct user u;

	call(st->ops->user_get(st, NULL, 0, username, &u, &e), &e, username);
	actor_from_user(a, &u);
}

struct head {
	int64_t seq;
	uint8_t hash[AUDIT_HASH_LEN];
};

static int read_head(struct store_tx *tx, void *arg, struct err *e)
{
	struct head *h = arg;

	return tx->st->ops->audit_head(tx, &h->seq, h->hash, e);
}

static void test_chain_is_unchanged(void **state)
{
	char path[] = TEMPLATE;
	struct err e = { 0 };
	struct store *st;
	struct actor agent, bob;
	struct audit_result res;
	int fd = mkstemp(path);
	char hex[AUDIT_HASH_LEN * 2 + 1];
	struct head head;

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	unlink(path);
	clock_set(1767261600); /* 2026-01-01 10:00:00 UTC */
	st = store_open(path, 0, &e);
	if (!st)
		fail_msg("store_open: %s", e.msg);

	add(st, customer_add, &admin, "{\"key\":\"acme\",\"name\":\"Acme\"}");
	add(st, customer_add, &admin, "{\"key\":\"globex\",\"name\":\"Globex\"}");
	add(st, user_add, &admin, "{\"username\":\"agent1\",\"role\":\"agent\"}");
	add(st, user_add, &admin, "{\"username\":\"agent2\",\"role\":\"agent\"}");
	add(st, user_add, &admin,
	    "{\"username\":\"bob\",\"role\":\"requester\",\"customer\":\"acme\"}");
	add(st, user_add, &admin,
	    "{\"username\":\"carol\",\"role\":\"requester\",\"customer\":\"globex\"}");
	add(st, service_add, &admin, "{\"key\":\"email\",\"name\":\"E-mail\"}");
	add(st, sla_add, &admin,
	    "{\"name\":\"acme-email\",\"customer\":\"acme\",\"service\":\"email\","
	    "\"calendar\":\"24x7\",\"warn_at\":0.75,\"availability_target\":99.9,"
	    "\"escalations\":[],\"targets\":{"
	    "\"1\":{\"response_minutes\":60,\"resolution_minutes\":240},"
	    "\"2\":{\"response_minutes\":120,\"resolution_minutes\":480},"
	    "\"3\":{\"response_minutes\":180,\"resolution_minutes\":720},"
	    "\"4\":{\"response_minutes\":240,\"resolution_minutes\":960},"
	    "\"5\":{\"response_minutes\":300,\"resolution_minutes\":1200}}}");
	actor_of(st, "agent1", &agent);
	actor_of(st, "bob", &bob);

	/* Every shape of create. */
	clock_set(1767261660);
	add(st, ticket_create, &agent,
	    "{\"kind\":\"incident\",\"title\":\"Mail down\",\"description\":\"Since 9\","
	    "\"impact\":2,\"urgency\":2}");
	clock_set(1767261720);
	add(st, ticket_create, &bob,
	    "{\"kind\":\"inquiry\",\"title\":\"How do I \\u00e9 print?\","
	    "\"service\":\"email\"}");
	clock_set(1767261780);
	add(st, ticket_create, &agent,
	    "{\"kind\":\"incident\",\"title\":\"Acme mail\",\"customer\":\"acme\","
	    "\"service\":\"email\",\"impact\":1,\"urgency\":1}");
	clock_set(1767261840);
	add(st, ticket_create, &agent,
	    "{\"kind\":\"request\",\"title\":\"New laptop\",\"requester\":\"carol\","
	    "\"channel\":\"phone\",\"assignee\":\"agent2\"}");
	clock_set(1767261900);
	add(st, ticket_create, &agent,
	    "{\"kind\":\"incident\",\"title\":\"\\u5370\\u5237\\u3067\\u304d\\u306a\\u3044\","
	    "\"requester\":\"bob\",\"customer\":\"acme\",\"service\":\"email\","
	    "\"assignee\":\"agent1\",\"description\":\"\"}");

	/* Updates, a comment, a resolution. */
	clock_set(1767265200);
	update(st, &agent, "INC-1", "{\"status\":\"in_progress\",\"assignee\":\"agent1\"}");
	clock_set(1767268800);
	update(st, &agent, "INC-2", "{\"status\":\"in_progress\",\"impact\":3}");
	comment(st, &agent, "INC-2", "{\"body\":\"Looking\",\"public\":true}");
	clock_set(1767272400);
	update(st, &agent, "INC-2", "{\"status\":\"resolved\"}");
	update(st, &agent, "REQ-1", "{\"title\":\"New laptop, 14 inch\"}");

	call(store_write(st, read_head, &head, &e), &e, "audit head");
	sodium_bin2hex(hex, sizeof(hex), head.hash, sizeof(head.hash));
	if (getenv("ITSM_CHAIN_PRINT"))
		printf("chain head after %lld records: %s\n", (long long)head.seq, hex);
	call(audit_verify(st, &res, &e), &e, "audit verify");
	assert_true(res.ok);
	store_close(st);
	clock_set(-1);
	unlink(path);
	assert_string_equal(hex, WANT_HEAD);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_chain_is_unchanged),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
