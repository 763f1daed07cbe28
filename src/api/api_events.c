/*
 * api_events.c — monitoring intake (itsm's own events, Alertmanager,
 * PagerDuty Events v2), alerts, and checks.
 *
 * Intake answers only once the events are durable (correlate_ingest runs
 * one store_write per request). Overload — more intake requests in flight
 * than INTAKE_MAX_INFLIGHT, or a busy store — is 503 with Retry-After,
 * never a 4xx, since senders such as Alertmanager retry only 5xx; a
 * malformed payload is 400 and nothing of it is stored.
 */
#include "api/handlers.h"
#include "domain/events/check.h"
#include "domain/events/correlate.h"
#include "domain/events/event.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#define INTAKE_MAX_INFLIGHT 2048

static _Atomic int inflight;

static int enter(struct req *r, int src)
{
	if (atomic_fetch_add(&inflight, 1) >= INTAKE_MAX_INFLIGHT) {
		atomic_fetch_sub(&inflight, 1);
		intake_count(src, NULL, 1, ERR_BUSY);
		reply_errorf(r, ERR_BUSY, NULL, "event intake is overloaded: retry later");
		return -1;
	}
	return 0;
}

static void leave(void)
{
	atomic_fetch_sub(&inflight, 1);
}

/* Intake errors: a refusal of the sender's data or rights stays a 4xx; any
 * other failure is a 5xx, which senders retry. */
static void reply_intake_error(struct req *r, struct err *e)
{
	if (e->code != ERR_BUSY && e->code != ERR_INTERNAL && e->code != ERR_FORBIDDEN &&
	    e->code != ERR_INVALID)
		e->code = ERR_INTERNAL;
	reply_error(r, e);
}

/* Store n events; reply with the error or leave the reply to the caller. */
static int ingest(struct req *r, int src, struct event *evs, size_t n,
		  enum correlate_outcome *outcomes)
{
	struct err e = { 0 };
	int rc = correlate_ingest(r->st, &r->actor, evs, n, outcomes, &e);

	intake_count(src, outcomes, n, rc);
	if (rc)
		reply_intake_error(r, &e);
	return rc;
}

static void rejected(struct req *r, int src, const struct err *e)
{
	intake_count(src, NULL, 1, ERR_INVALID);
	reply_error(r, e); /* 400, or 500 when out of memory */
}

/* POST /api/v1/events: one event, or {"events": [...]}. */
void api_events_post(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc;

	if (enter(r, INTAKE_SRC_EVENTS))
		return;
	rc = correlate_ingest_json(r->st, &r->actor, r->json, &out, &e);
	leave();
	if (rc)
		reply_intake_error(r, &e);
	else
		reply_json(r, 202, out);
}

void api_events_alertmanager(struct req *r)
{
	struct event *evs = NULL;
	enum correlate_outcome *outcomes = NULL;
	struct err e = { 0 };
	size_t n = 0;

	if (enter(r, INTAKE_SRC_ALERTMANAGER))
		return;
	if (event_parse_alertmanager(r->json, NULL, &evs, &n, &e)) {
		rejected(r, INTAKE_SRC_ALERTMANAGER, &e);
		goto out;
	}
	if (n > CORRELATE_BATCH_MAX) {
		intake_count(INTAKE_SRC_ALERTMANAGER, NULL, 1, ERR_INVALID);
		reply_errorf(r, ERR_INVALID, "alerts", "more than %d alerts in one notification",
			     CORRELATE_BATCH_MAX);
		goto out;
	}
	outcomes = calloc(n ? n : 1, sizeof(*outcomes));
	if (!outcomes) {
		reply_errorf(r, ERR_BUSY, NULL, "out of memory: retry later");
		goto out;
	}
	if (ingest(r, INTAKE_SRC_ALERTMANAGER, evs, n, outcomes))
		goto out;
	reply_json(r, 200, json_pack("{s:s, s:I}", "status", "success", "stored", (json_int_t)n));
out:
	event_free_array(evs, n);
	free(outcomes);
	leave();
}

void api_events_v2(struct req *r)
{
	struct event ev;
	enum correlate_outcome o;
	struct err e = { 0 };

	memset(&ev, 0, sizeof(ev));
	if (enter(r, INTAKE_SRC_EVENTS_V2))
		return;
	if (event_parse_events_v2(r->json, &ev, &e)) {
		rejected(r, INTAKE_SRC_EVENTS_V2, &e);
		goto out;
	}
	if (ingest(r, INTAKE_SRC_EVENTS_V2, &ev, 1, &o))
		goto out;
	reply_json(r, 202, json_pack("{s:s, s:s, s:s}", "status", "success", "message",
				     "Event processed", "dedup_key", ev.dedup_key));
out:
	event_release(&ev);
	leave();
}

void api_alerts_list(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = correlate_alerts_json(r->st, &r->actor, r->query, &out, &e);

	reply_result(r, rc, 200, out, &e);
}

void api_alerts_get(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	long long id;
	int rc = req_param_id(r, 0, "alert", &id, &e);

	if (!rc)
		rc = correlate_alert_json(r->st, &r->actor, id, &out, &e);

	reply_result(r, rc, 200, out, &e);
}

void api_checks_list(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = check_list_json(r->st, &r->actor, &out, &e);

	reply_result(r, rc, 200, out, &e);
}

void api_check_commands_list(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = check_commands_list_json(r->st, &r->actor, &out, &e);

	reply_result(r, rc, 200, out, &e);
}

void api_checks_create(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = check_create(r->st, &r->actor, r->json, &out, &e);

	reply_result(r, rc, 201, out, &e);
}

void api_checks_get(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = check_get_json(r->st, &r->actor, r->params[0], &out, &e);

	reply_result(r, rc, 200, out, &e);
}

void api_checks_delete(struct req *r)
{
	struct err e = { 0 };
	int rc = check_delete(r->st, &r->actor, r->params[0], &e);

	if (rc) {
		reply_error(r, &e);
		return;
	}
	reply_raw(r, 204, "application/json", "", 0, 0);
}

void api_checks_update(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = check_update(r->st, &r->actor, r->params[0], r->json, &out, &e);

	reply_result(r, rc, 200, out, &e);
}
