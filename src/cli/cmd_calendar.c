/*
 * cmd_calendar.c — business calendars and their arithmetic:
 *   itsm calendar add --file F | list | show NAME
 *   itsm calendar due NAME --from T --minutes N
 *   itsm calendar elapsed NAME --from T --to T
 * The file holds the body of POST /api/v1/calendars ("-" reads stdin).
 */
#include "cli/cli.h"
#include "domain/sla/sla.h"

#include <string.h>

static const char usage[] = "itsm calendar add --file FILE\n"
			    "       itsm calendar list\n"
			    "       itsm calendar show NAME\n"
			    "       itsm calendar due NAME --from RFC3339 --minutes N\n"
			    "       itsm calendar elapsed NAME --from RFC3339 --to RFC3339";

static int print(struct cli *c, json_t *out, const char *key)
{
	if (c->json || !key) {
		cli_print_json(out);
		return 0;
	}
	if (json_is_string(json_object_get(out, key)))
		printf("%s\n", json_string_value(json_object_get(out, key)));
	else
		printf("%lld\n", (long long)json_integer_value(json_object_get(out, key)));
	json_decref(out);
	return 0;
}

int cmd_calendar(struct cli *c, int argc, char **argv)
{
	struct opt opts[] = { { "--file", 1 }, { "--from", 1 },	   { "--to", 1 },
			      { "--minutes", 1 }, { NULL } };
	static const char *const cols[] = { "name", "timezone", "builtin", "created_at", NULL };
	const char *pos[2];
	struct err e = { 0 };
	json_t *out = NULL;
	int n, rc;

	if (argc < 1)
		return cli_usage(usage);
	if ((rc = cli_parse(argc - 1, argv + 1, opts, pos, 1, &n, usage)))
		return rc;
	if ((rc = cli_open(c, 0)))
		return rc;
	if (!strcmp(argv[0], "add") && n == 0 && cli_opt(opts, "--file"))
		return cli_create_from_file(c, cli_opt(opts, "--file"), sla_calendar_add,
					    "added calendar", "name");
	if (!strcmp(argv[0], "list") && n == 0) {
		if (sla_calendar_list_json(c->st, &c->actor, NULL, &out, &e))
			return cli_fail(&e);
		return cli_print_list(c, out, cols);
	}
	if (!strcmp(argv[0], "show") && n == 1) {
		if (sla_calendar_get_json(c->st, pos[0], &out, &e))
			return cli_fail(&e);
		return print(c, out, NULL);
	}
	if (!strcmp(argv[0], "due") && n == 1) {
		if (sla_calendar_due_json(c->st, pos[0], cli_opt(opts, "--from"),
					  cli_opt(opts, "--minutes"), &out, &e))
			return cli_fail(&e);
		return print(c, out, "due");
	}
	if (!strcmp(argv[0], "elapsed") && n == 1) {
		if (sla_calendar_elapsed_json(c->st, pos[0], cli_opt(opts, "--from"),
					      cli_opt(opts, "--to"), &out, &e))
			return cli_fail(&e);
		return print(c, out, "business_seconds");
	}
	return cli_usage(usage);
}
