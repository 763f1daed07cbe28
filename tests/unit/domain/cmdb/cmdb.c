/*
 * tests/unit/domain/cmdb.c — the CMDB's pure parts: the CSV reader of the
 * import (quotes, doubled quotes, newlines inside quotes, CRLF, the line
 * each record starts on, broken quotes), the CSV-to-document mapping
 * (attributes, relationship columns, unknown columns, ragged rows) and the
 * key and status rules. Includes cmdb_io.c to reach its static functions.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../../../src/domain/cmdb/cmdb_io.c"

static void test_csv_records(void **state)
{
	const char *text = "a,\"b,1\",\"say \"\"hi\"\"\"\r\n\"multi\nline\",x,\n\nlast";
	struct csv c = { text, text + strlen(text), 1 };
	struct err e = { 0 };
	json_t *f;
	int line;

	assert_int_equal(csv_record(&c, &f, &line, &e), 1);
	assert_int_equal(line, 1);
	assert_int_equal(json_array_size(f), 3);
	assert_string_equal(json_string_value(json_array_get(f, 1)), "b,1");
	assert_string_equal(json_string_value(json_array_get(f, 2)), "say \"hi\"");
	json_decref(f);
	assert_int_equal(csv_record(&c, &f, &line, &e), 1);
	assert_int_equal(line, 2);
	assert_string_equal(json_string_value(json_array_get(f, 0)), "multi\nline");
	assert_string_equal(json_string_value(json_array_get(f, 2)), "");
	json_decref(f);
	assert_int_equal(csv_record(&c, &f, &line, &e), 1); /* the blank line */
	assert_int_equal(line, 4);
	json_decref(f);
	assert_int_equal(csv_record(&c, &f, &line, &e), 1);
	assert_int_equal(line, 5);
	assert_string_equal(json_string_value(json_array_get(f, 0)), "last");
	json_decref(f);
	assert_int_equal(csv_record(&c, &f, &line, &e), 0);
}

static void test_csv_broken_quote(void **state)
{
	const char *text = "k,n\n\"open,x\n";
	struct csv c = { text, text + strlen(text), 1 };
	struct err e = { 0 };
	json_t *f;
	int line;

	assert_int_equal(csv_record(&c, &f, &line, &e), 1);
	json_decref(f);
	assert_int_equal(csv_record(&c, &f, &line, &e), ERR_INVALID);
	assert_string_equal(e.msg, "line 2: a quoted field does not end");
	text = "\"a\"b\n";
	c = (struct csv){ text, text + strlen(text), 1 };
	assert_int_equal(csv_record(&c, &f, &line, &e), ERR_INVALID);
}

static void test_csv_to_doc(void **state)
{
	const char *text = "key,name,type,attr.os,runs_on,connected_to_propagating\n"
			   "app1,App,application,,srv1; srv2,\n"
			   "srv1,S1,server,debian,,sw1\n";
	json_t *doc, *lines, *rels;
	struct err e = { 0 };

	assert_int_equal(csv_to_doc(text, strlen(text), &doc, &lines, &e), 0);
	assert_int_equal(json_array_size(json_object_get(doc, "cis")), 2);
	assert_null(json_object_get(json_array_get(json_object_get(doc, "cis"), 0), "attributes"));
	assert_string_equal(json_string_value(json_object_get(
				    json_object_get(json_array_get(json_object_get(doc, "cis"), 1),
						    "attributes"),
				    "os")),
			    "debian");
	rels = json_object_get(doc, "relationships");
	assert_int_equal(json_array_size(rels), 3);
	assert_string_equal(json_string_value(json_object_get(json_array_get(rels, 1), "target")),
			    "srv2");
	assert_string_equal(json_string_value(json_object_get(json_array_get(rels, 2), "type")),
			    "connected_to");
	assert_true(json_is_true(json_object_get(json_array_get(rels, 2), "propagates")));
	assert_int_equal(json_integer_value(json_array_get(json_object_get(lines, "relationships"), 2)),
			 3);
	json_decref(doc);
	json_decref(lines);
}

static void test_csv_to_doc_errors(void **state)
{
	struct err e = { 0 };
	json_t *doc, *lines;
	const char *unknown = "key,name,colour\n";
	const char *ragged = "key,name,type\na,b,server\nc,d\n";
	const char *nokey = "name,type\n";

	assert_int_equal(csv_to_doc(unknown, strlen(unknown), &doc, &lines, &e), ERR_INVALID);
	assert_string_equal(e.msg, "line 1: unknown column 'colour'");
	assert_int_equal(csv_to_doc(ragged, strlen(ragged), &doc, &lines, &e), ERR_INVALID);
	assert_string_equal(e.msg, "line 3: 2 fields, the header has 3");
	assert_int_equal(csv_to_doc(nokey, strlen(nokey), &doc, &lines, &e), ERR_INVALID);
	assert_int_equal(csv_to_doc("", 0, &doc, &lines, &e), ERR_INVALID);
}

static void test_keys_and_statuses(void **state)
{
	assert_true(ci_key_valid("srv-01.dc1_a"));
	assert_false(ci_key_valid(""));
	assert_false(ci_key_valid("has space"));
	assert_false(ci_key_valid("a/b"));
	assert_false(ci_key_valid("0123456789012345678901234567890123456789012345678901234567890123"));
	assert_true(ci_status_valid("maintenance"));
	assert_false(ci_status_valid("broken"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv_records),	 cmocka_unit_test(test_csv_broken_quote),
		cmocka_unit_test(test_csv_to_doc),	 cmocka_unit_test(test_csv_to_doc_errors),
		cmocka_unit_test(test_keys_and_statuses),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
