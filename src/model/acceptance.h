/*
 * model/acceptance.h — an operational acceptance checklist (ACC-n) as the
 * store hands it out, and one piece of automatic evidence as the store
 * finds it.
 *
 * Plain data: no rules, no I/O (the rules are domain/acceptance/). The
 * columns are what the store selects on; the description, items, criteria
 * with their notes, plan and decisions are the owned canonical JSON in body.
 */
#ifndef ITSM_MODEL_ACCEPTANCE_H
#define ITSM_MODEL_ACCEPTANCE_H

#include <stddef.h>
#include <stdint.h>

#define ACC_TITLE_MAX 200
#define ACC_TEXT_MAX 8000

struct acc_rec {
	int64_t id;
	char key[24];     /* "ACC-n" */
	char title[ACC_TITLE_MAX + 1];
	char status[16];  /* open, go, no_go */
	char service[64]; /* a catalogue service key, "" for none */
	char *body;       /* owned: the rest of the record, canonical JSON */
	char created_by[64];
	int64_t created_at, updated_at, version;
};

/* What an automatic rule found: the record that proves it ("check" name,
 * "PROC-n", "RUN-n", SLA name) and when it was made or finished. */
struct acc_found {
	char ref[128];
	int64_t at;
};

void acc_rec_release(struct acc_rec *r);
/* Free an array the store hands out, elements included. */
void acc_free_recs(struct acc_rec *r, size_t n);

#endif
