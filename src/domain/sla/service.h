/*
 * service.h — the service catalogue: services with a key, a name and the
 * group that owns them. Keys are unique and never change; every write is
 * audited as "service:KEY".
 */
#ifndef ITSM_SERVICE_H
#define ITSM_SERVICE_H

#include <jansson.h>

#include "domain/platform/actor.h"
#include "lib/err.h"

struct store;

/* {"key","name","owner_group"} → the service record. Admins and managers. */
int service_add(struct store *st, const struct actor *a, const json_t *in, json_t **out,
		struct err *e);
/* query: limit, cursor (NULL: every service). */
int service_list_json(struct store *st, const struct actor *a, const json_t *query, json_t **out,
		      struct err *e);
int service_get_json(struct store *st, const struct actor *a, const char *key, json_t **out,
		     struct err *e);

#endif
