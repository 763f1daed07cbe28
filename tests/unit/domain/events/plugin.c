/*
 * tests/unit/domain/plugin.c — plugin output split, perfdata items, ranges
 * and exit codes, on the composed examples of monitoring-formats.md §1.3–1.5.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "domain/events/plugin.h"

static void test_exit_codes(void **state)
{
	assert_int_equal(plugin_state_from_exit(0), PLUGIN_OK);
	assert_int_equal(plugin_state_from_exit(1), PLUGIN_WARNING);
	assert_int_equal(plugin_state_from_exit(2), PLUGIN_CRITICAL);
	assert_int_equal(plugin_state_from_exit(3), PLUGIN_UNKNOWN);
	assert_int_equal(plugin_state_from_exit(4), PLUGIN_UNKNOWN);
	assert_int_equal(plugin_state_from_exit(126), PLUGIN_UNKNOWN);
	assert_int_equal(plugin_state_from_exit(127), PLUGIN_UNKNOWN);
	assert_int_equal(plugin_state_from_exit(255), PLUGIN_UNKNOWN);
	assert_int_equal(plugin_state_from_exit(-1), PLUGIN_UNKNOWN);
	assert_string_equal(plugin_state_name(PLUGIN_OK), "ok");
	assert_string_equal(plugin_state_name(PLUGIN_CRITICAL), "critical");
	assert_string_equal(plugin_state_name((enum plugin_state)9), "unknown");
}

static void assert_perf(const struct plugin_perf *p, const char *label, double value,
			const char *uom)
{
	assert_string_equal(p->label, label);
	assert_true(p->value_known);
	assert_true(fabs(p->value - value) < 1e-9);
	assert_string_equal(p->uom, uom);
}

static void test_output_composed(void **state)
{
	static const char text[] =
		"DISK WARNING - vol_logs at 87% | 'vol_logs'=8700MB;8000;9000;0;10000\n"
		"vol_root : 41% used\n"
		"vol_logs : 87% used\n"
		"vol_users: 12% used | 'vol_root'=4100MB;8000;9000;0;10000\n"
		"'vol_users'=1200MB;8000;9000;0;10000\n";
	struct plugin_output o;
	struct err e = { 0 };

	assert_int_equal(plugin_output_parse(text, sizeof(text) - 1, &o, &e), 0);
	assert_string_equal(o.short_text, "DISK WARNING - vol_logs at 87%");
	assert_string_equal(o.long_text,
			    "vol_root : 41% used\nvol_logs : 87% used\nvol_users: 12% used");
	assert_string_equal(o.perfdata, "'vol_logs'=8700MB;8000;9000;0;10000 "
					"'vol_root'=4100MB;8000;9000;0;10000 "
					"'vol_users'=1200MB;8000;9000;0;10000");
	assert_false(o.truncated);
	assert_int_equal(o.nperf, 3);
	assert_int_equal(o.perf_skipped, 0);
	assert_perf(&o.perf[0], "vol_logs", 8700, "MB");
	assert_perf(&o.perf[1], "vol_root", 4100, "MB");
	assert_perf(&o.perf[2], "vol_users", 1200, "MB");
	for (size_t i = 0; i < 3; i++) {
		const struct plugin_perf *p = &o.perf[i];

		assert_true(p->has_warn && p->has_crit && p->has_min && p->has_max);
		assert_string_equal(p->warn_raw, "8000");
		assert_string_equal(p->crit_raw, "9000");
		assert_true(p->warn.start == 0 && p->warn.end == 8000 && !p->warn.inside);
		assert_true(p->crit.start == 0 && p->crit.end == 9000);
		assert_true(p->min == 0 && p->max == 10000);
	}
	assert_int_equal(plugin_threshold_eval(&o.perf[0].warn, &o.perf[0].crit, o.perf[0].value),
			 PLUGIN_WARNING);
	assert_int_equal(plugin_threshold_eval(&o.perf[1].warn, &o.perf[1].crit, o.perf[1].value),
			 PLUGIN_OK);
	plugin_output_release(&o);
	assert_null(o.short_text);
}

static void test_output_shapes(void **state)
{
	struct plugin_output o;
	char *big;

	/* No perfdata, no long output; trailing CRLF stripped. */
	assert_int_equal(plugin_output_parse("OK - fine\r\n", 11, &o, NULL), 0);
	assert_string_equal(o.short_text, "OK - fine");
	assert_string_equal(o.long_text, "");
	assert_string_equal(o.perfdata, "");
	assert_int_equal(o.nperf, 0);
	assert_null(o.perf);
	plugin_output_release(&o);

	/* Perfdata on line 1 only; CR before the newline of line 1. */
	assert_int_equal(plugin_output_parse("OK|a=1\r\nmore\n", 13, &o, NULL), 0);
	assert_string_equal(o.short_text, "OK");
	assert_string_equal(o.long_text, "more");
	assert_string_equal(o.perfdata, "a=1");
	assert_int_equal(o.nperf, 1);
	plugin_output_release(&o);

	/* Perfdata only in the long part, continuation lines joined by spaces. */
	assert_int_equal(plugin_output_parse("OK\nl1\nl2|b=2\nc=3\n", 17, &o, NULL), 0);
	assert_string_equal(o.short_text, "OK");
	assert_string_equal(o.long_text, "l1\nl2");
	assert_string_equal(o.perfdata, "b=2 c=3");
	assert_int_equal(o.nperf, 2);
	plugin_output_release(&o);

	/* Empty output, and a NUL that ends the text. */
	assert_int_equal(plugin_output_parse("", 0, &o, NULL), 0);
	assert_string_equal(o.short_text, "");
	plugin_output_release(&o);
	assert_int_equal(plugin_output_parse("OK\0| x=1", 8, &o, NULL), 0);
	assert_string_equal(o.short_text, "OK");
	assert_string_equal(o.perfdata, "");
	plugin_output_release(&o);

	/* Longer than the bound: truncated, still parsed. */
	big = malloc(PLUGIN_OUTPUT_MAX + 100);
	assert_non_null(big);
	memset(big, 'x', PLUGIN_OUTPUT_MAX + 100);
	memcpy(big, "OK | a=1\n", 9);
	assert_int_equal(plugin_output_parse(big, PLUGIN_OUTPUT_MAX + 100, &o, NULL), 0);
	assert_true(o.truncated);
	assert_string_equal(o.short_text, "OK");
	assert_int_equal(strlen(o.long_text), PLUGIN_OUTPUT_MAX - 9);
	plugin_output_release(&o);
	free(big);
}

static void test_perf_examples(void **state)
{
	static const char s[] = "time=0.0421s;1.000;2.000;0.000;10.000 'rx bytes'=1234567c "
				"load1=0.52;4;8;0; load5=0.40;3;6;0; 'it''s'=U;;;0;100";
	struct plugin_perf *p;
	size_t n, skipped = 99;

	assert_int_equal(plugin_perf_parse(s, sizeof(s) - 1, &p, &n, &skipped, NULL), 0);
	assert_int_equal(n, 5);
	assert_int_equal(skipped, 0);

	assert_perf(&p[0], "time", 0.0421, "s");
	assert_true(p[0].has_warn && p[0].warn.start == 0 && p[0].warn.end == 1);
	assert_true(p[0].has_crit && p[0].crit.start == 0 && p[0].crit.end == 2);
	assert_string_equal(p[0].warn_raw, "1.000");
	assert_true(p[0].has_min && p[0].min == 0 && p[0].has_max && p[0].max == 10);

	assert_perf(&p[1], "rx bytes", 1234567, "c");
	assert_false(p[1].has_warn || p[1].has_crit || p[1].has_min || p[1].has_max);
	assert_string_equal(p[1].warn_raw, "");

	assert_perf(&p[2], "load1", 0.52, "");
	assert_true(p[2].warn.end == 4 && p[2].crit.end == 8 && p[2].has_min && !p[2].has_max);
	assert_perf(&p[3], "load5", 0.40, "");
	assert_true(p[3].warn.end == 3 && p[3].crit.end == 6 && !p[3].has_max);

	assert_string_equal(p[4].label, "it's");
	assert_false(p[4].value_known);
	assert_false(p[4].has_warn || p[4].has_crit);
	assert_true(p[4].min == 0 && p[4].max == 100);
	plugin_perf_free_array(p, n);
}

static void test_perf_lenient_and_malformed(void **state)
{
	/* Good: '+', exponent, unit repeated on thresholds and min/max, a range
	 * threshold, extra fields, tabs. Bad: no '=', unterminated quote, empty
	 * label, ',' decimal, word value, start > end, empty value, bad unit, bad
	 * max, "U" with a unit. */
	static const char s[] = "a=+1.5e-3ms;1ms;2ms;0ms;10ms\tb=5;@10:20;~:30;;;x;y "
				"nolabel c=1,5 =5 d=abc e=1;5:1 f= g=1k2 h=1;;;;z i=Us "
				"j=1e k=-2.5E+2 'unterminated=1";
	struct plugin_perf *p;
	size_t n, skipped = 0;

	assert_int_equal(plugin_perf_parse(s, sizeof(s) - 1, &p, &n, &skipped, NULL), 0);
	assert_int_equal(n, 4);
	assert_int_equal(skipped, 10);
	assert_perf(&p[0], "a", 0.0015, "ms");
	assert_true(p[0].warn.end == 1 && p[0].crit.end == 2 && p[0].min == 0 && p[0].max == 10);
	assert_string_equal(p[0].warn_raw, "1ms");
	assert_perf(&p[1], "b", 5, "");
	assert_true(p[1].warn.inside && p[1].warn.start == 10 && p[1].warn.end == 20);
	assert_true(p[1].crit.start == -INFINITY && p[1].crit.end == 30);
	assert_perf(&p[2], "j", 1, "e");
	assert_perf(&p[3], "k", -250, "");
	plugin_perf_free_array(p, n);

	/* The first NUL ends the text (fuzz regression: a quoted label that
	 * began with a NUL came out as an empty C string). */
	assert_int_equal(plugin_perf_parse("a=1 '\0x'=2 b=3", 15, &p, &n, &skipped, NULL), 0);
	assert_int_equal(n, 1);
	assert_int_equal(skipped, 1);
	assert_string_equal(p[0].label, "a");
	plugin_perf_free_array(p, n);

	/* Nothing at all. */
	assert_int_equal(plugin_perf_parse("   ", 3, &p, &n, NULL, NULL), 0);
	assert_int_equal(n, 0);
	assert_null(p);
}

static void test_perf_item_cap(void **state)
{
	char s[PLUGIN_PERF_MAX_ITEMS * 8 + 64];
	size_t len = 0, n, skipped;
	struct plugin_perf *p;

	for (int i = 0; i < PLUGIN_PERF_MAX_ITEMS + 3; i++)
		len += (size_t)snprintf(s + len, sizeof(s) - len, "m%d=%d ", i, i);
	assert_int_equal(plugin_perf_parse(s, len, &p, &n, &skipped, NULL), 0);
	assert_int_equal(n, PLUGIN_PERF_MAX_ITEMS);
	assert_int_equal(skipped, 3);
	assert_string_equal(p[n - 1].label, "m255");
	plugin_perf_free_array(p, n);
}

struct range_case {
	const char *range;
	double x;
	bool alert;
};

static void test_ranges_table(void **state)
{
	static const struct range_case cases[] = {
		{ "10", -0.1, true },   { "10", 0, false },     { "10", 10, false },
		{ "10", 10.5, true },   { "10:", 9.9, true },   { "10:", 10, false },
		{ "10:", 1e12, false }, { "~:10", -1e12, false }, { "~:10", 10, false },
		{ "~:10", 11, true },   { "10:20", 9, true },   { "10:20", 10, false },
		{ "10:20", 20, false }, { "10:20", 21, true },  { "@10:20", 9, false },
		{ "@10:20", 10, true }, { "@10:20", 15, true }, { "@10:20", 20, true },
		{ "@10:20", 21, false }, { ":5", 5, false },    { ":5", -1, true },
		{ "-5:-1", -3, false }, { "-5:-1", 0, true },   { "1.5e1:2e1", 16, false },
		{ "@~:0", -7, true },   { "@~:0", 1, false },   { "@0", 0, true },
	};
	struct plugin_range r;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(plugin_range_parse(cases[i].range, strlen(cases[i].range), &r), 0);
		if (plugin_range_alert(&r, cases[i].x) != cases[i].alert)
			fail_msg("range '%s' x=%g: expected alert=%d", cases[i].range, cases[i].x,
				 cases[i].alert);
	}
	assert_int_equal(plugin_range_parse("~:", 2, &r), 0);
	assert_true(r.start == -INFINITY && r.end == INFINITY);
	assert_false(plugin_range_alert(&r, NAN));
}

static void test_ranges_invalid(void **state)
{
	static const char *const bad[] = { "",    "@",      "~",   "20:10", "abc", "1,5",
					   "10:x", "inf",   "0x10", "-5",  "1:2:3", "@@1",
					   " 1",   "1 ",    "nan", "~10" };
	struct plugin_range r;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (plugin_range_parse(bad[i], strlen(bad[i]), &r) != ERR_INVALID)
			fail_msg("range '%s' should be invalid", bad[i]);
}

static void test_threshold_eval(void **state)
{
	struct plugin_range w, c;

	/* -w 10 -c 20 */
	plugin_range_parse("10", 2, &w);
	plugin_range_parse("20", 2, &c);
	assert_int_equal(plugin_threshold_eval(&w, &c, 5), PLUGIN_OK);
	assert_int_equal(plugin_threshold_eval(&w, &c, 15), PLUGIN_WARNING);
	assert_int_equal(plugin_threshold_eval(&w, &c, 25), PLUGIN_CRITICAL);
	assert_int_equal(plugin_threshold_eval(&w, &c, -1), PLUGIN_CRITICAL);
	/* -c 1: */
	plugin_range_parse("1:", 2, &c);
	assert_int_equal(plugin_threshold_eval(NULL, &c, 0), PLUGIN_CRITICAL);
	assert_int_equal(plugin_threshold_eval(NULL, &c, 1), PLUGIN_OK);
	/* -c @10:20 */
	plugin_range_parse("@10:20", 6, &c);
	assert_int_equal(plugin_threshold_eval(NULL, &c, 15), PLUGIN_CRITICAL);
	assert_int_equal(plugin_threshold_eval(NULL, &c, 25), PLUGIN_OK);
	assert_int_equal(plugin_threshold_eval(NULL, NULL, 1e9), PLUGIN_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exit_codes),
		cmocka_unit_test(test_output_composed),
		cmocka_unit_test(test_output_shapes),
		cmocka_unit_test(test_perf_examples),
		cmocka_unit_test(test_perf_lenient_and_malformed),
		cmocka_unit_test(test_perf_item_cap),
		cmocka_unit_test(test_ranges_table),
		cmocka_unit_test(test_ranges_invalid),
		cmocka_unit_test(test_threshold_eval),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
