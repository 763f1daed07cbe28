/*
 * report_html.c — the service level report (the JSON of
 * report_service_level, see domain/sla/report.h) as one self-contained HTML
 * page: two SVG charts (availability by service against its target,
 * compliance by SLA), the tables beneath them and the breaches of each SLA.
 * No script, nothing loaded from elsewhere (the one link is to the full
 * breach list, when an SLA shows only its most overdue), one inline stylesheet
 * (report_html_style, so a Content-Security-Policy can allow it by its
 * hash); every name from the report is escaped.
 * A figure that is null prints "n/a"; a percentage prints as the JSON has it
 * and is marked met or missed by the report's target_met, decided on the
 * unrounded figure.
 */
#include "lib/csv.h"
#include "render/html.h"
#include "render/report.h"
#include "render/svg.h"

#include <math.h>

static void fmt_pct(struct buf *b, const json_t *o, const char *k)
{
	int has;
	double v = html_json_num(o, k, &has);

	/* The figure as the JSON has it (4 decimals, rounded down, trailing
	 * zeros dropped): a miss never prints as its target. */
	if (has) {
		csv_put_decimal(b, v, 4);
		buf_puts(b, " %");
	} else
		buf_puts(b, "n/a");
}

static void fmt_dur(struct buf *b, const json_t *o, const char *k)
{
	int has;
	double v = html_json_num(o, k, &has);

	if (!has)
		buf_puts(b, "n/a");
	else if (v >= 3600)
		buf_printf(b, "%.1f h", v / 3600);
	else
		buf_printf(b, "%.0f min", v / 60);
}

const char report_html_style[] =
	"body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#1a202c}"
	"table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #cbd5e0;"
	"padding:4px 8px;text-align:right}th{background:#edf2f7}td:first-child,"
	"th:first-child{text-align:left}.t{font-weight:600;font-size:14px}"
	".l{font-size:12px}.bad{color:#c53030}.ok{color:#2f855a}";

/* When an SLA lists only its most overdue breaches: how many of how many,
 * and where all of them are (the CSV download of the breaches route; the
 * names in it are identifiers, letters, digits and "._-", which need no
 * URL escaping, and are HTML-escaped all the same). */
static void breaches_note(struct buf *b, const json_t *r, const json_t *sla)
{
	size_t shown = json_array_size(json_object_get(sla, "breaches"));
	long long total = (long long)json_integer_value(json_object_get(sla, "breaches_total"));

	if ((long long)shown >= total)
		return;
	buf_printf(b, "<p class=\"l\">The %zu most overdue of %lld, the most overdue first; all of "
		      "them: <a href=\"/api/v1/reports/service-level/breaches?customer=",
		   shown, total);
	html_put_text(b, json_string_value(json_object_get(r, "customer")));
	buf_puts(b, "&amp;month=");
	html_put_text(b, json_string_value(json_object_get(r, "month")));
	buf_puts(b, "&amp;sla=");
	html_put_text(b, json_string_value(json_object_get(sla, "sla")));
	buf_puts(b, "&amp;format=csv\">CSV</a>.</p>\n");
}

int report_render_html(const json_t *r, struct buf *b)
{
	static const char *const avail_keys[] = { "availability_percent", NULL };
	static const char *const avail_names[] = { "availability" };
	static const char *const comp_keys[] = { "response_percent", "resolution_percent", NULL };
	static const char *const comp_names[] = { "response", "resolution" };
	const json_t *slas = json_object_get(r, "slas"), *svcs = json_object_get(r, "services");
	const char *cust = json_string_value(json_object_get(r, "customer"));
	const char *month = json_string_value(json_object_get(r, "month"));
	double lo = 100;
	size_t i;
	json_t *it;

	/* The availability scale starts a little below the lowest figure. */
	json_array_foreach(svcs, i, it)
	{
		int hv, ht;
		double v = html_json_num(it, "availability_percent", &hv);
		double t = html_json_num(it, "target_percent", &ht);

		if (hv && v < lo)
			lo = v;
		if (ht && t < lo)
			lo = t;
	}
	lo = lo >= 100 ? 99 : floor(lo - (100 - lo) * 0.5);
	if (lo < 0)
		lo = 0;
	buf_puts(b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
		    "<title>Service level report ");
	html_put_text(b, cust);
	buf_puts(b, " ");
	html_put_text(b, month);
	buf_puts(b, "</title><style>");
	buf_puts(b, report_html_style);
	buf_puts(b, "</style></head><body>\n<h1>Service level report</h1><p>Customer <b>");
	html_put_text(b, cust);
	buf_puts(b, "</b>, month <b>");
	html_put_text(b, month);
	buf_puts(b, "</b></p>\n<h2>Availability</h2>\n");
	svg_put_bars(b, "Availability by service", svcs, "service", avail_keys, avail_names,
		     "target_percent", lo);
	buf_puts(b, "<table><tr><th>service</th><th>agreed</th><th>downtime</th>"
		    "<th>availability</th><th>target</th><th>outages</th><th>MTTR</th>"
		    "<th>MTBF</th></tr>\n");
	json_array_foreach(svcs, i, it)
	{
		const json_t *met = json_object_get(it, "target_met");

		buf_puts(b, "<tr><td>");
		html_put_text(b, json_string_value(json_object_get(it, "service")));
		buf_puts(b, "</td><td>");
		fmt_dur(b, it, "agreed_seconds");
		buf_puts(b, "</td><td>");
		fmt_dur(b, it, "downtime_seconds");
		buf_printf(b, "</td><td class=\"%s\">",
			   json_is_boolean(met) ? (json_is_true(met) ? "ok" : "bad") : "");
		fmt_pct(b, it, "availability_percent");
		buf_puts(b, "</td><td>");
		fmt_pct(b, it, "target_percent");
		buf_printf(b, "</td><td>%lld</td><td>",
			   (long long)json_integer_value(json_object_get(it, "outages")));
		fmt_dur(b, it, "mttr_seconds");
		buf_puts(b, "</td><td>");
		fmt_dur(b, it, "mtbf_seconds");
		buf_puts(b, "</td></tr>\n");
	}
	buf_puts(b, "</table>\n<h2>Ticket compliance</h2>\n");
	svg_put_bars(b, "Compliance by SLA", slas, "sla", comp_keys, comp_names, NULL, 0);
	buf_puts(b, "<table><tr><th>SLA</th><th>service</th><th>tickets</th><th>response met</th>"
		    "<th>resolution met</th><th>mean time to resolve</th><th>breaches</th></tr>\n");
	json_array_foreach(slas, i, it)
	{
		buf_puts(b, "<tr><td>");
		html_put_text(b, json_string_value(json_object_get(it, "sla")));
		buf_puts(b, "</td><td>");
		html_put_text(b, json_string_value(json_object_get(it, "service")));
		buf_printf(b, "</td><td>%lld</td><td>%lld (",
			   (long long)json_integer_value(json_object_get(it, "tickets")),
			   (long long)json_integer_value(json_object_get(it, "response_met")));
		fmt_pct(b, it, "response_percent");
		buf_printf(b, ")</td><td>%lld (",
			   (long long)json_integer_value(json_object_get(it, "resolution_met")));
		fmt_pct(b, it, "resolution_percent");
		buf_puts(b, ")</td><td>");
		fmt_dur(b, it, "mttr_seconds");
		buf_printf(b, "</td><td>%lld</td></tr>\n",
			   (long long)json_integer_value(json_object_get(it, "breaches_total")));
	}
	buf_puts(b, "</table>\n");
	json_array_foreach(slas, i, it)
	{
		const json_t *br = json_object_get(it, "breaches");
		size_t j;
		json_t *x;

		if (!json_array_size(br))
			continue;
		buf_puts(b, "<h3>Breaches of ");
		html_put_text(b, json_string_value(json_object_get(it, "sla")));
		buf_puts(b, "</h3>\n");
		breaches_note(b, r, it);
		buf_puts(b, "<table><tr><th>ticket</th><th>clock</th><th>due</th>"
			    "<th>stopped</th></tr>\n");
		json_array_foreach(br, j, x)
		{
			buf_puts(b, "<tr><td>");
			html_put_text(b, json_string_value(json_object_get(x, "ticket")));
			buf_puts(b, "</td><td>");
			html_put_text(b, json_string_value(json_object_get(x, "clock")));
			buf_puts(b, "</td><td>");
			html_put_text(b, json_string_value(json_object_get(x, "due")));
			buf_puts(b, "</td><td>");
			html_put_text(b, json_string_value(json_object_get(x, "stopped")));
			buf_puts(b, "</td></tr>\n");
		}
		buf_puts(b, "</table>\n");
	}
	buf_puts(b, "<p class=\"l\">Availability = (agreed − downtime) / agreed, where agreed is "
		    "the SLA calendar's open time in the month less planned maintenance, and "
		    "downtime the unplanned outage time inside it (overlaps merged).</p>"
		    "</body></html>\n");
	return 0;
}
