/*
 * model/guideline.h — operational guidelines as the store hands them out: a
 * guideline (GL-n) with its working text.
 *
 * Plain data: no rules, no I/O (the rules are domain/guideline/). The
 * columns are what the store selects on; the audience and the checklist
 * are the owned canonical JSON text in body.
 */
#ifndef ITSM_MODEL_GUIDELINE_H
#define ITSM_MODEL_GUIDELINE_H

#include <stddef.h>
#include <stdint.h>

#define GUIDELINE_TITLE_MAX 200
#define GUIDELINE_TEXT_MAX 200000

struct guideline_rec {
	int64_t id;
	char key[24];     /* "GL-n" */
	char title[GUIDELINE_TITLE_MAX + 1];
	char status[16];  /* draft, published, retired */
	int64_t current;  /* the published version; 0 before the first */
	char *draft;      /* owned: the Markdown being written */
	int64_t every_days, next_check; /* the checklist's period; 0: none */
	char *body;       /* owned: audience and checklist, canonical JSON */
	char created_by[64];
	int64_t created_at, updated_at, version;
};

void guideline_rec_release(struct guideline_rec *g);
/* Free an array the store hands out, elements included. */
void guideline_free_recs(struct guideline_rec *g, size_t n);

#endif
