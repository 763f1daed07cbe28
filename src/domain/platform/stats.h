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
#include "lib/err.h"

struct store;

struct stats_query {
	int64_t customer_id;        /* 0: every customer */
	int64_t from, to;           /* the month: [from, to), UTC seconds */
};

/* Open tickets counted by (kind, priority, service): the cube the dashboard
 * slices. A small table: kinds × priorities × services. */
struct stats_cell {
	enum ticket_kind kind;
	int priority;
	char service[64]; /* "" when none */
	int64_t count;
};

struct ticket_stats {
	int64_t by_status[ST__COUNT];
	struct stats_cell *open; /* owned: free with ticket_stats_release */
	size_t n_open;
	int64_t resolved;           /* resolved within the month */
	int64_t rated, rated_month; /* number of ratings: all time, this month */
	double mean, mean_month;    /* mean score; 0 when none */
};

void ticket_stats_release(struct ticket_stats *s);

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

int stats_ticket_gauges(struct store *st, struct ticket_gauges *g);

#endif
