/*
 * correlate_ticket.c — what correlation writes outside its own tables, all
 * inside the caller's write: incidents (open, reopen, resolve, annotate)
 * and outages.
 *
 * Incidents are opened, moved and annotated through the service desk's own
 * operations run inside our write (ticket_create_in, ticket_update_in,
 * ticket_comment_in), so they obey the lifecycle, start the SLA clocks and
 * are audited exactly like tickets people file.
 *
 * Outages go through correlate_outage_start/_end only: they open and close
 * the SLA module's outages (outage_open/outage_close) and always record the
 * outage against the alert (alert_outages), so the alert knows which
 * outages to close.
 */
#include "domain/platform/audit.h"
#include "domain/events/correlate.h"
#include "domain/sla/outage.h"
#include "domain/sla/sla.h"
#include "domain/desk/ticket.h"
#include "lib/timeutil.h"
#include "store/store_cmdb.h"

#include <stdlib.h>
#include <string.h>

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

static void ref_of(int64_t id, char ref[24])
{
	snprintf(ref, 24, "%lld", (long long)id);
}

int correlate_incident_open(struct store_tx *tx, const struct actor *a, const struct alert *al,
			    const struct event *ev, const json_t *services, int64_t n_items,
			    const char *ci_key, int64_t *id, char *key, struct err *e)
{
	struct store *st = tx->st;
	char title[TICKET_TITLE_MAX + 8], customer[64] = "", picked[64] = "";
	char *desc = NULL, *details;
	const char *service;
	json_t *in, *after = NULL;
	size_t i;
	int rc;

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
	/* The incident is made by the service desk's own create, so it obeys
	 * every rule a typed one does and is audited the same way. */
	in = json_pack("{s:s, s:s, s:s, s:i, s:i, s:s}", "kind", "incident", "title", title,
		       "description", desc, "impact",
		       correlate_impact_level((int64_t)json_array_size(services), n_items),
		       "urgency", correlate_urgency(ev->severity), "channel", "monitoring");
	/* The customer and the service: those of the most severe SLA among the
	 * customers whose services the item's failure reaches (sla_pick.c);
	 * without one, the first service reached and no customer. */
	rc = sla_pick_most_severe(st, tx, services,
				  ticket_priority((int)json_integer_value(json_object_get(in, "impact")),
						  (int)json_integer_value(json_object_get(in, "urgency"))),
				  customer, picked, e);
	if (rc < 0) {
		json_decref(in);
		free(desc);
		return rc;
	}
	service = rc ? picked :
		       json_string_value(json_object_get(json_array_get(services, 0), "service"));
	if (rc)
		json_object_set_new(in, "customer", json_string(customer));
	if (service && *service)
		json_object_set_new(in, "service", json_string(service));
	{
		/* Opened by the system, not by whoever's token carried the event
		 * (no requester); routing rules may match the item. */
		struct ticket_origin origin = { ci_key && *ci_key ? ci_key : NULL, NULL, 1 };

		rc = ticket_create_from_in(tx, a, in, &origin, &after, e);
	}
	json_decref(in);
	free(desc);
	if (rc)
		return rc;
	*id = json_integer_value(json_object_get(after, "id"));
	snprintf(key, 24, "%s", json_string_value(json_object_get(after, "key")));
	json_decref(after);
	if (al->ci_id && (rc = st->ops->cmdb->ticket_ci_link(tx, *id, al->ci_id, "affected", e)))
		return rc;
	for (i = 0; i < json_array_size(services); i++) {
		int64_t sid = json_integer_value(json_object_get(json_array_get(services, i), "id"));

		if (sid && sid != al->ci_id &&
		    (rc = st->ops->cmdb->ticket_ci_link(tx, *id, sid, "impacted", e)))
			return rc;
	}
	return 0;
}

/* An internal note on an open ticket, through the service desk's comment. */
static int add_note(struct store_tx *tx, const struct actor *a, const char *ref,
		    const char *note, struct err *e)
{
	json_t *in = json_pack("{s:s, s:b}", "body", note, "public", 0);
	int rc = ticket_comment_in(tx, a, ref, in, NULL, e);

	json_decref(in);
	return rc;
}

int correlate_incident_state(struct store *st, struct store_tx *tx, int64_t id, int *open,
			     char *key, struct err *e)
{
	struct ticket t;
	char ref[24];
	int rc;

	*open = 0;
	ref_of(id, ref);
	if ((rc = st->ops->ticket_get(st, tx, ref, &t, e)))
		return rc == ERR_NOT_FOUND ? 0 : rc; /* gone: not open, no key */
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

	ref_of(id, ref);
	if ((rc = tx->st->ops->ticket_get(tx->st, tx, ref, &t, e)))
		return rc == ERR_NOT_FOUND ? 0 : rc; /* gone: nothing to annotate */
	rc = ticket_status_is_terminal(t.status) ? 0 : add_note(tx, a, ref, note, e);
	ticket_release(&t);
	return rc;
}

/* One status move through the service desk's update, at the version read. */
static int move(struct store_tx *tx, const struct actor *a, const char *ref, int64_t version,
		enum ticket_status to, struct err *e)
{
	json_t *in = json_pack("{s:I, s:s}", "version", (json_int_t)version, "status",
			       ticket_status_name(to));
	int rc = ticket_update_in(tx, a, ref, in, NULL, e);

	json_decref(in);
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
	char ref[24];
	int rc = 0;

	ref_of(id, ref);
	if ((rc = st->ops->ticket_get(st, tx, ref, &t, e)))
		return rc == ERR_NOT_FOUND ? 0 : rc; /* gone: nothing to move */
	if (ticket_status_is_terminal(t.status) || t.status == to)
		goto note;
	if (!ticket_can_move(t.status, to)) {
		if (!ticket_can_move(t.status, ST_IN_PROGRESS) ||
		    !ticket_can_move(ST_IN_PROGRESS, to))
			goto note;
		if ((rc = move(tx, a, ref, t.version, ST_IN_PROGRESS, e)))
			goto out;
		t.version++;
	}
	if ((rc = move(tx, a, ref, t.version, to, e)))
		goto out;
	t.status = to;
note:
	if (!ticket_status_is_terminal(t.status))
		rc = add_note(tx, a, ref, note, e);
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
	struct err oe = { 0 };
	int rc = outage_open(tx, a, service, start, 0, incident_key, ci_key, &outage_id, &oe);

	/* A service item without a catalogue service still gets its outage
	 * recorded here; anything else is a real failure. */
	if (rc && rc != ERR_INVALID) {
		if (e)
			*e = oe;
		return rc;
	}
	if (rc)
		outage_id = 0;
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

		if (oid) {
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
