/*
 * api_operation.c — operation by procedure: thin handlers over
 * domain/operation/ (which also enforces who may do what, so the CLI's --as
 * gets the same answers).
 */
#include "api/handlers.h"
#include "domain/operation/operation.h"

#define BODY_CALL(name, fn, status)                                                                \
	void name(struct req *r)                                                                   \
	{                                                                                          \
		struct err e = { 0 };                                                              \
		json_t *out = NULL;                                                                \
		int rc = fn(r->st, &r->actor, r->json, &out, &e);                                  \
                                                                                                   \
		reply_result(r, rc, status, out, &e);                                              \
	}
#define QUERY_CALL(name, fn)                                                                       \
	void name(struct req *r)                                                                   \
	{                                                                                          \
		struct err e = { 0 };                                                              \
		json_t *out = NULL;                                                                \
		int rc = fn(r->st, &r->actor, r->query, &out, &e);                                 \
                                                                                                   \
		reply_result(r, rc, 200, out, &e);                                                 \
	}
#define REF_BODY_CALL(name, fn, status)                                                            \
	void name(struct req *r)                                                                   \
	{                                                                                          \
		struct err e = { 0 };                                                              \
		json_t *out = NULL;                                                                \
		int rc = fn(r->st, &r->actor, r->params[0], r->json, &out, &e);                    \
                                                                                                   \
		reply_result(r, rc, status, out, &e);                                              \
	}
#define REF_CALL(name, fn)                                                                         \
	void name(struct req *r)                                                                   \
	{                                                                                          \
		struct err e = { 0 };                                                              \
		json_t *out = NULL;                                                                \
		int rc = fn(r->st, &r->actor, r->params[0], &out, &e);                             \
                                                                                                   \
		reply_result(r, rc, 200, out, &e);                                                 \
	}

QUERY_CALL(api_procedures_list, op_procedure_list_json)
BODY_CALL(api_procedures_add, op_procedure_add, 201)
REF_CALL(api_procedures_get, op_procedure_get_json)
REF_BODY_CALL(api_procedures_draft, op_procedure_draft, 201)
REF_BODY_CALL(api_procedures_publish, op_procedure_publish, 200)

QUERY_CALL(api_schedule_list, op_job_list_json)
BODY_CALL(api_schedule_add, op_job_add, 201)
QUERY_CALL(api_schedule_today, op_schedule_today_json)

QUERY_CALL(api_runs_list, op_run_list_json)
BODY_CALL(api_runs_start, op_run_start, 201)
REF_CALL(api_runs_get, op_run_get_json)
REF_BODY_CALL(api_runs_step, op_run_step, 201)
REF_BODY_CALL(api_runs_abandon, op_run_abandon, 200)

void api_runs_confirm(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = op_run_confirm(r->st, &r->actor, r->params[0], r->params[1], &out, &e);

	reply_result(r, rc, 200, out, &e);
}
