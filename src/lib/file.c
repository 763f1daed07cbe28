/*
 * file.c — one reader of whole files for everything that loads a document
 * (a JSON body from the CLI, a CMDB import, a TZif zone).
 *
 * The cap holds whatever the file is: a regular file's size is checked before
 * reading, and a pipe or a device is read no further than one byte past the
 * cap. The file is opened close-on-exec, since the server runs plugins.
 */
#include "lib/file.h"
#include "lib/err.h"

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <sys/stat.h>

#define FILE_FIRST_CHUNK 65536

/* e filled for errnum ("cannot open 'PATH': no such file or directory"). */
static int sys_fail(struct err *e, int errnum, const char *what, const char *path)
{
	char buf[128];
	char *why = strerror_r(errnum, buf, sizeof(buf)); /* the GNU form */
	int code = errnum == ENOENT || errnum == ENOTDIR ? ERR_NOT_FOUND : ERR_INVALID;

	err_set(e, code, NULL, "cannot %s '%.160s': %c%s", what, path,
		tolower((unsigned char)why[0]), why[0] ? why + 1 : "");
	return code;
}

static int too_large(struct err *e, const char *path, size_t limit)
{
	return err_set(e, ERR_TOO_LARGE, NULL, "file '%.160s' is over the limit of %zu bytes", path,
		       limit);
}

int file_read(const char *path, size_t limit, char **out, size_t *len, struct err *e)
{
	int from_stdin = !strcmp(path, "-");
	FILE *f = from_stdin ? stdin : fopen(path, "rbe");
	struct stat st;
	char *d = NULL;
	size_t n = 0, cap = FILE_FIRST_CHUNK, r;
	int rc = 0;

	*out = NULL;
	if (len)
		*len = 0;
	if (!f)
		return sys_fail(e, errno, "open", path);
	if (!fstat(fileno(f), &st) && S_ISREG(st.st_mode)) {
		if ((uintmax_t)st.st_size > limit) {
			rc = too_large(e, path, limit);
			goto out;
		}
		cap = (size_t)st.st_size + 1; /* one more byte finds a file that grew */
	}
	/* Read until end of file, never more than one byte past the limit. */
	for (;;) {
		if (!d || n == cap) {
			char *m;

			if (d)
				cap = cap > SIZE_MAX / 4 ? SIZE_MAX / 2 : cap * 2;
			if (cap > limit + 1)
				cap = limit + 1;
			if (!(m = realloc(d, cap + 1))) {
				rc = err_set(e, ERR_INTERNAL, NULL, "out of memory reading '%.160s'",
					     path);
				goto out;
			}
			d = m;
		}
		r = fread(d + n, 1, cap - n, f);
		n += r;
		if (n > limit) {
			rc = too_large(e, path, limit);
			goto out;
		}
		if (!r)
			break;
	}
	if (ferror(f)) {
		rc = sys_fail(e, errno, "read", path);
		goto out;
	}
	d[n] = '\0';
	*out = d;
	if (len)
		*len = n;
	d = NULL;
out:
	free(d);
	if (!from_stdin)
		fclose(f);
	return rc;
}
