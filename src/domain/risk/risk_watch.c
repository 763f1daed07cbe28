/*
 * risk_watch.c — the risk register's periodic check: measures planned or in
 * progress past their due date, and reviews past their date, warn their
 * owner once per due date.
 *
 * The SLA watcher's thread runs it on the leader only (several servers on
 * one store fire each warning once), and POST /api/v1/sla/tick runs it too,
 * so a test moves the clock instead of waiting. Each step is one write: it
 * reads only rows past due whose warned date is not their due date, queues
 * the notice ("mailto:" the owner's address, when the owner has one),
 * appends the audit record "risk.warning" on "risk:KEY" (without "after":
 * the risk's state does not change) and marks the date warned — so a step
 * that races another, or runs again, finds nothing left to warn of. A new
 * due date (a measure moved, a review done) warns again when it lapses.
 */
#include "domain/platform/audit.h"
#include "domain/platform/outbox.h"
#include "domain/risk/risk.h"
#include "lib/jsonx.h"
#include "lib/timeutil.h"
#include "store/store_risk.h"

#include <stdlib.h>
#include <string.h>

#define STEP_BATCH 200

struct step {
	int64_t now, fired;
	size_t seen;
};

/* Queue the notice to owner (when they have an address) and audit it. */
static int warn(struct store_tx *tx, const struct actor *a, const char *key, const char *owner,
		json_t *payload, int64_t now, struct err *e)
{
	struct store *st = tx->st;
	char entity[64], target[256];
	struct user u;
	int rc;

	json_object_set_new(payload, "risk", json_string(key));
	json_object_set_new(payload, "owner", json_string(owner));
	jx_set_time(payload, "at", now);
	rc = st->ops->user_get(st, tx, 0, owner, &u, e);
	if (rc && rc != ERR_NOT_FOUND)
		return rc;
	json_object_set_new(payload, "notified", json_false());
	if (!rc && u.active && u.email[0]) {
		struct err sub = { 0 };

		snprintf(target, sizeof(target), "mailto:%s", u.email);
		if (!outbox_target_check(target, &sub)) {
			json_object_set_new(payload, "notified", json_true());
			if ((rc = outbox_queue(tx, target, payload, now, e)))
				return rc;
		}
	}
	snprintf(entity, sizeof(entity), "risk:%s", key);
	return audit_append(tx, a, "risk.warning", entity, payload, e);
}

static int do_step(struct store_tx *tx, void *arg, struct err *e)
{
	struct step *s = arg;
	struct risk_measure *ms = NULL;
	struct risk_rec *rs = NULL;
	size_t nm = 0, nr = 0;
	struct actor a;
	int rc;

	actor_system(&a, "risk");
	if ((rc = tx->st->ops->risk->measure_due(tx->st, tx, s->now, STEP_BATCH, &ms, &nm, e)))
		return rc;
	for (size_t i = 0; !rc && i < nm; i++) {
		json_t *p = json_pack("{s:s, s:I, s:s, s:o}", "event", "risk.measure_overdue",
				      "measure", (json_int_t)ms[i].id, "description",
				      ms[i].description, "due", jx_time_value(ms[i].due));

		if (!p)
			rc = err_set(e, ERR_INTERNAL, NULL, "out of memory");
		else if (!(rc = warn(tx, &a, ms[i].risk_key, ms[i].owner, p, s->now, e)))
			rc = tx->st->ops->risk->measure_warned(tx, ms[i].id, ms[i].due, e);
		json_decref(p);
		s->fired += !rc;
	}
	free(ms);
	if (rc || (rc = tx->st->ops->risk->review_due(tx->st, tx, s->now, STEP_BATCH, &rs, &nr, e)))
		return rc;
	for (size_t i = 0; !rc && i < nr; i++) {
		json_t *p = json_pack("{s:s, s:s, s:o}", "event", "risk.review_overdue", "title",
				      rs[i].title, "due", jx_time_value(rs[i].next_review));

		if (!p)
			rc = err_set(e, ERR_INTERNAL, NULL, "out of memory");
		else if (!(rc = warn(tx, &a, rs[i].key, rs[i].owner, p, s->now, e)))
			rc = tx->st->ops->risk->review_warned(tx, rs[i].id, rs[i].next_review, e);
		json_decref(p);
		s->fired += !rc;
	}
	risk_free_recs(rs, nr);
	s->seen = nm > nr ? nm : nr;
	return rc;
}

/* 1 when a warning is due at now, 0 when none, or <0 on failure. */
static int pending(struct store *st, int64_t now, struct err *e)
{
	struct risk_measure *ms = NULL;
	struct risk_rec *rs = NULL;
	size_t nm = 0, nr = 0;
	int rc = st->ops->risk->measure_due(st, NULL, now, 1, &ms, &nm, e);

	free(ms);
	if (rc || nm)
		return rc ? rc : 1;
	rc = st->ops->risk->review_due(st, NULL, now, 1, &rs, &nr, e);
	risk_free_recs(rs, nr);
	return rc ? rc : nr > 0;
}

int risk_watch_step(struct store *st, int64_t now, int64_t *fired, struct err *e)
{
	struct step s = { .now = now };
	int rc, rounds = 0;

	*fired = 0;
	/* Read without a write first: nothing due, no transaction. */
	if ((rc = pending(st, now, e)) <= 0)
		return rc;
	do {
		s.seen = 0;
		if ((rc = store_write(st, do_step, &s, e)))
			return rc;
	} while (s.seen == STEP_BATCH && ++rounds < 1000);
	*fired = s.fired;
	return 0;
}
