/*
 * proc.c — the runner of external programs (check plugins, the mail
 * command): posix_spawn, two pipes and an input socket, one poll loop; and
 * the splitter of configured command lines (proc_split), which is what
 * stands where a shell used to.
 *
 * The idea: the calling thread owns everything about its child. It spawns
 * the program into a new process group with every descriptor O_CLOEXEC (and,
 * where glibc allows, all descriptors above 2 closed in the child), then
 * loops on poll() over the stdout pipe, the stderr pipe, the input it still
 * has to write and a pidfd for the child (falling back to 10 ms
 * waitpid(WNOHANG) slices where pidfds do not exist). No signal handlers and
 * no SIGCHLD: waitpid names the one pid, so several threads may run programs
 * at once. The process must not set SIGCHLD to SIG_IGN (children would
 * vanish before waitpid). Input goes through a socketpair rather than a pipe
 * so that send(MSG_NOSIGNAL) can write it: a child that stops reading never
 * raises SIGPIPE in a process (the CLI) that has not ignored it.
 *
 * Invariants: the child is reaped before proc_run returns; the process group
 * is signalled only while it is known to exist (the child not yet reaped, or
 * members still holding our pipes); output beyond the caps is drained, not
 * kept; input is written only while poll says it will not block; duration is
 * measured on the monotonic clock.
 */
#include "lib/proc.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lib/buf.h"

#define DEFAULT_PATH "/usr/local/bin:/usr/bin:/bin:/usr/local/sbin:/usr/sbin:/sbin"
#define SLICE_MS 10

struct sink {
	int fd;
	struct buf b;
	size_t cap;
	bool truncated;
};

static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A pipe whose both ends are O_CLOEXEC and above 2, so that file actions
 * on 0..2 in the child never clobber them (a daemon may run with 0..2 closed). */
static int above_stdio(int fds[2])
{
	for (int i = 0; i < 2; i++) {
		if (fds[i] > 2)
			continue;
		int nfd = fcntl(fds[i], F_DUPFD_CLOEXEC, 3);

		close(fds[i]);
		fds[i] = nfd;
	}
	if (fds[0] < 0 || fds[1] < 0) {
		if (fds[0] >= 0)
			close(fds[0]);
		if (fds[1] >= 0)
			close(fds[1]);
		return -1;
	}
	return 0;
}

static int pipe_cloexec(int fds[2])
{
	if (pipe2(fds, O_CLOEXEC))
		return -1;
	return above_stdio(fds);
}

/* The child's standard input: fds[0] becomes its fd 0 (read only: its
 * writing half is shut down), fds[1] is ours, non-blocking. */
static int input_socket(int fds[2])
{
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds))
		return -1;
	if (above_stdio(fds))
		return -1;
	shutdown(fds[0], SHUT_WR);
	return fcntl(fds[1], F_SETFL, fcntl(fds[1], F_GETFL) | O_NONBLOCK) < 0 ? -1 : 0;
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* One read from s->fd (poll said it would not block); EOF or error closes. */
static int sink_read(struct sink *s)
{
	char tmp[16384];
	ssize_t n;
	size_t keep;

	do
		n = read(s->fd, tmp, sizeof(tmp));
	while (n < 0 && errno == EINTR);
	if (n <= 0) {
		close_fd(&s->fd);
		return 0;
	}
	keep = s->cap - s->b.len;
	if ((size_t)n > keep)
		s->truncated = true;
	else
		keep = (size_t)n;
	return keep ? buf_append(&s->b, tmp, keep) : 0;
}

/* Reap pid without blocking; 1 when reaped (status filled), else 0. */
static int try_reap(pid_t pid, int *status)
{
	pid_t w;

	do
		w = waitpid(pid, status, WNOHANG);
	while (w < 0 && errno == EINTR);
	if (w == pid)
		return 1;
	if (w < 0) { /* ECHILD: reaped behind our back (SIGCHLD ignored) */
		*status = -1;
		return 1;
	}
	return 0;
}

/* The result for a program that could not be started at all. */
static int not_started(struct proc_result *r, const char *path, int err, struct err *e)
{
	struct buf msg = BUF_INIT;

	r->exit_code = err == ENOENT || err == ENOTDIR ? 127 : 126;
	if (buf_printf(&msg, "cannot run '%s': %s", path, strerror(err)))
		goto oom;
	r->errout = buf_detach(&msg, &r->errout_len);
	r->out = calloc(1, 1);
	if (!r->errout || !r->out)
		goto oom;
	return 0;
oom:
	buf_release(&msg);
	proc_result_release(r);
	return err_set(e, ERR_INTERNAL, NULL, "out of memory running '%s'", path);
}

/* Write what poll says fits; closes the socket when all is written or the
 * child will take no more (EPIPE: it closed its input or exited). */
static void source_write(int *fd, const char **p, size_t *left)
{
	ssize_t n = send(*fd, *p, *left > 65536 ? 65536 : *left, MSG_NOSIGNAL | MSG_DONTWAIT);

	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
		return;
	if (n > 0) {
		*p += n;
		*left -= (size_t)n;
	}
	if (n <= 0 || !*left)
		close_fd(fd);
}

static int spawn(char *const argv[], int in_r, int out_w, int err_w, pid_t *pid)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	struct buf path = BUF_INIT;
	const char *p = getenv("PATH");
	sigset_t none, all;
	int rc;

	if (buf_printf(&path, "PATH=%s", p && *p ? p : DEFAULT_PATH))
		return ENOMEM;
	char *envp[] = { "LC_ALL=C", "LC_NUMERIC=C", path.data, NULL };

	sigemptyset(&none);
	sigfillset(&all);
	posix_spawn_file_actions_init(&fa);
	posix_spawnattr_init(&at);
	if (in_r >= 0)
		rc = posix_spawn_file_actions_adddup2(&fa, in_r, 0);
	else
		rc = posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	if (!rc)
		rc = posix_spawn_file_actions_adddup2(&fa, out_w, 1);
	if (!rc)
		rc = posix_spawn_file_actions_adddup2(&fa, err_w, 2);
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 34))
	if (!rc)
		rc = posix_spawn_file_actions_addclosefrom_np(&fa, 3);
#endif
	if (!rc)
		rc = posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK |
						       POSIX_SPAWN_SETSIGDEF);
	if (!rc)
		rc = posix_spawnattr_setpgroup(&at, 0);
	if (!rc)
		rc = posix_spawnattr_setsigmask(&at, &none);
	if (!rc)
		rc = posix_spawnattr_setsigdefault(&at, &all);
	if (!rc)
		rc = posix_spawnp(pid, argv[0], &fa, &at, argv, envp);
	posix_spawnattr_destroy(&at);
	posix_spawn_file_actions_destroy(&fa);
	buf_release(&path);
	return rc;
}

int proc_run(char *const argv[], int timeout_ms, struct proc_result *r, struct err *e)
{
	return proc_run_input(argv, NULL, 0, timeout_ms, r, e);
}

int proc_run_input(char *const argv[], const char *in, size_t in_len, int timeout_ms,
		   struct proc_result *r, struct err *e)
{
	struct sink s[2] = { { -1, BUF_INIT, PROC_STDOUT_MAX, false },
			     { -1, BUF_INIT, PROC_STDERR_MAX, false } };
	int out_p[2] = { -1, -1 }, err_p[2] = { -1, -1 }, in_p[2] = { -1, -1 }, pidfd = -1;
	int status = 0, rc;
	int64_t start, now, deadline, kill_at = 0, limit, end = 0, wait_ms;
	bool reaped = false, killed = false;
	struct pollfd pfd[4];
	nfds_t np;
	pid_t pid;

	memset(r, 0, sizeof(*r));
	if (!argv || !argv[0] || !argv[0][0])
		return err_set(e, ERR_INVALID, "command", "empty command");
	if (timeout_ms <= 0)
		return err_set(e, ERR_INVALID, "timeout", "timeout must be positive");
	buf_init(&s[0].b, PROC_STDOUT_MAX + 1);
	buf_init(&s[1].b, PROC_STDERR_MAX + 1);
	if (pipe_cloexec(out_p) || pipe_cloexec(err_p) || (in && input_socket(in_p))) {
		rc = err_set(e, ERR_INTERNAL, NULL, "cannot create pipes: %s", strerror(errno));
		goto out;
	}
	start = mono_ms();
	rc = spawn(argv, in_p[0], out_p[1], err_p[1], &pid);
	close_fd(&out_p[1]);
	close_fd(&err_p[1]);
	close_fd(&in_p[0]);
	if (!in_len)
		close_fd(&in_p[1]); /* nothing to say: the child reads end of file */
	if (rc == ENOENT || rc == ENOTDIR || rc == EACCES || rc == ENOEXEC || rc == EPERM ||
	    rc == EISDIR || rc == ELOOP || rc == ENAMETOOLONG) {
		rc = not_started(r, argv[0], rc, e);
		goto out;
	}
	if (rc) {
		rc = err_set(e, ERR_INTERNAL, NULL, "cannot run '%s': %s", argv[0], strerror(rc));
		goto out;
	}
	s[0].fd = out_p[0];
	s[1].fd = err_p[0];
	out_p[0] = err_p[0] = -1;
	pidfd = (int)syscall(SYS_pidfd_open, pid, 0); /* O_CLOEXEC by nature */
	deadline = start + timeout_ms;

	for (;;) {
		now = mono_ms();
		if (!reaped && try_reap(pid, &status)) {
			reaped = true;
			end = now;
			close_fd(&pidfd);
		}
		if (reaped && s[0].fd < 0 && s[1].fd < 0)
			break;
		if (!reaped) {
			if (!r->timed_out && now >= deadline) {
				kill(-pid, SIGTERM);
				r->timed_out = true;
				kill_at = now + PROC_KILL_GRACE_MS;
			} else if (r->timed_out && !killed && now >= kill_at) {
				kill(-pid, SIGKILL);
				killed = true;
			}
			limit = !r->timed_out ? deadline : killed ? now + SLICE_MS : kill_at;
		} else {
			/* Exited, but something in its group still holds a pipe. */
			limit = r->timed_out ? kill_at : deadline;
			if (now >= limit) {
				kill(-pid, SIGKILL);
				close_fd(&s[0].fd);
				close_fd(&s[1].fd);
				break;
			}
		}
		wait_ms = limit > now ? limit - now : 0;
		if (!reaped && (pidfd < 0 || killed) && wait_ms > SLICE_MS)
			wait_ms = SLICE_MS;
		np = 0;
		for (int i = 0; i < 2; i++)
			if (s[i].fd >= 0)
				pfd[np++] = (struct pollfd){ .fd = s[i].fd, .events = POLLIN };
		if (in_p[1] >= 0)
			pfd[np++] = (struct pollfd){ .fd = in_p[1], .events = POLLOUT };
		if (!reaped && pidfd >= 0)
			pfd[np++] = (struct pollfd){ .fd = pidfd, .events = POLLIN };
		if (poll(pfd, np, (int)wait_ms) < 0 && errno != EINTR) {
			rc = err_set(e, ERR_INTERNAL, NULL, "poll failed: %s", strerror(errno));
			kill(-pid, SIGKILL);
			goto reap;
		}
		for (nfds_t k = 0; k < np; k++) {
			if (!(pfd[k].revents & (POLLIN | POLLOUT | POLLHUP | POLLERR | POLLNVAL)))
				continue;
			if (pfd[k].fd == in_p[1]) {
				source_write(&in_p[1], &in, &in_len);
				continue;
			}
			for (int i = 0; i < 2; i++) {
				if (s[i].fd != pfd[k].fd || s[i].fd < 0)
					continue;
				if (sink_read(&s[i])) {
					rc = err_set(e, ERR_INTERNAL, NULL, "out of memory");
					kill(-pid, SIGKILL);
					goto reap;
				}
			}
		}
	}

	r->duration_ms = end - start;
	if (status != -1 && WIFEXITED(status)) {
		r->exit_code = WEXITSTATUS(status);
	} else {
		r->exit_code = -1;
		r->signal = status != -1 && WIFSIGNALED(status) ? WTERMSIG(status) : 0;
	}
	r->out_truncated = s[0].truncated;
	r->errout_truncated = s[1].truncated;
	r->out = buf_detach(&s[0].b, &r->out_len);
	r->errout = buf_detach(&s[1].b, &r->errout_len);
	if (!r->out || !r->errout) {
		proc_result_release(r);
		rc = err_set(e, ERR_INTERNAL, NULL, "out of memory");
	}
	goto out;
reap:
	if (!reaped)
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
	memset(r, 0, sizeof(*r));
out:
	close_fd(&pidfd);
	close_fd(&out_p[0]);
	close_fd(&out_p[1]);
	close_fd(&err_p[0]);
	close_fd(&err_p[1]);
	close_fd(&in_p[0]);
	close_fd(&in_p[1]);
	for (int i = 0; i < 2; i++) {
		close_fd(&s[i].fd);
		buf_release(&s[i].b);
	}
	return rc;
}

void proc_result_release(struct proc_result *r)
{
	free(r->out);
	free(r->errout);
	memset(r, 0, sizeof(*r));
}

int proc_split(const char *line, size_t max, char ***argv, size_t *argc, struct err *e)
{
	size_t len = strlen(line), n = 0, slots = len / 2 + 2;
	const char *p = line;
	char **v, *out;

	*argv = NULL;
	*argc = 0;
	for (const char *c = line; *c; c++)
		if ((unsigned char)*c < 0x20 ? *c != '\t' : *c == 0x7f)
			return err_set(e, ERR_INVALID, NULL,
				       "control character 0x%02x in the command line",
				       (unsigned char)*c);
	/* At most len/2 + 1 elements ("a b c"), and no element is longer than
	 * its source: one block holds the vector and the strings. */
	v = malloc(slots * sizeof(*v) + len + slots);
	if (!v)
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	out = (char *)(v + slots);
	for (;;) {
		int quoted = 0;

		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		if (n == max) {
			free(v);
			return err_set(e, ERR_INVALID, NULL, "more than %zu elements", max);
		}
		v[n++] = out;
		for (; *p && (quoted || (*p != ' ' && *p != '\t')); p++) {
			if (*p == '"') {
				quoted = !quoted;
				continue;
			}
			*out++ = *p;
		}
		if (quoted) {
			free(v);
			return err_set(e, ERR_INVALID, NULL, "a double quote is not closed");
		}
		*out++ = '\0';
	}
	if (!n) {
		free(v);
		return err_set(e, ERR_INVALID, NULL, "empty command line");
	}
	v[n] = NULL;
	*argv = v;
	*argc = n;
	return 0;
}
