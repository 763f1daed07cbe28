/*
 * cmd_service.c — the service catalogue from the command line:
 *   itsm service add KEY [--name NAME] [--owner-group GROUP] | list | show KEY
 */
#include "cli/cli.h"
#include "domain/sla/service.h"

#include <string.h>

static const char usage[] = "itsm service add KEY [--name NAME] [--owner-group GROUP]\n"
			    "       itsm service list\n"
			    "       itsm service show KEY";

int cmd_service(struct cli *c, int argc, char **argv)
{
	struct opt opts[] = { { "--name", 1 }, { "--owner-group", 1 }, { NULL } };
	static const char *const cols[] = { "key", "name:40", "owner_group", "created_at", NULL };
	static const char *const keys[] = { "key", "name", "owner_group", "created_at", "version",
					    NULL };
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
	if (!strcmp(argv[0], "add") && n == 1) {
		in = json_pack("{s:s}", "key", pos[0]);
		if (cli_opt(opts, "--name"))
			json_object_set_new(in, "name", json_string(cli_opt(opts, "--name")));
		if (cli_opt(opts, "--owner-group"))
			json_object_set_new(in, "owner_group",
					    json_string(cli_opt(opts, "--owner-group")));
		rc = service_add(c->st, &c->actor, in, &out, &e);
		json_decref(in);
		if (rc)
			return cli_fail(&e);
		return cli_print_done(c, out, "added service", "key");
	}
	if (!strcmp(argv[0], "list") && n == 0) {
		if (service_list_json(c->st, &c->actor, NULL, &out, &e))
			return cli_fail(&e);
		return cli_print_list(c, out, cols);
	}
	if (!strcmp(argv[0], "show") && n == 1) {
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
	return cli_usage(usage);
}
