/*
 * stats.h — ticket statistics for the manager's dashboard: open tickets by
 * priority, kind and service, counts by status, tickets resolved in a month
 * and the mean satisfaction score.
 *
 * Everything is counted by the store (aggregate queries); no ticket is
 * loaded. Staff only: the route refuses requesters before this runs, and
 * stats_tickets_json refuses them again.
 */
#ifndef ITSM_STATS_H
#define ITSM_STATS_H

#include <jansson.h>
#include <stdint.h>

#include "domain/platform/actor.h"
#include "domain/desk/ticket.h"
#include "model/desk.h"
#include "lib/err.h"

struct store;

/* Query keys: customer (key), month (YYYY-MM, default the current UTC
 * month). Returns 0 and a new JSON object in *out (caller json_decref()s). */
int stats_tickets_json(struct store *st, const struct actor *a, const json_t *query,
		       json_t **out, struct err *e);

/* Parse "YYYY-MM" into the month's [from, to) in UTC seconds. Exposed for
 * unit tests. */
int stats_month_parse(const char *s, int64_t *from, int64_t *to);

/* The gauges /metrics shows: tickets by status and open incidents by
 * priority (index 1-5). Each is a count over the tickets table, so they are
 * counted at most every STATS_GAUGE_TTL seconds however often anyone scrapes. */
#define STATS_GAUGE_TTL 5

struct ticket_gauges {
	int64_t by_status[ST__COUNT];
	int64_t open_incidents[6];
};

/* 0, or the store's failure: then leave the gauges out. */
int stats_ticket_gauges(struct store *st, struct ticket_gauges *g);

#endif
