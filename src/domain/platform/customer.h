/*
 * customer.h — changing and retiring customers, and listing them.
 * (Adding one, and the form the audit records: user.h.)
 *
 * A retired customer is kept: its users still sign in and read their
 * tickets, reports and SLAs, but it opens no new ticket (its requesters
 * get 403, staff naming it 400) and gets no new SLA. Admins change
 * customers, at the version they read.
 */
#ifndef ITSM_CUSTOMER_H
#define ITSM_CUSTOMER_H

#include <jansson.h>
#include <stdint.h>

#include "domain/platform/actor.h"
#include "lib/err.h"

struct store;
struct store_tx;

/* Staff see every customer, a requester their own. Query: status (a comma
 * list of active, retired; default active). */
int customer_list_json(struct store *st, const struct actor *a, const json_t *query,
		       json_t **out, struct err *e);
/* One customer (a requester: their own; another's is ERR_NOT_FOUND). */
int customer_get_json(struct store *st, const struct actor *a, const char *key, json_t **out,
		      struct err *e);
/* {"version", "name"?, "status"?: "active"|"retired"} (and "key", which
 * must be key's): the changed record. Admins; ERR_CONFLICT on a stale
 * version. */
int customer_update(struct store *st, const struct actor *a, const char *key, const json_t *in,
		    json_t **out, struct err *e);
/* Whether customer c may have a new ticket: 0, or, when it is retired,
 * ERR_FORBIDDEN (by_requester: its own user asks) or ERR_INVALID on
 * "customer". customer_check_open reads the customer of id first (in tx). */
int customer_open(const struct customer *c, int by_requester, struct err *e);
int customer_check_open(struct store *st, struct store_tx *tx, int64_t id, int by_requester,
			struct err *e);

#endif
