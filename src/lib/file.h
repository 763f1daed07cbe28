/*
 * file.h — reading a whole file into memory, with a size cap.
 *
 * Invariants: on success the bytes are malloc'd, NUL-terminated (the NUL not
 * counted in the length) and never more than the cap; on failure nothing is
 * handed out and the error's message names the path.
 */
#ifndef ITSM_FILE_H
#define ITSM_FILE_H

#include <stddef.h>

struct err;

/* Read the file at path ("-": standard input) into *out, its length into
 * *len (len may be NULL); the caller frees *out with free(). A file of more
 * than limit bytes is refused. Returns 0, or with *out NULL and e filled:
 * ERR_NOT_FOUND (no such file), ERR_TOO_LARGE (over the limit), ERR_INVALID
 * (cannot be opened or read, e.g. a directory), ERR_INTERNAL (out of memory). */
int file_read(const char *path, size_t limit, char **out, size_t *len, struct err *e);

#endif
