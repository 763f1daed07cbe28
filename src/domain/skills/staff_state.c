/*
 * staff_state.c — the scan of every stored person ("staff:KEY"), career
 * ("career:ID") and assessment ("assessment:ID"), in the form the audit log
 * records them, for audit_verify: the records the skill map and the
 * staff reports are made of.
 *
 * Careers and assessments are read per person, so one whose person is gone
 * shows as deleted; the store keeps none without one.
 */
#include "domain/skills/staff.h"
#include "store/store_skill.h"

#include <stdio.h>
#include <stdlib.h>

#define PAGE 200


/* One person's careers and assessments. */
static int person(struct store *st, const struct staff *s, const struct audit_scan *to,
		  struct err *e)
{
	const struct store_skill_ops *sk = st->ops->skill;
	struct staff_career *cs = NULL;
	size_t nc = 0;
	int64_t before = 0;
	int more = 1, rc;

	if ((rc = sk->career_list(st, NULL, s->id, &cs, &nc, e)))
		return rc;
	for (size_t i = 0; !rc && i < nc; i++)
		rc = audit_state_hand(to, staff_career_state_json(&cs[i], s->key), "career:%lld",
				      (long long)cs[i].id);
	staff_free_careers(cs, nc);
	while (!rc && more) {
		struct staff_assessment *as = NULL;
		size_t na = 0;

		if ((rc = sk->assessment_list(st, s->id, before, PAGE, &as, &na, &more, e)))
			break;
		for (size_t i = 0; !rc && i < na; i++) {
			rc = audit_state_hand(to, staff_assessment_state_json(&as[i], s->key),
					      "assessment:%lld", (long long)as[i].id);
			before = as[i].id;
		}
		staff_free_assessments(as, na);
		if (!na)
			break;
	}
	return rc;
}

int staff_state_scan(struct store *st, audit_state_fn fn, void *ctx, struct err *e)
{
	struct audit_scan to = { fn, ctx };
	char after[STAFF_KEY_MAX + 1] = "";
	int more = 1, rc = 0;

	while (!rc && more) {
		struct staff_page p = { 0 };

		if ((rc = st->ops->skill->staff_list(st, NULL, after, PAGE, &p, e)))
			break;
		more = p.more;
		for (size_t i = 0; !rc && i < p.n; i++) {
			rc = audit_state_hand(&to, staff_to_json(&p.items[i]), "staff:%s",
					      p.items[i].key);
			if (!rc)
				rc = person(st, &p.items[i], &to, e);
			snprintf(after, sizeof(after), "%s", p.items[i].key);
		}
		for (size_t i = 0; i < p.n; i++)
			staff_release(&p.items[i]);
		free(p.items);
		if (!p.n)
			break;
	}
	return rc;
}
