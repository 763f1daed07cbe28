/*
 * sla.h — service level management: business calendar records, SLAs (per
 * customer × service) and OLAs (per internal group × service), and the SLA
 * clocks of tickets.
 *
 * Invariants:
 *  - calendar and SLA records change only at the version they were read;
 *    a parsed calendar is cached by name and stored text, so a changed
 *    calendar is parsed again; a retired one is chosen for no new SLA;
 *  - an SLA's terms are kept per version (sla_versions): a ticket's clock
 *    computes with the version it started under, a change applies to
 *    tickets opened after it; a retired SLA applies to no new ticket;
 *  - the built-in "24x7" calendar always exists and cannot be created;
 *  - a ticket gets the SLA of its customer and service when it is created;
 *    its clocks (table ticket_sla) change only inside the write transaction
 *    of the ticket change that moved them (the sla_clock_on_* hooks), and a
 *    warning or breach fires at most once per clock;
 *  - nothing time-dependent enters ticket_to_json(): the "sla" block of a
 *    ticket is added to responses by ticket_sla_json(), against clock_now().
 */
#ifndef ITSM_SLA_H
#define ITSM_SLA_H

#include <jansson.h>
#include <stdint.h>

#include "domain/platform/actor.h"
#include "domain/platform/audit.h"
#include "model/desk.h"
#include "model/sla.h"
#include "lib/err.h"

struct store;
struct store_tx;
struct calendar;

#define SLA_PRIORITIES 5
#define SLA_ESCALATIONS_MAX 16

/* A parsed SLA definition. */
struct sla_def {
	int64_t id;
	int64_t version; /* the version whose terms these are */
	char name[64];
	int64_t customer_id;
	char customer[64];
	char group[64];
	char service[64];
	char calendar[64];
	int64_t resp_target[SLA_PRIORITIES + 1]; /* seconds, by priority 1-5 */
	int64_t res_target[SLA_PRIORITIES + 1];
	double warn_at;
	double availability_target;
	json_t *escalations; /* owned: [{"on","notify"?,"reassign_group"?}] */
};
void sla_def_release(struct sla_def *d);

/* ---- calendars ---- */

/* Body as in calendar.h; refuses "24x7" and duplicates (field "name"). */
int sla_calendar_add(struct store *st, const struct actor *a, const json_t *in, json_t **out,
		     struct err *e);
int sla_calendar_list_json(struct store *st, const struct actor *a, const json_t *query,
			   json_t **out, struct err *e);
int sla_calendar_get_json(struct store *st, const char *name, json_t **out, struct err *e);
/* The calendar called name (the built-in or a stored one), parsed and cached
 * for the life of the process: never freed by the caller. tx may be NULL.
 * ERR_INVALID with field (which may be NULL) for an unknown name. */
int sla_calendar_load(struct store *st, struct store_tx *tx, const char *name,
		      const char *field, const struct calendar **out, struct err *e);
/* A change: {"version", "timezone"?, "hours"?, "holidays"?, "status"?} (and
 * "name", which must be name's), each given field replacing the stored one,
 * validated as a create. Managers and admins; ERR_CONFLICT on a stale
 * version; "24x7" never changes. The record as sla_calendar_get_json
 * shows it. */
int sla_calendar_update(struct store *st, const struct actor *a, const char *name,
			const json_t *in, json_t **out, struct err *e);
/* {"date": "YYYY-MM-DD", "name"?, "version"?}: one holiday more (409 when
 * the date is one already), the next version. */
int sla_calendar_holiday_add(struct store *st, const struct actor *a, const char *name,
			     const json_t *in, json_t **out, struct err *e);
/* One holiday less (ERR_NOT_FOUND when the calendar has none that day). */
int sla_calendar_holiday_remove(struct store *st, const struct actor *a, const char *name,
				const char *date, json_t **out, struct err *e);
/* {"items": [{"date", "name"|null}], "next_cursor": null}; query: year. */
int sla_calendar_holidays_json(struct store *st, const char *name, const json_t *query,
			       json_t **out, struct err *e);
/* Whether name may be chosen for an SLA (tx may be NULL): 0, or
 * ERR_INVALID on "calendar" when it is unknown or retired. */
int sla_calendar_check_choosable(struct store *st, struct store_tx *tx, const char *name,
				 struct err *e);
/* {"due": T} and {"business_seconds": S}; query strings as in the API. */
int sla_calendar_due_json(struct store *st, const char *name, const char *from,
			  const char *minutes, json_t **out, struct err *e);
int sla_calendar_elapsed_json(struct store *st, const char *name, const char *from,
			      const char *to, json_t **out, struct err *e);

/* ---- SLAs and OLAs ---- */

/* Every stored service, calendar, SLA and outage in the form the audit log
 * records it, for audit_verify (sla_state.c). */
int sla_state_scan(struct store *st, audit_state_fn fn, void *ctx, struct err *e);

int sla_add(struct store *st, const struct actor *a, const json_t *in, json_t **out,
	    struct err *e);
/* A change: the fields of a create (name, customer, group and service
 * only as they are), "status" ("active"|"retired") and the "version" read.
 * Managers and admins; ERR_CONFLICT on a stale version; a definition a
 * create would refuse is refused the same way, nothing changed. */
int sla_update(struct store *st, const struct actor *a, const char *name, const json_t *in,
	       json_t **out, struct err *e);
/* Query: customer (key), service, status (lifecycle.h; default active). */
int sla_list_json(struct store *st, const struct actor *a, const json_t *query, json_t **out,
		  struct err *e);
int sla_get_json(struct store *st, const struct actor *a, const char *name, json_t **out,
		 struct err *e);
/* The terms of r in force at instant at (the version written last before
 * it; the first when every one came after) into d (caller releases). */
int sla_def_at(struct store *st, const struct sla_rec *r, int64_t at, struct sla_def *d,
	       struct err *e);
/* Parse a stored SLA body into d (caller releases). */
int sla_def_parse(const char *body, struct sla_def *d, struct err *e);

/* The most severe of several SLAs (sla_pick.c): whether a is more severe
 * than b at priority (1-5): the shorter resolution target, then the
 * shorter response target, then the name first in byte order. */
int sla_more_severe(const struct sla_def *a, const struct sla_def *b, int priority);
/* Among the active SLAs of active customers on the services listed (a JSON
 * array of objects with a "service" key, as cmdb_impacted_services gives),
 * the most severe at priority: 1 with its customer and service keys copied
 * out, 0 when there is none, or a negative ERR_* (tx may be NULL). */
int sla_pick_most_severe(struct store *st, struct store_tx *tx, const json_t *services,
			 int priority, char customer[64], char service[64], struct err *e);

/* Whether a ticket may name service (in tx): 0 when it is active or not in
 * the catalogue (a ticket may name a service free-form), ERR_INVALID on
 * "service" when it is retired. */
int sla_service_check_open(struct store *st, struct store_tx *tx, const char *service,
			   struct err *e);

/* ---- clocks: pure arithmetic (sla_clock.c) ---- */

void sla_clock_start(struct sla_clock *k, const struct sla_def *d, const struct calendar *c,
		     int priority, int64_t at);
/* The first public reply by staff (or in_progress) stops the response clock. */
void sla_clock_respond(struct sla_clock *k, int64_t at);
void sla_clock_move(struct sla_clock *k, const struct calendar *c, enum ticket_status from,
		    enum ticket_status to, int64_t at);
/* A new priority: the time spent is kept, the new targets apply. */
/* The clock a group ends by handing the ticket on at `at`: what was still
 * running stops there, missed when already late (a response past its due,
 * a resolution whose time passed its target), and with no verdict
 * otherwise — a ticket passed on in time was neither answered nor
 * resolved by that group, so it counts neither for it nor against it.
 * Nothing more fires; a verdict given before stays. */
void sla_clock_hand_over(struct sla_clock *k, const struct calendar *c, int64_t at);
/* A clock just started that resumes the resolution time spent before
 * (the group's earlier hold of the ticket under the same OLA): due and
 * warning planned from what is left. */
void sla_clock_carry(struct sla_clock *k, const struct calendar *c, int64_t spent);
void sla_clock_reprioritize(struct sla_clock *k, const struct sla_def *d,
			    const struct calendar *c, int priority);
/* Recompute next_at from the dues, warnings and fired bits. */
void sla_clock_plan(struct sla_clock *k);
/* Bits of the warnings/breaches due at now and not fired yet. */
int sla_clock_due_events(const struct sla_clock *k, int64_t now);
/* {name, response_due, resolution_due, response_met, resolution_met, paused,
 *  warning, breached, group} as seen at now. New reference. */
json_t *sla_clock_to_json(const struct sla_clock *k, const char *sla_name, int64_t now);

/* ---- clocks: hooks called by ticket.c inside its write transaction ---- */

struct history_digest;

/* history, when not NULL: the digest of the new ticket's history its
 * creation is building (ticket.c), which takes the entry the clock adds. */
int sla_clock_on_create(struct store_tx *tx, const struct actor *a, const struct ticket *t,
			struct history_digest *history, struct err *e);
int sla_clock_on_update(struct store_tx *tx, const struct actor *a, const struct ticket *t,
			enum ticket_status old_status, int old_priority, struct err *e);
int sla_clock_on_comment(struct store_tx *tx, const struct actor *a, const struct ticket *t,
			 int public_comment, int64_t at, struct err *e);
/* The "sla" block of a stored ticket at clock_now() (read in tx, when not
 * NULL), or JSON null when it has no SLA, in *out, a new reference. */
int ticket_sla_json(struct store *st, struct store_tx *tx, const struct ticket *t, json_t **out,
		    struct err *e);

/* ---- OLA clocks (sla_ola.c): the group's OLA beside the SLA ---- */

int sla_ola_on_create(struct store_tx *tx, const struct actor *a, const struct ticket *t,
		      struct history_digest *history, struct err *e);
/* old_group and old_service: t's before the update ("" when none). */
int sla_ola_on_update(struct store_tx *tx, const struct actor *a, const struct ticket *t,
		      enum ticket_status old_status, int old_priority, const char *old_group,
		      const char *old_service, struct err *e);
/* t's group changed at `at` (an update, an escalation): the old group's
 * clock ends, the new group's OLA (if any) starts. */
int sla_ola_on_group(struct store_tx *tx, const struct actor *a, const struct ticket *t,
		     int64_t at, struct err *e);
int sla_ola_on_comment(struct store_tx *tx, const struct actor *a, const struct ticket *t,
		       int public_comment, int64_t at, struct err *e);
/* The "ola" block of a ticket (as the "sla" one), or *out NULL when it has
 * no OLA clock (the key is then left out of the ticket's JSON). */
int ticket_ola_json(struct store *st, struct store_tx *tx, const struct ticket *t, json_t **out,
		    struct err *e);

/* ---- the watcher (sla_watch.c) ---- */

/* Fire every warning and breach due at or before now: audit, ticket
 * history, escalations (outbox notices, group reassignment). Returns 0 and
 * the number fired in *fired. */
int sla_watch_step(struct store *st, int64_t now, int64_t *fired, struct err *e);
/* The background thread of the server: watches the queue and delivers the
 * outbox. Start once; stop before closing the store. */
int sla_watcher_start(struct store *st, struct err *e);
void sla_watcher_stop(void);
/* What the server lets an admin do to the watcher's clock (serve
 * --allow-clock, server.allow_clock): 0, the default, refuses a tick's
 * "now" from the API, so no request can fire breaches ahead of time on a
 * live store; the CLI (the system actor, with the store file in hand) may
 * always name it. */
struct sla_watch_config {
	int allow_clock;
};
extern struct sla_watch_config sla_watch_cfg;

/* Admin tool: {"now": T} → run the watcher and one outbox pass at T ("now"
 * only from the system actor or with sla_watch_cfg.allow_clock). */
int sla_tick_json(struct store *st, const struct actor *a, const json_t *in, json_t **out,
		  struct err *e);

#endif
