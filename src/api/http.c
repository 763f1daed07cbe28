/*
 * http.c — what a handler reads from a request (headers, query parameters,
 * the session cookie) and the one way it answers (reply_*).
 *
 * Invariants: a request gets exactly one response (a second reply_* is
 * ignored, and frees the JSON it was given); every response says
 * "nosniff" and "no-store"; an oversize request's response closes the
 * connection, so the rest of its body is never read.
 */
#include "api/http.h"

#include <microhttpd.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *req_header(struct req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const char *req_query(struct req *r, const char *name)
{
	json_t *v = json_object_get(r->query, name);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

const char *req_session_cookie(struct req *r)
{
	return MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, SESSION_COOKIE);
}

static int behind_tls(struct req *r)
{
	const char *p = req_header(r, "X-Forwarded-Proto");

	return p && !strcasecmp(p, "https");
}

void reply_session_cookie(struct req *r, const char *token, int max_age)
{
	snprintf(r->set_cookie, sizeof(r->set_cookie),
		 "%s=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%d%s", SESSION_COOKIE, token,
		 max_age, behind_tls(r) ? "; Secure" : "");
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
