/*
 * mime.h — one received RFC 5322 message read with GMime 3: the headers
 * that decide what becomes of it, and its text as UTF-8.
 *
 * Invariants: every string handed out is well-formed UTF-8 without NUL;
 * message_id and the references are without their angle brackets; a
 * message GMime cannot read as one, or without a sender address, is
 * refused (ERR_INVALID on "message") and nothing is handed out.
 */
#ifndef ITSM_MAIL_MIME_H
#define ITSM_MAIL_MIME_H

#include <stddef.h>

#include "lib/err.h"
#include "model/mail.h"

#define MAIL_REFS_MAX 32
#define MAIL_FILES_MAX 32

/* A file the message carries (a part with a file name, or marked as an
 * attachment): its name as UTF-8 ("attachment" when it has none) and its
 * bytes with the transfer encoding undone. */
struct mail_file {
	char name[256];
	unsigned char *data; /* owned */
	size_t len;
};

/* A delivery status notification's findings (dsn.c; RFC 3464). */
struct mail_dsn {
	int report;                            /* the body is a delivery-status report */
	char recipient[MAIL_ADDR_MAX + 1];     /* the first failed one; "" when none */
	char status[16];                       /* its Status, e.g. "5.1.1" */
	char diagnostic[200];                  /* its Diagnostic-Code, one line */
	char original_id[MAIL_MSGID_MAX + 1];  /* the reported message's Message-ID */
};

struct mail_parsed {
	char message_id[MAIL_MSGID_MAX + 1]; /* "" when the message has none */
	char from_addr[MAIL_ADDR_MAX + 1];   /* lower-cased */
	char from_name[200];
	char subject[MAIL_SUBJECT_MAX + 1];  /* decoded (RFC 2047), unfolded */
	/* In-Reply-To first, then References from the newest back, without
	 * repeats. */
	char refs[MAIL_REFS_MAX][MAIL_MSGID_MAX + 1];
	int nrefs;
	char *text;       /* owned: the body as text (text/plain preferred) */
	int automatic;    /* sent by a robot (RFC 3834 and the usual signs) */
	char automatic_why[80];
	struct mail_file *files; /* owned: at most MAIL_FILES_MAX, in order */
	int nfiles;
	struct mail_dsn dsn; /* zeroed unless the message is a DSN */
};

/* Read the n bytes of raw into p; 0, or ERR_INVALID with e naming why.
 * Release p with mail_parsed_release, also after a failure. */
int mail_parse(const char *raw, size_t n, struct mail_parsed *p, struct err *e);
void mail_parsed_release(struct mail_parsed *p);

/* mime_files.c: the files of message (a GMimeMessage) into p->files;
 * the body part the text came from is not one. 0, or ERR_INTERNAL. */
int mail_files_read(void *message, const void *body, struct mail_parsed *p, struct err *e);

/* A header's value as a reader sees it: RFC 2047 encoded words decoded
 * (undeclared 8-bit text tried as UTF-8, CP932, EUC-JP), into a new string
 * the caller frees. For the unit tests and the fuzz target. */
char *mail_header_decode(const char *value);

#endif
