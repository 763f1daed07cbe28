/*
 * api_condition.c — condition reports: thin handlers over
 * domain/operation/condition.c (which also enforces who may do what). A
 * report reads as JSON, or as an A4 page (?format=html, or an Accept
 * header that asks for text/html before JSON).
 */
#include "api/handlers.h"
#include "domain/operation/condition.h"
#include "render/condition.h"

#include <string.h>

/* GET /condition-reports: with a date, the draft of that period computed
 * now; without, the stored reports. */
void api_conditions_list(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc;

	if (req_query(r, "date") || req_query(r, "shift")) {
		static const char *const list_only[] = { "state", "limit", "cursor", NULL };

		/* A draft is of one period: a list's parameter would be ignored. */
		for (size_t i = 0; list_only[i]; i++)
			if (req_query(r, list_only[i])) {
				reply_errorf(r, ERR_INVALID, list_only[i],
					     "'%s' is a parameter of the list, not of a period's draft",
					     list_only[i]);
				return;
			}
		rc = cond_draft_json(r->st, &r->actor, r->query, &out, &e);
	}
	else
		rc = cond_list_json(r->st, &r->actor, r->query, &out, &e);
	reply_result(r, rc, 200, out, &e);
}

void api_conditions_add(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = cond_add(r->st, &r->actor, r->json, &out, &e);

	reply_result(r, rc, 201, out, &e);
}

/* Whether the client asks for HTML: ?format=html, or (no format) an
 * Accept header naming text/html before any JSON type. 1 HTML, 0 JSON,
 * -1 after replying 400 on an unknown format. */
static int wants_html(struct req *r)
{
	const char *format = req_query(r, "format"), *accept;
	const char *html, *json;

	if (format) {
		if (!strcmp(format, "html"))
			return 1;
		if (!strcmp(format, "json"))
			return 0;
		reply_errorf(r, ERR_INVALID, "format", "unknown format '%.16s' (json, html)", format);
		return -1;
	}
	accept = req_header(r, "Accept");
	if (!accept || !(html = strstr(accept, "text/html")))
		return 0;
	json = strstr(accept, "application/json");
	return !json || html < json;
}

void api_conditions_get(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	struct buf b = BUF_INIT;
	int html = wants_html(r), rc;

	if (html < 0)
		return;
	rc = cond_get_json(r->st, &r->actor, r->params[0], &out, &e);
	if (rc || !html) {
		reply_result(r, rc, 200, out, &e);
		return;
	}
	if (condition_render_html(out, &b))
		reply_errorf(r, ERR_INTERNAL, NULL, "cannot render the report");
	else
		web_reply_page(r, "text/html; charset=utf-8", condition_html_style, NULL,
			       buf_str(&b), b.len);
	json_decref(out);
	buf_release(&b);
}

#define REF_BODY_CALL(name, fn)                                                                    \
	void name(struct req *r)                                                                   \
	{                                                                                          \
		struct err e = { 0 };                                                              \
		json_t *out = NULL;                                                                \
		int rc = fn(r->st, &r->actor, r->params[0], r->json, &out, &e);                    \
                                                                                                   \
		reply_result(r, rc, 200, out, &e);                                                 \
	}

REF_BODY_CALL(api_conditions_update, cond_update)
REF_BODY_CALL(api_conditions_sign, cond_sign)
REF_BODY_CALL(api_conditions_ack, cond_ack)
