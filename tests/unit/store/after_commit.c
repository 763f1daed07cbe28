/*
 * after_commit.c — a write's after-commit functions learn its fate: 1 once
 * the batch is durable, 0 when that request's changes were rolled back
 * (while the other requests of the same batch still commit); and what the
 * batch writes once for all its requests (the audit head it caches, the
 * meta values it defers to its end) holds only what the committed ones
 * left.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/store.h"

#define TEMPLATE "/tmp/itsm-after-commit-XXXXXX"
static char path[] = TEMPLATE;

static void remove_store(void)
{
	static const char *const suffixes[] = { "", "-wal", "-shm" };
	char f[64];

	for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		snprintf(f, sizeof(f), "%s%s", path, suffixes[i]);
		unlink(f);
	}
	memcpy(path, TEMPLATE, sizeof(path)); /* for the next test's mkstemp */
}

struct fate {
	int calls;
	int committed;
};

static void record(void *arg, int committed)
{
	struct fate *f = arg;

	f->calls++;
	f->committed = committed;
}

struct job {
	struct fate fate;
	int fail;
};

static int write_one(struct store_tx *tx, void *arg, struct err *e)
{
	struct job *j = arg;

	tx->st->ops->after_commit(tx, record, &j->fate);
	if (j->fail)
		return err_set(e, ERR_INVALID, NULL, "refused on purpose");
	return tx->st->ops->meta_set(tx, "probe", "1", e);
}

static void *writer(void *arg)
{
	struct store *st = ((void **)arg)[0];
	struct job *j = ((void **)arg)[1];
	struct err e;

	store_write(st, write_one, j, &e);
	return NULL;
}

static void test_fates(void **state)
{
	struct err e = { 0 };
	struct store *st;
	struct job jobs[8];
	pthread_t t[8];
	void *args[8][2];
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	st = store_open(path, STORE_SERVER, &e);
	assert_non_null(st);
	/* Concurrent writes, every other one refused: one batch or several,
	 * each learns its own fate exactly once. */
	for (int i = 0; i < 8; i++) {
		jobs[i] = (struct job){ { 0, -1 }, i % 2 };
		args[i][0] = st;
		args[i][1] = &jobs[i];
		assert_int_equal(pthread_create(&t[i], NULL, writer, args[i]), 0);
	}
	for (int i = 0; i < 8; i++)
		pthread_join(t[i], NULL);
	for (int i = 0; i < 8; i++) {
		assert_int_equal(jobs[i].fate.calls, 1);
		assert_int_equal(jobs[i].fate.committed, !(i % 2));
	}
	store_close(st);
	remove_store();
}

/* A request that extends the audit chain by one record and sets a meta
 * value, then is refused (fail) or not. */
struct link {
	struct fate fate;
	int fail, id;
	int64_t seq;
	uint8_t prev[AUDIT_HASH_LEN], hash[AUDIT_HASH_LEN];
	char seen[16]; /* the meta value read back inside the write */
};

static int write_link(struct store_tx *tx, void *arg, struct err *e)
{
	const struct store_ops *ops = tx->st->ops;
	struct link *l = arg;
	struct audit_rec r = { 0 };
	char v[16];
	int rc;

	ops->after_commit(tx, record, &l->fate);
	if ((rc = ops->audit_head(tx, &r.seq, r.prev, e)))
		return rc;
	r.seq++;
	r.at = 1;
	snprintf(r.actor, sizeof(r.actor), "t%d", l->id);
	snprintf(r.action, sizeof(r.action), "test.link");
	snprintf(r.entity, sizeof(r.entity), "test:%d", l->id);
	r.change = "{}";
	memset(r.hash, l->id + 1, sizeof(r.hash));
	r.hash[0] = (uint8_t)r.seq;
	snprintf(v, sizeof(v), "%d", l->id);
	if ((rc = ops->audit_insert(tx, &r, e)) || (rc = ops->meta_set(tx, "last", v, e)) ||
	    (rc = ops->meta_get(tx->st, tx, "last", l->seen, sizeof(l->seen), e)))
		return rc;
	l->seq = r.seq;
	memcpy(l->prev, r.prev, AUDIT_HASH_LEN);
	memcpy(l->hash, r.hash, AUDIT_HASH_LEN);
	return l->fail ? err_set(e, ERR_INVALID, NULL, "refused on purpose") : 0;
}

static void *linker(void *arg)
{
	struct store *st = ((void **)arg)[0];
	struct err e;

	store_write(st, write_link, ((void **)arg)[1], &e);
	return NULL;
}

static int read_head(struct store_tx *tx, void *arg, struct err *e)
{
	struct link *l = arg;

	return tx->st->ops->audit_head(tx, &l->seq, l->hash, e);
}

static int by_seq(const void *a, const void *b)
{
	const struct link *x = *(struct link *const *)a, *y = *(struct link *const *)b;

	return (x->seq > y->seq) - (x->seq < y->seq);
}

static void test_batch_writes_once(void **state)
{
	enum { N = 12 };
	struct err e = { 0 };
	struct store *st;
	struct link links[N], head = { 0 }, *kept[N];
	pthread_t t[N];
	void *args[N][2];
	char last[16];
	int fd = mkstemp(path), n = 0;
	int64_t base;

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	st = store_open(path, STORE_SERVER, &e);
	assert_non_null(st);
	assert_int_equal(store_write(st, read_head, &head, &e), 0);
	base = head.seq;
	/* Every third request is refused after it wrote: its record and its
	 * meta value must go with it, whichever batch it shared. */
	for (int i = 0; i < N; i++) {
		links[i] = (struct link){ .fate = { 0, -1 }, .fail = i % 3 == 1, .id = i };
		args[i][0] = st;
		args[i][1] = &links[i];
		assert_int_equal(pthread_create(&t[i], NULL, linker, args[i]), 0);
	}
	for (int i = 0; i < N; i++)
		pthread_join(t[i], NULL);
	for (int i = 0; i < N; i++) {
		char own[16];

		snprintf(own, sizeof(own), "%d", i);
		assert_string_equal(links[i].seen, own); /* its own value, read back */
		assert_int_equal(links[i].fate.committed, !links[i].fail);
		if (!links[i].fail)
			kept[n++] = &links[i];
	}
	/* The committed records make one chain on from the head before. */
	qsort(kept, (size_t)n, sizeof(kept[0]), by_seq);
	assert_int_equal(store_write(st, read_head, &head, &e), 0);
	assert_int_equal(head.seq, base + n);
	for (int i = 0; i < n; i++) {
		assert_int_equal(kept[i]->seq, base + 1 + i);
		if (i)
			assert_memory_equal(kept[i]->prev, kept[i - 1]->hash, AUDIT_HASH_LEN);
	}
	assert_memory_equal(head.hash, kept[n - 1]->hash, AUDIT_HASH_LEN);
	/* The meta value is the last committed request's. */
	assert_int_equal(st->ops->meta_get(st, NULL, "last", last, sizeof(last), &e), 0);
	assert_int_equal(atoi(last), kept[n - 1]->id);
	store_close(st);
	remove_store();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fates),
		cmocka_unit_test(test_batch_writes_once),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
