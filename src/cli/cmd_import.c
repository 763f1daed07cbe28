/*
 * cmd_import.c — migrated history: itsm import tickets FILE.jsonl
 * One ticket per line (see docs/sla.md); all or nothing; "-" reads stdin.
 * The file is streamed line by line, not read whole: a migration may hold
 * millions of tickets.
 */
#include "cli/cli.h"
#include "domain/desk/import.h"
#include "lib/plural.h"

#include <stdio.h>
#include <string.h>

static const char usage_tickets[] = "itsm import tickets FILE.jsonl";

static void print_imported(const json_t *out, const char *ref)
{
	json_int_t n = json_integer_value(json_object_get(out, "imported"));

	printf("imported %lld %s\n", (long long)n, plural(n, "ticket", "tickets"));
}

/* CLI_NO_STORE: a file that cannot be opened is refused before the store is
 * (so none is created for it). */
static int tickets(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	struct err e = { 0 };
	json_t *out = NULL;
	FILE *f;
	int rc;

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
	return cli_answer(c, rc, out, &e, CLI_AS_TEXT(print_imported));
}

const struct subcommand cmd_import[] = {
	{ "tickets", tickets, 1, 1, NULL, usage_tickets, CLI_NO_STORE },
	{ NULL },
};
