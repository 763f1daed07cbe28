/*
 * cli_print.c — how commands print what the domain answered: JSON for
 * scripts (--json), else tables of chosen columns, "key: value" records and
 * one-line "added …" answers. Cells are one line each: tabs and newlines in
 * a value become spaces, and a column wider than its cap ends in '~'.
 */
#include "cli/cli.h"
#include "lib/jsonx.h"

#include <stdlib.h>
#include <string.h>

void cli_print_json(json_t *j)
{
	char *s = json_dumps(j, JSON_INDENT(2) | JX_DUMP_FLAGS);

	if (s) {
		puts(s);
		free(s);
	}
	json_decref(j);
}

/* A figure as answers carry it: at most JX_PERCENT_PLACES decimals,
 * trailing zeros dropped (99.8908, 99.9, 100), so a table never shows a
 * miss as its target the way a fixed two places would (99.8999 as 99.90). */
static void real_cell(double v, char *out, size_t n)
{
	size_t len;

	snprintf(out, n, "%.*f", JX_PERCENT_PLACES, v);
	len = strlen(out);
	if (strchr(out, '.')) {
		while (len > 0 && out[len - 1] == '0')
			out[--len] = '\0';
		if (len > 0 && out[len - 1] == '.')
			out[--len] = '\0';
	}
}

static void cell(const json_t *v, char *out, size_t n)
{
	if (!v || json_is_null(v))
		snprintf(out, n, "-");
	else if (json_is_string(v))
		snprintf(out, n, "%s", json_string_value(v));
	else if (json_is_integer(v))
		snprintf(out, n, "%lld", (long long)json_integer_value(v));
	else if (json_is_real(v))
		real_cell(json_real_value(v), out, n);
	else if (json_is_boolean(v))
		snprintf(out, n, "%s", json_is_true(v) ? "yes" : "no");
	else {
		char *s = json_dumps(v, JSON_COMPACT);

		snprintf(out, n, "%s", s ? s : "?");
		free(s);
	}
	for (char *p = out; *p; p++)
		if (*p == '\n' || *p == '\t')
			*p = ' ';
}

void cli_print_table(const json_t *items, const char *const *cols)
{
	size_t ncols = 0, w[32] = { 0 }, cap[32];
	char name[32][64], v[512];
	size_t i;
	const json_t *it;

	for (; cols[ncols] && ncols < 32; ncols++) {
		const char *colon = strchr(cols[ncols], ':');
		size_t len = colon ? (size_t)(colon - cols[ncols]) : strlen(cols[ncols]);

		snprintf(name[ncols], sizeof(name[ncols]), "%.*s", (int)len, cols[ncols]);
		cap[ncols] = colon ? (size_t)atoi(colon + 1) : 40;
		w[ncols] = strlen(name[ncols]);
	}
	json_array_foreach(items, i, it)
	{
		for (size_t c = 0; c < ncols; c++) {
			size_t l;

			cell(json_object_get(it, name[c]), v, sizeof(v));
			l = strlen(v);
			if (l > cap[c])
				l = cap[c];
			if (l > w[c])
				w[c] = l;
		}
	}
	for (size_t c = 0; c < ncols; c++) {
		char up[64];

		for (size_t k = 0; k <= strlen(name[c]); k++)
			up[k] = (char)(name[c][k] >= 'a' && name[c][k] <= 'z' ? name[c][k] - 32 :
										   name[c][k]);
		printf("%-*s%s", (int)w[c], up, c + 1 < ncols ? "  " : "\n");
	}
	json_array_foreach(items, i, it)
	{
		for (size_t c = 0; c < ncols; c++) {
			cell(json_object_get(it, name[c]), v, sizeof(v));
			if (strlen(v) > cap[c] && cap[c] > 1) {
				v[cap[c] - 1] = '~';
				v[cap[c]] = '\0';
			}
			printf("%-*s%s", (int)w[c], v, c + 1 < ncols ? "  " : "\n");
		}
	}
}

int cli_print_list(const struct cli *c, json_t *out, const char *const *cols)
{
	if (c->json) {
		cli_print_json(out);
		return 0;
	}
	cli_print_table(json_object_get(out, "items"), cols);
	if (json_is_string(json_object_get(out, "next_cursor")))
		printf("(more: --cursor %s)\n",
		       json_string_value(json_object_get(out, "next_cursor")));
	json_decref(out);
	return 0;
}

int cli_print_done(const struct cli *c, json_t *out, const char *verb, const char *field)
{
	char v[256] = "";

	if (c->json) {
		cli_print_json(out);
		return 0;
	}
	if (field)
		cell(json_object_get(out, field), v, sizeof(v));
	printf("%s%s%s\n", verb ? verb : "", verb && field ? " " : "", v);
	json_decref(out);
	return 0;
}

void cli_print_record(const json_t *obj, const char *const *keys)
{
	char v[8192];

	for (; *keys; keys++) {
		cell(json_object_get(obj, *keys), v, sizeof(v));
		printf("%-12s %s\n", *keys, v);
	}
}

void cli_print_subrecord(const char *name, const json_t *obj, const char *const *keys)
{
	char v[8192];

	if (!json_is_object(obj)) {
		printf("%-12s -\n", name);
		return;
	}
	printf("%s\n", name);
	for (; *keys; keys++) {
		cell(json_object_get(obj, *keys), v, sizeof(v));
		printf("  %-16s %s\n", *keys, v);
	}
}
