/*
 * cmd_import.c — migrated history: itsm import tickets FILE.jsonl
 * One ticket per line (see docs/sla.md); all or nothing; "-" reads stdin.
 */
#include "cli/cli.h"
#include "domain/desk/import.h"

#include <stdio.h>
#include <string.h>

static const char usage[] = "itsm import tickets FILE.jsonl";

int cmd_import(struct cli *c, int argc, char **argv)
{
	struct opt opts[] = { { NULL } };
	const char *pos[2];
	struct err e = { 0 };
	json_t *out = NULL;
	FILE *f;
	int n, rc;

	if (argc < 1 || strcmp(argv[0], "tickets"))
		return cli_usage(usage);
	if ((rc = cli_parse(argc - 1, argv + 1, opts, pos, 1, &n, usage)))
		return rc;
	if (n != 1)
		return cli_usage(usage);
	f = strcmp(pos[0], "-") ? fopen(pos[0], "r") : stdin;
	if (!f)
		return cli_failf("cannot open '%s'", pos[0]);
	if ((rc = cli_open(c, 0))) {
		if (f != stdin)
			fclose(f);
		return rc;
	}
	rc = import_tickets_file(c->st, &c->actor, f, &out, &e);
	if (f != stdin)
		fclose(f);
	if (rc)
		return cli_fail(&e);
	if (c->json)
		cli_print_json(out);
	else {
		printf("imported %lld tickets\n",
		       (long long)json_integer_value(json_object_get(out, "imported")));
		json_decref(out);
	}
	return 0;
}
