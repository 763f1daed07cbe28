/*
 * cost_report.c — the monthly cost report (see cost.h, docs/cost.md): the
 * effort (minutes) and cost of the time entries worked in one month, per
 * customer and service, per customer, per ticket (the most costly first),
 * and the trend of the twelve months ending with it.
 *
 * Every figure is a sum of entries' stored costs (each worked out once, at
 * the rate in force when it was recorded), so a report is the same however
 * the rates have changed since. Costs are summed in the configured
 * currency; entries recorded in another one count their minutes and are
 * counted apart ("other_currency_entries"), never added to a cost.
 */
#include "domain/cost/cost.h"
#include "domain/platform/user.h"
#include "lib/jsonx.h"
#include "store/store_cost.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int parse_month(const char *s, int *y, int *m, struct err *e)
{
	if (!s || strlen(s) != 7 || s[4] != '-' || strspn(s, "0123456789") != 4 ||
	    strspn(s + 5, "0123456789") != 2 || (*y = atoi(s)) < 2000 || *y > 9998 ||
	    (*m = atoi(s + 5)) < 1 || *m > 12)
		return err_set(e, ERR_INVALID, "month", "month must be YYYY-MM, not '%s'",
			       s ? s : "");
	return 0;
}

/* The first day of month m of year y, m counted from any integer. */
static void first_day(int y, int m, char out[16])
{
	int months = y * 12 + (m - 1);

	snprintf(out, 16, "%04d-%02d-01", months / 12 % 10000, months % 12 + 1);
}

/* "" (no customer: a run or a change named none) reads null. */
static void null_empty(json_t *items)
{
	size_t i;
	json_t *x;

	json_array_foreach(items, i, x)
	{
		const char *c = json_string_value(json_object_get(x, "customer"));
		const char *s = json_string_value(json_object_get(x, "service"));

		if (c && !*c)
			json_object_set_new(x, "customer", json_null());
		if (s && !*s)
			json_object_set_new(x, "service", json_null());
		json_object_set_new(x, "other_currency_entries",
				    json_incref(json_object_get(x, "other")));
		json_object_del(x, "other");
	}
}

static int64_t sum_of(const json_t *items, const char *k)
{
	int64_t n = 0;
	size_t i;
	json_t *x;

	json_array_foreach(items, i, x)
		n += json_integer_value(json_object_get(x, k));
	return n;
}

/* The rows per customer, from the rows per (customer, service), which come
 * ordered by customer. */
static json_t *per_customer(const json_t *svc)
{
	json_t *out = json_array(), *cur = NULL;
	size_t i;
	json_t *x;

	json_array_foreach(svc, i, x)
	{
		const json_t *c = json_object_get(x, "customer");

		if (!cur || !json_equal(json_object_get(cur, "customer"), c)) {
			cur = json_pack("{s:O, s:I, s:I, s:I, s:I}", "customer", c, "entries",
					(json_int_t)0, "minutes", (json_int_t)0, "cost",
					(json_int_t)0, "other_currency_entries", (json_int_t)0);
			json_array_append_new(out, cur);
		}
		for (const char *const *k = (const char *const[]){ "entries", "minutes", "cost",
								  "other_currency_entries", NULL };
		     *k; k++)
			json_object_set_new(cur, *k,
					    json_integer(json_integer_value(json_object_get(cur, *k)) +
							 json_integer_value(json_object_get(x, *k))));
	}
	return out;
}

/* Twelve months ending with y-m, oldest first, a month without entries
 * at zero. */
static json_t *trend(const json_t *rows, int y, int m)
{
	json_t *out = json_array();

	for (int k = COST_TREND_MONTHS - 1; k >= 0; k--) {
		char day[16], month[8];
		const json_t *hit = NULL;
		size_t i;
		json_t *x;

		first_day(y, m - k, day);
		memcpy(month, day, 7);
		month[7] = 0;
		json_array_foreach(rows, i, x)
		{
			if (!strcmp(json_string_value(json_object_get(x, "month")), month))
				hit = x;
		}
		json_array_append_new(
			out, json_pack("{s:s, s:I, s:I, s:I}", "month", month, "entries",
				       (json_int_t)(hit ? json_integer_value(json_object_get(hit, "entries")) : 0),
				       "minutes",
				       (json_int_t)(hit ? json_integer_value(json_object_get(hit, "minutes")) : 0),
				       "cost",
				       (json_int_t)(hit ? json_integer_value(json_object_get(hit, "cost")) : 0)));
	}
	return out;
}

int cost_report(struct store *st, const struct actor *a, const json_t *query, json_t **out,
		struct err *e)
{
	const char *month = jx_qstr(query, "month"), *customer = jx_qstr(query, "customer");
	const char *cur = cost_currency();
	struct customer cu = { 0 };
	char from[16], to[16], trend_from[16];
	json_t *svc = NULL, *tickets = NULL, *months = NULL;
	int y = 0, m = 0, rc;

	if ((rc = actor_require_staff(a, 1, "the cost report is for staff",
				      "only managers read the cost report", e)))
		return rc;
	if ((rc = parse_month(month, &y, &m, e)))
		return rc;
	if (customer) {
		/* an unknown customer is 400 on "customer", as in the SLA report */
		if ((rc = customer_named(st, NULL, customer, &cu, e)))
			return rc;
	}
	first_day(y, m, from);
	first_day(y, m + 1, to);
	first_day(y, m - (COST_TREND_MONTHS - 1), trend_from);
	if ((rc = st->ops->cost->sums(st, COST_BY_SERVICE, from, to, cu.id, cur, 0, &svc, e)) ||
	    (rc = st->ops->cost->sums(st, COST_BY_TICKET, from, to, cu.id, cur,
				      COST_REPORT_TICKETS + 1, &tickets, e)) ||
	    (rc = st->ops->cost->sums(st, COST_BY_MONTH, trend_from, to, cu.id, cur, 0, &months,
				      e))) {
		json_decref(svc);
		json_decref(tickets);
		return rc;
	}
	null_empty(svc);
	null_empty(tickets);
	*out = json_pack("{s:s, s:o, s:s, s:I, s:I, s:I, s:I, s:o, s:o, s:o, s:b, s:o}", "month",
			 month, "customer", customer ? json_string(cu.key) : json_null(),
			 "currency", cur, "entries", (json_int_t)sum_of(svc, "entries"), "minutes",
			 (json_int_t)sum_of(svc, "minutes"), "cost", (json_int_t)sum_of(svc, "cost"),
			 "other_currency_entries",
			 (json_int_t)sum_of(svc, "other_currency_entries"), "customers",
			 per_customer(svc), "services", svc, "tickets", tickets,
			 "tickets_truncated", json_array_size(tickets) > COST_REPORT_TICKETS,
			 "trend", trend(months, y, m));
	if (json_array_size(tickets) > COST_REPORT_TICKETS)
		json_array_remove(tickets, COST_REPORT_TICKETS);
	json_decref(months);
	return 0;
}
