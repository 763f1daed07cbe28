/*
 * model/change.h — the change control module's records as the store hands
 * them out: a change (CHG-n) and a freeze (blackout) window.
 *
 * Plain data: no rules, no I/O (the rules are domain/change/). A change's
 * columns are what the store selects on; everything else (plans, items,
 * services, approvers and their decisions, risk, planned outages, override,
 * review) is the owned canonical JSON text in body.
 */
#ifndef ITSM_MODEL_CHANGE_H
#define ITSM_MODEL_CHANGE_H

#include <stddef.h>
#include <stdint.h>

#define CHANGE_TITLE_MAX 200
#define FREEZE_REASON_MAX 500

struct change_rec {
	int64_t id;
	char key[24];       /* "CHG-n" */
	char type[16];      /* standard, normal, emergency */
	char status[16];    /* draft … closed (domain/change/change_rules.c) */
	char title[CHANGE_TITLE_MAX + 1];
	int64_t start, end; /* the planned window; 0 while not planned */
	char *body;         /* owned: the rest of the record, canonical JSON */
	char created_by[64];
	int64_t created_at, updated_at, version;
};

struct freeze_rec {
	int64_t id;
	char service[64];   /* "" for every service */
	int64_t start, end;
	char reason[FREEZE_REASON_MAX + 1];
	char created_by[64];
	int64_t created_at;
};

void change_rec_release(struct change_rec *c);
/* Free an array the store hands out, elements included. */
void change_free_recs(struct change_rec *c, size_t n);

#endif
