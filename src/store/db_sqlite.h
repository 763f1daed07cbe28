/*
 * db_sqlite.h — what the SQLite driver's two files share: the copy of a
 * whole store and the check of its pages (db_sqlite_backup.c), which
 * db_sqlite.c puts in its driver table.
 */
#ifndef ITSM_DB_SQLITE_H
#define ITSM_DB_SQLITE_H

#include "store/db.h"

int sqlite_backup(const char *uri, const char *path, struct err *e);
int sqlite_check(struct db *c, const char *uri, struct err *e);

#endif
