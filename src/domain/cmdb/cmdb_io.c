/*
 * cmdb_io.c — importing and exporting the CMDB as CSV or JSON.
 *
 * JSON: {"cis": [item bodies as POST /api/v1/cis takes],
 *        "relationships": [{"source","type","target","propagates"}]}.
 * CSV (RFC 4180, a header row first): columns key, name, type, status,
 *   owner_group, location, service; "attr.NAME" columns fill attributes
 *   (an empty cell means no attribute); columns named after a relationship
 *   type (runs_on, depends_on, connected_to, part_of, backs_up) hold the
 *   ';'-separated target keys of this row's item, and
 *   "connected_to_propagating" the targets of propagating connected_to.
 *   So one spreadsheet row describes an item and what it depends on.
 *
 * Import is all-or-nothing: everything runs in one store_write and the
 * first error (named by its CSV line, or "cis[i]"/"relationships[i]")
 * undoes all of it. Items are written first, then relationships, so a row
 * may name targets that come later in the file. An item whose key exists
 * is an error (import creates; PATCH updates).
 */
#include "domain/cmdb/cigraph.h"
#include "domain/cmdb/cmdb.h"
#include "lib/buf.h"
#include "lib/timeutil.h"
#include "store/store_cmdb.h"

#include <stdlib.h>
#include <string.h>

#define IMPORT_MAX_ROWS 1000000

static const char *const base_cols[] = { "key",	     "name",	 "type",    "status",
					 "owner_group", "location", "service", NULL };
static const char *const rel_cols[] = { "runs_on", "depends_on", "connected_to", "part_of",
					"backs_up", "connected_to_propagating", NULL };

/* ---- CSV reading ---- */

struct csv {
	const char *p, *end;
	int line;
};

/* One record into fields (an array of strings); its first line in *line.
 * Returns 1 with a record, 0 at the end, ERR_INVALID on a broken quote. */
static int csv_record(struct csv *c, json_t **fields, int *line, struct err *e)
{
	struct buf b = BUF_INIT;
	int quoted;

	if (c->p >= c->end)
		return 0;
	*line = c->line;
	*fields = json_array();
	for (;;) {
		buf_reset(&b);
		quoted = 0;
		if (c->p < c->end && *c->p == '"') {
			quoted = 1;
			c->p++;
			for (;;) {
				if (c->p >= c->end) {
					buf_release(&b);
					json_decref(*fields);
					return err_set(e, ERR_INVALID, NULL,
						       "line %d: a quoted field does not end", *line);
				}
				if (*c->p == '"') {
					if (c->p + 1 < c->end && c->p[1] == '"') {
						buf_putc(&b, '"');
						c->p += 2;
						continue;
					}
					c->p++;
					break;
				}
				if (*c->p == '\n')
					c->line++;
				buf_putc(&b, *c->p++);
			}
		}
		while (c->p < c->end && *c->p != ',' && *c->p != '\n' && *c->p != '\r') {
			if (quoted) {
				buf_release(&b);
				json_decref(*fields);
				return err_set(e, ERR_INVALID, NULL,
					       "line %d: text after a closing quote", *line);
			}
			buf_putc(&b, *c->p++);
		}
		json_array_append_new(*fields, json_string(buf_str(&b)));
		if (c->p < c->end && *c->p == ',') {
			c->p++;
			continue;
		}
		if (c->p < c->end && *c->p == '\r')
			c->p++;
		if (c->p < c->end && *c->p == '\n')
			c->p++;
		c->line++;
		break;
	}
	buf_release(&b);
	return 1;
}

static int col_index(const json_t *header, const char *name)
{
	for (size_t i = 0; i < json_array_size(header); i++)
		if (!strcmp(json_string_value(json_array_get(header, i)), name))
			return (int)i;
	return -1;
}

static int is_base(const char *name)
{
	for (const char *const *p = base_cols; *p; p++)
		if (!strcmp(*p, name))
			return 1;
	return 0;
}

static int known_col(const char *name)
{
	for (const char *const *p = base_cols; *p; p++)
		if (!strcmp(*p, name))
			return 1;
	for (const char *const *p = rel_cols; *p; p++)
		if (!strcmp(*p, name))
			return 1;
	return !strncmp(name, "attr.", 5) && name[5];
}

/* Turn a CSV document into the JSON import document, lines kept beside:
 * doc.cis[i] came from line cis_lines[i], and so on. */
static int csv_to_doc(const char *data, size_t len, json_t **doc, json_t **lines, struct err *e)
{
	struct csv c = { data, data + len, 1 };
	json_t *header = NULL, *row, *cis = json_array(), *rels = json_array();
	json_t *cl = json_array(), *rl = json_array();
	int line, rc, nrows = 0;

	rc = csv_record(&c, &header, &line, e);
	if (rc <= 0) {
		if (rc == 0)
			rc = err_set(e, ERR_INVALID, NULL, "line 1: the CSV has no header row");
		goto fail;
	}
	for (size_t i = 0; i < json_array_size(header); i++) {
		const char *h = json_string_value(json_array_get(header, i));

		if (!known_col(h)) {
			rc = err_set(e, ERR_INVALID, NULL, "line 1: unknown column '%s'", h);
			goto fail;
		}
	}
	if (col_index(header, "key") < 0) {
		rc = err_set(e, ERR_INVALID, NULL, "line 1: the header has no 'key' column");
		goto fail;
	}
	while ((rc = csv_record(&c, &row, &line, e)) == 1) {
		json_t *ci = json_object(), *attrs = json_object();
		const char *key;

		if (json_array_size(row) == 1 && !*json_string_value(json_array_get(row, 0))) {
			json_decref(row);
			json_decref(ci);
			json_decref(attrs);
			continue; /* a blank line */
		}
		if (++nrows > IMPORT_MAX_ROWS || json_array_size(row) != json_array_size(header)) {
			rc = err_set(e, ERR_INVALID, NULL, "line %d: %zu fields, the header has %zu",
				     line, json_array_size(row), json_array_size(header));
			json_decref(row);
			json_decref(ci);
			json_decref(attrs);
			goto fail;
		}
		key = json_string_value(json_array_get(row, (size_t)col_index(header, "key")));
		for (size_t i = 0; i < json_array_size(header); i++) {
			const char *h = json_string_value(json_array_get(header, i));
			const char *v = json_string_value(json_array_get(row, i));

			if (!strncmp(h, "attr.", 5)) {
				if (*v)
					json_object_set_new(attrs, h + 5, json_string(v));
			} else if (is_base(h)) {
				if (strcmp(h, "key") &&
				    (*v || !strcmp(h, "name") || !strcmp(h, "type")))
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
		if (json_object_size(attrs))
			json_object_set_new(ci, "attributes", attrs);
		else
			json_decref(attrs);
		json_array_append_new(cis, ci);
		json_array_append_new(cl, json_integer(line));
		json_decref(row);
	}
	if (rc < 0)
		goto fail;
	json_decref(header);
	*doc = json_pack("{s:o, s:o}", "cis", cis, "relationships", rels);
	*lines = json_pack("{s:o, s:o}", "cis", cl, "relationships", rl);
	return 0;
fail:
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
	int64_t n_cis, n_rels;
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
		struct ci c;

		if ((rc = cmdb_ci_create_tx(tx, w->a, json_array_get(cis, i), where(w, "cis", i), &c,
					    e))) {
			if (!w->lines)
				name_index(e, "cis", i);
			return rc;
		}
		ci_release(&c);
		w->n_cis++;
	}
	for (i = 0; i < json_array_size(rels); i++) {
		if ((rc = cmdb_rel_create_tx(tx, w->a, json_array_get(rels, i),
					     where(w, "relationships", i), NULL, e))) {
			if (!w->lines)
				name_index(e, "relationships", i);
			return rc;
		}
		w->n_rels++;
	}
	return 0;
}

int cmdb_import(struct store *st, const struct actor *a, const char *format, const char *data,
		size_t len, json_t **out, struct err *e)
{
	struct import_ctx w = { .a = a };
	json_error_t je;
	int rc;

	if (a->scope_events || !actor_is_staff(a))
		return err_set(e, ERR_FORBIDDEN, NULL, "only staff import configuration items");
	if (!format || !strcmp(format, "csv")) {
		if ((rc = csv_to_doc(data, len, &w.doc, &w.lines, e)))
			return rc;
	} else if (!strcmp(format, "json")) {
		static const char *const keys[] = { "cis", "relationships", "format", NULL };
		const char *k;
		json_t *v;

		w.doc = json_loadb(data, len, JSON_REJECT_DUPLICATES, &je);
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
				json_decref(w.doc);
				return err_set(e, ERR_INVALID, k,
					       "unexpected '%s': the document holds the arrays "
					       "'cis' and 'relationships'",
					       k);
			}
		}
	} else {
		return err_set(e, ERR_INVALID, "format", "unknown format '%s' (csv, json)", format);
	}
	rc = store_write(st, do_import, &w, e);
	json_decref(w.doc);
	json_decref(w.lines);
	if (rc)
		return rc;
	cmdb_graph_prewarm(st);
	*out = json_pack("{s:I, s:I}", "cis", (json_int_t)w.n_cis, "relationships",
			 (json_int_t)w.n_rels);
	return 0;
}

/* ---- export ---- */

struct export_ctx {
	json_t *cis, *rels;
	json_t *attr_names; /* object used as a set */
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
	json_object_foreach(json_object_get(j, "attributes"), k, v)
		json_object_set_new(x->attr_names, k, json_true());
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

static void csv_field(struct buf *b, const char *s)
{
	if (strpbrk(s, ",\"\r\n")) {
		buf_putc(b, '"');
		for (; *s; s++) {
			if (*s == '"')
				buf_putc(b, '"');
			buf_putc(b, *s);
		}
		buf_putc(b, '"');
	} else {
		buf_puts(b, s);
	}
}

static char *to_csv(struct export_ctx *x)
{
	struct buf b = BUF_INIT;
	const char *k;
	json_t *v, *attr_list = json_array();
	size_t i, j;

	json_object_foreach(x->attr_names, k, v)
		json_array_append_new(attr_list, json_string(k));
	for (i = 0; base_cols[i]; i++)
		buf_printf(&b, "%s%s", i ? "," : "", base_cols[i]);
	json_array_foreach(attr_list, j, v)
	{
		buf_puts(&b, ",");
		buf_puts(&b, "attr.");
		csv_field(&b, json_string_value(v));
	}
	for (i = 0; rel_cols[i]; i++)
		buf_printf(&b, ",%s", rel_cols[i]);
	buf_puts(&b, "\n");
	json_array_foreach(x->cis, i, v)
	{
		const char *key = json_string_value(json_object_get(v, "key"));
		json_t *attrs = json_object_get(v, "attributes"), *a;

		for (j = 0; base_cols[j]; j++) {
			json_t *f = json_object_get(v, base_cols[j]);

			if (j)
				buf_putc(&b, ',');
			csv_field(&b, json_is_string(f) ? json_string_value(f) : "");
		}
		json_array_foreach(attr_list, j, a)
		{
			json_t *av = json_object_get(attrs, json_string_value(a));
			char *t = NULL;

			buf_putc(&b, ',');
			if (json_is_string(av))
				csv_field(&b, json_string_value(av));
			else if (av && (t = json_dumps(av, JSON_ENCODE_ANY)))
				csv_field(&b, t);
			free(t);
		}
		for (j = 0; rel_cols[j]; j++) {
			int prop = !strcmp(rel_cols[j], "connected_to_propagating"), first = 1;
			struct buf cell = BUF_INIT;
			size_t m;
			json_t *r;

			json_array_foreach(x->rels, m, r)
			{
				const char *type = json_string_value(json_object_get(r, "type"));
				int rp = json_is_true(json_object_get(r, "propagates"));

				if (strcmp(json_string_value(json_object_get(r, "source")), key))
					continue;
				if (prop ? !(rp && !strcmp(type, "connected_to"))
					 : (strcmp(type, rel_cols[j]) || rp))
					continue;
				buf_printf(&cell, "%s%s", first ? "" : ";",
					   json_string_value(json_object_get(r, "target")));
				first = 0;
			}
			buf_putc(&b, ',');
			csv_field(&b, buf_str(&cell));
			buf_release(&cell);
		}
		buf_putc(&b, '\n');
	}
	json_decref(attr_list);
	return buf_detach(&b, NULL);
}

int cmdb_export(struct store *st, const struct actor *a, const char *format, char **text,
		struct err *e)
{
	struct export_ctx x = { json_array(), json_array(), json_object() };
	int rc;

	*text = NULL;
	if (a->scope_events || !actor_is_staff(a))
		rc = err_set(e, ERR_FORBIDDEN, NULL, "only staff export configuration items");
	else if (strcmp(format, "csv") && strcmp(format, "json"))
		rc = err_set(e, ERR_INVALID, "format", "unknown format '%s' (csv, json)", format);
	else if (!(rc = st->ops->cmdb->ci_scan(st, collect_ci, &x, e)))
		rc = st->ops->cmdb->rel_scan(st, 0, collect_rel, &x, e);
	if (!rc) {
		if (!strcmp(format, "csv")) {
			*text = to_csv(&x);
		} else {
			json_t *doc = json_pack("{s:O, s:O}", "cis", x.cis, "relationships", x.rels);

			*text = json_dumps(doc, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
			json_decref(doc);
		}
		if (!*text)
			rc = err_set(e, ERR_INTERNAL, NULL, "out of memory");
	}
	json_decref(x.cis);
	json_decref(x.rels);
	json_decref(x.attr_names);
	return rc;
}
