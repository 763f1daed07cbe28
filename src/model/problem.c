/*
 * model/problem.c — freeing the problem module's records.
 */
#include "model/problem.h"

#include <stdlib.h>

void problem_release(struct problem *p)
{
	free(p->title);
	free(p->description);
	free(p->root_cause);
	free(p->workaround);
	p->title = p->description = p->root_cause = p->workaround = NULL;
}

void problem_free_array(struct problem *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		problem_release(&p[i]);
	free(p);
}
