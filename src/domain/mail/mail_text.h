/*
 * mail_text.h — turning a message's text into the UTF-8 the store keeps:
 * HTML into plain text, any declared charset into UTF-8 (with the fallbacks
 * Japanese mail needs). No GMime here: these take bytes and give bytes, so
 * the unit tests and the fuzz target reach them directly.
 *
 * Every function hands out a NUL-terminated string of well-formed UTF-8
 * that the caller frees (free()), or NULL when out of memory.
 */
#ifndef ITSM_MAIL_TEXT_H
#define ITSM_MAIL_TEXT_H

#include <stddef.h>

/* The text a reader sees of html (UTF-8, n bytes): tags dropped, the
 * content of script, style, head and comments dropped, entities decoded
 * (named ones of the common set, &#N; and &#xH;, anything else kept as
 * written), whitespace collapsed as a browser does; a line break for
 * <br>, a line of its own for divisions, list items and table rows, a
 * blank line around paragraphs, headings, lists and tables; at most one
 * blank line in a row, none at the ends. */
char *mail_html_to_text(const char *html, size_t n);

/* bytes (n) in charset (NULL or "": us-ascii) as UTF-8. A charset iconv
 * does not know, or bytes it cannot convert, fall back in this order:
 * ISO-2022-JP with the CP932 extensions (①, ㈱: what mailers that label
 * CP932 text as ISO-2022-JP send), CP932 for Shift_JIS, then UTF-8 as
 * it is; bytes that are none of these become U+FFFD. NUL bytes are
 * dropped. */
char *mail_to_utf8(const char *bytes, size_t n, const char *charset);

/* A raw header value (folded, as it came) as UTF-8: RFC 2047 encoded
 * words (B and Q) decoded through mail_to_utf8, so their charsets get its
 * fallbacks; adjacent words of one charset joined before they are
 * converted (a character split across two words survives), the white
 * space between encoded words dropped; other text read as mail_to_utf8
 * reads undeclared bytes. Line folds are removed; control characters are
 * left for the caller. */
char *mail_words_decode(const char *raw);

/* ISO-2022-JP (n bytes) re-coded as Shift_JIS (CP932) by the JIS X 0208
 * arithmetic, so rows 13 and 89-92 (NEC and IBM extensions) survive: into
 * a new buffer of *out_n bytes, NUL-terminated. */
char *mail_jis_to_sjis(const char *in, size_t n, size_t *out_n);

#endif
