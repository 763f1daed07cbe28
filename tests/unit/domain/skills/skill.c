/*
 * tests/unit/domain/skill.c — the ITSS assessment engine against the seed.
 *
 * The core is one table: for every field and level, the numbers the seed
 * gives (written out here by hand, not read from skill_rules.c, so a wrong
 * row in the rules fails a test), and for each "miss by exactly one thing"
 * the level the profile must then reach. Each case builds a profile with one
 * career that just meets the level, applies one mutation, and checks the
 * level, that the criterion at the target level is unmet with the right
 * reason named, and that next.missing carries its shortfall.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <jansson.h>
#include <string.h>

#include "domain/skills/skill.h"
#include "lib/timeutil.h"

#define AS_OF "2026-01-01"

enum mut {
	M_JUST,         /* just meets the level */
	M_DAY_SHORT,    /* one day short of the years */
	M_CX_SHORT,     /* one complexity criterion short */
	M_UNDER,        /* one person under the main band */
	M_YEN_JUST,     /* the main band reached by contract value alone */
	M_YEN_UNDER,    /* one yen under it */
	M_LOWER_JUST,   /* the lower band with the larger complexity count */
	M_LOWER_NO_CX,  /* the lower band one criterion short of it */
	M_LOWER_UNDER,  /* one person under the lower band, with the larger count */
	M_SUCC_SHORT,   /* one succession kind short */
	M_NO_INTL,      /* Operations Management 7 without intl_ops */
	M_FAILED,       /* the project failed */
	M_NO_RESP,      /* one field responsibility missing */
	M_ROLE_LOW,     /* a role one step too low */
	M_DEPTH_LOW,    /* specialty depth one step too low (none at level 3) */
	M_NO_DEVELOPS,  /* does not develop subordinates */
	M_USERS_JUST,   /* Service Desk 4: 3000 users */
	M_USERS_UNDER,  /* 2999 users */
	M_COUNT
};

static const char *const mut_names[M_COUNT] = {
	"just", "day_short", "cx_short", "under", "yen_just", "yen_under", "lower_just",
	"lower_no_cx", "lower_under", "succ_short", "no_intl", "failed", "no_resp", "role_low",
	"depth_low", "no_develops", "users_just", "users_under",
};

#define NA (-1)

struct row {
	const char *field;
	int level;
	const char *role, *role_below;
	int years;
	const char *size_key;    /* persons or peak_persons; NULL: size not specified */
	long long persons, yen;  /* main band lower bounds */
	long long lower_persons, lower_yen; /* 0: no lower band */
	const char *cx[4];       /* fewest criteria meeting this level and all below */
	const char *cx_lower[6]; /* the larger count for the lower band */
	const char *resp[4];
	const char *depth, *depth_below;
	int succession;
	int expect[M_COUNT];     /* level reached; 0 = null; NA = not applicable */
};

#define OM "operations_management"
#define SM "system_management"
#define OP "operation"
#define SD "service_desk"

static const struct row rows[] = {
	/* expect columns: just dshort cx under yen yenU lowJ lowN lowU succ intl fail resp role depth dev usr usrU */
	{ OM, 7, "responsible_for_whole", "responsible_for_customers", 3, "persons",
	  250, 2500000000LL, 150, 1500000000LL, { "intl_ops", "adv_ops_req", "adv_infra_req" },
	  { "intl_ops", "adv_ops_req", "adv_infra_req", "adv_system_link", "structure" },
	  { 0 }, "leads_industry", "guide_others_industry", 5,
	  { 7, 4, 0, 6, 7, 6, 7, 6, 6, 6, 6, 0, NA, 6, 6, 3, NA, NA } },
	{ OM, 6, "responsible_for_customers", "responsible", 3, "persons",
	  150, 1500000000LL, 75, 750000000LL, { "adv_ops_req", "adv_infra_req" },
	  { "adv_ops_req", "adv_infra_req", "adv_system_link", "structure" },
	  { 0 }, "guide_others_industry", "guide_others_company", 4,
	  { 6, 4, 0, 5, 6, 5, 6, 5, 5, 5, NA, 0, NA, 5, 5, 3, NA, NA } },
	{ OM, 5, "responsible", "leader", 3, "persons",
	  75, 750000000LL, 35, 350000000LL, { "adv_ops_req", "structure" },
	  { "adv_ops_req", "adv_infra_req", "adv_system_link", "complex_contract" },
	  { 0 }, "guide_others_company", "guide_subordinates", 3,
	  { 5, 4, 0, 4, 5, 4, 5, 4, 4, 4, NA, 0, NA, 4, 4, 3, NA, NA } },
	{ OM, 4, "leader", "member", 2, "persons",
	  35, 350000000LL, 15, 150000000LL, { "adv_system_link", "complex_contract" },
	  { "adv_ops_req", "adv_infra_req", "adv_system_link", "complex_contract" },
	  { 0 }, "guide_subordinates", "self", 1,
	  { 4, 3, 0, 3, 4, 3, 4, 3, 3, 3, NA, 0, NA, 3, 3, 3, NA, NA } },
	{ OM, 3, "member", NULL, 1, NULL, 0, 0, 0, 0, { "structure", "complex_contract" },
	  { 0 }, { 0 }, "self", NULL, 0,
	  { 3, 0, 0, NA, NA, NA, NA, NA, NA, NA, NA, 0, NA, NA, 0, NA, NA, NA } },

	{ SM, 6, "responsible", "leader", 3, "persons",
	  150, 1500000000LL, 75, 750000000LL, { "adv_sys_ops_req", "complex_os" },
	  { "adv_sys_ops_req", "complex_os", "adv_app_req", "structure" },
	  { "common_env_design_build", "acceptance_criteria", "maintenance_mgmt" },
	  "guide_others_industry", "guide_others_company", 4,
	  { 6, 4, 0, 5, 6, 5, 6, 5, 5, 5, NA, 0, 3, 4, 5, 3, NA, NA } },
	{ SM, 5, "responsible", "leader", 3, "persons",
	  75, 750000000LL, 35, 350000000LL, { "adv_app_req", "structure" },
	  { "complex_os", "adv_app_req", "structure", "complex_contract" },
	  { "common_env_design_build", "acceptance_criteria", "maintenance_mgmt" },
	  "guide_others_company", "guide_subordinates", 3,
	  { 5, 4, 0, 4, 5, 4, 5, 4, 4, 4, NA, 0, 3, 4, 4, 3, NA, NA } },
	{ SM, 4, "leader", "member", 2, "persons",
	  35, 350000000LL, 15, 150000000LL, { "complex_os", "complex_contract" },
	  { "adv_sys_ops_req", "complex_os", "adv_app_req", "complex_contract" },
	  { "common_env_design_build", "acceptance_criteria", "maintenance_mgmt" },
	  "guide_subordinates", "self", 1,
	  { 4, 3, 0, 3, 4, 3, 4, 3, 3, 3, NA, 0, 3, 3, 3, 3, NA, NA } },
	{ SM, 3, "member", NULL, 1, NULL, 0, 0, 0, 0, { "adv_sys_ops_req", "structure" },
	  { 0 }, { 0 }, "self", NULL, 0,
	  { 3, 0, 0, NA, NA, NA, NA, NA, NA, NA, NA, 0, NA, NA, 0, NA, NA, NA } },

	{ OP, 4, "leader", "member", 2, "persons",
	  30, 300000000LL, 15, 150000000LL, { "complex_ops_system", "adv_business_req" },
	  { "complex_ops_system", "adv_business_req", "structure", "complex_contract" },
	  { "unscheduled_tasks", "improvement_proposals" }, "guide_subordinates", "self", 1,
	  { 4, 3, 0, 3, 4, 3, 4, 3, 3, 3, NA, 0, 0, 3, 3, 3, NA, NA } },
	{ OP, 3, "member", NULL, 1, NULL, 0, 0, 0, 0, { "structure", "complex_contract" },
	  { 0 }, { "unscheduled_tasks", "improvement_proposals" }, "self", NULL, 0,
	  { 3, 0, 0, NA, NA, NA, NA, NA, NA, NA, NA, 0, 0, NA, 0, NA, NA, NA } },

	{ SD, 4, "leader", "member", 2, "peak_persons",
	  20, 100000000LL, 0, 0, { "adv_support_system", "adv_network_req" },
	  { 0 }, { "manages_agreed_sl" }, "guide_subordinates", "self", 1,
	  { 4, 0, 0, 3, 4, 3, NA, NA, NA, 3, NA, 0, 0, 3, 3, 3, 4, 3 } },
	{ SD, 3, "member", NULL, 2, NULL, 0, 0, 0, 0, { "adv_app_req", "complex_contract" },
	  { 0 }, { "manages_agreed_sl" }, "self", NULL, 0,
	  { 3, 0, 0, NA, NA, NA, NA, NA, NA, NA, NA, 0, 0, NA, 0, NA, NA, NA } },
};

#define NROWS (sizeof(rows) / sizeof(rows[0]))

static int64_t day(const char *s)
{
	int64_t d = 0;

	assert_int_equal(time_parse_date(s, &d), 0);
	return d;
}

static json_t *strings(const char *const *v, int max, int skip_last)
{
	json_t *a = json_array();
	int n = 0;

	while (n < max && v[n])
		n++;
	for (int i = 0; i < n - (skip_last ? 1 : 0); i++)
		json_array_append_new(a, json_string(v[i]));
	return a;
}

/* One career that just meets r, with mutation m applied. */
static json_t *build(const struct row *r, enum mut m)
{
	static const char *const kinds[] = { "community", "book", "paper_external",
		"paper_internal", "instructor_external", "instructor_internal", "patent" };
	int64_t as_of = day(AS_OF), from = as_of - 365LL * r->years + 1;
	json_t *c, *p, *succ = json_array(), *spec = json_object();
	char f[11];
	int nsucc = r->succession - (m == M_SUCC_SHORT);

	if (m == M_DAY_SHORT)
		from++;
	time_format_date(from, f);
	c = json_pack("{s:s, s:s, s:s, s:s}", "field", r->field, "role",
		      m == M_ROLE_LOW ? r->role_below : r->role, "from", f, "to", AS_OF);
	if (m == M_FAILED)
		json_object_set_new(c, "succeeded", json_false());
	if (r->size_key) {
		long long persons = r->persons;

		if (m == M_UNDER)
			persons--;
		if (m == M_LOWER_JUST || m == M_LOWER_NO_CX || m == M_LOWER_UNDER)
			persons = r->lower_persons - (m == M_LOWER_UNDER);
		if (m == M_YEN_JUST || m == M_YEN_UNDER)
			json_object_set_new(c, "contract_yen",
				json_integer(r->yen - (m == M_YEN_UNDER)));
		else if (m == M_USERS_JUST || m == M_USERS_UNDER)
			json_object_set_new(c, "users",
				json_integer(3000 - (m == M_USERS_UNDER)));
		else
			json_object_set_new(c, r->size_key, json_integer(persons));
	}
	if (m == M_LOWER_JUST || m == M_LOWER_NO_CX || m == M_LOWER_UNDER)
		json_object_set_new(c, "complexity", strings(r->cx_lower, 6, m == M_LOWER_NO_CX));
	else if (m == M_NO_INTL)
		json_object_set_new(c, "complexity", json_pack("[s, s, s]", "intl_advanced_ops",
						"adv_ops_req", "adv_infra_req"));
	else
		json_object_set_new(c, "complexity", strings(r->cx, 4, m == M_CX_SHORT));
	json_object_set_new(c, "responsibilities", strings(r->resp, 4, m == M_NO_RESP));

	for (int i = 0; i < nsucc; i++)
		json_array_append_new(succ, json_pack("{s:s, s:s}", "kind", kinds[i], "date",
						      "2024-05-01"));
	if (m != M_DEPTH_LOW || r->depth_below)
		json_object_set_new(spec, r->field, json_string(m == M_DEPTH_LOW ?
						r->depth_below : r->depth));
	p = json_pack("{s:s, s:s, s:[o], s:o, s:o, s:b}", "name", "case", "as_of", AS_OF,
		      "careers", c, "succession", succ, "specialty", spec,
		      "develops_subordinates", r->level >= 4 && m != M_NO_DEVELOPS);
	assert_non_null(p);
	return p;
}

static json_t *assess(json_t *profile, int verified_only)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = skill_assess_ex(profile, day("2030-01-01"), verified_only, &out, &e);

	if (rc)
		print_error("unexpected error %d at '%s': %s\n", rc, e.field, e.msg);
	assert_int_equal(rc, 0);
	assert_non_null(out);
	json_decref(profile);
	return out;
}

static int level_of(const json_t *out, const char *field)
{
	const json_t *l = json_object_get(json_object_get(json_object_get(out, "fields"),
							  field), "level");

	assert_non_null(l);
	return json_is_null(l) ? 0 : (int)json_integer_value(l);
}

static json_t *crit(const json_t *out, const char *field, int level, const char *kind)
{
	json_t *arr = json_object_get(json_object_get(json_object_get(out, "fields"), field),
				      "criteria"), *c;
	size_t i;

	json_array_foreach(arr, i, c)
		if (json_integer_value(json_object_get(c, "level")) == level &&
		    !strcmp(json_string_value(json_object_get(c, "kind")), kind))
			return c;
	fail_msg("no %s criterion at level %d of %s", kind, level, field);
	return NULL;
}

static const char *shortfall(const json_t *c)
{
	const char *s = json_string_value(json_object_get(c, "shortfall"));

	assert_false(json_is_true(json_object_get(c, "met")));
	assert_non_null(s);
	return s;
}

/* Does any rejected record of criterion c carry a reason containing needle? */
static int rejected_for(const json_t *c, const char *needle)
{
	json_t *rej, *why;
	size_t i, j;

	json_array_foreach(json_object_get(c, "rejected"), i, rej)
		json_array_foreach(json_object_get(rej, "reasons"), j, why)
			if (strstr(json_string_value(why), needle))
				return 1;
	return 0;
}

static int missing_has(const json_t *out, const char *field, const char *s)
{
	json_t *next = json_object_get(json_object_get(json_object_get(out, "fields"), field),
				       "next"), *v;
	size_t i;

	json_array_foreach(json_object_get(next, "missing"), i, v)
		if (!strcmp(json_string_value(v), s))
			return 1;
	return 0;
}

static const char *mut_kind(enum mut m)
{
	switch (m) {
	case M_SUCC_SHORT:
		return "succession";
	case M_DEPTH_LOW:
		return "specialty";
	case M_NO_DEVELOPS:
		return "develops_subordinates";
	default:
		return "business";
	}
}

static int check_named(const struct row *r, enum mut m, const json_t *c)
{
	char buf[160];
	int n;

	switch (m) {
	case M_DAY_SHORT:
		snprintf(buf, sizeof(buf), "; has %d.9", r->years - 1);
		return strstr(shortfall(c), buf) &&
		       json_array_size(json_object_get(c, "records")) == 1;
	case M_CX_SHORT:
		return rejected_for(c, "complexity criteria, needs");
	case M_UNDER: case M_YEN_UNDER: case M_USERS_UNDER: case M_LOWER_UNDER:
		return rejected_for(c, "size below the band");
	case M_LOWER_NO_CX:
		for (n = 0; n < 6 && r->cx_lower[n]; n++)
			;
		snprintf(buf, sizeof(buf), "with %d complexity criteria, needs %d", n - 1, n);
		return rejected_for(c, "; in the lower band (") && rejected_for(c, buf);
	case M_NO_INTL:
		return rejected_for(c, "lacks complexity criterion 'intl_ops'");
	case M_FAILED:
		return rejected_for(c, "failed project");
	case M_NO_RESP:
		return rejected_for(c, "lacks responsibility '");
	case M_ROLE_LOW:
		snprintf(buf, sizeof(buf), "role '%s' is below '%s'", r->role_below, r->role);
		return rejected_for(c, buf);
	case M_SUCC_SHORT:
		snprintf(buf, sizeof(buf), "needs %d %s of expertise succession; has %d",
			 r->succession, r->succession == 1 ? "kind" : "kinds", r->succession - 1);
		return !strcmp(shortfall(c), buf);
	case M_DEPTH_LOW:
		snprintf(buf, sizeof(buf), "needs specialty depth %s; has %s", r->depth,
			 r->depth_below ? r->depth_below : "none");
		return !strcmp(shortfall(c), buf);
	default:
		return shortfall(c) != NULL;
	}
}

static void test_every_level_and_miss(void **state)
{
	int cases = 0;

	for (size_t i = 0; i < NROWS; i++) {
		const struct row *r = &rows[i];

		for (int m = 0; m < M_COUNT; m++) {
			json_t *out, *c, *next;
			int want = r->expect[m], got;

			if (want == NA)
				continue;
			out = assess(build(r, (enum mut)m), 0);
			got = level_of(out, r->field);
			if (got != want)
				fail_msg("%s %d %s: level %d, want %d", r->field, r->level,
					 mut_names[m], got, want);
			next = json_object_get(json_object_get(json_object_get(out, "fields"),
							       r->field), "next");
			if (want == r->level) {
				/* every criterion up to the level is met */
				json_t *v;
				size_t k;

				json_array_foreach(json_object_get(json_object_get(json_object_get(
						out, "fields"), r->field), "criteria"), k, v)
					if (json_integer_value(json_object_get(v, "level")) <= want)
						assert_true(json_is_true(json_object_get(v, "met")));
			} else {
				c = crit(out, r->field, r->level, mut_kind((enum mut)m));
				if (!check_named(r, (enum mut)m, c))
					fail_msg("%s %d %s: criterion not named: %s", r->field,
						 r->level, mut_names[m], json_dumps(c, JSON_COMPACT));
				assert_int_equal(json_integer_value(json_object_get(next, "level")),
						 want ? want + 1 : 3);
				assert_true(json_array_size(json_object_get(next, "missing")) > 0);
				if (want + 1 == r->level)
					assert_true(missing_has(out, r->field, shortfall(c)));
			}
			json_decref(out);
			cases++;
		}
	}
	print_message("%d cases\n", cases);
	assert_true(cases > 120);
}

/* The exact words of a business shortfall (the example). */
static void test_shortfall_words(void **state)
{
	const struct row *r = &rows[2]; /* OM5 */
	json_t *out = assess(build(r, M_ROLE_LOW), 0);

	assert_int_equal(level_of(out, OM), 4);
	assert_string_equal(shortfall(crit(out, OM, 5, "business")),
		"needs 3.0 years as responsible at >=75 persons or >=¥750M with 2 complexity "
		"criteria (or >=35 persons or >=¥350M with 4); has 0.0");
	json_decref(out);

	out = assess(build(&rows[11], M_ROLE_LOW), 0); /* SD4 */
	assert_string_equal(shortfall(crit(out, SD, 4, "business")),
		"needs 2.0 years as leader at >=20 peak persons or >=¥100M or >=3000 users with "
		"2 complexity criteria and responsibilities manages_agreed_sl; has 0.0");
	json_decref(out);

	out = assess(build(&rows[0], M_NO_INTL), 0); /* OM7 */
	assert_string_equal(shortfall(crit(out, OM, 7, "business")),
		"needs 3.0 years as responsible_for_whole at >=250 persons or >=¥2.5B with 3 "
		"complexity criteria including intl_ops (or >=150 persons or >=¥1.5B with 5); "
		"has 0.0");
	json_decref(out);
}

/* The lower bands by contract value: at the bound with the larger count the
 * level holds; one yen under, it falls to the level below. */
static void test_lower_band_by_yen(void **state)
{
	int cases = 0;

	for (size_t i = 0; i < NROWS; i++) {
		const struct row *r = &rows[i];

		for (int under = 0; r->lower_yen && under <= 1; under++) {
			json_t *p = build(r, M_LOWER_JUST), *c, *out;

			c = json_array_get(json_object_get(p, "careers"), 0);
			json_object_del(c, r->size_key);
			json_object_set_new(c, "contract_yen", json_integer(r->lower_yen - under));
			out = assess(p, 0);
			if (level_of(out, r->field) != r->level - under)
				fail_msg("%s %d lower yen%s: level %d", r->field, r->level,
					 under ? " under" : "", level_of(out, r->field));
			if (under)
				assert_true(rejected_for(crit(out, r->field, r->level, "business"),
							 "size below the band: has ¥"));
			json_decref(out);
			cases++;
		}
	}
	assert_int_equal(cases, 16);
}

static json_t *om4_profile(json_t *careers)
{
	return json_pack("{s:s, s:o, s:[{s:s}], s:{s:s}, s:b}", "as_of", AS_OF, "careers",
			 careers, "succession", "kind", "book", "specialty", OM,
			 "guide_subordinates", "develops_subordinates", 1);
}

static json_t *om_career(const char *from, const char *to)
{
	json_t *c = json_pack("{s:s, s:s, s:s, s:i, s:[s, s]}", "field", OM, "role", "leader",
			      "from", from, "persons", 40, "complexity", "structure",
			      "complex_contract");

	if (to)
		json_object_set_new(c, "to", json_string(to));
	return c;
}

static void test_overlapping_careers(void **state)
{
	json_t *out;

	/* 2024-01-01..2025-03-31 and 2024-10-01..2025-12-31: union 731 days */
	out = assess(om4_profile(json_pack("[o, o]", om_career("2024-01-01", "2025-03-31"),
					   om_career("2024-10-01", "2025-12-31"))), 0);
	assert_int_equal(level_of(out, OM), 4);
	assert_int_equal(json_array_size(json_object_get(crit(out, OM, 4, "business"),
							 "records")), 2);
	json_decref(out);

	/* the same 579 days twice count once: 1.5 years, not 3.1 */
	out = assess(om4_profile(json_pack("[o, o]", om_career("2024-06-01", "2025-12-31"),
					   om_career("2024-06-01", "2025-12-31"))), 0);
	assert_int_equal(level_of(out, OM), 3);
	assert_string_equal(shortfall(crit(out, OM, 4, "business")),
		"needs 2.0 years as leader at >=35 persons or >=¥350M with 2 complexity criteria "
		"(or >=15 persons or >=¥150M with 4); has 1.5");
	json_decref(out);

	/* adjacent inclusive periods join: 2024-01-01..2024-12-31 + 2025-01-01..2025-12-31 */
	out = assess(om4_profile(json_pack("[o, o]", om_career("2025-01-01", "2025-12-31"),
					   om_career("2024-01-01", "2024-12-31"))), 0);
	assert_int_equal(level_of(out, OM), 4);
	json_decref(out);

	/* with a gap: 2024-01-02..2024-12-30 + 2025-01-02..2026-01-01 = 364 + 365 days */
	out = assess(om4_profile(json_pack("[o, o]", om_career("2025-01-02", "2026-01-01"),
					   om_career("2024-01-02", "2024-12-30"))), 0);
	assert_int_equal(level_of(out, OM), 3);
	json_decref(out);
}

static void test_ongoing_careers(void **state)
{
	json_t *p, *out;
	struct err e = { 0 };

	/* no "to": runs to as_of; 2024-01-03..2026-01-01 is 730 days */
	out = assess(om4_profile(json_pack("[o]", om_career("2024-01-03", NULL))), 0);
	assert_int_equal(level_of(out, OM), 4);
	json_decref(out);
	out = assess(om4_profile(json_pack("[o]", om_career("2024-01-04", NULL))), 0);
	assert_int_equal(level_of(out, OM), 3);
	json_decref(out);

	/* a "to" after as_of is cut at as_of */
	out = assess(om4_profile(json_pack("[o]", om_career("2024-01-04", "2027-01-01"))), 0);
	assert_int_equal(level_of(out, OM), 3);
	json_decref(out);

	/* without as_of, today_days is the assessment date */
	p = om4_profile(json_pack("[o]", om_career("2024-01-03", NULL)));
	json_object_del(p, "as_of");
	assert_int_equal(skill_assess(p, day("2026-01-01"), &out, &e), 0);
	assert_string_equal(json_string_value(json_object_get(out, "as_of")), "2026-01-01");
	assert_int_equal(level_of(out, OM), 4);
	json_decref(out);
	assert_int_equal(skill_assess(p, day("2025-12-31"), &out, &e), 0);
	assert_int_equal(level_of(out, OM), 3);
	json_decref(out);
	json_decref(p);

	/* a career starting after as_of counts nothing, and says why */
	out = assess(om4_profile(json_pack("[o]", om_career("2026-02-01", NULL))), 0);
	assert_int_equal(level_of(out, OM), 0);
	assert_true(rejected_for(crit(out, OM, 3, "business"), "starts after as_of 2026-01-01"));
	json_decref(out);
}

/* Complexity is judged per record: two records with one criterion each do
 * not make two. */
static void test_complexity_not_pooled(void **state)
{
	json_t *a = om_career("2023-01-01", "2025-12-31"), *b = om_career("2023-01-01",
									   "2025-12-31");
	json_t *out;

	json_object_set_new(a, "complexity", json_pack("[s]", "structure"));
	json_object_set_new(b, "complexity", json_pack("[s]", "complex_contract"));
	out = assess(om4_profile(json_pack("[o, o]", a, b)), 0);
	assert_int_equal(level_of(out, OM), 0);
	assert_true(rejected_for(crit(out, OM, 3, "business"),
				 "has 1 of the level's complexity criteria, needs 2"));
	json_decref(out);
}

static void test_verified_only(void **state)
{
	json_t *c = om_career("2023-01-01", "2025-12-31"), *p, *out;

	p = om4_profile(json_pack("[o]", c));
	json_incref(p);
	out = assess(p, 0);
	assert_int_equal(level_of(out, OM), 4);
	assert_string_equal(json_string_value(json_object_get(out, "basis")), "declared");
	json_decref(out);

	json_incref(p);
	out = assess(p, 1); /* neither career nor succession verified */
	assert_int_equal(level_of(out, OM), 0);
	assert_string_equal(json_string_value(json_object_get(out, "basis")), "verified");
	assert_true(rejected_for(crit(out, OM, 3, "business"), "not verified"));
	json_decref(out);

	json_object_set_new(c, "verified", json_true());
	json_incref(p);
	out = assess(p, 1); /* career verified, the succession item not: level 3 */
	assert_int_equal(level_of(out, OM), 3);
	assert_string_equal(shortfall(crit(out, OM, 4, "succession")),
			    "needs 1 kind of expertise succession; has 0");
	json_decref(out);

	json_object_set_new(json_array_get(json_object_get(p, "succession"), 0), "verified",
			    json_true());
	out = assess(p, 1);
	assert_int_equal(level_of(out, OM), 4);
	json_decref(out);
}

static void test_succession_counting(void **state)
{
	const struct row *r = &rows[2]; /* OM5 needs three kinds */
	json_t *p = build(r, M_JUST), *succ = json_object_get(p, "succession"), *out;

	/* three items of one kind are one kind */
	json_array_clear(succ);
	for (int i = 0; i < 3; i++)
		json_array_append_new(succ, json_pack("{s:s}", "kind", "book"));
	json_incref(p);
	out = assess(p, 0);
	assert_int_equal(level_of(out, OM), 4);
	assert_string_equal(shortfall(crit(out, OM, 5, "succession")),
			    "needs 3 kinds of expertise succession; has 1");
	json_decref(out);

	/* an item for another field and one dated after as_of do not count */
	json_array_clear(succ);
	json_array_append_new(succ, json_pack("{s:s}", "kind", "book"));
	json_array_append_new(succ, json_pack("{s:s, s:s}", "kind", "patent", "field", SM));
	json_array_append_new(succ, json_pack("{s:s, s:s}", "kind", "paper_external",
					      "date", "2026-01-02"));
	json_incref(p);
	out = assess(p, 0);
	assert_int_equal(level_of(out, OM), 4);
	assert_int_equal(json_array_size(json_object_get(crit(out, OM, 5, "succession"),
							 "records")), 1);
	json_decref(out);

	/* the same item set for operations_management and undated: three kinds */
	json_object_set_new(json_array_get(succ, 1), "field", json_string(OM));
	json_object_set_new(json_array_get(succ, 2), "date", json_string("2026-01-01"));
	out = assess(p, 0);
	assert_int_equal(level_of(out, OM), 5);
	json_decref(out);
}

/* OM 6 accepts international criteria that 3–5 do not: the level stays
 * null and the anomaly is reported. */
static void test_anomaly(void **state)
{
	json_t *p = build(&rows[1], M_JUST), *out, *a;

	json_object_set_new(json_array_get(json_object_get(p, "careers"), 0), "complexity",
			    json_pack("[s, s]", "intl_ops", "intl_advanced_ops"));
	out = assess(p, 0);
	assert_int_equal(level_of(out, OM), 0);
	assert_true(json_is_true(json_object_get(crit(out, OM, 6, "business"), "met")));
	assert_int_equal(json_array_size(json_object_get(out, "anomalies")), 1);
	a = json_array_get(json_object_get(out, "anomalies"), 0);
	assert_string_equal(json_string_value(json_object_get(a, "field")), OM);
	assert_int_equal(json_integer_value(json_object_get(a, "level")), 6);
	assert_int_equal(json_array_size(json_object_get(a, "unmet_levels")), 3);
	assert_string_equal(json_string_value(json_object_get(a, "message")),
		"operations_management: level 6 business criteria hold but those of level "
		"3, 4, 5 do not");
	/* the record's own equivalent level is still 6 */
	a = json_array_get(json_object_get(out, "careers"), 0);
	assert_int_equal(json_integer_value(json_object_get(a, "equivalent_level")), 6);
	json_decref(out);
}

static void test_exams_and_version(void **state)
{
	json_t *p = json_pack("{s:s, s:[s, s]}", "as_of", AS_OF, "exams", "AP", "FE"), *out, *x;

	out = assess(p, 0);
	assert_string_equal(json_string_value(json_object_get(out, "rules_version")),
			    skill_rules_version);
	assert_string_equal(skill_rules_version, "itss-ism-2026.1");
	assert_true(json_is_null(json_object_get(out, "name")));
	for (int f = 0; f < SKILL_FIELD_COUNT; f++)
		assert_int_equal(level_of(out, skill_fields[f].name), 0); /* never counted */
	x = json_array_get(json_object_get(out, "exams"), 0);
	assert_string_equal(json_string_value(json_object_get(x, "exam")), "AP");
	assert_string_equal(json_string_value(json_object_get(x, "remark")),
			    "minimum capability of level 3 reached");
	assert_true(json_is_false(json_object_get(x, "counted")));
	x = json_array_get(json_object_get(out, "exams"), 1);
	assert_true(json_is_null(json_object_get(x, "remark")));
	assert_int_equal(json_array_size(json_object_get(out, "anomalies")), 0);
	json_decref(out);
}

static void test_rule_table_shape(void **state)
{
	assert_int_equal(skill_rules_count, 13);
	for (int f = 0; f < SKILL_FIELD_COUNT; f++)
		for (int L = skill_fields[f].min_level; L <= skill_fields[f].max_level; L++) {
			const struct skill_rule *r = skill_rule_find((enum skill_field)f, L);

			assert_non_null(r);
			assert_int_equal((int)r->depth, L);
		}
	assert_null(skill_rule_find(SKILL_OPERATION, 5));
	assert_int_equal(skill_depth_from_name("leads_industry"), 7);
	assert_int_equal(skill_role_from_name("boss"), -1);
}

struct bad {
	const char *json, *field, *msg;
};

static const struct bad bads[] = {
	{ "[]", "", "profile must be an object" },
	{ "{\"careers\": {}}", "careers", "'careers' must be an array" },
	{ "{\"careers\": [7]}", "careers[0]", "career must be an object" },
	{ "{\"careers\": [{\"field\": \"magic\", \"role\": \"member\", \"from\": \"2020-01-01\"}]}",
	  "careers[0].field", "unknown field 'magic'" },
	{ "{\"careers\": [{\"role\": \"member\", \"from\": \"2020-01-01\"}]}",
	  "careers[0].field", "missing 'field'" },
	{ "{\"careers\": [{\"field\": \"operation\", \"role\": \"member\", \"from\": \"2020-01-01\"},"
	  "{\"field\": \"operation\", \"role\": \"member\", \"from\": \"2020-01-01\"},"
	  "{\"field\": \"operation\", \"role\": \"boss\", \"from\": \"2020-01-01\"}]}",
	  "careers[2].role", "unknown role 'boss'" },
	{ "{\"careers\": [{\"field\": \"operation\", \"role\": 3, \"from\": \"2020-01-01\"}]}",
	  "careers[0].role", "'role' must be a string" },
	{ "{\"careers\": [{\"field\": \"operation\", \"role\": \"member\"}]}",
	  "careers[0].from", "missing 'from'" },
	{ "{\"careers\": [{\"field\": \"operation\", \"role\": \"member\", \"from\": \"2021-02-29\"}]}",
	  "careers[0].from", "bad date '2021-02-29', expected YYYY-MM-DD" },
	{ "{\"careers\": [{\"field\": \"operation\", \"role\": \"member\", \"from\": \"2021-01-01\","
	  "\"to\": \"2020-12-31\"}]}",
	  "careers[0].to", "to '2020-12-31' is before from '2021-01-01'" },
	{ "{\"careers\": [{\"field\": \"operation\", \"role\": \"member\", \"from\": \"2021-01-01\","
	  "\"persons\": -1}]}", "careers[0].persons", "negative persons -1" },
	{ "{\"careers\": [{\"field\": \"service_desk\", \"role\": \"member\", \"from\": \"2021-01-01\","
	  "\"users\": \"many\"}]}", "careers[0].users", "'users' must be a non-negative integer" },
	{ "{\"careers\": [{\"field\": \"operation\", \"role\": \"member\", \"from\": \"2021-01-01\","
	  "\"contract_yen\": 1.5}]}", "careers[0].contract_yen",
	  "'contract_yen' must be a non-negative integer" },
	{ "{\"careers\": [{\"field\": \"operation\", \"role\": \"member\", \"from\": \"2021-01-01\","
	  "\"succeeded\": \"yes\"}]}", "careers[0].succeeded", "'succeeded' must be true or false" },
	{ "{\"careers\": [{\"field\": \"operation\", \"role\": \"member\", \"from\": \"2021-01-01\","
	  "\"complexity\": [\"structure\", \"fancy\"]}]}", "careers[0].complexity[1]",
	  "unknown complexity criterion 'fancy'" },
	{ "{\"careers\": [{\"field\": \"system_management\", \"role\": \"member\", \"from\": "
	  "\"2021-01-01\", \"complexity\": [\"intl_ops\"]}]}", "careers[0].complexity[0]",
	  "complexity criterion 'intl_ops' does not belong to field 'system_management'" },
	{ "{\"careers\": [{\"field\": \"operation\", \"role\": \"member\", \"from\": \"2021-01-01\","
	  "\"complexity\": \"structure\"}]}", "careers[0].complexity",
	  "'complexity' must be an array of codes" },
	{ "{\"careers\": [{\"field\": \"operation\", \"role\": \"member\", \"from\": \"2021-01-01\","
	  "\"complexity\": [1]}]}", "careers[0].complexity[0]", "'complexity[0]' must be a string" },
	{ "{\"careers\": [{\"field\": \"operation\", \"role\": \"member\", \"from\": \"2021-01-01\","
	  "\"responsibilities\": [\"manages_agreed_sl\"]}]}", "careers[0].responsibilities[0]",
	  "responsibility 'manages_agreed_sl' does not belong to field 'operation'" },
	{ "{\"careers\": [{\"field\": \"operation\", \"role\": \"member\", \"from\": \"2021-01-01\","
	  "\"responsibilities\": [\"coffee\"]}]}", "careers[0].responsibilities[0]",
	  "unknown responsibility 'coffee'" },
	{ "{\"careers\": [{\"field\": \"operation\", \"role\": \"member\", \"from\": \"2021-01-01\","
	  "\"responsibilites\": []}]}", "careers[0].responsibilites",
	  "unknown key 'responsibilites'" },
	{ "{\"succession\": [{\"kind\": \"blog\"}]}", "succession[0].kind",
	  "unknown succession kind 'blog'" },
	{ "{\"succession\": [{\"kind\": \"book\"}, {\"kind\": \"book\", \"date\": \"2020\"}]}",
	  "succession[1].date", "bad date '2020', expected YYYY-MM-DD" },
	{ "{\"succession\": [{\"kind\": \"book\", \"field\": \"sales\"}]}", "succession[0].field",
	  "unknown field 'sales'" },
	{ "{\"succession\": [{\"title\": \"x\"}]}", "succession[0].kind", "missing 'kind'" },
	{ "{\"succession\": \"book\"}", "succession", "'succession' must be an array" },
	{ "{\"specialty\": {\"sales\": \"self\"}}", "specialty.sales", "unknown field 'sales'" },
	{ "{\"specialty\": {\"operation\": \"guru\"}}", "specialty.operation",
	  "unknown depth 'guru'" },
	{ "{\"specialty\": {\"operation\": 4}}", "specialty.operation",
	  "'operation' must be a string" },
	{ "{\"specialty\": [\"self\"]}", "specialty", "'specialty' must be an object" },
	{ "{\"as_of\": \"tomorrow\"}", "as_of", "bad date 'tomorrow', expected YYYY-MM-DD" },
	{ "{\"name\": 5}", "name", "'name' must be a string" },
	{ "{\"exams\": [\"AP\", 2]}", "exams[1]", "'exams[1]' must be an exam code" },
	{ "{\"exams\": \"AP\"}", "exams", "'exams' must be an array" },
	{ "{\"develops_subordinates\": \"yes\"}", "develops_subordinates",
	  "'develops_subordinates' must be true or false" },
	{ "{\"nmae\": \"x\"}", "nmae", "unknown key 'nmae'" },
};

static void test_malformed(void **state)
{
	for (size_t i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
		json_error_t je;
		json_t *p = json_loads(bads[i].json, 0, &je), *out = (json_t *)1;
		struct err e = { 0 };

		if (!p)
			fail_msg("case %zu does not parse: %s", i, je.text);
		assert_int_equal(skill_assess(p, 0, &out, &e), ERR_INVALID);
		assert_null(out);
		if (strcmp(e.field, bads[i].field) || strcmp(e.msg, bads[i].msg))
			fail_msg("case %zu: got '%s' '%s', want '%s' '%s'", i, e.field, e.msg,
				 bads[i].field, bads[i].msg);
		assert_int_equal(e.code, ERR_INVALID);
		assert_int_equal(skill_validate_profile(p, &e), ERR_INVALID);
		json_decref(p);
	}
}

static void test_validate_items(void **state)
{
	json_t *c = json_pack("{s:s, s:s, s:s}", "field", OP, "role", "chief", "from",
			      "2020-01-01");
	json_t *s = json_pack("{s:s}", "kind", "podcast");
	json_t *m = json_pack("{s:s}", SD, "guide_subordinates");
	struct err e = { 0 };

	assert_int_equal(skill_validate_career(c, "", &e), ERR_INVALID);
	assert_string_equal(e.field, "role");
	assert_string_equal(e.msg, "unknown role 'chief'");
	assert_int_equal(skill_validate_career(c, "careers[3]", &e), ERR_INVALID);
	assert_string_equal(e.field, "careers[3].role");
	json_object_set_new(c, "role", json_string("leader"));
	assert_int_equal(skill_validate_career(c, "careers[3]", &e), 0);

	assert_int_equal(skill_validate_succession(s, "succession[0]", &e), ERR_INVALID);
	assert_string_equal(e.field, "succession[0].kind");
	assert_string_equal(e.msg, "unknown succession kind 'podcast'");
	assert_int_equal(skill_validate_specialty(m, "specialty", &e), 0);
	json_object_set_new(m, OM, json_string("expert"));
	assert_int_equal(skill_validate_specialty(m, "specialty", &e), ERR_INVALID);
	assert_string_equal(e.field, "specialty.operations_management");
	json_decref(c);
	json_decref(s);
	json_decref(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_level_and_miss),
		cmocka_unit_test(test_shortfall_words),
		cmocka_unit_test(test_lower_band_by_yen),
		cmocka_unit_test(test_overlapping_careers),
		cmocka_unit_test(test_ongoing_careers),
		cmocka_unit_test(test_complexity_not_pooled),
		cmocka_unit_test(test_verified_only),
		cmocka_unit_test(test_succession_counting),
		cmocka_unit_test(test_anomaly),
		cmocka_unit_test(test_exams_and_version),
		cmocka_unit_test(test_rule_table_shape),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_validate_items),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
