/*
 * backup.h — backups of a running store, restore into a stopped one, and
 * the server's scheduled backups (docs/operations.md).
 *
 * Invariants: a backup file appears under its name only once it is
 * complete, fsynced, passes the store's integrity check and `audit verify`
 * (written to FILE.tmp, then renamed); an existing file is replaced only
 * when asked (force). A restore replaces the store only while no server
 * holds it (the lock file STORE.lock, which `serve` holds shared), only with
 * a copy that verifies, by one rename, keeping the replaced store as
 * STORE.before-restore-<time>.
 */
#ifndef ITSM_BACKUP_H
#define ITSM_BACKUP_H

#include <jansson.h>
#include <stdint.h>

#include "domain/platform/actor.h"
#include "lib/err.h"
#include "store/store.h"

struct store;

/* What a written (or restored) store holds, as verified. */
struct backup_result {
	char file[1024];     /* the backup (or, after a restore, the store) */
	char kept[1024];     /* restore: where the replaced store went; "" none */
	int64_t tickets;
	int64_t audit_records;
	char head[65];       /* the audit chain's head, hex */
	int64_t bytes;
	double copy_seconds;   /* the copy: the one read transaction on the store */
	double verify_seconds; /* integrity check and audit verify of the copy */
};

/* ---- one backup, one restore ---- */

/* Back the open store st up into path: refused when path exists unless
 * force (never the store itself). */
int backup_write(struct store *st, const char *path, int force, struct backup_result *r,
		 struct err *e);
/* Replace the store file store_path by the backup at path: refused while a
 * server holds the store, or when the backup does not verify. */
int backup_restore(const char *store_path, const char *path, struct backup_result *r,
		   struct err *e);
json_t *backup_result_json(const struct backup_result *r);

/* Copy the store at from into the store at to, of either engine (a file
 * path or a postgresql:// URI), created and migrated when missing and
 * refused when it holds records; then verify the copy as a backup is
 * verified (check, audit verify). progress (may be NULL) hears each table.
 * The source is migrated to this itsm's schema when it is older. */
int backup_migrate(const char *from, const char *to, store_copy_fn progress, void *ctx,
		   struct backup_result *r, struct err *e);

/* ---- the server ---- */

/* The store a server runs on: hold STORE.lock shared while serving, so a
 * restore refuses to run under it (ERR_CONFLICT while a restore runs).
 * *fd is released by backup_release_store. */
int backup_hold_store(const char *store_path, int *fd, struct err *e);
void backup_release_store(int fd);

/* [backup] in itsm.conf, set by serve. */
struct backup_config {
	char directory[512]; /* "" : no backups from the server */
	int64_t interval;    /* seconds between scheduled backups; 0: none */
	long keep;           /* backups kept in the directory; 0: all */
};
extern struct backup_config backup_cfg;

/* "24h", "30m", "2s", "7d", or plain seconds, into *seconds; "0" is 0. */
int backup_interval_parse(const char *text, int64_t *seconds, struct err *e);
/* A backup into backup_cfg.directory named itsm-YYYYMMDDTHHMMSSZ-NN.db, then
 * the oldest beyond backup_cfg.keep removed. */
int backup_to_directory(struct store *st, struct backup_result *r, struct err *e);
/* POST /api/v1/admin/backup (admins): backup_to_directory; *out is the
 * result. */
int backup_now_json(struct store *st, const struct actor *a, json_t **out, struct err *e);

/* Check the directory and start a thread that backs up every
 * backup_cfg.interval; a failure is logged and tried again at the next
 * interval. Nothing is started (*out NULL) without a directory or an
 * interval. */
struct backup_scheduler;
int backup_scheduler_start(struct store *st, struct backup_scheduler **out, struct err *e);
void backup_scheduler_stop(struct backup_scheduler *s);

#endif
