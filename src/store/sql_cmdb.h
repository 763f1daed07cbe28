/*
 * sql_cmdb.h — what the SQL store's two cmdb files share: the
 * monitoring operations of sql_cmdb_events.c, which sql_cmdb.c puts
 * in the one table of cmdb operations (store_cmdb.h).
 */
#ifndef ITSM_SQL_CMDB_H
#define ITSM_SQL_CMDB_H

#include "store/sql.h"
#include "store/store_cmdb.h"

int sqc_alert_get(struct store *st, struct store_tx *tx, int64_t id, const char *dedup_key,
		  struct alert *a, struct err *e);
int sqc_alert_insert(struct store_tx *tx, struct alert *a, struct err *e);
int sqc_alert_update(struct store_tx *tx, const struct alert *a, struct err *e);
int sqc_alert_list(struct store *st, int state, int64_t after_id, int limit, json_t **items,
		   struct err *e);
int sqc_event_insert(struct store_tx *tx, int64_t alert_id, int64_t received_at,
		     const struct event *ev, const char *outcome, struct err *e);
int sqc_event_list(struct store *st, int64_t alert_id, int limit, json_t **items, struct err *e);
int sqc_outage_insert(struct store_tx *tx, int64_t alert_id, const char *service, int64_t ci_id,
		      int64_t outage_id, int64_t start, struct err *e);
int sqc_outage_open_list(struct store *st, struct store_tx *tx, int64_t alert_id, json_t **items,
			 struct err *e);
int sqc_outage_end(struct store_tx *tx, int64_t id, int64_t end, struct err *e);
int sqc_outage_list(struct store *st, int64_t alert_id, json_t **items, struct err *e);
int sqc_incident_counts(struct store *st, int64_t counts[6], struct err *e);
int sqc_check_insert(struct store_tx *tx, struct check *c, struct err *e);
int sqc_check_get(struct store *st, struct store_tx *tx, const char *name, struct check *c,
		  struct err *e);
int sqc_check_list(struct store *st, struct check **items, size_t *n, struct err *e);
int sqc_check_due(struct store *st, int64_t now, int limit, struct check **items, size_t *n,
		  struct err *e);
int sqc_check_save_state(struct store_tx *tx, const struct check *c, struct err *e);
int sqc_check_delete(struct store_tx *tx, int64_t id, struct err *e);
int sqc_check_update(struct store_tx *tx, const struct check *c, struct err *e);
int sqc_prune(struct store_tx *tx, int64_t before, int64_t *events, int64_t *points,
	      struct err *e);
int sqc_metric_insert(struct store_tx *tx, int64_t ci_id, const char *name, int64_t at,
		      double value, const char *uom, struct err *e);
int sqc_metric_query(struct store *st, int64_t ci_id, const char *name, int64_t from, int64_t to,
		     int64_t step, json_t **points, struct err *e);
int sqc_metric_names(struct store *st, int64_t ci_id, json_t **names, struct err *e);

#endif
