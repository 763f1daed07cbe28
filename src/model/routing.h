/*
 * model/routing.h — a routing rule as the store hands it out: criteria a
 * new ticket is matched on and the assignment group it then gets.
 *
 * Plain data: no rules, no I/O (matching is domain/desk/routing.c). An
 * empty criterion ("") matches anything; a rule with no criterion at all
 * matches every ticket (a catch-all, placed last).
 */
#ifndef ITSM_MODEL_ROUTING_H
#define ITSM_MODEL_ROUTING_H

#include <stdint.h>

#define ROUTING_KEYWORD_MAX 100 /* bytes */

struct routing_rule {
	int64_t id;
	char name[64];
	int64_t position; /* tried in (position, name) order */
	char service[64]; /* catalogue service key */
	char kind[16];    /* incident, request, inquiry */
	char ci[128];     /* configuration item key */
	char queue[65];   /* mail queue (at most 64 bytes) */
	char keyword[ROUTING_KEYWORD_MAX + 1]; /* in title or description, any case */
	char group[64];   /* the group a matching ticket gets */
	int64_t created_at, updated_at, version;
};

#endif
