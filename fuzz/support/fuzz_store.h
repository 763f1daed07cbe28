/*
 * fuzz/support/fuzz_store.h — a real store for the fuzz targets whose parsers
 * stand in front of a write (CMDB items, SLAs, checks, outages, staff,
 * imports, sessions, list queries).
 *
 * The store is SQLite in a temporary directory (itsm-fuzz-PID-* in
 * /dev/shm, else /tmp; removed at exit, or by the next fuzz process when
 * this one died), opened once per process and filled with a small
 * organisation made through the domain's own operations (customers, users
 * of every role, the demo catalogue: services, a calendar, SLAs, items and
 * relationships, outages, staff; a few tickets, a check, an outage still
 * open (id 4), a session). From then on every write is undone: the domain's
 * function runs inside the transaction as usual, then the transaction is
 * rolled back and the caller is told what the function answered. So each
 * input meets the same store (the fuzzer needs that to reproduce what it
 * finds), and the domain goes on as after a commit.
 *
 * Determinism: the clock is fixed at FUZZ_NOW.
 */
#ifndef ITSM_FUZZ_STORE_H
#define ITSM_FUZZ_STORE_H

#include <stdint.h>

#include "domain/platform/actor.h"

struct store;
struct store_tx;

/* 2026-03-02T10:00:00Z, a Monday. */
#define FUZZ_NOW 1772445600LL

/* The seeded store (opened on the first call; closed and removed at exit). */
struct store *fuzz_store(void);

/* The actor of a seeded user: admin, mori (manager), sato (agent),
 * watanabe (operator), kato (agent, signs in), alice (requester of acme),
 * dave (requester of globex); aborts on any other name. */
void fuzz_actor(const char *username, struct actor *a);

/* Called inside every write whose function succeeded, just before it is
 * undone, with the write's transaction (NULL: nothing is called). A check
 * that fails aborts. */
typedef void (*fuzz_write_hook)(struct store_tx *tx, void *arg);
void fuzz_store_hook(fuzz_write_hook fn, void *arg);

/* Writes whose function succeeded (then undone) since the last reset. */
int fuzz_store_writes(void);
void fuzz_store_reset_writes(void);

/* The seeded configuration's command templates (name, command line), all
 * running one program of a plugin directory of the store's own; check
 * ping-fw uses "ping" with two arguments. */
#define FUZZ_COMMANDS                                                                              \
	{ "ping", "check_ok -H $HOSTADDRESS$ -w $ARG1$ -c $ARG2$" },                              \
		{ "http", "check_ok -H $ARG1$ \"--url=$ARG2$\" --ssl" },                          \
		{ "dummy", "check_ok $ARG1$" }

/* The seeded sign-in: user kato, this password (a cheap Argon2id hash, so
 * each attempt costs microseconds); the session token of a sign-in made
 * while seeding; user ito, locked out after failed sign-ins. */
#define FUZZ_PASSWORD "correct horse battery"
extern char fuzz_session_token[64];
extern char fuzz_session_csrf[64];

#endif
