/*
 * ticket_rules.c — the service desk's rules as data: the impact × urgency
 * priority matrix and the lifecycle (which status may follow which). The
 * names of kinds and statuses are the records' own (model/desk.c).
 */
#include "domain/desk/ticket.h"

#include <stdlib.h>
#include <string.h>

/* priority_matrix[impact-1][urgency-1]; 1 is the highest priority. */
static const int priority_matrix[3][3] = {
	{ 1, 2, 3 },
	{ 2, 3, 4 },
	{ 3, 4, 5 },
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

/* "open": the statuses in which the desk still owes work, as the dashboard
 * counts them — resolved waits for the requester to close it, and is not. */
static const unsigned status_open =
	1u << ST_NEW | 1u << ST_ASSIGNED | 1u << ST_IN_PROGRESS | 1u << ST_PENDING;

int ticket_status_set_parse(const char *list, unsigned *set, struct err *e)
{
	*set = 0;
	for (const char *p = list;; p++) {
		size_t n = strcspn(p, ",");
		enum ticket_status st;
		char name[32];

		if (n == 0 || n >= sizeof(name))
			return err_set(e, ERR_INVALID, "status",
				       "malformed status list '%s': names separated by commas",
				       list);
		memcpy(name, p, n);
		name[n] = '\0';
		if (!strcmp(name, "open"))
			*set |= status_open;
		else if (!ticket_status_parse(name, &st))
			*set |= 1u << st;
		else
			return err_set(e, ERR_INVALID, "status",
				       "unknown status '%s' (open, new, assigned, in_progress, "
				       "pending, resolved, closed, cancelled)",
				       name);
		p += n;
		if (!*p)
			return 0;
	}
}
