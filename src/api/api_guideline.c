/*
 * api_guideline.c — operational guidelines: thin handlers over
 * domain/guideline/ (which also decides who may do what); a guideline's
 * answer carries its text rendered as safe HTML (render/markdown.c).
 */
#include "api/handlers.h"
#include "domain/guideline/guideline.h"
#include "render/markdown.h"

#include <string.h>

void api_guidelines_list(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = guideline_list_json(r->st, &r->actor, r->query, &out, &e);

	reply_result(r, rc, 200, out, &e);
}

void api_guidelines_create(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = guideline_add(r->st, &r->actor, r->json, &out, &e);

	reply_result(r, rc, 201, out, &e);
}

void api_guidelines_get(struct req *r)
{
	struct err e = { 0 };
	struct buf html = BUF_INIT;
	json_t *out = NULL;
	int rc = guideline_get_json(r->st, &r->actor, r->params[0], &out, &e);

	if (!rc) {
		const char *text = json_string_value(json_object_get(out, "text"));

		if (md_to_html(text, strlen(text ? text : ""), &html))
			rc = err_set(&e, ERR_INTERNAL, NULL, "cannot render the guideline's text");
		else
			json_object_set_new(out, "html", json_string(buf_str(&html)));
	}
	buf_release(&html);
	if (rc) {
		json_decref(out);
		out = NULL;
	}
	reply_result(r, rc, 200, out, &e);
}

void api_guidelines_edit(struct req *r)
{
	reply_ref_call(r, guideline_edit, 200);
}

void api_guidelines_publish(struct req *r)
{
	reply_ref_call(r, guideline_publish, 200);
}

void api_guidelines_ack(struct req *r)
{
	reply_ref_call(r, guideline_ack, 200);
}

void api_guidelines_acks(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = guideline_acks_json(r->st, &r->actor, r->params[0], r->query, &out, &e);

	reply_result(r, rc, 200, out, &e);
}

void api_guidelines_check(struct req *r)
{
	reply_ref_call(r, guideline_check, 201);
}
