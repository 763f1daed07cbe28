/*
 * cmd_calendar.c — business calendars and their arithmetic:
 *   itsm calendar add --file F | list | show NAME
 *   itsm calendar due NAME --from T --minutes N
 *   itsm calendar elapsed NAME --from T --to T
 * The file holds the body of POST /api/v1/calendars ("-" reads stdin).
 */
#include "cli/cli.h"
#include "domain/sla/sla.h"

static const char usage_add[] = "itsm calendar add --file FILE";
static const char usage_list[] = "itsm calendar list";
static const char usage_show[] = "itsm calendar show NAME";
static const char usage_due[] = "itsm calendar due NAME --from RFC3339 --minutes N";
static const char usage_elapsed[] = "itsm calendar elapsed NAME --from RFC3339 --to RFC3339";

static const struct opt add_opts[] = { { "--file" }, { NULL } };

static int add(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	if (!cli_opt(opts, "--file"))
		return cli_usage(usage_add);
	return cli_create_from_file(c, cli_opt(opts, "--file"), sla_calendar_add,
				    "added calendar", "name");
}

static int list(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	static const char *const cols[] = { "name", "timezone", "builtin", "created_at", NULL };

	return cli_call(c, sla_calendar_list_json, NULL, NULL, CLI_AS_TABLE(cols));
}

static int show(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = sla_calendar_get_json(c->st, pos[0], &out, &e);

	return cli_answer(c, rc, out, &e, CLI_AS_JSON);
}

/* due and elapsed: NAME's arithmetic from --from to an argument, printed as
 * the answer's one value alone, as scripts read it. */
static int reckon(struct cli *c, const char *name, const char *from, const char *arg,
		  int (*fn)(struct store *, const char *, const char *, const char *, json_t **,
			    struct err *),
		  const char *field)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = fn(c->st, name, from, arg, &out, &e);

	return cli_answer(c, rc, out, &e, CLI_AS_LINE(NULL, field));
}

static const struct opt due_opts[] = { { "--from" }, { "--minutes" }, { NULL } };

static int due(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	return reckon(c, pos[0], cli_opt(opts, "--from"), cli_opt(opts, "--minutes"),
		      sla_calendar_due_json, "due");
}

static const struct opt elapsed_opts[] = { { "--from" }, { "--to" }, { NULL } };

static int elapsed(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	return reckon(c, pos[0], cli_opt(opts, "--from"), cli_opt(opts, "--to"),
		      sla_calendar_elapsed_json, "business_seconds");
}

const struct subcommand cmd_calendar[] = {
	{ "add", add, 0, 0, add_opts, usage_add },
	{ "list", list, 0, 0, NULL, usage_list },
	{ "show", show, 1, 1, NULL, usage_show },
	{ "due", due, 1, 1, due_opts, usage_due },
	{ "elapsed", elapsed, 1, 1, elapsed_opts, usage_elapsed },
	{ NULL },
};
