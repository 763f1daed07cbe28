/*
 * tests/unit/domain/correlate.c — the correlation rules (correlate_decide)
 * without a store: new problems, duplicates, escalation, recovery (resolve
 * or annotate), reopening inside the window, flapping, out-of-order events,
 * acknowledgements; the priority parts; who may send events; and the check
 * state machine (check_apply_result: soft/hard, recovery, changes between
 * problems).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "domain/events/check.h"
#include "domain/events/correlate.h"

static const struct correlate_config cfg = { .resolve_incidents = 1, .flap_cycles = 6,
					     .flap_window_s = 3600, .reopen_window_s = 600 };

static struct event ev(enum event_action action, enum event_severity sev, int64_t at)
{
	struct event e;

	memset(&e, 0, sizeof(e));
	e.action = action;
	e.severity = sev;
	e.at = at;
	return e;
}

static struct alert alert(int open, enum event_severity sev, int64_t last_at, int64_t incident)
{
	struct alert a;

	memset(&a, 0, sizeof(a));
	a.open = open;
	a.severity = sev;
	a.last_at = last_at;
	a.incident_id = incident;
	a.opened_at = open ? last_at : 0;
	a.closed_at = open ? 0 : last_at;
	return a;
}

static void test_new_critical_opens_everything(void **state)
{
	struct correlate_decision d;
	struct event e = ev(EVENT_TRIGGER, EVENT_CRITICAL, 100);

	correlate_decide(NULL, 0, &e, &cfg, &d);
	assert_int_equal(d.outcome, CO_OPENED);
	assert_true(d.open_incident);
	assert_true(d.start_outages);
	assert_false(d.reopen_incident || d.resolve_incident || d.end_outages);
}

static void test_new_warning_opens_alert_only(void **state)
{
	struct correlate_decision d;
	struct event e = ev(EVENT_TRIGGER, EVENT_WARNING, 100);

	correlate_decide(NULL, 0, &e, &cfg, &d);
	assert_int_equal(d.outcome, CO_OPENED);
	assert_false(d.open_incident || d.start_outages);
}

static void test_same_problem_is_duplicate(void **state)
{
	struct correlate_decision d;
	struct alert a = alert(1, EVENT_CRITICAL, 100, 7);
	struct event e = ev(EVENT_TRIGGER, EVENT_CRITICAL, 110);

	correlate_decide(&a, 1, &e, &cfg, &d);
	assert_int_equal(d.outcome, CO_DEDUPLICATED);
	assert_false(d.open_incident || d.start_outages || d.annotate);
	/* same second is not out of order */
	e.at = 100;
	correlate_decide(&a, 1, &e, &cfg, &d);
	assert_int_equal(d.outcome, CO_DEDUPLICATED);
}

static void test_warning_to_critical_escalates(void **state)
{
	struct correlate_decision d;
	struct alert a = alert(1, EVENT_WARNING, 100, 0);
	struct event e = ev(EVENT_TRIGGER, EVENT_CRITICAL, 110);

	correlate_decide(&a, 0, &e, &cfg, &d);
	assert_int_equal(d.outcome, CO_ESCALATED);
	assert_true(d.open_incident);
	assert_true(d.start_outages);
	/* an incident a person resolved while it still fires is left alone */
	a = alert(1, EVENT_CRITICAL, 100, 7);
	correlate_decide(&a, 0, &e, &cfg, &d);
	assert_int_equal(d.outcome, CO_DEDUPLICATED);
	assert_false(d.open_incident);
}

static void test_ok_resolves_or_annotates(void **state)
{
	struct correlate_decision d;
	struct alert a = alert(1, EVENT_CRITICAL, 100, 7);
	struct event e = ev(EVENT_RESOLVE, EVENT_OK, 200);
	struct correlate_config annotate = cfg;

	correlate_decide(&a, 1, &e, &cfg, &d);
	assert_int_equal(d.outcome, CO_RESOLVED);
	assert_true(d.end_outages);
	assert_true(d.resolve_incident);
	assert_false(d.annotate);
	annotate.resolve_incidents = 0;
	correlate_decide(&a, 1, &e, &annotate, &d);
	assert_int_equal(d.outcome, CO_RESOLVED);
	assert_false(d.resolve_incident);
	assert_true(d.annotate);
	assert_true(d.end_outages);
	/* no open incident: only the outages end */
	correlate_decide(&a, 0, &e, &cfg, &d);
	assert_false(d.resolve_incident || d.annotate);
	assert_true(d.end_outages);
}

static void test_ok_on_closed_or_unknown_is_recorded(void **state)
{
	struct correlate_decision d;
	struct alert a = alert(0, EVENT_OK, 100, 7);
	struct event e = ev(EVENT_RESOLVE, EVENT_OK, 200);

	correlate_decide(&a, 0, &e, &cfg, &d);
	assert_int_equal(d.outcome, CO_RECORDED);
	assert_false(d.end_outages);
	correlate_decide(NULL, 0, &e, &cfg, &d);
	assert_int_equal(d.outcome, CO_RECORDED);
}

static void test_out_of_order_changes_nothing(void **state)
{
	struct correlate_decision d;
	struct alert closed = alert(0, EVENT_OK, 300, 7);
	struct alert open = alert(1, EVENT_CRITICAL, 300, 7);
	struct event crit = ev(EVENT_TRIGGER, EVENT_CRITICAL, 299);
	struct event ok = ev(EVENT_RESOLVE, EVENT_OK, 250);

	correlate_decide(&closed, 0, &crit, &cfg, &d);
	assert_int_equal(d.outcome, CO_OUT_OF_ORDER);
	assert_false(d.open_incident || d.reopen_incident || d.start_outages);
	correlate_decide(&open, 1, &ok, &cfg, &d);
	assert_int_equal(d.outcome, CO_OUT_OF_ORDER);
	assert_false(d.resolve_incident || d.end_outages);
}

static void test_reopen_inside_window_else_new(void **state)
{
	struct correlate_decision d;
	struct alert a = alert(0, EVENT_OK, 1000, 7);
	struct event e = ev(EVENT_TRIGGER, EVENT_CRITICAL, 1000 + 600);

	correlate_decide(&a, 0, &e, &cfg, &d);
	assert_int_equal(d.outcome, CO_REOPENED);
	assert_true(d.reopen_incident);
	assert_false(d.open_incident);
	assert_true(d.start_outages);
	e.at = 1000 + 601;
	correlate_decide(&a, 0, &e, &cfg, &d);
	assert_true(d.open_incident);
	assert_false(d.reopen_incident);
}

static void test_flapping_holds_one_incident(void **state)
{
	struct correlate_decision d;
	struct alert a = alert(1, EVENT_CRITICAL, 150, 7);
	struct event ok = ev(EVENT_RESOLVE, EVENT_OK, 160);
	struct event crit = ev(EVENT_TRIGGER, EVENT_CRITICAL, 170);

	/* five state changes already in the window: this close is the sixth */
	for (int i = 0; i < 5; i++)
		a.transitions[a.n_transitions++] = 100 + i * 10;
	assert_int_equal(correlate_recent_transitions(&a, 160, 3600), 5);
	correlate_decide(&a, 1, &ok, &cfg, &d);
	assert_int_equal(d.outcome, CO_RESOLVED);
	assert_true(d.flapping);
	assert_false(d.resolve_incident);
	assert_true(d.annotate);
	/* it comes back while its incident is still open: a note, no new one */
	a.open = 0;
	a.closed_at = a.last_at = 160;
	a.flapping = 1;
	a.transitions[a.n_transitions++] = 160;
	correlate_decide(&a, 1, &crit, &cfg, &d);
	assert_int_equal(d.outcome, CO_REOPENED);
	assert_true(d.annotate);
	assert_false(d.open_incident || d.reopen_incident);
	assert_true(d.flapping);
	/* quiet for longer than the window: no longer flapping */
	crit.at = 160 + 7200;
	correlate_decide(&a, 1, &crit, &cfg, &d);
	assert_false(d.flapping);
}

static void test_acknowledge_is_recorded(void **state)
{
	struct correlate_decision d;
	struct alert a = alert(1, EVENT_CRITICAL, 100, 7);
	struct event e = ev(EVENT_ACKNOWLEDGE, EVENT_INFO, 120);

	correlate_decide(&a, 1, &e, &cfg, &d);
	assert_int_equal(d.outcome, CO_RECORDED);
	assert_false(d.open_incident || d.end_outages || d.annotate);
}

static void test_priority_parts(void **state)
{
	assert_int_equal(correlate_impact_level(0, 0), 3);
	assert_int_equal(correlate_impact_level(1, 3), 2);
	assert_int_equal(correlate_impact_level(3, 3), 1);
	assert_int_equal(correlate_impact_level(0, 50), 1);
	assert_int_equal(correlate_urgency(EVENT_CRITICAL), 1);
	assert_int_equal(correlate_urgency(EVENT_WARNING), 2);
	assert_int_equal(correlate_urgency(EVENT_INFO), 3);
	assert_string_equal(correlate_outcome_name(CO_OUT_OF_ORDER), "out_of_order");
}

static struct check fresh_check(int max_attempts)
{
	struct check c;

	memset(&c, 0, sizeof(c));
	c.interval_s = 60;
	c.retry_s = 10;
	c.max_attempts = max_attempts;
	c.pending = 1;
	c.hard = 1;
	c.hard_state = PLUGIN_OK;
	return c;
}

/* Intake is for staff and their integrations; an intake token does not make
 * a requester one (the refusal comes before the store is touched). */
static void test_intake_refuses_requesters_whatever_the_scope(void **state)
{
	struct actor a = { .user_id = 7, .username = "alice", .role = ROLE_REQUESTER,
			   .customer_id = 1 };
	struct err e = { 0 };

	assert_int_equal(correlate_ingest(NULL, &a, NULL, 0, NULL, &e), ERR_FORBIDDEN);
	a.scope_events = 1;
	err_clear(&e);
	assert_int_equal(correlate_ingest(NULL, &a, NULL, 0, NULL, &e), ERR_FORBIDDEN);
	a = (struct actor){ .user_id = 1, .username = "prometheus", .role = ROLE_OPERATOR,
			    .scope_events = 1 };
	err_clear(&e);
	assert_int_equal(correlate_ingest(NULL, &a, NULL, 0, NULL, &e), 0);
}

static void test_check_soft_then_hard(void **state)
{
	struct check c = fresh_check(3);

	assert_int_equal(check_apply_result(&c, PLUGIN_OK, 1000), 0);
	assert_int_equal(c.next_run, 1060);
	assert_int_equal(check_apply_result(&c, PLUGIN_CRITICAL, 1060), 0);
	assert_false(c.hard);
	assert_int_equal(c.attempt, 1);
	assert_int_equal(c.next_run, 1070); /* retry interval while soft */
	assert_int_equal(check_apply_result(&c, PLUGIN_CRITICAL, 1070), 0);
	assert_int_equal(c.attempt, 2);
	assert_int_equal(check_apply_result(&c, PLUGIN_CRITICAL, 1080), 1);
	assert_true(c.hard);
	assert_int_equal(c.hard_state, PLUGIN_CRITICAL);
	assert_int_equal(c.next_run, 1140);
	/* the problem goes on: no new event */
	assert_int_equal(check_apply_result(&c, PLUGIN_CRITICAL, 1140), 0);
	/* critical → warning is a hard change */
	assert_int_equal(check_apply_result(&c, PLUGIN_WARNING, 1200), 1);
	assert_int_equal(c.hard_state, PLUGIN_WARNING);
	/* recovery is hard at once */
	assert_int_equal(check_apply_result(&c, PLUGIN_OK, 1260), 1);
	assert_true(c.hard);
	assert_int_equal(c.hard_state, PLUGIN_OK);
}

static void test_check_soft_blip_is_silent(void **state)
{
	struct check c = fresh_check(3);

	check_apply_result(&c, PLUGIN_OK, 0);
	assert_int_equal(check_apply_result(&c, PLUGIN_WARNING, 60), 0);
	assert_int_equal(check_apply_result(&c, PLUGIN_OK, 70), 0);
	assert_int_equal(c.attempt, 1);
	/* max_attempts 1: hard at the first failure */
	c = fresh_check(1);
	assert_int_equal(check_apply_result(&c, PLUGIN_UNKNOWN, 0), 1);
	assert_int_equal(c.hard_state, PLUGIN_UNKNOWN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_new_critical_opens_everything),
		cmocka_unit_test(test_new_warning_opens_alert_only),
		cmocka_unit_test(test_same_problem_is_duplicate),
		cmocka_unit_test(test_warning_to_critical_escalates),
		cmocka_unit_test(test_ok_resolves_or_annotates),
		cmocka_unit_test(test_ok_on_closed_or_unknown_is_recorded),
		cmocka_unit_test(test_out_of_order_changes_nothing),
		cmocka_unit_test(test_reopen_inside_window_else_new),
		cmocka_unit_test(test_flapping_holds_one_incident),
		cmocka_unit_test(test_acknowledge_is_recorded),
		cmocka_unit_test(test_priority_parts),
		cmocka_unit_test(test_intake_refuses_requesters_whatever_the_scope),
		cmocka_unit_test(test_check_soft_then_hard),
		cmocka_unit_test(test_check_soft_blip_is_silent),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
