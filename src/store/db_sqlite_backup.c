/*
 * db_sqlite_backup.c — the SQLite driver's copy of the whole store while it is written, and
 * SQLite's own check of a store's pages and indexes.
 *
 * The copy is SQLite's online backup API run in one step
 * (sqlite3_backup_step(b, -1)) from a connection of its own. One step is one
 * read transaction on the source: in WAL mode that reader sees one snapshot
 * (the last commit before it began) and never blocks a writer, which goes on
 * appending to the WAL; a checkpoint cannot recycle the WAL past the reader
 * until the step ends, so the WAL grows by what is written meanwhile. A copy
 * in several steps (N pages, then sleep) would let writers in between, but
 * every write the server commits through its own connection would restart
 * it from page one, so under a steady load it might never end. VACUUM INTO
 * also copies one snapshot, but rebuilds every table and index as it goes:
 * slower for the same read transaction (docs/operations.md has the figures).
 *
 * Invariants: the destination holds exactly one committed state of the
 * source or the call fails; the source is only read.
 */
#include "store/db_sqlite.h"

#include <sqlite3.h>

#include <string.h>

/* How long a copy waits for the source to let it begin reading. */
#define BACKUP_BUSY_TRIES 200
#define BACKUP_BUSY_SLEEP_MS 50

static int fail_db(sqlite3 *db, int rc, const char *what, const char *path, struct err *e)
{
	int code = rc == SQLITE_FULL		      ? ERR_FULL
		   : rc == SQLITE_BUSY || rc == SQLITE_LOCKED ? ERR_BUSY
							     : ERR_INTERNAL;

	return err_set(e, code, NULL, "%s '%.160s': %s", what, path,
		       db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
}

int sqlite_backup(const char *uri, const char *path, struct err *e)
{
	sqlite3 *src = NULL, *dst = NULL;
	sqlite3_backup *b;
	int rc, tries = 0;

	rc = sqlite3_open_v2(uri, &src, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		rc = fail_db(src, rc, "cannot open store", uri, e);
		goto out;
	}
	sqlite3_busy_timeout(src, 10000);
	rc = sqlite3_open_v2(path, &dst,
			     SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		rc = fail_db(dst, rc, "cannot create backup", path, e);
		goto out;
	}
	if (!(b = sqlite3_backup_init(dst, "main", src, "main"))) {
		rc = fail_db(dst, sqlite3_errcode(dst), "cannot begin backup into", path, e);
		goto out;
	}
	/* -1: every page in one step, inside one read transaction. */
	while ((rc = sqlite3_backup_step(b, -1)) == SQLITE_BUSY || rc == SQLITE_LOCKED ||
	       rc == SQLITE_OK) {
		if (rc != SQLITE_OK && ++tries > BACKUP_BUSY_TRIES)
			break;
		sqlite3_sleep(BACKUP_BUSY_SLEEP_MS);
	}
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE) {
		rc = fail_db(dst, rc, "cannot copy the store into", path, e);
		goto out;
	}
	rc = 0;
out:
	if (dst && sqlite3_close(dst) != SQLITE_OK && !rc)
		rc = fail_db(dst, SQLITE_ERROR, "cannot close backup", path, e);
	sqlite3_close(src);
	return rc;
}

int sqlite_check(struct db *c, const char *uri, struct err *e)
{
	struct db_stmt *s;
	char first[200] = "";
	int rc, n = 0;

	if (!(s = db_stmt(c, "PRAGMA integrity_check(20)", e)))
		return e->code;
	while ((rc = db_next(s, e)) > 0)
		if (n++ == 0)
			db_text(s, 0, first, sizeof(first));
	if (rc < 0)
		return rc;
	if (n != 1 || strcmp(first, "ok"))
		return err_set(e, ERR_INVALID, NULL, "integrity check of '%.160s' failed: %s",
			       uri, first[0] ? first : "no answer");
	return 0;
}
