/*
 * cmd_problem.c — problems from the command line:
 *   itsm problem add|show|list|update|link|unlink|proposals|confirm|dismiss
 * Each subcommand builds the same JSON the HTTP API takes and calls the same
 * domain function, so --as USER gets exactly the API's answers.
 */
#include "cli/cli.h"
#include "domain/problem/problem.h"

#include <string.h>

static const char usage_add[] =
	"itsm problem add --title TITLE [--description TEXT] [--service KEY] [--item K1,K2]\n"
	"                 [--impact 1-3] [--urgency 1-3] [--root-cause TEXT]\n"
	"                 [--workaround TEXT] [--incident INC-1,INC-2]";
static const char usage_show[] = "itsm problem show PRB-N";
static const char usage_list[] =
	"itsm problem list [--status S] [--service KEY] [--limit N] [--cursor N]";
static const char usage_update[] =
	"itsm problem update PRB-N [--title TITLE] [--description TEXT] [--service KEY]\n"
	"                 [--item K1,K2] [--impact 1-3] [--urgency 1-3] [--root-cause TEXT]\n"
	"                 [--workaround TEXT] [--status S] [--resolve-incidents] [--version N]";
static const char usage_link[] = "itsm problem link PRB-N INCIDENT";
static const char usage_unlink[] = "itsm problem unlink PRB-N INCIDENT";
static const char usage_proposals[] = "itsm problem proposals";
static const char usage_confirm[] =
	"itsm problem confirm ID [--title TITLE] [--impact 1-3] [--urgency 1-3]";
static const char usage_dismiss[] = "itsm problem dismiss ID";

static const struct opt add_opts[] = {
	{ "--title", CLI_STR, "title" },
	{ "--description", CLI_STR, "description" },
	{ "--service", CLI_STR, "service" },
	{ "--item", CLI_LIST, "items" },
	{ "--impact", CLI_NUM, "impact" },
	{ "--urgency", CLI_NUM, "urgency" },
	{ "--root-cause", CLI_STR, "root_cause" },
	{ "--workaround", CLI_STR, "workaround" },
	{ "--incident", CLI_LIST, "incidents" },
	{ NULL },
};

static int add(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	if (!cli_opt(opts, "--title"))
		return cli_usage(usage_add);
	return cli_call(c, problem_add, opts, NULL, CLI_AS_LINE("added problem", "key"));
}

/* A problem, its items, and its incidents as a table. */
static void print_problem(const json_t *p, const char *ref)
{
	static const char *const keys[] = { "key",	  "title",	 "status",   "priority",
					    "impact",	  "urgency",	 "service",  "description",
					    "root_cause", "workaround", "created_by", "updated_at",
					    "version",	  NULL };
	static const char *const icols[] = { "key", "status", "customer", "title:50", NULL };
	json_t *items = json_object_get(p, "items"), *v;
	size_t i;

	cli_print_record(p, keys);
	printf("items:");
	json_array_foreach(items, i, v)
		printf("%s%s", i ? ", " : " ", json_string_value(v));
	printf("%s\n\nlinked incidents:\n", json_array_size(items) ? "" : " -");
	cli_print_table(json_object_get(p, "incidents"), icols);
}

static int show(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	return cli_get(c, problem_get_json, pos[0], CLI_AS_TEXT(print_problem));
}

static const struct opt list_opts[] = {
	{ "--status", CLI_STR, "status" }, { "--service", CLI_STR, "service" },
	{ "--limit", CLI_STR, "limit" },   { "--cursor", CLI_STR, "cursor" },
	{ NULL },
};

static int list(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	static const char *const cols[] = { "key",     "status",  "priority", "service",
					    "title:50", "version", NULL };

	return cli_call(c, problem_list_json, opts, NULL, CLI_AS_TABLE(cols));
}

static const struct opt update_opts[] = {
	{ "--title", CLI_STR, "title" },
	{ "--description", CLI_STR, "description" },
	{ "--service", CLI_STR, "service" },
	{ "--item", CLI_LIST, "items" },
	{ "--impact", CLI_NUM, "impact" },
	{ "--urgency", CLI_NUM, "urgency" },
	{ "--root-cause", CLI_STR, "root_cause" },
	{ "--workaround", CLI_STR, "workaround" },
	{ "--status", CLI_STR, "status" },
	{ "--resolve-incidents", CLI_FLAG, "resolve_incidents" },
	{ "--version", CLI_NUM, "version" },
	{ NULL },
};

static void print_updated(const json_t *out, const char *ref)
{
	json_t *res = json_object_get(out, "resolved_incidents"), *v;
	size_t i;

	printf("updated problem %s, %s, version %lld\n", ref,
	       json_string_value(json_object_get(out, "status")),
	       (long long)json_integer_value(json_object_get(out, "version")));
	json_array_foreach(res, i, v)
		printf("resolved %s\n", json_string_value(v));
}

/* Without --version, the version read just now. */
static int update(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	return cli_update(c, problem_update, problem_get_json, pos[0], opts, NULL,
			  CLI_AS_TEXT(print_updated));
}

static int link_(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	return cli_call_ref(c, problem_link, pos[0], NULL, json_pack("{s:s}", "ticket", pos[1]),
			    CLI_AS_LINE("linked to", "key"));
}

static int unlink_(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	return cli_call_ref(c, problem_unlink, pos[0], NULL, json_pack("{s:s}", "ticket", pos[1]),
			    CLI_AS_LINE("unlinked from", "key"));
}

/* Each proposal: its id and basis, then its incidents. */
static void print_proposals(const json_t *out, const char *ref)
{
	static const char *const cols[] = { "key", "created_at", "title:60", NULL };
	json_t *p;
	size_t i;

	printf("%zu proposals (%lld incidents within %lld days; similar titles at %.1f)\n",
	       json_array_size(json_object_get(out, "items")),
	       (long long)json_integer_value(json_object_get(out, "count")),
	       (long long)json_integer_value(json_object_get(out, "window_days")),
	       json_real_value(json_object_get(out, "similarity")));
	json_array_foreach(json_object_get(out, "items"), i, p) {
		printf("\n%s  %s  %s\n", json_string_value(json_object_get(p, "id")),
		       json_string_value(json_object_get(p, "basis")),
		       json_string_value(json_object_get(p, "title")));
		cli_print_table(json_object_get(p, "incidents"), cols);
	}
}

static int proposals(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	return cli_call(c, problem_proposals_json, NULL, NULL, CLI_AS_TEXT(print_proposals));
}

static const struct opt confirm_opts[] = {
	{ "--title", CLI_STR, "title" },
	{ "--impact", CLI_NUM, "impact" },
	{ "--urgency", CLI_NUM, "urgency" },
	{ NULL },
};

static int confirm(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	return cli_call_ref(c, problem_confirm, pos[0], opts, NULL,
			    CLI_AS_LINE("added problem", "key"));
}

static void print_dismissed(const json_t *out, const char *ref)
{
	json_t *v;
	size_t i;

	printf("dismissed %s (%s):", ref, json_string_value(json_object_get(out, "basis")));
	json_array_foreach(json_object_get(out, "dismissed"), i, v)
		printf(" %s", json_string_value(v));
	printf("\n");
}

static int dismiss(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	return cli_call_ref(c, problem_dismiss, pos[0], NULL, NULL, CLI_AS_TEXT(print_dismissed));
}

const struct subcommand cmd_problem[] = {
	{ "add", add, 0, 0, add_opts, usage_add },
	{ "show", show, 1, 1, NULL, usage_show },
	{ "list", list, 0, 0, list_opts, usage_list },
	{ "update", update, 1, 1, update_opts, usage_update },
	{ "link", link_, 2, 2, NULL, usage_link },
	{ "unlink", unlink_, 2, 2, NULL, usage_unlink },
	{ "proposals", proposals, 0, 0, NULL, usage_proposals },
	{ "confirm", confirm, 1, 1, confirm_opts, usage_confirm },
	{ "dismiss", dismiss, 1, 1, NULL, usage_dismiss },
	{ NULL },
};
