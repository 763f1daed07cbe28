/*
 * bench/cigraph.c — the CMDB graph at inventory scale: 100,000 items and
 * 500,000 relationships, layered as a data centre is (services → applications
 * → virtual machines → servers → racks and network devices), plus random
 * cross links and some cycles. Two graphs:
 *   layered  links stay near their source (a cluster, a site), one item in
 *            four leans on an earlier one of its layer, 60% of cross links are
 *            network links that do not propagate, 1 in 1,000 points up and
 *            2% of connected_to propagate: cycles exist but stay local;
 *   tangled  cross links go anywhere along or down a layer, 1 in 200 up, 20%
 *            of connected_to propagate: one giant cycle holds most items,
 *            the worst case for a query (it reaches nearly everything).
 *
 * Prints build time (best and mean of several builds), the bytes the graph
 * holds, and query times (mean and max over 100 random origins): impact from
 * a server, impact from any item, dependencies of a service, would_cycle.
 * The generator is seeded, so every run measures the same graphs.
 */
#include "domain/cmdb/cigraph.h"
#include "lib/err.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define N_ITEMS 100000u
#define N_RELS 500000u
#define QUERIES 100
#define BUILDS 5

/* Layers, bottom up: [first, first + count). */
enum { RACK, NETDEV, SERVER, VM, APP, SERVICE, N_LAYERS };

static const struct {
	const char *name;
	uint32_t count;
	enum cigraph_rel into; /* the type of a link that targets this layer */
} layers[N_LAYERS] = {
	[RACK] = { "rack", 1500, CIGRAPH_PART_OF },
	[NETDEV] = { "network_device", 2500, CIGRAPH_CONNECTED_TO },
	[SERVER] = { "server", 16000, CIGRAPH_RUNS_ON },
	[VM] = { "virtual_machine", 40000, CIGRAPH_RUNS_ON },
	[APP] = { "application", 35000, CIGRAPH_DEPENDS_ON },
	[SERVICE] = { "service", 5000, CIGRAPH_DEPENDS_ON },
};

static uint32_t first[N_LAYERS];
static uint64_t rng_state = 0x2545f4914f6cdd1dull;

static uint32_t rng(uint32_t bound)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state % bound);
}

static uint32_t pick(int layer)
{
	return first[layer] + rng(layers[layer].count);
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void add(struct cigraph_edge *ed, size_t *m, uint32_t s, uint32_t t, enum cigraph_rel type,
		int propagate_pct)
{
	if (*m >= N_RELS)
		return;
	ed[*m] = (struct cigraph_edge){ s, t, type, (int)rng(100) < propagate_pct };
	(*m)++;
}

static int layer_of(uint32_t v)
{
	int l = N_LAYERS - 1;

	while (l > 0 && v < first[l])
		l--;
	return l;
}

/* An item of `layer` for v to link to: anywhere when tangled; else near v's
 * relative position in its own layer (a window of 1/200 of the layer), as
 * items of one cluster, team or site link to each other. */
static uint32_t target(int layer, uint32_t v, bool tangled)
{
	int lv = layer_of(v);
	uint32_t count = layers[layer].count, win = count / 200 < 8 ? 8 : count / 200;
	uint64_t at;

	if (tangled)
		return pick(layer);
	at = (uint64_t)(v - first[lv]) * count / layers[lv].count + rng(win);
	at = at < win / 2 ? 0 : at - win / 2;
	if (at >= count)
		at = count - 1;
	return first[layer] + (uint32_t)at;
}

/* An earlier item of v's own layer (a DAG along the layer): within the last
 * 20 items when layered; 1% of the time when tangled, any item (cycles). */
static uint32_t earlier(uint32_t v, bool tangled)
{
	int l = layer_of(v);
	uint32_t i = v - first[l];

	if (tangled)
		return rng(100) ? first[l] + rng(i) : pick(l);
	return v - 1 - rng(i < 20 ? i : 20);
}

static size_t generate(struct cigraph_edge *ed, bool tangled)
{
	size_t m = 0;
	uint32_t at = 0;
	uint32_t up = tangled ? 200 : 1000;
	int prop = tangled ? 20 : 2;

	rng_state = 0x2545f4914f6cdd1dull;
	for (int l = 0; l < N_LAYERS; l++) {
		first[l] = at;
		at += layers[l].count;
	}

	for (uint32_t i = 0; i < layers[NETDEV].count; i++) {
		uint32_t d = first[NETDEV] + i;

		add(ed, &m, d, target(RACK, d, tangled), CIGRAPH_PART_OF, 0);
		add(ed, &m, d, target(NETDEV, d, tangled), CIGRAPH_CONNECTED_TO, prop);
	}
	for (uint32_t i = 0; i < layers[SERVER].count; i++) {
		uint32_t s = first[SERVER] + i;

		add(ed, &m, s, target(RACK, s, tangled), CIGRAPH_PART_OF, 0);
		add(ed, &m, s, target(NETDEV, s, tangled), CIGRAPH_CONNECTED_TO, prop);
		add(ed, &m, s, target(NETDEV, s, tangled), CIGRAPH_CONNECTED_TO, prop);
	}
	for (uint32_t i = 0; i < layers[VM].count; i++) {
		uint32_t v = first[VM] + i;

		add(ed, &m, v, target(SERVER, v, tangled), CIGRAPH_RUNS_ON, 0);
		if (i % 5 == 0) /* either way round: local cycles */
			add(ed, &m, v, target(VM, v, tangled), CIGRAPH_BACKS_UP, 0);
	}
	for (uint32_t i = 0; i < layers[APP].count; i++) {
		uint32_t a = first[APP] + i;

		add(ed, &m, a, target(VM, a, tangled), CIGRAPH_RUNS_ON, 0);
		add(ed, &m, a, target(VM, a, tangled), CIGRAPH_RUNS_ON, 0);
		/* layered: one in four leans on an earlier application */
		for (int k = 0; k < 2 && i > 0; k++)
			if (tangled || (k == 0 && i % 4 == 0))
				add(ed, &m, a, earlier(a, tangled), CIGRAPH_DEPENDS_ON, 0);
	}
	for (uint32_t i = 0; i < layers[SERVICE].count; i++) {
		uint32_t s = first[SERVICE] + i;

		for (int k = 0; k < 8; k++)
			add(ed, &m, s, target(APP, s, tangled), CIGRAPH_DEPENDS_ON, 0);
		if (i > 0 && (tangled || i % 4 == 0))
			add(ed, &m, s, earlier(s, tangled), CIGRAPH_DEPENDS_ON, 0);
	}
	/* Cross links up to N_RELS, typed by the target's layer. Layered: 60%
	 * are network links that do not propagate, the rest point strictly
	 * down, one in `up` points up. Tangled: along or down a layer, anywhere,
	 * one in `up` up. */
	while (m < N_RELS) {
		int ls = 1 + (int)rng(N_LAYERS - 1), lt = (int)rng((uint32_t)ls + tangled);
		uint32_t s;

		if (!tangled && rng(10) < 6) {
			s = first[NETDEV] + rng(layers[NETDEV].count + layers[SERVER].count +
						layers[VM].count);
			add(ed, &m, s, target(layer_of(s) == VM ? SERVER : NETDEV, s, false),
			    CIGRAPH_CONNECTED_TO, 0);
			continue;
		}
		if (rng(up) == 0) {
			int x = ls;

			ls = lt;
			lt = x;
		}
		s = pick(ls);
		add(ed, &m, s, target(lt, s, tangled), layers[lt].into, prop);
	}
	return m;
}

struct stat {
	double sum, max;
	uint64_t reached;
	unsigned cyclic;
};

static void stat_add(struct stat *s, double ms, const struct cigraph_result *r)
{
	s->sum += ms;
	if (ms > s->max)
		s->max = ms;
	if (r) {
		s->reached += r->count;
		s->cyclic += r->cyclic;
	}
}

static void stat_print(const char *what, const struct stat *s, bool reach)
{
	printf("%-30s mean %9.1f us  max %9.1f us", what, 1e3 * s->sum / QUERIES,
	       1e3 * s->max);
	if (reach)
		printf("  reached mean %7.1f items, origin on a cycle %u/%d", (double)s->reached / QUERIES,
		       s->cyclic, QUERIES);
	putchar('\n');
}

static int run(struct cigraph_edge *ed, bool tangled)
{
	struct cigraph *g = NULL;
	struct cigraph_result r = CIGRAPH_RESULT_INIT;
	struct stat server = { 0 }, any = { 0 }, deps = { 0 }, cyc = { 0 };
	struct err e = { 0 };
	double best = 1e9, total = 0, t0, cold;
	size_t m = generate(ed, tangled);
	int ret = -1;

	for (int i = 0; i < BUILDS; i++) {
		double t;

		cigraph_free(g);
		g = NULL;
		t0 = now_ms();
		if (cigraph_build(&g, N_ITEMS, ed, m, &e))
			goto fail;
		t = now_ms() - t0;
		total += t;
		if (t < best)
			best = t;
	}
	printf("== %s: items %u, relationships %zu, traversal entries per direction %zu\n",
	       tangled ? "tangled" : "layered", N_ITEMS, m, cigraph_edge_count(g));
	printf("%-30s best %9.3f ms  mean %9.3f ms (%d builds)\n", "build", best,
	       total / BUILDS, BUILDS);
	printf("%-30s %zu bytes (%.2f MiB, %.1f bytes/relationship)\n", "graph memory",
	       cigraph_memory(g), (double)cigraph_memory(g) / (1024.0 * 1024.0),
	       (double)cigraph_memory(g) / (double)m);

	t0 = now_ms();
	if (cigraph_impact(g, pick(SERVER), &r, &e))
		goto fail;
	cold = now_ms() - t0;
	printf("%-30s %9.1f us (allocates scratch: %zu bytes)\n", "first query", 1e3 * cold,
	       cigraph_result_memory(&r));

	for (int q = 0; q < QUERIES; q++) {
		double t;

		t0 = now_ms();
		if (cigraph_impact(g, pick(SERVER), &r, &e))
			goto fail;
		t = now_ms() - t0;
		stat_add(&server, t, &r);

		t0 = now_ms();
		if (cigraph_impact(g, rng(N_ITEMS), &r, &e))
			goto fail;
		t = now_ms() - t0;
		stat_add(&any, t, &r);

		t0 = now_ms();
		if (cigraph_dependencies(g, pick(SERVICE), &r, &e))
			goto fail;
		t = now_ms() - t0;
		stat_add(&deps, t, &r);

		t0 = now_ms();
		if (cigraph_would_cycle(g, pick(SERVER), pick(SERVICE), &e) < 0)
			goto fail;
		t = now_ms() - t0;
		stat_add(&cyc, t, NULL);
	}
	stat_print("impact from a server", &server, true);
	stat_print("impact from any item", &any, true);
	stat_print("dependencies of a service", &deps, true);
	stat_print("would_cycle server -> service", &cyc, false);
	ret = 0;
	goto out;
fail:
	fprintf(stderr, "cigraph: %s\n", e.msg);
out:
	cigraph_result_release(&r);
	cigraph_free(g);
	return ret;
}

int main(void)
{
	struct cigraph_edge *ed = calloc(N_RELS, sizeof(*ed));
	int ret = 1;

	if (ed && !run(ed, false) && !run(ed, true))
		ret = 0;
	free(ed);
	return ret;
}
