/*
 * correlate.c — event intake: one store_write per payload that, for each
 * event, finds its alert by dedup key, applies the rules of
 * correlate_rules.c and writes what they decide: the alert, the event log
 * row, incidents and outages (correlate_ticket.c).
 *
 * The hot path — the same open problem again — reads one alert row and
 * writes it back plus one event row: no ticket is read, no impact analysis
 * runs. Impact analysis (the shared snapshot, cmdb_graph.c) runs only when
 * an incident opens or outages start.
 */
#include "domain/platform/audit.h"
#include "domain/cmdb/cmdb.h"
#include "domain/events/correlate.h"
#include "domain/desk/ticket.h"
#include "lib/buf.h"
#include "lib/jsonx.h"
#include "lib/timeutil.h"
#include "store/store_cmdb.h"

#include <stdlib.h>
#include <string.h>

_Atomic uint64_t intake_counts[INTAKE_SRC__COUNT][CO__COUNT + 2];

void intake_count(int src, const enum correlate_outcome *o, size_t n, int rc)
{
	if (src < 0 || src >= INTAKE_SRC__COUNT)
		return;
	if (rc) {
		atomic_fetch_add(&intake_counts[src][rc == ERR_BUSY ? INTAKE_BUSY : INTAKE_REJECTED],
				 n ? n : 1);
		return;
	}
	for (size_t i = 0; o && i < n; i++)
		if ((unsigned)o[i] < CO__COUNT)
			atomic_fetch_add(&intake_counts[src][o[i]], 1);
}

static char *dup_or_empty(const char *s)
{
	return strdup(s ? s : "");
}

static void push_transition(struct alert *a, int64_t at)
{
	if (a->n_transitions == ALERT_TRANSITIONS_MAX) {
		memmove(a->transitions, a->transitions + 1,
			sizeof(a->transitions[0]) * (ALERT_TRANSITIONS_MAX - 1));
		a->n_transitions--;
	}
	a->transitions[a->n_transitions++] = at;
}

static int set_str(char **dst, const char *src)
{
	char *n = dup_or_empty(src);

	if (!n)
		return ERR_INTERNAL;
	free(*dst);
	*dst = n;
	return 0;
}

/* Start an outage on every service the item's failure reaches, and open or
 * reopen the incident as decided. */
static int open_problem(struct store_tx *tx, const struct actor *a, struct alert *al,
			const struct event *ev, const struct correlate_decision *d,
			struct err *e)
{
	struct store *st = tx->st;
	json_t *services = NULL;
	int64_t n_items = 0;
	char ci_key[64] = "", inc_key[24] = "";
	int rc = 0, open;
	size_t i;

	if (al->ci_id) {
		struct ci c;

		rc = st->ops->cmdb->ci_get(st, tx, al->ci_id, NULL, &c, e);
		if (rc && rc != ERR_NOT_FOUND) /* not found: the item is gone, no key */
			return rc;
		if (!rc) {
			snprintf(ci_key, sizeof(ci_key), "%s", c.key);
			ci_release(&c);
		}
		if ((rc = cmdb_impacted_services(st, al->ci_id, &services, &n_items, e)))
			return rc;
	} else {
		services = json_array();
	}
	if (d->open_incident) {
		rc = correlate_incident_open(tx, a, al, ev, services, n_items, ci_key,
					     &al->incident_id, inc_key, e);
	} else if (d->reopen_incident && al->incident_id) {
		char note[1200];

		snprintf(note, sizeof(note), "Monitoring: the problem is back (%s): %s",
			 event_severity_name(ev->severity), ev->summary);
		rc = correlate_incident_move(tx, a, al->incident_id, ST_IN_PROGRESS, note, e);
	} else if (d->annotate && al->incident_id) {
		char note[1200];

		snprintf(note, sizeof(note), "Monitoring: the problem is back%s: %s",
			 d->flapping ? " (flapping: held as one incident)" : "", ev->summary);
		rc = correlate_incident_note(tx, a, al->incident_id, note, e);
	}
	if (!rc && al->incident_id && !inc_key[0])
		rc = correlate_incident_state(st, tx, al->incident_id, &open, inc_key, e);
	for (i = 0; !rc && d->start_outages && i < json_array_size(services); i++) {
		json_t *s = json_array_get(services, i);

		rc = correlate_outage_start(tx, a, al->id,
					    json_string_value(json_object_get(s, "service")),
					    json_integer_value(json_object_get(s, "id")), ev->at,
					    inc_key[0] ? inc_key : NULL, ci_key[0] ? ci_key : NULL, e);
	}
	json_decref(services);
	return rc;
}

static int close_problem(struct store_tx *tx, const struct actor *a, struct alert *al,
			 const struct event *ev, const struct correlate_decision *d,
			 struct err *e)
{
	char note[1200];
	int rc = 0;

	if (d->end_outages &&
	    (rc = correlate_outage_end(tx, a, al->id, ev->at > al->opened_at ? ev->at : al->opened_at,
				       e)))
		return rc;
	if (!al->incident_id)
		return 0;
	if (d->resolve_incident) {
		snprintf(note, sizeof(note), "Monitoring: recovered (%s): %s", ev->source,
			 ev->summary);
		rc = correlate_incident_move(tx, a, al->incident_id, ST_RESOLVED, note, e);
	} else if (d->annotate) {
		snprintf(note, sizeof(note), "Monitoring: recovered%s: %s",
			 d->flapping ? " (flapping: the incident stays open)"
				     : " (resolve it when confirmed)",
			 ev->summary);
		rc = correlate_incident_note(tx, a, al->incident_id, note, e);
	}
	return rc;
}

static int ingest_one(struct store_tx *tx, const struct actor *a, struct event *ev,
		      enum correlate_outcome *outcome, struct err *e)
{
	struct store *st = tx->st;
	const struct store_cmdb_ops *ops = st->ops->cmdb;
	struct correlate_decision d;
	struct alert al;
	int64_t now = clock_now();
	int found, incident_open = 0, rc;

	memset(&al, 0, sizeof(al));
	rc = ops->alert_get(st, tx, 0, ev->dedup_key, &al, e);
	if (rc && rc != ERR_NOT_FOUND)
		goto out;
	found = rc == 0;
	/* The incident's state matters only off the hot path. */
	if (found && al.incident_id &&
	    !(ev->action == EVENT_TRIGGER && al.open &&
	      (al.severity == EVENT_CRITICAL || ev->severity != EVENT_CRITICAL)) &&
	    ev->at >= al.last_at &&
	    (rc = correlate_incident_state(st, tx, al.incident_id, &incident_open, NULL, e)))
		goto out;
	correlate_decide(found ? &al : NULL, incident_open, ev, &correlate_cfg, &d);
	*outcome = d.outcome;
	if (!found) {
		al.dedup_key = dup_or_empty(ev->dedup_key);
		al.source = dup_or_empty(ev->source);
		al.resource = dup_or_empty(ev->resource);
		al.check_name = dup_or_empty(ev->check);
		al.summary = dup_or_empty(ev->summary);
		if (!al.dedup_key || !al.source || !al.resource || !al.check_name || !al.summary) {
			rc = err_set(e, ERR_INTERNAL, NULL, "out of memory");
			goto out;
		}
		if ((rc = ops->ci_resolve(st, tx, ev->resource, &al.ci_id, e)))
			goto out;
		al.severity = ev->severity;
		al.first_seen = now;
		al.last_at = ev->at;
		if ((rc = ops->alert_insert(tx, &al, e)))
			goto out;
	}
	al.count++;
	al.last_seen = now;
	if (d.outcome != CO_OUT_OF_ORDER) {
		al.last_at = ev->at;
		if ((rc = set_str(&al.summary, ev->summary)))
			goto oom;
		if (ev->action == EVENT_TRIGGER)
			al.severity = ev->severity;
		if (!al.ci_id && ev->resource[0] &&
		    (rc = ops->ci_resolve(st, tx, ev->resource, &al.ci_id, e)))
			goto out;
	}
	al.flapping = d.flapping;
	switch (d.outcome) {
	case CO_OPENED:
	case CO_REOPENED:
		al.open = 1;
		al.opened_at = ev->at;
		al.closed_at = 0;
		push_transition(&al, ev->at);
		rc = open_problem(tx, a, &al, ev, &d, e);
		break;
	case CO_ESCALATED:
		rc = open_problem(tx, a, &al, ev, &d, e);
		break;
	case CO_RESOLVED:
		rc = close_problem(tx, a, &al, ev, &d, e);
		al.open = 0;
		al.closed_at = ev->at;
		al.severity = EVENT_OK;
		push_transition(&al, ev->at);
		break;
	default:
		break;
	}
	if (rc)
		goto out;
	if ((rc = ops->event_insert(tx, al.id, now, ev, correlate_outcome_name(d.outcome), e)))
		goto out;
	rc = ops->alert_update(tx, &al, e);
	goto out;
oom:
	rc = err_set(e, ERR_INTERNAL, NULL, "out of memory");
out:
	alert_release(&al);
	return rc;
}

int correlate_ingest_tx(struct store_tx *tx, const struct actor *a, struct event *evs, size_t n,
			enum correlate_outcome *outcomes, struct err *e)
{
	for (size_t i = 0; i < n; i++) {
		enum correlate_outcome o;
		int rc = ingest_one(tx, a, &evs[i], &o, e);

		if (rc)
			return rc;
		if (outcomes)
			outcomes[i] = o;
	}
	return 0;
}

struct ingest_ctx {
	const struct actor *a;
	struct event *evs;
	size_t n;
	enum correlate_outcome *outcomes;
};

static int do_ingest(struct store_tx *tx, void *arg, struct err *e)
{
	struct ingest_ctx *c = arg;

	return correlate_ingest_tx(tx, c->a, c->evs, c->n, c->outcomes, e);
}

int correlate_ingest(struct store *st, const struct actor *a, struct event *evs, size_t n,
		     enum correlate_outcome *outcomes, struct err *e)
{
	struct actor monitoring;
	struct ingest_ctx c = { &monitoring, evs, n, outcomes };

	/* Events come from staff and their integrations (tokens scoped to
	 * intake). A scope only narrows what its user may do: a requester's
	 * intake token sends nothing. What correlation then writes (incidents,
	 * notes, outages) is done by monitoring on the sender's behalf: the
	 * audit log names the sender, the permissions are the system's. */
	if (!actor_is_staff(a))
		return err_set(e, ERR_FORBIDDEN, NULL, "requesters cannot send monitoring events");
	monitoring = *a;
	monitoring.role = ROLE_SYSTEM;
	monitoring.scope_events = 0;
	monitoring.customer_id = 0;
	if (!n)
		return 0;
	return store_write(st, do_ingest, &c, e);
}

int correlate_ingest_json(struct store *st, const struct actor *a, const json_t *body,
			  json_t **out, struct err *e)
{
	json_t *list = json_object_get(body, "events");
	int batch = json_is_array(list), rc = 0;
	size_t n = batch ? json_array_size(list) : 1, i;
	enum correlate_outcome *outcomes = NULL;
	struct event *evs = NULL;

	if (batch && (n == 0 || n > CORRELATE_BATCH_MAX || json_object_size(body) != 1)) {
		intake_count(INTAKE_SRC_EVENTS, NULL, 1, ERR_INVALID);
		return err_set(e, ERR_INVALID, "events",
			       "send 1 to %d events in 'events' and nothing else", CORRELATE_BATCH_MAX);
	}
	evs = calloc(n, sizeof(*evs));
	outcomes = calloc(n, sizeof(*outcomes));
	if (!evs || !outcomes) {
		rc = err_set(e, ERR_BUSY, NULL, "out of memory: retry later");
		goto out;
	}
	/* All or nothing: one bad event refuses the payload, named by place. */
	for (i = 0; i < n; i++) {
		rc = event_parse(batch ? json_array_get(list, i) : body, &evs[i], e);
		if (rc) {
			if (batch) {
				char f[sizeof(e->field) + 32];

				snprintf(f, sizeof(f), "events[%zu].%s", i, e->field);
				memcpy(e->field, f, sizeof(e->field) - 1);
				e->field[sizeof(e->field) - 1] = '\0';
			}
			intake_count(INTAKE_SRC_EVENTS, NULL, 1, ERR_INVALID);
			goto out;
		}
	}
	rc = correlate_ingest(st, a, evs, n, outcomes, e);
	intake_count(INTAKE_SRC_EVENTS, outcomes, n, rc);
	if (rc)
		goto out;
	if (batch) {
		json_t *items = json_array();

		for (i = 0; i < n; i++)
			json_array_append_new(items, json_pack("{s:s, s:s}", "dedup_key",
							       evs[i].dedup_key, "outcome",
							       correlate_outcome_name(outcomes[i])));
		*out = json_pack("{s:s, s:o}", "status", "stored", "items", items);
	} else {
		*out = json_pack("{s:s, s:s, s:s}", "status", "stored", "dedup_key",
				 evs[0].dedup_key, "outcome", correlate_outcome_name(outcomes[0]));
	}
out:
	if (evs)
		event_free_array(evs, n);
	free(outcomes);
	return rc;
}

/* ---- reading alerts ---- */

int correlate_alerts_json(struct store *st, const struct actor *a, const json_t *q, json_t **out,
			  struct err *e)
{
	const char *s;
	int state = -1, rc;
	int64_t after = 0, limit = 50;
	json_t *items;

	if (a->scope_events || !actor_is_staff(a))
		return err_set(e, ERR_FORBIDDEN, NULL, "only staff read alerts");
	if ((s = jx_qstr(q, "state"))) {
		if (!strcmp(s, "open"))
			state = 1;
		else if (!strcmp(s, "closed"))
			state = 0;
		else
			return err_set(e, ERR_INVALID, "state", "unknown state '%s' (open, closed)", s);
	}
	if ((rc = jx_qint(q, "limit", 1, 500, &limit, e)) < 0 ||
	    (rc = jx_qint(q, "cursor", 1, INT64_MAX, &after, e)) < 0)
		return rc;
	if ((rc = st->ops->cmdb->alert_list(st, state, after, limit, &items, e)))
		return rc;
	*out = json_object();
	if ((int)json_array_size(items) == limit) {
		char cur[24];

		snprintf(cur, sizeof(cur), "%lld",
			 (long long)json_integer_value(
				 json_object_get(json_array_get(items, limit - 1), "id")));
		json_object_set_new(*out, "next_cursor", json_string(cur));
	} else {
		json_object_set_new(*out, "next_cursor", json_null());
	}
	json_object_set_new(*out, "items", items);
	return 0;
}

int correlate_alert_json(struct store *st, const struct actor *a, int64_t id, json_t **out,
			 struct err *e)
{
	json_t *items, *events, *outages, *j;
	int rc;

	if (a->scope_events || !actor_is_staff(a))
		return err_set(e, ERR_FORBIDDEN, NULL, "only staff read alerts");
	if ((rc = st->ops->cmdb->alert_list(st, -1, id - 1, 1, &items, e)))
		return rc;
	j = json_array_get(items, 0);
	if (!j || json_integer_value(json_object_get(j, "id")) != id) {
		json_decref(items);
		return err_set(e, ERR_NOT_FOUND, NULL, "alert %lld not found", (long long)id);
	}
	json_incref(j);
	json_decref(items);
	if ((rc = st->ops->cmdb->event_list(st, id, 100, &events, e))) {
		json_decref(j);
		return rc;
	}
	json_object_set_new(j, "events", events);
	if ((rc = st->ops->cmdb->outage_list(st, id, &outages, e))) {
		json_decref(j);
		return rc;
	}
	json_object_set_new(j, "outages", outages);
	*out = j;
	return 0;
}

/* ---- retention ---- */

struct prune_ctx {
	const struct actor *a;
	int64_t before, events, points;
};

static int do_prune(struct store_tx *tx, void *arg, struct err *e)
{
	struct prune_ctx *p = arg;
	json_t *change;
	int rc = tx->st->ops->cmdb->prune(tx, p->before, &p->events, &p->points, e);

	if (rc)
		return rc;
	change = json_pack("{s:I, s:I, s:I}", "before", (json_int_t)p->before, "events",
			   (json_int_t)p->events, "points", (json_int_t)p->points);
	rc = audit_append(tx, p->a, "events.prune", "events", change, e);
	json_decref(change);
	return rc;
}

int correlate_prune(struct store *st, const struct actor *a, int days, json_t **out,
		    struct err *e)
{
	struct prune_ctx p = { .a = a };
	char at[RFC3339_LEN];
	int rc;

	if (a->role != ROLE_ADMIN && a->role != ROLE_SYSTEM)
		return err_set(e, ERR_FORBIDDEN, NULL, "only admins prune the event log");
	if (days < 1 || days > 36500)
		return err_set(e, ERR_INVALID, "days", "keep 1 to 36500 days, not %d", days);
	p.before = clock_now() - (int64_t)days * 86400;
	if ((rc = store_write(st, do_prune, &p, e)))
		return rc;
	time_format_rfc3339(p.before, at);
	*out = json_pack("{s:I, s:I, s:s}", "events", (json_int_t)p.events, "points",
			 (json_int_t)p.points, "before", at);
	return 0;
}
