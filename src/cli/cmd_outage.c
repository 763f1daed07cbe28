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

static const char usage[] =
	"itsm outage add --service KEY --start RFC3339 [--end RFC3339] [--planned]\n"
	"                   [--incident KEY] [--ci KEY]\n"
	"       itsm outage end ID --end RFC3339 [--version N]\n"
	"       itsm outage list [--service KEY] [--from RFC3339] [--to RFC3339]";

int cmd_outage(struct cli *c, int argc, char **argv)
{
	struct opt opts[] = { { "--service", 1 }, { "--start", 1 },    { "--end", 1 },
			      { "--planned", 0 }, { "--incident", 1 }, { "--ci", 1 },
			      { "--version", 1 }, { "--from", 1 },     { "--to", 1 },
			      { NULL } };
	static const char *const cols[] = { "id",	 "service", "start", "end", "planned",
					    "incident", "ci",	    NULL };
	const char *pos[2], *v;
	struct err e = { 0 };
	json_t *out = NULL, *in;
	int n, rc;

	if (argc < 1)
		return cli_usage(usage);
	if ((rc = cli_parse(argc - 1, argv + 1, opts, pos, 1, &n, usage)))
		return rc;
	if ((rc = cli_open(c, 0)))
		return rc;
	if (!strcmp(argv[0], "add") && n == 0) {
		static const char *const strs[] = { "--service", "--start", "--end", "--incident",
						    "--ci", NULL };

		in = json_object();
		for (const char *const *s = strs; *s; s++)
			if ((v = cli_opt(opts, *s)))
				json_object_set_new(in, *s + 2, json_string(v));
		json_object_set_new(in, "planned", json_boolean(cli_opt(opts, "--planned") != NULL));
		rc = outage_create(c->st, &c->actor, in, &out, &e);
		json_decref(in);
		return rc ? cli_fail(&e) : cli_print_done(c, out, "added outage", "id");
	}
	if (!strcmp(argv[0], "end") && n == 1) {
		in = json_object();
		if ((v = cli_opt(opts, "--end")))
			json_object_set_new(in, "end", json_string(v));
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
	if (!strcmp(argv[0], "list") && n == 0) {
		static const char *const strs[] = { "--service", "--from", "--to", NULL };

		in = json_pack("{s:s}", "limit", "500");
		for (const char *const *s = strs; *s; s++)
			if ((v = cli_opt(opts, *s)))
				json_object_set_new(in, *s + 2, json_string(v));
		rc = outage_list_json(c->st, &c->actor, in, &out, &e);
		json_decref(in);
		if (rc)
			return cli_fail(&e);
		return cli_print_list(c, out, cols);
	}
	return cli_usage(usage);
}
