/*
 * fsutil.c — durable file steps (fsync of a file and of its directory,
 * rename, copy) and advisory lock files; see fsutil.h.
 *
 * Every descriptor is opened close-on-exec (the server runs plugins); a
 * short write is continued, an interrupted call retried; the lock is
 * flock(2), which is apart from the fcntl locks SQLite takes on the store.
 */
#include "lib/fsutil.h"
#include "lib/err.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

/* e filled for errnum ("cannot fsync 'PATH': input/output error"). */
static int sys_fail(struct err *e, int errnum, const char *what, const char *path)
{
	char buf[128];
	char *why = strerror_r(errnum, buf, sizeof(buf)); /* the GNU form */
	int code = errnum == ENOENT || errnum == ENOTDIR ? ERR_NOT_FOUND
		   : errnum == EEXIST			 ? ERR_CONFLICT
		   : errnum == ENOSPC			 ? ERR_FULL
							 : ERR_INTERNAL;

	err_set(e, code, NULL, "cannot %s '%.160s': %c%s", what, path,
		tolower((unsigned char)why[0]), why[0] ? why + 1 : "");
	return code;
}

int fs_exists(const char *path)
{
	struct stat s;

	return lstat(path, &s) == 0;
}

int fs_same(const char *a, const char *b)
{
	struct stat sa, sb;

	return !stat(a, &sa) && !stat(b, &sb) && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

static int sync_fd_path(const char *path, int flags, struct err *e)
{
	int fd = open(path, flags | O_CLOEXEC), rc = 0;

	if (fd < 0)
		return sys_fail(e, errno, "open", path);
	if (fsync(fd))
		rc = sys_fail(e, errno, "fsync", path);
	close(fd);
	return rc;
}

int fs_sync(const char *path, struct err *e)
{
	return sync_fd_path(path, O_RDONLY, e);
}

int fs_sync_dir_of(const char *path, struct err *e)
{
	char copy[4096];

	if (snprintf(copy, sizeof(copy), "%s", path) >= (int)sizeof(copy))
		return err_set(e, ERR_INVALID, NULL, "path too long: '%.160s'", path);
	return sync_fd_path(dirname(copy), O_RDONLY | O_DIRECTORY, e);
}

int fs_rename(const char *from, const char *to, struct err *e)
{
	if (rename(from, to))
		return sys_fail(e, errno, "rename", from);
	return fs_sync_dir_of(to, e);
}

int fs_copy(const char *from, const char *to, struct err *e)
{
	char buf[1 << 16];
	int in = open(from, O_RDONLY | O_CLOEXEC), out = -1, rc = 0;
	ssize_t n, w;

	if (in < 0)
		return sys_fail(e, errno, "open", from);
	if ((out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) < 0) {
		rc = sys_fail(e, errno, "create", to);
		goto out;
	}
	for (;;) {
		n = read(in, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = sys_fail(e, errno, "read", from);
			goto out;
		}
		if (!n)
			break;
		for (ssize_t off = 0; off < n; off += w) {
			w = write(out, buf + off, (size_t)(n - off));
			if (w < 0 && errno == EINTR) {
				w = 0;
				continue;
			}
			if (w < 0) {
				rc = sys_fail(e, errno, "write", to);
				goto out;
			}
		}
	}
	if (fsync(out))
		rc = sys_fail(e, errno, "fsync", to);
out:
	if (out >= 0 && close(out) && !rc)
		rc = sys_fail(e, errno, "close", to);
	close(in);
	if (rc && out >= 0)
		unlink(to);
	return rc ? rc : fs_sync_dir_of(to, e);
}

int fs_remove(const char *path, struct err *e)
{
	if (unlink(path) && errno != ENOENT)
		return sys_fail(e, errno, "remove", path);
	return 0;
}

int fs_lock(const char *path, int exclusive, int *fd, struct err *e)
{
	int f = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

	*fd = -1;
	if (f < 0)
		return sys_fail(e, errno, "open", path);
	while (flock(f, (exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB)) {
		int errnum = errno;

		if (errnum == EINTR)
			continue;
		close(f);
		if (errnum == EWOULDBLOCK)
			return err_set(e, ERR_CONFLICT, NULL, "'%.160s' is locked by another process",
				       path);
		return sys_fail(e, errnum, "lock", path);
	}
	*fd = f;
	return 0;
}

void fs_unlock(int fd)
{
	if (fd >= 0)
		close(fd); /* closing the descriptor releases the flock */
}
