/*
 * store_sla.h — the store operations of the sla module (see store.h).
 */
#ifndef ITSM_STORE_SLA_H
#define ITSM_STORE_SLA_H

#include "store/store.h"

struct store_sla_ops {
	int unused; /* operations are added here as the module grows */
};

#endif
