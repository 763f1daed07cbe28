/*
 * store_skill.h — the store operations of the skill module (see store.h).
 */
#ifndef ITSM_STORE_SKILL_H
#define ITSM_STORE_SKILL_H

#include "store/store.h"

struct store_skill_ops {
	int unused; /* operations are added here as the module grows */
};

#endif
