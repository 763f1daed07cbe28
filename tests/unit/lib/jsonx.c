/*
 * tests/unit/lib/jsonx.c — the typed getters a validator is written with:
 * present / absent / null / wrong type / out of range for each, the field
 * named in the error, the output left alone on failure, unknown keys, the
 * two setters, and the figures of answers (percent, seconds) as written.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "lib/err.h"
#include "lib/jsonx.h"

static json_t *J(const char *text)
{
	json_error_t je;
	json_t *j = json_loads(text, JSON_DECODE_ANY | JSON_ALLOW_NUL, &je);

	if (!j)
		fail_msg("bad test JSON %s: %s", text, je.text);
	return j;
}

static void expect_invalid(int rc, const struct err *e, const char *field, const char *in_msg)
{
	assert_int_equal(rc, ERR_INVALID);
	assert_int_equal(e->code, ERR_INVALID);
	assert_string_equal(e->field, field);
	if (in_msg && !strstr(e->msg, in_msg))
		fail_msg("message '%s' does not mention '%s'", e->msg, in_msg);
}

static void test_str(void **state)
{
	json_t *j = J("{\"s\":\"hello\",\"n\":null,\"i\":3,\"b\":true,\"a\":[\"x\"],\"o\":{},"
		      "\"empty\":\"\",\"nul\":\"a\\u0000b\",\"utf\":\"caf\\u00e9\"}");
	const char *out = "untouched";
	struct err e;

	err_clear(&e);
	assert_int_equal(jx_str(j, "s", JX_REQUIRED, 0, &out, &e), 0);
	assert_string_equal(out, "hello");
	assert_int_equal(e.code, 0);
	assert_int_equal(jx_str(j, "empty", JX_REQUIRED, 0, &out, &e), 0);
	assert_string_equal(out, "");

	/* absent, or null, and optional: 1, nothing touched */
	out = "untouched";
	assert_int_equal(jx_str(j, "missing", JX_OPTIONAL, 0, &out, &e), 1);
	assert_int_equal(jx_str(j, "n", JX_OPTIONAL, 0, &out, &e), 1);
	assert_string_equal(out, "untouched");
	assert_int_equal(e.code, 0);

	/* absent or null and required */
	expect_invalid(jx_str(j, "missing", JX_REQUIRED, 0, &out, &e), &e, "missing",
		       "missing field 'missing'");
	err_clear(&e);
	expect_invalid(jx_str(j, "n", JX_REQUIRED, 0, &out, &e), &e, "n", "'n'");

	/* wrong types */
	static const char *const wrong[] = { "i", "b", "a", "o" };
	for (size_t k = 0; k < 4; k++) {
		err_clear(&e);
		expect_invalid(jx_str(j, wrong[k], JX_OPTIONAL, 0, &out, &e), &e, wrong[k],
			       "must be a string");
	}
	/* an embedded NUL would cut the string short for every C caller */
	err_clear(&e);
	expect_invalid(jx_str(j, "nul", JX_OPTIONAL, 0, &out, &e), &e, "nul", "NUL");
	assert_string_equal(out, "untouched");

	/* maxlen counts bytes: "hello" is 5, "café" is 5 */
	assert_int_equal(jx_str(j, "s", JX_REQUIRED, 5, &out, &e), 0);
	err_clear(&e);
	expect_invalid(jx_str(j, "s", JX_REQUIRED, 4, &out, &e), &e, "s", "longer than 4");
	assert_int_equal(jx_str(j, "utf", JX_REQUIRED, 5, &out, &e), 0);
	err_clear(&e);
	expect_invalid(jx_str(j, "utf", JX_REQUIRED, 4, &out, &e), &e, "utf", NULL);

	/* a NULL err is allowed */
	assert_int_equal(jx_str(j, "i", JX_REQUIRED, 0, &out, NULL), ERR_INVALID);
	assert_int_equal(jx_str(j, "missing", JX_REQUIRED, 0, &out, NULL), ERR_INVALID);
	json_decref(j);
}

static void test_str_not_object(void **state)
{
	json_t *a = J("[\"s\"]");
	const char *out = "untouched";
	struct err e;

	err_clear(&e);
	assert_int_equal(jx_str(a, "s", JX_OPTIONAL, 0, &out, &e), 1);
	expect_invalid(jx_str(a, "s", JX_REQUIRED, 0, &out, &e), &e, "s", NULL);
	assert_int_equal(jx_str(NULL, "s", JX_OPTIONAL, 0, &out, &e), 1);
	assert_string_equal(out, "untouched");
	json_decref(a);
}

static void test_text(void **state)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:i}", "t", "  Mail down", "blank", " \t\n",
			      "empty", "", "n", 3);
	struct err e = { 0 };
	const char *s = NULL;

	(void)state;
	assert_int_equal(jx_text(o, "t", JX_REQUIRED, 64, &s, &e), 0);
	assert_string_equal(s, "Mail down"); /* leading spaces skipped */
	assert_int_equal(jx_text(o, "blank", JX_REQUIRED, 64, &s, &e), ERR_INVALID);
	assert_string_equal(e.field, "blank");
	assert_int_equal(jx_text(o, "empty", JX_OPTIONAL, 64, &s, &e), ERR_INVALID);
	assert_int_equal(jx_text(o, "n", JX_REQUIRED, 64, &s, &e), ERR_INVALID); /* not a string */
	assert_int_equal(jx_text(o, "absent", JX_OPTIONAL, 64, &s, &e), 1);
	assert_int_equal(jx_text(o, "absent", JX_REQUIRED, 64, &s, &e), ERR_INVALID);
	json_decref(o);
}

static void test_int(void **state)
{
	json_t *j = J("{\"one\":1,\"three\":3,\"zero\":0,\"four\":4,\"neg\":-1,\"f\":2.0,"
		      "\"s\":\"2\",\"b\":true,\"n\":null,\"big\":9223372036854775807,"
		      "\"small\":-9223372036854775808}");
	int64_t out = 77;
	struct err e;

	err_clear(&e);
	assert_int_equal(jx_int(j, "one", JX_REQUIRED, 1, 3, &out, &e), 0);
	assert_int_equal(out, 1);
	assert_int_equal(jx_int(j, "three", JX_REQUIRED, 1, 3, &out, &e), 0);
	assert_int_equal(out, 3);
	assert_int_equal(e.code, 0);

	out = 77;
	static const char *const bad[] = { "zero", "four", "neg", "big", "small" };
	for (size_t k = 0; k < 5; k++) {
		err_clear(&e);
		expect_invalid(jx_int(j, bad[k], JX_REQUIRED, 1, 3, &out, &e), &e, bad[k],
			       "between 1 and 3");
	}
	static const char *const types[] = { "f", "s", "b" };
	for (size_t k = 0; k < 3; k++) {
		err_clear(&e);
		expect_invalid(jx_int(j, types[k], JX_OPTIONAL, 1, 3, &out, &e), &e, types[k],
			       "must be an integer");
	}
	assert_int_equal(out, 77);
	assert_int_equal(jx_int(j, "n", JX_OPTIONAL, 1, 3, &out, &e), 1);
	assert_int_equal(jx_int(j, "missing", JX_OPTIONAL, 1, 3, &out, &e), 1);
	err_clear(&e);
	expect_invalid(jx_int(j, "missing", JX_REQUIRED, 1, 3, &out, &e), &e, "missing",
		       "missing field");
	assert_int_equal(out, 77);

	/* the whole int64 range */
	assert_int_equal(jx_int(j, "big", JX_REQUIRED, INT64_MIN, INT64_MAX, &out, &e), 0);
	assert_true(out == INT64_MAX);
	assert_int_equal(jx_int(j, "small", JX_REQUIRED, INT64_MIN, INT64_MAX, &out, &e), 0);
	assert_true(out == INT64_MIN);
	json_decref(j);
}

static void test_bool(void **state)
{
	json_t *j = J("{\"t\":true,\"f\":false,\"one\":1,\"s\":\"true\",\"n\":null}");
	int out = 5;
	struct err e;

	err_clear(&e);
	assert_int_equal(jx_bool(j, "t", JX_REQUIRED, &out, &e), 0);
	assert_int_equal(out, 1);
	assert_int_equal(jx_bool(j, "f", JX_REQUIRED, &out, &e), 0);
	assert_int_equal(out, 0);
	out = 5;
	expect_invalid(jx_bool(j, "one", JX_OPTIONAL, &out, &e), &e, "one", "true or false");
	err_clear(&e);
	expect_invalid(jx_bool(j, "s", JX_OPTIONAL, &out, &e), &e, "s", "true or false");
	assert_int_equal(jx_bool(j, "n", JX_OPTIONAL, &out, &e), 1);
	err_clear(&e);
	expect_invalid(jx_bool(j, "n", JX_REQUIRED, &out, &e), &e, "n", NULL);
	assert_int_equal(out, 5);
	json_decref(j);
}

static void test_time(void **state)
{
	json_t *j = J("{\"t\":\"2026-01-05T10:00:00+01:00\",\"bad\":\"2026-02-30T00:00:00Z\","
		      "\"nozone\":\"2026-01-05T09:00:00\",\"num\":1767603600,\"n\":null,"
		      "\"long\":\"2026-01-05T09:00:00.0000000000000000000000000000000000000000000"
		      "0000000000Z\"}");
	int64_t out = 77;
	struct err e;

	err_clear(&e);
	assert_int_equal(jx_time(j, "t", JX_REQUIRED, &out, &e), 0);
	assert_int_equal(out, 1767603600);
	out = 77;
	expect_invalid(jx_time(j, "bad", JX_REQUIRED, &out, &e), &e, "bad", "RFC 3339");
	err_clear(&e);
	expect_invalid(jx_time(j, "nozone", JX_REQUIRED, &out, &e), &e, "nozone", "RFC 3339");
	err_clear(&e);
	expect_invalid(jx_time(j, "num", JX_REQUIRED, &out, &e), &e, "num", "string");
	err_clear(&e);
	expect_invalid(jx_time(j, "long", JX_REQUIRED, &out, &e), &e, "long", "longer than 64");
	assert_int_equal(jx_time(j, "n", JX_OPTIONAL, &out, &e), 1);
	assert_int_equal(jx_time(j, "missing", JX_OPTIONAL, &out, &e), 1);
	err_clear(&e);
	expect_invalid(jx_time(j, "missing", JX_REQUIRED, &out, &e), &e, "missing", NULL);
	assert_int_equal(out, 77);
	json_decref(j);
}

static void test_only(void **state)
{
	static const char *const allowed[] = { "kind", "title", NULL };
	static const char *const none[] = { NULL };
	json_t *j;
	struct err e;

	err_clear(&e);
	j = J("{}");
	assert_int_equal(jx_only(j, allowed, &e), 0);
	assert_int_equal(jx_only(j, none, &e), 0);
	json_decref(j);

	j = J("{\"kind\":1,\"title\":2}");
	assert_int_equal(jx_only(j, allowed, &e), 0);
	assert_int_equal(e.code, 0);
	assert_int_equal(jx_only(j, none, &e), ERR_INVALID);
	assert_true(!strcmp(e.field, "kind") || !strcmp(e.field, "title"));
	json_decref(j);

	j = J("{\"kind\":1,\"titel\":2}");
	err_clear(&e);
	expect_invalid(jx_only(j, allowed, &e), &e, "titel", "unknown field 'titel'");
	json_decref(j);

	/* prefixes and case are not a match */
	static const char *const near[] = { "kin", "kinds", "Kind", "title ", "" };
	for (size_t k = 0; k < sizeof(near) / sizeof(near[0]); k++) {
		j = json_object();
		json_object_set_new(j, near[k], json_true());
		err_clear(&e);
		expect_invalid(jx_only(j, allowed, &e), &e, near[k], NULL);
		json_decref(j);
	}

	/* a long unknown key is named, cut to the field's size */
	{
		char key[200];

		memset(key, 'k', sizeof(key) - 1);
		key[sizeof(key) - 1] = '\0';
		j = json_object();
		json_object_set_new(j, key, json_true());
		err_clear(&e);
		assert_int_equal(jx_only(j, allowed, &e), ERR_INVALID);
		assert_int_equal(strlen(e.field), sizeof(e.field) - 1);
		assert_memory_equal(e.field, key, sizeof(e.field) - 1);
		json_decref(j);
	}
}

static void test_set(void **state)
{
	json_t *j = json_object();

	jx_set_time(j, "t", 1767603600);
	assert_string_equal(json_string_value(json_object_get(j, "t")), "2026-01-05T09:00:00Z");
	jx_set_time(j, "zero", 0);
	assert_true(json_is_null(json_object_get(j, "zero")));
	jx_set_time(j, "before", -1);
	assert_string_equal(json_string_value(json_object_get(j, "before")),
			    "1969-12-31T23:59:59Z");
	jx_set_str(j, "s", "value");
	assert_string_equal(json_string_value(json_object_get(j, "s")), "value");
	jx_set_str(j, "n", NULL);
	assert_true(json_is_null(json_object_get(j, "n")));
	jx_set_str(j, "empty", "");
	assert_string_equal(json_string_value(json_object_get(j, "empty")), "");
	/* setting again replaces */
	jx_set_str(j, "s", NULL);
	assert_true(json_is_null(json_object_get(j, "s")));
	assert_int_equal(json_object_size(j), 6);

	/* and the getters read back what the setters wrote */
	{
		int64_t t;
		const char *s;

		assert_int_equal(jx_time(j, "t", JX_REQUIRED, &t, NULL), 0);
		assert_int_equal(t, 1767603600);
		assert_int_equal(jx_time(j, "zero", JX_OPTIONAL, &t, NULL), 1);
		assert_int_equal(jx_str(j, "empty", JX_REQUIRED, 0, &s, NULL), 0);
	}
	json_decref(j);
}

/* Keys out of order in, pages in key order out; the cursor works even when
 * the item it names is gone. */
static void test_page(void **state)
{
	json_t *out = NULL, *q;
	struct err e;

	(void)state;
	q = json_pack("{s:s}", "limit", "2");
	assert_int_equal(jx_page(json_pack("[{s:s},{s:s},{s:s}]", "k", "c", "k", "a", "k", "b"), q,
				 "k", 0, &out, &e),
			 0);
	assert_int_equal(json_array_size(json_object_get(out, "items")), 2);
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(json_object_get(out, "items"), 0), "k")),
			    "a");
	assert_string_equal(json_string_value(json_object_get(out, "next_cursor")), "b");
	json_decref(out);
	json_decref(q);

	q = json_pack("{s:s}", "cursor", "b"); /* "b" itself was deleted */
	assert_int_equal(jx_page(json_pack("[{s:s},{s:s}]", "k", "a", "k", "c"), q, "k", 0, &out,
				 &e),
			 0);
	assert_int_equal(json_array_size(json_object_get(out, "items")), 1);
	assert_true(json_is_null(json_object_get(out, "next_cursor")));
	json_decref(out);
	json_decref(q);

	q = json_pack("{s:s}", "cursor", "9"); /* integers compare as numbers */
	assert_int_equal(jx_page(json_pack("[{s:i},{s:i},{s:i}]", "id", 10, "id", 9, "id", 100), q,
				 "id", 1, &out, &e),
			 0);
	assert_int_equal(json_array_size(json_object_get(out, "items")), 2);
	json_decref(out);
	json_decref(q);

	assert_int_equal(jx_page(json_pack("[{s:i}]", "id", 1), NULL, "id", 1, &out, &e), 0);
	assert_int_equal(json_array_size(json_object_get(out, "items")), 1);
	json_decref(out);

	q = json_pack("{s:s}", "limit", "501");
	assert_int_equal(jx_page(json_array(), q, "k", 0, &out, &e), ERR_INVALID);
	assert_string_equal(e.field, "limit");
	json_decref(q);
	q = json_pack("{s:s}", "cursor", "x1");
	assert_int_equal(jx_page(json_array(), q, "id", 1, &out, &e), ERR_INVALID);
	assert_string_equal(e.field, "cursor");
	json_decref(q);
}

/* The text an answer carries for v. */
static void expect_dump(json_t *v, const char *text)
{
	char *t = json_dumps(v, JSON_COMPACT | JX_DUMP_FLAGS);

	assert_non_null(t);
	assert_string_equal(t, text);
	free(t);
	json_decref(v);
}

static void test_figures(void **state)
{
	(void)state;
	/* 4 decimals, rounded down: a figure never reads better than it is. */
	expect_dump(jx_percent(1, 100.0 * 2566080 / 2592000), "99.0");
	expect_dump(jx_percent(1, 100.0 * (2592000 - 2828) / 2592000), "99.8908"); /* 99.890895… */
	expect_dump(jx_percent(1, 99.99996), "99.9999");
	expect_dump(jx_percent(1, 200.0 / 3), "66.6666");
	expect_dump(jx_percent(1, 99.89), "99.89"); /* stored as 99.889999…: not 99.8899 */
	expect_dump(jx_percent(1, 99.9), "99.9");   /* jansson alone: 99.900000000000006 */
	expect_dump(jx_percent(1, 100), "100.0");
	expect_dump(jx_percent(1, 0), "0.0");
	expect_dump(jx_percent(0, 50), "null");
	/* whole seconds, to the nearest */
	expect_dump(jx_seconds(1, 2828.0 / 3), "943");
	expect_dump(jx_seconds(1, 2589172.0 / 3), "863057");
	expect_dump(jx_seconds(1, 2581980.25), "2581980");
	expect_dump(jx_seconds(1, 0.5), "1");
	expect_dump(jx_seconds(0, 1), "null");
	expect_dump(jx_seconds(1, 1.0 / 0.0), "null");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_str),
		cmocka_unit_test(test_str_not_object),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_int),
		cmocka_unit_test(test_bool),
		cmocka_unit_test(test_time),
		cmocka_unit_test(test_only),
		cmocka_unit_test(test_set),
		cmocka_unit_test(test_page),
		cmocka_unit_test(test_figures),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
