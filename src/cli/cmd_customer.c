/*
 * cmd_customer.c — itsm customer add KEY [--name NAME] | customer list
 */
#include "cli/cli.h"
#include "domain/platform/user.h"

static const char usage_add[] = "itsm customer add KEY [--name NAME]";
static const char usage_list[] = "itsm customer list";

static const struct opt add_opts[] = { { "--name", CLI_STR, "name" }, { NULL } };

static int add(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	return cli_call(c, customer_add, opts, json_pack("{s:s}", "key", pos[0]),
			CLI_AS_LINE("added customer", "key"));
}

static int list(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	static const char *const cols[] = { "key", "name:40", "created_at", NULL };

	return cli_get_all(c, customer_list_json, CLI_AS_TABLE(cols));
}

const struct subcommand cmd_customer[] = {
	{ "add", add, 1, 1, add_opts, usage_add },
	{ "list", list, 0, 0, NULL, usage_list },
	{ NULL },
};
