/*
 * model/skills.c — freeing the skill module's records.
 */
#include "model/skills.h"

#include <stdlib.h>

void staff_release(struct staff *s)
{
	free(s->profile);
	s->profile = NULL;
}

void staff_career_release(struct staff_career *c)
{
	free(c->body);
	c->body = NULL;
}

void staff_assessment_release(struct staff_assessment *a)
{
	free(a->profile);
	free(a->result);
	free(a->levels);
	free(a->note);
	a->profile = a->result = a->levels = a->note = NULL;
}

void staff_free_careers(struct staff_career *c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		staff_career_release(&c[i]);
	free(c);
}

void staff_free_assessments(struct staff_assessment *a, size_t n)
{
	for (size_t i = 0; i < n; i++)
		staff_assessment_release(&a[i]);
	free(a);
}
