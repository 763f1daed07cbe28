/*
 * model/acceptance.c — releasing the acceptance records the store hands out.
 */
#include "model/acceptance.h"

#include <stdlib.h>

void acc_rec_release(struct acc_rec *r)
{
	if (!r)
		return;
	free(r->body);
	r->body = NULL;
}

void acc_free_recs(struct acc_rec *r, size_t n)
{
	for (size_t i = 0; i < n; i++)
		acc_rec_release(&r[i]);
	free(r);
}
