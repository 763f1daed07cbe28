/*
 * fuzz/plugin_output.c — libFuzzer target: plugin output split, perfdata
 * items and threshold ranges on arbitrary bytes. Seeds: the output shapes of
 * the monitoring plugins (check_disk, check_load, check_ping, check_http,
 * check_procs, …) and monitoring-formats.md §1.3–1.5.
 *
 * Beyond memory safety it checks the invariants of plugin.h: the split
 * never fails and its three texts are owned, together no longer than the
 * input (nor than PLUGIN_OUTPUT_MAX) and free of the first NUL's tail;
 * labels are never empty, units fit, ranges are ordered, raw range texts
 * fit; items beyond PLUGIN_PERF_MAX_ITEMS are counted as skipped; the
 * perfdata re-parsed on its own gives the same items; and a parsed range
 * alerts exactly as §1.5 says (outside, or inside with '@', endpoints
 * inclusive, NaN never).
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domain/events/plugin.h"
#include "support/fuzz_check.h"

static void check_perf(const struct plugin_perf *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		CHECK(p[i].label && p[i].label[0]);
		CHECK(!p[i].has_warn || p[i].warn.start <= p[i].warn.end);
		CHECK(!p[i].has_crit || p[i].crit.start <= p[i].crit.end);
		CHECK(memchr(p[i].uom, 0, PLUGIN_UOM_MAX));
		CHECK(memchr(p[i].warn_raw, 0, PLUGIN_RANGE_RAW_MAX) &&
		      memchr(p[i].crit_raw, 0, PLUGIN_RANGE_RAW_MAX));
		CHECK(p[i].value_known || p[i].value == 0);
	}
}

static int same_perf(const struct plugin_perf *a, const struct plugin_perf *b)
{
	return !strcmp(a->label, b->label) && a->value_known == b->value_known &&
	       (a->value == b->value || (isnan(a->value) && isnan(b->value))) &&
	       !strcmp(a->uom, b->uom) && a->has_warn == b->has_warn &&
	       a->has_crit == b->has_crit && !strcmp(a->warn_raw, b->warn_raw) &&
	       !strcmp(a->crit_raw, b->crit_raw);
}

/* The alert rule of §1.5 on a few values around the range. */
static void check_range(const struct plugin_range *r)
{
	const double xs[] = { r->start, r->end, r->start - 1, r->end + 1,
			      r->start / 2 + r->end / 2, 0, NAN };

	for (size_t i = 0; i < sizeof(xs) / sizeof(xs[0]); i++) {
		double x = xs[i];
		int outside = x < r->start || x > r->end;
		int want = isnan(x) ? 0 : r->inside ? !outside : outside;

		CHECK(plugin_range_alert(r, x) == want);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	size_t look = size < PLUGIN_OUTPUT_MAX ? size : PLUGIN_OUTPUT_MAX;
	const char *nul = memchr(text, 0, look);
	struct plugin_output o;
	struct plugin_perf *p;
	struct plugin_range r;
	size_t n, skipped;

	if (nul)
		look = (size_t)(nul - text);
	CHECK(plugin_output_parse(text, size, &o, NULL) == 0);
	CHECK(o.short_text && o.long_text && o.perfdata);
	CHECK(o.nperf <= PLUGIN_PERF_MAX_ITEMS);
	CHECK(strlen(o.short_text) + strlen(o.long_text) + strlen(o.perfdata) <= look + 1);
	CHECK(o.truncated == (size > PLUGIN_OUTPUT_MAX));
	check_perf(o.perf, o.nperf);

	/* The perfdata text alone parses to the same items. */
	CHECK(plugin_perf_parse(o.perfdata, strlen(o.perfdata), &p, &n, &skipped, NULL) == 0);
	CHECK(n == o.nperf && skipped == o.perf_skipped);
	for (size_t i = 0; i < n; i++)
		CHECK(same_perf(&p[i], &o.perf[i]));
	plugin_perf_free_array(p, n);
	plugin_output_release(&o);

	CHECK(plugin_perf_parse(text, size, &p, &n, &skipped, NULL) == 0);
	CHECK(n <= PLUGIN_PERF_MAX_ITEMS && (n || !p));
	check_perf(p, n);
	for (size_t i = 0; i < n; i++) {
		if (p[i].has_warn)
			check_range(&p[i].warn);
		if (p[i].has_crit)
			check_range(&p[i].crit);
	}
	plugin_perf_free_array(p, n);

	if (!plugin_range_parse(text, size, &r)) {
		CHECK(r.start <= r.end);
		check_range(&r);
		(void)plugin_threshold_eval(&r, &r, (double)size);
	}
	return 0;
}
