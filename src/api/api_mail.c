/*
 * api_mail.c — e-mail in over HTTP, for a mail server that forwards rather
 * than pipes: POST /api/v1/mail/inbound takes one raw message
 * (message/rfc822) and does what `itsm mail receive` does; the messages of
 * a ticket, and one raw message for staff.
 *
 * The answer tells a forwarder what to do, as the exit status tells an
 * MTA: 200 stored (its outcome: created, commented, ignored as a robot's,
 * or duplicate), 403 refused (recorded; bounce it), 400 not a message, 413
 * over mail.max_size, 503 the store is busy (retry).
 */
#include "api/handlers.h"
#include "domain/mail/mail.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

void api_mail_inbound(struct req *r)
{
	const char *ct = req_header(r, "Content-Type");
	struct mail_receipt rec;
	struct err e = { 0 };
	int rc;

	if (!ct || strncasecmp(ct, "message/rfc822", 14) || (ct[14] && ct[14] != ';' &&
							     ct[14] != ' ')) {
		reply_errorf(r, ERR_MEDIA, NULL, "send the message as message/rfc822");
		return;
	}
	if (!r->body.len) {
		reply_errorf(r, ERR_INVALID, "message", "the body is empty: send one message");
		return;
	}
	rc = mail_receive(r->st, &r->actor, req_query(r, "queue"), r->body.data, r->body.len, &rec,
			  &e);
	if (rc) {
		reply_error(r, &e);
		return;
	}
	if (rec.outcome == MAIL_REFUSED && !rec.duplicate) {
		/* "mail" names the stored message: a recorded refusal, which a
		 * gate tells from a token that may not deliver (also 403). */
		err_set(&e, ERR_FORBIDDEN, NULL, "refused (mail %lld): %s", (long long)rec.id,
			rec.reason);
		reply_error_with(r, &e, "mail", json_integer(rec.id));
		return;
	}
	reply_json(r, 200, mail_receipt_json(&rec));
}

void api_tickets_mail(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = mail_ticket_list_json(r->st, &r->actor, r->params[0], &out, &e);

	reply_result(r, rc, 200, out, &e);
}

void api_mail_raw(struct req *r)
{
	long long id;
	unsigned char *raw = NULL;
	struct err e = { 0 };
	size_t n = 0;

	if (req_param_id(r, 0, "mail", &id, &e) || mail_raw_get(r->st, &r->actor, id, &raw, &n, &e)) {
		reply_error(r, &e);
		return;
	}
	reply_raw(r, 200, "message/rfc822", raw, n, 1);
	free(raw);
}
