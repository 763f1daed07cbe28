/*
 * rrule.c — the occurrences of a schedule job: an RFC 5545 RRULE from a
 * start time, evaluated by libical in UTC (times in and out are seconds
 * since the epoch). Pure: no store, no clock.
 *
 * Invariants: a rule is refused unless libical parses it whole and its
 * frequency is MINUTELY or coarser (SECONDLY would make a day of 86,400
 * occurrences); a window never yields more than the caller's max
 * occurrences, and the walk to it is bounded (OP_RRULE_STEPS), so a rule
 * can never keep a request busy.
 */
#include "domain/operation/operation.h"

#include <libical/ical.h>
#include <string.h>

/* The most occurrences walked to reach a window when libical cannot jump
 * to its start (a rule with COUNT). */
#define OP_RRULE_STEPS 1000000

static int parse(const char *text, struct icalrecurrencetype *r, struct err *e)
{
	if (!text || !*text)
		return err_set(e, ERR_INVALID, "rrule", "'rrule' is required");
	if (strlen(text) > OP_RRULE_MAX)
		return err_set(e, ERR_INVALID, "rrule", "'rrule' is longer than %d bytes",
			       OP_RRULE_MAX);
	for (const char *p = text; *p; p++)
		if ((unsigned char)*p < 0x21 || (unsigned char)*p > 0x7e)
			return err_set(e, ERR_INVALID, "rrule",
				       "'rrule' holds a space or a character outside ASCII");
	if (!strncmp(text, "RRULE:", 6))
		return err_set(e, ERR_INVALID, "rrule",
			       "'rrule' is the rule's value, without the 'RRULE:' prefix");
	/* libical answers any error with no frequency (its errno is not read:
	 * requests parse rules on many threads at once). */
	*r = icalrecurrencetype_from_string(text);
	if (r->freq == ICAL_NO_RECURRENCE)
		return err_set(e, ERR_INVALID, "rrule", "malformed RRULE '%.80s' (RFC 5545)", text);
	if (r->freq == ICAL_SECONDLY_RECURRENCE)
		return err_set(e, ERR_INVALID, "rrule",
			       "FREQ=SECONDLY is not taken: a job recurs at most every minute");
	return 0;
}

int op_rrule_check(const char *text, struct err *e)
{
	struct icalrecurrencetype r;

	return parse(text, &r, e);
}

static struct icaltimetype utc_time(int64_t t)
{
	return icaltime_from_timet_with_zone((time_t)t, 0, icaltimezone_get_utc_timezone());
}

int op_rrule_between(const char *text, int64_t dtstart, int64_t from, int64_t to, int64_t *out,
		     size_t max, size_t *n, struct err *e)
{
	struct icalrecurrencetype r;
	icalrecur_iterator *it;
	int rc;

	*n = 0;
	if ((rc = parse(text, &r, e)))
		return rc;
	if (!(it = icalrecur_iterator_new(r, utc_time(dtstart))))
		return err_set(e, ERR_INVALID, "rrule", "libical cannot walk RRULE '%.80s'", text);
	/* Jump to the window when the rule lets libical (not with COUNT). */
	if (from > dtstart && !r.count)
		icalrecur_iterator_set_start(it, utc_time(from));
	for (long steps = 0;; steps++) {
		struct icaltimetype t = icalrecur_iterator_next(it);
		int64_t at;

		if (icaltime_is_null_time(t))
			break;
		at = (int64_t)icaltime_as_timet_with_zone(t, icaltimezone_get_utc_timezone());
		if (at >= to)
			break;
		if (steps >= OP_RRULE_STEPS) {
			rc = err_set(e, ERR_INVALID, "rrule",
				     "RRULE '%.80s' takes more than %d occurrences to reach the day",
				     text, OP_RRULE_STEPS);
			break;
		}
		if (at < from || at < dtstart)
			continue;
		if (*n == max) {
			rc = err_set(e, ERR_INVALID, "rrule",
				     "RRULE '%.80s' has more than %zu occurrences in a day", text,
				     max);
			break;
		}
		out[(*n)++] = at;
	}
	icalrecur_iterator_free(it);
	return rc;
}
