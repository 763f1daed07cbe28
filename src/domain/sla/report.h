/*
 * report.h — the monthly service level report of one customer: per SLA the
 * clocks due in the month (resolved or not) and their compliance, per
 * service the availability against the target (availability.h). JSON is the contract
 * (see docs/sla.md); its CSV and HTML (one self-contained page with inline
 * SVG charts) are renderings of that JSON, in render/report.h.
 */
#ifndef ITSM_REPORT_H
#define ITSM_REPORT_H

#include <jansson.h>

#include "domain/platform/actor.h"
#include "lib/err.h"

struct store;

/* Each SLA and each OLA lists its REPORT_WORST most overdue breaches; all
 * of an SLA's are report_breaches' pages. */
#define REPORT_WORST 100

/* The OLAs of group (kind "ola") in month "YYYY-MM", each with the
 * figures of an SLA's entry over its clocks (ticket_ola): {"group",
 * "month", "compliance_percent", "olas": [{"ola", "service", "tickets",
 * "responses", "response_met", "resolutions", "resolution_met",
 * "response_percent", "resolution_percent", "compliance_percent",
 * "mttr_seconds", "breaches_total", "breaches": [{"ticket", "clock",
 * "due", "stopped"}]}]}, the breaches as an SLA's: the REPORT_WORST most
 * overdue. Staff only. */
int report_operational_level(struct store *st, const struct actor *a, const char *group,
			     const char *month, json_t **out, struct err *e);

/* customer: a key; month: "YYYY-MM". Staff, or a requester of that
 * customer. */
int report_service_level(struct store *st, const struct actor *a, const char *customer,
			 const char *month, json_t **out, struct err *e);

/* The breaches of one SLA of the report, by due: query {customer, month,
 * sla, limit, cursor} gives a page ({customer, month, sla, total, items,
 * next_cursor}); all gives every one and no cursor (the CSV download). */
int report_breaches(struct store *st, const struct actor *a, const json_t *query, int all,
		    json_t **out, struct err *e);

#endif
