/*
 * cmd_check.c — Nagios-compatible checks from the command line:
 *   itsm check add NAME --ci KEY [--interval S] [--retry S] [--max-attempts N]
 *                  [--timeout S] -- TEMPLATE [ARGS…]
 *   itsm check update NAME [--interval S] … [--enable|--disable] [-- TEMPLATE [ARGS…]]
 *   itsm check list | show NAME | run NAME | delete NAME | commands
 * A check names a command template of the configuration (`itsm --config
 * FILE`, or ITSM_CONFIG: the same file `itsm serve` reads) and gives its
 * arguments; `check commands` lists the templates. `run` executes the
 * plugin now, in this process, and stores the result exactly as the
 * scheduler of `itsm serve` would.
 */
#include "cli/cli.h"
#include "domain/events/check.h"

static const char usage_add[] =
	"itsm check add NAME --ci KEY [--interval S] [--retry S] [--max-attempts N]\n"
	"                   [--timeout S] -- TEMPLATE [ARGS...]";
static const char usage_update[] =
	"itsm check update NAME [--interval S] [--retry S] [--max-attempts N] [--timeout S]\n"
	"                      [--enable|--disable] [--version V] [-- TEMPLATE [ARGS...]]";
static const char usage_list[] = "itsm check list";
static const char usage_show[] = "itsm check show NAME";
static const char usage_run[] = "itsm check run NAME";
static const char usage_delete[] = "itsm check delete NAME";
static const char usage_commands[] = "itsm check commands";

static const char *const keys[] = { "name",	      "ci",	     "command",	    "args",
				    "legacy_command", "interval_seconds", "retry_seconds",
				    "max_attempts",   "timeout_seconds", "enabled",	    "state",
				    "state_type",     "attempt",	   "last_run",	    "next_run",
				    "last_output",    NULL };

static const struct opt add_opts[] = {
	{ "--ci", CLI_STR, "ci" },
	{ "--interval", CLI_INT, "interval_seconds" },
	{ "--retry", CLI_INT, "retry_seconds" },
	{ "--max-attempts", CLI_INT, "max_attempts" },
	{ "--timeout", CLI_INT, "timeout_seconds" },
	{ NULL },
};

static const struct opt update_opts[] = {
	{ "--interval", CLI_INT, "interval_seconds" },
	{ "--retry", CLI_INT, "retry_seconds" },
	{ "--max-attempts", CLI_INT, "max_attempts" },
	{ "--timeout", CLI_INT, "timeout_seconds" },
	{ "--enable", CLI_FLAG, "enabled" },
	{ "--disable", CLI_FLAG_FALSE, "enabled" },
	{ "--version", CLI_INT, "version" },
	{ NULL },
};

/* pos[from]: the template, then its arguments (after "--", which lets them
 * start with '-' — the domain refuses those that would start an element);
 * into in as "command" and "args". */
static void command_json(json_t *in, const char **pos, int from, int npos)
{
	json_t *args = json_array();

	for (int i = from + 1; i < npos; i++)
		json_array_append_new(args, json_string(pos[i]));
	json_object_set_new(in, "command", json_string(pos[from]));
	json_object_set_new(in, "args", args);
}

/* pos: NAME, then the template and its arguments. */
static int add(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	json_t *in;

	if (npos < 2)
		return cli_failf("give the command template and its arguments after '--' "
				 "(itsm check commands lists the templates)");
	in = json_pack("{s:s, s:s}", "name", pos[0], "ci", "");
	command_json(in, pos, 1, npos);
	return cli_call(c, check_create, opts, in, CLI_AS_RECORD(keys));
}

/* pos: NAME, then (optionally) a new template and its arguments. */
static int update(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	json_t *in = json_object();

	if (npos > 1)
		command_json(in, pos, 1, npos);
	return cli_update(c, check_update, check_get_json, pos[0], opts, in, CLI_AS_RECORD(keys));
}

static int list(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	static const char *const cols[] = { "name",	"ci",	 "command", "state", "state_type",
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

static int commands(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	static const char *const cols[] = { "name", "args", "program:60", NULL };

	return cli_get_all(c, check_commands_list_json, CLI_AS_TABLE(cols));
}

const struct subcommand cmd_check[] = {
	{ "add", add, 1, CLI_ANY, add_opts, usage_add },
	{ "update", update, 1, CLI_ANY, update_opts, usage_update },
	{ "list", list, 0, 0, NULL, usage_list },
	{ "show", show, 1, 1, NULL, usage_show },
	{ "run", run, 1, 1, NULL, usage_run },
	{ "delete", delete, 1, 1, NULL, usage_delete },
	{ "commands", commands, 0, 0, NULL, usage_commands },
	{ NULL },
};
