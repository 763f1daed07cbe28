/*
 * fuzz/problem_title.c — libFuzzer target: the similarity of incident
 * titles (problem_title_similarity) on arbitrary bytes, split at the first
 * NUL into two titles (no NUL: the input against itself). Beyond memory
 * safety it checks what recurring-incident detection relies on: the index
 * lies in [0, 1], is symmetric, and a title with any token is fully similar
 * to itself (one without tokens is 0 against anything).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domain/problem/problem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *a = malloc(size + 1), *b;
	double ab, ba, aa;

	if (!a)
		return 0;
	memcpy(a, data, size);
	a[size] = '\0';
	b = strlen(a) < size ? a + strlen(a) + 1 : a;
	ab = problem_title_similarity(a, b);
	ba = problem_title_similarity(b, a);
	aa = problem_title_similarity(a, a);
	if (ab < 0 || ab > 1 || ab != ba)
		abort();
	if (aa != 0 && aa != 1)
		abort();
	if (aa == 0 && ab != 0)
		abort(); /* a has no token: nothing can share one with it */
	free(a);
	return 0;
}
