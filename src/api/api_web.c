/*
 * api_web.c — what the web console needs beyond the ticket resource: thin
 * handlers over domain/survey.c and domain/stats.c.
 *   POST /api/v1/tickets/{ref}/rating {"score": 1-5, "comment"} → 201 rating
 *   GET  /api/v1/tickets/{ref}/rating → the rating, or 404 until rated
 *   GET  /api/v1/stats/tickets?customer=&month=YYYY-MM → dashboard counts
 */
#include "api/handlers.h"
#include "domain/desk/stats.h"
#include "domain/desk/survey.h"

void api_web_rating_create(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = survey_rate(r->st, &r->actor, r->params[0], r->json, &out, &e);

	reply_result(r, rc, 201, out, &e);
}

void api_web_rating_get(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = survey_get_json(r->st, &r->actor, r->params[0], &out, &e);

	reply_result(r, rc, 200, out, &e);
}

void api_web_stats_tickets(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = stats_tickets_json(r->st, &r->actor, r->query, &out, &e);

	reply_result(r, rc, 200, out, &e);
}
