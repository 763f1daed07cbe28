/*
 * model/platform.c — role names.
 */
#include "model/platform.h"

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
