/*
 * change_ics.c — the change schedule as iCalendar (see change_ics.h). JSON
 * in, text out: nothing here reads the store.
 */
#include "render/change_ics.h"
#include "lib/buf.h"
#include "lib/timeutil.h"

#include <libical/ical.h>
#include <stdlib.h>
#include <string.h>

static struct icaltimetype utc_time(const json_t *v)
{
	int64_t t = 0;

	if (json_string_value(v))
		time_parse_rfc3339(json_string_value(v), &t);
	return icaltime_from_timet_with_zone((time_t)t, 0, icaltimezone_get_utc_timezone());
}

static void join(struct buf *b, const char *label, const json_t *arr)
{
	size_t i;
	json_t *v;

	buf_printf(b, "%s%s:", b->len ? "\n" : "", label);
	json_array_foreach(arr, i, v)
		if (json_string_value(v))
			buf_printf(b, "%s%s", i ? ", " : " ", json_string_value(v));
}

static icalcomponent *event_of(const json_t *c)
{
	const char *key = json_string_value(json_object_get(c, "key"));
	const char *title = json_string_value(json_object_get(c, "title"));
	icalcomponent *ev = icalcomponent_new(ICAL_VEVENT_COMPONENT);
	struct buf text = BUF_INIT;
	char uid[64], cat[64];

	snprintf(uid, sizeof(uid), "%s@itsm", key ? key : "?");
	icalcomponent_add_property(ev, icalproperty_new_uid(uid));
	icalcomponent_add_property(ev, icalproperty_new_dtstamp(utc_time(json_object_get(c, "updated_at"))));
	icalcomponent_add_property(ev,
				   icalproperty_new_dtstart(utc_time(json_object_get(c, "planned_start"))));
	icalcomponent_add_property(ev, icalproperty_new_dtend(utc_time(json_object_get(c, "planned_end"))));
	buf_printf(&text, "%s: %s", key ? key : "?", title ? title : "");
	icalcomponent_add_property(ev, icalproperty_new_summary(buf_str(&text)));
	buf_reset(&text);
	icalcomponent_add_property(ev, icalproperty_new_status(ICAL_STATUS_CONFIRMED));
	const char *type = json_string_value(json_object_get(c, "type"));
	const char *status = json_string_value(json_object_get(c, "status"));

	snprintf(cat, sizeof(cat), "%s,%s", type ? type : "", status ? status : "");
	icalcomponent_add_property(ev, icalproperty_new_categories(cat));
	join(&text, "items", json_object_get(c, "items"));
	join(&text, "services", json_object_get(c, "services"));
	icalcomponent_add_property(ev, icalproperty_new_description(buf_str(&text)));
	buf_release(&text);
	return ev;
}

int change_render_ics(const json_t *doc, char **out, struct err *e)
{
	icalcomponent *cal = icalcomponent_new(ICAL_VCALENDAR_COMPONENT);
	char *text;
	size_t i;
	json_t *c;

	*out = NULL;
	if (!cal)
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	icalcomponent_add_property(cal, icalproperty_new_version("2.0"));
	icalcomponent_add_property(cal, icalproperty_new_prodid("-//itsm//change schedule//EN"));
	icalcomponent_add_property(cal, icalproperty_new_calscale("GREGORIAN"));
	icalcomponent_add_property(cal, icalproperty_new_x("itsm change schedule"));
	icalproperty_set_x_name(icalcomponent_get_first_property(cal, ICAL_X_PROPERTY),
				"X-WR-CALNAME");
	json_array_foreach(json_object_get(doc, "items"), i, c)
		icalcomponent_add_component(cal, event_of(c));
	text = icalcomponent_as_ical_string_r(cal);
	icalcomponent_free(cal);
	if (!text)
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	*out = strdup(text);
	icalmemory_free_buffer(text);
	return *out ? 0 : err_set(e, ERR_INTERNAL, NULL, "out of memory");
}
