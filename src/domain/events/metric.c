/*
 * metric.c — the performance data of checks as time series: reading them
 * back in buckets for trend and capacity views.
 *
 * Points are written by the check runner (check.c) in the write that
 * stores the result: one point per perfdata item with a known value, named
 * "CHECK/LABEL" (two checks of one item may both say "time"), at the run's
 * second. A query averages (and gives min, max, count of) the points in
 * buckets of `step` seconds.
 */
#include "domain/events/check.h"
#include "domain/cmdb/cmdb.h"
#include "lib/timeutil.h"
#include "store/store_cmdb.h"

#include <stdlib.h>
#include <string.h>

#define METRIC_MAX_BUCKETS 10000

static int time_param(const json_t *q, const char *k, int64_t def, int64_t *out, struct err *e)
{
	json_t *v = json_object_get(q, k);
	const char *s;
	char *end;

	if (!json_is_string(v)) {
		*out = def;
		return 0;
	}
	s = json_string_value(v);
	if (!time_parse_rfc3339(s, out))
		return 0;
	*out = strtoll(s, &end, 10);
	if (!*s || *end)
		return err_set(e, ERR_INVALID, k, "'%s' must be RFC 3339 or epoch seconds", k);
	return 0;
}

int metric_query_json(struct store *st, const struct actor *a, const char *ci_key,
		      const json_t *q, json_t **out, struct err *e)
{
	struct ci c;
	const char *name = json_string_value(json_object_get(q, "name"));
	int64_t now = clock_now(), from, to, step;
	json_t *points;
	int rc;

	if (a->scope_events || !actor_is_staff(a))
		return err_set(e, ERR_FORBIDDEN, NULL, "only staff read metrics");
	if ((rc = st->ops->cmdb->ci_get(st, NULL, 0, ci_key, &c, e)))
		return rc;
	ci_release(&c);
	if (!name || !*name) {
		json_t *names;

		if ((rc = st->ops->cmdb->metric_names(st, c.id, &names, e)))
			return rc;
		*out = json_pack("{s:s, s:o}", "ci", c.key, "names", names);
		return 0;
	}
	if ((rc = time_param(q, "to", now, &to, e)) ||
	    (rc = time_param(q, "from", to - 86400, &from, e)))
		return rc;
	if (from > to)
		return err_set(e, ERR_INVALID, "from", "'from' is after 'to'");
	step = (to - from) / 300 > 60 ? (to - from) / 300 : 60;
	if (json_is_string(json_object_get(q, "step"))) {
		char *end;
		const char *s = json_string_value(json_object_get(q, "step"));

		step = strtoll(s, &end, 10);
		if (!*s || *end || step < 1)
			return err_set(e, ERR_INVALID, "step", "'step' must be a number of seconds");
	}
	if ((to - from) / step > METRIC_MAX_BUCKETS)
		return err_set(e, ERR_INVALID, "step", "more than %d buckets: take a larger step",
			       METRIC_MAX_BUCKETS);
	if ((rc = st->ops->cmdb->metric_query(st, c.id, name, from, to, step, &points, e)))
		return rc;
	*out = json_pack("{s:s, s:s, s:I, s:o}", "ci", c.key, "name", name, "step",
			 (json_int_t)step, "points", points);
	{
		char b[RFC3339_LEN];

		time_format_rfc3339(from, b);
		json_object_set_new(*out, "from", json_string(b));
		time_format_rfc3339(to, b);
		json_object_set_new(*out, "to", json_string(b));
	}
	return 0;
}
