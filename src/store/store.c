/*
 * store.c — opening and closing a store. The SQL store serves every
 * engine; its driver is chosen by the URI (db_driver_for).
 */
#include "store/store.h"
#include "store/db.h"

#include <stdlib.h>
#include <string.h>

struct store *store_open(const char *uri, int flags, struct err *e)
{
	struct store *st;

	st = calloc(1, sizeof(*st));
	if (!st) {
		err_set(e, ERR_INTERNAL, NULL, "out of memory");
		return NULL;
	}
	st->ops = &store_sql_ops;
	snprintf(st->uri, sizeof(st->uri), "%s", uri);
	if (st->ops->open(st, uri, flags, e)) {
		st->ops->close(st);
		free(st);
		return NULL;
	}
	return st;
}

int store_is_file(const char *uri)
{
	return db_driver_for(uri) == &db_sqlite;
}

void store_close(struct store *st)
{
	if (!st)
		return;
	st->ops->close(st);
	free(st);
}

