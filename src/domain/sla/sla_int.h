/*
 * sla_int.h — helpers shared by the sla module's files (not a public API).
 */
#ifndef ITSM_SLA_INT_H
#define ITSM_SLA_INT_H

#include <ctype.h>
#include <jansson.h>
#include <string.h>

#include "lib/ident.h"
#include "domain/platform/actor.h"

/* Keys and names: 1-63 letters, digits, '-', '_', '.'. */
static inline int sla_valid_key(const char *s)
{
	return ident_valid(s, 63, IDENT_PUNCT);
}


/* The forms the API shows and the audit log records (new references),
 * scanned by sla_state.c. A calendar's recorded form is its stored body
 * as written, with its name and record fields. */
struct service_rec;
struct calendar_rec;
struct sla_rec;
struct outage_rec;
json_t *service_to_json(const struct service_rec *s);
json_t *sla_calendar_state_json(const struct calendar_rec *r);
json_t *sla_record_json(const struct sla_rec *r);
/* An SLA's form in the audit log: sla_record_json's, plus "terms_digest",
 * a digest of every version's terms kept for the clocks (sla_versions) —
 * left out while the one version kept is the SLA's own body and calendar,
 * as for every SLA never changed (and every one stored before versions
 * were kept). *out is a new reference. */
struct store;
struct store_tx;
int sla_state_json(struct store *st, struct store_tx *tx, const struct sla_rec *r, json_t **out,
		   struct err *e);
json_t *outage_to_json(const struct outage_rec *o);

/* The terms of version of sla_id (an SLA or an OLA) and their calendar
 * (sla_clock.c; d released by the caller). */
struct sla_def;
struct calendar;
int sla_load_def(struct store *st, struct store_tx *tx, int64_t sla_id, int64_t version,
		 struct sla_def *d, const struct calendar **c, struct err *e);

/* Moves clock k (an SLA's or an OLA's, as loaded) after its ticket t
 * changed status or priority from old_status/old_priority: re-targets it on
 * a new priority, pauses or resumes it on a new status (sla_clock.c). *moved
 * says whether k changed and must be stored. */
struct sla_clock;
struct ticket;
int sla_clock_follow(struct store *st, struct store_tx *tx, struct sla_clock *k,
		     const struct ticket *t, int old_status, int old_priority, int *moved,
		     struct err *e);

/* Parse an RFC 3339 query value; a '+' that became ' ' in the URL is taken
 * back. 0 or ERR_INVALID naming field. */
int sla_parse_time(const char *s, const char *field, int64_t *out, struct err *e);

#endif
