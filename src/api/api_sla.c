/*
 * api_sla.c — service level management over HTTP: services, calendars (their
 * holidays and arithmetic), SLAs/OLAs — each created, changed and retired — outages, the watcher's tick and the outbox
 * (admin tools), the service level report and the history import. Thin
 * handlers over domain/service.c, sla*.c, outage.c, report.c, import.c.
 */
#include "api/handlers.h"
#include "domain/desk/import.h"
#include "domain/sla/outage.h"
#include "domain/platform/outbox.h"
#include "domain/sla/report.h"
#include "domain/sla/service.h"
#include "domain/sla/sla.h"
#include "lib/ident.h"
#include "render/report.h"

#include <stdlib.h>
#include <string.h>

#define RESULT(r, call, status)                                                                    \
	do {                                                                                       \
		struct err e_ = { 0 };                                                             \
		json_t *out_ = NULL;                                                               \
		int rc_ = call;                                                                    \
		reply_result((r), rc_, (status), out_, &e_);                                       \
	} while (0)
#define E (&e_)
#define OUT (&out_)

void api_services_list(struct req *r)
{
	RESULT(r, service_list_json(r->st, &r->actor, r->query, OUT, E), 200);
}

void api_services_create(struct req *r)
{
	RESULT(r, service_add(r->st, &r->actor, r->json, OUT, E), 201);
}

void api_services_get(struct req *r)
{
	RESULT(r, service_get_json(r->st, &r->actor, r->params[0], OUT, E), 200);
}

void api_services_update(struct req *r)
{
	RESULT(r, service_update(r->st, &r->actor, r->params[0], r->json, OUT, E), 200);
}

void api_calendars_list(struct req *r)
{
	RESULT(r, sla_calendar_list_json(r->st, &r->actor, r->query, OUT, E), 200);
}

void api_calendars_create(struct req *r)
{
	RESULT(r, sla_calendar_add(r->st, &r->actor, r->json, OUT, E), 201);
}

void api_calendars_get(struct req *r)
{
	RESULT(r, sla_calendar_get_json(r->st, r->params[0], OUT, E), 200);
}

void api_calendars_update(struct req *r)
{
	RESULT(r, sla_calendar_update(r->st, &r->actor, r->params[0], r->json, OUT, E), 200);
}

void api_calendars_holidays(struct req *r)
{
	RESULT(r, sla_calendar_holidays_json(r->st, r->params[0], r->query, OUT, E), 200);
}

void api_calendars_holiday_add(struct req *r)
{
	RESULT(r, sla_calendar_holiday_add(r->st, &r->actor, r->params[0], r->json, OUT, E), 201);
}

void api_calendars_holiday_remove(struct req *r)
{
	RESULT(r,
	       sla_calendar_holiday_remove(r->st, &r->actor, r->params[0], r->params[1], OUT, E),
	       200);
}

void api_calendars_due(struct req *r)
{
	RESULT(r,
	       sla_calendar_due_json(r->st, r->params[0], req_query(r, "from"),
				     req_query(r, "minutes"), OUT, E),
	       200);
}

void api_calendars_elapsed(struct req *r)
{
	RESULT(r,
	       sla_calendar_elapsed_json(r->st, r->params[0], req_query(r, "from"),
					 req_query(r, "to"), OUT, E),
	       200);
}

void api_slas_list(struct req *r)
{
	RESULT(r, sla_list_json(r->st, &r->actor, r->query, OUT, E), 200);
}

void api_slas_create(struct req *r)
{
	RESULT(r, sla_add(r->st, &r->actor, r->json, OUT, E), 201);
}

void api_slas_get(struct req *r)
{
	RESULT(r, sla_get_json(r->st, &r->actor, r->params[0], OUT, E), 200);
}

void api_slas_update(struct req *r)
{
	RESULT(r, sla_update(r->st, &r->actor, r->params[0], r->json, OUT, E), 200);
}

void api_outages_list(struct req *r)
{
	RESULT(r, outage_list_json(r->st, &r->actor, r->query, OUT, E), 200);
}

void api_outages_get(struct req *r)
{
	RESULT(r, outage_get_json(r->st, &r->actor, r->params[0], OUT, E), 200);
}

void api_outages_create(struct req *r)
{
	RESULT(r, outage_create(r->st, &r->actor, r->json, OUT, E), 201);
}

void api_outages_update(struct req *r)
{
	RESULT(r, outage_update(r->st, &r->actor, r->params[0], r->json, OUT, E), 200);
}

void api_sla_tick(struct req *r)
{
	RESULT(r, sla_tick_json(r->st, &r->actor, r->json, OUT, E), 200);
}

void api_outbox_list(struct req *r)
{
	RESULT(r, outbox_list_json(r->st, &r->actor, r->query, OUT, E), 200);
}

void api_import_tickets(struct req *r)
{
	RESULT(r, import_tickets_json(r->st, &r->actor, r->json, OUT, E), 201);
}

/* ?format=json (default) | csv | html */
/* "attachment; filename=…" for a rendering of the report, the name made of
 * the customer's key and the month (idents: nothing to quote). */
/* The file name of a download of the report (what, when not NULL, names the
 * part: "breaches-SLA"). The names are identifiers (no quote, no CR/LF);
 * one that is not, which cannot happen, gives the plain name. */
static void report_disposition(const json_t *report, const char *what, const char *ext,
			       char *out, size_t n)
{
	const char *cust = json_string_value(json_object_get(report, "customer"));
	const char *month = json_string_value(json_object_get(report, "month"));

	if (!cust || !month || !ident_valid(cust, 64, IDENT_PUNCT) ||
	    !ident_valid(month, 7, "-") || (what && !ident_valid(what, 80, IDENT_PUNCT)))
		snprintf(out, n, "attachment; filename=\"service-level.%s\"", ext);
	else
		snprintf(out, n, "attachment; filename=\"service-level-%s-%s%s%s.%s\"", cust, month,
			 what ? "-" : "", what ? what : "", ext);
}

/* JSON, or the report rendered as CSV (a download) or HTML (a page opened
 * from the console, under the console's security headers). */
void api_report_operational_level(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = report_operational_level(r->st, &r->actor, req_query(r, "group"),
					  req_query(r, "month"), &out, &e);

	reply_result(r, rc, 200, out, &e);
}

void api_report_service_level(struct req *r)
{
	const char *format = req_query(r, "format");
	struct err e = { 0 };
	json_t *out = NULL;
	struct buf b = BUF_INIT;
	char disposition[160];
	int csv, rc;

	if (format && strcmp(format, "json") && strcmp(format, "csv") && strcmp(format, "html")) {
		reply_errorf(r, ERR_INVALID, "format", "unknown format '%s' (json, csv, html)",
			     format);
		return;
	}
	rc = report_service_level(r->st, &r->actor, req_query(r, "customer"),
				  req_query(r, "month"), &out, &e);
	if (rc || !format || !strcmp(format, "json")) {
		reply_result(r, rc, 200, out, &e);
		return;
	}
	csv = !strcmp(format, "csv");
	if (csv ? report_render_csv(out, &b) : report_render_html(out, &b)) {
		json_decref(out);
		buf_release(&b);
		reply_errorf(r, ERR_INTERNAL, NULL, "cannot render the report");
		return;
	}
	if (csv) {
		report_disposition(out, NULL, "csv", disposition, sizeof(disposition));
		web_reply_page(r, "text/csv; charset=utf-8", NULL, disposition, buf_str(&b), b.len);
	} else {
		web_reply_page(r, "text/html; charset=utf-8", report_html_style, NULL, buf_str(&b),
			       b.len);
	}
	json_decref(out);
	buf_release(&b);
}

/* One SLA's breaches in the report's month: a page (JSON), or every one as
 * a CSV download. */
void api_report_breaches(struct req *r)
{
	const char *format = req_query(r, "format");
	struct err e = { 0 };
	json_t *out = NULL;
	struct buf b = BUF_INIT;
	char disposition[240], what[80];
	int csv, rc;

	if (format && strcmp(format, "json") && strcmp(format, "csv")) {
		reply_errorf(r, ERR_INVALID, "format", "unknown format '%s' (json, csv)", format);
		return;
	}
	csv = format && !strcmp(format, "csv");
	rc = report_breaches(r->st, &r->actor, r->query, csv, &out, &e);
	if (rc || !csv) {
		reply_result(r, rc, 200, out, &e);
		return;
	}
	report_render_breaches_csv(out, &b);
	snprintf(what, sizeof(what), "breaches-%s",
		 json_string_value(json_object_get(out, "sla")));
	report_disposition(out, what, "csv", disposition, sizeof(disposition));
	web_reply_page(r, "text/csv; charset=utf-8", NULL, disposition, buf_str(&b), b.len);
	json_decref(out);
	buf_release(&b);
}
