/*
 * sqlite_schema.c — the schema version of a store on disk, for `itsm
 * version`: the file is opened read-only and never created, so asking about
 * a store changes nothing (no migration, no WAL switch, no new file).
 *
 * Invariant: the migration numbers are the leading digits of the embedded
 * file names (001_init.sql is 1), the same rule migrate() applies.
 */
#include "store/store.h"
#include "lib/embedded.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int store_schema_latest(void)
{
	int latest = 0;

	for (const struct embedded *m = sql_migrations; m->path; m++)
		if (atoi(m->path + 1) > latest)
			latest = atoi(m->path + 1);
	return latest;
}

const char *store_library_version(void)
{
	return sqlite3_libversion();
}

int store_schema_read(const char *uri, struct store_schema *out, struct err *e)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *s = NULL;
	struct stat sb;
	int rc;

	if (strstr(uri, "://"))
		return err_set(e, ERR_NOT_FOUND, NULL, "no store file at '%s'", uri);
	if (stat(uri, &sb))
		return err_set(e, ERR_NOT_FOUND, NULL, "no store at '%s'", uri);
	out->latest = store_schema_latest();
	rc = sqlite3_open_v2(uri, &db, SQLITE_OPEN_READONLY, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &s, NULL);
	if (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		out->schema = sqlite3_column_int(s, 0);
		rc = 0;
	} else {
		rc = err_set(e, ERR_INVALID, NULL, "cannot read the schema of '%s': %s", uri,
			     db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
	}
	sqlite3_finalize(s);
	sqlite3_close(db);
	return rc;
}
