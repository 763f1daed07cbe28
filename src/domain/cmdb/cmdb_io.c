/*
 * cmdb_io.c — importing the CMDB from CSV or JSON, exporting it as JSON.
 *
 * JSON: {"cis": [item bodies as POST /api/v1/cis takes],
 *        "relationships": [{"source","type","target","propagates"}]}.
 * CSV (RFC 4180 through lib/csv, UTF-8, a header row first; the layout in
 *   model/cmdb.h): columns key, name, type, status, owner_group, location,
 *   service; "attr.NAME" columns fill attributes (an empty cell means no
 *   attribute); columns named after a relationship type (runs_on,
 *   depends_on, connected_to, part_of, backs_up) hold the ';'-separated
 *   target keys of this row's item, and "connected_to_propagating" the
 *   targets of propagating connected_to. So one spreadsheet row describes
 *   an item and what it depends on. A cell that is ' and then a formula
 *   character (= + - @ TAB CR, after any further ') loses that one ': the
 *   export writes it so (render/cmdb_csv.c), and an export reads back as it
 *   was.
 *
 * Export hands out the JSON document above; render/cmdb_csv.c writes it as
 * text, CSV or JSON.
 *
 * Import is all-or-nothing: everything runs in one store_write and the
 * first error (named by its CSV line, or "cis[i]"/"relationships[i]")
 * undoes all of it. Items are written first, then relationships, so a row
 * may name targets that come later in the file. An item whose key exists
 * is an error (import creates; PATCH updates) — unless the import is an
 * upsert (a discovery tool's daily re-export): then an existing item takes
 * the row's fields and is written only when that changes it, an existing
 * relationship is left alone, and the answer counts what was created,
 * updated and unchanged. In an upsert a CSV row states the whole item: an
 * empty owner_group, location or service cell clears it, and with attr.*
 * columns the row's attributes replace the item's.
 */
#include "domain/cmdb/cigraph.h"
#include "domain/cmdb/cmdb.h"
#include "lib/csv.h"
#include "lib/jsonx.h"
#include "lib/timeutil.h"
#include "store/store_cmdb.h"

#include <stdlib.h>
#include <string.h>

#define IMPORT_MAX_ROWS 1000000
#define ATTR_LEN (sizeof(CMDB_CSV_ATTR) - 1)

static int col_index(const json_t *header, const char *name)
{
	for (size_t i = 0; i < json_array_size(header); i++)
		if (!strcmp(json_string_value(json_array_get(header, i)), name))
			return (int)i;
	return -1;
}

static int is_base(const char *name)
{
	for (const char *const *p = cmdb_csv_base_cols; *p; p++)
		if (!strcmp(*p, name))
			return 1;
	return 0;
}

static int known_col(const char *name)
{
	for (const char *const *p = cmdb_csv_base_cols; *p; p++)
		if (!strcmp(*p, name))
			return 1;
	for (const char *const *p = cmdb_csv_rel_cols; *p; p++)
		if (!strcmp(*p, name))
			return 1;
	return !strncmp(name, CMDB_CSV_ATTR, ATTR_LEN) && name[ATTR_LEN];
}

/* A cell of the record just read, without the ' the export put before a
 * formula character (lib/csv.h), so an export reads back unchanged. */
static const char *cell(const struct csv_reader *r, size_t i)
{
	return csv_unformula(csv_field(r, i));
}

/* Every field of the record just read is UTF-8 text: one that is not could
 * not become a JSON string and would be dropped, silently, with its column. */
static int utf8_fields(const struct csv_reader *r, struct err *e)
{
	for (size_t i = 0; i < r->nfield; i++) {
		json_t *s = json_string(csv_field(r, i));

		if (!s)
			return err_set(e, ERR_INVALID, NULL,
				       "line %d: field %zu is not UTF-8 text (save the file as UTF-8)",
				       r->record_line, i + 1);
		json_decref(s);
	}
	return 0;
}

/* Turn a CSV document into the JSON import document, lines kept beside:
 * doc.cis[i] came from line cis_lines[i], and so on. */
static int csv_to_doc(const char *data, size_t len, int upsert, json_t **doc, json_t **lines,
		      struct err *e)
{
	struct csv_reader r;
	json_t *header = json_array(), *cis = json_array(), *rels = json_array();
	json_t *cl = json_array(), *rl = json_array();
	int rc, nrows = 0, has_attrs = 0;

	csv_reader_init(&r, data, len);
	rc = csv_read(&r, e);
	if (rc <= 0) {
		if (rc == 0)
			rc = err_set(e, ERR_INVALID, NULL, "line 1: the CSV has no header row");
		goto fail;
	}
	if ((rc = utf8_fields(&r, e)))
		goto fail;
	for (size_t i = 0; i < r.nfield; i++) {
		const char *h = cell(&r, i);

		if (!known_col(h)) {
			rc = err_set(e, ERR_INVALID, NULL, "line 1: unknown column '%s'", h);
			goto fail;
		}
		json_array_append_new(header, json_string(h));
		has_attrs |= !strncmp(h, CMDB_CSV_ATTR, ATTR_LEN);
	}
	if (col_index(header, "key") < 0) {
		rc = err_set(e, ERR_INVALID, NULL, "line 1: the header has no 'key' column");
		goto fail;
	}
	while ((rc = csv_read(&r, e)) == 1) {
		json_t *ci, *attrs;
		const char *key;
		int line = r.record_line;

		if (r.nfield == 1 && !*csv_field(&r, 0))
			continue; /* a blank line */
		if (++nrows > IMPORT_MAX_ROWS || r.nfield != json_array_size(header)) {
			rc = err_set(e, ERR_INVALID, NULL, "line %d: %zu fields, the header has %zu",
				     line, r.nfield, json_array_size(header));
			goto fail;
		}
		if ((rc = utf8_fields(&r, e)))
			goto fail;
		ci = json_object();
		attrs = json_object();
		key = cell(&r, (size_t)col_index(header, "key"));
		for (size_t i = 0; i < json_array_size(header); i++) {
			const char *h = json_string_value(json_array_get(header, i));
			const char *v = cell(&r, i);

			if (!strncmp(h, CMDB_CSV_ATTR, ATTR_LEN)) {
				if (*v)
					json_object_set_new(attrs, h + ATTR_LEN, json_string(v));
			} else if (is_base(h)) {
				if (strcmp(h, "key") &&
				    (*v || !strcmp(h, "name") || !strcmp(h, "type") ||
				     (upsert && strcmp(h, "status"))))
					json_object_set_new(ci, h, json_string(v));
			} else {
				/* a relationship column: ';'-separated targets */
				int prop = !strcmp(h, "connected_to_propagating");
				char *copy = strdup(v), *save = NULL, *t;

				for (t = copy ? strtok_r(copy, ";", &save) : NULL; t;
				     t = strtok_r(NULL, ";", &save)) {
					while (*t == ' ')
						t++;
					if (!*t)
						continue;
					json_array_append_new(
						rels, json_pack("{s:s, s:s, s:s, s:b}", "source", key,
								"type", prop ? "connected_to" : h,
								"target", t, "propagates", prop));
					json_array_append_new(rl, json_integer(line));
				}
				free(copy);
			}
		}
		json_object_set_new(ci, "key", json_string(key));
		if (json_object_size(attrs) || (upsert && has_attrs))
			json_object_set_new(ci, "attributes", attrs);
		else
			json_decref(attrs);
		json_array_append_new(cis, ci);
		json_array_append_new(cl, json_integer(line));
	}
	if (rc < 0)
		goto fail;
	csv_reader_release(&r);
	json_decref(header);
	*doc = json_pack("{s:o, s:o}", "cis", cis, "relationships", rels);
	*lines = json_pack("{s:o, s:o}", "cis", cl, "relationships", rl);
	return 0;
fail:
	csv_reader_release(&r);
	json_decref(header);
	json_decref(cis);
	json_decref(rels);
	json_decref(cl);
	json_decref(rl);
	return rc;
}

/* ---- import ---- */

struct import_ctx {
	const struct actor *a;
	json_t *doc, *lines; /* lines NULL for JSON: errors name the index */
	int upsert;
	int64_t n_cis, n_rels;
	int64_t cis[3], rels[3]; /* an upsert's counts by enum cmdb_outcome */
};

static int where(struct import_ctx *w, const char *list, size_t i)
{
	if (w->lines)
		return (int)json_integer_value(json_array_get(json_object_get(w->lines, list), i));
	return 0;
}

static void name_index(struct err *e, const char *list, size_t i)
{
	char msg[sizeof(e->msg)];

	memcpy(msg, e->msg, sizeof(msg));
	snprintf(e->msg, sizeof(e->msg), "%s[%zu]: %.200s", list, i, msg);
}

static int do_import(struct store_tx *tx, void *arg, struct err *e)
{
	struct import_ctx *w = arg;
	json_t *cis = json_object_get(w->doc, "cis"), *rels = json_object_get(w->doc, "relationships");
	size_t i;
	int rc;

	for (i = 0; i < json_array_size(cis); i++) {
		enum cmdb_outcome o = CMDB_CREATED;

		rc = w->upsert ? cmdb_ci_upsert_tx(tx, w->a, json_array_get(cis, i),
						   where(w, "cis", i), &o, e)
			       : cmdb_ci_create_tx(tx, w->a, json_array_get(cis, i),
						   where(w, "cis", i), NULL, e);
		if (rc) {
			if (!w->lines)
				name_index(e, "cis", i);
			return rc;
		}
		w->cis[o]++;
		w->n_cis++;
	}
	for (i = 0; i < json_array_size(rels); i++) {
		enum cmdb_outcome o = CMDB_CREATED;

		rc = w->upsert ? cmdb_rel_upsert_tx(tx, w->a, json_array_get(rels, i),
						    where(w, "relationships", i), &o, e)
			       : cmdb_rel_create_tx(tx, w->a, json_array_get(rels, i),
						    where(w, "relationships", i), NULL, e);
		if (rc) {
			if (!w->lines)
				name_index(e, "relationships", i);
			return rc;
		}
		w->rels[o]++;
		w->n_rels++;
	}
	return 0;
}

int cmdb_import(struct store *st, const struct actor *a, const char *format, const char *data,
		size_t len, int upsert, json_t **out, struct err *e)
{
	struct import_ctx w = { .a = a, .upsert = upsert };
	unsigned long json_failures = jx_alloc_failures();
	json_error_t je;
	int rc;

	if (a->scope_events || !actor_is_staff(a))
		return err_set(e, ERR_FORBIDDEN, NULL, "only staff import configuration items");
	if (!format || !strcmp(format, "csv")) {
		if ((rc = csv_to_doc(data, len, upsert, &w.doc, &w.lines, e)))
			return rc;
	} else if (!strcmp(format, "json")) {
		static const char *const keys[] = { "cis", "relationships", "format", NULL };
		const char *k;
		json_t *v;

		w.doc = json_loadb(data, len, JSON_REJECT_DUPLICATES, &je);
		if (!w.doc && jx_alloc_failures() != json_failures) /* not the input's fault */
			return err_set(e, ERR_INTERNAL, NULL, "out of memory");
		if (!w.doc)
			return err_set(e, ERR_INVALID, NULL, "line %d: malformed JSON: %s", je.line,
				       je.text);
		if (!json_is_object(w.doc)) {
			json_decref(w.doc);
			return err_set(e, ERR_INVALID, NULL,
				       "the document must be {\"cis\": [...], \"relationships\": [...]}");
		}
		json_object_foreach(w.doc, k, v)
		{
			const char *const *p = keys;

			while (*p && strcmp(*p, k))
				p++;
			if (!*p || (strcmp(k, "format") && !json_is_array(v))) {
				/* k belongs to w.doc: name it before letting go */
				rc = err_set(e, ERR_INVALID, k,
					     "unexpected '%s': the document holds the arrays "
					     "'cis' and 'relationships'",
					     k);
				json_decref(w.doc);
				return rc;
			}
		}
	} else {
		return err_set(e, ERR_INVALID, "format", "unknown format '%s' (csv, json)", format);
	}
	if (jx_alloc_failures() != json_failures) { /* the document may be short */
		json_decref(w.doc);
		json_decref(w.lines);
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	}
	rc = store_write(st, do_import, &w, e);
	json_decref(w.doc);
	json_decref(w.lines);
	if (rc)
		return rc;
	cmdb_graph_prewarm(st);
	if (upsert)
		*out = json_pack("{s:b, s:{s:I, s:I, s:I}, s:{s:I, s:I}}", "upsert", 1, "cis",
				 "created", (json_int_t)w.cis[CMDB_CREATED], "updated",
				 (json_int_t)w.cis[CMDB_UPDATED], "unchanged",
				 (json_int_t)w.cis[CMDB_UNCHANGED], "relationships", "created",
				 (json_int_t)w.rels[CMDB_CREATED], "unchanged",
				 (json_int_t)w.rels[CMDB_UNCHANGED]);
	else
		*out = json_pack("{s:I, s:I}", "cis", (json_int_t)w.n_cis, "relationships",
				 (json_int_t)w.n_rels);
	return 0; /* stored: the answer may be lost to memory, the write is not */
}

/* ---- export ---- */

struct export_ctx {
	json_t *cis, *rels;
};

static int collect_ci(const struct ci *c, void *arg)
{
	struct export_ctx *x = arg;
	json_t *j = ci_to_json(c);
	const char *k;
	json_t *v;

	json_object_del(j, "id");
	json_object_del(j, "created_at");
	json_object_del(j, "updated_at");
	json_object_del(j, "version");
	/* drop nulls so the body reads back as a create */
	json_object_foreach(j, k, v)
		if (json_is_null(v))
			json_object_set_new(j, k, json_string(""));
	json_array_append_new(x->cis, j);
	return 0;
}

static int collect_rel(const struct ci_rel *r, void *arg)
{
	struct export_ctx *x = arg;

	json_array_append_new(x->rels, json_pack("{s:s, s:s, s:s, s:b}", "source", r->source, "type",
						 r->type, "target", r->target, "propagates",
						 r->propagates));
	return 0;
}

int cmdb_export(struct store *st, const struct actor *a, json_t **doc, struct err *e)
{
	struct export_ctx x = { json_array(), json_array() };
	int rc;

	*doc = NULL;
	if (a->scope_events || !actor_is_staff(a))
		rc = err_set(e, ERR_FORBIDDEN, NULL, "only staff export configuration items");
	else if (!(rc = st->ops->cmdb->ci_scan(st, collect_ci, &x, e)))
		rc = st->ops->cmdb->rel_scan(st, 0, collect_rel, &x, e);
	if (rc) {
		json_decref(x.cis);
		json_decref(x.rels);
		return rc;
	}
	*doc = json_pack("{s:o, s:o}", "cis", x.cis, "relationships", x.rels);
	return *doc ? 0 : err_set(e, ERR_INTERNAL, NULL, "out of memory");
}
