/*
 * cmd_check.c — Nagios-compatible checks from the command line:
 *   itsm check add NAME --ci KEY [--interval S] [--retry S] [--max-attempts N]
 *                  [--timeout S] -- PLUGIN [ARGS…]
 *   itsm check list | show NAME | run NAME | delete NAME
 * `run` executes the plugin now, in this process, and stores the result
 * exactly as the scheduler of `itsm serve` would.
 */
#include "cli/cli.h"
#include "domain/events/check.h"

#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"itsm check add NAME --ci KEY [--interval S] [--retry S] [--max-attempts N]\n"
	"                   [--timeout S] -- PLUGIN [ARGS...]\n"
	"       itsm check list\n"
	"       itsm check show NAME\n"
	"       itsm check run NAME\n"
	"       itsm check delete NAME";

static const char *const keys[] = { "name",	  "ci",		"command",	"interval_seconds",
				    "retry_seconds", "max_attempts", "timeout_seconds", "state",
				    "state_type",    "attempt",	"last_run",	"next_run",
				    "last_output",   NULL };

static int show(struct cli *c, int rc, json_t *out, const struct err *e)
{
	if (rc)
		return cli_fail(e);
	if (c->json) {
		cli_print_json(out);
		return 0;
	}
	cli_print_record(out, keys);
	json_decref(out);
	return 0;
}

int cmd_check(struct cli *c, int argc, char **argv)
{
	struct opt opts[] = { { "--ci", 1 },	     { "--interval", 1 }, { "--retry", 1 },
			      { "--max-attempts", 1 }, { "--timeout", 1 },  { NULL } };
	static const char *const ints[][2] = { { "--interval", "interval_seconds" },
					       { "--retry", "retry_seconds" },
					       { "--max-attempts", "max_attempts" },
					       { "--timeout", "timeout_seconds" } };
	struct err e = { 0 };
	const char *pos[1], *v;
	json_t *out = NULL;
	int n, rc, dd = argc;

	if (argc < 1)
		return cli_usage(usage);
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--")) {
			dd = i;
			break;
		}
	if ((rc = cli_parse(dd - 1, argv + 1, opts, pos, 1, &n, usage)))
		return rc;
	if ((rc = cli_open(c, 0)))
		return rc;
	if (!strcmp(argv[0], "add") && n == 1) {
		json_t *in, *cmd = json_array();

		if (dd + 1 >= argc) {
			json_decref(cmd);
			return cli_failf("give the plugin and its arguments after '--'");
		}
		for (int i = dd + 1; i < argc; i++)
			json_array_append_new(cmd, json_string(argv[i]));
		in = json_pack("{s:s, s:s, s:o}", "name", pos[0], "ci",
			       (v = cli_opt(opts, "--ci")) ? v : "", "command", cmd);
		for (size_t i = 0; i < sizeof(ints) / sizeof(ints[0]); i++)
			if ((v = cli_opt(opts, ints[i][0])))
				json_object_set_new(in, ints[i][1], json_integer(atoll(v)));
		rc = check_create(c->st, &c->actor, in, &out, &e);
		json_decref(in);
		return show(c, rc, out, &e);
	}
	if (!strcmp(argv[0], "list") && n == 0) {
		static const char *const cols[] = { "name",	"ci",	 "state", "state_type",
						    "attempt", "last_run", "last_output:40", NULL };

		if ((rc = check_list_json(c->st, &c->actor, &out, &e)))
			return cli_fail(&e);
		return cli_print_list(c, out, cols);
	}
	if (!strcmp(argv[0], "show") && n == 1)
		{
		rc = check_get_json(c->st, &c->actor, pos[0], &out, &e);
		return show(c, rc, out, &e);
	}
	if (!strcmp(argv[0], "run") && n == 1)
		{
		rc = check_run_now(c->st, &c->actor, pos[0], &out, &e);
		return show(c, rc, out, &e);
	}
	if (!strcmp(argv[0], "delete") && n == 1)
		return check_delete(c->st, &c->actor, pos[0], &e) ? cli_fail(&e) : 0;
	return cli_usage(usage);
}
