/*
 * cost_rates.c — the hourly rates of [cost] (see cost.h): a table of
 * KEY=RATE rows, KEY a staff role or "group:NAME", RATE whole minor units of
 * the currency per hour. Pure: no store, no clock.
 *
 * Precedence, said once: a rate named on the entry; else the first group
 * row, in the table's order, whose group the user is in (a group is the
 * work, so it comes before the role); else the user's role row; else no
 * rate (0: the entry's minutes count, its cost is 0).
 *
 * The table is read once at start and then only read, so it needs no lock;
 * a refused table leaves the one in force.
 */
#include "domain/cost/cost.h"
#include "domain/desk/ticket.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

struct rate_row {
	char key[COST_RATE_KEY_MAX + 1];
	int64_t rate;
};

static struct rate_row rows[COST_RATES_MAX];
static size_t nrows;
static char currency[4] = "JPY";

static const char *const staff_roles[] = { "agent", "operator", "manager", "admin", NULL };

static int key_valid(const char *k)
{
	if (!strncmp(k, "group:", 6))
		return ticket_group_valid(k + 6);
	for (size_t i = 0; staff_roles[i]; i++)
		if (!strcmp(k, staff_roles[i]))
			return 1;
	return 0;
}

static const char *skip_space(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

int cost_rates_set(const char *spec, const char *cur, struct err *e)
{
	struct rate_row next[COST_RATES_MAX];
	const char *p = skip_space(spec ? spec : "");
	size_t n = 0;

	if (!cur || strlen(cur) != 3 || !isupper((unsigned char)cur[0]) ||
	    !isupper((unsigned char)cur[1]) || !isupper((unsigned char)cur[2]))
		return err_set(e, ERR_INVALID, NULL,
			       "cost.currency: expected three capital letters (JPY, EUR), not '%s'",
			       cur ? cur : "");
	while (*p) {
		size_t len = strcspn(p, "= \t,");
		char *end;
		long long v;

		if (n == COST_RATES_MAX)
			return err_set(e, ERR_INVALID, NULL, "cost.rates: more than %d rates",
				       COST_RATES_MAX);
		if (!len || len > COST_RATE_KEY_MAX)
			return err_set(e, ERR_INVALID, NULL, "cost.rates: rate %zu: expected KEY=RATE",
				       n + 1);
		memcpy(next[n].key, p, len);
		next[n].key[len] = 0;
		if (!key_valid(next[n].key))
			return err_set(e, ERR_INVALID, NULL,
				       "cost.rates: unknown key '%s' (agent, operator, manager, "
				       "admin or group:NAME)",
				       next[n].key);
		for (size_t i = 0; i < n; i++)
			if (!strcmp(next[i].key, next[n].key))
				return err_set(e, ERR_INVALID, NULL,
					       "cost.rates: '%s' is named twice", next[n].key);
		p = skip_space(p + len);
		if (*p++ != '=')
			return err_set(e, ERR_INVALID, NULL, "cost.rates: expected '=' after '%s'",
				       next[n].key);
		p = skip_space(p);
		if (!isdigit((unsigned char)*p))
			return err_set(e, ERR_INVALID, NULL,
				       "cost.rates: '%s': expected a whole number of minor units "
				       "per hour",
				       next[n].key);
		v = strtoll(p, &end, 10);
		if (v < 0 || v > COST_RATE_MAX)
			return err_set(e, ERR_INVALID, NULL, "cost.rates: '%s': rate above %d",
				       next[n].key, COST_RATE_MAX);
		next[n++].rate = v;
		p = skip_space(end);
		if (!*p)
			break;
		if (*p++ != ',')
			return err_set(e, ERR_INVALID, NULL, "cost.rates: expected ',' after '%s'",
				       next[n - 1].key);
		p = skip_space(p);
		if (!*p)
			return err_set(e, ERR_INVALID, NULL,
				       "cost.rates: expected KEY=RATE after the last ','");
	}
	memcpy(rows, next, n * sizeof(next[0]));
	nrows = n;
	memcpy(currency, cur, 4);
	return 0;
}

const char *cost_currency(void)
{
	return currency;
}

/* Whether the comma-separated list holds name. */
static int in_list(const char *list, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = list; p && *p;) {
		size_t len = strcspn(p, ",");

		if (len == n && !strncmp(p, name, n))
			return 1;
		p += len + (p[len] == ',');
	}
	return 0;
}

static void take(const struct rate_row *r, char key[COST_RATE_KEY_MAX + 1], int64_t *rate)
{
	memcpy(key, r->key, sizeof(r->key));
	*rate = r->rate;
}

int cost_rate_for(const char *role, const char *groups, const char *named,
		  char key[COST_RATE_KEY_MAX + 1], int64_t *rate, struct err *e)
{
	key[0] = 0;
	*rate = 0;
	if (named) {
		for (size_t i = 0; i < nrows; i++)
			if (!strcmp(rows[i].key, named)) {
				take(&rows[i], key, rate);
				return 0;
			}
		return err_set(e, ERR_INVALID, "rate", "unknown rate '%s': not in cost.rates",
			       named);
	}
	for (size_t i = 0; i < nrows; i++)
		if (!strncmp(rows[i].key, "group:", 6) && in_list(groups, rows[i].key + 6)) {
			take(&rows[i], key, rate);
			return 0;
		}
	for (size_t i = 0; i < nrows; i++)
		if (!strcmp(rows[i].key, role)) {
			take(&rows[i], key, rate);
			return 0;
		}
	return 0;
}

int64_t cost_of(int64_t minutes, int64_t rate)
{
	return (minutes * rate + 30) / 60;
}
