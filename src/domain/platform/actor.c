/*
 * actor.c — the system actor (the server's own threads, the CLI), and who
 * may reach records kept for staff.
 */
#include "domain/platform/actor.h"
#include "lib/err.h"

#include <stdio.h>
#include <string.h>

void actor_system(struct actor *a, const char *name)
{
	memset(a, 0, sizeof(*a));
	a->role = ROLE_SYSTEM;
	snprintf(a->username, sizeof(a->username), "%s", name ? name : "system");
}

int actor_require_staff(const struct actor *a, int manage, const char *not_staff,
			const char *not_manager, struct err *e)
{
	if (a->scope_events)
		return err_set(e, ERR_FORBIDDEN, NULL, "this token may only send events");
	if (!actor_is_staff(a))
		return err_set(e, ERR_FORBIDDEN, NULL, "%s", not_staff);
	if (manage && !actor_is_manager(a))
		return err_set(e, ERR_FORBIDDEN, NULL, "%s", not_manager);
	return 0;
}
