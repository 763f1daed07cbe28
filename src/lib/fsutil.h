/*
 * fsutil.h — the steps that make a file durable and a replacement atomic:
 * fsync a file and the directory that names it, rename and copy with both,
 * and an advisory lock file (flock) that tells one process what another
 * holds.
 *
 * Invariants: a step that fails fills e with the path and the reason (a
 * missing path is ERR_NOT_FOUND; a path that exists where a new one is made,
 * and a lock another process holds, ERR_CONFLICT; a full disk ERR_FULL); a copy is written under the new name only once (O_EXCL),
 * so it never overwrites; fs_rename returns once the new name is on disk.
 */
#ifndef ITSM_FSUTIL_H
#define ITSM_FSUTIL_H

struct err;

/* 1 when path names something (a file, a directory), else 0. */
int fs_exists(const char *path);
/* 1 when a and b name the same file (device and inode), else 0. */
int fs_same(const char *a, const char *b);
/* fsync the file at path. */
int fs_sync(const char *path, struct err *e);
/* fsync the directory that holds path (so a new or renamed name survives). */
int fs_sync_dir_of(const char *path, struct err *e);
/* rename(from, to) — atomic replacement of to — then fsync to's directory. */
int fs_rename(const char *from, const char *to, struct err *e);
/* Copy from into a new file to (refused when to exists), fsynced. */
int fs_copy(const char *from, const char *to, struct err *e);
/* Remove path; a path that is not there is no error. */
int fs_remove(const char *path, struct err *e);
/* Take an advisory lock on the file path (created when missing): shared
 * (exclusive 0) or exclusive, never waiting; *fd holds it until
 * fs_unlock(*fd) or the process ends. ERR_CONFLICT when another holds a lock
 * that excludes this one. */
int fs_lock(const char *path, int exclusive, int *fd, struct err *e);
void fs_unlock(int fd);

#endif
