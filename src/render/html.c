/*
 * html.c — escaping text for HTML and SVG, and reading a figure that may be
 * null (see html.h). Every user-given string a rendering writes into markup
 * goes through html_put_text; the pages carry no script.
 */
#include "render/html.h"

void html_put_text(struct buf *b, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '<': buf_puts(b, "&lt;"); break;
		case '>': buf_puts(b, "&gt;"); break;
		case '&': buf_puts(b, "&amp;"); break;
		case '"': buf_puts(b, "&quot;"); break;
		case '\'': buf_puts(b, "&#39;"); break;
		default: buf_putc(b, *s);
		}
	}
}

double html_json_num(const json_t *o, const char *k, int *has)
{
	json_t *v = json_object_get(o, k);

	*has = json_is_number(v);
	return *has ? json_number_value(v) : 0;
}
