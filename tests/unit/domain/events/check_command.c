/*
 * tests/unit/domain/events/check_command.c — command templates: parsing
 * (elements, quotes, macros), resolving programs inside the plugin
 * directories (symlinks and .. resolved, bare names, what is refused), and
 * expansion (values stay inside their element, are never split or read for
 * macros again, may not start an option), against a plugin directory made
 * in a temporary directory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "domain/events/check_command.h"

/* short: under /tmp */
static char root[256], plugins[300], other[300], dirs[400];

static void write_exec(const char *path)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs("#!/bin/sh\necho OK\n", f);
	fclose(f);
	assert_int_equal(chmod(path, 0755), 0);
}

/* root/plugins/{ok, data (not executable), link-out -> ../other/evil,
 * link-in -> ok, sub/}, root/other/evil */
static int setup(void **state)
{
	char p[PATH_MAX + 32], tmpl[] = "/tmp/itsm-cc-XXXXXX", real[PATH_MAX];
	FILE *f;

	assert_non_null(mkdtemp(tmpl));
	assert_non_null(realpath(tmpl, real));
	assert_true(strlen(real) < 200);
	snprintf(root, sizeof(root), "%.200s", real);
	snprintf(plugins, sizeof(plugins), "%s/plugins", root);
	snprintf(other, sizeof(other), "%s/other", root);
	assert_int_equal(mkdir(plugins, 0755), 0);
	assert_int_equal(mkdir(other, 0755), 0);
	snprintf(p, sizeof(p), "%s/ok", plugins);
	write_exec(p);
	snprintf(p, sizeof(p), "%s/evil", other);
	write_exec(p);
	snprintf(p, sizeof(p), "%s/data", plugins);
	f = fopen(p, "w");
	assert_non_null(f);
	fclose(f);
	snprintf(p, sizeof(p), "%s/link-out", plugins);
	assert_int_equal(symlink("../other/evil", p), 0);
	snprintf(p, sizeof(p), "%s/link-in", plugins);
	assert_int_equal(symlink("ok", p), 0);
	snprintf(p, sizeof(p), "%s/sub", plugins);
	assert_int_equal(mkdir(p, 0755), 0);
	snprintf(dirs, sizeof(dirs), "/nonexistent/dir:%s", plugins);
	return 0;
}

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	return remove(path);
}

static int teardown(void **state)
{
	check_commands_install(NULL);
	return nftw(root, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* A set of one template name = line, resolved; 0 or the error code. */
static int one(const char *line, struct err *e)
{
	struct check_commands *set = check_commands_new();
	int rc;

	assert_non_null(set);
	rc = check_commands_add(set, "t", line, e);
	if (!rc)
		rc = check_commands_resolve(set, dirs, e);
	if (rc)
		check_commands_free(set);
	else
		check_commands_install(set);
	return rc;
}

static void expect_refused(const char *line, const char *needle)
{
	struct err e = { 0 };

	if (one(line, &e) != ERR_INVALID)
		fail_msg("template '%s' was accepted", line);
	if (needle && !strstr(e.msg, needle))
		fail_msg("template '%s' refused with '%s', not naming '%s'", line, e.msg, needle);
}

static void test_programs_outside_refused(void **state)
{
	char line[3 * PATH_MAX];

	expect_refused("/bin/sh -c id", "not inside a plugin directory");
	expect_refused("sh -c id", "in no plugin directory"); /* never PATH */
	snprintf(line, sizeof(line), "%s/evil", other);
	expect_refused(line, "not inside a plugin directory");
	snprintf(line, sizeof(line), "%s/../other/evil", plugins); /* .. */
	expect_refused(line, "not inside a plugin directory");
	snprintf(line, sizeof(line), "%s/link-out", plugins); /* symlink out */
	expect_refused(line, "not inside a plugin directory");
	expect_refused("link-out", "not inside a plugin directory");
	expect_refused("../other/evil", "neither an absolute path");
	expect_refused("..", "not inside"); /* the plugin directory's parent */
	expect_refused("data", "not an executable file");
	expect_refused("sub", "not an executable file");
	expect_refused("missing", "in no plugin directory");
	snprintf(line, sizeof(line), "%s/missing", plugins);
	expect_refused(line, "cannot resolve");
	/* a directory named like a plugin directory's prefix is not inside it */
	snprintf(line, sizeof(line), "%s-x/ok", plugins);
	expect_refused(line, NULL);
}

static void test_programs_inside_accepted(void **state)
{
	char line[3 * PATH_MAX], want[PATH_MAX + 8];
	struct err e = { 0 };
	json_t *list;

	snprintf(want, sizeof(want), "%s/ok", plugins);
	const char *lines[] = { "ok", "link-in", "  ok  ", NULL };
	for (int i = 0; lines[i]; i++) {
		if (one(lines[i], &e))
			fail_msg("'%s' refused: %s", lines[i], e.msg);
		list = check_commands_json();
		assert_string_equal(json_string_value(json_object_get(
					    json_array_get(json_object_get(list, "items"), 0), "program")),
				    want);
		json_decref(list);
	}
	snprintf(line, sizeof(line), "%s/sub/../ok -x", plugins);
	assert_int_equal(one(line, &e), 0);
}

static void test_parse_refusals(void **state)
{
	struct check_commands *set = check_commands_new();
	struct err e = { 0 };

	assert_int_equal(check_commands_add(set, "a", "ok $ARG1$", &e), 0);
	assert_int_equal(check_commands_add(set, "a", "ok", &e), ERR_INVALID);
	assert_non_null(strstr(e.msg, "defined twice"));
	assert_int_equal(check_commands_add(set, "bad name", "ok", &e), ERR_INVALID);
	assert_int_equal(check_commands_add(set, "b", "ok \"open", &e), ERR_INVALID);
	assert_non_null(strstr(e.msg, "not closed"));
	assert_int_equal(check_commands_add(set, "b", "ok $FOO$", &e), ERR_INVALID);
	assert_non_null(strstr(e.msg, "unknown macro '$FOO$'"));
	assert_int_equal(check_commands_add(set, "b", "ok $ARG0$", &e), ERR_INVALID);
	assert_int_equal(check_commands_add(set, "b", "ok $ARG33$", &e), ERR_INVALID);
	assert_int_equal(check_commands_add(set, "b", "ok $ARG1", &e), ERR_INVALID);
	assert_non_null(strstr(e.msg, "$$"));
	assert_int_equal(check_commands_add(set, "b", "$ARG1$ x", &e), ERR_INVALID);
	assert_non_null(strstr(e.msg, "may not hold a macro"));
	assert_int_equal(check_commands_add(set, "b", "", &e), ERR_INVALID);
	assert_int_equal(check_commands_add(set, "b", "ok \x01", &e), ERR_INVALID);
	assert_int_equal(check_commands_add(set, "b", "ok $$ $ARG32$ $HOSTNAME$", &e), 0);
	check_commands_free(set);
}

/* Expand t (installed) with args and the macros. */
static char **expand(const char *args_json, const char *host, const char *addr, int *rc,
		     struct err *e)
{
	struct check_macros m = { host, addr };
	json_t *args = json_loads(args_json, 0, NULL);
	char **argv = NULL;

	assert_non_null(args);
	*rc = check_command_argv("t", args, &m, &argv, e);
	json_decref(args);
	return argv;
}

static void test_expansion(void **state)
{
	char want0[PATH_MAX + 8];
	struct err e = { 0 };
	char **v;
	int rc;

	snprintf(want0, sizeof(want0), "%s/ok", plugins);
	assert_int_equal(one("ok -H $HOSTADDRESS$ --name=$HOSTNAME$ \"-w $ARG1$\" $ARG2$ "
			     "x$ARG3$y $$ \"\" pre$$ARG1$$",
			     &e),
			 0);
	v = expand("[\"10,20%\", \"a b; rm -rf / $ARG1$ $(id) `id` \\\"q\\\"\", \"-z\"]", "web1",
		   "10.0.0.1", &rc, &e);
	assert_int_equal(rc, 0);
	assert_string_equal(v[0], want0);
	assert_string_equal(v[1], "-H");
	assert_string_equal(v[2], "10.0.0.1");
	assert_string_equal(v[3], "--name=web1");
	assert_string_equal(v[4], "-w 10,20%");
	/* one element, kept whole, not read for macros again */
	assert_string_equal(v[5], "a b; rm -rf / $ARG1$ $(id) `id` \"q\"");
	assert_string_equal(v[6], "x-zy"); /* inside an element: fine */
	assert_string_equal(v[7], "$");
	assert_string_equal(v[8], "");
	assert_string_equal(v[9], "pre$ARG1$");
	assert_null(v[10]);
	free(v);

	/* a value may not start an element with '-' */
	v = expand("[\"1\", \"--exec=/bin/sh\", \"z\"]", "web1", "10.0.0.1", &rc, &e);
	assert_int_equal(rc, ERR_INVALID);
	assert_string_equal(e.field, "args");
	assert_null(v);
	v = expand("[\"1\", \"x\", \"z\"]", "web1", "-oProxyCommand=id", &rc, &e);
	assert_int_equal(rc, ERR_INVALID);
	assert_null(v);
	/* the count of arguments is the highest $ARGn$ */
	v = expand("[\"1\", \"x\"]", "web1", "a", &rc, &e);
	assert_int_equal(rc, ERR_INVALID);
	assert_non_null(strstr(e.msg, "takes 3 arguments"));
	/* control characters in values or macros */
	v = expand("[\"1\", \"x\\ny\", \"z\"]", "web1", "a", &rc, &e);
	assert_int_equal(rc, ERR_INVALID);
	v = expand("[\"1\", \"x\", \"z\"]", "web1", "a\rb", &rc, &e);
	assert_int_equal(rc, ERR_INVALID);
	/* an unknown template */
	{
		struct check_macros m = { "h", "h" };
		char **argv;

		assert_int_equal(check_command_argv("nope", NULL, &m, &argv, &e), ERR_INVALID);
		assert_string_equal(e.field, "command");
		assert_non_null(strstr(e.msg, "defines: t"));
	}
}

static void test_validate(void **state)
{
	struct err e = { 0 };
	json_t *a;

	assert_int_equal(one("ok $ARG1$ -p $ARG2$", &e), 0);
	a = json_pack("[s, s]", "x", "80");
	assert_int_equal(check_command_validate("t", a, &e), 0);
	json_decref(a);
	a = json_pack("[s, i]", "x", 80);
	assert_int_equal(check_command_validate("t", a, &e), ERR_INVALID);
	assert_string_equal(e.field, "args");
	json_decref(a);
	a = json_pack("[s, s]", "-x", "80");
	assert_int_equal(check_command_validate("t", a, &e), ERR_INVALID);
	json_decref(a);
	a = json_string("x 80");
	assert_int_equal(check_command_validate("t", a, &e), ERR_INVALID);
	json_decref(a);
	assert_int_equal(check_command_validate("t", NULL, &e), ERR_INVALID);
	assert_int_equal(check_command_validate("u", NULL, &e), ERR_INVALID);
	assert_string_equal(e.field, "command");
}

/* A program changed after load is checked again before it runs. */
static void test_recheck_at_run(void **state)
{
	char p[PATH_MAX + 16], real[PATH_MAX + 16];
	struct check_macros m = { "h", "h" };
	struct err e = { 0 };
	char **argv;

	snprintf(p, sizeof(p), "%s/swap", plugins);
	write_exec(p);
	assert_int_equal(one("swap", &e), 0);
	assert_int_equal(check_command_argv("t", NULL, &m, &argv, &e), 0);
	free(argv);
	/* now a symlink out of the directory */
	assert_int_equal(unlink(p), 0);
	snprintf(real, sizeof(real), "%s/evil", other);
	assert_int_equal(symlink(real, p), 0);
	assert_int_equal(check_command_argv("t", NULL, &m, &argv, &e), ERR_INVALID);
	assert_non_null(strstr(e.msg, "not inside a plugin directory"));
	assert_null(argv);
	unlink(p);
}

/* A stored raw vector: its program must lie inside too; never PATH. */
static void test_legacy(void **state)
{
	char out[PATH_MAX], want[PATH_MAX + 8];
	struct err e = { 0 };

	assert_int_equal(one("ok", &e), 0);
	snprintf(want, sizeof(want), "%s/ok", plugins);
	assert_int_equal(check_plugin_resolve("ok", out, sizeof(out), &e), 0);
	assert_string_equal(out, want);
	assert_int_equal(check_plugin_resolve(want, out, sizeof(out), &e), 0);
	assert_int_equal(check_plugin_resolve("/bin/sh", out, sizeof(out), &e), ERR_INVALID);
	assert_int_equal(check_plugin_resolve("sh", out, sizeof(out), &e), ERR_INVALID);
	assert_int_equal(check_plugin_resolve("link-out", out, sizeof(out), &e), ERR_INVALID);
	/* no configuration at all: nothing runs */
	check_commands_install(NULL);
	assert_int_equal(check_plugin_resolve(want, out, sizeof(out), &e), ERR_INVALID);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_programs_outside_refused),
		cmocka_unit_test(test_programs_inside_accepted),
		cmocka_unit_test(test_parse_refusals),
		cmocka_unit_test(test_expansion),
		cmocka_unit_test(test_validate),
		cmocka_unit_test(test_recheck_at_run),
		cmocka_unit_test(test_legacy),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
