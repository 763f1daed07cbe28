/*
 * smtp.c — one message to an SMTP server through libcurl (see smtp.h).
 *
 * The settings are a process-wide copy set before the first delivery and
 * only read afterwards. A message is uploaded from memory by a read
 * callback, its line ends made CRLF on the way (libcurl dot-stuffs). The
 * SMTP reply code libcurl last saw decides permanent (5xx) from temporary.
 *
 * A session is one libcurl easy handle kept across messages: libcurl keeps
 * its SMTP connection open after a message that went through and sends the
 * next one's MAIL FROM on it (no new TCP, TLS or EHLO/AUTH exchange); after
 * a failed one it drops the connection and the next message connects anew.
 */
#include "lib/smtp.h"
#include "lib/file.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define SMTP_TIMEOUT_S 30L
#define SMTP_CONNECT_TIMEOUT_S 5L

static struct {
	char url[512];
	char user[128];
	char password[256];
	char from[256];
	int starttls;
} cfg;

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;

static void curl_init_once(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

static int has_control(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 1;
	return 0;
}

int smtp_config_set(const char *url, const char *user, const char *password_file,
		    const char *from, int starttls, struct err *e)
{
	char *pw = NULL;
	size_t len = 0;

	url = url ? url : "";
	if (*url && strncmp(url, "smtp://", 7) && strncmp(url, "smtps://", 8))
		return err_set(e, ERR_INVALID, "mail.smtp_url",
			       "mail.smtp_url: '%.80s' is not an smtp:// or smtps:// URL", url);
	if (strlen(url) >= sizeof(cfg.url) || has_control(url))
		return err_set(e, ERR_INVALID, "mail.smtp_url", "mail.smtp_url: malformed URL");
	if ((user && (strlen(user) >= sizeof(cfg.user) || has_control(user))))
		return err_set(e, ERR_INVALID, "mail.smtp_user", "mail.smtp_user: malformed");
	if (from && (strlen(from) >= sizeof(cfg.from) || has_control(from) ||
		     strpbrk(from, "<> ,") || (*from && !strchr(from, '@'))))
		return err_set(e, ERR_INVALID, "mail.from",
			       "mail.from: '%.80s' is not one plain address", from);
	if (*url && from && !*from)
		return err_set(e, ERR_INVALID, "mail.from",
			       "mail.from: set the sender address when mail.smtp_url is set");
	if (password_file && *password_file) {
		struct err sub = { 0 };

		if (file_read(password_file, sizeof(cfg.password) - 1, &pw, &len, &sub))
			return err_set(e, ERR_INVALID, "mail.smtp_password_file",
				       "mail.smtp_password_file: %s", sub.msg);
		pw[strcspn(pw, "\r\n")] = '\0';
	}
	snprintf(cfg.url, sizeof(cfg.url), "%s", url);
	snprintf(cfg.user, sizeof(cfg.user), "%s", user ? user : "");
	snprintf(cfg.password, sizeof(cfg.password), "%s", pw ? pw : "");
	snprintf(cfg.from, sizeof(cfg.from), "%s", from ? from : "");
	cfg.starttls = starttls;
	if (pw) {
		memset(pw, 0, len);
		free(pw);
	}
	return 0;
}

int smtp_enabled(void)
{
	return cfg.url[0] != '\0';
}

const char *smtp_from(void)
{
	return cfg.from;
}

struct upload {
	const char *p;
	size_t left;
	int cr; /* the last byte sent was CR */
};

static size_t read_msg(char *out, size_t size, size_t nitems, void *ctx)
{
	struct upload *u = ctx;
	size_t room = size * nitems, n = 0;

	while (u->left && n + 2 <= room) {
		char ch = *u->p;

		if (ch == '\n' && !u->cr)
			out[n++] = '\r';
		out[n++] = ch;
		u->cr = ch == '\r';
		u->p++;
		u->left--;
	}
	return n;
}

static size_t discard(char *p, size_t size, size_t n, void *ctx)
{
	(void)p;
	(void)ctx;
	return size * n;
}

struct smtp_session {
	CURL *h;
	long connects; /* connections opened so far (CURLINFO_NUM_CONNECTS summed) */
};

struct smtp_session *smtp_session_open(void)
{
	struct smtp_session *s;

	pthread_once(&curl_once, curl_init_once);
	if (!(s = calloc(1, sizeof(*s))))
		return NULL;
	if (!(s->h = curl_easy_init())) {
		free(s);
		return NULL;
	}
	return s;
}

void smtp_session_close(struct smtp_session *s)
{
	if (!s)
		return;
	curl_easy_cleanup(s->h); /* QUIT on a connection still open */
	free(s);
}

long smtp_session_connects(const struct smtp_session *s)
{
	return s ? s->connects : 0;
}

int smtp_session_send(struct smtp_session *s, const char *rcpt, const char *msg, size_t len,
		      char *why, size_t n)
{
	struct upload u = { msg, len, 0 };
	struct curl_slist *to = NULL;
	char from[300], rc_to[300];
	long code = 0, connects = 0;
	CURLcode rc;
	CURL *h;

	if (!cfg.url[0]) {
		snprintf(why, n, "no SMTP server configured (set mail.smtp_url)");
		return 1;
	}
	if (has_control(rcpt) || strpbrk(rcpt, "<> ,") || !strchr(rcpt, '@') ||
	    strlen(rcpt) > 254) {
		snprintf(why, n, "the recipient is not one plain address");
		return 1;
	}
	h = s->h;
	/* every option is set again for each message: nothing of the previous
	 * one (its recipient list, its upload) is left pointing at freed memory */
	snprintf(from, sizeof(from), "<%s>", cfg.from);
	snprintf(rc_to, sizeof(rc_to), "<%s>", rcpt);
	if (!(to = curl_slist_append(to, rc_to))) {
		snprintf(why, n, "out of memory");
		return -1;
	}
	curl_easy_setopt(h, CURLOPT_URL, cfg.url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	curl_easy_setopt(h, CURLOPT_MAIL_FROM, from);
	curl_easy_setopt(h, CURLOPT_MAIL_RCPT, to);
	curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, (curl_off_t)-1);
	curl_easy_setopt(h, CURLOPT_READFUNCTION, read_msg);
	curl_easy_setopt(h, CURLOPT_READDATA, &u);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, SMTP_CONNECT_TIMEOUT_S);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, SMTP_TIMEOUT_S);
	if (cfg.starttls)
		curl_easy_setopt(h, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
	if (cfg.user[0]) {
		curl_easy_setopt(h, CURLOPT_USERNAME, cfg.user);
		curl_easy_setopt(h, CURLOPT_PASSWORD, cfg.password);
	}
	rc = curl_easy_perform(h);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
	curl_easy_getinfo(h, CURLINFO_NUM_CONNECTS, &connects);
	s->connects += connects;
	/* the list must not outlive its use by the handle */
	curl_easy_setopt(h, CURLOPT_MAIL_RCPT, (struct curl_slist *)NULL);
	curl_easy_setopt(h, CURLOPT_READDATA, (void *)NULL);
	curl_slist_free_all(to);
	if (rc == CURLE_OK)
		return 0;
	/* libcurl closes the connection after a failed transfer (a refused
	 * recipient included), so the next message starts a clean session */
	snprintf(why, n, "%s (SMTP reply %ld)", curl_easy_strerror(rc), code);
	return code >= 500 && code <= 599 ? 1 : -1;
}

int smtp_send(const char *rcpt, const char *msg, size_t len, char *why, size_t n)
{
	struct smtp_session *s = smtp_session_open();
	int rc;

	if (!s) {
		snprintf(why, n, "cannot start an SMTP client");
		return -1;
	}
	rc = smtp_session_send(s, rcpt, msg, len, why, n);
	smtp_session_close(s);
	return rc;
}
