/*
 * tz.c — IANA time zones from TZif files (RFC 8536), thread-safe.
 *
 * A zone is a table of offset changes (the 64-bit section of a v2+ file, the
 * 32-bit one of a v1 file) and, for instants after the last transition of
 * the file, the POSIX TZ string of its footer ("EST5EDT,M3.2.0,M11.1.0").
 * The table is compacted at load: only transitions that change the UTC offset
 * are kept, so every entry is a real change and tz_next_change() is a binary
 * search. Before the first transition the offset of local time type 0 holds.
 *
 * Invariants: at[] strictly ascends; off[0] != off0 and off[i] != off[i-1];
 * a loaded zone is never modified nor freed (one from tz_parse() is its
 * caller's, outside the cache). The cache is a table of zone
 * pointers guarded by one mutex; lookups of cached zones only take the mutex
 * for the search. Files counting leap seconds ("right/...") are refused,
 * because itsm's instants are POSIX time.
 */
#include "lib/tz.h"
#include "lib/err.h"
#include "lib/file.h"
#include "lib/timeutil.h"

#include <ctype.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define TZ_FILE_MAX (1024 * 1024)
#define TZ_OFF_MAX (26 * 3600)
/* Rule evaluation clamps instants to about ±35,000 years (no overflow). */
#define TZ_RULE_LIMIT ((int64_t)1 << 40)
/* Table instants beyond ±2^60 are refused (fat files start at -2^59). */
#define TZ_AT_LIMIT ((int64_t)1 << 60)

struct tz_rule {
	char kind;     /* 'J': Jn, 1-365 without Feb 29; 'D': n, 0-365; 'M': Mm.w.d */
	int day;       /* J, D */
	int mon, week, wday; /* M */
	int32_t time;  /* seconds after local midnight, may be negative */
};

struct tz_posix {
	bool has_dst;
	int32_t std_off, dst_off;
	struct tz_rule start, end;
};

struct tz {
	char name[TZ_NAME_MAX];
	size_t n;
	int64_t *at;
	int32_t *off;
	int32_t off0;
	bool has_footer;
	int64_t rule_from;
	struct tz_posix rule;
};

struct rule_trans {
	int64_t at;
	int64_t year;
	int32_t off;
};

static struct tz utc_zone = { .name = "UTC" };

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static struct tz **cache;
static size_t cache_len, cache_alloc;

/* ---- POSIX TZ strings ------------------------------------------------- */

static int posix_name(const char **sp)
{
	const char *s = *sp;
	size_t n = 0;

	if (*s == '<') {
		s++;
		while (isalnum((unsigned char)s[n]) || s[n] == '+' || s[n] == '-')
			n++;
		if (n == 0 || s[n] != '>')
			return -1;
		*sp = s + n + 1;
		return 0;
	}
	while (isalpha((unsigned char)s[n]))
		n++;
	if (n < 3)
		return -1;
	*sp = s + n;
	return 0;
}

/* [+-]h[hh][:mm[:ss]] with hours up to max_h; returns seconds. */
static int posix_hms(const char **sp, int max_h, int32_t *out)
{
	const char *s = *sp;
	int sign = 1, part[3] = { 0, 0, 0 };

	if (*s == '+' || *s == '-')
		sign = *s++ == '-' ? -1 : 1;
	for (int i = 0; i < 3; i++) {
		int nd = 0, v = 0;

		if (i > 0) {
			if (*s != ':')
				break;
			s++;
		}
		while (isdigit((unsigned char)*s) && nd < 3) {
			v = v * 10 + (*s++ - '0');
			nd++;
		}
		if (nd == 0 || (i > 0 && (nd != 2 || v > 59)))
			return -1;
		part[i] = v;
	}
	if (part[0] > max_h)
		return -1;
	*out = sign * (part[0] * 3600 + part[1] * 60 + part[2]);
	*sp = s;
	return 0;
}

static int posix_num(const char **sp, int lo, int hi, int *out)
{
	const char *s = *sp;
	int v = 0, nd = 0;

	while (isdigit((unsigned char)*s) && nd < 4) {
		v = v * 10 + (*s++ - '0');
		nd++;
	}
	if (nd == 0 || v < lo || v > hi)
		return -1;
	*out = v;
	*sp = s;
	return 0;
}

static int posix_rule(const char **sp, struct tz_rule *r)
{
	const char *s = *sp;

	memset(r, 0, sizeof(*r));
	if (*s == 'J') {
		s++;
		r->kind = 'J';
		if (posix_num(&s, 1, 365, &r->day))
			return -1;
	} else if (*s == 'M') {
		s++;
		r->kind = 'M';
		if (posix_num(&s, 1, 12, &r->mon) || *s++ != '.' ||
		    posix_num(&s, 1, 5, &r->week) || *s++ != '.' || posix_num(&s, 0, 6, &r->wday))
			return -1;
	} else {
		r->kind = 'D';
		if (posix_num(&s, 0, 365, &r->day))
			return -1;
	}
	r->time = 7200;
	if (*s == '/') {
		s++;
		if (posix_hms(&s, 167, &r->time))
			return -1;
	}
	*sp = s;
	return 0;
}

/* Parse a POSIX TZ string as found in a TZif footer. Returns 0 or -1. */
static int posix_parse(const char *s, struct tz_posix *p)
{
	int32_t v;

	memset(p, 0, sizeof(*p));
	if (posix_name(&s) || posix_hms(&s, 24, &v))
		return -1;
	p->std_off = -v;
	p->dst_off = p->std_off;
	if (!*s)
		return 0;
	if (posix_name(&s))
		return -1;
	p->has_dst = true;
	p->dst_off = p->std_off + 3600;
	if (*s && *s != ',') {
		if (posix_hms(&s, 24, &v))
			return -1;
		p->dst_off = -v;
	}
	if (!*s) {
		/* No rule: the US rule, as tzcode assumes. */
		p->start = (struct tz_rule){ .kind = 'M', .mon = 3, .week = 2, .time = 7200 };
		p->end = (struct tz_rule){ .kind = 'M', .mon = 11, .week = 1, .time = 7200 };
		return 0;
	}
	if (*s++ != ',' || posix_rule(&s, &p->start) || *s++ != ',' || posix_rule(&s, &p->end))
		return -1;
	return *s ? -1 : 0;
}

static bool leap_year(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* The local date (days since epoch) a rule names in year y. */
static int64_t rule_day(const struct tz_rule *r, int64_t y)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int64_t first, d;
	int len, wd0;

	switch (r->kind) {
	case 'J':
		return time_days_from_civil(y, 1, 1) + r->day - 1 + (leap_year(y) && r->day >= 60);
	case 'D':
		return time_days_from_civil(y, 1, 1) + r->day;
	default:
		first = time_days_from_civil(y, (unsigned)r->mon, 1);
		len = mdays[r->mon - 1] + (r->mon == 2 && leap_year(y));
		wd0 = (int)(time_weekday(first) + 1) % 7; /* 0 = Sunday, as POSIX */
		d = (r->wday - wd0 + 7) % 7 + (int64_t)(r->week - 1) * 7;
		while (d >= len)
			d -= 7;
		return first + d;
	}
}

/* The DST start and end of year y, as instants. The start is given in local
 * standard time, the end in local daylight time. */
static void rule_year(const struct tz_posix *p, int64_t y, struct rule_trans *out)
{
	out[0] = (struct rule_trans){ rule_day(&p->start, y) * 86400 + p->start.time - p->std_off,
				      y, p->dst_off };
	out[1] = (struct rule_trans){ rule_day(&p->end, y) * 86400 + p->end.time - p->dst_off, y,
				      p->std_off };
}

/* Transitions of years y0..y0+ny-1 in time order; at equal instants the
 * earlier year's first, so that "DST all year" rules (end of one year at the
 * start of the next) leave DST in force. */
static size_t rule_window(const struct tz_posix *p, int64_t y0, int ny, struct rule_trans *v)
{
	size_t n = 0;

	for (int i = 0; i < ny; i++) {
		rule_year(p, y0 + i, v + n);
		n += 2;
	}
	for (size_t i = 1; i < n; i++) {
		struct rule_trans x = v[i];
		size_t j = i;

		while (j > 0 && (v[j - 1].at > x.at || (v[j - 1].at == x.at && v[j - 1].year > x.year))) {
			v[j] = v[j - 1];
			j--;
		}
		v[j] = x;
	}
	return n;
}

static int64_t rule_clamp(int64_t t)
{
	return t < -TZ_RULE_LIMIT ? -TZ_RULE_LIMIT : t > TZ_RULE_LIMIT ? TZ_RULE_LIMIT : t;
}

static int64_t year_of(int64_t t)
{
	int64_t y;
	unsigned m, d;

	time_civil_from_days(time_floor_div(t, 86400), &y, &m, &d);
	return y;
}

/* The offset after the last transition at or before t. A rule's transition
 * may fall up to a week into the year after its own ("J365/167", day 365 of
 * a common year), so the window starts two years back: both transitions of
 * that year lie before t, and with them every one that decides its offset
 * (so the guess below never decides). */
static int32_t rule_offset(const struct tz_posix *p, int64_t t)
{
	struct rule_trans v[8];
	size_t n;
	int32_t off;

	if (!p->has_dst)
		return p->std_off;
	t = rule_clamp(t);
	n = rule_window(p, year_of(t) - 2, 4, v);
	off = v[0].off == p->dst_off ? p->std_off : p->dst_off;
	for (size_t i = 0; i < n && v[i].at <= t; i++)
		off = v[i].off;
	return off;
}

static int64_t rule_next(const struct tz_posix *p, int64_t t, int32_t cur)
{
	struct rule_trans v[8];
	int64_t y0;
	size_t n;

	if (!p->has_dst || p->std_off == p->dst_off || t >= TZ_RULE_LIMIT)
		return INT64_MAX;
	y0 = year_of(rule_clamp(t)) - 1;
	n = rule_window(p, y0, 4, v);
	for (size_t i = 0; i < n; i++) {
		/* Of transitions at one instant only the last one counts; the
		 * window's last year only completes such groups. */
		if (i + 1 < n && v[i + 1].at == v[i].at)
			continue;
		if (v[i].year == y0 + 3)
			break;
		if (v[i].at > t && v[i].off != cur)
			return v[i].at;
	}
	return INT64_MAX;
}

/*
 * The instant from which the footer rule decides the offset, given the last
 * transition of the table (INT64_MIN when there is none). As in tzcode, the
 * rule only contributes transitions after the table's last one; until the
 * first of them the table's last offset holds (zic's slim output relies on
 * this, e.g. America/Ojinaga in late 2022). A rule without DST applies right
 * after the last transition (RFC 8536: the footer is for instants after it;
 * at it the table's type holds, even in a file whose footer disagrees with
 * that type); with no table at all it applies everywhere.
 */
static int64_t rule_start(const struct tz_posix *p, int64_t last)
{
	struct rule_trans v[6];
	size_t n;

	if (last == INT64_MIN)
		return last;
	if (!p->has_dst)
		return last + 1;
	if (last >= TZ_RULE_LIMIT)
		return INT64_MAX;
	n = rule_window(p, year_of(rule_clamp(last)) - 1, 3, v);
	for (size_t i = 0; i < n; i++)
		if (v[i].at > last)
			return v[i].at;
	return INT64_MAX;
}

/* ---- TZif files ------------------------------------------------------- */

struct tzif_hdr {
	int version;
	uint32_t isut, isstd, leap, time, type, chars;
};

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int64_t be64(const unsigned char *p)
{
	return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

static int tzif_header(const unsigned char *d, size_t len, struct tzif_hdr *h)
{
	if (len < 44 || memcmp(d, "TZif", 4))
		return -1;
	h->version = d[4];
	h->isut = be32(d + 20);
	h->isstd = be32(d + 24);
	h->leap = be32(d + 28);
	h->time = be32(d + 32);
	h->type = be32(d + 36);
	h->chars = be32(d + 40);
	if (h->type == 0 || h->type > 256 || h->time > 100000 || h->chars > 65536 ||
	    h->leap > 100000 || (h->isut && h->isut != h->type) ||
	    (h->isstd && h->isstd != h->type))
		return -1;
	return 0;
}

static size_t tzif_block(const struct tzif_hdr *h, int tsize)
{
	return (size_t)h->time * (size_t)tsize + h->time + (size_t)h->type * 6 + h->chars +
	       (size_t)h->leap * (size_t)(tsize + 4) + h->isstd + h->isut;
}

/* Fill z from the bytes of a TZif file. Returns 0 or -1; on failure z->at and
 * z->off may hold memory the caller frees. */
static int tzif_parse(struct tz *z, const unsigned char *d, size_t len)
{
	struct tzif_hdr h;
	const unsigned char *p, *types, *idx;
	int tsize = 4;
	int64_t prev_at = INT64_MIN;
	int32_t prev;
	char footer[256];

	if (tzif_header(d, len, &h))
		return -1;
	p = d + 44;
	if (h.version >= '2') {
		size_t skip = tzif_block(&h, 4);

		if (len - 44 < skip || tzif_header(p + skip, len - 44 - skip, &h))
			return -1;
		p += skip + 44;
		tsize = 8;
	}
	if ((size_t)(d + len - p) < tzif_block(&h, tsize) || h.leap)
		return -1;
	idx = p + (size_t)h.time * (size_t)tsize;
	types = idx + h.time;
	for (uint32_t i = 0; i < h.type; i++) {
		int32_t o = (int32_t)be32(types + 6 * i);

		if (o < -TZ_OFF_MAX || o > TZ_OFF_MAX || types[6 * i + 5] >= h.chars)
			return -1;
	}
	z->off0 = (int32_t)be32(types);
	z->at = malloc(sizeof(*z->at) * (h.time ? h.time : 1));
	z->off = malloc(sizeof(*z->off) * (h.time ? h.time : 1));
	if (!z->at || !z->off)
		return -1;
	prev = z->off0;
	for (uint32_t i = 0; i < h.time; i++) {
		int64_t at = tsize == 8 ? be64(p + 8 * i) : (int32_t)be32(p + 4 * i);
		int32_t o;

		if (idx[i] >= h.type || at <= prev_at || at < -TZ_AT_LIMIT || at > TZ_AT_LIMIT)
			return -1;
		prev_at = at;
		o = (int32_t)be32(types + 6 * idx[i]);
		if (o != prev) {
			z->at[z->n] = at;
			z->off[z->n++] = o;
			prev = o;
		}
	}
	if (tsize == 4)
		return 0;
	p += tzif_block(&h, tsize);
	if (p >= d + len || *p != '\n')
		return -1;
	p++;
	for (size_t i = 0;; i++) {
		if (p + i >= d + len || i >= sizeof(footer))
			return -1;
		if (p[i] == '\n') {
			footer[i] = 0;
			break;
		}
		footer[i] = (char)p[i];
	}
	if (!footer[0])
		return 0;
	if (posix_parse(footer, &z->rule))
		return -1;
	z->has_footer = true;
	z->rule_from = rule_start(&z->rule, prev_at);
	return 0;
}

static bool tz_name_ok(const char *name)
{
	size_t len = strlen(name), comp = 0;

	if (len == 0 || len >= TZ_NAME_MAX || name[0] == '/')
		return false;
	for (size_t i = 0; i <= len; i++) {
		char c = name[i];

		if (c == '/' || c == 0) {
			if (comp == 0 || (comp == 1 && name[i - 1] == '.') ||
			    (comp == 2 && name[i - 1] == '.' && name[i - 2] == '.'))
				return false;
			comp = 0;
			continue;
		}
		if (!isalnum((unsigned char)c) && !strchr("_-+.", c))
			return false;
		comp++;
	}
	return true;
}

int tz_parse(const char *name, const void *data, size_t len, struct tz **out, struct err *e)
{
	struct tz *z = calloc(1, sizeof(*z));

	if (!z)
		return err_set(e, ERR_INTERNAL, NULL, "out of memory loading time zone");
	if (tzif_parse(z, data, len)) {
		tz_free(z);
		return err_set(e, ERR_INVALID, "timezone", "unknown time zone '%.64s'", name);
	}
	snprintf(z->name, sizeof(z->name), "%s", name);
	*out = z;
	return 0;
}

void tz_free(struct tz *z)
{
	if (!z || z == &utc_zone)
		return;
	free(z->at);
	free(z->off);
	free(z);
}

/* Load a zone from its file; returns a new zone (owned by the cache once
 * added) or NULL. */
static struct tz *tz_read(const char *name)
{
	const char *dir = getenv("ITSM_ZONEINFO");
	char path[4096];
	char *data = NULL;
	size_t len = 0;
	struct tz *z = NULL;

	if (!dir || !*dir)
		dir = "/usr/share/zoneinfo";
	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >= sizeof(path))
		return NULL;
	if (file_read(path, TZ_FILE_MAX, &data, &len, NULL))
		return NULL;
	if (tz_parse(name, data, len, &z, NULL))
		z = NULL;
	free(data);
	return z;
}

int tz_load(const char *name, const struct tz **out, struct err *e)
{
	struct tz *z = NULL;
	int ret = 0;

	if (name && strcmp(name, "UTC") == 0) {
		*out = &utc_zone;
		return 0;
	}
	if (!name || !tz_name_ok(name))
		return err_set(e, ERR_INVALID, "timezone", "unknown time zone '%.64s'",
			       name ? name : "");
	pthread_mutex_lock(&cache_lock);
	for (size_t i = 0; i < cache_len; i++) {
		if (strcmp(cache[i]->name, name) == 0) {
			z = cache[i];
			goto out;
		}
	}
	z = tz_read(name);
	if (!z) {
		ret = err_set(e, ERR_INVALID, "timezone", "unknown time zone '%.64s'", name);
		goto out;
	}
	if (cache_len == cache_alloc) {
		size_t na = cache_alloc ? cache_alloc * 2 : 16;
		struct tz **nc = realloc(cache, na * sizeof(*nc));

		if (!nc) {
			tz_free(z);
			z = NULL;
			ret = err_set(e, ERR_INTERNAL, NULL, "out of memory loading time zone");
			goto out;
		}
		cache = nc;
		cache_alloc = na;
	}
	cache[cache_len++] = z;
out:
	pthread_mutex_unlock(&cache_lock);
	if (z)
		*out = z;
	return ret;
}

const struct tz *tz_utc(void)
{
	return &utc_zone;
}

const char *tz_name(const struct tz *z)
{
	return z->name;
}

/* Number of table entries with at[i] <= t. */
static size_t table_index(const struct tz *z, int64_t t)
{
	size_t lo = 0, hi = z->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (z->at[mid] <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int32_t tz_offset(const struct tz *z, int64_t utc)
{
	size_t i;

	if (z->has_footer && utc >= z->rule_from)
		return rule_offset(&z->rule, utc);
	i = table_index(z, utc);
	return i ? z->off[i - 1] : z->off0;
}

int32_t tz_span(const struct tz *z, int64_t utc, int64_t *next)
{
	int32_t cur;
	size_t i;

	if (z->has_footer && utc >= z->rule_from) {
		cur = rule_offset(&z->rule, utc);
		*next = rule_next(&z->rule, utc, cur);
		return cur;
	}
	i = table_index(z, utc);
	cur = i ? z->off[i - 1] : z->off0;
	if (i < z->n) /* table entries lie at or before rule_from */
		*next = z->at[i];
	else if (!z->has_footer)
		*next = INT64_MAX;
	else if (rule_offset(&z->rule, z->rule_from) != cur)
		*next = z->rule_from;
	else
		*next = rule_next(&z->rule, z->rule_from, cur);
	return cur;
}

int64_t tz_next_change(const struct tz *z, int64_t utc)
{
	int64_t next;

	tz_span(z, utc, &next);
	return next;
}

int64_t tz_utc_from_local(const struct tz *z, int64_t local)
{
	int64_t t, next;

	local = local < -TZ_RULE_LIMIT ? -TZ_RULE_LIMIT : local > TZ_RULE_LIMIT ? TZ_RULE_LIMIT : local;
	/* Two days before, the wall clock surely read less than local. */
	t = local - 2 * 86400;
	for (;;) {
		int32_t o = tz_span(z, t, &next);

		if (next == INT64_MAX || local < next + o)
			return local >= t + o ? local - o : t;
		t = next;
	}
}
