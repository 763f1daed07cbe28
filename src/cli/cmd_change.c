/*
 * cmd_change.c — change control from the command line:
 *   itsm change add|show|list|update|submit|approve|reject|schedule|start|
 *               review|cancel
 *   itsm freeze add|list|remove
 * Each subcommand builds the JSON the HTTP API takes and calls the same
 * domain function; a move without --version applies to the change as read
 * just now.
 */
#include "cli/cli.h"
#include "domain/change/change.h"

#include <stdio.h>

static const char usage_add[] =
	"itsm change add --type standard|normal|emergency --title T [--description D]\n"
	"                   [--reason R] [--items KEY,…] [--services KEY,…] [--start T] [--end T]\n"
	"                   [--implementation-plan P] [--test-plan P] [--backout-plan P]\n"
	"                   [--approvers USER,…] [--rule all|any|quorum] [--quorum N]\n"
	"                   [--questionnaire JSON]";
static const char usage_show[] = "itsm change show CHG-N";
static const char usage_list[] = "itsm change list [--status S] [--limit N] [--cursor C]";
static const char usage_update[] =
	"itsm change update CHG-N [--version N] [--title T] [--description D] [--reason R]\n"
	"                   [--items KEY,…] [--services KEY,…] [--start T] [--end T]\n"
	"                   [--implementation-plan P] [--test-plan P] [--backout-plan P]\n"
	"                   [--approvers USER,…] [--rule all|any|quorum] [--quorum N]\n"
	"                   [--questionnaire JSON]";
static const char usage_submit[] = "itsm change submit CHG-N [--version N]";
static const char usage_approve[] = "itsm change approve CHG-N [--comment C] [--version N]";
static const char usage_reject[] = "itsm change reject CHG-N --comment C [--version N]";
static const char usage_schedule[] =
	"itsm change schedule CHG-N [--override REASON] [--version N]";
static const char usage_start[] = "itsm change start CHG-N [--version N]";
static const char usage_review[] =
	"itsm change review CHG-N [--outcome success|failure] [--notes N] [--version N]";
static const char usage_cancel[] = "itsm change cancel CHG-N [--reason R] [--version N]";

static const char *const list_cols[] = { "key",	       "type",	      "status", "planned_start",
					 "planned_end", "title:40", NULL };
static const char *const show_keys[] = {
	"key",	       "type",	     "status",	      "title",	    "description",
	"reason",      "items",	     "services",      "planned_start", "planned_end",
	"implementation_plan", "test_plan", "backout_plan", "approvers", "rule",
	"quorum",      "approvals",  "risk",	      "outages",    "override",
	"review",      "created_by", "created_at",    "updated_at", "version",
	NULL
};

#define CHANGE_FIELDS                                                                              \
	{ "--title", CLI_STR, "title" }, { "--description", CLI_STR, "description" },              \
		{ "--reason", CLI_STR, "reason" }, { "--items", CLI_LIST, "items" },                 \
		{ "--services", CLI_LIST, "services" }, { "--start", CLI_STR, "planned_start" },     \
		{ "--end", CLI_STR, "planned_end" },                                                 \
		{ "--implementation-plan", CLI_STR, "implementation_plan" },                         \
		{ "--test-plan", CLI_STR, "test_plan" },                                             \
		{ "--backout-plan", CLI_STR, "backout_plan" },                                       \
		{ "--approvers", CLI_LIST, "approvers" }, { "--rule", CLI_STR, "rule" },             \
		{ "--quorum", CLI_INT, "quorum" }, { "--questionnaire", CLI_OBJECT, "questionnaire" }

static const struct opt add_opts[] = { { "--type", CLI_STR, "type" }, CHANGE_FIELDS, { NULL } };

static int add(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	return cli_call(c, change_create, opts, NULL, CLI_AS_LINE("added change", "key"));
}

static int show(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	return cli_get(c, change_get_json, pos[0], CLI_AS_RECORD(show_keys));
}

static const struct opt list_opts[] = {
	{ "--status", CLI_STR, "status" },
	{ "--limit", CLI_STR, "limit" },
	{ "--cursor", CLI_STR, "cursor" },
	{ NULL },
};

static int list(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	return cli_call(c, change_list_json, opts, NULL, CLI_AS_TABLE(list_cols));
}

static const struct opt update_opts[] = { { "--version", CLI_INT, "version" }, CHANGE_FIELDS,
					   { NULL } };

/* "CHG-7 approved (version 4)" */
static void moved(const json_t *out, const char *ref)
{
	printf("%s %s (version %lld)\n", json_string_value(json_object_get(out, "key")),
	       json_string_value(json_object_get(out, "status")),
	       (long long)json_integer_value(json_object_get(out, "version")));
}

static int update(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	return cli_update(c, change_update, change_get_json, pos[0], opts, NULL,
			  CLI_AS_TEXT(moved));
}

static const struct opt version_opts[] = { { "--version", CLI_INT, "version" }, { NULL } };
static const struct opt decide_opts[] = { { "--version", CLI_INT, "version" },
					   { "--comment", CLI_STR, "comment" },
					   { NULL } };
static const struct opt schedule_opts[] = { { "--version", CLI_INT, "version" },
					     { "--override", CLI_STR, "override" },
					     { NULL } };
static const struct opt review_opts[] = { { "--version", CLI_INT, "version" },
					   { "--outcome", CLI_STR, "outcome" },
					   { "--notes", CLI_STR, "notes" },
					   { NULL } };
static const struct opt cancel_opts[] = { { "--version", CLI_INT, "version" },
					   { "--reason", CLI_STR, "reason" },
					   { NULL } };

#define MOVE(name, fn)                                                                             \
	static int name(struct cli *c, const struct opt *opts, const char **pos, int npos)         \
	{                                                                                          \
		return cli_update(c, fn, change_get_json, pos[0], opts, NULL, CLI_AS_TEXT(moved)); \
	}
MOVE(submit, change_submit)
MOVE(approve, change_approve)
MOVE(reject, change_reject)
MOVE(schedule, change_schedule)
MOVE(start, change_start)
MOVE(review, change_review)
MOVE(cancel, change_cancel)
#undef MOVE

const struct subcommand cmd_change[] = {
	{ "add", add, 0, 0, add_opts, usage_add },
	{ "show", show, 1, 1, NULL, usage_show },
	{ "list", list, 0, 0, list_opts, usage_list },
	{ "update", update, 1, 1, update_opts, usage_update },
	{ "submit", submit, 1, 1, version_opts, usage_submit },
	{ "approve", approve, 1, 1, decide_opts, usage_approve },
	{ "reject", reject, 1, 1, decide_opts, usage_reject },
	{ "schedule", schedule, 1, 1, schedule_opts, usage_schedule },
	{ "start", start, 1, 1, version_opts, usage_start },
	{ "review", review, 1, 1, review_opts, usage_review },
	{ "cancel", cancel, 1, 1, cancel_opts, usage_cancel },
	{ NULL },
};

/* ---- freeze windows ---- */

static const char usage_fadd[] =
	"itsm freeze add --start T --end T --reason R [--service KEY]";
static const char usage_flist[] = "itsm freeze list";
static const char usage_fremove[] = "itsm freeze remove ID";

static const struct opt fadd_opts[] = {
	{ "--start", CLI_STR, "start" },     { "--end", CLI_STR, "end" },
	{ "--reason", CLI_STR, "reason" },   { "--service", CLI_STR, "service" },
	{ NULL },
};

static int fadd(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	return cli_call(c, freeze_add, opts, NULL, CLI_AS_LINE("added freeze", "id"));
}

static int flist(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	static const char *const cols[] = { "id", "service", "start", "end", "reason:40", NULL };

	return cli_call(c, freeze_list_json, NULL, json_pack("{s:s}", "limit", "500"),
			CLI_AS_TABLE(cols));
}

static int fremove(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	return cli_get(c, freeze_remove, pos[0], CLI_AS_LINE("removed freeze", "id"));
}

const struct subcommand cmd_freeze[] = {
	{ "add", fadd, 0, 0, fadd_opts, usage_fadd },
	{ "list", flist, 0, 0, NULL, usage_flist },
	{ "remove", fremove, 1, 1, NULL, usage_fremove },
	{ NULL },
};
