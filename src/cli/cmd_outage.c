/*
 * cmd_outage.c — outages of services:
 *   itsm outage add --service KEY --start T [--end T] [--planned]
 *                   [--incident KEY] [--ci KEY]
 *   itsm outage end ID --end T [--version N]
 *   itsm outage list [--service KEY] [--from T] [--to T]
 */
#include "cli/cli.h"
#include "domain/sla/outage.h"

#include <stdlib.h>
#include <string.h>

static const char usage_add[] =
	"itsm outage add --service KEY --start RFC3339 [--end RFC3339] [--planned]\n"
	"                   [--incident KEY] [--ci KEY]";
static const char usage_end[] = "itsm outage end ID --end RFC3339 [--version N]";
static const char usage_list[] =
	"itsm outage list [--service KEY] [--from RFC3339] [--to RFC3339]";

/* Each option that is set, as a string field named after it ("--end": "end"). */
static void str_opts(const struct opt *opts, json_t *in, const char *const *names)
{
	const char *v;

	for (; *names; names++)
		if ((v = cli_opt(opts, *names)))
			json_object_set_new(in, *names + 2, json_string(v));
}

static const struct opt add_opts[] = {
	{ "--service" },  { "--start" }, { "--end" }, { "--planned", CLI_FLAG },
	{ "--incident" }, { "--ci" },    { NULL },
};

static int add(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	static const char *const strs[] = { "--service", "--start", "--end", "--incident",
					    "--ci",	 NULL };
	struct err e = { 0 };
	json_t *out = NULL, *in = json_object();
	int rc;

	str_opts(opts, in, strs);
	json_object_set_new(in, "planned", json_boolean(cli_opt(opts, "--planned") != NULL));
	rc = outage_create(c->st, &c->actor, in, &out, &e);
	json_decref(in);
	return rc ? cli_fail(&e) : cli_print_done(c, out, "added outage", "id");
}

static const struct opt end_opts[] = { { "--end" }, { "--version" }, { NULL } };

static int end(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	static const char *const strs[] = { "--end", NULL };
	struct err e = { 0 };
	json_t *out = NULL, *in = json_object();
	const char *v;
	int rc;

	str_opts(opts, in, strs);
	if ((v = cli_opt(opts, "--version")))
		json_object_set_new(in, "version", json_integer(atoll(v)));
	else {
		/* Without --version, end the version read just now. */
		json_t *cur = NULL;

		if (outage_get_json(c->st, &c->actor, pos[0], &cur, &e)) {
			json_decref(in);
			return cli_fail(&e);
		}
		json_object_set(in, "version", json_object_get(cur, "version"));
		json_decref(cur);
	}
	rc = outage_update(c->st, &c->actor, pos[0], in, &out, &e);
	json_decref(in);
	return rc ? cli_fail(&e) : cli_print_done(c, out, "ended outage", "id");
}

static const struct opt list_opts[] = {
	{ "--service" }, { "--from" }, { "--to" }, { NULL },
};

static int list(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	static const char *const strs[] = { "--service", "--from", "--to", NULL };
	static const char *const cols[] = { "id",	 "service", "start", "end", "planned",
					    "incident", "ci",	    NULL };
	struct err e = { 0 };
	json_t *out = NULL, *in = json_pack("{s:s}", "limit", "500");
	int rc;

	str_opts(opts, in, strs);
	rc = outage_list_json(c->st, &c->actor, in, &out, &e);
	json_decref(in);
	if (rc)
		return cli_fail(&e);
	return cli_print_list(c, out, cols);
}

static const struct subcommand subcommands[] = {
	{ "add", add, 0, 0, add_opts, usage_add },
	{ "end", end, 1, 1, end_opts, usage_end },
	{ "list", list, 0, 0, list_opts, usage_list },
	{ NULL },
};

int cmd_outage(struct cli *c, int argc, char **argv)
{
	return cli_dispatch(c, argc, argv, subcommands);
}
