/*
 * cli_config.h — itsm.conf: every option in one table (name, type, default,
 * bounds, help), read into struct itsm_config. `serve` takes all of it;
 * the parts that bind every command — command templates and plugin
 * directories, the outbound allow-list, the mail command — are installed
 * in the domain by every command before it opens the store, so `itsm
 * --config FILE check run …` runs what the server would.
 */
#ifndef ITSM_CLI_CONFIG_H
#define ITSM_CLI_CONFIG_H

#include "domain/mail/imap.h"
#include "domain/operation/condition.h"
#include "lib/config.h"
#include "lib/err.h"

struct check_commands;

struct itsm_config {
	char listen[80];
	long threads;
	long body_limit;
	long max_connections;
	long max_connections_per_ip;
	long connection_timeout;
	long header_timeout;
	char web_dir[512];
	char log_level[16];
	long check_workers;
	long resolve_incidents;
	long flap_cycles;
	long problem_count, problem_window; /* recurring-incident detection */
	char risk_levels[256];              /* the risk matrix's levels */
	char cost_rates[2048];              /* [cost] hourly rates */
	char cost_currency[8];
	long flap_window;
	long auth_max_verifications;
	long auth_verification_queue;
	long auth_verification_wait_ms;
	long metrics_token_required;
	char metrics_listen[80];
	long allow_clock;
	char audit_key_file[512];
	char audit_checkpoint_file[512];
	long audit_checkpoint_interval;
	/* what staff may make the host do: checks, outbound requests, mail */
	char plugin_dirs[1024];
	struct check_commands *commands; /* [commands], until installed */
	char outbound_allow[2048];
	char sendmail[1024];
	/* e-mail in */
	long mail_max_size;
	/* files on tickets */
	long attach_max_size;
	char mail_queue_kinds[1024];
	char mail_customer_domains[2048];
	long mail_sender_hourly_limit;
	/* [imap.NAME]: mailboxes polled */
	struct imap_mailboxes imap;
	char smtp_url[512];
	char smtp_user[128];
	char smtp_password_file[1024];
	char mail_from[256];
	long smtp_starttls;
	/* [backup] */
	char backup_directory[512];
	char backup_interval[32];
	long backup_keep;
	/* stop and reload (docs/operations.md, "Signals") */
	long stop_timeout;
	/* [store] path: the store when neither --db nor ITSM_DB names one */
	char store_path[512];
	/* [shift.NAME] start, end: the shifts of condition reports */
	struct cond_shifts shifts;
};

/* The table (config_print_example prints itsm.conf.example from it). */
extern const struct config_option cli_config_options[];

/* Read path (NULL: defaults only) into cfg; the caller frees
 * cfg->commands (check_commands_free) unless it was installed. */
int cli_config_read(struct itsm_config *cfg, const char *path, struct err *e);
/* Install the parts every command obeys (path names the file in
 * messages); takes cfg->commands. */
int cli_config_install(struct itsm_config *cfg, const char *path, struct err *e);
/* What a reload (SIGHUP) does with one option whose value differs between
 * old and next: live ones the caller applies, the others need a restart. */
typedef void (*cli_config_change_fn)(const char *name, int live, void *ctx);
/* Call fn for every option (of the table, but not [commands], which is not
 * compared) whose value differs between old and next; returns how many. */
int cli_config_changes(const struct itsm_config *old, const struct itsm_config *next,
		       cli_config_change_fn fn, void *ctx);
/* The store.path the file at path names into out (n bytes; "" when none). */
int cli_config_store_path(const char *path, char *out, size_t n, struct err *e);
/* cli_config_read and cli_config_install of path (NULL: the defaults). */
int cli_config_apply(const char *path, struct err *e);

#endif
