/*
 * after_commit.c — a write's after-commit functions learn its fate: 1 once
 * the batch is durable, 0 when that request's changes were rolled back
 * (while the other requests of the same batch still commit).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <sodium.h>
#include <unistd.h>

#include "store/store.h"

static char path[] = "/tmp/itsm-after-commit-XXXXXX";

static void remove_store(void)
{
	static const char *const suffixes[] = { "", "-wal", "-shm" };
	char f[64];

	for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		snprintf(f, sizeof(f), "%s%s", path, suffixes[i]);
		unlink(f);
	}
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fates),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
