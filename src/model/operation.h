/*
 * model/operation.h — the records of operation by procedure as the store
 * hands them out: procedures (PROC-n) and their versions, the jobs of the
 * operation schedule (JOB-n), executions (RUN-n) and their recorded steps.
 *
 * Plain data: no rules, no I/O (the rules are domain/operation/). Strings
 * marked "owned" are freed by the *_release functions.
 */
#ifndef ITSM_MODEL_OPERATION_H
#define ITSM_MODEL_OPERATION_H

#include <stddef.h>
#include <stdint.h>

#define OP_KEY_MAX 23
#define OP_TITLE_MAX 200
#define OP_RRULE_MAX 255
#define OP_SHIFT_MAX 63
#define OP_ITEMS_MAX 1023

struct op_procedure {
	int64_t id;
	char key[OP_KEY_MAX + 1]; /* PROC-n */
	char title[OP_TITLE_MAX + 1];
	char created_by[64];
	int64_t created_at, updated_at, version;
	int64_t latest;    /* the newest version's number, filled on read */
	int64_t published; /* the newest published version's number; 0: none */
};

struct op_proc_version {
	int64_t id, procedure_id, number;
	char *steps; /* owned: canonical JSON array of {instruction, expected, confirm} */
	char created_by[64];
	int64_t created_at;
	char published_by[64]; /* "" while a draft */
	int64_t published_at;  /* 0 while a draft */
};

struct op_job {
	int64_t id;
	char key[OP_KEY_MAX + 1]; /* JOB-n */
	int64_t procedure_id;
	char proc_key[OP_KEY_MAX + 1]; /* filled on read */
	char rrule[OP_RRULE_MAX + 1];
	int64_t dtstart;
	int64_t deadline_min;
	char shift[OP_SHIFT_MAX + 1];
	char items[OP_ITEMS_MAX + 1]; /* CI keys, comma-separated */
	char created_by[64];
	int64_t created_at, updated_at, version;
};

struct op_run {
	int64_t id;
	char key[OP_KEY_MAX + 1]; /* RUN-n */
	int64_t procedure_id;
	char proc_key[OP_KEY_MAX + 1]; /* filled on read */
	int64_t proc_version;
	int64_t job_id;                 /* 0: ad hoc */
	char job_key[OP_KEY_MAX + 1];   /* filled on read; "" ad hoc */
	int64_t occurrence;             /* 0: ad hoc */
	char status[16];                /* running, completed, abandoned */
	char *reason;                   /* owned, NULL unless abandoned */
	char started_by[64];
	int64_t started_at, ended_at, updated_at, version;
};

struct op_step {
	int64_t id, run_id, step;
	char *result;    /* owned */
	char *deviation; /* owned, NULL when none */
	char ticket_key[32]; /* "" when no incident was opened */
	char done_by[64];
	int64_t done_at;
	char confirmed_by[64]; /* "" until confirmed */
	int64_t confirmed_at;
};

void op_proc_version_release(struct op_proc_version *v);
void op_run_release(struct op_run *r);
void op_step_release(struct op_step *s);
/* Free arrays the store hands out, elements included. */
void op_free_versions(struct op_proc_version *v, size_t n);
void op_free_runs(struct op_run *r, size_t n);
void op_free_steps(struct op_step *s, size_t n);

#endif
