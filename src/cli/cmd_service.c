/*
 * cmd_service.c — the service catalogue from the command line:
 *   itsm service add KEY [--name NAME] [--owner-group GROUP] | list | show KEY
 */
#include "cli/cli.h"
#include "domain/sla/service.h"

static const char usage_add[] = "itsm service add KEY [--name NAME] [--owner-group GROUP]";
static const char usage_list[] = "itsm service list";
static const char usage_show[] = "itsm service show KEY";

static const struct opt add_opts[] = {
	{ "--name", CLI_STR, "name" },
	{ "--owner-group", CLI_STR, "owner_group" },
	{ NULL },
};

static int add(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	return cli_call(c, service_add, opts, json_pack("{s:s}", "key", pos[0]),
			CLI_AS_LINE("added service", "key"));
}

static int list(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	static const char *const cols[] = { "key", "name:40", "owner_group", "created_at", NULL };

	return cli_call(c, service_list_json, NULL, NULL, CLI_AS_TABLE(cols));
}

static int show(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	static const char *const keys[] = { "key", "name", "owner_group", "created_at", "version",
					    NULL };

	return cli_get(c, service_get_json, pos[0], CLI_AS_RECORD(keys));
}

const struct subcommand cmd_service[] = {
	{ "add", add, 1, 1, add_opts, usage_add },
	{ "list", list, 0, 0, NULL, usage_list },
	{ "show", show, 1, 1, NULL, usage_show },
	{ NULL },
};
