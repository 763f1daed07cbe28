/*
 * availability.h — the availability of a service over a period [t0, t1),
 * measured against a business calendar (monitoring-formats.md §6.6):
 *
 *   agreed    = |S \ M|        S: the calendar's open time in [t0, t1)
 *                              M: union of planned outages (maintenance)
 *   downtime  = |D ∩ (S \ M)|  D: union of unplanned outages
 *   outages   = merged intervals of D that meet S \ M in positive time
 *   availability % = 100 × (agreed − downtime) / agreed   (N/A when agreed = 0)
 *   MTTR = downtime / outages; MTBF = (agreed − downtime) / outages
 *                                                  (N/A when outages = 0)
 *
 * Overlapping and back-to-back outages are merged, never counted twice;
 * outages are cut at the period's edges; an ongoing outage lasts until now
 * (so not at all in a period after now).
 */
#ifndef ITSM_AVAILABILITY_H
#define ITSM_AVAILABILITY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct calendar;
struct err;

struct avail_outage {
	int64_t start;
	int64_t end;  /* exclusive; ignored when ongoing */
	bool ongoing; /* not over yet: counts until now (cut at the period's end) */
	bool planned; /* maintenance: removed from agreed time, not downtime */
};

struct avail_result {
	int64_t agreed_seconds;
	int64_t downtime_seconds;
	int64_t outages;
	bool has_availability;       /* false when agreed_seconds == 0: report N/A */
	double availability_percent; /* 0 when !has_availability */
	bool has_mttr;               /* false when outages == 0: MTTR, MTBF N/A */
	double mttr_seconds;         /* 0 when !has_mttr */
	double mtbf_seconds;         /* 0 when !has_mttr */
};

/* Compute *out for calendar c over [t0, t1) from n outages, ongoing ones
 * lasting until now (clock_now() in the caller). Returns 0;
 * ERR_INVALID with field "period" when t1 < t0, or "outages[i]" for an
 * outage that is not ongoing and ends before it starts; ERR_INTERNAL when
 * out of memory. */
int avail_compute(const struct calendar *c, int64_t t0, int64_t t1, int64_t now,
		  const struct avail_outage *outages, size_t n, struct avail_result *out,
		  struct err *e);

#endif
