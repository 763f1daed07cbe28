/*
 * cmdb_csv.h — the CMDB's CSV layout, in one place for the import that
 * reads it (cmdb_io.c) and the export that writes it (render/cmdb_csv.c):
 * the item's columns, "attr.NAME" for each attribute, then one column per
 * relationship type holding the ';'-separated target keys of the row's
 * item (connected_to_propagating: the connected_to that carry impact).
 * Only data: no store, no functions.
 */
#ifndef ITSM_CMDB_CSV_H
#define ITSM_CMDB_CSV_H

#define CMDB_CSV_ATTR "attr."

static const char *const cmdb_csv_base_cols[] = { "key",	 "name",     "type",
						  "status",	 "owner_group", "location",
						  "service",	 NULL };
static const char *const cmdb_csv_rel_cols[] = { "runs_on", "depends_on", "connected_to",
						 "part_of", "backs_up", "connected_to_propagating",
						 NULL };

#endif
