/*
 * skill_int.h — what skill.c (assessment) and skill_validate.c (reading and
 * validating profiles) share: the parsed forms of a profile.
 */
#ifndef ITSM_SKILL_INT_H
#define ITSM_SKILL_INT_H

#include "domain/skills/skill.h"

enum { SZ_PERSONS, SZ_PEAK, SZ_YEN, SZ_USERS, SZ_COUNT };

/* The JSON names of a career's sizes, indexed by SZ_*. */
extern const char *const skill_size_keys[SZ_COUNT];

struct skill_career {
	int64_t ref;            /* how the answer names it: its "id" when it has
				   a positive integer one (a stored career, as
				   `itsm staff show` lists it), else its
				   0-based position in "careers" */
	int field, role;
	int64_t from, to;       /* inclusive; to = INT64_MAX while ongoing */
	int succeeded, verified;
	int64_t size[SZ_COUNT]; /* -1 when not given */
	unsigned complexity, responsibilities;
};

struct skill_succ {
	size_t index;
	int kind, field;        /* field -1: counts for every field */
	int64_t date;           /* INT64_MIN when not given */
	int verified;
};

struct skill_ctx {
	const char *name;
	int64_t as_of;
	int verified_only;
	struct skill_career *careers;
	size_t ncareers;
	struct skill_succ *succ;
	size_t nsucc;
	int depth[SKILL_FIELD_COUNT];
	int develops;
	const json_t *exams;
	int64_t (*iv)[2];       /* scratch: one period per career */
};

/* Validate a whole profile into x (careers and succession items allocated:
 * the caller frees x->careers, x->succ and x->iv). */
int skill_parse_profile(const json_t *p, int64_t today, struct skill_ctx *x, struct err *e);

#endif
