/*
 * fuzz/event_json.c — libFuzzer target: json_loadb as the router does, then
 * the three event parsers (itsm's own, Alertmanager with the default and a
 * custom label order, PagerDuty Events v2). Seeds: the examples of
 * monitoring-formats.md §2.2 and §5.1 and variants of each field.
 *
 * Beyond memory safety it checks the invariants of event.h:
 *  - a parsed event owns non-NULL strings, a non-empty source and dedup key
 *    of at most EVENT_DEDUP_MAX bytes, an object of details; severity OK
 *    goes with action RESOLVE and only with it;
 *  - every string is valid UTF-8 (a long summary is cut on a character
 *    boundary) — json_string() accepts it;
 *  - all-or-nothing: a refusal is ERR_INVALID naming what is at fault and
 *    hands back nothing; an Alertmanager webhook gives exactly one event per
 *    element of "alerts", each with source "alertmanager";
 *  - a dedup key given within the limit is kept as it is; a longer one
 *    becomes 64 hex digits.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domain/events/event.h"
#include "support/fuzz_check.h"

static int utf8(const char *s)
{
	json_t *j = json_string(s);

	json_decref(j);
	return j != NULL;
}

static void check_event(const struct event *ev)
{
	CHECK(ev->source && ev->source[0] && ev->resource && ev->check && ev->summary);
	CHECK(ev->dedup_key && ev->dedup_key[0] && strlen(ev->dedup_key) <= EVENT_DEDUP_MAX);
	CHECK(json_is_object(ev->details));
	CHECK((ev->severity == EVENT_OK) == (ev->action == EVENT_RESOLVE));
	CHECK(utf8(ev->source) && utf8(ev->resource) && utf8(ev->check) && utf8(ev->summary) &&
	      utf8(ev->dedup_key));
	CHECK(strlen(ev->summary) <= EVENT_SUMMARY_MAX);
}

static void check_empty(const struct event *ev, const struct err *e)
{
	CHECK(!ev->source && !ev->resource && !ev->check && !ev->summary && !ev->dedup_key &&
	      !ev->details);
	CHECK(e->code == ERR_INVALID && e->msg[0]);
}

/* The dedup key the sender gave, as kept. */
static void check_key(const json_t *j, const struct event *ev)
{
	const char *given = json_string_value(json_object_get(j, "dedup_key"));
	size_t n = given ? strlen(given) : 0;

	if (!n)
		return;
	if (n <= EVENT_DEDUP_MAX) {
		CHECK(!strcmp(ev->dedup_key, given));
	} else {
		CHECK(strlen(ev->dedup_key) == 64 &&
		      strspn(ev->dedup_key, "0123456789abcdef") == 64);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const order[] = { "host", "instance", "ci" };
	const struct am_config cfg = { order, 3 };
	struct event ev, *evs;
	struct err e;
	size_t n;
	json_t *j;

	j = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);
	if (!j)
		return 0;

	memset(&e, 0, sizeof(e));
	if (!event_parse(j, &ev, &e)) {
		check_event(&ev);
		check_key(j, &ev);
		event_release(&ev);
	} else {
		check_empty(&ev, &e);
	}
	for (int k = 0; k < 2; k++) {
		memset(&e, 0, sizeof(e));
		if (!event_parse_alertmanager(j, k ? &cfg : NULL, &evs, &n, &e)) {
			CHECK(n == json_array_size(json_object_get(j, "alerts")));
			CHECK(!n == !evs);
			for (size_t i = 0; i < n; i++) {
				check_event(&evs[i]);
				CHECK(!strcmp(evs[i].source, "alertmanager"));
			}
			event_free_array(evs, n);
		} else {
			CHECK(!evs && !n && e.code == ERR_INVALID && e.msg[0]);
		}
	}
	memset(&e, 0, sizeof(e));
	if (!event_parse_events_v2(j, &ev, &e)) {
		check_event(&ev);
		check_key(j, &ev);
		event_release(&ev);
	} else {
		check_empty(&ev, &e);
	}
	json_decref(j);
	return 0;
}
