/*
 * api_platform.c — health, metrics, the signed-in user, customers, users
 * (their changes and passwords), tokens (made, listed, revoked) and the
 * audit log.
 *
 * /metrics is a public route in the table; with metrics.token_required the
 * handler itself asks for a staff user's bearer token (Prometheus sends
 * one), so the setting needs no second route.
 *
 * /api/v1/openapi.json is docs/openapi.json, compiled into the binary
 * (api_docs, by scripts/embed.sh), so the description served is always the
 * one the build was made with.
 */
#include "api/handlers.h"
#include "api/stats.h"
#include "domain/platform/audit.h"
#include "domain/platform/audit_checkpoint.h"
#include "domain/platform/backup.h"
#include "domain/events/correlate.h"
#include "domain/desk/stats.h"
#include "domain/platform/customer.h"
#include "domain/platform/account.h"
#include "domain/platform/token.h"
#include "domain/platform/user.h"
#include "lib/buf.h"
#include "lib/embedded.h"
#include "lib/jsonx.h"
#include "lib/timeutil.h"
#include "store/store.h"

#include <stdlib.h>
#include <string.h>

void api_healthz(struct req *r)
{
	if (r->st->ops->ping(r->st)) {
		reply_json(r, 503, json_pack("{s:s}", "status", "store unavailable"));
		return;
	}
	reply_json(r, 200, json_pack("{s:s}", "status", "ok"));
}


void api_openapi(struct req *r)
{
	const struct embedded *f = embedded_find(api_docs, "/openapi.json");

	if (!f) {
		reply_errorf(r, ERR_INTERNAL, NULL, "the api description is not built in");
		return;
	}
	reply_raw(r, 200, f->type, f->data, f->len, 0);
}

void api_metrics(struct req *r)
{
	struct buf b = BUF_INIT;
	struct ticket_gauges gauges;

	http_stats_write(r->stats, &b);
	if (!stats_ticket_gauges(r->st, &gauges)) {
		buf_puts(&b, "# HELP itsm_tickets Tickets by status.\n# TYPE itsm_tickets gauge\n");
		for (int i = 0; i < ST__COUNT; i++)
			buf_printf(&b, "itsm_tickets{status=\"%s\"} %lld\n",
				   ticket_status_name((enum ticket_status)i), (long long)gauges.by_status[i]);
	}
	correlate_metrics(r->st, &b); /* events, incidents, checks */
	reply_raw(r, 200, "text/plain; version=0.0.4; charset=utf-8", buf_str(&b), b.len, 1);
	buf_release(&b);
}

void api_me(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = user_get_json(r->st, &r->actor, r->actor.username, &out, &e);

	reply_result(r, rc, 200, out, &e);
}

void api_customers_list(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = customer_list_json(r->st, &r->actor, r->query, &out, &e);

	reply_result(r, rc, 200, out, &e);
}

void api_customers_add(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = customer_add(r->st, &r->actor, r->json, &out, &e);

	reply_result(r, rc, 201, out, &e);
}

void api_customers_update(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = customer_update(r->st, &r->actor, r->params[0], r->json, &out, &e);

	reply_result(r, rc, 200, out, &e);
}

void api_users_list(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = user_list_json(r->st, &r->actor, &out, &e);

	reply_result(r, rc, 200, out, &e);
}

void api_users_add(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = user_add(r->st, &r->actor, r->json, &out, &e);

	reply_result(r, rc, 201, out, &e);
}

void api_users_get(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = user_get_json(r->st, &r->actor, r->params[0], &out, &e);

	reply_result(r, rc, 200, out, &e);
}

void api_users_update(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = user_update(r->st, &r->actor, r->params[0], r->json, &out, &e);

	reply_result(r, rc, 200, out, &e);
}

/* The session that asked stays signed in when it changes its own password. */
void api_users_password(struct req *r)
{
	const char *keep = r->via_session ? req_session_cookie(r) : NULL;
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = user_password(r->st, &r->actor, r->params[0], r->json, keep, &out, &e);

	reply_result(r, rc, 200, out, &e);
}

void api_tokens_create(struct req *r)
{
	struct err e = { 0 };
	char token[TOKEN_TEXT_LEN];
	json_t *out = NULL;
	int rc = token_create_json(r->st, &r->actor, r->json, token, &out, &e);

	reply_result(r, rc, 201, out, &e);
}

void api_tokens_list(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = token_list_json(r->st, &r->actor, r->query, &out, &e);

	reply_result(r, rc, 200, out, &e);
}

void api_tokens_revoke(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = token_revoke(r->st, &r->actor, r->params[0], &out, &e);

	reply_result(r, rc, 200, out, &e);
}

void api_audit_verify(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = audit_verify_json(r->st, &r->actor, r->query, &out, &e);

	reply_result(r, rc, 200, out, &e);
}

void api_audit_checkpoint(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = audit_checkpoint_now(r->st, &r->actor, &out, &e);

	reply_result(r, rc, 201, out, &e);
}

/* Into the configured backup directory only: the request names no path. */
void api_admin_backup(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = backup_now_json(r->st, &r->actor, &out, &e);

	reply_result(r, rc, 201, out, &e);
}

void api_audit_list(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = audit_list_json(r->st, &r->actor, r->query, &out, &e);

	reply_result(r, rc, 200, out, &e);
}
