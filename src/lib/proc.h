/*
 * proc.h — run one external program (a check plugin, the mail command) to
 * completion under a wall-clock timeout, feeding it bounded input and
 * capturing bounded stdout and stderr; and split a configured command line
 * into its argument vector.
 *
 * Invariants:
 *  - no shell, ever: argv is executed as given (argv[0] without '/' is
 *    looked up in PATH); a command line from the configuration becomes argv
 *    by proc_split's few rules, never by /bin/sh; the child gets its own
 *    process group, stdin from /dev/null (or the bytes the caller gives),
 *    and only LC_ALL=C, LC_NUMERIC=C and PATH in its environment;
 *  - at most PROC_STDOUT_MAX / PROC_STDERR_MAX bytes are kept; the rest is
 *    read and discarded so the child never blocks on a full pipe;
 *  - on timeout the whole group gets SIGTERM, then SIGKILL after
 *    PROC_KILL_GRACE_MS; proc_run never returns before the child is reaped;
 *  - thread-safe: no signal handlers, no global state, every descriptor is
 *    O_CLOEXEC, waitpid names the one child.
 */
#ifndef ITSM_PROC_H
#define ITSM_PROC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/err.h"

#define PROC_STDOUT_MAX (64u * 1024)
#define PROC_STDERR_MAX (16u * 1024)
#define PROC_KILL_GRACE_MS 1000

struct proc_result {
	int exit_code;     /* the exit status; -1 when ended by a signal; 127 when
			    * argv[0] was not found, 126 when it could not be run */
	int signal;        /* the signal that ended it, else 0 */
	bool timed_out;    /* the timeout passed before it exited (it was killed) */
	int64_t duration_ms; /* start to exit, monotonic */
	char *out;         /* owned, NUL-terminated stdout (≤ PROC_STDOUT_MAX) */
	size_t out_len;
	bool out_truncated;
	char *errout;      /* owned, NUL-terminated stderr (≤ PROC_STDERR_MAX); for
			    * a program that could not be started, why */
	size_t errout_len;
	bool errout_truncated;
};

/*
 * Run argv (NULL-terminated, argv[0] non-NULL) with a timeout of timeout_ms
 * (> 0). Returns 0 with *r filled, including when the program could not be
 * found or run (exit_code 127/126, the reason in errout), failed or timed
 * out; the caller frees *r with proc_result_release. Returns ERR_INVALID for
 * bad arguments and ERR_INTERNAL when the system refuses (no pipes, no
 * processes left); then *r holds nothing.
 */
int proc_run(char *const argv[], int timeout_ms, struct proc_result *r, struct err *e);
/* The same, with in[0..in_len) on the program's standard input (then end of
 * file). A program that exits or closes its input before reading it all is
 * not an error: what it did is in *r. */
int proc_run_input(char *const argv[], const char *in, size_t in_len, int timeout_ms,
		   struct proc_result *r, struct err *e);
void proc_result_release(struct proc_result *r);

/*
 * Split a command line from the configuration into an argument vector, as
 * a person reads it and never as a shell would:
 *  - elements are separated by spaces and tabs;
 *  - a double-quoted part ("a b") keeps its spaces and tabs, and may stand
 *    inside an element (--label="a b" is the one element --label=a b);
 *    "" alone is an empty element;
 *  - nothing else is special: no backslash escapes, single quotes, $
 *    variables, globs, ~, ;, |, > or backquotes (each is an ordinary
 *    character of its element); a literal double quote cannot be written.
 * An unterminated quote, a control character (other than tab), no element
 * at all or more than max elements is ERR_INVALID. On success *argv is
 * NULL-terminated and *argc counts its elements; the vector and its strings
 * are one allocation the caller frees with free().
 */
int proc_split(const char *line, size_t max, char ***argv, size_t *argc, struct err *e);

#endif
