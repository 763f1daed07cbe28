/*
 * cmd_condition.c — condition reports and shift handover from the command
 * line:
 *   itsm condition draft|add|show|list|edit|sign|ack
 * The same JSON and domain calls as the HTTP API (/api/v1/condition-reports);
 * signing and acknowledging are a named user's (--as USER). --html prints
 * the A4 page the API serves.
 */
#include "cli/cli.h"
#include "domain/operation/condition.h"
#include "render/condition.h"

#include <stdio.h>

static const char usage_draft[] = "itsm condition draft --date YYYY-MM-DD [--shift NAME] [--html]";
static const char usage_add[] =
	"itsm condition add --date YYYY-MM-DD [--shift NAME] [--remarks TEXT]";
static const char usage_show[] = "itsm condition show KEY [--html]";
static const char usage_list[] =
	"itsm condition list [--state draft|signed|acknowledged] [--limit N] [--cursor ID]";
static const char usage_edit[] = "itsm condition edit KEY --remarks TEXT [--version N]";
static const char usage_sign[] = "itsm --as USER condition sign KEY [--version N]";
static const char usage_ack[] = "itsm --as USER condition ack KEY [--version N]";

static void print_section(const char *name, const json_t *o, const char *const *keys)
{
	printf("%-11s", name);
	for (const char *const *k = keys; *k; k++)
		printf(" %s %lld", *k, (long long)json_integer_value(json_object_get(o, *k)));
	printf("\n");
}

static void print_report(const json_t *r, const char *ref)
{
	static const char *const keys[] = { "key", "date", "shift", "from", "to", "state",
					    "created_by", "signed_by", "signed_at",
					    "acknowledged_by", "acknowledged_at", "figures_sha256",
					    "version", NULL };
	static const char *const x[] = { "started", "completed", "running", "abandoned",
					 "deviated", "missed", NULL };
	static const char *const inc[] = { "opened", "resolved", NULL };
	static const char *const chg[] = { "implemented", NULL };
	static const char *const sla[] = { "warnings", "breaches", NULL };
	static const char *const ev[] = { "received", NULL };
	static const char *const out[] = { "count", NULL };
	const json_t *f = json_object_get(r, "figures");
	const char *remarks = json_string_value(json_object_get(r, "remarks"));

	cli_print_record(r, keys);
	printf("\n");
	print_section("executions", json_object_get(f, "executions"), x);
	print_section("incidents", json_object_get(f, "incidents"), inc);
	print_section("changes", json_object_get(f, "changes"), chg);
	print_section("sla", json_object_get(f, "sla"), sla);
	print_section("events", json_object_get(f, "events"), ev);
	print_section("outages", json_object_get(f, "outages"), out);
	if (remarks && *remarks)
		printf("\nremarks:\n%s\n", remarks);
}

/* The report as the A4 page, on stdout. */
static int print_html(const struct cli *c, int rc, json_t *out, const struct err *e)
{
	struct buf b = BUF_INIT;

	if (rc)
		return cli_fail(e);
	condition_render_html(out, &b);
	fwrite(buf_str(&b), 1, b.len, stdout);
	buf_release(&b);
	json_decref(out);
	return 0;
}

static const struct opt draft_opts[] = {
	{ "--date", CLI_STR, "date" }, { "--shift", CLI_STR, "shift" }, { "--html", CLI_FLAG, NULL },
	{ NULL },
};

static int draft(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	struct err e = { 0 };
	json_t *q, *out = NULL;
	int rc;

	if (!cli_opt(opts, "--date"))
		return cli_usage(usage_draft);
	if (!cli_opt(opts, "--html"))
		return cli_call(c, cond_draft_json, opts, NULL, CLI_AS_TEXT(print_report));
	q = json_object();
	if (cli_opts_json(opts, q)) {
		json_decref(q);
		return 1;
	}
	rc = cond_draft_json(c->st, &c->actor, q, &out, &e);
	json_decref(q);
	return print_html(c, rc, out, &e);
}

static const struct opt add_opts[] = {
	{ "--date", CLI_STR, "date" }, { "--shift", CLI_STR, "shift" },
	{ "--remarks", CLI_STR, "remarks" }, { NULL },
};

static int add(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	if (!cli_opt(opts, "--date"))
		return cli_usage(usage_add);
	return cli_call(c, cond_add, opts, NULL, CLI_AS_LINE("added condition report", "key"));
}

static const struct opt show_opts[] = { { "--html", CLI_FLAG, NULL }, { NULL } };

static int show(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc;

	if (!cli_opt(opts, "--html"))
		return cli_get(c, cond_get_json, pos[0], CLI_AS_TEXT(print_report));
	rc = cond_get_json(c->st, &c->actor, pos[0], &out, &e);
	return print_html(c, rc, out, &e);
}

static const struct opt list_opts[] = {
	{ "--state", CLI_STR, "state" }, { "--limit", CLI_STR, "limit" },
	{ "--cursor", CLI_STR, "cursor" }, { NULL },
};

static int list(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	static const char *const cols[] = { "key", "date", "shift", "state", "created_by",
					    "signed_by", "acknowledged_by", NULL };

	return cli_call(c, cond_list_json, opts, NULL, CLI_AS_TABLE(cols));
}

static const struct opt edit_opts[] = {
	{ "--remarks", CLI_STR, "remarks" }, { "--version", CLI_INT, "version" }, { NULL },
};

static int edit(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	if (!cli_opt(opts, "--remarks"))
		return cli_usage(usage_edit);
	return cli_update(c, cond_update, cond_get_json, pos[0], opts, NULL,
			  CLI_AS_LINE("updated condition report", "key"));
}

static const struct opt version_opts[] = { { "--version", CLI_INT, "version" }, { NULL } };

static int sign(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	return cli_call_ref(c, cond_sign, pos[0], opts, NULL,
			    CLI_AS_LINE("signed condition report", "key"));
}

static int ack(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	return cli_call_ref(c, cond_ack, pos[0], opts, NULL,
			    CLI_AS_LINE("acknowledged condition report", "key"));
}

const struct subcommand cmd_condition[] = {
	{ "draft", draft, 0, 0, draft_opts, usage_draft },
	{ "add", add, 0, 0, add_opts, usage_add },
	{ "show", show, 1, 1, show_opts, usage_show },
	{ "list", list, 0, 0, list_opts, usage_list },
	{ "edit", edit, 1, 1, edit_opts, usage_edit },
	{ "sign", sign, 1, 1, version_opts, usage_sign },
	{ "ack", ack, 1, 1, version_opts, usage_ack },
	{ NULL },
};
