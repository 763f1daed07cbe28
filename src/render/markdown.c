/*
 * markdown.c — Markdown into safe HTML with cmark (see markdown.h). The
 * only place itsm calls cmark; its options are fixed here: the default
 * (safe) rendering, smart punctuation off, the source's line breaks kept
 * as soft breaks.
 */
#include "render/markdown.h"

#include <cmark.h>
#include <stdlib.h>

int md_to_html(const char *md, size_t len, struct buf *out)
{
	char *html = cmark_markdown_to_html(md ? md : "", md ? len : 0, CMARK_OPT_DEFAULT);
	int rc;

	if (!html)
		return -1;
	rc = buf_puts(out, html);
	free(html);
	return rc ? -1 : 0;
}
