/*
 * dsn.c — reading a delivery status notification (see dsn.h).
 *
 * RFC 3464: the body is multipart/report; report-type=delivery-status, one
 * part a human reads, one message/delivery-status part (a block of fields
 * about the message, then one block per recipient: Final-Recipient,
 * Action, Status, Diagnostic-Code …, blocks apart by a blank line), and
 * usually the message it reports on, whole (message/rfc822) or its header
 * alone (text/rfc822-headers). GMime gives the parts; the fields are read
 * here, line by line, folded lines joined.
 */
#include "domain/mail/dsn.h"
#include "lib/utf8.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Copy s (len bytes) into out (n bytes) as one line of well-formed UTF-8,
 * surrounding blanks trimmed. */
static void field_copy(char *out, size_t n, const char *s, size_t len)
{
	char tmp[1024];
	size_t a = 0, b;

	while (a < len && isspace((unsigned char)s[a]))
		a++;
	b = len;
	while (b > a && isspace((unsigned char)s[b - 1]))
		b--;
	if (b - a >= sizeof(tmp))
		b = a + sizeof(tmp) - 1;
	memcpy(tmp, s + a, b - a);
	tmp[b - a] = '\0';
	utf8_repair(out, n, tmp);
	for (char *p = out; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7F)
			*p = ' ';
}

/* One recipient block's fields, as they are read. */
struct block {
	char recipient[MAIL_ADDR_MAX + 1];
	char original[MAIL_ADDR_MAX + 1];
	char action[16];
	char status[16];
	char diagnostic[200];
};

/* "rfc822; alice@example.com" (or "<alice@…>") → the address, lower-cased. */
static void address_of(char *out, size_t n, const char *v)
{
	const char *semi = strchr(v, ';');
	char *p;

	field_copy(out, n, semi ? semi + 1 : v, strlen(semi ? semi + 1 : v));
	if (out[0] == '<') {
		memmove(out, out + 1, strlen(out));
		if ((p = strchr(out, '>')))
			*p = '\0';
	}
	for (p = out; *p; p++)
		*p = (char)tolower((unsigned char)*p);
}

/* Take the field name: value (one unfolded line) into b. */
static void take_field(struct block *b, const char *name, const char *value)
{
	if (!strcasecmp(name, "Final-Recipient"))
		address_of(b->recipient, sizeof(b->recipient), value);
	else if (!strcasecmp(name, "Original-Recipient"))
		address_of(b->original, sizeof(b->original), value);
	else if (!strcasecmp(name, "Action"))
		field_copy(b->action, sizeof(b->action), value, strlen(value));
	else if (!strcasecmp(name, "Status")) {
		size_t k = 0;

		for (const char *p = value; *p && k + 1 < sizeof(b->status); p++)
			if (isdigit((unsigned char)*p) || (*p == '.' && k))
				b->status[k++] = *p;
			else if (k)
				break;
		b->status[k] = '\0';
	} else if (!strcasecmp(name, "Diagnostic-Code"))
		field_copy(b->diagnostic, sizeof(b->diagnostic), value, strlen(value));
}

/* A block ended: the first failed recipient wins. */
static void end_block(struct block *b, struct mail_dsn *d)
{
	const char *who = b->recipient[0] ? b->recipient : b->original;

	if (!d->recipient[0] && *who && !strcasecmp(b->action, "failed")) {
		snprintf(d->recipient, sizeof(d->recipient), "%s", who);
		snprintf(d->status, sizeof(d->status), "%s", b->status);
		snprintf(d->diagnostic, sizeof(d->diagnostic), "%s", b->diagnostic);
	}
	memset(b, 0, sizeof(*b));
}

void mail_dsn_fields(const char *text, size_t n, struct mail_dsn *d)
{
	struct block b = { 0 };
	char line[1024];
	size_t used = 0, i = 0;

	/* Each logical line (folded lines joined) is taken when the next
	 * begins or a blank line ends the block. */
	while (i <= n) {
		size_t end = i;
		int blank;

		while (end < n && text[end] != '\n')
			end++;
		size_t len = end - i;

		if (len && text[i + len - 1] == '\r')
			len--;
		blank = 1;
		for (size_t k = 0; k < len && blank; k++)
			blank = text[i + k] == ' ' || text[i + k] == '\t';
		if (!blank && (text[i] == ' ' || text[i] == '\t') && used) {
			/* a continuation: joined with one space */
			size_t lead = strspn(text + i, " \t");

			if (used + 1 + len - lead < sizeof(line)) {
				line[used++] = ' ';
				memcpy(line + used, text + i + lead, len - lead);
				used += len - lead;
			}
		} else {
			if (used) {
				char *colon;

				line[used] = '\0';
				if ((colon = strchr(line, ':'))) {
					*colon = '\0';
					take_field(&b, line, colon + 1);
				}
				used = 0;
			}
			if (blank)
				end_block(&b, d);
			else if (len < sizeof(line)) {
				memcpy(line, text + i, len);
				used = len;
			}
		}
		i = end + 1;
	}
	end_block(&b, d);
}

/* The decoded content of a leaf part, NUL-terminated; NULL when none. */
static char *part_bytes(GMimeObject *o, size_t *n)
{
	GMimeDataWrapper *w = GMIME_IS_PART(o) ? g_mime_part_get_content(GMIME_PART(o)) : NULL;
	GMimeStream *mem;
	GByteArray *ba;
	char *out = NULL;

	if (!w)
		return NULL;
	mem = g_mime_stream_mem_new();
	if (g_mime_data_wrapper_write_to_stream(w, mem) >= 0) {
		ba = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
		if ((out = malloc(ba->len + 1))) {
			memcpy(out, ba->data, ba->len);
			out[ba->len] = '\0';
			*n = ba->len;
		}
	}
	g_object_unref(mem);
	return out;
}

/* The Message-ID of a header block given as text (text/rfc822-headers). */
static void header_message_id(const char *text, size_t n, struct mail_dsn *d)
{
	for (size_t i = 0; i < n;) {
		size_t end = i;

		while (end < n && text[end] != '\n')
			end++;
		if (end - i > 11 && !strncasecmp(text + i, "Message-ID:", 11)) {
			char value[MAIL_MSGID_MAX + 64];
			size_t k = 0;

			/* the value, with its folded continuation lines */
			for (size_t j = i + 11; j < n && k + 1 < sizeof(value); j++) {
				if (text[j] == '\n' && !(j + 1 < n && (text[j + 1] == ' ' ||
									text[j + 1] == '\t')))
					break;
				value[k++] = text[j] == '\r' || text[j] == '\n' ? ' ' : text[j];
			}
			value[k] = '\0';
			char *id = g_mime_utils_decode_message_id(value);

			if (id) {
				field_copy(d->original_id, sizeof(d->original_id), id, strlen(id));
				g_free(id);
			}
			return;
		}
		if (end == i || (end == i + 1 && text[i] == '\r'))
			return; /* the end of the header */
		i = end + 1;
	}
}

void mail_dsn_read(GMimeMessage *m, struct mail_dsn *d)
{
	GMimeObject *body = g_mime_message_get_mime_part(m);
	GMimeContentType *ct = body ? g_mime_object_get_content_type(body) : NULL;
	const char *rt;
	int count;

	memset(d, 0, sizeof(*d));
	if (!body || !GMIME_IS_MULTIPART(body) || !ct ||
	    !g_mime_content_type_is_type(ct, "multipart", "report") ||
	    !(rt = g_mime_content_type_get_parameter(ct, "report-type")) ||
	    strcasecmp(rt, "delivery-status"))
		return;
	d->report = 1;
	count = g_mime_multipart_get_count(GMIME_MULTIPART(body));
	for (int i = 0; i < count; i++) {
		GMimeObject *part = g_mime_multipart_get_part(GMIME_MULTIPART(body), i);
		GMimeContentType *pt = g_mime_object_get_content_type(part);
		char *text;
		size_t n = 0;

		if (!pt)
			continue;
		if (GMIME_IS_MESSAGE_PART(part)) {
			GMimeMessage *orig = g_mime_message_part_get_message(GMIME_MESSAGE_PART(part));
			const char *id = orig ? g_mime_message_get_message_id(orig) : NULL;

			if (id && !d->original_id[0])
				field_copy(d->original_id, sizeof(d->original_id), id, strlen(id));
		} else if (g_mime_content_type_is_type(pt, "message", "delivery-status") ||
			   g_mime_content_type_is_type(pt, "message", "global-delivery-status")) {
			if ((text = part_bytes(part, &n))) {
				mail_dsn_fields(text, n, d);
				free(text);
			}
		} else if (g_mime_content_type_is_type(pt, "text", "rfc822-headers") &&
			   !d->original_id[0]) {
			if ((text = part_bytes(part, &n))) {
				header_message_id(text, n, d);
				free(text);
			}
		}
	}
}
