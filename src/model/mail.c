/*
 * model/mail.c — the names of a message's outcomes, and freeing the mail
 * module's records.
 */
#include "model/mail.h"

#include <stdlib.h>
#include <string.h>

static const char *const outcome_names[MAIL__COUNT] = { "created", "commented", "refused",
							 "ignored" };

const char *mail_outcome_name(enum mail_outcome o)
{
	return (unsigned)o < MAIL__COUNT ? outcome_names[o] : "unknown";
}

int mail_outcome_parse(const char *s, enum mail_outcome *o)
{
	for (int i = 0; i < MAIL__COUNT; i++)
		if (s && !strcmp(s, outcome_names[i])) {
			*o = (enum mail_outcome)i;
			return 0;
		}
	return -1;
}

void mail_message_release(struct mail_message *m)
{
	free(m->body);
	free(m->raw);
	m->body = NULL;
	m->raw = NULL;
	m->raw_len = 0;
}

void mail_free_messages(struct mail_message *m, size_t n)
{
	for (size_t i = 0; i < n; i++)
		mail_message_release(&m[i]);
	free(m);
}
