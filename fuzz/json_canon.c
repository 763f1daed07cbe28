/*
 * fuzz/json_canon.c — libFuzzer target, differential: lib/jsoncanon's
 * jx_canonical (the bytes the audit chain hashes) against jansson's own
 * json_dumps(JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY) on every value
 * jansson loads from the input, with and without JSON_ALLOW_NUL.
 *
 * The two must be byte-identical: jsoncanon.c promises sorted keys, no
 * whitespace and minimal escapes, which is jansson's compact sorted form,
 * and import.c's audit text and audit_verify's digests rely on the two never
 * disagreeing. Also checked: the canonical text loads back to an equal
 * value whose canonical text is the same bytes (a fixpoint), and writing
 * never fails.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/buf.h"
#include "lib/jsonx.h"
#include "support/fuzz_check.h"

static void check(const json_t *j, size_t flags)
{
	struct buf b = BUF_INIT, again = BUF_INIT;
	char *ref;
	json_t *back;

	CHECK(jx_canonical(&b, j) == 0);
	ref = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
	CHECK(ref && strlen(ref) == b.len && !memcmp(ref, buf_str(&b), b.len));
	free(ref);

	back = json_loadb(buf_str(&b), b.len, flags, NULL);
	CHECK(back && json_equal(back, j));
	CHECK(jx_canonical(&again, back) == 0 && again.len == b.len &&
	      !memcmp(buf_str(&again), buf_str(&b), b.len));
	json_decref(back);
	buf_release(&again);
	buf_release(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t flags[] = { JSON_DECODE_ANY, JSON_DECODE_ANY | JSON_ALLOW_NUL };

	for (size_t f = 0; f < sizeof(flags) / sizeof(flags[0]); f++) {
		json_t *j = json_loadb((const char *)data, size, flags[f], NULL);

		if (!j)
			continue;
		check(j, flags[f]);
		json_decref(j);
	}
	return 0;
}
