/*
 * markdown.c — Markdown into safe HTML with cmark (see markdown.h). The
 * only place itsm calls cmark (guidelines, knowledge articles).
 *
 * Raw HTML (blocks and inline) becomes a comment saying it was omitted:
 * CMARK_OPT_UNSAFE is never set (CMARK_OPT_SAFE names the same for cmark
 * before 0.29). cmark drops javascript:, vbscript:, file: and most data:
 * links itself; this file keeps only destinations that are http:, https:,
 * mailto:, a relative path or an anchor, so a data: image and any scheme
 * cmark does not know are emptied too. Invalid UTF-8 is replaced. cmark's
 * allocator aborts the process when memory runs out.
 */
#include "render/markdown.h"

#include <cmark.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Whether a link's destination may stay. */
static int url_safe(const char *url)
{
	static const char *const schemes[] = { "http:", "https:", "mailto:" };
	const char *colon;

	while (isspace((unsigned char)*url))
		url++;
	if (!(colon = strchr(url, ':')))
		return 1; /* a path or an anchor */
	/* A colon after a / ? # is in a path, not a scheme. */
	if (url + strcspn(url, "/?#") < colon)
		return 1;
	for (size_t i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++)
		if (!strncasecmp(url, schemes[i], strlen(schemes[i])))
			return 1;
	return 0;
}

int md_to_html(const char *md, size_t len, struct buf *out)
{
	const int opts = CMARK_OPT_DEFAULT | CMARK_OPT_SAFE | CMARK_OPT_VALIDATE_UTF8;
	cmark_node *doc = cmark_parse_document(md ? md : "", md ? len : 0, opts);
	cmark_iter *it;
	cmark_event_type ev;
	char *html;
	int rc;

	if (!doc)
		return -1;
	it = cmark_iter_new(doc);
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		cmark_node_type t = cmark_node_get_type(n);
		const char *url;

		if (ev != CMARK_EVENT_ENTER || (t != CMARK_NODE_LINK && t != CMARK_NODE_IMAGE))
			continue;
		url = cmark_node_get_url(n);
		if (url && !url_safe(url))
			cmark_node_set_url(n, "");
	}
	cmark_iter_free(it);
	html = cmark_render_html(doc, opts);
	cmark_node_free(doc);
	if (!html)
		return -1;
	rc = buf_puts(out, html);
	free(html);
	return rc ? -1 : 0;
}
