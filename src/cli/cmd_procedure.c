/*
 * cmd_procedure.c — operation procedures from the command line:
 *   itsm procedure add|draft|publish|show|list
 * Each subcommand builds the JSON the HTTP API takes and calls the same
 * domain function, so --as USER gets exactly the API's answers.
 */
#include "cli/cli.h"
#include "domain/operation/operation.h"

#include <stdio.h>

static const char usage_add[] = "itsm procedure add --title TITLE --file STEPS.json";
static const char usage_draft[] = "itsm procedure draft KEY --file STEPS.json [--title TITLE]";
static const char usage_publish[] = "itsm procedure publish KEY [--number N]";
static const char usage_show[] = "itsm procedure show KEY";
static const char usage_list[] = "itsm procedure list [--limit N] [--cursor ID]";

/* The body from --file: an array is the steps, an object the body itself. */
static json_t *steps_body(const char *file, struct err *e)
{
	json_t *j = cli_read_json_file(file, e), *in;

	if (!j || json_is_object(j))
		return j;
	in = json_object();
	json_object_set_new(in, "steps", j);
	return in;
}

static void print_procedure(const json_t *p, const char *ref)
{
	static const char *const keys[] = { "key", "title", "latest_version", "published_version",
					    "created_by", "updated_at", "version", NULL };
	size_t i, k;
	json_t *v, *s;

	cli_print_record(p, keys);
	json_array_foreach(json_object_get(p, "versions"), i, v) {
		printf("\nversion %lld (%s)\n",
		       (long long)json_integer_value(json_object_get(v, "number")),
		       json_string_value(json_object_get(v, "status")));
		json_array_foreach(json_object_get(v, "steps"), k, s)
			printf("  %zu. %s\n     expected: %s%s\n", k + 1,
			       json_string_value(json_object_get(s, "instruction")),
			       json_string_value(json_object_get(s, "expected")),
			       json_is_true(json_object_get(s, "confirm"))
				       ? "\n     confirmed by a second operator"
				       : "");
	}
}

static const struct opt add_opts[] = { { "--title", CLI_STR, "title" }, { "--file" }, { NULL } };

static int add(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	const char *file = cli_opt(opts, "--file");
	struct err e = { 0 };
	json_t *in;

	if (!file)
		return cli_usage(usage_add);
	if (!(in = steps_body(file, &e)))
		return cli_fail(&e);
	return cli_call(c, op_procedure_add, opts, in, CLI_AS_LINE("added procedure", "key"));
}

static int draft(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	const char *file = cli_opt(opts, "--file");
	struct err e = { 0 };
	json_t *in;

	if (!file)
		return cli_usage(usage_draft);
	if (!(in = steps_body(file, &e)))
		return cli_fail(&e);
	return cli_call_ref(c, op_procedure_draft, pos[0], opts, in,
			    CLI_AS_TEXT(print_procedure));
}

static const struct opt publish_opts[] = { { "--number", CLI_INT, "number" }, { NULL } };

static void print_published(const json_t *p, const char *ref)
{
	printf("published %s version %lld\n", ref,
	       (long long)json_integer_value(json_object_get(p, "published_version")));
}

static int publish(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	return cli_call_ref(c, op_procedure_publish, pos[0], opts, NULL,
			    CLI_AS_TEXT(print_published));
}

static int show(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	return cli_get(c, op_procedure_get_json, pos[0], CLI_AS_TEXT(print_procedure));
}

static const struct opt list_opts[] = {
	{ "--limit", CLI_STR, "limit" }, { "--cursor", CLI_STR, "cursor" }, { NULL },
};

static int list(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	static const char *const cols[] = { "key", "title:40", "latest_version", "published_version",
					    "updated_at", NULL };

	return cli_call(c, op_procedure_list_json, opts, NULL, CLI_AS_TABLE(cols));
}

const struct subcommand cmd_procedure[] = {
	{ "add", add, 0, 0, add_opts, usage_add },
	{ "draft", draft, 1, 1, add_opts, usage_draft },
	{ "publish", publish, 1, 1, publish_opts, usage_publish },
	{ "show", show, 1, 1, NULL, usage_show },
	{ "list", list, 0, 0, list_opts, usage_list },
	{ NULL },
};
