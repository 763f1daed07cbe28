/*
 * api_attach.c — files on tickets and links between tickets: thin handlers
 * over domain/attach/ and domain/desk/ticket_links.c.
 *
 * An upload is the file's bytes as the body, whatever its Content-Type
 * (the type served later is sniffed from the bytes), with ?filename= and
 * the optional ?comment= and ?public=; its limit is attach.max_size (413
 * beyond, server.c). A download is the bytes with the sniffed type, as an
 * attachment (never shown inline), nosniff and a sandboxing CSP.
 */
#include "api/handlers.h"
#include "domain/attach/attach.h"
#include "domain/desk/ticket_links.h"

#include <stdlib.h>

void api_attachments_upload(struct req *r)
{
	struct attach_in in = { req_query(r, "filename"), req_query(r, "comment"),
				req_query(r, "public") };
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = attach_add(r->st, &r->actor, r->params[0], &in, r->body.data, r->body.len, &out,
			    &e);

	reply_result(r, rc, 201, out, &e);
}

void api_attachments_list(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = attach_list_json(r->st, &r->actor, r->params[0], &out, &e);

	reply_result(r, rc, 200, out, &e);
}

void api_attachments_get(struct req *r)
{
	long long id;
	struct attachment a;
	struct buf disp = BUF_INIT;
	struct err e = { 0 };

	if (req_param_id(r, 0, "attachment", &id, &e) || attach_get(r->st, &r->actor, id, &a, &e)) {
		reply_error(r, &e);
		return;
	}
	if (attach_disposition(a.filename, &disp))
		reply_errorf(r, ERR_INTERNAL, NULL, "out of memory");
	else
		reply_file(r, a.content_type, disp.data, a.data, a.data_len);
	buf_release(&disp);
	attachment_release(&a);
}

void api_attachments_meta(struct req *r)
{
	long long id;
	struct attachment a;
	struct err e = { 0 };

	if (req_param_id(r, 0, "attachment", &id, &e) || attach_get(r->st, &r->actor, id, &a, &e)) {
		reply_error(r, &e);
		return;
	}
	reply_json(r, 200, attachment_to_json(&a));
	attachment_release(&a);
}

void api_tickets_links(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = ticket_links_json(r->st, &r->actor, r->params[0], &out, &e);

	reply_result(r, rc, 200, out, &e);
}

void api_tickets_link(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = ticket_link_add(r->st, &r->actor, r->params[0], r->json, &out, &e);

	reply_result(r, rc, 201, out, &e);
}

void api_tickets_unlink(struct req *r)
{
	long long id;
	struct err e = { 0 };

	if (req_param_id(r, 1, "link", &id, &e) ||
	    ticket_link_delete(r->st, &r->actor, r->params[0], id, &e)) {
		reply_error(r, &e);
		return;
	}
	reply_raw(r, 204, "application/json", "", 0, 0);
}

void api_tickets_merge(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = ticket_merge(r->st, &r->actor, r->params[0], r->json, &out, &e);

	reply_result(r, rc, 200, out, &e);
}
