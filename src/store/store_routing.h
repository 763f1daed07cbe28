/*
 * store_routing.h — the store operations of ticket routing (see store.h):
 * the routing rules admins define.
 *
 * Conventions as in store.h: writes take the tx of a store_write; reads take
 * tx = NULL (or the tx, to see its changes). Invariants the backend keeps:
 * rule names are unique (ERR_CONFLICT on "name"); an update applies only
 * when the stored version is the one before (else ERR_CONFLICT on
 * "version").
 */
#ifndef ITSM_STORE_ROUTING_H
#define ITSM_STORE_ROUTING_H

#include <stddef.h>

#include "model/routing.h"
#include "store/store.h"

struct store_routing_ops {
	/* Insert r (id and version 1 set on success). */
	int (*rule_insert)(struct store_tx *tx, struct routing_rule *r, struct err *e);
	/* Update when the stored version equals r->version - 1. */
	int (*rule_update)(struct store_tx *tx, const struct routing_rule *r, struct err *e);
	int (*rule_delete)(struct store_tx *tx, int64_t id, struct err *e);
	/* By name; ERR_NOT_FOUND (message set) when none. */
	int (*rule_get)(struct store *st, struct store_tx *tx, const char *name,
			struct routing_rule *r, struct err *e);
	/* Every rule in the order they are tried (position, then name) in a
	 * new array *out the caller free()s. */
	int (*rule_list)(struct store *st, struct store_tx *tx, struct routing_rule **out,
			 size_t *n, struct err *e);
};

#endif
