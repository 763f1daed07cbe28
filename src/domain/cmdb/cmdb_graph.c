/*
 * cmdb_graph.c — impact analysis on a shared, immutable snapshot of the
 * relationship graph.
 *
 * Invariants:
 *  - one snapshot at a time is current: the cigraph (CSR) plus, per node,
 *    the item's id, key, name, type and catalogue service; it is labelled
 *    with the "cmdb.gen" the store held when it was read;
 *  - every query reads cmdb.gen (one indexed row); a different label means
 *    the CMDB changed (in this process or another): one thread rebuilds
 *    (others wait on the build lock, then share the result) and swaps the
 *    new snapshot in under the lock;
 *  - readers hold a reference; a replaced snapshot is freed by whoever
 *    drops its last reference, so no query ever sees a graph being freed;
 *  - query scratch (struct cigraph_result) comes from a small pool, so a
 *    query allocates nothing per node in the steady state.
 */
#include "domain/cmdb/cigraph.h"
#include "domain/cmdb/cmdb.h"
#include "lib/jsonx.h"
#include "lib/buf.h"
#include "lib/log.h"
#include "lib/timeutil.h"
#include "store/store_cmdb.h"
#include "store/store_sla.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct snap {
	int refs; /* under mu */
	struct store *st;
	char gen[32];
	struct cigraph *g;
	struct cmdb_graph_rows rows;
};

#define POOL_MAX 8

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t at_exit_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t build_mu = PTHREAD_MUTEX_INITIALIZER;
static struct snap *current;
static struct cigraph_result *pool[POOL_MAX];
static int pool_n;

static void snap_free(struct snap *s)
{
	if (!s)
		return;
	cigraph_free(s->g);
	cmdb_graph_rows_release(&s->rows);
	free(s);
}

static void snap_put(struct snap *s)
{
	int last;

	if (!s)
		return;
	pthread_mutex_lock(&mu);
	last = --s->refs == 0;
	pthread_mutex_unlock(&mu);
	if (last)
		snap_free(s);
}

static struct snap *snap_take_current(struct store *st, const char *gen)
{
	struct snap *s = NULL;

	pthread_mutex_lock(&mu);
	if (current && current->st == st && !strcmp(current->gen, gen)) {
		s = current;
		s->refs++;
	}
	pthread_mutex_unlock(&mu);
	return s;
}

static int rel_of(const char *name, enum cigraph_rel *out)
{
	return cigraph_rel_parse(name, out, NULL);
}

static int snap_build(struct store *st, const char *gen, struct snap **out, struct err *e)
{
	struct snap *s = calloc(1, sizeof(*s));
	struct cigraph_edge *edges = NULL;
	size_t ne = 0;
	double t0 = clock_mono();
	int rc;

	if (!s)
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	s->st = st;
	snprintf(s->gen, sizeof(s->gen), "%s", gen);
	if ((rc = st->ops->cmdb->graph_load(st, &s->rows, e)))
		goto fail;
	edges = malloc((s->rows.n_edges + 1) * sizeof(*edges));
	if (!edges) {
		rc = err_set(e, ERR_INTERNAL, NULL, "out of memory");
		goto fail;
	}
	for (size_t i = 0; i < s->rows.n_edges; i++) {
		const int64_t *ids = s->rows.ids;
		size_t n = s->rows.n_nodes, lo, hi;
		int64_t want[2] = { s->rows.edges[i].source_id, s->rows.edges[i].target_id };
		uint32_t idx[2];
		enum cigraph_rel rel;
		int ok = 1;

		for (int k = 0; k < 2; k++) {
			lo = 0;
			hi = n;
			while (lo < hi) {
				size_t mid = (lo + hi) / 2;

				if (ids[mid] < want[k])
					lo = mid + 1;
				else
					hi = mid;
			}
			if (lo == n || ids[lo] != want[k])
				ok = 0;
			idx[k] = (uint32_t)lo;
		}
		if (!ok || rel_of(s->rows.edges[i].type, &rel))
			continue;
		edges[ne].source = idx[0];
		edges[ne].target = idx[1];
		edges[ne].type = rel;
		edges[ne].propagates = s->rows.edges[i].propagates != 0;
		ne++;
	}
	rc = cigraph_build(&s->g, s->rows.n_nodes, edges, ne, e);
	free(edges);
	if (rc)
		goto fail;
	/* The edge rows are not needed once the graph holds them. */
	free(s->rows.edges);
	s->rows.edges = NULL;
	log_info("msg=\"cmdb graph built\" items=%zu relationships=%zu ms=%.1f", s->rows.n_nodes,
		 ne, (clock_mono() - t0) * 1000);
	*out = s;
	return 0;
fail:
	snap_free(s);
	return rc;
}

static void reset_at_exit(void)
{
	cmdb_graph_reset();
}

static void register_reset(void)
{
	atexit(reset_at_exit);
}

/* The current snapshot, rebuilt first when the store's generation moved.
 * The caller drops it with snap_put. */
static int snap_get(struct store *st, struct snap **out, struct err *e)
{
	char gen[32] = "0";
	struct snap *s = NULL, *old;
	int rc;

	rc = st->ops->meta_get(st, NULL, "cmdb.gen", gen, sizeof(gen), e);
	if (rc && rc != ERR_NOT_FOUND) /* not found: no item was ever written */
		return rc;
	if ((*out = snap_take_current(st, gen)))
		return 0;
	pthread_mutex_lock(&build_mu);
	if ((*out = snap_take_current(st, gen))) {
		pthread_mutex_unlock(&build_mu);
		return 0;
	}
	rc = snap_build(st, gen, &s, e);
	if (!rc) {
		/* the CLI builds snapshots too and never says when it is done */
		pthread_once(&at_exit_once, register_reset);
		pthread_mutex_lock(&mu);
		old = current;
		current = s;
		s->refs = 2; /* current + the caller */
		if (old && --old->refs == 0) {
			pthread_mutex_unlock(&mu);
			snap_free(old);
		} else {
			pthread_mutex_unlock(&mu);
		}
		*out = s;
	}
	pthread_mutex_unlock(&build_mu);
	return rc;
}

static void warm_up(struct store *st, int only_if_warm)
{
	struct snap *s = NULL;
	struct err e = { 0 };
	int warm;

	/* Only keep a warm snapshot warm: a one-shot CLI command that never
	 * asked for impact does not pay for a graph it will not use. */
	pthread_mutex_lock(&mu);
	warm = current && current->st == st;
	pthread_mutex_unlock(&mu);
	if (only_if_warm && !warm)
		return;
	if (snap_get(st, &s, &e))
		log_warn("msg=\"cannot rebuild the cmdb graph\" err=%s", LOG_STR(e.msg));
	snap_put(s);
}

void cmdb_graph_prewarm(struct store *st)
{
	warm_up(st, 1);
}

void cmdb_graph_warm(struct store *st)
{
	warm_up(st, 0);
}

static struct cigraph_result *result_take(void)
{
	struct cigraph_result *r = NULL;

	pthread_mutex_lock(&mu);
	if (pool_n)
		r = pool[--pool_n];
	pthread_mutex_unlock(&mu);
	if (!r && (r = malloc(sizeof(*r))))
		cigraph_result_init(r);
	return r;
}

static void result_give(struct cigraph_result *r)
{
	if (!r)
		return;
	pthread_mutex_lock(&mu);
	if (pool_n < POOL_MAX) {
		pool[pool_n++] = r;
		r = NULL;
	}
	pthread_mutex_unlock(&mu);
	if (r) {
		cigraph_result_release(r);
		free(r);
	}
}

void cmdb_graph_reset(void)
{
	struct snap *s;

	pthread_mutex_lock(&mu);
	s = current;
	current = NULL;
	if (s && --s->refs > 0)
		s = NULL;
	while (pool_n) {
		struct cigraph_result *r = pool[--pool_n];

		cigraph_result_release(r);
		free(r);
	}
	pthread_mutex_unlock(&mu);
	snap_free(s);
}

static int node_of(const struct snap *s, int64_t id, uint32_t *out)
{
	size_t lo = 0, hi = s->rows.n_nodes;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (s->rows.ids[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == s->rows.n_nodes || s->rows.ids[lo] != id)
		return ERR_NOT_FOUND;
	*out = (uint32_t)lo;
	return 0;
}

static int is_service(const struct snap *s, uint32_t v)
{
	return s->rows.types[v] && !strcmp(s->rows.types[v], "service");
}

static json_t *service_json(const struct snap *s, uint32_t v)
{
	const char *svc = s->rows.services[v] && *s->rows.services[v] ? s->rows.services[v]
								       : s->rows.keys[v];

	return json_pack("{s:s, s:s, s:s}", "ci", s->rows.keys[v], "name", s->rows.names[v],
			 "service", svc);
}

/* One reached node: key, name, type, distance, path, and the sentence. */
static json_t *item_json(const struct snap *s, const struct cigraph_result *r, uint32_t v,
			 int direction, uint32_t *nodes, enum cigraph_rel *rels, size_t max)
{
	int len = cigraph_path(r, v, nodes, rels, max);
	json_t *path = json_array();
	struct buf b = BUF_INIT;
	json_t *j;

	for (int i = 0; i < len; i++) {
		json_t *step = json_pack("{s:s}", "ci", s->rows.keys[nodes[i]]);

		if (i + 1 < len)
			json_object_set_new(step, "rel", json_string(cigraph_rel_name(rels[i])));
		json_array_append_new(path, step);
	}
	if (direction == 0) {
		/* "svc1 depends_on app1 runs_on srv1": from the node back to the origin. */
		for (int i = len - 1; i >= 0; i--) {
			buf_puts(&b, s->rows.keys[nodes[i]]);
			if (i > 0)
				buf_printf(&b, " %s ", cigraph_rel_name(rels[i - 1]));
		}
	} else {
		for (int i = 0; i < len; i++) {
			buf_puts(&b, s->rows.keys[nodes[i]]);
			if (i + 1 < len)
				buf_printf(&b, " %s ", cigraph_rel_name(rels[i]));
		}
	}
	j = json_pack("{s:s, s:s, s:s, s:i, s:o, s:s}", "key", s->rows.keys[v], "name",
		      s->rows.names[v], "type", s->rows.types[v], "distance", len > 0 ? len - 1 : 0,
		      "path", path, "explain", buf_str(&b));
	buf_release(&b);
	return j;
}

/* The customers whose SLAs cover any of the reached services (one read of
 * every SLA, matched by catalogue key): [{"customer","service","sla"}] in
 * *customers, a new reference. */
static int customers_of(struct store *st, const struct snap *s, const struct cigraph_result *r,
			uint32_t origin, json_t **customers, struct err *e)
{
	json_t *out = json_array(), *by_service = json_object();
	struct sla_rec *slas = NULL;
	size_t n = 0;
	int rc = 0;

	*customers = out;
	if (!st->ops->sla || !st->ops->sla->sla_list)
		goto done;
	if ((rc = st->ops->sla->sla_list(st, 0, NULL, &slas, &n, e))) {
		json_decref(out);
		*customers = NULL;
		goto done;
	}
	for (size_t k = 0; k < n; k++) {
		json_t *l;

		if (!slas[k].customer[0])
			continue;
		if (!(l = json_object_get(by_service, slas[k].service))) {
			l = json_array();
			json_object_set_new(by_service, slas[k].service, l);
		}
		json_array_append_new(l, json_pack("{s:s, s:s, s:s}", "customer", slas[k].customer,
						   "service", slas[k].service, "sla",
						   slas[k].name));
	}
	{
		json_t *seen = json_object();

		for (int64_t i = -1; i < (int64_t)r->count; i++) {
			uint32_t v = i < 0 ? origin : r->nodes[i];
			const char *svc;
			json_t *l, *c;
			size_t k;

			if (!is_service(s, v))
				continue;
			svc = s->rows.services[v] && *s->rows.services[v] ? s->rows.services[v]
									  : s->rows.keys[v];
			l = json_object_get(by_service, svc);
			json_array_foreach(l, k, c)
			{
				const char *name = json_string_value(json_object_get(c, "customer"));

				if (json_object_get(seen, name))
					continue;
				json_object_set_new(seen, name, json_true());
				json_array_append(out, c);
			}
		}
		json_decref(seen);
	}
done:
	json_decref(by_service);
	sla_free_slas(slas, n);
	return rc;
}

int cmdb_impact_json(struct store *st, const struct actor *a, const char *key, int direction,
		     int limit, json_t **out, struct err *e)
{
	struct snap *s = NULL;
	struct cigraph_result *r = NULL;
	uint32_t node, *nodes = NULL;
	enum cigraph_rel *rels = NULL;
	json_t *items = NULL, *services = NULL, *customers = NULL, *origin;
	struct ci c;
	double t0 = clock_mono();
	int64_t n_services = 0;
	int rc;

	if (a->scope_events || !actor_is_staff(a))
		return err_set(e, ERR_FORBIDDEN, NULL, "only staff read configuration items");
	if (limit <= 0)
		limit = 1000;
	if ((rc = st->ops->cmdb->ci_get(st, NULL, 0, key, &c, e)))
		return rc;
	origin = json_pack("{s:s, s:s, s:s}", "key", c.key, "name", c.name, "type", c.type);
	if ((rc = snap_get(st, &s, e)))
		goto out;
	if (node_of(s, c.id, &node)) {
		rc = err_set(e, ERR_BUSY, NULL, "the impact graph is being rebuilt: retry");
		goto out;
	}
	r = result_take();
	nodes = malloc((s->rows.n_nodes + 1) * sizeof(*nodes));
	rels = malloc((s->rows.n_nodes + 1) * sizeof(*rels));
	if (!r || !nodes || !rels) {
		rc = err_set(e, ERR_INTERNAL, NULL, "out of memory");
		goto out;
	}
	rc = direction == 0 ? cigraph_impact(s->g, node, r, e)
			    : cigraph_dependencies(s->g, node, r, e);
	if (rc)
		goto out;
	items = json_array();
	services = json_array();
	if (direction == 0 && is_service(s, node))
		json_array_append_new(services, service_json(s, node));
	for (uint32_t i = 0; i < r->count; i++) {
		uint32_t v = r->nodes[i];
		int svc = is_service(s, v);
		json_t *it;

		n_services += svc;
		if ((int64_t)i >= limit && (!svc || (int64_t)json_array_size(services) >= limit))
			continue;
		it = item_json(s, r, v, direction, nodes, rels, s->rows.n_nodes + 1);
		if (svc && (int64_t)json_array_size(services) < limit) {
			json_t *sj = service_json(s, v);

			json_object_set(sj, "explain", json_object_get(it, "explain"));
			json_array_append_new(services, sj);
		}
		if ((int64_t)i < limit)
			json_array_append(items, it);
		json_decref(it);
	}
	if (direction == 0 && (rc = customers_of(st, s, r, node, &customers, e)))
		goto out;
	*out = json_object();
	json_object_set_new(*out, "ci", origin);
	origin = NULL;
	json_object_set_new(*out, "direction",
			    json_string(direction == 0 ? "impact" : "dependencies"));
	json_object_set_new(*out, "count", json_integer(r->count));
	json_object_set_new(*out, "service_count",
			    json_integer(n_services + (direction == 0 && is_service(s, node))));
	json_object_set_new(*out, "truncated", json_boolean((int64_t)r->count > limit ||
							    (int64_t)n_services > limit));
	json_object_set_new(*out, "cyclic", json_boolean(r->cyclic));
	json_object_set_new(*out, "items", items);
	json_object_set_new(*out, "services", services);
	items = services = NULL;
	json_object_set_new(*out, "customers", customers ? customers : json_array());
	customers = NULL;
	json_object_set_new(*out, "elapsed_ms", json_real((clock_mono() - t0) * 1000));
out:
	json_decref(origin);
	json_decref(customers);
	json_decref(items);
	json_decref(services);
	free(nodes);
	free(rels);
	result_give(r);
	snap_put(s);
	ci_release(&c);
	return rc;
}

int cmdb_impacted_services(struct store *st, int64_t ci_id, json_t **services, int64_t *n_items,
			   struct err *e)
{
	struct snap *s = NULL;
	struct cigraph_result *r = NULL;
	uint32_t node;
	int rc;

	*services = json_array();
	*n_items = 0;
	if (!*services)
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	if ((rc = snap_get(st, &s, e)))
		goto out;
	if (node_of(s, ci_id, &node))
		goto out; /* an item newer than the snapshot has no dependents yet */
	if (is_service(s, node)) {
		json_t *sj = service_json(s, node);

		json_object_set_new(sj, "id", json_integer(ci_id));
		json_array_append_new(*services, sj);
	}
	if (!(r = result_take())) {
		rc = err_set(e, ERR_INTERNAL, NULL, "out of memory");
		goto out;
	}
	if ((rc = cigraph_impact(s->g, node, r, e)))
		goto out;
	*n_items = r->count;
	for (uint32_t i = 0; i < r->count; i++) {
		json_t *sj;

		if (!is_service(s, r->nodes[i]))
			continue;
		sj = service_json(s, r->nodes[i]);
		json_object_set_new(sj, "id", json_integer(s->rows.ids[r->nodes[i]]));
		json_array_append_new(*services, sj);
	}
out:
	result_give(r);
	snap_put(s);
	if (rc) { /* nothing handed out on failure */
		json_decref(*services);
		*services = NULL;
	}
	return rc;
}
