/*
 * main.c — `itsm [--db PATH] [--config FILE] [--as USER] [--json] COMMAND
 * [ARGS]`: global options, then one entry of the command table. The CLI and
 * the server are two faces of one core: every command works on the store
 * through the same domain code the HTTP API uses, under the same
 * configuration (--config, ITSM_CONFIG) where it binds them both.
 */
#include "cli/cli.h"
#include "cli/cli_config.h"
#include "lib/log.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

/* Every command (struct cli_command, cli.h); `itsm help --commands-json`
 * prints this table for the man pages and the completion. */
const struct cli_command cli_commands[] = {
	{ "serve", cmd_serve, "run the HTTP server (--demo loads demo data)" },
	{ "customer", cmd_customer, "add and list customer organisations" },
	{ "user", cmd_user, "add, list and show users" },
	{ "token", cmd_token, "create API tokens" },
	{ "routing", cmd_routing, "routing rules: the group a new ticket gets when none is named" },
	{ "ticket", cmd_ticket, "create, list, show, update and comment on tickets; attach files, link, merge" },
	{ "audit", cmd_audit, "verify and read the tamper-evident audit log" },
	{ "skill", cmd_skill, "assess a skill profile (stateless) and show the team skill map" },
	{ "staff", cmd_staff, "staff records, careers, verification and assessment history" },
	{ "service", cmd_service, "add and list catalogue services" },
	{ "calendar", cmd_calendar, "business calendars: add, list, due, elapsed" },
	{ "sla", cmd_sla, "SLAs and OLAs, service level reports, the watcher's tick" },
	{ "outage", cmd_outage, "record, end and list service outages" },
	{ "import", cmd_import, "import ticket history (JSONL)" },
	{ "ci", cmd_ci, "configuration items, relationships, impact, import/export" },
	{ "problem", cmd_problem, "problems, known errors, linked incidents, recurring-incident proposals" },
	{ "kb", cmd_kb, "knowledge articles: add, edit, publish, retire, versions" },
	{ "search", cmd_search, "full-text search over tickets, comments, problems and articles" },
	{ "change", cmd_change, "changes: add, approve, schedule with conflict checks, review" },
	{ "freeze", cmd_freeze, "freeze (blackout) windows for changes: add, list, remove" },
	{ "risk", cmd_risk, "the operational risk register: risks, measures, reviews, heat map" },
	{ "guideline", cmd_guideline, "operational guidelines: versions, acknowledgements, checklists" },
	{ "acceptance", cmd_acceptance, "operational acceptance: checklists, evidence, migration plans, go/no-go" },
	{ "time", cmd_time, "time spent on tickets, executions and changes: add, list, correct, import" },
	{ "cost", cmd_cost, "the monthly cost report: effort and cost per service, customer, ticket" },
	{ "event", cmd_event, "send monitoring events, list the alerts they made" },
	{ "check", cmd_check, "configure and run Nagios-compatible checks" },
	{ "procedure", cmd_procedure, "operation procedures (runbooks): add, draft, publish, show" },
	{ "schedule", cmd_schedule, "the operation schedule: recurring jobs, a shift's day" },
	{ "run", cmd_run, "execute a procedure step by step, confirm, abandon" },
	{ "condition", cmd_condition, "condition reports and shift handover: draft, sign, acknowledge" },
	{ "mail", cmd_mail, "receive one e-mail from an MTA (stdin), list a ticket's mail" },
	{ "attachment", cmd_attachment, "fetch a file attached to a ticket" },
	{ "notify", cmd_notify, "e-mail notifications: templates, a user's language and events" },
	{ "backup", cmd_backup, "copy the store while it runs, checked (FILE, --force)" },
	{ "restore", cmd_restore, "replace a stopped store by a backup that verifies" },
	{ "migrate", cmd_migrate, "copy a store into an empty one, SQLite or PostgreSQL" },
	{ "version", cmd_version, "the version, commit, store schema and libraries" },
	{ "help", cmd_help, "the usage of itsm or of one command" },
	{ NULL },
};

/* The options read below in main(), as a table for `help --commands-json`
 * (tests/api/man.test.mjs holds it against the usage). */
const struct opt cli_global_options[] = {
	{ "--db" },	       { "--config" },		 { "--as" },
	{ "--json", CLI_FLAG }, { "--help", CLI_FLAG }, { "--version", CLI_FLAG },
	{ NULL },
};

static const char usage[] =
	"itsm [--db PATH] [--config FILE] [--as USER] [--json] COMMAND [ARGS]\n\n"
	"  --db PATH      the store (default ./itsm.db, or $ITSM_DB)\n"
	"  --config FILE  the configuration (or $ITSM_CONFIG; default none): its\n"
	"                 check command templates, outbound allow-list and mail\n"
	"                 command bind every command, not only serve\n"
	"  --as USER      act as this user, with their role and customer\n"
	"  --json         print JSON for scripts instead of tables\n"
	"  --version      what `itsm version` prints\n\ncommands:\n";

int cli_main_usage(FILE *f)
{
	fputs("usage: ", f);
	fputs(usage, f);
	for (const struct cli_command *k = cli_commands; k->name; k++)
		fprintf(f, "  %-10s %s\n", k->name, k->summary);
	return f == stderr ? 2 : 0;
}

int main(int argc, char **argv)
{
	struct cli c = { 0 };
	static char store_path[512];
	int i, version = 0;

	if (sodium_init() < 0) {
		fprintf(stderr, "itsm: cannot initialise libsodium\n");
		return 1;
	}
	c.db = getenv("ITSM_DB") && *getenv("ITSM_DB") ? getenv("ITSM_DB") : "itsm.db";
	c.db_named = getenv("ITSM_DB") && *getenv("ITSM_DB");
	c.config = getenv("ITSM_CONFIG") && *getenv("ITSM_CONFIG") ? getenv("ITSM_CONFIG") : NULL;
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--db") && i + 1 < argc) {
			c.db = argv[++i];
			c.db_named = 1;
		} else if (!strncmp(argv[i], "--db=", 5)) {
			c.db = argv[i] + 5;
			c.db_named = 1;
		} else if (!strcmp(argv[i], "--config") && i + 1 < argc) {
			c.config = argv[++i];
		} else if (!strncmp(argv[i], "--config=", 9)) {
			c.config = argv[i] + 9;
		} else if (!strcmp(argv[i], "--as") && i + 1 < argc) {
			c.as_user = argv[++i];
		} else if (!strcmp(argv[i], "--json")) {
			c.json = 1;
		} else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			return cli_main_usage(stdout);
		} else if (!strcmp(argv[i], "--version")) {
			version = 1; /* after the other options: --db may follow */
		} else {
			fprintf(stderr, "itsm: unknown option '%s'\n", argv[i]);
			return cli_main_usage(stderr);
		}
	}
	/* The configuration's store.path, unless --db or ITSM_DB named one. */
	if (!c.db_named && c.config) {
		struct err e = { 0 };

		if (cli_config_store_path(c.config, store_path, sizeof(store_path), &e))
			return cli_fail(&e);
		if (store_path[0])
			c.db = store_path;
	}
	if (version)
		return cli_version(&c);
	if (i == argc)
		return cli_main_usage(stderr);
	if (!getenv("ITSM_LOG"))
		log_threshold = LOG_WARN;
	else if (log_level_parse(getenv("ITSM_LOG"), &log_threshold))
		log_threshold = LOG_INFO;
	for (const struct cli_command *k = cli_commands; k->name; k++)
		if (!strcmp(argv[i], k->name)) {
			int rc;

			/* Commands may take --json after their name too (not
			 * after "--", which ends the options). */
			for (int j = i + 1; j < argc && strcmp(argv[j], "--"); j++)
				if (!strcmp(argv[j], "--json")) {
					c.json = 1;
					memmove(&argv[j], &argv[j + 1],
						sizeof(char *) * (size_t)(argc - j));
					argc--;
					j--;
				}
			rc = cli_dispatch(&c, argc - i - 1, argv + i + 1, k->subs);
			cli_close(&c);
			return rc;
		}
	fprintf(stderr, "itsm: unknown command '%s'\n", argv[i]);
	return cli_main_usage(stderr);
}
