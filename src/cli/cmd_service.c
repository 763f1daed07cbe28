/*
 * cmd_service.c — the service catalogue from the command line:
 *   itsm service add KEY [--name NAME] [--owner-group GROUP] | list | show KEY
 */
#include "cli/cli.h"
#include "domain/sla/service.h"

#include <string.h>

static const char usage_add[] = "itsm service add KEY [--name NAME] [--owner-group GROUP]";
static const char usage_list[] = "itsm service list";
static const char usage_show[] = "itsm service show KEY";

static const struct opt add_opts[] = { { "--name" }, { "--owner-group" }, { NULL } };

static int add(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	struct err e = { 0 };
	json_t *out = NULL, *in = json_pack("{s:s}", "key", pos[0]);
	int rc;

	if (cli_opt(opts, "--name"))
		json_object_set_new(in, "name", json_string(cli_opt(opts, "--name")));
	if (cli_opt(opts, "--owner-group"))
		json_object_set_new(in, "owner_group", json_string(cli_opt(opts, "--owner-group")));
	rc = service_add(c->st, &c->actor, in, &out, &e);
	json_decref(in);
	if (rc)
		return cli_fail(&e);
	return cli_print_done(c, out, "added service", "key");
}

static int list(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	static const char *const cols[] = { "key", "name:40", "owner_group", "created_at", NULL };
	struct err e = { 0 };
	json_t *out = NULL;

	if (service_list_json(c->st, &c->actor, NULL, &out, &e))
		return cli_fail(&e);
	return cli_print_list(c, out, cols);
}

static int show(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	static const char *const keys[] = { "key", "name", "owner_group", "created_at", "version",
					    NULL };
	struct err e = { 0 };
	json_t *out = NULL;

	if (service_get_json(c->st, &c->actor, pos[0], &out, &e))
		return cli_fail(&e);
	if (c->json)
		cli_print_json(out);
	else {
		cli_print_record(out, keys);
		json_decref(out);
	}
	return 0;
}

static const struct subcommand subcommands[] = {
	{ "add", add, 1, 1, add_opts, usage_add },
	{ "list", list, 0, 0, NULL, usage_list },
	{ "show", show, 1, 1, NULL, usage_show },
	{ NULL },
};

int cmd_service(struct cli *c, int argc, char **argv)
{
	return cli_dispatch(c, argc, argv, subcommands);
}
