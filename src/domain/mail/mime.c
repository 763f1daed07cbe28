/*
 * mime.c — reading a received message with GMime 3 (see mime.h).
 *
 * GMime does the MIME: the structure, the transfer encodings, RFC 2047
 * and RFC 2231, addresses and Message-IDs. Charsets go through
 * mail_to_utf8 (mail_text.c) rather than GMime's own conversion, so a
 * label that lies (CP932 sent as ISO-2022-JP) loses no text. GMime is
 * initialised once per process; each parse has objects of its own, so
 * parses run in any number of threads.
 */
#include "domain/mail/mime.h"
#include "domain/mail/dsn.h"
#include "domain/mail/mail_text.h"
#include "lib/utf8.h"

#include <ctype.h>
#include <gmime/gmime.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static pthread_once_t once = PTHREAD_ONCE_INIT;
static GMimeParserOptions *options;

static void init(void)
{
	static const char *fallback[] = { "UTF-8", "CP932", "EUC-JP", "ISO-8859-1", NULL };

	g_mime_init();
	options = g_mime_parser_options_new();
	g_mime_parser_options_set_fallback_charsets(options, fallback);
	g_mime_parser_options_set_rfc2047_compliance_mode(options, GMIME_RFC_COMPLIANCE_LOOSE);
	g_mime_parser_options_set_address_compliance_mode(options, GMIME_RFC_COMPLIANCE_LOOSE);
}

/* Copy s into out (n bytes) as well-formed UTF-8, control characters
 * (CR, LF, TAB included) as spaces: a header value is one line. */
static void one_line(char *out, size_t n, const char *s)
{
	utf8_repair(out, n, s ? s : "");
	for (char *p = out; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7F)
			*p = ' ';
}

char *mail_header_decode(const char *value)
{
	char *d = mail_words_decode(value), *out;
	size_t n;

	if (!d)
		return NULL;
	n = strlen(d) + 1;
	out = malloc(n);
	if (out)
		one_line(out, n, d);
	free(d);
	return out;
}

/* The Subject as it came, decoded by mail_words_decode (so an
 * ISO-2022-JP word holding ① keeps it, where GMime's own decoding loses
 * it), into p->subject; GMime's decoded value when there is no raw one. */
static void read_subject(GMimeMessage *m, struct mail_parsed *p)
{
	GMimeHeaderList *hl = g_mime_object_get_header_list(GMIME_OBJECT(m));
	GMimeHeader *h = hl ? g_mime_header_list_get_header(hl, "Subject") : NULL;
	const char *raw = h ? g_mime_header_get_raw_value(h) : NULL;
	char *d = raw ? mail_header_decode(raw) : NULL;
	const char *s = d ? d : g_mime_message_get_subject(m);
	size_t n;

	while (s && (*s == ' ' || *s == '\t'))
		s++;
	one_line(p->subject, sizeof(p->subject), s);
	n = strlen(p->subject);
	while (n && p->subject[n - 1] == ' ')
		p->subject[--n] = '\0';
	free(d);
}

/* ---- robots ---- */

static int header_is(GMimeObject *o, const char *name, const char *const *values)
{
	const char *v = g_mime_object_get_header(o, name);

	if (!v)
		return 0;
	while (isspace((unsigned char)*v))
		v++;
	if (!values)
		return 1;
	for (; *values; values++)
		if (!strncasecmp(v, *values, strlen(*values)))
			return 1;
	return 0;
}

/* Why the message is automatic ("" when a person sent it): RFC 3834's
 * Auto-Submitted, the headers autoresponders and lists add, a null
 * return path, a mailer-daemon sender, a delivery status report. */
static void robot_signs(GMimeMessage *m, const char *from, char *why, size_t n)
{
	static const char *const bulk[] = { "bulk", "junk", "list", NULL };
	static const char *const auto_[] = { "auto-", NULL };
	static const char *const null_path[] = { "<>", NULL };
	static const char *const daemons[] = { "mailer-daemon@", "postmaster@", NULL };
	GMimeObject *o = GMIME_OBJECT(m), *body = g_mime_message_get_mime_part(m);
	GMimeContentType *ct = body ? g_mime_object_get_content_type(body) : NULL;
	const char *rt;

	why[0] = '\0';
	if (header_is(o, "Auto-Submitted", auto_))
		snprintf(why, n, "Auto-Submitted");
	else if (header_is(o, "Precedence", bulk))
		snprintf(why, n, "Precedence");
	else if (header_is(o, "X-Autoreply", NULL))
		snprintf(why, n, "X-Autoreply");
	else if (header_is(o, "X-Autorespond", NULL))
		snprintf(why, n, "X-Autorespond");
	else if (header_is(o, "X-Auto-Response-Suppress", NULL))
		snprintf(why, n, "X-Auto-Response-Suppress");
	else if (header_is(o, "List-Id", NULL))
		snprintf(why, n, "List-Id");
	else if (header_is(o, "Return-Path", null_path))
		snprintf(why, n, "a null Return-Path");
	else if (ct && g_mime_content_type_is_type(ct, "multipart", "report") &&
		 (rt = g_mime_content_type_get_parameter(ct, "report-type")) &&
		 !strcasecmp(rt, "delivery-status"))
		snprintf(why, n, "a delivery status notification");
	else
		for (const char *const *d = daemons; *d; d++)
			if (!strncasecmp(from, *d, strlen(*d)))
				snprintf(why, n, "a %.*s sender", (int)strlen(*d) - 1, *d);
}

/* ---- the text ---- */

/* Line ends as LF (CRLF and a lone CR), trailing white space and blank
 * lines at the end dropped, in place. */
static char *tidy(char *s)
{
	char *r = s, *w = s;
	size_t n;

	if (!s)
		return NULL;
	for (; *r; r++) {
		if (*r == '\r') {
			*w++ = '\n';
			if (r[1] == '\n')
				r++;
		} else {
			*w++ = *r;
		}
	}
	n = (size_t)(w - s);
	while (n && (s[n - 1] == '\n' || s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	s[n] = '\0';
	return s;
}

/* The decoded content of a leaf part as UTF-8 (HTML turned into text). */
static char *part_text(GMimePart *part)
{
	GMimeObject *o = GMIME_OBJECT(part);
	GMimeDataWrapper *w = g_mime_part_get_content(part);
	GMimeContentType *ct = g_mime_object_get_content_type(o);
	GMimeStream *mem;
	GByteArray *ba;
	char *utf8, *text;

	if (!w)
		return strdup("");
	mem = g_mime_stream_mem_new();
	if (g_mime_data_wrapper_write_to_stream(w, mem) < 0) {
		g_object_unref(mem);
		return strdup("");
	}
	ba = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
	utf8 = mail_to_utf8((const char *)ba->data, ba->len,
			    g_mime_object_get_content_type_parameter(o, "charset"));
	g_object_unref(mem);
	if (!utf8 || !g_mime_content_type_is_type(ct, "text", "html"))
		return tidy(utf8);
	text = mail_html_to_text(utf8, strlen(utf8));
	free(utf8);
	return text;
}

static int is_text(GMimeObject *o, const char *subtype)
{
	GMimeContentType *ct = g_mime_object_get_content_type(o);

	return GMIME_IS_PART(o) && ct && g_mime_content_type_is_type(ct, "text", subtype) &&
	       !g_mime_part_is_attachment(GMIME_PART(o));
}

/* The part whose text the ticket gets: in multipart/alternative the
 * text/plain one, else the HTML one; elsewhere the first that is text
 * (depth-first), attachments and enclosed messages passed over. */
static GMimeObject *body_part(GMimeObject *o, int depth)
{
	GMimeContentType *ct = g_mime_object_get_content_type(o);
	GMimeMultipart *mp;
	GMimeObject *found = NULL, *html = NULL;
	int n;

	if (depth > 16)
		return NULL;
	if (!GMIME_IS_MULTIPART(o))
		return is_text(o, "plain") || is_text(o, "html") ? o : NULL;
	mp = GMIME_MULTIPART(o);
	n = g_mime_multipart_get_count(mp);
	if (ct && g_mime_content_type_is_type(ct, "multipart", "alternative")) {
		for (int i = 0; i < n; i++) {
			GMimeObject *c = g_mime_multipart_get_part(mp, i);

			if (is_text(c, "plain"))
				return c;
			if (!html && is_text(c, "html"))
				html = c;
			if (!html && GMIME_IS_MULTIPART(c))
				html = body_part(c, depth + 1);
		}
		return html;
	}
	for (int i = 0; i < n && !found; i++)
		found = body_part(g_mime_multipart_get_part(mp, i), depth + 1);
	return found;
}

/* ---- the message ---- */

static void add_ref(struct mail_parsed *p, const char *id)
{
	char clean[MAIL_MSGID_MAX + 1];

	if (!id || !*id || p->nrefs >= MAIL_REFS_MAX)
		return;
	one_line(clean, sizeof(clean), id);
	for (int i = 0; i < p->nrefs; i++)
		if (!strcmp(p->refs[i], clean))
			return;
	memcpy(p->refs[p->nrefs++], clean, sizeof(clean));
}

static void read_refs(GMimeMessage *m, struct mail_parsed *p)
{
	const char *irt = g_mime_object_get_header(GMIME_OBJECT(m), "In-Reply-To");
	const char *refs = g_mime_object_get_header(GMIME_OBJECT(m), "References");
	GMimeReferences *r;

	if (irt && (r = g_mime_references_parse(options, irt))) {
		for (int i = 0; i < g_mime_references_length(r); i++)
			add_ref(p, g_mime_references_get_message_id(r, i));
		g_mime_references_free(r);
	}
	if (refs && (r = g_mime_references_parse(options, refs))) {
		for (int i = g_mime_references_length(r) - 1; i >= 0; i--)
			add_ref(p, g_mime_references_get_message_id(r, i));
		g_mime_references_free(r);
	}
}

static int read_from(GMimeMessage *m, struct mail_parsed *p, struct err *e)
{
	InternetAddressList *l = g_mime_message_get_from(m);
	InternetAddress *ia = NULL;
	const char *addr;

	for (int i = 0; l && i < internet_address_list_length(l) && !ia; i++) {
		InternetAddress *c = internet_address_list_get_address(l, i);

		if (INTERNET_ADDRESS_IS_MAILBOX(c))
			ia = c;
	}
	if (!ia)
		return err_set(e, ERR_INVALID, "message", "the message has no From address");
	addr = internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(ia));
	if (!addr || !strchr(addr, '@') || strlen(addr) > MAIL_ADDR_MAX)
		return err_set(e, ERR_INVALID, "message", "the From address is malformed");
	one_line(p->from_addr, sizeof(p->from_addr), addr);
	for (char *c = p->from_addr; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	if (strchr(p->from_addr, ' '))
		return err_set(e, ERR_INVALID, "message", "the From address is malformed");
	one_line(p->from_name, sizeof(p->from_name), internet_address_get_name(ia));
	return 0;
}

/* Whether the bytes open with something a header could be: a field name
 * and a colon. GMime reads anything as a message (a body without
 * headers), so this is the check that a message is one at all. */
static int looks_like_headers(const char *raw, size_t n)
{
	size_t i = 0;

	while (i < n && raw[i] > 32 && raw[i] < 127 && raw[i] != ':')
		i++;
	return i > 0 && i < n && raw[i] == ':';
}

/* GMime keeps header values as C strings, so a NUL in the header would end
 * a value early (a Subject "Before\0after" read as "Before"): a copy whose
 * header NULs are spaces, as the other control characters of a header line
 * become; NULL when the header holds none. The raw message is kept as it
 * came. */
static char *header_nuls_spaced(const char *raw, size_t n)
{
	const char *lf2 = memmem(raw, n, "\n\n", 2), *crlf2 = memmem(raw, n, "\n\r\n", 3);
	size_t h = n;
	char *copy;

	if (lf2)
		h = (size_t)(lf2 - raw);
	if (crlf2 && (size_t)(crlf2 - raw) < h)
		h = (size_t)(crlf2 - raw);
	if (!memchr(raw, 0, h) || !(copy = malloc(n)))
		return NULL;
	memcpy(copy, raw, n);
	for (size_t i = 0; i < h; i++)
		if (!copy[i])
			copy[i] = ' ';
	return copy;
}

int mail_parse(const char *raw, size_t n, struct mail_parsed *p, struct err *e)
{
	GMimeStream *stream;
	GMimeParser *parser;
	GMimeMessage *m;
	GMimeObject *body;
	const char *id;
	char *spaced;
	int rc;

	memset(p, 0, sizeof(*p));
	pthread_once(&once, init);
	if (!n || !looks_like_headers(raw, n))
		return err_set(e, ERR_INVALID, "message",
			       "not an RFC 5322 message: it does not begin with a header");
	spaced = header_nuls_spaced(raw, n);
	stream = g_mime_stream_mem_new_with_buffer(spaced ? spaced : raw, n);
	parser = g_mime_parser_new_with_stream(stream);
	g_object_unref(stream);
	m = g_mime_parser_construct_message(parser, options);
	g_object_unref(parser);
	free(spaced); /* the stream copied the bytes */
	if (!m)
		return err_set(e, ERR_INVALID, "message", "not an RFC 5322 message");
	if ((rc = read_from(m, p, e)))
		goto out;
	id = g_mime_message_get_message_id(m);
	one_line(p->message_id, sizeof(p->message_id), id);
	if (id && strlen(id) > MAIL_MSGID_MAX) {
		rc = err_set(e, ERR_INVALID, "message", "the Message-ID is longer than %d bytes",
			     MAIL_MSGID_MAX);
		goto out;
	}
	read_subject(m, p);
	read_refs(m, p);
	robot_signs(m, p->from_addr, p->automatic_why, sizeof(p->automatic_why));
	p->automatic = p->automatic_why[0] != '\0';
	mail_dsn_read(m, &p->dsn);
	body = g_mime_message_get_mime_part(m);
	body = body ? body_part(body, 0) : NULL;
	p->text = body ? part_text(GMIME_PART(body)) : strdup("");
	if (!p->text)
		rc = err_set(e, ERR_INTERNAL, NULL, "out of memory");
	else
		rc = mail_files_read(m, body, p, e);
out:
	g_object_unref(m);
	return rc;
}

void mail_parsed_release(struct mail_parsed *p)
{
	free(p->text);
	p->text = NULL;
	for (int i = 0; i < p->nfiles; i++)
		free(p->files[i].data);
	free(p->files);
	p->files = NULL;
	p->nfiles = 0;
}
