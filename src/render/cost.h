/*
 * cost.h — renderings of the monthly cost report (cost_report in
 * domain/cost/cost.h): the JSON of docs/cost.md laid out as CSV or as one
 * self-contained HTML page. They need no store and no clock.
 *
 * Both append to out and return 0; a null customer or service (time on a
 * run or a change that named none) renders as an empty cell (CSV) or "—"
 * (HTML). Costs are whole minor units of the report's currency.
 */
#ifndef ITSM_RENDER_COST_H
#define ITSM_RENDER_COST_H

#include <jansson.h>

#include "lib/buf.h"

/* A comment line naming month, customer and currency, then four tables
 * (per customer and service, per customer, per ticket, the trend), each
 * under its header row, a blank line between. */
int cost_render_csv(const json_t *r, struct buf *out);
/* One HTML page: the trend as an SVG bar chart, then the tables. Its one
 * <style> element holds exactly cost_html_style. */
int cost_render_html(const json_t *r, struct buf *out);
extern const char cost_html_style[];

#endif
