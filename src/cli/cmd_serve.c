/*
 * cmd_serve.c — itsm serve [--listen ADDR:PORT] [--demo] [--threads N]
 *                          [--web-dir DIR] [--body-limit BYTES] [--allow-clock]
 *
 * Opens (creating and migrating) the store with the group-commit writer,
 * loads demo data into an empty store on --demo, or makes the first admin
 * with a one-time password, and serves. Signals are taken by sigwait in this
 * thread only:
 *   SIGTERM, SIGINT  stop taking connections, answer the requests already
 *                    begun, stop the schedulers and let the writer commit
 *                    its queue, close the store, exit 0 — all within
 *                    server.stop_timeout, else exit 1 with a log line naming
 *                    the stage still running (lib/deadline.h);
 *   SIGHUP           re-read the configuration file: an invalid one is
 *                    logged and ignored; log.level applies at once; any
 *                    other changed option is logged as needing a restart.
 * systemd hears READY=1 once listening, RELOADING=1 … READY=1 around a
 * reload and STOPPING=1 at the stop (lib/notify.h).
 * The options, from the file and the flags, are cli_config.c's table.
 * While it runs it holds STORE.lock shared (backup.h), so `itsm restore`
 * refuses to replace the store under it, and takes the scheduled backups
 * of [backup].
 */
#include "api/handlers.h"
#include "api/server.h"
#include "cli/cli.h"
#include "cli/cli_config.h"
#include "domain/events/check.h"
#include "domain/events/check_command.h"
#include "domain/events/correlate.h"
#include "domain/platform/changes.h"
#include "domain/cmdb/cmdb.h"
#include "domain/demo/demo.h"
#include "domain/mail/imap.h"
#include "domain/sla/sla.h"
#include "domain/platform/session.h"
#include "domain/platform/audit_checkpoint.h"
#include "domain/platform/backup.h"
#include "domain/platform/user.h"
#include "lib/config.h"
#include "lib/deadline.h"
#include "lib/log.h"
#include "lib/notify.h"
#include "lib/timeutil.h"
#include "store/store.h"

#include <signal.h>

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"itsm serve [--config FILE] [--listen ADDR:PORT] [--demo] [--threads N]\n"
	"                  [--web-dir DIR] [--body-limit BYTES] [--print-config]\n"
	"                  [--allow-clock]";

static void print_line(const char *line, void *ctx)
{
	printf("    %s\n", line);
}

/* "ADDR:PORT" into addr (64 bytes) and port; -1 when it is not one. */
static int parse_listen(const char *s, char addr[64], int *port)
{
	const char *colon = strrchr(s, ':');
	char *end;
	long p;

	if (!colon || colon == s || (size_t)(colon - s) >= 64)
		return -1;
	p = strtol(colon + 1, &end, 10);
	if (*end || p < 0 || p > 65535)
		return -1;
	snprintf(addr, 64, "%.*s", (int)(colon - s), s);
	if (!strcmp(addr, "localhost"))
		snprintf(addr, 64, "127.0.0.1");
	*port = (int)p;
	return 0;
}

static const struct opt serve_opts[] = {
	{ "--listen" },     { "--demo", CLI_FLAG },	      { "--threads" },
	{ "--web-dir" },    { "--body-limit" }, { "--config" },
	{ "--print-config", CLI_FLAG }, { "--allow-clock", CLI_FLAG }, { NULL },
};

/* The file at path (NULL: the defaults), then the flags over it, into cfg;
 * the caller frees cfg->commands unless it was installed. 0, or 1 after
 * filling e (the flag at fault named). */
static int read_config(struct itsm_config *cfg, const char *path, const struct opt *opts,
		       struct err *e)
{
	static const struct {
		const char *flag, *option;
	} flags[] = { { "--listen", "server.listen" },
		      { "--threads", "server.threads" },
		      { "--web-dir", "server.web_dir" },
		      { "--body-limit", "server.body_limit" } };
	const char *v;
	enum log_level level;
	int64_t interval;

	if (cli_config_read(cfg, path, e))
		return 1;
	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
		if ((v = cli_opt(opts, flags[i].flag)) &&
		    config_set(cli_config_options, cfg, flags[i].option, v, e)) {
			char msg[sizeof(e->msg)];

			snprintf(msg, sizeof(msg), "%s", e->msg);
			err_set(e, ERR_INVALID, NULL, "%.200s (flag %s)", msg, flags[i].flag);
			return 1;
		}
	if (cli_opt(opts, "--allow-clock"))
		cfg->allow_clock = 1; /* a test server's: sla tick may name its now */
	if (log_level_parse(cfg->log_level, &level))
		return err_set(e, ERR_INVALID, NULL, "unknown log level '%s'", cfg->log_level), 1;
	if (backup_interval_parse(cfg->backup_interval, &interval, e))
		return 1;
	return 0;
}

static void log_change(const char *name, int live, void *ctx)
{
	if (live)
		log_info("msg=\"reload: applied\" option=%s", LOG_STR(name));
	else
		log_warn("msg=\"reload: changed, needs a restart\" option=%s", LOG_STR(name));
}

/* SIGHUP: re-read path into a copy, check it as a start would, and apply
 * what may change while serving; running keeps what the server runs on. */
static void reload(struct itsm_config *running, const char *path, const struct opt *opts)
{
	struct itsm_config next, before;
	struct err e = { 0 };
	int changed;

	notify_reloading();
	if (!path) {
		log_warn("msg=\"reload: no configuration file to re-read (serve --config FILE)\"");
		notify_ready();
		return;
	}
	if (read_config(&next, path, opts, &e) ||
	    (next.commands && check_commands_resolve(next.commands, next.plugin_dirs, &e))) {
		log_error("msg=\"reload refused: the configuration is invalid; serving on as before\" "
			  "file=%s err=%s",
			  LOG_STR(path), LOG_STR(e.msg));
		check_commands_free(next.commands);
		notify_ready();
		return;
	}
	check_commands_free(next.commands);
	next.commands = NULL;
	/* log.level, the one live option, first, so the lines below obey it;
	 * ITSM_LOG, when set, still wins */
	before = *running;
	snprintf(running->log_level, sizeof(running->log_level), "%s", next.log_level);
	if (!getenv("ITSM_LOG"))
		log_level_parse(running->log_level, &log_threshold);
	changed = cli_config_changes(&before, &next, log_change, NULL);
	log_warn("msg=\"configuration re-read\" file=%s changed=%d", LOG_STR(path), changed);
	notify_ready();
}

static int serve(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	struct itsm_config cfg;
	struct server_opts so;
	struct server *srv;
	struct check_scheduler *checks;
	struct audit_checkpointer *anchor = NULL;
	struct backup_scheduler *backups = NULL;
	int held = -1;
	struct err e = { 0 };
	struct deadline *bound;
	const char *path;
	sigset_t set;
	long left;
	int sig, rc;

	if (cli_opt(opts, "--print-config")) {
		config_print_example(cli_config_options, stdout);
		return 0;
	}
	/* serve --config FILE, else the CLI's --config / ITSM_CONFIG */
	if (!(path = cli_opt(opts, "--config")))
		path = c->config;
	if (read_config(&cfg, path, opts, &e)) {
		check_commands_free(cfg.commands);
		return cli_fail(&e);
	}
	if (!c->db_named && cfg.store_path[0])
		c->db = cfg.store_path; /* serve --config FILE's own store.path */
	if (cli_config_install(&cfg, path, &e))
		return cli_fail(&e);
	c->configured = 1;
	server_opts_default(&so);
	if (parse_listen(cfg.listen, so.addr, &so.port))
		return cli_failf("cannot parse listen address '%s' (want ADDR:PORT)", cfg.listen);
	if (cfg.metrics_listen[0] &&
	    parse_listen(cfg.metrics_listen, so.metrics_addr, &so.metrics_port))
		return cli_failf("cannot parse metrics.listen '%s' (want ADDR:PORT)",
				 cfg.metrics_listen);
	so.threads = (int)cfg.threads;
	so.body_limit = (size_t)cfg.body_limit;
	so.mail_limit = (size_t)cfg.mail_max_size;
	so.attach_limit = (size_t)cfg.attach_max_size;
	so.conn_limit = (int)cfg.max_connections;
	so.conn_per_ip = (int)cfg.max_connections_per_ip;
	so.conn_timeout = (int)cfg.connection_timeout;
	so.header_timeout = (int)cfg.header_timeout;
	snprintf(so.web_dir, sizeof(so.web_dir), "%s", cfg.web_dir);
	session_cfg.max_verifications = (int)cfg.auth_max_verifications;
	session_cfg.verification_queue = (int)cfg.auth_verification_queue;
	session_cfg.verification_wait_ms = cfg.auth_verification_wait_ms;
	so.metrics_token_required = (int)cfg.metrics_token_required;
	if (!getenv("ITSM_LOG") && log_level_parse(cfg.log_level, &log_threshold))
		return cli_failf("unknown log level '%s'", cfg.log_level);
	snprintf(audit_anchor_cfg.key_file, sizeof(audit_anchor_cfg.key_file), "%s",
		 cfg.audit_key_file);
	snprintf(audit_anchor_cfg.checkpoint_file, sizeof(audit_anchor_cfg.checkpoint_file), "%s",
		 cfg.audit_checkpoint_file);
	audit_anchor_cfg.interval = cfg.audit_checkpoint_interval;
	sla_watch_cfg.allow_clock = (int)cfg.allow_clock;
	snprintf(backup_cfg.directory, sizeof(backup_cfg.directory), "%s", cfg.backup_directory);
	backup_cfg.keep = cfg.backup_keep;
	if (backup_interval_parse(cfg.backup_interval, &backup_cfg.interval, &e))
		return cli_fail(&e);

	/* Signals are taken by sigwait below, never by the worker threads. */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	/* Held until the process ends: a restore refuses to run under it. */
	if (store_is_file(c->db) && backup_hold_store(c->db, &held, &e))
		return cli_fail(&e);
	if ((rc = cli_open(c, STORE_SERVER)))
		return rc;
	printf("itsm: store %s\n", c->db);
	if (cli_opt(opts, "--demo")) {
		int loaded;

		printf("itsm: demo data (loaded into an empty store only)…\n");
		fflush(stdout);
		if (demo_load(c->st, clock_now(), &loaded, &e))
			return cli_fail(&e);
		printf("  demo users (password '%s'):\n", DEMO_PASSWORD);
		demo_print_users(print_line, NULL);
	} else {
		char pw[USER_OTP_LEN];
		int created;

		if (user_bootstrap_admin(c->st, pw, &created, &e))
			return cli_fail(&e);
		if (created)
			printf("  a new store: sign in as 'admin' with the one-time password %s\n"
			       "  (change it: itsm user passwd admin --password-stdin)\n",
			       pw);
	}
	srv = calloc(1, sizeof(*srv));
	if (!srv)
		return cli_failf("out of memory");
	if (server_start(srv, c->st, &so, &e)) {
		free(srv);
		return cli_fail(&e);
	}
	/* SLA deadlines and the outbox; what other servers on the store change */
	if (sla_watcher_start(c->st, &e) || changes_follow(c->st, &e)) {
		sla_watcher_stop();
		server_stop(srv);
		free(srv);
		return cli_fail(&e);
	}
	correlate_cfg.resolve_incidents = (int)cfg.resolve_incidents;
	correlate_cfg.flap_cycles = (int)cfg.flap_cycles;
	correlate_cfg.flap_window_s = cfg.flap_window;
	if (!(checks = check_scheduler_start(c->st, (int)cfg.check_workers, &e)) ||
	    audit_checkpointer_start(c->st, &anchor, &e) ||
	    backup_scheduler_start(c->st, &backups, &e) ||
	    imap_poller_start(c->st, cfg.mail_max_size, &e)) {
		server_stop(srv);
		backup_scheduler_stop(backups);
		if (checks)
			check_scheduler_stop(checks);
		audit_checkpointer_stop(anchor);
		sla_watcher_stop();
		free(srv);
		return cli_fail(&e);
	}
	/* A line per request: buffered from here on, flushed every 50 ms. */
	if (log_buffer_start(LOG_FLUSH_S, &e))
		log_warn("msg=\"log lines are written one by one\" err=%s", LOG_STR(e.msg));
	printf("  API tokens for curl: itsm --db %s token create NAME --user USERNAME\n", c->db);
	printf("itsm: listening on http://%s:%d\n", so.addr, srv->port);
	if (srv->metrics.mhd)
		printf("itsm: metrics on http://%s:%d/metrics\n", so.metrics_addr, srv->metrics.port);
	fflush(stdout);
	notify_ready();
	while (!sigwait(&set, &sig) && sig == SIGHUP)
		reload(&cfg, path, opts);
	log_info("msg=\"stopping\" signal=%s timeout_s=%ld", sig == SIGINT ? "SIGINT" : "SIGTERM",
		 cfg.stop_timeout);
	notify_stopping();
	/* Past the bound the deadline's thread logs the stage and exits 1. */
	if (!(bound = deadline_start((double)cfg.stop_timeout, &e)))
		log_error("msg=\"the stop runs without its bound\" err=%s", LOG_STR(e.msg));
	deadline_stage(bound, "http requests");
	left = server_drain(srv, (double)cfg.stop_timeout);
	server_stop(srv);
	deadline_stage(bound, "the imap poller");
	imap_poller_stop(); /* aborts a transfer; what was stored stays */
	deadline_stage(bound, "a scheduled backup");
	backup_scheduler_stop(backups); /* waits for a backup in progress */
	deadline_stage(bound, "check runs");
	check_scheduler_stop(checks);
	deadline_stage(bound, "the sla watcher");
	sla_watcher_stop();
	deadline_stage(bound, "the audit checkpoint");
	audit_checkpointer_stop(anchor); /* a last checkpoint of the final chain */
	deadline_stage(bound, "the store's writer queue");
	cli_close(c); /* the writer commits what it holds, then stops */
	deadline_done(bound);
	log_buffer_stop();
	free(srv);
	cmdb_graph_reset();
	backup_release_store(held);
	if (left) {
		log_error("msg=\"stop timed out\" after_s=%ld still_running=\"%ld http requests\"",
			  cfg.stop_timeout, left);
		return 1;
	}
	log_info("msg=\"stopped\"");
	return 0;
}

/* No subcommands: one row with no name, run on every argument. The store
 * is opened late, once the configuration is read and the signals are
 * blocked. */
const struct subcommand cmd_serve[] = {
	{ "", serve, 0, 0, serve_opts, usage, CLI_NO_STORE },
	{ NULL },
};
