/*
 * model/operation.c — freeing the records of operation by procedure.
 */
#include "model/operation.h"

#include <stdlib.h>

void op_proc_version_release(struct op_proc_version *v)
{
	free(v->steps);
	v->steps = NULL;
}

void op_run_release(struct op_run *r)
{
	free(r->reason);
	r->reason = NULL;
}

void op_step_release(struct op_step *s)
{
	free(s->result);
	free(s->deviation);
	s->result = s->deviation = NULL;
}

void op_free_versions(struct op_proc_version *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		op_proc_version_release(&v[i]);
	free(v);
}

void op_free_runs(struct op_run *r, size_t n)
{
	for (size_t i = 0; i < n; i++)
		op_run_release(&r[i]);
	free(r);
}

void op_free_steps(struct op_step *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		op_step_release(&s[i]);
	free(s);
}
