/*
 * api_skill.c — skills and stored staff: thin handlers over
 * domain/staff.c and domain/staff_assess.c (which also enforce who may do
 * what, so the CLI's --as gets the same answers).
 */
#include "api/handlers.h"
#include "domain/skills/staff.h"

void api_skills_assess(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = staff_assess_profile(&r->actor, r->json, &out, &e);

	reply_result(r, rc, 200, out, &e);
}

void api_skills_map(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = staff_skill_map_json(r->st, &r->actor, r->query, &out, &e);

	reply_result(r, rc, 200, out, &e);
}

void api_staff_list(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = staff_list_json(r->st, &r->actor, r->query, &out, &e);

	reply_result(r, rc, 200, out, &e);
}

void api_staff_add(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = staff_add(r->st, &r->actor, r->json, &out, &e);

	reply_result(r, rc, 201, out, &e);
}

void api_staff_get(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = staff_get_json(r->st, &r->actor, r->params[0], &out, &e);

	reply_result(r, rc, 200, out, &e);
}

void api_staff_update(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = staff_update(r->st, &r->actor, r->params[0], r->json, &out, &e);

	reply_result(r, rc, 200, out, &e);
}

void api_staff_career_add(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = staff_career_add(r->st, &r->actor, r->params[0], r->json, &out, &e);

	reply_result(r, rc, 201, out, &e);
}

void api_staff_career_verify(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = staff_career_verify(r->st, &r->actor, r->params[0], r->params[1], &out, &e);

	reply_result(r, rc, 200, out, &e);
}

void api_staff_assess(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = staff_assess(r->st, &r->actor, r->params[0], r->json, &out, &e);

	reply_result(r, rc, 201, out, &e);
}

void api_staff_assessments(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = staff_assessments_json(r->st, &r->actor, r->params[0], r->query, &out, &e);

	reply_result(r, rc, 200, out, &e);
}
