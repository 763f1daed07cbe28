/*
 * sql_web.h — the SQL store's table of web console operations
 * (sql_web.c), for the backend's table of store operations.
 */
#ifndef ITSM_SQL_WEB_H
#define ITSM_SQL_WEB_H

#include "store/store_web.h"

extern const struct store_web_ops sql_web_ops;

#endif
