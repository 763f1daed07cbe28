/*
 * sqlite_skill.c — the SQLite backend's skill operations (see store_skill.h).
 */
#include "store/sqlite_int.h"
#include "store/store_skill.h"

const struct store_skill_ops sqlite_skill_ops = {
	0,
};
