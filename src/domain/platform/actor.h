/*
 * actor.h — who is acting: a signed-in user with a role, or the system.
 *
 * Roles are ordered only where the code asks "is staff"; isolation is by
 * customer: a requester acts for exactly one customer and may see nothing
 * else. Every domain entry point takes an actor and enforces this itself, so
 * no API handler or CLI command can forget it.
 */
#ifndef ITSM_ACTOR_H
#define ITSM_ACTOR_H

#include <stdint.h>

#include "model/platform.h"

struct actor {
	int64_t user_id;     /* 0 for the system */
	char username[64];
	enum role role;
	int64_t customer_id; /* a requester's customer; 0 for staff */
	int scope_events;    /* an integration token: event intake only */
};

static inline int actor_is_staff(const struct actor *a)
{
	return a->role != ROLE_REQUESTER;
}

/* Managers and admins (and the system: the server's own threads, the CLI)
 * manage what others only use: the catalogue, SLAs, staff records. */
static inline int actor_is_manager(const struct actor *a)
{
	return a->role == ROLE_MANAGER || a->role == ROLE_ADMIN || a->role == ROLE_SYSTEM;
}

struct err;

/* Whether a may reach records kept for staff: an event-scoped token never,
 * a requester never (403 with not_staff), and when manage only managers,
 * admins and the system (403 with not_manager). 0 when it may. */
int actor_require_staff(const struct actor *a, int manage, const char *not_staff,
			const char *not_manager, struct err *e);

/* The actor used by the CLI working on the store directly (an operator at
 * the console of the machine that holds the database). */
void actor_system(struct actor *a, const char *name);

#endif
