/*
 * tests/unit/domain/cigraph.c — the CMDB graph: exact answers on a small
 * hand-drawn inventory, cycles and self-loops, errors, scratch reuse, and
 * random graphs with cycles checked against a naive recursive DFS written
 * here (reachability) plus BFS invariants (distances, paths, order).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "domain/cmdb/cigraph.h"
#include "lib/err.h"

#define LEN(a) (sizeof(a) / sizeof((a)[0]))

/* The hand-drawn inventory. */
enum { APP1, SRV1, RACK1, DB1, SVC1, APP2, N_SMALL };

static void small_edges(struct cigraph_edge *ed, bool propagating)
{
	const struct cigraph_edge base[] = {
		{ APP1, SRV1, CIGRAPH_RUNS_ON, false },
		{ SRV1, RACK1, CIGRAPH_PART_OF, false },
		{ DB1, SRV1, CIGRAPH_RUNS_ON, false },
		{ SVC1, APP1, CIGRAPH_DEPENDS_ON, false },
		{ SVC1, DB1, CIGRAPH_DEPENDS_ON, false },
		{ APP2, APP1, CIGRAPH_CONNECTED_TO, propagating },
	};

	memcpy(ed, base, sizeof(base));
}

static struct cigraph *build_small(bool propagating)
{
	struct cigraph_edge ed[6];
	struct cigraph *g = NULL;
	struct err e = { 0 };

	small_edges(ed, propagating);
	assert_int_equal(cigraph_build(&g, N_SMALL, ed, LEN(ed), &e), 0);
	assert_non_null(g);
	return g;
}

/* r holds exactly want[0..n) in this order, with these distances. */
static void expect_nodes(const struct cigraph_result *r, const uint32_t *want,
			 const int *dist, size_t n)
{
	assert_int_equal(r->count, n);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(r->nodes[i], want[i]);
		assert_int_equal(cigraph_result_distance(r, want[i]), dist[i]);
	}
}

static void expect_path(const struct cigraph_result *r, uint32_t node, const uint32_t *want,
			const enum cigraph_rel *want_rels, size_t len)
{
	uint32_t nodes[16];
	enum cigraph_rel rl[16];

	assert_int_equal(cigraph_path(r, node, nodes, rl, LEN(nodes)), (int)len);
	for (size_t i = 0; i < len; i++)
		assert_int_equal(nodes[i], want[i]);
	for (size_t i = 0; i + 1 < len; i++)
		assert_int_equal(rl[i], want_rels[i]);
}

static void test_rel_names(void **state)
{
	enum cigraph_rel t;
	struct err e = { 0 };

	for (int i = 0; i < CIGRAPH_REL_COUNT; i++) {
		assert_int_equal(cigraph_rel_parse(cigraph_rel_name((enum cigraph_rel)i), &t, &e),
				 0);
		assert_int_equal(t, i);
	}
	assert_string_equal(cigraph_rel_name(CIGRAPH_BACKS_UP), "backs_up");
	assert_string_equal(cigraph_rel_name(CIGRAPH_REL_COUNT), "?");
	assert_int_equal(cigraph_rel_parse("runs-on", &t, &e), ERR_INVALID);
	assert_string_equal(e.msg, "unknown relationship type 'runs-on'");
	assert_string_equal(e.field, "type");
}

static void test_small_impact(void **state)
{
	struct cigraph *g = build_small(false);
	struct cigraph_result r = CIGRAPH_RESULT_INIT;
	struct err e = { 0 };

	assert_int_equal(cigraph_node_count(g), N_SMALL);
	assert_int_equal(cigraph_edge_count(g), 5); /* connected_to dropped */

	/* rack1 fails: srv1, then app1 and db1 on it, then svc1. */
	assert_int_equal(cigraph_impact(g, RACK1, &r, &e), 0);
	{
		const uint32_t want[] = { SRV1, APP1, DB1, SVC1 };
		const int dist[] = { 1, 2, 2, 3 };
		const uint32_t p[] = { RACK1, SRV1, APP1, SVC1 };
		const enum cigraph_rel pr[] = { CIGRAPH_PART_OF, CIGRAPH_RUNS_ON,
						CIGRAPH_DEPENDS_ON };
		const uint32_t pdb[] = { RACK1, SRV1, DB1 };
		const enum cigraph_rel pdbr[] = { CIGRAPH_PART_OF, CIGRAPH_RUNS_ON };

		expect_nodes(&r, want, dist, LEN(want));
		/* svc1 is reached through app1, the lower index of app1/db1 */
		expect_path(&r, SVC1, p, pr, LEN(p));
		expect_path(&r, DB1, pdb, pdbr, LEN(pdb));
		assert_int_equal(r.origin, RACK1);
		assert_false(r.cyclic);
	}
	assert_int_equal(cigraph_result_distance(&r, RACK1), 0);
	assert_int_equal(cigraph_result_distance(&r, APP2), ERR_NOT_FOUND);
	{
		const uint32_t p[] = { RACK1 };

		expect_path(&r, RACK1, p, NULL, 1);
	}

	/* app1 fails: only svc1; app2's link does not propagate. */
	assert_int_equal(cigraph_impact(g, APP1, &r, &e), 0);
	{
		const uint32_t want[] = { SVC1 };
		const int dist[] = { 1 };

		expect_nodes(&r, want, dist, LEN(want));
	}
	assert_int_equal(cigraph_result_distance(&r, APP2), ERR_NOT_FOUND);
	assert_int_equal(cigraph_result_distance(&r, SRV1), ERR_NOT_FOUND);

	/* Nothing depends on the service or on app2. */
	assert_int_equal(cigraph_impact(g, SVC1, &r, &e), 0);
	assert_int_equal(r.count, 0);
	assert_int_equal(cigraph_impact(g, APP2, &r, &e), 0);
	assert_int_equal(r.count, 0);

	cigraph_result_release(&r);
	cigraph_free(g);
}

static void test_small_propagating(void **state)
{
	struct cigraph *g = build_small(true);
	struct cigraph_result r = CIGRAPH_RESULT_INIT;
	struct err e = { 0 };

	assert_int_equal(cigraph_edge_count(g), 7); /* connected_to both ways */

	assert_int_equal(cigraph_impact(g, APP1, &r, &e), 0);
	{
		const uint32_t want[] = { SVC1, APP2 };
		const int dist[] = { 1, 1 };
		const uint32_t p[] = { APP1, APP2 };
		const enum cigraph_rel pr[] = { CIGRAPH_CONNECTED_TO };

		expect_nodes(&r, want, dist, LEN(want));
		expect_path(&r, APP2, p, pr, LEN(p));
	}

	assert_int_equal(cigraph_impact(g, RACK1, &r, &e), 0);
	{
		const uint32_t want[] = { SRV1, APP1, DB1, SVC1, APP2 };
		const int dist[] = { 1, 2, 2, 3, 3 };
		const uint32_t p[] = { RACK1, SRV1, APP1, APP2 };
		const enum cigraph_rel pr[] = { CIGRAPH_PART_OF, CIGRAPH_RUNS_ON,
						CIGRAPH_CONNECTED_TO };

		expect_nodes(&r, want, dist, LEN(want));
		expect_path(&r, APP2, p, pr, LEN(p));
		assert_false(r.cyclic);
	}

	/* The link works both ways: app2 failing impacts app1, then svc1. */
	assert_int_equal(cigraph_impact(g, APP2, &r, &e), 0);
	{
		const uint32_t want[] = { APP1, SVC1 };
		const int dist[] = { 1, 2 };
		const uint32_t p[] = { APP2, APP1, SVC1 };
		const enum cigraph_rel pr[] = { CIGRAPH_CONNECTED_TO, CIGRAPH_DEPENDS_ON };

		expect_nodes(&r, want, dist, LEN(want));
		expect_path(&r, SVC1, p, pr, LEN(p));
	}

	cigraph_result_release(&r);
	cigraph_free(g);
}

static void test_small_dependencies(void **state)
{
	struct cigraph *g = build_small(false);
	struct cigraph_result r = CIGRAPH_RESULT_INIT;
	struct err e = { 0 };

	assert_int_equal(cigraph_dependencies(g, SVC1, &r, &e), 0);
	{
		const uint32_t want[] = { APP1, DB1, SRV1, RACK1 };
		const int dist[] = { 1, 1, 2, 3 };
		const uint32_t p[] = { SVC1, APP1, SRV1, RACK1 };
		const enum cigraph_rel pr[] = { CIGRAPH_DEPENDS_ON, CIGRAPH_RUNS_ON,
						CIGRAPH_PART_OF };

		expect_nodes(&r, want, dist, LEN(want));
		expect_path(&r, RACK1, p, pr, LEN(p));
	}
	assert_int_equal(cigraph_dependencies(g, RACK1, &r, &e), 0);
	assert_int_equal(r.count, 0);
	assert_int_equal(cigraph_dependencies(g, APP2, &r, &e), 0);
	assert_int_equal(r.count, 0);
	cigraph_free(g);

	g = build_small(true);
	assert_int_equal(cigraph_dependencies(g, APP2, &r, &e), 0);
	{
		const uint32_t want[] = { APP1, SRV1, RACK1 };
		const int dist[] = { 1, 2, 3 };

		expect_nodes(&r, want, dist, LEN(want));
	}
	assert_int_equal(cigraph_dependencies(g, SVC1, &r, &e), 0);
	{
		const uint32_t want[] = { APP1, DB1, SRV1, APP2, RACK1 };
		const int dist[] = { 1, 1, 2, 2, 3 };

		expect_nodes(&r, want, dist, LEN(want));
	}
	cigraph_result_release(&r);
	cigraph_free(g);
}

static void test_small_would_cycle(void **state)
{
	struct cigraph *g = build_small(false);
	struct err e = { 0 };

	/* srv1 runs_on app1: app1 already runs on srv1 */
	assert_int_equal(cigraph_would_cycle(g, SRV1, APP1, &e), 1);
	/* rack1 depends_on svc1: svc1 depends on rack1 transitively */
	assert_int_equal(cigraph_would_cycle(g, RACK1, SVC1, &e), 1);
	assert_int_equal(cigraph_would_cycle(g, APP1, APP1, &e), 1);
	assert_int_equal(cigraph_would_cycle(g, APP1, RACK1, &e), 0);
	assert_int_equal(cigraph_would_cycle(g, SVC1, RACK1, &e), 0);
	assert_int_equal(cigraph_would_cycle(g, APP2, SVC1, &e), 0);
	assert_int_equal(cigraph_would_cycle(g, DB1, APP1, &e), 0);
	cigraph_free(g);

	/* connected_to links are not dependency edges, propagating or not */
	g = build_small(true);
	assert_int_equal(cigraph_would_cycle(g, APP1, APP2, &e), 0);
	assert_int_equal(cigraph_would_cycle(g, APP2, SVC1, &e), 0);
	assert_int_equal(cigraph_would_cycle(g, SRV1, SVC1, &e), 1);
	assert_int_equal(cigraph_would_cycle(g, N_SMALL, SVC1, &e), ERR_INVALID);
	assert_string_equal(e.field, "source");
	assert_int_equal(cigraph_would_cycle(g, SVC1, 99, &e), ERR_INVALID);
	assert_string_equal(e.field, "target");
	cigraph_free(g);
}

static void test_cycle(void **state)
{
	/* a → b → c → a, each "depends_on" the next */
	const struct cigraph_edge ed[] = {
		{ 0, 1, CIGRAPH_DEPENDS_ON, false },
		{ 1, 2, CIGRAPH_DEPENDS_ON, false },
		{ 2, 0, CIGRAPH_DEPENDS_ON, false },
	};
	struct cigraph *g = NULL;
	struct cigraph_result r = CIGRAPH_RESULT_INIT;
	struct err e = { 0 };

	assert_int_equal(cigraph_build(&g, 4, ed, LEN(ed), &e), 0); /* 3 stands alone */

	/* who depends on a: c directly, b through c */
	assert_int_equal(cigraph_impact(g, 0, &r, &e), 0);
	{
		const uint32_t want[] = { 2, 1 };
		const int dist[] = { 1, 2 };
		const uint32_t p[] = { 0, 2, 1 };
		const enum cigraph_rel pr[] = { CIGRAPH_DEPENDS_ON, CIGRAPH_DEPENDS_ON };

		expect_nodes(&r, want, dist, LEN(want));
		expect_path(&r, 1, p, pr, LEN(p));
		assert_true(r.cyclic);
	}
	assert_int_equal(cigraph_dependencies(g, 0, &r, &e), 0);
	{
		const uint32_t want[] = { 1, 2 };
		const int dist[] = { 1, 2 };

		expect_nodes(&r, want, dist, LEN(want));
		assert_true(r.cyclic);
	}
	for (uint32_t v = 0; v < 3; v++) {
		assert_int_equal(cigraph_impact(g, v, &r, &e), 0);
		assert_int_equal(r.count, 2);
		/* inside a cycle, any new dependency closes another */
		assert_int_equal(cigraph_would_cycle(g, v, (v + 1) % 3, &e), 1);
		assert_int_equal(cigraph_would_cycle(g, v, (v + 2) % 3, &e), 1);
		assert_int_equal(cigraph_would_cycle(g, v, 3, &e), 0);
		assert_int_equal(cigraph_would_cycle(g, 3, v, &e), 0);
	}
	assert_int_equal(cigraph_impact(g, 3, &r, &e), 0);
	assert_int_equal(r.count, 0);
	assert_false(r.cyclic);
	cigraph_result_release(&r);
	cigraph_free(g);
}

static void test_self_loop(void **state)
{
	const struct cigraph_edge ed[] = {
		{ 0, 0, CIGRAPH_DEPENDS_ON, false },
		{ 0, 1, CIGRAPH_RUNS_ON, false },
		{ 1, 1, CIGRAPH_CONNECTED_TO, true },
		{ 2, 2, CIGRAPH_BACKS_UP, false },
	};
	struct cigraph *g = NULL;
	struct cigraph_result r = CIGRAPH_RESULT_INIT;
	struct err e = { 0 };

	assert_int_equal(cigraph_build(&g, 3, ed, LEN(ed), &e), 0);
	assert_int_equal(cigraph_impact(g, 0, &r, &e), 0);
	assert_int_equal(r.count, 0);
	assert_true(r.cyclic);
	assert_int_equal(cigraph_impact(g, 1, &r, &e), 0);
	assert_int_equal(r.count, 1);
	assert_int_equal(r.nodes[0], 0);
	assert_true(r.cyclic); /* the propagating connected_to loop */
	assert_int_equal(cigraph_dependencies(g, 2, &r, &e), 0);
	assert_int_equal(r.count, 0);
	assert_true(r.cyclic);
	assert_int_equal(cigraph_would_cycle(g, 2, 2, &e), 1);
	assert_int_equal(cigraph_would_cycle(g, 1, 0, &e), 1);
	assert_int_equal(cigraph_would_cycle(g, 0, 2, &e), 0);
	cigraph_result_release(&r);
	cigraph_free(g);
}

static void test_errors(void **state)
{
	struct cigraph_edge ed[] = { { 0, 1, CIGRAPH_RUNS_ON, false },
				     { 1, 2, CIGRAPH_PART_OF, false } };
	struct cigraph *g = (struct cigraph *)&ed; /* overwritten on failure */
	struct cigraph_result r = CIGRAPH_RESULT_INIT;
	struct err e = { 0 };
	uint32_t nodes[2];

	assert_int_equal(cigraph_build(&g, 2, ed, LEN(ed), &e), ERR_INVALID);
	assert_null(g);
	assert_string_equal(e.field, "edges");
	assert_string_equal(e.msg, "target '2' out of range in edge 1");

	ed[1].target = 0;
	ed[1].source = 7;
	assert_int_equal(cigraph_build(&g, 2, ed, LEN(ed), &e), ERR_INVALID);
	assert_string_equal(e.msg, "source '7' out of range in edge 1");

	ed[1].source = 1;
	ed[0].type = CIGRAPH_REL_COUNT;
	assert_int_equal(cigraph_build(&g, 2, ed, LEN(ed), &e), ERR_INVALID);
	assert_string_equal(e.msg, "unknown relationship type '5' in edge 0");

	assert_int_equal(cigraph_build(&g, CIGRAPH_MAX_NODES, NULL, 0, &e), ERR_TOO_LARGE);
	assert_int_equal(cigraph_build(&g, 2, NULL, 3, &e), ERR_INVALID);

	/* an empty graph builds; any query on it is out of range */
	assert_int_equal(cigraph_build(&g, 0, NULL, 0, &e), 0);
	assert_int_equal(cigraph_node_count(g), 0);
	assert_int_equal(cigraph_impact(g, 0, &r, &e), ERR_INVALID);
	assert_string_equal(e.field, "node");
	assert_string_equal(e.msg, "item '0' out of range");
	assert_int_equal(r.count, 0);
	assert_int_equal(cigraph_would_cycle(g, 0, 0, &e), ERR_INVALID);
	cigraph_free(g);

	/* before any query, and for what was not reached */
	assert_int_equal(cigraph_result_distance(&r, 0), ERR_NOT_FOUND);
	assert_int_equal(cigraph_path(&r, 0, nodes, NULL, 2), ERR_NOT_FOUND);

	ed[0].type = CIGRAPH_RUNS_ON;
	ed[1].type = CIGRAPH_RUNS_ON;
	assert_int_equal(cigraph_build(&g, 3, ed, LEN(ed), &e), 0); /* 0→1→0, 2 alone */
	assert_int_equal(cigraph_impact(g, 1, &r, &e), 0);
	assert_int_equal(cigraph_path(&r, 2, nodes, NULL, 2), ERR_NOT_FOUND);
	assert_int_equal(cigraph_path(&r, 0, nodes, NULL, 1), ERR_TOO_LARGE);
	assert_int_equal(cigraph_path(&r, 0, nodes, NULL, 2), 2);
	assert_int_equal(nodes[0], 1);
	assert_int_equal(nodes[1], 0);
	assert_int_equal(cigraph_impact(g, 3, &r, &e), ERR_INVALID);
	assert_int_equal(r.count, 0);
	assert_int_equal(cigraph_dependencies(g, 3, &r, &e), ERR_INVALID);
	cigraph_result_release(&r);
	cigraph_free(g);
	cigraph_free(NULL);
}

/* One result across graphs of different sizes, and across an epoch wrap. */
static void test_result_reuse(void **state)
{
	struct cigraph *big = NULL, *small = build_small(false);
	struct cigraph_edge chain[99];
	struct cigraph_result r = CIGRAPH_RESULT_INIT;
	struct err e = { 0 };

	for (uint32_t i = 0; i < LEN(chain); i++)
		chain[i] = (struct cigraph_edge){ i + 1, i, CIGRAPH_DEPENDS_ON, false };
	assert_int_equal(cigraph_build(&big, 100, chain, LEN(chain), &e), 0);

	assert_int_equal(cigraph_impact(small, RACK1, &r, &e), 0);
	assert_int_equal(r.count, 4);
	assert_int_equal(cigraph_impact(big, 0, &r, &e), 0); /* grows */
	assert_int_equal(r.count, 99);
	assert_int_equal(cigraph_result_distance(&r, 99), 99);
	assert_true(cigraph_result_memory(&r) >= 100 * 21);
	assert_int_equal(cigraph_impact(small, APP1, &r, &e), 0); /* reuses */
	assert_int_equal(r.count, 1);
	assert_int_equal(cigraph_result_distance(&r, 50), ERR_NOT_FOUND);
	assert_int_equal(cigraph_result_distance(&r, RACK1), ERR_NOT_FOUND);

	r.epoch = UINT32_MAX - 1;
	assert_int_equal(cigraph_impact(big, 50, &r, &e), 0); /* epoch UINT32_MAX */
	assert_int_equal(r.count, 49);
	assert_int_equal(cigraph_impact(big, 98, &r, &e), 0); /* wraps, clears */
	assert_int_equal(r.count, 1);
	assert_int_equal(r.epoch, 1);
	assert_int_equal(cigraph_result_distance(&r, 60), ERR_NOT_FOUND);
	/* stamped 1 by the first query over big: stale once the epoch wraps */
	assert_int_equal(cigraph_result_distance(&r, 10), ERR_NOT_FOUND);
	assert_int_equal(cigraph_result_distance(&r, 99), 1);

	cigraph_result_release(&r);
	assert_int_equal(cigraph_result_memory(&r), 0);
	cigraph_free(big);
	cigraph_free(small);
}

/* --- random graphs against a naive reference ---------------------------- */

static uint64_t rng_state;

static uint32_t rng(uint32_t bound)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state % bound);
}

/* Adjacency lists, one growable array per node. */
struct ref_step {
	uint32_t to;
	enum cigraph_rel type;
};

struct ref {
	size_t n;
	struct ref_step **adj;
	size_t *len, *cap;
};

static void ref_add(struct ref *f, uint32_t from, uint32_t to, enum cigraph_rel type)
{
	if (f->len[from] == f->cap[from]) {
		f->cap[from] = f->cap[from] ? 2 * f->cap[from] : 4;
		f->adj[from] = realloc(f->adj[from], f->cap[from] * sizeof(struct ref_step));
		assert_non_null(f->adj[from]);
	}
	f->adj[from][f->len[from]++] = (struct ref_step){ to, type };
}

/* dir 0: impact (target → source); dir 1: dependencies (source → target);
 * dir 2: dependencies over directional edges only (would_cycle). */
static void ref_build(struct ref *f, size_t n, const struct cigraph_edge *ed, size_t m, int dir)
{
	f->n = n;
	f->adj = calloc(n, sizeof(*f->adj));
	f->len = calloc(n, sizeof(*f->len));
	f->cap = calloc(n, sizeof(*f->cap));
	assert_true(f->adj && f->len && f->cap);
	for (size_t i = 0; i < m; i++) {
		uint32_t s = ed[i].source, t = ed[i].target;

		if (ed[i].type == CIGRAPH_CONNECTED_TO) {
			if (ed[i].propagates && dir != 2) {
				ref_add(f, s, t, ed[i].type);
				ref_add(f, t, s, ed[i].type);
			}
		} else if (dir == 0) {
			ref_add(f, t, s, ed[i].type);
		} else {
			ref_add(f, s, t, ed[i].type);
		}
	}
}

static void ref_free(struct ref *f)
{
	for (size_t i = 0; i < f->n; i++)
		free(f->adj[i]);
	free(f->adj);
	free(f->len);
	free(f->cap);
}

static void ref_dfs(const struct ref *f, uint32_t u, bool *seen)
{
	for (size_t i = 0; i < f->len[u]; i++) {
		uint32_t v = f->adj[u][i].to;

		if (!seen[v]) {
			seen[v] = true;
			ref_dfs(f, v, seen);
		}
	}
}

/* Whether the reference walks from a to b through an edge of type t. */
static bool has_step(const struct ref *f, uint32_t a, uint32_t b, enum cigraph_rel t)
{
	for (size_t i = 0; i < f->len[a]; i++)
		if (f->adj[a][i].to == b && f->adj[a][i].type == t)
			return true;
	return false;
}

static void check_query(const struct cigraph *g, const struct ref *f, int dir, uint32_t origin,
			struct cigraph_result *r, bool *seen)
{
	struct err e = { 0 };
	uint32_t path[512];
	enum cigraph_rel rl[512];
	size_t n = f->n, want = 0;

	memset(seen, 0, n * sizeof(*seen));
	ref_dfs(f, origin, seen);
	bool cyclic = seen[origin];
	seen[origin] = false;

	if (dir == 0)
		assert_int_equal(cigraph_impact(g, origin, r, &e), 0);
	else
		assert_int_equal(cigraph_dependencies(g, origin, r, &e), 0);
	assert_int_equal(r->cyclic, cyclic);

	/* same set */
	for (size_t v = 0; v < n; v++) {
		want += seen[v];
		assert_int_equal(cigraph_result_distance(r, (uint32_t)v) >= 0,
				 seen[v] || v == origin);
	}
	assert_int_equal(r->count, want);

	for (uint32_t i = 0; i < r->count; i++) {
		uint32_t v = r->nodes[i];
		int d = cigraph_result_distance(r, v);
		int len;

		assert_true(seen[v]);
		/* order: by distance, then index, each node once */
		if (i > 0) {
			int pd = cigraph_result_distance(r, r->nodes[i - 1]);

			assert_true(pd < d || (pd == d && r->nodes[i - 1] < v));
		}
		/* the path is made of real edges and is as long as the distance */
		len = cigraph_path(r, v, path, rl, LEN(path));
		assert_int_equal(len, d + 1);
		assert_int_equal(path[0], origin);
		assert_int_equal(path[len - 1], v);
		for (int k = 0; k + 1 < len; k++) {
			assert_true(has_step(f, path[k], path[k + 1], rl[k]));
			assert_int_equal(cigraph_result_distance(r, path[k]), k);
		}
	}
	/* no edge shortcuts a distance: BFS distances are minimal */
	for (size_t v = 0; v < n; v++) {
		int dv = cigraph_result_distance(r, (uint32_t)v);

		if (dv < 0)
			continue;
		for (size_t i = 0; i < f->len[v]; i++)
			assert_true(cigraph_result_distance(r, f->adj[v][i].to) <= dv + 1);
	}
}

static void random_edges(struct cigraph_edge *ed, size_t m, uint32_t n)
{
	for (size_t i = 0; i < m; i++) {
		ed[i].source = rng(n);
		ed[i].target = rng(n);
		ed[i].type = (enum cigraph_rel)rng(CIGRAPH_REL_COUNT);
		ed[i].propagates = rng(2);
	}
}

static void test_random_vs_reference(void **state)
{
	struct cigraph_result r = CIGRAPH_RESULT_INIT;

	rng_state = 0x9e3779b97f4a7c15ull;
	for (int round = 0; round < 40; round++) {
		uint32_t n = 20 + rng(280);
		size_t m = rng(4 * n); /* from sparse to dense: many cycles */
		struct cigraph_edge *ed = calloc(m + 1, sizeof(*ed));
		bool *seen = calloc(n, sizeof(*seen));
		struct cigraph *g = NULL;
		struct ref imp, dep, dir;
		struct err e = { 0 };

		assert_true(ed && seen);
		random_edges(ed, m, n);
		assert_int_equal(cigraph_build(&g, n, ed, m, &e), 0);
		ref_build(&imp, n, ed, m, 0);
		ref_build(&dep, n, ed, m, 1);
		ref_build(&dir, n, ed, m, 2);

		for (uint32_t v = 0; v < n; v++) {
			check_query(g, &imp, 0, v, &r, seen);
			check_query(g, &dep, 1, v, &r, seen);
		}
		for (int k = 0; k < 200; k++) {
			uint32_t s = rng(n), t = rng(n);

			memset(seen, 0, n * sizeof(*seen));
			seen[t] = true;
			ref_dfs(&dir, t, seen);
			assert_int_equal(cigraph_would_cycle(g, s, t, &e), seen[s] ? 1 : 0);
		}
		ref_free(&imp);
		ref_free(&dep);
		ref_free(&dir);
		cigraph_free(g);
		free(seen);
		free(ed);
	}
	cigraph_result_release(&r);
}

/* The answer does not depend on the order of the input edges. */
static void test_input_order(void **state)
{
	enum { N = 200, M = 600 };
	struct cigraph_edge *ed = calloc(M, sizeof(*ed));
	struct cigraph *g1 = NULL, *g2 = NULL;
	struct cigraph_result r1 = CIGRAPH_RESULT_INIT, r2 = CIGRAPH_RESULT_INIT;
	struct err e = { 0 };

	assert_non_null(ed);
	rng_state = 42;
	random_edges(ed, M, N);
	assert_int_equal(cigraph_build(&g1, N, ed, M, &e), 0);
	for (size_t i = M - 1; i > 0; i--) {
		size_t j = rng((uint32_t)i + 1);
		struct cigraph_edge t = ed[i];

		ed[i] = ed[j];
		ed[j] = t;
	}
	assert_int_equal(cigraph_build(&g2, N, ed, M, &e), 0);

	for (uint32_t v = 0; v < N; v++) {
		assert_int_equal(cigraph_impact(g1, v, &r1, &e), 0);
		assert_int_equal(cigraph_impact(g2, v, &r2, &e), 0);
		assert_int_equal(r1.count, r2.count);
		for (uint32_t i = 0; i < r1.count; i++) {
			uint32_t p1[N], p2[N];
			enum cigraph_rel t1[N], t2[N];
			int l1, l2;

			assert_int_equal(r1.nodes[i], r2.nodes[i]);
			l1 = cigraph_path(&r1, r1.nodes[i], p1, t1, N);
			l2 = cigraph_path(&r2, r2.nodes[i], p2, t2, N);
			assert_int_equal(l1, l2);
			assert_memory_equal(p1, p2, (size_t)l1 * sizeof(p1[0]));
			assert_memory_equal(t1, t2, (size_t)(l1 - 1) * sizeof(t1[0]));
		}
	}
	cigraph_result_release(&r1);
	cigraph_result_release(&r2);
	cigraph_free(g1);
	cigraph_free(g2);
	free(ed);
}

/* Layers large enough for the radix sort, discovered out of order. */
static void test_wide_layer(void **state)
{
	enum { N = 70000 };
	struct cigraph_edge *ed = calloc(N, sizeof(*ed));
	struct cigraph *g = NULL;
	struct cigraph_result r = CIGRAPH_RESULT_INIT;
	struct err e = { 0 };
	size_t m = 0;

	assert_non_null(ed);
	/* 1 and 2 run on 0; even v >= 4 is part_of 1, odd v >= 3 part_of 2:
	 * expanding [1, 2] finds 4, 6, … before 3, 5, … */
	ed[m++] = (struct cigraph_edge){ 1, 0, CIGRAPH_RUNS_ON, false };
	ed[m++] = (struct cigraph_edge){ 2, 0, CIGRAPH_RUNS_ON, false };
	for (uint32_t v = N - 1; v >= 3; v--)
		ed[m++] = (struct cigraph_edge){ v, v % 2 ? 2 : 1, CIGRAPH_PART_OF, false };
	ed[m++] = (struct cigraph_edge){ 0, 5, CIGRAPH_BACKS_UP, false };
	assert_int_equal(cigraph_build(&g, N, ed, m, &e), 0);
	assert_int_equal(cigraph_impact(g, 0, &r, &e), 0);
	assert_int_equal(r.count, N - 1);
	assert_true(r.cyclic);
	for (uint32_t i = 0; i < r.count; i++) {
		assert_int_equal(r.nodes[i], i + 1);
		assert_int_equal(cigraph_result_distance(&r, i + 1), i < 2 ? 1 : 2);
	}
	{
		const uint32_t p[] = { 0, 2, 69999 };
		const enum cigraph_rel pr[] = { CIGRAPH_RUNS_ON, CIGRAPH_PART_OF };

		expect_path(&r, 69999, p, pr, LEN(p));
	}
	cigraph_result_release(&r);
	cigraph_free(g);
	free(ed);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rel_names),
		cmocka_unit_test(test_small_impact),
		cmocka_unit_test(test_small_propagating),
		cmocka_unit_test(test_small_dependencies),
		cmocka_unit_test(test_small_would_cycle),
		cmocka_unit_test(test_cycle),
		cmocka_unit_test(test_self_loop),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_result_reuse),
		cmocka_unit_test(test_random_vs_reference),
		cmocka_unit_test(test_input_order),
		cmocka_unit_test(test_wide_layer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
