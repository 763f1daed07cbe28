/*
 * model/knowledge.c — freeing the knowledge module's records.
 */
#include "model/knowledge.h"

#include <stdlib.h>

void article_release(struct article *a)
{
	free(a->title);
	free(a->body);
	a->title = a->body = NULL;
}

void article_free_array(struct article *a, size_t n)
{
	for (size_t i = 0; i < n; i++)
		article_release(&a[i]);
	free(a);
}
