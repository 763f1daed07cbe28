/*
 * staff_career.c — career records of stored staff: declaring one, and a
 * manager's verification of it.
 *
 * Invariants: a career is validated with skill_validate_career before it is
 * stored and is stored unverified, whoever adds it; the keys the store owns
 * (id, verified, verified_by, verified_at) are refused in a request; only a
 * manager or an admin verifies, never on their own record, and only once —
 * the first verifier and time are never overwritten. Each write re-reads the
 * record inside its transaction and appends the audit record for
 * "staff:KEY" there.
 */
#include "domain/skills/skill.h"
#include "domain/skills/staff.h"
#include "lib/jsonx.h"
#include "lib/timeutil.h"
#include "store/store_skill.h"

#include <stdlib.h>
#include <string.h>

#define CANON (JSON_COMPACT | JSON_SORT_KEYS)

struct career_ctx {
	const struct actor *a;
	const char *key;
	int64_t career_id;
	struct staff s;
	struct staff_career c;
	json_t *after;        /* the career after the write, as answered */
};

static int finish(struct career_ctx *w, int rc, json_t **out)
{
	if (!rc)
		*out = w->after;
	else
		json_decref(w->after);
	staff_release(&w->s);
	staff_career_release(&w->c);
	return rc;
}

/* Keys the store sets; a request may not. */
static const struct {
	const char *key, *why;
} server_keys[] = {
	{ "id", "'id' is assigned by itsm" },
	{ "verified", "a career is added unverified; a manager verifies it with "
		      "POST /api/v1/staff/KEY/careers/ID/verify" },
	{ "verified_by", "'verified_by' is set when a manager verifies the career" },
	{ "verified_at", "'verified_at' is set when a manager verifies the career" },
};

static int do_career_add(struct store_tx *tx, void *arg, struct err *e)
{
	struct career_ctx *w = arg;
	int rc;

	if ((rc = staff_load_visible(tx->st, tx, w->a, w->key, &w->s, e)))
		return rc;
	w->c.staff_id = w->s.id;
	snprintf(w->c.declared_by, sizeof(w->c.declared_by), "%s",
		 w->a->username[0] ? w->a->username : "system");
	w->c.created_at = clock_now();
	if ((rc = tx->st->ops->skill->career_insert(tx, &w->c, e)))
		return rc;
	w->after = staff_career_to_json(&w->c);
	return staff_career_audit(tx, w->a, "staff.career_add", &w->c, w->s.key, e);
}

int staff_career_add(struct store *st, const struct actor *a, const char *key,
		     const json_t *in, json_t **out, struct err *e)
{
	struct career_ctx w = { .a = a, .key = key };
	const char *field, *text;
	int rc;

	if ((rc = staff_actor_check(a, e)))
		return rc;
	if (!json_is_object(in))
		return err_set(e, ERR_INVALID, NULL, "the career must be a JSON object");
	for (size_t i = 0; i < sizeof(server_keys) / sizeof(server_keys[0]); i++)
		if (json_object_get(in, server_keys[i].key))
			return err_set(e, ERR_INVALID, server_keys[i].key, "%s", server_keys[i].why);
	if ((rc = skill_validate_career(in, "", e)))
		return rc;
	if ((rc = jx_str(in, "note", JX_OPTIONAL, STAFF_NOTE_MAX, &text, e)) < 0 ||
	    (rc = jx_str(in, "title", JX_OPTIONAL, 200, &text, e)) < 0)
		return rc;
	field = json_string_value(json_object_get(in, "field"));
	snprintf(w.c.field, sizeof(w.c.field), "%s", field);
	if (!(w.c.body = json_dumps(in, CANON)))
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	return finish(&w, store_write(st, do_career_add, &w, e), out);
}

static int do_career_verify(struct store_tx *tx, void *arg, struct err *e)
{
	struct career_ctx *w = arg;
	struct staff_career *c = &w->c;
	char at[RFC3339_LEN];
	int rc;

	if ((rc = staff_load_visible(tx->st, tx, w->a, w->key, &w->s, e)))
		return rc;
	rc = tx->st->ops->skill->career_get(tx->st, tx, w->career_id, c, e);
	if (rc == ERR_NOT_FOUND || (!rc && c->staff_id != w->s.id))
		return err_set(e, ERR_NOT_FOUND, NULL, "career %lld of staff '%s' not found",
			       (long long)w->career_id, w->s.key);
	if (rc)
		return rc;
	if (staff_actor_is_self(w->a, &w->s))
		return err_set(e, ERR_FORBIDDEN, NULL,
			       "you cannot verify a career on your own record");
	if (c->verified_at) {
		time_format_rfc3339(c->verified_at, at);
		return err_set(e, ERR_CONFLICT, NULL, "career %lld was already verified by %s at %s",
			       (long long)c->id, c->verified_by, at);
	}
	snprintf(c->verified_by, sizeof(c->verified_by), "%s",
		 w->a->username[0] ? w->a->username : "system");
	c->verified_at = clock_now();
	if ((rc = tx->st->ops->skill->career_verify(tx, c, e)))
		return rc;
	w->after = staff_career_to_json(c);
	return staff_career_audit(tx, w->a, "staff.career_verify", c, w->s.key, e);
}

int staff_career_verify(struct store *st, const struct actor *a, const char *key,
			const char *career_id, json_t **out, struct err *e)
{
	struct career_ctx w = { .a = a, .key = key };
	char *end;
	int rc;

	if ((rc = staff_actor_check(a, e)))
		return rc;
	if (!actor_is_manager(a))
		return err_set(e, ERR_FORBIDDEN, NULL, "only managers and admins verify careers");
	w.career_id = strtoll(career_id, &end, 10);
	if (!*career_id || *end || w.career_id <= 0)
		return err_set(e, ERR_NOT_FOUND, NULL, "career '%.32s' of staff '%.64s' not found",
			       career_id, key);
	return finish(&w, store_write(st, do_career_verify, &w, e), out);
}
