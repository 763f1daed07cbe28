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

static const struct opt add_opts[] = {
	{ "--ci", CLI_STR, "ci" },
	{ "--interval", CLI_INT, "interval_seconds" },
	{ "--retry", CLI_INT, "retry_seconds" },
	{ "--max-attempts", CLI_INT, "max_attempts" },
	{ "--timeout", CLI_INT, "timeout_seconds" },
	{ NULL },
};

/* pos: NAME, then the plugin and its arguments (after "--", which lets
 * them start with '-'). */
static int add(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	json_t *cmd;

	if (npos < 2)
		return cli_failf("give the plugin and its arguments after '--'");
	cmd = json_array();
	for (int i = 1; i < npos; i++)
		json_array_append_new(cmd, json_string(pos[i]));
	return cli_call(c, check_create, opts,
			json_pack("{s:s, s:s, s:o}", "name", pos[0], "ci", "", "command", cmd),
			CLI_AS_RECORD(keys));
}

static int list(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	static const char *const cols[] = { "name",	"ci",	 "state", "state_type",
					    "attempt", "last_run", "last_output:40", NULL };

	return cli_get_all(c, check_list_json, CLI_AS_TABLE(cols));
}

static int show(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	return cli_get(c, check_get_json, pos[0], CLI_AS_RECORD(keys));
}

static int run(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	return cli_get(c, check_run_now, pos[0], CLI_AS_RECORD(keys));
}

static int delete(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	struct err e = { 0 };

	return check_delete(c->st, &c->actor, pos[0], &e) ? cli_fail(&e) : 0;
}

const struct subcommand cmd_check[] = {
	{ "add", add, 1, CLI_ANY, add_opts, usage_add },
	{ "list", list, 0, 0, NULL, usage_list },
	{ "show", show, 1, 1, NULL, usage_show },
	{ "run", run, 1, 1, NULL, usage_run },
	{ "delete", delete, 1, 1, NULL, usage_delete },
	{ NULL },
};
