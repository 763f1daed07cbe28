/*
 * problem_detect.c — recurring-incident detection: proposals, and an
 * agent's confirm (one problem linking the proposal's incidents) or
 * dismiss (its incidents no longer count on that basis).
 *
 * A proposal is computed, never stored: from the incidents created within
 * the window (problem_detect_cfg.window_days, at most DETECT_LIMIT of them,
 * oldest first), not cancelled and not linked to a problem,
 *  - on an item: `count` or more incidents linked to the same item;
 *  - on a service: among the incidents of one service, a group of `count`
 *    or more joined by similar titles (problem_title_similarity at least
 *    PROBLEM_SIMILAR), a group being every incident reachable from another
 *    through similar pairs (single link);
 * an incident dismissed on that basis ("item:KEY", "service:KEY") does not
 * count on it again. Its id is a digest of the basis and the incidents, so
 * a proposal whose incidents changed since it was listed is not found
 * (list again) and nothing is ever created from a stale list.
 */
#include "domain/problem/problem.h"
#include "domain/platform/audit.h"
#include "lib/jsonx.h"
#include "lib/timeutil.h"
#include "store/store_problem.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#define DETECT_LIMIT 2000 /* incidents of the window read at most */

struct inc {
	int64_t id;
	const char *key, *title, *service; /* borrowed from the rows */
	int64_t created_at;
	struct problem_tokens *tok;
	int group; /* union-find parent, within one service */
};

struct detect {
	json_t *rows, *dismissed;
	struct inc *inc;
	size_t n;
	json_t *items; /* the proposals */
};

static void detect_release(struct detect *d)
{
	for (size_t i = 0; i < d->n; i++)
		free(d->inc[i].tok);
	free(d->inc);
	json_decref(d->rows);
	json_decref(d->dismissed);
	json_decref(d->items);
}

static int is_dismissed(const struct detect *d, const char *basis, int64_t id)
{
	size_t i;
	json_t *v;

	json_array_foreach(d->dismissed, i, v)
		if (json_integer_value(json_object_get(v, "ticket")) == id &&
		    !strcmp(json_string_value(json_object_get(v, "basis")), basis))
			return 1;
	return 0;
}

/* Add the proposal of basis over the incidents idx[0..n) (id order). */
static int propose(struct detect *d, const char *kind, const char *what, const size_t *idx,
		   size_t n, struct err *e)
{
	crypto_generichash_state h;
	unsigned char dg[8];
	char basis[96], id[17], num[24];
	json_t *incs = json_array(), *p;

	snprintf(basis, sizeof(basis), "%s:%s", kind, what);
	crypto_generichash_init(&h, NULL, 0, sizeof(dg));
	crypto_generichash_update(&h, (const unsigned char *)basis, strlen(basis));
	for (size_t i = 0; i < n; i++) {
		const struct inc *c = &d->inc[idx[i]];
		char at[RFC3339_LEN];

		snprintf(num, sizeof(num), "\n%lld", (long long)c->id);
		crypto_generichash_update(&h, (const unsigned char *)num, strlen(num));
		time_format_rfc3339(c->created_at, at);
		json_array_append_new(incs, json_pack("{s:I, s:s, s:s, s:s}", "id",
						      (json_int_t)c->id, "key", c->key, "title",
						      c->title, "created_at", at));
	}
	crypto_generichash_final(&h, dg, sizeof(dg));
	sodium_bin2hex(id, sizeof(id), dg, sizeof(dg));
	p = json_pack("{s:s, s:s, s:s, s:s, s:s, s:I, s:o}", "id", id, "basis", basis, "kind", kind,
		      kind, what, "title", d->inc[idx[0]].title, "incident_count", (json_int_t)n,
		      "incidents", incs);
	if (!p || json_array_append_new(d->items, p))
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	return 0;
}

static int key_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Proposals on items: the rows carry one (ticket, item) pair each. */
static int by_item(struct detect *d, struct err *e)
{
	json_t *per = json_object(), *v;
	const char **keys = NULL;
	size_t *idx = malloc(sizeof(*idx) * (d->n + 1)), i, nk = 0, r;
	const char *k;
	int rc = 0;

	if (!per || !idx) {
		rc = err_set(e, ERR_INTERNAL, NULL, "out of memory");
		goto out;
	}
	/* item → [incident index…] in id order (rows come in id order) */
	for (r = 0, i = 0; r < json_array_size(d->rows); r++) {
		json_t *row = json_array_get(d->rows, r), *arr;
		const char *ci = json_string_value(json_object_get(row, "ci"));

		while (d->inc[i].id != json_integer_value(json_object_get(row, "id")))
			i++;
		if (!ci)
			continue;
		if (!(arr = json_object_get(per, ci)))
			json_object_set_new(per, ci, arr = json_array());
		json_array_append_new(arr, json_integer((json_int_t)i));
	}
	if (!(keys = malloc(sizeof(*keys) * (json_object_size(per) + 1)))) {
		rc = err_set(e, ERR_INTERNAL, NULL, "out of memory");
		goto out;
	}
	json_object_foreach(per, k, v)
		keys[nk++] = k;
	qsort(keys, nk, sizeof(*keys), key_cmp);
	for (size_t j = 0; j < nk && !rc; j++) {
		char basis[96];
		size_t n = 0;

		snprintf(basis, sizeof(basis), "item:%s", keys[j]);
		json_array_foreach(json_object_get(per, keys[j]), i, v) {
			size_t x = (size_t)json_integer_value(v);

			if (!is_dismissed(d, basis, d->inc[x].id))
				idx[n++] = x;
		}
		if (n >= (size_t)problem_detect_cfg.count)
			rc = propose(d, "item", keys[j], idx, n, e);
	}
out:
	free(keys);
	free(idx);
	json_decref(per);
	return rc;
}

static size_t find(struct inc *inc, size_t i)
{
	while ((size_t)inc[i].group != i)
		i = (size_t)(inc[i].group = inc[inc[i].group].group);
	return i;
}

static int svc_cmp(const void *a, const void *b)
{
	const struct inc *x = *(const struct inc *const *)a, *y = *(const struct inc *const *)b;
	int c = strcmp(x->service, y->service);

	return c ? c : (x->id > y->id) - (x->id < y->id);
}

/* Proposals on services: groups of similar titles within one service. */
static int by_service(struct detect *d, struct err *e)
{
	size_t *idx = malloc(sizeof(*idx) * (d->n + 1)), *cnt = calloc(d->n + 1, sizeof(*cnt));
	size_t *sel = malloc(sizeof(*sel) * (d->n + 1)), ns = 0;
	int rc = 0;

	if (!idx || !cnt || !sel) {
		rc = err_set(e, ERR_INTERNAL, NULL, "out of memory");
		goto out;
	}
	/* the incidents of each service, not dismissed on it, in id order */
	for (size_t i = 0; i < d->n; i++) {
		char basis[96];

		d->inc[i].group = (int)i;
		snprintf(basis, sizeof(basis), "service:%s", d->inc[i].service);
		if (*d->inc[i].service && !is_dismissed(d, basis, d->inc[i].id))
			sel[ns++] = i;
	}
	{
		struct inc **order = malloc(sizeof(*order) * (ns + 1));

		if (!order) {
			rc = err_set(e, ERR_INTERNAL, NULL, "out of memory");
			goto out;
		}
		for (size_t i = 0; i < ns; i++)
			order[i] = &d->inc[sel[i]];
		qsort(order, ns, sizeof(*order), svc_cmp);
		for (size_t i = 0; i < ns; i++)
			sel[i] = (size_t)(order[i] - d->inc);
		free(order);
	}
	for (size_t s = 0, t; s < ns && !rc; s = t) {
		const char *svc = d->inc[sel[s]].service;

		for (t = s; t < ns && !strcmp(d->inc[sel[t]].service, svc); t++)
			;
		for (size_t i = s; i < t; i++)
			for (size_t j = i + 1; j < t; j++)
				if (problem_tokens_similarity(d->inc[sel[i]].tok,
							      d->inc[sel[j]].tok) >= PROBLEM_SIMILAR)
					d->inc[find(d->inc, sel[j])].group =
						(int)find(d->inc, sel[i]);
		for (size_t i = s; i < t; i++)
			cnt[find(d->inc, sel[i])]++;
		/* each group once, at its first (oldest) incident */
		for (size_t i = s; i < t && !rc; i++) {
			size_t root = find(d->inc, sel[i]), n = 0;

			if (cnt[root] < (size_t)problem_detect_cfg.count)
				continue;
			for (size_t j = s; j < t; j++)
				if (find(d->inc, sel[j]) == root)
					idx[n++] = sel[j];
			cnt[root] = 0;
			rc = propose(d, "service", svc, idx, n, e);
		}
	}
out:
	free(idx);
	free(cnt);
	free(sel);
	return rc;
}

static int detect(struct store *st, struct detect *d, struct err *e)
{
	int64_t since = clock_now() - (int64_t)problem_detect_cfg.window_days * 86400;
	size_t r;
	int rc;

	memset(d, 0, sizeof(*d));
	if ((rc = st->ops->problem->recent_incidents(st, since, DETECT_LIMIT, &d->rows, e)) ||
	    (rc = st->ops->problem->dismissals(st, since, &d->dismissed, e)))
		return rc;
	d->items = json_array();
	if (!(d->inc = calloc(json_array_size(d->rows) + 1, sizeof(*d->inc))))
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	for (r = 0; r < json_array_size(d->rows); r++) {
		json_t *row = json_array_get(d->rows, r);
		int64_t id = json_integer_value(json_object_get(row, "id"));
		struct inc *c;

		if (d->n && d->inc[d->n - 1].id == id)
			continue; /* the same ticket with another item */
		c = &d->inc[d->n++];
		c->id = id;
		c->key = json_string_value(json_object_get(row, "key"));
		c->title = json_string_value(json_object_get(row, "title"));
		c->service = json_string_value(json_object_get(row, "service"));
		c->created_at = json_integer_value(json_object_get(row, "created_at"));
		if (!(c->tok = problem_tokens_new(c->title)))
			return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	}
	if ((rc = by_item(d, e)) || (rc = by_service(d, e)))
		return rc;
	return 0;
}

int problem_proposals_json(struct store *st, const struct actor *a, const json_t *query,
			   json_t **out, struct err *e)
{
	struct detect d;
	int rc;

	if ((rc = problem_actor_check(a, e)))
		return rc;
	if (!(rc = detect(st, &d, e)))
		*out = json_pack("{s:O, s:n, s:i, s:i, s:f}", "items", d.items, "next_cursor",
				 "count", problem_detect_cfg.count, "window_days",
				 problem_detect_cfg.window_days, "similarity", PROBLEM_SIMILAR);
	detect_release(&d);
	return rc;
}

/* The proposal id as listed now (a new reference), or ERR_NOT_FOUND. */
static int find_proposal(struct store *st, const char *id, json_t **out, struct err *e)
{
	struct detect d;
	size_t i;
	json_t *p;
	int rc;

	*out = NULL;
	if ((rc = detect(st, &d, e)) == 0) {
		json_array_foreach(d.items, i, p)
			if (!strcmp(json_string_value(json_object_get(p, "id")), id)) {
				*out = json_incref(p);
				break;
			}
		if (!*out)
			rc = err_set(e, ERR_NOT_FOUND, NULL,
				     "proposal '%.32s' not found (its incidents changed, or it was "
				     "confirmed or dismissed: list the proposals again)",
				     id);
	}
	detect_release(&d);
	return rc;
}

struct act_ctx {
	const struct actor *a;
	json_t *proposal, *in;
	json_t *after;
};

static int do_confirm(struct store_tx *tx, void *arg, struct err *e)
{
	struct act_ctx *w = arg;

	return problem_add_in(tx, w->a, w->in, &w->after, e);
}

static const char *const confirm_keys[] = { "title",	  "description", "service",
					    "items",	  "root_cause",	 "workaround",
					    "impact",	  "urgency",	 NULL };

int problem_confirm(struct store *st, const struct actor *a, const char *id, const json_t *in,
		    json_t **out, struct err *e)
{
	struct act_ctx w = { .a = a };
	json_t *inc = json_array(), *v;
	const char *kind;
	size_t i;
	int rc;

	if ((rc = problem_actor_check(a, e)))
		goto out;
	if (in && !json_is_object(in)) {
		rc = err_set(e, ERR_INVALID, NULL, "the body must be a JSON object");
		goto out;
	}
	if (in && (rc = jx_only(in, confirm_keys, e)))
		goto out;
	if ((rc = find_proposal(st, id, &w.proposal, e)))
		goto out;
	/* The proposal's title, item or service and incidents, under what
	 * the agent says. */
	kind = json_string_value(json_object_get(w.proposal, "kind"));
	w.in = json_pack("{s:O}", "title", json_object_get(w.proposal, "title"));
	if (!strcmp(kind, "item"))
		json_object_set_new(w.in, "items",
				    json_pack("[O]", json_object_get(w.proposal, "item")));
	else
		json_object_set(w.in, "service", json_object_get(w.proposal, "service"));
	json_array_foreach(json_object_get(w.proposal, "incidents"), i, v)
		json_array_append(inc, json_object_get(v, "key"));
	json_object_set(w.in, "incidents", inc);
	if (in)
		json_object_update(w.in, (json_t *)in);
	if ((rc = problem_validate(w.in, 1, e)))
		goto out;
	if (!(rc = store_write(st, do_confirm, &w, e)))
		*out = w.after;
	else
		json_decref(w.after);
out:
	json_decref(inc);
	json_decref(w.in);
	json_decref(w.proposal);
	return rc;
}

static int do_dismiss(struct store_tx *tx, void *arg, struct err *e)
{
	struct act_ctx *w = arg;
	const char *basis = json_string_value(json_object_get(w->proposal, "basis"));
	json_t *keys = json_array(), *v;
	char entity[48];
	size_t i;
	int rc = 0;

	json_array_foreach(json_object_get(w->proposal, "incidents"), i, v) {
		if ((rc = tx->st->ops->problem->dismiss(
			     tx, basis, json_integer_value(json_object_get(v, "id")),
			     w->a->username, clock_now(), e)))
			break;
		json_array_append(keys, json_object_get(v, "key"));
	}
	w->after = json_pack("{s:O, s:s, s:o}", "id", json_object_get(w->proposal, "id"), "basis",
			     basis, "dismissed", keys);
	if (rc)
		return rc;
	if (!w->after)
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	snprintf(entity, sizeof(entity), "proposal:%s",
		 json_string_value(json_object_get(w->proposal, "id")));
	return audit_append(tx, w->a, "problem.dismiss", entity, w->after, e);
}

int problem_dismiss(struct store *st, const struct actor *a, const char *id, const json_t *in,
		    json_t **out, struct err *e)
{
	struct act_ctx w = { .a = a };
	int rc;

	if ((rc = problem_actor_check(a, e)))
		return rc;
	if (in && json_is_object(in) && json_object_size(in))
		return err_set(e, ERR_INVALID, json_object_iter_key(json_object_iter((json_t *)in)),
			       "a dismissal takes no fields");
	if ((rc = find_proposal(st, id, &w.proposal, e)))
		return rc;
	rc = store_write(st, do_dismiss, &w, e);
	if (!rc)
		*out = w.after;
	else
		json_decref(w.after);
	json_decref(w.proposal);
	return rc;
}
