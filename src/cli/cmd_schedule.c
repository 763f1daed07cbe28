/*
 * cmd_schedule.c — the operation schedule from the command line:
 *   itsm schedule add|list|today
 * The same JSON and domain calls as the HTTP API (/api/v1/schedule).
 */
#include "cli/cli.h"
#include "domain/operation/operation.h"

static const char usage_add[] =
	"itsm schedule add --procedure KEY --rrule RULE --start TIME --deadline MINUTES\n"
	"                  --shift SHIFT [--items CI1,CI2]";
static const char usage_list[] = "itsm schedule list [--shift SHIFT] [--limit N] [--cursor ID]";
static const char usage_today[] = "itsm schedule today --shift SHIFT [--date YYYY-MM-DD]";

static const struct opt add_opts[] = {
	{ "--procedure", CLI_STR, "procedure" }, { "--rrule", CLI_STR, "rrule" },
	{ "--start", CLI_STR, "start" },	 { "--deadline", CLI_NUM, "deadline_minutes" },
	{ "--shift", CLI_STR, "shift" },	 { "--items", CLI_LIST, "items" },
	{ NULL },
};

static int add(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	return cli_call(c, op_job_add, opts, NULL, CLI_AS_LINE("added job", "key"));
}

static const struct opt list_opts[] = {
	{ "--shift", CLI_STR, "shift" }, { "--limit", CLI_STR, "limit" },
	{ "--cursor", CLI_STR, "cursor" }, { NULL },
};

static int list(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	static const char *const cols[] = { "key", "procedure", "shift", "rrule:40", "start",
					    "deadline_minutes", NULL };

	return cli_call(c, op_job_list_json, opts, NULL, CLI_AS_TABLE(cols));
}

static const struct opt today_opts[] = {
	{ "--shift", CLI_STR, "shift" }, { "--date", CLI_STR, "date" }, { NULL },
};

static void print_today(const json_t *out, const char *ref)
{
	static const char *const cols[] = { "occurrence", "job", "procedure", "state", "run",
					    "deadline", NULL };

	printf("%s, shift %s\n\n", json_string_value(json_object_get(out, "date")),
	       json_string_value(json_object_get(out, "shift")));
	cli_print_table(json_object_get(out, "items"), cols);
}

static int today(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	if (!cli_opt(opts, "--shift"))
		return cli_usage(usage_today);
	return cli_call(c, op_schedule_today_json, opts, NULL, CLI_AS_TEXT(print_today));
}

const struct subcommand cmd_schedule[] = {
	{ "add", add, 0, 0, add_opts, usage_add },
	{ "list", list, 0, 0, list_opts, usage_list },
	{ "today", today, 0, 0, today_opts, usage_today },
	{ NULL },
};
