/*
 * cmd_run.c — executions from the command line:
 *   itsm run start|step|confirm|abandon|show|list
 * The same JSON and domain calls as the HTTP API (/api/v1/runs); the
 * operator is the acting user (--as USER), who confirms another's step.
 */
#include "cli/cli.h"
#include "domain/operation/operation.h"

#include <stdio.h>
#include <stdlib.h>

static const char usage_start[] =
	"itsm run start --procedure KEY\n"
	"       itsm run start --job KEY --occurrence TIME";
static const char usage_step[] =
	"itsm run step KEY STEP --result TEXT [--deviation TEXT [--incident]\n"
	"                  [--impact N] [--urgency N]]";
static const char usage_confirm[] = "itsm run confirm KEY STEP";
static const char usage_abandon[] = "itsm run abandon KEY --reason TEXT";
static const char usage_show[] = "itsm run show KEY";
static const char usage_list[] =
	"itsm run list [--status running|completed|abandoned] [--job KEY] [--limit N]\n"
	"                  [--cursor ID]";

static void print_run(const json_t *r, const char *ref)
{
	static const char *const keys[] = { "key",	  "procedure", "procedure_version",
					    "job",	  "occurrence", "status",
					    "reason",	  "started_by", "started_at",
					    "ended_at",	  "next_step", NULL };
	static const char *const cols[] = { "step", "instruction:30", "state", "result:24",
					    "deviation:20", "incident", "done_by", "confirmed_by",
					    NULL };

	cli_print_record(r, keys);
	printf("\n");
	cli_print_table(json_object_get(r, "steps"), cols);
}

static const struct opt start_opts[] = {
	{ "--procedure", CLI_STR, "procedure" }, { "--job", CLI_STR, "job" },
	{ "--occurrence", CLI_STR, "occurrence" }, { NULL },
};

static int start(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	if (!cli_opt(opts, "--procedure") && !cli_opt(opts, "--job"))
		return cli_usage(usage_start);
	return cli_call(c, op_run_start, opts, NULL, CLI_AS_LINE("started run", "key"));
}

static const struct opt step_opts[] = {
	{ "--result", CLI_STR, "result" },   { "--deviation", CLI_STR, "deviation" },
	{ "--incident", CLI_FLAG, "incident" }, { "--impact", CLI_NUM, "impact" },
	{ "--urgency", CLI_NUM, "urgency" }, { NULL },
};

/* STEP as a number when it reads as one, else as given for the domain to
 * refuse naming "step". */
static json_t *step_value(const char *s)
{
	char *end;
	long long v = strtoll(s, &end, 10);

	return *s && !*end ? json_integer(v) : json_string(s);
}

static int step(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	if (!cli_opt(opts, "--result"))
		return cli_usage(usage_step);
	return cli_call_ref(c, op_run_step, pos[0], opts, json_pack("{s:o}", "step", step_value(pos[1])),
			    CLI_AS_TEXT(print_run));
}

static int confirm(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = op_run_confirm(c->st, &c->actor, pos[0], pos[1], &out, &e);

	return cli_answer(c, rc, out, &e, CLI_AS_TEXT(print_run));
}

static const struct opt abandon_opts[] = { { "--reason", CLI_STR, "reason" }, { NULL } };

static int abandon(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	if (!cli_opt(opts, "--reason"))
		return cli_usage(usage_abandon);
	return cli_call_ref(c, op_run_abandon, pos[0], opts, NULL,
			    CLI_AS_LINE("abandoned run", "key"));
}

static int show(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	return cli_get(c, op_run_get_json, pos[0], CLI_AS_TEXT(print_run));
}

static const struct opt list_opts[] = {
	{ "--status", CLI_STR, "status" }, { "--job", CLI_STR, "job" },
	{ "--limit", CLI_STR, "limit" }, { "--cursor", CLI_STR, "cursor" }, { NULL },
};

static int list(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	static const char *const cols[] = { "key", "procedure", "procedure_version", "job",
					    "occurrence", "status", "started_by", "started_at",
					    NULL };

	return cli_call(c, op_run_list_json, opts, NULL, CLI_AS_TABLE(cols));
}

const struct subcommand cmd_run[] = {
	{ "start", start, 0, 0, start_opts, usage_start },
	{ "step", step, 2, 2, step_opts, usage_step },
	{ "confirm", confirm, 2, 2, NULL, usage_confirm },
	{ "abandon", abandon, 1, 1, abandon_opts, usage_abandon },
	{ "show", show, 1, 1, NULL, usage_show },
	{ "list", list, 0, 0, list_opts, usage_list },
	{ NULL },
};
