/*
 * demo.h — a believable small organisation for a newcomer's first look:
 * customers, staff and requesters over every role, and tickets spread over
 * the last 60 days in every status, all made through the domain's own
 * operations (so history and audit are as real as live data).
 */
#ifndef ITSM_DEMO_H
#define ITSM_DEMO_H

#include <stdint.h>

#include "lib/err.h"

struct store;

#define DEMO_PASSWORD "itsm-demo"

/* Load demo data into a store with no users (*loaded = 1); a store that
 * holds users is left as it is (*loaded = 0). */
int demo_load(struct store *st, int64_t now, int *loaded, struct err *e);
/* demo_catalogue.c: services, calendar, SLAs, inventory, outages, staff. */
struct actor;
int demo_catalogue(struct store *st, const struct actor *a, int64_t now, struct err *e);

/* One line per demo user: "username role customer" for the start banner. */
void demo_print_users(void (*print)(const char *line, void *ctx), void *ctx);

#endif
