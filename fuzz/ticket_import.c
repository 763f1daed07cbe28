/*
 * fuzz/ticket_import.c — libFuzzer target: ticket history import against
 * the seeded store: the input as a JSONL file (import_tickets_file, `itsm
 * import tickets FILE`: a reader thread parses line by line beside the
 * writer) and, when every line is JSON, the same tickets as the body
 * {"tickets": [...]} of POST /api/v1/import/tickets (import_tickets_json).
 *
 * Checked beyond memory safety (import.h):
 *  - only admins import: an agent or a requester is refused, nothing written;
 *  - a refusal is a 400, 409 or 413 with a message naming the line (file)
 *    or the ticket (body), and nothing is written;
 *  - all or nothing: an accepted file imported one ticket per non-blank
 *    line; inside the write the audit chain grew by one record per ticket
 *    and per comment, and the last ticket is in the status its timeline
 *    ends in;
 *  - the file and the body agree: both accept, importing as many, or both
 *    refuse with the same code.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/desk/import.h"
#include "domain/desk/ticket.h"
#include "domain/platform/audit.h"
#include "store/store.h"
#include "support/fuzz_check.h"
#include "support/fuzz_store.h"

static struct store *st;
static struct actor admin, agent, requester;
static int64_t base_seq;

struct seen {
	const char *last; /* the key of the last ticket, if known */
	int64_t seq;
	char status[32];
};

static void read_back(struct store_tx *tx, void *arg)
{
	struct seen *s = arg;
	uint8_t head[AUDIT_HASH_LEN];
	struct ticket t;
	struct err e = { 0 };

	CHECK(tx->st->ops->audit_head(tx, &s->seq, head, &e) == 0);
	/* The keys are known only after the import: the last one is the
	 * highest number of its kind, read back by trying the counters. */
	s->status[0] = 0;
	if (s->last && tx->st->ops->ticket_get(tx->st, tx, s->last, &t, NULL) == 0) {
		snprintf(s->status, sizeof(s->status), "%s", ticket_status_name(t.status));
		ticket_release(&t);
	}
}

static int base_fn(struct store_tx *tx, void *arg, struct err *e)
{
	uint8_t head[AUDIT_HASH_LEN];

	return tx->st->ops->audit_head(tx, &base_seq, head, e);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct err e = { 0 };

	st = fuzz_store();
	fuzz_actor("admin", &admin);
	fuzz_actor("sato", &agent);
	fuzz_actor("alice", &requester);
	CHECK(store_write(st, base_fn, NULL, &e) == 0);
	return 0;
}

/* The lines as this target reads them: one JSON value per non-blank line,
 * or NULL when a line is not JSON. *records counts tickets and comments. */
static json_t *lines_of(const char *data, size_t size, int64_t *records)
{
	json_t *arr = json_array();
	size_t i = 0;

	*records = 0;
	while (i < size) {
		const char *nl = memchr(data + i, '\n', size - i);
		size_t len = nl ? (size_t)(nl - data - i) + 1 : size - i, k;
		json_t *j, *ev;

		/* Blank as the reader sees it: getline's C string, so a NUL
		 * after blanks ends the line. */
		for (k = 0; k < len && data[i + k] && strchr(" \t\r\n", data[i + k]); k++)
			;
		if (k == len || !data[i + k]) {
			i += len;
			continue;
		}
		j = json_loadb(data + i, len, 0, NULL);
		if (!j) {
			json_decref(arr);
			return NULL;
		}
		*records += 1;
		json_array_foreach(json_object_get(j, "timeline"), k, ev)
			*records += json_object_get(ev, "status") == NULL;
		json_array_append_new(arr, j);
		i += len;
	}
	return arr;
}

/* The status the last ticket's timeline ends in. */
static const char *final_status(const json_t *ticket)
{
	json_t *tl = json_object_get(ticket, "timeline"), *ev;
	const char *s = json_object_get(ticket, "assignee") &&
				!json_is_null(json_object_get(ticket, "assignee")) ?
				"assigned" :
				"new";
	size_t i;

	json_array_foreach(tl, i, ev)
		if (json_is_string(json_object_get(ev, "status")))
			s = json_string_value(json_object_get(ev, "status"));
	return s;
}

static int refused(int rc, const struct err *e, const char *unit, int writes)
{
	CHECK(rc == ERR_INVALID || rc == ERR_TRANSITION || rc == ERR_CONFLICT ||
	      rc == ERR_TOO_LARGE);
	CHECK(e->code == rc && !strncmp(e->msg, unit, strlen(unit)));
	CHECK(fuzz_store_writes() == writes);
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct seen s = { NULL, 0, "" };
	struct err e = { 0 };
	json_t *out = NULL, *lines, *body;
	int64_t records;
	int writes = fuzz_store_writes(), rc_file, rc_json;
	FILE *f;

	lines = lines_of((const char *)data, size, &records);
	f = fmemopen((void *)data, size, "r");
	if (!f)
		return 0;
	CHECK(import_tickets_file(st, &agent, f, &out, &e) == ERR_FORBIDDEN && !out);
	rewind(f);
	fuzz_store_hook(read_back, &s);
	rc_file = import_tickets_file(st, &admin, f, &out, &e);
	fuzz_store_hook(NULL, NULL);
	fclose(f);
	NOTE("file: %d %s\n", rc_file, rc_file ? e.msg : "");
	if (rc_file) {
		refused(rc_file, &e, "line ", writes);
	} else {
		CHECK(out && lines);
		CHECK(json_integer_value(json_object_get(out, "imported")) ==
		      (json_int_t)json_array_size(lines));
		CHECK(s.seq == base_seq + records);
		json_decref(out);
	}
	out = NULL;
	if (!lines)
		return 0;

	/* The same tickets as the API's body; the last one's status checked. */
	body = json_pack("{s:O}", "tickets", lines);
	memset(&e, 0, sizeof(e));
	writes = fuzz_store_writes();
	CHECK(import_tickets_json(st, &requester, body, &out, &e) == ERR_FORBIDDEN && !out);
	rc_json = import_tickets_json(st, &admin, body, &out, &e);
	NOTE("json: %d %s\n", rc_json, rc_json ? e.msg : "");
	if (rc_json) {
		refused(rc_json, &e, "ticket ", writes);
		CHECK(rc_file == rc_json);
	} else {
		CHECK(rc_file == 0);
		CHECK(json_integer_value(json_object_get(out, "imported")) ==
		      (json_int_t)json_array_size(lines));
		if (json_array_size(lines)) {
			/* Again, now that the last key is known, to read its status. */
			s.last = json_string_value(json_object_get(out, "last"));
			json_t *again = NULL;

			fuzz_store_hook(read_back, &s);
			CHECK(import_tickets_json(st, &admin, body, &again, &e) == 0);
			fuzz_store_hook(NULL, NULL);
			CHECK(!strcmp(s.status,
				      final_status(json_array_get(lines, json_array_size(lines) - 1))));
			json_decref(again);
		}
		json_decref(out);
	}
	json_decref(body);
	json_decref(lines);
	return 0;
}
