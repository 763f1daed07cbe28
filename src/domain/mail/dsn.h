/*
 * dsn.h — a delivery status notification (RFC 3464) read from a received
 * message: which recipient failed, with what status, and which message it
 * reports on. Used by mime.c while it reads a message; the result is part
 * of struct mail_parsed (mime.h).
 *
 * Invariants: every string is one line of well-formed UTF-8 without
 * control characters; the original Message-ID is without its angle
 * brackets; a message that is no delivery status report leaves d zeroed.
 */
#ifndef ITSM_MAIL_DSN_H
#define ITSM_MAIL_DSN_H

#include <gmime/gmime.h>

#include "domain/mail/mime.h"

/* Fill d from m's multipart/report; report-type=delivery-status body (the
 * first recipient whose Action is "failed"; the Message-ID of its
 * message/rfc822 or text/rfc822-headers part). */
void mail_dsn_read(GMimeMessage *m, struct mail_dsn *d);

/* The same on the text of a message/delivery-status part alone (for the
 * unit tests): the first failed recipient into d. */
void mail_dsn_fields(const char *text, size_t n, struct mail_dsn *d);

#endif
