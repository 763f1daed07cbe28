/*
 * actor.c — role names.
 */
#include "domain/platform/actor.h"

#include <stdio.h>
#include <string.h>

static const char *const role_names[] = { "requester", "agent",	 "operator",
					  "manager",   "admin", "system" };

int role_parse(const char *s, enum role *out)
{
	for (int i = 0; i < ROLE_SYSTEM; i++)
		if (!strcmp(s, role_names[i])) {
			*out = (enum role)i;
			return 0;
		}
	return -1;
}

const char *role_name(enum role r)
{
	return role_names[r];
}

void actor_system(struct actor *a, const char *name)
{
	memset(a, 0, sizeof(*a));
	a->role = ROLE_SYSTEM;
	snprintf(a->username, sizeof(a->username), "%s", name ? name : "system");
}
