/*
 * server.h — the HTTP server's lifecycle and its own counters.
 */
#ifndef ITSM_SERVER_H
#define ITSM_SERVER_H

#include "api/stats.h"
#include "lib/err.h"

#include <stdatomic.h>

struct conn_watch;
struct store;

struct server_opts {
	char addr[64];
	int port;           /* 0 picks a free port */
	int threads;
	size_t body_limit;
	size_t mail_limit;   /* the body limit of POST /api/v1/mail/inbound */
	size_t attach_limit; /* the body limit of POST /api/v1/tickets/REF/attachments */
	int conn_limit;
	int conn_per_ip;    /* connections at once from one client address */
	int conn_timeout;   /* seconds a connection may stay silent */
	int header_timeout; /* seconds a request's line and headers may take */
	int metrics_token_required; /* GET /metrics for staff only (a token or session) */
	char metrics_addr[64];      /* "": /metrics on the main listener; else only */
	int metrics_port;           /* on this one (and nothing else there) */
	char web_dir[512];  /* serve the console from disk (development) */
};

struct server;

/* One listening socket and what it serves (REQ_* of http.h). */
struct listener {
	struct server *srv;
	struct MHD_Daemon *mhd;
	int serves;
	int port; /* the port actually bound */
	int quiesced; /* no longer accepting (server_drain) */
};

struct server {
	struct server_opts opts;
	struct store *st;
	struct listener main, metrics; /* metrics.mhd NULL: on the main one */
	int port; /* the main listener's port */
	struct http_stats stats;
	struct conn_watch *watch; /* the request-head deadlines */
	_Atomic long in_flight;   /* requests begun and not yet completed */
	_Atomic int draining;     /* server_drain began: replies close */
	int streams_stopped;
};

void server_opts_default(struct server_opts *o);
int server_start(struct server *s, struct store *st, const struct server_opts *o, struct err *e);
/* Stop taking connections (new ones are refused) and end the live streams,
 * then wait up to timeout seconds for the requests already begun to be
 * answered; returns how many are still in flight (0: drained). The server
 * still needs server_stop. */
long server_drain(struct server *s, double timeout);
void server_stop(struct server *s);
/* libmicrohttpd's version at run time ("0.9.75"); a static string. */
const char *server_library_version(void);

#endif
