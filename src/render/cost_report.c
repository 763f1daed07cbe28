/*
 * cost_report.c — the cost report (see render/cost.h) as CSV through
 * lib/csv (names are text cells, always quoted and never left to begin with
 * a formula character; figures are integers; null is an empty cell) and as
 * one HTML page with an inline SVG chart of the trend (each month's cost as
 * a share of the costliest month's), every name escaped, no script.
 */
#include "lib/csv.h"
#include "render/cost.h"
#include "render/html.h"
#include "render/svg.h"

static void cell(struct buf *b, const json_t *v)
{
	if (json_is_string(v))
		csv_put_text(b, json_string_value(v), CSV_QUOTE_ALL);
	else if (json_is_integer(v))
		csv_put_int(b, (long long)json_integer_value(v));
}

static void rows(struct buf *b, const json_t *items, const char *const *cols)
{
	size_t i;
	json_t *it;

	for (const char *const *c = cols; *c; c++) {
		if (c != cols)
			buf_putc(b, ',');
		csv_put_text(b, *c, 0);
	}
	buf_putc(b, '\n');
	json_array_foreach(items, i, it)
	{
		for (const char *const *c = cols; *c; c++) {
			if (c != cols)
				buf_putc(b, ',');
			cell(b, json_object_get(it, *c));
		}
		buf_putc(b, '\n');
	}
}

static const char *str_or(const json_t *r, const char *k, const char *none)
{
	const char *s = json_string_value(json_object_get(r, k));

	return s ? s : none;
}

int cost_render_csv(const json_t *r, struct buf *b)
{
	static const char *const svc_cols[] = { "customer", "service", "entries", "minutes",
						"cost", "other_currency_entries", NULL };
	static const char *const cust_cols[] = { "customer", "entries", "minutes", "cost",
						 "other_currency_entries", NULL };
	static const char *const ticket_cols[] = { "ticket", "customer", "service", "entries",
						   "minutes", "cost", NULL };
	static const char *const trend_cols[] = { "month", "entries", "minutes", "cost", NULL };

	buf_puts(b, "# cost report: month ");
	buf_puts(b, str_or(r, "month", ""));
	buf_puts(b, ", customer ");
	/* a comment line, not a cell: the key is written as a cell would be */
	if (json_is_string(json_object_get(r, "customer")))
		csv_put_text(b, str_or(r, "customer", ""), CSV_QUOTE_ALL);
	else
		buf_puts(b, "all");
	buf_printf(b, ", currency %s (minor units)\n", str_or(r, "currency", ""));
	rows(b, json_object_get(r, "services"), svc_cols);
	buf_putc(b, '\n');
	rows(b, json_object_get(r, "customers"), cust_cols);
	buf_putc(b, '\n');
	rows(b, json_object_get(r, "tickets"), ticket_cols);
	buf_putc(b, '\n');
	rows(b, json_object_get(r, "trend"), trend_cols);
	return 0;
}

const char cost_html_style[] =
	"body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#1a202c}"
	"table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #cbd5e0;"
	"padding:4px 8px;text-align:right}th{background:#edf2f7}td:first-child,"
	"th:first-child{text-align:left}.t{font-weight:600;font-size:14px}.l{font-size:12px}";

static void text_cell(struct buf *b, const json_t *it, const char *k)
{
	const char *s = json_string_value(json_object_get(it, k));

	buf_puts(b, "<td>");
	if (s)
		html_put_text(b, s);
	else
		buf_puts(b, "—");
	buf_puts(b, "</td>");
}

static void int_cell(struct buf *b, const json_t *it, const char *k)
{
	buf_printf(b, "<td>%lld</td>", (long long)json_integer_value(json_object_get(it, k)));
}

/* A table of items: its text columns, then its figures. */
static void table(struct buf *b, const json_t *items, const char *const *texts,
		  const char *const *ints)
{
	size_t i;
	json_t *it;

	buf_puts(b, "<table><tr>");
	for (const char *const *c = texts; *c; c++)
		buf_printf(b, "<th>%s</th>", *c);
	for (const char *const *c = ints; *c; c++)
		buf_printf(b, "<th>%s</th>", *c);
	buf_puts(b, "</tr>\n");
	json_array_foreach(items, i, it)
	{
		buf_puts(b, "<tr>");
		for (const char *const *c = texts; *c; c++)
			text_cell(b, it, *c);
		for (const char *const *c = ints; *c; c++)
			int_cell(b, it, *c);
		buf_puts(b, "</tr>\n");
	}
	buf_puts(b, "</table>\n");
}

int cost_render_html(const json_t *r, struct buf *b)
{
	static const char *const figures[] = { "entries", "minutes", "cost", NULL };
	static const char *const svc_text[] = { "customer", "service", NULL };
	static const char *const cust_text[] = { "customer", NULL };
	static const char *const ticket_text[] = { "ticket", "customer", "service", NULL };
	static const char *const month_text[] = { "month", NULL };
	static const char *const keys[] = { "share", NULL };
	static const char *const names[] = { "cost, % of the costliest month" };
	const json_t *tr = json_object_get(r, "trend");
	json_t *bars = json_array(), *it;
	json_int_t max = 0;
	size_t i;

	json_array_foreach(tr, i, it)
	{
		if (json_integer_value(json_object_get(it, "cost")) > max)
			max = json_integer_value(json_object_get(it, "cost"));
	}
	json_array_foreach(tr, i, it)
	{
		json_int_t c = json_integer_value(json_object_get(it, "cost"));

		json_array_append_new(bars,
				      json_pack("{s:O, s:f}", "month", json_object_get(it, "month"),
						"share", max ? 100.0 * (double)c / (double)max : 0.0));
	}
	buf_puts(b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
		    "<title>Cost report ");
	html_put_text(b, str_or(r, "month", ""));
	buf_puts(b, "</title><style>");
	buf_puts(b, cost_html_style);
	buf_puts(b, "</style></head><body>\n<h1>Cost report</h1><p>Month <b>");
	html_put_text(b, str_or(r, "month", ""));
	buf_puts(b, "</b>, customer <b>");
	html_put_text(b, str_or(r, "customer", "all"));
	buf_printf(b, "</b>: %lld minutes, cost %lld ",
		   (long long)json_integer_value(json_object_get(r, "minutes")),
		   (long long)json_integer_value(json_object_get(r, "cost")));
	html_put_text(b, str_or(r, "currency", ""));
	buf_puts(b, " (minor units)</p>\n<h2>By service</h2>\n");
	table(b, json_object_get(r, "services"), svc_text, figures);
	buf_puts(b, "<h2>By customer</h2>\n");
	table(b, json_object_get(r, "customers"), cust_text, figures);
	buf_puts(b, "<h2>By ticket</h2>\n");
	table(b, json_object_get(r, "tickets"), ticket_text, figures);
	buf_puts(b, "<h2>Trend</h2>\n");
	svg_put_bars(b, "Cost by month", bars, "month", keys, names, NULL, 0);
	table(b, tr, month_text, figures);
	buf_puts(b, "<p class=\"l\">Each entry's cost is its minutes × the hourly rate in force "
		    "when it was recorded / 60, rounded half up; every figure is a sum of "
		    "those.</p></body></html>\n");
	json_decref(bars);
	return 0;
}
