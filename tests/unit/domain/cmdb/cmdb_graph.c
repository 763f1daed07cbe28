/*
 * tests/unit/domain/cmdb_graph.c — the shared impact snapshot under
 * concurrency: reader threads run impact queries without pause while the
 * main thread keeps changing relationships (each change makes the next
 * query rebuild and swap the snapshot); every answer must be one of the
 * states the graph went through, nothing may fail, and under ASan nothing
 * may be used after it is freed. Also: a change made through another store
 * handle (another process, in effect) is seen on the next query.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "domain/cmdb/cmdb.h"
#include "lib/log.h"
#include "store/store.h"

#define N 40

static struct store *st;
static struct actor sys;
static char path[64];
static atomic_int stop, failures, queries;

static void add(const char *key, const char *type)
{
	struct err e = { 0 };
	json_t *in = json_pack("{s:s, s:s, s:s}", "key", key, "name", key, "type", type), *out = NULL;

	assert_int_equal(cmdb_ci_create(st, &sys, in, &out, &e), 0);
	json_decref(in);
	json_decref(out);
}

static int64_t relate(const char *s, const char *type, const char *t)
{
	struct err e = { 0 };
	json_t *in = json_pack("{s:s, s:s, s:s}", "source", s, "type", type, "target", t), *out = NULL;
	int64_t id;

	assert_int_equal(cmdb_rel_create(st, &sys, in, &out, &e), 0);
	id = json_integer_value(json_object_get(out, "id"));
	json_decref(in);
	json_decref(out);
	return id;
}

static json_int_t impact_count(struct store *s, const char *key)
{
	struct err e = { 0 };
	json_t *out = NULL;
	json_int_t n;

	if (cmdb_impact_json(s, &sys, key, 0, 10, &out, &e))
		return -1;
	n = json_integer_value(json_object_get(out, "count"));
	json_decref(out);
	return n;
}

static void *reader(void *arg)
{
	while (!atomic_load(&stop)) {
		/* n0 is impacted by the chain n1..n{N-1}, plus "extra" while it is linked */
		json_int_t n = impact_count(st, "n0");

		if (n != N - 1 && n != N)
			atomic_fetch_add(&failures, 1);
		atomic_fetch_add(&queries, 1);
	}
	return NULL;
}

static int setup(void **state)
{
	struct err e = { 0 };
	char key[16];

	log_threshold = LOG_ERROR;
	snprintf(path, sizeof(path), "/tmp/itsm-cmdb-graph-%d.db", (int)getpid());
	remove(path);
	st = store_open(path, 0, &e);
	assert_non_null(st);
	actor_system(&sys, "test");
	for (int i = 0; i < N; i++) {
		snprintf(key, sizeof(key), "n%d", i);
		add(key, i % 10 == 9 ? "service" : "server");
	}
	add("extra", "application");
	for (int i = 1; i < N; i++) {
		char a[16], b[16];

		snprintf(a, sizeof(a), "n%d", i);
		snprintf(b, sizeof(b), "n%d", i - 1);
		relate(a, i % 2 ? "runs_on" : "depends_on", b);
	}
	relate("n0", "depends_on", "n39"); /* a cycle through everything */
	return 0;
}

static int teardown(void **state)
{
	cmdb_graph_reset();
	store_close(st);
	remove(path);
	char wal[80];
	snprintf(wal, sizeof(wal), "%s-wal", path);
	remove(wal);
	snprintf(wal, sizeof(wal), "%s-shm", path);
	remove(wal);
	return 0;
}

static void test_readers_during_swaps(void **state)
{
	pthread_t th[4];
	struct err e = { 0 };

	assert_int_equal(impact_count(st, "n0"), N - 1);
	for (int i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&th[i], NULL, reader, NULL), 0);
	for (int k = 0; k < 25; k++) {
		int64_t id = relate("extra", "runs_on", "n5");

		usleep(2000);
		assert_int_equal(cmdb_rel_delete(st, &sys, id, &e), 0);
		usleep(2000);
	}
	atomic_store(&stop, 1);
	for (int i = 0; i < 4; i++)
		pthread_join(th[i], NULL);
	assert_int_equal(atomic_load(&failures), 0);
	assert_true(atomic_load(&queries) > 0);
	assert_int_equal(impact_count(st, "n0"), N - 1);
}

static void test_change_through_another_handle(void **state)
{
	struct err e = { 0 };
	struct store *other = store_open(path, 0, &e);
	json_t *in = json_pack("{s:s, s:s, s:s}", "source", "extra", "type", "part_of", "target",
			       "n3"),
	       *out = NULL;

	assert_non_null(other);
	assert_int_equal(impact_count(st, "n3"), N - 1);
	assert_int_equal(cmdb_rel_create(other, &sys, in, &out, &e), 0);
	json_decref(in);
	json_decref(out);
	assert_int_equal(impact_count(st, "n3"), N);
	store_close(other);
}

static void test_services_and_paths(void **state)
{
	struct err e = { 0 };
	json_t *out = NULL, *svc;
	int64_t n;

	assert_int_equal(cmdb_impact_json(st, &sys, "n38", 0, 3, &out, &e), 0);
	assert_true(json_is_true(json_object_get(out, "cyclic")));
	assert_int_equal(json_array_size(json_object_get(out, "items")), 3);
	assert_true(json_is_true(json_object_get(out, "truncated")));
	/* n39 (a service) depends on n38 directly */
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(json_object_get(out, "items"), 0), "explain")),
			    "n39 runs_on n38");
	json_decref(out);
	assert_int_equal(cmdb_impacted_services(st, 1 /* n0 */, &svc, &n, &e), 0);
	assert_int_equal(json_array_size(svc), 4); /* n9, n19, n29, n39 */
	json_decref(svc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_readers_during_swaps),
		cmocka_unit_test(test_change_through_another_handle),
		cmocka_unit_test(test_services_and_paths),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
