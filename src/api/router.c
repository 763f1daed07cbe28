/*
 * router.c — match a request to the route table, then check once what the
 * route needs (authentication, role, content type, size, JSON syntax) so
 * that handlers read as the happy path.
 *
 * Patterns are literal segments and ":name" captures, matched segment by
 * segment; captures land in r->params in order. A path that matches a
 * pattern under another method gets 405. A query parameter the route does
 * not list is 400 naming it, after authentication (so who may not call a
 * route learns nothing of its parameters).
 */
#include "api/router.h"
#include "api/handlers.h"
#include "api/http.h"
#include "domain/platform/session.h"
#include "domain/platform/token.h"
#include "store/store.h"

#include <microhttpd.h>
#include <sodium.h>
#include <string.h>
#include <strings.h>

static int match(const char *pattern, const char *path, struct req *r)
{
	int np = 0;

	while (*pattern && *path) {
		if (*pattern != '/' || *path != '/')
			return 0;
		pattern++;
		path++;
		if (*pattern == ':') {
			size_t n = strcspn(path, "/");

			if (n == 0 || n >= sizeof(r->param_buf[0]) || np == MAX_PARAMS)
				return 0;
			memcpy(r->param_buf[np], path, n);
			r->param_buf[np][n] = '\0';
			r->params[np] = r->param_buf[np];
			np++;
			pattern += strcspn(pattern, "/");
			path += n;
		} else {
			size_t n = strcspn(pattern, "/");

			if (strncmp(pattern, path, n) || (path[n] && path[n] != '/'))
				return 0;
			pattern += n;
			path += n;
		}
	}
	return !*pattern && !*path;
}

/* A bearer token, or the console's session cookie; a cookie-authenticated
 * request that changes state must also carry the session's CSRF token. */
static int authenticate(struct req *r, struct err *e)
{
	const char *h = req_header(r, "Authorization");
	const char *cookie, *csrf;

	if (h && !strncasecmp(h, "Bearer ", 7)) {
		if (auth_token(r->st, h + 7, &r->actor, e))
			return ERR_UNAUTH;
		r->authed = 1;
		return 0;
	}
	cookie = req_session_cookie(r);
	if (!cookie)
		return err_set(e, ERR_UNAUTH, NULL,
			       "sign in first: send 'Authorization: Bearer TOKEN'");
	if (session_check(r->st, cookie, &r->actor, r->csrf, e))
		return ERR_UNAUTH;
	r->authed = 1;
	r->via_session = 1;
	if (strcmp(r->method, "GET") && strcmp(r->method, "HEAD")) {
		csrf = req_header(r, "X-CSRF-Token");
		if (!csrf || strlen(csrf) != strlen(r->csrf) ||
		    sodium_memcmp(csrf, r->csrf, strlen(r->csrf)))
			return err_set(e, ERR_FORBIDDEN, NULL,
				       "missing or wrong X-CSRF-Token: reload the page");
	}
	return 0;
}

static int allowed(const struct req *r, enum auth_need need)
{
	enum role role = r->actor.role;

	if (r->actor.scope_events && need != AUTH_EVENTS)
		return 0;
	switch (need) {
	case AUTH_NONE:
	case AUTH_ANY:
	case AUTH_EVENTS:
	case AUTH_METRICS: /* resolved to NONE or STAFF before this */
		return 1;
	case AUTH_STAFF:
		return role != ROLE_REQUESTER;
	case AUTH_MANAGER:
		return role == ROLE_MANAGER || role == ROLE_ADMIN;
	case AUTH_ADMIN:
		return role == ROLE_ADMIN;
	}
	return 0;
}

static int check_body(struct req *r, struct err *e)
{
	const char *ct = req_header(r, "Content-Type");
	json_error_t je;

	if (r->too_large)
		return err_set(e, ERR_TOO_LARGE, NULL, "the body is larger than %zu bytes",
			       r->body_limit);
	if (!ct || strncasecmp(ct, "application/json", 16) || (ct[16] && ct[16] != ';' &&
							       ct[16] != ' '))
		return err_set(e, ERR_MEDIA, NULL, "send the body as application/json");
	if (!r->body.len)
		return err_set(e, ERR_INVALID, NULL, "the body is empty: send a JSON object");
	r->json = json_loadb(r->body.data, r->body.len, JSON_REJECT_DUPLICATES, &je);
	if (!r->json)
		return err_set(e, ERR_INVALID, NULL, "malformed JSON at line %d column %d: %s",
			       je.line, je.column, je.text);
	if (!json_is_object(r->json))
		return err_set(e, ERR_INVALID, NULL, "the body must be a JSON object");
	return 0;
}

/* Whether the route's list takes parameter k: a name, or a prefix ending
 * in '*' ("attr.*" takes attr.os). */
static int takes(const char *list, const char *k)
{
	while (list && *list) {
		size_t n = strcspn(list, ",");

		if (n && list[n - 1] == '*' ? !strncmp(list, k, n - 1)
					    : strlen(k) == n && !strncmp(list, k, n))
			return 1;
		list += n + (list[n] == ',');
	}
	return 0;
}

/* Every query parameter is one the route lists (struct route's query). */
static int check_query(const struct req *r, const struct route *rt, struct err *e)
{
	const char *k;
	json_t *v;

	json_object_foreach(r->query, k, v)
	{
		if (!takes(rt->query, k))
			return err_set(e, ERR_INVALID, k,
				       "unknown query parameter '%s' (%s takes %s)", k,
				       rt->pattern, rt->query ? rt->query : "none");
	}
	return 0;
}

void router_dispatch(struct req *r)
{
	const struct route *rt = NULL;
	enum auth_need need;
	int path_known = 0;
	struct err e;

	err_clear(&e);
	for (size_t i = 0; i < routes_count; i++) {
		if (!match(routes[i].pattern, r->path, r))
			continue;
		path_known = 1;
		if (!strcmp(routes[i].method, r->method)) {
			rt = &routes[i];
			r->route = (int)i;
			break;
		}
	}
	if (!rt) {
		if (!strncmp(r->path, "/api/", 5) || path_known || r->serves == REQ_METRICS_ONLY) {
			if (path_known && r->serves != REQ_METRICS_ONLY)
				reply_json(r, 405,
					   json_pack("{s:{s:s, s:s}}", "error", "code",
						     "method_not_allowed", "message",
						     "this method is not allowed on this resource"));
			else
				reply_errorf(r, ERR_NOT_FOUND, NULL, "no such resource '%s'",
					     r->path);
			return;
		}
		web_serve(r);
		return;
	}
	/* /metrics on a listener of its own answers there and nowhere else. */
	if ((r->serves == REQ_METRICS_ONLY && rt->handler != api_metrics &&
	     rt->handler != api_healthz) ||
	    (r->serves == REQ_NO_METRICS && rt->handler == api_metrics)) {
		reply_errorf(r, ERR_NOT_FOUND, NULL, "no such resource '%s'", r->path);
		return;
	}
	need = rt->auth == AUTH_METRICS ? (enum auth_need)r->metrics_auth : rt->auth;
	if (need != AUTH_NONE) {
		if (authenticate(r, &e)) {
			if (e.code == ERR_UNAUTH && r->via_session == 0 && req_session_cookie(r))
				reply_session_cookie(r, "", 0);
			reply_error(r, &e);
			return;
		}
		if (!allowed(r, need)) {
			reply_errorf(r, ERR_FORBIDDEN, NULL, "your role may not %s %s", r->method,
				     rt->pattern);
			return;
		}
	}
	if (r->too_large) {
		reply_errorf(r, ERR_TOO_LARGE, NULL, "the body is larger than %zu bytes",
			     r->body_limit);
		return;
	}
	if (check_query(r, rt, &e) || (rt->body == BODY_JSON && check_body(r, &e))) {
		reply_error(r, &e);
		return;
	}
	rt->handler(r);
}
