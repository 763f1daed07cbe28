/*
 * server.c — libmicrohttpd lifecycle: a pool of threads each with its own
 * epoll loop, connection and time limits, the body collected under a hard
 * cap, one log line and the metrics per request.
 *
 * Invariants: a request body never grows past opts.body_limit (the request
 * is answered 413 and the rest discarded); every request gets exactly one
 * response; the per-request state is freed when MHD reports completion.
 */
#include "api/server.h"
#include "api/http.h"
#include "lib/log.h"
#include "lib/timeutil.h"

#include <microhttpd.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

const double lat_bounds[LAT_BUCKETS] = { 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
					 0.05,	 0.1,	0.25,	0.5,   1,    2.5 };

void server_opts_default(struct server_opts *o)
{
	memset(o, 0, sizeof(*o));
	snprintf(o->addr, sizeof(o->addr), "127.0.0.1");
	o->port = 8080;
	o->threads = 32;
	o->body_limit = 1024 * 1024;
	o->conn_limit = 2048;
	o->conn_timeout = 30;
}

const char *req_header(struct req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const char *req_query(struct req *r, const char *name)
{
	json_t *v = json_object_get(r->query, name);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

static void record(struct req *r)
{
	struct server *s = r->srv;
	double dt = clock_mono() - r->t0;
	int idx = r->route >= 0 && r->route < MAX_ROUTES ? r->route : MAX_ROUTES;
	int st = r->status >= 100 && r->status < 600 ? r->status : 500;
	int b;

	atomic_fetch_add(&s->stats[idx].by_status[st], 1);
	atomic_fetch_add(&s->stats[idx].by_class[st / 100], 1);
	for (b = 0; b < LAT_BUCKETS && dt > lat_bounds[b]; b++)
		;
	atomic_fetch_add(&s->lat_buckets[b], 1);
	atomic_fetch_add(&s->lat_count, 1);
	atomic_fetch_add(&s->lat_sum_us, (uint64_t)(dt * 1e6));
	log_info("method=%s path=\"%.200s\" route=%s status=%d dur_ms=%.2f user=%s", r->method,
		 r->path, r->route >= 0 ? routes[r->route].name : "-", r->status, dt * 1000,
		 r->authed ? r->actor.username : "-");
}

void reply_raw(struct req *r, int status, const char *type, const void *data, size_t len,
	       int copy)
{
	struct MHD_Response *resp;

	if (r->replied)
		return;
	r->replied = 1;
	r->status = status;
	resp = MHD_create_response_from_buffer(len, (void *)data,
					       copy ? MHD_RESPMEM_MUST_COPY : MHD_RESPMEM_PERSISTENT);
	if (!resp)
		return;
	MHD_add_response_header(resp, "Content-Type", type);
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	if (r->too_large)
		MHD_add_response_header(resp, "Connection", "close");
	MHD_queue_response(r->conn, (unsigned)status, resp);
	MHD_destroy_response(resp);
}

void reply_json(struct req *r, int status, json_t *j)
{
	struct MHD_Response *resp;
	char *text;

	if (r->replied) {
		json_decref(j);
		return;
	}
	text = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
	json_decref(j);
	if (!text) {
		reply_raw(r, 500, "application/json",
			  "{\"error\":{\"code\":\"internal\",\"message\":\"cannot encode\"}}", 55, 0);
		return;
	}
	r->replied = 1;
	r->status = status;
	resp = MHD_create_response_from_buffer(strlen(text), text, MHD_RESPMEM_MUST_FREE);
	if (!resp) {
		free(text);
		return;
	}
	MHD_add_response_header(resp, "Content-Type", "application/json");
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	if (r->set_cookie[0])
		MHD_add_response_header(resp, "Set-Cookie", r->set_cookie);
	if (status == 503)
		MHD_add_response_header(resp, "Retry-After", "1");
	if (r->too_large)
		MHD_add_response_header(resp, "Connection", "close");
	MHD_queue_response(r->conn, (unsigned)status, resp);
	MHD_destroy_response(resp);
}

void reply_error(struct req *r, const struct err *e)
{
	int code = e->code ? e->code : ERR_INTERNAL;
	json_t *err = json_pack("{s:s, s:s}", "code", err_code_name(code), "message",
				e->msg[0] ? e->msg : err_code_name(code));

	if (e->field[0])
		json_object_set_new(err, "field", json_string(e->field));
	reply_json(r, err_http_status(code), json_pack("{s:o}", "error", err));
}

void reply_errorf(struct req *r, int code, const char *field, const char *fmt, ...)
{
	struct err e;
	va_list ap;

	err_set(&e, code, field, "%s", "");
	va_start(ap, fmt);
	vsnprintf(e.msg, sizeof(e.msg), fmt, ap);
	va_end(ap);
	reply_error(r, &e);
}

void reply_result(struct req *r, int rc, int status, json_t *out, const struct err *e)
{
	if (rc)
		reply_error(r, e);
	else
		reply_json(r, status, out);
}

static enum MHD_Result query_cb(void *cls, enum MHD_ValueKind kind, const char *key,
				const char *value)
{
	json_object_set_new(cls, key, json_string(value ? value : ""));
	return MHD_YES;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version,
				  const char *upload_data, size_t *upload_data_size,
				  void **con_cls)
{
	struct server *s = cls;
	struct req *r = *con_cls;

	if (!r) {
		const char *cl;

		r = calloc(1, sizeof(*r));
		if (!r)
			return MHD_NO;
		r->conn = conn;
		r->srv = s;
		r->st = s->st;
		r->method = method;
		r->route = -1;
		r->t0 = clock_mono();
		snprintf(r->path, sizeof(r->path), "%s", url);
		buf_init(&r->body, s->opts.body_limit);
		*con_cls = r;
		cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
		if (cl && strtoull(cl, NULL, 10) > s->opts.body_limit)
			r->too_large = 1;
		return MHD_YES;
	}
	if (*upload_data_size) {
		if (!r->too_large && buf_append(&r->body, upload_data, *upload_data_size))
			r->too_large = 1;
		if (r->too_large)
			buf_release(&r->body);
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (r->replied)
		return MHD_YES;
	r->query = json_object();
	MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, query_cb, r->query);
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
	struct req *r = *con_cls;

	if (!r)
		return;
	buf_release(&r->body);
	json_decref(r->json);
	json_decref(r->query);
	free(r);
	*con_cls = NULL;
}

static void on_mhd_error(void *cls, const char *fmt, va_list ap)
{
	char msg[512];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	msg[strcspn(msg, "\n")] = '\0';
	log_warn("msg=\"http: %s\"", msg);
}

int server_start(struct server *s, struct store *st, const struct server_opts *o, struct err *e)
{
	struct sockaddr_in sa;
	const union MHD_DaemonInfo *info;

	memset(s, 0, sizeof(*s));
	s->opts = *o;
	s->st = st;
	s->started_at = clock_now();
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)o->port);
	if (inet_pton(AF_INET, o->addr, &sa.sin_addr) != 1)
		return err_set(e, ERR_INVALID, "listen", "cannot parse listen address '%s'",
			       o->addr);
	s->mhd = MHD_start_daemon(
		MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG | MHD_ALLOW_SUSPEND_RESUME,
		(uint16_t)o->port, NULL, NULL,
		on_request, s, MHD_OPTION_EXTERNAL_LOGGER, on_mhd_error, s, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
		MHD_OPTION_THREAD_POOL_SIZE, (unsigned)o->threads, MHD_OPTION_CONNECTION_LIMIT,
		(unsigned)o->conn_limit, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)o->conn_timeout,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)(o->conn_limit / 2),
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)64 * 1024, MHD_OPTION_NOTIFY_COMPLETED,
		on_completed, s, MHD_OPTION_LISTENING_ADDRESS_REUSE, 1u, MHD_OPTION_END);
	if (!s->mhd)
		return err_set(e, ERR_INTERNAL, "listen", "cannot listen on %s:%d", o->addr,
			       o->port);
	stream_start(s);
	info = MHD_get_daemon_info(s->mhd, MHD_DAEMON_INFO_BIND_PORT);
	s->port = info ? info->port : o->port;
	return 0;
}

void server_stop(struct server *s)
{
	stream_stop(s);
	if (s->mhd)
		MHD_stop_daemon(s->mhd);
	s->mhd = NULL;
}
