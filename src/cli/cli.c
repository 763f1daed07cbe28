/*
 * cli.c — what every command shares: the subcommand dispatcher and its
 * option parser, options into the request body, opening the store as the
 * acting user, and errors as exit statuses. Printing is cli_print.c,
 * calling the domain cli_call.c.
 *
 * A subcommand sees only its own options: the dispatcher copies the row's
 * option table, parses argv against it alone, and nothing reaches the
 * subcommand's function (nor opens the store) before its usage is right.
 */
#include "cli/cli.h"
#include "cli/cli_config.h"
#include "domain/platform/user.h"
#include "lib/strlist.h"
#include "store/store.h"

#include <stdarg.h>
#include <string.h>

#define HELP (-1) /* parse() met --help or -h */

static int print_usage(FILE *f, const char *usage)
{
	fprintf(f, "usage: %s\n", usage);
	return f == stderr ? 2 : 0;
}

int cli_usage(const char *usage)
{
	return print_usage(stderr, usage);
}

static int takes_value(const struct opt *o)
{
	return o->type != CLI_FLAG && o->type != CLI_FLAG_FALSE;
}

static int is_help(const char *arg)
{
	return !strcmp(arg, "--help") || !strcmp(arg, "-h");
}

/* Split argv into the options of opts (filled in) and the positionals (pos
 * has room for argc). "--" ends the options; "-" alone is a positional (it
 * names standard input). Returns 0, HELP, or 2 after saying what is wrong. */
static int parse(int argc, char **argv, struct opt *opts, const char **pos, int *npos)
{
	int options = 1;

	*npos = 0;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i], *eq;
		struct opt *o;

		if (!options || a[0] != '-' || !a[1]) {
			pos[(*npos)++] = a;
			continue;
		}
		if (!strcmp(a, "--")) {
			options = 0;
			continue;
		}
		if (is_help(a))
			return HELP;
		for (o = opts; o->name; o++) {
			size_t n = strlen(o->name);

			if (!strncmp(a, o->name, n) && (a[n] == '\0' || (a[n] == '=' && takes_value(o))))
				break;
		}
		if (!o->name) {
			fprintf(stderr, "itsm: unknown option '%s'\n", a);
			return 2;
		}
		o->set = 1;
		if (!takes_value(o))
			continue;
		if ((eq = strchr(a, '='))) {
			o->value = eq + 1;
		} else if (i + 1 < argc) {
			o->value = argv[++i];
		} else {
			fprintf(stderr, "itsm: option '%s' needs a value\n", o->name);
			return 2;
		}
	}
	return 0;
}

int cli_run(struct cli *c, int argc, char **argv, const struct subcommand *sub)
{
	size_t nopts = 0;
	struct opt *opts;
	const char **pos;
	int npos, rc;

	/* A copy of the subcommand's options, for parse() to fill in. */
	while (sub->opts && sub->opts[nopts].name)
		nopts++;
	opts = calloc(nopts + 1, sizeof(*opts));
	pos = calloc((size_t)argc + 1, sizeof(*pos));
	if (!opts || !pos) {
		rc = cli_failf("out of memory");
		goto out;
	}
	if (nopts)
		memcpy(opts, sub->opts, nopts * sizeof(*opts));
	rc = parse(argc, argv, opts, pos, &npos);
	if (rc == HELP) {
		rc = print_usage(stdout, sub->usage);
		goto out;
	}
	if (!rc && sub->max_pos != CLI_ANY && npos > sub->max_pos) {
		fprintf(stderr, "itsm: unexpected argument '%s'\n", pos[sub->max_pos]);
		rc = 2;
	}
	if (rc || npos < sub->min_pos) {
		rc = cli_usage(sub->usage);
		goto out;
	}
	if (!(sub->flags & CLI_NO_STORE) && (rc = cli_open(c, 0)))
		goto out;
	rc = sub->fn(c, opts, pos, npos);
out:
	free(opts);
	free(pos);
	return rc;
}

/* How many words of argv name sub (a name of two words takes two), or 0. */
static int name_words(const char *name, int argc, char **argv)
{
	int w = 0;

	while (*name) {
		size_t n = strcspn(name, " ");

		if (w == argc || strlen(argv[w]) != n || strncmp(argv[w], name, n))
			return 0;
		w++;
		name += n + (name[n] == ' ');
	}
	return w;
}

/* The usage of every subcommand whose name begins with the word first (NULL:
 * all of them); 0 when there is none. */
static int group_usage_of(FILE *f, const struct subcommand *subs, const char *first)
{
	int n = 0;

	for (const struct subcommand *s = subs; s->name; s++) {
		size_t w = strcspn(s->name, " ");

		if (first && (strlen(first) != w || strncmp(s->name, first, w)))
			continue;
		fprintf(f, "%s%s\n", n++ ? "       " : "usage: ", s->usage);
	}
	return n;
}

static int group_usage(FILE *f, const struct subcommand *subs)
{
	group_usage_of(f, subs, NULL);
	return f == stderr ? 2 : 0;
}

int cli_dispatch(struct cli *c, int argc, char **argv, const struct subcommand *subs)
{
	int w;

	if (!subs->name[0])
		return cli_run(c, argc, argv, subs);
	if (argc < 1)
		return group_usage(stderr, subs);
	if (is_help(argv[0]))
		return group_usage(stdout, subs);
	for (const struct subcommand *s = subs; s->name; s++)
		if ((w = name_words(s->name, argc, argv)))
			return cli_run(c, argc - w, argv + w, s);
	/* The first word of two-word names alone ("staff career"): their usage. */
	if (argc == 2 && is_help(argv[1]) && group_usage_of(stdout, subs, argv[0]))
		return 0;
	if (argc == 1 && group_usage_of(stderr, subs, argv[0]))
		return 2;
	fprintf(stderr, "itsm: unknown %s '%s'\n", argv[0][0] == '-' ? "option" : "subcommand",
		argv[0]);
	return group_usage(stderr, subs);
}

const char *cli_opt(const struct opt *opts, const char *name)
{
	for (const struct opt *o = opts; o->name; o++)
		if (!strcmp(o->name, name))
			return o->set ? (o->value ? o->value : "") : NULL;
	return NULL;
}

int cli_opts_json(const struct opt *opts, json_t *in)
{
	for (const struct opt *o = opts; o->name; o++) {
		json_t *v = NULL;
		json_int_t n;
		char *end;

		if (!o->key || !o->set)
			continue;
		switch (o->type) {
		case CLI_STR:
			v = json_string(o->value);
			break;
		case CLI_INT:
		case CLI_NUM:
			n = strtoll(o->value, &end, 10);
			if (*o->value && !*end)
				v = json_integer(n);
			else if (o->type == CLI_NUM)
				v = json_string(o->value);
			else
				return cli_failf("option '%s' needs a number, not '%s'", o->name,
						 o->value);
			break;
		case CLI_LIST:
			v = strlist_json(o->value);
			break;
		case CLI_NULLABLE:
			v = strcmp(o->value, "none") ? json_string(o->value) : json_null();
			break;
		case CLI_OBJECT:
			/* apart: json_is_object() evaluates its argument twice */
			v = json_loads(o->value, 0, NULL);
			if (!json_is_object(v)) {
				json_decref(v);
				return cli_failf("%s must be a JSON object, not '%s'", o->name,
						 o->value);
			}
			break;
		case CLI_FLAG:
		case CLI_FLAG_FALSE:
			v = json_boolean(o->type == CLI_FLAG);
			break;
		}
		json_object_set_new(in, o->key, v);
	}
	return 0;
}

int cli_fail(const struct err *e)
{
	if (e->field[0] && !strstr(e->msg, e->field))
		fprintf(stderr, "itsm: %s (field '%s')\n", e->msg, e->field);
	else
		fprintf(stderr, "itsm: %s\n", e->msg[0] ? e->msg : err_code_name(e->code));
	return 1;
}

int cli_failf(const char *fmt, ...)
{
	va_list ap;

	fputs("itsm: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 1;
}

int cli_open(struct cli *c, int flags)
{
	struct err e = { 0 };
	int rc;

	if (!c->configured) {
		if ((rc = cli_config_apply(c->config, &e)))
			return cli_fail(&e);
		c->configured = 1;
	}
	c->st = store_open(c->db, flags, &e);
	if (!c->st)
		return cli_fail(&e);
	actor_system(&c->actor, "cli");
	if (c->as_user && actor_for_username(c->st, c->as_user, &c->actor, &e))
		return cli_fail(&e);
	return 0;
}

void cli_close(struct cli *c)
{
	store_close(c->st);
	c->st = NULL;
}
