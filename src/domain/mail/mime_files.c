/*
 * mime_files.c — the files a received message carries (see mime.h): every
 * leaf part, depth-first, that has a file name (Content-Disposition's or
 * Content-Type's name, RFC 2231 and RFC 2047 undone by GMime) or is marked
 * as an attachment, except the part the ticket's text came from. Enclosed
 * messages are passed over. At most MAIL_FILES_MAX files; the rest are
 * dropped.
 */
#include "domain/mail/mime.h"
#include "lib/utf8.h"

#include <gmime/gmime.h>
#include <stdlib.h>
#include <string.h>

/* Add the decoded content of part as a file named name. */
static int add_file(struct mail_parsed *p, GMimePart *part, const char *name, struct err *e)
{
	GMimeDataWrapper *w = g_mime_part_get_content(part);
	struct mail_file *f;
	GMimeStream *mem;
	GByteArray *ba;

	if (!p->files && !(p->files = calloc(MAIL_FILES_MAX, sizeof(*p->files))))
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	f = &p->files[p->nfiles];
	utf8_repair(f->name, sizeof(f->name), name && *name ? name : "attachment");
	mem = g_mime_stream_mem_new();
	if (w && g_mime_data_wrapper_write_to_stream(w, mem) < 0) {
		g_object_unref(mem);
		return 0; /* undecodable: not a file we can keep */
	}
	ba = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
	f->len = ba ? ba->len : 0;
	f->data = malloc(f->len ? f->len : 1);
	if (!f->data) {
		g_object_unref(mem);
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	}
	if (f->len)
		memcpy(f->data, ba->data, f->len);
	g_object_unref(mem);
	p->nfiles++;
	return 0;
}

static int walk(GMimeObject *o, const void *body, struct mail_parsed *p, int depth, struct err *e)
{
	if (depth > 16 || p->nfiles == MAIL_FILES_MAX)
		return 0;
	if (GMIME_IS_MULTIPART(o)) {
		GMimeMultipart *mp = GMIME_MULTIPART(o);
		int n = g_mime_multipart_get_count(mp), rc;

		for (int i = 0; i < n; i++)
			if ((rc = walk(g_mime_multipart_get_part(mp, i), body, p, depth + 1, e)))
				return rc;
		return 0;
	}
	if (!GMIME_IS_PART(o) || (const void *)o == body)
		return 0;
	{
		GMimePart *part = GMIME_PART(o);
		const char *name = g_mime_part_get_filename(part);

		if (!name && !g_mime_part_is_attachment(part))
			return 0;
		return add_file(p, part, name, e);
	}
}

int mail_files_read(void *message, const void *body, struct mail_parsed *p, struct err *e)
{
	GMimeObject *top = g_mime_message_get_mime_part(GMIME_MESSAGE(message));

	return top ? walk(top, body, p, 0, e) : 0;
}
