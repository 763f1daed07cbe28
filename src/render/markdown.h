/*
 * markdown.h — Markdown (CommonMark) into HTML that is safe to put in a
 * page: raw HTML in the source is not passed through (cmark replaces it by
 * a comment) and links or images with javascript:, vbscript:, file: or
 * data: (other than images) URLs are emptied — cmark's default, without
 * CMARK_OPT_UNSAFE.
 */
#ifndef ITSM_RENDER_MARKDOWN_H
#define ITSM_RENDER_MARKDOWN_H

#include <stddef.h>

#include "lib/buf.h"

/* Append the HTML of the len bytes of md to out: 0, or -1 when out of
 * memory or past out's limit (out then holds what fitted). */
int md_to_html(const char *md, size_t len, struct buf *out);

#endif
