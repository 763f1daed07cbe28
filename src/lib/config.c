/*
 * config.c — the configuration table's reader. See config.h.
 */
#include "lib/config.h"

#include <errno.h>
#include <ini.h>
#include <stdlib.h>
#include <string.h>

static const struct config_option *find(const struct config_option *t, const char *name)
{
	for (; t->name; t++)
		if (t->type != CONF_SECTION && !strcmp(t->name, name))
			return t;
	return NULL;
}

/* The CONF_SECTION row for "section.key", and where its key starts. */
static const struct config_option *find_section(const struct config_option *t,
						const char *name, const char **key)
{
	const char *dot = strchr(name, '.');

	for (; dot && t->name; t++)
		if (t->type == CONF_SECTION && strlen(t->name) == (size_t)(dot - name) &&
		    !strncmp(t->name, name, (size_t)(dot - name))) {
			*key = dot + 1;
			return t;
		}
	return NULL;
}

int config_set(const struct config_option *table, void *target, const char *name,
	       const char *value, struct err *e)
{
	const struct config_option *o = find(table, name);
	const char *key;
	char *end;
	long v;

	if (!o && (o = find_section(table, name, &key)))
		return o->each(target, key, value, e);
	if (!o)
		return err_set(e, ERR_INVALID, name, "unknown option '%s'", name);
	if (o->type == CONF_STRING) {
		if (strlen(value) >= o->size)
			return err_set(e, ERR_INVALID, name, "option '%s' is too long", name);
		snprintf((char *)target + o->offset, o->size, "%s", value);
		return 0;
	}
	errno = 0;
	v = strtol(value, &end, 10);
	if (!*value || *end || errno || v < o->min || v > o->max)
		return err_set(e, ERR_INVALID, name, "option '%s' must be a number from %ld to %ld",
			       name, o->min, o->max);
	*(long *)((char *)target + o->offset) = v;
	return 0;
}

void config_defaults(const struct config_option *table, void *target)
{
	for (const struct config_option *o = table; o->name; o++)
		if (o->type != CONF_SECTION)
			config_set(table, target, o->name, o->def, NULL);
}

struct load_ctx {
	const struct config_option *table;
	void *target;
	struct err *e;
	int failed;
};

static int on_value(void *user, const char *section, const char *name, const char *value)
{
	struct load_ctx *l = user;
	char full[128];

	if (l->failed)
		return 0;
	snprintf(full, sizeof(full), "%s%s%s", section, *section ? "." : "", name);
	if (config_set(l->table, l->target, full, value, l->e)) {
		l->failed = 1;
		return 0;
	}
	return 1;
}

int config_load(const struct config_option *table, void *target, const char *path,
		struct err *e)
{
	struct load_ctx l = { table, target, e, 0 };
	struct err inner = { 0 };
	int line;

	l.e = &inner;
	line = ini_parse(path, on_value, &l);
	if (line < 0)
		return err_set(e, ERR_INVALID, "config", "cannot read '%s'", path);
	if (line > 0)
		return err_set(e, ERR_INVALID, "config", "%s:%d: %s", path, line,
			       inner.msg[0] ? inner.msg : "malformed line");
	return 0;
}

/* text as "# " comment lines of at most 78 columns, broken at spaces (a
 * word longer than a line stays whole): inih reads a line of at most 200
 * bytes, and the rest of a longer one as a line of its own, which is no
 * option — a long help text once made the example unreadable. */
static void print_comment(FILE *f, const char *text)
{
	const size_t width = 76;

	while (*text) {
		size_t n = strlen(text), cut = n;

		if (n > width) {
			cut = width;
			while (cut > 0 && text[cut] != ' ')
				cut--;
			if (!cut) /* one long word: up to the next space */
				cut = strcspn(text, " ");
		}
		fprintf(f, "# %.*s\n", (int)cut, text);
		text += cut;
		while (*text == ' ')
			text++;
	}
}

void config_print_example(const struct config_option *table, FILE *f)
{
	char section[64] = "";

	fputs("# itsm configuration: itsm serve --config FILE (flags override it)\n", f);
	for (const struct config_option *o = table; o->name; o++) {
		const char *dot = strchr(o->name, '.');
		size_t n = dot ? (size_t)(dot - o->name) : 0;

		if (o->type == CONF_SECTION) {
			fprintf(f, "\n[%s]\n", o->name);
			print_comment(f, o->help);
			for (const char *l = o->def; *l;) {
				size_t len = strcspn(l, "\n");

				fprintf(f, "# %.*s\n", (int)len, l);
				l += len + (l[len] == '\n');
			}
			snprintf(section, sizeof(section), "%s", o->name);
			continue;
		}
		if (n && (strlen(section) != n || strncmp(section, o->name, n))) {
			fprintf(f, "\n[%.*s]\n", (int)n, o->name);
			snprintf(section, sizeof(section), "%.*s", (int)n, o->name);
		}
		print_comment(f, o->help);
		if (o->type == CONF_INT)
			fprintf(f, "# (%ld-%ld)\n", o->min, o->max);
		fprintf(f, "%s = %s\n", dot ? dot + 1 : o->name, o->def);
	}
}
