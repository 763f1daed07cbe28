/*
 * stats.h — the HTTP server's own counters: requests by route and status,
 * a latency histogram, and when it started; written as Prometheus text for
 * GET /metrics.
 *
 * Counters are atomics, bumped by whichever thread answered the request;
 * reading them needs no lock (a scrape may see one request counted in the
 * status table and not yet in the histogram).
 */
#ifndef ITSM_API_STATS_H
#define ITSM_API_STATS_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/buf.h"

struct route;

#define LAT_BUCKETS 12
#define MAX_ROUTES 128

struct route_stats {
	_Atomic uint64_t by_class[6]; /* 1xx … 5xx, [0] unused */
	_Atomic uint64_t by_status[600];
};

struct http_stats {
	const struct route *route_table; /* [n_routes], borrowed */
	size_t n_routes;
	struct route_stats routes[MAX_ROUTES + 1]; /* last: no route matched */
	_Atomic uint64_t lat_buckets[LAT_BUCKETS + 1];
	_Atomic uint64_t lat_count;
	_Atomic uint64_t lat_sum_us;
	int64_t started_at;
};

/* Start counting for the routes table[0..n) (at most MAX_ROUTES). */
void http_stats_init(struct http_stats *s, const struct route *table, size_t n,
		     int64_t started_at);
/* Count one answered request: route -1 (or out of range) for none. */
void http_stats_record(struct http_stats *s, int route, int status, double seconds);
/* Append the counters as Prometheus text exposition lines. */
void http_stats_write(const struct http_stats *s, struct buf *b);

#endif
