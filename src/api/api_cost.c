/*
 * api_cost.c — time entries and the cost report: thin handlers over
 * domain/cost (which also enforces who may do what, so the CLI's --as gets
 * the same answers).
 */
#include "api/handlers.h"
#include "domain/cost/cost.h"
#include "lib/ident.h"
#include "render/cost.h"

#include <stdio.h>
#include <string.h>

typedef int (*ref_fn)(struct store *st, const struct actor *a, const char *ref, json_t **out,
		      struct err *e);
typedef int (*ref_query_fn)(struct store *st, const struct actor *a, const char *ref,
			    const json_t *query, json_t **out, struct err *e);

static void list(struct req *r, ref_query_fn fn)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = fn(r->st, &r->actor, r->params[0], r->query, &out, &e);

	reply_result(r, rc, 200, out, &e);
}

static void one(struct req *r, ref_fn fn)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = fn(r->st, &r->actor, r->params[0], &out, &e);

	reply_result(r, rc, 200, out, &e);
}

void api_tickets_time_add(struct req *r)
{
	reply_ref_call(r, time_add_ticket, 201);
}

void api_tickets_time(struct req *r)
{
	list(r, time_list_ticket);
}

void api_runs_time_add(struct req *r)
{
	reply_ref_call(r, time_add_run, 201);
}

void api_runs_time(struct req *r)
{
	list(r, time_list_run);
}

void api_changes_time_add(struct req *r)
{
	reply_ref_call(r, time_add_change, 201);
}

void api_changes_time(struct req *r)
{
	list(r, time_list_change);
}

void api_time_get(struct req *r)
{
	one(r, time_get_json);
}

void api_time_update(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = time_update(r->st, &r->actor, r->params[0], r->json, &out, &e);

	reply_result(r, rc, 200, out, &e);
}

void api_import_time(struct req *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = time_import(r->st, &r->actor, r->json, &out, &e);

	reply_result(r, rc, 201, out, &e);
}

/* JSON, or the report as CSV (a download) or HTML (a page). */
void api_report_cost(struct req *r)
{
	const char *format = req_query(r, "format");
	struct err e = { 0 };
	json_t *out = NULL;
	struct buf b = BUF_INIT;
	char disposition[160];
	const char *cust, *month;
	int csv, rc;

	if (format && strcmp(format, "json") && strcmp(format, "csv") && strcmp(format, "html")) {
		reply_errorf(r, ERR_INVALID, "format", "unknown format '%s' (json, csv, html)",
			     format);
		return;
	}
	rc = cost_report(r->st, &r->actor, r->query, &out, &e);
	if (rc || !format || !strcmp(format, "json")) {
		reply_result(r, rc, 200, out, &e);
		return;
	}
	csv = !strcmp(format, "csv");
	if (csv)
		cost_render_csv(out, &b);
	else
		cost_render_html(out, &b);
	if (csv) {
		cust = json_string_value(json_object_get(out, "customer"));
		month = json_string_value(json_object_get(out, "month"));
		/* the month was validated; a customer key is an identifier */
		snprintf(disposition, sizeof(disposition), "attachment; filename=\"cost-%s-%s.csv\"",
			 cust && ident_valid(cust, 64, IDENT_PUNCT) ? cust : "all",
			 month && ident_valid(month, 7, "-") ? month : "month");
		web_reply_page(r, "text/csv; charset=utf-8", NULL, disposition, buf_str(&b), b.len);
	} else {
		web_reply_page(r, "text/html; charset=utf-8", cost_html_style, NULL, buf_str(&b),
			       b.len);
	}
	json_decref(out);
	buf_release(&b);
}
