/*
 * sqlite_cmdb.c — the SQLite backend's cmdb operations (see store_cmdb.h).
 */
#include "store/sqlite_int.h"
#include "store/store_cmdb.h"

const struct store_cmdb_ops sqlite_cmdb_ops = {
	0,
};
