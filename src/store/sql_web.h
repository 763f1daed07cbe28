/*
 * sqlite_web.h — the SQLite backend's table of web console operations
 * (sqlite_web.c), for the backend's table of store operations.
 */
#ifndef ITSM_SQLITE_WEB_H
#define ITSM_SQLITE_WEB_H

#include "store/store_web.h"

extern const struct store_web_ops sql_web_ops;

#endif
