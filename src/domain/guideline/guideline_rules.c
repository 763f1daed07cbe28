/*
 * guideline_rules.c — the rules of guidelines as tables: the statuses, what
 * each status allows, and who is in an audience. Pure: no store, no clock.
 *
 *   draft → published (publish) → published (publish: a new version)
 *   draft, published → retired (terminal)
 * Only a published guideline is acknowledged or checked.
 */
#include "domain/guideline/guideline.h"
#include "lib/strlist.h"

#include <string.h>

static const char *const names[GS__COUNT] = {
	[GS_DRAFT] = "draft",
	[GS_PUBLISHED] = "published",
	[GS_RETIRED] = "retired",
};

enum { MAY_EDIT = 1, MAY_PUBLISH = 2, MAY_ACK = 4, MAY_CHECK = 8 };

static const unsigned allowed[GS__COUNT] = {
	[GS_DRAFT] = MAY_EDIT | MAY_PUBLISH,
	[GS_PUBLISHED] = MAY_EDIT | MAY_PUBLISH | MAY_ACK | MAY_CHECK,
	[GS_RETIRED] = 0,
};

const char *guideline_status_name(enum guideline_status s)
{
	return (unsigned)s < GS__COUNT ? names[s] : "?";
}

int guideline_status_parse(const char *name, enum guideline_status *out)
{
	for (int i = 0; name && i < GS__COUNT; i++)
		if (!strcmp(name, names[i])) {
			*out = (enum guideline_status)i;
			return 0;
		}
	return ERR_INVALID;
}

static int may(enum guideline_status s, unsigned what)
{
	return (unsigned)s < GS__COUNT && (allowed[s] & what) ? 0 : ERR_TRANSITION;
}

int guideline_may_edit(enum guideline_status s)
{
	return may(s, MAY_EDIT);
}

int guideline_may_publish(enum guideline_status s)
{
	return may(s, MAY_PUBLISH);
}

int guideline_may_ack(enum guideline_status s)
{
	return may(s, MAY_ACK);
}

int guideline_may_check(enum guideline_status s)
{
	return may(s, MAY_CHECK);
}

static int named(const json_t *list, const char *name)
{
	size_t i;
	json_t *v;

	json_array_foreach(list, i, v)
		if (json_is_string(v) && !strcmp(json_string_value(v), name))
			return 1;
	return 0;
}

int guideline_audience_has(const json_t *audience, const char *role, const char *groups,
			   const char *username)
{
	const json_t *roles = json_object_get(audience, "roles");
	const json_t *gs = json_object_get(audience, "groups");
	const json_t *users = json_object_get(audience, "users");
	size_t i;
	json_t *v;

	if (!json_array_size(roles) && !json_array_size(gs) && !json_array_size(users))
		return 1;
	if (named(roles, role) || named(users, username))
		return 1;
	json_array_foreach(gs, i, v) {
		const char *g = json_string_value(v);

		if (g && strlist_has(groups, g, strlen(g)))
			return 1;
	}
	return 0;
}
