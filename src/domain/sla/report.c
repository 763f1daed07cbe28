/*
 * report.c — the monthly service level report (see report.h).
 *
 * Ticket figures come from SQL aggregates over the covering index
 * ticket_sla_report (one index range per SLA: the tickets resolved in the
 * month), never from loading tickets; the breach list reads only the late
 * ones. The month is taken in the zone of each SLA's calendar. Availability
 * per service is avail_compute() over the service's outages meeting the
 * month, against the same calendar.
 */
#include "domain/sla/report.h"
#include "domain/sla/availability.h"
#include "domain/sla/calendar.h"
#include "domain/sla/sla.h"
#include "domain/platform/user.h"
#include "lib/jsonx.h"
#include "lib/timeutil.h"
#include "store/store_sla.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static json_t *num_or_null(int has, double v)
{
	return has ? json_real(v) : json_null();
}

static int add_breach(const char *key, int clock, int64_t due, int64_t stopped, void *ctx)
{
	json_t *b = json_pack("{s:s, s:s}", "ticket", key, "clock",
			      clock ? "resolution" : "response");

	jx_set_time(b, "due", due);
	jx_set_time(b, "stopped", stopped);
	json_array_append_new(ctx, b);
	return 0;
}

static int parse_month(const char *s, int *y, int *m, struct err *e)
{
	if (!s || strlen(s) != 7 || s[4] != '-' || strspn(s, "0123456789") != 4 ||
	    strspn(s + 5, "0123456789") != 2 || (*y = atoi(s)) < 1 || (*m = atoi(s + 5)) < 1 ||
	    *m > 12)
		return err_set(e, ERR_INVALID, "month", "month must be YYYY-MM, not '%s'",
			       s ? s : "");
	return 0;
}

static int service_entry(struct store *st, const struct sla_def *d, const struct calendar *c,
			 int64_t t0, int64_t t1, json_t **out, struct err *e)
{
	struct outage_rec *v;
	struct avail_outage *o;
	struct avail_result res;
	size_t n;
	int rc;

	if ((rc = st->ops->sla->outage_list(st, d->service, t0, t1, &v, &n, e)))
		return rc;
	o = calloc(n ? n : 1, sizeof(*o));
	if (!o) {
		free(v);
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	}
	for (size_t i = 0; i < n; i++) {
		o[i].start = v[i].start;
		o[i].end = v[i].end;
		o[i].ongoing = v[i].end == 0;
		o[i].planned = v[i].planned;
	}
	free(v);
	rc = avail_compute(c, t0, t1, o, n, &res, e);
	free(o);
	if (rc)
		return rc;
	*out = json_pack("{s:s, s:I, s:I, s:o, s:o, s:I, s:o, s:o}", "service", d->service,
			 "agreed_seconds", (json_int_t)res.agreed_seconds, "downtime_seconds",
			 (json_int_t)res.downtime_seconds, "availability_percent",
			 num_or_null(res.has_availability, res.availability_percent),
			 "target_percent",
			 num_or_null(d->availability_target >= 0, d->availability_target),
			 "outages", (json_int_t)res.outages, "mttr_seconds",
			 num_or_null(res.has_mttr, res.mttr_seconds), "mtbf_seconds",
			 num_or_null(res.has_mttr, res.mtbf_seconds));
	return 0;
}

static int sla_entry(struct store *st, const struct sla_rec *r, int y, int m, json_t *slas,
		     json_t *services, struct err *e)
{
	struct sla_def d;
	const struct calendar *c;
	struct sla_stats s;
	int64_t t0, t1;
	json_t *breaches, *svc = NULL;
	int rc;

	if ((rc = sla_def_parse(r->body, &d, e)))
		return rc;
	d.id = r->id;
	if ((rc = sla_calendar_load(st, NULL, r->calendar, NULL, &c, e)) ||
	    (rc = calendar_month_range(c, y, m, &t0, &t1)) ||
	    (rc = st->ops->sla->report_stats(st, r->id, t0, t1, &s, e))) {
		sla_def_release(&d);
		return rc == ERR_INVALID ? err_set(e, rc, "month", "month out of range") : rc;
	}
	breaches = json_array();
	if ((rc = st->ops->sla->report_breaches(st, r->id, t0, t1, add_breach, breaches, e)) ||
	    (rc = service_entry(st, &d, c, t0, t1, &svc, e))) {
		json_decref(breaches);
		sla_def_release(&d);
		return rc;
	}
	json_array_append_new(
		slas,
		json_pack("{s:s, s:s, s:I, s:I, s:I, s:o, s:o, s:o, s:o}", "sla", r->name, "service",
			  r->service, "tickets", (json_int_t)s.tickets, "response_met",
			  (json_int_t)s.response_met, "resolution_met",
			  (json_int_t)s.resolution_met, "response_percent",
			  num_or_null(s.tickets > 0, 100.0 * (double)s.response_met / (double)s.tickets),
			  "resolution_percent",
			  num_or_null(s.tickets > 0,
				      100.0 * (double)s.resolution_met / (double)s.tickets),
			  "mttr_seconds",
			  num_or_null(s.tickets > 0, (double)s.res_spent_sum / (double)s.tickets),
			  "breaches", breaches));
	/* One entry per service: the first SLA's calendar and target count. */
	{
		size_t i;
		json_t *x;
		int seen = 0;

		json_array_foreach(services, i, x)
		{
			if (!strcmp(json_string_value(json_object_get(x, "service")), d.service))
				seen = 1;
		}
		if (seen)
			json_decref(svc);
		else
			json_array_append_new(services, svc);
	}
	sla_def_release(&d);
	return 0;
}

int report_service_level(struct store *st, const struct actor *a, const char *customer,
			 const char *month, json_t **out, struct err *e)
{
	struct customer cu;
	struct sla_rec *v;
	size_t n;
	int y = 0, m = 0, rc;
	json_t *slas, *services;

	if (!customer || !*customer)
		return err_set(e, ERR_INVALID, "customer", "'customer' is required");
	if ((rc = customer_named(st, NULL, customer, &cu, e)))
		return rc;
	if (!actor_is_staff(a) && a->customer_id != cu.id)
		return err_set(e, ERR_NOT_FOUND, NULL, "customer '%s' not found", customer);
	if ((rc = parse_month(month, &y, &m, e)))
		return rc;
	if ((rc = st->ops->sla->sla_list(st, cu.id, NULL, &v, &n, e)))
		return rc;
	slas = json_array();
	services = json_array();
	for (size_t i = 0; i < n && !rc; i++)
		rc = sla_entry(st, &v[i], y, m, slas, services, e);
	sla_free_slas(v, n);
	if (rc) {
		json_decref(slas);
		json_decref(services);
		return rc;
	}
	*out = json_pack("{s:s, s:s, s:o, s:o}", "customer", cu.key, "month", month, "slas", slas,
			 "services", services);
	return 0;
}

/* ---- renderings ---- */

static void csv_field(struct buf *b, const json_t *v)
{
	if (json_is_string(v)) {
		const char *s = json_string_value(v);

		buf_putc(b, '"');
		for (; *s; s++) {
			if (*s == '"')
				buf_putc(b, '"');
			buf_putc(b, *s);
		}
		buf_putc(b, '"');
	} else if (json_is_integer(v)) {
		buf_printf(b, "%lld", (long long)json_integer_value(v));
	} else if (json_is_real(v)) {
		buf_printf(b, "%.6g", json_real_value(v));
	}
}

static void csv_rows(struct buf *b, const json_t *items, const char *const *cols)
{
	size_t i;
	json_t *it;

	for (const char *const *c = cols; *c; c++)
		buf_printf(b, "%s%s", c == cols ? "" : ",", *c);
	buf_putc(b, '\n');
	json_array_foreach(items, i, it)
	{
		for (const char *const *c = cols; *c; c++) {
			json_t *v = json_object_get(it, *c);

			if (c != cols)
				buf_putc(b, ',');
			if (json_is_array(v))
				buf_printf(b, "%zu", json_array_size(v));
			else
				csv_field(b, v);
		}
		buf_putc(b, '\n');
	}
}

int report_render_csv(const json_t *r, struct buf *b)
{
	static const char *const sla_cols[] = { "sla",		  "service",
						"tickets",	  "response_met",
						"resolution_met", "response_percent",
						"resolution_percent", "mttr_seconds",
						"breaches",	  NULL };
	static const char *const svc_cols[] = { "service",	    "agreed_seconds",
						"downtime_seconds", "availability_percent",
						"target_percent",   "outages",
						"mttr_seconds",	    "mtbf_seconds",
						NULL };

	buf_printf(b, "# service level report: customer %s, month %s\n",
		   json_string_value(json_object_get(r, "customer")),
		   json_string_value(json_object_get(r, "month")));
	csv_rows(b, json_object_get(r, "slas"), sla_cols);
	buf_putc(b, '\n');
	csv_rows(b, json_object_get(r, "services"), svc_cols);
	return 0;
}

static void html_text(struct buf *b, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '<': buf_puts(b, "&lt;"); break;
		case '>': buf_puts(b, "&gt;"); break;
		case '&': buf_puts(b, "&amp;"); break;
		case '"': buf_puts(b, "&quot;"); break;
		case '\'': buf_puts(b, "&#39;"); break;
		default: buf_putc(b, *s);
		}
	}
}

static double num(const json_t *o, const char *k, int *has)
{
	json_t *v = json_object_get(o, k);

	*has = json_is_number(v);
	return *has ? json_number_value(v) : 0;
}

static void fmt_pct(struct buf *b, const json_t *o, const char *k)
{
	int has;
	double v = num(o, k, &has);

	if (has)
		buf_printf(b, "%.3f %%", v);
	else
		buf_puts(b, "n/a");
}

static void fmt_dur(struct buf *b, const json_t *o, const char *k)
{
	int has;
	double v = num(o, k, &has);

	if (!has)
		buf_puts(b, "n/a");
	else if (v >= 3600)
		buf_printf(b, "%.1f h", v / 3600);
	else
		buf_printf(b, "%.0f min", v / 60);
}

/* A horizontal bar chart, one row per item, with an optional target mark.
 * lo..100 is the scale. */
static void svg_bars(struct buf *b, const char *title, const json_t *items, const char *label,
		     const char *const *keys, const char *const *names, const char *target,
		     double lo)
{
	static const char *const colors[] = { "#2b6cb0", "#38a169", "#d69e2e" };
	size_t n = json_array_size(items), nk = 0, i;
	int row_h = 22, left = 180, width = 420;
	json_t *it;

	while (keys[nk])
		nk++;
	int h = 40 + (int)(n ? n : 1) * (row_h * (int)nk + 10) + 24;
	buf_printf(b,
		   "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"%d\" "
		   "height=\"%d\" viewBox=\"0 0 %d %d\"><title>",
		   left + width + 90, h, left + width + 90, h);
	html_text(b, title);
	buf_printf(b, "</title><text x=\"0\" y=\"16\" class=\"t\">");
	html_text(b, title);
	buf_puts(b, "</text>");
	for (size_t k = 0; k < nk; k++)
		buf_printf(b,
			   "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/>"
			   "<text x=\"%d\" y=\"%d\" class=\"l\">%s</text>",
			   left + (int)k * 140, 24, colors[k % 3], left + (int)k * 140 + 14, 33,
			   names[k]);
	if (!n)
		buf_printf(b, "<text x=\"0\" y=\"60\" class=\"l\">no data</text>");
	json_array_foreach(items, i, it)
	{
		int y0 = 44 + (int)i * (row_h * (int)nk + 10), has;

		buf_printf(b, "<text x=\"0\" y=\"%d\" class=\"l\">", y0 + 15);
		html_text(b, json_string_value(json_object_get(it, label)));
		buf_puts(b, "</text>");
		for (size_t k = 0; k < nk; k++) {
			double v = num(it, keys[k], &has), f = has ? (v - lo) / (100 - lo) : 0;
			int y = y0 + (int)k * row_h;

			if (f < 0)
				f = 0;
			if (f > 1)
				f = 1;
			buf_printf(b,
				   "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#edf2f7\"/>"
				   "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>"
				   "<text x=\"%d\" y=\"%d\" class=\"l\">",
				   left, y, width, row_h - 4, left, y, f * width, row_h - 4,
				   colors[k % 3], left + width + 6, y + 14);
			if (has)
				buf_printf(b, "%.3f%%", v);
			else
				buf_puts(b, "n/a");
			buf_puts(b, "</text>");
		}
		if (target) {
			double t = num(it, target, &has);

			if (has && t >= lo) {
				double x = left + (t - lo) / (100 - lo) * width;

				buf_printf(b,
					   "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" "
					   "stroke=\"#c53030\" stroke-width=\"2\"><title>target "
					   "%.3f%%</title></line>",
					   x, x, y0 - 2, y0 + row_h * (int)nk, t);
			}
		}
	}
	buf_printf(b, "<text x=\"%d\" y=\"%d\" class=\"l\">scale %.0f%% – 100%%%s</text></svg>\n",
		   left, h - 6, lo, target ? "; red line: target" : "");
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
		double v = num(it, "availability_percent", &hv), t = num(it, "target_percent", &ht);

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
	html_text(b, cust);
	buf_puts(b, " ");
	html_text(b, month);
	buf_puts(b, "</title><style>body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#1a202c}"
		    "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #cbd5e0;"
		    "padding:4px 8px;text-align:right}th{background:#edf2f7}td:first-child,"
		    "th:first-child{text-align:left}.t{font-weight:600;font-size:14px}"
		    ".l{font-size:12px}.bad{color:#c53030}.ok{color:#2f855a}</style></head><body>\n"
		    "<h1>Service level report</h1><p>Customer <b>");
	html_text(b, cust);
	buf_puts(b, "</b>, month <b>");
	html_text(b, month);
	buf_puts(b, "</b></p>\n<h2>Availability</h2>\n");
	svg_bars(b, "Availability by service", svcs, "service", avail_keys, avail_names,
		 "target_percent", lo);
	buf_puts(b, "<table><tr><th>service</th><th>agreed</th><th>downtime</th>"
		    "<th>availability</th><th>target</th><th>outages</th><th>MTTR</th>"
		    "<th>MTBF</th></tr>\n");
	json_array_foreach(svcs, i, it)
	{
		int ha, ht;
		double av = num(it, "availability_percent", &ha), tg = num(it, "target_percent", &ht);

		buf_puts(b, "<tr><td>");
		html_text(b, json_string_value(json_object_get(it, "service")));
		buf_puts(b, "</td><td>");
		fmt_dur(b, it, "agreed_seconds");
		buf_puts(b, "</td><td>");
		fmt_dur(b, it, "downtime_seconds");
		buf_printf(b, "</td><td class=\"%s\">", ha && ht ? (av >= tg ? "ok" : "bad") : "");
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
	svg_bars(b, "Compliance by SLA", slas, "sla", comp_keys, comp_names, NULL, 0);
	buf_puts(b, "<table><tr><th>SLA</th><th>service</th><th>tickets</th><th>response met</th>"
		    "<th>resolution met</th><th>mean time to resolve</th><th>breaches</th></tr>\n");
	json_array_foreach(slas, i, it)
	{
		buf_puts(b, "<tr><td>");
		html_text(b, json_string_value(json_object_get(it, "sla")));
		buf_puts(b, "</td><td>");
		html_text(b, json_string_value(json_object_get(it, "service")));
		buf_printf(b, "</td><td>%lld</td><td>%lld (",
			   (long long)json_integer_value(json_object_get(it, "tickets")),
			   (long long)json_integer_value(json_object_get(it, "response_met")));
		fmt_pct(b, it, "response_percent");
		buf_printf(b, ")</td><td>%lld (",
			   (long long)json_integer_value(json_object_get(it, "resolution_met")));
		fmt_pct(b, it, "resolution_percent");
		buf_puts(b, ")</td><td>");
		fmt_dur(b, it, "mttr_seconds");
		buf_printf(b, "</td><td>%zu</td></tr>\n",
			   json_array_size(json_object_get(it, "breaches")));
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
		html_text(b, json_string_value(json_object_get(it, "sla")));
		buf_puts(b, "</h3><table><tr><th>ticket</th><th>clock</th><th>due</th>"
			    "<th>stopped</th></tr>\n");
		json_array_foreach(br, j, x)
		{
			buf_puts(b, "<tr><td>");
			html_text(b, json_string_value(json_object_get(x, "ticket")));
			buf_puts(b, "</td><td>");
			html_text(b, json_string_value(json_object_get(x, "clock")));
			buf_puts(b, "</td><td>");
			html_text(b, json_string_value(json_object_get(x, "due")));
			buf_puts(b, "</td><td>");
			html_text(b, json_string_value(json_object_get(x, "stopped")));
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
