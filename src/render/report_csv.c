/*
 * report_csv.c — the service level report (see render/report.h) as CSV
 * through lib/csv: names are text cells, always quoted and never left to
 * begin with a formula character; counts are integers, percentages and
 * seconds decimals written whole (never in exponent form); a list is its
 * length; a truth (target_met) true or false; null is an empty cell.
 */
#include "lib/csv.h"
#include "render/report.h"

static void cell(struct buf *b, const json_t *v)
{
	if (json_is_string(v))
		csv_put_text(b, json_string_value(v), CSV_QUOTE_ALL);
	else if (json_is_integer(v))
		csv_put_int(b, (long long)json_integer_value(v));
	else if (json_is_real(v))
		csv_put_decimal(b, json_real_value(v), REPORT_CSV_PLACES);
	else if (json_is_array(v))
		csv_put_int(b, (long long)json_array_size(v));
	else if (json_is_boolean(v))
		buf_puts(b, json_is_true(v) ? "true" : "false");
}

/* A header row of the column names, then one row per item. */
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

int report_render_csv(const json_t *r, struct buf *b)
{
	static const char *const sla_cols[] = {
		"sla",		      "service",	    "tickets",	      "responses",
		"response_met",	      "resolutions",	    "resolution_met", "response_percent",
		"resolution_percent", "compliance_percent", "mttr_seconds",   "breaches_total",
		NULL
	};
	static const char *const svc_cols[] = { "service",	    "agreed_seconds",
						"downtime_seconds", "availability_percent",
						"target_percent",   "target_met",
						"outages",	    "mttr_seconds",
						"mtbf_seconds",	    NULL };

	buf_printf(b, "# service level report: customer %s, month %s\n",
		   json_string_value(json_object_get(r, "customer")),
		   json_string_value(json_object_get(r, "month")));
	rows(b, json_object_get(r, "slas"), sla_cols);
	buf_putc(b, '\n');
	rows(b, json_object_get(r, "services"), svc_cols);
	return 0;
}

int report_render_breaches_csv(const json_t *r, struct buf *b)
{
	static const char *const cols[] = { "ticket", "clock", "due", "stopped", NULL };

	buf_puts(b, "# breaches of SLA ");
	/* a comment line, not a cell: the name is written as a cell would be */
	csv_put_text(b, json_string_value(json_object_get(r, "sla")), CSV_QUOTE_ALL);
	buf_printf(b, ": customer %s, month %s, %lld in all\n",
		   json_string_value(json_object_get(r, "customer")),
		   json_string_value(json_object_get(r, "month")),
		   (long long)json_integer_value(json_object_get(r, "total")));
	rows(b, json_object_get(r, "items"), cols);
	return 0;
}
