/*
 * cmd_service.c — the service catalogue from the command line:
 *   itsm service add KEY [--name NAME] [--owner-group GROUP] | list [--status S] | show KEY
 *   itsm service update KEY [--name NAME] [--owner-group GROUP] [--version N]
 *   itsm service retire KEY [--version N] | restore KEY [--version N]
 * Without --version a change applies to the service as just read.
 */
#include "cli/cli.h"
#include "domain/sla/service.h"

static const char usage_add[] = "itsm service add KEY [--name NAME] [--owner-group GROUP]";
static const char usage_list[] = "itsm service list [--status active|retired|active,retired]";
static const char usage_show[] = "itsm service show KEY";
static const char usage_update[] =
	"itsm service update KEY [--name NAME] [--owner-group GROUP] [--version N]";
static const char usage_retire[] = "itsm service retire KEY [--version N]";
static const char usage_restore[] = "itsm service restore KEY [--version N]";

static const char *const keys[] = { "key",	  "name",	"owner_group", "status",
				    "created_at", "updated_at", "version",     NULL };

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

static const struct opt list_opts[] = { { "--status", CLI_STR, "status" }, { NULL } };

static int list(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	static const char *const cols[] = { "key", "name:40", "owner_group", "status",
					    "created_at", NULL };

	return cli_call(c, service_list_json, opts, NULL, CLI_AS_TABLE(cols));
}

static int show(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	return cli_get(c, service_get_json, pos[0], CLI_AS_RECORD(keys));
}

static const struct opt update_opts[] = {
	{ "--name", CLI_STR, "name" },
	{ "--owner-group", CLI_STR, "owner_group" },
	{ "--version", CLI_INT, "version" },
	{ NULL },
};

static int update(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	return cli_update(c, service_update, service_get_json, pos[0], opts, NULL,
			  CLI_AS_RECORD(keys));
}

static const struct opt status_opts[] = { { "--version", CLI_INT, "version" }, { NULL } };

static int retire(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	return cli_update(c, service_update, service_get_json, pos[0], opts,
			  json_pack("{s:s}", "status", "retired"),
			  CLI_AS_LINE("retired service", "key"));
}

static int restore(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	return cli_update(c, service_update, service_get_json, pos[0], opts,
			  json_pack("{s:s}", "status", "active"),
			  CLI_AS_LINE("restored service", "key"));
}

const struct subcommand cmd_service[] = {
	{ "add", add, 1, 1, add_opts, usage_add },
	{ "list", list, 0, 0, list_opts, usage_list },
	{ "show", show, 1, 1, NULL, usage_show },
	{ "update", update, 1, 1, update_opts, usage_update },
	{ "retire", retire, 1, 1, status_opts, usage_retire },
	{ "restore", restore, 1, 1, status_opts, usage_restore },
	{ NULL },
};
