/*
 * api_knowledge.c — knowledge articles, their versions, suggestions and
 * the full-text search: thin handlers over domain/knowledge/ (which also
 * decides who may read and write what, so the CLI's --as gets the same
 * answers).
 */
#include "api/handlers.h"
#include "domain/knowledge/knowledge.h"

void api_knowledge_list(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = knowledge_list_json(r->st, &r->actor, r->query, &out, &e);

	reply_result(r, rc, 200, out, &e);
}

void api_knowledge_add(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = knowledge_add(r->st, &r->actor, r->json, &out, &e);

	reply_result(r, rc, 201, out, &e);
}

void api_knowledge_suggest(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = knowledge_suggest_json(r->st, &r->actor, r->query, &out, &e);

	reply_result(r, rc, 200, out, &e);
}

void api_knowledge_get(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = knowledge_get_json(r->st, &r->actor, r->params[0], &out, &e);

	reply_result(r, rc, 200, out, &e);
}

void api_knowledge_edit(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = knowledge_edit(r->st, &r->actor, r->params[0], r->json, &out, &e);

	reply_result(r, rc, 200, out, &e);
}

void api_knowledge_publish(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = knowledge_publish(r->st, &r->actor, r->params[0], r->json, &out, &e);

	reply_result(r, rc, 200, out, &e);
}

void api_knowledge_retire(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = knowledge_retire(r->st, &r->actor, r->params[0], r->json, &out, &e);

	reply_result(r, rc, 200, out, &e);
}

void api_knowledge_versions(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = knowledge_versions_json(r->st, &r->actor, r->params[0], &out, &e);

	reply_result(r, rc, 200, out, &e);
}

void api_knowledge_version(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = knowledge_version_json(r->st, &r->actor, r->params[0], r->params[1], &out, &e);

	reply_result(r, rc, 200, out, &e);
}

void api_search(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = knowledge_search_json(r->st, &r->actor, r->query, &out, &e);

	reply_result(r, rc, 200, out, &e);
}
