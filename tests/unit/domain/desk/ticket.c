/*
 * tests/unit/domain/ticket.c — the service desk's rules as data: the
 * impact × urgency priority matrix, every (from, to) pair of the lifecycle
 * against a table written here (not read from the code under test), kind and
 * status names, and the validation of a create body field by field.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <jansson.h>
#include <string.h>

#include "domain/platform/actor.h"
#include "domain/desk/ticket.h"
#include "lib/err.h"

/* ---- priority ---- */

static void test_priority_matrix(void **state)
{
	/* API.md: rows are impact 1-3, columns urgency 1-3, 1 = highest. */
	static const int want[3][3] = {
		{ 1, 2, 3 },
		{ 2, 3, 4 },
		{ 3, 4, 5 },
	};

	for (int i = 1; i <= 3; i++)
		for (int u = 1; u <= 3; u++)
			if (ticket_priority(i, u) != want[i - 1][u - 1])
				fail_msg("impact %d urgency %d: priority %d, want %d", i, u,
					 ticket_priority(i, u), want[i - 1][u - 1]);
}

static void test_priority_out_of_range(void **state)
{
	static const int bad[] = { -1, 0, 4, 100, INT32_MIN, INT32_MAX };

	for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
		for (int ok = 1; ok <= 3; ok++) {
			assert_int_equal(ticket_priority(bad[k], ok), 0);
			assert_int_equal(ticket_priority(ok, bad[k]), 0);
		}
		assert_int_equal(ticket_priority(bad[k], bad[k]), 0);
	}
}

/* ---- lifecycle ---- */

static void test_lifecycle_every_pair(void **state)
{
	/* want[from][to], in enum order: new, assigned, in_progress, pending,
	 * resolved, closed, cancelled. Staying put is not a move. */
	static const int want[ST__COUNT][ST__COUNT] = {
		/*              new as ip pe re cl ca */
		[ST_NEW] = { 0, 1, 1, 0, 0, 0, 1 },
		[ST_ASSIGNED] = { 1, 0, 1, 1, 0, 0, 1 },
		[ST_IN_PROGRESS] = { 0, 1, 0, 1, 1, 0, 1 },
		[ST_PENDING] = { 0, 0, 1, 0, 1, 0, 1 },
		[ST_RESOLVED] = { 0, 0, 1, 0, 0, 1, 0 },
		[ST_CLOSED] = { 0, 0, 0, 0, 0, 0, 0 },
		[ST_CANCELLED] = { 0, 0, 0, 0, 0, 0, 0 },
	};
	int allowed = 0;

	for (int f = 0; f < ST__COUNT; f++)
		for (int t = 0; t < ST__COUNT; t++) {
			int got = ticket_can_move((enum ticket_status)f, (enum ticket_status)t);

			if (!!got != want[f][t])
				fail_msg("%s -> %s: got %d, want %d",
					 ticket_status_name((enum ticket_status)f),
					 ticket_status_name((enum ticket_status)t), got, want[f][t]);
			allowed += want[f][t];
		}
	assert_int_equal(allowed, 16); /* 3 + 4 + 4 + 3 + 2 */
}

static void test_lifecycle_out_of_range(void **state)
{
	assert_false(ticket_can_move(ST__COUNT, ST_NEW));
	assert_false(ticket_can_move(ST_NEW, ST__COUNT));
	assert_false(ticket_can_move((enum ticket_status)-1, ST_ASSIGNED));
	assert_false(ticket_can_move(ST_NEW, (enum ticket_status)-1));
	assert_false(ticket_can_move((enum ticket_status)1000, (enum ticket_status)1000));
}

static void test_terminal(void **state)
{
	for (int s = 0; s < ST__COUNT; s++) {
		int terminal = s == ST_CLOSED || s == ST_CANCELLED;
		int has_exit = 0;

		assert_int_equal(!!ticket_status_is_terminal((enum ticket_status)s), terminal);
		for (int t = 0; t < ST__COUNT; t++)
			has_exit |= ticket_can_move((enum ticket_status)s, (enum ticket_status)t);
		/* Terminal exactly when the lifecycle has no way out. */
		assert_int_equal(!has_exit, terminal);
	}
}

/* ---- names ---- */

static void test_kind_names(void **state)
{
	static const struct {
		enum ticket_kind k;
		const char *name, *prefix;
	} kinds[] = {
		{ KIND_INCIDENT, "incident", "INC" },
		{ KIND_REQUEST, "request", "REQ" },
		{ KIND_INQUIRY, "inquiry", "INQ" },
	};
	static const char *const bad[] = { "", "Incident", "INCIDENT", "incident ", " incident",
					    "incidnet", "INC", "problem", "?" };
	enum ticket_kind k;

	assert_int_equal(sizeof(kinds) / sizeof(kinds[0]), KIND__COUNT);
	for (size_t i = 0; i < KIND__COUNT; i++) {
		assert_string_equal(ticket_kind_name(kinds[i].k), kinds[i].name);
		assert_string_equal(ticket_kind_prefix(kinds[i].k), kinds[i].prefix);
		k = KIND__COUNT;
		assert_int_equal(ticket_kind_parse(kinds[i].name, &k), 0);
		assert_int_equal(k, kinds[i].k);
		/* round trip from the enum side */
		assert_int_equal(ticket_kind_parse(ticket_kind_name(kinds[i].k), &k), 0);
		assert_int_equal(k, kinds[i].k);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		k = KIND__COUNT;
		assert_int_not_equal(ticket_kind_parse(bad[i], &k), 0);
		assert_int_equal(k, KIND__COUNT); /* untouched on failure */
	}
	assert_int_not_equal(ticket_kind_parse(NULL, &k), 0);
	assert_string_equal(ticket_kind_name(KIND__COUNT), "?");
	assert_string_equal(ticket_kind_name((enum ticket_kind)-1), "?");
	assert_string_equal(ticket_kind_prefix(KIND__COUNT), "?");
}

static void test_status_names(void **state)
{
	static const char *const names[ST__COUNT] = {
		[ST_NEW] = "new",	    [ST_ASSIGNED] = "assigned", [ST_IN_PROGRESS] = "in_progress",
		[ST_PENDING] = "pending", [ST_RESOLVED] = "resolved", [ST_CLOSED] = "closed",
		[ST_CANCELLED] = "cancelled",
	};
	static const char *const bad[] = { "", "New", "in-progress", "inprogress", "canceled",
					    "open", "resolved ", "?" };
	enum ticket_status s;

	for (int i = 0; i < ST__COUNT; i++) {
		assert_string_equal(ticket_status_name((enum ticket_status)i), names[i]);
		s = ST__COUNT;
		assert_int_equal(ticket_status_parse(names[i], &s), 0);
		assert_int_equal(s, i);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		s = ST__COUNT;
		assert_int_not_equal(ticket_status_parse(bad[i], &s), 0);
		assert_int_equal(s, ST__COUNT);
	}
	assert_int_not_equal(ticket_status_parse(NULL, &s), 0);
	assert_string_equal(ticket_status_name(ST__COUNT), "?");
	assert_string_equal(ticket_status_name((enum ticket_status)-1), "?");
}

/* ---- create validation ---- */

static struct actor staff(void)
{
	struct actor a;

	memset(&a, 0, sizeof(a));
	a.user_id = 7;
	a.role = ROLE_AGENT;
	snprintf(a.username, sizeof(a.username), "%s", "alice");
	return a;
}

static struct actor requester(void)
{
	struct actor a;

	memset(&a, 0, sizeof(a));
	a.user_id = 9;
	a.role = ROLE_REQUESTER;
	a.customer_id = 3;
	snprintf(a.username, sizeof(a.username), "%s", "bob");
	return a;
}

static json_t *parse(const char *text)
{
	json_error_t je;
	json_t *j = json_loads(text, JSON_DECODE_ANY | JSON_ALLOW_NUL, &je);

	if (!j)
		fail_msg("bad test JSON %s: %s", text, je.text);
	return j;
}

/* A valid body with key set to the JSON value v (or removed when v is NULL). */
static json_t *with(const char *key, const char *v)
{
	json_t *j = parse("{\"kind\":\"incident\",\"title\":\"Printer on fire\","
			  "\"description\":\"3rd floor\",\"impact\":2,\"urgency\":1}");

	if (v)
		json_object_set_new(j, key, parse(v));
	else
		json_object_del(j, key);
	return j;
}

static int validate(const json_t *j, const struct actor *a, struct err *e)
{
	struct ticket t;

	err_clear(e);
	return ticket_validate_create(j, a, &t, e);
}

/* Expect code with e.field == field for body j (consumed). */
static void expect(json_t *j, const struct actor *a, int code, const char *field)
{
	struct err e;
	char *text = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
	int rc = validate(j, a, &e);

	if (rc != code || e.code != code || strcmp(e.field, field))
		fail_msg("%s: got rc %d code %d field '%s' (%s), want %d field '%s'", text, rc,
			 e.code, e.field, e.msg, code, field);
	if (code)
		assert_true(e.msg[0] != '\0');
	free(text);
	json_decref(j);
}

static void test_validate_ok(void **state)
{
	struct actor a = staff(), r = requester();
	struct ticket t;
	struct err e;
	json_t *j = with("service", "\"mail.eu-1_b\"");

	json_object_set_new(j, "channel", json_string("phone"));
	json_object_set_new(j, "assignee", json_string("carol"));
	json_object_set_new(j, "customer", json_string("acme"));
	err_clear(&e);
	assert_int_equal(ticket_validate_create(j, &a, &t, &e), 0);
	assert_int_equal(t.kind, KIND_INCIDENT);
	assert_string_equal(t.title, "Printer on fire");
	assert_string_equal(t.description, "3rd floor");
	assert_int_equal(t.impact, 2);
	assert_int_equal(t.urgency, 1);
	assert_int_equal(t.priority, 2);
	assert_int_equal(t.status, ST_NEW);
	assert_string_equal(t.service, "mail.eu-1_b");
	assert_string_equal(t.channel, "phone");
	json_decref(j);

	/* defaults: channel api, no service, empty description */
	j = parse("{\"kind\":\"inquiry\",\"title\":\"  How do I?\",\"impact\":3,\"urgency\":3}");
	assert_int_equal(ticket_validate_create(j, &r, &t, &e), 0);
	assert_int_equal(t.kind, KIND_INQUIRY);
	assert_string_equal(t.title, "How do I?"); /* leading blanks dropped */
	assert_string_equal(t.description, "");
	assert_string_equal(t.channel, "api");
	assert_string_equal(t.service, "");
	assert_int_equal(t.priority, 5);
	json_decref(j);

	/* null for an optional field is the same as absent */
	j = with("description", "null");
	json_object_set_new(j, "channel", json_null());
	json_object_set_new(j, "service", json_null());
	assert_int_equal(ticket_validate_create(j, &r, &t, &e), 0);
	assert_string_equal(t.channel, "api");
	json_decref(j);

	/* every channel, every kind */
	{
		static const char *const ch[] = { "web", "api", "email", "phone", "monitoring" };
		static const char *const kinds[] = { "incident", "request", "inquiry" };

		for (size_t i = 0; i < 5; i++) {
			j = with("channel", "null");
			json_object_set_new(j, "channel", json_string(ch[i]));
			assert_int_equal(validate(j, &a, &e), 0);
			json_decref(j);
		}
		for (size_t i = 0; i < 3; i++) {
			j = with("kind", "null");
			json_object_set_new(j, "kind", json_string(kinds[i]));
			assert_int_equal(ticket_validate_create(j, &a, &t, &e), 0);
			assert_int_equal(t.kind, (enum ticket_kind)i);
			json_decref(j);
		}
	}
}

static void test_validate_title_length(void **state)
{
	struct actor a = staff();
	char title[TICKET_TITLE_MAX + 2];
	struct err e;
	json_t *j;

	memset(title, 'x', sizeof(title));
	title[TICKET_TITLE_MAX] = '\0';
	j = with("title", "null");
	json_object_set_new(j, "title", json_string(title));
	assert_int_equal(validate(j, &a, &e), 0);
	json_decref(j);

	title[TICKET_TITLE_MAX] = 'x';
	title[TICKET_TITLE_MAX + 1] = '\0';
	j = with("title", "null");
	json_object_set_new(j, "title", json_string(title));
	expect(j, &a, ERR_INVALID, "title");
}

/* docs/desk.md: impact and urgency each default to medium (2) when not
 * sent (or null), the same for every way in; priority follows the matrix. */
static void test_validate_level_defaults(void **state)
{
	static const struct {
		const char *body;
		int impact, urgency, priority;
	} cases[] = {
		{ "{\"kind\":\"incident\",\"title\":\"t\"}", 2, 2, 3 },
		{ "{\"kind\":\"incident\",\"title\":\"t\",\"impact\":1}", 1, 2, 2 },
		{ "{\"kind\":\"incident\",\"title\":\"t\",\"urgency\":3}", 2, 3, 4 },
		{ "{\"kind\":\"incident\",\"title\":\"t\",\"impact\":null,\"urgency\":1}", 2, 1, 2 },
	};
	struct actor a = staff();
	struct ticket t;
	struct err e;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		json_t *j = parse(cases[i].body);

		err_clear(&e);
		assert_int_equal(ticket_validate_create(j, &a, &t, &e), 0);
		assert_int_equal(t.impact, cases[i].impact);
		assert_int_equal(t.urgency, cases[i].urgency);
		assert_int_equal(t.priority, cases[i].priority);
		json_decref(j);
	}
}

/* A list filter's statuses: names and "open" (new, assigned, in_progress,
 * pending) as bits; an unknown or empty item is refused naming it. */
static void test_status_set(void **state)
{
	static const char *const bad[] = { "", ",", "new,", ",new", "new,,open", "Open",
					   "finished", "new,finished", "new ", "a_status_name_"
					   "longer_than_the_buffer_holds" };
	unsigned set;
	struct err e;

	err_clear(&e);
	assert_int_equal(ticket_status_set_parse("new", &set, &e), 0);
	assert_int_equal(set, 1u << ST_NEW);
	assert_int_equal(ticket_status_set_parse("new,in_progress", &set, &e), 0);
	assert_int_equal(set, 1u << ST_NEW | 1u << ST_IN_PROGRESS);
	assert_int_equal(ticket_status_set_parse("open", &set, &e), 0);
	assert_int_equal(set, 1u << ST_NEW | 1u << ST_ASSIGNED | 1u << ST_IN_PROGRESS |
				      1u << ST_PENDING);
	assert_int_equal(ticket_status_set_parse("open,resolved,new", &set, &e), 0);
	assert_int_equal(set, 1u << ST_NEW | 1u << ST_ASSIGNED | 1u << ST_IN_PROGRESS |
				      1u << ST_PENDING | 1u << ST_RESOLVED);
	for (int i = 0; i < ST__COUNT; i++) {
		assert_int_equal(ticket_status_set_parse(ticket_status_name(i), &set, &e), 0);
		assert_int_equal(set, 1u << i);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err_clear(&e);
		assert_int_equal(ticket_status_set_parse(bad[i], &set, &e), ERR_INVALID);
		assert_string_equal(e.field, "status");
	}
	err_clear(&e);
	ticket_status_set_parse("new,finished", &set, &e);
	assert_non_null(strstr(e.msg, "unknown status 'finished'"));
}

static void test_validate_bad_inputs(void **state)
{
	static const struct {
		const char *key, *value; /* value NULL: remove the key */
		const char *field;
	} cases[] = {
		{ "kind", NULL, "kind" },
		{ "kind", "null", "kind" },
		{ "kind", "\"incidnet\"", "kind" },
		{ "kind", "\"Incident\"", "kind" },
		{ "kind", "\"\"", "kind" },
		{ "kind", "1", "kind" },
		{ "kind", "[\"incident\"]", "kind" },
		{ "title", NULL, "title" },
		{ "title", "null", "title" },
		{ "title", "\"\"", "title" },
		{ "title", "\"   \"", "title" },
		{ "title", "\" \\t\\r\\n \"", "title" },
		{ "title", "42", "title" },
		{ "title", "true", "title" },
		{ "title", "{\"a\":1}", "title" },
		{ "title", "\"a\\u0000b\"", "title" },
		{ "description", "17", "description" },
		{ "impact", "0", "impact" },
		{ "impact", "4", "impact" },
		{ "impact", "-1", "impact" },
		{ "impact", "\"2\"", "impact" },
		{ "impact", "2.0", "impact" },
		{ "impact", "true", "impact" },
		{ "impact", "9223372036854775807", "impact" },
		{ "urgency", "0", "urgency" },
		{ "urgency", "4", "urgency" },
		{ "urgency", "\"1\"", "urgency" },
		{ "priority", "1", "priority" }, /* derived, never sent */
		{ "titel", "\"typo\"", "titel" },
		{ "status", "\"new\"", "status" },
		{ "channel", "\"fax\"", "channel" },
		{ "channel", "\"\"", "channel" },
		{ "channel", "\"Web\"", "channel" },
		{ "channel", "3", "channel" },
		{ "service", "\"bad key\"", "service" },
		{ "service", "\"mail/eu\"", "service" },
		{ "service", "\"caf\\u00e9\"", "service" },
		{ "service", "\"x;drop\"", "service" },
		{ "service", "5", "service" },
	};
	struct actor a = staff(), r = requester();

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		expect(with(cases[i].key, cases[i].value), &a, ERR_INVALID, cases[i].field);
		expect(with(cases[i].key, cases[i].value), &r, ERR_INVALID, cases[i].field);
	}
}

static void test_validate_service_too_long(void **state)
{
	struct actor a = staff();
	char s[66];
	json_t *j;
	struct err e;

	memset(s, 'a', sizeof(s));
	s[63] = '\0';
	j = with("service", "null");
	json_object_set_new(j, "service", json_string(s));
	assert_int_equal(validate(j, &a, &e), 0);
	json_decref(j);
	s[63] = 'a';
	s[64] = '\0';
	j = with("service", "null");
	json_object_set_new(j, "service", json_string(s));
	expect(j, &a, ERR_INVALID, "service");
}

static void test_validate_not_an_object(void **state)
{
	static const char *const bodies[] = { "[]", "[{\"kind\":\"incident\"}]", "\"incident\"",
					      "42", "null", "true" };
	struct actor a = staff();
	struct ticket t;
	struct err e;

	for (size_t i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++)
		expect(parse(bodies[i]), &a, ERR_INVALID, "");
	err_clear(&e);
	assert_int_equal(ticket_validate_create(NULL, &a, &t, &e), ERR_INVALID);
	assert_string_equal(e.field, "");
}

static void test_validate_requester_forbidden(void **state)
{
	struct actor a = staff(), r = requester();
	json_t *j;

	expect(with("assignee", "\"carol\""), &r, ERR_FORBIDDEN, "assignee");
	expect(with("customer", "\"acme\""), &r, ERR_FORBIDDEN, "customer");
	j = with("assignee", "\"carol\"");
	json_object_set_new(j, "customer", json_string("acme"));
	expect(j, &r, ERR_FORBIDDEN, "assignee");
	/* staff may set both */
	j = with("assignee", "\"carol\"");
	json_object_set_new(j, "customer", json_string("acme"));
	expect(j, &a, 0, "");
	/* every staff role and the system */
	for (int role = ROLE_AGENT; role <= ROLE_SYSTEM; role++) {
		a.role = (enum role)role;
		expect(with("assignee", "\"carol\""), &a, 0, "");
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_priority_matrix),
		cmocka_unit_test(test_priority_out_of_range),
		cmocka_unit_test(test_lifecycle_every_pair),
		cmocka_unit_test(test_lifecycle_out_of_range),
		cmocka_unit_test(test_terminal),
		cmocka_unit_test(test_kind_names),
		cmocka_unit_test(test_status_names),
		cmocka_unit_test(test_validate_ok),
		cmocka_unit_test(test_validate_title_length),
		cmocka_unit_test(test_validate_bad_inputs),
		cmocka_unit_test(test_validate_level_defaults),
		cmocka_unit_test(test_status_set),
		cmocka_unit_test(test_validate_service_too_long),
		cmocka_unit_test(test_validate_not_an_object),
		cmocka_unit_test(test_validate_requester_forbidden),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
