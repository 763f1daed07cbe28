/*
 * model/risk.h — the risk register's records as the store hands them out:
 * a risk (RISK-n) and one of its preventive measures.
 *
 * Plain data: no rules, no I/O (the rules are domain/risk/). A risk's
 * columns are what the store selects on; its description, services, items
 * and last review are the owned canonical JSON text in body.
 */
#ifndef ITSM_MODEL_RISK_H
#define ITSM_MODEL_RISK_H

#include <stddef.h>
#include <stdint.h>

#define RISK_TITLE_MAX 200
#define RISK_TEXT_MAX 8000

struct risk_rec {
	int64_t id;
	char key[24];    /* "RISK-n" */
	char title[RISK_TITLE_MAX + 1];
	char status[16]; /* open, mitigating, accepted, closed */
	char owner[64];  /* a staff user's name */
	int likelihood, impact;
	int64_t review_every_days; /* 0: no periodic review */
	int64_t next_review;       /* 0: none */
	int64_t review_warned;     /* the next_review its owner was warned of */
	char *body;                /* owned: the rest of the record, canonical JSON */
	char created_by[64];
	int64_t created_at, updated_at, version;
};

struct risk_measure {
	int64_t id, risk_id;
	char description[RISK_TEXT_MAX + 1];
	char owner[64];
	int64_t due;        /* 0: none */
	char status[16];    /* planned, in_progress, done, cancelled */
	int64_t warned_due; /* the due date its owner was warned of */
	int64_t created_at, updated_at;
	char risk_key[24];  /* filled by the due list only */
};

void risk_rec_release(struct risk_rec *r);
/* Free an array the store hands out, elements included. */
void risk_free_recs(struct risk_rec *r, size_t n);

#endif
