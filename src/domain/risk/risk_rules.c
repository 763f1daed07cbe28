/*
 * risk_rules.c — the rules of the risk register as tables: the names of the
 * statuses, the lifecycles of a risk and of a measure, and the matrix of
 * likelihood × impact into levels. Pure: no store, no clock.
 *
 * A risk:    open → mitigating | accepted | closed
 *            mitigating → accepted | closed;  accepted → mitigating | closed
 *            closed is terminal.
 * A measure: planned → in_progress | done | cancelled
 *            in_progress → planned | done | cancelled
 *            done and cancelled are terminal.
 * The level table is read once at start and then only read, so it needs no
 * lock; a refused table leaves the one in force.
 */
#include "domain/risk/risk.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static const char *const status_names[RS__COUNT] = {
	[RS_OPEN] = "open",
	[RS_MITIGATING] = "mitigating",
	[RS_ACCEPTED] = "accepted",
	[RS_CLOSED] = "closed",
};

static const char *const measure_names[MS__COUNT] = {
	[MS_PLANNED] = "planned",
	[MS_IN_PROGRESS] = "in_progress",
	[MS_DONE] = "done",
	[MS_CANCELLED] = "cancelled",
};

#define M(s) (1u << (s))
static const unsigned risk_moves[RS__COUNT] = {
	[RS_OPEN] = M(RS_MITIGATING) | M(RS_ACCEPTED) | M(RS_CLOSED),
	[RS_MITIGATING] = M(RS_ACCEPTED) | M(RS_CLOSED),
	[RS_ACCEPTED] = M(RS_MITIGATING) | M(RS_CLOSED),
};
static const unsigned measure_moves[MS__COUNT] = {
	[MS_PLANNED] = M(MS_IN_PROGRESS) | M(MS_DONE) | M(MS_CANCELLED),
	[MS_IN_PROGRESS] = M(MS_PLANNED) | M(MS_DONE) | M(MS_CANCELLED),
};
#undef M

static int parse(const char *const *names, int n, const char *name, int *out)
{
	for (int i = 0; name && i < n; i++)
		if (!strcmp(name, names[i])) {
			*out = i;
			return 0;
		}
	return ERR_INVALID;
}

const char *risk_status_name(enum risk_status s)
{
	return (unsigned)s < RS__COUNT ? status_names[s] : "?";
}

int risk_status_parse(const char *name, enum risk_status *out)
{
	int i, rc = parse(status_names, RS__COUNT, name, &i);

	if (!rc)
		*out = (enum risk_status)i;
	return rc;
}

int risk_can_move(enum risk_status from, enum risk_status to)
{
	return (unsigned)from < RS__COUNT && (unsigned)to < RS__COUNT &&
	       (risk_moves[from] & (1u << to)) != 0;
}

const char *risk_measure_status_name(enum measure_status s)
{
	return (unsigned)s < MS__COUNT ? measure_names[s] : "?";
}

int risk_measure_status_parse(const char *name, enum measure_status *out)
{
	int i, rc = parse(measure_names, MS__COUNT, name, &i);

	if (!rc)
		*out = (enum measure_status)i;
	return rc;
}

int risk_measure_can_move(enum measure_status from, enum measure_status to)
{
	return (unsigned)from < MS__COUNT && (unsigned)to < MS__COUNT &&
	       (measure_moves[from] & (1u << to)) != 0;
}

int risk_measure_is_open(enum measure_status s)
{
	return s == MS_PLANNED || s == MS_IN_PROGRESS;
}

/* ---- the matrix ---- */

struct band {
	char name[32];
	int from, to;
};

static struct band bands[RISK_LEVELS_MAX] = {
	{ "low", 1, 4 }, { "medium", 5, 9 }, { "high", 10, 16 }, { "critical", 17, 25 },
};
static size_t nbands = 4;

static const char *skip_space(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

static int read_int(const char **p, int *out)
{
	char *end;
	long v;

	if (!isdigit((unsigned char)**p))
		return -1;
	v = strtol(*p, &end, 10);
	if (v < 0 || v > 1000)
		return -1;
	*out = (int)v;
	*p = end;
	return 0;
}

int risk_levels_set(const char *spec, struct err *e)
{
	struct band next[RISK_LEVELS_MAX];
	size_t n = 0;
	const char *p = spec ? spec : "";
	int expect = 1;

	for (;;) {
		struct band *b;
		size_t len = 0;

		p = skip_space(p);
		if (n == RISK_LEVELS_MAX)
			return err_set(e, ERR_INVALID, NULL, "more than %d risk levels",
				       RISK_LEVELS_MAX);
		b = &next[n];
		while (islower((unsigned char)p[len]) || isdigit((unsigned char)p[len]) ||
		       p[len] == '_')
			len++;
		if (!len || len >= sizeof(b->name) || p[len] != ':')
			return err_set(e, ERR_INVALID, NULL,
				       "risk level %zu: expected NAME:FROM-TO (a-z, 0-9, _)", n + 1);
		memcpy(b->name, p, len);
		b->name[len] = 0;
		for (size_t i = 0; i < n; i++)
			if (!strcmp(next[i].name, b->name))
				return err_set(e, ERR_INVALID, NULL, "risk level '%s' is named twice",
					       b->name);
		p += len + 1;
		if (read_int(&p, &b->from) || *p++ != '-' || read_int(&p, &b->to))
			return err_set(e, ERR_INVALID, NULL, "risk level '%s': expected FROM-TO",
				       b->name);
		if (b->from != expect)
			return err_set(e, ERR_INVALID, NULL,
				       "risk level '%s' starts at %d: expected %d (no gap, no overlap)",
				       b->name, b->from, expect);
		if (b->to < b->from || b->to > RISK_SCORE_MAX)
			return err_set(e, ERR_INVALID, NULL,
				       "risk level '%s' ends at %d: expected %d-%d", b->name, b->to,
				       b->from, RISK_SCORE_MAX);
		expect = b->to + 1;
		n++;
		p = skip_space(p);
		if (!*p)
			break;
		if (*p++ != ',')
			return err_set(e, ERR_INVALID, NULL, "risk levels: expected ',' after '%s'",
				       b->name);
	}
	if (expect != RISK_SCORE_MAX + 1)
		return err_set(e, ERR_INVALID, NULL, "risk levels end at %d: they must reach %d",
			       expect - 1, RISK_SCORE_MAX);
	memcpy(bands, next, sizeof(next));
	nbands = n;
	return 0;
}

int risk_score(int likelihood, int impact)
{
	if (likelihood < 1 || likelihood > RISK_SCALE || impact < 1 || impact > RISK_SCALE)
		return 0;
	return likelihood * impact;
}

const char *risk_level(int score)
{
	for (size_t i = 0; i < nbands; i++)
		if (score >= bands[i].from && score <= bands[i].to)
			return bands[i].name;
	return "";
}

json_t *risk_levels_json(void)
{
	json_t *a = json_array();

	for (size_t i = 0; i < nbands; i++)
		json_array_append_new(a, json_pack("{s:s, s:i, s:i}", "level", bands[i].name,
						   "from", bands[i].from, "to", bands[i].to));
	return a;
}
