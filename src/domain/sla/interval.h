/*
 * interval.h — sets of half-open intervals [start, end) of instants.
 *
 * Invariants: every stored interval has start < end (empty ones are never
 * added). A set is *normalized* after interval_set_normalize() or when it was
 * produced by interval_set_intersect()/interval_set_subtract(): sorted by
 * start, and any two intervals are disjoint and do not touch
 * (v[i].end < v[i + 1].start). The set operations and the measure take
 * normalized sets.
 *
 * Lifecycle: interval_set_init(s) (or INTERVAL_SET_INIT) → adds →
 * interval_set_release(s), which frees s->v.
 */
#ifndef ITSM_INTERVAL_H
#define ITSM_INTERVAL_H

#include <stddef.h>
#include <stdint.h>

struct interval {
	int64_t start;
	int64_t end;
};

struct interval_set {
	struct interval *v; /* heap, owned by the set */
	size_t len;
	size_t alloc;
};

#define INTERVAL_SET_INIT { NULL, 0, 0 }

void interval_set_init(struct interval_set *s);
/* Frees the intervals; the set is empty and reusable afterwards. */
void interval_set_release(struct interval_set *s);
/* Empties the set, keeping its memory. */
void interval_set_reset(struct interval_set *s);

/* Append [start, end); nothing happens when end <= start. The set is no
 * longer normalized. Returns 0 or ERR_INTERNAL (out of memory). */
int interval_set_add(struct interval_set *s, int64_t start, int64_t end);

/* Sort and merge overlapping and touching intervals, in place. */
void interval_set_normalize(struct interval_set *s);

/* out = a ∩ b and out = a \ b, for normalized a and b; out is reset first,
 * must not be a or b, and comes out normalized. 0 or ERR_INTERNAL. */
int interval_set_intersect(const struct interval_set *a, const struct interval_set *b,
			   struct interval_set *out);
int interval_set_subtract(const struct interval_set *a, const struct interval_set *b,
			  struct interval_set *out);

/* Total length of a normalized set. */
int64_t interval_set_measure(const struct interval_set *s);

/* How many intervals of normalized a meet normalized b in a set of positive
 * length. */
size_t interval_set_count_meeting(const struct interval_set *a, const struct interval_set *b);

#endif
