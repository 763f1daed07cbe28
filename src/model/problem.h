/*
 * model/problem.h — the problem module's records as the store hands them
 * out: a problem (PRB-n) and the filter of a problem list.
 *
 * Plain data: no rules, no I/O (the rules are domain/problem/). Strings
 * marked "owned" are freed by problem_release.
 */
#ifndef ITSM_MODEL_PROBLEM_H
#define ITSM_MODEL_PROBLEM_H

#include <stddef.h>
#include <stdint.h>

#define PROBLEM_TITLE_MAX 200
#define PROBLEM_TEXT_MAX 65536

struct problem {
	int64_t id;
	char key[24];          /* "PRB-7" */
	char *title;           /* owned */
	char *description;     /* owned */
	char *root_cause;      /* owned */
	char *workaround;      /* owned */
	char service[64];      /* a catalogue key, "" when none */
	int impact, urgency, priority;
	char status[16];       /* a name of domain/problem's lifecycle */
	char created_by[64];
	int64_t created_at, updated_at, resolved_at, closed_at, version;
};

struct problem_filter {
	const char *status;  /* NULL: every status */
	const char *service; /* NULL: every service */
	int64_t after_id;    /* 0: from the first */
	int limit;
};

void problem_release(struct problem *p);
/* Free an array the store hands out, elements included. */
void problem_free_array(struct problem *p, size_t n);

#endif
