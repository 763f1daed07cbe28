/*
 * tests/unit/domain/cmdb/cmdb.c — the CMDB's pure parts: the CSV-to-document
 * mapping of the import (attributes, relationship columns, unknown columns,
 * ragged rows, a broken quote named by its line, the ' before a formula
 * character taken off), an export document through render/cmdb_csv.c and
 * back unchanged, and the key and status rules. Includes cmdb_io.c to
 * reach its static functions. (The CSV reader itself: tests/unit/lib/csv.c.)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../../../src/domain/cmdb/cmdb_io.c"
#include "render/cmdb.h"

static void test_csv_to_doc(void **state)
{
	const char *text = "key,name,type,attr.os,runs_on,connected_to_propagating\n"
			   "app1,App,application,,srv1; srv2,\n"
			   "srv1,S1,server,debian,,sw1\n";
	json_t *doc, *lines, *rels;
	struct err e = { 0 };

	assert_int_equal(csv_to_doc(text, strlen(text), 0, &doc, &lines, &e), 0);
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

/* Under --upsert a row states the whole item: an empty owner_group,
 * location or service cell is "" (it clears the field), an empty status is
 * left out (the item keeps its own), and with attr.* columns an item gets
 * its attributes even when every cell is empty (they replace the item's). */
static void test_csv_to_doc_upsert(void **state)
{
	const char *text = "key,name,type,status,location,attr.os\n"
			   "srv1,S1,server,,,\n";
	json_t *doc, *lines, *ci;
	struct err e = { 0 };

	assert_int_equal(csv_to_doc(text, strlen(text), 1, &doc, &lines, &e), 0);
	ci = json_array_get(json_object_get(doc, "cis"), 0);
	assert_string_equal(json_string_value(json_object_get(ci, "location")), "");
	assert_null(json_object_get(ci, "status"));
	assert_int_equal(json_object_size(json_object_get(ci, "attributes")), 0);
	assert_true(json_is_object(json_object_get(ci, "attributes")));
	json_decref(doc);
	json_decref(lines);
	/* the same row without --upsert leaves the empty cells out */
	assert_int_equal(csv_to_doc(text, strlen(text), 0, &doc, &lines, &e), 0);
	ci = json_array_get(json_object_get(doc, "cis"), 0);
	assert_null(json_object_get(ci, "location"));
	assert_null(json_object_get(ci, "attributes"));
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

	assert_int_equal(csv_to_doc(unknown, strlen(unknown), 0, &doc, &lines, &e), ERR_INVALID);
	assert_string_equal(e.msg, "line 1: unknown column 'colour'");
	assert_int_equal(csv_to_doc(ragged, strlen(ragged), 0, &doc, &lines, &e), ERR_INVALID);
	assert_string_equal(e.msg, "line 3: 2 fields, the header has 3");
	assert_int_equal(csv_to_doc(nokey, strlen(nokey), 0, &doc, &lines, &e), ERR_INVALID);
	assert_int_equal(csv_to_doc("", 0, 0, &doc, &lines, &e), ERR_INVALID);
}

/* The export escapes cells that begin with a formula character; the import
 * takes exactly that ' off again, and no other. */
static void test_csv_formula_cells(void **state)
{
	const char *text = "key,name,location,attr.note,attr.q,runs_on\n"
			   "'-neg,\"'=HYPERLINK(\"\"http://x\"\")\",'+loc,''@x,'plain,'-a;b\n";
	json_t *doc, *lines, *ci, *attrs, *rels;
	struct err e = { 0 };

	assert_int_equal(csv_to_doc(text, strlen(text), 0, &doc, &lines, &e), 0);
	ci = json_array_get(json_object_get(doc, "cis"), 0);
	attrs = json_object_get(ci, "attributes");
	assert_string_equal(json_string_value(json_object_get(ci, "key")), "-neg");
	assert_string_equal(json_string_value(json_object_get(ci, "name")),
			    "=HYPERLINK(\"http://x\")");
	assert_string_equal(json_string_value(json_object_get(ci, "location")), "+loc");
	assert_string_equal(json_string_value(json_object_get(attrs, "note")), "'@x");
	assert_string_equal(json_string_value(json_object_get(attrs, "q")), "'plain");
	rels = json_object_get(doc, "relationships");
	assert_int_equal(json_array_size(rels), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(rels, 0), "source")),
			    "-neg");
	assert_string_equal(json_string_value(json_object_get(json_array_get(rels, 0), "target")),
			    "-a");
	json_decref(doc);
	json_decref(lines);
	/* the reader's refusals come through with their line */
	text = "key,name\nok,fine\n\"open,x\n";
	assert_int_equal(csv_to_doc(text, strlen(text), 0, &doc, &lines, &e), ERR_INVALID);
	assert_string_equal(e.msg, "line 3: a quoted field does not end");
	text = "key,name\n\"a\"b,x\n";
	assert_int_equal(csv_to_doc(text, strlen(text), 0, &doc, &lines, &e), ERR_INVALID);
	assert_string_equal(e.msg, "line 2: text after a closing quote");
}

/* An export document with every awkward cell, written by the renderer and
 * read by the import: the same items and relationships (in the CSV's order:
 * by item, then by column). */
static void test_export_round_trip(void **state)
{
	const char *in =
		"{\"cis\": ["
		"{\"key\": \"-neg\", \"name\": \"=HYPERLINK(\\\"http://x\\\")\", \"type\": \"server\","
		" \"status\": \"active\", \"owner_group\": \"@grp\", \"location\": \"+a, \\\"b\\\"\","
		" \"service\": \"\", \"attributes\": {\"a,b\": \"c\\nd\", \"tab\": \"\\tx\","
		" \"cr\": \"\\rz\", \"q\": \"'=x\", \"qq\": \"''-y\", \"plain\": \"'p\"}},"
		"{\"key\": \"b1\", \"name\": \"B, one\", \"type\": \"server\", \"status\": \"planned\","
		" \"owner_group\": \"\", \"location\": \"\", \"service\": \"\", \"attributes\": {}}],"
		"\"relationships\": ["
		"{\"source\": \"-neg\", \"type\": \"runs_on\", \"target\": \"b1\", \"propagates\": false},"
		"{\"source\": \"b1\", \"type\": \"depends_on\", \"target\": \"-neg\", \"propagates\": false},"
		"{\"source\": \"b1\", \"type\": \"connected_to\", \"target\": \"-neg\", \"propagates\": true}]}";
	json_t *doc = json_loads(in, 0, NULL), *back, *lines;
	struct buf b = BUF_INIT;
	struct err e = { 0 };
	size_t i;
	json_t *c;

	assert_non_null(doc);
	assert_int_equal(cmdb_render_csv(doc, &b), 0);
	assert_int_equal(csv_to_doc(b.data, b.len, 0, &back, &lines, &e), 0);
	assert_int_equal(json_array_size(json_object_get(back, "cis")), 2);
	json_array_foreach(json_object_get(doc, "cis"), i, c)
	{
		json_t *got = json_array_get(json_object_get(back, "cis"), i);
		const char *k;
		json_t *v;

		json_object_foreach(c, k, v)
		{
			json_t *g = json_object_get(got, k);

			if (json_is_string(v) && !*json_string_value(v) && strcmp(k, "name"))
				assert_null(g); /* an empty cell is no field */
			else if (!strcmp(k, "attributes") && !json_object_size(v))
				assert_null(g);
			else if (!json_equal(v, g))
				fail_msg("cis[%zu].%s differs", i, k);
		}
	}
	assert_true(json_equal(json_object_get(doc, "relationships"),
			       json_object_get(back, "relationships")));
	json_decref(back);
	json_decref(lines);
	buf_release(&b);
	json_decref(doc);
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
		cmocka_unit_test(test_csv_to_doc),
		cmocka_unit_test(test_csv_to_doc_errors),
		cmocka_unit_test(test_csv_to_doc_upsert),
		cmocka_unit_test(test_csv_formula_cells),
		cmocka_unit_test(test_export_round_trip),
		cmocka_unit_test(test_keys_and_statuses),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
