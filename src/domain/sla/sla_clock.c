/*
 * sla_clock.c — the SLA clocks of a ticket.
 *
 * Two clocks run in the business time of the SLA's calendar:
 *  - response: from creation until the first public comment by staff or the
 *    move to in_progress (or resolved), whichever comes first;
 *  - resolution: from creation until resolved; paused while pending (the
 *    business time spent is kept in res_spent), resumed on leaving pending
 *    and on a reopen (resolved → in_progress) with the time already spent.
 * A priority change keeps the time spent and applies the new targets: the
 * dues are recomputed from the clock's start (response) or from the last
 * restart with the spent time deducted (resolution). Cancelling stops both
 * clocks without a verdict.
 *
 * A clock computes with the terms of the SLA version it started under
 * (sla_version, kept in sla_versions): a renegotiated SLA applies to tickets
 * opened after the change, never to a clock already running.
 *
 * Invariant: next_at is the earliest warning or breach instant of a running
 * clock that has not fired yet (0: none); the watcher's queue is ordered by
 * it. The pure functions here know nothing of the store; the hooks at the
 * end load, move and store a ticket's clocks inside the ticket's write.
 */
#include "domain/desk/ticket.h"
#include "domain/sla/calendar.h"
#include "domain/sla/sla.h"
#include "domain/sla/sla_int.h"
#include "lib/jsonx.h"
#include "lib/timeutil.h"
#include "store/store_sla.h"

#include <math.h>
#include <stdlib.h>

static int64_t due_or_never(const struct calendar *c, int64_t from, int64_t seconds)
{
	int64_t d = calendar_due(c, from, seconds);

	return d == INT64_MAX ? 0 : d;
}

static int64_t part(int64_t target, int permille)
{
	return target * permille / 1000;
}

static void plan_response(struct sla_clock *k, const struct calendar *c)
{
	k->resp_due = due_or_never(c, k->started_at, k->resp_target);
	k->resp_warn = due_or_never(c, k->started_at, part(k->resp_target, k->warn_permille));
}

static void plan_resolution(struct sla_clock *k, const struct calendar *c)
{
	if (!k->run_from)
		return;
	k->res_due = due_or_never(c, k->run_from, k->res_target - k->res_spent);
	k->res_warn = due_or_never(c, k->run_from,
				   part(k->res_target, k->warn_permille) - k->res_spent);
}

static void consider(int64_t *next, int64_t at)
{
	if (at && (!*next || at < *next))
		*next = at;
}

void sla_clock_plan(struct sla_clock *k)
{
	int64_t next = 0;

	if (!k->resp_stopped) {
		if (!(k->fired & SLA_FIRED_RESP_WARN))
			consider(&next, k->resp_warn);
		if (!(k->fired & SLA_FIRED_RESP_BREACH))
			consider(&next, k->resp_due);
	}
	if (k->run_from) {
		if (!(k->fired & SLA_FIRED_RES_WARN))
			consider(&next, k->res_warn);
		if (!(k->fired & SLA_FIRED_RES_BREACH))
			consider(&next, k->res_due);
	}
	k->next_at = next;
}

int sla_clock_due_events(const struct sla_clock *k, int64_t now)
{
	int bits = 0;

	if (!k->resp_stopped) {
		if (k->resp_warn && k->resp_warn <= now)
			bits |= SLA_FIRED_RESP_WARN;
		if (k->resp_due && k->resp_due <= now)
			bits |= SLA_FIRED_RESP_BREACH;
	}
	if (k->run_from) {
		if (k->res_warn && k->res_warn <= now)
			bits |= SLA_FIRED_RES_WARN;
		if (k->res_due && k->res_due <= now)
			bits |= SLA_FIRED_RES_BREACH;
	}
	/* A breach makes its own warning moot. */
	if (bits & SLA_FIRED_RESP_BREACH)
		bits &= ~SLA_FIRED_RESP_WARN;
	if (bits & SLA_FIRED_RES_BREACH)
		bits &= ~SLA_FIRED_RES_WARN;
	return bits & ~k->fired;
}

void sla_clock_start(struct sla_clock *k, const struct sla_def *d, const struct calendar *c,
		     int priority, int64_t at)
{
	int p = priority < 1 ? 1 : priority > SLA_PRIORITIES ? SLA_PRIORITIES : priority;

	memset(k, 0, sizeof(*k));
	k->sla_id = d->id;
	k->sla_version = d->version;
	k->priority = p;
	k->resp_target = d->resp_target[p];
	k->res_target = d->res_target[p];
	k->warn_permille = (int)lround(d->warn_at * 1000);
	k->started_at = at;
	k->resp_met = k->res_met = -1;
	k->run_from = at;
	plan_response(k, c);
	plan_resolution(k, c);
	sla_clock_plan(k);
}

void sla_clock_respond(struct sla_clock *k, int64_t at)
{
	if (k->resp_stopped)
		return;
	k->resp_stopped = at;
	k->resp_met = !k->resp_due || at <= k->resp_due;
	sla_clock_plan(k);
}

static void stop_resolution(struct sla_clock *k, const struct calendar *c, int64_t at)
{
	if (k->run_from) {
		k->res_spent += calendar_elapsed(c, k->run_from, at);
		k->run_from = 0;
	}
	k->paused = 0;
}

void sla_clock_move(struct sla_clock *k, const struct calendar *c, enum ticket_status from,
		    enum ticket_status to, int64_t at)
{
	if (from == to)
		return;
	if (to == ST_IN_PROGRESS || to == ST_RESOLVED)
		sla_clock_respond(k, at);
	if (to == ST_RESOLVED) {
		stop_resolution(k, c, at);
		k->res_stopped = at;
		k->res_met = k->res_spent <= k->res_target;
	} else if (to == ST_CANCELLED || to == ST_CLOSED) {
		if (!k->res_stopped)
			stop_resolution(k, c, at);
		if (!k->resp_stopped)
			k->resp_stopped = at; /* stopped without a verdict */
	} else if (to == ST_PENDING) {
		if (k->run_from) {
			stop_resolution(k, c, at);
			k->paused = 1;
		}
	} else if (from == ST_PENDING || from == ST_RESOLVED) {
		/* Leaving pending resumes; a reopen resumes with the time spent. */
		k->res_stopped = 0;
		k->res_met = -1;
		k->paused = 0;
		k->run_from = at;
		plan_resolution(k, c);
	}
	sla_clock_plan(k);
}

void sla_clock_hand_over(struct sla_clock *k, const struct calendar *c, int64_t at)
{
	if (!k->resp_stopped) {
		k->resp_stopped = at;
		k->resp_met = k->resp_due && at > k->resp_due ? 0 : -1;
	}
	if (!k->res_stopped && (k->run_from || k->paused)) {
		stop_resolution(k, c, at);
		k->res_stopped = at;
		k->res_met = k->res_spent > k->res_target ? 0 : -1;
	}
	k->next_at = 0;
}

void sla_clock_carry(struct sla_clock *k, const struct calendar *c, int64_t spent)
{
	k->res_spent = spent;
	plan_resolution(k, c);
	sla_clock_plan(k);
}

void sla_clock_reprioritize(struct sla_clock *k, const struct sla_def *d,
			    const struct calendar *c, int priority)
{
	int p = priority < 1 ? 1 : priority > SLA_PRIORITIES ? SLA_PRIORITIES : priority;

	k->priority = p;
	k->resp_target = d->resp_target[p];
	k->res_target = d->res_target[p];
	if (!k->resp_stopped)
		plan_response(k, c);
	plan_resolution(k, c);
	sla_clock_plan(k);
}

static void set_met(json_t *j, const char *key, int met)
{
	json_object_set_new(j, key, met < 0 ? json_null() : json_boolean(met));
}

json_t *sla_clock_to_json(const struct sla_clock *k, const char *sla_name, int64_t now)
{
	json_t *j = json_object();
	int resp_running = !k->resp_stopped, res_running = k->run_from != 0;
	int breached, warning;

	breached = k->resp_met == 0 || k->res_met == 0 ||
		   (k->fired & (SLA_FIRED_RESP_BREACH | SLA_FIRED_RES_BREACH)) ||
		   (resp_running && k->resp_due && now > k->resp_due) ||
		   (res_running && k->res_due && now > k->res_due);
	warning = !breached && ((resp_running && k->resp_warn && now >= k->resp_warn) ||
				(res_running && k->res_warn && now >= k->res_warn));
	json_object_set_new(j, "name", json_string(sla_name));
	json_object_set_new(j, "version", json_integer(k->sla_version));
	jx_set_time(j, "response_due", k->resp_due);
	jx_set_time(j, "resolution_due", k->paused ? 0 : k->res_due);
	set_met(j, "response_met", k->resp_met);
	set_met(j, "resolution_met", k->res_met);
	json_object_set_new(j, "paused", json_boolean(k->paused));
	json_object_set_new(j, "warning", json_boolean(warning));
	json_object_set_new(j, "breached", json_boolean(breached));
	jx_set_str(j, "group", k->group[0] ? k->group : NULL);
	return j;
}

/* ---- hooks: inside the ticket's write ---- */

int sla_load_def(struct store *st, struct store_tx *tx, int64_t sla_id, int64_t version,
		 struct sla_def *d, const struct calendar **c, struct err *e)
{
	char *body = NULL;
	int rc;

	if ((rc = st->ops->sla->sla_version_body(st, tx, sla_id, version, &body, e)))
		return err_absent(e, rc, ERR_INTERNAL, NULL,
				  "store: sla %lld has no version %lld", (long long)sla_id,
				  (long long)version);
	rc = sla_def_parse(body, d, e);
	free(body);
	if (rc)
		return rc;
	d->id = sla_id;
	d->version = version;
	if ((rc = sla_calendar_load(st, tx, d->calendar, NULL, c, e)))
		sla_def_release(d);
	return rc;
}

static int attach(struct store_tx *tx, const struct actor *a, const struct ticket *t, int late,
		  struct history_digest *history, struct err *e);

int sla_clock_on_create(struct store_tx *tx, const struct actor *a, const struct ticket *t,
			struct history_digest *history, struct err *e)
{
	return attach(tx, a, t, 0, history, e);
}

/* A ticket that gets its customer or service (or whose pair gets an SLA)
 * only later: the SLA applies from then on, its clocks counted from the
 * ticket's creation (the customer has waited since), a response already
 * given (in_progress, pending) taken as given now, a pending ticket
 * paused. Resolved and closed tickets are left alone. */
static int attach_late(struct store_tx *tx, const struct actor *a, const struct ticket *t,
		       struct err *e)
{
	if (t->status == ST_RESOLVED || ticket_status_is_terminal(t->status))
		return 0;
	return attach(tx, a, t, 1, NULL, e);
}

static int attach(struct store_tx *tx, const struct actor *a, const struct ticket *t, int late,
		  struct history_digest *history, struct err *e)
{
	struct store *st = tx->st;
	struct sla_rec r = { 0 };
	struct sla_def d;
	const struct calendar *c;
	struct sla_clock k;
	struct history_entry h = { 0 };
	int rc;

	if (!t->customer_id || !t->service[0])
		return 0;
	if ((rc = st->ops->sla->sla_find(st, tx, t->customer_id, t->service, &r, e)))
		return rc == ERR_NOT_FOUND ? 0 : rc; /* no agreement: no clock */
	free(r.body);
	if ((rc = sla_load_def(st, tx, r.id, r.version, &d, &c, e)))
		return rc;
	sla_clock_start(&k, &d, c, t->priority, t->created_at);
	sla_def_release(&d);
	k.ticket_id = t->id;
	if (t->status == ST_IN_PROGRESS || t->status == ST_PENDING)
		sla_clock_respond(&k, late ? t->updated_at : t->created_at);
	if (t->status == ST_PENDING)
		sla_clock_move(&k, c, ST_IN_PROGRESS, ST_PENDING, t->updated_at);
	if ((rc = st->ops->sla->clock_put(tx, &k, e)))
		return rc;
	h.ticket_id = t->id;
	h.at = late ? t->updated_at : t->created_at;
	h.actor_id = a->user_id;
	snprintf(h.actor, sizeof(h.actor), "%s", a->username[0] ? a->username : "system");
	snprintf(h.field, sizeof(h.field), "sla");
	h.new_value = r.name;
	if ((rc = st->ops->history_insert(tx, &h, e)))
		return rc;
	if (history)
		history_digest_add(history, &h);
	return 0;
}

int sla_clock_on_update(struct store_tx *tx, const struct actor *a, const struct ticket *t,
			enum ticket_status old_status, int old_priority, struct err *e)
{
	struct store *st = tx->st;
	struct sla_clock k;
	int moved, rc;

	if ((rc = st->ops->sla->clock_get(st, tx, t->id, &k, e)))
		return rc == ERR_NOT_FOUND ? attach_late(tx, a, t, e) : rc;
	if ((rc = sla_clock_follow(st, tx, &k, t, (int)old_status, old_priority, &moved, e)) ||
	    !moved)
		return rc;
	return st->ops->sla->clock_put(tx, &k, e);
}

int sla_clock_follow(struct store *st, struct store_tx *tx, struct sla_clock *k,
		     const struct ticket *t, int old_status, int old_priority, int *moved,
		     struct err *e)
{
	struct sla_def d;
	const struct calendar *c;
	int rc;

	*moved = 0;
	if ((int)t->status == old_status && t->priority == old_priority)
		return 0;
	if ((rc = sla_load_def(st, tx, k->sla_id, k->sla_version, &d, &c, e)))
		return rc;
	if (old_priority != t->priority)
		sla_clock_reprioritize(k, &d, c, t->priority);
	sla_def_release(&d);
	sla_clock_move(k, c, (enum ticket_status)old_status, t->status, t->updated_at);
	*moved = 1;
	return 0;
}

int sla_clock_on_comment(struct store_tx *tx, const struct actor *a, const struct ticket *t,
			 int public_comment, int64_t at, struct err *e)
{
	struct store *st = tx->st;
	struct sla_clock k;
	int rc;

	if (!public_comment || !actor_is_staff(a))
		return 0;
	if ((rc = st->ops->sla->clock_get(st, tx, t->id, &k, e)))
		return rc == ERR_NOT_FOUND ? 0 : rc; /* no clock to stop */
	if (k.resp_stopped)
		return 0;
	sla_clock_respond(&k, at);
	return st->ops->sla->clock_put(tx, &k, e);
}

int ticket_sla_json(struct store *st, struct store_tx *tx, const struct ticket *t, json_t **out,
		    struct err *e)
{
	struct sla_clock k;
	char name[64];
	int rc;

	*out = json_null();
	if (!st->ops->sla)
		return 0;
	if ((rc = st->ops->sla->clock_get_named(st, tx, t->id, &k, name, sizeof(name), e)))
		return rc == ERR_NOT_FOUND ? 0 : rc; /* no SLA: null */
	if (!(*out = sla_clock_to_json(&k, name, clock_now())))
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	return 0;
}
