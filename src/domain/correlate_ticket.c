/*
 * correlate_ticket.c — what correlation writes outside its own tables, all
 * inside the caller's write: incidents (open, reopen, resolve, annotate)
 * and outages.
 *
 * Incidents are written through the same store operations and in the same
 * shapes as domain/ticket.c (key from the INC counter, a status history
 * row, the SLA clock hooks, an audit record "ticket:KEY" whose "after" is
 * the ticket re-read inside the transaction with the digest of its field
 * history — ticket_state() mirrors ticket.c's static ticket_state_json —,
 * comments audited as "comment:ID"), so audit_verify holds them like any
 * other ticket. ticket.c runs its own store_write and cannot join ours;
 * this file is the one place to switch to transaction-level entry points
 * of ticket.c (ticket_create_tx/…_update_tx/…_comment_tx) once they exist.
 *
 * Outages go through correlate_outage_start/_end only: they call the SLA
 * module's outage_open/outage_close when it is linked in (weak symbols) and
 * always record the outage against the alert (alert_outages), so the alert
 * knows which outages to close.
 */
#include "domain/audit.h"
#include "domain/correlate.h"
#include "domain/outage.h"
#include "domain/sla.h"
#include "domain/ticket.h"
#include "lib/timeutil.h"
#include "store/store_cmdb.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#pragma weak outage_open
#pragma weak outage_close

int correlate_incident_open(struct store_tx *tx, const struct actor *a, const struct alert *al,
			    const struct event *ev, const json_t *services, int64_t n_items,
			    const char *ci_key, int64_t *id, char *key, struct err *e);
int correlate_incident_move(struct store_tx *tx, const struct actor *a, int64_t id,
			    enum ticket_status to, const char *note, struct err *e);
int correlate_incident_note(struct store_tx *tx, const struct actor *a, int64_t id,
			    const char *note, struct err *e);
int correlate_incident_state(struct store *st, struct store_tx *tx, int64_t id, int *open,
			     char *key);

/* The state ticket.c audits for a ticket: its fields as the API shows them
 * plus a digest of its field history (mirror of ticket_state_json). */
static json_t *ticket_state(struct store *st, struct store_tx *tx, const struct ticket *t)
{
	static const unsigned char sep = 0x1f;
	crypto_generichash_state h;
	struct history_entry *hs = NULL;
	unsigned char d[32];
	char hex[65], num[64];
	json_t *j = ticket_to_json(t);
	size_t n = 0;

	crypto_generichash_init(&h, NULL, 0, sizeof(d));
	if (st->ops->history_list(st, tx, t->id, &hs, &n, NULL) == 0) {
		for (size_t i = 0; i < n; i++) {
			const char *parts[] = { hs[i].actor, hs[i].field,
						hs[i].old_value ? hs[i].old_value : "\x01",
						hs[i].new_value ? hs[i].new_value : "\x01" };

			snprintf(num, sizeof(num), "%lld %lld", (long long)hs[i].id,
				 (long long)hs[i].at);
			crypto_generichash_update(&h, (const unsigned char *)num, strlen(num));
			crypto_generichash_update(&h, &sep, 1);
			for (size_t k = 0; k < 4; k++) {
				crypto_generichash_update(&h, (const unsigned char *)parts[k],
							  strlen(parts[k]));
				crypto_generichash_update(&h, &sep, 1);
			}
		}
		store_free_history(hs, n);
	}
	crypto_generichash_final(&h, d, sizeof(d));
	sodium_bin2hex(hex, sizeof(hex), d, sizeof(d));
	json_object_set_new(j, "history_entries", json_integer((json_int_t)n));
	json_object_set_new(j, "history_digest", json_string(hex));
	return j;
}

static int audit_ticket(struct store_tx *tx, const struct actor *a, const char *key,
			const char *action, const json_t *set, struct err *e)
{
	struct ticket fresh;
	char entity[64];
	json_t *after, *change;
	int rc;

	if ((rc = tx->st->ops->ticket_get(tx->st, tx, key, &fresh, e)))
		return rc;
	after = ticket_state(tx->st, tx, &fresh);
	ticket_release(&fresh);
	snprintf(entity, sizeof(entity), "ticket:%s", key);
	change = json_pack("{s:O, s:o}", "set", set ? set : json_null(), "after", after);
	rc = audit_append(tx, a, action, entity, change, e);
	json_decref(change);
	return rc;
}

static int history(struct store_tx *tx, const struct actor *a, const struct ticket *t,
		   const char *field, const char *old, const char *new_value, struct err *e)
{
	struct history_entry h = { 0 };

	h.ticket_id = t->id;
	h.at = t->updated_at;
	h.actor_id = a->user_id;
	snprintf(h.actor, sizeof(h.actor), "%s", a->username);
	snprintf(h.field, sizeof(h.field), "%s", field);
	h.old_value = (char *)old;
	h.new_value = (char *)new_value;
	return tx->st->ops->history_insert(tx, &h, e);
}

/* Cut s to at most max bytes without splitting a UTF-8 sequence. */
static void cut_utf8(char *s, size_t max)
{
	size_t n = strlen(s);

	if (n <= max)
		return;
	while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
		max--;
	s[max] = '\0';
}

int correlate_incident_open(struct store_tx *tx, const struct actor *a, const struct alert *al,
			    const struct event *ev, const json_t *services, int64_t n_items,
			    const char *ci_key, int64_t *id, char *key, struct err *e)
{
	struct store *st = tx->st;
	struct ticket t;
	char title[TICKET_TITLE_MAX + 8];
	char *desc = NULL, *details;
	size_t i;
	json_t *svc, *set;
	int64_t n;
	int rc;

	memset(&t, 0, sizeof(t));
	t.kind = KIND_INCIDENT;
	snprintf(title, sizeof(title), "%s: %s", ci_key && *ci_key ? ci_key : ev->resource,
		 ev->summary);
	cut_utf8(title, TICKET_TITLE_MAX);
	details = json_dumps(ev->details, JSON_COMPACT | JSON_SORT_KEYS);
	if (asprintf(&desc,
		     "Opened by monitoring.\nsource: %s\nresource: %s\ncheck: %s\nseverity: %s\n"
		     "dedup key: %s\nitems impacted: %lld, services impacted: %zu\n\n%s\n\n"
		     "details: %s",
		     ev->source, ev->resource, ev->check, event_severity_name(ev->severity),
		     ev->dedup_key, (long long)n_items, json_array_size(services), ev->summary,
		     details ? details : "{}") < 0)
		desc = NULL;
	free(details);
	if (!desc)
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	cut_utf8(desc, TICKET_TEXT_MAX);
	t.title = title;
	t.description = desc;
	t.impact = correlate_impact_level((int64_t)json_array_size(services), n_items);
	t.urgency = correlate_urgency(ev->severity);
	t.priority = ticket_priority(t.impact, t.urgency);
	t.status = ST_NEW;
	t.requester_id = a->user_id;
	snprintf(t.channel, sizeof(t.channel), "monitoring");
	svc = json_array_get(services, 0);
	if (svc)
		snprintf(t.service, sizeof(t.service), "%s",
			 json_string_value(json_object_get(svc, "service")));
	if ((rc = st->ops->counter_next(tx, ticket_kind_prefix(KIND_INCIDENT), &n, e)))
		goto out;
	snprintf(t.key, sizeof(t.key), "%s-%lld", ticket_kind_prefix(KIND_INCIDENT), (long long)n);
	t.created_at = t.updated_at = clock_now();
	if ((rc = st->ops->ticket_insert(tx, &t, e)))
		goto out;
	if ((rc = history(tx, a, &t, "status", NULL, ticket_status_name(t.status), e)))
		goto out;
	if ((rc = sla_clock_on_create(tx, a, &t, e)))
		goto out;
	set = json_pack("{s:s, s:s, s:s, s:i, s:i, s:s, s:s, s:s}", "kind", "incident", "title",
			t.title, "description", t.description, "impact", t.impact, "urgency",
			t.urgency, "channel", "monitoring", "service", t.service, "dedup_key",
			al->dedup_key);
	rc = audit_ticket(tx, a, t.key, "ticket.create", set, e);
	json_decref(set);
	if (rc)
		goto out;
	if (al->ci_id && (rc = st->ops->cmdb->ticket_ci_link(tx, t.id, al->ci_id, "affected", e)))
		goto out;
	for (i = 0; i < json_array_size(services); i++) {
		int64_t sid = json_integer_value(json_object_get(json_array_get(services, i), "id"));

		if (sid && sid != al->ci_id &&
		    (rc = st->ops->cmdb->ticket_ci_link(tx, t.id, sid, "impacted", e)))
			goto out;
	}
	*id = t.id;
	snprintf(key, 24, "%s", t.key);
out:
	free(desc);
	return rc;
}

static int add_note(struct store_tx *tx, const struct actor *a, const struct ticket *t,
		    const char *note, struct err *e)
{
	struct comment c = { 0 };
	char entity[64];
	json_t *after, *change;
	int rc;

	c.ticket_id = t->id;
	c.author_id = a->user_id;
	snprintf(c.author, sizeof(c.author), "%s", a->username);
	c.body = (char *)note;
	c.public = 0;
	c.created_at = clock_now();
	if ((rc = tx->st->ops->comment_insert(tx, &c, e)))
		return rc;
	if ((rc = sla_clock_on_comment(tx, a, t, c.public, c.created_at, e)))
		return rc;
	snprintf(entity, sizeof(entity), "comment:%lld", (long long)c.id);
	after = comment_to_json(&c, t->key);
	change = json_pack("{s:o}", "after", after);
	rc = audit_append(tx, a, "ticket.comment", entity, change, e);
	json_decref(change);
	return rc;
}

int correlate_incident_state(struct store *st, struct store_tx *tx, int64_t id, int *open,
			     char *key)
{
	struct ticket t;
	char ref[24];

	*open = 0;
	snprintf(ref, sizeof(ref), "%lld", (long long)id);
	if (st->ops->ticket_get(st, tx, ref, &t, NULL))
		return ERR_NOT_FOUND;
	*open = t.status != ST_RESOLVED && !ticket_status_is_terminal(t.status);
	if (key)
		snprintf(key, 24, "%s", t.key);
	ticket_release(&t);
	return 0;
}

int correlate_incident_note(struct store_tx *tx, const struct actor *a, int64_t id,
			    const char *note, struct err *e)
{
	struct ticket t;
	char ref[24];
	int rc;

	snprintf(ref, sizeof(ref), "%lld", (long long)id);
	if (tx->st->ops->ticket_get(tx->st, tx, ref, &t, NULL))
		return 0; /* the incident is gone: nothing to annotate */
	rc = ticket_status_is_terminal(t.status) ? 0 : add_note(tx, a, &t, note, e);
	ticket_release(&t);
	return rc;
}

/* Move the incident to `to` (in_progress or resolved), through in_progress
 * when the lifecycle needs it, with a note. A ticket a person closed or
 * cancelled is left alone. */
int correlate_incident_move(struct store_tx *tx, const struct actor *a, int64_t id,
			    enum ticket_status to, const char *note, struct err *e)
{
	struct store *st = tx->st;
	struct ticket t;
	enum ticket_status old_status;
	char ref[24];
	json_t *set;
	int rc = 0;

	snprintf(ref, sizeof(ref), "%lld", (long long)id);
	if (st->ops->ticket_get(st, tx, ref, &t, NULL))
		return 0;
	old_status = t.status;
	if (ticket_status_is_terminal(t.status) || t.status == to)
		goto note;
	t.updated_at = clock_now();
	if (!ticket_can_move(t.status, to)) {
		if (!ticket_can_move(t.status, ST_IN_PROGRESS) ||
		    !ticket_can_move(ST_IN_PROGRESS, to))
			goto note;
		if ((rc = history(tx, a, &t, "status", ticket_status_name(t.status),
				  ticket_status_name(ST_IN_PROGRESS), e)))
			goto out;
		t.status = ST_IN_PROGRESS;
	}
	if ((rc = history(tx, a, &t, "status", ticket_status_name(t.status),
			  ticket_status_name(to), e)))
		goto out;
	if (to == ST_RESOLVED)
		t.resolved_at = t.updated_at;
	if (t.status == ST_RESOLVED && to == ST_IN_PROGRESS)
		t.resolved_at = 0;
	t.status = to;
	t.version++;
	if ((rc = st->ops->ticket_update(tx, &t, e)))
		goto out;
	if ((rc = sla_clock_on_update(tx, a, &t, old_status, t.priority, e)))
		goto out;
	set = json_pack("{s:s}", "status", ticket_status_name(to));
	rc = audit_ticket(tx, a, t.key, "ticket.update", set, e);
	json_decref(set);
	if (rc)
		goto out;
note:
	if (!ticket_status_is_terminal(t.status))
		rc = add_note(tx, a, &t, note, e);
out:
	ticket_release(&t);
	return rc;
}

/* ---- outages ---- */

int correlate_outage_start(struct store_tx *tx, const struct actor *a, int64_t alert_id,
			   const char *service, int64_t service_ci, int64_t start,
			   const char *incident_key, const char *ci_key, struct err *e)
{
	int64_t outage_id = 0;

	if (outage_open) {
		struct err oe = { 0 };
		int rc = outage_open(tx, a, service, start, 0, incident_key, ci_key, &outage_id,
				     &oe);

		/* A service item without a catalogue service still gets its
		 * outage recorded here; anything else is a real failure. */
		if (rc && rc != ERR_INVALID) {
			if (e)
				*e = oe;
			return rc;
		}
		if (rc)
			outage_id = 0;
	}
	return tx->st->ops->cmdb->outage_insert(tx, alert_id, service, service_ci, outage_id, start,
						e);
}

int correlate_outage_end(struct store_tx *tx, const struct actor *a, int64_t alert_id,
			 int64_t end, struct err *e)
{
	json_t *open = NULL;
	size_t i;
	int rc;

	if ((rc = tx->st->ops->cmdb->outage_open_list(tx->st, tx, alert_id, &open, e)))
		return rc;
	for (i = 0; !rc && i < json_array_size(open); i++) {
		json_t *o = json_array_get(open, i);
		int64_t oid = json_integer_value(json_object_get(o, "outage_id"));

		if (oid && outage_close) {
			struct err oe = { 0 };

			rc = outage_close(tx, a, oid, end, &oe);
			/* ended already (by a person) or ended before it started:
			 * the alert's record still closes */
			if (rc == ERR_CONFLICT || rc == ERR_INVALID || rc == ERR_NOT_FOUND)
				rc = 0;
			else if (rc && e)
				*e = oe;
		}
		if (!rc)
			rc = tx->st->ops->cmdb->outage_end(
				tx, json_integer_value(json_object_get(o, "id")), end, e);
	}
	json_decref(open);
	return rc;
}
