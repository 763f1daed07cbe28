/*
 * fault.h — failing the k-th allocation, SQLite step, or write/fsync, for
 * the fault harness (tests/fault/harness.c), as SQLite tests itself.
 *
 * Three kinds of event are counted while a fault is armed, each on its own
 * counter from the moment of arming:
 *  - an allocation: our malloc, calloc, realloc, strdup, strndup (wrapped
 *    at link time: -Wl,--wrap=…), jansson's (its allocator is lib/jsonx's,
 *    set with json_set_alloc_funcs, which calls our malloc) and SQLite's
 *    (SQLITE_CONFIG_MALLOC over its default allocator);
 *  - a step: every sqlite3_step our code calls (wrapped at link time);
 *  - a write or fsync SQLite makes: xWrite and xSync of a VFS shim over
 *    the default one, registered as the default.
 * The k-th event of the armed kind fails, once: NULL for an allocation,
 * SQLITE_IOERR (or SQLITE_BUSY) for a step, SQLITE_FULL for a write and
 * SQLITE_IOERR_FSYNC for an fsync. Single-threaded use only.
 */
#ifndef ITSM_FAULT_H
#define ITSM_FAULT_H

enum fault_kind {
	FAULT_ALLOC,
	FAULT_STEP_IOERR,
	FAULT_STEP_BUSY,
	FAULT_IO,
	FAULT__COUNT,
};

/* Before the first use of SQLite or jansson. */
void fault_install(void);
/* Fail the k-th (1-based) event of kind from now on. */
void fault_arm(enum fault_kind kind, long k);
/* Stop counting; 1 when the armed event happened (and failed). */
int fault_disarm(void);
const char *fault_kind_name(enum fault_kind kind);

#endif
