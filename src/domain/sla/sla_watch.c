/*
 * sla_watch.c — the watcher: fires SLA warnings and breaches when they fall
 * due, once each, runs the risk register's periodic check (risk_watch.c),
 * and runs the outbox.
 *
 * The queue is ordered by due time: ticket_sla.next_at under a partial
 * index, so a step reads only the clocks due now (an index range from the
 * head), never all tickets. Each step runs in a write transaction that
 * re-reads each clock, fires what is due and not yet fired (the fired bits
 * make it once-only even when two steps race), records the event in the
 * audit log ("sla.warning"/"sla.breach" on entity ticket:KEY) and the
 * ticket's history, queues the escalations' notices in the outbox and
 * applies their group reassignment (the ticket's own group, a new version
 * of it, its OLA following), then plans the clock's next instant. OLA
 * clocks (ticket_ola) are a second queue fired the same way, as "ola.*"
 * events; an OLA's escalations notify, they reassign no group.
 */
#include "domain/desk/ticket.h"
#include "domain/platform/audit.h"
#include "domain/platform/outbox.h"
#include "domain/notify/notify.h"
#include "domain/risk/risk.h"
#include "domain/sla/sla.h"
#include "domain/sla/sla_int.h"
#include "lib/jsonx.h"
#include "lib/log.h"
#include "lib/timeutil.h"
#include "store/store_sla.h"

#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#define STEP_BATCH 200

static const struct {
	int bit;
	const char *clock, *event;
} events[] = {
	{ SLA_FIRED_RESP_WARN, "response", "warning" },
	{ SLA_FIRED_RESP_BREACH, "response", "breach" },
	{ SLA_FIRED_RES_WARN, "resolution", "warning" },
	{ SLA_FIRED_RES_BREACH, "resolution", "breach" },
};

struct step_ctx {
	int64_t now;
	int64_t fired;
	size_t seen;
};

/* Which clocks a step fires: the SLA's (ticket_sla) or the OLA's
 * (ticket_ola), named "sla." or "ola." in the history and the audit. */
struct clock_kind {
	const char *prefix;
	int (*get)(struct store *st, struct store_tx *tx, int64_t ticket_id, struct sla_clock *k,
		   struct err *e);
	int (*put)(struct store_tx *tx, const struct sla_clock *k, struct err *e);
	int (*due)(struct store_tx *tx, int64_t now, int64_t *ids, size_t max, size_t *n,
		   struct err *e);
};

static int fire(struct store_tx *tx, const struct actor *a, struct sla_clock *k,
		struct ticket *t, const struct sla_def *d, int i, int64_t now, const char *prefix,
		struct err *e)
{
	struct store *st = tx->st;
	int bit = events[i].bit;
	int64_t due = bit & (SLA_FIRED_RESP_WARN | SLA_FIRED_RESP_BREACH) ?
			      (bit == SLA_FIRED_RESP_WARN ? k->resp_warn : k->resp_due) :
			      (bit == SLA_FIRED_RES_WARN ? k->res_warn : k->res_due);
	char entity[64], action[32], field[32], at[RFC3339_LEN];
	struct history_entry h = { 0 };
	json_t *change, *payload, *rule, *state;
	size_t j;
	int rc;

	snprintf(entity, sizeof(entity), "ticket:%s", t->key);
	snprintf(action, sizeof(action), "%s.%s", prefix, events[i].event);
	time_format_rfc3339(due, at);
	h.ticket_id = t->id;
	h.at = now;
	snprintf(h.actor, sizeof(h.actor), "%s", a->username);
	snprintf(field, sizeof(field), "%s.%s", prefix, events[i].clock);
	snprintf(h.field, sizeof(h.field), "%s", field);
	h.new_value = (char *)events[i].event;
	if ((rc = st->ops->history_insert(tx, &h, e)))
		return rc;
	payload = json_pack("{s:s, s:s, s:s, s:s, s:i, s:s, s:s, s:s}", "event", action, "ticket",
			    t->key, "title", t->title ? t->title : "", prefix, d->name, "priority",
			    t->priority, "clock", events[i].clock, "due", at, "customer",
			    t->customer);
	jx_set_str(payload, "service", t->service);
	jx_set_time(payload, "at", now);
	json_array_foreach(d->escalations, j, rule)
	{
		const char *on = json_string_value(json_object_get(rule, "on"));
		const char *notify = json_string_value(json_object_get(rule, "notify"));
		const char *group = json_string_value(json_object_get(rule, "reassign_group"));

		if (!on || strcmp(on, events[i].event))
			continue;
		if (notify && (rc = outbox_queue(tx, notify, payload, now, e)))
			break;
		if (group && strcmp(group, t->group) && !strcmp(prefix, "sla")) {
			/* The ticket itself moves to the group (a new version of
			 * it, in its history and, below, in the audit record). */
			struct history_entry g = h;

			snprintf(g.field, sizeof(g.field), "group");
			g.old_value = t->group[0] ? t->group : NULL;
			g.new_value = (char *)group;
			if ((rc = st->ops->history_insert(tx, &g, e)))
				break;
			snprintf(t->group, sizeof(t->group), "%s", group);
			t->updated_at = now;
			t->version++;
			if ((rc = st->ops->ticket_update(tx, t, e)) ||
			    (rc = sla_ola_on_group(tx, a, t, now, e))) /* the OLA follows */
				break;
		}
		if (group)
			snprintf(k->group, sizeof(k->group), "%s", group);
	}
	json_decref(payload);
	if (rc)
		return rc;
	/* Audited with the ticket's state after its new history rows, so
	 * audit_verify holds the ticket against this record. */
	if ((rc = ticket_state_json(st, tx, t, &state, e)))
		return rc;
	change = json_pack("{s:s, s:s, s:s, s:s, s:o}", prefix, d->name, "clock", events[i].clock,
			   "event", events[i].event, "due", at, "after", state);
	rc = audit_append(tx, a, action, entity, change, e);
	json_decref(change);
	if (rc)
		return rc;
	/* The assignee and the members of the ticket's group (the escalation's,
	 * where one reassigned it) hear of it. */
	return notify_ticket(tx, a, strcmp(events[i].event, "warning") ? NOTIFY_SLA_BREACH
									 : NOTIFY_SLA_WARNING,
			     t, NULL, NULL, e);
}

static int fire_clock(struct store_tx *tx, const struct actor *a, const struct clock_kind *ck,
		      int64_t id, int64_t now, int64_t *fired, struct err *e)
{
	struct store *st = tx->st;
	struct sla_clock k;
	struct sla_rec r = { 0 };
	struct sla_def d;
	struct ticket t;
	char ref[24];
	int bits, rc;

	if ((rc = ck->get(st, tx, id, &k, e)))
		return rc == ERR_NOT_FOUND ? 0 : rc; /* no clock: nothing to fire */
	bits = sla_clock_due_events(&k, now);
	if (!bits) {
		/* Nothing left to fire at now: settle what remains due (a warning
		 * overtaken by its breach) and plan the next instant. */
		if (k.fired & SLA_FIRED_RESP_BREACH)
			k.fired |= SLA_FIRED_RESP_WARN;
		if (k.fired & SLA_FIRED_RES_BREACH)
			k.fired |= SLA_FIRED_RES_WARN;
		sla_clock_plan(&k);
		if (k.next_at && k.next_at <= now)
			k.next_at = now + 1;
		return ck->put(tx, &k, e);
	}
	snprintf(ref, sizeof(ref), "%lld", (long long)id);
	if ((rc = st->ops->ticket_get(st, tx, ref, &t, e)))
		return rc;
	if ((rc = st->ops->sla->sla_get(st, tx, k.sla_id, NULL, &r, e)) ||
	    (rc = sla_def_parse(r.body, &d, e))) {
		free(r.body);
		ticket_release(&t);
		return rc;
	}
	free(r.body);
	for (size_t i = 0; i < sizeof(events) / sizeof(events[0]) && !rc; i++)
		if (bits & events[i].bit) {
			rc = fire(tx, a, &k, &t, &d, (int)i, now, ck->prefix, e);
			(*fired)++;
		}
	/* A fired breach settles its warning too. */
	if (bits & SLA_FIRED_RESP_BREACH)
		bits |= SLA_FIRED_RESP_WARN;
	if (bits & SLA_FIRED_RES_BREACH)
		bits |= SLA_FIRED_RES_WARN;
	k.fired |= bits;
	sla_clock_plan(&k);
	if (!rc)
		rc = ck->put(tx, &k, e);
	sla_def_release(&d);
	ticket_release(&t);
	return rc;
}

static int do_step(struct store_tx *tx, void *arg, struct err *e)
{
	struct step_ctx *s = arg;
	int64_t ids[STEP_BATCH];
	struct actor a;
	int rc;

	const struct store_sla_ops *o = tx->st->ops->sla;
	const struct clock_kind kinds[] = {
		{ "sla", o->clock_get, o->clock_put, o->clock_due },
		{ "ola", o->ola_clock_get, o->ola_clock_put, o->ola_clock_due },
	};
	size_t seen = 0;

	actor_system(&a, "sla");
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		size_t n = 0;

		if ((rc = kinds[k].due(tx, s->now, ids, STEP_BATCH, &n, e)))
			return rc;
		for (size_t i = 0; i < n; i++)
			if ((rc = fire_clock(tx, &a, &kinds[k], ids[i], s->now, &s->fired, e)))
				return rc;
		if (n > seen)
			seen = n;
	}
	s->seen = seen;
	return 0;
}

int sla_watch_step(struct store *st, int64_t now, int64_t *fired, struct err *e)
{
	struct step_ctx s = { .now = now };
	int rc, rounds = 0;
	int64_t head = 0;

	*fired = 0;
	/* The queue's head, read without a write: nothing due, no transaction. */
	if ((rc = st->ops->sla->clock_next(st, &head, e)))
		return rc;
	if (!head || head > now) {
		/* The OLAs' queue, read the same way. */
		if ((rc = st->ops->sla->ola_clock_next(st, &head, e)))
			return rc;
		if (!head || head > now)
			return 0;
	}
	do {
		s.seen = 0;
		if ((rc = store_write(st, do_step, &s, e)))
			return rc;
	} while (s.seen == STEP_BATCH && ++rounds < 10000);
	*fired = s.fired;
	return 0;
}

/* ---- the server's thread ---- */

static pthread_t watcher;
static pthread_mutex_t w_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t w_cv = PTHREAD_COND_INITIALIZER;
static int w_running, w_stop;

static void *watch_main(void *arg)
{
	struct store *st = arg;

	pthread_mutex_lock(&w_mu);
	while (!w_stop) {
		struct timespec ts;
		struct err e = { 0 };
		int64_t now = clock_now(), n, sent, failed;

		pthread_mutex_unlock(&w_mu);
		/* With several servers on one store, the leader alone fires
		 * and sends, so each event fires once. */
		if (st->ops->leader(st, "sla")) {
			if (sla_watch_step(st, now, &n, &e))
				log_warn("msg=\"sla watcher step failed\" err=%s", LOG_STR(e.msg));
			else if (n)
				log_info("msg=\"sla events fired\" count=%lld", (long long)n);
			/* The risk register's warnings ride the same leader. */
			if (risk_watch_step(st, now, &n, &e))
				log_warn("msg=\"risk check failed\" err=%s", LOG_STR(e.msg));
			else if (n)
				log_info("msg=\"risk warnings fired\" count=%lld", (long long)n);
			if (outbox_deliver(st, now, &sent, &failed, &e))
				log_warn("msg=\"outbox pass failed\" err=%s", LOG_STR(e.msg));
		}
		pthread_mutex_lock(&w_mu);
		if (w_stop)
			break;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += 1;
		pthread_cond_timedwait(&w_cv, &w_mu, &ts);
	}
	pthread_mutex_unlock(&w_mu);
	return NULL;
}

int sla_watcher_start(struct store *st, struct err *e)
{
	pthread_mutex_lock(&w_mu);
	if (w_running) {
		pthread_mutex_unlock(&w_mu);
		return 0;
	}
	w_stop = 0;
	if (pthread_create(&watcher, NULL, watch_main, st)) {
		pthread_mutex_unlock(&w_mu);
		return err_set(e, ERR_INTERNAL, NULL, "cannot start the sla watcher");
	}
	w_running = 1;
	pthread_mutex_unlock(&w_mu);
	return 0;
}

void sla_watcher_stop(void)
{
	pthread_mutex_lock(&w_mu);
	if (!w_running) {
		pthread_mutex_unlock(&w_mu);
		return;
	}
	w_stop = 1;
	pthread_cond_broadcast(&w_cv);
	pthread_mutex_unlock(&w_mu);
	pthread_join(watcher, NULL);
	w_running = 0;
}

struct sla_watch_config sla_watch_cfg;

int sla_tick_json(struct store *st, const struct actor *a, const json_t *in, json_t **out,
		  struct err *e)
{
	static const char *const fields[] = { "now", NULL };
	int64_t now = clock_now(), fired, risks = 0, sent = 0, failed = 0;
	int rc;

	if (a->role != ROLE_ADMIN && a->role != ROLE_SYSTEM)
		return err_set(e, ERR_FORBIDDEN, NULL, "only admins run the sla watcher by hand");
	if (in && (!json_is_object(in) || (rc = jx_only(in, fields, e)) ||
		   (rc = jx_time(in, "now", JX_OPTIONAL, &now, e)) < 0))
		return json_is_object(in) ? e->code : err_set(e, ERR_INVALID, NULL,
							       "the body must be a JSON object");
	if (in && json_object_get(in, "now") && a->role != ROLE_SYSTEM &&
	    !sla_watch_cfg.allow_clock)
		return err_set(e, ERR_INVALID, "now",
			       "now is only accepted by a server started with --allow-clock");
	if ((rc = sla_watch_step(st, now, &fired, e)) ||
	    (rc = risk_watch_step(st, now, &risks, e)) ||
	    (rc = outbox_deliver(st, now, &sent, &failed, e)))
		return rc;
	*out = json_object();
	jx_set_time(*out, "now", now);
	json_object_set_new(*out, "fired", json_integer(fired));
	json_object_set_new(*out, "risk_warnings", json_integer(risks));
	json_object_set_new(*out, "sent", json_integer(sent));
	json_object_set_new(*out, "failed", json_integer(failed));
	return 0;
}
