/*
 * tests/unit/render/report.c — the service level report's renderings from a
 * report JSON written by hand (no store): the CSV byte for byte (names
 * quoted, a name beginning with a formula character escaped, counts and
 * decimals written whole, null as an empty cell, lists as their length),
 * and the HTML page (self-contained, two charts, names escaped, "n/a" for
 * null, the target met or missed).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "render/report.h"

static const char report_json[] =
	"{\"customer\": \"acme\", \"month\": \"2026-03\","
	" \"slas\": ["
	"  {\"sla\": \"acme-web\", \"service\": \"web\", \"tickets\": 3, \"responses\": 3,"
	"   \"response_met\": 2, \"resolutions\": 2,"
	"   \"resolution_met\": 2, \"response_percent\": 66.6666,"
	"   \"resolution_percent\": 100.0, \"compliance_percent\": 80, \"mttr_seconds\": 12000,"
	"   \"breaches_total\": 5, \"breaches\": [{\"ticket\": \"INC-2\", \"clock\": \"response\","
	"                  \"due\": \"2026-03-03T11:00:00Z\", \"stopped\": \"2026-03-03T11:30:00Z\"},"
	"                 {\"ticket\": \"INC-<b>\", \"clock\": \"resolution\","
	"                  \"due\": \"2026-03-03T14:00:00Z\", \"stopped\": \"2026-03-03T16:00:00Z\"}]},"
	"  {\"sla\": \"-neg\", \"service\": \"=cmd\", \"tickets\": 0, \"responses\": 0,"
	"   \"response_met\": 0, \"resolutions\": 0,"
	"   \"resolution_met\": 0, \"response_percent\": null, \"resolution_percent\": null,"
	"   \"compliance_percent\": null, \"mttr_seconds\": null, \"breaches_total\": 0,"
	"   \"breaches\": []}],"
	" \"services\": ["
	"  {\"service\": \"web\", \"agreed_seconds\": 2671200, \"downtime_seconds\": 9900,"
	"   \"availability_percent\": 99.6293, \"target_percent\": 99.5, \"target_met\": true,"
	"   \"outages\": 4, \"mttr_seconds\": 2475, \"mtbf_seconds\": 2581980.25},"
	"  {\"service\": \"a&b\", \"agreed_seconds\": 680400, \"downtime_seconds\": 7200,"
	"   \"availability_percent\": 98.9417, \"target_percent\": 99.9, \"target_met\": false,"
	"   \"outages\": 1, \"mttr_seconds\": 7200, \"mtbf_seconds\": null},"
	"  {\"service\": \"near\", \"agreed_seconds\": 2592000, \"downtime_seconds\": 2600,"
	"   \"availability_percent\": 99.8996, \"target_percent\": 99.9, \"target_met\": false,"
	"   \"outages\": 1, \"mttr_seconds\": 2600, \"mtbf_seconds\": 2589400}]}";

static json_t *report(void)
{
	json_error_t je;
	json_t *r = json_loads(report_json, 0, &je);

	if (!r)
		fail_msg("the test's JSON: %s", je.text);
	return r;
}

static void test_csv(void **state)
{
	json_t *r = report();
	struct buf b = BUF_INIT;

	assert_int_equal(report_render_csv(r, &b), 0);
	assert_string_equal(
		buf_str(&b),
		"# service level report: customer acme, month 2026-03\n"
		"sla,service,tickets,responses,response_met,resolutions,resolution_met,"
		"response_percent,resolution_percent,compliance_percent,mttr_seconds,breaches_total\n"
		"\"acme-web\",\"web\",3,3,2,2,2,66.6666,100,80,12000,5\n"
		"\"'-neg\",\"'=cmd\",0,0,0,0,0,,,,,0\n"
		"\n"
		"service,agreed_seconds,downtime_seconds,availability_percent,target_percent,"
		"target_met,outages,mttr_seconds,mtbf_seconds\n"
		"\"web\",2671200,9900,99.6293,99.5,true,4,2475,2581980.25\n"
		"\"a&b\",680400,7200,98.9417,99.9,false,1,7200,\n"
		"\"near\",2592000,2600,99.8996,99.9,false,1,2600,2589400\n");
	buf_release(&b);
	json_decref(r);
}

/* A report with nothing in it still has both header rows. */
static void test_csv_empty(void **state)
{
	json_t *r = json_loads("{\"customer\": \"c\", \"month\": \"2026-01\", \"slas\": [],"
			       " \"services\": []}",
			       0, NULL);
	struct buf b = BUF_INIT;

	assert_int_equal(report_render_csv(r, &b), 0);
	assert_string_equal(buf_str(&b),
			    "# service level report: customer c, month 2026-01\n"
			    "sla,service,tickets,responses,response_met,resolutions,"
			    "resolution_met,response_percent,resolution_percent,"
			    "compliance_percent,mttr_seconds,breaches_total\n"
			    "\n"
			    "service,agreed_seconds,downtime_seconds,availability_percent,"
			    "target_percent,target_met,outages,mttr_seconds,mtbf_seconds\n");
	buf_release(&b);
	json_decref(r);
}

static int count(const char *s, const char *what)
{
	int n = 0;

	while ((s = strstr(s, what)))
		n++, s++;
	return n;
}

static void test_html(void **state)
{
	json_t *r = report();
	struct buf b = BUF_INIT;
	const char *h;

	assert_int_equal(report_render_html(r, &b), 0);
	h = buf_str(&b);
	assert_true(!strncmp(h, "<!DOCTYPE html>\n", 16));
	assert_non_null(strstr(h, "</body></html>\n"));
	assert_null(strstr(h, "<script"));
	assert_null(strstr(h, "src=\"http"));
	assert_int_equal(count(h, "<svg"), 2);
	assert_int_equal(count(h, "</svg>"), 2);
	/* names are escaped, in the tables and in the charts */
	assert_null(strstr(h, "a&b"));
	assert_int_equal(count(h, "a&amp;b"), 2);
	assert_null(strstr(h, "INC-<b>"));
	assert_non_null(strstr(h, "<td>INC-&lt;b&gt;</td>"));
	/* the figures: percentages, durations, n/a for null */
	assert_non_null(strstr(h, "<td class=\"ok\">99.6293 %</td><td>99.5 %</td><td>4</td>"
				  "<td>41 min</td><td>717.2 h</td>"));
	assert_non_null(strstr(h, "<td class=\"bad\">98.9417 %</td><td>99.9 %</td><td>1</td>"
				  "<td>2.0 h</td><td>n/a</td>"));
	/* a near miss prints as what it is, never as its target (was 99.900 %) */
	assert_non_null(strstr(h, "<td class=\"bad\">99.8996 %</td><td>99.9 %</td>"));
	assert_non_null(strstr(h, "<td>-neg</td><td>=cmd</td><td>0</td><td>0 (n/a)</td>"));
	assert_non_null(strstr(h, "<td>3</td><td>2 (66.6666 %)</td><td>2 (100 %)</td>"
				  "<td>3.3 h</td><td>5</td>"));
	/* one table of breaches, for the SLA that has them: the 2 listed of 5,
	 * and where the rest are */
	assert_int_equal(count(h, "<h3>Breaches of "), 1);
	assert_non_null(strstr(h, "<h3>Breaches of acme-web</h3>\n<p class=\"l\">The 2 most "
				  "overdue of 5, the most overdue first; all of them: <a href=\""
				  "/api/v1/reports/service-level/breaches?customer=acme&amp;"
				  "month=2026-03&amp;sla=acme-web&amp;format=csv\">CSV</a>.</p>"));
	/* the availability chart's scale starts below the lowest figure; the
	 * target line is drawn for each service */
	assert_non_null(strstr(h, "scale 98% – 100%; red line: target"));
	assert_int_equal(count(h, "stroke=\"#c53030\""), 3);
	buf_release(&b);
	json_decref(r);
}

/* The full list of one SLA's breaches: a comment line, a header, a row
 * each; the SLA's name in the comment is written as a cell would be. */
static void test_breaches_csv(void **state)
{
	json_t *r = json_loads(
		"{\"customer\": \"acme\", \"month\": \"2026-03\", \"sla\": \"-neg\", \"total\": 2,"
		" \"items\": [{\"ticket\": \"INC-2\", \"clock\": \"response\","
		"  \"due\": \"2026-03-03T11:00:00Z\", \"stopped\": \"2026-03-03T11:30:00Z\"},"
		" {\"ticket\": \"INC-3\", \"clock\": \"resolution\","
		"  \"due\": \"2026-03-04T14:00:00Z\", \"stopped\": null}]}",
		0, NULL);
	struct buf b = BUF_INIT;

	assert_non_null(r);
	assert_int_equal(report_render_breaches_csv(r, &b), 0);
	assert_string_equal(buf_str(&b),
			    "# breaches of SLA \"'-neg\": customer acme, month 2026-03, 2 in all\n"
			    "ticket,clock,due,stopped\n"
			    "\"INC-2\",\"response\",\"2026-03-03T11:00:00Z\",\"2026-03-03T11:30:00Z\"\n"
			    "\"INC-3\",\"resolution\",\"2026-03-04T14:00:00Z\",\n");
	buf_release(&b);
	json_decref(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv),
		cmocka_unit_test(test_csv_empty),
		cmocka_unit_test(test_html),
		cmocka_unit_test(test_breaches_csv),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
