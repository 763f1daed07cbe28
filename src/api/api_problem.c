/*
 * api_problem.c — problems, their incidents and recurring-incident
 * proposals: thin handlers over domain/problem/ (which also enforces who
 * may do what, so the CLI's --as gets the same answers).
 */
#include "api/handlers.h"
#include "domain/problem/problem.h"

void api_problems_list(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = problem_list_json(r->st, &r->actor, r->query, &out, &e);

	reply_result(r, rc, 200, out, &e);
}

void api_problems_add(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = problem_add(r->st, &r->actor, r->json, &out, &e);

	reply_result(r, rc, 201, out, &e);
}

void api_problems_get(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = problem_get_json(r->st, &r->actor, r->params[0], &out, &e);

	reply_result(r, rc, 200, out, &e);
}

void api_problems_update(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = problem_update(r->st, &r->actor, r->params[0], r->json, &out, &e);

	reply_result(r, rc, 200, out, &e);
}

void api_problems_link(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = problem_link(r->st, &r->actor, r->params[0], r->json, &out, &e);

	reply_result(r, rc, 200, out, &e);
}

void api_problems_unlink(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	json_t *in = json_pack("{s:s}", "ticket", r->params[1]);
	int rc = in ? problem_unlink(r->st, &r->actor, r->params[0], in, &out, &e)
		    : err_set(&e, ERR_INTERNAL, NULL, "out of memory");

	json_decref(in);
	reply_result(r, rc, 200, out, &e);
}

void api_problems_proposals(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = problem_proposals_json(r->st, &r->actor, r->query, &out, &e);

	reply_result(r, rc, 200, out, &e);
}

void api_problems_confirm(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = problem_confirm(r->st, &r->actor, r->params[0], r->json, &out, &e);

	reply_result(r, rc, 201, out, &e);
}

void api_problems_dismiss(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = problem_dismiss(r->st, &r->actor, r->params[0], r->json, &out, &e);

	reply_result(r, rc, 200, out, &e);
}
