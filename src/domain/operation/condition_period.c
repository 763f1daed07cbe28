/*
 * condition_period.c — the shifts condition reports are cut by and the
 * period of a report: pure, no store, no clock.
 *
 * Shifts come from the configuration ([shift.NAME] start = HH:MM, end =
 * HH:MM), in UTC like the schedule; without any, day 08:00-20:00 and night
 * 20:00-08:00. A shift belongs to the date it starts on: when its end is
 * not after its start it ends on the next day (equal start and end: a shift
 * of 24 hours). Without a shift the period is the whole UTC day.
 */
#include "domain/operation/condition.h"
#include "lib/ident.h"

#include <string.h>

static struct cond_shifts installed;
static int installed_set;

static const struct cond_shifts defaults = {
	2,
	{ { "day", 8 * 60, 20 * 60 }, { "night", 20 * 60, 8 * 60 } },
};

int cond_parse_hhmm(const char *s, int *minutes)
{
	int h, m;

	if (!s || strlen(s) != 5 || s[2] != ':')
		return -1;
	for (int i = 0; i < 5; i++)
		if (i != 2 && (s[i] < '0' || s[i] > '9'))
			return -1;
	h = (s[0] - '0') * 10 + (s[1] - '0');
	m = (s[3] - '0') * 10 + (s[4] - '0');
	if (h > 23 || m > 59)
		return -1;
	*minutes = h * 60 + m;
	return 0;
}

int cond_shifts_add(struct cond_shifts *set, const char *key, const char *value,
		    struct err *e)
{
	const char *dot = strrchr(key, '.');
	char name[COND_SHIFT_MAX + 1];
	size_t n = dot ? (size_t)(dot - key) : 0, i;
	int minutes, start;

	if (!dot || (strcmp(dot, ".start") && strcmp(dot, ".end")))
		return err_set(e, ERR_INVALID, "shift",
			       "unknown shift option '%.64s' (NAME.start, NAME.end)", key);
	if (!n || n > COND_SHIFT_MAX)
		return err_set(e, ERR_INVALID, "shift", "malformed shift name in '%.64s'", key);
	memcpy(name, key, n);
	name[n] = '\0';
	if (!ident_valid(name, COND_SHIFT_MAX, IDENT_PUNCT))
		return err_set(e, ERR_INVALID, "shift",
			       "malformed shift '%s' (letters, digits, '.', '_', '-')", name);
	if (cond_parse_hhmm(value, &minutes))
		return err_set(e, ERR_INVALID, "shift", "shift '%s': '%.16s' is not HH:MM", name,
			       value);
	start = !strcmp(dot, ".start");
	for (i = 0; i < set->n && strcmp(set->s[i].name, name); i++)
		;
	if (i == set->n) {
		if (set->n == COND_SHIFTS_MAX)
			return err_set(e, ERR_INVALID, "shift", "too many shifts (at most %d)",
				       COND_SHIFTS_MAX);
		memset(&set->s[i], 0, sizeof(set->s[i]));
		snprintf(set->s[i].name, sizeof(set->s[i].name), "%s", name);
		set->s[i].start = set->s[i].end = -1;
		set->n++;
	}
	if (start)
		set->s[i].start = minutes;
	else
		set->s[i].end = minutes;
	return 0;
}

int cond_shifts_check(const struct cond_shifts *set, struct err *e)
{
	for (size_t i = 0; i < set->n; i++)
		if (set->s[i].start < 0 || set->s[i].end < 0)
			return err_set(e, ERR_INVALID, "shift", "shift '%s' needs both start and end",
				       set->s[i].name);
	return 0;
}

void cond_shifts_install(const struct cond_shifts *set)
{
	installed = set && set->n ? *set : defaults;
	installed_set = 1;
}

const struct cond_shifts *cond_shifts_get(void)
{
	return installed_set ? &installed : &defaults;
}

const struct cond_shift *cond_shift_find(const char *name)
{
	const struct cond_shifts *set = cond_shifts_get();

	for (size_t i = 0; name && i < set->n; i++)
		if (!strcmp(set->s[i].name, name))
			return &set->s[i];
	return NULL;
}

void cond_period(const struct cond_shift *s, int64_t day, int64_t *from, int64_t *to)
{
	int64_t midnight = day * 86400;

	if (!s) {
		*from = midnight;
		*to = midnight + 86400;
		return;
	}
	*from = midnight + (int64_t)s->start * 60;
	*to = midnight + (int64_t)s->end * 60;
	if (s->end <= s->start)
		*to += 86400;
}
