/*
 * api_routing.c — routing rules (/api/v1/routing-rules): thin handlers
 * over domain/desk/routing_rule.c.
 */
#include "api/handlers.h"
#include "domain/desk/routing.h"

void api_routing_list(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = routing_rule_list_json(r->st, &r->actor, &out, &e);

	reply_result(r, rc, 200, out, &e);
}

void api_routing_add(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = routing_rule_create(r->st, &r->actor, r->json, &out, &e);

	reply_result(r, rc, 201, out, &e);
}

void api_routing_get(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = routing_rule_get_json(r->st, &r->actor, r->params[0], &out, &e);

	reply_result(r, rc, 200, out, &e);
}

void api_routing_update(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = routing_rule_update(r->st, &r->actor, r->params[0], r->json, &out, &e);

	reply_result(r, rc, 200, out, &e);
}

void api_routing_delete(struct req *r)
{
	struct err e = { 0 };
	int rc = routing_rule_delete(r->st, &r->actor, r->params[0], &e);

	reply_result(r, rc, 200, rc ? NULL : json_pack("{s:s}", "deleted", r->params[0]), &e);
}
