/*
 * cost.h — time spent and what it cost (docs/cost.md).
 *
 * Staff record the minutes they worked on a ticket, a procedure execution
 * (run) or a change, on one day, with a note. An entry takes the hourly rate
 * in force when it is recorded — [cost] rates of the configuration, a
 * group's rate before a role's — and keeps it: a later change of the rates
 * rewrites no entry and no past report. Its cost is minutes × rate / 60 in
 * minor units of currency, rounded half up, worked out once per entry; every
 * sum is a sum of those.
 *
 * Who may: staff record and read entries (a requester never sees them: 403);
 * an entry for another user, a correction of another's entry, the import and
 * the cost report are a manager's (or an admin's).
 */
#ifndef ITSM_COST_H
#define ITSM_COST_H

#include <jansson.h>
#include <stdio.h>

#include "domain/platform/actor.h"
#include "domain/platform/audit.h"
#include "lib/err.h"
#include "model/cost.h"

struct store;
struct store_tx;

/* ---- rates (cost_rates.c): read once at start, then only read ---- */

#define COST_RATES_MAX 64
#define COST_RATE_MAX 100000000 /* minor units per hour */
/* spec: "KEY=RATE, ..." where KEY is a staff role (agent, operator,
 * manager, admin) or "group:NAME"; currency: three capital letters. A
 * refused table leaves the one in force. */
int cost_rates_set(const char *spec, const char *currency, struct err *e);
const char *cost_currency(void);
/* The rate of a user with role and groups (comma-separated): named (a key
 * of the table, or NULL) when given, else the first group: row in the
 * table's order whose group the user is in, else the role's row, else none
 * (key "" and rate 0). ERR_INVALID on "rate" when named is not in the table. */
int cost_rate_for(const char *role, const char *groups, const char *named,
		  char key[COST_RATE_KEY_MAX + 1], int64_t *rate, struct err *e);
/* minutes × rate / 60, rounded half up. */
int64_t cost_of(int64_t minutes, int64_t rate);

/* ---- entries (time.c) ---- */

/* Record time on a ticket (by id or key), a run (RUN-n) or a change
 * (CHG-n): {"minutes", "date"?, "note"?, "user"?, "rate"?} and, on a run or
 * a change, {"customer"?, "service"?} it was done for. 201 with the entry. */
int time_add_ticket(struct store *st, const struct actor *a, const char *ref, const json_t *in,
		    json_t **out, struct err *e);
int time_add_run(struct store *st, const struct actor *a, const char *ref, const json_t *in,
		 json_t **out, struct err *e);
int time_add_change(struct store *st, const struct actor *a, const char *ref, const json_t *in,
		    json_t **out, struct err *e);
/* The same, the subject told by the reference (CHG-, RUN-, else a ticket). */
int time_add(struct store *st, const struct actor *a, const char *ref, const json_t *in,
	     json_t **out, struct err *e);
/* A page of the subject's entries, oldest first (query {"limit"?,
 * "cursor"?}: at most limit, 50 by default and 500 at most, after the
 * entry id the cursor names; NULL: every one): {"items": [entry…],
 * "next_cursor", "minutes", "cost", "currency"}, the sums over all of
 * them. */
int time_list_ticket(struct store *st, const struct actor *a, const char *ref,
		     const json_t *query, json_t **out, struct err *e);
int time_list_run(struct store *st, const struct actor *a, const char *ref, const json_t *query,
		  json_t **out, struct err *e);
int time_list_change(struct store *st, const struct actor *a, const char *ref,
		     const json_t *query, json_t **out, struct err *e);
int time_list(struct store *st, const struct actor *a, const char *ref, const json_t *query,
	      json_t **out, struct err *e);
/* Entry id as answers show it. */
int time_get_json(struct store *st, const struct actor *a, const char *id, json_t **out,
		  struct err *e);
/* Correct entry id: {"version", "minutes"?, "date"?, "note"?}; the rate
 * stays the one recorded. */
int time_update(struct store *st, const struct actor *a, const char *id, const json_t *in,
		json_t **out, struct err *e);
/* {"entries": [{"ticket"|"run"|"change": REF, "user", "minutes", "date",
 * "note"?, "rate"?, "customer"?, "service"?}]}: all or nothing; a bad entry
 * is named by its position ("entries[3]"). {"imported": N}. */
int time_import(struct store *st, const struct actor *a, const json_t *in, json_t **out,
		struct err *e);
/* The same from JSON lines (one entry a line; blank lines skipped); a bad
 * line is named by its number. */
int time_import_file(struct store *st, const struct actor *a, FILE *f, json_t **out,
		     struct err *e);
int time_state_scan(struct store *st, audit_state_fn fn, void *ctx, struct err *e);

/* ---- the report (cost_report.c) ---- */

#define COST_REPORT_TICKETS 500 /* the most costly tickets listed */
#define COST_TREND_MONTHS 12
/* query {"month": "YYYY-MM", "customer"?}: see docs/cost.md. */
int cost_report(struct store *st, const struct actor *a, const json_t *query, json_t **out,
		struct err *e);

#endif
