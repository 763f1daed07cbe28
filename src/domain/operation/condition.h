/*
 * condition.h — condition reports and shift handover (COND-n): what a
 * period held — executions done, missed and deviated, incidents opened and
 * resolved, changes implemented, SLA warnings and breaches, monitoring
 * events and outages — computed from the records, with the operator's
 * remarks; drafted, signed by a shift leader, acknowledged by the next
 * shift. docs/operation.md, "Condition reports".
 *
 * Invariants kept here and nowhere else:
 *  - a period is a UTC day, or a configured shift that starts on that day
 *    (a shift whose end is not after its start ends on the next day: the
 *    night 20:00-08:00 of 5 January runs to 08:00 on the 6th);
 *  - one report per day and shift; states draft → signed → acknowledged,
 *    nothing else (409 invalid_transition);
 *  - a draft's figures are computed when read; a signature freezes them:
 *    the canonical JSON is stored, its SHA-256 goes into the audit chain,
 *    and nothing recorded later changes what was signed;
 *  - a manager or admin signs (the shift leader); a named staff member who
 *    is not the signer acknowledges; the CLI's system actor does neither;
 *  - every write appends an audit record "condition:COND-n" in its own
 *    transaction.
 */
#ifndef ITSM_DOMAIN_CONDITION_H
#define ITSM_DOMAIN_CONDITION_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/platform/actor.h"
#include "domain/platform/audit.h"
#include "lib/err.h"
#include "model/condition.h"

struct store;

/* ---- pure: shifts and periods (condition_period.c) -------------------- */

#define COND_SHIFTS_MAX 16

struct cond_shift {
	char name[COND_SHIFT_MAX + 1];
	int start, end; /* minutes after midnight, UTC; -1 until set */
};

struct cond_shifts {
	size_t n;
	struct cond_shift s[COND_SHIFTS_MAX];
};

/* One key of the configuration's [shift] section ("day.start", from
 * [shift.day] start = …) with its value "HH:MM" into set: 0, or
 * ERR_INVALID naming the key. */
int cond_shifts_add(struct cond_shifts *set, const char *key, const char *value,
		    struct err *e);
/* Whether every shift of set has its start and its end: 0 or ERR_INVALID. */
int cond_shifts_check(const struct cond_shifts *set, struct err *e);
/* Make set the shifts reports are cut by (copied); an empty set installs
 * the default ones, day 08:00-20:00 and night 20:00-08:00. Called once at
 * start, before any thread reads them. */
void cond_shifts_install(const struct cond_shifts *set);
/* The installed shift of that name, or NULL. */
const struct cond_shift *cond_shift_find(const char *name);
const struct cond_shifts *cond_shifts_get(void);
/* The period [*from, *to) of shift s (NULL: the whole day) starting on day
 * (days since the epoch), in UTC seconds. */
void cond_period(const struct cond_shift *s, int64_t day, int64_t *from, int64_t *to);
/* "HH:MM" into minutes after midnight: 0, or -1 when malformed. */
int cond_parse_hhmm(const char *s, int *minutes);

/* ---- operations (condition.c) ----------------------------------------- */

/* Each returns 0 and a new JSON reference in *out (caller json_decref()s),
 * or a negative ERR_* with e filled in and nothing changed. */

/* Query: date (YYYY-MM-DD, required), shift → the report the period would
 * have now (not stored). */
int cond_draft_json(struct store *st, const struct actor *a, const json_t *query, json_t **out,
		    struct err *e);
/* {"date", "shift"?, "remarks"?} → COND-n, a draft. */
int cond_add(struct store *st, const struct actor *a, const json_t *in, json_t **out,
	     struct err *e);
/* {"remarks", "version"}: a draft's remarks. */
int cond_update(struct store *st, const struct actor *a, const char *key, const json_t *in,
		json_t **out, struct err *e);
/* {"version"?}: sign (a manager or admin), freezing the figures. */
int cond_sign(struct store *st, const struct actor *a, const char *key, const json_t *in,
	      json_t **out, struct err *e);
/* {"version"?}: acknowledge a signed report (not its signer). */
int cond_ack(struct store *st, const struct actor *a, const char *key, const json_t *in,
	     json_t **out, struct err *e);
int cond_get_json(struct store *st, const struct actor *a, const char *key, json_t **out,
		  struct err *e);
/* Query: state, limit, cursor. */
int cond_list_json(struct store *st, const struct actor *a, const json_t *query, json_t **out,
		   struct err *e);
/* Every stored report in the form the audit log records as "after". */
int cond_state_scan(struct store *st, audit_state_fn fn, void *ctx, struct err *e);

#endif
