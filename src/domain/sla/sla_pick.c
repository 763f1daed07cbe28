/*
 * sla_pick.c — which of several customers' SLAs is the most severe, for an
 * incident monitoring opens on an item whose failure reaches services that
 * customers have SLAs on (docs/sla.md, "Monitoring incidents").
 *
 * The most severe SLA is the one with the shortest resolution target at
 * the incident's priority; a tie goes to the shorter response target, then
 * to the SLA's name (the first in byte order), so the choice never depends
 * on the order the store lists them in. Targets are compared as the
 * business seconds the terms state: the calendars they count in are not
 * weighed. Retired SLAs, OLAs (no customer) and retired customers are
 * passed over.
 */
#include "domain/platform/lifecycle.h"
#include "domain/platform/user.h"
#include "domain/sla/sla.h"
#include "store/store_sla.h"

#include <stdlib.h>
#include <string.h>

int sla_more_severe(const struct sla_def *a, const struct sla_def *b, int priority)
{
	if (priority < 1 || priority > SLA_PRIORITIES)
		priority = SLA_PRIORITIES;
	if (a->res_target[priority] != b->res_target[priority])
		return a->res_target[priority] < b->res_target[priority];
	if (a->resp_target[priority] != b->resp_target[priority])
		return a->resp_target[priority] < b->resp_target[priority];
	return strcmp(a->name, b->name) < 0;
}

/* Whether the SLA r may be chosen: active, a customer's, the customer
 * active (in tx). 1 yes, 0 no, or a negative ERR_*. */
static int choosable(struct store *st, struct store_tx *tx, const struct sla_rec *r,
		     struct err *e)
{
	struct customer cu;
	int rc;

	if (!r->customer_id || !r->customer[0] || lifecycle_retired(r->status))
		return 0;
	if ((rc = customer_named(st, tx, r->customer, &cu, e))) {
		if (rc != ERR_INVALID)
			return rc;
		err_clear(e); /* gone: not a candidate */
		return 0;
	}
	return !lifecycle_retired(cu.status);
}

int sla_pick_most_severe(struct store *st, struct store_tx *tx, const json_t *services,
			 int priority, char customer[64], char service[64], struct err *e)
{
	struct sla_def best = { 0 };
	int found = 0, rc = 0;
	size_t i;
	json_t *it;

	json_array_foreach(services, i, it)
	{
		const char *svc = json_string_value(json_object_get(it, "service"));
		struct sla_rec *rs = NULL;
		size_t n = 0;

		if (!svc || !*svc)
			continue;
		if ((rc = st->ops->sla->sla_list(st, 0, svc, &rs, &n, e)))
			break;
		for (size_t k = 0; k < n && !rc; k++) {
			struct sla_def d;
			int ok = choosable(st, tx, &rs[k], e);

			if (ok < 0) {
				rc = ok;
				break;
			}
			if (!ok || sla_def_parse(rs[k].body, &d, e)) {
				err_clear(e); /* terms that do not parse are no candidate */
				continue;
			}
			if (!found || sla_more_severe(&d, &best, priority)) {
				sla_def_release(&best);
				best = d;
				found = 1;
			} else {
				sla_def_release(&d);
			}
		}
		sla_free_slas(rs, n);
		if (rc)
			break;
	}
	if (!rc && found) {
		snprintf(customer, 64, "%s", best.customer);
		snprintf(service, 64, "%s", best.service);
	}
	if (found)
		sla_def_release(&best);
	return rc ? rc : found;
}
