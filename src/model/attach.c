/*
 * model/attach.c — the names of link kinds, and freeing attachments.
 */
#include "model/attach.h"

#include <stdlib.h>
#include <string.h>

static const char *const kind_names[LINK__COUNT] = { "parent", "duplicate_of", "related" };

const char *link_kind_name(enum link_kind k)
{
	return (unsigned)k < LINK__COUNT ? kind_names[k] : "unknown";
}

int link_kind_parse(const char *s, enum link_kind *k)
{
	for (int i = 0; i < LINK__COUNT; i++)
		if (s && !strcmp(s, kind_names[i])) {
			*k = (enum link_kind)i;
			return 0;
		}
	return -1;
}

void attachment_release(struct attachment *a)
{
	free(a->data);
	a->data = NULL;
	a->data_len = 0;
}

void attach_free(struct attachment *a, size_t n)
{
	for (size_t i = 0; a && i < n; i++)
		attachment_release(&a[i]);
	free(a);
}
