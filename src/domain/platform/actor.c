/*
 * actor.c — the system actor (the server's own threads, the CLI).
 */
#include "domain/platform/actor.h"

#include <stdio.h>
#include <string.h>

void actor_system(struct actor *a, const char *name)
{
	memset(a, 0, sizeof(*a));
	a->role = ROLE_SYSTEM;
	snprintf(a->username, sizeof(a->username), "%s", name ? name : "system");
}
