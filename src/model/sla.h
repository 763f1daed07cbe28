/*
 * model/sla.h — service level management's records as the store hands
 * them out: services, calendars, SLAs, outages, the outbox, the SLA clock
 * of a ticket, and the report's aggregates.
 *
 * Plain data: no rules, no I/O (the rules are domain/sla/). Records own
 * nothing but the strings marked "owned" (free(), or the sla_free_*
 * functions for the arrays the store hands out).
 */
#ifndef ITSM_MODEL_SLA_H
#define ITSM_MODEL_SLA_H

#include <stddef.h>
#include <stdint.h>

struct service_rec {
	int64_t id;
	char key[64];
	char name[200];
	char owner_group[64];
	char status[16]; /* "active" or "retired" */
	int64_t created_at, updated_at, version;
};

struct calendar_rec {
	int64_t id;
	char name[64];
	char *body; /* owned */
	char status[16]; /* "active" or "retired" */
	int64_t created_at, updated_at, version;
};

struct sla_rec {
	int64_t id;
	char name[64];
	int64_t customer_id;
	char customer[64];
	char group[64];
	char service[64];
	char calendar[64];
	char *body; /* owned: the full record as canonical JSON */
	char status[16]; /* "active" or "retired" */
	int64_t created_at, updated_at, version;
};

struct outage_rec {
	int64_t id;
	char service[64];
	int64_t start, end; /* end 0 while ongoing */
	int planned;
	char incident[64];
	char ci[128];
	int64_t created_at, updated_at, version;
};

struct outbox_rec {
	int64_t id;
	char *target, *payload; /* owned */
	char state[16];
	int64_t attempts, next_at;
	char last_error[256];
	int64_t created_at, sent_at;
};

/* The report's aggregate over one SLA's clocks due in [t0, t1): tickets
 * with a clock counted, the response and resolution clocks counted and met,
 * the resolved ones among the latter and their business seconds spent. */
struct sla_stats {
	int64_t tickets, responses, response_met, resolutions, resolution_met;
	int64_t resolved, res_spent_sum;
};
/* One missed clock of the report: the ticket, the clock (0 response, 1
 * resolution), the due that applied and when it stopped (0: still open or
 * paused). */
struct sla_breach {
	char ticket[32];
	int64_t ticket_id;
	int clock;
	int64_t due, stopped;
};
typedef int (*sla_breach_fn)(const struct sla_breach *b, void *ctx);
/* Where a page of breaches starts: after this (due, ticket, clock). */
struct sla_breach_after {
	int64_t due, ticket_id;
	int clock;
};

/* The clock state of one ticket (one row of ticket_sla). Instants are
 * seconds since the epoch; 0 means "not set". */
struct sla_clock {
	int64_t ticket_id, sla_id;
	int64_t sla_version;             /* the SLA's version whose terms apply */
	int priority;
	int64_t resp_target, res_target; /* seconds of business time */
	int warn_permille;               /* warn_at × 1000 */
	int64_t started_at;
	int64_t resp_due, resp_warn, resp_stopped;
	int resp_met;                    /* -1 running/unknown, 0 late, 1 in time */
	int64_t res_spent;               /* business seconds before run_from */
	int64_t run_from;                /* 0: the resolution clock is not running */
	int64_t res_due, res_warn, res_stopped;
	int res_met;
	int paused;
	int fired;                       /* SLA_FIRED_* bits */
	char group[64];                  /* reassigned to this group by an escalation */
	int64_t next_at;                 /* earliest unfired warning/breach; 0: none */
};

enum {
	SLA_FIRED_RESP_WARN = 1,
	SLA_FIRED_RESP_BREACH = 2,
	SLA_FIRED_RES_WARN = 4,
	SLA_FIRED_RES_BREACH = 8,
};

/* Free arrays handed out by the list operations, elements included. */
void sla_free_calendars(struct calendar_rec *c, size_t n);
void sla_free_slas(struct sla_rec *s, size_t n);
void sla_free_outbox(struct outbox_rec *o, size_t n);

#endif
