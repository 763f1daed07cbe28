/*
 * tests/unit/render/cmdb_csv.c — the CMDB export as text from an export
 * document written by hand (no store): the CSV byte for byte (attribute
 * columns in the order first seen, an attribute name that needs quotes
 * quoted as one cell, numbers as numbers, text beginning with a formula
 * character escaped, relationship cells by type, propagating connected_to
 * apart), the JSON text, and an unknown format refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "render/cmdb.h"

static const char doc_json[] =
	"{\"cis\": ["
	" {\"key\": \"web-1\", \"name\": \"Web, front\", \"type\": \"server\", \"status\": \"active\","
	"  \"owner_group\": \"\", \"location\": \"dc2\", \"service\": \"\","
	"  \"attributes\": {\"os\": \"debian\", \"port\": -5, \"ratio\": 0.25, \"big\": 2581980.25,"
	"                  \"virtual\": true}},"
	" {\"key\": \"-neg\", \"name\": \"=HYPERLINK(\\\"http://x\\\")\", \"type\": \"server\","
	"  \"status\": \"planned\", \"owner_group\": \"@ops\", \"location\": \"\", \"service\": \"\","
	"  \"attributes\": {\"a,b\": \"-5\", \"os\": \"+x\"}},"
	" {\"key\": \"db-1\", \"name\": \"DB\", \"type\": \"database\", \"status\": \"active\","
	"  \"owner_group\": \"\", \"location\": \"\", \"service\": \"erp\", \"attributes\": {}}],"
	"\"relationships\": ["
	" {\"source\": \"web-1\", \"type\": \"depends_on\", \"target\": \"db-1\", \"propagates\": false},"
	" {\"source\": \"web-1\", \"type\": \"depends_on\", \"target\": \"-neg\", \"propagates\": false},"
	" {\"source\": \"web-1\", \"type\": \"connected_to\", \"target\": \"db-1\", \"propagates\": true},"
	" {\"source\": \"-neg\", \"type\": \"runs_on\", \"target\": \"web-1\", \"propagates\": false},"
	" {\"source\": \"-neg\", \"type\": \"connected_to\", \"target\": \"db-1\", \"propagates\": false}]}";

static json_t *doc(void)
{
	json_error_t je;
	json_t *d = json_loads(doc_json, 0, &je);

	if (!d)
		fail_msg("the test's JSON: %s", je.text);
	return d;
}

static void test_csv(void **state)
{
	json_t *d = doc();
	struct buf b = BUF_INIT;

	assert_int_equal(cmdb_render_csv(d, &b), 0);
	assert_string_equal(
		buf_str(&b),
		"key,name,type,status,owner_group,location,service,attr.os,attr.port,attr.ratio,"
		"attr.big,attr.virtual,\"attr.a,b\",runs_on,depends_on,connected_to,part_of,"
		"backs_up,connected_to_propagating\n"
		"web-1,\"Web, front\",server,active,,dc2,,debian,-5,0.25,2581980.25,true,,,"
		"db-1;-neg,,,,db-1\n"
		"'-neg,\"'=HYPERLINK(\"\"http://x\"\")\",server,planned,'@ops,,,'+x,,,,,'-5,web-1,,"
		"db-1,,,\n"
		"db-1,DB,database,active,,,erp,,,,,,,,,,,,\n");
	buf_release(&b);
	json_decref(d);
}

static void test_csv_empty(void **state)
{
	json_t *d = json_loads("{\"cis\": [], \"relationships\": []}", 0, NULL);
	struct buf b = BUF_INIT;

	assert_int_equal(cmdb_render_csv(d, &b), 0);
	assert_string_equal(buf_str(&b), "key,name,type,status,owner_group,location,service,"
					 "runs_on,depends_on,connected_to,part_of,backs_up,"
					 "connected_to_propagating\n");
	buf_release(&b);
	json_decref(d);
}

static void test_formats(void **state)
{
	json_t *d = doc(), *back;
	struct buf b = BUF_INIT;
	struct err e = { 0 };

	assert_int_equal(cmdb_render_export(d, "json", &b, &e), 0);
	/* indented, in the document's order, and the same document */
	assert_true(!strncmp(buf_str(&b), "{\n \"cis\": [\n  {\n   \"key\": \"web-1\",", 30));
	back = json_loads(buf_str(&b), 0, NULL);
	assert_true(json_equal(back, d));
	json_decref(back);
	buf_reset(&b);
	assert_int_equal(cmdb_render_export(d, "csv", &b, &e), 0);
	assert_true(!strncmp(buf_str(&b), "key,name,", 9));
	buf_reset(&b);
	assert_int_equal(cmdb_render_export(d, "xml", &b, &e), ERR_INVALID);
	assert_string_equal(e.field, "format");
	assert_string_equal(e.msg, "unknown format 'xml' (csv, json)");
	assert_int_equal(b.len, 0);
	buf_release(&b);
	json_decref(d);
}

/* Past the buffer's cap the export is refused, not cut short. */
static void test_too_large(void **state)
{
	json_t *d = doc();
	struct buf b;
	struct err e = { 0 };

	buf_init(&b, 300);
	assert_int_equal(cmdb_render_export(d, "csv", &b, &e), ERR_TOO_LARGE);
	assert_non_null(strstr(e.msg, "larger than 300 bytes"));
	buf_release(&b);
	json_decref(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv),
		cmocka_unit_test(test_csv_empty),
		cmocka_unit_test(test_formats),
		cmocka_unit_test(test_too_large),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
