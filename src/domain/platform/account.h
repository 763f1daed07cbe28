/*
 * account.h — changing users after they were added: their role, groups,
 * customer, display name and e-mail, disabling and enabling them, and
 * their password (an admin's reset, or a user's own change).
 *
 * Invariants: only admins (and the system) change another user, or any
 * user's role, groups, customer, e-mail or active; a user may change their
 * own display name and (giving the current one) their own password. A
 * requester belongs to exactly one customer, staff to none. The store
 * always keeps at least one active admin: disabling or demoting the last
 * one is ERR_CONFLICT. A disabled user's sessions end in the same write
 * and the bearer check's cache forgets their tokens once it committed, so
 * neither works on the next request; enabling them again brings their
 * unrevoked tokens back, not their sessions. A new password ends every
 * session of the user but the one that changed it.
 */
#ifndef ITSM_ACCOUNT_H
#define ITSM_ACCOUNT_H

#include <jansson.h>

#include "domain/platform/actor.h"
#include "lib/err.h"

struct store;

/* {"version" (required), "name", "email", "role", "groups": "g1,g2",
 * "customer": KEY|null, "active": bool}; *out: the user as changed. A
 * stale version is ERR_CONFLICT. */
int user_update(struct store *st, const struct actor *a, const char *username,
		const json_t *in, json_t **out, struct err *e);

/* Set username's password. The user themself: {"current_password",
 * "password"}, and every other session of theirs ends (keep_session: the
 * cookie of the one that asked, NULL when it came by token). An admin for
 * another user: {"password"}, or {} for a generated one, which *out
 * carries once under "password"; every session of the user ends. *out:
 * the user. */
int user_password(struct store *st, const struct actor *a, const char *username,
		  const json_t *in, const char *keep_session, json_t **out, struct err *e);
/* An admin's reset to password (the CLI's and the tests' shortcut). */
int user_set_password(struct store *st, const struct actor *a, const char *username,
		      const char *password, struct err *e);

#endif
