/*
 * api_acceptance.c — operational acceptance: thin handlers over
 * domain/acceptance/ (which also decides who may do what, so the CLI's --as
 * gets the same answers).
 */
#include "api/handlers.h"
#include "domain/acceptance/acceptance.h"

typedef int (*ref_fn)(struct store *st, const struct actor *a, const char *key, const json_t *in,
		      json_t **out, struct err *e);

static void with_ref(struct req *r, ref_fn fn, int status)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = fn(r->st, &r->actor, r->params[0], r->json, &out, &e);

	reply_result(r, rc, status, out, &e);
}

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
	with_ref(r, acc_update, 200);
}

void api_acceptances_evidence(struct req *r)
{
	with_ref(r, acc_evidence, 200);
}

void api_acceptances_plan(struct req *r)
{
	with_ref(r, acc_plan, 200);
}

void api_acceptances_decide(struct req *r)
{
	with_ref(r, acc_decide, 200);
}
