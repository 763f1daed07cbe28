/*
 * sql_schema.c — the schema version of a store, for `itsm version`: read
 * without creating or changing anything (no migration, no new file).
 *
 * Invariant: the migration numbers are the leading digits of the embedded
 * file names (001_init.sql is 1), the same rule db_migrate applies.
 */
#include "store/db.h"
#include "store/store.h"

#include <string.h>

int store_schema_latest(void)
{
	return db_schema_latest();
}

const char *store_library_version(const char *engine)
{
	return (strcmp(engine, "sqlite") ? &db_pg : &db_sqlite)->library_version();
}

int store_schema_read(const char *uri, struct store_schema *out, struct err *e)
{
	out->latest = db_schema_latest();
	return db_driver_for(uri)->schema_peek(uri, &out->schema, e);
}
