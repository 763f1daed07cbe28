/*
 * fuzz/support/fuzz_check.h — the one assertion of the fuzz targets: an
 * invariant that does not hold prints itself (with the file and line, so a
 * replay log says which) and aborts, which libFuzzer and the replay both
 * count as a failure. NOTE() says what an input did, only when the
 * environment has FUZZ_VERBOSE (to see which seeds are accepted).
 */
#ifndef ITSM_FUZZ_CHECK_H
#define ITSM_FUZZ_CHECK_H

#include <stdio.h>
#include <stdlib.h>

#define CHECK(cond)                                                                               \
	do {                                                                                      \
		if (!(cond)) {                                                                    \
			fprintf(stderr, "check failed: %s (%s:%d)\n", #cond, __FILE__, __LINE__); \
			abort();                                                                  \
		}                                                                                 \
	} while (0)

#define NOTE(...)                                                                                 \
	do {                                                                                      \
		static int verbose_ = -1;                                                         \
		if (verbose_ < 0)                                                                 \
			verbose_ = getenv("FUZZ_VERBOSE") != NULL;                                \
		if (verbose_)                                                                     \
			fprintf(stderr, __VA_ARGS__);                                             \
	} while (0)

#endif
