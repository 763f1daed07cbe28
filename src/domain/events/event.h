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

#include "lib/err.h"

#define EVENT_DEDUP_MAX 255
#define EVENT_NAME_MAX 255     /* source, resource, check of itsm's own events */
#define EVENT_SUMMARY_MAX 1024 /* longer foreign summaries are cut (UTF-8 safe) */

enum event_severity { EVENT_OK, EVENT_INFO, EVENT_WARNING, EVENT_CRITICAL };
enum event_action { EVENT_TRIGGER, EVENT_RESOLVE, EVENT_ACKNOWLEDGE };

struct event {
	char *source;    /* owned: "alertmanager", "events-v2" or the sender's */
	char *resource;  /* owned: item key or name; "" when the sender gave none */
	char *check;     /* owned */
	enum event_severity severity;
	char *summary;   /* owned */
	char *dedup_key; /* owned */
	json_t *details; /* owned reference, a JSON object */
	int64_t at;      /* seconds since the epoch */
	enum event_action action;
};

/* Alertmanager mapping knobs. A NULL config means the defaults. */
struct am_config {
	/* Label names tried in order for the resource; the first present and
	 * non-empty wins. NULL/0 → { "ci", "instance", "job" }. The value of a
	 * label named "instance" loses its ":port" ("[v6]:port" → "v6"). */
	const char *const *resource_labels;
	size_t n_resource_labels;
};

/* "ok", "info", "warning", "critical" and back (parse returns 0 or
 * ERR_INVALID; names are matched exactly, lowercase). */
const char *event_severity_name(enum event_severity s);
int event_severity_parse(const char *s, enum event_severity *out);
/* "trigger", "resolve", "acknowledge". */
const char *event_action_name(enum event_action a);

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

/* Free what ev owns and zero it; safe on a zeroed event. */
void event_release(struct event *ev);
/* Release n events and free the array itself. */
void event_free_array(struct event *evs, size_t n);

/* Replace *key (owned) by its hash when longer than EVENT_DEDUP_MAX. */
int event_dedup_key_limit(char **key, struct err *e);

#endif
