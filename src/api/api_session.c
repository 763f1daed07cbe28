/*
 * api_session.c — signing in and out of the web console:
 *   POST /api/v1/session {"username","password"} → 201 {user, csrf_token}
 *        and the session cookie (HttpOnly, SameSite=Strict, Secure behind TLS)
 *   GET /api/v1/session → the signed-in user and the CSRF token
 *   DELETE /api/v1/session → signed out, cookie cleared
 */
#include "api/handlers.h"
#include "domain/platform/session.h"
#include "domain/platform/user.h"
#include "lib/jsonx.h"
#include "store/store.h"

static json_t *me_json(struct req *r, const char *csrf)
{
	json_t *u = NULL;
	struct err e = { 0 };

	if (user_get_json(r->st, &r->actor, r->actor.username, &u, &e))
		u = json_pack("{s:s}", "username", r->actor.username);
	return json_pack("{s:o, s:s}", "user", u, "csrf_token", csrf);
}

void api_session_create(struct req *r)
{
	static const char *const fields[] = { "username", "password", NULL };
	char token[SESSION_TOKEN_LEN], csrf[SESSION_TOKEN_LEN];
	const char *username, *password;
	struct err e = { 0 };

	if (jx_only(r->json, fields, &e) ||
	    jx_str(r->json, "username", JX_REQUIRED, 63, &username, &e) ||
	    jx_str(r->json, "password", JX_REQUIRED, 1024, &password, &e) ||
	    session_sign_in(r->st, username, password, token, csrf, &r->actor, &e)) {
		reply_error(r, &e);
		return;
	}
	r->authed = 1;
	reply_session_cookie(r, token, SESSION_ABSOLUTE);
	reply_json(r, 201, me_json(r, csrf));
}

void api_session_get(struct req *r)
{
	reply_json(r, 200, me_json(r, r->via_session ? r->csrf : ""));
}

void api_session_delete(struct req *r)
{
	struct err e = { 0 };
	const char *cookie = req_session_cookie(r);

	if (session_sign_out(r->st, cookie, &e)) {
		reply_error(r, &e);
		return;
	}
	reply_session_cookie(r, "", 0);
	reply_json(r, 200, json_pack("{s:b}", "signed_out", 1));
}
