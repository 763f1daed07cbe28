/*
 * event.h — one normalised monitoring event, whatever sent it: itsm's own
 * POST /api/v1/events body, a Prometheus Alertmanager webhook (version "4"),
 * or a PagerDuty Events API v2 event (monitoring-formats.md §2, §5.1).
 *
 * Invariants of a parsed event:
 *  - every string is owned, non-NULL and NUL-terminated; source and
 *    dedup_key are never empty; dedup_key is at most EVENT_DEDUP_MAX bytes
 *    (a longer key is replaced by the 64-hex BLAKE2b-256 of it);
 *  - details is an owned reference to a JSON object (never NULL);
 *  - severity OK goes with action RESOLVE and vice versa; correlators branch
 *    on action first (an ACKNOWLEDGE carries severity INFO unless the sender
 *    gave one);
 *  - parsers are all-or-nothing: on failure they return ERR_INVALID (or
 *    ERR_INTERNAL when out of memory) with e->field naming the item at fault
 *    ("alerts[1].labels") and hand back nothing.
 */
#ifndef ITSM_EVENT_H
#define ITSM_EVENT_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "model/events.h"
#include "lib/err.h"

/* Alertmanager mapping knobs. A NULL config means the defaults. */
struct am_config {
	/* Label names tried in order for the resource; the first present and
	 * non-empty wins. NULL/0 → { "ci", "instance", "job" }. The value of a
	 * label named "instance" loses its ":port" ("[v6]:port" → "v6"). */
	const char *const *resource_labels;
	size_t n_resource_labels;
};

/*
 * itsm's own body: {"source", "resource", "check", "severity", "summary",
 * "dedup_key", "details", "at"}. source, resource, check (1..255 bytes) and
 * severity are required; summary (≤ 1024 bytes) defaults to
 * "CHECK SEVERITY on RESOURCE"; dedup_key defaults to
 * "source::resource::check"; details to {}; at (RFC 3339) to clock_now().
 * Severity ok means action resolve, anything else trigger. On success *ev
 * is filled and the caller frees it with event_release.
 */
int event_parse(const json_t *j, struct event *ev, struct err *e);

/*
 * An Alertmanager webhook: one event per element of "alerts". On success
 * *evs is a malloc'd array of *n events (NULL when the array is empty) the
 * caller frees with event_free_array.
 */
int event_parse_alertmanager(const json_t *j, const struct am_config *cfg, struct event **evs,
			     size_t *n, struct err *e);

/*
 * A PagerDuty Events API v2 event. The routing_key is required but not kept
 * (it is the sender's credential; the API layer checks it). On success *ev is
 * filled and the caller frees it with event_release.
 */
int event_parse_events_v2(const json_t *j, struct event *ev, struct err *e);

/* Replace *key (owned) by its hash when longer than EVENT_DEDUP_MAX. */
int event_dedup_key_limit(char **key, struct err *e);

#endif
