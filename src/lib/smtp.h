/*
 * smtp.h — hand one finished message to an SMTP server with libcurl:
 * smtp:// (optionally upgraded by STARTTLS) or smtps://, optional AUTH with
 * a user and a password read from a file, no shell and no sendmail pipe.
 *
 * The configuration is installed once at start (smtp_config_set) and read
 * by every sender; smtp_enabled says whether a server was configured.
 *
 * Invariants: the envelope sender and recipient hold no CR, LF or '<>'
 * (refused before any connection); the message's bare LF line ends are sent
 * as CRLF; the outcome is 0 sent, 1 refused for good (an SMTP 5xx reply, or
 * an envelope we refuse), -1 to retry later (4xx, no connection, timeout).
 */
#ifndef ITSM_SMTP_H
#define ITSM_SMTP_H

#include <stddef.h>

#include "lib/err.h"

/* Install the SMTP settings: url "" turns SMTP off; password_file (may be
 * "") holds the password on its first line; starttls 1 requires STARTTLS
 * on an smtp:// URL. ERR_INVALID naming the option at fault. */
int smtp_config_set(const char *url, const char *user, const char *password_file,
		    const char *from, int starttls, struct err *e);
/* Whether mail.smtp_url is set. */
int smtp_enabled(void);
/* The configured envelope sender (mail.from; "" when unset). */
const char *smtp_from(void);

/* Send msg (len bytes, LF or CRLF line ends) from smtp_from() to rcpt.
 * 0 sent, 1 permanent failure, -1 temporary; why (n bytes) says what went
 * wrong. */
int smtp_send(const char *rcpt, const char *msg, size_t len, char *why, size_t n);

/* A session sends several messages over one connection where the server
 * allows it (one outbox pass). Each message has its own outcome, as for
 * smtp_send: a refused recipient fails that message only. Not shared
 * between threads. open: NULL when out of memory. */
struct smtp_session;
struct smtp_session *smtp_session_open(void);
int smtp_session_send(struct smtp_session *s, const char *rcpt, const char *msg, size_t len,
		      char *why, size_t n);
/* Connections the session opened so far (1 for a pass that reused one). */
long smtp_session_connects(const struct smtp_session *s);
void smtp_session_close(struct smtp_session *s);

#endif
