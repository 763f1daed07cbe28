/*
 * fuzz/event_json.c — libFuzzer target: json_loadb, then the three event
 * parsers (itsm's own, Alertmanager with default and custom label order,
 * Events v2). Beyond memory safety it checks the invariants of event.h on
 * success and the all-or-nothing rule on failure.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domain/events/event.h"

static void check_event(const struct event *ev)
{
	if (!ev->source || !ev->source[0] || !ev->resource || !ev->check || !ev->summary ||
	    !ev->dedup_key || !ev->dedup_key[0] || strlen(ev->dedup_key) > EVENT_DEDUP_MAX ||
	    !json_is_object(ev->details))
		abort();
	if ((ev->severity == EVENT_OK) != (ev->action == EVENT_RESOLVE))
		abort();
}

static void check_empty(const struct event *ev)
{
	if (ev->source || ev->resource || ev->check || ev->summary || ev->dedup_key ||
	    ev->details)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const order[] = { "host", "instance", "ci" };
	const struct am_config cfg = { order, 3 };
	struct event ev, *evs;
	struct err e;
	size_t n;
	json_t *j;

	j = json_loadb((const char *)data, size, 0, NULL);
	if (!j)
		return 0;

	if (!event_parse(j, &ev, &e)) {
		check_event(&ev);
		event_release(&ev);
	} else {
		check_empty(&ev);
	}
	for (int k = 0; k < 2; k++) {
		if (!event_parse_alertmanager(j, k ? &cfg : NULL, &evs, &n, &e)) {
			for (size_t i = 0; i < n; i++)
				check_event(&evs[i]);
			event_free_array(evs, n);
		} else if (evs || n) {
			abort();
		}
	}
	if (!event_parse_events_v2(j, &ev, &e)) {
		check_event(&ev);
		event_release(&ev);
	} else {
		check_empty(&ev);
	}
	json_decref(j);
	return 0;
}
