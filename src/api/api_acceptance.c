/*
 * api_acceptance.c — operational acceptance: thin handlers over
 * domain/acceptance/ (which also decides who may do what, so the CLI's --as
 * gets the same answers).
 */
#include "api/handlers.h"
#include "domain/acceptance/acceptance.h"

void api_acceptances_criteria(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = acc_criteria_json(r->st, &r->actor, &out, &e);

	reply_result(r, rc, 200, out, &e);
}

void api_acceptances_list(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = acc_list_json(r->st, &r->actor, r->query, &out, &e);

	reply_result(r, rc, 200, out, &e);
}

void api_acceptances_create(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = acc_add(r->st, &r->actor, r->json, &out, &e);

	reply_result(r, rc, 201, out, &e);
}

void api_acceptances_get(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = acc_get_json(r->st, &r->actor, r->params[0], &out, &e);

	reply_result(r, rc, 200, out, &e);
}

void api_acceptances_update(struct req *r)
{
	reply_ref_call(r, acc_update, 200);
}

void api_acceptances_evidence(struct req *r)
{
	reply_ref_call(r, acc_evidence, 200);
}

void api_acceptances_plan(struct req *r)
{
	reply_ref_call(r, acc_plan, 200);
}

void api_acceptances_decide(struct req *r)
{
	reply_ref_call(r, acc_decide, 200);
}
