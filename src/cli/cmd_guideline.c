/*
 * cmd_guideline.c — operational guidelines from the command line:
 *   itsm guideline add|edit|show|list|publish|ack|acks|check
 * Each subcommand builds the JSON the HTTP API takes and calls the same
 * domain function; a change without --version applies to the guideline as
 * read just now. The acting user (--as) is the one who acknowledges or runs
 * a check.
 */
#include "cli/cli.h"
#include "domain/guideline/guideline.h"
#include "lib/strlist.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage_add[] =
	"itsm guideline add --title T [--text MARKDOWN] [--roles ROLE,…] [--groups G,…]\n"
	"                   [--users USER,…] [--checklist ITEM,…] [--every-days N]";
static const char usage_edit[] =
	"itsm guideline edit GL-N [--version N] [--title T] [--text MARKDOWN] [--roles ROLE,…]\n"
	"                   [--groups G,…] [--users USER,…] [--checklist ITEM,…] [--every-days N]\n"
	"                   [--status retired]";
static const char usage_show[] = "itsm guideline show GL-N";
static const char usage_list[] = "itsm guideline list [--status S] [--limit N] [--cursor C]";
static const char usage_publish[] = "itsm guideline publish GL-N [--version N]";
static const char usage_ack[] = "itsm guideline ack GL-N";
static const char usage_acks[] = "itsm guideline acks GL-N [--version N]";
static const char usage_check[] =
	"itsm guideline check GL-N [--pass ITEM,…] [--fail ITEM,…] [--comment TEXT]\n"
	"                   [--followup-kind inquiry|incident] [--version N]";

static const char *const list_cols[] = { "key",	       "status",	"current_version",
					 "next_check", "check_overdue", "title:40", NULL };
static const char *const show_keys[] = {
	"key",	      "title",	    "status",	  "current_version", "published_at", "acknowledged",
	"roles",      "groups",	    "users",	  "checklist",	     "every_days",   "next_check",
	"check_overdue", "text",    "runs",	  "created_by",	     "updated_at",   "version",
	NULL
};

#define GL_FIELDS                                                                                  \
	{ "--title", CLI_STR, "title" }, { "--text", CLI_STR, "text" },                            \
		{ "--roles", CLI_LIST, "roles" }, { "--groups", CLI_LIST, "groups" },                \
		{ "--users", CLI_LIST, "users" }, { "--every-days", CLI_INT, "every_days" }

static const struct opt add_opts[] = { GL_FIELDS, { "--checklist", CLI_LIST, "checklist" },
				       { NULL } };

static int add(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	return cli_call(c, guideline_add, opts, NULL, CLI_AS_LINE("added guideline", "key"));
}

/* "GL-2 published, version 3 (record version 5)" */
static void changed(const json_t *out, const char *ref)
{
	printf("%s %s, version %lld (record version %lld)\n",
	       json_string_value(json_object_get(out, "key")),
	       json_string_value(json_object_get(out, "status")),
	       (long long)json_integer_value(json_object_get(out, "current_version")),
	       (long long)json_integer_value(json_object_get(out, "version")));
}

static const struct opt edit_opts[] = { { "--version", CLI_INT, "version" },
					 { "--status", CLI_STR, "status" },
					 { "--checklist", CLI_LIST, "checklist" },
					 GL_FIELDS,
					 { NULL } };

static int edit(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	return cli_update(c, guideline_edit, guideline_get_json, pos[0], opts, NULL,
			  CLI_AS_TEXT(changed));
}

static int show(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	return cli_get(c, guideline_get_json, pos[0], CLI_AS_RECORD(show_keys));
}

static const struct opt list_opts[] = {
	{ "--status", CLI_STR, "status" },
	{ "--limit", CLI_STR, "limit" },
	{ "--cursor", CLI_STR, "cursor" },
	{ NULL },
};

static int list(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	return cli_call(c, guideline_list_json, opts, NULL, CLI_AS_TABLE(list_cols));
}

static const struct opt version_opts[] = { { "--version", CLI_INT, "version" }, { NULL } };

static int publish(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	return cli_update(c, guideline_publish, guideline_get_json, pos[0], opts, NULL,
			  CLI_AS_TEXT(changed));
}

/* "GL-2 version 3 acknowledged by agent1" */
static void acked(const json_t *out, const char *ref)
{
	printf("%s version %lld acknowledged by %s\n", json_string_value(json_object_get(out, "key")),
	       (long long)json_integer_value(json_object_get(out, "version")),
	       json_string_value(json_object_get(out, "username")));
}

static int ack(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	return cli_call_ref(c, guideline_ack, pos[0], NULL, NULL, CLI_AS_TEXT(acked));
}

static const struct opt acks_opts[] = { { "--version", CLI_STR, "version" }, { NULL } };

/* Who has not acknowledged, one a line, after a count. */
static void pending(const json_t *out, const char *ref)
{
	json_t *p = json_object_get(out, "pending"), *v;
	size_t i;

	printf("%s version %lld: %zu acknowledged, %zu pending\n",
	       json_string_value(json_object_get(out, "key")),
	       (long long)json_integer_value(json_object_get(out, "version")),
	       json_array_size(json_object_get(out, "acknowledged")), json_array_size(p));
	json_array_foreach(p, i, v)
		printf("%s\n", json_string_value(v));
}

static int acks(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	return cli_call_ref(c, guideline_acks_json, pos[0], opts, NULL, CLI_AS_TEXT(pending));
}

static const struct opt check_opts[] = {
	{ "--pass", CLI_STR },
	{ "--fail", CLI_STR },
	{ "--comment", CLI_STR },
	{ "--followup-kind", CLI_STR, "followup_kind" },
	{ "--version", CLI_INT, "version" },
	{ NULL },
};

/* Append {"item", "result", "comment"} for each number of list. */
static void results_of(json_t *out, const char *list, const char *result, const char *comment)
{
	json_t *items = strlist_json(list ? list : ""), *v;
	size_t i;

	json_array_foreach(items, i, v) {
		const char *s = json_string_value(v);
		char *end;
		long long n = strtoll(s, &end, 10);

		/* a number the domain refuses naming the entry when it is not one */
		json_array_append_new(out, json_pack("{s:o, s:s, s:s}", "item",
						     *end || !*s ? json_string(s) : json_integer(n),
						     "result", result, "comment", comment));
	}
	json_decref(items);
}

static void ran(const json_t *out, const char *ref)
{
	json_t *r = json_object_get(out, "results"), *v;
	size_t i;

	printf("%s checked: %lld failed\n", json_string_value(json_object_get(out, "guideline")),
	       (long long)json_integer_value(json_object_get(out, "failed")));
	json_array_foreach(r, i, v) {
		const char *t = json_string_value(json_object_get(v, "ticket"));

		printf("%lld %s%s%s\n", (long long)json_integer_value(json_object_get(v, "item")),
		       json_string_value(json_object_get(v, "result")), t ? " " : "", t ? t : "");
	}
}

static int check(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	const char *comment = cli_opt(opts, "--comment");
	json_t *results = json_array();

	results_of(results, cli_opt(opts, "--pass"), "pass", "");
	results_of(results, cli_opt(opts, "--fail"), "fail", comment ? comment : "");
	return cli_update(c, guideline_check, guideline_get_json, pos[0], opts,
			  json_pack("{s:o}", "results", results), CLI_AS_TEXT(ran));
}

const struct subcommand cmd_guideline[] = {
	{ "add", add, 0, 0, add_opts, usage_add },
	{ "edit", edit, 1, 1, edit_opts, usage_edit },
	{ "show", show, 1, 1, NULL, usage_show },
	{ "list", list, 0, 0, list_opts, usage_list },
	{ "publish", publish, 1, 1, version_opts, usage_publish },
	{ "ack", ack, 1, 1, NULL, usage_ack },
	{ "acks", acks, 1, 1, acks_opts, usage_acks },
	{ "check", check, 1, 1, check_opts, usage_check },
	{ NULL },
};
