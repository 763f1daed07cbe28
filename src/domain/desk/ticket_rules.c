/*
 * ticket_rules.c — the service desk's rules as data: kinds and their key
 * prefixes, the impact × urgency priority matrix, the status names and the
 * lifecycle (which status may follow which).
 */
#include "domain/desk/ticket.h"

#include <stdlib.h>
#include <string.h>

static const struct {
	const char *name;
	const char *prefix;
} kinds[KIND__COUNT] = {
	[KIND_INCIDENT] = { "incident", "INC" },
	[KIND_REQUEST] = { "request", "REQ" },
	[KIND_INQUIRY] = { "inquiry", "INQ" },
};

/* priority_matrix[impact-1][urgency-1]; 1 is the highest priority. */
static const int priority_matrix[3][3] = {
	{ 1, 2, 3 },
	{ 2, 3, 4 },
	{ 3, 4, 5 },
};

static const char *const status_names[ST__COUNT] = {
	[ST_NEW] = "new",	    [ST_ASSIGNED] = "assigned", [ST_IN_PROGRESS] = "in_progress",
	[ST_PENDING] = "pending", [ST_RESOLVED] = "resolved", [ST_CLOSED] = "closed",
	[ST_CANCELLED] = "cancelled",
};

/* lifecycle[from][to]: the moves the service desk allows. closed and
 * cancelled are terminal; resolved may be reopened to in_progress. */
static const unsigned char lifecycle[ST__COUNT][ST__COUNT] = {
	[ST_NEW] = { [ST_ASSIGNED] = 1, [ST_IN_PROGRESS] = 1, [ST_CANCELLED] = 1 },
	[ST_ASSIGNED] = { [ST_NEW] = 1, [ST_IN_PROGRESS] = 1, [ST_PENDING] = 1,
			  [ST_CANCELLED] = 1 },
	[ST_IN_PROGRESS] = { [ST_ASSIGNED] = 1, [ST_PENDING] = 1, [ST_RESOLVED] = 1,
			     [ST_CANCELLED] = 1 },
	[ST_PENDING] = { [ST_IN_PROGRESS] = 1, [ST_RESOLVED] = 1, [ST_CANCELLED] = 1 },
	[ST_RESOLVED] = { [ST_IN_PROGRESS] = 1, [ST_CLOSED] = 1 },
	[ST_CLOSED] = { 0 },
	[ST_CANCELLED] = { 0 },
};

/* Staff see every ticket; a requester only their own customer's. */
int ticket_visible_to(const struct actor *a, const struct ticket *t)
{
	return actor_is_staff(a) || (a->customer_id && t->customer_id == a->customer_id);
}

int ticket_priority(int impact, int urgency)
{
	if (impact < 1 || impact > 3 || urgency < 1 || urgency > 3)
		return 0;
	return priority_matrix[impact - 1][urgency - 1];
}

int ticket_can_move(enum ticket_status from, enum ticket_status to)
{
	if ((unsigned)from >= ST__COUNT || (unsigned)to >= ST__COUNT)
		return 0;
	return lifecycle[from][to];
}

int ticket_status_is_terminal(enum ticket_status s)
{
	return s == ST_CLOSED || s == ST_CANCELLED;
}

const char *ticket_kind_name(enum ticket_kind k)
{
	return (unsigned)k < KIND__COUNT ? kinds[k].name : "?";
}

const char *ticket_kind_prefix(enum ticket_kind k)
{
	return (unsigned)k < KIND__COUNT ? kinds[k].prefix : "?";
}

int ticket_kind_parse(const char *s, enum ticket_kind *out)
{
	for (int i = 0; s && i < KIND__COUNT; i++)
		if (!strcmp(s, kinds[i].name)) {
			*out = (enum ticket_kind)i;
			return 0;
		}
	return -1;
}

const char *ticket_status_name(enum ticket_status s)
{
	return (unsigned)s < ST__COUNT ? status_names[s] : "?";
}

int ticket_status_parse(const char *s, enum ticket_status *out)
{
	for (int i = 0; s && i < ST__COUNT; i++)
		if (!strcmp(s, status_names[i])) {
			*out = (enum ticket_status)i;
			return 0;
		}
	return -1;
}

void ticket_release(struct ticket *t)
{
	free(t->title);
	free(t->description);
	t->title = t->description = NULL;
}

void comment_release(struct comment *c)
{
	free(c->body);
	c->body = NULL;
}

void history_release(struct history_entry *h)
{
	free(h->old_value);
	free(h->new_value);
	h->old_value = h->new_value = NULL;
}
