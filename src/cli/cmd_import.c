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

static int tickets(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	return cli_call_file(c, pos[0], import_tickets_file, CLI_AS_TEXT(print_imported));
}

const struct subcommand cmd_import[] = {
	{ "tickets", tickets, 1, 1, NULL, usage_tickets, CLI_NO_STORE },
	{ NULL },
};
