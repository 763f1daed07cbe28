/*
 * sqlite_sla.c — the SQLite backend's sla operations (see store_sla.h).
 */
#include "store/sqlite_int.h"
#include "store/store_sla.h"

const struct store_sla_ops sqlite_sla_ops = {
	0,
};
