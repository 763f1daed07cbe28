/*
 * store_sla.h — the store operations of the sla module (see store.h):
 * services, calendars, SLAs, outages, the ticket SLA clocks with their
 * due-time queue, the outbox, and the report's aggregates.
 *
 * The records are model/sla.h's; they own nothing but the strings marked
 * "owned".
 */
#ifndef ITSM_STORE_SLA_H
#define ITSM_STORE_SLA_H

#include "model/sla.h"
#include "store/store.h"

struct store_sla_ops {
	int (*service_insert)(struct store_tx *tx, struct service_rec *s, struct err *e);
	int (*service_get)(struct store *st, struct store_tx *tx, const char *key,
			   struct service_rec *s, struct err *e);
	int (*service_list)(struct store *st, struct service_rec **out, size_t *n, struct err *e);
	/* Name, owner group and status, when the stored version is
	 * s->version - 1; else ERR_CONFLICT on "version". */
	int (*service_update)(struct store_tx *tx, const struct service_rec *s, struct err *e);

	int (*calendar_insert)(struct store_tx *tx, struct calendar_rec *c, struct err *e);
	int (*calendar_get)(struct store *st, struct store_tx *tx, const char *name,
			    struct calendar_rec *c, struct err *e);
	/* Bodies owned by the array elements; free with sla_free_calendars. */
	int (*calendar_list)(struct store *st, struct calendar_rec **out, size_t *n,
			     struct err *e);
	/* Body and status, versioned as service_update. */
	int (*calendar_update)(struct store_tx *tx, const struct calendar_rec *c, struct err *e);

	/* Also keeps version 1's terms (sla_version_body). */
	int (*sla_insert)(struct store_tx *tx, struct sla_rec *s, struct err *e);
	/* Calendar, body and status, versioned as service_update; new_terms
	 * keeps the body as the terms of s->version. ERR_CONFLICT on "status"
	 * when a retired SLA would come back beside the active one of its
	 * customer (or group) and service. */
	int (*sla_update)(struct store_tx *tx, const struct sla_rec *s, int new_terms,
			  struct err *e);
	/* The body an SLA's version wrote (owned by the caller), for the
	 * clocks started under it; ERR_NOT_FOUND when there is none. */
	int (*sla_version_body)(struct store *st, struct store_tx *tx, int64_t sla_id,
				int64_t version, char **body, struct err *e);
	/* Every kept version of sla_id, oldest first, to fn with the instant
	 * it was written (its strings live for the call); fn returns 0 to go
	 * on, <0 to fail. */
	int (*sla_versions_each)(struct store *st, struct store_tx *tx, int64_t sla_id,
				 int (*fn)(int64_t version, int64_t created_at,
					   const char *calendar, const char *body, void *ctx),
				 void *ctx, struct err *e);
	int (*sla_get)(struct store *st, struct store_tx *tx, int64_t id, const char *name,
		       struct sla_rec *s, struct err *e);
	/* The active SLA of customer_id × service; ERR_NOT_FOUND when none. */
	int (*sla_find)(struct store *st, struct store_tx *tx, int64_t customer_id,
			const char *service, struct sla_rec *s, struct err *e);
	/* customer_id 0: all; service NULL: all. */
	int (*sla_list)(struct store *st, int64_t customer_id, const char *service,
			struct sla_rec **out, size_t *n, struct err *e);

	int (*outage_insert)(struct store_tx *tx, struct outage_rec *o, struct err *e);
	int (*outage_get)(struct store *st, struct store_tx *tx, int64_t id, struct outage_rec *o,
			  struct err *e);
	/* Update when the stored version is o->version - 1; else ERR_CONFLICT. */
	int (*outage_update)(struct store_tx *tx, const struct outage_rec *o, struct err *e);
	/* Delete outage id (a change's planned outage, when it is cancelled). */
	int (*outage_delete)(struct store_tx *tx, int64_t id, struct err *e);
	/* Outages of service (NULL: all) meeting [from, to) (0: unbounded). */
	int (*outage_list)(struct store *st, const char *service, int64_t from, int64_t to,
			   struct outage_rec **out, size_t *n, struct err *e);

	/* ERR_NOT_FOUND (e untouched) when the ticket has no clock. */
	int (*clock_get)(struct store *st, struct store_tx *tx, int64_t ticket_id,
			 struct sla_clock *k, struct err *e);
	int (*clock_put)(struct store_tx *tx, const struct sla_clock *k, struct err *e);
	/* clock_get and the SLA's name in one read; ERR_NOT_FOUND (e
	 * untouched, as clock_get's) when the ticket has no clock. */
	int (*clock_get_named)(struct store *st, struct store_tx *tx, int64_t ticket_id,
			       struct sla_clock *k, char *sla_name, size_t n, struct err *e);
	/* Up to max ticket ids whose next_at <= now, earliest first. */
	int (*clock_due)(struct store_tx *tx, int64_t now, int64_t *ids, size_t max, size_t *n,
			 struct err *e);
	/* The earliest next_at, or 0 when the queue is empty. */
	int (*clock_next)(struct store *st, int64_t *at, struct err *e);

	/* OLAs (docs/sla.md, "OLAs"): the active OLA of group × service
	 * (ERR_NOT_FOUND when none), and a ticket's OLA clock, kept as an SLA
	 * clock is (ticket_ola: one per ticket, the group holding it), with
	 * the same operations and a delete. */
	int (*ola_find)(struct store *st, struct store_tx *tx, const char *group,
			const char *service, struct sla_rec *s, struct err *e);
	int (*ola_clock_get)(struct store *st, struct store_tx *tx, int64_t ticket_id,
			     struct sla_clock *k, struct err *e);
	int (*ola_clock_get_named)(struct store *st, struct store_tx *tx, int64_t ticket_id,
				   struct sla_clock *k, char *ola_name, size_t n, struct err *e);
	int (*ola_clock_put)(struct store_tx *tx, const struct sla_clock *k, struct err *e);
	int (*ola_clock_delete)(struct store_tx *tx, int64_t ticket_id, struct err *e);
	/* Keep k, the clock a group ended by handing the ticket on, among the
	 * past clocks the operational level report counts (ticket_ola_past). */
	int (*ola_clock_keep)(struct store_tx *tx, const struct sla_clock *k, struct err *e);
	/* The clock the ticket's last hold under that OLA ended with
	 * (ERR_NOT_FOUND when it had none). */
	int (*ola_clock_last_past)(struct store *st, struct store_tx *tx, int64_t ticket_id,
				   int64_t ola_id, struct sla_clock *k, struct err *e);
	int (*ola_clock_due)(struct store_tx *tx, int64_t now, int64_t *ids, size_t max,
			     size_t *n, struct err *e);
	int (*ola_clock_next)(struct store *st, int64_t *at, struct err *e);
	/* report_stats over an OLA's clocks (ticket_ola and the past ones of
	 * ticket_ola_past), by the same rules. */
	int (*ola_report_stats)(struct store *st, int64_t ola_id, int64_t t0, int64_t t1,
				int64_t now, struct sla_stats *out, struct err *e);

	int (*outbox_insert)(struct store_tx *tx, struct outbox_rec *o, struct err *e);
	int (*outbox_due)(struct store *st, int64_t now, size_t max, struct outbox_rec **out,
			  size_t *n, struct err *e);
	int (*outbox_set)(struct store_tx *tx, const struct outbox_rec *o, struct err *e);
	/* state NULL: all. Newest first. */
	int (*outbox_list)(struct store *st, const char *state, int limit,
			   struct outbox_rec **out, size_t *n, struct err *e);

	/* A bulk write (the history import) in tx: on = 1 gives the writer a
	 * large page cache so the batch is written once, on = 0 restores it. */
	int (*bulk)(struct store_tx *tx, int on);
	/* (Only speed depends on bulk: a write may go on when it fails.) */
	/* A named counter (store.h counter_next's) read and set in tx, so a
	 * bulk write can number its records itself. */
	int (*counter_get)(struct store_tx *tx, const char *name, int64_t *value, struct err *e);
	int (*counter_set)(struct store_tx *tx, const char *name, int64_t value, struct err *e);

	/* The report over one SLA's clocks due in [t0, t1) whose verdict is
	 * known at now (docs/sla.md, "Report"); the breaches are the missed
	 * ones, a clock still running or paused with stopped 0. */
	int (*report_stats)(struct store *st, int64_t sla_id, int64_t t0, int64_t t1,
			    int64_t now, struct sla_stats *out, struct err *e);
	/* The missed clocks counted in [t0, t1) at now, by due, then ticket
	 * and clock: those after `after` (NULL: from the first), at most
	 * limit of them (< 0: all). */
	int (*report_breaches)(struct store *st, int64_t sla_id, int64_t t0, int64_t t1,
			       int64_t now, const struct sla_breach_after *after, int64_t limit,
			       sla_breach_fn fn, void *ctx, struct err *e);
	/* The limit missed clocks most overdue at now (stopped, or now when
	 * still open, minus due), the most overdue first. */
	int (*report_worst)(struct store *st, int64_t sla_id, int64_t t0, int64_t t1,
			    int64_t now, int64_t limit, sla_breach_fn fn, void *ctx,
			    struct err *e);
	/* report_worst over an OLA's clocks (ticket_ola, ticket_ola_past), by
	 * the same rules. */
	int (*ola_report_worst)(struct store *st, int64_t ola_id, int64_t t0, int64_t t1,
				int64_t now, int64_t limit, sla_breach_fn fn, void *ctx,
				struct err *e);
};

#endif
