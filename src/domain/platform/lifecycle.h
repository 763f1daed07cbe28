/*
 * lifecycle.h — what every catalogue record (customers, services,
 * calendars, SLAs) shares when it changes: the version an update must name,
 * and the status "active" or "retired".
 *
 * A retired record is kept (tickets, clocks and reports refer to it) and is
 * chosen for nothing new. The form the audit log holds carries "status"
 * only while a record is retired, so states recorded before retiring
 * existed still verify; the API shows it always (lifecycle_show).
 */
#ifndef ITSM_LIFECYCLE_H
#define ITSM_LIFECYCLE_H

#include <jansson.h>
#include <stdint.h>

#include "lib/err.h"

#define LIFECYCLE_ACTIVE "active"
#define LIFECYCLE_RETIRED "retired"

/* The body's "version" (required, an integer >= 1) against the stored one:
 * 0, ERR_INVALID on "version", or ERR_CONFLICT naming what (e.g.
 * "service 'mail'") and both versions. */
int lifecycle_version_check(const json_t *in, int64_t stored, const char *what,
			    struct err *e);
/* The body's "status" when present: "active" or "retired" into status (16
 * bytes, left as it was when absent); else ERR_INVALID on "status". */
int lifecycle_status_parse(const json_t *in, char *status, struct err *e);
/* Whether status says retired. */
int lifecycle_retired(const char *status);
/* Mark a state form: "status": "retired" when retired, nothing otherwise.
 * Returns j. */
json_t *lifecycle_state(json_t *j, const char *status);
/* The API's form of a state form: "status" always. Returns j. */
json_t *lifecycle_show(json_t *j);
/* Which statuses a list shows, from the query's "status" (a comma list of
 * active and retired; absent: active only): LIFECYCLE_SHOW_* bits in *show,
 * or ERR_INVALID on "status". */
enum { LIFECYCLE_SHOW_ACTIVE = 1, LIFECYCLE_SHOW_RETIRED = 2 };
int lifecycle_list_filter(const json_t *query, int *show, struct err *e);
/* Whether a record of status passes the filter. */
int lifecycle_listed(int show, const char *status);

struct actor;
struct store_tx;
/* What a change did to a record that was_retired and now has status:
 * "update", or "retire" / "restore" when the status moved. */
const char *lifecycle_action(int was_retired, const char *status);
/* The audit record of a change to a catalogue record: action KIND.WHAT
 * (what: lifecycle_action's, or one of the kind's own), entity KIND:KEY,
 * the change {"set": in, "after": after}; after is taken. */
int lifecycle_audit(struct store_tx *tx, const struct actor *a, const char *kind,
		    const char *what, const char *key, const json_t *in, json_t *after,
		    struct err *e);

#endif
