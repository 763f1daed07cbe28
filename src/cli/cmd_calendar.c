/*
 * cmd_calendar.c — business calendars and their arithmetic:
 *   itsm calendar add --file F | list [--status S] | show NAME
 *   itsm calendar update NAME --file F --version N
 *   itsm calendar retire NAME [--version N] | restore NAME [--version N]
 *   itsm calendar holiday add NAME DATE [--name TEXT]
 *   itsm calendar holiday remove NAME DATE | holiday list NAME [--year YYYY]
 *   itsm calendar due NAME --from T --minutes N
 *   itsm calendar elapsed NAME --from T --to T
 * The file holds the body of POST /api/v1/calendars, or of PATCH for an
 * update ("-" reads stdin).
 */
#include "cli/cli.h"
#include "domain/sla/sla.h"

static const char usage_add[] = "itsm calendar add --file FILE";
static const char usage_list[] = "itsm calendar list [--status active|retired|active,retired]";
static const char usage_update[] = "itsm calendar update NAME --file FILE --version N";
static const char usage_retire[] = "itsm calendar retire NAME [--version N]";
static const char usage_restore[] = "itsm calendar restore NAME [--version N]";
static const char usage_hol_add[] = "itsm calendar holiday add NAME YYYY-MM-DD [--name TEXT]";
static const char usage_hol_remove[] = "itsm calendar holiday remove NAME YYYY-MM-DD";
static const char usage_hol_list[] = "itsm calendar holiday list NAME [--year YYYY]";
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

static const struct opt list_opts[] = { { "--status", CLI_STR, "status" }, { NULL } };

static int list(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	static const char *const cols[] = { "name",    "timezone",   "builtin",
					    "status",  "created_at", "version",
					    NULL };

	return cli_call(c, sla_calendar_list_json, opts, NULL, CLI_AS_TABLE(cols));
}

/* sla_calendar_get_json in the shape cli_update reads a version with. */
static int get(struct store *st, const struct actor *a, const char *name, json_t **out,
	       struct err *e)
{
	return sla_calendar_get_json(st, name, out, e);
}

static const struct opt update_opts[] = {
	{ "--file" }, { "--version", CLI_INT, "version" }, { NULL },
};

static int update(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	return cli_update_from_file(c, sla_calendar_update, pos[0], opts, usage_update,
				    CLI_AS_LINE("updated calendar", "name"));
}

static const struct opt status_opts[] = { { "--version", CLI_INT, "version" }, { NULL } };

static int retire(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	return cli_update(c, sla_calendar_update, get, pos[0], opts,
			  json_pack("{s:s}", "status", "retired"),
			  CLI_AS_LINE("retired calendar", "name"));
}

static int restore(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	return cli_update(c, sla_calendar_update, get, pos[0], opts,
			  json_pack("{s:s}", "status", "active"),
			  CLI_AS_LINE("restored calendar", "name"));
}

static const struct opt hol_add_opts[] = { { "--name", CLI_STR, "name" }, { NULL } };

static int hol_add(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	return cli_call_ref(c, sla_calendar_holiday_add, pos[0], opts,
			    json_pack("{s:s}", "date", pos[1]),
			    CLI_AS_LINE("added a holiday to calendar", "name"));
}

static int hol_remove(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = sla_calendar_holiday_remove(c->st, &c->actor, pos[0], pos[1], &out, &e);

	return cli_answer(c, rc, out, &e, CLI_AS_LINE("removed a holiday from calendar", "name"));
}

static const struct opt hol_list_opts[] = { { "--year", CLI_STR, "year" }, { NULL } };

static int hol_list(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	static const char *const cols[] = { "date", "name:40", NULL };
	struct err e = { 0 };
	json_t *q = json_object(), *out = NULL;
	int rc;

	if (cli_opts_json(opts, q)) {
		json_decref(q);
		return 1;
	}
	rc = sla_calendar_holidays_json(c->st, pos[0], q, &out, &e);
	json_decref(q);
	return cli_answer(c, rc, out, &e, CLI_AS_TABLE(cols));
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
	{ "list", list, 0, 0, list_opts, usage_list },
	{ "show", show, 1, 1, NULL, usage_show },
	{ "update", update, 1, 1, update_opts, usage_update },
	{ "retire", retire, 1, 1, status_opts, usage_retire },
	{ "restore", restore, 1, 1, status_opts, usage_restore },
	{ "holiday add", hol_add, 2, 2, hol_add_opts, usage_hol_add },
	{ "holiday remove", hol_remove, 2, 2, NULL, usage_hol_remove },
	{ "holiday list", hol_list, 1, 1, hol_list_opts, usage_hol_list },
	{ "due", due, 1, 1, due_opts, usage_due },
	{ "elapsed", elapsed, 1, 1, elapsed_opts, usage_elapsed },
	{ NULL },
};
