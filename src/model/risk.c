/*
 * model/risk.c — releasing the risk records the store hands out.
 */
#include "model/risk.h"

#include <stdlib.h>

void risk_rec_release(struct risk_rec *r)
{
	if (!r)
		return;
	free(r->body);
	r->body = NULL;
}

void risk_free_recs(struct risk_rec *r, size_t n)
{
	for (size_t i = 0; i < n; i++)
		risk_rec_release(&r[i]);
	free(r);
}
