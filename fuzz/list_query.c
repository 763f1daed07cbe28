/*
 * fuzz/list_query.c — libFuzzer target: the query strings of the lists,
 * against the seeded store. The input is the text after '?' in a URL; it
 * becomes the object of strings the handlers pass down as the server builds
 * it (server.c's query_cb on libmicrohttpd's arguments: split at '&', the
 * first '=' splits name from value, '+' is a blank, %XX is unescaped by
 * MHD_http_unescape, a later name replaces an earlier one, a name or value
 * that is not UTF-8 is dropped, the text ends at a NUL). Then every list
 * reads it: tickets (as an agent and as two requesters), items, the audit
 * log, outages, SLAs, services, calendars, staff, alerts, the outbox,
 * ticket statistics, the skill map, an item's metrics, a staff member's
 * assessments.
 *
 * Checked beyond memory safety:
 *  - an answer is 0, or a 400 or 403 with a message; a 400 names the
 *    parameter at fault, one the query has;
 *  - a page is {"items": [...], "next_cursor": null or a string}, with at
 *    most "limit" items (50 when not given);
 *  - the next page, asked with that cursor, is answered too and shares no
 *    item with the page before;
 *  - a requester's ticket list holds only their customer's tickets, whatever
 *    the query asks for.
 */
#include <jansson.h>
#include <microhttpd.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domain/cmdb/cmdb.h"
#include "domain/desk/stats.h"
#include "domain/desk/ticket.h"
#include "domain/events/check.h"
#include "domain/events/correlate.h"
#include "domain/platform/audit.h"
#include "domain/platform/outbox.h"
#include "domain/skills/staff.h"
#include "domain/sla/outage.h"
#include "domain/sla/service.h"
#include "domain/sla/sla.h"
#include "store/store.h"
#include "support/fuzz_check.h"
#include "support/fuzz_store.h"

static struct store *st;

typedef int (*list_fn)(struct store *s, const struct actor *a, const json_t *q, json_t **out,
		       struct err *e);

static int metrics(struct store *s, const struct actor *a, const json_t *q, json_t **out,
		   struct err *e)
{
	return metric_query_json(s, a, "fw-01", q, out, e);
}

static int assessments(struct store *s, const struct actor *a, const json_t *q, json_t **out,
		       struct err *e)
{
	return staff_assessments_json(s, a, "mori", q, out, e);
}

static int calendars(struct store *s, const struct actor *a, const json_t *q, json_t **out,
		     struct err *e)
{
	return sla_calendar_list_json(s, a, q, out, e);
}

static const struct list {
	const char *name, *user;
	list_fn fn;
	const char *id;       /* the item's unique field, NULL: not a page */
	const char *customer; /* a requester's customer: every item is theirs */
} lists[] = {
	{ "tickets", "sato", ticket_list_json, "id", NULL },
	{ "tickets", "alice", ticket_list_json, "id", "acme" },
	{ "tickets", "dave", ticket_list_json, "id", "globex" },
	{ "cis", "sato", cmdb_ci_list_json, "id", NULL },
	{ "audit", "mori", audit_list_json, "seq", NULL },
	{ "outages", "sato", outage_list_json, "id", NULL },
	{ "slas", "sato", sla_list_json, "name", NULL },
	{ "slas", "alice", sla_list_json, "name", "acme" },
	{ "services", "sato", service_list_json, "key", NULL },
	{ "calendars", "sato", calendars, "name", NULL },
	{ "staff", "mori", staff_list_json, "key", NULL },
	{ "alerts", "sato", correlate_alerts_json, "id", NULL },
	{ "outbox", "admin", outbox_list_json, "id", NULL },
	{ "assessments", "mori", assessments, "id", NULL },
	{ "stats", "sato", stats_tickets_json, NULL, NULL },
	{ "skill-map", "mori", staff_skill_map_json, NULL, NULL },
	{ "metrics", "sato", metrics, NULL, NULL },
};
#define NLISTS (sizeof(lists) / sizeof(lists[0]))

static struct actor actors[NLISTS];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	st = fuzz_store();
	for (size_t i = 0; i < NLISTS; i++)
		fuzz_actor(lists[i].user, &actors[i]);
	return 0;
}

/* The query object of the text, as the server makes it. */
static json_t *query_of(const char *text, size_t len)
{
	json_t *q = json_object();
	char *copy = strndup(text, len), *save = NULL;

	for (char *arg = strtok_r(copy, "&", &save); arg; arg = strtok_r(NULL, "&", &save)) {
		char *eq = strchr(arg, '=');

		if (eq)
			*eq++ = '\0';
		for (char *p = arg; *p; p++)
			if (*p == '+')
				*p = ' ';
		MHD_http_unescape(arg);
		if (eq) {
			for (char *p = eq; *p; p++)
				if (*p == '+')
					*p = ' ';
			MHD_http_unescape(eq);
		}
		json_object_set_new(q, arg, json_string(eq ? eq : ""));
	}
	free(copy);
	return q;
}

static int64_t limit_of(const json_t *q)
{
	const char *s = json_string_value(json_object_get(q, "limit"));

	return s ? strtoll(s, NULL, 10) : 50;
}

static void check_page(const struct list *l, const json_t *q, const json_t *out)
{
	json_t *items = json_object_get(out, "items"), *next = json_object_get(out, "next_cursor"), *it;
	size_t i;

	CHECK(json_is_array(items));
	CHECK(json_is_null(next) || json_is_string(next));
	CHECK((int64_t)json_array_size(items) <= limit_of(q));
	json_array_foreach(items, i, it) {
		CHECK(json_object_get(it, l->id));
		if (l->customer)
			CHECK(!strcmp(json_string_value(json_object_get(it, "customer")),
				      l->customer));
	}
}

/* Two pages share no item. */
static void check_disjoint(const struct list *l, const json_t *a, const json_t *b)
{
	size_t i, j;
	json_t *x, *y;

	json_array_foreach(json_object_get(a, "items"), i, x)
		json_array_foreach(json_object_get(b, "items"), j, y)
			CHECK(!json_equal(json_object_get(x, l->id), json_object_get(y, l->id)));
}

static int ask(size_t k, const json_t *q, json_t **out)
{
	const struct list *l = &lists[k];
	struct err e = { 0 };
	int rc;

	*out = NULL;
	rc = l->fn(st, &actors[k], q, out, &e);
	NOTE("%s as %s: %d %s%s%s\n", l->name, l->user, rc, e.field, rc ? ": " : "",
	     rc ? e.msg : "");
	if (rc) {
		CHECK(rc == ERR_INVALID || rc == ERR_FORBIDDEN);
		CHECK(e.code == rc && e.msg[0] && !*out);
		if (rc == ERR_INVALID)
			CHECK(e.field[0] && json_object_get(q, e.field));
		return rc;
	}
	CHECK(*out);
	if (l->id)
		check_page(l, q, *out);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *nul = memchr(data, 0, size);
	json_t *q = query_of((const char *)data, nul ? (size_t)(nul - (const char *)data) : size);

	for (size_t k = 0; k < NLISTS; k++) {
		json_t *out, *more, *q2;
		json_t *next;

		if (ask(k, q, &out))
			continue;
		next = json_object_get(out, "next_cursor");
		if (lists[k].id && json_is_string(next)) {
			q2 = json_deep_copy(q);
			json_object_set(q2, "cursor", next);
			CHECK(ask(k, q2, &more) == 0);
			check_disjoint(&lists[k], out, more);
			json_decref(more);
			json_decref(q2);
		}
		json_decref(out);
	}
	json_decref(q);
	return 0;
}
