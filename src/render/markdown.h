/*
 * markdown.h — Markdown (CommonMark) into HTML that is safe to put in a
 * page: raw HTML in the source is not passed through (cmark replaces it by
 * a comment) and a link or image keeps its destination only when it is
 * http:, https:, mailto:, a relative path or an anchor (markdown.c).
 */
#ifndef ITSM_RENDER_MARKDOWN_H
#define ITSM_RENDER_MARKDOWN_H

#include <stddef.h>

#include "lib/buf.h"

/* Append the HTML of the len bytes of md to out: 0, or -1 when out of
 * memory or past out's limit (out then holds what fitted). */
int md_to_html(const char *md, size_t len, struct buf *out);

#endif
