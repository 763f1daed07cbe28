/*
 * markdown.c — an article's Markdown as safe HTML, with cmark (CommonMark).
 *
 * cmark renders raw HTML (blocks and inline) as a comment saying it was
 * omitted unless CMARK_OPT_UNSAFE is set, which it never is here
 * (CMARK_OPT_SAFE is named for the versions before 0.29, where safety was
 * the option). It drops javascript:, vbscript:, file: and most data: links
 * itself; this file goes further and keeps only destinations that are
 * http:, https:, mailto:, a relative path or an anchor, so a data: image
 * and any scheme cmark does not know are dropped too.
 *
 * A write's answer is rendered inside the write (article.c), so that a
 * failure to build it fails the write rather than report a stored write as
 * failed. cmark's own allocator aborts the process when memory runs out:
 * then nothing of the open transaction is committed, and nothing was
 * acknowledged.
 */
#include "domain/knowledge/knowledge.h"

#include <cmark.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Whether a link's destination may stay. */
static int url_safe(const char *url)
{
	static const char *const schemes[] = { "http:", "https:", "mailto:" };
	const char *colon = strchr(url, ':');
	size_t n;

	while (isspace((unsigned char)*url))
		url++;
	colon = strchr(url, ':');
	if (!colon)
		return 1; /* a path or an anchor */
	/* A colon after a / ? # is in a path, not a scheme. */
	n = strcspn(url, "/?#");
	if (url + n < colon)
		return 1;
	for (size_t i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++)
		if (!strncasecmp(url, schemes[i], strlen(schemes[i])))
			return 1;
	return 0;
}

char *knowledge_markdown_html(const char *markdown)
{
	const int opts = CMARK_OPT_DEFAULT | CMARK_OPT_SAFE | CMARK_OPT_VALIDATE_UTF8;
	cmark_node *doc = cmark_parse_document(markdown, strlen(markdown), opts);
	cmark_iter *it;
	cmark_event_type ev;
	char *html;

	if (!doc)
		return NULL;
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
	return html;
}
