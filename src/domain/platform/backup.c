/*
 * backup.c — `itsm backup`, `itsm restore`, POST /api/v1/admin/backup and
 * the server's scheduled backups.
 *
 * A backup is the store's one-snapshot copy (store_ops.backup: in SQLite
 * one backup step in one read transaction, so writers are never paused)
 * into FILE.tmp, then checked as a store of its own — the backend's
 * integrity check and `audit verify`, which holds every stored row against
 * the chain — fsynced, and renamed to FILE. A restore copies the backup
 * beside the store, checks the copy the same way (migrating it when it is
 * older), folds the old store's WAL into it by opening and closing it, links
 * it to STORE.before-restore-<time> and renames the copy over STORE.
 *
 * Invariants: FILE is never a partial or unverified copy; the store is
 * replaced by one rename, never while a server holds STORE.lock; a failed
 * step removes what it wrote and leaves the store as it was.
 */
#include "domain/platform/backup.h"
#include "domain/platform/audit.h"
#include "lib/fsutil.h"
#include "lib/log.h"
#include "lib/ticker.h"
#include "lib/timeutil.h"
#include "store/store.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct backup_config backup_cfg;

/* A server's backup is named itsm-YYYYMMDDTHHMMSSZ-NN.db: NN counts the
 * backups of one second, so names sort by time. */
#define NAME_PREFIX "itsm-"
#define NAME_SUFFIX ".db"
#define NAME_LEN (sizeof(NAME_PREFIX) - 1 + 16 + 3 + sizeof(NAME_SUFFIX) - 1)
#define NAME_PER_SECOND 100

static void stamp(int64_t t, char out[17])
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(out, 17, "%Y%m%dT%H%M%SZ", &tm);
}

static int join(char *out, size_t n, struct err *e, const char *a, const char *b)
{
	if ((size_t)snprintf(out, n, "%s%s", a, b) >= n)
		return err_set(e, ERR_INVALID, NULL, "path too long: '%.160s'", a);
	return 0;
}

/* Remove path and the files SQLite keeps beside it. */
static void remove_store_files(const char *path)
{
	static const char *const sfx[] = { "", "-wal", "-shm", "-journal" };
	char p[1100];

	for (size_t i = 0; i < sizeof(sfx) / sizeof(sfx[0]); i++)
		if (!join(p, sizeof(p), NULL, path, sfx[i]))
			fs_remove(p, NULL);
}

/* Open the store at path (migrating it when older) and check it whole:
 * the backend's integrity check, the audit chain and every row it holds;
 * r gets the ticket count and the chain's head. */
static int verify_store(const char *path, const char *name, struct backup_result *r,
			struct err *e)
{
	struct audit_result res = { 0 };
	int64_t counts[ST__COUNT] = { 0 };
	struct err sub = { 0 };
	struct store *st;
	int rc;

	if (!(st = store_open(path, 0, &sub)))
		return err_set(e, sub.code ? sub.code : ERR_INTERNAL, NULL,
			       "'%.160s' is not a store that opens: %.80s", name, sub.msg);
	if ((rc = st->ops->check(st, e)) || (rc = audit_verify(st, &res, e)) ||
	    (rc = st->ops->ticket_count_by_status(st, counts, e)))
		goto out;
	if (!res.ok) {
		rc = err_set(e, ERR_INVALID, NULL,
			     "audit verify of '%.160s' failed at record %lld: %.60s", name,
			     (long long)res.first_bad, res.reason);
		goto out;
	}
	r->tickets = 0;
	for (int i = 0; i < ST__COUNT; i++)
		r->tickets += counts[i];
	r->audit_records = res.records;
	snprintf(r->head, sizeof(r->head), "%s", res.head);
out:
	store_close(st);
	return rc;
}

/* Backups and restores copy a store file; a PostgreSQL store has its own. */
static int not_a_file(struct err *e)
{
	return err_set(e, ERR_INVALID, NULL,
		       "a PostgreSQL store is backed up and restored with PostgreSQL's tools "
		       "(pg_dump, pg_basebackup), or copied with itsm migrate; see "
		       "docs/postgresql.md");
}

int backup_migrate(const char *from, const char *to, store_copy_fn progress, void *ctx,
		   struct backup_result *r, struct err *e)
{
	struct store_schema schema;
	struct store *src = NULL, *dst = NULL;
	double t0 = clock_mono();
	int rc;

	memset(r, 0, sizeof(*r));
	if (!strcmp(from, to) || (fs_exists(from) && fs_exists(to) && fs_same(from, to)))
		return err_set(e, ERR_INVALID, NULL, "a store is not copied into itself");
	/* Opening a store creates it: a source that is not there is refused. */
	if ((rc = store_schema_read(from, &schema, e)))
		return rc == ERR_NOT_FOUND ? err_set(e, rc, NULL, "no store at '%.160s'", from)
					   : rc;
	if (!(src = store_open(from, 0, e)) || !(dst = store_open(to, 0, e))) {
		rc = e->code ? e->code : ERR_INTERNAL;
		goto out;
	}
	rc = src->ops->copy(src, dst, progress, ctx, e);
	r->copy_seconds = clock_mono() - t0;
	store_close(dst);
	dst = NULL;
	t0 = clock_mono();
	if (!rc && !(rc = verify_store(to, to, r, e))) {
		r->verify_seconds = clock_mono() - t0;
		snprintf(r->file, sizeof(r->file), "%s", to);
	}
out:
	store_close(dst);
	store_close(src);
	return rc;
}

int backup_write(struct store *st, const char *path, int force, struct backup_result *r,
		 struct err *e)
{
	char tmp[1100];
	struct stat sb;
	double t0;
	int rc;

	memset(r, 0, sizeof(*r));
	if (!store_is_file(st->uri))
		return not_a_file(e);
	if (!*path)
		return err_set(e, ERR_INVALID, NULL, "a backup needs a file name");
	if (fs_exists(path) && fs_same(path, st->uri))
		return err_set(e, ERR_INVALID, NULL, "'%.160s' is the store itself", path);
	if (fs_exists(path) && !force)
		return err_set(e, ERR_CONFLICT, NULL, "'%.160s' exists (--force replaces it)",
			       path);
	if ((rc = join(tmp, sizeof(tmp), e, path, ".tmp")))
		return rc;
	remove_store_files(tmp); /* what a backup that died left */
	t0 = clock_mono();
	if ((rc = st->ops->backup(st, tmp, e)))
		goto fail;
	r->copy_seconds = clock_mono() - t0;
	t0 = clock_mono();
	if ((rc = verify_store(tmp, path, r, e)))
		goto fail;
	r->verify_seconds = clock_mono() - t0;
	if ((rc = fs_sync(tmp, e)) || (rc = fs_rename(tmp, path, e)))
		goto fail;
	snprintf(r->file, sizeof(r->file), "%s", path);
	r->bytes = stat(path, &sb) ? 0 : (int64_t)sb.st_size;
	return 0;
fail:
	remove_store_files(tmp);
	return rc;
}

int backup_hold_store(const char *store_path, int *fd, struct err *e)
{
	char lock[1100];
	struct err sub = { 0 };
	int rc;

	*fd = -1;
	if ((rc = join(lock, sizeof(lock), e, store_path, ".lock")))
		return rc;
	if ((rc = fs_lock(lock, 0, fd, &sub)) == ERR_CONFLICT)
		return err_set(e, rc, NULL, "the store '%.160s' is being restored", store_path);
	return rc ? err_set(e, rc, NULL, "%s", sub.msg) : 0;
}

void backup_release_store(int fd)
{
	fs_unlock(fd);
}

int backup_restore(const char *store_path, const char *path, struct backup_result *r,
		   struct err *e)
{
	char lock[1100], tmp[1100], wal[1100], when[17];
	struct err sub = { 0 };
	struct store *old;
	double t0 = clock_mono();
	int fd = -1, rc;

	memset(r, 0, sizeof(*r));
	if (!store_is_file(store_path))
		return not_a_file(e);
	if ((rc = join(lock, sizeof(lock), e, store_path, ".lock")) ||
	    (rc = join(tmp, sizeof(tmp), e, store_path, ".restore-tmp")) ||
	    (rc = join(wal, sizeof(wal), e, path, "-wal")))
		return rc;
	if (!fs_exists(path))
		return err_set(e, ERR_NOT_FOUND, NULL, "no backup '%.160s'", path);
	if (fs_exists(wal))
		return err_set(e, ERR_INVALID, NULL,
			       "'%.160s' has a write-ahead log beside it: not a closed backup "
			       "(itsm backup writes closed ones)", path);
	if (fs_exists(store_path) && fs_same(path, store_path))
		return err_set(e, ERR_INVALID, NULL, "'%.160s' is the store itself", path);
	if ((rc = fs_lock(lock, 1, &fd, &sub)) == ERR_CONFLICT)
		return err_set(e, rc, NULL,
			       "a server holds the store '%.160s' (stop it before a restore)",
			       store_path);
	if (rc)
		return err_set(e, rc, NULL, "%s", sub.msg);
	remove_store_files(tmp);
	if ((rc = fs_copy(path, tmp, e)) || (rc = verify_store(tmp, path, r, e)) ||
	    (rc = fs_sync(tmp, e)))
		goto fail;
	if (fs_exists(store_path)) {
		/* Opening and closing the old store folds its WAL into the file,
		 * so the one file kept holds all of it. */
		if (!(old = store_open(store_path, 0, e))) {
			rc = e->code ? e->code : ERR_INTERNAL;
			goto fail;
		}
		store_close(old);
		if ((rc = join(wal, sizeof(wal), e, store_path, "-wal")))
			goto fail;
		if (fs_exists(wal)) {
			rc = err_set(e, ERR_CONFLICT, NULL,
				     "another process has the store '%.160s' open", store_path);
			goto fail;
		}
		stamp(clock_now(), when);
		if ((size_t)snprintf(r->kept, sizeof(r->kept), "%s.before-restore-%s", store_path,
				     when) >= sizeof(r->kept)) {
			rc = err_set(e, ERR_INVALID, NULL, "path too long: '%.160s'", store_path);
			goto fail;
		}
		if (link(store_path, r->kept)) {
			rc = err_set(e, ERR_CONFLICT, NULL, "cannot keep the store as '%.160s': %s",
				     r->kept, strerror(errno));
			r->kept[0] = '\0';
			goto fail;
		}
	}
	if ((rc = fs_rename(tmp, store_path, e)))
		goto fail;
	snprintf(r->file, sizeof(r->file), "%s", store_path);
	r->verify_seconds = clock_mono() - t0;
	fs_unlock(fd);
	return 0;
fail:
	if (r->kept[0])
		unlink(r->kept); /* the store itself is still in place */
	r->kept[0] = '\0';
	remove_store_files(tmp);
	fs_unlock(fd);
	return rc;
}

json_t *backup_result_json(const struct backup_result *r)
{
	json_t *o = json_pack("{s:s, s:I, s:I, s:s, s:I, s:I, s:I}", "file", r->file, "tickets",
			      (json_int_t)r->tickets, "audit_records", (json_int_t)r->audit_records,
			      "audit_head", r->head, "bytes", (json_int_t)r->bytes, "copy_ms",
			      (json_int_t)(r->copy_seconds * 1000 + 0.5), "verify_ms",
			      (json_int_t)(r->verify_seconds * 1000 + 0.5));

	if (o && r->kept[0])
		json_object_set_new(o, "kept", json_string(r->kept));
	return o;
}

/* ---- the server's backups ---- */

int backup_interval_parse(const char *text, int64_t *seconds, struct err *e)
{
	static const struct {
		char unit;
		int64_t seconds;
	} units[] = { { 's', 1 }, { 'm', 60 }, { 'h', 3600 }, { 'd', 86400 } };
	char *end;
	long long v;

	errno = 0;
	v = strtoll(text, &end, 10);
	if (end == text || v < 0 || errno || !isdigit((unsigned char)text[0]))
		goto bad;
	if (!*end) {
		*seconds = v;
		return 0;
	}
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (end[0] == units[i].unit && !end[1] && v <= INT32_MAX) {
			*seconds = v * units[i].seconds;
			return 0;
		}
bad:
	return err_set(e, ERR_INVALID, "backup.interval",
		       "cannot read backup.interval '%.60s' (want e.g. 24h, 30m, 2s, 7d)", text);
}

static int is_backup_name(const char *n)
{
	size_t len = strlen(n);

	return len == NAME_LEN && !strncmp(n, NAME_PREFIX, sizeof(NAME_PREFIX) - 1) &&
	       !strcmp(n + len - (sizeof(NAME_SUFFIX) - 1), NAME_SUFFIX);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Remove the oldest backups of dir beyond keep (0: keep all). */
static int prune(const char *dir, long keep, struct err *e)
{
	char **names = NULL, **grown, path[1100];
	size_t n = 0, cap = 0;
	struct dirent *d;
	DIR *dh;
	int rc = 0;

	if (keep <= 0)
		return 0;
	if (!(dh = opendir(dir)))
		return err_set(e, ERR_INTERNAL, NULL, "cannot read backup directory '%.160s': %s",
			       dir, strerror(errno));
	while ((d = readdir(dh))) {
		if (!is_backup_name(d->d_name))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			if (!(grown = realloc(names, cap * sizeof(*names)))) {
				rc = err_set(e, ERR_INTERNAL, NULL, "out of memory");
				goto out;
			}
			names = grown;
		}
		if (!(names[n] = strdup(d->d_name))) {
			rc = err_set(e, ERR_INTERNAL, NULL, "out of memory");
			goto out;
		}
		n++;
	}
	qsort(names, n, sizeof(*names), by_name);
	for (size_t i = 0; i + (size_t)keep < n && !rc; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if (!(rc = fs_remove(path, e)))
			log_info("msg=\"backup removed\" file=%s keep=%ld", LOG_STR(path), keep);
	}
out:
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	closedir(dh);
	return rc;
}

int backup_to_directory(struct store *st, struct backup_result *r, struct err *e)
{
	char when[17], path[1100];
	int rc;

	if (!backup_cfg.directory[0])
		return err_set(e, ERR_CONFLICT, NULL,
			       "the server has no backup directory (set backup.directory)");
	stamp(clock_now(), when);
	for (int i = 0;; i++) {
		if (i == NAME_PER_SECOND)
			return err_set(e, ERR_BUSY, NULL, "too many backups in one second");
		if ((size_t)snprintf(path, sizeof(path), "%s/" NAME_PREFIX "%s-%02d" NAME_SUFFIX,
				     backup_cfg.directory, when, i) >= sizeof(path))
			return err_set(e, ERR_INVALID, NULL, "path too long: '%.160s'",
				       backup_cfg.directory);
		if (!fs_exists(path))
			break;
	}
	if ((rc = backup_write(st, path, 0, r, e)))
		return rc;
	log_info("msg=\"backup\" file=%s tickets=%lld audit_records=%lld head=%s bytes=%lld "
		 "copy_ms=%.0f verify_ms=%.0f",
		 LOG_STR(path), (long long)r->tickets, (long long)r->audit_records, r->head,
		 (long long)r->bytes, r->copy_seconds * 1000, r->verify_seconds * 1000);
	return prune(backup_cfg.directory, backup_cfg.keep, e);
}

int backup_now_json(struct store *st, const struct actor *a, json_t **out, struct err *e)
{
	struct backup_result r;
	int rc;

	if (a->role != ROLE_ADMIN && a->role != ROLE_SYSTEM)
		return err_set(e, ERR_FORBIDDEN, NULL, "only admins take backups");
	if ((rc = backup_to_directory(st, &r, e)))
		return rc;
	if (!(*out = backup_result_json(&r)))
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	return 0;
}

struct backup_scheduler {
	struct store *st;
	struct ticker *ticker;
};

static void backup_tick(void *ctx)
{
	struct backup_scheduler *s = ctx;
	struct backup_result r;
	struct err e = { 0 };

	if (backup_to_directory(s->st, &r, &e))
		log_error("msg=\"backup failed\" dir=%s err=%s next_in_s=%lld",
			  LOG_STR(backup_cfg.directory), LOG_STR(e.msg),
			  (long long)backup_cfg.interval);
}

/* Remove what a backup cut short left in dir (the server was killed while
 * it ran): itsm-…-NN.db.tmp and SQLite's files beside it. */
static void remove_leftovers(const char *dir)
{
	char name[NAME_LEN + 1], path[1100];
	struct dirent *d;
	DIR *dh = opendir(dir);

	if (!dh)
		return;
	while ((d = readdir(dh))) {
		if (strlen(d->d_name) != NAME_LEN + 4 || strcmp(d->d_name + NAME_LEN, ".tmp"))
			continue;
		memcpy(name, d->d_name, NAME_LEN);
		name[NAME_LEN] = '\0';
		if (!is_backup_name(name))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, d->d_name);
		log_warn("msg=\"removing an unfinished backup\" file=%s", LOG_STR(path));
		remove_store_files(path);
	}
	closedir(dh);
}

int backup_scheduler_start(struct store *st, struct backup_scheduler **out, struct err *e)
{
	struct backup_scheduler *s;
	struct stat sb;

	*out = NULL;
	if (!backup_cfg.directory[0])
		return 0;
	if (stat(backup_cfg.directory, &sb) || !S_ISDIR(sb.st_mode))
		return err_set(e, ERR_INVALID, "backup.directory",
			       "backup.directory '%.160s' is not a directory", backup_cfg.directory);
	remove_leftovers(backup_cfg.directory);
	if (backup_cfg.interval <= 0)
		return 0;
	if (!(s = calloc(1, sizeof(*s))))
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	s->st = st;
	if (!(s->ticker = ticker_start((double)backup_cfg.interval, backup_tick, s, e))) {
		free(s);
		return e->code;
	}
	log_info("msg=\"scheduled backups\" dir=%s interval_s=%lld keep=%ld",
		 LOG_STR(backup_cfg.directory), (long long)backup_cfg.interval, backup_cfg.keep);
	*out = s;
	return 0;
}

void backup_scheduler_stop(struct backup_scheduler *s)
{
	if (!s)
		return;
	ticker_stop(s->ticker);
	free(s);
}
