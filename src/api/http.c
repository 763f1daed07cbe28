/*
 * http.c — reading a request's head (its path, headers and query, checked
 * once before anything routes on them), what a handler reads from it, and
 * the one way it answers (reply_*).
 *
 * Invariants: a handler sees a path and query parameters that are UTF-8
 * without NUL, and no header value the library cut short at a NUL; a
 * request gets exactly one response (a second reply_* is ignored, and frees
 * the JSON it was given); every response says "nosniff" and "no-store"; a
 * response to a request whose rest is not read (r->close) closes the
 * connection; an error's message and field reach the client as valid UTF-8,
 * whatever client input they quote.
 */
#include "api/http.h"
#include "lib/jsonx.h"
#include "lib/utf8.h"

#include <microhttpd.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void req_set_path(struct req *r, const char *target)
{
	char *path = strndup(target, strcspn(target, "?"));
	size_t len;

	r->target = target;
	r->target_len = strlen(target);
	err_clear(&r->path_err);
	if (!path) {
		err_set(&r->path_err, ERR_INTERNAL, NULL, "out of memory");
		return;
	}
	len = MHD_http_unescape(path);
	snprintf(r->path, sizeof(r->path), "%s", path);
	if (len >= sizeof(r->path))
		err_set(&r->path_err, ERR_INVALID, NULL, "the path is longer than %zu bytes",
			sizeof(r->path) - 1);
	else if (memchr(path, '\0', len))
		err_set(&r->path_err, ERR_INVALID, NULL, "the path holds a NUL byte (%%00)");
	else if (!utf8_valid(path, len))
		err_set(&r->path_err, ERR_INVALID, NULL, "the path is not valid UTF-8");
	free(path);
}

/*
 * Bytes that followed a NUL. libmicrohttpd 0.9.75 (Debian 12's) ends a
 * header value, and the request target, at a NUL byte and hands the rest of
 * the line to no one. The bytes stay in its buffer, where the head lies from
 * the method on for MHD_CONNECTION_INFO_REQUEST_HEADER_SIZE bytes, edited in
 * place: each line end and each header's ':' became NUL, names and values
 * are pointers into it. So after the target every byte is in the version, a
 * header's name or value, or is NUL, space or tab; any other byte followed a
 * NUL (or began an obsolete folded line, which HTTP lets a server refuse).
 * Under another version of the library, or when the head does not look so,
 * the check steps aside; tests/api/edge.test.mjs then fails, rather than a
 * server refusing every request.
 */
#define HEAD_LAYOUT_KNOWN (MHD_VERSION == 0x00097500)

struct span {
	uintptr_t at;
	size_t n;
	const char *name; /* the header the span belongs to; NULL: the request line */
};

struct head_walk {
	uintptr_t lo, hi; /* the head in the library's buffer */
	struct span *spans;
	size_t n, cap;
};

/* p may point anywhere (a name the library keeps elsewhere, a static
 * string), so it is compared as an integer. */
static int in_head(const struct head_walk *w, const char *p, size_t n)
{
	uintptr_t a = (uintptr_t)p;

	return p && a >= w->lo && a <= w->hi && n <= w->hi - a;
}

static void add_span(struct head_walk *w, const char *p, size_t n, const char *name)
{
	if (in_head(w, p, n) && w->n < w->cap)
		w->spans[w->n++] = (struct span){ (uintptr_t)p, n, name };
}

static enum MHD_Result walk_header(void *cls, enum MHD_ValueKind kind, const char *key,
				   size_t key_size, const char *value, size_t value_size)
{
	add_span(cls, key, key_size, key);
	add_span(cls, value, value_size, key);
	return MHD_YES;
}

static int by_start(const void *a, const void *b)
{
	const struct span *x = a, *y = b;

	return (x->at > y->at) - (x->at < y->at);
}

/* The first byte of [from, to) that is not NUL, space or tab, or 0. */
static uintptr_t stray(uintptr_t from, uintptr_t to)
{
	for (const char *p = (const char *)from; (uintptr_t)p < to; p++)
		if (*p && *p != ' ' && *p != '\t')
			return (uintptr_t)p;
	return 0;
}

/* 1 when a byte of the head followed a NUL, with *where naming the header
 * whose line held it (NULL: the request line); 0 when none did (or the
 * check steps aside); ERR_INTERNAL out of memory. */
static int nul_in_head(struct req *r, const char *version, const char **where)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_REQUEST_HEADER_SIZE);
	int n = MHD_get_connection_values_n(r->conn, MHD_HEADER_KIND, NULL, NULL);
	struct head_walk w = { 0 };
	uintptr_t cursor, bad = 0;

	*where = NULL;
	if (!HEAD_LAYOUT_KNOWN || !ci || !ci->header_size || !r->target)
		return 0;
	w.lo = (uintptr_t)r->method;
	w.hi = w.lo + ci->header_size;
	if (!in_head(&w, r->target, r->target_len) || r->method[ci->header_size - 1] != '\0')
		return 0;
	w.cap = 2 * (size_t)(n > 0 ? n : 0) + 1;
	w.spans = calloc(w.cap, sizeof(*w.spans));
	if (!w.spans)
		return ERR_INTERNAL;
	add_span(&w, version, strlen(version), NULL);
	MHD_get_connection_values_n(r->conn, MHD_HEADER_KIND, walk_header, &w);
	qsort(w.spans, w.n, sizeof(*w.spans), by_start);
	cursor = (uintptr_t)r->target + r->target_len;
	for (size_t i = 0; i < w.n && !bad; i++) {
		if (w.spans[i].at > cursor)
			bad = stray(cursor, w.spans[i].at);
		if (!bad && w.spans[i].at + w.spans[i].n > cursor) {
			cursor = w.spans[i].at + w.spans[i].n;
			*where = w.spans[i].name;
		}
	}
	if (!bad)
		bad = stray(cursor, w.hi);
	free(w.spans);
	return bad != 0;
}

static enum MHD_Result count_host(void *cls, enum MHD_ValueKind kind, const char *key,
				  const char *value)
{
	if (!strcasecmp(key, "Host"))
		(*(int *)cls)++;
	return MHD_YES;
}

struct query_walk {
	json_t *obj;
	struct err *e;
};

static enum MHD_Result walk_query(void *cls, enum MHD_ValueKind kind, const char *key,
				  size_t key_size, const char *value, size_t value_size)
{
	struct query_walk *q = cls;
	int key_ok = strlen(key) == key_size && utf8_valid(key, key_size);

	if (!value)
		value = "";
	if (!key_ok) {
		err_set(q->e, ERR_INVALID, NULL,
			"a query parameter's name holds a NUL byte or is not valid UTF-8");
		return MHD_NO;
	}
	if (strlen(value) != value_size || !utf8_valid(value, value_size)) {
		err_set(q->e, ERR_INVALID, key, "query parameter '%s' %s", key,
			strlen(value) != value_size ? "holds a NUL byte (%00)"
						    : "is not valid UTF-8");
		return MHD_NO;
	}
	if (json_object_set_new(q->obj, key, json_string(value))) {
		err_set(q->e, ERR_INTERNAL, NULL, "out of memory");
		return MHD_NO;
	}
	return MHD_YES;
}

int req_read_head(struct req *r, const char *version, struct err *e)
{
	struct query_walk q = { NULL, e };
	const char *where;
	int hosts = 0, rc;

	if (r->path_err.code) {
		*e = r->path_err;
		return e->code;
	}
	rc = nul_in_head(r, version, &where);
	if (rc < 0)
		return err_set(e, rc, NULL, "out of memory");
	if (rc && where && (!strcasecmp(where, "Authorization") || !strcasecmp(where, "Cookie")))
		return err_set(e, ERR_UNAUTH, NULL, "the %s header holds a NUL byte", where);
	if (rc && where)
		return err_set(e, ERR_INVALID, NULL,
			       "header '%s' holds a NUL byte or continues on a folded line", where);
	if (rc)
		return err_set(e, ERR_INVALID, NULL, "the request target holds a NUL byte");
	MHD_get_connection_values(r->conn, MHD_HEADER_KIND, count_host, &hosts);
	if (!strcmp(version, MHD_HTTP_VERSION_1_1) && hosts == 0)
		return err_set(e, ERR_INVALID, NULL, "an HTTP/1.1 request needs a Host header");
	if (hosts > 1)
		return err_set(e, ERR_INVALID, NULL, "send one Host header, not %d", hosts);
	err_clear(e);
	q.obj = r->query = json_object();
	if (!r->query)
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	MHD_get_connection_values_n(r->conn, MHD_GET_ARGUMENT_KIND, walk_query, &q);
	return e->code;
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

int req_param_id(struct req *r, int i, const char *what, long long *id, struct err *e)
{
	const char *p = r->params[i];
	char *end;

	*id = strtoll(p, &end, 10);
	if (!*p || *end || *id < 1)
		return err_set(e, ERR_NOT_FOUND, NULL, "%s '%.40s' not found", what, p);
	return 0;
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
	if (r->close)
		MHD_add_response_header(resp, "Connection", "close");
	MHD_queue_response(r->conn, (unsigned)status, resp);
	MHD_destroy_response(resp);
}

void reply_file(struct req *r, const char *type, const char *disposition, const void *data,
		size_t len)
{
	struct MHD_Response *resp;

	if (r->replied)
		return;
	r->replied = 1;
	r->status = 200;
	resp = MHD_create_response_from_buffer(len, (void *)data, MHD_RESPMEM_MUST_COPY);
	if (!resp)
		return;
	MHD_add_response_header(resp, "Content-Type", type);
	MHD_add_response_header(resp, "Content-Disposition", disposition);
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "Content-Security-Policy", "sandbox; default-src 'none'");
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	if (r->close)
		MHD_add_response_header(resp, "Connection", "close");
	MHD_queue_response(r->conn, 200, resp);
	MHD_destroy_response(resp);
}

int req_is_attach_upload(const char *path)
{
	static const char head[] = "/api/v1/tickets/", tail[] = "/attachments";
	size_t n = strlen(path), ref;

	if (strncmp(path, head, sizeof(head) - 1) || n < sizeof(head) - 1 + sizeof(tail))
		return 0;
	ref = n - (sizeof(head) - 1) - (sizeof(tail) - 1);
	return !strcmp(path + n - (sizeof(tail) - 1), tail) &&
	       strcspn(path + sizeof(head) - 1, "/") == ref;
}

void reply_json(struct req *r, int status, json_t *j)
{
	struct MHD_Response *resp;
	char *text;

	if (r->replied) {
		json_decref(j);
		return;
	}
	text = json_dumps(j, JSON_COMPACT | JX_DUMP_FLAGS);
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
	if (r->close)
		MHD_add_response_header(resp, "Connection", "close");
	MHD_queue_response(r->conn, (unsigned)status, resp);
	MHD_destroy_response(resp);
}

/* The message and field may quote client input, cut anywhere by err_set's
 * buffer: repaired to UTF-8 here, so jansson never refuses them. */
void reply_error(struct req *r, const struct err *e)
{
	reply_error_with(r, e, NULL, NULL);
}

void reply_error_with(struct req *r, const struct err *e, const char *name, json_t *extra)
{
	int code = e->code ? e->code : ERR_INTERNAL;
	char msg[sizeof(e->msg)], field[sizeof(e->field)];
	json_t *err = json_pack("{s:s, s:s}", "code", err_code_name(code), "message",
				e->msg[0] ? utf8_repair(msg, sizeof(msg), e->msg)
					  : err_code_name(code));

	if (e->field[0])
		json_object_set_new(err, "field",
				    json_string(utf8_repair(field, sizeof(field), e->field)));
	if (name && extra)
		json_object_set_new(err, name, extra);
	else
		json_decref(extra);
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

void reply_ref_call(struct req *r, req_ref_body_fn fn, int status)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = fn(r->st, &r->actor, r->params[0], r->json, &out, &e);

	reply_result(r, rc, status, out, &e);
}
