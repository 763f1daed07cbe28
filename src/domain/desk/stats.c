/*
 * stats.c — ticket statistics for the manager's dashboard.
 *
 * The store hands back aggregates only (counts by status, the open tickets
 * counted by kind × priority × service, resolved in the month, ratings);
 * this file slices the open cube into the views the dashboard draws: all
 * open tickets by priority, kind and service, and open incidents by
 * priority and service. Months are calendar months in UTC.
 */
#include "domain/desk/stats.h"
#include "domain/platform/user.h"
#include "lib/jsonx.h"
#include "lib/timeutil.h"
#include "store/store_cmdb.h"
#include "store/store_web.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

int stats_month_parse(const char *s, int64_t *from, int64_t *to)
{
	int64_t y = 0;
	unsigned m;

	if (strlen(s) != 7 || s[4] != '-')
		return ERR_INVALID;
	for (int i = 0; i < 7; i++)
		if (i != 4 && (s[i] < '0' || s[i] > '9'))
			return ERR_INVALID;
	for (int i = 0; i < 4; i++)
		y = y * 10 + (s[i] - '0');
	m = (unsigned)((s[5] - '0') * 10 + (s[6] - '0'));
	if (m < 1 || m > 12 || y < 1970)
		return ERR_INVALID;
	*from = time_days_from_civil(y, m, 1) * 86400;
	*to = (m == 12 ? time_days_from_civil(y + 1, 1, 1) : time_days_from_civil(y, m + 1, 1)) *
	      86400;
	return 0;
}

static void current_month(char out[16])
{
	int64_t y;
	unsigned m, d;

	time_civil_from_days(time_floor_div(clock_now(), 86400), &y, &m, &d);
	snprintf(out, 16, "%04lld-%02u", (long long)(y % 10000), m % 100);
}

static void add(json_t *obj, const char *key, int64_t n)
{
	json_t *v = json_object_get(obj, key);

	json_object_set_new(obj, key, json_integer((v ? json_integer_value(v) : 0) + n));
}

/* {"service": count} → [{"service": …, "count": …}], largest first; the
 * tickets with no service come last as "service": null. */
static json_t *ranked(json_t *by)
{
	json_t *arr = json_array(), *v;
	const char *k;
	size_t n;

	json_object_foreach(by, k, v)
	{
		json_t *row = json_object();

		jx_set_str(row, "service", *k ? k : NULL);
		json_object_set(row, "count", v);
		json_array_append_new(arr, row);
	}
	n = json_array_size(arr);
	/* Few services: an insertion sort keeps the order stable and readable. */
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0; j--) {
			json_t *a = json_array_get(arr, j - 1), *b = json_array_get(arr, j);
			int a_none = json_is_null(json_object_get(a, "service"));
			int b_none = json_is_null(json_object_get(b, "service"));
			json_int_t ca = json_integer_value(json_object_get(a, "count"));
			json_int_t cb = json_integer_value(json_object_get(b, "count"));

			if (!(a_none && !b_none) && (a_none || b_none || ca >= cb))
				break;
			json_incref(a);
			json_array_set(arr, j - 1, b);
			json_array_set_new(arr, j, a);
		}
	json_decref(by);
	return arr;
}

static json_t *priorities(void)
{
	json_t *j = json_object();

	for (int p = 1; p <= 5; p++) {
		char k[12];

		snprintf(k, sizeof(k), "%d", p);
		json_object_set_new(j, k, json_integer(0));
	}
	return j;
}

static double round2(double x)
{
	return round(x * 100.0) / 100.0;
}

static json_t *stats_to_json(const struct ticket_stats *s, const char *month,
			     const char *customer)
{
	json_t *by_status = json_object(), *by_kind = json_object(), *by_prio = priorities();
	json_t *by_service = json_object(), *inc_prio = priorities(), *inc_service = json_object();
	int64_t open = 0, open_inc = 0;
	char pk[4];

	for (int i = 0; i < ST__COUNT; i++)
		json_object_set_new(by_status, ticket_status_name((enum ticket_status)i),
				    json_integer(s->by_status[i]));
	for (int k = 0; k < KIND__COUNT; k++)
		json_object_set_new(by_kind, ticket_kind_name((enum ticket_kind)k), json_integer(0));
	for (size_t i = 0; i < s->n_open; i++) {
		const struct stats_cell *c = &s->open[i];

		snprintf(pk, sizeof(pk), "%d", c->priority);
		open += c->count;
		add(by_kind, ticket_kind_name(c->kind), c->count);
		add(by_prio, pk, c->count);
		add(by_service, c->service, c->count);
		if (c->kind == KIND_INCIDENT) {
			open_inc += c->count;
			add(inc_prio, pk, c->count);
			add(inc_service, c->service, c->count);
		}
	}
	return json_pack("{s:s, s:s?, s:o, s:{s:I, s:o, s:o, s:o}, s:{s:I, s:o, s:o}, s:I, "
			 "s:{s:I, s:o?, s:I, s:o?}}",
			 "month", month, "customer", customer, "by_status", by_status, "open",
			 "total", (json_int_t)open, "by_priority", by_prio, "by_kind", by_kind,
			 "by_service", ranked(by_service), "open_incidents", "total",
			 (json_int_t)open_inc, "by_priority", inc_prio, "by_service",
			 ranked(inc_service), "resolved_in_month", (json_int_t)s->resolved,
			 "satisfaction", "count", (json_int_t)s->rated, "mean",
			 s->rated ? json_real(round2(s->mean)) : NULL, "month_count",
			 (json_int_t)s->rated_month, "month_mean",
			 s->rated_month ? json_real(round2(s->mean_month)) : NULL);
}

int stats_tickets_json(struct store *st, const struct actor *a, const json_t *query,
		       json_t **out, struct err *e)
{
	struct stats_query q = { 0 };
	struct ticket_stats s;
	char month[16];
	const char *v, *customer = NULL;
	int rc;

	if (!actor_is_staff(a) || a->scope_events)
		return err_set(e, ERR_FORBIDDEN, NULL, "ticket statistics are for staff");
	if ((v = jx_qstr(query, "month"))) {
		if (stats_month_parse(v, &q.from, &q.to))
			return err_set(e, ERR_INVALID, "month", "malformed month '%s': use YYYY-MM",
				       v);
		snprintf(month, sizeof(month), "%s", v);
	} else {
		current_month(month);
		stats_month_parse(month, &q.from, &q.to);
	}
	if ((customer = jx_qstr(query, "customer"))) {
		struct customer cu;

		if ((rc = customer_named(st, NULL, customer, &cu, e)))
			return rc;
		q.customer_id = cu.id;
	}
	if ((rc = st->ops->web->ticket_stats(st, &q, &s, e)))
		return rc;
	*out = stats_to_json(&s, month, customer);
	ticket_stats_release(&s);
	if (!*out)
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	return 0;
}

int stats_ticket_gauges(struct store *st, struct ticket_gauges *g)
{
	static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
	static struct ticket_gauges cached;
	static int64_t at;
	int rc = 0;

	pthread_mutex_lock(&mu);
	if (!at || clock_now() - at >= STATS_GAUGE_TTL) {
		struct ticket_gauges fresh = { 0 };

		/* The code is the answer: /metrics leaves the gauges out when the
		 * store fails (never a stale or zero count); no message is shown. */
		rc = st->ops->ticket_count_by_status(st, fresh.by_status, NULL);
		if (!rc)
			rc = st->ops->cmdb->incident_counts(st, fresh.open_incidents, NULL);
		if (!rc) {
			cached = fresh;
			at = clock_now();
		}
	}
	*g = cached;
	pthread_mutex_unlock(&mu);
	return rc;
}
