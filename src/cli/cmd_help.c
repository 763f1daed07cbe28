/*
 * cmd_help.c — itsm help [COMMAND] | itsm help --commands-json
 *
 * `help` prints the usage of itsm or of one command, as --help does.
 * `--commands-json` (for maintainers) prints the tables the CLI runs on as
 * one JSON document: the global options, every command with its
 * subcommands, their options (name, whether it takes a value) and usage
 * lines, and every itsm.conf option. The man pages and the bash completion
 * are generated from it (scripts/man.mjs, scripts/completion.mjs), so they
 * name what the tables hold and nothing else.
 *
 * Invariant: the document is read from the tables themselves (main.c's
 * cli_commands, each group's subcommand table, cli_config_options), never
 * from a list kept here.
 */
#include "cli/cli.h"
#include "cli/cli_config.h"

#include <stdio.h>
#include <string.h>

static const char usage[] = "itsm help [COMMAND] | itsm help --commands-json";

static const char *const conf_types[] = {
	[CONF_STRING] = "string", [CONF_INT] = "integer", [CONF_SECTION] = "section"
};

/* An option table (NULL: none) as [{"name", "value": bool}]; NULL when out
 * of memory. The caller owns the result. */
static json_t *options_json(const struct opt *opts)
{
	json_t *arr = json_array();

	for (const struct opt *o = opts; arr && o && o->name; o++) {
		int value = o->type != CLI_FLAG && o->type != CLI_FLAG_FALSE;

		if (json_array_append_new(arr, json_pack("{s:s,s:b}", "name", o->name, "value",
							 value))) {
			json_decref(arr);
			return NULL;
		}
	}
	return arr;
}

/* One subcommand row as JSON; NULL when out of memory. Owned by the caller. */
static json_t *subcommand_json(const struct subcommand *s)
{
	json_t *opts = options_json(s->opts);

	if (!opts)
		return NULL;
	return json_pack("{s:s,s:s,s:i,s:o,s:o}", "name", s->name, "usage", s->usage, "min_args",
			 s->min_pos, "max_args",
			 s->max_pos == CLI_ANY ? json_null() : json_integer(s->max_pos), "options",
			 opts);
}

static json_t *commands_json(void)
{
	json_t *arr = json_array();

	for (const struct cli_command *c = cli_commands; arr && c->name; c++) {
		json_t *subs = json_array();

		for (const struct subcommand *s = c->subs; subs && s->name; s++)
			if (json_array_append_new(subs, subcommand_json(s))) {
				json_decref(subs);
				subs = NULL;
			}
		if (!subs || json_array_append_new(arr, json_pack("{s:s,s:s,s:o}", "name", c->name,
								   "summary", c->summary,
								   "subcommands", subs))) {
			json_decref(arr);
			return NULL;
		}
	}
	return arr;
}

static json_t *config_json(void)
{
	json_t *arr = json_array();

	for (const struct config_option *o = cli_config_options; arr && o->name; o++) {
		json_t *row = json_pack("{s:s,s:s,s:s,s:s}", "name", o->name, "type",
					conf_types[o->type], "help", o->help,
					o->type == CONF_SECTION ? "example" : "default", o->def);

		if (row && o->type == CONF_INT &&
		    (json_object_set_new(row, "min", json_integer(o->min)) ||
		     json_object_set_new(row, "max", json_integer(o->max)))) {
			json_decref(row);
			row = NULL;
		}
		if (json_array_append_new(arr, row)) {
			json_decref(arr);
			return NULL;
		}
	}
	return arr;
}

static int help(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	json_t *doc;

	if (cli_opt(opts, "--commands-json")) {
		if (npos)
			return cli_usage(usage);
		doc = json_pack("{s:o,s:o,s:o}", "global_options",
				options_json(cli_global_options), "commands", commands_json(),
				"config", config_json());
		if (!doc)
			return cli_failf("out of memory");
		cli_print_json(doc);
		return 0;
	}
	if (!npos)
		return cli_main_usage(stdout);
	for (const struct cli_command *k = cli_commands; k->name; k++)
		if (!strcmp(k->name, pos[0])) {
			static char flag[] = "--help";
			char *argv[] = { flag, NULL };

			return cli_dispatch(c, 1, argv, k->subs);
		}
	fprintf(stderr, "itsm: unknown command '%s'\n", pos[0]);
	return cli_main_usage(stderr);
}

static const struct opt help_opts[] = { { "--commands-json", CLI_FLAG }, { NULL } };

const struct subcommand cmd_help[] = {
	{ "", help, 0, 1, help_opts, usage, CLI_NO_STORE },
	{ NULL },
};
