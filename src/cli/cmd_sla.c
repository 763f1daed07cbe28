/*
 * cmd_sla.c — SLAs, OLAs and service level reports:
 *   itsm sla add --file F | list [--customer KEY] [--service KEY] [--kind sla|ola] [--status S]
 *   itsm sla show NAME
 *   itsm sla update NAME --file F --version N
 *   itsm sla retire NAME [--version N] | restore NAME [--version N]
 *   itsm sla report --customer KEY --month YYYY-MM [--format json|csv|html]
 *   itsm sla breaches --customer KEY --month YYYY-MM --sla NAME [--format json|csv]
 *   itsm sla tick [--now RFC3339]      run the watcher once at that time
 *   itsm sla outbox [--state S]        the escalation notices
 * "tick" is the test and operations tool: it fires every warning and breach
 * due at the given time and makes one outbox pass.
 */
#include "cli/cli.h"
#include "domain/platform/outbox.h"
#include "domain/sla/report.h"
#include "domain/sla/sla.h"
#include "render/report.h"

#include <stdio.h>
#include <string.h>

static const char usage_add[] = "itsm sla add --file FILE";
static const char usage_list[] = "itsm sla list [--customer KEY] [--service KEY] [--kind sla|ola] "
				 "[--status active|retired|active,retired]";
static const char usage_update[] = "itsm sla update NAME --file FILE --version N";
static const char usage_retire[] = "itsm sla retire NAME [--version N]";
static const char usage_restore[] = "itsm sla restore NAME [--version N]";
static const char usage_show[] = "itsm sla show NAME";
static const char usage_report[] =
	"itsm sla report --customer KEY --month YYYY-MM [--format json|csv|html]";
static const char usage_breaches[] =
	"itsm sla breaches --customer KEY --month YYYY-MM --sla NAME [--limit N] [--cursor C] "
	"[--format json|csv]";
static const char usage_ola_report[] = "itsm sla ola-report --group G --month YYYY-MM";
static const char usage_tick[] = "itsm sla tick [--now RFC3339]";
static const char usage_outbox[] = "itsm sla outbox [--state pending|sent|failed|undeliverable]";

static const struct opt report_opts[] = {
	{ "--customer" }, { "--month" }, { "--format" }, { NULL },
};

static int report(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	static const char *const sla_cols[] = { "sla",
						"service",
						"tickets",
						"response_percent",
						"resolution_percent",
						"compliance_percent",
						"mttr_seconds",
						NULL };
	static const char *const svc_cols[] = { "service",	    "availability_percent",
						"target_percent",   "target_met",
						"downtime_seconds", "outages",
						NULL };
	const char *format = cli_opt(opts, "--format");
	struct err e = { 0 };
	struct buf b = BUF_INIT;
	json_t *out = NULL;

	if (format && strcmp(format, "json") && strcmp(format, "csv") && strcmp(format, "html"))
		return cli_failf("unknown format '%s' (json, csv, html)", format);
	if (report_service_level(c->st, &c->actor, cli_opt(opts, "--customer"),
				 cli_opt(opts, "--month"), &out, &e))
		return cli_fail(&e);
	if (c->json || (format && !strcmp(format, "json"))) {
		cli_print_json(out);
		return 0;
	}
	if (!format) {
		printf("customer %s, month %s\n\n", json_string_value(json_object_get(out, "customer")),
		       json_string_value(json_object_get(out, "month")));
		cli_print_table(json_object_get(out, "slas"), sla_cols);
		printf("\n");
		cli_print_table(json_object_get(out, "services"), svc_cols);
		json_decref(out);
		return 0;
	}
	(!strcmp(format, "csv") ? report_render_csv : report_render_html)(out, &b);
	json_decref(out);
	fwrite(b.data ? b.data : "", 1, b.len, stdout);
	buf_release(&b);
	return 0;
}

static const struct opt breaches_opts[] = {
	{ "--customer", CLI_STR, "customer" }, { "--month", CLI_STR, "month" },
	{ "--sla", CLI_STR, "sla" },	       { "--limit", CLI_STR, "limit" },
	{ "--cursor", CLI_STR, "cursor" },     { "--format" },
	{ NULL },
};

/* One SLA's breaches in the month: a page as a table (or JSON), or every
 * one as CSV. */
static int breaches(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	static const char *const cols[] = { "ticket", "clock", "due", "stopped", NULL };
	const char *format = cli_opt(opts, "--format");
	json_t *query = json_object(), *out = NULL;
	struct err e = { 0 };
	struct buf b = BUF_INIT;
	int csv = format && !strcmp(format, "csv"), rc;

	if (format && strcmp(format, "json") && !csv) {
		json_decref(query);
		return cli_failf("unknown format '%s' (json, csv)", format);
	}
	cli_opts_json(opts, query);
	rc = report_breaches(c->st, &c->actor, query, csv, &out, &e);
	json_decref(query);
	if (rc)
		return cli_fail(&e);
	if (format && !csv) {
		cli_print_json(out);
		return 0;
	}
	if (!csv) {
		if (!c->json)
			printf("%lld breaches of %s in all\n",
			       (long long)json_integer_value(json_object_get(out, "total")),
			       json_string_value(json_object_get(out, "sla")));
		return cli_print_list(c, out, cols);
	}
	report_render_breaches_csv(out, &b);
	json_decref(out);
	fwrite(b.data ? b.data : "", 1, b.len, stdout);
	buf_release(&b);
	return 0;
}

static const struct opt add_opts[] = { { "--file" }, { NULL } };

static int add(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	if (!cli_opt(opts, "--file"))
		return cli_usage(usage_add);
	return cli_create_from_file(c, cli_opt(opts, "--file"), sla_add, "added agreement",
				    "name");
}

static const struct opt list_opts[] = {
	{ "--customer", CLI_STR, "customer" },
	{ "--service", CLI_STR, "service" },
	{ "--kind", CLI_STR, "kind" },
	{ "--status", CLI_STR, "status" },
	{ NULL },
};

static int list(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	static const char *const cols[] = { "name",	"kind",	    "customer", "group",
					    "service",	"calendar", "availability_target",
					    "status",	"version",  NULL };

	return cli_call(c, sla_list_json, opts, json_pack("{s:s}", "limit", "500"),
			CLI_AS_TABLE(cols));
}

static int show(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	return cli_get(c, sla_get_json, pos[0], CLI_AS_JSON);
}

static const struct opt update_opts[] = {
	{ "--file" }, { "--version", CLI_INT, "version" }, { NULL },
};

static int update(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	return cli_update_from_file(c, sla_update, pos[0], opts, usage_update,
				    CLI_AS_LINE("updated agreement", "name"));
}

static const struct opt status_opts[] = { { "--version", CLI_INT, "version" }, { NULL } };

static int retire(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	return cli_update(c, sla_update, sla_get_json, pos[0], opts,
			  json_pack("{s:s}", "status", "retired"),
			  CLI_AS_LINE("retired agreement", "name"));
}

static int restore(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	return cli_update(c, sla_update, sla_get_json, pos[0], opts,
			  json_pack("{s:s}", "status", "active"),
			  CLI_AS_LINE("restored agreement", "name"));
}

static const struct opt tick_opts[] = { { "--now", CLI_STR, "now" }, { NULL } };

static void print_tick(const json_t *out, const char *ref)
{
	printf("fired %lld, sent %lld, failed %lld\n",
	       (long long)json_integer_value(json_object_get(out, "fired")),
	       (long long)json_integer_value(json_object_get(out, "sent")),
	       (long long)json_integer_value(json_object_get(out, "failed")));
}

static int tick(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	return cli_call(c, sla_tick_json, opts, NULL, CLI_AS_TEXT(print_tick));
}

static const struct opt outbox_opts[] = { { "--state", CLI_STR, "state" }, { NULL } };

static int outbox(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	static const char *const cols[] = { "id",	  "state",	   "attempts", "target:40",
					    "next_at", "last_error:40", NULL };

	return cli_call(c, outbox_list_json, opts, json_pack("{s:s}", "limit", "500"),
			CLI_AS_TABLE(cols));
}

static const struct opt ola_report_opts[] = { { "--group" }, { "--month" }, { NULL } };

/* The OLAs of a group in a month (report.h): a table, or --json. */
static int ola_report(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	static const char *const cols[] = { "ola",
					    "service",
					    "tickets",
					    "response_percent",
					    "resolution_percent",
					    "compliance_percent",
					    "mttr_seconds",
					    "breaches_total",
					    NULL };
	static const char *const breach_cols[] = { "ticket", "clock", "due", "stopped", NULL };
	struct err e = { 0 };
	json_t *out = NULL, *ola;
	size_t i;

	if (report_operational_level(c->st, &c->actor, cli_opt(opts, "--group"),
				     cli_opt(opts, "--month"), &out, &e))
		return cli_fail(&e);
	if (c->json) {
		cli_print_json(out);
		return 0;
	}
	printf("group %s, month %s\n\n", json_string_value(json_object_get(out, "group")),
	       json_string_value(json_object_get(out, "month")));
	cli_print_table(json_object_get(out, "olas"), cols);
	/* each OLA's most overdue breaches, as --json lists them */
	json_array_foreach(json_object_get(out, "olas"), i, ola)
	{
		json_t *b = json_object_get(ola, "breaches");

		if (!json_array_size(b))
			continue;
		printf("\n%s: %lld breaches, the most overdue first\n\n",
		       json_string_value(json_object_get(ola, "ola")),
		       (long long)json_integer_value(json_object_get(ola, "breaches_total")));
		cli_print_table(b, breach_cols);
	}
	json_decref(out);
	return 0;
}

const struct subcommand cmd_sla[] = {
	{ "add", add, 0, 0, add_opts, usage_add },
	{ "list", list, 0, 0, list_opts, usage_list },
	{ "show", show, 1, 1, NULL, usage_show },
	{ "update", update, 1, 1, update_opts, usage_update },
	{ "retire", retire, 1, 1, status_opts, usage_retire },
	{ "restore", restore, 1, 1, status_opts, usage_restore },
	{ "report", report, 0, 0, report_opts, usage_report },
	{ "breaches", breaches, 0, 0, breaches_opts, usage_breaches },
	{ "ola-report", ola_report, 0, 0, ola_report_opts, usage_ola_report },
	{ "tick", tick, 0, 0, tick_opts, usage_tick },
	{ "outbox", outbox, 0, 0, outbox_opts, usage_outbox },
	{ NULL },
};
