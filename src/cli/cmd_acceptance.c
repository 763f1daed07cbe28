/*
 * cmd_acceptance.c — operational acceptance from the command line:
 *   itsm acceptance criteria|add|show|list|update|evidence|plan|decide
 * Each subcommand builds the JSON the HTTP API takes and calls the same
 * domain function; a change without --version applies to the checklist as
 * read just now.
 */
#include "cli/cli.h"
#include "domain/acceptance/acceptance.h"

#include <stdio.h>

static const char usage_criteria[] = "itsm acceptance criteria";
static const char usage_add[] =
	"itsm acceptance add --title T [--service KEY] [--items KEY,…] [--criteria CODE,…]\n"
	"                 [--description D]";
static const char usage_show[] = "itsm acceptance show ACC-N";
static const char usage_list[] =
	"itsm acceptance list [--status open|go|no_go] [--service KEY] [--limit N] [--cursor C]";
static const char usage_update[] =
	"itsm acceptance update ACC-N [--version N] [--title T] [--description D]\n"
	"                 [--service KEY] [--items KEY,…] [--criteria CODE,…]";
static const char usage_evidence[] =
	"itsm acceptance evidence ACC-N --criterion CODE --note TEXT [--link KB-N|PROC-N]\n"
	"                 [--version N]";
static const char usage_plan[] = "itsm acceptance plan ACC-N --file PLAN.json [--version N]";
static const char usage_decide[] =
	"itsm acceptance decide ACC-N --decision go|no_go [--reason R] [--version N]";

static const char *const criteria_cols[] = { "code", "title:30", "rule", "mandatory", NULL };
static const char *const list_cols[] = { "key", "status", "service", "ready", "title:40", NULL };
static const char *const show_keys[] = { "key",	    "title",	  "description", "status",
					 "service", "items",	  "ready",	 "missing",
					 "plan",    "decisions", "created_by", "created_at",
					 "updated_at", "version", NULL };

static int criteria(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	return cli_get_all(c, acc_criteria_json, CLI_AS_TABLE(criteria_cols));
}

#define ACC_FIELDS                                                                                 \
	{ "--title", CLI_STR, "title" }, { "--description", CLI_STR, "description" },              \
		{ "--service", CLI_NULLABLE, "service" }, { "--items", CLI_LIST, "items" },          \
		{ "--criteria", CLI_LIST, "criteria" }

static const struct opt add_opts[] = { ACC_FIELDS, { NULL } };

static int add(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	return cli_call(c, acc_add, opts, NULL, CLI_AS_LINE("added acceptance", "key"));
}

/* The record, then one line a criterion: "[x] monitoring (mandatory) …". */
static void shown(const json_t *out, const char *ref)
{
	json_t *cs = json_object_get(out, "criteria"), *v;
	size_t i;

	cli_print_record(out, show_keys);
	printf("criteria:\n");
	json_array_foreach(cs, i, v) {
		const char *missing = json_string_value(json_object_get(v, "missing"));

		printf("  [%s] %s%s — %s%s%s\n", json_is_true(json_object_get(v, "met")) ? "x" : " ",
		       json_string_value(json_object_get(v, "code")),
		       json_is_true(json_object_get(v, "mandatory")) ? " (mandatory)" : "",
		       json_string_value(json_object_get(v, "title")), missing ? ": " : "",
		       missing ? missing : "");
	}
}

static int show(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	return cli_get(c, acc_get_json, pos[0], CLI_AS_TEXT(shown));
}

static const struct opt list_opts[] = {
	{ "--status", CLI_STR, "status" }, { "--service", CLI_STR, "service" },
	{ "--limit", CLI_STR, "limit" },   { "--cursor", CLI_STR, "cursor" },
	{ NULL },
};

static int list(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	return cli_call(c, acc_list_json, opts, NULL, CLI_AS_TABLE(list_cols));
}

/* "ACC-3 no_go, not ready (version 4)" */
static void changed(const json_t *out, const char *ref)
{
	printf("%s %s, %s (version %lld)\n", json_string_value(json_object_get(out, "key")),
	       json_string_value(json_object_get(out, "status")),
	       json_is_true(json_object_get(out, "ready")) ? "ready" : "not ready",
	       (long long)json_integer_value(json_object_get(out, "version")));
}

static const struct opt update_opts[] = { { "--version", CLI_INT, "version" }, ACC_FIELDS,
					  { NULL } };

static int update(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	return cli_update(c, acc_update, acc_get_json, pos[0], opts, NULL, CLI_AS_TEXT(changed));
}

static const struct opt evidence_opts[] = {
	{ "--criterion", CLI_STR, "criterion" },
	{ "--note", CLI_STR, "note" },
	{ "--link", CLI_STR, "link" },
	{ "--version", CLI_INT, "version" },
	{ NULL },
};

static int evidence(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	return cli_update(c, acc_evidence, acc_get_json, pos[0], opts, NULL, CLI_AS_TEXT(changed));
}

static const struct opt plan_opts[] = {
	{ "--file", CLI_STR, NULL },
	{ "--version", CLI_INT, "version" },
	{ NULL },
};

/* The file holds {"steps": [{"title", "owner", "at"}], "rollback"}. */
static int plan(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	const char *path = cli_opt(opts, "--file");
	struct err e = { 0 };
	json_t *in;

	if (!path)
		return cli_usage(usage_plan);
	if (!(in = cli_read_json_file(path, &e)))
		return cli_fail(&e);
	return cli_update(c, acc_plan, acc_get_json, pos[0], opts, in, CLI_AS_TEXT(changed));
}

static const struct opt decide_opts[] = {
	{ "--decision", CLI_STR, "decision" },
	{ "--reason", CLI_STR, "reason" },
	{ "--version", CLI_INT, "version" },
	{ NULL },
};

static int decide(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	return cli_update(c, acc_decide, acc_get_json, pos[0], opts, NULL, CLI_AS_TEXT(changed));
}

const struct subcommand cmd_acceptance[] = {
	{ "criteria", criteria, 0, 0, NULL, usage_criteria },
	{ "add", add, 0, 0, add_opts, usage_add },
	{ "show", show, 1, 1, NULL, usage_show },
	{ "list", list, 0, 0, list_opts, usage_list },
	{ "update", update, 1, 1, update_opts, usage_update },
	{ "evidence", evidence, 1, 1, evidence_opts, usage_evidence },
	{ "plan", plan, 1, 1, plan_opts, usage_plan },
	{ "decide", decide, 1, 1, decide_opts, usage_decide },
	{ NULL },
};
