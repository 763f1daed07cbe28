/*
 * tests/unit/render/change_ics.c — the change schedule's iCalendar text,
 * parsed back with libical: one VEVENT per change with its UID, UTC window,
 * summary and status; text that needs escaping survives the round trip.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <jansson.h>
#include <libical/ical.h>
#include <stdlib.h>
#include <string.h>

#include "render/change_ics.h"

static const char doc_text[] =
	"{\"items\": ["
	"{\"key\":\"CHG-3\",\"title\":\"Firmware, switch; rack \\\"A\\\"\",\"type\":\"normal\","
	"\"status\":\"scheduled\",\"planned_start\":\"2027-01-10T22:00:00Z\","
	"\"planned_end\":\"2027-01-11T02:00:00Z\",\"updated_at\":\"2026-12-01T08:00:00Z\","
	"\"items\":[\"sw-a\"],\"services\":[\"mail\"]},"
	"{\"key\":\"CHG-9\",\"title\":\"Patch\",\"type\":\"emergency\",\"status\":\"implementing\","
	"\"planned_start\":\"2027-02-01T10:00:00Z\",\"planned_end\":\"2027-02-01T11:30:00Z\","
	"\"updated_at\":\"2026-12-02T09:00:00Z\",\"items\":[],\"services\":[]}]}";

static void test_round_trip(void **state)
{
	json_t *doc = json_loads(doc_text, 0, NULL);
	struct err e = { 0 };
	char *text = NULL;
	icalcomponent *cal, *ev;
	int n = 0;

	assert_non_null(doc);
	assert_int_equal(change_render_ics(doc, &text, &e), 0);
	cal = icalparser_parse_string(text);
	assert_non_null(cal);
	assert_int_equal(icalcomponent_isa(cal), ICAL_VCALENDAR_COMPONENT);
	assert_string_equal(icalproperty_get_version(
				    icalcomponent_get_first_property(cal, ICAL_VERSION_PROPERTY)),
			    "2.0");
	for (ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT); ev;
	     ev = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT), n++) {
		struct icaltimetype s = icalcomponent_get_dtstart(ev);
		struct icaltimetype t = icalcomponent_get_dtend(ev);

		assert_true(icaltime_is_utc(s));
		assert_true(icaltime_is_utc(t));
		assert_int_equal(icalcomponent_get_status(ev), ICAL_STATUS_CONFIRMED);
		if (n == 0) {
			assert_string_equal(icalcomponent_get_uid(ev), "CHG-3@itsm");
			/* 2027-01-10T22:00:00Z: day 20828 * 86400 = 1799539200, + 22 h (79200) = 1799618400 */
			assert_int_equal((long long)icaltime_as_timet(s), 1799618400LL);
			assert_int_equal((long long)(icaltime_as_timet(t) - icaltime_as_timet(s)),
					 4 * 3600);
			assert_string_equal(icalcomponent_get_summary(ev),
					    "CHG-3: Firmware, switch; rack \"A\"");
		} else {
			assert_string_equal(icalcomponent_get_uid(ev), "CHG-9@itsm");
			assert_int_equal((long long)(icaltime_as_timet(t) - icaltime_as_timet(s)),
					 90 * 60);
		}
	}
	assert_int_equal(n, 2);
	icalcomponent_free(cal);
	free(text);
	json_decref(doc);
}

static void test_empty_schedule(void **state)
{
	json_t *doc = json_pack("{s:[]}", "items");
	struct err e = { 0 };
	char *text = NULL;
	icalcomponent *cal;

	assert_int_equal(change_render_ics(doc, &text, &e), 0);
	cal = icalparser_parse_string(text);
	assert_non_null(cal);
	assert_null(icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT));
	icalcomponent_free(cal);
	free(text);
	json_decref(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_empty_schedule),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
