/*
 * mail_text.c — HTML to text and charsets to UTF-8 for received mail (see
 * mail_text.h).
 *
 * The HTML reader is a small state machine over the bytes, not a parser:
 * it never builds a tree, never follows a link, never runs anything; what
 * it cannot read as markup it keeps as text. Its output is only ever
 * stored and shown as text, so the one duty it has for safety is that no
 * script or style content reaches the ticket.
 */
#include "domain/mail/mail_text.h"
#include "lib/buf.h"
#include "lib/utf8.h"

#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- HTML ---- */

/* The named entities a mail's HTML uses, beside the numeric ones. */
static const struct {
	const char *name;
	unsigned cp;
} entities[] = {
	{ "amp", '&' },	   { "lt", '<' },      { "gt", '>' },	   { "quot", '"' },
	{ "apos", '\'' },  { "nbsp", 0xA0 },   { "copy", 0xA9 },   { "reg", 0xAE },
	{ "trade", 0x2122 }, { "hellip", 0x2026 }, { "mdash", 0x2014 }, { "ndash", 0x2013 },
	{ "lsquo", 0x2018 }, { "rsquo", 0x2019 }, { "ldquo", 0x201C }, { "rdquo", 0x201D },
	{ "bull", 0x2022 }, { "middot", 0xB7 }, { "yen", 0xA5 },    { "euro", 0x20AC },
	{ "laquo", 0xAB },  { "raquo", 0xBB },  { "times", 0xD7 },  { "deg", 0xB0 },
};

/* Elements whose content is not text a reader sees. */
static const char *const hidden[] = { "script", "style", "head", "title", "template", NULL };
/* Elements that stand apart as paragraphs (a blank line before and after),
 * and those that only start on a line of their own (opening or closing). */
static const char *const paragraphs[] = { "p", "h1", "h2", "h3", "h4", "h5", "h6",
					  "blockquote", "pre", "table", "ul", "ol", "hr", NULL };
static const char *const lines[] = { "div", "li", "tr", "section", "article", "header",
				     "footer", "dt", "dd", "address", NULL };

static int in_list(const char *const *l, const char *name)
{
	for (; *l; l++)
		if (!strcasecmp(*l, name))
			return 1;
	return 0;
}

static void put_cp(struct buf *b, unsigned cp)
{
	char u[4];
	size_t n;

	if (!cp || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		cp = 0xFFFD;
	if (cp < 0x80) {
		u[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xC0 | cp >> 6);
		u[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xE0 | cp >> 12);
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		u[0] = (char)(0xF0 | cp >> 18);
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	buf_append(b, u, n);
}

/* The entity at s[0] == '&' (n bytes left): its code point and length,
 * or 0 when it is not one (the '&' is then text). */
static size_t entity_at(const char *s, size_t n, unsigned *cp)
{
	size_t i = 1;
	unsigned long v = 0;

	if (n > 2 && s[1] == '#') {
		int hex = n > 3 && (s[2] == 'x' || s[2] == 'X');

		i = hex ? 3 : 2;
		size_t start = i;
		for (; i < n && i < start + 8; i++) {
			int c = (unsigned char)s[i];
			if (hex && isxdigit(c))
				v = v * 16 + (unsigned long)(isdigit(c) ? c - '0' : (tolower(c) - 'a' + 10));
			else if (!hex && isdigit(c))
				v = v * 10 + (unsigned long)(c - '0');
			else
				break;
		}
		if (i == start)
			return 0;
		*cp = v > 0x10FFFF ? 0xFFFD : (unsigned)v;
		return i < n && s[i] == ';' ? i + 1 : i;
	}
	for (; i < n && i < 12 && isalnum((unsigned char)s[i]); i++)
		;
	for (size_t k = 0; k < sizeof(entities) / sizeof(entities[0]); k++)
		if (strlen(entities[k].name) == i - 1 && !strncmp(entities[k].name, s + 1, i - 1)) {
			*cp = entities[k].cp;
			return i < n && s[i] == ';' ? i + 1 : i;
		}
	return 0;
}

/* The state of the text written so far, to collapse whitespace. */
struct out {
	struct buf b;
	int space;    /* a space is pending before the next word */
	int newlines; /* line breaks at the end of b (0-2) */
};

static void out_break(struct out *o)
{
	o->space = 0;
	if (!o->b.len || o->newlines >= 2)
		return;
	buf_putc(&o->b, '\n');
	o->newlines++;
}

/* At least n line breaks at the end of the text so far (none at its start). */
static void out_breaks(struct out *o, int n)
{
	while (o->b.len && o->newlines < n)
		out_break(o);
	o->space = 0;
}

static void out_text(struct out *o, const char *s, size_t n)
{
	if (o->space && o->b.len && !o->newlines)
		buf_putc(&o->b, ' ');
	o->space = 0;
	buf_append(&o->b, s, n);
	o->newlines = 0;
}

/* Read a tag's name from s (after '<' and an optional '/'). */
static void tag_name(const char *s, size_t n, char name[16])
{
	size_t i = 0;

	while (i < n && i < 15 && (isalnum((unsigned char)s[i])))
		i++;
	memcpy(name, s, i);
	name[i] = '\0';
}

char *mail_html_to_text(const char *html, size_t n)
{
	struct out o = { BUF_INIT, 0, 0 };
	char name[16], skip[16] = "";
	size_t i = 0;
	unsigned cp;

	while (i < n) {
		unsigned char c = (unsigned char)html[i];

		if (c == '<') {
			size_t end;

			if (n - i >= 4 && !memcmp(html + i, "<!--", 4)) {
				const char *close = memmem(html + i + 4, n - i - 4, "-->", 3);
				i = close ? (size_t)(close - html) + 3 : n;
				continue;
			}
			int closing = i + 1 < n && html[i + 1] == '/';
			tag_name(html + i + 1 + closing, n - i - 1 - closing, name);
			if (!*name && !(i + 1 < n && (html[i + 1] == '!' || html[i + 1] == '?'))) {
				if (!*skip)
					out_text(&o, "<", 1);
				i++;
				continue;
			}
			/* The end of the tag: the first '>' outside quotes. */
			char q = 0;
			for (end = i + 1; end < n; end++) {
				if (q) {
					if (html[end] == q)
						q = 0;
				} else if (html[end] == '"' || html[end] == '\'') {
					q = html[end];
				} else if (html[end] == '>') {
					break;
				}
			}
			i = end < n ? end + 1 : n;
			if (*skip) {
				if (closing && !strcasecmp(name, skip))
					skip[0] = '\0';
				continue;
			}
			if (!closing && in_list(hidden, name) && html[end - 1] != '/') {
				snprintf(skip, sizeof(skip), "%s", name);
				continue;
			}
			if (!strcasecmp(name, "br"))
				out_break(&o);
			else if (in_list(paragraphs, name))
				out_breaks(&o, 2);
			else if (in_list(lines, name))
				out_breaks(&o, 1);
			else if (!strcasecmp(name, "td") || !strcasecmp(name, "th")) {
				o.space = 1;
			}
			continue;
		}
		if (*skip) {
			i++;
			continue;
		}
		if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f') {
			o.space = 1;
			i++;
			continue;
		}
		if (c == '&') {
			size_t k = entity_at(html + i, n - i, &cp);
			if (k) {
				struct buf t = BUF_INIT;

				if (cp == 0xA0) {
					o.space = 1;
				} else {
					put_cp(&t, cp);
					out_text(&o, t.data, t.len);
				}
				buf_release(&t);
				i += k;
				continue;
			}
		}
		if (!c) {
			i++;
			continue;
		}
		size_t k = utf8_seq(html + i, n - i);
		if (!k) {
			out_text(&o, "\xEF\xBF\xBD", 3);
			i++;
		} else {
			out_text(&o, html + i, k);
			i += k;
		}
	}
	while (o.b.len && o.b.data[o.b.len - 1] == '\n')
		o.b.len--;
	if (buf_putc(&o.b, '\0')) {
		buf_release(&o.b);
		return NULL;
	}
	return buf_detach(&o.b, NULL);
}

/* ---- charsets ---- */

/* Convert with iconv; NULL when iconv does not know cs or the bytes are
 * not in it. */
static char *convert(const char *in, size_t n, const char *cs)
{
	iconv_t cd = iconv_open("UTF-8", cs);
	size_t cap = n * 4 + 16, left = n, room;
	char *out, *ip = (char *)in, *op;

	if (cd == (iconv_t)-1)
		return NULL;
	out = malloc(cap);
	if (!out) {
		iconv_close(cd);
		return NULL;
	}
	op = out;
	room = cap - 1;
	if (iconv(cd, &ip, &left, &op, &room) == (size_t)-1 ||
	    iconv(cd, NULL, NULL, &op, &room) == (size_t)-1) {
		free(out);
		iconv_close(cd);
		return NULL;
	}
	iconv_close(cd);
	*op = '\0';
	return out;
}

char *mail_jis_to_sjis(const char *in, size_t n, size_t *out_n)
{
	char *out = malloc(n + 1), *o = out;
	int mode = 0; /* 0 ASCII, 1 JIS X 0208, 2 half-width katakana */
	size_t i = 0;

	if (!out)
		return NULL;
	while (i < n) {
		unsigned char c = (unsigned char)in[i];

		if (c == 0x1B && i + 2 < n) {
			if (in[i + 1] == '$' && (in[i + 2] == 'B' || in[i + 2] == '@')) {
				mode = 1;
				i += 3;
				continue;
			}
			if (in[i + 1] == '(' && (in[i + 2] == 'B' || in[i + 2] == 'J')) {
				mode = 0;
				i += 3;
				continue;
			}
			if (in[i + 1] == '(' && in[i + 2] == 'I') {
				mode = 2;
				i += 3;
				continue;
			}
		}
		if (c == 0x0E || c == 0x0F) { /* SO/SI: katakana in and out */
			mode = c == 0x0E ? 2 : 0;
			i++;
			continue;
		}
		if (mode == 1 && c >= 0x21 && c <= 0x7E && i + 1 < n) {
			unsigned j1 = c, j2 = (unsigned char)in[i + 1];
			unsigned s1 = ((j1 - 0x21) >> 1) + 0x81, s2;

			if (s1 > 0x9F)
				s1 += 0x40;
			if (j1 & 1)
				s2 = j2 + 0x1F + (j2 >= 0x60);
			else
				s2 = j2 + 0x7E;
			*o++ = (char)s1;
			*o++ = (char)s2;
			i += 2;
			continue;
		}
		if (mode == 2 && c >= 0x21 && c <= 0x5F) {
			*o++ = (char)(c + 0x80);
			i++;
			continue;
		}
		*o++ = (char)c;
		i++;
	}
	*o = '\0';
	*out_n = (size_t)(o - out);
	return out;
}

/* Bytes that are not well-formed UTF-8 as U+FFFD; NUL bytes dropped. */
static char *repaired(const char *in, size_t n)
{
	struct buf b = BUF_INIT;
	size_t i = 0;

	while (i < n) {
		size_t k = utf8_seq(in + i, n - i);

		if (!k)
			buf_append(&b, "\xEF\xBF\xBD", 3);
		else if (in[i])
			buf_append(&b, in + i, k);
		i += k ? k : 1;
	}
	if (buf_putc(&b, '\0')) {
		buf_release(&b);
		return NULL;
	}
	return buf_detach(&b, NULL);
}

static int is_cs(const char *cs, const char *name)
{
	return cs && !strcasecmp(cs, name);
}

char *mail_to_utf8(const char *bytes, size_t n, const char *charset)
{
	char *out = NULL, *tmp;
	size_t k;

	if (!charset || !*charset || is_cs(charset, "us-ascii") || is_cs(charset, "utf-8") ||
	    is_cs(charset, "utf8"))
		out = utf8_valid(bytes, n) ? NULL : convert(bytes, n, "CP932");
	else if ((out = convert(bytes, n, charset)))
		;
	else if (is_cs(charset, "iso-2022-jp") || is_cs(charset, "csISO2022JP") ||
		 is_cs(charset, "iso-2022-jp-2")) {
		if ((tmp = mail_jis_to_sjis(bytes, n, &k))) {
			out = convert(tmp, k, "CP932");
			free(tmp);
		}
	} else if (is_cs(charset, "shift_jis") || is_cs(charset, "sjis") ||
		   is_cs(charset, "x-sjis") || is_cs(charset, "shift-jis")) {
		out = convert(bytes, n, "CP932");
	} else if (is_cs(charset, "euc-jp")) {
		out = convert(bytes, n, "EUC-JP-MS");
	}
	if (out) {
		/* iconv's output is UTF-8; NULs and anything odd go the one way. */
		tmp = repaired(out, strlen(out));
		free(out);
		return tmp;
	}
	return repaired(bytes, n);
}

/* ---- RFC 2047 encoded words ---- */

/* An encoded word at s ("=?cs?B?text?="): its charset (RFC 2231's
 * "*lang" dropped) into cs, its decoded bytes appended to b; the length
 * of the word, or 0 when s does not start one. */
static size_t encoded_word(const char *s, char cs[64], struct buf *b)
{
	const char *p = s + 2, *q, *text, *end;
	size_t n, k;
	char enc;

	if (strncmp(s, "=?", 2))
		return 0;
	q = strchr(p, '?');
	if (!q || q == p || q - p >= 64 || !q[1] || q[2] != '?')
		return 0;
	enc = (char)toupper((unsigned char)q[1]);
	if (enc != 'B' && enc != 'Q')
		return 0;
	text = q + 3;
	end = strstr(text, "?=");
	if (!end)
		return 0;
	for (const char *c = text; c < end; c++)
		if ((unsigned char)*c <= ' ')
			return 0; /* an encoded word holds no white space */
	n = (size_t)(q - p);
	memcpy(cs, p, n);
	cs[n] = '\0';
	cs[strcspn(cs, "*")] = '\0';
	n = (size_t)(end - text);
	if (enc == 'B') {
		unsigned char *bin = malloc(n + 1);
		size_t got = 0;

		if (!bin)
			return 0;
		if (sodium_base642bin(bin, n + 1, text, n, NULL, &got, NULL,
				      sodium_base64_VARIANT_ORIGINAL) &&
		    sodium_base642bin(bin, n + 1, text, n, "=", &got, NULL,
				      sodium_base64_VARIANT_ORIGINAL_NO_PADDING)) {
			free(bin);
			return 0;
		}
		buf_append(b, bin, got);
		free(bin);
	} else {
		for (k = 0; k < n; k++) {
			char c = text[k];

			if (c == '_') {
				buf_putc(b, ' ');
			} else if (c == '=' && k + 2 < n && isxdigit((unsigned char)text[k + 1]) &&
				   isxdigit((unsigned char)text[k + 2])) {
				char hex[3] = { text[k + 1], text[k + 2], 0 };

				buf_putc(b, (char)strtol(hex, NULL, 16));
				k += 2;
			} else {
				buf_putc(b, c);
			}
		}
	}
	return (size_t)(end + 2 - s);
}

/* Convert the bytes gathered in b (in cs; "" for plain text) onto out. */
static void flush(struct buf *out, struct buf *b, const char *cs)
{
	char *u;

	if (!b->len)
		return;
	u = mail_to_utf8(b->data, b->len, *cs ? cs : NULL);
	if (u)
		buf_puts(out, u);
	free(u);
	buf_reset(b);
}

char *mail_words_decode(const char *raw)
{
	struct buf out = BUF_INIT, pend = BUF_INIT, word = BUF_INIT, text = BUF_INIT;
	char cs[64] = "", wcs[64];
	const char *s = raw ? raw : "";
	int after_word = 0; /* the last thing read was an encoded word */

	while (*s) {
		size_t k;

		if (*s == '\r' || *s == '\n') { /* a fold: the line break goes */
			s++;
			continue;
		}
		buf_reset(&word);
		if ((k = encoded_word(s, wcs, &word))) {
			/* White space between two encoded words is not text. */
			if (!after_word)
				flush(&out, &text, "");
			buf_reset(&text);
			if (strcasecmp(wcs, cs))
				flush(&out, &pend, cs);
			snprintf(cs, sizeof(cs), "%s", wcs);
			buf_append(&pend, word.data, word.len);
			after_word = 1;
			s += k;
			continue;
		}
		if (after_word && (*s == ' ' || *s == '\t')) {
			buf_putc(&text, *s++); /* held: dropped if a word follows */
			continue;
		}
		if (after_word) {
			flush(&out, &pend, cs);
			after_word = 0;
		}
		buf_putc(&text, *s++);
	}
	flush(&out, &pend, cs);
	flush(&out, &text, "");
	buf_release(&pend);
	buf_release(&word);
	buf_release(&text);
	if (buf_putc(&out, '\0')) {
		buf_release(&out);
		return NULL;
	}
	return buf_detach(&out, NULL);
}
