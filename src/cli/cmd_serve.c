/*
 * cmd_serve.c — itsm serve [--listen ADDR:PORT] [--demo] [--threads N]
 *                          [--web-dir DIR] [--body-limit BYTES]
 *
 * Opens (creating and migrating) the store with the group-commit writer,
 * loads demo data into an empty store on --demo, or makes the first admin
 * with a one-time password, serves until SIGINT or SIGTERM, then stops
 * accepting, finishes in-flight requests and closes the store.
 */
#include "api/server.h"
#include "cli/cli.h"
#include "domain/demo.h"
#include "domain/user.h"
#include "lib/log.h"
#include "lib/timeutil.h"
#include "store/store.h"

#include <signal.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"itsm serve [--listen ADDR:PORT] [--demo] [--threads N] [--web-dir DIR]\n"
	"                  [--body-limit BYTES]";

static void print_line(const char *line, void *ctx)
{
	printf("    %s\n", line);
}

static int first_admin(struct cli *c)
{
	struct err e = { 0 };
	unsigned char raw[12];
	char pw[32];
	json_t *in, *out = NULL;
	int64_t n;

	if (c->st->ops->user_count(c->st, &n) || n > 0)
		return 0;
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(pw, sizeof(pw), raw, sizeof(raw), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	in = json_pack("{s:s, s:s, s:s, s:s}", "username", "admin", "name", "Administrator", "role",
		       "admin", "password", pw);
	if (user_add(c->st, &c->actor, in, &out, &e)) {
		json_decref(in);
		return cli_fail(&e);
	}
	json_decref(in);
	json_decref(out);
	printf("  a new store: sign in as 'admin' with the one-time password %s\n"
	       "  (change it: itsm user passwd admin --password-stdin)\n",
	       pw);
	return 0;
}

static int parse_listen(const char *s, struct server_opts *o)
{
	const char *colon = strrchr(s, ':');
	char *end;
	long port;

	if (!colon || colon == s || (size_t)(colon - s) >= sizeof(o->addr))
		return -1;
	port = strtol(colon + 1, &end, 10);
	if (*end || port < 0 || port > 65535)
		return -1;
	snprintf(o->addr, sizeof(o->addr), "%.*s", (int)(colon - s), s);
	if (!strcmp(o->addr, "localhost"))
		snprintf(o->addr, sizeof(o->addr), "127.0.0.1");
	o->port = (int)port;
	return 0;
}

int cmd_serve(struct cli *c, int argc, char **argv)
{
	struct opt opts[] = { { "--listen", 1 },  { "--demo", 0 },	 { "--threads", 1 },
			      { "--web-dir", 1 }, { "--body-limit", 1 }, { NULL } };
	struct server_opts so;
	struct server *srv;
	struct err e = { 0 };
	const char *pos[1], *v;
	sigset_t set;
	int n, sig, rc;

	if ((rc = cli_parse(argc, argv, opts, pos, 0, &n, usage)))
		return rc;
	server_opts_default(&so);
	if ((v = cli_opt(opts, "--listen")) && parse_listen(v, &so))
		return cli_failf("cannot parse --listen '%s' (want ADDR:PORT)", v);
	if ((v = cli_opt(opts, "--threads")) && ((so.threads = atoi(v)) < 1 || so.threads > 256))
		return cli_failf("--threads must be 1-256");
	if ((v = cli_opt(opts, "--body-limit")) &&
	    ((so.body_limit = strtoul(v, NULL, 10)) < 1024))
		return cli_failf("--body-limit must be at least 1024");
	if ((v = cli_opt(opts, "--web-dir")))
		snprintf(so.web_dir, sizeof(so.web_dir), "%s", v);
	if (!getenv("ITSM_LOG"))
		log_threshold = LOG_INFO;

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
		int64_t users;

		if (!c->st->ops->user_count(c->st, &users) && users == 0) {
			printf("itsm: loading demo data…\n");
			fflush(stdout);
			if (demo_load(c->st, clock_now(), &e))
				return cli_fail(&e);
		}
		printf("  demo users (password '%s'):\n", DEMO_PASSWORD);
		demo_print_users(print_line, NULL);
	} else if ((rc = first_admin(c))) {
		return rc;
	}
	srv = calloc(1, sizeof(*srv));
	if (!srv)
		return cli_failf("out of memory");
	if (server_start(srv, c->st, &so, &e)) {
		free(srv);
		return cli_fail(&e);
	}
	printf("  API tokens for curl: itsm --db %s token create NAME --user USERNAME\n", c->db);
	printf("itsm: listening on http://%s:%d\n", so.addr, srv->port);
	fflush(stdout);
	sigwait(&set, &sig);
	log_info("msg=\"stopping\" signal=%d", sig);
	server_stop(srv);
	free(srv);
	return 0;
}
