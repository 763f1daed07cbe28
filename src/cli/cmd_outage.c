/*
 * cmd_outage.c — outages of services:
 *   itsm outage add --service KEY --start T [--end T] [--planned]
 *                   [--incident KEY] [--ci KEY]
 *   itsm outage end ID --end T [--version N]
 *   itsm outage list [--service KEY] [--from T] [--to T]
 */
#include "cli/cli.h"
#include "domain/sla/outage.h"

static const char usage_add[] =
	"itsm outage add --service KEY --start RFC3339 [--end RFC3339] [--planned]\n"
	"                   [--incident KEY] [--ci KEY]";
static const char usage_end[] = "itsm outage end ID --end RFC3339 [--version N]";
static const char usage_list[] =
	"itsm outage list [--service KEY] [--from RFC3339] [--to RFC3339]";

static const struct opt add_opts[] = {
	{ "--service", CLI_STR, "service" }, { "--start", CLI_STR, "start" },
	{ "--end", CLI_STR, "end" },	     { "--planned", CLI_FLAG, "planned" },
	{ "--incident", CLI_STR, "incident" }, { "--ci", CLI_STR, "ci" },
	{ NULL },
};

static int add(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	return cli_call(c, outage_create, opts, json_pack("{s:b}", "planned", 0),
			CLI_AS_LINE("added outage", "id"));
}

static const struct opt end_opts[] = {
	{ "--end", CLI_STR, "end" }, { "--version", CLI_INT, "version" }, { NULL },
};

/* Without --version, end the version read just now. */
static int end(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	return cli_update(c, outage_update, outage_get_json, pos[0], opts, NULL,
			  CLI_AS_LINE("ended outage", "id"));
}

static const struct opt list_opts[] = {
	{ "--service", CLI_STR, "service" }, { "--from", CLI_STR, "from" }, { "--to", CLI_STR, "to" },
	{ NULL },
};

static int list(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	static const char *const cols[] = { "id",	 "service", "start", "end", "planned",
					    "incident", "ci",	    NULL };

	return cli_call(c, outage_list_json, opts, json_pack("{s:s}", "limit", "500"),
			CLI_AS_TABLE(cols));
}

const struct subcommand cmd_outage[] = {
	{ "add", add, 0, 0, add_opts, usage_add },
	{ "end", end, 1, 1, end_opts, usage_end },
	{ "list", list, 0, 0, list_opts, usage_list },
	{ NULL },
};
