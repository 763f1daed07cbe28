/*
 * cigraph.c — the CMDB relationship graph as two compressed sparse rows, and
 * breadth-first impact analysis over it.
 *
 * The graph keeps, for each direction, an offset array of n+1 entries and an
 * entry array of m words. A word packs a neighbour index (low 29 bits) and a
 * relationship type (high 3 bits):
 *   out_adj[out_off[v] .. out_off[v+1])  what v depends on   (v → target)
 *   in_adj[in_off[v] .. in_off[v+1])     what depends on v   (source → v)
 * A propagating connected_to a—b is stored as both a → b and b → a; one that
 * does not propagate is dropped. So impact walks in_adj, dependencies walk
 * out_adj, and neither needs to know about symmetry.
 *
 * Invariants:
 *  - Each row is sorted by (neighbour, type). Build gets there with three
 *    stable counting sorts (by source, by target, by source again) over
 *    entries generated in type order, so build is O(n + m) and the layout
 *    does not depend on the order of the input edges.
 *  - The graph is one allocation and never changes after build.
 *  - A query's state lives in struct cigraph_result: stamp[v] == epoch marks
 *    v as reached, so starting a query costs nothing per node; the stamps
 *    are cleared only when the epoch wraps.
 *  - BFS expands each layer in ascending node order (layers are sorted as
 *    they complete), so the parent of a node is the lowest-indexed node of
 *    the previous layer linked to it, through the lowest type.
 */
#include "domain/cmdb/cigraph.h"

#include "lib/err.h"

#include <stdlib.h>
#include <string.h>

#define NODE_BITS 29
#define NODE_MASK (CIGRAPH_MAX_NODES - 1)
#define PACK(node, rel) ((uint32_t)(node) | ((uint32_t)(rel) << NODE_BITS))
#define NODE_OF(w) ((w) & NODE_MASK)
#define REL_OF(w) ((w) >> NODE_BITS)
#define NO_PARENT UINT32_MAX

/* Below this many nodes a finished BFS layer is insertion-sorted. */
#define SMALL_SORT 48

struct cigraph {
	uint32_t n;
	uint32_t m;        /* entries per direction */
	uint32_t *out_off; /* n+1 */
	uint32_t *in_off;  /* n+1 */
	uint32_t *out_adj; /* m: target | type << 29 */
	uint32_t *in_adj;  /* m: source | type << 29 */
	size_t bytes;
};

static const struct {
	const char *name;
	bool symmetric; /* carries impact both ways, and only when flagged */
} rels[CIGRAPH_REL_COUNT] = {
	[CIGRAPH_RUNS_ON] = { "runs_on", false },
	[CIGRAPH_DEPENDS_ON] = { "depends_on", false },
	[CIGRAPH_CONNECTED_TO] = { "connected_to", true },
	[CIGRAPH_PART_OF] = { "part_of", false },
	[CIGRAPH_BACKS_UP] = { "backs_up", false },
};

const char *cigraph_rel_name(enum cigraph_rel rel)
{
	if ((unsigned)rel >= CIGRAPH_REL_COUNT)
		return "?";
	return rels[rel].name;
}

int cigraph_rel_parse(const char *name, enum cigraph_rel *out, struct err *e)
{
	for (int i = 0; i < CIGRAPH_REL_COUNT; i++)
		if (name && !strcmp(name, rels[i].name)) {
			*out = (enum cigraph_rel)i;
			return 0;
		}
	return err_set(e, ERR_INVALID, "type", "unknown relationship type '%s'",
		       name ? name : "");
}

/* Traversal entries one input edge becomes (in each direction). */
static unsigned cigraph_entries(const struct cigraph_edge *ed)
{
	if (!rels[ed->type].symmetric)
		return 1;
	return ed->propagates ? 2 : 0;
}

static int cigraph_check(size_t n_nodes, const struct cigraph_edge *edges, size_t n_edges,
			 size_t *m_out, struct err *e)
{
	size_t m = 0;

	if (n_nodes >= CIGRAPH_MAX_NODES)
		return err_set(e, ERR_TOO_LARGE, "nodes", "too many items '%zu'", n_nodes);
	if (n_edges && !edges)
		return err_set(e, ERR_INVALID, "edges", "no edge array for '%zu' edges", n_edges);
	for (size_t i = 0; i < n_edges; i++) {
		const struct cigraph_edge *ed = &edges[i];

		if ((unsigned)ed->type >= CIGRAPH_REL_COUNT)
			return err_set(e, ERR_INVALID, "edges",
				       "unknown relationship type '%u' in edge %zu",
				       (unsigned)ed->type, i);
		if (ed->source >= n_nodes)
			return err_set(e, ERR_INVALID, "edges",
				       "source '%u' out of range in edge %zu", ed->source, i);
		if (ed->target >= n_nodes)
			return err_set(e, ERR_INVALID, "edges",
				       "target '%u' out of range in edge %zu", ed->target, i);
		m += cigraph_entries(ed);
	}
	if (m >= UINT32_MAX)
		return err_set(e, ERR_TOO_LARGE, "edges", "too many relationships '%zu'", n_edges);
	*m_out = m;
	return 0;
}

/* Allocate the graph as one block: header, then the four arrays. */
static struct cigraph *cigraph_alloc(uint32_t n, uint32_t m)
{
	size_t words = 2 * ((size_t)n + 1) + 2 * (size_t)m;
	size_t bytes = sizeof(struct cigraph) + words * sizeof(uint32_t);
	struct cigraph *g = calloc(1, bytes);

	if (!g)
		return NULL;
	g->n = n;
	g->m = m;
	g->bytes = bytes;
	g->out_off = (uint32_t *)(g + 1);
	g->in_off = g->out_off + n + 1;
	g->out_adj = g->in_off + n + 1;
	g->in_adj = g->out_adj + m;
	return g;
}

int cigraph_build(struct cigraph **gp, size_t n_nodes, const struct cigraph_edge *edges,
		  size_t n_edges, struct err *e)
{
	struct cigraph *g = NULL;
	uint32_t *src = NULL, *dst = NULL, *perm_a = NULL, *perm_b = NULL, *cur = NULL;
	size_t msz = 0;
	uint32_t n, m, k = 0;
	int ret;

	*gp = NULL;
	ret = cigraph_check(n_nodes, edges, n_edges, &msz, e);
	if (ret)
		return ret;
	n = (uint32_t)n_nodes;
	m = (uint32_t)msz;

	g = cigraph_alloc(n, m);
	src = malloc(((size_t)m + 1) * sizeof(*src));
	dst = malloc(((size_t)m + 1) * sizeof(*dst));
	perm_a = malloc(((size_t)m + 1) * sizeof(*perm_a));
	perm_b = malloc(((size_t)m + 1) * sizeof(*perm_b));
	cur = malloc(((size_t)n + 1) * sizeof(*cur));
	if (!g || !src || !dst || !perm_a || !perm_b || !cur) {
		ret = err_set(e, ERR_INTERNAL, "", "out of memory building a graph of '%u' items",
			      n);
		goto out;
	}

	/* Entries in type order: the least significant sort key. dst holds the
	 * packed (target, type); src the plain source. */
	for (int t = 0; t < CIGRAPH_REL_COUNT; t++)
		for (size_t i = 0; i < n_edges; i++) {
			const struct cigraph_edge *ed = &edges[i];

			if ((int)ed->type != t || !cigraph_entries(ed))
				continue;
			src[k] = ed->source;
			dst[k++] = PACK(ed->target, t);
			if (rels[t].symmetric) {
				src[k] = ed->target;
				dst[k++] = PACK(ed->source, t);
			}
		}

	for (uint32_t v = 0; v < m; v++) {
		g->out_off[src[v] + 1]++;
		g->in_off[NODE_OF(dst[v]) + 1]++;
	}
	for (uint32_t i = 0; i < n; i++) {
		g->out_off[i + 1] += g->out_off[i];
		g->in_off[i + 1] += g->in_off[i];
	}

	/* By source: (source, type). */
	memcpy(cur, g->out_off, (size_t)n * sizeof(*cur));
	for (uint32_t v = 0; v < m; v++)
		perm_a[cur[src[v]]++] = v;

	/* By target: (target, source, type) — the in rows. */
	memcpy(cur, g->in_off, (size_t)n * sizeof(*cur));
	for (uint32_t i = 0; i < m; i++) {
		uint32_t v = perm_a[i];
		uint32_t pos = cur[NODE_OF(dst[v])]++;

		perm_b[pos] = v;
		g->in_adj[pos] = PACK(src[v], REL_OF(dst[v]));
	}

	/* By source again: (source, target, type) — the out rows. */
	memcpy(cur, g->out_off, (size_t)n * sizeof(*cur));
	for (uint32_t i = 0; i < m; i++) {
		uint32_t v = perm_b[i];

		g->out_adj[cur[src[v]]++] = dst[v];
	}

	*gp = g;
	g = NULL;
out:
	free(cur);
	free(perm_b);
	free(perm_a);
	free(dst);
	free(src);
	free(g);
	return ret;
}

void cigraph_free(struct cigraph *g)
{
	free(g);
}

size_t cigraph_node_count(const struct cigraph *g)
{
	return g ? g->n : 0;
}

size_t cigraph_edge_count(const struct cigraph *g)
{
	return g ? g->m : 0;
}

size_t cigraph_memory(const struct cigraph *g)
{
	return g ? g->bytes : 0;
}

void cigraph_result_init(struct cigraph_result *r)
{
	memset(r, 0, sizeof(*r));
}

void cigraph_result_release(struct cigraph_result *r)
{
	free(r->nodes);
	free(r->stamp);
	free(r->dist);
	free(r->parent);
	free(r->tmp);
	free(r->via);
	cigraph_result_init(r);
}

size_t cigraph_result_memory(const struct cigraph_result *r)
{
	return (size_t)r->cap * (5 * sizeof(uint32_t) + sizeof(uint8_t));
}

/* Make r's per-node arrays hold n nodes; a new set starts with clear stamps. */
static int cigraph_result_reserve(struct cigraph_result *r, uint32_t n, struct err *e)
{
	size_t c = n ? n : 1;

	if (r->stamp && r->cap >= n)
		return 0;
	cigraph_result_release(r);
	r->nodes = malloc(c * sizeof(*r->nodes));
	r->stamp = calloc(c, sizeof(*r->stamp));
	r->dist = malloc(c * sizeof(*r->dist));
	r->parent = malloc(c * sizeof(*r->parent));
	r->tmp = malloc(c * sizeof(*r->tmp));
	r->via = malloc(c * sizeof(*r->via));
	if (!r->nodes || !r->stamp || !r->dist || !r->parent || !r->tmp || !r->via) {
		cigraph_result_release(r);
		return err_set(e, ERR_INTERNAL, "", "out of memory for a query over '%u' items", n);
	}
	r->cap = (uint32_t)c;
	return 0;
}

/* Sort a[0..k) of node indexes below n; tmp holds k entries. LSD radix on
 * bytes, skipping bytes every entry shares. */
static void cigraph_sort(uint32_t *a, uint32_t k, uint32_t *tmp, uint32_t n)
{
	uint32_t *from = a, *to = tmp;

	if (k < 2)
		return;
	if (k <= SMALL_SORT) {
		for (uint32_t i = 1; i < k; i++) {
			uint32_t x = a[i], j = i;

			for (; j > 0 && a[j - 1] > x; j--)
				a[j] = a[j - 1];
			a[j] = x;
		}
		return;
	}
	for (unsigned shift = 0; shift < 32 && (n - 1) >> shift; shift += 8) {
		uint32_t cnt[256] = { 0 };
		uint32_t sum = 0, *swap;

		for (uint32_t i = 0; i < k; i++)
			cnt[(from[i] >> shift) & 0xff]++;
		if (cnt[(from[0] >> shift) & 0xff] == k)
			continue;
		for (unsigned d = 0; d < 256; d++) {
			uint32_t c = cnt[d];

			cnt[d] = sum;
			sum += c;
		}
		for (uint32_t i = 0; i < k; i++)
			to[cnt[(from[i] >> shift) & 0xff]++] = from[i];
		swap = from;
		from = to;
		to = swap;
	}
	if (from != a)
		memcpy(a, from, (size_t)k * sizeof(*a));
}

/* Append to r->nodes every neighbour of u not reached yet, at distance d. */
static uint32_t cigraph_expand(const uint32_t *off, const uint32_t *adj, uint32_t u, uint32_t d,
			       struct cigraph_result *r, uint32_t tail)
{
	uint32_t epoch = r->epoch;

	for (uint32_t i = off[u]; i < off[u + 1]; i++) {
		uint32_t v = NODE_OF(adj[i]);

		if (r->stamp[v] == epoch) {
			if (v == r->origin)
				r->cyclic = true;
			continue;
		}
		r->stamp[v] = epoch;
		r->dist[v] = d;
		r->parent[v] = u;
		r->via[v] = (uint8_t)REL_OF(adj[i]);
		r->nodes[tail++] = v;
	}
	return tail;
}

/* Breadth-first from node over the rows (off, adj), filling r. */
static int cigraph_walk(const struct cigraph *g, const uint32_t *off, const uint32_t *adj,
			uint32_t node, struct cigraph_result *r, struct err *e)
{
	uint32_t lo, hi, tail, d;
	int ret;

	r->count = 0;
	r->cyclic = false;
	if (!g)
		return err_set(e, ERR_INVALID, "graph", "no graph");
	if (node >= g->n)
		return err_set(e, ERR_INVALID, "node", "item '%u' out of range", node);
	ret = cigraph_result_reserve(r, g->n, e);
	if (ret)
		return ret;

	if (++r->epoch == 0) {
		memset(r->stamp, 0, (size_t)r->cap * sizeof(*r->stamp));
		r->epoch = 1;
	}
	r->origin = node;
	r->stamp[node] = r->epoch;
	r->dist[node] = 0;
	r->parent[node] = NO_PARENT;
	r->via[node] = 0;

	/* Layer d is nodes[lo..hi); expanding it, in ascending order, appends
	 * layer d+1 at nodes[hi..tail). */
	tail = cigraph_expand(off, adj, node, 1, r, 0);
	lo = 0;
	hi = tail;
	for (d = 1; lo < hi; d++) {
		cigraph_sort(r->nodes + lo, hi - lo, r->tmp, g->n);
		for (uint32_t k = lo; k < hi; k++)
			tail = cigraph_expand(off, adj, r->nodes[k], d + 1, r, tail);
		lo = hi;
		hi = tail;
	}
	r->count = tail;
	return 0;
}

int cigraph_impact(const struct cigraph *g, uint32_t node, struct cigraph_result *r,
		   struct err *e)
{
	return cigraph_walk(g, g ? g->in_off : NULL, g ? g->in_adj : NULL, node, r, e);
}

int cigraph_dependencies(const struct cigraph *g, uint32_t node, struct cigraph_result *r,
			 struct err *e)
{
	return cigraph_walk(g, g ? g->out_off : NULL, g ? g->out_adj : NULL, node, r, e);
}

static bool cigraph_reached(const struct cigraph_result *r, uint32_t node)
{
	return r->epoch && node < r->cap && r->stamp[node] == r->epoch;
}

int cigraph_result_distance(const struct cigraph_result *r, uint32_t node)
{
	if (!cigraph_reached(r, node))
		return ERR_NOT_FOUND;
	return (int)r->dist[node];
}

int cigraph_path(const struct cigraph_result *r, uint32_t node, uint32_t *nodes,
		 enum cigraph_rel *rels_out, size_t max)
{
	size_t len;

	if (!cigraph_reached(r, node))
		return ERR_NOT_FOUND;
	len = (size_t)r->dist[node] + 1;
	if (len > max)
		return ERR_TOO_LARGE;
	for (size_t i = len; i-- > 0; node = r->parent[node]) {
		nodes[i] = node;
		if (i > 0 && rels_out)
			rels_out[i - 1] = (enum cigraph_rel)r->via[node];
	}
	return (int)len;
}

int cigraph_would_cycle(const struct cigraph *g, uint32_t source, uint32_t target,
			struct err *e)
{
	uint64_t *seen = NULL;
	uint32_t *stack = NULL, top = 0;
	int ret;

	if (!g)
		return err_set(e, ERR_INVALID, "graph", "no graph");
	if (source >= g->n)
		return err_set(e, ERR_INVALID, "source", "item '%u' out of range", source);
	if (target >= g->n)
		return err_set(e, ERR_INVALID, "target", "item '%u' out of range", target);
	if (source == target)
		return 1;

	seen = calloc(((size_t)g->n + 63) / 64, sizeof(*seen));
	stack = malloc((size_t)g->n * sizeof(*stack));
	if (!seen || !stack) {
		ret = err_set(e, ERR_INTERNAL, "", "out of memory checking for a cycle");
		goto out;
	}

	/* Depth-first from target along what it depends on, looking for source;
	 * a node is marked when pushed, so each is pushed once. */
	ret = 0;
	seen[target / 64] |= (uint64_t)1 << (target % 64);
	stack[top++] = target;
	while (top && !ret) {
		uint32_t u = stack[--top];

		for (uint32_t i = g->out_off[u]; i < g->out_off[u + 1]; i++) {
			uint32_t v = NODE_OF(g->out_adj[i]);

			if (rels[REL_OF(g->out_adj[i])].symmetric)
				continue;
			if (v == source) {
				ret = 1;
				break;
			}
			if (seen[v / 64] & ((uint64_t)1 << (v % 64)))
				continue;
			seen[v / 64] |= (uint64_t)1 << (v % 64);
			stack[top++] = v;
		}
	}
out:
	free(stack);
	free(seen);
	return ret;
}
