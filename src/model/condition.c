/*
 * model/condition.c — releasing the records of model/condition.h.
 */
#include "model/condition.h"

#include <stdlib.h>

void cond_report_release(struct cond_report *r)
{
	free(r->remarks);
	free(r->figures);
	r->remarks = r->figures = NULL;
}

void cond_free_reports(struct cond_report *r, size_t n)
{
	for (size_t i = 0; i < n; i++)
		cond_report_release(&r[i]);
	free(r);
}
