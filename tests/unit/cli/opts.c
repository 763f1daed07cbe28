/*
 * tests/unit/cli/opts.c — options into a request body (cli_opts_json): each
 * type's JSON, options not given and options without a key left out, a
 * value given replacing a default, "none" as null only where the type says
 * so, and an integer option that is not a number, or an object option that
 * is not a JSON object, refused with exit 1.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

/* A subcommand's table as the parser leaves it for "NAME VALUE" (a flag:
 * value NULL); the table is a copy, as the dispatcher's is. */
static void given(struct opt *opts, const char *name, const char *value)
{
	for (struct opt *o = opts; o->name; o++)
		if (!strcmp(o->name, name)) {
			o->set = 1;
			o->value = value;
			return;
		}
	fail_msg("no option %s", name);
}

/* in as compact JSON with sorted keys, compared and then released. */
static void assert_body(json_t *in, const char *want)
{
	char *s = json_dumps(in, JSON_COMPACT | JSON_SORT_KEYS);

	assert_non_null(s);
	assert_string_equal(s, want);
	free(s);
	json_decref(in);
}

static const struct opt table[] = {
	{ "--title", CLI_STR, "title" },
	{ "--owner-group", CLI_STR, "owner_group" },
	{ "--impact", CLI_INT, "impact" },
	{ "--persons", CLI_NUM, "persons" },
	{ "--group", CLI_LIST, "groups" },
	{ "--assignee", CLI_NULLABLE, "assignee" },
	{ "--planned", CLI_FLAG, "planned" },
	{ "--internal", CLI_FLAG_FALSE, "public" },
	{ "--attributes", CLI_OBJECT, "attributes" },
	{ "--file" },
	{ "--dry-run", CLI_FLAG },
	{ NULL },
};

static struct opt *copy(void)
{
	struct opt *o = malloc(sizeof(table));

	assert_non_null(o);
	memcpy(o, table, sizeof(table));
	return o;
}

static void test_types(void **state)
{
	struct opt *o = copy();
	json_t *in = json_object();

	given(o, "--title", "Mail is down");
	given(o, "--owner-group", "ops");
	given(o, "--impact", "3");
	given(o, "--persons", "12");
	given(o, "--group", "ops,,dba");
	given(o, "--assignee", "alice");
	given(o, "--planned", NULL);
	given(o, "--internal", NULL);
	given(o, "--attributes", "{\"cpu\": 4}");
	assert_int_equal(cli_opts_json(o, in), 0);
	assert_body(in, "{\"assignee\":\"alice\",\"attributes\":{\"cpu\":4},\"groups\":[\"ops\",\"dba\"],\"impact\":3,"
			"\"owner_group\":\"ops\",\"persons\":12,\"planned\":true,"
			"\"public\":false,\"title\":\"Mail is down\"}");
	free(o);
}

static void test_absent(void **state)
{
	struct opt *o = copy();
	json_t *in = json_object();

	/* nothing given: nothing copied, not even the flags' false/true */
	assert_int_equal(cli_opts_json(o, in), 0);
	assert_body(in, "{}");
	/* options without a key are the subcommand's own */
	in = json_object();
	given(o, "--file", "patch.json");
	given(o, "--dry-run", NULL);
	assert_int_equal(cli_opts_json(o, in), 0);
	assert_body(in, "{}");
	assert_string_equal(cli_opt(o, "--file"), "patch.json");
	assert_string_equal(cli_opt(o, "--dry-run"), "");
	assert_null(cli_opt(o, "--title"));
	free(o);
}

static void test_defaults(void **state)
{
	struct opt *o = copy();
	json_t *in = json_pack("{s:i, s:b, s:s}", "impact", 2, "public", 1, "channel", "phone");

	/* a default stays unless its option is given, which replaces it */
	assert_int_equal(cli_opts_json(o, in), 0);
	assert_body(in, "{\"channel\":\"phone\",\"impact\":2,\"public\":true}");
	in = json_pack("{s:i, s:b, s:s}", "impact", 2, "public", 1, "channel", "phone");
	given(o, "--impact", "1");
	given(o, "--internal", NULL);
	assert_int_equal(cli_opts_json(o, in), 0);
	assert_body(in, "{\"channel\":\"phone\",\"impact\":1,\"public\":false}");
	free(o);
}

static void test_none(void **state)
{
	struct opt *o = copy();
	json_t *in = json_object();

	/* "none" is null for a nullable option, and text for any other */
	given(o, "--assignee", "none");
	given(o, "--title", "none");
	assert_int_equal(cli_opts_json(o, in), 0);
	assert_body(in, "{\"assignee\":null,\"title\":\"none\"}");
	free(o);
}

static void test_numbers(void **state)
{
	struct opt *o = copy();
	json_t *in = json_object();

	/* a number that is not one: CLI_NUM hands the text on for the domain
	 * to name the field; CLI_INT refuses it with exit 1 */
	given(o, "--persons", "lots");
	given(o, "--impact", "-2");
	assert_int_equal(cli_opts_json(o, in), 0);
	assert_body(in, "{\"impact\":-2,\"persons\":\"lots\"}");
	for (size_t i = 0; i < 3; i++) {
		static const char *const bad[] = { "x", "3x", "" };

		in = json_object();
		given(o, "--impact", bad[i]);
		assert_int_equal(cli_opts_json(o, in), 1);
		assert_null(json_object_get(in, "impact"));
		json_decref(in);
	}
	free(o);
}

static void test_objects(void **state)
{
	static const char *const bad[] = { "[1]", "4", "{\"cpu\":", "" };
	struct opt *o = copy();

	/* anything but a JSON object is refused with exit 1 */
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		json_t *in = json_object();

		given(o, "--attributes", bad[i]);
		assert_int_equal(cli_opts_json(o, in), 1);
		assert_null(json_object_get(in, "attributes"));
		json_decref(in);
	}
	free(o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_types),	 cmocka_unit_test(test_absent),
		cmocka_unit_test(test_defaults), cmocka_unit_test(test_none),
		cmocka_unit_test(test_numbers),	 cmocka_unit_test(test_objects),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
