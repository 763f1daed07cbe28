/*
 * cli_config.c — the table of every itsm.conf option, and installing the
 * parts every command obeys (see cli_config.h).
 */
#include "cli/cli_config.h"
#include "domain/events/check_command.h"
#include "domain/attach/attach.h"
#include "domain/cost/cost.h"
#include "domain/mail/mail.h"
#include "domain/notify/notify.h"
#include "lib/smtp.h"
#include "domain/platform/outbox.h"
#include "domain/problem/problem.h"
#include "domain/risk/risk.h"
#include "lib/log.h"
#include "lib/netguard.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* [commands]: one command template per key. */
static int add_command(void *target, const char *key, const char *value, struct err *e)
{
	struct itsm_config *cfg = target;

	if (!cfg->commands && !(cfg->commands = check_commands_new()))
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	return check_commands_add(cfg->commands, key, value, e);
}

/* [shift.NAME] start = HH:MM, end = HH:MM (or [shift] NAME.start = …). */
static int add_shift(void *target, const char *key, const char *value, struct err *e)
{
	struct itsm_config *cfg = target;

	return cond_shifts_add(&cfg->shifts, key, value, e);
}

/* [imap.NAME] url = …, user = …: the mailboxes polled (or [imap]
 * NAME.url = …). */
static int add_imap(void *target, const char *key, const char *value, struct err *e)
{
	struct itsm_config *cfg = target;

	return imap_mailboxes_add(&cfg->imap, key, value, e);
}

#define OPT_INT(n, d, lo, hi, f, h) { n, CONF_INT, d, lo, hi, offsetof(struct itsm_config, f), 0, h }
#define OPT_STR(n, d, f, h)                                                                        \
	{ n, CONF_STRING, d, 0, 0, offsetof(struct itsm_config, f),                               \
	  sizeof(((struct itsm_config *)0)->f), h }

const struct config_option cli_config_options[] = {
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
	OPT_INT("server.allow_clock", "0", 0, 1, allow_clock,
		"1 (test servers only): POST /api/v1/sla/tick may name its \"now\" and fire "
		"warnings and breaches ahead of time; 0: refused"),
	OPT_INT("server.stop_timeout", "10", 1, 3600, stop_timeout,
		"seconds a stop (SIGTERM) may take to finish requests and writes; then exit 1 "
		"(SIGHUP re-reads this file: docs/operations.md, \"Signals\")"),
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
	/* Recurring-incident detection (docs/problems.md). */
	OPT_INT("problems.recurrence_count", "3", 2, 1000, problem_count,
		"incidents on one item, or of one service with similar titles, that propose a problem"),
	OPT_INT("problems.recurrence_window", "7", 1, 365, problem_window,
		"days back from now in which those incidents were opened"),
	/* The risk register's matrix (docs/risk.md). */
	OPT_STR("risk.levels", RISK_LEVELS_DEFAULT, risk_levels,
		"likelihood x impact (1-25) into levels: NAME:FROM-TO, ... ascending from 1 to 25, "
		"no gap"),
	/* Time spent and its cost (docs/cost.md). */
	OPT_STR("cost.rates", "", cost_rates,
		"hourly rates in minor units of cost.currency: KEY=RATE, ... where KEY is a role "
		"(agent, operator, manager, admin) or group:NAME; a group's rate comes before a "
		"role's; an entry keeps the rate in force when recorded"),
	OPT_STR("cost.currency", "JPY", cost_currency,
		"the currency of cost.rates and of the cost report: three capital letters"),
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
	/* E-mail in (docs/mail.md). */
	OPT_INT("mail.max_size", "10485760", 1024, 256 * 1024 * 1024, mail_max_size,
		"largest message taken in bytes, by itsm mail receive (refused, 65) and POST "
		"/api/v1/mail/inbound (413)"),
	OPT_STR("mail.queue_kinds", "", mail_queue_kinds,
		"QUEUE=KIND,...: the kind of ticket a new message to a queue opens (incident, "
		"request, inquiry); other queues open incidents"),
	OPT_STR("mail.customer_domains", "", mail_customer_domains,
		"DOMAIN=CUSTOMER,...: a new message from an address no user has opens a ticket "
		"for the customer of its domain; empty: such mail is refused (docs/mail.md)"),
	/* E-mail out: notifications (docs/notify.md). */
	OPT_STR("mail.smtp_url", "", smtp_url,
		"SMTP server for notifications and mailto: escalations: smtp://HOST:PORT or "
		"smtps://HOST:PORT; empty: notifications go to mail.sendmail, if set"),
	OPT_STR("mail.smtp_user", "", smtp_user, "SMTP AUTH user name; empty: no AUTH"),
	OPT_STR("mail.smtp_password_file", "", smtp_password_file,
		"file whose first line is the SMTP AUTH password (keep it readable by itsm only)"),
	OPT_STR("mail.from", "", mail_from,
		"sender address of notifications (envelope and From:); its domain names the "
		"Message-IDs; mail to it is never notified"),
	OPT_INT("mail.starttls", "0", 0, 1, smtp_starttls,
		"1: require STARTTLS on an smtp:// server; 0: plain smtp:// (smtps:// is TLS anyway)"),
	OPT_INT("mail.sender_hourly_limit", "20", 0, 1000000, mail_sender_hourly_limit,
		"at most this many messages from one sender open tickets in an hour; more are "
		"stored as ignored, never answered; 0: no limit (docs/mail.md)"),
	/* Files on tickets (docs/attachments.md). */
	OPT_INT("attach.max_size", "26214400", 1024, 1024L * 1024 * 1024, attach_max_size,
		"largest file attached in bytes, by itsm ticket attach and POST "
		"/api/v1/tickets/REF/attachments (413); a received message's files count too"),
	{ "imap", CONF_SECTION,
	  "[imap.NAME] sections, one per mailbox polled by the server's leader\n"
	  "(and by itsm mail poll); NAME.url = ... in [imap] reads the same.\n"
	  "url: imap://HOST[:PORT] or imaps://HOST[:PORT]; user; password_file (its\n"
	  "first line); folder (INBOX); interval (seconds, 60); queue (as mail receive\n"
	  "--queue); after = seen (set the Seen flag) or move (to move_to); starttls = 1\n"
	  "requires TLS on imap://. Docs: docs/mail.md, \"IMAP polling\".\n"
	  "support.url = imaps://mail.example.com\n"
	  "support.user = support@example.com\n"
	  "support.password_file = /etc/itsm/imap-support.password\n"
	  "support.folder = INBOX\n"
	  "support.interval = 60\n"
	  "support.queue = support\n"
	  "support.after = move\n"
	  "support.move_to = Done",
	  0, 0, 0, 0, "mailboxes polled over IMAP (docs/mail.md)", add_imap },
	/* Backups the server takes (docs/operations.md). */
	OPT_STR("backup.directory", "", backup_directory,
		"directory for scheduled backups and POST /api/v1/admin/backup; empty: none"),
	OPT_STR("backup.interval", "24h", backup_interval,
		"time between scheduled backups into backup.directory: 24h, 30m, 2s, 7d; 0: none"),
	OPT_INT("backup.keep", "7", 0, 100000, backup_keep,
		"backups kept in backup.directory; the oldest go after a new one succeeds; 0: all"),
	/* The store of an installed server (docs/packaging.md). */
	OPT_STR("store.path", "", store_path,
		"the store when neither --db nor ITSM_DB names one; empty: ./itsm.db"),
	/* Condition reports (docs/operation.md, "Condition reports"). */
	{ "shift", CONF_SECTION,
	  "NAME.start = HH:MM and NAME.end = HH:MM, UTC; [shift.NAME] start = ... reads the\n"
	  "same. A shift belongs to the date it starts on; one whose end is not after\n"
	  "its start ends the next day. Without any: day 08:00-20:00, night 20:00-08:00.\n"
	  "day.start = 08:00\n"
	  "day.end = 20:00\n"
	  "night.start = 20:00\n"
	  "night.end = 08:00",
	  0, 0, 0, 0, "the shifts condition reports are cut by (docs/operation.md)", add_shift },
	{ NULL },
};

/* Read path (NULL: defaults only) into cfg; the caller frees
 * cfg->commands unless it was installed. */
int cli_config_read(struct itsm_config *cfg, const char *path, struct err *e)
{
	config_defaults(cli_config_options, cfg);
	cfg->commands = NULL;
	cfg->shifts.n = 0;
	cfg->imap.n = 0;
	return path ? config_load(cli_config_options, cfg, path, e) : 0;
}

/* Install the parts every command obeys: command templates and plugin
 * directories, the outbound allow-list, the mail command. */
int cli_config_install(struct itsm_config *cfg, const char *path, struct err *e)
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
	if (cond_shifts_check(&cfg->shifts, &sub))
		return err_set(e, sub.code, NULL, "%s: %s", where, sub.msg);
	cond_shifts_install(&cfg->shifts);
	attach_config_set((size_t)cfg->attach_max_size);
	problem_detect_cfg.count = (int)cfg->problem_count;
	problem_detect_cfg.window_days = (int)cfg->problem_window;
	if (netguard_allow_set(cfg->outbound_allow, &sub) ||
	    outbox_mail_command_set(cfg->sendmail, &sub) ||
	    risk_levels_set(cfg->risk_levels, &sub) ||
	    cost_rates_set(cfg->cost_rates, cfg->cost_currency, &sub) ||
	    mail_config_set(cfg->mail_queue_kinds, cfg->mail_customer_domains, &sub) ||
	    mail_limit_set(cfg->mail_sender_hourly_limit, &sub) ||
	    imap_mailboxes_check(&cfg->imap, &sub) ||
	    smtp_config_set(cfg->smtp_url, cfg->smtp_user, cfg->smtp_password_file, cfg->mail_from,
			    (int)cfg->smtp_starttls, &sub))
		return err_set(e, sub.code, NULL, "%s: %s", where, sub.msg);
	imap_mailboxes_install(&cfg->imap);
	notify_host_set(cfg->mail_from);
	if (getenv("ITSM_SENDMAIL"))
		log_warn("msg=\"ITSM_SENDMAIL is no longer read: set mail.sendmail in the "
			 "configuration\"");
	return 0;
}

/* The options a running server takes from a reload; every other one is read
 * once at start (threads, listeners, the domain's installed tables). */
static const char *const live_options[] = { "log.level", NULL };

int cli_config_changes(const struct itsm_config *old, const struct itsm_config *next,
		       cli_config_change_fn fn, void *ctx)
{
	int n = 0;

	for (const struct config_option *o = cli_config_options; o->name; o++) {
		const char *a = (const char *)old + o->offset, *b = (const char *)next + o->offset;
		int differs, live = 0;

		if (o->type == CONF_SECTION)
			continue;
		differs = o->type == CONF_INT ? *(const long *)a != *(const long *)b
					      : strcmp(a, b) != 0;
		if (!differs)
			continue;
		for (size_t i = 0; live_options[i]; i++)
			live |= !strcmp(live_options[i], o->name);
		fn(o->name, live, ctx);
		n++;
	}
	return n;
}

int cli_config_store_path(const char *path, char *out, size_t n, struct err *e)
{
	struct itsm_config cfg;
	int rc = cli_config_read(&cfg, path, e);

	check_commands_free(cfg.commands);
	if (!rc)
		snprintf(out, n, "%s", cfg.store_path);
	return rc;
}

int cli_config_apply(const char *path, struct err *e)
{
	struct itsm_config cfg;
	int rc;

	if (!(rc = cli_config_read(&cfg, path, e)))
		rc = cli_config_install(&cfg, path, e);
	check_commands_free(cfg.commands);
	return rc;
}

