/*
 * store_cmdb.h — the store operations of the cmdb module (see store.h).
 */
#ifndef ITSM_STORE_CMDB_H
#define ITSM_STORE_CMDB_H

#include "store/store.h"

struct store_cmdb_ops {
	int unused; /* operations are added here as the module grows */
};

#endif
