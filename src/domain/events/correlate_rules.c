/*
 * correlate_rules.c — what correlation does with one event, as a pure
 * function of the alert's state (correlate.h). No store, no clock: the
 * unit tests drive it directly.
 *
 * The rules, in order:
 *  1. an event older than the newest seen for its key changes nothing;
 *  2. acknowledge is recorded only;
 *  3. ok/resolve closes an open alert: its outages end; its incident is
 *     resolved with a note, or only annotated when the configuration says
 *     so or the alert is flapping; on a closed alert it is recorded only;
 *  4. a trigger on an open alert is a duplicate, unless it raises a
 *     warning to critical without an open incident: then it escalates;
 *  5. a trigger on a closed (or new) alert opens it; a critical one opens
 *     an incident and starts outages, or reopens the alert's incident when
 *     it was resolved less than reopen_window_s ago, or keeps the one a
 *     flapping alert left open.
 */
#include "domain/events/correlate.h"

#include <string.h>

struct correlate_config correlate_cfg = {
	.resolve_incidents = 1,
	.flap_cycles = 6,
	.flap_window_s = 3600,
	.reopen_window_s = 3600,
};

static const char *const outcome_names[CO__COUNT] = {
	[CO_OPENED] = "opened",		  [CO_REOPENED] = "reopened",
	[CO_DEDUPLICATED] = "deduplicated", [CO_ESCALATED] = "escalated",
	[CO_RESOLVED] = "resolved",	  [CO_RECORDED] = "recorded",
	[CO_OUT_OF_ORDER] = "out_of_order",
};

const char *correlate_outcome_name(enum correlate_outcome o)
{
	return (unsigned)o < CO__COUNT ? outcome_names[o] : "?";
}

int correlate_recent_transitions(const struct alert *a, int64_t now, int64_t window)
{
	int n = 0;

	for (int i = 0; a && i < a->n_transitions; i++)
		if (a->transitions[i] >= now - window && a->transitions[i] <= now)
			n++;
	return n;
}

/* impact: what a failure of the item reaches (rows), urgency: severity. */
int correlate_impact_level(int64_t services, int64_t items)
{
	if (services >= 3 || items >= 50)
		return 1;
	if (services >= 1)
		return 2;
	return 3;
}

int correlate_urgency(enum event_severity s)
{
	static const int by_severity[] = { [EVENT_OK] = 3, [EVENT_INFO] = 3, [EVENT_WARNING] = 2,
					   [EVENT_CRITICAL] = 1 };

	return (unsigned)s <= EVENT_CRITICAL ? by_severity[s] : 3;
}

void correlate_decide(const struct alert *a, int incident_open, const struct event *ev,
		      const struct correlate_config *cfg, struct correlate_decision *d)
{
	int crit = ev->severity == EVENT_CRITICAL, cycles;

	memset(d, 0, sizeof(*d));
	d->flapping = a ? a->flapping : 0;
	d->outcome = CO_RECORDED;
	if (a && ev->at < a->last_at) {
		d->outcome = CO_OUT_OF_ORDER;
		return;
	}
	if (ev->action == EVENT_ACKNOWLEDGE)
		return;
	if (ev->action == EVENT_RESOLVE) {
		if (!a || !a->open)
			return;
		d->outcome = CO_RESOLVED;
		d->end_outages = 1;
		cycles = correlate_recent_transitions(a, ev->at, cfg->flap_window_s) + 1;
		d->flapping = cycles >= cfg->flap_cycles;
		if (incident_open) {
			if (d->flapping || !cfg->resolve_incidents)
				d->annotate = 1;
			else
				d->resolve_incident = 1;
		}
		return;
	}
	/* trigger */
	if (a && a->open) {
		d->outcome = CO_DEDUPLICATED;
		if (crit && a->severity != EVENT_CRITICAL && !incident_open) {
			d->outcome = CO_ESCALATED;
			d->start_outages = 1;
			if (a->incident_id && a->closed_at &&
			    ev->at - a->closed_at <= cfg->reopen_window_s)
				d->reopen_incident = 1;
			else
				d->open_incident = 1;
		}
		return;
	}
	d->outcome = a ? CO_REOPENED : CO_OPENED;
	cycles = a ? correlate_recent_transitions(a, ev->at, cfg->flap_window_s) + 1 : 1;
	d->flapping = cycles >= cfg->flap_cycles;
	if (!crit)
		return;
	d->start_outages = 1;
	if (a && a->incident_id && incident_open)
		d->annotate = 1; /* held open across a flap (or annotate-only) */
	else if (a && a->incident_id && a->closed_at &&
		 ev->at - a->closed_at <= cfg->reopen_window_s)
		d->reopen_incident = 1;
	else
		d->open_incident = 1;
}
