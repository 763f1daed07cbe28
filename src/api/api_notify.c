/*
 * api_notify.c — notification templates and users' notification settings:
 * thin handlers over domain/notify/notify_admin.c (which also decides who
 * may do what, so the CLI gets the same answers).
 */
#include "api/handlers.h"
#include "domain/notify/notify.h"

void api_notify_templates(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = notify_templates_json(r->st, &r->actor, &out, &e);

	reply_result(r, rc, 200, out, &e);
}

void api_notify_template_get(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = notify_template_get_json(r->st, &r->actor, r->params[0], &out, &e);

	reply_result(r, rc, 200, out, &e);
}

void api_notify_template_update(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = notify_template_update(r->st, &r->actor, r->params[0], r->json, &out, &e);

	reply_result(r, rc, 200, out, &e);
}

void api_notify_prefs_get(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = notify_prefs_get_json(r->st, &r->actor, r->params[0], &out, &e);

	reply_result(r, rc, 200, out, &e);
}

void api_notify_prefs_update(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = notify_prefs_update(r->st, &r->actor, r->params[0], r->json, &out, &e);

	reply_result(r, rc, 200, out, &e);
}
