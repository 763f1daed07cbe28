/*
 * skill.h — the ITSS (IT Service Management) skill assessment engine: pure
 * logic, no storage, no HTTP.
 *
 * Invariants:
 *  - The seed's Key Performance Indicators live in skill_rules.c as const
 *    tables, one row per (field, level); skill_rules_version names them and
 *    changes whenever a row does. Nothing here writes to the tables.
 *  - Assessment is a function of (profile, as_of, verified_only, rules): the
 *    same input always gives the same answer, so stored results can be
 *    compared by input hash and rules_version.
 *  - Exams are shown beside the result and never counted in it.
 *  - A profile is validated completely before anything is assessed; on bad
 *    input nothing is returned but an ERR_INVALID naming the item
 *    ("careers[2].role") with a lowercase message, subject quoted.
 *
 * Codes and readings of the seed: docs/skills.md.
 */
#ifndef ITSM_DOMAIN_SKILL_H
#define ITSM_DOMAIN_SKILL_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/err.h"

/* ---- codes ---------------------------------------------------------- */

enum skill_field {
	SKILL_OPERATIONS_MANAGEMENT,
	SKILL_SYSTEM_MANAGEMENT,
	SKILL_OPERATION,
	SKILL_SERVICE_DESK,
	SKILL_FIELD_COUNT
};

/* Ordered: a higher role satisfies a rule that asks for a lower one. */
enum skill_role {
	SKILL_ROLE_MEMBER,
	SKILL_ROLE_LEADER,
	SKILL_ROLE_RESPONSIBLE,
	SKILL_ROLE_RESPONSIBLE_FOR_CUSTOMERS,
	SKILL_ROLE_RESPONSIBLE_FOR_WHOLE,
	SKILL_ROLE_COUNT
};

/* Specialty depth; the value of each is the level it stands for (3..7). */
enum skill_depth {
	SKILL_DEPTH_NONE = 0,
	SKILL_DEPTH_SELF = 3,
	SKILL_DEPTH_GUIDE_SUBORDINATES = 4,
	SKILL_DEPTH_GUIDE_OTHERS_COMPANY = 5,
	SKILL_DEPTH_GUIDE_OTHERS_INDUSTRY = 6,
	SKILL_DEPTH_LEADS_INDUSTRY = 7,
};

#define SKILL_MAX_CODES 8
#define SKILL_SUCCESSION_KINDS 7

/* A field: its name, level range and the codes a career in it may carry. A
 * rule's complexity and responsibility sets are bitmasks over these arrays. */
struct skill_field_def {
	const char *name;
	int min_level, max_level;
	const char *complexity[SKILL_MAX_CODES];
	int ncomplexity;
	const char *responsibilities[SKILL_MAX_CODES];
	int nresponsibilities;
};

/* A size band: alternatives, any one of which suffices; 0 = not offered. */
struct skill_band {
	int64_t persons;
	int64_t contract_yen;
	int64_t peak_persons;
	int64_t users;
};

/* One row of the seed's indicators: what level `level` of `field` asks. */
struct skill_rule {
	enum skill_field field;
	int level;
	enum skill_role role;           /* at least this role */
	int years;                      /* union of periods, 365-day years */
	unsigned complexity;            /* bitmask over the field's complexity codes */
	int complexity_count;           /* criteria of that list one record must carry */
	int required_complexity;        /* index that must be among them, or -1 */
	int size_specified;             /* 0: "Not specified." */
	struct skill_band main;         /* lower bounds only */
	struct skill_band lower;        /* accepted with lower_count criteria */
	int lower_count;                /* 0: no lower band */
	unsigned responsibilities;      /* bitmask over the field's responsibilities */
	enum skill_depth depth;         /* specialty depth at least */
	int succession;                 /* distinct kinds of expertise succession */
	int develops_subordinates;
};

extern const char skill_rules_version[];
extern const struct skill_field_def skill_fields[SKILL_FIELD_COUNT];
extern const char *const skill_role_names[SKILL_ROLE_COUNT];
extern const char *const skill_succession_kinds[SKILL_SUCCESSION_KINDS];
extern const struct skill_rule skill_rules[];
extern const size_t skill_rules_count;

/* Lookups: the code's index (or enum value), -1 when unknown. */
int skill_field_from_name(const char *name);
int skill_role_from_name(const char *name);
int skill_depth_from_name(const char *name); /* SKILL_DEPTH_* or -1 */
const char *skill_depth_name(int depth);       /* NULL for SKILL_DEPTH_NONE */
int skill_succession_from_name(const char *name);
/* The row for (field, level), NULL when the field has no such level. */
const struct skill_rule *skill_rule_find(enum skill_field field, int level);

/* ---- validation ----------------------------------------------------- */

/* Each validates one item and returns 0 or ERR_INVALID with e->field set to
 * prefix + "." + the key at fault ("careers[3].role"; with prefix "" just
 * "role"). Unknown keys are refused (a typo must not lower a level silently);
 * docs/skills.md lists the keys each item accepts. */
int skill_validate_career(const json_t *career, const char *prefix, struct err *e);
int skill_validate_succession(const json_t *item, const char *prefix, struct err *e);
/* The specialty map {"<field>": "<depth>"}; prefix is usually "specialty". */
int skill_validate_specialty(const json_t *map, const char *prefix, struct err *e);
/* A whole profile (the shape in docs/skills.md). */
int skill_validate_profile(const json_t *profile, struct err *e);

/* ---- assessment ----------------------------------------------------- */

/* Validate a profile and assess it. today_days (days since 1970-01-01) is
 * used when the profile has no "as_of". On success returns 0 and sets *out to
 * a new reference the caller json_decref()s:
 *   {"name","as_of","rules_version","basis":"declared"|"verified",
 *    "fields":{"<field>":{"level":N|null,"criteria":[...],
 *                         "next":{"level":N+1,"missing":[...]}|null}},
 *    "careers":[{"record","field","equivalent_level"}],
 *    "exams":[...],"anomalies":[...]}
 * On bad input returns ERR_INVALID (e names the item) and leaves *out NULL;
 * ERR_INTERNAL when memory runs out. */
int skill_assess(const json_t *profile, int64_t today_days, json_t **out, struct err *e);
/* As skill_assess; with verified_only set, careers and succession items not
 * marked "verified": true are ignored (the manager-verified level). */
int skill_assess_ex(const json_t *profile, int64_t today_days, int verified_only,
		    json_t **out, struct err *e);

#endif
