/*
 * fuzz/ticket_json.c — libFuzzer target: a ticket create body as the server
 * reads it (json_loadb with the router's flags), then ticket_validate_create
 * as staff and as a requester, and the jx_* getters on every key.
 *
 * Beyond memory safety and leaks it checks what the validator promises:
 * on success the ticket is well formed (priority from the matrix, a title
 * that is not blank and fits, a known kind and channel, a well-formed
 * service key); on failure the code is one the API maps to 400 or 403 and
 * e names it; staff and requester differ only by the requester's 403 for
 * assignee/customer.
 */
#include <ctype.h>
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domain/platform/actor.h"
#include "domain/desk/ticket.h"
#include "lib/err.h"
#include "lib/jsonx.h"

static void check_ok(const struct ticket *t)
{
	static const char *const channels[] = { "web", "api", "email", "phone", "monitoring" };
	int known = 0;

	if ((unsigned)t->kind >= KIND__COUNT || t->status != ST_NEW)
		abort();
	if (t->impact < 1 || t->impact > 3 || t->urgency < 1 || t->urgency > 3 ||
	    t->priority != ticket_priority(t->impact, t->urgency) || t->priority < 1 ||
	    t->priority > 5)
		abort();
	if (!t->title || !t->title[0] || isspace((unsigned char)t->title[0]) ||
	    strlen(t->title) > TICKET_TITLE_MAX)
		abort();
	if (!t->description || strlen(t->description) > TICKET_TEXT_MAX)
		abort();
	for (size_t i = 0; i < sizeof(channels) / sizeof(channels[0]); i++)
		known |= !strcmp(t->channel, channels[i]);
	if (!known)
		abort();
	for (const char *p = t->service; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("-_.", *p))
			abort();
}

/* Validate as actor a; returns the code, after checking the result. */
static int validate(const json_t *j, const struct actor *a)
{
	struct ticket t;
	struct err e;
	int rc;

	memset(&e, 0, sizeof(e));
	rc = ticket_validate_create(j, a, &t, &e);
	if (rc == 0) {
		json_t *out;
		char *text;

		check_ok(&t);
		/* the borrowed strings are still readable, and serialise */
		out = ticket_to_json(&t);
		text = json_dumps(out, JSON_COMPACT | JSON_SORT_KEYS);
		if (!text)
			abort();
		free(text);
		json_decref(out);
		return 0;
	}
	if (rc != ERR_INVALID && rc != ERR_FORBIDDEN)
		abort();
	if (e.code != rc || !e.msg[0] || memchr(e.field, '\0', sizeof(e.field)) == NULL)
		abort();
	if (rc == ERR_FORBIDDEN && actor_is_staff(a))
		abort();
	return rc;
}

/* Every getter on every key: none may crash, each answers in its contract. */
static void getters(const json_t *j)
{
	static const char *const some[] = { "kind", "title", "impact", NULL };
	const char *key, *s;
	json_t *v;
	int64_t i;
	int b, rc;
	struct err e;

	if (!json_is_object(j))
		return;
	json_object_foreach((json_t *)j, key, v)
	{
		for (int req = 0; req < 2; req++) {
			rc = jx_str(j, key, req, 16, &s, &e);
			if (rc == 0 && (strlen(s) > 16 || strlen(s) != json_string_length(v)))
				abort();
			if (rc > 0 && !json_is_null(v))
				abort();
			rc = jx_int(j, key, req, -5, 5, &i, &e);
			if (rc == 0 && (i < -5 || i > 5))
				abort();
			if (rc > 0 && !json_is_null(v))
				abort();
			rc = jx_bool(j, key, req, &b, &e);
			if (rc == 0 && b != json_is_true(v))
				abort();
			jx_time(j, key, req, &i, &e);
		}
	}
	jx_only(j, some, &e);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t flags[] = { JSON_REJECT_DUPLICATES, JSON_DECODE_ANY | JSON_ALLOW_NUL };
	struct actor staff, req;

	memset(&staff, 0, sizeof(staff));
	staff.user_id = 7;
	staff.role = ROLE_AGENT;
	memcpy(staff.username, "alice", 6);
	memset(&req, 0, sizeof(req));
	req.user_id = 9;
	req.role = ROLE_REQUESTER;
	req.customer_id = 3;
	memcpy(req.username, "bob", 4);

	for (size_t f = 0; f < sizeof(flags) / sizeof(flags[0]); f++) {
		json_t *j = json_loadb((const char *)data, size, flags[f], NULL);
		int rs, rr;

		if (!j)
			continue;
		rs = validate(j, &staff);
		rr = validate(j, &req);
		/* The requester's only extra refusal is the 403; a body staff may
		 * not send, no one may send. */
		if (rs != 0 && rr != rs)
			abort();
		if (rs == 0 && rr != 0 && rr != ERR_FORBIDDEN)
			abort();
		getters(j);
		json_decref(j);
	}
	return 0;
}
