/*
 * change_ics.h — the change schedule as an iCalendar feed (RFC 5545), built
 * with libical from the domain's JSON (change_calendar_json:
 * {"items": [change, …]}).
 *
 * One VEVENT per change: UID "<key>@itsm" (stable for the change's life),
 * DTSTAMP its last update, DTSTART/DTEND its planned window in UTC,
 * SUMMARY "<key>: <title>", STATUS CONFIRMED (the schedule holds scheduled
 * and implementing changes only), CATEGORIES the change's type and status,
 * DESCRIPTION its items and services. Text values are escaped by libical.
 */
#ifndef ITSM_RENDER_CHANGE_ICS_H
#define ITSM_RENDER_CHANGE_ICS_H

#include <jansson.h>

#include "lib/err.h"

/* *out is a new NUL-terminated string the caller frees with free(). */
int change_render_ics(const json_t *doc, char **out, struct err *e);

#endif
