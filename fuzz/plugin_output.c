/*
 * fuzz/plugin_output.c — libFuzzer target: plugin output split, perfdata
 * items and threshold ranges on arbitrary bytes. Beyond memory safety it
 * checks the invariants of plugin.h (owned non-NULL strings, labels never
 * empty, ranges ordered, the bound on what is looked at).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domain/events/plugin.h"

static void check_perf(const struct plugin_perf *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (!p[i].label || !p[i].label[0])
			abort();
		if (p[i].has_warn && !(p[i].warn.start <= p[i].warn.end))
			abort();
		if (p[i].has_crit && !(p[i].crit.start <= p[i].crit.end))
			abort();
		if (strlen(p[i].uom) >= PLUGIN_UOM_MAX)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct plugin_output o;
	struct plugin_perf *p;
	struct plugin_range r;
	size_t n, skipped;

	if (plugin_output_parse((const char *)data, size, &o, NULL))
		return 0;
	if (!o.short_text || !o.long_text || !o.perfdata || o.nperf > PLUGIN_PERF_MAX_ITEMS ||
	    strlen(o.short_text) + strlen(o.long_text) + strlen(o.perfdata) > size)
		abort();
	check_perf(o.perf, o.nperf);
	plugin_output_release(&o);

	if (!plugin_perf_parse((const char *)data, size, &p, &n, &skipped, NULL)) {
		check_perf(p, n);
		plugin_perf_free_array(p, n);
	}
	if (!plugin_range_parse((const char *)data, size, &r)) {
		if (!(r.start <= r.end))
			abort();
		(void)plugin_threshold_eval(&r, &r, (double)size);
	}
	return 0;
}
