/*
 * tests/unit/domain/sla/report.c — the monthly service level report's maths
 * over a real (temporary) store: tickets replayed by the import with known
 * timelines (in time, late, paused across the month's start, resolved in
 * the next month, cancelled, still pending after or before their due), and
 * outages that overlap, fall inside planned
 * maintenance, straddle the month's start and are still ongoing at its end.
 * (The CSV and HTML renderings are tested in tests/unit/render/report.c.)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "domain/desk/import.h"
#include "domain/sla/outage.h"
#include "domain/sla/report.h"
#include "domain/sla/service.h"
#include "domain/sla/sla.h"
#include "domain/platform/user.h"
#include "lib/log.h"
#include "store/store.h"

static char dir[64];
static struct store *st;
static struct actor sys;

static void ok(int rc, const struct err *e)
{
	if (rc)
		fail_msg("refused: %s (field %s)", e->msg, e->field);
}

static void call(int (*fn)(struct store *, const struct actor *, const json_t *, json_t **,
			   struct err *),
		 const char *json)
{
	struct err e = { 0 };
	json_t *in = json_loads(json, 0, NULL), *out = NULL;

	assert_non_null(in);
	ok(fn(st, &sys, in, &out, &e), &e);
	json_decref(in);
	json_decref(out);
}

static int setup(void **state)
{
	char path[128];
	struct err e = { 0 };

	assert_true(sodium_init() >= 0);
	log_threshold = LOG_WARN;
	snprintf(dir, sizeof(dir), "/tmp/itsm-report-XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/t.db", dir);
	st = store_open(path, 0, &e);
	assert_non_null(st);
	actor_system(&sys, "test");
	call(customer_add, "{\"key\":\"acme\"}");
	call(service_add, "{\"key\":\"web\"}");
	call(sla_add, "{\"name\":\"acme-web\",\"customer\":\"acme\",\"service\":\"web\","
		      "\"availability_target\":99.5,\"targets\":{"
		      "\"1\":{\"response_minutes\":60,\"resolution_minutes\":240},"
		      "\"2\":{\"response_minutes\":60,\"resolution_minutes\":240},"
		      "\"3\":{\"response_minutes\":60,\"resolution_minutes\":240},"
		      "\"4\":{\"response_minutes\":60,\"resolution_minutes\":240},"
		      "\"5\":{\"response_minutes\":60,\"resolution_minutes\":240}}}");
	call(import_tickets_json,
	     "{\"tickets\":["
	     "{\"kind\":\"incident\",\"title\":\"in time\",\"impact\":2,\"urgency\":2,"
	     "\"customer\":\"acme\",\"service\":\"web\",\"created_at\":\"2026-03-02T10:00:00Z\","
	     "\"timeline\":[{\"at\":\"2026-03-02T10:30:00Z\",\"status\":\"in_progress\"},"
	     "{\"at\":\"2026-03-02T12:00:00Z\",\"status\":\"resolved\"}]},"
	     "{\"kind\":\"incident\",\"title\":\"late\",\"impact\":2,\"urgency\":2,"
	     "\"customer\":\"acme\",\"service\":\"web\",\"created_at\":\"2026-03-03T10:00:00Z\","
	     "\"timeline\":[{\"at\":\"2026-03-03T10:10:00Z\",\"comment\":\"note\",\"public\":false},"
	     "{\"at\":\"2026-03-03T10:20:00Z\",\"comment\":\"hello\",\"by\":\"requester\"},"
	     "{\"at\":\"2026-03-03T11:30:00Z\",\"comment\":\"on it\",\"by\":\"agent1\"},"
	     "{\"at\":\"2026-03-03T11:40:00Z\",\"status\":\"in_progress\"},"
	     "{\"at\":\"2026-03-03T16:00:00Z\",\"status\":\"resolved\"}]},"
	     "{\"kind\":\"request\",\"title\":\"paused\",\"impact\":3,\"urgency\":3,"
	     "\"customer\":\"acme\",\"service\":\"web\",\"created_at\":\"2026-02-27T10:00:00Z\","
	     "\"timeline\":[{\"at\":\"2026-02-27T10:10:00Z\",\"status\":\"in_progress\"},"
	     "{\"at\":\"2026-02-27T11:00:00Z\",\"status\":\"pending\"},"
	     "{\"at\":\"2026-03-02T11:00:00Z\",\"status\":\"in_progress\"},"
	     "{\"at\":\"2026-03-02T12:00:00Z\",\"status\":\"resolved\"},"
	     "{\"at\":\"2026-03-03T12:00:00Z\",\"status\":\"closed\"}]},"
	     "{\"kind\":\"incident\",\"title\":\"april\",\"impact\":1,\"urgency\":1,"
	     "\"customer\":\"acme\",\"service\":\"web\",\"created_at\":\"2026-03-31T20:00:00Z\","
	     "\"timeline\":[{\"at\":\"2026-03-31T20:10:00Z\",\"status\":\"in_progress\"},"
	     "{\"at\":\"2026-04-01T01:00:00Z\",\"status\":\"resolved\"}]},"
	     "{\"kind\":\"inquiry\",\"title\":\"cancelled\",\"impact\":1,\"urgency\":1,"
	     "\"customer\":\"acme\",\"service\":\"web\",\"created_at\":\"2026-03-05T10:00:00Z\","
	     "\"timeline\":[{\"at\":\"2026-03-05T13:00:00Z\",\"status\":\"cancelled\"}]},"
	     /* May: pending after its resolution target was used up (5 h of 4),
	      * and pending before it (1 h of 4); both still pending. */
	     "{\"kind\":\"incident\",\"title\":\"paused late\",\"impact\":2,\"urgency\":2,"
	     "\"customer\":\"acme\",\"service\":\"web\",\"created_at\":\"2026-05-04T10:00:00Z\","
	     "\"timeline\":[{\"at\":\"2026-05-04T10:10:00Z\",\"status\":\"in_progress\"},"
	     "{\"at\":\"2026-05-04T15:00:00Z\",\"status\":\"pending\"}]},"
	     "{\"kind\":\"incident\",\"title\":\"paused early\",\"impact\":2,\"urgency\":2,"
	     "\"customer\":\"acme\",\"service\":\"web\",\"created_at\":\"2026-05-06T10:00:00Z\","
	     "\"timeline\":[{\"at\":\"2026-05-06T10:10:00Z\",\"status\":\"in_progress\"},"
	     "{\"at\":\"2026-05-06T11:00:00Z\",\"status\":\"pending\"}]}]}");
	call(outage_create, "{\"service\":\"web\",\"start\":\"2026-02-28T23:00:00Z\","
			    "\"end\":\"2026-03-01T01:00:00Z\"}");
	call(outage_create, "{\"service\":\"web\",\"start\":\"2026-03-15T01:00:00Z\","
			    "\"end\":\"2026-03-15T03:00:00Z\",\"planned\":true}");
	call(outage_create, "{\"service\":\"web\",\"start\":\"2026-03-15T02:30:00Z\","
			    "\"end\":\"2026-03-15T03:30:00Z\"}");
	call(outage_create, "{\"service\":\"web\",\"start\":\"2026-03-20T10:00:00Z\","
			    "\"end\":\"2026-03-20T10:30:00Z\"}");
	call(outage_create, "{\"service\":\"web\",\"start\":\"2026-03-20T10:15:00Z\","
			    "\"end\":\"2026-03-20T10:45:00Z\"}");
	call(outage_create, "{\"service\":\"web\",\"start\":\"2026-03-31T23:30:00Z\"}");
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];

	store_close(st);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
	return 0;
}

static json_t *report(void)
{
	struct err e = { 0 };
	json_t *r = NULL;

	ok(report_service_level(st, &sys, "acme", "2026-03", &r, &e), &e);
	return r;
}

static double num(const json_t *o, const char *k)
{
	assert_true(json_is_number(json_object_get(o, k)));
	return json_number_value(json_object_get(o, k));
}

static void test_tickets(void **state)
{
	json_t *r = report(), *s = json_array_get(json_object_get(r, "slas"), 0), *b;

	assert_string_equal(json_string_value(json_object_get(s, "sla")), "acme-web");
	/* Clocks due in March: "in time" and "late" (both clocks), "paused"
	 * (resolution due 2 March 14:00; its response was due in February) and
	 * "april" (response due 31 March 21:00; its resolution at 1 April 00:00,
	 * April's). "cancelled" never counts. */
	assert_int_equal(num(s, "tickets"), 4);
	assert_int_equal(num(s, "responses"), 3);
	assert_int_equal(num(s, "response_met"), 2);
	assert_int_equal(num(s, "resolutions"), 3);
	assert_int_equal(num(s, "resolution_met"), 2);
	/* 2 of 3 = 66.666…, rounded down to 4 decimals; 4 met of 6 clocks. */
	assert_true(fabs(num(s, "response_percent") - 66.6666) < 1e-9);
	assert_true(fabs(num(s, "compliance_percent") - 66.6666) < 1e-9);
	assert_true(fabs(num(r, "compliance_percent") - 66.6666) < 1e-9);
	/* Business seconds on the resolution clock: 2 h, 6 h, 1 h + 1 h. */
	assert_int_equal(num(s, "mttr_seconds"), (7200 + 21600 + 7200) / 3);
	/* The missed clocks, the most overdue first: "late"'s resolution (due
	 * 14:00, resolved 16:00: 2 h) before its response (due 11:00, answered
	 * 11:30: 30 min). */
	assert_int_equal(num(s, "breaches_total"), 2);
	b = json_object_get(s, "breaches");
	assert_int_equal(json_array_size(b), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(b, 0), "clock")),
			    "resolution");
	assert_string_equal(json_string_value(json_object_get(json_array_get(b, 0), "due")),
			    "2026-03-03T14:00:00Z");
	assert_string_equal(json_string_value(json_object_get(json_array_get(b, 0), "stopped")),
			    "2026-03-03T16:00:00Z");
	assert_string_equal(json_string_value(json_object_get(json_array_get(b, 1), "clock")),
			    "response");
	assert_string_equal(json_string_value(json_object_get(json_array_get(b, 1), "due")),
			    "2026-03-03T11:00:00Z");
	assert_string_equal(json_string_value(json_object_get(json_array_get(b, 1), "stopped")),
			    "2026-03-03T11:30:00Z");
	json_decref(r);
}

/* A paused clock whose target is used up is missed in the month it fell due
 * (its stopped instant null: the ticket is still open); one paused before
 * its due is not counted until it runs again. Both responses were in time. */
static void test_paused_clocks(void **state)
{
	struct err e = { 0 };
	json_t *r = NULL, *s, *b;

	ok(report_service_level(st, &sys, "acme", "2026-05", &r, &e), &e);
	s = json_array_get(json_object_get(r, "slas"), 0);
	assert_int_equal(num(s, "tickets"), 2);
	assert_int_equal(num(s, "responses"), 2);
	assert_int_equal(num(s, "response_met"), 2);
	assert_int_equal(num(s, "resolutions"), 1);
	assert_int_equal(num(s, "resolution_met"), 0);
	assert_true(json_is_null(json_object_get(s, "mttr_seconds")));
	b = json_object_get(s, "breaches");
	assert_int_equal(json_array_size(b), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(b, 0), "clock")),
			    "resolution");
	assert_string_equal(json_string_value(json_object_get(json_array_get(b, 0), "due")),
			    "2026-05-04T14:00:00Z");
	assert_true(json_is_null(json_object_get(json_array_get(b, 0), "stopped")));
	json_decref(r);
}

static void test_availability(void **state)
{
	json_t *r = report(), *s = json_array_get(json_object_get(r, "services"), 0);
	const double agreed = 31 * 86400 - 7200, down = 3600 + 1800 + 2700 + 1800;

	assert_string_equal(json_string_value(json_object_get(s, "service")), "web");
	assert_int_equal(num(s, "agreed_seconds"), agreed);
	assert_int_equal(num(s, "downtime_seconds"), down);
	assert_int_equal(num(s, "outages"), 4);
	/* 100 × (2671200 − 9900) / 2671200 = 99.62937…, 4 decimals rounded down. */
	assert_true(fabs(num(s, "availability_percent") - 99.6293) < 1e-9);
	assert_true(json_is_true(json_object_get(s, "target_met")));
	assert_true(fabs(num(s, "target_percent") - 99.5) < 1e-9);
	assert_true(fabs(num(s, "mttr_seconds") - down / 4) < 1e-9);
	assert_true(fabs(num(s, "mtbf_seconds") - (agreed - down) / 4) < 1e-9);
	json_decref(r);
}

static void test_empty_month(void **state)
{
	struct err e = { 0 };
	json_t *r = NULL, *s, *v;

	ok(report_service_level(st, &sys, "acme", "2025-06", &r, &e), &e);
	s = json_array_get(json_object_get(r, "slas"), 0);
	assert_int_equal(num(s, "tickets"), 0);
	assert_true(json_is_null(json_object_get(s, "response_percent")));
	assert_true(json_is_null(json_object_get(s, "mttr_seconds")));
	v = json_array_get(json_object_get(r, "services"), 0);
	assert_true(fabs(num(v, "availability_percent") - 100) < 1e-12);
	assert_true(json_is_null(json_object_get(v, "mttr_seconds")));
	json_decref(r);
	assert_int_equal(report_service_level(st, &sys, "acme", "2025-6", &r, &e), ERR_INVALID);
	assert_string_equal(e.field, "month");
	assert_int_equal(report_service_level(st, &sys, "nope", "2025-06", &r, &e), ERR_INVALID);
	assert_string_equal(e.field, "customer");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tickets),
		cmocka_unit_test(test_paused_clocks),
		cmocka_unit_test(test_availability),
		cmocka_unit_test(test_empty_month),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
