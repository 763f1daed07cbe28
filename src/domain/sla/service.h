/*
 * service.h — the service catalogue: services with a key, a name and the
 * group that owns them. Keys are unique and never change; every write is
 * audited as "service:KEY". A service is retired (status "retired"), never
 * deleted; a retired one is chosen for no new ticket or SLA.
 */
#ifndef ITSM_SERVICE_H
#define ITSM_SERVICE_H

#include <jansson.h>

#include "domain/platform/actor.h"
#include "lib/err.h"

struct store;
struct store_tx;

/* {"key","name","owner_group"} → the service record. Admins and managers. */
int service_add(struct store *st, const struct actor *a, const json_t *in, json_t **out,
		struct err *e);
/* query: limit, cursor (NULL: every service). */
int service_list_json(struct store *st, const struct actor *a, const json_t *query, json_t **out,
		      struct err *e);
/* {"version", "name"?, "owner_group"?, "status"?: "active"|"retired"} (and
 * "key", which must be key's): the changed record. Admins and managers;
 * ERR_CONFLICT on a stale version, and on retiring a service an active SLA
 * names. */
int service_update(struct store *st, const struct actor *a, const char *key, const json_t *in,
		   json_t **out, struct err *e);
/* Whether key may be chosen for a new ticket or SLA (tx may be NULL): 0, or
 * ERR_INVALID on field when it is unknown or retired. */
int service_check_choosable(struct store *st, struct store_tx *tx, const char *key,
			    const char *field, struct err *e);
int service_get_json(struct store *st, const struct actor *a, const char *key, json_t **out,
		     struct err *e);

#endif
