/*
 * model/condition.h — condition reports (COND-n) as the store hands them
 * out: the report of one period (a UTC day, or a shift starting on it),
 * its remarks, its state and, once signed, its frozen figures.
 *
 * Plain data: no rules, no I/O (the rules are domain/operation/condition*.c).
 * Strings marked "owned" are freed by cond_report_release.
 */
#ifndef ITSM_MODEL_CONDITION_H
#define ITSM_MODEL_CONDITION_H

#include <stddef.h>
#include <stdint.h>

#define COND_KEY_MAX 23
#define COND_SHIFT_MAX 63
#define COND_REMARKS_MAX 8000

struct cond_report {
	int64_t id;
	char key[COND_KEY_MAX + 1]; /* COND-n */
	int64_t day;                /* days since the epoch (UTC) */
	char shift[COND_SHIFT_MAX + 1]; /* "": the whole day */
	int64_t from, to;           /* the period [from, to), UTC seconds */
	char state[16];             /* draft, signed, acknowledged */
	char *remarks;              /* owned, never NULL once read */
	char created_by[64];
	char signed_by[64];         /* "" until signed */
	int64_t signed_at;
	char *figures;              /* owned: canonical JSON, NULL until signed */
	char figures_hash[65];      /* hex SHA-256 of figures; "" until signed */
	char acked_by[64];          /* "" until acknowledged */
	int64_t acked_at;
	int64_t created_at, updated_at, version;
};

void cond_report_release(struct cond_report *r);
/* Free an array the store hands out, elements included. */
void cond_free_reports(struct cond_report *r, size_t n);

#endif
