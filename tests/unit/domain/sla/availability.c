/*
 * tests/unit/domain/availability.c — interval sets and service availability:
 * the worked example of monitoring-formats.md §6.6 (99.919 %), overlapping,
 * planned, ongoing and month-straddling outages, a business-hours calendar
 * across a DST change, and the N/A cases.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "domain/sla/availability.h"
#include "domain/sla/calendar.h"
#include "domain/sla/interval.h"
#include "lib/err.h"
#include "lib/timeutil.h"

#define MIN 60
#define H 3600

static double absd(double x)
{
	return x < 0 ? -x : x;
}

static int64_t T(const char *s)
{
	int64_t t = 0;

	assert_int_equal(time_parse_rfc3339(s, &t), 0);
	return t;
}

static struct avail_outage down(const char *a, const char *b)
{
	return (struct avail_outage){ .start = T(a), .end = T(b) };
}

static struct avail_outage planned(const char *a, const char *b)
{
	return (struct avail_outage){ .start = T(a), .end = T(b), .planned = true };
}

static void month(const struct calendar *c, int y, int m, int64_t *t0, int64_t *t1)
{
	assert_int_equal(calendar_month_range(c, y, m, t0, t1), 0);
}

static void compute(const struct calendar *c, int64_t t0, int64_t t1, const struct avail_outage *o,
		    size_t n, struct avail_result *r)
{
	struct err e = { 0 };

	assert_int_equal(avail_compute(c, t0, t1, t1, o, n, r, &e), 0);
}

/* ---- interval sets ---- */

static void set_of(struct interval_set *s, const int64_t *v, size_t n)
{
	interval_set_init(s);
	for (size_t i = 0; i + 1 < n; i += 2)
		assert_int_equal(interval_set_add(s, v[i], v[i + 1]), 0);
	interval_set_normalize(s);
}

static void assert_set(const struct interval_set *s, const int64_t *v, size_t n)
{
	assert_int_equal(s->len, n / 2);
	for (size_t i = 0; i < n / 2; i++) {
		assert_int_equal(s->v[i].start, v[2 * i]);
		assert_int_equal(s->v[i].end, v[2 * i + 1]);
	}
}

static void test_interval_sets(void **state)
{
	static const int64_t av[] = { 5, 10, 1, 3, 3, 4, 8, 12, 20, 20, 30, 29 };
	static const int64_t norm[] = { 1, 4, 5, 12 };
	static const int64_t bv[] = { 0, 2, 6, 7, 11, 30 };
	static const int64_t inter[] = { 1, 2, 6, 7, 11, 12 };
	static const int64_t cv[] = { 2, 3, 5, 6, 11, 15 };
	static const int64_t diff[] = { 1, 2, 3, 4, 6, 11 };
	static const int64_t touch[] = { 4, 5, 12, 20 };
	struct interval_set a, b, c, out = INTERVAL_SET_INIT;

	set_of(&a, av, 12);
	assert_set(&a, norm, 4); /* touching merged, empty and reversed dropped */
	assert_int_equal(interval_set_measure(&a), 10);

	set_of(&b, bv, 6);
	assert_int_equal(interval_set_intersect(&a, &b, &out), 0);
	assert_set(&out, inter, 6);
	assert_int_equal(interval_set_count_meeting(&a, &b), 2);

	set_of(&c, cv, 6);
	assert_int_equal(interval_set_subtract(&a, &c, &out), 0);
	assert_set(&out, diff, 6);
	assert_int_equal(interval_set_measure(&out), 7);
	assert_int_equal(interval_set_subtract(&a, &a, &out), 0);
	assert_int_equal(out.len, 0);
	interval_set_release(&c);

	set_of(&c, touch, 4); /* meets a only at its edges */
	assert_int_equal(interval_set_count_meeting(&a, &c), 0);
	assert_int_equal(interval_set_intersect(&a, &c, &out), 0);
	assert_int_equal(interval_set_measure(&out), 0);

	interval_set_release(&a);
	interval_set_release(&b);
	interval_set_release(&c);
	interval_set_release(&out);
}

/* ---- availability ---- */

static void test_worked_example(void **state)
{
	/* §6.6: a 30-day month, 24x7 (43,200 min); maintenance 120 min;
	 * unplanned 30 min (10 of them inside the maintenance) and 15 min. */
	const struct calendar *c = calendar_24x7();
	struct avail_outage o[] = {
		planned("2026-04-10T02:00:00Z", "2026-04-10T04:00:00Z"),
		down("2026-04-10T03:50:00Z", "2026-04-10T04:20:00Z"),
		down("2026-04-20T12:00:00Z", "2026-04-20T12:15:00Z"),
	};
	struct avail_result r;
	int64_t t0, t1;

	month(c, 2026, 4, &t0, &t1);
	assert_int_equal(t1 - t0, 43200 * MIN);
	compute(c, t0, t1, o, 3, &r);
	assert_int_equal(r.agreed_seconds, 43080 * MIN);
	assert_int_equal(r.downtime_seconds, 35 * MIN);
	assert_int_equal(r.outages, 2);
	assert_true(r.has_availability);
	assert_true(absd(r.availability_percent - 100.0 * 43045 / 43080) < 1e-9);
	assert_true(absd(r.availability_percent - 99.919) < 0.0005);
	assert_true(r.has_mttr);
	assert_true(r.mttr_seconds == 1050.0);       /* 17.5 min */
	assert_true(r.mtbf_seconds == 1291350.0);    /* 43,045 min / 2 */
}

static void test_overlapping_outages(void **state)
{
	const struct calendar *c = calendar_24x7();
	struct avail_outage o[] = {
		down("2026-04-02T10:00:00Z", "2026-04-02T10:30:00Z"),
		down("2026-04-02T10:15:00Z", "2026-04-02T10:45:00Z"),
		down("2026-04-02T10:45:00Z", "2026-04-02T11:00:00Z"), /* back to back */
		down("2026-04-02T10:00:00Z", "2026-04-02T10:30:00Z"), /* duplicate */
		down("2026-04-03T10:00:00Z", "2026-04-03T10:00:00Z"), /* empty */
	};
	struct avail_result r;
	int64_t t0, t1;

	month(c, 2026, 4, &t0, &t1);
	compute(c, t0, t1, o, 5, &r);
	assert_int_equal(r.downtime_seconds, H);
	assert_int_equal(r.outages, 1);
	assert_true(r.mttr_seconds == 3600.0);
}

static void test_planned_only_and_covered(void **state)
{
	const struct calendar *c = calendar_24x7();
	struct avail_outage o[] = {
		planned("2026-04-05T00:00:00Z", "2026-04-05T06:00:00Z"),
		down("2026-04-05T01:00:00Z", "2026-04-05T02:00:00Z"), /* inside maintenance */
	};
	struct avail_result r;
	int64_t t0, t1;

	month(c, 2026, 4, &t0, &t1);
	compute(c, t0, t1, o, 2, &r);
	assert_int_equal(r.agreed_seconds, 30 * 24 * H - 6 * H);
	assert_int_equal(r.downtime_seconds, 0);
	assert_int_equal(r.outages, 0);
	assert_true(r.has_availability);
	assert_true(r.availability_percent == 100.0);
	assert_false(r.has_mttr);
	assert_true(r.mttr_seconds == 0.0 && r.mtbf_seconds == 0.0);
}

static void test_month_straddling(void **state)
{
	const struct calendar *c = calendar_24x7();
	struct avail_outage o[] = {
		down("2026-03-31T23:00:00Z", "2026-04-01T01:00:00Z"),
		{ .start = T("2026-04-30T23:00:00Z"), .ongoing = true },
	};
	struct avail_result r;
	int64_t t0, t1;

	month(c, 2026, 3, &t0, &t1);
	compute(c, t0, t1, o, 2, &r);
	assert_int_equal(r.agreed_seconds, 31 * 24 * H);
	assert_int_equal(r.downtime_seconds, H);
	assert_int_equal(r.outages, 1);

	month(c, 2026, 4, &t0, &t1);
	compute(c, t0, t1, o, 2, &r);
	assert_int_equal(r.downtime_seconds, 2 * H); /* 1h carried in, 1h ongoing at the end */
	assert_int_equal(r.outages, 2);
	assert_true(r.mtbf_seconds == (double)(30 * 24 * H - 2 * H) / 2);
}

/* An outage not over yet lasts until now, cut at the period's end: twelve
 * minutes in the month it started, nothing in a month after now, the rest of
 * the month in a past one it started in. */
static void test_ongoing_until_now(void **state)
{
	const struct calendar *c = calendar_24x7();
	struct avail_outage o[] = { { .start = T("2026-05-01T00:00:00Z"), .ongoing = true } };
	struct avail_result r;
	struct err e = { 0 };
	int64_t t0, t1, now = T("2026-05-01T00:00:00Z") + 12 * MIN;

	(void)state;
	/* Started as May began; now is 12 min into May. */
	month(c, 2026, 5, &t0, &t1);
	assert_int_equal(avail_compute(c, t0, t1, now, o, 1, &r, &e), 0);
	assert_int_equal(r.agreed_seconds, 31 * 24 * H);
	assert_int_equal(r.downtime_seconds, 12 * MIN); /* 720 s, not the 31 days to t1 */
	assert_int_equal(r.outages, 1);
	/* 100 × (2678400 − 720) / 2678400 = 99.97311827… */
	assert_true(absd(r.availability_percent - 99.973118279569892) < 1e-9);

	/* June is after now: nothing of the outage falls in it. */
	month(c, 2026, 6, &t0, &t1);
	assert_int_equal(avail_compute(c, t0, t1, now, o, 1, &r, &e), 0);
	assert_int_equal(r.downtime_seconds, 0);
	assert_int_equal(r.outages, 0);
	assert_true(r.has_availability && r.availability_percent == 100.0);

	/* Started in April, still open in May: April counts from the start to
	 * its end, May from its start to now. */
	o[0].start = T("2026-04-30T23:48:00Z");
	month(c, 2026, 4, &t0, &t1);
	assert_int_equal(avail_compute(c, t0, t1, now, o, 1, &r, &e), 0);
	assert_int_equal(r.downtime_seconds, 12 * MIN);
	month(c, 2026, 5, &t0, &t1);
	assert_int_equal(avail_compute(c, t0, t1, now, o, 1, &r, &e), 0);
	assert_int_equal(r.downtime_seconds, 12 * MIN);
	/* An outage that starts after now has not happened yet. */
	o[0].start = now + H;
	assert_int_equal(avail_compute(c, t0, t1, now, o, 1, &r, &e), 0);
	assert_int_equal(r.downtime_seconds, 0);
}

static void test_business_hours(void **state)
{
	/* London 09:00-18:00 on weekdays; March 2026 has 22 weekdays and the
	 * clocks go forward on Sunday the 29th. */
	static const char json[] =
		"{\"name\":\"office\",\"timezone\":\"Europe/London\",\"hours\":{"
		"\"mon\":[[\"09:00\",\"18:00\"]],\"tue\":[[\"09:00\",\"18:00\"]],"
		"\"wed\":[[\"09:00\",\"18:00\"]],\"thu\":[[\"09:00\",\"18:00\"]],"
		"\"fri\":[[\"09:00\",\"18:00\"]]}}";
	struct calendar *c = NULL;
	struct err e = { 0 };
	struct avail_outage o[] = {
		down("2026-03-10T02:00:00Z", "2026-03-10T04:00:00Z"), /* at night: not counted */
		down("2026-03-27T17:00:00Z", "2026-03-30T09:00:00Z"), /* Fri 17-18 GMT, Mon 09-10 BST */
		planned("2026-03-31T08:00:00Z", "2026-03-31T10:00:00Z"), /* 09-11 BST */
	};
	struct avail_result r;
	int64_t t0, t1;

	assert_int_equal(calendar_parse(json, strlen(json), &c, &e), 0);
	month(c, 2026, 3, &t0, &t1);
	assert_true(t0 == T("2026-03-01T00:00:00Z"));
	assert_true(t1 == T("2026-03-31T23:00:00Z"));
	compute(c, t0, t1, o, 3, &r);
	assert_int_equal(r.agreed_seconds, 22 * 9 * H - 2 * H);
	assert_int_equal(r.downtime_seconds, 2 * H);
	assert_int_equal(r.outages, 1);
	assert_true(absd(r.availability_percent - 100.0 * (196 - 2) / 196) < 1e-9);
	assert_true(r.mttr_seconds == 7200.0);
	assert_true(r.mtbf_seconds == (double)(194 * H));
	calendar_free(c);
}

static void test_no_agreed_time(void **state)
{
	static const char json[] = "{\"name\":\"closed\",\"timezone\":\"UTC\",\"hours\":{}}";
	struct calendar *c = NULL;
	struct err e = { 0 };
	struct avail_outage o[] = { down("2026-04-02T10:00:00Z", "2026-04-02T11:00:00Z") };
	struct avail_result r;
	int64_t t0, t1;

	assert_int_equal(calendar_parse(json, strlen(json), &c, &e), 0);
	month(c, 2026, 4, &t0, &t1);
	compute(c, t0, t1, o, 1, &r);
	assert_int_equal(r.agreed_seconds, 0);
	assert_int_equal(r.downtime_seconds, 0);
	assert_int_equal(r.outages, 0);
	assert_false(r.has_availability); /* N/A */
	assert_false(r.has_mttr);
	compute(c, t0, t0, NULL, 0, &r); /* an empty period */
	assert_false(r.has_availability);
	calendar_free(c);
}

static void test_errors(void **state)
{
	struct avail_outage o[] = {
		down("2026-04-02T10:00:00Z", "2026-04-02T11:00:00Z"),
		down("2026-04-02T10:00:00Z", "2026-04-02T09:00:00Z"),
	};
	struct avail_result r;
	struct err e = { 0 };

	assert_int_equal(avail_compute(calendar_24x7(), 100, 50, 50, NULL, 0, &r, &e), ERR_INVALID);
	assert_string_equal(e.field, "period");
	assert_int_equal(avail_compute(calendar_24x7(), T("2026-04-01T00:00:00Z"),
				       T("2026-05-01T00:00:00Z"), T("2026-05-01T00:00:00Z"), o,
				       2, &r, &e),
			 ERR_INVALID);
	assert_string_equal(e.field, "outages[1]");
	assert_string_equal(e.msg, "outage ends before it starts");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_interval_sets),
		cmocka_unit_test(test_worked_example),
		cmocka_unit_test(test_overlapping_outages),
		cmocka_unit_test(test_planned_only_and_covered),
		cmocka_unit_test(test_month_straddling),
		cmocka_unit_test(test_ongoing_until_now),
		cmocka_unit_test(test_business_hours),
		cmocka_unit_test(test_no_agreed_time),
		cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests_name("availability", tests, NULL, NULL);
}
