/*
 * api_tickets.c — the ticket resource: thin handlers over domain/ticket.c.
 */
#include "api/handlers.h"
#include "domain/desk/ticket.h"
#include "domain/problem/problem.h"

void api_tickets_list(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = ticket_list_json(r->st, &r->actor, r->query, &out, &e);

	reply_result(r, rc, 200, out, &e);
}

void api_tickets_create(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = ticket_create(r->st, &r->actor, r->json, &out, &e);

	reply_result(r, rc, 201, out, &e);
}

void api_tickets_get(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	/* with the known errors that concern it (domain/problem/) */
	int rc = problem_ticket_get_json(r->st, &r->actor, r->params[0], &out, &e);

	reply_result(r, rc, 200, out, &e);
}

void api_tickets_update(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = ticket_update(r->st, &r->actor, r->params[0], r->json, &out, &e);

	reply_result(r, rc, 200, out, &e);
}

void api_tickets_comments(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = ticket_comments_json(r->st, &r->actor, r->params[0], &out, &e);

	reply_result(r, rc, 200, out, &e);
}

void api_tickets_comment(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = ticket_comment(r->st, &r->actor, r->params[0], r->json, &out, &e);

	reply_result(r, rc, 201, out, &e);
}

void api_tickets_history(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = ticket_history_json(r->st, &r->actor, r->params[0], &out, &e);

	reply_result(r, rc, 200, out, &e);
}
