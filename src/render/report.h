/*
 * report.h — renderings of the monthly service level report. The figures
 * come from the domain (report_service_level in domain/sla/report.h) as
 * JSON, the contract of docs/sla.md; these functions only lay that JSON out
 * and need nothing else: no store, no clock.
 *
 * Both append to out and return 0; a figure that is null (no tickets, no
 * outage) renders as an empty cell (CSV) or "n/a" (HTML).
 */
#ifndef ITSM_RENDER_REPORT_H
#define ITSM_RENDER_REPORT_H

#include <jansson.h>

#include "lib/buf.h"

/* A comment line naming customer and month, then two tables (one row per
 * SLA, one per service), each under its header row, a blank line between.
 * Text cells quoted, a formula character escaped (lib/csv.h); decimals to
 * at most REPORT_CSV_PLACES places. */
#define REPORT_CSV_PLACES 4
int report_render_csv(const json_t *r, struct buf *out);
/* The breaches of one SLA (report_breaches' answer with every item): a
 * comment line, then ticket, clock, due and stopped under a header row. */
int report_render_breaches_csv(const json_t *r, struct buf *out);
/* One self-contained HTML page with inline SVG charts (no script). Its one
 * <style> element holds exactly report_html_style, for a server to allow by
 * hash in the page's Content-Security-Policy. */
int report_render_html(const json_t *r, struct buf *out);
extern const char report_html_style[];

#endif
