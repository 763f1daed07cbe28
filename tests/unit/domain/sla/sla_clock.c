/*
 * tests/unit/domain/sla_clock.c — the SLA clocks of a ticket, with known
 * answers: start, response stop (in time, late), pause while pending and
 * resume, pending straight to resolved, reopen with the time spent, a
 * priority change that keeps the time spent, business hours across a
 * weekend, warnings and breaches due once each, the JSON block, and the
 * clock a group ends by handing the ticket on.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "domain/sla/calendar.h"
#include "domain/sla/sla.h"
#include "lib/err.h"
#include "lib/timeutil.h"

#define MIN 60
#define H 3600

static int64_t T(const char *s)
{
	int64_t t = 0;

	assert_int_equal(time_parse_rfc3339(s, &t), 0);
	return t;
}

/* Targets: priority p responds in 30·p minutes, resolves in 4·p hours. */
static void def(struct sla_def *d)
{
	memset(d, 0, sizeof(*d));
	d->id = 7;
	snprintf(d->name, sizeof(d->name), "gold");
	for (int p = 1; p <= SLA_PRIORITIES; p++) {
		d->resp_target[p] = 30 * MIN * p;
		d->res_target[p] = 4 * H * p;
	}
	d->warn_at = 0.75;
}

static const struct calendar *office(void)
{
	static struct calendar *c;
	static const char json[] =
		"{\"name\":\"office\",\"timezone\":\"Europe/London\",\"hours\":{"
		"\"mon\":[[\"09:00\",\"18:00\"]],\"tue\":[[\"09:00\",\"18:00\"]],"
		"\"wed\":[[\"09:00\",\"18:00\"]],\"thu\":[[\"09:00\",\"18:00\"]],"
		"\"fri\":[[\"09:00\",\"18:00\"]]},\"holidays\":[\"2026-12-25\"]}";
	struct err e = { 0 };

	if (!c)
		assert_int_equal(calendar_parse(json, strlen(json), &c, &e), 0);
	return c;
}

static void test_start(void **state)
{
	struct sla_def d;
	struct sla_clock k;
	int64_t t0 = T("2026-03-02T10:00:00Z");

	def(&d);
	sla_clock_start(&k, &d, calendar_24x7(), 2, t0);
	assert_int_equal(k.sla_id, 7);
	assert_int_equal(k.resp_due, t0 + 60 * MIN);
	assert_int_equal(k.res_due, t0 + 8 * H);
	assert_int_equal(k.resp_warn, t0 + 45 * MIN);
	assert_int_equal(k.res_warn, t0 + 6 * H);
	assert_int_equal(k.resp_met, -1);
	assert_int_equal(k.res_met, -1);
	assert_int_equal(k.next_at, t0 + 45 * MIN);
}

static void test_response(void **state)
{
	struct sla_def d;
	struct sla_clock k;
	int64_t t0 = T("2026-03-02T10:00:00Z");

	def(&d);
	sla_clock_start(&k, &d, calendar_24x7(), 1, t0);
	sla_clock_respond(&k, t0 + 30 * MIN); /* exactly at the due: in time */
	assert_int_equal(k.resp_met, 1);
	sla_clock_respond(&k, t0 + 40 * MIN); /* only the first stop counts */
	assert_int_equal(k.resp_stopped, t0 + 30 * MIN);
	sla_clock_start(&k, &d, calendar_24x7(), 1, t0);
	sla_clock_move(&k, calendar_24x7(), ST_ASSIGNED, ST_IN_PROGRESS, t0 + 31 * MIN);
	assert_int_equal(k.resp_met, 0);
	/* The response clock stopped: only the resolution is watched now. */
	assert_int_equal(k.next_at, t0 + 3 * H);
}

static void test_pause_resume(void **state)
{
	const struct calendar *c = calendar_24x7();
	struct sla_def d;
	struct sla_clock k;
	int64_t t0 = T("2026-03-02T10:00:00Z");

	def(&d);
	sla_clock_start(&k, &d, c, 1, t0); /* resolution 4 h */
	sla_clock_move(&k, c, ST_IN_PROGRESS, ST_PENDING, t0 + 1 * H);
	assert_true(k.paused);
	assert_int_equal(k.res_spent, 1 * H);
	assert_int_equal(k.run_from, 0);
	sla_clock_move(&k, c, ST_PENDING, ST_IN_PROGRESS, t0 + 3 * H);
	assert_false(k.paused);
	assert_int_equal(k.res_due, t0 + 6 * H); /* 2 h of pause added */
	assert_int_equal(k.res_warn, t0 + 5 * H);
	sla_clock_move(&k, c, ST_IN_PROGRESS, ST_RESOLVED, t0 + 6 * H);
	assert_int_equal(k.res_spent, 4 * H);
	assert_int_equal(k.res_met, 1);
	assert_int_equal(k.res_stopped, t0 + 6 * H);
	assert_int_equal(k.next_at, 0);
}

static void test_pending_to_resolved(void **state)
{
	const struct calendar *c = calendar_24x7();
	struct sla_def d;
	struct sla_clock k;
	int64_t t0 = T("2026-03-02T10:00:00Z");

	def(&d);
	sla_clock_start(&k, &d, c, 1, t0);
	sla_clock_move(&k, c, ST_ASSIGNED, ST_PENDING, t0 + 5 * H);
	sla_clock_move(&k, c, ST_PENDING, ST_RESOLVED, t0 + 50 * H);
	assert_int_equal(k.res_spent, 5 * H);
	assert_int_equal(k.res_met, 0); /* 5 h spent of 4 */
	assert_int_equal(k.resp_met, 0); /* resolving answers, but 50 h late */
	assert_false(k.paused);
}

/* A group hands the ticket on: the clock ends there — missed when
 * already late, with no verdict when in time; a paused clock keeps the
 * time it had; one that had stopped keeps its verdicts; a group taking
 * the ticket back resumes the time it spent. */
static void test_hand_over(void **state)
{
	const struct calendar *c = calendar_24x7();
	struct sla_def d;
	struct sla_clock k;
	int64_t t0 = T("2026-03-02T10:00:00Z");

	def(&d);
	/* in time: 20 min of 30 to respond, of 4 h to resolve: no verdict */
	sla_clock_start(&k, &d, c, 1, t0);
	sla_clock_hand_over(&k, c, t0 + 20 * MIN);
	assert_int_equal(k.resp_stopped, t0 + 20 * MIN);
	assert_int_equal(k.resp_met, -1);
	assert_int_equal(k.res_stopped, t0 + 20 * MIN);
	assert_int_equal(k.res_spent, 20 * MIN);
	assert_int_equal(k.res_met, -1);
	assert_int_equal(k.next_at, 0);
	assert_int_equal(k.run_from, 0);
	/* held 5 h with no answer: 5 h > 30 min and > 4 h, both missed */
	sla_clock_start(&k, &d, c, 1, t0);
	sla_clock_hand_over(&k, c, t0 + 5 * H);
	assert_int_equal(k.resp_met, 0);
	assert_int_equal(k.res_spent, 5 * H);
	assert_int_equal(k.res_met, 0);
	/* answered at 10 min (met), pending from 1 h to 9 h, handed on at
	 * 10 h: the 1 h before the pause is the group's time, in time */
	sla_clock_start(&k, &d, c, 1, t0);
	sla_clock_respond(&k, t0 + 10 * MIN);
	sla_clock_move(&k, c, ST_IN_PROGRESS, ST_PENDING, t0 + 1 * H);
	sla_clock_hand_over(&k, c, t0 + 10 * H);
	assert_int_equal(k.resp_stopped, t0 + 10 * MIN);
	assert_int_equal(k.resp_met, 1);
	assert_int_equal(k.res_spent, 1 * H);
	assert_int_equal(k.res_met, -1);
	assert_false(k.paused);
	/* resolved at 2 h (met), reassigned at 6 h: the verdict stays */
	sla_clock_start(&k, &d, c, 1, t0);
	sla_clock_move(&k, c, ST_IN_PROGRESS, ST_RESOLVED, t0 + 2 * H);
	sla_clock_hand_over(&k, c, t0 + 6 * H);
	assert_int_equal(k.res_stopped, t0 + 2 * H);
	assert_int_equal(k.res_spent, 2 * H);
	assert_int_equal(k.res_met, 1);
	/* taken back at 8 h after a 3 h hold: 1 h of the 4 left, due at 9 h,
	 * its warning at 75 % of 4 h = 3 h spent, so at once (8 h) */
	sla_clock_start(&k, &d, c, 1, t0 + 8 * H);
	sla_clock_carry(&k, c, 3 * H);
	assert_int_equal(k.res_spent, 3 * H);
	assert_int_equal(k.res_due, t0 + 9 * H);
	assert_int_equal(k.res_warn, t0 + 8 * H);
}

static void test_reopen(void **state)
{
	const struct calendar *c = calendar_24x7();
	struct sla_def d;
	struct sla_clock k;
	int64_t t0 = T("2026-03-02T10:00:00Z");

	def(&d);
	sla_clock_start(&k, &d, c, 1, t0);
	sla_clock_move(&k, c, ST_IN_PROGRESS, ST_RESOLVED, t0 + 2 * H);
	assert_int_equal(k.res_met, 1);
	sla_clock_move(&k, c, ST_RESOLVED, ST_IN_PROGRESS, t0 + 10 * H);
	assert_int_equal(k.res_met, -1);
	assert_int_equal(k.res_stopped, 0);
	assert_int_equal(k.res_due, t0 + 12 * H); /* 2 h left of 4 */
	sla_clock_move(&k, c, ST_IN_PROGRESS, ST_RESOLVED, t0 + 13 * H);
	assert_int_equal(k.res_spent, 5 * H);
	assert_int_equal(k.res_met, 0);
	sla_clock_move(&k, c, ST_RESOLVED, ST_CLOSED, t0 + 20 * H);
	assert_int_equal(k.res_stopped, t0 + 13 * H);
	assert_int_equal(k.res_met, 0);
}

static void test_priority_change(void **state)
{
	const struct calendar *c = calendar_24x7();
	struct sla_def d;
	struct sla_clock k;
	int64_t t0 = T("2026-03-02T10:00:00Z");

	def(&d);
	sla_clock_start(&k, &d, c, 3, t0); /* response 90 min, resolution 12 h */
	sla_clock_move(&k, c, ST_IN_PROGRESS, ST_PENDING, t0 + 2 * H);
	sla_clock_move(&k, c, ST_PENDING, ST_IN_PROGRESS, t0 + 4 * H);
	/* 2 h spent; now priority 1: 4 h in all, so 2 h left from the restart. */
	sla_clock_reprioritize(&k, &d, c, 1);
	assert_int_equal(k.priority, 1);
	assert_int_equal(k.res_due, t0 + 6 * H);
	assert_int_equal(k.res_warn, t0 + 5 * H); /* 3 h of 4 */
	/* Priority 5: 20 h in all from the same spent time. */
	sla_clock_reprioritize(&k, &d, c, 5);
	assert_int_equal(k.res_due, t0 + 4 * H + 18 * H);
	/* A response clock still running keeps its start. */
	sla_clock_start(&k, &d, c, 5, t0);
	sla_clock_reprioritize(&k, &d, c, 1);
	assert_int_equal(k.resp_due, t0 + 30 * MIN);
	/* A target already used up is due at once. */
	sla_clock_start(&k, &d, c, 5, t0);
	sla_clock_move(&k, c, ST_IN_PROGRESS, ST_PENDING, t0 + 10 * H);
	sla_clock_move(&k, c, ST_PENDING, ST_IN_PROGRESS, t0 + 11 * H);
	sla_clock_reprioritize(&k, &d, c, 1);
	assert_int_equal(k.res_due, t0 + 11 * H);
}

static void test_business_hours(void **state)
{
	const struct calendar *c = office();
	struct sla_def d;
	struct sla_clock k;
	int64_t t0 = T("2026-03-06T17:00:00Z"); /* Friday 17:00 in London (UTC+0) */

	def(&d);
	sla_clock_start(&k, &d, c, 4, t0); /* response 2 h, resolution 16 h */
	assert_int_equal(k.resp_due, T("2026-03-09T10:00:00Z"));
	/* 16 h: 1 h Friday, 9 h Monday, 6 h Tuesday. */
	assert_int_equal(k.res_due, T("2026-03-10T15:00:00Z"));
	/* Pending over the weekend costs nothing extra. */
	sla_clock_move(&k, c, ST_IN_PROGRESS, ST_PENDING, T("2026-03-06T17:30:00Z"));
	sla_clock_move(&k, c, ST_PENDING, ST_IN_PROGRESS, T("2026-03-08T12:00:00Z"));
	assert_int_equal(k.res_spent, 30 * MIN);
	assert_int_equal(k.res_due, T("2026-03-10T15:30:00Z"));
}

static void test_events_once(void **state)
{
	const struct calendar *c = calendar_24x7();
	struct sla_def d;
	struct sla_clock k;
	int64_t t0 = T("2026-03-02T10:00:00Z");

	def(&d);
	sla_clock_start(&k, &d, c, 1, t0);
	assert_int_equal(sla_clock_due_events(&k, t0 + 10 * MIN), 0);
	assert_int_equal(sla_clock_due_events(&k, t0 + 23 * MIN), SLA_FIRED_RESP_WARN);
	k.fired |= SLA_FIRED_RESP_WARN;
	sla_clock_plan(&k);
	assert_int_equal(k.next_at, t0 + 30 * MIN);
	assert_int_equal(sla_clock_due_events(&k, t0 + 23 * MIN), 0);
	/* Past both the breach and the resolution warning at once. */
	assert_int_equal(sla_clock_due_events(&k, t0 + 3 * H),
			 SLA_FIRED_RESP_BREACH | SLA_FIRED_RES_WARN);
	/* A breach overtakes its own unfired warning. */
	sla_clock_start(&k, &d, c, 1, t0);
	assert_int_equal(sla_clock_due_events(&k, t0 + 5 * H),
			 SLA_FIRED_RESP_BREACH | SLA_FIRED_RES_BREACH);
	/* Nothing is watched once both clocks stopped. */
	sla_clock_move(&k, c, ST_IN_PROGRESS, ST_RESOLVED, t0 + 5 * H);
	assert_int_equal(sla_clock_due_events(&k, t0 + 50 * H), 0);
	assert_int_equal(k.next_at, 0);
	/* Cancelling stops both without a verdict. */
	sla_clock_start(&k, &d, c, 1, t0);
	sla_clock_move(&k, c, ST_NEW, ST_CANCELLED, t0 + H);
	assert_int_equal(k.resp_met, -1);
	assert_int_equal(k.res_met, -1);
	assert_int_equal(k.next_at, 0);
}

static void test_json(void **state)
{
	const struct calendar *c = calendar_24x7();
	struct sla_def d;
	struct sla_clock k;
	int64_t t0 = T("2026-03-02T10:00:00Z");
	json_t *j;

	def(&d);
	sla_clock_start(&k, &d, c, 1, t0);
	j = sla_clock_to_json(&k, "gold", t0 + 10 * MIN);
	assert_string_equal(json_string_value(json_object_get(j, "name")), "gold");
	assert_string_equal(json_string_value(json_object_get(j, "response_due")),
			    "2026-03-02T10:30:00Z");
	assert_true(json_is_null(json_object_get(j, "response_met")));
	assert_true(json_is_false(json_object_get(j, "warning")));
	assert_true(json_is_false(json_object_get(j, "breached")));
	json_decref(j);
	j = sla_clock_to_json(&k, "gold", t0 + 25 * MIN);
	assert_true(json_is_true(json_object_get(j, "warning")));
	json_decref(j);
	j = sla_clock_to_json(&k, "gold", t0 + 31 * MIN);
	assert_true(json_is_true(json_object_get(j, "breached")));
	assert_true(json_is_false(json_object_get(j, "warning")));
	json_decref(j);
	sla_clock_move(&k, c, ST_IN_PROGRESS, ST_PENDING, t0 + 20 * MIN);
	j = sla_clock_to_json(&k, "gold", t0 + 21 * MIN);
	assert_true(json_is_true(json_object_get(j, "paused")));
	assert_true(json_is_null(json_object_get(j, "resolution_due")));
	assert_true(json_is_null(json_object_get(j, "response_met"))); /* pending does not answer */
	json_decref(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_start),		 cmocka_unit_test(test_response),
		cmocka_unit_test(test_pause_resume),	 cmocka_unit_test(test_pending_to_resolved),
		cmocka_unit_test(test_reopen),		 cmocka_unit_test(test_priority_change),
		cmocka_unit_test(test_business_hours), cmocka_unit_test(test_events_once),
		cmocka_unit_test(test_json),		 cmocka_unit_test(test_hand_over),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
