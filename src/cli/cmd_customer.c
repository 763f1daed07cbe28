/*
 * cmd_customer.c — itsm customer add KEY [--name NAME] | customer list
 */
#include "cli/cli.h"
#include "domain/platform/user.h"

#include <string.h>

static const char usage_add[] = "itsm customer add KEY [--name NAME]";
static const char usage_list[] = "itsm customer list";

static const struct opt add_opts[] = { { "--name" }, { NULL } };

static int add(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	struct err e = { 0 };
	json_t *out = NULL, *in = json_pack("{s:s}", "key", pos[0]);
	int rc;

	if (cli_opt(opts, "--name"))
		json_object_set_new(in, "name", json_string(cli_opt(opts, "--name")));
	rc = customer_add(c->st, &c->actor, in, &out, &e);
	json_decref(in);
	if (rc)
		return cli_fail(&e);
	return cli_print_done(c, out, "added customer", "key");
}

static int list(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	static const char *const cols[] = { "key", "name:40", "created_at", NULL };
	struct err e = { 0 };
	json_t *out = NULL;

	if (customer_list_json(c->st, &c->actor, &out, &e))
		return cli_fail(&e);
	return cli_print_list(c, out, cols);
}

static const struct subcommand subcommands[] = {
	{ "add", add, 1, 1, add_opts, usage_add },
	{ "list", list, 0, 0, NULL, usage_list },
	{ NULL },
};

int cmd_customer(struct cli *c, int argc, char **argv)
{
	return cli_dispatch(c, argc, argv, subcommands);
}
