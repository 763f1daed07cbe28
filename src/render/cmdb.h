/*
 * cmdb.h — the CMDB export as text. The domain hands out the export as the
 * import's JSON document (cmdb_export in domain/cmdb/cmdb.h:
 * {"cis": [...], "relationships": [...]}); these functions lay it out and
 * need nothing else (the CSV layout is model/cmdb.h's).
 *
 * What they write, the import reads back unchanged: a cell the CSV writer
 * escaped with a ' (lib/csv.h) loses it again on import.
 */
#ifndef ITSM_RENDER_CMDB_H
#define ITSM_RENDER_CMDB_H

#include <jansson.h>

#include "lib/buf.h"
#include "lib/err.h"

/* A header row, then one row per item: its fields, one "attr.NAME" column
 * per attribute name any item has (in the order first seen), the targets
 * of its relationships by type. Appends to out; 0 or ERR_TOO_LARGE. */
int cmdb_render_csv(const json_t *doc, struct buf *out);
/* format "csv" (the above) or "json" (the document, indented one space);
 * another format is ERR_INVALID naming "format". */
int cmdb_render_export(const json_t *doc, const char *format, struct buf *out, struct err *e);

#endif
