/*
 * imap.c — IMAP polling with libcurl (see imap.h).
 *
 * One poll of a mailbox, on one curl handle (so one connection):
 *   1. STATUS "FOLDER" (UIDVALIDITY): a value other than the one the store
 *      last saw forgets the mailbox's remembered UIDs (an audited write);
 *   2. the UIDs remembered but not yet flagged (a poller that died between
 *      storing and flagging) are flagged or moved now;
 *   3. UID SEARCH UID m:* with m one above the highest UID remembered: the
 *      new messages, taken in ascending order — fetched by UID (the URL's
 *      ;UIDVALIDITY= makes curl refuse a mailbox renumbered meanwhile),
 *      stored with their origin in one write (mail_receive_at), then
 *      flagged (UID STORE +FLAGS.SILENT (\Seen)) or moved (UID MOVE,
 *      RFC 6851) and marked done.
 * A message the store cannot take now (busy, out of reach) ends the poll
 * there: the UIDs after it wait, so none is passed over. Bytes that are
 * not a message, or too large, are remembered as skipped and left on the
 * server (flagged or moved like the rest).
 *
 * The options of each mailbox are imap_config.c's.
 *
 * The server's replies are only searched for what is expected (a number
 * after "UIDVALIDITY", the numbers of "* SEARCH"); anything else fails the
 * poll. Folder names are quoted; a name with a quote, a backslash, a '%'
 * or a control character is refused at configuration.
 */
#include "domain/mail/imap.h"
#include "domain/mail/mail.h"
#include "domain/platform/audit.h"
#include "lib/buf.h"
#include "lib/file.h"
#include "lib/log.h"
#include "lib/timeutil.h"
#include "store/store.h"
#include "store/store_mail.h"

#include <curl/curl.h>
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define REPLY_MAX (4u * 1024 * 1024) /* a command's untagged replies */
#define BACKOFF_MAX 3600
/* UIDs flagged on the server are marked done in the store this many to a
 * write: a crash before the write only flags them again. */
#define DONE_BATCH 256

/* ---- one connection ---- */

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static int stopping; /* the poller is being stopped: abort transfers (atomic) */

/* A new string the caller frees; NULL when out of memory. */
static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
static char *fmt(const char *f, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, f);
	n = vasprintf(&s, f, ap);
	va_end(ap);
	return n < 0 ? NULL : s;
}

static void curl_init_once(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

struct conn {
	CURL *h;
	const struct imap_mailbox *mb;
	char *folder_url; /* url/FOLDER (escaped), no UIDVALIDITY */
	struct buf out;
	char password[256];
	char curl_err[CURL_ERROR_SIZE];
	/* flagged or moved, not yet marked done in the store (flush_done) */
	int64_t pending[DONE_BATCH];
	size_t npending;
};

static size_t on_data(char *p, size_t size, size_t n, void *ctx)
{
	struct buf *b = ctx;

	return buf_append(b, p, size * n) ? 0 : size * n;
}

static int on_progress(void *ctx, curl_off_t a, curl_off_t b, curl_off_t c, curl_off_t d)
{
	return __atomic_load_n(&stopping, __ATOMIC_RELAXED);
}

/* The password file's first line into c->password. */
static int read_password(struct conn *c, struct err *e)
{
	char *text = NULL;
	size_t n = 0, len;
	struct err sub = { 0 };

	if (file_read(c->mb->password_file, 4096, &text, &n, &sub))
		return err_set(e, ERR_INVALID, NULL, "imap.%s.password_file: %s", c->mb->name,
			       sub.msg);
	len = strcspn(text, "\r\n");
	if (len >= sizeof(c->password) || memchr(text, '\0', len)) {
		free(text);
		return err_set(e, ERR_INVALID, NULL, "imap.%s.password_file: the password is too long",
			       c->mb->name);
	}
	memcpy(c->password, text, len);
	c->password[len] = '\0';
	free(text);
	return 0;
}

static void conn_release(struct conn *c)
{
	if (c->h)
		curl_easy_cleanup(c->h);
	free(c->folder_url);
	buf_release(&c->out);
	memset(c->password, 0, sizeof(c->password));
}

static int conn_init(struct conn *c, const struct imap_mailbox *mb, long max_size,
		     struct err *e)
{
	char *folder;
	int rc;

	memset(c, 0, sizeof(*c));
	c->mb = mb;
	buf_init(&c->out, (size_t)max_size + 1 > REPLY_MAX ? (size_t)max_size + 1 : REPLY_MAX);
	pthread_once(&curl_once, curl_init_once);
	if ((rc = read_password(c, e)))
		return rc;
	if (!(c->h = curl_easy_init()))
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	folder = curl_easy_escape(c->h, mb->folder, 0);
	if (!folder)
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	c->folder_url = fmt("%s/%s", mb->url, folder);
	curl_free(folder);
	if (!c->folder_url)
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	curl_easy_setopt(c->h, CURLOPT_PROTOCOLS_STR, "imap,imaps");
	curl_easy_setopt(c->h, CURLOPT_USERNAME, mb->user);
	curl_easy_setopt(c->h, CURLOPT_PASSWORD, c->password);
	curl_easy_setopt(c->h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c->h, CURLOPT_NOPROXY, "*");
	curl_easy_setopt(c->h, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(c->h, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(c->h, CURLOPT_LOW_SPEED_TIME, 60L);
	curl_easy_setopt(c->h, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c->h, CURLOPT_WRITEDATA, &c->out);
	curl_easy_setopt(c->h, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(c->h, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl_easy_setopt(c->h, CURLOPT_ERRORBUFFER, c->curl_err);
	if (mb->tls_required)
		curl_easy_setopt(c->h, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
	return 0;
}

/* Run command (NULL: fetch) on url; the reply's data into c->out. */
static int run(struct conn *c, const char *url, const char *command, struct err *e)
{
	CURLcode cc;

	buf_reset(&c->out);
	c->curl_err[0] = '\0';
	curl_easy_setopt(c->h, CURLOPT_URL, url);
	curl_easy_setopt(c->h, CURLOPT_CUSTOMREQUEST, command);
	cc = curl_easy_perform(c->h);
	if (cc == CURLE_OK)
		return 0;
	if (cc == CURLE_WRITE_ERROR)
		return err_set(e, ERR_TOO_LARGE, NULL, "the reply is over %zu bytes", c->out.limit);
	/* curl's message may quote the server: one line of printable text */
	for (char *p = c->curl_err; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
	return err_set(e, cc == CURLE_LOGIN_DENIED ? ERR_FORBIDDEN : ERR_BUSY, NULL, "%s%s%s",
		       curl_easy_strerror(cc), c->curl_err[0] ? ": " : "", c->curl_err);
}

/* The number after "word " in the reply, e.g. "UIDVALIDITY 1700000001". */
static int reply_number(const char *reply, const char *word, int64_t *v)
{
	const char *p = reply;
	size_t n = strlen(word);

	while ((p = strstr(p, word))) {
		char *end;
		unsigned long long x;

		p += n;
		if (*p != ' ')
			continue;
		errno = 0;
		x = strtoull(p + 1, &end, 10);
		if (end == p + 1 || errno || x == 0 || x > 4294967295ULL)
			return -1;
		*v = (int64_t)x;
		return 0;
	}
	return -1;
}

/* The UIDs of "* SEARCH n n …" lines at or above from, ascending, into
 * *out (*n). */
static int search_uids(const char *reply, int64_t from, int64_t **out, size_t *n,
		       struct err *e)
{
	size_t cap = 0;
	const char *line = reply;

	*out = NULL;
	*n = 0;
	while (line && *line) {
		const char *end = strchr(line, '\n');
		const char *p = line;

		if (!strncmp(p, "* SEARCH", 8)) {
			p += 8;
			while (*p == ' ' || (*p >= '0' && *p <= '9')) {
				char *stop;
				unsigned long long x;

				if (*p == ' ') {
					p++;
					continue;
				}
				errno = 0;
				x = strtoull(p, &stop, 10);
				if (errno || x == 0 || x > 4294967295ULL)
					goto bad;
				p = stop;
				if ((int64_t)x < from)
					continue;
				if (*n == cap) {
					int64_t *more = realloc(*out, (cap = cap ? cap * 2 : 64) *
									      sizeof(**out));
					if (!more) {
						free(*out);
						*out = NULL;
						return err_set(e, ERR_INTERNAL, NULL, "out of memory");
					}
					*out = more;
				}
				(*out)[(*n)++] = (int64_t)x;
			}
			if (*p != '\r' && *p != '\n' && *p)
				goto bad;
		}
		line = end ? end + 1 : NULL;
	}
	for (size_t i = 1; i < *n; i++) /* insertion sort: replies come sorted */
		for (size_t j = i; j > 0 && (*out)[j - 1] > (*out)[j]; j--) {
			int64_t t = (*out)[j];

			(*out)[j] = (*out)[j - 1];
			(*out)[j - 1] = t;
		}
	return 0;
bad:
	free(*out);
	*out = NULL;
	*n = 0;
	return err_set(e, ERR_INVALID, NULL, "a malformed SEARCH reply");
}

/* ---- the store's part ---- */

struct reset_ctx {
	const char *mailbox;
	int64_t from, to, forgotten;
};

static int reset_write(struct store_tx *tx, void *ctx, struct err *e)
{
	struct reset_ctx *r = ctx;
	struct actor a;
	char entity[IMAP_NAME_MAX + 8];
	json_t *change;
	int rc;

	if ((rc = tx->st->ops->mail->imap_reset(tx, r->mailbox, r->to, &r->forgotten, e)))
		return rc;
	actor_system(&a, "mail");
	snprintf(entity, sizeof(entity), "imap:%s", r->mailbox);
	change = json_pack("{s:{s:I}, s:{s:I, s:I}}", "before", "uidvalidity", (json_int_t)r->from,
			   "after", "uidvalidity", (json_int_t)r->to, "forgotten",
			   (json_int_t)r->forgotten);
	if (!change)
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	rc = audit_append(tx, &a, "mail.imap_reset", entity, change, e);
	json_decref(change);
	return rc;
}

struct done_ctx {
	const char *mailbox;
	int64_t uidvalidity;
	const int64_t *uids;
	size_t n;
};

static int done_write(struct store_tx *tx, void *ctx, struct err *e)
{
	struct done_ctx *d = ctx;
	int rc = 0;

	for (size_t i = 0; i < d->n && !rc; i++)
		rc = tx->st->ops->mail->imap_done(tx, d->mailbox, d->uidvalidity, d->uids[i], e);
	return rc;
}

/* Mark the pending UIDs done, in one write. */
static int flush_done(struct store *st, struct conn *c, int64_t validity, struct err *e)
{
	struct done_ctx d = { c->mb->name, validity, c->pending, c->npending };
	int rc;

	if (!c->npending)
		return 0;
	rc = store_write(st, done_write, &d, e);
	c->npending = 0;
	return rc;
}

/* ---- one poll ---- */

/* Flag or move uid, then mark it done (in a batch: flush_done). */
static int finish(struct store *st, struct conn *c, const char *url, int64_t validity,
		  int64_t uid, struct imap_stats *stats, struct err *e)
{
	char cmd[320];
	int rc;

	if (c->mb->after == IMAP_AFTER_MOVE)
		snprintf(cmd, sizeof(cmd), "UID MOVE %lld \"%s\"", (long long)uid, c->mb->move_to);
	else
		snprintf(cmd, sizeof(cmd), "UID STORE %lld +FLAGS.SILENT (\\Seen)", (long long)uid);
	if ((rc = run(c, url, cmd, e)))
		return rc;
	c->pending[c->npending++] = uid;
	stats->flagged++;
	return c->npending == DONE_BATCH ? flush_done(st, c, validity, e) : 0;
}

/* The message uid: fetched, stored with its origin, then finished. A
 * failure to store is returned (the caller stops); a failure to finish
 * is too, the message being stored (the next poll finishes it). */
static int take(struct store *st, struct conn *c, const char *url, int64_t validity,
		int64_t uid, long max_size, struct imap_stats *stats, struct err *e)
{
	struct mail_origin o = { c->mb->name, validity, uid };
	struct mail_receipt r;
	struct actor a;
	char *fetch_url;
	int rc;

	fetch_url = fmt("%s;UIDVALIDITY=%lld/;UID=%lld", c->folder_url,
				  (long long)validity, (long long)uid);
	if (!fetch_url)
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	rc = run(c, fetch_url, NULL, e);
	free(fetch_url);
	if (rc == ERR_TOO_LARGE || (!rc && c->out.len > (size_t)max_size)) {
		log_warn("msg=\"imap message skipped: over mail.max_size\" mailbox=%s uid=%lld",
			 LOG_STR(c->mb->name), (long long)uid);
		err_clear(e);
		if ((rc = mail_origin_skip(st, &o, e)))
			return rc;
		stats->skipped++;
		return finish(st, c, url, validity, uid, stats, e);
	}
	if (rc)
		return rc;
	actor_system(&a, "mail");
	rc = mail_receive_at(st, &a, c->mb->queue, c->out.data ? c->out.data : "", c->out.len, &o,
			     &r, e);
	if (rc == ERR_INVALID) {
		log_warn("msg=\"imap message skipped: not a message\" mailbox=%s uid=%lld err=%s",
			 LOG_STR(c->mb->name), (long long)uid, LOG_STR(e->msg));
		err_clear(e);
		if ((rc = mail_origin_skip(st, &o, e)))
			return rc;
		stats->skipped++;
		return finish(st, c, url, validity, uid, stats, e);
	}
	if (rc)
		return rc;
	stats->taken++;
	stats->duplicates += r.duplicate;
	stats->created += !r.duplicate && r.outcome == MAIL_CREATED;
	if (!r.duplicate)
		log_info("msg=\"imap message stored\" mailbox=%s uid=%lld mail=%lld outcome=%s "
			 "ticket=%s",
			 LOG_STR(c->mb->name), (long long)uid, (long long)r.id,
			 mail_outcome_name(r.outcome), LOG_STR(r.ticket));
	return finish(st, c, url, validity, uid, stats, e);
}

int imap_poll_mailbox(struct store *st, const struct imap_mailbox *mb, long max_size,
		      struct imap_stats *stats, struct err *e)
{
	struct conn c;
	char cmd[320];
	char *url = NULL;
	int64_t validity = 0, max = 0, seen = 0, *uids = NULL;
	size_t n = 0;
	int rc;

	memset(stats, 0, sizeof(*stats));
	if ((rc = conn_init(&c, mb, max_size, e)))
		goto out;
	/* 1. the mailbox's UIDVALIDITY */
	snprintf(cmd, sizeof(cmd), "STATUS \"%s\" (UIDVALIDITY)", mb->folder);
	url = fmt("%s/", mb->url);
	if (!url) {
		rc = err_set(e, ERR_INTERNAL, NULL, "out of memory");
		goto out;
	}
	if ((rc = run(&c, url, cmd, e)))
		goto out;
	if (reply_number(buf_str(&c.out), "UIDVALIDITY", &validity)) {
		rc = err_set(e, ERR_INVALID, NULL, "no UIDVALIDITY in the STATUS reply");
		goto out;
	}
	free(url);
	url = fmt("%s;UIDVALIDITY=%lld", c.folder_url, (long long)validity);
	if (!url) {
		rc = err_set(e, ERR_INTERNAL, NULL, "out of memory");
		goto out;
	}
	if ((rc = st->ops->mail->imap_mark(st, mb->name, validity, &max, &seen, e)))
		goto out;
	if (seen && seen != validity) {
		struct reset_ctx r = { mb->name, seen, validity, 0 };

		if ((rc = store_write(st, reset_write, &r, e)))
			goto out;
		stats->reset = r.forgotten;
		log_warn("msg=\"imap mailbox renumbered: its remembered UIDs are forgotten\" "
			 "mailbox=%s uidvalidity_before=%lld uidvalidity=%lld forgotten=%lld",
			 LOG_STR(mb->name), (long long)seen, (long long)validity,
			 (long long)r.forgotten);
		max = 0;
	}
	/* 2. stored before but not flagged */
	if ((rc = st->ops->mail->imap_undone(st, mb->name, validity, IMAP_BATCH_MAX, &uids, &n, e)))
		goto out;
	for (size_t i = 0; i < n && !__atomic_load_n(&stopping, __ATOMIC_RELAXED); i++)
		if ((rc = finish(st, &c, url, validity, uids[i], stats, e)))
			goto out;
	free(uids);
	uids = NULL;
	/* 3. the new messages */
	snprintf(cmd, sizeof(cmd), "UID SEARCH UID %lld:*", (long long)max + 1);
	if ((rc = run(&c, url, cmd, e)) ||
	    (rc = search_uids(buf_str(&c.out), max + 1, &uids, &n, e)))
		goto out;
	for (size_t i = 0; i < n && i < IMAP_BATCH_MAX && !__atomic_load_n(&stopping, __ATOMIC_RELAXED); i++)
		if ((rc = take(st, &c, url, validity, uids[i], max_size, stats, e)))
			goto out;
out:
	if (c.npending) {
		struct err sub = { 0 };
		int done = flush_done(st, &c, validity, &sub);

		if (done && !rc)
			rc = err_set(e, sub.code, NULL, "%s", sub.msg);
	}
	free(uids);
	free(url);
	conn_release(&c);
	return rc;
}

/* ---- the server's thread ---- */

static pthread_t poller;
static pthread_mutex_t p_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t p_cv = PTHREAD_COND_INITIALIZER;
static int p_running, p_stop;
static struct store *p_store;
static long p_max_size;

static void *poll_main(void *arg)
{
	const struct imap_mailboxes *set = imap_mailboxes();
	int64_t next[IMAP_MAILBOXES_MAX] = { 0 };
	int fails[IMAP_MAILBOXES_MAX] = { 0 };

	(void)arg;
	pthread_mutex_lock(&p_mu);
	while (!p_stop) {
		struct timespec ts;

		pthread_mutex_unlock(&p_mu);
		/* Several servers on one store: the leader alone polls. */
		if (set->n && p_store->ops->leader(p_store, "imap")) {
			for (int i = 0; i < set->n && !__atomic_load_n(&stopping, __ATOMIC_RELAXED); i++) {
				const struct imap_mailbox *mb = &set->at[i];
				struct imap_stats s;
				struct err e = { 0 };
				int64_t now = clock_now(), wait;

				if (next[i] > now)
					continue;
				if (imap_poll_mailbox(p_store, mb, p_max_size, &s, &e)) {
					wait = mb->interval << (fails[i] < 16 ? fails[i] : 16);
					if (wait > BACKOFF_MAX || wait <= 0)
						wait = BACKOFF_MAX > mb->interval ? BACKOFF_MAX
										  : mb->interval;
					fails[i]++;
					if (!__atomic_load_n(&stopping, __ATOMIC_RELAXED))
						log_warn("msg=\"imap poll failed\" mailbox=%s failures=%d "
							 "retry_s=%lld err=%s",
							 LOG_STR(mb->name), fails[i], (long long)wait,
							 LOG_STR(e.msg));
				} else {
					wait = mb->interval;
					if (fails[i])
						log_info("msg=\"imap poll recovered\" mailbox=%s",
							 LOG_STR(mb->name));
					fails[i] = 0;
				}
				next[i] = clock_now() + wait;
			}
		}
		pthread_mutex_lock(&p_mu);
		if (p_stop)
			break;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += 1;
		pthread_cond_timedwait(&p_cv, &p_mu, &ts);
	}
	pthread_mutex_unlock(&p_mu);
	return NULL;
}

int imap_poller_start(struct store *st, long max_size, struct err *e)
{
	const struct imap_mailboxes *set = imap_mailboxes();

	pthread_mutex_lock(&p_mu);
	if (p_running || !set->n) {
		pthread_mutex_unlock(&p_mu);
		return 0;
	}
	p_stop = 0;
	__atomic_store_n(&stopping, 0, __ATOMIC_RELAXED);
	p_store = st;
	p_max_size = max_size;
	if (pthread_create(&poller, NULL, poll_main, NULL)) {
		pthread_mutex_unlock(&p_mu);
		return err_set(e, ERR_INTERNAL, NULL, "cannot start the imap poller");
	}
	p_running = 1;
	pthread_mutex_unlock(&p_mu);
	return 0;
}

void imap_poller_stop(void)
{
	pthread_mutex_lock(&p_mu);
	if (!p_running) {
		pthread_mutex_unlock(&p_mu);
		return;
	}
	p_stop = 1;
	__atomic_store_n(&stopping, 1, __ATOMIC_RELAXED);
	pthread_cond_broadcast(&p_cv);
	pthread_mutex_unlock(&p_mu);
	pthread_join(poller, NULL);
	p_running = 0;
}
