/*
 * skill_rules.c — the seed's Key Performance Indicators for IT Service
 * Management (shared/spec/itss-it-service-management.txt) as const tables.
 *
 * Invariants:
 *  - One row per (field, level), every level from the field's min_level to
 *    its max_level present exactly once; skill_rule_find relies on it.
 *  - Complexity and responsibility sets are bitmasks over the field's code
 *    arrays in skill_fields[]; a code's bit is its index there, so the arrays
 *    may only ever be appended to.
 *  - Size bands are lower bounds only (issue 4): "75 or more but less than
 *    150" is stored as 75, since a larger service counts for a lower level.
 *  - Any change to a row changes skill_rules_version.
 *
 * Each row cites the seed's wording in a comment; docs/skills.md has the
 * readings chosen where the seed is ambiguous.
 */
#include "domain/skills/skill.h"

#include <string.h>

const char skill_rules_version[] = "itss-ism-2026.1";

/* Bits of the Operations Management complexity list. */
#define OM_INTL_OPS          (1u << 0)
#define OM_ALL               0x7fu /* levels 6–7: all seven */
#define OM_DOMESTIC          0x7cu /* levels 3–5: the last five */
#define SM_ALL               0x1fu
#define OP_ALL               0x0fu
#define SD_ALL               0x1fu
#define SM_RESP              0x07u /* design/build, acceptance, maintenance */
#define OP_RESP              0x03u /* unscheduled tasks, improvement proposals */
#define SD_RESP              0x01u /* manages agreed service level */

#define YEN_M(n)             ((int64_t)(n) * 1000000)

const struct skill_field_def skill_fields[SKILL_FIELD_COUNT] = {
	[SKILL_OPERATIONS_MANAGEMENT] = {
		.name = "operations_management", .min_level = 3, .max_level = 7,
		.complexity = { "intl_ops", "intl_advanced_ops", "adv_ops_req",
				"adv_infra_req", "adv_system_link", "structure",
				"complex_contract" },
		.ncomplexity = 7,
		.nresponsibilities = 0,
	},
	[SKILL_SYSTEM_MANAGEMENT] = {
		.name = "system_management", .min_level = 3, .max_level = 6,
		.complexity = { "adv_sys_ops_req", "complex_os", "adv_app_req",
				"structure", "complex_contract" },
		.ncomplexity = 5,
		.responsibilities = { "common_env_design_build", "acceptance_criteria",
				      "maintenance_mgmt" },
		.nresponsibilities = 3,
	},
	[SKILL_OPERATION] = {
		.name = "operation", .min_level = 3, .max_level = 4,
		.complexity = { "complex_ops_system", "adv_business_req", "structure",
				"complex_contract" },
		.ncomplexity = 4,
		.responsibilities = { "unscheduled_tasks", "improvement_proposals" },
		.nresponsibilities = 2,
	},
	[SKILL_SERVICE_DESK] = {
		.name = "service_desk", .min_level = 3, .max_level = 4,
		.complexity = { "adv_support_system", "adv_network_req", "adv_app_req",
				"structure", "complex_contract" },
		.ncomplexity = 5,
		.responsibilities = { "manages_agreed_sl" },
		.nresponsibilities = 1,
	},
};

const char *const skill_role_names[SKILL_ROLE_COUNT] = {
	"member", "leader", "responsible", "responsible_for_customers",
	"responsible_for_whole",
};

const char *const skill_succession_kinds[SKILL_SUCCESSION_KINDS] = {
	"community", "book", "paper_external", "paper_internal",
	"instructor_external", "instructor_internal", "patent",
};

static const struct {
	const char *name;
	enum skill_depth depth;
} depths[] = {
	{ "self", SKILL_DEPTH_SELF },
	{ "guide_subordinates", SKILL_DEPTH_GUIDE_SUBORDINATES },
	{ "guide_others_company", SKILL_DEPTH_GUIDE_OTHERS_COMPANY },
	{ "guide_others_industry", SKILL_DEPTH_GUIDE_OTHERS_INDUSTRY },
	{ "leads_industry", SKILL_DEPTH_LEADS_INDUSTRY },
};

const struct skill_rule skill_rules[] = {
	/* OM7: "person responsible for the whole of IT service management for
	 * customers ... 3 years"; "three or more ... (International operations
	 * management is required)"; 250 persons or 2.5 billion yen, or 150 /
	 * 1.5 billion with five or more; "leads the industry"; five items. */
	{ SKILL_OPERATIONS_MANAGEMENT, 7, SKILL_ROLE_RESPONSIBLE_FOR_WHOLE, 3,
	  OM_ALL, 3, 0, 1, { 250, YEN_M(2500), 0, 0 }, { 150, YEN_M(1500), 0, 0 }, 5,
	  0, SKILL_DEPTH_LEADS_INDUSTRY, 5, 1 },
	/* OM6: "responsible for IT service management for customers"; two or
	 * more of seven; 150 / 1.5 billion, or 75 / 750 million with four. */
	{ SKILL_OPERATIONS_MANAGEMENT, 6, SKILL_ROLE_RESPONSIBLE_FOR_CUSTOMERS, 3,
	  OM_ALL, 2, -1, 1, { 150, YEN_M(1500), 0, 0 }, { 75, YEN_M(750), 0, 0 }, 4,
	  0, SKILL_DEPTH_GUIDE_OTHERS_INDUSTRY, 4, 1 },
	/* OM5: "responsible for IT service management"; two of the five;
	 * 75 / 750 million, or 35 / 350 million with four. */
	{ SKILL_OPERATIONS_MANAGEMENT, 5, SKILL_ROLE_RESPONSIBLE, 3,
	  OM_DOMESTIC, 2, -1, 1, { 75, YEN_M(750), 0, 0 }, { 35, YEN_M(350), 0, 0 }, 4,
	  0, SKILL_DEPTH_GUIDE_OTHERS_COMPANY, 3, 1 },
	/* OM4: "leader of operations management team ... 2 years"; 35 / 350
	 * million, or 15 / 150 million with four. */
	{ SKILL_OPERATIONS_MANAGEMENT, 4, SKILL_ROLE_LEADER, 2,
	  OM_DOMESTIC, 2, -1, 1, { 35, YEN_M(350), 0, 0 }, { 15, YEN_M(150), 0, 0 }, 4,
	  0, SKILL_DEPTH_GUIDE_SUBORDINATES, 1, 1 },
	/* OM3: "member ... one or more years"; size "Not specified." */
	{ SKILL_OPERATIONS_MANAGEMENT, 3, SKILL_ROLE_MEMBER, 1,
	  OM_DOMESTIC, 2, -1, 0, { 0 }, { 0 }, 0,
	  0, SKILL_DEPTH_SELF, 0, 0 },

	/* SM6: "Leads members, as a person responsible for system management
	 * team ... 3 years"; 150 / 1.5 billion, or 75 / 750 million with four;
	 * "contributes to the industry"; four items. */
	{ SKILL_SYSTEM_MANAGEMENT, 6, SKILL_ROLE_RESPONSIBLE, 3,
	  SM_ALL, 2, -1, 1, { 150, YEN_M(1500), 0, 0 }, { 75, YEN_M(750), 0, 0 }, 4,
	  SM_RESP, SKILL_DEPTH_GUIDE_OTHERS_INDUSTRY, 4, 1 },
	/* SM5: "as a person responsible for system management team ... 3
	 * years"; "75 or more but less than 150 persons, or 750 million or more
	 * but less than 1.5 billion" (lower bound kept), or 35 / 350 million
	 * with four. */
	{ SKILL_SYSTEM_MANAGEMENT, 5, SKILL_ROLE_RESPONSIBLE, 3,
	  SM_ALL, 2, -1, 1, { 75, YEN_M(750), 0, 0 }, { 35, YEN_M(350), 0, 0 }, 4,
	  SM_RESP, SKILL_DEPTH_GUIDE_OTHERS_COMPANY, 3, 1 },
	/* SM4: "leader of system management team ... 2 years"; "35 or more but
	 * less than 75" (lower bound kept), or 15 / 150 million with four. */
	{ SKILL_SYSTEM_MANAGEMENT, 4, SKILL_ROLE_LEADER, 2,
	  SM_ALL, 2, -1, 1, { 35, YEN_M(350), 0, 0 }, { 15, YEN_M(150), 0, 0 }, 4,
	  SM_RESP, SKILL_DEPTH_GUIDE_SUBORDINATES, 1, 1 },
	/* SM3: "member ... one or more years"; size "Not specified."; the
	 * level-3 text names none of the design/acceptance/maintenance duties. */
	{ SKILL_SYSTEM_MANAGEMENT, 3, SKILL_ROLE_MEMBER, 1,
	  SM_ALL, 2, -1, 0, { 0 }, { 0 }, 0,
	  0, SKILL_DEPTH_SELF, 0, 0 },

	/* Operation 4: "leader of operations team ... including unscheduled
	 * task for two years"; "30 or more, or 300 million", or 15 / 150
	 * million with four. */
	{ SKILL_OPERATION, 4, SKILL_ROLE_LEADER, 2,
	  OP_ALL, 2, -1, 1, { 30, YEN_M(300), 0, 0 }, { 15, YEN_M(150), 0, 0 }, 4,
	  OP_RESP, SKILL_DEPTH_GUIDE_SUBORDINATES, 1, 1 },
	/* Operation 3: "member of operation team ... one or more years". */
	{ SKILL_OPERATION, 3, SKILL_ROLE_MEMBER, 1,
	  OP_ALL, 2, -1, 0, { 0 }, { 0 }, 0,
	  OP_RESP, SKILL_DEPTH_SELF, 0, 0 },

	/* Service Desk 4: "leader of service desk team ... two or more years";
	 * "20 or more persons during peak period", "Annual contract value of
	 * 100 million yen", "3000 or more persons" of users; no lower band. */
	{ SKILL_SERVICE_DESK, 4, SKILL_ROLE_LEADER, 2,
	  SD_ALL, 2, -1, 1, { 0, YEN_M(100), 20, 3000 }, { 0 }, 0,
	  SD_RESP, SKILL_DEPTH_GUIDE_SUBORDINATES, 1, 1 },
	/* Service Desk 3: "member of service desk team ... for two or more
	 * years" (two, not one, in the seed). */
	{ SKILL_SERVICE_DESK, 3, SKILL_ROLE_MEMBER, 2,
	  SD_ALL, 2, -1, 0, { 0 }, { 0 }, 0,
	  SD_RESP, SKILL_DEPTH_SELF, 0, 0 },
};

const size_t skill_rules_count = sizeof(skill_rules) / sizeof(skill_rules[0]);

int skill_field_from_name(const char *name)
{
	for (int i = 0; i < SKILL_FIELD_COUNT; i++)
		if (name && !strcmp(name, skill_fields[i].name))
			return i;
	return -1;
}

int skill_role_from_name(const char *name)
{
	for (int i = 0; i < SKILL_ROLE_COUNT; i++)
		if (name && !strcmp(name, skill_role_names[i]))
			return i;
	return -1;
}

int skill_depth_from_name(const char *name)
{
	for (size_t i = 0; i < sizeof(depths) / sizeof(depths[0]); i++)
		if (name && !strcmp(name, depths[i].name))
			return (int)depths[i].depth;
	return -1;
}

const char *skill_depth_name(int depth)
{
	for (size_t i = 0; i < sizeof(depths) / sizeof(depths[0]); i++)
		if ((int)depths[i].depth == depth)
			return depths[i].name;
	return NULL;
}

int skill_succession_from_name(const char *name)
{
	for (int i = 0; i < SKILL_SUCCESSION_KINDS; i++)
		if (name && !strcmp(name, skill_succession_kinds[i]))
			return i;
	return -1;
}

const struct skill_rule *skill_rule_find(enum skill_field field, int level)
{
	for (size_t i = 0; i < skill_rules_count; i++)
		if (skill_rules[i].field == field && skill_rules[i].level == level)
			return &skill_rules[i];
	return NULL;
}
