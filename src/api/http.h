/*
 * http.h — a request as handlers see it, the reply helpers (http.c), and
 * the route table's shape (routes.c).
 *
 * A handler is called only after the router has checked authentication, the
 * role, the body's size, content type and JSON syntax; it reads as the happy
 * path and replies once through one of the reply_* helpers, which take
 * ownership of the JSON they are given.
 */
#ifndef ITSM_HTTP_H
#define ITSM_HTTP_H

#include <jansson.h>
#include <stddef.h>

#include "domain/platform/actor.h"
#include "lib/buf.h"
#include "lib/err.h"

struct MHD_Connection;
struct conn_watched;
struct http_stats;
struct store;

#define MAX_PARAMS 4

struct req {
	struct MHD_Connection *conn;
	struct store *st;
	struct http_stats *stats; /* the server's counters (GET /metrics) */
	size_t body_limit;        /* the server's cap on a request body */
	int metrics_auth;         /* what GET /metrics needs: AUTH_NONE or AUTH_STAFF */
	int serves;               /* what the listener it came on serves (REQ_*) */
	const char *web_dir;      /* serve the console from here ("": embedded) */
	const char *method;
	char path[512];     /* the path, percent-decoded: UTF-8 without NUL once
			       req_read_head has passed it */
	const char *target; /* the request target as received, in
			       libmicrohttpd's buffer (read by req_read_head) */
	size_t target_len;
	struct err path_err;  /* what req_set_path found wrong, if anything */
	struct conn_watched *watched; /* its connection on the head deadline watch */
	int head_read;        /* the head was complete and has been checked */
	struct buf body;
	int too_large;
	int late;             /* began once the server was stopping: 503 */
	int close;            /* the reply closes the connection: the rest of
				 the request is never read */
	json_t *json;  /* the parsed body, for routes that take one */
	json_t *query; /* query parameters as an object of strings */
	const char *params[MAX_PARAMS];
	char param_buf[MAX_PARAMS][256];
	struct actor actor;
	int authed;
	int route;     /* index in the route table, -1 when none matched */
	int status;    /* the status replied, for the log and metrics */
	double t0;
	int replied;
	int via_session;      /* authenticated by the console's cookie */
	char csrf[64];        /* that session's CSRF token */
	char set_cookie[256]; /* a Set-Cookie header for the reply, if any */
};

enum auth_need {
	AUTH_NONE,   /* public: health, metrics, sign-in, the console's files */
	AUTH_ANY,    /* any signed-in user */
	AUTH_STAFF,  /* agents, operators, managers, admins */
	AUTH_MANAGER,/* managers and admins */
	AUTH_ADMIN,  /* admins */
	AUTH_EVENTS, /* any signed-in user, and tokens scoped to event intake */
	AUTH_METRICS,/* as metrics.token_required says: public, or staff */
};

enum body_need { BODY_NONE, BODY_JSON };

/* What a listener serves: everything, everything but /metrics (which has a
 * listener of its own), or only /metrics and /healthz. */
enum { REQ_ALL, REQ_NO_METRICS, REQ_METRICS_ONLY };

typedef void (*handler_fn)(struct req *r);

struct route {
	const char *method;
	const char *pattern; /* "/api/v1/tickets/:ref" */
	handler_fn handler;
	enum auth_need auth;
	enum body_need body;
	const char *name;    /* for metrics and logs: "tickets.get" */
	const char *query;   /* the query parameters it takes, comma-separated
				(Q_PAGE ",status,kind"; "attr.*" takes every
				name that begins "attr."); NULL takes none. The
				router answers any other with 400 before the
				handler runs, so a filter never goes unheard. */
};

/* The route of received mail (routes.c), whose body limit is mail.max_size
 * (server.c). */
#define MAIL_INBOUND_PATH "/api/v1/mail/inbound"

/* Whether path is a ticket's attachments (/api/v1/tickets/REF/attachments),
 * whose POST body limit is attach.max_size (server.c). */
int req_is_attach_upload(const char *path);

/* Reply with a stored file for download: the type given (sniffed, never
 * HTML), Content-Disposition disposition, nosniff, and a sandboxing
 * Content-Security-Policy; the bytes are copied. */
void reply_file(struct req *r, const char *type, const char *disposition, const void *data,
		size_t len);

/* The parameters of every paged list (jx_page, docs/http.md). */
#define Q_PAGE "limit,cursor"

extern const struct route routes[];
extern const size_t routes_count;

/* Replies. Each sends exactly one response; JSON is consumed. */
void reply_json(struct req *r, int status, json_t *j);
void reply_error(struct req *r, const struct err *e);
void reply_errorf(struct req *r, int code, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void reply_raw(struct req *r, int status, const char *type, const void *data, size_t len,
	       int copy);
/* reply_error with one more member in the error object (extra consumed;
 * NULL: none), for a refusal that lists what refused it (a change's
 * conflicts). */
void reply_error_with(struct req *r, const struct err *e, const char *name, json_t *extra);
/* Reply with the result of a domain call: 2xx + out, or the error. */
void reply_result(struct req *r, int rc, int status, json_t *out, const struct err *e);
/* A domain call on the record the path names (params[0]) with the
 * request's body, answered by reply_result at status. */
typedef int (*req_ref_body_fn)(struct store *st, const struct actor *a, const char *ref,
			       const json_t *in, json_t **out, struct err *e);
void reply_ref_call(struct req *r, req_ref_body_fn fn, int status);

/* Reading the head (server.c). req_set_path takes the request target as
 * it arrived (path and query, undecoded) and decodes the path into r->path,
 * keeping in r->path_err why it is refused: longer than r->path holds, a
 * NUL byte (%00), not UTF-8. req_read_head, once the head is complete,
 * returns that, then refuses an HTTP/1.1 request without exactly one Host,
 * a header or request target that held a NUL byte (the library ends the
 * value there, so what followed would pass unseen: 401 for Authorization
 * and Cookie, 400 for the rest), and a query parameter that is not UTF-8
 * or holds a NUL (400 naming it); otherwise it fills r->query. */
void req_set_path(struct req *r, const char *target);
int req_read_head(struct req *r, const char *version, struct err *e);

const char *req_header(struct req *r, const char *name);
const char *req_query(struct req *r, const char *name);
/* Path parameter i as a record id (a positive integer), else ERR_NOT_FOUND
 * in e: "WHAT 'param' not found" (a path that names no such record). */
int req_param_id(struct req *r, int i, const char *what, long long *id, struct err *e);

#define SESSION_COOKIE "itsm_session"
/* The console's session cookie as the request sent it, or NULL. */
const char *req_session_cookie(struct req *r);
/* Set the session cookie on the reply (token "" and max_age 0 ask the
 * browser to forget it); Secure when the request came through TLS. */
void reply_session_cookie(struct req *r, const char *token, int max_age);

#endif
