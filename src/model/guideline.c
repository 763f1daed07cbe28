/*
 * model/guideline.c — releasing the guideline records the store hands out.
 */
#include "model/guideline.h"

#include <stdlib.h>

void guideline_rec_release(struct guideline_rec *g)
{
	if (!g)
		return;
	free(g->draft);
	free(g->body);
	g->draft = g->body = NULL;
}

void guideline_free_recs(struct guideline_rec *g, size_t n)
{
	for (size_t i = 0; i < n; i++)
		guideline_rec_release(&g[i]);
	free(g);
}
