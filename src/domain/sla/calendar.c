/*
 * calendar.c — business calendars and exact business-time arithmetic.
 *
 * The idea: real time splits into spans on which the zone's UTC offset o is
 * constant (tz_span). On such a span an instant t is business time exactly
 * when its wall-clock time t + o lies in W, the set of local times inside an
 * open interval of a non-holiday local date. So business time on a span is W
 * shifted by -o, and its measure is a difference of one cumulative function
 * of local time:
 *
 *   open(x)     = open seconds of W's weekly pattern in [origin, x), by whole
 *                 weeks, whole days and one partial day (no loops over time);
 *   business(x) = open(x) - open seconds of the holidays before x
 *                 (a prefix sum over the sorted holidays, binary search).
 *
 * elapsed sums business(end + o) - business(start + o) over the spans; due
 * walks the spans until one holds the remaining seconds, then inverts
 * business() there: the holiday stretch by binary search, then open() by
 * arithmetic. Both cost O(spans crossed × log holidays); a span is half a
 * year in a zone with DST and unbounded without one.
 *
 * DST falls out of the span split: when clocks go back, the repeated local
 * hour belongs to two spans and counts twice; when they go forward, the
 * skipped local hour belongs to none.
 *
 * Invariants: see calendar.h. week == day_cum[7]; hol_cum[i] is the open
 * time of hol[0..i-1], hol_cum has nhol + 1 entries. origin is local
 * 1970-01-05T00:00, a Monday.
 */
#include "domain/sla/calendar.h"
#include "domain/sla/interval.h"
#include "lib/ident.h"
#include "lib/err.h"
#include "lib/timeutil.h"
#include "lib/tz.h"

#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define DAY 86400
#define WEEK (7 * DAY)
#define ORIGIN_DAY 4 /* 1970-01-05, a Monday */

struct cal_span {
	int32_t start, end; /* seconds of the local day */
};

struct calendar {
	char name[CALENDAR_NAME_MAX];
	const struct tz *zone;
	struct cal_span hours[7][CALENDAR_MAX_INTERVALS]; /* 0 = Monday */
	int nhours[7];
	int64_t day_open[7];
	int64_t day_cum[8];
	int64_t week;
	int64_t *hol;     /* days since epoch, ascending */
	int64_t *hol_cum; /* nhol + 1 entries */
	size_t nhol;
};

static const char *const wday_key[7] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun" };

/* ---- the cumulative functions ------------------------------------------ */

static int weekday_of(int64_t day)
{
	return (int)time_weekday(day);
}

/* Open seconds of weekday wd in [0, s) of its local day. */
static int64_t day_partial(const struct calendar *c, int wd, int64_t s)
{
	int64_t sum = 0;

	for (int i = 0; i < c->nhours[wd]; i++) {
		const struct cal_span *h = &c->hours[wd][i];

		if (s <= h->start)
			break;
		sum += (s < h->end ? s : h->end) - h->start;
	}
	return sum;
}

/* open(x): open seconds of the weekly pattern in [origin, x) (negative
 * before the origin), local x. */
static int64_t cum_open(const struct calendar *c, int64_t x)
{
	int64_t day = time_floor_div(x, DAY), rel = day - ORIGIN_DAY;
	int64_t k = time_floor_div(rel, 7);
	int wd = (int)(rel - 7 * k);

	return k * c->week + c->day_cum[wd] + day_partial(c, wd, x - day * DAY);
}

/* Index of the first holiday >= day. */
static size_t hol_lower(const struct calendar *c, int64_t day)
{
	size_t lo = 0, hi = c->nhol;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (c->hol[mid] < day)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* business(x): open(x) less the open time of holidays before local x. */
static int64_t cum_business(const struct calendar *c, int64_t x)
{
	int64_t v = cum_open(c, x), day;
	size_t i;

	if (!c->nhol)
		return v;
	day = time_floor_div(x, DAY);
	i = hol_lower(c, day);
	v -= c->hol_cum[i];
	if (i < c->nhol && c->hol[i] == day)
		v -= day_partial(c, weekday_of(day), x - day * DAY);
	return v;
}

/* The least local x with open(x) >= v; c->week > 0. */
static int64_t inv_open(const struct calendar *c, int64_t v)
{
	int64_t k = time_floor_div(v - 1, c->week), r = v - k * c->week; /* 1..week */
	int wd = 0;

	while (c->day_cum[wd + 1] < r)
		wd++;
	r -= c->day_cum[wd];
	for (int i = 0;; i++) {
		const struct cal_span *h = &c->hours[wd][i];

		if (r <= h->end - h->start)
			return (ORIGIN_DAY + 7 * k + wd) * DAY + h->start + r;
		r -= h->end - h->start;
	}
}

/* The least local x with business(x) >= v, for v above business(x0) of
 * some x0 at or before the answer. */
static int64_t inv_business(const struct calendar *c, int64_t v)
{
	size_t lo = 0, hi = c->nhol;

	/* The first holiday j at whose start business() already reached v:
	 * the answer lies in the holiday-free stretch before it. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (cum_open(c, c->hol[mid] * DAY) - c->hol_cum[mid] >= v)
			hi = mid;
		else
			lo = mid + 1;
	}
	return inv_open(c, v + (c->nhol ? c->hol_cum[lo] : 0));
}

static int64_t clamp_time(int64_t t)
{
	return t < CALENDAR_TIME_MIN ? CALENDAR_TIME_MIN : t > CALENDAR_TIME_MAX ? CALENDAR_TIME_MAX : t;
}

/* ---- arithmetic ---------------------------------------------------------- */

int64_t calendar_elapsed(const struct calendar *c, int64_t from, int64_t to)
{
	int64_t sum = 0, next;

	from = clamp_time(from);
	to = clamp_time(to);
	if (c->week == 0)
		return 0;
	while (from < to) {
		int64_t o = tz_span(c->zone, from, &next), end = next < to ? next : to;

		sum += cum_business(c, end + o) - cum_business(c, from + o);
		from = end;
	}
	return sum;
}

int64_t calendar_due(const struct calendar *c, int64_t from, int64_t seconds)
{
	int64_t next;

	if (seconds <= 0)
		return from;
	if (c->week == 0 || from >= CALENDAR_TIME_MAX)
		return INT64_MAX;
	from = clamp_time(from);
	while (from < CALENDAR_TIME_MAX) {
		int64_t o = tz_span(c->zone, from, &next);
		int64_t end = next < CALENDAR_TIME_MAX ? next : CALENDAR_TIME_MAX;
		int64_t b0 = cum_business(c, from + o), b1 = cum_business(c, end + o);

		if (b1 - b0 >= seconds)
			return inv_business(c, b0 + seconds) - o;
		seconds -= b1 - b0;
		from = end;
	}
	return INT64_MAX;
}

bool calendar_is_open(const struct calendar *c, int64_t t)
{
	int64_t x, day, s;
	size_t i;
	int wd;

	if (t < CALENDAR_TIME_MIN || t >= CALENDAR_TIME_MAX)
		return false;
	x = t + tz_offset(c->zone, t);
	day = time_floor_div(x, DAY);
	s = x - day * DAY;
	i = hol_lower(c, day);
	wd = weekday_of(day);
	if (i < c->nhol && c->hol[i] == day)
		return false;
	for (int k = 0; k < c->nhours[wd]; k++)
		if (c->hours[wd][k].start <= s && s < c->hours[wd][k].end)
			return true;
	return false;
}

int calendar_open_set(const struct calendar *c, int64_t from, int64_t to,
		      struct interval_set *out)
{
	int64_t next;
	int ret;

	interval_set_reset(out);
	from = clamp_time(from);
	to = clamp_time(to);
	while (from < to && c->week) {
		int64_t o = tz_span(c->zone, from, &next), end = next < to ? next : to;
		int64_t lo = from + o, hi = end + o;
		int64_t last = time_floor_div(hi - 1, DAY);
		size_t h = hol_lower(c, time_floor_div(lo, DAY));

		for (int64_t day = time_floor_div(lo, DAY); day <= last; day++) {
			int wd = weekday_of(day);

			while (h < c->nhol && c->hol[h] < day)
				h++;
			if (h < c->nhol && c->hol[h] == day)
				continue;
			for (int k = 0; k < c->nhours[wd]; k++) {
				int64_t a = day * DAY + c->hours[wd][k].start;
				int64_t b = day * DAY + c->hours[wd][k].end;

				a = a > lo ? a : lo;
				b = b < hi ? b : hi;
				if (a < b && (ret = interval_set_add(out, a - o, b - o)))
					return ret;
			}
		}
		from = end;
	}
	interval_set_normalize(out);
	return 0;
}

int calendar_month_range(const struct calendar *c, int year, int month, int64_t *t0,
			 int64_t *t1)
{
	int ny = month == 12 ? year + 1 : year, nm = month == 12 ? 1 : month + 1;

	if (month < 1 || month > 12 || year < 1 || year > 9999)
		return ERR_INVALID;
	*t0 = tz_utc_from_local(c->zone, time_days_from_civil(year, (unsigned)month, 1) * DAY);
	*t1 = tz_utc_from_local(c->zone, time_days_from_civil(ny, (unsigned)nm, 1) * DAY);
	return 0;
}

/* ---- properties and lifecycle ------------------------------------------- */

const char *calendar_name(const struct calendar *c)
{
	return c->name;
}

const struct tz *calendar_zone(const struct calendar *c)
{
	return c->zone;
}

int64_t calendar_week_seconds(const struct calendar *c)
{
	return c->week;
}

/* Derive day_open, day_cum, week and hol_cum from hours and hol. */
static void calendar_derive(struct calendar *c)
{
	c->day_cum[0] = 0;
	for (int wd = 0; wd < 7; wd++) {
		c->day_open[wd] = day_partial(c, wd, DAY);
		c->day_cum[wd + 1] = c->day_cum[wd] + c->day_open[wd];
	}
	c->week = c->day_cum[7];
	if (c->hol_cum) {
		c->hol_cum[0] = 0;
		for (size_t i = 0; i < c->nhol; i++)
			c->hol_cum[i + 1] = c->hol_cum[i] + c->day_open[weekday_of(c->hol[i])];
	}
}

static struct calendar cal_24x7;
static pthread_once_t cal_24x7_once = PTHREAD_ONCE_INIT;

static void cal_24x7_init(void)
{
	snprintf(cal_24x7.name, sizeof(cal_24x7.name), "24x7");
	cal_24x7.zone = tz_utc();
	for (int wd = 0; wd < 7; wd++) {
		cal_24x7.hours[wd][0] = (struct cal_span){ 0, DAY };
		cal_24x7.nhours[wd] = 1;
	}
	calendar_derive(&cal_24x7);
}

const struct calendar *calendar_24x7(void)
{
	pthread_once(&cal_24x7_once, cal_24x7_init);
	return &cal_24x7;
}

void calendar_free(struct calendar *c)
{
	if (!c || c == &cal_24x7)
		return;
	free(c->hol);
	free(c->hol_cum);
	free(c);
}

/* ---- JSON ------------------------------------------------------------------ */

/* "HH:MM" → seconds of the day; "24:00" allowed. -1 when malformed. */
static int32_t parse_hhmm(const char *s)
{
	int h, m;

	if (strlen(s) != 5 || !isdigit((unsigned char)s[0]) || !isdigit((unsigned char)s[1]) ||
	    s[2] != ':' || !isdigit((unsigned char)s[3]) || !isdigit((unsigned char)s[4]))
		return -1;
	h = (s[0] - '0') * 10 + (s[1] - '0');
	m = (s[3] - '0') * 10 + (s[4] - '0');
	if (m > 59 || h > 24 || (h == 24 && m != 0))
		return -1;
	return h * 3600 + m * 60;
}

static void format_hhmm(int32_t secs, char out[6])
{
	int h = secs / 3600, m = secs / 60 % 60;

	out[0] = (char)('0' + h / 10);
	out[1] = (char)('0' + h % 10);
	out[2] = ':';
	out[3] = (char)('0' + m / 10);
	out[4] = (char)('0' + m % 10);
	out[5] = 0;
}

static bool name_ok(const char *s)
{
	return ident_valid(s, CALENDAR_NAME_MAX - 1, IDENT_PUNCT);
}

static int cmp_span(const void *pa, const void *pb)
{
	const struct cal_span *a = pa, *b = pb;

	return (a->start > b->start) - (a->start < b->start);
}

/* "hours.mon" (i < 0) or "hours.mon[i]" into buf (32 bytes); returns buf. */
static const char *field_of(char *buf, int wd, int i)
{
	if (i < 0)
		snprintf(buf, 32, "hours.%s", wday_key[wd]);
	else
		snprintf(buf, 32, "hours.%s[%d]", wday_key[wd], i);
	return buf;
}

static int parse_day(struct calendar *c, int wd, const json_t *arr, struct err *e)
{
	char field[32];
	size_t i;
	const json_t *iv;

	if (!json_is_array(arr))
		return err_set(e, ERR_INVALID, field_of(field, wd, -1),
			       "hours for '%s' must be an array of intervals", wday_key[wd]);
	if (json_array_size(arr) > CALENDAR_MAX_INTERVALS)
		return err_set(e, ERR_INVALID, field_of(field, wd, -1),
			       "too many intervals for '%s' (at most %d)", wday_key[wd],
			       CALENDAR_MAX_INTERVALS);
	json_array_foreach(arr, i, iv) {
		const char *a, *b;
		int32_t s, t;

		field_of(field, wd, (int)i);
		if (!json_is_array(iv) || json_array_size(iv) != 2 ||
		    !json_is_string(json_array_get(iv, 0)) || !json_is_string(json_array_get(iv, 1)))
			return err_set(e, ERR_INVALID, field,
				       "malformed interval, expected [\"HH:MM\", \"HH:MM\"]");
		a = json_string_value(json_array_get(iv, 0));
		b = json_string_value(json_array_get(iv, 1));
		s = parse_hhmm(a);
		t = parse_hhmm(b);
		if (s < 0 || s == DAY)
			return err_set(e, ERR_INVALID, field, "bad start time '%.16s', expected HH:MM", a);
		if (t < 0)
			return err_set(e, ERR_INVALID, field, "bad end time '%.16s', expected HH:MM", b);
		if (t <= s)
			return err_set(e, ERR_INVALID, field, "end '%s' not after start '%s'", b, a);
		for (int k = 0; k < c->nhours[wd]; k++) {
			if (s < c->hours[wd][k].end && c->hours[wd][k].start < t)
				return err_set(e, ERR_INVALID, field, "interval %s-%s overlaps hours.%s[%d]",
					       a, b, wday_key[wd], k);
		}
		c->hours[wd][c->nhours[wd]++] = (struct cal_span){ s, t };
	}
	qsort(c->hours[wd], (size_t)c->nhours[wd], sizeof(c->hours[wd][0]), cmp_span);
	return 0;
}

static int parse_hours(struct calendar *c, const json_t *hours, struct err *e)
{
	const char *key;
	const json_t *v;
	int ret;

	if (!hours)
		return err_set(e, ERR_INVALID, "hours", "missing hours");
	if (!json_is_object(hours))
		return err_set(e, ERR_INVALID, "hours", "hours must be an object of weekdays");
	json_object_foreach((json_t *)hours, key, v) {
		int wd = 0;

		while (wd < 7 && strcmp(key, wday_key[wd]))
			wd++;
		if (wd == 7) {
			char field[64];

			snprintf(field, sizeof(field), "hours.%.32s", key);
			return err_set(e, ERR_INVALID, field,
				       "unknown weekday '%.32s', expected mon, tue, wed, thu, fri, sat or sun",
				       key);
		}
		if ((ret = parse_day(c, wd, v, e)))
			return ret;
	}
	return 0;
}

static int cmp_day(const void *pa, const void *pb)
{
	const int64_t *a = pa, *b = pb;

	return (*a > *b) - (*a < *b);
}

static int parse_holidays(struct calendar *c, const json_t *hol, struct err *e)
{
	size_t i, n;
	const json_t *v;

	if (!hol)
		return 0;
	if (!json_is_array(hol))
		return err_set(e, ERR_INVALID, "holidays", "holidays must be an array of dates");
	n = json_array_size(hol);
	if (n > CALENDAR_MAX_HOLIDAYS)
		return err_set(e, ERR_INVALID, "holidays", "too many holidays (at most %d)",
			       CALENDAR_MAX_HOLIDAYS);
	c->hol = malloc(sizeof(*c->hol) * (n ? n : 1));
	c->hol_cum = malloc(sizeof(*c->hol_cum) * (n + 1));
	if (!c->hol || !c->hol_cum)
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	json_array_foreach(hol, i, v) {
		char field[32];
		int64_t day;

		snprintf(field, sizeof(field), "holidays[%zu]", i);
		if (!json_is_string(v))
			return err_set(e, ERR_INVALID, field, "holiday must be a string YYYY-MM-DD");
		if (time_parse_date(json_string_value(v), &day))
			return err_set(e, ERR_INVALID, field, "bad date '%.32s', expected YYYY-MM-DD",
				       json_string_value(v));
		for (size_t k = 0; k < i; k++)
			if (c->hol[k] == day)
				return err_set(e, ERR_INVALID, field, "duplicate holiday '%s'",
					       json_string_value(v));
		c->hol[i] = day;
	}
	c->nhol = n;
	qsort(c->hol, n, sizeof(*c->hol), cmp_day);
	return 0;
}

int calendar_from_json(const json_t *j, struct calendar **out, struct err *e)
{
	struct calendar *c = NULL;
	const json_t *name, *zone;
	int ret;

	if (!json_is_object(j))
		return err_set(e, ERR_INVALID, NULL, "calendar must be a json object");
	c = calloc(1, sizeof(*c));
	if (!c)
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	name = json_object_get(j, "name");
	if (!name) {
		ret = err_set(e, ERR_INVALID, "name", "missing name");
		goto out;
	}
	if (!json_is_string(name) || !name_ok(json_string_value(name))) {
		ret = err_set(e, ERR_INVALID, "name",
			      "bad name, expected 1-%d letters, digits, '.', '_' or '-'",
			      CALENDAR_NAME_MAX - 1);
		goto out;
	}
	snprintf(c->name, sizeof(c->name), "%s", json_string_value(name));
	zone = json_object_get(j, "timezone");
	if (!zone) {
		ret = err_set(e, ERR_INVALID, "timezone", "missing timezone");
		goto out;
	}
	if (!json_is_string(zone)) {
		ret = err_set(e, ERR_INVALID, "timezone", "timezone must be a string");
		goto out;
	}
	if ((ret = tz_load(json_string_value(zone), &c->zone, e)))
		goto out;
	if ((ret = parse_hours(c, json_object_get(j, "hours"), e)))
		goto out;
	if ((ret = parse_holidays(c, json_object_get(j, "holidays"), e)))
		goto out;
	calendar_derive(c);
	*out = c;
	c = NULL;
out:
	calendar_free(c);
	return ret;
}

int calendar_parse(const char *text, size_t len, struct calendar **out, struct err *e)
{
	json_error_t jerr;
	json_t *j = json_loadb(text, len, 0, &jerr);
	int ret;

	if (!j)
		return err_set(e, ERR_INVALID, NULL, "malformed json: %s", jerr.text);
	ret = calendar_from_json(j, out, e);
	json_decref(j);
	return ret;
}

json_t *calendar_to_json(const struct calendar *c)
{
	json_t *j = json_object(), *hours = json_object(), *hol = json_array();
	char a[6], b[6], date[11];

	if (!j || !hours || !hol)
		goto fail;
	if (json_object_set_new(j, "name", json_string(c->name)) ||
	    json_object_set_new(j, "timezone", json_string(tz_name(c->zone))))
		goto fail;
	for (int wd = 0; wd < 7; wd++) {
		json_t *day = json_array();

		if (!day || json_object_set_new(hours, wday_key[wd], day))
			goto fail;
		for (int k = 0; k < c->nhours[wd]; k++) {
			format_hhmm(c->hours[wd][k].start, a);
			format_hhmm(c->hours[wd][k].end, b);
			if (json_array_append_new(day, json_pack("[ss]", a, b)))
				goto fail;
		}
	}
	for (size_t i = 0; i < c->nhol; i++) {
		time_format_date(c->hol[i], date);
		if (json_array_append_new(hol, json_string(date)))
			goto fail;
	}
	/* json_object_set_new() takes the reference even when it fails. */
	if (json_object_set_new(j, "hours", hours)) {
		hours = NULL;
		goto fail;
	}
	hours = NULL;
	if (json_object_set_new(j, "holidays", hol)) {
		hol = NULL;
		goto fail;
	}
	return j;
fail:
	json_decref(hours);
	json_decref(hol);
	json_decref(j);
	return NULL;
}
