/*
 * plugin.h — what a Nagios-compatible check plugin says: its exit code, its
 * text (short output, long output, performance data) and the threshold
 * ranges of its performance data (monitoring-formats.md §1.2–1.5).
 *
 * Invariants:
 *  - parsing never fails on odd plugin text: the output split always
 *    succeeds, a malformed perfdata item is skipped and counted, never fatal;
 *    only a failing malloc returns an error;
 *  - input is bounded: at most PLUGIN_OUTPUT_MAX bytes are looked at, the
 *    rest is ignored and `truncated` says so; the first NUL byte ends the text;
 *  - every string of a parsed result is owned by it and NUL-terminated;
 *    plugin_output_release frees them all;
 *  - numbers are read in the C locale only ('.' decimals; ',' is malformed).
 */
#ifndef ITSM_PLUGIN_H
#define ITSM_PLUGIN_H

#include <stdbool.h>
#include <stddef.h>

#include "model/events.h"
#include "lib/err.h"

#define PLUGIN_OUTPUT_MAX (64u * 1024)
#define PLUGIN_PERF_MAX_ITEMS 256 /* items beyond this are counted as skipped */
#define PLUGIN_UOM_MAX 16         /* bytes of a unit of measurement incl. NUL */
#define PLUGIN_RANGE_RAW_MAX 64   /* bytes of a range's text incl. NUL */

/* 0..3 map to themselves; anything else (126, 127, 255, -1 for "killed by a
 * signal") is UNKNOWN. The caller keeps the raw code (proc_result.exit_code). */
enum plugin_state plugin_state_from_exit(int exit_code);

/*
 * Threshold ranges: "[@]start:end", start omitted = 0, end omitted after ':'
 * = +inf, start "~" = -inf. Without '@' a value alerts when outside
 * [start, end]; with '@' when inside; endpoints are inclusive.
 */
struct plugin_range {
	double start; /* -INFINITY for "~" */
	double end;   /* +INFINITY for "start:" */
	bool inside;  /* '@': alert inside the range */
};

/* Parse len bytes of s (no NUL needed). Returns 0 or ERR_INVALID (empty,
 * trailing junk, start > end, not a C-locale number). */
int plugin_range_parse(const char *s, size_t len, struct plugin_range *r);
/* Does x raise an alert under r? A NaN never alerts. */
bool plugin_range_alert(const struct plugin_range *r, double x);
/* Critical first, then warning, else OK; a NULL range is absent. */
enum plugin_state plugin_threshold_eval(const struct plugin_range *warn,
					const struct plugin_range *crit, double x);

/* One performance data item: 'label'=value[UOM];[warn];[crit];[min];[max]. */
struct plugin_perf {
	char *label;                    /* owned, '' un-doubled, never empty */
	double value;                   /* 0 when !value_known */
	bool value_known;               /* false for the literal "U" */
	char uom[PLUGIN_UOM_MAX];       /* "" when unit-less: s, ms, %, MB, c… */
	bool has_warn, has_crit, has_min, has_max;
	struct plugin_range warn, crit; /* valid when has_warn / has_crit */
	char warn_raw[PLUGIN_RANGE_RAW_MAX]; /* the text as sent, "" if absent */
	char crit_raw[PLUGIN_RANGE_RAW_MAX];
	double min, max;                /* valid when has_min / has_max */
};

/* Parse the items of len bytes of perfdata text s (separated by blanks).
 * On success *items is a malloc'd array of *n items (NULL when none) the
 * caller frees with plugin_perf_free_array; *skipped (may be NULL) counts the
 * malformed items left out. Returns 0, or ERR_INTERNAL when out of memory
 * (then *items is NULL and *n 0). */
int plugin_perf_parse(const char *s, size_t len, struct plugin_perf **items, size_t *n,
		      size_t *skipped, struct err *e);
void plugin_perf_free_array(struct plugin_perf *items, size_t n);

/* A whole plugin output, split as monitoring-formats.md §1.3. */
struct plugin_output {
	char *short_text;  /* owned: line 1 before its first '|', trimmed */
	char *long_text;   /* owned: lines 2..n before their first '|', trailing
			    * blanks and newlines stripped; "" when none */
	char *perfdata;    /* owned: trim(perf1) + " " + trim(perf2), newlines of
			    * perf2 turned into spaces; "" when none */
	struct plugin_perf *perf; /* owned: parsed items of perfdata */
	size_t nperf;
	size_t perf_skipped;      /* malformed items left out */
	bool truncated;           /* input was longer than PLUGIN_OUTPUT_MAX */
};

/* Split and parse len bytes of text (no NUL needed). On success every string
 * of out is non-NULL; the caller frees out with plugin_output_release. On
 * failure (ERR_INTERNAL, out of memory) out holds nothing. */
int plugin_output_parse(const char *text, size_t len, struct plugin_output *out,
			struct err *e);
void plugin_output_release(struct plugin_output *out);

#endif
