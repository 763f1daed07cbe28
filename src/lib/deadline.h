/*
 * deadline.h — a bound on how long a stop may take: a thread that waits
 * for deadline_done and, when the bound passes first, logs the stage the
 * stop was in and ends the process with status 1 (a service manager then
 * sees a failed stop, not a hang).
 */
#ifndef ITSM_DEADLINE_H
#define ITSM_DEADLINE_H

#include "lib/err.h"

struct deadline;

/* Start the clock: seconds from now. NULL with e set when no thread can be
 * made; the caller frees it with deadline_done. */
struct deadline *deadline_start(double seconds, struct err *e);
/* Name what the stop does now ("http requests"); a static string. */
void deadline_stage(struct deadline *d, const char *stage);
/* The stop is over in time: stop the clock and free d (NULL: nothing). */
void deadline_done(struct deadline *d);

#endif
