/*
 * cmd_customer.c — customers:
 *   itsm customer add KEY [--name NAME] | list [--status S] | show KEY
 *   itsm customer update KEY [--name NAME] [--version N]
 *   itsm customer retire KEY [--version N] | restore KEY [--version N]
 * Without --version a change applies to the customer as just read.
 */
#include "cli/cli.h"
#include "domain/platform/customer.h"
#include "domain/platform/user.h"

static const char usage_add[] = "itsm customer add KEY [--name NAME]";
static const char usage_list[] = "itsm customer list [--status active|retired|active,retired]";
static const char usage_show[] = "itsm customer show KEY";
static const char usage_update[] = "itsm customer update KEY [--name NAME] [--version N]";
static const char usage_retire[] = "itsm customer retire KEY [--version N]";
static const char usage_restore[] = "itsm customer restore KEY [--version N]";

static const char *const keys[] = { "key", "name", "status", "created_at", "updated_at",
				    "version", NULL };

static const struct opt add_opts[] = { { "--name", CLI_STR, "name" }, { NULL } };

static int add(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	return cli_call(c, customer_add, opts, json_pack("{s:s}", "key", pos[0]),
			CLI_AS_LINE("added customer", "key"));
}

static const struct opt list_opts[] = { { "--status", CLI_STR, "status" }, { NULL } };

static int list(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	static const char *const cols[] = { "key", "name:40", "status", "created_at", NULL };

	return cli_call(c, customer_list_json, opts, NULL, CLI_AS_TABLE(cols));
}

static int show(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	return cli_get(c, customer_get_json, pos[0], CLI_AS_RECORD(keys));
}

static const struct opt update_opts[] = {
	{ "--name", CLI_STR, "name" }, { "--version", CLI_INT, "version" }, { NULL },
};

static int update(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	return cli_update(c, customer_update, customer_get_json, pos[0], opts, NULL,
			  CLI_AS_RECORD(keys));
}

static const struct opt status_opts[] = { { "--version", CLI_INT, "version" }, { NULL } };

static int retire(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	return cli_update(c, customer_update, customer_get_json, pos[0], opts,
			  json_pack("{s:s}", "status", "retired"),
			  CLI_AS_LINE("retired customer", "key"));
}

static int restore(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	return cli_update(c, customer_update, customer_get_json, pos[0], opts,
			  json_pack("{s:s}", "status", "active"),
			  CLI_AS_LINE("restored customer", "key"));
}

const struct subcommand cmd_customer[] = {
	{ "add", add, 1, 1, add_opts, usage_add },
	{ "list", list, 0, 0, list_opts, usage_list },
	{ "show", show, 1, 1, NULL, usage_show },
	{ "update", update, 1, 1, update_opts, usage_update },
	{ "retire", retire, 1, 1, status_opts, usage_retire },
	{ "restore", restore, 1, 1, status_opts, usage_restore },
	{ NULL },
};
