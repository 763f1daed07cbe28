/*
 * server.h — the HTTP server's lifecycle and its own counters.
 */
#ifndef ITSM_SERVER_H
#define ITSM_SERVER_H

#include <stdatomic.h>
#include <stdint.h>

#include "lib/err.h"

struct store;
struct req;

#define LAT_BUCKETS 12
#define MAX_ROUTES 128

struct server_opts {
	char addr[64];
	int port;           /* 0 picks a free port */
	int threads;
	size_t body_limit;
	int conn_limit;
	int conn_timeout;   /* seconds a connection may idle */
	char web_dir[512];  /* serve the console from disk (development) */
};

struct route_stats {
	_Atomic uint64_t by_class[6]; /* 1xx … 5xx, [0] unused */
	_Atomic uint64_t by_status[600];
};

struct server {
	struct server_opts opts;
	struct store *st;
	struct MHD_Daemon *mhd;
	int port; /* the port actually bound */
	struct route_stats stats[MAX_ROUTES + 1]; /* last: no route matched */
	_Atomic uint64_t lat_buckets[LAT_BUCKETS + 1];
	_Atomic uint64_t lat_count;
	_Atomic uint64_t lat_sum_us;
	int64_t started_at;
};

extern const double lat_bounds[LAT_BUCKETS];

void server_opts_default(struct server_opts *o);
int server_start(struct server *s, struct store *st, const struct server_opts *o, struct err *e);
void server_stop(struct server *s);

/* router.c: find the route for a request, check what it needs, call it. */
void router_dispatch(struct req *r);
/* web.c: the console's files and their security headers. */
void web_serve(struct req *r);
/* api_stream.c: live change notices (Server-Sent Events). */
void stream_start(struct server *s);
void stream_stop(struct server *s);

#endif
