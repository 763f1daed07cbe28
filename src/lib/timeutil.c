/*
 * timeutil.c — RFC 3339 and civil dates by arithmetic (no TZ, no locale, no
 * global state but the injected clock, which is atomic).
 */
#include "lib/timeutil.h"
#include "lib/err.h"

#include <ctype.h>
#include <stdatomic.h>
#include <stdio.h>
#include <time.h>

static _Atomic int64_t fake_now = -1;

int64_t time_floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

int64_t time_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	/* Count from 0000-03-01 so that the leap day ends each 4-year cycle. */
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = time_floor_div(y, 400);
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void time_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = time_floor_div(z, 146097);
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
	*m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

unsigned time_weekday(int64_t days)
{
	/* 1970-01-01 was a Thursday (3 when Monday is 0). */
	return (unsigned)((time_floor_div(days, 7) * -7 + days + 3) % 7);
}

static int digits(const char *s, int n, int *out)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

static int days_in_month(int64_t y, unsigned m)
{
	static const int dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return dm[m - 1] + (m == 2 && leap);
}

static int parse_ymd(const char *s, int *y, int *mo, int *d)
{
	if (digits(s, 4, y) || s[4] != '-' || digits(s + 5, 2, mo) || s[7] != '-' ||
	    digits(s + 8, 2, d))
		return -1;
	if (*mo < 1 || *mo > 12 || *d < 1 || *d > days_in_month(*y, (unsigned)*mo))
		return -1;
	return 0;
}

int time_parse_date(const char *s, int64_t *days)
{
	int y, mo, d;

	if (!s || strlen(s) != 10 || parse_ymd(s, &y, &mo, &d))
		return ERR_INVALID;
	*days = time_days_from_civil(y, (unsigned)mo, (unsigned)d);
	return 0;
}

int time_parse_rfc3339(const char *s, int64_t *out)
{
	int y, mo, d, h, mi, se, oh = 0, om = 0, sign = 0;
	const char *p;

	if (!s || strlen(s) < 20 || parse_ymd(s, &y, &mo, &d))
		return ERR_INVALID;
	if ((s[10] != 'T' && s[10] != 't' && s[10] != ' ') || digits(s + 11, 2, &h) ||
	    s[13] != ':' || digits(s + 14, 2, &mi) || s[16] != ':' || digits(s + 17, 2, &se))
		return ERR_INVALID;
	if (h > 23 || mi > 59 || se > 60)
		return ERR_INVALID;
	if (se == 60)
		se = 59; /* a leap second is folded into the second before it */
	p = s + 19;
	if (*p == '.') {
		p++;
		if (!isdigit((unsigned char)*p))
			return ERR_INVALID;
		while (isdigit((unsigned char)*p))
			p++;
	}
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		sign = *p == '-' ? -1 : 1;
		if (digits(p + 1, 2, &oh) || p[3] != ':' || digits(p + 4, 2, &om) || oh > 23 ||
		    om > 59)
			return ERR_INVALID;
		p += 6;
	} else {
		return ERR_INVALID;
	}
	if (*p)
		return ERR_INVALID;
	*out = time_days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600 + mi * 60 +
	       se - sign * (oh * 3600 + om * 60);
	return 0;
}

void time_format_rfc3339(int64_t t, char *out)
{
	int64_t days = time_floor_div(t, 86400), secs = t - days * 86400, y;
	unsigned m, d;

	time_civil_from_days(days, &y, &m, &d);
	snprintf(out, RFC3339_LEN, "%04lld-%02u-%02uT%02d:%02d:%02dZ", (long long)y, m, d,
		 (int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60));
}

void time_format_date(int64_t days, char *out)
{
	int64_t y;
	unsigned m, d;

	time_civil_from_days(days, &y, &m, &d);
	snprintf(out, 11, "%04lld-%02u-%02u", (long long)y, m, d);
}

int64_t clock_now(void)
{
	int64_t f = atomic_load(&fake_now);

	if (f >= 0)
		return f;
	return (int64_t)time(NULL);
}

void clock_set(int64_t t)
{
	atomic_store(&fake_now, t);
}

double clock_mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}
