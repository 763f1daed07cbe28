/*
 * correlate.h — event intake: turning normalised monitoring events
 * (domain/event.h) into alerts, incidents and outages.
 *
 * Invariants:
 *  - one alert per dedup key for its whole life; events with the key update
 *    it (count, last seen, latest summary) instead of opening anything new;
 *  - a whole payload (one HTTP request, one check result) is correlated in
 *    one store_write: acknowledged only once durable, all or nothing;
 *  - an event older than the newest one seen for its key (`at`) changes no
 *    state: it is counted and recorded as out_of_order;
 *  - a critical event on a closed alert opens (or, inside the flap window,
 *    reopens) one incident on the affected item with priority from the
 *    item's impact and the severity, links the services the impact analysis
 *    finds, and starts an unplanned outage on each; the matching ok/resolve
 *    closes the outages and resolves the incident with a note (or only
 *    annotates it: correlate_config.resolve_incidents = 0);
 *  - an alert that opened and closed flap_cycles times within flap_window_s
 *    is flapping: its incident stays open (annotated) across the cycles.
 *
 * The decision for one event is a pure function (correlate_decide) over the
 * alert's state, so the rules are tested without a store.
 */
#ifndef ITSM_CORRELATE_H
#define ITSM_CORRELATE_H

#include <jansson.h>
#include <stdatomic.h>
#include <stdint.h>

#include "domain/platform/actor.h"
#include "domain/events/event.h"
#include "model/desk.h"
#include "lib/err.h"

struct store;
struct store_tx;

struct correlate_config {
	int resolve_incidents; /* 1: ok resolves the incident; 0: annotate only */
	int flap_cycles;       /* opens+closes within the window that mean flapping */
	int64_t flap_window_s;
	int64_t reopen_window_s; /* a new problem this soon after a resolve reopens */
};

extern struct correlate_config correlate_cfg; /* defaults: 1, 6, 3600, 3600 */

/* What correlation does with one event. */
enum correlate_outcome {
	CO_OPENED,       /* new problem: alert open, incident + outages when critical */
	CO_REOPENED,     /* a closed alert's problem is back: its incident reopened */
	CO_DEDUPLICATED, /* the same open problem again: counted */
	CO_ESCALATED,    /* an open warning became critical: incident + outages now */
	CO_RESOLVED,     /* ok/resolve: outages closed, incident resolved/annotated */
	CO_RECORDED,     /* nothing to open or close (info/warning, ack, ok on closed) */
	CO_OUT_OF_ORDER, /* older than the newest event seen: state untouched */
	CO__COUNT
};

const char *correlate_outcome_name(enum correlate_outcome o);

struct correlate_decision {
	enum correlate_outcome outcome;
	int open_incident;    /* create an incident (none open for this alert) */
	int reopen_incident;  /* reopen the alert's resolved incident */
	int resolve_incident; /* resolve it (else annotate when annotate is set) */
	int annotate;         /* add a note to the incident */
	int start_outages, end_outages;
	int flapping;         /* the alert's flapping flag after this event */
};

/* The rules. a == NULL: no alert for the key yet. `incident_open`: the
 * alert's incident exists and is not resolved/closed. Updates nothing. */
void correlate_decide(const struct alert *a, int incident_open, const struct event *ev,
		      const struct correlate_config *cfg, struct correlate_decision *d);
/* Count the transitions of a within [now - window, now]. */
int correlate_recent_transitions(const struct alert *a, int64_t now, int64_t window);
/* Incident priority parts: impact 1-3 from what a failure of the item
 * reaches, urgency 1-3 from the severity. */
int correlate_impact_level(int64_t services, int64_t items);
int correlate_urgency(enum event_severity s);

/* Correlate n events in one write. outcomes (may be NULL) receives one per
 * event. Returns 0, or ERR_FORBIDDEN (a requester, whatever the token's
 * scope), ERR_BUSY / ERR_INTERNAL with nothing stored. */
int correlate_ingest(struct store *st, const struct actor *a, struct event *evs, size_t n,
		     enum correlate_outcome *outcomes, struct err *e);
/* The same inside a write the caller runs (the check scheduler). */
int correlate_ingest_tx(struct store_tx *tx, const struct actor *a, struct event *evs, size_t n,
			enum correlate_outcome *outcomes, struct err *e);

/* Retention: delete the event log rows and metric points older than
 * `days` days (alerts, incidents and outages stay). Admins and the system.
 * *out = {"events": n, "points": m, "before": RFC 3339}. */
int correlate_prune(struct store *st, const struct actor *a, int days, json_t **out,
		    struct err *e);

/* Alerts: GET /api/v1/alerts?state=open|closed, GET /api/v1/alerts/{id}. */
int correlate_alerts_json(struct store *st, const struct actor *a, const json_t *query,
			  json_t **out, struct err *e);
int correlate_alert_json(struct store *st, const struct actor *a, int64_t id, json_t **out,
			 struct err *e);

/* ---- intake counters for /metrics ---- */
enum { INTAKE_SRC_EVENTS, INTAKE_SRC_ALERTMANAGER, INTAKE_SRC_EVENTS_V2, INTAKE_SRC_CHECKS,
       INTAKE_SRC__COUNT };
extern _Atomic uint64_t intake_counts[INTAKE_SRC__COUNT][CO__COUNT + 2]; /* +rejected, +busy */
#define INTAKE_REJECTED CO__COUNT
#define INTAKE_BUSY (CO__COUNT + 1)
void intake_count(int src, const enum correlate_outcome *o, size_t n, int rc);

/* itsm's own intake (POST /api/v1/events, itsm event send): one event, or
 * {"events": [1..CORRELATE_BATCH_MAX]}, parsed all or nothing (an error
 * names "events[i].field"), stored, counted, and answered as
 * {"status":"stored","dedup_key","outcome"} or {"status","items":[…]}. */
#define CORRELATE_BATCH_MAX 1000
int correlate_ingest_json(struct store *st, const struct actor *a, const json_t *body,
			  json_t **out, struct err *e);
/* Append the Prometheus lines of the intake, the checks and open incidents. */
struct buf;
void correlate_metrics(struct store *st, struct buf *b);

/* ---- incidents (correlate_ticket.c): opened, moved and annotated through
 * the service desk's own operations inside the caller's write. open writes
 * the new incident's id and key (char[24]); state reads whether it is open
 * (and its key, when key is not NULL). ---- */
int correlate_incident_open(struct store_tx *tx, const struct actor *a, const struct alert *al,
			    const struct event *ev, const json_t *services, int64_t n_items,
			    const char *ci_key, int64_t *id, char *key, struct err *e);
int correlate_incident_move(struct store_tx *tx, const struct actor *a, int64_t id,
			    enum ticket_status to, const char *note, struct err *e);
int correlate_incident_note(struct store_tx *tx, const struct actor *a, int64_t id,
			    const char *note, struct err *e);
int correlate_incident_state(struct store *st, struct store_tx *tx, int64_t id, int *open,
			     char *key, struct err *e);

/* ---- outages (correlate_ticket.c): the one place that reaches the SLA
 * module's outage records ---- */
int correlate_outage_start(struct store_tx *tx, const struct actor *a, int64_t alert_id,
			   const char *service, int64_t service_ci, int64_t start,
			   const char *incident_key, const char *ci_key, struct err *e);
int correlate_outage_end(struct store_tx *tx, const struct actor *a, int64_t alert_id,
			 int64_t end, struct err *e);

#endif
