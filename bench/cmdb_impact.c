/*
 * bench/cmdb_impact.c — impact analysis time on a large CMDB.
 *
 *   cmdb_impact ITEMS RELATIONSHIPS DB
 *
 * Makes a store at DB, bulk-loads ITEMS items in tiers (network and
 * storage, servers, virtual machines, applications, services) and
 * RELATIONSHIPS random "upper depends on lower" relationships straight into
 * the tables (loading through the API would measure the audit log, not the
 * graph), then through the domain code measures: the first query (which
 * builds the shared snapshot), impact queries from random items (the full
 * traversal, services and customers, paths for the first 100 items) and the
 * traversal the event correlation runs (cmdb_impacted_services).
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/platform/actor.h"
#include "domain/cmdb/cmdb.h"
#include "lib/timeutil.h"
#include "lib/log.h"
#include "store/store.h"

static const char *const tiers[] = { "network_device", "server", "virtual_machine",
				      "application", "service" };
/* share of items per tier, per mille */
static const int tier_pm[] = { 100, 200, 300, 300, 100 };

static uint64_t rng = 88172645463325252ull;
static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	long items = argc > 1 ? atol(argv[1]) : 100000, rels = argc > 2 ? atol(argv[2]) : 500000;
	const char *path = argc > 3 ? argv[3] : "/tmp/cmdb-impact.db";
	long start[6], i;
	struct err e = { 0 };
	struct store *st;
	struct actor a;
	sqlite3 *db;
	sqlite3_stmt *s;
	double t0, t_load, t_first, q[200], sv[200];
	json_t *out;
	long reached = 0;

	log_threshold = LOG_WARN;
	remove(path);
	if (!(st = store_open(path, 0, &e))) {
		fprintf(stderr, "cannot open the store: %s\n", e.msg);
		return 1;
	}
	t0 = clock_mono();
	sqlite3_open(path, &db);
	sqlite3_exec(db, "PRAGMA synchronous=OFF; BEGIN", NULL, NULL, NULL);
	sqlite3_prepare_v2(db,
			   "INSERT INTO cis(id, key, name, type, status, created_at, updated_at) "
			   "VALUES(?1, 'ci-' || ?1, 'item ' || ?1, ?2, 'active', 0, 0)",
			   -1, &s, NULL);
	start[0] = 1;
	for (int t = 0; t < 5; t++)
		start[t + 1] = start[t] + items * tier_pm[t] / 1000;
	start[5] = items + 1;
	for (int t = 0; t < 5; t++)
		for (i = start[t]; i < start[t + 1]; i++) {
			sqlite3_bind_int64(s, 1, i);
			sqlite3_bind_text(s, 2, tiers[t], -1, SQLITE_STATIC);
			sqlite3_step(s);
			sqlite3_reset(s);
		}
	sqlite3_finalize(s);
	sqlite3_prepare_v2(db,
			   "INSERT OR IGNORE INTO ci_relationships(source_id, type, target_id, "
			   "propagates, created_at) VALUES(?1, ?2, ?3, 0, 0)",
			   -1, &s, NULL);
	for (i = 0; i < rels; i++) {
		/* an item of tier 1..4 depends on one of a lower tier (mostly the next) */
		int t = 1 + (int)(next() % 4), lower = next() % 4 ? t - 1 : (int)(next() % (uint64_t)t);
		long src = start[t] + (long)(next() % (uint64_t)(start[t + 1] - start[t]));
		long dst = start[lower] + (long)(next() % (uint64_t)(start[lower + 1] - start[lower]));

		sqlite3_bind_int64(s, 1, src);
		sqlite3_bind_text(s, 2, t == 4 ? "depends_on" : "runs_on", -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 3, dst);
		sqlite3_step(s);
		sqlite3_reset(s);
	}
	sqlite3_finalize(s);
	/* a few cycles: services back to network devices */
	sqlite3_exec(db,
		     "INSERT OR IGNORE INTO ci_relationships(source_id, type, target_id, propagates, "
		     "created_at) SELECT id, 'connected_to', id % 1000 + 1, 1, 0 FROM cis WHERE type = "
		     "'service' AND id % 50 = 0; INSERT INTO meta(key, value) VALUES('cmdb.gen', '1') "
		     "ON CONFLICT(key) DO UPDATE SET value = '1'; COMMIT",
		     NULL, NULL, NULL);
	sqlite3_close(db);
	t_load = clock_mono() - t0;

	actor_system(&a, "bench");
	t0 = clock_mono();
	if (cmdb_impact_json(st, &a, "ci-1", 0, 100, &out, &e)) {
		fprintf(stderr, "impact failed: %s\n", e.msg);
		return 1;
	}
	t_first = clock_mono() - t0;
	json_decref(out);
	for (int k = 0; k < 200; k++) {
		char key[32];
		long id = 1 + (long)(next() % (uint64_t)(start[2] - 1)); /* network and servers */
		json_t *svc;
		int64_t n;

		snprintf(key, sizeof(key), "ci-%ld", id);
		t0 = clock_mono();
		if (cmdb_impact_json(st, &a, key, 0, 100, &out, &e)) {
			fprintf(stderr, "impact failed: %s\n", e.msg);
			return 1;
		}
		q[k] = (clock_mono() - t0) * 1000;
		reached += (long)json_integer_value(json_object_get(out, "count"));
		json_decref(out);
		t0 = clock_mono();
		cmdb_impacted_services(st, id, &svc, &n, &e);
		sv[k] = (clock_mono() - t0) * 1000;
		json_decref(svc);
	}
	qsort(q, 200, sizeof(q[0]), cmp);
	qsort(sv, 200, sizeof(sv[0]), cmp);
	printf("%-52s %10ld\n", "impact: items / relationships", items);
	printf("%-52s %10ld\n", "  relationships (asked; duplicates dropped)", rels);
	printf("%-52s %10.1f\n", "  bulk load of the tables (s)", t_load);
	printf("%-52s %10.1f\n", "  first query, builds the shared graph (ms)", t_first * 1000);
	printf("%-52s %10.0f\n", "  items reached per query, mean", (double)reached / 200);
	printf("%-52s %10.2f   %s\n", "  impact query, JSON with paths, median (ms)", q[100], "< 10");
	printf("%-52s %10.2f\n", "  impact query, JSON with paths, p99 (ms)", q[197]);
	printf("%-52s %10.2f\n", "  traversal + services (correlation), median (ms)", sv[100]);
	printf("%-52s %10.2f\n", "  traversal + services (correlation), p99 (ms)", sv[197]);
	cmdb_graph_reset();
	store_close(st);
	remove(path);
	return 0;
}
