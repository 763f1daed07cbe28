/*
 * fuzz/support/fuzz_store.c — the seeded store of the fuzz targets (see
 * fuzz_store.h). Linked into every target by scripts/fuzz.sh and
 * scripts/fuzz-replay.sh; a target that never calls fuzz_store() opens
 * nothing.
 *
 * Undoing writes: the store's table of operations is copied with `write`
 * replaced. The replacement runs the real write with a function of its own
 * that calls the domain's function, keeps its answer and returns a positive
 * code, so the writer rolls the request's savepoint back; the caller then
 * gets the domain function's own answer.
 */
#include "fuzz_store.h"

#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "domain/demo/demo.h"
#include "domain/desk/ticket.h"
#include "domain/events/check.h"
#include "domain/events/check_command.h"
#include "domain/platform/session.h"
#include "domain/platform/user.h"
#include "domain/sla/outage.h"
#include "lib/log.h"
#include "lib/timeutil.h"
#include "store/store.h"
#include "store/store_session.h"

#define UNDONE 1 /* what the wrapped function returns: roll back */

char fuzz_session_token[64];
char fuzz_session_csrf[64];

static struct store *st;
static struct store_ops undo_ops;
static const struct store_ops *real_ops;
static char dir[128], path[160], plugins[160];
static fuzz_write_hook hook;
static void *hook_arg;
static int writes;

static void die(const char *what, const struct err *e)
{
	fprintf(stderr, "fuzz_store: %s: %s\n", what, e ? e->msg : "");
	abort();
}

/* ---- undoing writes ---- */

struct undo {
	store_write_fn fn;
	void *ctx;
	int rc;
	int ran;
};

static int undo_fn(struct store_tx *tx, void *ctx, struct err *e)
{
	struct undo *u = ctx;

	u->ran = 1;
	u->rc = u->fn(tx, u->ctx, e);
	if (u->rc == 0) {
		writes++;
		if (hook)
			hook(tx, hook_arg);
	}
	return UNDONE;
}

static int undo_write(struct store *s, store_write_fn fn, void *ctx, struct err *e)
{
	struct undo u = { fn, ctx, 0, 0 };
	int rc = real_ops->write(s, undo_fn, &u, e);

	if (rc == UNDONE && u.ran)
		return u.rc;
	if (rc == 0 || rc == UNDONE)
		abort(); /* the wrapped function never returns 0, nor the store 1 */
	return rc;
}

void fuzz_store_hook(fuzz_write_hook fn, void *arg)
{
	hook = fn;
	hook_arg = arg;
}

int fuzz_store_writes(void)
{
	return writes;
}

void fuzz_store_reset_writes(void)
{
	writes = 0;
}

/* ---- seeding ---- */

typedef int (*create_fn)(struct store *s, const struct actor *a, const json_t *in, json_t **out,
			 struct err *e);

static void make(const struct actor *a, create_fn fn, const char *text)
{
	json_error_t je;
	json_t *in = json_loads(text, 0, &je), *out = NULL;
	struct err e = { 0 };

	if (!in || fn(st, a, in, &out, &e))
		die(text, in ? &e : NULL);
	json_decref(in);
	json_decref(out);
}

void fuzz_actor(const char *username, struct actor *a)
{
	struct err e = { 0 };

	if (actor_for_username(fuzz_store(), username, a, &e))
		die(username, &e);
}

struct pw_ctx {
	const char *username;
	char hash[crypto_pwhash_STRBYTES];
};

/* kato's password with the cheapest Argon2id parameters, and ito's lock. */
static int do_passwords(struct store_tx *tx, void *arg, struct err *e)
{
	struct pw_ctx *p = arg;
	struct user u;
	int64_t failures;
	int rc;

	if ((rc = tx->st->ops->user_get(tx->st, tx, 0, p->username, &u, e)))
		return rc;
	snprintf(u.password_hash, sizeof(u.password_hash), "%s", p->hash);
	u.version++;
	if ((rc = tx->st->ops->user_update(tx, &u, e)))
		return rc;
	for (int i = 0; i < 9; i++)
		if ((rc = tx->st->ops->session->failures_add(tx, "ito", &failures, e)))
			return rc;
	return tx->st->ops->session->failures_lock(tx, "ito", FUZZ_NOW + 900, e);
}

/* The command templates of the seeded configuration (FUZZ_COMMANDS), over
 * a plugin directory of the store's own holding one program (never run). */
static void install_commands(void)
{
	static const char *const lines[][2] = { FUZZ_COMMANDS };
	struct check_commands *set = check_commands_new();
	char plugin[200];
	struct err e = { 0 };
	FILE *f = NULL;

	snprintf(plugins, sizeof(plugins), "%s/plugins", dir);
	snprintf(plugin, sizeof(plugin), "%s/check_ok", plugins);
	if (!set || mkdir(plugins, 0755) || !(f = fopen(plugin, "w")))
		die("the plugin directory", &e);
	fputs("#!/bin/sh\nexit 0\n", f);
	fclose(f);
	chmod(plugin, 0755);
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
		if (check_commands_add(set, lines[i][0], lines[i][1], &e))
			die("a command template", &e);
	if (check_commands_resolve(set, plugins, &e))
		die("the command templates", &e);
	check_commands_install(set);
}

static void seed(void)
{
	static const char *const customers[] = {
		"{\"key\":\"acme\",\"name\":\"Acme Manufacturing\"}",
		"{\"key\":\"globex\",\"name\":\"Globex Logistics\"}",
		"{\"key\":\"initech\",\"name\":\"Initech Finance\"}",
	};
	static const char *const users[] = {
		"{\"username\":\"admin\",\"name\":\"Ada Admin\",\"role\":\"admin\"}",
		"{\"username\":\"mori\",\"name\":\"Mori Haruka\",\"role\":\"manager\","
		"\"groups\":\"service-desk,operations\"}",
		"{\"username\":\"sato\",\"name\":\"Sato Yui\",\"role\":\"agent\","
		"\"groups\":\"service-desk\"}",
		"{\"username\":\"kato\",\"name\":\"Kato Ren\",\"role\":\"agent\"}",
		"{\"username\":\"ito\",\"name\":\"Ito Aoi\",\"role\":\"agent\"}",
		"{\"username\":\"watanabe\",\"name\":\"Watanabe Riku\",\"role\":\"operator\","
		"\"groups\":\"operations\"}",
		"{\"username\":\"alice\",\"name\":\"Alice Anders\",\"role\":\"requester\","
		"\"customer\":\"acme\"}",
		"{\"username\":\"dave\",\"name\":\"Dave Dobbs\",\"role\":\"requester\","
		"\"customer\":\"globex\"}",
	};
	static const struct {
		const char *who, *body;
	} tickets[] = {
		{ "alice", "{\"kind\":\"incident\",\"title\":\"Cannot send e-mail\",\"impact\":2,"
			   "\"urgency\":2,\"service\":\"email\",\"channel\":\"web\"}" },
		{ "alice", "{\"kind\":\"request\",\"title\":\"New laptop\",\"impact\":3,"
			   "\"urgency\":3,\"service\":\"erp\"}" },
		{ "dave", "{\"kind\":\"incident\",\"title\":\"Web shop returns 502\",\"impact\":1,"
			  "\"urgency\":1,\"service\":\"web-shop\"}" },
		{ "sato", "{\"kind\":\"inquiry\",\"title\":\"Where is the VPN client?\","
			  "\"impact\":3,\"urgency\":2,\"customer\":\"initech\",\"assignee\":\"sato\"}" },
	};
	struct actor sys, a, kato;
	struct pw_ctx pw = { .username = "kato" };
	struct err e = { 0 };
	int rc;

	actor_system(&sys, "admin");
	clock_set(FUZZ_NOW - 40 * 86400);
	for (size_t i = 0; i < sizeof(customers) / sizeof(customers[0]); i++)
		make(&sys, customer_add, customers[i]);
	for (size_t i = 0; i < sizeof(users) / sizeof(users[0]); i++)
		make(&sys, user_add, users[i]);
	if ((rc = demo_catalogue(st, &sys, FUZZ_NOW - 30 * 86400, &e)))
		die("the demo catalogue", &e);
	clock_set(FUZZ_NOW - 2 * 86400);
	for (size_t i = 0; i < sizeof(tickets) / sizeof(tickets[0]); i++) {
		fuzz_actor(tickets[i].who, &a);
		make(&a, ticket_create, tickets[i].body);
	}
	install_commands();
	make(&sys, check_create,
	     "{\"name\":\"ping-fw\",\"ci\":\"fw-01\",\"command\":\"ping\","
	     "\"args\":[\"100,20%\",\"500,60%\"],\"interval_seconds\":300}");
	make(&sys, outage_create, "{\"service\":\"vpn\",\"start\":\"2026-03-02T08:00:00Z\","
				  "\"ci\":\"vpn-gw\"}");
	if (crypto_pwhash_str(pw.hash, FUZZ_PASSWORD, strlen(FUZZ_PASSWORD),
			      crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN) ||
	    store_write(st, do_passwords, &pw, &e))
		die("the passwords", &e);
	clock_set(FUZZ_NOW - 600);
	if (session_sign_in(st, "kato", FUZZ_PASSWORD, fuzz_session_token, fuzz_session_csrf,
			    &kato, &e))
		die("the session", &e);
	clock_set(FUZZ_NOW);
}

/* ---- lifecycle ---- */

static void cleanup(void)
{
	static const char *const ext[] = { "", "-wal", "-shm", "-journal" };
	char p[200];

	store_close(st);
	st = NULL;
	check_commands_install(NULL);
	snprintf(p, sizeof(p), "%s/check_ok", plugins);
	unlink(p);
	rmdir(plugins);
	for (size_t i = 0; i < sizeof(ext) / sizeof(ext[0]); i++) {
		snprintf(p, sizeof(p), "%s%s", path, ext[i]);
		unlink(p);
	}
	rmdir(dir);
}

/* Remove the stores of fuzz processes that died without their atexit (a
 * failed check aborts): directories "itsm-fuzz-PID-*" whose PID is gone. */
static void sweep(const char *base)
{
	DIR *d = opendir(base);
	struct dirent *de;

	if (!d)
		return;
	while ((de = readdir(d))) {
		static const char *const ext[] = { "", "-wal", "-shm", "-journal" };
		char p[300], f[320];
		long pid;

		if (strncmp(de->d_name, "itsm-fuzz-", 10) ||
		    (pid = strtol(de->d_name + 10, NULL, 10)) <= 0 ||
		    kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue;
		snprintf(p, sizeof(p), "%s/%s", base, de->d_name);
		for (size_t i = 0; i < sizeof(ext) / sizeof(ext[0]); i++) {
			snprintf(f, sizeof(f), "%s/store.db%s", p, ext[i]);
			unlink(f);
		}
		rmdir(p);
	}
	closedir(d);
}

struct store *fuzz_store(void)
{
	const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
	struct err e = { 0 };

	if (st)
		return st;
	log_threshold = LOG_ERROR;
	if (sodium_init() < 0)
		die("sodium_init", NULL);
	sweep(base);
	snprintf(dir, sizeof(dir), "%s/itsm-fuzz-%ld-XXXXXX", base, (long)getpid());
	if (!mkdtemp(dir))
		die("mkdtemp", NULL);
	snprintf(path, sizeof(path), "%s/store.db", dir);
	if (!(st = store_open(path, 0, &e)))
		die(path, &e);
	atexit(cleanup);
	seed();
	real_ops = st->ops;
	undo_ops = *real_ops;
	undo_ops.write = undo_write;
	st->ops = &undo_ops;
	return st;
}
