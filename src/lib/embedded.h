/*
 * embedded.h — files compiled into the binary by scripts/embed.sh: the web
 * console (web/), the SQL migrations (src/store/migrations/) and the API's
 * OpenAPI description (docs/openapi.json, as "/openapi.json").
 */
#ifndef ITSM_EMBEDDED_H
#define ITSM_EMBEDDED_H

#include <stddef.h>

struct embedded {
	const char *path;  /* "/index.html", "/001_init.sql" */
	const char *type;  /* content type */
	const unsigned char *data; /* NUL-terminated */
	size_t len;
};

extern const struct embedded web_files[];
extern const struct embedded sql_migrations[];
extern const struct embedded api_docs[];

const struct embedded *embedded_find(const struct embedded *table, const char *path);

#endif
