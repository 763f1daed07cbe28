/*
 * model/skills.h — the skill module's records as the store hands them out:
 * a staff record, the career records a person declares (and a manager
 * verifies), and the append-only history of assessments.
 *
 * Plain data: no rules, no I/O (the rules are domain/skills/). Strings
 * marked "owned" are freed by the *_release functions.
 */
#ifndef ITSM_MODEL_SKILLS_H
#define ITSM_MODEL_SKILLS_H

#include <stddef.h>
#include <stdint.h>

#define STAFF_KEY_MAX 48
#define STAFF_NAME_MAX 199
#define STAFF_GROUPS_MAX 255
#define STAFF_NOTE_MAX 4000

struct staff {
	int64_t id;
	char key[STAFF_KEY_MAX + 1];
	char name[STAFF_NAME_MAX + 1];
	char groups[STAFF_GROUPS_MAX + 1]; /* comma-separated, no spaces */
	int64_t user_id;                    /* 0: not linked */
	char username[64];                  /* the linked user's, filled on read */
	char *profile;                      /* owned: JSON text of exams, succession,
					       specialty, develops_subordinates, note */
	int64_t created_at, updated_at, version;
};

struct staff_career {
	int64_t id, staff_id;
	char field[32];
	char *body;            /* owned: the declared record as canonical JSON */
	char declared_by[64];
	int64_t created_at;
	char verified_by[64];  /* "" while unverified */
	int64_t verified_at;   /* 0 while unverified */
};

struct staff_assessment {
	int64_t id, staff_id;
	int64_t at;
	char assessor[64];
	char rules_version[32];
	char input_hash[65];   /* hex BLAKE2b-256 of the canonical profile */
	char as_of[11];
	char *profile;         /* owned: the input, canonical JSON */
	char *result;          /* owned: {"declared": …, "verified": …} */
	char *levels;          /* owned: {"<field>": {"declared": N|null, "verified": N|null}} */
	char decided_field[32];/* "" when no level was decided */
	int decided_level;
	char *note;            /* owned, may be NULL */
};

void staff_release(struct staff *s);
void staff_career_release(struct staff_career *c);
void staff_assessment_release(struct staff_assessment *a);
/* Free arrays the store hands out, elements included. */
void staff_free_careers(struct staff_career *c, size_t n);
void staff_free_assessments(struct staff_assessment *a, size_t n);

#endif
