/*
 * change_reach.c — what a change's items reach in the CMDB graph, read
 * through the existing impact analysis (cmdb_impact_json over the shared
 * snapshot, in both directions), and the risk built on it: the
 * questionnaire's score (change_rules.c) plus the services and customers
 * the items' failure would reach.
 *
 * Both run before a write takes the writer: they read the shared graph,
 * not the write's transaction.
 */
#include "domain/change/change_int.h"
#include "domain/cmdb/cmdb.h"

#include <string.h>

/* ---- the CMDB: reach and risk ----------------------------------------- */

static void add_unique(json_t *arr, const char *s)
{
	size_t i;
	json_t *v;

	if (!s)
		return;
	json_array_foreach(arr, i, v)
		if (!strcmp(json_string_value(v), s))
			return;
	json_array_append_new(arr, json_string(s));
}

int change_reach(struct store *st, const struct actor *a, const json_t *items, json_t **reach,
		 json_t **services, json_t **customers, struct err *e)
{
	json_t *r = json_object(), *svcs = json_array(), *custs = json_array();
	size_t i;
	json_t *it;
	int rc = 0;

	json_array_foreach(items, i, it) {
		const char *key = json_string_value(it);

		json_object_set_new(r, key,
				    json_pack("{s:s, s:s, s:[{s:s}], s:s}", "item", key, "relation",
					      "same", "path", "ci", key, "explain", key));
	}
	json_array_foreach(items, i, it) {
		const char *key = json_string_value(it);

		for (int dir = 0; dir < 2 && !rc; dir++) {
			json_t *imp = NULL, *x;
			size_t k;
			char field[32];

			if ((rc = cmdb_impact_json(st, a, key, dir, 100000, &imp, e))) {
				snprintf(field, sizeof(field), "items[%zu]", i);
				rc = err_absent(e, rc, ERR_INVALID, field,
						"unknown configuration item '%.64s'", key);
				break;
			}
			json_array_foreach(json_object_get(imp, "items"), k, x) {
				const char *got = json_string_value(json_object_get(x, "key"));

				if (got && !json_object_get(r, got))
					json_object_set_new(
						r, got,
						json_pack("{s:s, s:s, s:O, s:O}", "item", key,
							  "relation", dir ? "dependency" : "impact",
							  "path", json_object_get(x, "path"),
							  "explain", json_object_get(x, "explain")));
			}
			if (dir == 0) {
				json_array_foreach(json_object_get(imp, "services"), k, x)
					add_unique(svcs, json_string_value(json_object_get(x, "service")));
				json_array_foreach(json_object_get(imp, "customers"), k, x)
					add_unique(custs,
						   json_string_value(json_object_get(x, "customer")));
			}
			json_decref(imp);
		}
		if (rc)
			break;
	}
	if (rc) {
		json_decref(r);
		json_decref(svcs);
		json_decref(custs);
		return rc;
	}
	*reach = r;
	if (services)
		*services = svcs;
	else
		json_decref(svcs);
	if (customers)
		*customers = custs;
	else
		json_decref(custs);
	return 0;
}

/* The risk block of a body: the questionnaire's score plus the reach of the
 * items, with the reasons. */
int change_risk_json(struct store *st, const struct actor *a, const json_t *body, json_t **out,
		     struct err *e)
{
	json_t *reach, *svcs, *custs, *reasons;
	const char *level;
	int score, rc;

	if ((rc = change_reach(st, a, json_object_get(body, "items"), &reach, &svcs, &custs, e)))
		return rc;
	json_decref(reach);
	score = change_risk_score(json_object_get(body, "questionnaire"),
				  (int64_t)json_array_size(svcs), (int64_t)json_array_size(custs),
				  &level, &reasons);
	*out = json_pack("{s:i, s:s, s:o, s:I, s:I, s:o, s:o}", "score", score, "level", level,
			 "reasons", reasons, "service_count", (json_int_t)json_array_size(svcs),
			 "customer_count", (json_int_t)json_array_size(custs), "services", svcs,
			 "customers", custs);
	return *out ? 0 : err_set(e, ERR_INTERNAL, NULL, "out of memory");
}
