/*
 * svg.h — charts as inline SVG for the HTML renderings: self-contained
 * markup (no script, no external reference), every label escaped.
 */
#ifndef ITSM_RENDER_SVG_H
#define ITSM_RENDER_SVG_H

#include <jansson.h>

#include "lib/buf.h"

/* A horizontal bar chart of items (a JSON array of objects): one row per
 * item, labelled by its string `label`, one bar per key of the
 * NULL-terminated keys (a percentage; null draws an empty bar and "n/a"),
 * named in the legend by names[k]. With `target`, a red mark at each
 * item's target. lo..100 is the scale. */
void svg_put_bars(struct buf *b, const char *title, const json_t *items, const char *label,
		  const char *const *keys, const char *const *names, const char *target,
		  double lo);

#endif
