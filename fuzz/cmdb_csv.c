/*
 * fuzz/cmdb_csv.c — libFuzzer target: the CMDB import (POST
 * /api/v1/cmdb/import, `itsm ci import`) against the seeded store: the
 * input as a CSV file (cmdb_io.c's CSV → document path, then the creates),
 * and as a JSON document.
 *
 * The file is also read here with lib/csv, row by row, to know what the
 * import must have done. Checked beyond memory safety (cmdb.h):
 *  - a refusal is a 400, 403 or 409 with a message naming a line (CSV) or
 *    an item (JSON), and nothing was written;
 *  - all or nothing, and nothing dropped: an accepted file created one item
 *    per non-blank row and one relationship per target named, and the
 *    items the store holds inside the write carry every cell of their row
 *    (the item's columns and each non-empty attr.NAME), the ' an export
 *    puts before a formula character taken off;
 *  - an accepted JSON document created as many items and relationships as
 *    its arrays hold.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domain/cmdb/cmdb.h"
#include "lib/csv.h"
#include "store/store.h"
#include "store/store_cmdb.h"
#include "support/fuzz_check.h"
#include "support/fuzz_store.h"

static struct store *st;
static struct actor manager, requester;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	st = fuzz_store();
	fuzz_actor("mori", &manager);
	fuzz_actor("alice", &requester);
	return 0;
}

/* The file as this target reads it: the header and the non-blank rows,
 * cells without the export's '. NULL when lib/csv refuses it. */
static json_t *rows_of(const char *data, size_t len)
{
	struct csv_reader r;
	struct err e = { 0 };
	json_t *rows = json_array();
	int rc;

	csv_reader_init(&r, data, len);
	while ((rc = csv_read(&r, &e)) == 1) {
		json_t *row = json_array();

		if (json_array_size(rows) && r.nfield == 1 && !*csv_field(&r, 0)) {
			json_decref(row);
			continue;
		}
		for (size_t i = 0; i < r.nfield; i++)
			json_array_append_new(row, json_string(csv_unformula(csv_field(&r, i))));
		json_array_append_new(rows, row);
	}
	csv_reader_release(&r);
	if (rc < 0) {
		json_decref(rows);
		return NULL;
	}
	return rows;
}

/* The targets a relationship cell names. */
static size_t targets_in(const char *cell)
{
	size_t n = 0;
	const char *p = cell;

	while (*p) {
		size_t len = strcspn(p, ";"), lead = strspn(p, " ");

		n += lead < len;
		p += len + (p[len] == ';');
	}
	return n;
}

static int is_rel(const char *h)
{
	for (const char *const *p = cmdb_csv_rel_cols; *p; p++)
		if (!strcmp(*p, h))
			return 1;
	return 0;
}

static const char *text_of(const json_t *row, size_t i)
{
	return json_string_value(json_array_get(row, i));
}

struct seen {
	const json_t *rows;
	int checked;
};

/* Inside the import's write: every row's item as its cells say. */
static void read_back(struct store_tx *tx, void *arg)
{
	struct seen *s = arg;
	const json_t *header = json_array_get(s->rows, 0);
	size_t i, j, keycol = 0;
	json_t *row;

	for (j = 0; j < json_array_size(header); j++)
		if (!strcmp(text_of(header, j), "key"))
			keycol = j;
	json_array_foreach(s->rows, i, row) {
		struct ci c;
		const char *key;

		if (!i)
			continue;
		key = text_of(row, keycol);
		CHECK(key && tx->st->ops->cmdb->ci_get(tx->st, tx, 0, key, &c, NULL) == 0);
		for (j = 0; j < json_array_size(header); j++) {
			const char *h = text_of(header, j), *v = text_of(row, j);

			CHECK(v); /* a cell that is not UTF-8 was refused */
			if (!strncmp(h, "attr.", 5)) {
				if (*v)
					CHECK(!strcmp(json_string_value(json_object_get(
							      c.attributes, h + 5)),
						      v));
			} else if (!strcmp(h, "name")) {
				CHECK(!strcmp(c.name, v + strspn(v, " \t\n\v\f\r")));
			} else if (!strcmp(h, "type")) {
				CHECK(!strcmp(c.type, v));
			} else if (!strcmp(h, "status") && *v) {
				CHECK(!strcmp(c.status, v));
			} else if (!strcmp(h, "owner_group")) {
				CHECK(!strcmp(c.owner_group, v));
			} else if (!strcmp(h, "location")) {
				CHECK(!strcmp(c.location, v));
			} else if (!strcmp(h, "service")) {
				CHECK(!strcmp(c.service, v));
			}
		}
		ci_release(&c);
	}
	s->checked = 1;
}

static void csv(const uint8_t *data, size_t size)
{
	json_t *rows = rows_of((const char *)data, size), *out = NULL, *row;
	struct seen s = { rows, 0 };
	struct err e = { 0 };
	int writes = fuzz_store_writes(), rc;
	size_t i, j, nrels = 0;

	fuzz_store_hook(read_back, &s);
	rc = cmdb_import(st, &manager, "csv", (const char *)data, size, 0, &out, &e);
	fuzz_store_hook(NULL, NULL);
	NOTE("csv: %d %s\n", rc, rc ? e.msg : "");
	if (rc) {
		CHECK((rc == ERR_INVALID || rc == ERR_CONFLICT) && e.code == rc && e.msg[0]);
		CHECK(!strncmp(e.msg, "line ", 5) || !strncmp(e.msg, "cis[", 4));
		CHECK(fuzz_store_writes() == writes && !out);
		json_decref(rows);
		return;
	}
	/* Accepted: lib/csv reads it too, and every row and target is there. */
	CHECK(rows && json_array_size(rows) >= 1 && s.checked);
	json_array_foreach(rows, i, row) {
		if (!i)
			continue;
		for (j = 0; j < json_array_size(row); j++)
			if (is_rel(text_of(json_array_get(rows, 0), j)))
				nrels += targets_in(text_of(row, j));
	}
	CHECK(json_integer_value(json_object_get(out, "cis")) == (json_int_t)json_array_size(rows) - 1);
	CHECK(json_integer_value(json_object_get(out, "relationships")) == (json_int_t)nrels);
	CHECK(fuzz_store_writes() == writes + 1);
	json_decref(out);
	json_decref(rows);
}

static void document(const uint8_t *data, size_t size)
{
	json_t *doc = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL), *out = NULL;
	struct err e = { 0 };
	int writes = fuzz_store_writes(), rc;

	rc = cmdb_import(st, &manager, "json", (const char *)data, size, 0, &out, &e);
	NOTE("json: %d %s\n", rc, rc ? e.msg : "");
	if (rc) {
		CHECK((rc == ERR_INVALID || rc == ERR_CONFLICT) && e.code == rc && e.msg[0]);
		CHECK(fuzz_store_writes() == writes && !out);
	} else {
		CHECK(doc);
		CHECK(json_integer_value(json_object_get(out, "cis")) ==
		      (json_int_t)json_array_size(json_object_get(doc, "cis")));
		CHECK(json_integer_value(json_object_get(out, "relationships")) ==
		      (json_int_t)json_array_size(json_object_get(doc, "relationships")));
		CHECK(fuzz_store_writes() == writes + 1);
	}
	json_decref(out);
	json_decref(doc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct err e = { 0 };
	json_t *out = NULL;

	CHECK(cmdb_import(st, &requester, "csv", (const char *)data, size, 0, &out, &e) ==
	      ERR_FORBIDDEN && !out);
	csv(data, size);
	document(data, size);
	return 0;
}
