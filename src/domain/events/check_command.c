/*
 * check_command.c — command templates (see check_command.h): parsed and
 * their programs resolved when the configuration is read, expanded into an
 * argument vector each time a check runs.
 *
 * The idea: the program a check runs is the admin's choice, made in the
 * configuration; what staff type (a template's name, its arguments, an
 * item's address) only ever fills argument slots, each slot within one
 * element, with no shell and no second reading. Invariants: a template's
 * elements are split once, at load; element 0 holds no macro; a macro is
 * replaced in one pass, left to right, so a value holding "$ARG2$" stays
 * that text; the program is resolved by one function both at load and
 * before each run.
 */
#include "domain/events/check_command.h"
#include "lib/ident.h"
#include "lib/proc.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct tmpl {
	char name[CHECK_COMMAND_NAME_MAX + 1];
	char *line;   /* as written, owned */
	char **elems; /* proc_split's one allocation, owned */
	size_t n;
	int nargs;    /* the highest $ARGn$ */
	char program[PATH_MAX]; /* resolved at load */
};

struct check_commands {
	struct tmpl *t;
	size_t n;
	char *dirs_text; /* checks.plugin_dirs as written, owned */
	char **dirs;     /* the directories that exist, realpath'd, owned */
	size_t ndirs;
};

static struct check_commands *installed;

enum macro { M_BAD, M_DOLLAR, M_ARG, M_HOSTNAME, M_HOSTADDRESS };

/* The macro at s (s[0] == '$'): its kind, its length in *len and for
 * $ARGn$ its n. M_BAD when none is there. */
static enum macro macro_at(const char *s, size_t *len, int *n)
{
	const char *end;
	size_t k;

	if (s[1] == '$') {
		*len = 2;
		return M_DOLLAR;
	}
	if (!(end = strchr(s + 1, '$')))
		return M_BAD;
	k = (size_t)(end - s - 1);
	*len = k + 2;
	if (k == 8 && !strncmp(s + 1, "HOSTNAME", 8))
		return M_HOSTNAME;
	if (k == 11 && !strncmp(s + 1, "HOSTADDRESS", 11))
		return M_HOSTADDRESS;
	if (k >= 4 && k <= 5 && !strncmp(s + 1, "ARG", 3) && s[4] >= '1' && s[4] <= '9') {
		*n = s[4] - '0';
		if (k == 5) {
			if (s[5] < '0' || s[5] > '9')
				return M_BAD;
			*n = *n * 10 + (s[5] - '0');
		}
		return *n <= CHECK_COMMAND_ARGS_MAX ? M_ARG : M_BAD;
	}
	return M_BAD;
}

static void tmpl_release(struct tmpl *t)
{
	free(t->line);
	free(t->elems);
}

struct check_commands *check_commands_new(void)
{
	return calloc(1, sizeof(struct check_commands));
}

void check_commands_free(struct check_commands *set)
{
	if (!set)
		return;
	for (size_t i = 0; i < set->n; i++)
		tmpl_release(&set->t[i]);
	for (size_t i = 0; i < set->ndirs; i++)
		free(set->dirs[i]);
	free(set->t);
	free(set->dirs);
	free(set->dirs_text);
	free(set);
}

int check_commands_add(struct check_commands *set, const char *name, const char *line,
		       struct err *e)
{
	struct tmpl t = { 0 }, *grown;
	struct err sub = { 0 };

	if (!ident_valid(name, CHECK_COMMAND_NAME_MAX, "._-"))
		return err_set(e, ERR_INVALID, "commands",
			       "malformed command template name '%.63s' (letters, digits, '.', "
			       "'_', '-')",
			       name);
	for (size_t i = 0; i < set->n; i++)
		if (!strcmp(set->t[i].name, name))
			return err_set(e, ERR_INVALID, "commands",
				       "command template '%s' is defined twice", name);
	if (proc_split(line, CHECK_COMMAND_ARGV_MAX, &t.elems, &t.n, &sub))
		return err_set(e, ERR_INVALID, "commands", "command template '%s': %s", name,
			       sub.msg);
	snprintf(t.name, sizeof(t.name), "%s", name);
	if (strchr(t.elems[0], '$')) {
		err_set(e, ERR_INVALID, "commands",
			"command template '%s': the program '%.100s' may not hold a macro", name,
			t.elems[0]);
		tmpl_release(&t);
		return ERR_INVALID;
	}
	for (size_t i = 1; i < t.n; i++)
		for (const char *p = strchr(t.elems[i], '$'); p; p = strchr(p, '$')) {
			size_t len = 0;
			int n = 0;
			enum macro m = macro_at(p, &len, &n);

			if (m == M_BAD) {
				const char *end = strchr(p + 1, '$');

				if (end)
					err_set(e, ERR_INVALID, "commands",
						"command template '%s': unknown macro '%.*s' (want "
						"$ARG1$…$ARG32$, $HOSTNAME$, $HOSTADDRESS$ or $$)",
						name, (int)(end - p + 1 > 40 ? 40 : end - p + 1), p);
				else
					err_set(e, ERR_INVALID, "commands",
						"command template '%s': a '$' opens no macro (write $$ "
						"for a dollar sign)",
						name);
				tmpl_release(&t);
				return ERR_INVALID;
			}
			if (m == M_ARG && n > t.nargs)
				t.nargs = n;
			p += len;
		}
	if (!(t.line = strdup(line)) ||
	    !(grown = realloc(set->t, (set->n + 1) * sizeof(*set->t)))) {
		tmpl_release(&t);
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	}
	set->t = grown;
	set->t[set->n++] = t;
	return 0;
}

/* Resolve what a template or a stored check calls its program: a path as
 * written (absolute), or a bare name in the first plugin directory holding
 * it; then realpath, and it must lie inside a plugin directory and be a
 * regular executable file. */
static int resolve_program(const struct check_commands *set, const char *written, char *out,
			   size_t n, struct err *e)
{
	char cand[PATH_MAX], real[PATH_MAX];
	const char *dirs = set && set->dirs_text ? set->dirs_text : "";
	struct stat sb;
	size_t i;

	if (!set || !set->ndirs)
		return err_set(e, ERR_INVALID, "command",
			       "no plugin directory exists (checks.plugin_dirs = '%.100s')", dirs);
	if (strchr(written, '/')) {
		if (written[0] != '/')
			return err_set(e, ERR_INVALID, "command",
				       "'%.100s' is neither an absolute path nor a bare name looked "
				       "up in the plugin directories",
				       written);
		snprintf(cand, sizeof(cand), "%s", written);
	} else {
		for (i = 0; i < set->ndirs; i++) {
			snprintf(cand, sizeof(cand), "%s/%s", set->dirs[i], written);
			if (!access(cand, F_OK))
				break;
		}
		if (i == set->ndirs)
			return err_set(e, ERR_INVALID, "command",
				       "'%.100s' is in no plugin directory (checks.plugin_dirs = "
				       "'%.100s')",
				       written, dirs);
	}
	if (!realpath(cand, real))
		return err_set(e, ERR_INVALID, "command", "cannot resolve '%.100s': %s", cand,
			       strerror(errno));
	for (i = 0; i < set->ndirs; i++) {
		size_t len = strlen(set->dirs[i]);

		if (!strncmp(real, set->dirs[i], len) && (real[len] == '/' || len == 1))
			break;
	}
	if (i == set->ndirs)
		return err_set(e, ERR_INVALID, "command",
			       "'%.100s' is '%.100s', which is not inside a plugin directory "
			       "(checks.plugin_dirs = '%.100s')",
			       written, real, dirs);
	if (stat(real, &sb) || !S_ISREG(sb.st_mode) || access(real, X_OK))
		return err_set(e, ERR_INVALID, "command",
			       "'%.100s' is not an executable file", real);
	snprintf(out, n, "%s", real);
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct tmpl *)a)->name, ((const struct tmpl *)b)->name);
}

int check_commands_resolve(struct check_commands *set, const char *plugin_dirs, struct err *e)
{
	const char *p = plugin_dirs;

	free(set->dirs_text);
	if (!(set->dirs_text = strdup(plugin_dirs)))
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	while (*p) {
		size_t len = strcspn(p, ":");
		char dir[PATH_MAX], real[PATH_MAX], **grown;
		struct stat sb;

		if (len && len < sizeof(dir)) {
			snprintf(dir, sizeof(dir), "%.*s", (int)len, p);
			if (dir[0] != '/')
				return err_set(e, ERR_INVALID, "checks.plugin_dirs",
					       "plugin directory '%.100s' is not an absolute path",
					       dir);
			if (realpath(dir, real) && !stat(real, &sb) && S_ISDIR(sb.st_mode)) {
				if (!(grown = realloc(set->dirs, (set->ndirs + 1) * sizeof(char *))))
					return err_set(e, ERR_INTERNAL, NULL, "out of memory");
				set->dirs = grown;
				if (!(set->dirs[set->ndirs] = strdup(real)))
					return err_set(e, ERR_INTERNAL, NULL, "out of memory");
				set->ndirs++;
			}
		}
		p += len + (p[len] == ':');
	}
	for (size_t i = 0; i < set->n; i++) {
		struct tmpl *t = &set->t[i];
		struct err sub = { 0 };

		if (resolve_program(set, t->elems[0], t->program, sizeof(t->program), &sub))
			return err_set(e, ERR_INVALID, "commands", "command template '%s': %s",
				       t->name, sub.msg);
	}
	if (set->n)
		qsort(set->t, set->n, sizeof(*set->t), by_name);
	return 0;
}

void check_commands_install(struct check_commands *set)
{
	check_commands_free(installed);
	installed = set;
}

static const struct tmpl *find(const char *name)
{
	for (size_t i = 0; installed && i < installed->n; i++)
		if (!strcmp(installed->t[i].name, name))
			return &installed->t[i];
	return NULL;
}

static int unknown(const char *name, struct err *e)
{
	char names[160] = "";
	size_t used = 0;

	for (size_t i = 0; installed && i < installed->n && used < sizeof(names) - 1; i++)
		used += (size_t)snprintf(names + used, sizeof(names) - used, "%s%s",
					 i ? ", " : "", installed->t[i].name);
	if (used >= sizeof(names))
		snprintf(names + sizeof(names) - 4, 4, "...");
	return err_set(e, ERR_INVALID, "command",
		       "unknown command template '%.63s' (%s%s)", name,
		       used ? "the configuration's [commands] defines: " :
			      "the configuration defines no [commands]",
		       names);
}

static int bad_text(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 1;
	return 0;
}

/* Expand element el of t into dst (NULL: only measure); *len gets its
 * length. A value that makes the element start with '-' is refused. */
static int expand_elem(const struct tmpl *t, const char *el, const json_t *args,
		       const struct check_macros *m, char *dst, size_t *len, struct err *e)
{
	size_t k = 0;
	int first_is_value = 0;

	for (const char *p = el; *p;) {
		const char *v = NULL;
		size_t ml = 0, vl;
		int n = 0;

		if (*p != '$') {
			if (dst)
				dst[k] = *p;
			k++;
			p++;
			continue;
		}
		switch (macro_at(p, &ml, &n)) {
		case M_DOLLAR:
			v = "$";
			break;
		case M_ARG:
			v = json_string_value(json_array_get(args, (size_t)n - 1));
			break;
		case M_HOSTNAME:
			v = m->hostname;
			break;
		case M_HOSTADDRESS:
			v = m->hostaddress;
			break;
		case M_BAD: /* checked when the template was added */
			return err_set(e, ERR_INTERNAL, NULL, "command template '%s' is damaged",
				       t->name);
		}
		if (!v)
			v = "";
		if (p == el && *v == '-' && ml > 2)
			first_is_value = 1;
		vl = strlen(v);
		if (dst)
			memcpy(dst + k, v, vl);
		k += vl;
		p += ml;
	}
	if (first_is_value)
		return err_set(e, ERR_INVALID, "args",
			       "a value would start the element '%.60s' of command template '%s' "
			       "with '-' (options belong to the template)",
			       el, t->name);
	*len = k;
	return 0;
}

/* The argument vector of t, argv[0] = program: one allocation. */
static int expand(const struct tmpl *t, const char *program, const json_t *args,
		  const struct check_macros *m, char ***argv, struct err *e)
{
	size_t total = strlen(program) + 1, len, off;
	char **v, *data;
	int rc;

	for (size_t i = 1; i < t->n; i++) {
		if ((rc = expand_elem(t, t->elems[i], args, m, NULL, &len, e)))
			return rc;
		total += len + 1;
	}
	if (!(v = malloc((t->n + 1) * sizeof(*v) + total)))
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	data = (char *)(v + t->n + 1);
	off = strlen(program) + 1;
	memcpy(data, program, off);
	v[0] = data;
	for (size_t i = 1; i < t->n; i++) {
		expand_elem(t, t->elems[i], args, m, data + off, &len, NULL);
		v[i] = data + off;
		data[off + len] = '\0';
		off += len + 1;
	}
	v[t->n] = NULL;
	*argv = v;
	return 0;
}

int check_command_validate(const char *name, const json_t *args, struct err *e)
{
	const struct tmpl *t = find(name);
	static const struct check_macros probe = { "host", "host" };
	json_t *a;
	size_t i, n = args ? json_array_size(args) : 0;
	char **argv;
	int rc;

	if (!t)
		return unknown(name, e);
	if (args && !json_is_array(args))
		return err_set(e, ERR_INVALID, "args", "args must be an array of strings");
	if (n != (size_t)t->nargs)
		return err_set(e, ERR_INVALID, "args",
			       "command template '%s' takes %d argument%s ($ARG1$…), not %zu",
			       name, t->nargs, t->nargs == 1 ? "" : "s", n);
	json_array_foreach(args, i, a)
	{
		if (!json_is_string(a) || json_string_length(a) > CHECK_COMMAND_ARG_LEN ||
		    strlen(json_string_value(a)) != json_string_length(a) ||
		    bad_text(json_string_value(a)))
			return err_set(e, ERR_INVALID, "args",
				       "args[%zu] must be a string of at most %d bytes without "
				       "control characters",
				       i, CHECK_COMMAND_ARG_LEN);
	}
	if ((rc = expand(t, t->program, args, &probe, &argv, e)))
		return rc;
	free(argv);
	return 0;
}

int check_command_argv(const char *name, const json_t *args, const struct check_macros *m,
		       char ***argv, struct err *e)
{
	const struct tmpl *t = find(name);
	char program[PATH_MAX];
	int rc;

	*argv = NULL;
	if (!t)
		return unknown(name, e);
	if (bad_text(m->hostname) || bad_text(m->hostaddress))
		return err_set(e, ERR_INVALID, "command",
			       "the item's name or address holds a control character");
	if ((rc = check_command_validate(name, args, e)) ||
	    (rc = resolve_program(installed, t->elems[0], program, sizeof(program), e)))
		return rc;
	return expand(t, program, args, m, argv, e);
}

int check_plugin_resolve(const char *program, char *out, size_t n, struct err *e)
{
	return resolve_program(installed, program, out, n, e);
}

json_t *check_commands_json(void)
{
	json_t *items = json_array();

	for (size_t i = 0; installed && i < installed->n; i++) {
		const struct tmpl *t = &installed->t[i];
		json_t *elems = json_array();

		for (size_t k = 0; k < t->n; k++)
			json_array_append_new(elems, json_string(t->elems[k]));
		json_array_append_new(items, json_pack("{s:s, s:o, s:i, s:s}", "name", t->name,
						       "command", elems, "args", t->nargs,
						       "program", t->program));
	}
	return json_pack("{s:o, s:s, s:n}", "items", items, "plugin_dirs",
			 installed && installed->dirs_text ? installed->dirs_text : "",
			 "next_cursor");
}
