/*
 * change_rules.c — the rules of change control as tables: the names of the
 * types and statuses, the lifecycle (which move is allowed), the approval
 * rule's outcome and the risk score. Pure: no store, no clock.
 *
 * The lifecycle:
 *   draft → assessment (normal, emergency) or approved (standard: pre-approved)
 *   assessment → approved | rejected
 *   approved → scheduled;  scheduled → implementing;  implementing → review
 *   review → closed (success) | failed (failure)
 *   draft, assessment, approved, scheduled → cancelled
 * closed, rejected, cancelled and failed are terminal.
 */
#include "domain/change/change.h"

#include <string.h>

static const char *const status_names[CHS__COUNT] = {
	[CHS_DRAFT] = "draft",		 [CHS_ASSESSMENT] = "assessment",
	[CHS_APPROVED] = "approved",	 [CHS_SCHEDULED] = "scheduled",
	[CHS_IMPLEMENTING] = "implementing", [CHS_REVIEW] = "review",
	[CHS_CLOSED] = "closed",	 [CHS_REJECTED] = "rejected",
	[CHS_CANCELLED] = "cancelled",	 [CHS_FAILED] = "failed",
};

static const char *const type_names[CHT__COUNT] = {
	[CHT_STANDARD] = "standard", [CHT_NORMAL] = "normal", [CHT_EMERGENCY] = "emergency",
};

#define M(s) (1u << (s))
/* moves[from]: the set of statuses reachable in one move. */
static const unsigned moves[CHS__COUNT] = {
	[CHS_DRAFT] = M(CHS_ASSESSMENT) | M(CHS_APPROVED) | M(CHS_CANCELLED),
	[CHS_ASSESSMENT] = M(CHS_APPROVED) | M(CHS_REJECTED) | M(CHS_CANCELLED),
	[CHS_APPROVED] = M(CHS_SCHEDULED) | M(CHS_CANCELLED),
	[CHS_SCHEDULED] = M(CHS_IMPLEMENTING) | M(CHS_CANCELLED),
	[CHS_IMPLEMENTING] = M(CHS_REVIEW),
	[CHS_REVIEW] = M(CHS_CLOSED) | M(CHS_FAILED),
};
#undef M

const char *change_status_name(enum change_status s)
{
	return (unsigned)s < CHS__COUNT ? status_names[s] : "?";
}

int change_status_parse(const char *s, enum change_status *out)
{
	for (int i = 0; s && i < CHS__COUNT; i++)
		if (!strcmp(s, status_names[i])) {
			*out = (enum change_status)i;
			return 0;
		}
	return ERR_INVALID;
}

const char *change_type_name(enum change_type t)
{
	return (unsigned)t < CHT__COUNT ? type_names[t] : "?";
}

int change_type_parse(const char *s, enum change_type *out)
{
	for (int i = 0; s && i < CHT__COUNT; i++)
		if (!strcmp(s, type_names[i])) {
			*out = (enum change_type)i;
			return 0;
		}
	return ERR_INVALID;
}

int change_can_move(enum change_status from, enum change_status to)
{
	if ((unsigned)from >= CHS__COUNT || (unsigned)to >= CHS__COUNT)
		return 0;
	return (moves[from] >> to) & 1u;
}

int change_status_terminal(enum change_status s)
{
	return (unsigned)s < CHS__COUNT && moves[s] == 0;
}

/* ---- approvals ---- */

static const char *const rule_names[] = { "all", "any", "quorum" };

int change_rule_parse(const char *s, enum change_rule *out)
{
	for (int i = 0; s && i < 3; i++)
		if (!strcmp(s, rule_names[i])) {
			*out = (enum change_rule)i;
			return 0;
		}
	return ERR_INVALID;
}

const char *change_rule_name(enum change_rule r)
{
	return (unsigned)r < 3 ? rule_names[r] : "?";
}

int change_rule_outcome(enum change_rule r, int quorum, int n, int approved, int rejected)
{
	int need;

	switch (r) {
	case CHR_ALL:
		need = n;
		break;
	case CHR_ANY:
		need = 1;
		break;
	default:
		need = quorum;
		break;
	}
	if (need < 1 || need > n)
		return -1; /* cannot be met at all */
	if (approved >= need)
		return 1;
	if (n - rejected < need) /* even every undecided approving falls short */
		return -1;
	return 0;
}

/* ---- risk ---- */

/* Each question, the answer that carries risk, its weight and the reason. */
static const struct {
	const char *key;
	int risky; /* the risky answer */
	int points;
	const char *reason;
} questions[] = {
	{ "tested", 0, 2, "not tested in a non-production environment" },
	{ "backout_tested", 0, 3, "the back-out plan is not tested" },
	{ "service_outage", 1, 2, "the change needs a service outage" },
	{ "done_before", 0, 1, "this kind of change was not done before" },
};
#define N_QUESTIONS (sizeof(questions) / sizeof(questions[0]))

const char *const change_risk_questions[] = { "tested", "backout_tested", "service_outage",
					      "done_before", NULL };

int change_risk_score(const json_t *answers, int64_t services, int64_t customers,
		      const char **level, json_t **reasons)
{
	json_t *why = json_array();
	char line[160];
	int score = 0;

	for (size_t i = 0; i < N_QUESTIONS; i++) {
		json_t *v = json_object_get(answers, questions[i].key);
		int answer = json_is_boolean(v) ? json_is_true(v) : questions[i].risky;

		if (answer != questions[i].risky)
			continue;
		score += questions[i].points;
		snprintf(line, sizeof(line), "+%d %s%s", questions[i].points, questions[i].reason,
			 json_is_boolean(v) ? "" : " (unanswered)");
		json_array_append_new(why, json_string(line));
	}
	if (services > 0) {
		int p = services >= 3 ? 2 : 1;

		score += p;
		snprintf(line, sizeof(line), "+%d the items reach %lld service%s", p,
			 (long long)services, services == 1 ? "" : "s");
		json_array_append_new(why, json_string(line));
	}
	if (customers > 0) {
		int p = customers >= 2 ? 2 : 1;

		score += p;
		snprintf(line, sizeof(line), "+%d the items reach %lld customer%s", p,
			 (long long)customers, customers == 1 ? "" : "s");
		json_array_append_new(why, json_string(line));
	}
	*level = score >= 6 ? "high" : score >= 3 ? "medium" : "low";
	*reasons = why;
	return score;
}
