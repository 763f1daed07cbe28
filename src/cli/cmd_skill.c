/*
 * cmd_skill.c — skills from the command line:
 *   itsm skill assess --file PROFILE.json   (stateless: reads no store, writes none)
 *   itsm skill map [--group G]
 * The assessment is printed per field: the level, the records that carry it,
 * and for the next level every criterion still missing. --json prints the
 * engine's answer (the same as POST /api/v1/skills/assess).
 */
#include "cli/cli.h"
#include "domain/skills/skill.h"
#include "domain/skills/staff.h"

#include <string.h>

static const char usage_assess[] =
	"itsm skill assess --file PROFILE.json      (\"-\" reads standard input)";
static const char usage_map[] = "itsm skill map [--group G]";

static void print_list(const char *label, const json_t *arr)
{
	size_t i;
	json_t *v;

	if (!json_array_size(arr))
		return;
	printf("%s", label);
	json_array_foreach(arr, i, v)
		printf("%s%lld", i ? ", " : " ", (long long)json_integer_value(v));
	printf("\n");
}

/* The records behind the business criterion of `level` in fo's criteria. */
static const json_t *business_records(const json_t *fo, json_int_t level)
{
	size_t i;
	json_t *c;

	json_array_foreach(json_object_get(fo, "criteria"), i, c)
		if (json_integer_value(json_object_get(c, "level")) == level &&
		    !strcmp(json_string_value(json_object_get(c, "kind")), "business"))
			return json_object_get(c, "records");
	return NULL;
}

void cli_print_skill_result(const json_t *res)
{
	json_t *v;
	size_t i;

	/* In the rules' order, whatever order the JSON keeps. */
	for (int f = 0; f < SKILL_FIELD_COUNT; f++) {
		const char *fname = skill_fields[f].name;
		json_t *fo = json_object_get(json_object_get(res, "fields"), fname);
		json_t *level = json_object_get(fo, "level"), *next = json_object_get(fo, "next");

		if (!fo)
			continue;

		if (json_is_integer(level)) {
			printf("%s: level %lld\n", fname, (long long)json_integer_value(level));
			print_list("  supported by careers",
				   business_records(fo, json_integer_value(level)));
		} else {
			printf("%s: no level\n", fname);
		}
		if (!json_is_object(next)) {
			printf("  (the field's top level)\n");
			continue;
		}
		printf("  for level %lld:\n", (long long)json_integer_value(json_object_get(next,
										"level")));
		json_array_foreach(json_object_get(next, "missing"), i, v)
			printf("    - %s\n", json_string_value(v));
	}
	if (json_array_size(json_object_get(res, "exams"))) {
		printf("exams (shown, never counted):\n");
		json_array_foreach(json_object_get(res, "exams"), i, v) {
			const char *remark = json_string_value(json_object_get(v, "remark"));

			printf("  %s%s%s\n", json_string_value(json_object_get(v, "exam")),
			       remark ? ": " : "", remark ? remark : "");
		}
	}
	if (json_array_size(json_object_get(res, "anomalies"))) {
		printf("anomalies:\n");
		json_array_foreach(json_object_get(res, "anomalies"), i, v)
			printf("  - %s\n", json_string_value(json_object_get(v, "message")));
	}
}

static const struct opt assess_opts[] = { { "--file" }, { NULL } };

static void print_assessment(const json_t *out, const char *ref)
{
	const char *name = json_string_value(json_object_get(out, "name"));

	printf("%s%sas of %s, rules %s\n\n", name ? name : "", name ? ": " : "",
	       json_string_value(json_object_get(out, "as_of")),
	       json_string_value(json_object_get(out, "rules_version")));
	cli_print_skill_result(out);
}

/* Stateless (CLI_NO_STORE): no store is opened, so none is created either. */
static int assess(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	const char *file = cli_opt(opts, "--file");
	struct err e = { 0 };
	json_t *profile, *out = NULL;
	int rc;

	if (!file)
		return cli_usage(usage_assess);
	actor_system(&c->actor, "cli");
	if (!(profile = cli_read_json_file(file, &e)))
		return cli_fail(&e);
	rc = staff_assess_profile(&c->actor, profile, &out, &e);
	json_decref(profile);
	return cli_answer(c, rc, out, &e, CLI_AS_TEXT(print_assessment));
}

void cli_skill_level_pair(char *out, size_t n, const json_t *lv)
{
	const json_t *d = json_object_get(lv, "declared"), *v = json_object_get(lv, "verified");
	char a[8] = "-", b[8] = "-";

	if (json_is_integer(d))
		snprintf(a, sizeof(a), "%lld", (long long)json_integer_value(d));
	if (json_is_integer(v))
		snprintf(b, sizeof(b), "%lld", (long long)json_integer_value(v));
	snprintf(out, n, "%s/%s", a, b);
}

const struct cli_skill_column cli_skill_columns[CLI_SKILL_COLUMNS] = {
	{ "operations_management", "om" },
	{ "system_management", "sm" },
	{ "operation", "op" },
	{ "service_desk", "sd" },
};

static void print_counts(const json_t *counts, const char *title)
{
	static const char *const cols[] = { "field", "basis", "3", "4", "5", "6", "7", "none",
					    NULL };
	json_t *rows = json_array();

	for (int f = 0; f < SKILL_FIELD_COUNT; f++) {
		const char *fname = skill_fields[f].name;
		json_t *fo = json_object_get(counts, fname);

		static const char *const bases[] = { "declared", "verified" };

		for (size_t b = 0; b < 2; b++) {
			json_t *row = json_deep_copy(json_object_get(fo, bases[b]));

			json_object_set_new(row, "field", json_string(fname));
			json_object_set_new(row, "basis", json_string(bases[b]));
			json_array_append_new(rows, row);
		}
	}
	printf("\n%s\n", title);
	cli_print_table(rows, cols);
	json_decref(rows);
}

static const struct opt map_opts[] = { { "--group", CLI_STR, "group" }, { NULL } };

/* Each person's latest levels, then how many people stand at each level. */
static void print_map(const json_t *out, const char *ref)
{
	static const char *const cols[] = { "key", "name:24", "om", "sm", "op", "sd",
					    "assessed_at", NULL };
	json_t *rows = json_array(), *p;
	size_t i;

	json_array_foreach(json_object_get(out, "people"), i, p) {
		json_t *row = json_pack("{s:O, s:O, s:O}", "key", json_object_get(p, "key"), "name",
					json_object_get(p, "name"), "assessed_at",
					json_object_get(p, "assessed_at"));
		char v[16];

		for (size_t k = 0; k < CLI_SKILL_COLUMNS; k++) {
			cli_skill_level_pair(v, sizeof(v), json_object_get(json_object_get(p, "fields"),
									   cli_skill_columns[k].field));
			json_object_set_new(row, cli_skill_columns[k].col, json_string(v));
		}
		json_array_append_new(rows, row);
	}
	printf("levels as declared/verified, from each person's latest assessment\n"
	       "(om operations_management, sm system_management, op operation, sd service_desk)\n\n");
	cli_print_table(rows, cols);
	json_decref(rows);
	printf("\n%lld people, %lld assessed\n",
	       (long long)json_integer_value(json_object_get(out, "people_count")),
	       (long long)json_integer_value(json_object_get(out, "assessed_count")));
	print_counts(json_object_get(out, "counts"), "people at each level:");
	print_counts(json_object_get(out, "at_least"), "people at that level or above:");
}

static int map(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	return cli_call(c, staff_skill_map_json, opts, NULL, CLI_AS_TEXT(print_map));
}

const struct subcommand cmd_skill[] = {
	{ "assess", assess, 0, 0, assess_opts, usage_assess, CLI_NO_STORE },
	{ "map", map, 0, 0, map_opts, usage_map },
	{ NULL },
};
