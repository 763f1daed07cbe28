/*
 * condition_html.c — a condition report as a self-contained HTML page
 * (no script, no image) laid out for A4 paper: @page sets the size and
 * margins, tables do not break inside a row, the remarks keep their lines.
 * Every text from the report goes through html_put_text.
 */
#include "render/condition.h"
#include "render/html.h"

#include <string.h>

const char condition_html_style[] =
	"@page{size:A4;margin:15mm}"
	"body{font:11pt/1.35 system-ui,sans-serif;color:#1a202c;max-width:180mm;margin:1em auto}"
	"h1{font-size:16pt;margin:0 0 .3em}h2{font-size:12pt;margin:1.2em 0 .3em;"
	"border-bottom:1px solid #cbd5e0;break-after:avoid}"
	"table{border-collapse:collapse;width:100%;margin:.3em 0}"
	"td,th{border:1px solid #cbd5e0;padding:2px 6px;text-align:left;vertical-align:top}"
	"th{background:#edf2f7}tr{break-inside:avoid}td.n{text-align:right}"
	".remarks{white-space:pre-wrap;border:1px solid #cbd5e0;padding:6px;min-height:3em}"
	".l{font-size:9pt;color:#4a5568}.sig td{height:2.2em}"
	"@media print{body{margin:0;max-width:none}a{color:inherit;text-decoration:none}}";

static const char *str(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return s ? s : "";
}

static void cell(struct buf *b, const char *s)
{
	buf_puts(b, "<td>");
	html_put_text(b, s);
	buf_puts(b, "</td>");
}

static void num_row(struct buf *b, const char *name, const json_t *o, const char *k)
{
	buf_puts(b, "<tr><th>");
	html_put_text(b, name);
	buf_printf(b, "</th><td class=\"n\">%lld</td></tr>\n",
		   (long long)json_integer_value(json_object_get(o, k)));
}

/* A list of rows under a header: cols are "key" or "key:Heading". */
static void list(struct buf *b, const json_t *items, const char *const *cols, long long total,
		 long long limit)
{
	size_t i;
	json_t *it;

	if (!json_array_size(items))
		return;
	buf_puts(b, "<table><tr>");
	for (const char *const *c = cols; *c; c++) {
		const char *h = strchr(*c, ':');

		buf_puts(b, "<th>");
		html_put_text(b, h ? h + 1 : *c);
		buf_puts(b, "</th>");
	}
	buf_puts(b, "</tr>\n");
	json_array_foreach(items, i, it)
	{
		buf_puts(b, "<tr>");
		for (const char *const *c = cols; *c; c++) {
			const char *h = strchr(*c, ':');
			char key[32];
			const json_t *v;

			snprintf(key, sizeof(key), "%.*s", (int)(h ? (size_t)(h - *c) : strlen(*c)), *c);
			v = json_object_get(it, key);
			if (json_is_integer(v))
				buf_printf(b, "<td class=\"n\">%lld</td>", (long long)json_integer_value(v));
			else if (json_is_boolean(v))
				cell(b, json_is_true(v) ? "yes" : "no");
			else
				cell(b, json_string_value(v));
		}
		buf_puts(b, "</tr>\n");
	}
	buf_puts(b, "</table>\n");
	if (total > (long long)json_array_size(items))
		buf_printf(b, "<p class=\"l\">The first %zu of %lld (at most %lld are listed).</p>\n",
			   json_array_size(items), total, limit);
}

int condition_render_html(const json_t *r, struct buf *b)
{
	static const char *const dev_cols[] = { "run:Run", "procedure:Procedure", "step:Step",
						"deviation:Deviation", "incident:Incident",
						"done_by:By", "done_at:At", NULL };
	static const char *const missed_cols[] = { "job:Job", "procedure:Procedure",
						   "occurrence:Due", "deadline:Deadline", NULL };
	static const char *const ticket_cols[] = { "key:Incident", "title:Title",
						   "priority:Priority", "status:Status", "at:At",
						   NULL };
	static const char *const change_cols[] = { "key:Change", "title:Title", "type:Type",
						   "status:Status", "at:Started", NULL };
	static const char *const sla_cols[] = { "ticket:Ticket", "clock:Clock", "event:Event",
						"at:At", NULL };
	static const char *const outage_cols[] = { "service:Service", "start:Start", "end:End",
						   "planned:Planned", "incident:Incident", NULL };
	const json_t *f = json_object_get(r, "figures");
	const json_t *x = json_object_get(f, "executions"), *inc = json_object_get(f, "incidents");
	const json_t *chg = json_object_get(f, "changes"), *sla = json_object_get(f, "sla");
	const json_t *ev = json_object_get(f, "events"), *out = json_object_get(f, "outages");
	long long lim = (long long)json_integer_value(json_object_get(f, "list_limit"));
	const char *key = json_string_value(json_object_get(r, "key"));
	const char *shift = json_string_value(json_object_get(r, "shift"));
	const char *sev;
	json_t *v;

	buf_puts(b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
		    "<title>Condition report ");
	html_put_text(b, key ? key : "draft");
	buf_puts(b, "</title><style>");
	buf_puts(b, condition_html_style);
	buf_puts(b, "</style></head><body>\n<h1>Condition report ");
	html_put_text(b, key ? key : "(draft, not stored)");
	buf_puts(b, "</h1>\n<table>");
	buf_puts(b, "<tr><th>Date</th>");
	cell(b, str(r, "date"));
	buf_puts(b, "<th>Shift</th>");
	cell(b, shift ? shift : "whole day");
	buf_puts(b, "</tr>\n<tr><th>From</th>");
	cell(b, str(f, "from"));
	buf_puts(b, "<th>To</th>");
	cell(b, str(f, "to"));
	buf_puts(b, "</tr>\n<tr><th>State</th>");
	cell(b, str(r, "state"));
	buf_puts(b, "<th>Figures</th>");
	cell(b, json_is_true(json_object_get(r, "frozen")) ? "frozen at signing" : "as of now");
	buf_puts(b, "</tr>\n</table>\n");

	buf_puts(b, "<h2>Executions</h2>\n<table>");
	num_row(b, "started", x, "started");
	num_row(b, "completed", x, "completed");
	num_row(b, "running", x, "running");
	num_row(b, "abandoned", x, "abandoned");
	num_row(b, "deviated", x, "deviated");
	num_row(b, "missed", x, "missed");
	buf_puts(b, "</table>\n");
	list(b, json_object_get(x, "deviations"), dev_cols,
	     (long long)json_integer_value(json_object_get(x, "deviated")), lim);
	list(b, json_object_get(x, "missed_items"), missed_cols,
	     (long long)json_integer_value(json_object_get(x, "missed")), lim);

	buf_puts(b, "<h2>Incidents</h2>\n<table>");
	num_row(b, "opened", inc, "opened");
	num_row(b, "resolved", inc, "resolved");
	buf_puts(b, "</table>\n");
	list(b, json_object_get(inc, "opened_items"), ticket_cols,
	     (long long)json_integer_value(json_object_get(inc, "opened")), lim);
	list(b, json_object_get(inc, "resolved_items"), ticket_cols,
	     (long long)json_integer_value(json_object_get(inc, "resolved")), lim);

	buf_puts(b, "<h2>Changes implemented</h2>\n<table>");
	num_row(b, "implemented", chg, "implemented");
	buf_puts(b, "</table>\n");
	list(b, json_object_get(chg, "items"), change_cols,
	     (long long)json_integer_value(json_object_get(chg, "implemented")), lim);

	buf_puts(b, "<h2>Service levels</h2>\n<table>");
	num_row(b, "warnings", sla, "warnings");
	num_row(b, "breaches", sla, "breaches");
	buf_puts(b, "</table>\n");
	list(b, json_object_get(sla, "items"), sla_cols,
	     (long long)(json_integer_value(json_object_get(sla, "warnings")) +
			 json_integer_value(json_object_get(sla, "breaches"))),
	     lim);

	buf_puts(b, "<h2>Events and outages</h2>\n<table>");
	num_row(b, "events received", ev, "received");
	json_object_foreach((json_t *)json_object_get(ev, "by_severity"), sev, v)
	{
		buf_puts(b, "<tr><th>");
		html_put_text(b, sev);
		buf_printf(b, "</th><td class=\"n\">%lld</td></tr>\n", (long long)json_integer_value(v));
	}
	num_row(b, "outages", out, "count");
	buf_puts(b, "</table>\n");
	list(b, json_object_get(out, "items"), outage_cols,
	     (long long)json_integer_value(json_object_get(out, "count")), lim);

	buf_puts(b, "<h2>Remarks</h2>\n<div class=\"remarks\">");
	html_put_text(b, str(r, "remarks"));
	buf_puts(b, "</div>\n<h2>Handover</h2>\n<table class=\"sig\"><tr><th></th><th>Name</th>"
		    "<th>At</th></tr>\n<tr><th>Written by</th>");
	cell(b, str(r, "created_by"));
	cell(b, str(r, "created_at"));
	buf_puts(b, "</tr>\n<tr><th>Signed by</th>");
	cell(b, str(r, "signed_by"));
	cell(b, str(r, "signed_at"));
	buf_puts(b, "</tr>\n<tr><th>Acknowledged by</th>");
	cell(b, str(r, "acknowledged_by"));
	cell(b, str(r, "acknowledged_at"));
	buf_puts(b, "</tr>\n</table>\n");
	if (json_string_value(json_object_get(r, "figures_sha256"))) {
		buf_puts(b, "<p class=\"l\">SHA-256 of the signed figures: ");
		html_put_text(b, str(r, "figures_sha256"));
		buf_puts(b, "</p>\n");
	}
	buf_puts(b, "</body></html>\n");
	return 0;
}
