/*
 * sla_state.c — the scan of what the service level reports are made of,
 * as stored now and in the form the audit log records it, for
 * audit_verify: services ("service:KEY"), calendars ("calendar:NAME"),
 * SLAs and OLAs ("sla:NAME", with a digest of the terms each version kept
 * for the clocks) and outages ("outage:ID").
 */
#include "domain/sla/sla.h"
#include "domain/sla/sla_int.h"
#include "store/store_sla.h"

#include <stdio.h>
#include <stdlib.h>


static int services(struct store *st, const struct audit_scan *to, struct err *e)
{
	struct service_rec *v = NULL;
	size_t n = 0;
	int rc = st->ops->sla->service_list(st, &v, &n, e);

	for (size_t i = 0; !rc && i < n; i++)
		rc = audit_state_hand(to, service_to_json(&v[i]), "service:%s", v[i].key);
	free(v);
	return rc;
}

static int calendars(struct store *st, const struct audit_scan *to, struct err *e)
{
	struct calendar_rec *v = NULL;
	size_t n = 0;
	int rc = st->ops->sla->calendar_list(st, &v, &n, e);

	if (rc)
		return rc;
	for (size_t i = 0; !rc && i < n; i++)
		rc = audit_state_hand(to, sla_calendar_state_json(&v[i]), "calendar:%s", v[i].name);
	sla_free_calendars(v, n);
	return rc;
}

static int slas(struct store *st, const struct audit_scan *to, struct err *e)
{
	struct sla_rec *v = NULL;
	size_t n = 0;
	int rc = st->ops->sla->sla_list(st, 0, NULL, &v, &n, e);

	if (rc)
		return rc;
	for (size_t i = 0; !rc && i < n; i++) {
		json_t *state;

		if (!(rc = sla_state_json(st, NULL, &v[i], &state, e)))
			rc = audit_state_hand(to, state, "sla:%s", v[i].name);
	}
	sla_free_slas(v, n);
	return rc;
}

static int outages(struct store *st, const struct audit_scan *to, struct err *e)
{
	struct outage_rec *v = NULL;
	size_t n = 0;
	int rc = st->ops->sla->outage_list(st, NULL, 0, 0, &v, &n, e);

	for (size_t i = 0; !rc && i < n; i++)
		rc = audit_state_hand(to, outage_to_json(&v[i]), "outage:%lld", (long long)v[i].id);
	free(v);
	return rc;
}

int sla_state_scan(struct store *st, audit_state_fn fn, void *ctx, struct err *e)
{
	struct audit_scan to = { fn, ctx };
	int rc;

	if ((rc = services(st, &to, e)) || (rc = calendars(st, &to, e)) || (rc = slas(st, &to, e)))
		return rc;
	return outages(st, &to, e);
}
