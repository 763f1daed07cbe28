/*
 * server.c — libmicrohttpd lifecycle: a pool of threads each with its own
 * epoll loop; limits on connections (in all, per client address), on
 * silence and on the time a request's head may take (conn_watch.c); the
 * head checked once it is complete; the body collected under a hard cap;
 * one log line and the metrics per request.
 *
 * A request's state is made when its request line arrives (the URI log
 * callback, which sees the target before the library decodes it), so the
 * path is decoded here, where a NUL or a byte that is not UTF-8 can still be
 * seen. The first call of the access handler comes with the complete head:
 * it is checked (http.c) and a request that fails, or announces a body over
 * the limit, is answered at once and its connection closed without reading
 * the rest.
 *
 * A stop drains first (server_drain): the listening sockets are closed, so
 * new connections are refused, while the requests whose line had arrived
 * run to their answer, each closing its connection after it; a request
 * that comes later on an open connection gets 503 and runs nothing;
 * server_stop then ends what is left.
 *
 * Invariants: a port another process listens on is refused, never shared
 * (no SO_REUSEPORT); a request body never grows past opts.body_limit; every
 * request gets exactly one response and one log line; the per-request
 * state is freed when the library reports completion; every connection is
 * on the head-deadline watch from accept to close.
 */
#include "api/server.h"
#include "api/conn_watch.h"
#include "api/handlers.h"
#include "api/http.h"
#include "api/router.h"
#include "lib/log.h"
#include "lib/timeutil.h"

#include <microhttpd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

/* How often the watch looks for late heads, in seconds. */
#define WATCH_TICK 0.1

void server_opts_default(struct server_opts *o)
{
	memset(o, 0, sizeof(*o));
	snprintf(o->addr, sizeof(o->addr), "127.0.0.1");
	o->port = 8080;
	o->threads = 32;
	o->body_limit = 1024 * 1024;
	o->mail_limit = 10 * 1024 * 1024;
	o->attach_limit = 25 * 1024 * 1024;
	o->conn_limit = 2048;
	o->conn_per_ip = 32;
	o->conn_timeout = 30;
	o->header_timeout = 10;
}

static void record(struct req *r)
{
	double dt = clock_mono() - r->t0;

	http_stats_record(r->stats, r->route, r->status, dt);
	log_info("method=%s path=%s route=%s status=%d dur_ms=%.2f user=%s", LOG_STR(r->method),
		 LOG_STR(r->path), r->route >= 0 ? routes[r->route].name : "-", r->status,
		 dt * 1000, LOG_STR(r->authed ? r->actor.username : NULL));
}

static struct conn_watched *watched(struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);

	return ci ? ci->socket_context : NULL;
}

static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
			  enum MHD_ConnectionNotificationCode code)
{
	struct server *s = ((struct listener *)cls)->srv;
	const union MHD_ConnectionInfo *ci;

	if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
		conn_watch_remove(s->watch, *socket_context, clock_mono());
		*socket_context = NULL;
		return;
	}
	ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
	if (!ci)
		return;
	*socket_context = conn_watch_add(s->watch, ci->connect_fd, clock_mono());
	if (!*socket_context) /* out of memory: an unwatched connection is not kept */
		shutdown(ci->connect_fd, SHUT_RDWR);
}

/* The request line has arrived: make the request's state. */
static void *on_request_line(void *cls, const char *target, struct MHD_Connection *conn)
{
	struct listener *l = cls;
	struct server *s = l->srv;
	struct req *r;

	conn_watch_request_line(s->watch, watched(conn), clock_mono());
	r = calloc(1, sizeof(*r));
	if (!r)
		return NULL;
	/* Counted before draining is read, as server_drain sets draining
	 * before it reads the count: a request either began before the drain
	 * and is waited for, or sees it and is turned away. */
	atomic_fetch_add(&s->in_flight, 1);
	r->late = atomic_load(&s->draining);
	r->conn = conn;
	r->st = s->st;
	r->stats = &s->stats;
	r->body_limit = s->opts.body_limit;
	r->metrics_auth = s->opts.metrics_token_required ? AUTH_STAFF : AUTH_NONE;
	r->serves = l->serves;
	r->web_dir = s->opts.web_dir;
	r->route = -1;
	r->t0 = clock_mono();
	r->watched = watched(conn);
	buf_init(&r->body, s->opts.body_limit);
	req_set_path(r, target);
	return r;
}

/* The head is complete: check it, and answer at once what will not be
 * served. Returns 1 when it was answered. */
static int read_head(struct server *s, struct req *r, const char *method, const char *version)
{
	const char *cl;
	struct err e;

	r->head_read = 1;
	r->method = method;
	conn_watch_head_done(s->watch, r->watched);
	if (!req_read_head(r, version, &e)) {
		/* A received message has a limit of its own (mail.max_size). */
		if (!strcmp(method, "POST") && !strcmp(r->path, MAIL_INBOUND_PATH)) {
			r->body_limit = s->opts.mail_limit;
			buf_init(&r->body, r->body_limit);
		}
		/* So has a file attached to a ticket (attach.max_size). */
		if (!strcmp(method, "POST") && req_is_attach_upload(r->path)) {
			r->body_limit = s->opts.attach_limit;
			buf_init(&r->body, r->body_limit);
		}
		cl = req_header(r, "Content-Length");
		if (!cl || strtoull(cl, NULL, 10) <= r->body_limit)
			return 0;
		r->too_large = 1;
		err_set(&e, ERR_TOO_LARGE, NULL, "the body is larger than %zu bytes",
			r->body_limit);
	}
	/* The rest is not read: the reply closes the connection, which then
	 * lingers, so a body already on its way does not reset the reply. */
	r->close = 1;
	conn_watch_linger(s->watch, r->watched);
	reply_error(r, &e);
	return 1;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version,
				  const char *upload_data, size_t *upload_data_size,
				  void **con_cls)
{
	struct server *s = ((struct listener *)cls)->srv;
	struct req *r = *con_cls;

	if (!r)
		return MHD_NO; /* out of memory when the request line came */
	if (!r->head_read) {
		if (read_head(s, r, method, version))
			record(r);
		return MHD_YES;
	}
	if (*upload_data_size) {
		if (!r->replied && !r->too_large &&
		    buf_append(&r->body, upload_data, *upload_data_size))
			r->too_large = r->close = 1;
		if (r->too_large)
			buf_release(&r->body);
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (r->replied)
		return MHD_YES;
	if (atomic_load(&s->draining)) /* no next request on this connection */
		r->close = 1;
	if (r->late)
		reply_errorf(r, ERR_BUSY, NULL, "the server is stopping");
	else
		router_dispatch(r);
	if (!r->replied)
		reply_errorf(r, ERR_INTERNAL, NULL, "no response");
	/* Counted now, while the response is queued but not yet sent, so a
	 * client that reads /metrics next sees its own request. */
	record(r);
	return MHD_YES;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct server *s = ((struct listener *)cls)->srv;
	struct req *r = *con_cls;

	conn_watch_request_done(s->watch, watched(conn), clock_mono());
	if (!r)
		return;
	buf_release(&r->body);
	json_decref(r->json);
	json_decref(r->query);
	free(r);
	*con_cls = NULL;
	atomic_fetch_sub(&s->in_flight, 1);
}

static void on_mhd_error(void *cls, const char *fmt, va_list ap)
{
	char msg[512];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	msg[strcspn(msg, "\n")] = '\0';
	log_warn("msg=\"http error\" err=%s", LOG_STR(msg));
}

/* A listening socket on sa, bound here rather than by the library so that
 * a port already taken is refused with the reason (SO_REUSEADDR only lets a
 * restart reuse a port still in TIME_WAIT; SO_REUSEPORT, which would let two
 * servers share one port and split its requests, is never set). */
static int bind_listen(const struct sockaddr_in *sa, const char *addr, int port, int *out,
		       struct err *e)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0), one = 1, errnum;

	if (fd < 0)
		return err_set(e, ERR_INTERNAL, "listen", "listen %s:%d: %s", addr, port,
			       strerror(errno));
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (const struct sockaddr *)sa, sizeof(*sa)) || listen(fd, 512)) {
		errnum = errno;
		close(fd);
		if (errnum == EADDRINUSE)
			return err_set(e, ERR_CONFLICT, "listen",
				       "listen %s:%d: address already in use", addr, port);
		return err_set(e, ERR_INTERNAL, "listen", "listen %s:%d: %s", addr, port,
			       strerror(errnum));
	}
	*out = fd;
	return 0;
}

/* The port fd is bound to (the one the kernel chose for port 0). */
static int bound_port(int fd, int port)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof(sa);

	if (getsockname(fd, (struct sockaddr *)&sa, &len) || sa.sin_family != AF_INET)
		return port;
	return ntohs(sa.sin_port);
}

/* Listen on addr:port for l (threads: the size of its pool; limit: its
 * connections at once). */
static int listen_on(struct listener *l, const char *addr, int port, unsigned threads,
		     unsigned limit, struct err *e)
{
	const struct server_opts *o = &l->srv->opts;
	struct sockaddr_in sa;
	int fd = -1, rc;

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, addr, &sa.sin_addr) != 1)
		return err_set(e, ERR_INVALID, "listen", "cannot parse listen address '%s'", addr);
	if ((rc = bind_listen(&sa, addr, port, &fd, e)))
		return rc;
	l->port = bound_port(fd, port);
	/* the library owns fd from here and closes it when the daemon stops */
	l->mhd = MHD_start_daemon(
		MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG | MHD_ALLOW_SUSPEND_RESUME |
			MHD_USE_ITC, /* MHD_quiesce_daemon needs it (server_drain) */
		(uint16_t)port, NULL, NULL, on_request, l,
		MHD_OPTION_EXTERNAL_LOGGER, on_mhd_error, l,
		MHD_OPTION_LISTEN_SOCKET, fd,
		MHD_OPTION_THREAD_POOL_SIZE, threads,
		MHD_OPTION_CONNECTION_LIMIT, limit,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)o->conn_timeout,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)o->conn_per_ip,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)64 * 1024,
		MHD_OPTION_NOTIFY_CONNECTION, on_connection, l,
		MHD_OPTION_URI_LOG_CALLBACK, on_request_line, l,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, l, MHD_OPTION_END);
	if (!l->mhd)
		return err_set(e, ERR_INTERNAL, "listen", "cannot listen on %s:%d", addr, port);
	return 0;
}

int server_start(struct server *s, struct store *st, const struct server_opts *o, struct err *e)
{
	int rc;

	memset(s, 0, sizeof(*s));
	s->opts = *o;
	s->st = st;
	s->main = (struct listener){ s, NULL, o->metrics_addr[0] ? REQ_NO_METRICS : REQ_ALL, 0 };
	s->metrics = (struct listener){ s, NULL, REQ_METRICS_ONLY, 0 };
	http_stats_init(&s->stats, routes, routes_count, clock_now());
	s->watch = conn_watch_start(o->header_timeout, o->conn_timeout, WATCH_TICK, e);
	if (!s->watch)
		return e->code;
	rc = listen_on(&s->main, o->addr, o->port, (unsigned)o->threads, (unsigned)o->conn_limit, e);
	if (!rc && o->metrics_addr[0])
		rc = listen_on(&s->metrics, o->metrics_addr, o->metrics_port, 1, 64, e);
	if (rc) {
		server_stop(s);
		return rc;
	}
	stream_start();
	s->port = s->main.port;
	return 0;
}

/* Stop taking connections on l: the library gives the listening socket
 * back, and closing it refuses new connections at once. */
static void quiesce(struct listener *l)
{
	MHD_socket fd;

	if (!l->mhd || l->quiesced)
		return;
	fd = MHD_quiesce_daemon(l->mhd);
	if (fd != MHD_INVALID_SOCKET)
		close(fd);
	l->quiesced = 1;
}

long server_drain(struct server *s, double timeout)
{
	double until = clock_mono() + timeout;
	long left;

	atomic_store(&s->draining, 1);
	quiesce(&s->main);
	quiesce(&s->metrics);
	stream_stop(); /* live streams never end by themselves */
	s->streams_stopped = 1;
	while ((left = atomic_load(&s->in_flight)) > 0 && clock_mono() < until)
		usleep(10 * 1000);
	return left;
}

void server_stop(struct server *s)
{
	if (!s->streams_stopped)
		stream_stop();
	if (s->main.mhd)
		MHD_stop_daemon(s->main.mhd);
	if (s->metrics.mhd)
		MHD_stop_daemon(s->metrics.mhd);
	s->main.mhd = s->metrics.mhd = NULL;
	conn_watch_stop(s->watch);
	s->watch = NULL;
}

const char *server_library_version(void)
{
	return MHD_get_version();
}
