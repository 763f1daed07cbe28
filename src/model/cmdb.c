/*
 * model/cmdb.c — freeing the CMDB's records; their CSV columns.
 */
#include "model/cmdb.h"

#include <stdlib.h>
#include <string.h>

const char *const cmdb_csv_base_cols[] = { "key",	  "name",     "type",	 "status",
					   "owner_group", "location", "service", NULL };
const char *const cmdb_csv_rel_cols[] = { "runs_on", "depends_on", "connected_to",
					  "part_of", "backs_up", "connected_to_propagating",
					  NULL };

void ci_release(struct ci *c)
{
	if (!c)
		return;
	json_decref(c->attributes);
	c->attributes = NULL;
}

void ci_free_array(struct ci *c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		ci_release(&c[i]);
	free(c);
}

void cmdb_graph_rows_release(struct cmdb_graph_rows *g)
{
	for (size_t i = 0; g->keys && i < g->n_nodes; i++) {
		free(g->keys[i]);
		free(g->names[i]);
		free(g->types[i]);
		free(g->services[i]);
	}
	free(g->ids);
	free(g->keys);
	free(g->names);
	free(g->types);
	free(g->services);
	free(g->edges);
	memset(g, 0, sizeof(*g));
}
