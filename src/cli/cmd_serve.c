/*
 * cmd_serve.c — itsm serve [--listen ADDR:PORT] [--demo] [--threads N]
 *                          [--web-dir DIR] [--body-limit BYTES] [--allow-clock]
 *
 * Opens (creating and migrating) the store with the group-commit writer,
 * loads demo data into an empty store on --demo, or makes the first admin
 * with a one-time password, serves until SIGINT or SIGTERM, then stops
 * accepting, finishes in-flight requests and closes the store.
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
#include "domain/cmdb/cmdb.h"
#include "domain/demo/demo.h"
#include "domain/sla/sla.h"
#include "domain/platform/session.h"
#include "domain/platform/audit_checkpoint.h"
#include "domain/platform/backup.h"
#include "domain/platform/user.h"
#include "lib/config.h"
#include "lib/log.h"
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

static int serve(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	static const struct {
		const char *flag, *option;
	} flags[] = { { "--listen", "server.listen" },
		      { "--threads", "server.threads" },
		      { "--web-dir", "server.web_dir" },
		      { "--body-limit", "server.body_limit" } };
	struct itsm_config cfg;
	struct server_opts so;
	struct server *srv;
	struct check_scheduler *checks;
	struct audit_checkpointer *anchor = NULL;
	struct backup_scheduler *backups = NULL;
	int held = -1;
	struct err e = { 0 };
	const char *v, *path;
	sigset_t set;
	int sig, rc;

	if (cli_opt(opts, "--print-config")) {
		config_print_example(cli_config_options, stdout);
		return 0;
	}
	/* serve --config FILE, else the CLI's --config / ITSM_CONFIG */
	if (!(path = cli_opt(opts, "--config")))
		path = c->config;
	if (cli_config_read(&cfg, path, &e)) {
		check_commands_free(cfg.commands);
		return cli_fail(&e);
	}
	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
		if ((v = cli_opt(opts, flags[i].flag)) &&
		    config_set(cli_config_options, &cfg, flags[i].option, v, &e)) {
			check_commands_free(cfg.commands);
			return cli_failf("%s (flag %s)", e.msg, flags[i].flag);
		}
	if (cli_opt(opts, "--allow-clock"))
		cfg.allow_clock = 1; /* a test server's: sla tick may name its now */
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
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	/* Held until the process ends: a restore refuses to run under it. */
	if (!strstr(c->db, "://") && backup_hold_store(c->db, &held, &e))
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
	if (sla_watcher_start(c->st, &e)) { /* SLA deadlines and the outbox */
		server_stop(srv);
		free(srv);
		return cli_fail(&e);
	}
	correlate_cfg.resolve_incidents = (int)cfg.resolve_incidents;
	correlate_cfg.flap_cycles = (int)cfg.flap_cycles;
	correlate_cfg.flap_window_s = cfg.flap_window;
	if (!(checks = check_scheduler_start(c->st, (int)cfg.check_workers, &e)) ||
	    audit_checkpointer_start(c->st, &anchor, &e) ||
	    backup_scheduler_start(c->st, &backups, &e)) {
		server_stop(srv);
		if (checks)
			check_scheduler_stop(checks);
		audit_checkpointer_stop(anchor);
		sla_watcher_stop();
		free(srv);
		return cli_fail(&e);
	}
	printf("  API tokens for curl: itsm --db %s token create NAME --user USERNAME\n", c->db);
	printf("itsm: listening on http://%s:%d\n", so.addr, srv->port);
	if (srv->metrics.mhd)
		printf("itsm: metrics on http://%s:%d/metrics\n", so.metrics_addr, srv->metrics.port);
	fflush(stdout);
	sigwait(&set, &sig);
	log_info("msg=\"stopping\" signal=%d", sig);
	server_stop(srv);
	backup_scheduler_stop(backups); /* waits for a backup in progress */
	check_scheduler_stop(checks);
	sla_watcher_stop();
	audit_checkpointer_stop(anchor); /* a last checkpoint of the final chain */
	free(srv);
	cmdb_graph_reset();
	backup_release_store(held);
	return 0;
}

/* No subcommands: one row with no name, run on every argument. The store
 * is opened late, once the configuration is read and the signals are
 * blocked. */
const struct subcommand cmd_serve[] = {
	{ "", serve, 0, 0, serve_opts, usage, CLI_NO_STORE },
	{ NULL },
};
