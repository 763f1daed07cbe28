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

static const char usage_add[] =
	"itsm check add NAME --ci KEY [--interval S] [--retry S] [--max-attempts N]\n"
	"                   [--timeout S] -- PLUGIN [ARGS...]";
static const char usage_list[] = "itsm check list";
static const char usage_show[] = "itsm check show NAME";
static const char usage_run[] = "itsm check run NAME";
static const char usage_delete[] = "itsm check delete NAME";

static const char *const keys[] = { "name",	  "ci",		"command",	"interval_seconds",
				    "retry_seconds", "max_attempts", "timeout_seconds", "state",
				    "state_type",    "attempt",	"last_run",	"next_run",
				    "last_output",   NULL };

static int show_result(struct cli *c, int rc, json_t *out, const struct err *e)
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

static const struct opt add_opts[] = {
	{ "--ci" },	    { "--interval" }, { "--retry" }, { "--max-attempts" },
	{ "--timeout" }, { NULL },
};

/* pos: NAME, then the plugin and its arguments (after "--", which lets
 * them start with '-'). */
static int add(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	static const char *const ints[][2] = { { "--interval", "interval_seconds" },
					       { "--retry", "retry_seconds" },
					       { "--max-attempts", "max_attempts" },
					       { "--timeout", "timeout_seconds" } };
	struct err e = { 0 };
	json_t *in, *out = NULL, *cmd;
	const char *v;
	int rc;

	if (npos < 2)
		return cli_failf("give the plugin and its arguments after '--'");
	cmd = json_array();
	for (int i = 1; i < npos; i++)
		json_array_append_new(cmd, json_string(pos[i]));
	in = json_pack("{s:s, s:s, s:o}", "name", pos[0], "ci",
		       (v = cli_opt(opts, "--ci")) ? v : "", "command", cmd);
	for (size_t i = 0; i < sizeof(ints) / sizeof(ints[0]); i++)
		if ((v = cli_opt(opts, ints[i][0])))
			json_object_set_new(in, ints[i][1], json_integer(atoll(v)));
	rc = check_create(c->st, &c->actor, in, &out, &e);
	json_decref(in);
	return show_result(c, rc, out, &e);
}

static int list(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	static const char *const cols[] = { "name",	"ci",	 "state", "state_type",
					    "attempt", "last_run", "last_output:40", NULL };
	struct err e = { 0 };
	json_t *out = NULL;

	if (check_list_json(c->st, &c->actor, &out, &e))
		return cli_fail(&e);
	return cli_print_list(c, out, cols);
}

static int show(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = check_get_json(c->st, &c->actor, pos[0], &out, &e);

	return show_result(c, rc, out, &e);
}

static int run(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = check_run_now(c->st, &c->actor, pos[0], &out, &e);

	return show_result(c, rc, out, &e);
}

static int delete(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	struct err e = { 0 };

	return check_delete(c->st, &c->actor, pos[0], &e) ? cli_fail(&e) : 0;
}

static const struct subcommand subcommands[] = {
	{ "add", add, 1, CLI_ANY, add_opts, usage_add },
	{ "list", list, 0, 0, NULL, usage_list },
	{ "show", show, 1, 1, NULL, usage_show },
	{ "run", run, 1, 1, NULL, usage_run },
	{ "delete", delete, 1, 1, NULL, usage_delete },
	{ NULL },
};

int cmd_check(struct cli *c, int argc, char **argv)
{
	return cli_dispatch(c, argc, argv, subcommands);
}
