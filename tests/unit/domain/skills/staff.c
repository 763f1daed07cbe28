/*
 * tests/unit/domain/staff.c — stored staff on a real SQLite store in a
 * temporary directory: the pure helpers (keys, groups, the composed profile
 * and its hash), then the whole flow through the domain API — declare,
 * verify, assess twice, history, map — with the refusals in between, and the
 * store's own refusal to rewrite an assessment.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <jansson.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "domain/skills/skill.h"
#include "domain/skills/staff.h"
#include "domain/platform/user.h"
#include "lib/timeutil.h"
#include "store/store.h"

#define AS_OF "2026-01-01"

static char dir[64], db[96];

static int setup(void **state)
{
	snprintf(dir, sizeof(dir), "/tmp/itsm-staff-XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(db, sizeof(db), "%s/itsm.db", dir);
	return 0;
}

static int teardown(void **state)
{
	char cmd[160];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void test_keys_and_groups(void **state)
{
	struct err e = { 0 };
	char out[64];
	json_t *g;

	assert_true(staff_key_valid("sato"));
	assert_true(staff_key_valid("a.b-c_9"));
	assert_false(staff_key_valid(""));
	assert_false(staff_key_valid("-x"));
	assert_false(staff_key_valid("a b"));
	assert_false(staff_key_valid("0123456789012345678901234567890123456789012345678"));

	g = json_pack("[s, s, s]", "noc", "desk", "noc");
	assert_int_equal(staff_groups_parse(g, out, sizeof(out), &e), 0);
	assert_string_equal(out, "noc,desk");
	json_decref(g);
	g = json_pack("[s, i]", "noc", 3);
	assert_int_equal(staff_groups_parse(g, out, sizeof(out), &e), ERR_INVALID);
	assert_string_equal(e.field, "groups[1]");
	json_decref(g);
	g = json_pack("[s]", "a,b");
	assert_int_equal(staff_groups_parse(g, out, sizeof(out), &e), ERR_INVALID);
	assert_string_equal(e.field, "groups[0]");
	json_decref(g);
	g = json_string("noc");
	assert_int_equal(staff_groups_parse(g, out, sizeof(out), &e), ERR_INVALID);
	assert_string_equal(e.field, "groups");
	json_decref(g);
	assert_int_equal(staff_groups_parse(NULL, out, sizeof(out), &e), 0);
	assert_string_equal(out, "");
}

static void test_compose_and_hash(void **state)
{
	struct staff s = { .id = 1, .key = "sato", .name = "Sato" };
	struct staff_career c[2] = {
		{ .id = 7, .staff_id = 1, .field = "operation", .declared_by = "sato",
		  .created_at = 100 },
		{ .id = 9, .staff_id = 1, .field = "operation", .declared_by = "sato",
		  .created_at = 100, .verified_by = "mgr", .verified_at = 86400 },
	};
	json_t *p, *careers, *a, *b;
	char h1[65], h2[65], h3[65];
	int64_t days;

	s.profile = strdup("{\"exams\":[\"AP\"],\"specialty\":{\"operation\":\"self\"}}");
	c[0].body = strdup("{\"field\":\"operation\",\"role\":\"member\",\"from\":\"2020-01-01\"}");
	c[1].body = strdup("{\"field\":\"operation\",\"role\":\"leader\",\"from\":\"2021-01-01\"}");
	assert_int_equal(time_parse_date(AS_OF, &days), 0);
	p = staff_profile_compose(&s, c, 2, days);
	assert_non_null(p);
	assert_string_equal(json_string_value(json_object_get(p, "as_of")), AS_OF);
	assert_string_equal(json_string_value(json_object_get(p, "id")), "sato");
	assert_true(json_is_false(json_object_get(p, "develops_subordinates")));
	careers = json_object_get(p, "careers");
	assert_int_equal(json_array_size(careers), 2);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(careers, 0), "id")), 7);
	assert_true(json_is_false(json_object_get(json_array_get(careers, 0), "verified")));
	assert_null(json_object_get(json_array_get(careers, 0), "verified_by"));
	assert_null(json_object_get(json_array_get(careers, 0), "declared_by"));
	assert_true(json_is_true(json_object_get(json_array_get(careers, 1), "verified")));
	assert_string_equal(json_string_value(json_object_get(json_array_get(careers, 1),
							      "verified_by")), "mgr");
	/* The composed profile is one the engine accepts. */
	{
		struct err e = { 0 };

		assert_int_equal(skill_validate_profile(p, &e), 0);
	}

	/* The hash is of the canonical form: key order does not matter. */
	a = json_pack("{s:i, s:s}", "a", 1, "b", "x");
	b = json_pack("{s:s, s:i}", "b", "x", "a", 1);
	assert_int_equal(staff_hash_json(a, h1), 0);
	assert_int_equal(staff_hash_json(b, h2), 0);
	assert_string_equal(h1, h2);
	assert_int_equal(strlen(h1), 64);
	json_object_set_new(b, "a", json_integer(2));
	assert_int_equal(staff_hash_json(b, h3), 0);
	assert_string_not_equal(h1, h3);

	json_decref(a);
	json_decref(b);
	json_decref(p);
	staff_release(&s);
	staff_career_release(&c[0]);
	staff_career_release(&c[1]);
}

static json_t *loadj(const char *text)
{
	json_t *j = json_loads(text, 0, NULL);

	assert_non_null(j);
	return j;
}

/* Call a domain write with a JSON literal; return its code, the answer in *out. */
static int call_add(struct store *st, const struct actor *a, const char *body, json_t **out,
		    struct err *e)
{
	json_t *in = loadj(body);
	int rc = staff_add(st, a, in, out, e);

	json_decref(in);
	return rc;
}

static int call_career(struct store *st, const struct actor *a, const char *key,
		       const char *body, json_t **out, struct err *e)
{
	json_t *in = loadj(body);
	int rc = staff_career_add(st, a, key, in, out, e);

	json_decref(in);
	return rc;
}

static int call_assess(struct store *st, const struct actor *a, const char *key,
		       const char *body, json_t **out, struct err *e)
{
	json_t *in = loadj(body);
	int rc = staff_assess(st, a, key, in, out, e);

	json_decref(in);
	return rc;
}

static json_int_t level(const json_t *row, const char *field, const char *basis)
{
	json_t *v = json_object_get(json_object_get(json_object_get(row, "levels"), field), basis);

	return json_is_integer(v) ? json_integer_value(v) : 0;
}

static void test_flow(void **state)
{
	struct err e = { 0 };
	struct actor sys, mgr, ag, req;
	struct store *st = store_open(db, 0, &e);
	json_t *out = NULL, *u = NULL, *q;
	json_int_t career, ag_id, mgr_id;
	char hash1[65];
	int rc;

	assert_non_null(st);
	actor_system(&sys, "test");
	/* Users to link and to act as. */
	u = loadj("{\"username\":\"ag\",\"role\":\"agent\"}");
	assert_int_equal(user_add(st, &sys, u, &out, &e), 0);
	ag_id = json_integer_value(json_object_get(out, "id"));
	json_decref(u);
	json_decref(out);
	u = loadj("{\"username\":\"mgr\",\"role\":\"manager\"}");
	assert_int_equal(user_add(st, &sys, u, &out, &e), 0);
	mgr_id = json_integer_value(json_object_get(out, "id"));
	json_decref(u);
	json_decref(out);
	memset(&ag, 0, sizeof(ag));
	ag.user_id = ag_id;
	ag.role = ROLE_AGENT;
	snprintf(ag.username, sizeof(ag.username), "ag");
	mgr = ag;
	mgr.user_id = mgr_id;
	mgr.role = ROLE_MANAGER;
	snprintf(mgr.username, sizeof(mgr.username), "mgr");
	req = ag;
	req.user_id = 999;
	req.role = ROLE_REQUESTER;

	assert_int_equal(call_add(st, &sys, "{\"key\":\"sato\",\"name\":\"Sato\",\"user\":\"ag\","
				  "\"groups\":[\"noc\"],\"specialty\":{\"operations_management\":\"self\"}}",
				  &out, &e), 0);
	json_decref(out);
	assert_int_equal(call_add(st, &sys, "{\"key\":\"ono\",\"name\":\"Ono\"}", &out, &e), 0);
	json_decref(out);
	assert_int_equal(call_add(st, &ag, "{\"key\":\"x\",\"name\":\"X\"}", &out, &e), ERR_FORBIDDEN);
	assert_int_equal(call_add(st, &sys, "{\"key\":\"ono\",\"name\":\"Again\"}", &out, &e),
			 ERR_CONFLICT);
	assert_string_equal(e.field, "key");

	/* The agent declares on their own record only. */
	rc = call_career(st, &ag, "sato", "{\"field\":\"operations_management\",\"role\":\"member\","
			 "\"from\":\"2020-01-01\",\"to\":\"2021-12-31\","
			 "\"complexity\":[\"adv_ops_req\",\"structure\"]}", &out, &e);
	assert_int_equal(rc, 0);
	career = json_integer_value(json_object_get(out, "id"));
	assert_true(json_is_false(json_object_get(out, "verified")));
	json_decref(out);
	assert_int_equal(call_career(st, &ag, "ono", "{\"field\":\"operation\",\"role\":\"member\","
				     "\"from\":\"2020-01-01\"}", &out, &e), ERR_NOT_FOUND);
	assert_int_equal(call_career(st, &ag, "sato", "{\"field\":\"operation\",\"role\":\"boss\","
				     "\"from\":\"2020-01-01\"}", &out, &e), ERR_INVALID);
	assert_string_equal(e.field, "role");
	assert_int_equal(call_career(st, &req, "sato", "{}", &out, &e), ERR_FORBIDDEN);

	/* Declared 3, verified none. */
	assert_int_equal(call_assess(st, &mgr, "sato", "{\"as_of\":\"" AS_OF "\"}", &out, &e), 0);
	assert_int_equal(level(out, "operations_management", "declared"), 3);
	assert_int_equal(level(out, "operations_management", "verified"), 0);
	snprintf(hash1, sizeof(hash1), "%s", json_string_value(json_object_get(out, "input_hash")));
	json_decref(out);
	assert_int_equal(call_assess(st, &ag, "sato", "{}", &out, &e), ERR_FORBIDDEN);

	/* Verification: not by the agent, not twice. */
	{
		char id[24];

		snprintf(id, sizeof(id), "%lld", (long long)career);
		assert_int_equal(staff_career_verify(st, &ag, "sato", id, &out, &e), ERR_FORBIDDEN);
		assert_int_equal(staff_career_verify(st, &mgr, "ono", id, &out, &e), ERR_NOT_FOUND);
		assert_int_equal(staff_career_verify(st, &mgr, "sato", id, &out, &e), 0);
		assert_string_equal(json_string_value(json_object_get(out, "verified_by")), "mgr");
		json_decref(out);
		assert_int_equal(staff_career_verify(st, &mgr, "sato", id, &out, &e), ERR_CONFLICT);
	}

	assert_int_equal(call_assess(st, &mgr, "sato", "{\"as_of\":\"" AS_OF "\",\"field\":"
				     "\"operations_management\",\"level\":4}", &out, &e), ERR_INVALID);
	assert_string_equal(e.field, "note");
	assert_int_equal(call_assess(st, &mgr, "sato", "{\"as_of\":\"" AS_OF "\"}", &out, &e), 0);
	assert_int_equal(level(out, "operations_management", "verified"), 3);
	assert_string_not_equal(json_string_value(json_object_get(out, "input_hash")), hash1);
	json_decref(out);

	/* History newest first; the agent reads their own. */
	q = json_object();
	assert_int_equal(staff_assessments_json(st, &ag, "sato", q, &out, &e), 0);
	assert_int_equal(json_array_size(json_object_get(out, "items")), 2);
	assert_int_equal(level(json_array_get(json_object_get(out, "items"), 0),
			       "operations_management", "verified"), 3);
	assert_int_equal(level(json_array_get(json_object_get(out, "items"), 1),
			       "operations_management", "verified"), 0);
	json_decref(out);
	assert_int_equal(staff_assessments_json(st, &ag, "ono", q, &out, &e), ERR_NOT_FOUND);

	/* Stale version. */
	{
		json_t *in = loadj("{\"version\":5,\"exams\":[\"AP\"]}");

		assert_int_equal(staff_update(st, &mgr, "sato", in, &out, &e), ERR_CONFLICT);
		json_object_set_new(in, "version", json_integer(1));
		assert_int_equal(staff_update(st, &mgr, "sato", in, &out, &e), 0);
		assert_int_equal(json_integer_value(json_object_get(out, "version")), 2);
		json_decref(out);
		json_decref(in);
	}

	/* The map: one assessed person at level 3, one never assessed. */
	assert_int_equal(staff_skill_map_json(st, &mgr, q, &out, &e), 0);
	assert_int_equal(json_integer_value(json_object_get(out, "people_count")), 2);
	assert_int_equal(json_integer_value(json_object_get(out, "assessed_count")), 1);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(json_object_get(
				 json_object_get(out, "counts"), "operations_management"), "verified"),
				 "3")), 1);
	json_decref(out);
	assert_int_equal(staff_skill_map_json(st, &ag, q, &out, &e), ERR_FORBIDDEN);
	json_decref(q);
	store_close(st);

	/* The store refuses to rewrite history, whoever asks. */
	{
		sqlite3 *s;
		char *msg = NULL;

		assert_int_equal(sqlite3_open(db, &s), SQLITE_OK);
		assert_int_not_equal(sqlite3_exec(s, "UPDATE staff_assessments SET note = 'x'", NULL,
						  NULL, &msg), SQLITE_OK);
		assert_non_null(strstr(msg, "append-only"));
		sqlite3_free(msg);
		msg = NULL;
		assert_int_not_equal(sqlite3_exec(s, "DELETE FROM staff_assessments", NULL, NULL,
						  &msg), SQLITE_OK);
		sqlite3_free(msg);
		msg = NULL;
		assert_int_not_equal(sqlite3_exec(s, "UPDATE staff_careers SET verified_by = 'z'",
						  NULL, NULL, &msg), SQLITE_OK);
		sqlite3_free(msg);
		sqlite3_close(s);
	}
}

static void test_stateless(void **state)
{
	struct err e = { 0 };
	struct actor a;
	json_t *p = loadj("{\"as_of\":\"" AS_OF "\",\"careers\":[{\"field\":\"service_desk\","
			  "\"role\":\"member\",\"from\":\"2020-01-01\",\"persons\":-1}]}");
	json_t *out = NULL;

	actor_system(&a, "t");
	assert_int_equal(staff_assess_profile(&a, p, &out, &e), ERR_INVALID);
	assert_string_equal(e.field, "careers[0].persons");
	assert_null(out);
	a.scope_events = 1;
	assert_int_equal(staff_assess_profile(&a, p, &out, &e), ERR_FORBIDDEN);
	json_decref(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keys_and_groups),
		cmocka_unit_test(test_compose_and_hash),
		cmocka_unit_test_setup_teardown(test_flow, setup, teardown),
		cmocka_unit_test(test_stateless),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
