/*
 * store_cmdb.h — the store operations of the cmdb module (see store.h):
 * configuration items, relationships and their history; the monitoring
 * intake's alerts, events and outages; checks and performance data.
 *
 * Reads take tx = NULL outside a write. Records handed out own their
 * strings (model/cmdb.h, model/events.h: ci_release, alert_release,
 * check_release); JSON handed out is a
 * new reference the caller decrefs.
 */
#ifndef ITSM_STORE_CMDB_H
#define ITSM_STORE_CMDB_H

#include "model/cmdb.h"
#include "model/events.h"
#include "store/store.h"

typedef int (*store_ci_fn)(const struct ci *c, void *ctx);
typedef int (*store_rel_fn)(const struct ci_rel *r, void *ctx);

struct store_cmdb_ops {
	/* item types */
	/* 0 when the type exists, ERR_NOT_FOUND (e untouched) when not. */
	int (*type_exists)(struct store *st, struct store_tx *tx, const char *name,
			   struct err *e);
	int (*type_insert)(struct store_tx *tx, const char *name, struct err *e);
	int (*type_list)(struct store *st, json_t **out, struct err *e);

	/* items */
	int (*ci_insert)(struct store_tx *tx, struct ci *c, struct err *e);
	/* Update when the stored version equals c->version - 1; else ERR_CONFLICT. */
	int (*ci_update)(struct store_tx *tx, const struct ci *c, struct err *e);
	/* By id (key NULL) or key; ERR_NOT_FOUND when none. */
	int (*ci_get)(struct store *st, struct store_tx *tx, int64_t id, const char *key,
		      struct ci *c, struct err *e);
	/* The id of the item whose key is ref, else of the one named ref, in
	 * *id; 0 there when none. */
	int (*ci_resolve)(struct store *st, struct store_tx *tx, const char *ref, int64_t *id,
			  struct err *e);
	int (*ci_list)(struct store *st, const struct ci_filter *f, struct ci **items, size_t *n,
		       int *more, struct err *e);
	int (*ci_scan)(struct store *st, store_ci_fn fn, void *ctx, struct err *e);
	int (*ci_history_insert)(struct store_tx *tx, int64_t ci_id, int64_t at, const char *actor,
				 const char *action, const char *change, struct err *e);
	int (*ci_history_list)(struct store *st, int64_t ci_id, json_t **items, struct err *e);

	/* relationships */
	int (*rel_insert)(struct store_tx *tx, struct ci_rel *r, struct err *e);
	int (*rel_get)(struct store *st, struct store_tx *tx, int64_t id, struct ci_rel *r,
		       struct err *e);
	int (*rel_delete)(struct store_tx *tx, int64_t id, struct err *e);
	/* Inside a write: the relationship source TYPE target; ERR_NOT_FOUND
	 * (e untouched) when there is none. */
	int (*rel_find)(struct store_tx *tx, int64_t source_id, const char *type,
			int64_t target_id, struct ci_rel *r, struct err *e);
	/* Relationships with ci_id at either end (ci_id 0: all, for export). */
	int (*rel_scan)(struct store *st, int64_t ci_id, store_rel_fn fn, void *ctx,
			struct err *e);
	int (*graph_load)(struct store *st, struct cmdb_graph_rows *g, struct err *e);
	int (*ticket_ci_link)(struct store_tx *tx, int64_t ticket_id, int64_t ci_id,
			      const char *role, struct err *e);
	/* The tickets linked to an item: [{"ticket","kind","status","priority",
	 * "title","role","created_at"}], newest first. */
	int (*ticket_ci_list)(struct store *st, int64_t ci_id, json_t **items, struct err *e);
	/* The items linked to a ticket: [{"key","name","type","status","role"}]. */
	int (*ci_ticket_list)(struct store *st, int64_t ticket_id, json_t **items, struct err *e);

	/* alerts and events */
	int (*alert_get)(struct store *st, struct store_tx *tx, int64_t id, const char *dedup_key,
			 struct alert *a, struct err *e);
	int (*alert_insert)(struct store_tx *tx, struct alert *a, struct err *e);
	int (*alert_update)(struct store_tx *tx, const struct alert *a, struct err *e);
	int (*alert_list)(struct store *st, int state, int64_t after_id, int limit, json_t **items,
			  struct err *e); /* state: -1 any, 0 closed, 1 open */
	int (*event_insert)(struct store_tx *tx, int64_t alert_id, int64_t received_at,
			    const struct event *ev, const char *outcome, struct err *e);
	int (*event_list)(struct store *st, int64_t alert_id, int limit, json_t **items,
			  struct err *e);
	int (*outage_insert)(struct store_tx *tx, int64_t alert_id, const char *service,
			     int64_t ci_id, int64_t outage_id, int64_t start, struct err *e);
	/* The open outages of an alert: [{"id","outage_id","service"}]. */
	int (*outage_open_list)(struct store *st, struct store_tx *tx, int64_t alert_id,
				json_t **items, struct err *e);
	int (*outage_end)(struct store_tx *tx, int64_t id, int64_t end, struct err *e);
	int (*outage_list)(struct store *st, int64_t alert_id, json_t **items, struct err *e);
	/* Open incidents by priority 1..5 (counts[0] unused). */
	int (*incident_counts)(struct store *st, int64_t counts[6], struct err *e);

	/* checks */
	int (*check_insert)(struct store_tx *tx, struct check *c, struct err *e);
	int (*check_get)(struct store *st, struct store_tx *tx, const char *name, struct check *c,
			 struct err *e);
	int (*check_list)(struct store *st, struct check **items, size_t *n, struct err *e);
	/* Enabled checks with next_run <= now, soonest first, at most limit. */
	int (*check_due)(struct store *st, int64_t now, int limit, struct check **items, size_t *n,
			 struct err *e);
	int (*check_save_state)(struct store_tx *tx, const struct check *c, struct err *e);
	/* The definition (command, intervals, attempts, timeout, enabled, next
	 * run) when the stored version equals c->version - 1; else ERR_CONFLICT. */
	int (*check_update)(struct store_tx *tx, const struct check *c, struct err *e);
	int (*check_delete)(struct store_tx *tx, int64_t id, struct err *e);

	/* performance data */
	int (*metric_insert)(struct store_tx *tx, int64_t ci_id, const char *name, int64_t at,
			     double value, const char *uom, struct err *e);
	/* Buckets of `step` seconds in [from, to]: [{"at","avg","min","max","count"}]. */
	int (*metric_query)(struct store *st, int64_t ci_id, const char *name, int64_t from,
			    int64_t to, int64_t step, json_t **points, struct err *e);
	int (*metric_names)(struct store *st, int64_t ci_id, json_t **names, struct err *e);
	/* Retention: delete event log rows received and metric points taken
	 * before `before`; the counts deleted in *events and *points. */
	int (*prune)(struct store_tx *tx, int64_t before, int64_t *events, int64_t *points,
		     struct err *e);
};

#endif
