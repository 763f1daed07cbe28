/*
 * model/change.c — releasing the change records the store hands out.
 */
#include "model/change.h"

#include <stdlib.h>

void change_rec_release(struct change_rec *c)
{
	if (!c)
		return;
	free(c->body);
	c->body = NULL;
}

void change_free_recs(struct change_rec *c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		change_rec_release(&c[i]);
	free(c);
}
