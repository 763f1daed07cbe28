/*
 * cmd_customer.c — itsm customer add KEY [--name NAME] | customer list
 */
#include "cli/cli.h"
#include "domain/platform/user.h"

#include <string.h>

static const char usage[] = "itsm customer add KEY [--name NAME]\n"
			    "       itsm customer list";

int cmd_customer(struct cli *c, int argc, char **argv)
{
	struct opt opts[] = { { "--name", 1 }, { NULL } };
	static const char *const cols[] = { "key", "name:40", "created_at", NULL };
	const char *pos[2];
	struct err e = { 0 };
	json_t *out = NULL, *in;
	int n, rc;

	if (argc < 1)
		return cli_usage(usage);
	if ((rc = cli_parse(argc - 1, argv + 1, opts, pos, 1, &n, usage)))
		return rc;
	if ((rc = cli_open(c, 0)))
		return rc;
	if (!strcmp(argv[0], "add")) {
		if (n != 1)
			return cli_usage(usage);
		in = json_pack("{s:s}", "key", pos[0]);
		if (cli_opt(opts, "--name"))
			json_object_set_new(in, "name", json_string(cli_opt(opts, "--name")));
		rc = customer_add(c->st, &c->actor, in, &out, &e);
		json_decref(in);
		if (rc)
			return cli_fail(&e);
		return cli_print_done(c, out, "added customer", "key");
	}
	if (!strcmp(argv[0], "list")) {
		if (customer_list_json(c->st, &c->actor, &out, &e))
			return cli_fail(&e);
		return cli_print_list(c, out, cols);
	}
	return cli_usage(usage);
}
