/*
 * lifecycle.c — versions and the active/retired status of catalogue
 * records (see lifecycle.h).
 *
 * Invariant: a stored status is "active" or "retired" (the migration's
 * CHECK); anything else read from a store counts as active, never as a
 * reason to hide a record.
 */
#include "domain/platform/lifecycle.h"
#include "domain/platform/audit.h"
#include "lib/jsonx.h"

#include <stdio.h>
#include <string.h>

int lifecycle_version_check(const json_t *in, int64_t stored, const char *what,
			    struct err *e)
{
	int64_t v;
	int rc;

	if ((rc = jx_int(in, "version", JX_REQUIRED, 1, INT64_MAX, &v, e)))
		return rc;
	if (v != stored)
		return err_set(e, ERR_CONFLICT, "version",
			       "%s is at version %lld, not %lld: reload and retry", what,
			       (long long)stored, (long long)v);
	return 0;
}

int lifecycle_status_parse(const json_t *in, char *status, struct err *e)
{
	const char *s;
	int rc = jx_str(in, "status", JX_OPTIONAL, 15, &s, e);

	if (rc)
		return rc < 0 ? rc : 0; /* absent: unchanged */
	if (strcmp(s, LIFECYCLE_ACTIVE) && strcmp(s, LIFECYCLE_RETIRED))
		return err_set(e, ERR_INVALID, "status", "unknown status '%s' (active, retired)", s);
	snprintf(status, 16, "%s", s);
	return 0;
}

int lifecycle_retired(const char *status)
{
	return status && !strcmp(status, LIFECYCLE_RETIRED);
}

json_t *lifecycle_state(json_t *j, const char *status)
{
	if (j && lifecycle_retired(status))
		json_object_set_new(j, "status", json_string(LIFECYCLE_RETIRED));
	return j;
}

json_t *lifecycle_show(json_t *j)
{
	if (j && !json_object_get(j, "status"))
		json_object_set_new(j, "status", json_string(LIFECYCLE_ACTIVE));
	return j;
}

int lifecycle_list_filter(const json_t *query, int *show, struct err *e)
{
	const char *q = jx_qstr(query, "status"), *p;

	*show = LIFECYCLE_SHOW_ACTIVE;
	if (!q)
		return 0;
	*show = 0;
	for (p = q;;) {
		size_t n = strcspn(p, ",");

		if (n == 6 && !strncmp(p, LIFECYCLE_ACTIVE, n))
			*show |= LIFECYCLE_SHOW_ACTIVE;
		else if (n == 7 && !strncmp(p, LIFECYCLE_RETIRED, n))
			*show |= LIFECYCLE_SHOW_RETIRED;
		else
			return err_set(e, ERR_INVALID, "status",
				       "unknown status '%.*s' (a list of active, retired)",
				       (int)(n > 40 ? 40 : n), p);
		if (!p[n])
			return 0;
		p += n + 1;
	}
}

int lifecycle_listed(int show, const char *status)
{
	return show & (lifecycle_retired(status) ? LIFECYCLE_SHOW_RETIRED : LIFECYCLE_SHOW_ACTIVE);
}

const char *lifecycle_action(int was_retired, const char *status)
{
	if (was_retired == lifecycle_retired(status))
		return "update";
	return was_retired ? "restore" : "retire";
}

int lifecycle_audit(struct store_tx *tx, const struct actor *a, const char *kind,
		    const char *what, const char *key, const json_t *in, json_t *after,
		    struct err *e)
{
	char action[64], entity[96];
	json_t *change = json_pack("{s:O, s:o}", "set", in, "after", after);
	int rc;

	if (!change)
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	snprintf(action, sizeof(action), "%s.%s", kind, what);
	snprintf(entity, sizeof(entity), "%s:%s", kind, key);
	rc = audit_append(tx, a, action, entity, change, e);
	json_decref(change);
	return rc;
}
