/*
 * api_risk.c — the risk register: thin handlers over domain/risk/ (which
 * also decides who may do what, so the CLI's --as gets the same answers).
 */
#include "api/handlers.h"
#include "domain/risk/risk.h"

#include <stdlib.h>
#include <string.h>

void api_risks_list(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = risk_list_json(r->st, &r->actor, r->query, &out, &e);

	reply_result(r, rc, 200, out, &e);
}

void api_risks_create(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = risk_add(r->st, &r->actor, r->json, &out, &e);

	reply_result(r, rc, 201, out, &e);
}

void api_risks_heatmap(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = risk_heatmap_json(r->st, &r->actor, &out, &e);

	reply_result(r, rc, 200, out, &e);
}

void api_risks_get(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = risk_get_json(r->st, &r->actor, r->params[0], &out, &e);

	reply_result(r, rc, 200, out, &e);
}

void api_risks_update(struct req *r)
{
	reply_ref_call(r, risk_update, 200);
}

void api_risks_review(struct req *r)
{
	reply_ref_call(r, risk_review, 200);
}

void api_risks_measure_add(struct req *r)
{
	struct err e = { 0 };

	if (json_is_object(r->json) && json_object_get(r->json, "id")) {
		err_set(&e, ERR_INVALID, "id", "a new measure takes no 'id'");
		reply_error(r, &e);
		return;
	}
	reply_ref_call(r, risk_measure, 201);
}

/* PATCH …/measures/:id: the body with the path's id. */
void api_risks_measure_update(struct req *r)
{
	struct err e = { 0 };
	json_t *in, *out = NULL;
	long long id;
	int rc;

	if (req_param_id(r, 1, "measure", &id, &e)) {
		reply_error(r, &e);
		return;
	}
	in = json_is_object(r->json) ? json_copy(r->json) : json_incref(r->json);
	if (json_is_object(in))
		json_object_set_new(in, "id", json_integer(id));
	rc = risk_measure(r->st, &r->actor, r->params[0], in, &out, &e);
	json_decref(in);
	reply_result(r, rc, 200, out, &e);
}
