/*
 * sla_ola.c — OLA clocks: the operational level agreement of the group
 * holding a ticket (group × service, kind "ola") runs beside the SLA's
 * clock, with the same arithmetic (sla_clock.c) on a row of ticket_ola.
 *
 * Invariants:
 *  - a ticket has at most one OLA clock: that of the group holding it;
 *  - the clock starts when the ticket first has a group and a service that
 *    an active OLA covers — at its creation, or at the update or the
 *    escalation that gives it them — counted from that instant (the OLA
 *    measures the group's own time with the ticket);
 *  - a change of group (or service) ends the old group's clock, stopped
 *    at the change and kept in ticket_ola_past, which the report counts:
 *    a group that held the ticket past its OLA and passed it on has
 *    missed it; one that passed it on in time gets no verdict — and
 *    starts the new group's OLA, if it has one, from the change, resuming
 *    the resolution time of that group's last in-time hold of the ticket
 *    under the same OLA (so passing it to and fro sets nothing back); a
 *    field-history row "ola" names the OLA started ("" when none follows);
 *  - status moves, priority changes and the first public staff reply move
 *    it exactly as they move the SLA's clock.
 */
#include "domain/desk/ticket.h"
#include "domain/sla/calendar.h"
#include "domain/sla/sla.h"
#include "domain/sla/sla_int.h"
#include "lib/timeutil.h"
#include "store/store_sla.h"

#include <stdlib.h>
#include <string.h>

static int ola_history(struct store_tx *tx, const struct actor *a, const struct ticket *t,
		       int64_t at, const char *old_name, const char *name,
		       struct history_digest *history, struct err *e)
{
	struct history_entry h = { 0 };
	int rc;

	h.ticket_id = t->id;
	h.at = at;
	h.actor_id = a->user_id;
	snprintf(h.actor, sizeof(h.actor), "%s", a->username[0] ? a->username : "system");
	snprintf(h.field, sizeof(h.field), "ola");
	h.old_value = (char *)old_name;
	h.new_value = (char *)name;
	if ((rc = tx->st->ops->history_insert(tx, &h, e)))
		return rc;
	if (history)
		history_digest_add(history, &h);
	return 0;
}

/* A group that takes back a ticket it passed on in time resumes the
 * resolution time it spent then: passing a ticket to and fro (or its
 * service) does not set the clock back. After a hold that missed, counted
 * once already, the clock starts from nothing. */
static int resume_hold(struct store_tx *tx, struct sla_clock *k, const struct calendar *c,
		       struct err *e)
{
	struct sla_clock last;
	int rc = tx->st->ops->sla->ola_clock_last_past(tx->st, tx, k->ticket_id, k->sla_id,
							&last, e);

	if (rc == ERR_NOT_FOUND) {
		err_clear(e);
		return 0;
	}
	if (!rc && last.res_met < 0 && last.res_spent > 0)
		sla_clock_carry(k, c, last.res_spent);
	return rc;
}

/* Start the OLA of t's group and service at `at`, when there is one:
 * 1 started (name filled), 0 none, or a negative ERR_*. */
static int start(struct store_tx *tx, const struct ticket *t, int64_t at, char name[64],
		 struct err *e)
{
	struct store *st = tx->st;
	struct sla_rec r = { 0 };
	struct sla_def d;
	const struct calendar *c;
	struct sla_clock k;
	int rc;

	if (!t->group[0] || !t->service[0] || t->status == ST_RESOLVED ||
	    ticket_status_is_terminal(t->status))
		return 0;
	if ((rc = st->ops->sla->ola_find(st, tx, t->group, t->service, &r, e))) {
		if (rc != ERR_NOT_FOUND)
			return rc;
		err_clear(e);
		return 0;
	}
	free(r.body);
	if ((rc = sla_load_def(st, tx, r.id, r.version, &d, &c, e)))
		return rc;
	sla_clock_start(&k, &d, c, t->priority, at);
	k.ticket_id = t->id;
	if ((rc = resume_hold(tx, &k, c, e))) {
		sla_def_release(&d);
		return rc;
	}
	sla_def_release(&d);
	if (t->status == ST_IN_PROGRESS || t->status == ST_PENDING)
		sla_clock_respond(&k, at); /* the desk has answered already */
	if (t->status == ST_PENDING)
		sla_clock_move(&k, c, ST_IN_PROGRESS, ST_PENDING, at);
	if ((rc = st->ops->sla->ola_clock_put(tx, &k, e)))
		return rc;
	snprintf(name, 64, "%s", r.name);
	return 1;
}

int sla_ola_on_create(struct store_tx *tx, const struct actor *a, const struct ticket *t,
		      struct history_digest *history, struct err *e)
{
	char name[64];
	int rc = start(tx, t, t->created_at, name, e);

	if (rc <= 0)
		return rc;
	return ola_history(tx, a, t, t->created_at, NULL, name, history, e);
}

/* End the clock of the group handing t on at `at`, if it has one: it is
 * stopped there (sla_clock_hand_over) and kept among the past clocks the
 * report counts, its name into old ("" when there was none). */
static int hand_over(struct store_tx *tx, const struct ticket *t, int64_t at, char old[64],
		     struct err *e)
{
	struct store *st = tx->st;
	struct sla_clock k;
	struct sla_def d;
	const struct calendar *c;
	int rc;

	old[0] = '\0';
	if ((rc = st->ops->sla->ola_clock_get_named(st, tx, t->id, &k, old, 64, e))) {
		old[0] = '\0';
		if (rc != ERR_NOT_FOUND)
			return rc;
		err_clear(e);
		return 0;
	}
	if ((rc = sla_load_def(st, tx, k.sla_id, k.sla_version, &d, &c, e)))
		return rc;
	sla_clock_hand_over(&k, c, at);
	sla_def_release(&d);
	if ((rc = st->ops->sla->ola_clock_keep(tx, &k, e)))
		return rc;
	return st->ops->sla->ola_clock_delete(tx, t->id, e);
}

int sla_ola_on_group(struct store_tx *tx, const struct actor *a, const struct ticket *t,
		     int64_t at, struct err *e)
{
	char old[64], name[64] = "";
	int rc;

	if ((rc = hand_over(tx, t, at, old, e)))
		return rc;
	if ((rc = start(tx, t, at, name, e)) < 0)
		return rc;
	if (!old[0] && !rc)
		return 0; /* no OLA before, none now */
	return ola_history(tx, a, t, at, old[0] ? old : NULL, rc ? name : NULL, NULL, e);
}

int sla_ola_on_update(struct store_tx *tx, const struct actor *a, const struct ticket *t,
		      enum ticket_status old_status, int old_priority, const char *old_group,
		      const char *old_service, struct err *e)
{
	struct store *st = tx->st;
	struct sla_clock k;
	int moved, rc;

	if (strcmp(old_group, t->group) || strcmp(old_service, t->service))
		return sla_ola_on_group(tx, a, t, t->updated_at, e);
	if ((rc = st->ops->sla->ola_clock_get(st, tx, t->id, &k, e)))
		return rc == ERR_NOT_FOUND ? 0 : rc;
	if ((rc = sla_clock_follow(st, tx, &k, t, (int)old_status, old_priority, &moved, e)) ||
	    !moved)
		return rc;
	return st->ops->sla->ola_clock_put(tx, &k, e);
}

int sla_ola_on_comment(struct store_tx *tx, const struct actor *a, const struct ticket *t,
		       int public_comment, int64_t at, struct err *e)
{
	struct store *st = tx->st;
	struct sla_clock k;
	int rc;

	if (!public_comment || !actor_is_staff(a))
		return 0;
	if ((rc = st->ops->sla->ola_clock_get(st, tx, t->id, &k, e)))
		return rc == ERR_NOT_FOUND ? 0 : rc;
	if (k.resp_stopped)
		return 0;
	sla_clock_respond(&k, at);
	return st->ops->sla->ola_clock_put(tx, &k, e);
}

int ticket_ola_json(struct store *st, struct store_tx *tx, const struct ticket *t, json_t **out,
		    struct err *e)
{
	struct sla_clock k;
	char name[64];
	int rc;

	*out = NULL;
	if (!t->group[0])
		return 0; /* no group, no OLA: no read */
	if ((rc = st->ops->sla->ola_clock_get_named(st, tx, t->id, &k, name, sizeof(name), e)))
		return rc == ERR_NOT_FOUND ? 0 : rc;
	if (!(*out = sla_clock_to_json(&k, name, clock_now())))
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	return 0;
}
