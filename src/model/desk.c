/*
 * model/desk.c — the names of kinds and statuses, and freeing the desk's
 * records.
 */
#include "model/desk.h"

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

static const char *const status_names[ST__COUNT] = {
	[ST_NEW] = "new",	    [ST_ASSIGNED] = "assigned", [ST_IN_PROGRESS] = "in_progress",
	[ST_PENDING] = "pending", [ST_RESOLVED] = "resolved", [ST_CLOSED] = "closed",
	[ST_CANCELLED] = "cancelled",
};

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

void ticket_free_array(struct ticket *t, size_t n)
{
	for (size_t i = 0; i < n; i++)
		ticket_release(&t[i]);
	free(t);
}

void comment_free_array(struct comment *c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		comment_release(&c[i]);
	free(c);
}

void history_free_array(struct history_entry *h, size_t n)
{
	for (size_t i = 0; i < n; i++)
		history_release(&h[i]);
	free(h);
}

void rating_release(struct rating *r)
{
	free(r->comment);
	r->comment = NULL;
}

void ticket_stats_release(struct ticket_stats *s)
{
	free(s->open);
	s->open = NULL;
	s->n_open = 0;
}
