/*
 * cmd_serve.c — itsm serve [--listen ADDR:PORT] [--demo] [--threads N]
 *                          [--web-dir DIR] [--body-limit BYTES]
 *
 * Opens (creating and migrating) the store with the group-commit writer,
 * loads demo data into an empty store on --demo, or makes the first admin
 * with a one-time password, serves until SIGINT or SIGTERM, then stops
 * accepting, finishes in-flight requests and closes the store.
 *
 * The configuration table lives here. Its checks.*, [commands], outbound.*
 * and mail.* parts bind every command, not only serve (`itsm --config FILE
 * check run …` runs the same templates): cli_config_apply reads the file
 * the CLI was given and installs those parts in the domain before a
 * command opens the store.
 */
#include "api/handlers.h"
#include "api/server.h"
#include "cli/cli.h"
#include "domain/events/check.h"
#include "domain/events/check_command.h"
#include "domain/events/correlate.h"
#include "domain/cmdb/cmdb.h"
#include "domain/demo/demo.h"
#include "domain/sla/sla.h"
#include "domain/platform/session.h"
#include "domain/platform/audit_checkpoint.h"
#include "domain/platform/outbox.h"
#include "domain/platform/user.h"
#include "lib/config.h"
#include "lib/log.h"
#include "lib/netguard.h"
#include "lib/timeutil.h"
#include "store/store.h"

#include <signal.h>
#include <stddef.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"itsm serve [--config FILE] [--listen ADDR:PORT] [--demo] [--threads N]\n"
	"                  [--web-dir DIR] [--body-limit BYTES] [--print-config]";

/* Everything `serve` can be told, in one table; flags override the file. */
struct serve_config {
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
	long flap_window;
	long auth_max_verifications;
	long auth_verification_queue;
	long auth_verification_wait_ms;
	long metrics_token_required;
	char metrics_listen[80];
	char audit_key_file[512];
	char audit_checkpoint_file[512];
	long audit_checkpoint_interval;
	/* what staff may make the host do: checks, outbound requests, mail */
	char plugin_dirs[1024];
	struct check_commands *commands; /* [commands], until installed */
	char outbound_allow[2048];
	char sendmail[1024];
};

/* [commands]: one command template per key. */
static int add_command(void *target, const char *key, const char *value, struct err *e)
{
	struct serve_config *cfg = target;

	if (!cfg->commands && !(cfg->commands = check_commands_new()))
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	return check_commands_add(cfg->commands, key, value, e);
}

#define OPT_INT(n, d, lo, hi, f, h) { n, CONF_INT, d, lo, hi, offsetof(struct serve_config, f), 0, h }
#define OPT_STR(n, d, f, h)                                                                        \
	{ n, CONF_STRING, d, 0, 0, offsetof(struct serve_config, f),                               \
	  sizeof(((struct serve_config *)0)->f), h }

static const struct config_option serve_options[] = {
	OPT_STR("server.listen", "127.0.0.1:8080", listen, "address and port to listen on"),
	OPT_INT("server.threads", "32", 1, 256, threads,
		"worker threads; writes wait for the group commit, so more threads batch more"),
	OPT_INT("server.body_limit", "1048576", 1024, 64 * 1024 * 1024, body_limit,
		"largest request body in bytes (larger ones get 413)"),
	OPT_INT("server.max_connections", "2048", 16, 65536, max_connections,
		"connections open at once"),
	OPT_INT("server.max_connections_per_ip", "32", 1, 65536, max_connections_per_ip,
		"connections open at once from one client address; more are closed at accept"),
	OPT_INT("server.connection_timeout", "30", 1, 3600, connection_timeout,
		"seconds a connection may stay silent (idle keep-alive, a stalled body)"),
	OPT_INT("server.header_timeout", "10", 1, 3600, header_timeout,
		"seconds a client has to send a request's line and headers (from accept, or "
		"after an idle keep-alive wait); then it is closed"),
	OPT_STR("server.web_dir", "", web_dir,
		"serve the web console from this directory instead of the built-in copy"),
	OPT_STR("log.level", "info", log_level, "debug, info, warn or error"),
	OPT_INT("checks.workers", "8", 1, 64, check_workers,
		"check plugins run at once by the scheduler"),
	/* What staff may make the host do (docs/events.md, docs/sla.md). */
	OPT_STR("checks.plugin_dirs", CHECK_PLUGIN_DIRS_DEFAULT, plugin_dirs,
		"colon-separated directories; a command template's program must lie inside one"),
	{ "commands", CONF_SECTION,
	  "NAME = PROGRAM ARGS...: split at spaces and tabs, \"...\" keeps spaces, no shell.\n"
	  "PROGRAM is a path or a bare name in checks.plugin_dirs; after symlinks and ..\n"
	  "it must lie inside one of them. $ARG1$...$ARG32$ are a check's args,\n"
	  "$HOSTNAME$ its item's key, $HOSTADDRESS$ the item's address attribute, $$ a\n"
	  "dollar sign. A check then says {\"command\": \"check_ping\", \"args\":\n"
	  "[\"100,20%\", \"500,60%\"]} (itsm check add NAME --ci KEY -- check_ping ...).\n"
	  "check_ping = /usr/lib/nagios/plugins/check_ping -H $HOSTADDRESS$ -w $ARG1$ -c $ARG2$\n"
	  "check_tcp = check_tcp -H $HOSTADDRESS$ -p $ARG1$\n"
	  "check_http = check_http -H $HOSTADDRESS$ -u $ARG1$ --onredirect=ok\n"
	  "check_dummy = check_dummy $ARG1$ \"$ARG2$\"",
	  0, 0, 0, 0, "command templates: the only programs checks run (docs/events.md)",
	  add_command },
	OPT_INT("events.resolve_incidents", "1", 0, 1, resolve_incidents,
		"1: a recovery resolves the monitoring incident; 0: it only adds a note"),
	OPT_INT("events.flap_cycles", "6", 2, 1000, flap_cycles,
		"opens and closes within events.flap_window that make an alert flapping"),
	OPT_INT("events.flap_window", "3600", 60, 604800, flap_window,
		"seconds over which open/close cycles are counted for flapping"),
	OPT_INT("auth.max_concurrent_verifications", "2", 1, 64, auth_max_verifications,
		"password checks run at once; each takes 64 MiB (Argon2id) while it runs"),
	OPT_INT("auth.verification_queue", "16", 0, 1024, auth_verification_queue,
		"sign-ins that may wait for a password check; more get 503 at once"),
	OPT_INT("auth.verification_wait_ms", "3000", 0, 60000, auth_verification_wait_ms,
		"milliseconds a sign-in waits for a password check before it gets 503"),
	OPT_INT("metrics.token_required", "0", 0, 1, metrics_token_required,
		"1: GET /metrics needs 'Authorization: Bearer TOKEN' of a staff user; 0: open"),
	OPT_STR("metrics.listen", "", metrics_listen,
		"serve GET /metrics (and /healthz) only on this ADDR:PORT, off the main listener;"
		" empty: on the main listener"),
	OPT_STR("audit.key_file", "", audit_key_file,
		"Ed25519 key that signs audit checkpoints (itsm audit keygen FILE); keep it off "
		"the database's disk and user"),
	OPT_STR("audit.checkpoint_file", "", audit_checkpoint_file,
		"append signed checkpoints of the audit chain here, one JSON line each"),
	OPT_INT("audit.checkpoint_interval", "3600", 0, 7 * 86400, audit_checkpoint_interval,
		"seconds between checkpoints (written when the chain grew, and at stop); 0: none"),
	OPT_STR("outbound.allow", "", outbound_allow,
		"not-public hosts webhooks may reach: NAME[:PORT], IP[:PORT], [IPv6]:PORT, IP/PREFIX, ..."),
	OPT_STR("mail.sendmail", "", sendmail,
		"mail command for mailto: escalations, message on stdin, no shell: /usr/sbin/sendmail -i -t"),
	{ NULL },
};

/* Read path (NULL: defaults only) into cfg; the caller frees
 * cfg->commands unless it was installed. */
static int config_read(struct serve_config *cfg, const char *path, struct err *e)
{
	config_defaults(serve_options, cfg);
	cfg->commands = NULL;
	return path ? config_load(serve_options, cfg, path, e) : 0;
}

/* Install the parts every command obeys: command templates and plugin
 * directories, the outbound allow-list, the mail command. */
static int config_install(struct serve_config *cfg, const char *path, struct err *e)
{
	struct check_commands *set = cfg->commands ? cfg->commands : check_commands_new();
	struct err sub = { 0 };
	const char *where = path ? path : "the default configuration";

	cfg->commands = NULL;
	if (!set)
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	if (check_commands_resolve(set, cfg->plugin_dirs, &sub)) {
		check_commands_free(set);
		return err_set(e, sub.code, NULL, "%s: %s", where, sub.msg);
	}
	check_commands_install(set);
	if (netguard_allow_set(cfg->outbound_allow, &sub) ||
	    outbox_mail_command_set(cfg->sendmail, &sub))
		return err_set(e, sub.code, NULL, "%s: %s", where, sub.msg);
	if (getenv("ITSM_SENDMAIL"))
		log_warn("msg=\"ITSM_SENDMAIL is no longer read: set mail.sendmail in the "
			 "configuration\"");
	return 0;
}

int cli_config_apply(struct cli *c)
{
	struct serve_config cfg;
	struct err e = { 0 };
	int rc;

	if (c->configured)
		return 0;
	if (!(rc = config_read(&cfg, c->config, &e)))
		rc = config_install(&cfg, c->config, &e);
	check_commands_free(cfg.commands);
	if (rc)
		return cli_fail(&e);
	c->configured = 1;
	return 0;
}

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
	{ "--print-config", CLI_FLAG }, { NULL },
};

static int serve(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	static const struct {
		const char *flag, *option;
	} flags[] = { { "--listen", "server.listen" },
		      { "--threads", "server.threads" },
		      { "--web-dir", "server.web_dir" },
		      { "--body-limit", "server.body_limit" } };
	struct serve_config cfg;
	struct server_opts so;
	struct server *srv;
	struct check_scheduler *checks;
	struct audit_checkpointer *anchor = NULL;
	struct err e = { 0 };
	const char *v, *path;
	sigset_t set;
	int sig, rc;

	if (cli_opt(opts, "--print-config")) {
		config_print_example(serve_options, stdout);
		return 0;
	}
	/* serve --config FILE, else the CLI's --config / ITSM_CONFIG */
	if (!(path = cli_opt(opts, "--config")))
		path = c->config;
	if (config_read(&cfg, path, &e)) {
		check_commands_free(cfg.commands);
		return cli_fail(&e);
	}
	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
		if ((v = cli_opt(opts, flags[i].flag)) &&
		    config_set(serve_options, &cfg, flags[i].option, v, &e)) {
			check_commands_free(cfg.commands);
			return cli_failf("%s (flag %s)", e.msg, flags[i].flag);
		}
	if (config_install(&cfg, path, &e))
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

	/* Signals are taken by sigwait below, never by the worker threads. */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

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
	    audit_checkpointer_start(c->st, &anchor, &e)) {
		server_stop(srv);
		if (checks)
			check_scheduler_stop(checks);
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
	check_scheduler_stop(checks);
	sla_watcher_stop();
	audit_checkpointer_stop(anchor); /* a last checkpoint of the final chain */
	free(srv);
	cmdb_graph_reset();
	return 0;
}

/* No subcommands: one row with no name, run on every argument. The store
 * is opened late, once the configuration is read and the signals are
 * blocked. */
const struct subcommand cmd_serve[] = {
	{ "", serve, 0, 0, serve_opts, usage, CLI_NO_STORE },
	{ NULL },
};
