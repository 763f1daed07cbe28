/*
 * cmdb_csv.c — the CMDB export document as CSV (see render/cmdb.h), in the
 * layout of model/cmdb.h, through lib/csv: text cells quoted
 * only when needed and escaped when they begin with a formula character;
 * attributes that are JSON numbers written as numbers (as jansson prints
 * them), other non-strings as their JSON text.
 *
 * Relationships are grouped by source once, so a row's relationship cells
 * take the item's own relationships, not a pass over all of them.
 */
#include "model/cmdb.h"
#include "lib/csv.h"
#include "render/cmdb.h"

#include <stdlib.h>
#include <string.h>

/* One attribute's cell: a string as text, a number as a number, anything
 * else (true, false) as its JSON text; absent: an empty cell. */
static int attr_cell(struct buf *b, const json_t *v)
{
	char *t;
	int rc;

	if (!v)
		return 0;
	if (json_is_string(v))
		return csv_put_text(b, json_string_value(v), 0);
	if (!(t = json_dumps(v, JSON_ENCODE_ANY)))
		return ERR_INTERNAL;
	rc = json_is_number(v) ? csv_put_number(b, t) : csv_put_text(b, t, 0);
	free(t);
	return rc;
}

/* The ';'-separated targets of rels (the item's own) for one column. */
static int rel_cell(struct buf *b, const json_t *rels, const char *col)
{
	int prop = !strcmp(col, "connected_to_propagating"), rc;
	struct buf cell = BUF_INIT;
	size_t m;
	json_t *r;

	json_array_foreach(rels, m, r)
	{
		const char *type = json_string_value(json_object_get(r, "type"));
		int rp = json_is_true(json_object_get(r, "propagates"));

		if (!type || !json_is_string(json_object_get(r, "target")) ||
		    (prop ? !(rp && !strcmp(type, "connected_to")) : (strcmp(type, col) || rp)))
			continue;
		if (cell.len)
			buf_putc(&cell, ';');
		buf_puts(&cell, json_string_value(json_object_get(r, "target")));
	}
	rc = csv_put_text(b, buf_str(&cell), 0);
	buf_release(&cell);
	return rc;
}

/* A ',' before every cell but a row's first. */
static int sep(struct buf *b, size_t i)
{
	return i ? buf_putc(b, ',') : 0;
}

static int header(struct buf *b, const json_t *names)
{
	const char *k;
	json_t *v;
	size_t i, n = 0;
	int rc = 0;

	for (i = 0; cmdb_csv_base_cols[i] && !rc; i++)
		if (!(rc = sep(b, n++)))
			rc = csv_put_text(b, cmdb_csv_base_cols[i], 0);
	json_object_foreach((json_t *)names, k, v)
	{
		struct buf col = BUF_INIT;

		if (rc)
			break;
		buf_puts(&col, CMDB_CSV_ATTR);
		buf_puts(&col, k);
		if (!(rc = sep(b, n++)))
			rc = csv_put_text(b, buf_str(&col), 0);
		buf_release(&col);
	}
	for (i = 0; cmdb_csv_rel_cols[i] && !rc; i++)
		if (!(rc = sep(b, n++)))
			rc = csv_put_text(b, cmdb_csv_rel_cols[i], 0);
	return rc ? rc : buf_putc(b, '\n');
}

/* The row of item ci: its fields, its attributes (names), the targets of
 * its relationships (rels, NULL when it has none). */
static int row(struct buf *b, const json_t *ci, const json_t *names, const json_t *rels)
{
	const json_t *attrs = json_object_get(ci, "attributes");
	const char *k;
	json_t *v;
	size_t i, n = 0;
	int rc = 0;

	for (i = 0; cmdb_csv_base_cols[i] && !rc; i++) {
		v = json_object_get(ci, cmdb_csv_base_cols[i]);
		if (!(rc = sep(b, n++)))
			rc = csv_put_text(b, json_is_string(v) ? json_string_value(v) : "", 0);
	}
	json_object_foreach((json_t *)names, k, v)
	{
		if (rc)
			break;
		if (!(rc = sep(b, n++)))
			rc = attr_cell(b, json_object_get(attrs, k));
	}
	for (i = 0; cmdb_csv_rel_cols[i] && !rc; i++)
		if (!(rc = sep(b, n++)))
			rc = rel_cell(b, rels, cmdb_csv_rel_cols[i]);
	return rc ? rc : buf_putc(b, '\n');
}

int cmdb_render_csv(const json_t *doc, struct buf *b)
{
	const json_t *cis = json_object_get(doc, "cis");
	json_t *names = json_object(), *by_source = json_object(), *v, *r;
	const char *k;
	size_t i;
	int rc;

	/* attribute names in the order first seen; relationships by source */
	json_array_foreach(cis, i, v)
		json_object_foreach(json_object_get(v, "attributes"), k, r)
			json_object_set_new(names, k, json_true());
	json_array_foreach(json_object_get(doc, "relationships"), i, r)
	{
		const char *src = json_string_value(json_object_get(r, "source"));
		json_t *list;

		if (!src)
			continue;
		if (!(list = json_object_get(by_source, src)))
			json_object_set_new(by_source, src, list = json_array());
		json_array_append(list, r);
	}
	rc = header(b, names);
	json_array_foreach(cis, i, v)
	{
		const char *key = json_string_value(json_object_get(v, "key"));

		if (rc)
			break;
		rc = row(b, v, names, key ? json_object_get(by_source, key) : NULL);
	}
	json_decref(names);
	json_decref(by_source);
	return rc;
}

int cmdb_render_export(const json_t *doc, const char *format, struct buf *out, struct err *e)
{
	char *text;
	int rc;

	if (format && !strcmp(format, "csv"))
		rc = cmdb_render_csv(doc, out);
	else if (format && !strcmp(format, "json")) {
		if (!(text = json_dumps(doc, JSON_INDENT(1) | JSON_PRESERVE_ORDER)))
			return err_set(e, ERR_INTERNAL, NULL, "out of memory");
		rc = buf_puts(out, text);
		free(text);
	} else {
		return err_set(e, ERR_INVALID, "format", "unknown format '%s' (csv, json)",
			       format ? format : "");
	}
	if (rc == ERR_TOO_LARGE)
		return err_set(e, rc, NULL, "the export is larger than %zu bytes", out->limit);
	if (rc)
		return err_set(e, rc, NULL, "out of memory");
	return 0;
}
