/*
 * model/sla.c — freeing the arrays of service level records the store
 * hands out.
 */
#include "model/sla.h"

#include <stdlib.h>

void sla_free_calendars(struct calendar_rec *c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(c[i].body);
	free(c);
}

void sla_free_slas(struct sla_rec *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(s[i].body);
	free(s);
}

void sla_free_outbox(struct outbox_rec *o, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(o[i].target);
		free(o[i].payload);
	}
	free(o);
}
