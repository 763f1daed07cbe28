/*
 * html.h — what the HTML renderings share: text escaped for HTML and inline
 * SVG, and a figure read from the report JSON.
 */
#ifndef ITSM_RENDER_HTML_H
#define ITSM_RENDER_HTML_H

#include <jansson.h>

#include "lib/buf.h"

/* s with < > & " ' as entities (NULL writes nothing). */
void html_put_text(struct buf *b, const char *s);
/* o[k] as a double; *has 0 (and 0 returned) when it is not a number (null,
 * absent). */
double html_json_num(const json_t *o, const char *k, int *has);

#endif
