/*
 * report.c — the monthly service level report (see report.h).
 *
 * Ticket figures come from SQL aggregates over the clocks of each SLA due
 * in the month (two index ranges, ticket_sla_resp_due and _res_due), never
 * from loading tickets; the breach list reads only the missed ones. One
 * rule: a clock counts in the month its due falls in, once its verdict is
 * known — met or missed when it stopped, missed as soon as it is past due
 * while still running (docs/sla.md, "Report"). The month is taken in the
 * zone of each SLA's calendar. Availability per service is avail_compute()
 * over the service's outages meeting the month, against the same calendar,
 * an ongoing one lasting until now.
 *
 * Invariants: every percentage is jx_percent's and every duration
 * jx_seconds'; whether a target is met is decided on the unrounded figure
 * (target_met), never on the rounded one an answer shows.
 */
#include "domain/sla/report.h"
#include "domain/sla/availability.h"
#include "domain/sla/calendar.h"
#include "domain/sla/sla.h"
#include "domain/desk/ticket.h"
#include "domain/platform/user.h"
#include "lib/jsonx.h"
#include "lib/timeutil.h"
#include "store/store_sla.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* true, false, or null when there is no figure or no target. The figure is
 * the unrounded one; the 1e-9 only keeps a figure exactly at its target
 * (99.9 computed as 99.89999999999999) from missing by the last binary
 * digit — a real miss is at least one second of the period, far more. */
static json_t *target_met(int has, double v, double target)
{
	return has && target >= 0 ? json_boolean(v >= target - 1e-9) : json_null();
}

/* met of n, as a percentage (null when n is 0). */
static json_t *share(int64_t met, int64_t n)
{
	return jx_percent(n > 0, n > 0 ? 100.0 * (double)met / (double)n : 0);
}

static int add_breach(const struct sla_breach *br, void *ctx)
{
	json_t *b = json_pack("{s:s, s:s}", "ticket", br->ticket, "clock",
			      br->clock ? "resolution" : "response");

	jx_set_time(b, "due", br->due);
	jx_set_time(b, "stopped", br->stopped);
	json_array_append_new(ctx, b);
	return 0;
}

/* The missed clocks among the counted ones. */
static int64_t missed(const struct sla_stats *s)
{
	return s->responses - s->response_met + s->resolutions - s->resolution_met;
}

static int parse_month(const char *s, int *y, int *m, struct err *e)
{
	if (!s || strlen(s) != 7 || s[4] != '-' || strspn(s, "0123456789") != 4 ||
	    strspn(s + 5, "0123456789") != 2 || (*y = atoi(s)) < 1 || (*m = atoi(s + 5)) < 1 ||
	    *m > 12)
		return err_set(e, ERR_INVALID, "month", "month must be YYYY-MM, not '%s'",
			       s ? s : "");
	return 0;
}

static int service_entry(struct store *st, const struct sla_def *d, const struct calendar *c,
			 int64_t t0, int64_t t1, int64_t now, json_t **out, struct err *e)
{
	struct outage_rec *v;
	struct avail_outage *o;
	struct avail_result res;
	size_t n;
	int rc;

	if ((rc = st->ops->sla->outage_list(st, d->service, t0, t1, &v, &n, e)))
		return rc;
	o = calloc(n ? n : 1, sizeof(*o));
	if (!o) {
		free(v);
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	}
	for (size_t i = 0; i < n; i++) {
		o[i].start = v[i].start;
		o[i].end = v[i].end;
		o[i].ongoing = v[i].end == 0;
		o[i].planned = v[i].planned;
	}
	free(v);
	rc = avail_compute(c, t0, t1, now, o, n, &res, e);
	free(o);
	if (rc)
		return rc;
	*out = json_pack("{s:s, s:I, s:I, s:o, s:o, s:o, s:I, s:o, s:o}", "service", d->service,
			 "agreed_seconds", (json_int_t)res.agreed_seconds, "downtime_seconds",
			 (json_int_t)res.downtime_seconds, "availability_percent",
			 jx_percent(res.has_availability, res.availability_percent),
			 "target_percent",
			 jx_percent(d->availability_target >= 0, d->availability_target),
			 "target_met",
			 target_met(res.has_availability, res.availability_percent,
				    d->availability_target),
			 "outages", (json_int_t)res.outages, "mttr_seconds",
			 jx_seconds(res.has_mttr, res.mttr_seconds), "mtbf_seconds",
			 jx_seconds(res.has_mttr, res.mtbf_seconds));
	return 0;
}

/* The terms of r in force in month y-m (the version written last before
 * its end: a renegotiation since changes nothing of a past month's report)
 * and the month's bounds in the calendar of those terms. d is released by
 * the caller when this returns 0. */
static int month_terms(struct store *st, const struct sla_rec *r, int y, int m,
		       struct sla_def *d, const struct calendar **c, int64_t *t0, int64_t *t1,
		       struct err *e)
{
	int rc;

	if ((rc = sla_calendar_load(st, NULL, r->calendar, NULL, c, e)) ||
	    (rc = calendar_month_range(*c, y, m, t0, t1)) || (rc = sla_def_at(st, r, *t1, d, e)))
		return rc;
	if (strcmp(d->calendar, r->calendar) &&
	    ((rc = sla_calendar_load(st, NULL, d->calendar, NULL, c, e)) ||
	     (rc = calendar_month_range(*c, y, m, t0, t1))))
		sla_def_release(d);
	return rc;
}

/* The clocks counted and met across a customer's SLAs. */
struct tally {
	int64_t clocks, met;
};

static int sla_entry(struct store *st, const struct sla_rec *r, int y, int m, int64_t now,
		     json_t *slas, json_t *services, struct tally *all, struct err *e)
{
	struct sla_def d;
	const struct calendar *c;
	struct sla_stats s;
	int64_t t0, t1;
	json_t *breaches, *svc = NULL;
	int rc;

	if ((rc = month_terms(st, r, y, m, &d, &c, &t0, &t1, e)))
		return rc == ERR_INVALID ? err_set(e, rc, "month", "month out of range") : rc;
	if ((rc = st->ops->sla->report_stats(st, r->id, t0, t1, now, &s, e))) {
		sla_def_release(&d);
		return rc;
	}
	breaches = json_array();
	if ((rc = st->ops->sla->report_worst(st, r->id, t0, t1, now, REPORT_WORST, add_breach,
					     breaches, e)) ||
	    (rc = service_entry(st, &d, c, t0, t1, now, &svc, e))) {
		json_decref(breaches);
		sla_def_release(&d);
		return rc;
	}
	json_array_append_new(
		slas,
		json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:o, s:o, s:o, s:o, s:I, s:o}", "sla",
			  r->name, "service", r->service, "tickets", (json_int_t)s.tickets,
			  "responses", (json_int_t)s.responses, "response_met",
			  (json_int_t)s.response_met, "resolutions", (json_int_t)s.resolutions,
			  "resolution_met", (json_int_t)s.resolution_met, "response_percent",
			  share(s.response_met, s.responses), "resolution_percent",
			  share(s.resolution_met, s.resolutions), "compliance_percent",
			  share(s.response_met + s.resolution_met, s.responses + s.resolutions),
			  "mttr_seconds",
			  jx_seconds(s.resolved > 0,
				     s.resolved ? (double)s.res_spent_sum / (double)s.resolved : 0),
			  "breaches_total", (json_int_t)missed(&s), "breaches", breaches));
	all->clocks += s.responses + s.resolutions;
	all->met += s.response_met + s.resolution_met;
	/* One entry per service: the first SLA's calendar and target count. */
	{
		size_t i;
		json_t *x;
		int seen = 0;

		json_array_foreach(services, i, x)
		{
			if (!strcmp(json_string_value(json_object_get(x, "service")), d.service))
				seen = 1;
		}
		if (seen)
			json_decref(svc);
		else
			json_array_append_new(services, svc);
	}
	sla_def_release(&d);
	return 0;
}

/* The customer a report names, as the actor may see it, and its month. */
static int customer_month(struct store *st, const struct actor *a, const char *customer,
			  const char *month, struct customer *cu, int *y, int *m, struct err *e)
{
	int rc;

	if (!customer || !*customer)
		return err_set(e, ERR_INVALID, "customer", "'customer' is required");
	rc = customer_named(st, NULL, customer, cu, e);
	/* To a requester another customer is absent, as one that does not exist. */
	if (!actor_is_staff(a) && (rc || a->customer_id != cu->id))
		return err_set(e, ERR_NOT_FOUND, NULL, "customer '%s' not found", customer);
	if (rc)
		return rc;
	return parse_month(month, y, m, e);
}

int report_service_level(struct store *st, const struct actor *a, const char *customer,
			 const char *month, json_t **out, struct err *e)
{
	struct customer cu;
	struct sla_rec *v;
	struct tally all = { 0, 0 };
	int64_t now = clock_now();
	size_t n;
	int y = 0, m = 0, rc;
	json_t *slas, *services;

	if ((rc = customer_month(st, a, customer, month, &cu, &y, &m, e)))
		return rc;
	if ((rc = st->ops->sla->sla_list(st, cu.id, NULL, &v, &n, e)))
		return rc;
	slas = json_array();
	services = json_array();
	for (size_t i = 0; i < n && !rc; i++)
		rc = sla_entry(st, &v[i], y, m, now, slas, services, &all, e);
	sla_free_slas(v, n);
	if (rc) {
		json_decref(slas);
		json_decref(services);
		return rc;
	}
	*out = json_pack("{s:s, s:s, s:o, s:o, s:o}", "customer", cu.key, "month", month,
			 "compliance_percent", share(all.met, all.clocks), "slas", slas, "services",
			 services);
	return 0;
}

/* ---- OLAs: the operational level report of a group ---- */

/* One OLA's month, as an SLA's entry is, with the REPORT_WORST most
 * overdue breaches as an SLA's (without the availability of its service,
 * which is the SLA report's). */
static int ola_entry(struct store *st, const struct sla_rec *r, int y, int m, int64_t now,
		     json_t *olas, struct tally *all, struct err *e)
{
	struct sla_def d;
	const struct calendar *c;
	struct sla_stats s;
	int64_t t0, t1;
	json_t *breaches;
	int rc;

	if ((rc = month_terms(st, r, y, m, &d, &c, &t0, &t1, e)))
		return rc == ERR_INVALID ? err_set(e, rc, "month", "month out of range") : rc;
	sla_def_release(&d);
	if ((rc = st->ops->sla->ola_report_stats(st, r->id, t0, t1, now, &s, e)))
		return rc;
	breaches = json_array();
	if ((rc = st->ops->sla->ola_report_worst(st, r->id, t0, t1, now, REPORT_WORST, add_breach,
						 breaches, e))) {
		json_decref(breaches);
		return rc;
	}
	json_array_append_new(
		olas,
		json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:o, s:o, s:o, s:o, s:I, s:o}", "ola",
			  r->name, "service", r->service, "tickets", (json_int_t)s.tickets,
			  "responses", (json_int_t)s.responses, "response_met",
			  (json_int_t)s.response_met, "resolutions", (json_int_t)s.resolutions,
			  "resolution_met", (json_int_t)s.resolution_met, "response_percent",
			  share(s.response_met, s.responses), "resolution_percent",
			  share(s.resolution_met, s.resolutions), "compliance_percent",
			  share(s.response_met + s.resolution_met, s.responses + s.resolutions),
			  "mttr_seconds",
			  jx_seconds(s.resolved > 0,
				     s.resolved ? (double)s.res_spent_sum / (double)s.resolved : 0),
			  "breaches_total", (json_int_t)missed(&s), "breaches", breaches));
	all->clocks += s.responses + s.resolutions;
	all->met += s.response_met + s.resolution_met;
	return 0;
}

int report_operational_level(struct store *st, const struct actor *a, const char *group,
			     const char *month, json_t **out, struct err *e)
{
	struct sla_rec *v;
	struct tally all = { 0, 0 };
	int64_t now = clock_now();
	size_t n;
	int y = 0, m = 0, rc;
	json_t *olas;

	if ((rc = actor_require_staff(a, 0, "the operational level report is for staff", NULL,
				      e)))
		return rc;
	if (!group || !*group)
		return err_set(e, ERR_INVALID, "group", "'group' is required");
	if (!ticket_group_valid(group))
		return err_set(e, ERR_INVALID, "group", "malformed group name '%s'", group);
	if ((rc = parse_month(month, &y, &m, e)))
		return rc;
	if ((rc = st->ops->sla->sla_list(st, 0, NULL, &v, &n, e)))
		return rc;
	olas = json_array();
	for (size_t i = 0; i < n && !rc; i++)
		if (!v[i].customer_id && !strcmp(v[i].group, group))
			rc = ola_entry(st, &v[i], y, m, now, olas, &all, e);
	sla_free_slas(v, n);
	if (rc) {
		json_decref(olas);
		return rc;
	}
	*out = json_pack("{s:s, s:s, s:o, s:o}", "group", group, "month", month,
			 "compliance_percent", share(all.met, all.clocks), "olas", olas);
	return 0;
}

/* A page's cursor: "DUE-TICKET-CLOCK", the last breach of the page before. */
static int parse_cursor(const char *cur, struct sla_breach_after *after, struct err *e)
{
	long long due, ticket;
	int clock, used = 0;

	if (sscanf(cur, "%lld-%lld-%d%n", &due, &ticket, &clock, &used) != 3 ||
	    (size_t)used != strlen(cur) || strspn(cur, "0123456789-") != strlen(cur) ||
	    clock < 0 || clock > 1)
		return err_set(e, ERR_INVALID, "cursor", "malformed cursor '%s'", cur);
	after->due = due;
	after->ticket_id = ticket;
	after->clock = clock;
	return 0;
}

/* A page of at most limit breaches; one more read tells that another
 * page follows (more), after the page's last. */
struct page {
	json_t *items;
	int64_t limit, seen;
	struct sla_breach last;
	int more;
};

static int page_breach(const struct sla_breach *b, void *ctx)
{
	struct page *p = ctx;

	if (p->limit >= 0 && ++p->seen > p->limit) {
		p->more = 1;
		return 0;
	}
	p->last = *b;
	return add_breach(b, p->items);
}

int report_breaches(struct store *st, const struct actor *a, const json_t *query, int all,
		    json_t **out, struct err *e)
{
	const char *name = jx_qstr(query, "sla"), *cur = jx_qstr(query, "cursor");
	struct sla_breach_after after;
	struct customer cu;
	struct sla_rec *v, *r = NULL;
	struct sla_def d;
	const struct calendar *c;
	struct sla_stats s;
	struct page p = { NULL, -1, 0, { "" }, 0 };
	int64_t limit = 50, t0, t1, now = clock_now();
	size_t n;
	int y = 0, m = 0, rc;

	if ((rc = customer_month(st, a, jx_qstr(query, "customer"), jx_qstr(query, "month"), &cu,
				 &y, &m, e)))
		return rc;
	if (!name || !*name)
		return err_set(e, ERR_INVALID, "sla", "'sla' is required");
	if (!all && (jx_qint(query, "limit", 1, 500, &limit, e) < 0 ||
		     (cur && parse_cursor(cur, &after, e))))
		return e->code;
	if ((rc = st->ops->sla->sla_list(st, cu.id, NULL, &v, &n, e)))
		return rc;
	for (size_t i = 0; i < n && !r; i++)
		if (!strcmp(v[i].name, name))
			r = &v[i];
	if (!r) {
		sla_free_slas(v, n);
		return err_set(e, ERR_NOT_FOUND, NULL, "customer '%s' has no SLA '%s'", cu.key,
			       name);
	}
	if ((rc = month_terms(st, r, y, m, &d, &c, &t0, &t1, e))) {
		sla_free_slas(v, n);
		return rc == ERR_INVALID ? err_set(e, rc, "month", "month out of range") : rc;
	}
	sla_def_release(&d);
	p.items = json_array();
	p.limit = all ? -1 : limit;
	if (!(rc = st->ops->sla->report_stats(st, r->id, t0, t1, now, &s, e)))
		rc = st->ops->sla->report_breaches(st, r->id, t0, t1, now,
						   !all && cur ? &after : NULL, all ? -1 : limit + 1,
						   page_breach, &p, e);
	if (rc) {
		sla_free_slas(v, n);
		json_decref(p.items);
		return rc;
	}
	*out = json_pack("{s:s, s:s, s:s, s:I, s:o}", "customer", cu.key, "month",
			 jx_qstr(query, "month"), "sla", r->name, "total", (json_int_t)missed(&s),
			 "items", p.items);
	sla_free_slas(v, n);
	if (p.more) {
		char next[80];

		snprintf(next, sizeof(next), "%lld-%lld-%d", (long long)p.last.due,
			 (long long)p.last.ticket_id, p.last.clock);
		json_object_set_new(*out, "next_cursor", json_string(next));
	} else if (!all) {
		json_object_set_new(*out, "next_cursor", json_null());
	}
	return 0;
}
