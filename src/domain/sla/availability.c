/*
 * availability.c — agreed service time, downtime, outages, MTTR and MTBF of a
 * service over a period, by interval-set algebra on real instants.
 *
 * The idea: everything becomes a normalized interval set inside [t0, t1):
 * S (calendar open time), M (planned outages), D (unplanned outages). Then
 * E = S \ M is the agreed time, D ∩ E the downtime, and the merged intervals
 * of D that meet E are the outages. Clipping to [t0, t1) before merging is
 * what splits an outage at the period's edges.
 *
 * An outage not over yet lasts until now, cut at t1 like any other: it
 * counts nothing in a period that starts after now, and all of a past period
 * after its start. Agreed time is the whole period's, future included, so a
 * month's availability so far is what it will be if nothing else fails.
 *
 * Invariants: every set is normalized before it is combined; downtime never
 * exceeds agreed time; no heap memory outlives the call.
 */
#include "domain/sla/availability.h"
#include "domain/sla/calendar.h"
#include "domain/sla/interval.h"
#include "lib/err.h"

#include <string.h>

int avail_compute(const struct calendar *c, int64_t t0, int64_t t1, int64_t now,
		  const struct avail_outage *outages, size_t n, struct avail_result *out,
		  struct err *e)
{
	struct interval_set s = INTERVAL_SET_INIT, m = INTERVAL_SET_INIT, d = INTERVAL_SET_INIT;
	struct interval_set agreed = INTERVAL_SET_INIT, down = INTERVAL_SET_INIT;
	int ret = 0;

	memset(out, 0, sizeof(*out));
	if (t1 < t0)
		return err_set(e, ERR_INVALID, "period", "period ends before it starts");
	for (size_t i = 0; i < n; i++) {
		const struct avail_outage *o = &outages[i];
		int64_t a = o->start > t0 ? o->start : t0;
		int64_t end = o->ongoing ? now : o->end;
		int64_t b = end > t1 ? t1 : end;

		if (!o->ongoing && o->end < o->start) {
			char field[32];

			snprintf(field, sizeof(field), "outages[%zu]", i);
			ret = err_set(e, ERR_INVALID, field, "outage ends before it starts");
			goto out;
		}
		if ((ret = interval_set_add(o->planned ? &m : &d, a, b)))
			goto oom;
	}
	interval_set_normalize(&m);
	interval_set_normalize(&d);
	if ((ret = calendar_open_set(c, t0, t1, &s)) || (ret = interval_set_subtract(&s, &m, &agreed)) ||
	    (ret = interval_set_intersect(&d, &agreed, &down)))
		goto oom;

	out->agreed_seconds = interval_set_measure(&agreed);
	out->downtime_seconds = interval_set_measure(&down);
	out->outages = (int64_t)interval_set_count_meeting(&d, &agreed);
	if (out->agreed_seconds > 0) {
		out->has_availability = true;
		out->availability_percent = 100.0 *
					    (double)(out->agreed_seconds - out->downtime_seconds) /
					    (double)out->agreed_seconds;
	}
	if (out->outages > 0) {
		out->has_mttr = true;
		out->mttr_seconds = (double)out->downtime_seconds / (double)out->outages;
		out->mtbf_seconds = (double)(out->agreed_seconds - out->downtime_seconds) /
				    (double)out->outages;
	}
	goto out;
oom:
	ret = err_set(e, ERR_INTERNAL, NULL, "out of memory computing availability");
out:
	interval_set_release(&s);
	interval_set_release(&m);
	interval_set_release(&d);
	interval_set_release(&agreed);
	interval_set_release(&down);
	return ret;
}
