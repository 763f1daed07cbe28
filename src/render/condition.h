/*
 * condition.h — a condition report (the JSON of cond_get_json, the
 * contract of docs/operation.md) as one HTML page that prints on A4: the
 * period, the state and signatures, each section's figures and lists, the
 * remarks. JSON in, text out: no store, no clock.
 */
#ifndef ITSM_RENDER_CONDITION_H
#define ITSM_RENDER_CONDITION_H

#include <jansson.h>

#include "lib/buf.h"

/* Append the page to out; 0. Its one <style> element holds exactly
 * condition_html_style, for a server to allow by hash in the page's
 * Content-Security-Policy. Every value from the report is escaped. */
int condition_render_html(const json_t *report, struct buf *out);
extern const char condition_html_style[];

#endif
