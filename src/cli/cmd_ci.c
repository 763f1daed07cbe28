/*
 * cmd_ci.c — the CMDB from the command line:
 *   itsm ci add|list|show|update|relate|unrelate|relationships|impact|
 *           dependencies|history|import|export|types|type-add
 * Each subcommand builds the JSON the HTTP API takes and calls the same
 * domain function.
 */
#include "cli/cli.h"
#include "domain/cmdb/cmdb.h"
#include "lib/file.h"
#include "render/cmdb.h"
#include "lib/plural.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage_add[] =
	"itsm ci add KEY --name NAME --type TYPE [--status S] [--owner-group G]\n"
	"                   [--location L] [--service KEY] [--attributes JSON]";
static const char usage_list[] =
	"itsm ci list [--type T] [--status S] [--q TEXT] [--attr NAME=VALUE]\n"
	"                   [--limit N] [--cursor C]";
static const char usage_show[] = "itsm ci show KEY";
static const char usage_update[] =
	"itsm ci update KEY --version N [--name N] [--type T] [--status S]\n"
	"                   [--owner-group G] [--location L] [--service KEY] [--attributes JSON]";
static const char usage_relate[] = "itsm ci relate SOURCE TYPE TARGET [--propagates]";
static const char usage_unrelate[] = "itsm ci unrelate RELATIONSHIP-ID";
static const char usage_relationships[] = "itsm ci relationships KEY";
static const char usage_impact[] = "itsm ci impact KEY [--limit N]";
static const char usage_dependencies[] = "itsm ci dependencies KEY [--limit N]";
static const char usage_history[] = "itsm ci history KEY";
static const char usage_import[] =
	"itsm ci import FILE.csv|FILE.json [--format csv|json] [--upsert]";
static const char usage_export[] = "itsm ci export [--format csv|json]";
static const char usage_types[] = "itsm ci types";
static const char usage_type_add[] = "itsm ci type-add NAME";

static const char *const list_cols[] = { "key:24", "type", "status", "owner_group", "location",
					 "name:40", NULL };

static const char *const ci_keys[] = { "key",	   "name",     "type",	     "status",
				       "owner_group", "location", "service",    "attributes",
				       "created_at",  "updated_at", "version", NULL };

/* add and update take the record's fields; update its version too */
#define CI_FIELDS                                                      \
	{ "--name", CLI_STR, "name" },                                 \
	{ "--type", CLI_STR, "type" },                                 \
	{ "--status", CLI_STR, "status" },                             \
	{ "--owner-group", CLI_STR, "owner_group" },                   \
	{ "--location", CLI_STR, "location" },                         \
	{ "--service", CLI_STR, "service" },                           \
	{ "--attributes", CLI_OBJECT, "attributes" }

static const struct opt add_opts[] = { CI_FIELDS, { NULL } };

static int add(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	return cli_call(c, cmdb_ci_create, opts, json_pack("{s:s}", "key", pos[0]),
			CLI_AS_LINE("created", "key"));
}

static const struct opt update_opts[] = { CI_FIELDS, { "--version", CLI_INT, "version" }, { NULL } };

static int update(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	if (!cli_opt(opts, "--version"))
		return cli_failf("give --version N (the version you read: itsm ci show %s)", pos[0]);
	return cli_call_ref(c, cmdb_ci_update, pos[0], opts, NULL, CLI_AS_RECORD(ci_keys));
}

static const struct opt list_opts[] = {
	{ "--type", CLI_STR, "type" }, { "--status", CLI_STR, "status" },
	{ "--q", CLI_STR, "q" },       { "--attr" },
	{ "--limit", CLI_STR, "limit" }, { "--cursor", CLI_STR, "cursor" },
	{ NULL },
};

static int list(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	const char *attr = cli_opt(opts, "--attr"), *eq = attr ? strchr(attr, '=') : NULL;
	char name[80];

	if (!attr)
		return cli_call(c, cmdb_ci_list_json, opts, NULL, CLI_AS_TABLE(list_cols));
	if (!eq || eq == attr)
		return cli_failf("--attr wants NAME=VALUE, not '%s'", attr);
	snprintf(name, sizeof(name), "attr.%.*s", (int)(eq - attr), attr);
	return cli_call(c, cmdb_ci_list_json, opts, json_pack("{s:s}", name, eq + 1),
			CLI_AS_TABLE(list_cols));
}

static void print_impact(const json_t *out, const char *ref)
{
	json_t *items = json_object_get(out, "items"), *v;
	size_t i;

	json_int_t n = json_integer_value(json_object_get(out, "count"));

	printf("%s %s: %lld %s%s (%.2f ms)\n",
	       json_string_value(json_object_get(out, "direction")),
	       json_string_value(json_object_get(json_object_get(out, "ci"), "key")),
	       (long long)n, plural(n, "item", "items"),
	       json_is_true(json_object_get(out, "cyclic")) ? ", on a cycle" : "",
	       json_real_value(json_object_get(out, "elapsed_ms")));
	json_array_foreach(items, i, v)
		printf("  %-24s %-16s %s\n", json_string_value(json_object_get(v, "key")),
		       json_string_value(json_object_get(v, "type")),
		       json_string_value(json_object_get(v, "explain")));
	if (json_array_size(json_object_get(out, "services"))) {
		printf("services:\n");
		json_array_foreach(json_object_get(out, "services"), i, v)
			printf("  %s (%s)\n", json_string_value(json_object_get(v, "service")),
			       json_string_value(json_object_get(v, "ci")));
	}
	if (json_array_size(json_object_get(out, "customers"))) {
		printf("customers:\n");
		json_array_foreach(json_object_get(out, "customers"), i, v)
			printf("  %s\n", json_string_value(json_object_get(v, "customer")));
	}
}

static const struct opt format_opts[] = { { "--format" }, { NULL } };

static const struct opt import_opts[] = { { "--format" }, { "--upsert", CLI_FLAG }, { NULL } };

static long long count_of(const json_t *out, const char *list, const char *what)
{
	return (long long)json_integer_value(json_object_get(json_object_get(out, list), what));
}

static void print_imported(const json_t *out, const char *ref)
{
	if (json_is_true(json_object_get(out, "upsert"))) {
		printf("items: %lld created, %lld updated, %lld unchanged; "
		       "relationships: %lld created, %lld unchanged\n",
		       count_of(out, "cis", "created"), count_of(out, "cis", "updated"),
		       count_of(out, "cis", "unchanged"), count_of(out, "relationships", "created"),
		       count_of(out, "relationships", "unchanged"));
		return;
	}
	printf("imported %lld items and %lld relationships\n",
	       (long long)json_integer_value(json_object_get(out, "cis")),
	       (long long)json_integer_value(json_object_get(out, "relationships")));
}

static int import(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	const char *path = pos[0];
	struct err e = { 0 };
	const char *format = cli_opt(opts, "--format");
	size_t len = 0, pl = strlen(path);
	char *data;
	json_t *out = NULL;
	int rc;

	if (!format)
		format = pl > 5 && !strcmp(path + pl - 5, ".json") ? "json" : "csv";
	if (file_read(path, CLI_FILE_LIMIT, &data, &len, &e))
		return cli_fail(&e);
	rc = cmdb_import(c->st, &c->actor, format, data, len, cli_opt(opts, "--upsert") != NULL,
			 &out, &e);
	free(data);
	return cli_answer(c, rc, out, &e, CLI_AS_TEXT(print_imported));
}

static int export(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	struct err e = { 0 };
	const char *format = cli_opt(opts, "--format");
	struct buf b = BUF_INIT;
	json_t *doc = NULL;
	const char *text;

	if (cmdb_export(c->st, &c->actor, &doc, &e) ||
	    cmdb_render_export(doc, format ? format : "json", &b, &e)) {
		json_decref(doc);
		buf_release(&b);
		return cli_fail(&e);
	}
	json_decref(doc);
	text = buf_str(&b);
	fputs(text, stdout);
	if (*text && text[strlen(text) - 1] != '\n')
		putchar('\n');
	buf_release(&b);
	return 0;
}

static int show(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	return cli_get(c, cmdb_ci_get_json, pos[0], CLI_AS_RECORD(ci_keys));
}

static const struct opt relate_opts[] = { { "--propagates", CLI_FLAG, "propagates" }, { NULL } };

static void print_related(const json_t *out, const char *ref)
{
	printf("relationship %lld: %s %s %s\n",
	       (long long)json_integer_value(json_object_get(out, "id")),
	       json_string_value(json_object_get(out, "source")),
	       json_string_value(json_object_get(out, "type")),
	       json_string_value(json_object_get(out, "target")));
}

static int relate(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	json_t *in = json_pack("{s:s, s:s, s:s, s:b}", "source", pos[0], "type", pos[1], "target",
			       pos[2], "propagates", 0);

	return cli_call(c, cmdb_rel_create, opts, in, CLI_AS_TEXT(print_related));
}

static int unrelate(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	struct err e = { 0 };

	if (cmdb_rel_delete(c->st, &c->actor, atoll(pos[0]), &e))
		return cli_fail(&e);
	return 0;
}

static int relationships(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	static const char *const cols[] = { "id", "source", "type", "target", "propagates", NULL };

	return cli_get(c, cmdb_rel_list_json, pos[0], CLI_AS_TABLE(cols));
}

static const struct opt impact_opts[] = { { "--limit" }, { NULL } };

/* impact (what depends on KEY) and dependencies (what KEY depends on) */
static int walk(struct cli *c, const struct opt *opts, const char *ci, int dependencies)
{
	const char *l = cli_opt(opts, "--limit");
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = cmdb_impact_json(c->st, &c->actor, ci, dependencies, l ? atoi(l) : 0, &out, &e);

	return cli_answer(c, rc, out, &e, CLI_AS_TEXT(print_impact));
}

static int impact(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	return walk(c, opts, pos[0], 0);
}

static int dependencies(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	return walk(c, opts, pos[0], 1);
}

static int history(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	return cli_get(c, cmdb_ci_history_json, pos[0], CLI_AS_JSON);
}

static int types(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	static const char *const cols[] = { "name", "builtin", NULL };

	return cli_get_all(c, cmdb_types_json, CLI_AS_TABLE(cols));
}

static int type_add(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	return cli_get(c, cmdb_type_add, pos[0], CLI_AS_JSON);
}

const struct subcommand cmd_ci[] = {
	{ "add", add, 1, 1, add_opts, usage_add },
	{ "list", list, 0, 0, list_opts, usage_list },
	{ "show", show, 1, 1, NULL, usage_show },
	{ "update", update, 1, 1, update_opts, usage_update },
	{ "relate", relate, 3, 3, relate_opts, usage_relate },
	{ "unrelate", unrelate, 1, 1, NULL, usage_unrelate },
	{ "relationships", relationships, 1, 1, NULL, usage_relationships },
	{ "impact", impact, 1, 1, impact_opts, usage_impact },
	{ "dependencies", dependencies, 1, 1, impact_opts, usage_dependencies },
	{ "history", history, 1, 1, NULL, usage_history },
	{ "import", import, 1, 1, import_opts, usage_import },
	{ "export", export, 0, 0, format_opts, usage_export },
	{ "types", types, 0, 0, NULL, usage_types },
	{ "type-add", type_add, 1, 1, NULL, usage_type_add },
	{ NULL },
};
