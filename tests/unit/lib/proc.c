/*
 * tests/unit/lib/proc.c — the plugin runner against real programs: the
 * monitoring-plugins check_dummy and check_tcp, sh, sleep, yes; input on
 * standard input; and the command-line splitter that stands where a shell
 * used to.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "lib/proc.h"

#define PLUGINS "/usr/lib/nagios/plugins/"

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	assert_non_null(d);
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

static void run(const char *const *argv, int timeout_ms, struct proc_result *r)
{
	struct err e = { 0 };

	if (proc_run((char *const *)argv, timeout_ms, r, &e))
		fail_msg("proc_run failed: %s", e.msg);
}

static void test_dummy(void **state)
{
	const char *ok[] = { PLUGINS "check_dummy", "0", "fine", NULL };
	const char *crit[] = { PLUGINS "check_dummy", "2", NULL };
	struct proc_result r;

	run(ok, 5000, &r);
	assert_int_equal(r.exit_code, 0);
	assert_int_equal(r.signal, 0);
	assert_false(r.timed_out);
	assert_string_equal(r.out, "OK: fine\n");
	assert_int_equal(r.out_len, 9);
	assert_false(r.out_truncated);
	assert_string_equal(r.errout, "");
	assert_true(r.duration_ms >= 0 && r.duration_ms < 5000);
	proc_result_release(&r);
	assert_null(r.out);

	run(crit, 5000, &r);
	assert_int_equal(r.exit_code, 2);
	assert_string_equal(r.out, "CRITICAL\n");
	proc_result_release(&r);
}

static void test_stderr_env_stdin_pgroup(void **state)
{
	const char *sh[] = { "/bin/sh", "-c",
			     "echo out; echo err >&2; echo \"$LC_ALL $LC_NUMERIC ${HOME-none}\"; "
			     "cat; read -r _ _ _ _ pg _ </proc/$$/stat; [ \"$pg\" = $$ ] && "
			     "echo leader; exit 3",
			     NULL };
	struct proc_result r;

	run(sh, 5000, &r);
	assert_int_equal(r.exit_code, 3);
	assert_string_equal(r.out, "out\nC C none\nleader\n");
	assert_string_equal(r.errout, "err\n");
	proc_result_release(&r);
}

static void test_path_lookup(void **state)
{
	const char *echo[] = { "echo", "a b", NULL };
	struct proc_result r;

	run(echo, 5000, &r);
	assert_int_equal(r.exit_code, 0);
	assert_string_equal(r.out, "a b\n"); /* no shell: one argument, kept whole */
	proc_result_release(&r);
}

static void test_timeout_sleep(void **state)
{
	const char *sl[] = { "/bin/sleep", "5", NULL };
	struct proc_result r;
	int64_t t0 = now_ms(), took;

	run(sl, 300, &r);
	took = now_ms() - t0;
	assert_true(r.timed_out);
	assert_int_equal(r.exit_code, -1);
	assert_int_equal(r.signal, SIGTERM);
	assert_true(took >= 290 && took < 1000);
	assert_true(r.duration_ms >= 290 && r.duration_ms < 1000);
	proc_result_release(&r);
}

static void test_timeout_ignores_term(void **state)
{
	/* sh and its sleep ignore SIGTERM: SIGKILL after the grace period. */
	const char *sh[] = { "/bin/sh", "-c", "trap '' TERM; sleep 10; echo survived", NULL };
	struct proc_result r;
	int64_t t0 = now_ms(), took;

	run(sh, 200, &r);
	took = now_ms() - t0;
	assert_true(r.timed_out);
	assert_int_equal(r.signal, SIGKILL);
	assert_string_equal(r.out, "");
	assert_true(took >= 200 + PROC_KILL_GRACE_MS - 20 && took < 200 + PROC_KILL_GRACE_MS + 700);
	proc_result_release(&r);
}

static void test_flood_bounded(void **state)
{
	const char *yes[] = { "/bin/sh", "-c", "yes", NULL };
	const char *finite[] = { "/bin/sh", "-c",
				 "head -c 1000000 /dev/zero | tr '\\0' x; echo oops >&2; "
				 "head -c 100000 /dev/zero | tr '\\0' y >&2",
				 NULL };
	struct proc_result r;

	run(yes, 400, &r);
	assert_true(r.timed_out);
	assert_true(r.out_truncated);
	assert_int_equal(r.out_len, PROC_STDOUT_MAX);
	assert_int_equal(strlen(r.out), PROC_STDOUT_MAX);
	assert_memory_equal(r.out, "y\ny\n", 4);
	proc_result_release(&r);

	run(finite, 10000, &r);
	assert_false(r.timed_out);
	assert_int_equal(r.exit_code, 0);
	assert_true(r.out_truncated);
	assert_int_equal(r.out_len, PROC_STDOUT_MAX);
	assert_true(r.errout_truncated);
	assert_int_equal(r.errout_len, PROC_STDERR_MAX);
	assert_memory_equal(r.errout, "oops\nyyy", 8);
	proc_result_release(&r);
}

static void test_background_child_holding_pipe(void **state)
{
	/* The plugin exits at once; a child it left in its group keeps stdout
	 * open. The run ends at the timeout, the group is killed, the plugin's
	 * own status is reported and it is not a timeout. */
	const char *sh[] = { "/bin/sh", "-c", "(sleep 5; echo late) & echo early; exit 1", NULL };
	struct proc_result r;
	int64_t t0 = now_ms(), took;

	run(sh, 500, &r);
	took = now_ms() - t0;
	assert_false(r.timed_out);
	assert_int_equal(r.exit_code, 1);
	assert_string_equal(r.out, "early\n");
	assert_true(took >= 480 && took < 1500);
	assert_true(r.duration_ms < 400);
	proc_result_release(&r);
}

static void test_not_found(void **state)
{
	const char *missing[] = { "/nonexistent/check_nothing", "-H", "x", NULL };
	const char *missing_path[] = { "check_nothing_in_path_xyz", NULL };
	const char *noexec[] = { "/etc/hostname", NULL };
	struct proc_result r;

	run(missing, 1000, &r);
	assert_int_equal(r.exit_code, 127);
	assert_false(r.timed_out);
	assert_string_equal(r.out, "");
	assert_non_null(strstr(r.errout, "cannot run '/nonexistent/check_nothing'"));
	proc_result_release(&r);

	run(missing_path, 1000, &r);
	assert_int_equal(r.exit_code, 127);
	proc_result_release(&r);

	run(noexec, 1000, &r);
	assert_int_equal(r.exit_code, 126);
	proc_result_release(&r);
}

static void test_check_tcp_refused(void **state)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t sl = sizeof(sa);
	char port[16];
	const char *tcp[] = { PLUGINS "check_tcp", "-H", "127.0.0.1", "-p", port, "-t", "5", NULL };
	struct proc_result r;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	/* A port that was free a moment ago: bound, never listened on, closed. */
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &sl), 0);
	snprintf(port, sizeof(port), "%u", ntohs(sa.sin_port));
	close(fd);

	run(tcp, 10000, &r);
	assert_int_equal(r.exit_code, 2);
	assert_non_null(strstr(r.out, "Connection refused"));
	proc_result_release(&r);
}

static void test_bad_args(void **state)
{
	const char *empty[] = { NULL };
	const char *ok[] = { "/bin/true", NULL };
	struct proc_result r;
	struct err e = { 0 };

	assert_int_equal(proc_run(NULL, 100, &r, &e), ERR_INVALID);
	assert_int_equal(proc_run((char *const *)empty, 100, &r, &e), ERR_INVALID);
	assert_int_equal(proc_run((char *const *)ok, 0, &r, &e), ERR_INVALID);
	assert_null(r.out);
}

/* A large input, read whole; a child that reads none of it; one that exits
 * at once: none raises SIGPIPE (the test does not ignore it here) and
 * each is reaped. */
static void test_stdin(void **state)
{
	const char *wc[] = { "/usr/bin/wc", "-c", NULL };
	const char *cat[] = { "/bin/cat", NULL };
	const char *deaf[] = { "/bin/sh", "-c", "exec 0<&-; sleep 0.2; echo done", NULL };
	const char *quick[] = { "/bin/true", NULL };
	size_t big = 1024 * 1024;
	char *in = malloc(big);
	struct proc_result r;
	struct err e = { 0 };
	void (*old)(int) = signal(SIGPIPE, SIG_DFL);

	assert_non_null(in);
	memset(in, 'x', big);
	assert_int_equal(proc_run_input((char *const *)wc, in, big, 5000, &r, &e), 0);
	assert_int_equal(r.exit_code, 0);
	assert_int_equal(atol(r.out), (long)big);
	proc_result_release(&r);

	assert_int_equal(proc_run_input((char *const *)cat, "To: a@b.c\n\nhi\n", 15, 5000, &r,
					&e),
			 0);
	assert_string_equal(r.out, "To: a@b.c\n\nhi\n");
	proc_result_release(&r);

	assert_int_equal(proc_run_input((char *const *)cat, "", 0, 5000, &r, &e), 0);
	assert_string_equal(r.out, "");
	proc_result_release(&r);

	assert_int_equal(proc_run_input((char *const *)deaf, in, big, 5000, &r, &e), 0);
	assert_int_equal(r.exit_code, 0);
	assert_string_equal(r.out, "done\n");
	proc_result_release(&r);

	for (int i = 0; i < 20; i++) {
		assert_int_equal(proc_run_input((char *const *)quick, in, big, 5000, &r, &e), 0);
		assert_int_equal(r.exit_code, 0);
		proc_result_release(&r);
	}
	signal(SIGPIPE, old);
	free(in);
}

static void expect_split(const char *line, const char *const *want)
{
	struct err e = { 0 };
	char **argv;
	size_t argc, n = 0;

	if (proc_split(line, 64, &argv, &argc, &e))
		fail_msg("'%s' refused: %s", line, e.msg);
	while (want[n])
		n++;
	assert_int_equal(argc, n);
	for (size_t i = 0; i < n; i++)
		if (strcmp(argv[i], want[i]))
			fail_msg("'%s': element %zu is '%s', expected '%s'", line, i, argv[i],
				 want[i]);
	assert_null(argv[n]);
	free(argv);
}

static void test_split(void **state)
{
	struct err e = { 0 };
	char **argv;
	size_t argc;

	expect_split("/usr/sbin/sendmail -i -t", (const char *[]){ "/usr/sbin/sendmail", "-i", "-t",
								 NULL });
	expect_split("  a\t b  ", (const char *[]){ "a", "b", NULL });
	expect_split("a \"b c\" d", (const char *[]){ "a", "b c", "d", NULL });
	expect_split("--label=\"a b\"x", (const char *[]){ "--label=a bx", NULL });
	expect_split("a \"\" b", (const char *[]){ "a", "", "b", NULL });
	expect_split("\"\"", (const char *[]){ "", NULL });
	/* nothing else is special: what a shell would act on is text */
	expect_split("sh -c 'id; rm' $HOME `id` $(id) a|b >f \\\" x\"",
		     (const char *[]){ "sh", "-c", "'id;", "rm'", "$HOME", "`id`", "$(id)", "a|b",
				       ">f", "\\ x", NULL });
	expect_split("x", (const char *[]){ "x", NULL });
	expect_split("a b c d e f", (const char *[]){ "a", "b", "c", "d", "e", "f", NULL });

	assert_int_equal(proc_split("", 8, &argv, &argc, &e), ERR_INVALID);
	assert_int_equal(proc_split("   \t ", 8, &argv, &argc, &e), ERR_INVALID);
	assert_int_equal(proc_split("a \"b", 8, &argv, &argc, &e), ERR_INVALID);
	assert_non_null(strstr(e.msg, "not closed"));
	assert_int_equal(proc_split("a\nb", 8, &argv, &argc, &e), ERR_INVALID);
	assert_non_null(strstr(e.msg, "control"));
	assert_int_equal(proc_split("a\rb", 8, &argv, &argc, &e), ERR_INVALID);
	assert_int_equal(proc_split("a\x7f", 8, &argv, &argc, &e), ERR_INVALID);
	assert_int_equal(proc_split("a b c", 2, &argv, &argc, &e), ERR_INVALID);
	assert_null(argv);
}

struct job {
	int code;
	struct proc_result r;
	int rc;
};

static void *worker(void *arg)
{
	struct job *j = arg;
	char code[8];
	char *argv[] = { PLUGINS "check_dummy", code, "parallel", NULL };

	snprintf(code, sizeof(code), "%d", j->code);
	for (int i = 0; i < 20 && !j->rc; i++) {
		proc_result_release(&j->r);
		j->rc = proc_run(argv, 5000, &j->r, NULL);
		if (!j->rc && j->r.exit_code != j->code)
			j->rc = -100;
	}
	return NULL;
}

static void test_threads(void **state)
{
	struct job jobs[8];
	pthread_t t[8];
	int before = count_fds();

	memset(jobs, 0, sizeof(jobs));
	for (int i = 0; i < 8; i++) {
		jobs[i].code = i % 4;
		assert_int_equal(pthread_create(&t[i], NULL, worker, &jobs[i]), 0);
	}
	for (int i = 0; i < 8; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(jobs[i].rc, 0);
		assert_int_equal(jobs[i].r.exit_code, i % 4);
		assert_non_null(strstr(jobs[i].r.out, "parallel"));
		proc_result_release(&jobs[i].r);
	}
	assert_int_equal(count_fds(), before); /* no descriptor leaked */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dummy),
		cmocka_unit_test(test_stderr_env_stdin_pgroup),
		cmocka_unit_test(test_path_lookup),
		cmocka_unit_test(test_timeout_sleep),
		cmocka_unit_test(test_timeout_ignores_term),
		cmocka_unit_test(test_flood_bounded),
		cmocka_unit_test(test_background_child_holding_pipe),
		cmocka_unit_test(test_not_found),
		cmocka_unit_test(test_check_tcp_refused),
		cmocka_unit_test(test_bad_args),
		cmocka_unit_test(test_threads),
		cmocka_unit_test(test_stdin),
		cmocka_unit_test(test_split),
	};

	/* The server ignores SIGPIPE; the children must not inherit that. */
	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
