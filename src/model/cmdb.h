/*
 * model/cmdb.h — the CMDB's records as the store hands them out:
 * configuration items, their relationships, the filter a list takes, and
 * the rows the impact graph is built from.
 *
 * Plain data: no rules, no I/O (the rules are domain/cmdb/). An item owns
 * its attributes (ci_release); graph rows own their strings
 * (cmdb_graph_rows_release).
 */
#ifndef ITSM_MODEL_CMDB_H
#define ITSM_MODEL_CMDB_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#define CI_KEY_MAX 63
#define CI_NAME_MAX 200

struct ci {
	int64_t id;
	char key[64];
	char name[CI_NAME_MAX + 1];
	char type[32];
	char status[16];
	char owner_group[64];
	char location[128];
	char service[64];   /* catalogue service key, "" when none */
	json_t *attributes; /* owned reference, a JSON object; ci_release */
	int64_t created_at, updated_at, version;
};

struct ci_rel {
	int64_t id, source_id, target_id;
	char source[64], target[64]; /* keys, filled on read */
	char type[16];
	int propagates;
	int64_t created_at;
};

struct ci_filter {
	const char *type, *status, *q; /* NULL: any; q matches key or name */
	const char *attr_key, *attr_value; /* attributes[attr_key] == attr_value */
	const char *owner_group, *location;
	int64_t after_id;
	int limit;
};

void ci_release(struct ci *c);
void ci_free_array(struct ci *c, size_t n);

/* The whole graph, for building the impact snapshot: nodes sorted by id. */
struct cmdb_graph_rows {
	size_t n_nodes, n_edges;
	int64_t *ids;       /* [n_nodes], ascending */
	char **keys, **names, **types, **services; /* [n_nodes], owned */
	struct {
		int64_t source_id, target_id;
		char type[16];
		int propagates;
	} *edges;           /* [n_edges] */
};
void cmdb_graph_rows_release(struct cmdb_graph_rows *g);

/* The CMDB's CSV layout, one place for the import that reads it
 * (domain/cmdb/cmdb_io.c) and the export that writes it
 * (render/cmdb_csv.c): the item's columns, "attr.NAME" for each attribute,
 * then one column per relationship type holding the ';'-separated target
 * keys of the row's item (connected_to_propagating: the connected_to that
 * carry impact). */
#define CMDB_CSV_ATTR "attr."

extern const char *const cmdb_csv_base_cols[]; /* NULL-terminated */
extern const char *const cmdb_csv_rel_cols[];

#endif
