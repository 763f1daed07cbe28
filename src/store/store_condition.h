/*
 * store_condition.h — the store operations of condition reports (see
 * store.h): the reports themselves (COND-n) and the reads of one period
 * that their figures are made of, one "section" each.
 *
 * Conventions as in store.h: writes take the tx of a store_write; reads take
 * tx = NULL (or the tx, to see its changes). Records handed out own their
 * strings; release them with model/condition.h's functions.
 *
 * Invariants the backend keeps: keys are unique; one report per day and
 * shift (ERR_CONFLICT on "date"); a signed report's figures and remarks
 * never change and no report is deleted (triggers refuse it); updates
 * guarded by a version apply only when the stored version is the one
 * before (else ERR_CONFLICT on "version").
 */
#ifndef ITSM_STORE_CONDITION_H
#define ITSM_STORE_CONDITION_H

#include <jansson.h>

#include "model/condition.h"
#include "store/store.h"

/* What a period holds, as rows a report shows (each a JSON object; times
 * RFC 3339) and a total. Periods are [from, to) in UTC seconds. */
enum cond_section {
	COND_RUNS,       /* runs started: {status, count} per status; total runs */
	COND_DEVIATIONS, /* steps recorded with a deviation: {run, procedure, step,
			  * deviation, incident, done_by, done_at}; total: the
			  * runs that have one */
	COND_OPENED,     /* incidents opened: {key, title, priority, status, at} */
	COND_RESOLVED,   /* incidents resolved: {key, title, priority, status, at} */
	COND_CHANGES,    /* changes whose implementation started: {key, title, type,
			  * status, at} */
	COND_SLA,        /* SLA warnings and breaches fired: {ticket, clock, event, at} */
	COND_SLA_KINDS,  /* the same counted: {event, count} per event */
	COND_EVENTS,     /* monitoring events: {severity, count} per severity */
	COND_OUTAGES,    /* outages overlapping the period: {id, service, start, end,
			  * planned, incident} */
	COND__SECTIONS
};

struct store_condition_ops {
	/* Insert r (id, version 1 set). ERR_CONFLICT on "date" when the day
	 * and shift have a report. */
	int (*insert)(struct store_tx *tx, struct cond_report *r, struct err *e);
	/* Write state, remarks, signature, figures, acknowledgement,
	 * updated_at and version when the stored version is r->version - 1. */
	int (*update)(struct store_tx *tx, const struct cond_report *r, struct err *e);
	/* By key; ERR_NOT_FOUND when none. */
	int (*get)(struct store *st, struct store_tx *tx, const char *key, struct cond_report *r,
		   struct err *e);
	/* Every report (of state, unless NULL) in id order. */
	int (*list)(struct store *st, const char *state, struct cond_report **out, size_t *n,
		    struct err *e);
	/* The first limit rows of section in [from, to) into a new array
	 * *rows (the caller decrefs), in time order, and its total. */
	int (*section)(struct store *st, struct store_tx *tx, enum cond_section which,
		       int64_t from, int64_t to, int64_t limit, json_t **rows, int64_t *total,
		       struct err *e);
};

#endif
