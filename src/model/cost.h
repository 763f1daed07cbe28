/*
 * cost.h — the record of time spent (docs/cost.md): one entry of minutes
 * worked on a ticket, a procedure execution or a change, by one staff user
 * on one day, with the hourly rate in force when it was recorded and the
 * cost worked out from it (minor units of currency). Both sides of the
 * store include it.
 */
#ifndef ITSM_MODEL_COST_H
#define ITSM_MODEL_COST_H

#include <stdint.h>

#define TIME_NOTE_MAX 1000   /* bytes of a note */
#define TIME_MINUTES_MAX 1440 /* one entry covers one day at most */
#define COST_RATE_KEY_MAX 70  /* "group:" and a group name */

struct time_entry {
	int64_t id;
	char subject[8];           /* ticket, change, run */
	char ref[32];              /* INC-4, CHG-2, RUN-3 */
	int64_t customer_id;       /* 0: none */
	char customer[64];         /* its key, filled on read */
	char service[64];          /* "" when none */
	int64_t user_id;
	char user[64];             /* filled on read */
	int64_t minutes;
	char date[11];             /* YYYY-MM-DD, the day worked */
	char note[TIME_NOTE_MAX + 1];
	char rate_key[COST_RATE_KEY_MAX + 1]; /* the row of [cost] rates; "" none */
	int64_t rate;              /* minor units per hour */
	char currency[4];
	int64_t cost;              /* minor units */
	char source[8];            /* api, import */
	int64_t created_by;
	char created_by_name[64];  /* filled on read */
	int64_t created_at, updated_at, version;
};

#endif
