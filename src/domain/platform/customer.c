/*
 * customer.c — customers change and retire (see customer.h).
 *
 * Invariant: a change re-reads the customer inside its write, checks the
 * version the caller read, and writes the record with the next version and
 * its audit record ("customer.update", ".retire" or ".restore", with the
 * state after it as customer_to_json records it) in the same transaction.
 */
#include "domain/platform/customer.h"
#include "domain/platform/audit.h"
#include "domain/platform/lifecycle.h"
#include "domain/platform/user.h"
#include "lib/jsonx.h"
#include "lib/timeutil.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int customer_list_json(struct store *st, const struct actor *a, const json_t *query,
		       json_t **out, struct err *e)
{
	struct customer *cs;
	size_t n;
	int show, rc;
	json_t *items;

	if ((rc = lifecycle_list_filter(query, &show, e)) ||
	    (rc = st->ops->customer_list(st, &cs, &n, e)))
		return rc;
	items = json_array();
	for (size_t i = 0; i < n; i++)
		if ((actor_is_staff(a) || cs[i].id == a->customer_id) &&
		    lifecycle_listed(show, cs[i].status))
			json_array_append_new(items, lifecycle_show(customer_to_json(&cs[i])));
	free(cs);
	*out = json_pack("{s:o, s:n}", "items", items, "next_cursor");
	return 0;
}

int customer_get_json(struct store *st, const struct actor *a, const char *key, json_t **out,
		      struct err *e)
{
	struct customer c;
	int rc = st->ops->customer_get(st, NULL, 0, key, &c, e);

	if (!rc && !actor_is_staff(a) && c.id != a->customer_id)
		rc = ERR_NOT_FOUND; /* another's is absent, as one that does not exist */
	if (rc)
		return err_absent(e, rc, ERR_NOT_FOUND, NULL, "customer '%s' not found", key);
	*out = lifecycle_show(customer_to_json(&c));
	return 0;
}

struct upd_ctx {
	const struct actor *a;
	const char *key;
	const json_t *in;
	struct customer c;
};

static int do_update(struct store_tx *tx, void *arg, struct err *e)
{
	struct upd_ctx *w = arg;
	struct customer *c = &w->c;
	const char *name = NULL;
	char what[96];
	int was_retired, rc;

	if ((rc = tx->st->ops->customer_get(tx->st, tx, 0, w->key, c, e)))
		return err_absent(e, rc, ERR_NOT_FOUND, NULL, "customer '%s' not found", w->key);
	snprintf(what, sizeof(what), "customer '%s'", c->key);
	if ((rc = lifecycle_version_check(w->in, c->version, what, e)))
		return rc;
	was_retired = lifecycle_retired(c->status);
	jx_str(w->in, "name", JX_OPTIONAL, 199, &name, NULL);
	if (name)
		snprintf(c->name, sizeof(c->name), "%s", *name ? name : c->key);
	lifecycle_status_parse(w->in, c->status, NULL);
	c->updated_at = clock_now();
	c->version++;
	if ((rc = tx->st->ops->customer_update(tx, c, e)))
		return rc;
	return lifecycle_audit(tx, w->a, "customer", lifecycle_action(was_retired, c->status),
			       c->key, w->in, customer_to_json(c), e);
}

int customer_update(struct store *st, const struct actor *a, const char *key, const json_t *in,
		    json_t **out, struct err *e)
{
	static const char *const fields[] = { "version", "key", "name", "status", NULL };
	struct upd_ctx w = { .a = a, .key = key, .in = in };
	const char *k = NULL, *name = NULL;
	char status[16];
	int rc;

	if (a->role != ROLE_ADMIN && a->role != ROLE_SYSTEM)
		return err_set(e, ERR_FORBIDDEN, NULL, "only admins change customers");
	if (!json_is_object(in))
		return err_set(e, ERR_INVALID, NULL, "the body must be a JSON object");
	if ((rc = jx_only(in, fields, e)) ||
	    (rc = jx_int(in, "version", JX_REQUIRED, 1, INT64_MAX, &(int64_t){ 0 }, e)) ||
	    (rc = jx_str(in, "key", JX_OPTIONAL, 63, &k, e)) < 0 ||
	    (rc = jx_str(in, "name", JX_OPTIONAL, 199, &name, e)) < 0 ||
	    (rc = lifecycle_status_parse(in, status, e)))
		return rc;
	if (k && strcmp(k, key))
		return err_set(e, ERR_INVALID, "key", "a customer's key never changes ('%s')", key);
	if ((rc = store_write(st, do_update, &w, e)))
		return rc;
	*out = lifecycle_show(customer_to_json(&w.c));
	return 0;
}

int customer_open(const struct customer *c, int by_requester, struct err *e)
{
	if (!lifecycle_retired(c->status))
		return 0;
	if (by_requester)
		return err_set(e, ERR_FORBIDDEN, NULL,
			       "customer '%s' is retired: it opens no new tickets", c->key);
	return err_set(e, ERR_INVALID, "customer", "customer '%s' is retired", c->key);
}

int customer_check_open(struct store *st, struct store_tx *tx, int64_t id, int by_requester,
			struct err *e)
{
	struct customer c;
	int rc = st->ops->customer_get(st, tx, id, NULL, &c, e);

	if (rc)
		return err_absent(e, rc, ERR_INVALID, "customer", "unknown customer");
	return customer_open(&c, by_requester, e);
}
