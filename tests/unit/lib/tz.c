/*
 * tests/unit/lib/tz.c — time zones: offsets and changes of real zones at
 * known instants, POSIX footer rules through synthetic TZif files, name
 * validation, the cache, and concurrent loading.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/err.h"
#include "lib/timeutil.h"
#include "lib/tz.h"

static int64_t T(const char *s)
{
	int64_t t = 0;

	assert_int_equal(time_parse_rfc3339(s, &t), 0);
	return t;
}

static const struct tz *Z(const char *name)
{
	const struct tz *z = NULL;
	struct err e = { 0 };

	assert_int_equal(tz_load(name, &z, &e), 0);
	assert_non_null(z);
	return z;
}

static void test_utc(void **state)
{
	const struct tz *z = Z("UTC");

	assert_ptr_equal(z, tz_utc());
	assert_string_equal(tz_name(z), "UTC");
	assert_int_equal(tz_offset(z, T("2026-07-01T12:00:00Z")), 0);
	assert_true(tz_next_change(z, 0) == INT64_MAX);
}

static void test_new_york(void **state)
{
	const struct tz *z = Z("America/New_York");
	int64_t spring = T("2026-03-08T07:00:00Z"), fall = T("2026-11-01T06:00:00Z"), next;

	assert_string_equal(tz_name(z), "America/New_York");
	assert_int_equal(tz_offset(z, T("2026-01-15T12:00:00Z")), -5 * 3600);
	assert_int_equal(tz_offset(z, spring - 1), -5 * 3600);
	assert_int_equal(tz_offset(z, spring), -4 * 3600);
	assert_int_equal(tz_offset(z, fall - 1), -4 * 3600);
	assert_int_equal(tz_offset(z, fall), -5 * 3600);
	assert_true(tz_next_change(z, T("2026-01-01T00:00:00Z")) == spring);
	assert_true(tz_next_change(z, spring - 1) == spring);
	assert_true(tz_next_change(z, spring) == fall);
	assert_int_equal(tz_span(z, spring, &next), -4 * 3600);
	assert_true(next == fall);
	/* After the file's table: the footer rule (second Sunday of March). */
	assert_true(tz_next_change(z, T("2100-01-01T00:00:00Z")) == T("2100-03-14T07:00:00Z"));
	assert_true(tz_next_change(z, T("2100-03-14T07:00:00Z")) == T("2100-11-07T06:00:00Z"));
	assert_int_equal(tz_offset(z, T("2100-07-04T12:00:00Z")), -4 * 3600);
	/* Local midnight to instant, and the two DST anomalies. */
	assert_true(tz_utc_from_local(z, T("2026-07-01T12:00:00Z")) == T("2026-07-01T16:00:00Z"));
	assert_true(tz_utc_from_local(z, T("2026-03-08T02:30:00Z")) == spring); /* skipped */
	assert_true(tz_utc_from_local(z, T("2026-11-01T01:30:00Z")) ==
		    T("2026-11-01T05:30:00Z")); /* repeated: the first */
	assert_true(tz_utc_from_local(z, T("2026-11-01T02:00:00Z")) == T("2026-11-01T07:00:00Z"));
}

static void test_london(void **state)
{
	const struct tz *z = Z("Europe/London");
	int64_t spring = T("2026-03-29T01:00:00Z"), fall = T("2026-10-25T01:00:00Z");

	assert_int_equal(tz_offset(z, spring - 1), 0);
	assert_int_equal(tz_offset(z, spring), 3600);
	assert_int_equal(tz_offset(z, fall - 1), 3600);
	assert_int_equal(tz_offset(z, fall), 0);
	assert_true(tz_next_change(z, T("2026-02-01T00:00:00Z")) == spring);
	assert_true(tz_next_change(z, spring) == fall);
	/* 1968-1971: British Standard Time, +1 all year. */
	assert_int_equal(tz_offset(z, T("1970-01-01T00:00:00Z")), 3600);
}

static void test_tokyo(void **state)
{
	const struct tz *z = Z("Asia/Tokyo");

	assert_int_equal(tz_offset(z, T("2026-03-08T07:00:00Z")), 9 * 3600);
	assert_true(tz_next_change(z, T("2000-01-01T00:00:00Z")) == INT64_MAX);
	assert_true(tz_utc_from_local(z, T("2026-04-01T00:00:00Z")) == T("2026-03-31T15:00:00Z"));
}

static void test_bad_names(void **state)
{
	static const char *bad[] = { "", "/etc/passwd", "../etc/passwd", "America/../UTC",
				     "America//New_York", "America/", "Mars/Olympus_Mons",
				     "America/New York", "./UTC", "America" };
	const struct tz *z = NULL;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct err e = { 0 };

		assert_int_equal(tz_load(bad[i], &z, &e), ERR_INVALID);
		assert_int_equal(e.code, ERR_INVALID);
		assert_string_equal(e.field, "timezone");
		assert_non_null(strstr(e.msg, "unknown time zone '"));
	}
	{
		struct err e = { 0 };

		assert_int_equal(tz_load("Mars/Olympus_Mons", &z, &e), ERR_INVALID);
		assert_string_equal(e.msg, "unknown time zone 'Mars/Olympus_Mons'");
	}
}

static void test_leap_second_zones_refused(void **state)
{
	const struct tz *z = NULL;
	struct err e = { 0 };

	if (access("/usr/share/zoneinfo/right/UTC", R_OK) != 0)
		skip();
	assert_int_equal(tz_load("right/UTC", &z, &e), ERR_INVALID);
}

static void test_cache(void **state)
{
	const struct tz *a = Z("Europe/Paris"), *b = Z("Europe/Paris");

	assert_ptr_equal(a, b);
}

static void *load_many(void *arg)
{
	static const char *names[] = { "Europe/Berlin", "America/Chicago", "Asia/Kolkata",
				       "Australia/Sydney" };
	const struct tz **out = arg;

	for (int round = 0; round < 50; round++) {
		for (int i = 0; i < 4; i++) {
			const struct tz *z = NULL;

			if (tz_load(names[i], &z, NULL))
				return NULL;
			if (out[i] && out[i] != z)
				return NULL;
			out[i] = z;
		}
	}
	return arg;
}

static void test_concurrent_load(void **state)
{
	pthread_t th[8];
	const struct tz *got[8][4];

	memset(got, 0, sizeof(got));
	for (int i = 0; i < 8; i++)
		assert_int_equal(pthread_create(&th[i], NULL, load_many, got[i]), 0);
	for (int i = 0; i < 8; i++) {
		void *ret;

		assert_int_equal(pthread_join(th[i], &ret), 0);
		assert_non_null(ret);
	}
	for (int i = 1; i < 8; i++)
		for (int k = 0; k < 4; k++)
			assert_ptr_equal(got[i][k], got[0][k]);
	assert_int_equal(tz_offset(got[0][2], 0), 19800); /* India: +05:30 */
}

/* ---- synthetic TZif files ---- */

static char dir[64];

static void put32(FILE *f, uint32_t v)
{
	unsigned char b[4] = { (unsigned char)(v >> 24), (unsigned char)(v >> 16),
			       (unsigned char)(v >> 8), (unsigned char)v };

	fwrite(b, 1, 4, f);
}

static void header(FILE *f, char version, uint32_t timecnt, uint32_t typecnt, uint32_t charcnt)
{
	static const char pad[15];

	fwrite("TZif", 1, 4, f);
	fputc(version, f);
	fwrite(pad, 1, 15, f);
	put32(f, 0);
	put32(f, 0);
	put32(f, 0);
	put32(f, timecnt);
	put32(f, typecnt);
	put32(f, charcnt);
}

/* Write zone `name` into dir: transitions at[i] to type idx[i], types of
 * offsets offs[], and (version '2'/'3') the footer; version 0 writes a v1
 * file with 32-bit times only. */
static void write_zone(const char *name, char version, int n, const int64_t *at,
		       const unsigned char *idx, int ntypes, const int32_t *offs, const char *footer)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	assert_non_null(f);
	if (version == 0) {
		header(f, 0, (uint32_t)n, (uint32_t)ntypes, 4);
		for (int i = 0; i < n; i++)
			put32(f, (uint32_t)(int32_t)at[i]);
	} else {
		/* A minimal v1 block, then the 64-bit one. */
		header(f, version, 0, 1, 4);
		put32(f, 0);
		fputc(0, f);
		fputc(0, f);
		fwrite("UTC", 1, 4, f);
		header(f, version, (uint32_t)n, (uint32_t)ntypes, 4);
		for (int i = 0; i < n; i++) {
			put32(f, (uint32_t)((uint64_t)at[i] >> 32));
			put32(f, (uint32_t)at[i]);
		}
	}
	for (int i = 0; i < n; i++)
		fputc(idx[i], f);
	for (int i = 0; i < ntypes; i++) {
		put32(f, (uint32_t)offs[i]);
		fputc(0, f);
		fputc(0, f);
	}
	fwrite("ABC", 1, 4, f);
	if (version != 0)
		fprintf(f, "\n%s\n", footer);
	fclose(f);
}

static int setup_dir(void **state)
{
	snprintf(dir, sizeof(dir), "/tmp/itsm-tz-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	setenv("ITSM_ZONEINFO", dir, 1);
	return 0;
}

static int teardown_dir(void **state)
{
	char path[256];
	static const char *files[] = { "Test_Tokyo", "Test_London", "Test_NewYork", "Test_V1",
				       "Test_Nuuk", "Test_AllDST", "Test_Garbage", "Test_Table" };

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		unlink(path);
	}
	rmdir(dir);
	unsetenv("ITSM_ZONEINFO");
	return 0;
}

static void test_footer_fixed(void **state)
{
	int32_t off = 0;
	const struct tz *z;

	write_zone("Test_Tokyo", '3', 0, NULL, NULL, 1, &off, "<+09>-9");
	z = Z("Test_Tokyo");
	assert_int_equal(tz_offset(z, T("2026-01-01T00:00:00Z")), 9 * 3600);
	assert_int_equal(tz_offset(z, T("1900-01-01T00:00:00Z")), 9 * 3600);
	assert_true(tz_next_change(z, 0) == INT64_MAX);
}

static void test_footer_rules(void **state)
{
	int32_t off = 0;
	const struct tz *z;

	write_zone("Test_London", '2', 0, NULL, NULL, 1, &off, "GMT0BST,M3.5.0/1,M10.5.0");
	z = Z("Test_London");
	assert_int_equal(tz_offset(z, T("2026-03-29T00:59:59Z")), 0);
	assert_int_equal(tz_offset(z, T("2026-03-29T01:00:00Z")), 3600);
	assert_true(tz_next_change(z, T("2026-01-01T00:00:00Z")) == T("2026-03-29T01:00:00Z"));
	assert_true(tz_next_change(z, T("2026-03-29T01:00:00Z")) == T("2026-10-25T01:00:00Z"));
	assert_int_equal(tz_offset(z, T("2026-10-25T01:00:00Z")), 0);

	write_zone("Test_NewYork", '2', 0, NULL, NULL, 1, &off, "EST5EDT,M3.2.0,M11.1.0");
	z = Z("Test_NewYork");
	assert_int_equal(tz_offset(z, T("2026-03-08T06:59:59Z")), -5 * 3600);
	assert_true(tz_next_change(z, T("2026-01-01T00:00:00Z")) == T("2026-03-08T07:00:00Z"));
	assert_true(tz_next_change(z, T("2026-03-08T07:00:00Z")) == T("2026-11-01T06:00:00Z"));

	/* Negative rule times (v3): America/Nuuk switches at 01:00Z too. */
	write_zone("Test_Nuuk", '3', 0, NULL, NULL, 1, &off, "<-02>2<-01>,M3.5.0/-1,M10.5.0/0");
	z = Z("Test_Nuuk");
	assert_true(tz_next_change(z, T("2026-01-01T00:00:00Z")) == T("2026-03-29T01:00:00Z"));
	assert_true(tz_next_change(z, T("2026-03-29T01:00:00Z")) == T("2026-10-25T01:00:00Z"));
	assert_int_equal(tz_offset(z, T("2026-07-01T00:00:00Z")), -3600);

	/* DST all year: the end of one year meets the start of the next. */
	write_zone("Test_AllDST", '3', 0, NULL, NULL, 1, &off, "EST5EDT4,0/0,J365/25");
	z = Z("Test_AllDST");
	assert_int_equal(tz_offset(z, T("2026-01-01T05:00:00Z")), -4 * 3600);
	assert_int_equal(tz_offset(z, T("2026-07-01T00:00:00Z")), -4 * 3600);
	assert_true(tz_next_change(z, T("2026-06-01T00:00:00Z")) == INT64_MAX);
}

static void test_table_then_footer(void **state)
{
	/* LMT +09:18:59 until 1888, then +09 by the table; footer agrees. */
	int64_t at[] = { T("1887-12-31T15:00:00Z") };
	unsigned char idx[] = { 1 };
	int32_t offs[] = { 33539, 32400 };
	const struct tz *z;

	write_zone("Test_Table", '2', 1, at, idx, 2, offs, "JST-9");
	z = Z("Test_Table");
	assert_int_equal(tz_offset(z, at[0] - 1), 33539);
	assert_int_equal(tz_offset(z, at[0]), 32400);
	assert_true(tz_next_change(z, -3000000000LL) == at[0]);
	assert_true(tz_next_change(z, at[0]) == INT64_MAX);
}

static void test_v1_file(void **state)
{
	int64_t at[] = { T("2026-03-08T07:00:00Z"), T("2026-11-01T06:00:00Z") };
	unsigned char idx[] = { 1, 0 };
	int32_t offs[] = { -5 * 3600, -4 * 3600 };
	const struct tz *z;

	write_zone("Test_V1", 0, 2, at, idx, 2, offs, NULL);
	z = Z("Test_V1");
	assert_int_equal(tz_offset(z, at[0] - 1), -5 * 3600);
	assert_int_equal(tz_offset(z, at[0]), -4 * 3600);
	assert_true(tz_next_change(z, 0) == at[0]);
	assert_true(tz_next_change(z, at[0]) == at[1]);
	assert_true(tz_next_change(z, at[1]) == INT64_MAX); /* no footer: last type holds */
}

static void test_garbage_refused(void **state)
{
	char path[256];
	FILE *f;
	const struct tz *z = NULL;
	struct err e = { 0 };

	snprintf(path, sizeof(path), "%s/Test_Garbage", dir);
	f = fopen(path, "wb");
	assert_non_null(f);
	fputs("TZif2 this is not a zone file", f);
	fclose(f);
	assert_int_equal(tz_load("Test_Garbage", &z, &e), ERR_INVALID);
	assert_string_equal(e.msg, "unknown time zone 'Test_Garbage'");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utc),
		cmocka_unit_test(test_new_york),
		cmocka_unit_test(test_london),
		cmocka_unit_test(test_tokyo),
		cmocka_unit_test(test_bad_names),
		cmocka_unit_test(test_leap_second_zones_refused),
		cmocka_unit_test(test_cache),
		cmocka_unit_test(test_concurrent_load),
	};
	const struct CMUnitTest synthetic[] = {
		cmocka_unit_test(test_footer_fixed),
		cmocka_unit_test(test_footer_rules),
		cmocka_unit_test(test_table_then_footer),
		cmocka_unit_test(test_v1_file),
		cmocka_unit_test(test_garbage_refused),
	};
	int failed = cmocka_run_group_tests_name("tz", tests, NULL, NULL);

	return failed + cmocka_run_group_tests_name("tz_tzif", synthetic, setup_dir, teardown_dir);
}
