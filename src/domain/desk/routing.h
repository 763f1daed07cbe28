/*
 * routing.h — routing rules: admins' ordered rules that give a new ticket
 * its assignment group when whoever created it named none.
 *
 * Invariants:
 *  - rules are tried in (position, name) order; the first whose every
 *    non-empty criterion holds wins, and no later rule is looked at;
 *  - a criterion compares: service, kind, ci and queue exactly, keyword as
 *    a case-insensitive substring of the title or the description
 *    (routing_contains);
 *  - routing runs inside the ticket's create, so the group, its history
 *    rows and the audit record are one write.
 */
#ifndef ITSM_ROUTING_H
#define ITSM_ROUTING_H

#include <jansson.h>

#include "domain/platform/actor.h"
#include "domain/platform/audit.h"
#include "lib/err.h"
#include "model/routing.h"

struct store;
struct store_tx;

/* What a new ticket is matched on (each NULL or "" when unknown). */
struct route_subject {
	const char *kind, *service, *ci, *queue, *title, *description;
};

/* Pure matching, for unit tests and the create. */
int routing_contains(const char *hay, const char *needle);
int routing_rule_matches(const struct routing_rule *r, const struct route_subject *s);
/* The group the first matching rule gives (in tx): 1 with group and rule
 * (the rule's name) filled, 0 when no rule matches, or a negative ERR_*. */
int routing_route(struct store_tx *tx, const struct route_subject *s, char group[64],
		  char rule[64], struct err *e);

/* The API's and the CLI's operations: staff read, admins write. Each
 * returns 0 and a new reference in *out, or a negative ERR_* with e set. */
int routing_rule_create(struct store *st, const struct actor *a, const json_t *in,
			json_t **out, struct err *e);
int routing_rule_update(struct store *st, const struct actor *a, const char *name,
			const json_t *in, json_t **out, struct err *e);
int routing_rule_delete(struct store *st, const struct actor *a, const char *name,
			struct err *e);
int routing_rule_get_json(struct store *st, const struct actor *a, const char *name,
			  json_t **out, struct err *e);
int routing_rule_list_json(struct store *st, const struct actor *a, json_t **out,
			   struct err *e);
json_t *routing_rule_to_json(const struct routing_rule *r);
/* Every stored rule ("routing_rule:NAME") in the form the audit log records
 * it, for audit_verify. */
int routing_state_scan(struct store *st, audit_state_fn fn, void *ctx, struct err *e);

#endif
