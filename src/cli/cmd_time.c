/*
 * cmd_time.c — time spent and its cost from the command line:
 *   itsm time add|list|update|import
 *   itsm cost report
 * Each subcommand builds the JSON the HTTP API takes and calls the same
 * domain function (domain/cost). A reference names its subject: CHG-n a
 * change, RUN-n a procedure execution, anything else a ticket.
 */
#include "cli/cli.h"
#include "domain/cost/cost.h"
#include "lib/plural.h"
#include "render/cost.h"

#include <stdio.h>
#include <string.h>

static const char usage_add[] =
	"itsm time add REF --minutes N [--date YYYY-MM-DD] [--note T] [--user U] [--rate KEY]\n"
	"                 [--customer KEY] [--service KEY]";
static const char usage_list[] = "itsm time list REF [--limit N] [--cursor C]";
static const char usage_update[] =
	"itsm time update ID [--version N] [--minutes N] [--date YYYY-MM-DD] [--note T]";
static const char usage_import[] = "itsm time import FILE.jsonl";
static const char usage_report[] =
	"itsm cost report --month YYYY-MM [--customer KEY] [--format json|csv|html]";

static const char *const list_cols[] = { "id",	 "date", "user",     "minutes", "rate_key",
					 "cost", "note:40", NULL };

static const struct opt add_opts[] = {
	{ "--minutes", CLI_INT, "minutes" }, { "--date", CLI_STR, "date" },
	{ "--note", CLI_STR, "note" },	     { "--user", CLI_STR, "user" },
	{ "--rate", CLI_STR, "rate" },	     { "--customer", CLI_STR, "customer" },
	{ "--service", CLI_STR, "service" }, { NULL },
};

/* "recorded 45 minutes on INC-3 (time entry 7, cost 4500 JPY)" */
static void recorded(const json_t *out, const char *ref)
{
	printf("recorded %lld minutes on %s (time entry %lld, cost %lld %s)\n",
	       (long long)json_integer_value(json_object_get(out, "minutes")),
	       json_string_value(json_object_get(out, "ref")),
	       (long long)json_integer_value(json_object_get(out, "id")),
	       (long long)json_integer_value(json_object_get(out, "cost")),
	       json_string_value(json_object_get(out, "currency")));
}

static int add(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	return cli_call_ref(c, time_add, pos[0], opts, NULL, CLI_AS_TEXT(recorded));
}

static const struct opt list_opts[] = {
	{ "--limit", CLI_STR, "limit" }, { "--cursor", CLI_STR, "cursor" }, { NULL },
};

static int list(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	struct err e = { 0 };
	json_t *query = json_object(), *out = NULL;
	int rc;

	cli_opts_json(opts, query);
	rc = time_list(c->st, &c->actor, pos[0], query, &out, &e);
	json_decref(query);
	if (rc)
		return cli_fail(&e);
	if (!c->json)
		printf("%lld minutes, cost %lld %s\n",
		       (long long)json_integer_value(json_object_get(out, "minutes")),
		       (long long)json_integer_value(json_object_get(out, "cost")),
		       json_string_value(json_object_get(out, "currency")));
	return cli_print_list(c, out, list_cols);
}

static const struct opt update_opts[] = {
	{ "--version", CLI_INT, "version" }, { "--minutes", CLI_INT, "minutes" },
	{ "--date", CLI_STR, "date" },	     { "--note", CLI_STR, "note" },
	{ NULL },
};

static int update(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	return cli_update(c, time_update, time_get_json, pos[0], opts, NULL,
			  CLI_AS_LINE("updated time entry", "id"));
}

static void print_imported(const json_t *out, const char *ref)
{
	json_int_t n = json_integer_value(json_object_get(out, "imported"));

	printf("imported %lld time %s\n", (long long)n, plural(n, "entry", "entries"));
}

static int import(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	return cli_call_file(c, pos[0], time_import_file, CLI_AS_TEXT(print_imported));
}

const struct subcommand cmd_time[] = {
	{ "add", add, 1, 1, add_opts, usage_add },
	{ "list", list, 1, 1, list_opts, usage_list },
	{ "update", update, 1, 1, update_opts, usage_update },
	{ "import", import, 1, 1, NULL, usage_import, CLI_NO_STORE },
	{ NULL },
};

static const struct opt report_opts[] = {
	{ "--customer", CLI_STR, "customer" }, { "--month", CLI_STR, "month" }, { "--format" },
	{ NULL },
};

static int report(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	static const char *const svc_cols[] = { "customer", "service", "entries",
						"minutes",  "cost",    NULL };
	static const char *const trend_cols[] = { "month", "entries", "minutes", "cost", NULL };
	const char *format = cli_opt(opts, "--format");
	json_t *query = json_object(), *out = NULL;
	struct err e = { 0 };
	struct buf b = BUF_INIT;
	int rc;

	if (format && strcmp(format, "json") && strcmp(format, "csv") && strcmp(format, "html")) {
		json_decref(query);
		return cli_failf("unknown format '%s' (json, csv, html)", format);
	}
	cli_opts_json(opts, query);
	rc = cost_report(c->st, &c->actor, query, &out, &e);
	json_decref(query);
	if (rc)
		return cli_fail(&e);
	if (c->json || (format && !strcmp(format, "json"))) {
		cli_print_json(out);
		return 0;
	}
	if (!format) {
		const char *cust = json_string_value(json_object_get(out, "customer"));

		printf("month %s, customer %s: %lld minutes, cost %lld %s\n\n",
		       json_string_value(json_object_get(out, "month")), cust ? cust : "all",
		       (long long)json_integer_value(json_object_get(out, "minutes")),
		       (long long)json_integer_value(json_object_get(out, "cost")),
		       json_string_value(json_object_get(out, "currency")));
		cli_print_table(json_object_get(out, "services"), svc_cols);
		printf("\n");
		cli_print_table(json_object_get(out, "trend"), trend_cols);
		json_decref(out);
		return 0;
	}
	(!strcmp(format, "csv") ? cost_render_csv : cost_render_html)(out, &b);
	json_decref(out);
	fwrite(b.data ? b.data : "", 1, b.len, stdout);
	buf_release(&b);
	return 0;
}

const struct subcommand cmd_cost[] = {
	{ "report", report, 0, 0, report_opts, usage_report },
	{ NULL },
};
