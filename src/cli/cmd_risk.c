/*
 * cmd_risk.c — the risk register from the command line:
 *   itsm risk add|show|list|update|measure|review|heatmap
 * Each subcommand builds the JSON the HTTP API takes and calls the same
 * domain function; a change without --version applies to the risk as read
 * just now.
 */
#include "cli/cli.h"
#include "domain/risk/risk.h"

#include <stdio.h>

static const char usage_add[] =
	"itsm risk add --title T --owner USER --likelihood 1-5 --impact 1-5 [--description D]\n"
	"                 [--services KEY,…] [--items KEY,…] [--review-every-days N]";
static const char usage_show[] = "itsm risk show RISK-N";
static const char usage_list[] =
	"itsm risk list [--status S] [--owner USER] [--limit N] [--cursor C]";
static const char usage_update[] =
	"itsm risk update RISK-N [--version N] [--title T] [--description D] [--owner USER]\n"
	"                 [--likelihood 1-5] [--impact 1-5] [--services KEY,…] [--items KEY,…]\n"
	"                 [--review-every-days N] [--status open|mitigating|accepted|closed]";
static const char usage_measure[] =
	"itsm risk measure RISK-N [--id M] [--description D] [--owner USER] [--due T]\n"
	"                 [--status planned|in_progress|done|cancelled] [--version N]";
static const char usage_review[] =
	"itsm risk review RISK-N [--notes N] [--likelihood 1-5] [--impact 1-5] [--version N]";
static const char usage_heatmap[] = "itsm risk heatmap";

static const char *const list_cols[] = { "key",	  "status", "score", "level",
					 "owner", "next_review", "title:40", NULL };
static const char *const show_keys[] = {
	"key",	     "title",	    "description", "status",	  "owner",	  "likelihood",
	"impact",    "score",	    "level",	   "services",	  "items",	  "measures",
	"review_every_days", "next_review", "review_overdue", "last_review", "created_by",
	"created_at", "updated_at", "version",	   NULL
};

#define RISK_FIELDS                                                                                \
	{ "--title", CLI_STR, "title" }, { "--description", CLI_STR, "description" },              \
		{ "--owner", CLI_STR, "owner" }, { "--likelihood", CLI_INT, "likelihood" },          \
		{ "--impact", CLI_INT, "impact" }, { "--services", CLI_LIST, "services" },           \
		{ "--items", CLI_LIST, "items" },                                                    \
		{ "--review-every-days", CLI_INT, "review_every_days" }

static const struct opt add_opts[] = { RISK_FIELDS, { NULL } };

static int add(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	return cli_call(c, risk_add, opts, NULL, CLI_AS_LINE("added risk", "key"));
}

static int show(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	return cli_get(c, risk_get_json, pos[0], CLI_AS_RECORD(show_keys));
}

static const struct opt list_opts[] = {
	{ "--status", CLI_STR, "status" }, { "--owner", CLI_STR, "owner" },
	{ "--limit", CLI_STR, "limit" },   { "--cursor", CLI_STR, "cursor" },
	{ NULL },
};

static int list(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	return cli_call(c, risk_list_json, opts, NULL, CLI_AS_TABLE(list_cols));
}

/* "RISK-3 mitigating, score 12 high (version 4)" */
static void changed(const json_t *out, const char *ref)
{
	printf("%s %s, score %lld %s (version %lld)\n",
	       json_string_value(json_object_get(out, "key")),
	       json_string_value(json_object_get(out, "status")),
	       (long long)json_integer_value(json_object_get(out, "score")),
	       json_string_value(json_object_get(out, "level")),
	       (long long)json_integer_value(json_object_get(out, "version")));
}

static const struct opt update_opts[] = { { "--version", CLI_INT, "version" },
					   { "--status", CLI_STR, "status" },
					   RISK_FIELDS,
					   { NULL } };

static int update(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	return cli_update(c, risk_update, risk_get_json, pos[0], opts, NULL, CLI_AS_TEXT(changed));
}

static const struct opt measure_opts[] = {
	{ "--id", CLI_INT, "id" },	     { "--description", CLI_STR, "description" },
	{ "--owner", CLI_STR, "owner" },     { "--due", CLI_STR, "due" },
	{ "--status", CLI_STR, "status" },   { "--version", CLI_INT, "version" },
	{ NULL },
};

static int measure(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	return cli_update(c, risk_measure, risk_get_json, pos[0], opts, NULL, CLI_AS_TEXT(changed));
}

static const struct opt review_opts[] = {
	{ "--notes", CLI_STR, "notes" },	{ "--likelihood", CLI_INT, "likelihood" },
	{ "--impact", CLI_INT, "impact" },	{ "--version", CLI_INT, "version" },
	{ NULL },
};

static int review(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	return cli_update(c, risk_review, risk_get_json, pos[0], opts, NULL, CLI_AS_TEXT(changed));
}

/* The 5×5 grid, likelihood 5 on top as a heat map reads. */
static void grid(const json_t *out, const char *ref)
{
	json_t *counts = json_object_get(out, "counts");

	printf("likelihood \\ impact    1    2    3    4    5\n");
	for (int l = RISK_SCALE; l >= 1; l--) {
		json_t *row = json_array_get(counts, (size_t)l - 1);

		printf("%20d", l);
		for (int i = 0; i < RISK_SCALE; i++)
			printf(" %4lld", (long long)json_integer_value(json_array_get(row, (size_t)i)));
		printf("\n");
	}
	printf("risks not closed: %lld\n", (long long)json_integer_value(json_object_get(out, "total")));
}

static int heatmap(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	return cli_get_all(c, risk_heatmap_json, CLI_AS_TEXT(grid));
}

const struct subcommand cmd_risk[] = {
	{ "add", add, 0, 0, add_opts, usage_add },
	{ "show", show, 1, 1, NULL, usage_show },
	{ "list", list, 0, 0, list_opts, usage_list },
	{ "update", update, 1, 1, update_opts, usage_update },
	{ "measure", measure, 1, 1, measure_opts, usage_measure },
	{ "review", review, 1, 1, review_opts, usage_review },
	{ "heatmap", heatmap, 0, 0, NULL, usage_heatmap },
	{ NULL },
};
