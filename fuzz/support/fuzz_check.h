/*
 * fuzz/support/fuzz_check.h — the one assertion of the fuzz targets: an
 * invariant that does not hold prints itself (with the file and line, so a
 * replay log says which) and aborts, which libFuzzer and the replay both
 * count as a failure.
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

#endif
