/*
 * store.c — choosing a backend by the URI and closing it.
 */
#include "store/store.h"

#include <stdlib.h>
#include <string.h>

struct store *store_open(const char *uri, int flags, struct err *e)
{
	struct store *st;

	if (!strncmp(uri, "postgres://", 11) || !strncmp(uri, "postgresql://", 13)) {
		err_set(e, ERR_INVALID, "db", "the PostgreSQL backend is not built yet: '%s'", uri);
		return NULL;
	}
	st = calloc(1, sizeof(*st));
	if (!st) {
		err_set(e, ERR_INTERNAL, NULL, "out of memory");
		return NULL;
	}
	st->ops = &store_sqlite_ops;
	snprintf(st->uri, sizeof(st->uri), "%s", uri);
	if (st->ops->open(st, uri, flags, e)) {
		st->ops->close(st);
		free(st);
		return NULL;
	}
	return st;
}

void store_close(struct store *st)
{
	if (!st)
		return;
	st->ops->close(st);
	free(st);
}

