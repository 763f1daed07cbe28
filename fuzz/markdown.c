/*
 * fuzz/markdown.c — libFuzzer target: Markdown into HTML (md_to_html) on
 * arbitrary bytes. Beyond memory safety it checks what a guideline's page
 * relies on: no raw <script> or <iframe> tag of the source reaches the HTML.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "render/markdown.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf out = BUF_INIT;

	if (!md_to_html((const char *)data, size, &out) &&
	    (strstr(buf_str(&out), "<script") || strstr(buf_str(&out), "<iframe")))
		abort();
	buf_release(&out);
	return 0;
}
