/*
 * cmd_routing.c — routing rules from the command line:
 *   itsm routing add|list|show|update|delete
 * Each subcommand builds the JSON /api/v1/routing-rules takes and calls the
 * same domain function (domain/desk/routing_rule.c).
 */
#include "cli/cli.h"
#include "domain/desk/routing.h"

static const char usage_add[] =
	"itsm routing add NAME --group G [--position N] [--service KEY]\n"
	"                   [--kind incident|request|inquiry] [--ci KEY] [--queue Q]\n"
	"                   [--keyword TEXT]";
static const char usage_list[] = "itsm routing list";
static const char usage_show[] = "itsm routing show NAME";
static const char usage_update[] =
	"itsm routing update NAME [--group G] [--position N] [--service KEY|none]\n"
	"                   [--kind K|none] [--ci KEY|none] [--queue Q|none]\n"
	"                   [--keyword TEXT|none] [--version N]";
static const char usage_delete[] = "itsm routing delete NAME";

static const char *const cols[] = { "position", "name",	   "group",	"service", "kind",
				    "ci",	"queue",   "keyword:30", NULL };
static const char *const keys[] = { "name", "position", "group",      "service",    "kind",
				    "ci",   "queue",    "keyword",    "created_at", "updated_at",
				    "version", NULL };

static const struct opt add_opts[] = {
	{ "--group", CLI_STR, "group" },     { "--position", CLI_INT, "position" },
	{ "--service", CLI_STR, "service" }, { "--kind", CLI_STR, "kind" },
	{ "--ci", CLI_STR, "ci" },	     { "--queue", CLI_STR, "queue" },
	{ "--keyword", CLI_STR, "keyword" }, { NULL },
};

static int add(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	json_t *in = json_pack("{s:s}", "name", pos[0]);

	return cli_call(c, routing_rule_create, opts, in, CLI_AS_LINE("added routing rule", "name"));
}

static int list(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	return cli_get_all(c, routing_rule_list_json, CLI_AS_TABLE(cols));
}

static int show(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	return cli_get(c, routing_rule_get_json, pos[0], CLI_AS_RECORD(keys));
}

static const struct opt update_opts[] = {
	{ "--group", CLI_STR, "group" },	  { "--position", CLI_INT, "position" },
	{ "--service", CLI_NULLABLE, "service" }, { "--kind", CLI_NULLABLE, "kind" },
	{ "--ci", CLI_NULLABLE, "ci" },		  { "--queue", CLI_NULLABLE, "queue" },
	{ "--keyword", CLI_NULLABLE, "keyword" }, { "--version", CLI_INT, "version" },
	{ NULL },
};

static int update(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	return cli_update(c, routing_rule_update, routing_rule_get_json, pos[0], opts, NULL,
			  CLI_AS_LINE("updated routing rule", "name"));
}

static int del(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	struct err e = { 0 };
	int rc = routing_rule_delete(c->st, &c->actor, pos[0], &e);

	return cli_answer(c, rc, rc ? NULL : json_pack("{s:s}", "deleted", pos[0]), &e,
			  CLI_AS_LINE("deleted routing rule", "deleted"));
}

const struct subcommand cmd_routing[] = {
	{ "add", add, 1, 1, add_opts, usage_add },
	{ "list", list, 0, 0, NULL, usage_list },
	{ "show", show, 1, 1, NULL, usage_show },
	{ "update", update, 1, 1, update_opts, usage_update },
	{ "delete", del, 1, 1, NULL, usage_delete },
	{ NULL },
};
