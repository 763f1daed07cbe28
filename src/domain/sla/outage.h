/*
 * outage.h — outages of catalogue services: start, end (open while ongoing),
 * planned (maintenance) or not, an optional incident and CI.
 *
 * Invariants: an outage names an existing service; end, once set, is not
 * before start and is set once (an ended outage is not reopened); every
 * write is audited as "outage:ID". Overlaps are allowed here and merged
 * only when measured (availability.h).
 *
 * outage_open/outage_close run inside the caller's write transaction, so
 * other modules (monitoring events) can start and stop outages atomically
 * with their own writes.
 */
#ifndef ITSM_OUTAGE_H
#define ITSM_OUTAGE_H

#include <jansson.h>
#include <stdint.h>

#include "domain/platform/actor.h"
#include "lib/err.h"

struct store;
struct store_tx;

/* Open an outage of service (a catalogue key) from start; incident_key and
 * ci_key may be NULL. Sets *id. ERR_INVALID (field "service") for an
 * unknown service. */
int outage_open(struct store_tx *tx, const struct actor *a, const char *service, int64_t start,
		int planned, const char *incident_key, const char *ci_key, int64_t *id,
		struct err *e);
/* End outage id at end. ERR_NOT_FOUND, ERR_INVALID (field "end") when end
 * is before the start, ERR_CONFLICT when it has ended already. */
int outage_close(struct store_tx *tx, const struct actor *a, int64_t id, int64_t end,
		 struct err *e);

/* Remove outage id (a planned outage whose change was cancelled), audited
 * with "after": null. ERR_NOT_FOUND when it is not there. */
int outage_remove(struct store_tx *tx, const struct actor *a, int64_t id, struct err *e);

/* API operations: {"service","start","end"?,"planned","incident"?,"ci"?};
 * PATCH {"end","version"}; list query service, from, to. */
int outage_create(struct store *st, const struct actor *a, const json_t *in, json_t **out,
		  struct err *e);
int outage_update(struct store *st, const struct actor *a, const char *id, const json_t *in,
		  json_t **out, struct err *e);
int outage_get_json(struct store *st, const struct actor *a, const char *id, json_t **out,
		    struct err *e);
int outage_list_json(struct store *st, const struct actor *a, const json_t *query, json_t **out,
		     struct err *e);

#endif
