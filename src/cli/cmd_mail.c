/*
 * cmd_mail.c — e-mail in from the command line:
 *   itsm mail receive [--queue NAME]   one message on standard input
 *   itsm mail list TICKET              the messages of a ticket
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
#include "domain/mail/mail.h"
#include "lib/file.h"
#include "store/store.h"

#include <stdlib.h>
#include <string.h>

#define EX_DATAERR 65
#define EX_TEMPFAIL 75

static const char usage_receive[] =
	"itsm mail receive [--queue NAME]   (one RFC 5322 message on stdin; exit 0 stored,\n"
	"                   65 refused, 75 try again later)";
static const char usage_list[] = "itsm mail list TICKET";

static const struct opt receive_opts[] = { { "--queue" }, { NULL } };

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

const struct subcommand cmd_mail[] = {
	{ "receive", receive, 0, 0, receive_opts, usage_receive, CLI_NO_STORE },
	{ "list", list, 1, 1, NULL, usage_list, 0 },
	{ NULL },
};
