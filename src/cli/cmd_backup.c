/*
 * cmd_backup.c — itsm backup FILE [--force] | itsm restore FILE |
 * itsm migrate --from STORE --to STORE
 *
 * `backup` copies the store (--db) while a server may be writing it: one
 * snapshot, checked (integrity and audit verify) before it takes its name.
 * `restore` replaces a stopped store by a backup that verifies, keeping the
 * old one as STORE.before-restore-<time> (docs/operations.md). Neither
 * creates a store that is not there. `migrate` copies a store into an
 * empty one of either engine (SQLite file, PostgreSQL URI) and verifies the
 * copy.
 */
#include "cli/cli.h"
#include "domain/platform/backup.h"
#include "lib/fsutil.h"

#include <stdio.h>

static const char usage_backup[] = "itsm backup FILE [--force]";
static const char usage_restore[] = "itsm restore FILE";
static const char usage_migrate[] = "itsm migrate --from STORE --to STORE";

static void print_result(const char *verb, const struct backup_result *r)
{
	printf("%s %s: %lld tickets, %lld audit records, audit head %s\n", verb, r->file,
	       (long long)r->tickets, (long long)r->audit_records, r->head);
	if (r->kept[0])
		printf("the replaced store is kept as %s\n", r->kept);
}

static const struct opt backup_opts[] = { { "--force", CLI_FLAG }, { NULL } };

static int backup(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	struct backup_result r;
	struct err e = { 0 };
	int rc;

	if (store_is_file(c->db) && !fs_exists(c->db))
		return cli_failf("no store '%s'", c->db);
	if ((rc = cli_open(c, 0)))
		return rc;
	if (backup_write(c->st, pos[0], cli_opt(opts, "--force") != NULL, &r, &e))
		return cli_fail(&e);
	if (c->json)
		cli_print_json(backup_result_json(&r));
	else
		print_result("backup", &r);
	return 0;
}

static int restore(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	struct backup_result r;
	struct err e = { 0 };

	if (backup_restore(c->db, pos[0], &r, &e))
		return cli_fail(&e);
	if (c->json)
		cli_print_json(backup_result_json(&r));
	else
		print_result("restored", &r);
	return 0;
}

static void copied(const char *table, int64_t rows, void *ctx)
{
	if (!*(int *)ctx)
		printf("copied %-18s %lld rows\n", table, (long long)rows);
}

static const struct opt migrate_opts[] = { { "--from", CLI_STR }, { "--to", CLI_STR }, { NULL } };

static int migrate(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	const char *from = cli_opt(opts, "--from"), *to = cli_opt(opts, "--to");
	struct backup_result r;
	struct err e = { 0 };

	if (!from || !to)
		return cli_usage(usage_migrate);
	if (backup_migrate(from, to, copied, &c->json, &r, &e))
		return cli_fail(&e);
	if (c->json)
		cli_print_json(backup_result_json(&r));
	else
		print_result("copied into", &r);
	return 0;
}

const struct subcommand cmd_backup[] = {
	{ "", backup, 1, 1, backup_opts, usage_backup, CLI_NO_STORE },
	{ NULL },
};

const struct subcommand cmd_restore[] = {
	{ "", restore, 1, 1, NULL, usage_restore, CLI_NO_STORE },
	{ NULL },
};

const struct subcommand cmd_migrate[] = {
	{ "", migrate, 0, 0, migrate_opts, usage_migrate, CLI_NO_STORE },
	{ NULL },
};
