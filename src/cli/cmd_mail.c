/*
 * cmd_mail.c — e-mail in from the command line:
 *   itsm mail receive [--queue NAME]   one message on standard input
 *   itsm mail list TICKET              the messages of a ticket
 *   itsm mail poll [--once] [--mailbox NAME]
 *                                      the [imap.NAME] mailboxes: one poll
 *                                      of each (--once), else every interval
 *                                      until SIGTERM or SIGINT
 *
 * `receive` is what an MTA runs for an alias or a pipe (Postfix:
 * support: "|/usr/bin/itsm --config /etc/itsm/itsm.conf mail receive"),
 * so its exit status speaks sysexits.h, which MTAs read: 0 stored (a
 * ticket, a comment, ignored as a robot's, a duplicate); 65 (EX_DATAERR)
 * refused for good, the reason on stderr, which the MTA puts in the
 * bounce; 75 (EX_TEMPFAIL) the store is busy, out of reach or cannot be
 * opened, and the MTA keeps the message and tries again later. A
 * temporary failure never exits with a permanent status: the sender
 * would get a bounce for a message that could still be delivered.
 */
#include "cli/cli.h"
#include "cli/cli_config.h"
#include "domain/mail/imap.h"
#include "domain/mail/mail.h"
#include "lib/file.h"
#include "store/store.h"

#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#define EX_DATAERR 65
#define EX_TEMPFAIL 75

static const char usage_receive[] =
	"itsm mail receive [--queue NAME]   (one RFC 5322 message on stdin; exit 0 stored,\n"
	"                   65 refused, 75 try again later)";
static const char usage_list[] = "itsm mail list TICKET";

static const char usage_poll[] =
	"itsm mail poll [--once] [--mailbox NAME]   (the [imap.NAME] mailboxes of itsm.conf)";

static const struct opt receive_opts[] = { { "--queue" }, { NULL } };
static const struct opt poll_opts[] = { { "--once", CLI_FLAG }, { "--mailbox" }, { NULL } };

/* The exit status of a failure: permanent for what the message is, else
 * temporary (the store's failures, and anything unforeseen). */
static int fail_status(int code)
{
	return code == ERR_INVALID || code == ERR_TOO_LARGE || code == ERR_FORBIDDEN
		       ? EX_DATAERR
		       : EX_TEMPFAIL;
}

static int receive(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	struct itsm_config cfg;
	struct mail_receipt rec;
	struct err e = { 0 };
	char *raw = NULL;
	size_t n = 0;
	int rc;

	if (cli_config_read(&cfg, c->config, &e) || cli_config_install(&cfg, c->config, &e)) {
		cli_fail(&e);
		return EX_TEMPFAIL; /* a configuration being edited: retry */
	}
	c->configured = 1;
	if (file_read("-", (size_t)cfg.mail_max_size, &raw, &n, &e)) {
		cli_fail(&e);
		return e.code == ERR_TOO_LARGE ? EX_DATAERR : EX_TEMPFAIL;
	}
	c->st = store_open(c->db, 0, &e);
	if (!c->st) {
		free(raw);
		cli_fail(&e);
		return EX_TEMPFAIL;
	}
	actor_system(&c->actor, "mail");
	rc = mail_receive(c->st, &c->actor, cli_opt(opts, "--queue"), raw, n, &rec, &e);
	free(raw);
	if (rc) {
		cli_fail(&e);
		return fail_status(e.code);
	}
	if (c->json) {
		cli_print_json(mail_receipt_json(&rec));
	} else if (rec.duplicate) {
		printf("duplicate %lld\n", (long long)rec.id);
	} else {
		printf("%s %lld%s%s\n", mail_outcome_name(rec.outcome), (long long)rec.id,
		       rec.ticket[0] ? " " : "", rec.ticket);
	}
	if (!rec.duplicate && rec.outcome == MAIL_REFUSED) {
		cli_failf("refused: %s", rec.reason);
		return EX_DATAERR;
	}
	if (rec.outcome == MAIL_IGNORED && !c->json)
		fprintf(stderr, "itsm: ignored: %s\n", rec.reason);
	return 0;
}

static int list(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	static const char *const cols[] = { "id", "received_at", "outcome", "from:30",
					    "subject:40", NULL };
	struct err e = { 0 };
	json_t *out = NULL;
	int rc = mail_ticket_list_json(c->st, &c->actor, pos[0], &out, &e);

	if (rc)
		return cli_fail(&e);
	return cli_print_list(c, out, cols);
}

/* One poll of each mailbox (of name, when given): a line each, or JSON;
 * 0 when every poll succeeded, else 1. */
static int poll_once(struct cli *c, const char *name, long max_size)
{
	const struct imap_mailboxes *set = imap_mailboxes();
	json_t *items = json_array();
	int failed = 0, polled = 0;

	for (int i = 0; i < set->n; i++) {
		const struct imap_mailbox *mb = &set->at[i];
		struct imap_stats s;
		struct err e = { 0 };
		int rc;

		if (name && strcmp(name, mb->name))
			continue;
		polled++;
		rc = imap_poll_mailbox(c->st, mb, max_size, &s, &e);
		failed |= rc != 0;
		json_array_append_new(
			items, json_pack("{s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:s?}", "mailbox",
					 mb->name, "taken", (json_int_t)s.taken, "created",
					 (json_int_t)s.created, "duplicates", (json_int_t)s.duplicates,
					 "skipped", (json_int_t)s.skipped, "flagged",
					 (json_int_t)s.flagged, "forgotten", (json_int_t)s.reset,
					 "error", rc ? e.msg : NULL));
		if (!c->json)
			printf("%s: taken %lld (created %lld, duplicates %lld), skipped %lld, flagged "
			       "%lld%s\n",
			       mb->name, (long long)s.taken, (long long)s.created,
			       (long long)s.duplicates, (long long)s.skipped, (long long)s.flagged,
			       s.reset ? ", UIDVALIDITY changed" : "");
		if (rc)
			cli_failf("mailbox '%s': %s", mb->name, e.msg);
	}
	if (c->json)
		cli_print_json(json_pack("{s:o}", "items", items));
	else
		json_decref(items);
	if (!polled)
		return cli_failf("no mailbox '%s' in the configuration", name);
	return failed;
}

static int poll(struct cli *c, const struct opt *opts, const char **pos, int npos)
{
	const char *name = cli_opt(opts, "--mailbox");
	struct itsm_config cfg;
	struct err e = { 0 };
	sigset_t set;
	int sig, rc;

	if (cli_config_read(&cfg, c->config, &e) || cli_config_install(&cfg, c->config, &e))
		return cli_fail(&e);
	c->configured = 1;
	if (!imap_mailboxes()->n)
		return cli_failf("no mailbox is configured ([imap.NAME] in itsm.conf)");
	c->st = store_open(c->db, 0, &e);
	if (!c->st)
		return cli_fail(&e);
	if (cli_opt(opts, "--once"))
		return poll_once(c, name, cfg.mail_max_size);
	if (name)
		return cli_failf("--mailbox goes with --once");
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	if (imap_poller_start(c->st, cfg.mail_max_size, &e))
		return cli_fail(&e);
	rc = sigwait(&set, &sig);
	imap_poller_stop();
	return rc ? 1 : 0;
}

const struct subcommand cmd_mail[] = {
	{ "receive", receive, 0, 0, receive_opts, usage_receive, CLI_NO_STORE },
	{ "list", list, 1, 1, NULL, usage_list, 0 },
	{ "poll", poll, 0, 0, poll_opts, usage_poll, CLI_NO_STORE },
	{ NULL },
};
