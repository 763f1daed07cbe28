/*
 * interval.c — interval sets: sort + merge, intersection, difference,
 * measure, by linear merges of normalized sets.
 *
 * Invariants: see interval.h. Touching intervals are merged by
 * normalization, so "[10:00, 10:30) and [10:30, 11:00)" is one interval: for
 * outages this means back-to-back records are one outage.
 */
#include "domain/sla/interval.h"
#include "lib/err.h"

#include <stdlib.h>

void interval_set_init(struct interval_set *s)
{
	s->v = NULL;
	s->len = 0;
	s->alloc = 0;
}

void interval_set_release(struct interval_set *s)
{
	free(s->v);
	interval_set_init(s);
}

void interval_set_reset(struct interval_set *s)
{
	s->len = 0;
}

int interval_set_add(struct interval_set *s, int64_t start, int64_t end)
{
	if (end <= start)
		return 0;
	if (s->len == s->alloc) {
		size_t na = s->alloc ? s->alloc * 2 : 16;
		struct interval *nv;

		if (na > SIZE_MAX / sizeof(*nv))
			return ERR_INTERNAL;
		nv = realloc(s->v, na * sizeof(*nv));
		if (!nv)
			return ERR_INTERNAL;
		s->v = nv;
		s->alloc = na;
	}
	s->v[s->len++] = (struct interval){ start, end };
	return 0;
}

static int cmp_start(const void *pa, const void *pb)
{
	const struct interval *a = pa, *b = pb;

	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	return a->end < b->end ? -1 : a->end > b->end;
}

void interval_set_normalize(struct interval_set *s)
{
	size_t w = 0;

	if (s->len < 2)
		return;
	qsort(s->v, s->len, sizeof(*s->v), cmp_start);
	for (size_t r = 1; r < s->len; r++) {
		if (s->v[r].start <= s->v[w].end) {
			if (s->v[r].end > s->v[w].end)
				s->v[w].end = s->v[r].end;
		} else {
			s->v[++w] = s->v[r];
		}
	}
	s->len = w + 1;
}

int interval_set_intersect(const struct interval_set *a, const struct interval_set *b,
			   struct interval_set *out)
{
	size_t i = 0, j = 0;
	int ret;

	interval_set_reset(out);
	while (i < a->len && j < b->len) {
		int64_t lo = a->v[i].start > b->v[j].start ? a->v[i].start : b->v[j].start;
		int64_t hi = a->v[i].end < b->v[j].end ? a->v[i].end : b->v[j].end;

		if (lo < hi && (ret = interval_set_add(out, lo, hi)))
			return ret;
		if (a->v[i].end < b->v[j].end)
			i++;
		else
			j++;
	}
	return 0;
}

int interval_set_subtract(const struct interval_set *a, const struct interval_set *b,
			  struct interval_set *out)
{
	size_t j = 0;
	int ret;

	interval_set_reset(out);
	for (size_t i = 0; i < a->len; i++) {
		int64_t cur = a->v[i].start, end = a->v[i].end;

		while (j < b->len && b->v[j].end <= cur)
			j++;
		for (size_t k = j; k < b->len && b->v[k].start < end; k++) {
			if (b->v[k].start > cur && (ret = interval_set_add(out, cur, b->v[k].start)))
				return ret;
			if (b->v[k].end > cur)
				cur = b->v[k].end;
			if (cur >= end)
				break;
		}
		if (cur < end && (ret = interval_set_add(out, cur, end)))
			return ret;
	}
	return 0;
}

int64_t interval_set_measure(const struct interval_set *s)
{
	int64_t m = 0;

	for (size_t i = 0; i < s->len; i++)
		m += s->v[i].end - s->v[i].start;
	return m;
}

size_t interval_set_count_meeting(const struct interval_set *a, const struct interval_set *b)
{
	size_t n = 0, j = 0;

	for (size_t i = 0; i < a->len; i++) {
		while (j < b->len && b->v[j].end <= a->v[i].start)
			j++;
		if (j < b->len && b->v[j].start < a->v[i].end)
			n++;
	}
	return n;
}
