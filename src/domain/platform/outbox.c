/*
 * outbox.c — the persistent outbox of escalation notices (see outbox.h).
 *
 * Delivery happens outside any write transaction and under a lock of its
 * own, so a slow or failing receiver delays only other notices, never a
 * ticket write; each result is then recorded in a short write of its own.
 *
 * Invariants: every target is checked again just before it is sent (a
 * notice queued before a rule existed, or a definition changed behind the
 * API's back, is held to today's rules); a webhook request is prepared by
 * netguard alone (the URL it checked, the address it pinned); a message is
 * built from fixed header lines, the checked address and the JSON payload
 * (which holds no raw line break), or is a notification built and checked
 * by domain/notify/, and goes by SMTP (lib/smtp.h) when mail.smtp_url is
 * set, else to the mail command's standard input — no shell, no recipient
 * on its command line. A pass opens one SMTP session at its first message
 * and closes it at its end, so its messages share one connection.
 */
#include "domain/platform/outbox.h"
#include "lib/jsonx.h"
#include "lib/log.h"
#include "lib/netguard.h"
#include "lib/proc.h"
#include "lib/smtp.h"
#include "lib/timeutil.h"
#include "store/store_sla.h"

#include <ctype.h>
#include <curl/curl.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#define BACKOFF_FIRST 30
#define BACKOFF_MAX 3600
#define BATCH 32
#define MAIL_TIMEOUT_MS 30000
#define MAIL_ARGV_MAX 32

static pthread_mutex_t deliver_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static char **mail_argv; /* mail.sendmail, split; NULL: no mail */

static void curl_init_once(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

int outbox_queue(struct store_tx *tx, const char *target, const json_t *payload, int64_t now,
		 struct err *e)
{
	struct outbox_rec r = { 0 };
	int rc;

	r.target = (char *)target;
	r.payload = json_dumps(payload, JSON_COMPACT | JSON_SORT_KEYS);
	if (!r.payload)
		return err_set(e, ERR_INTERNAL, NULL, "out of memory");
	r.created_at = now;
	rc = tx->st->ops->sla->outbox_insert(tx, &r, e);
	free(r.payload);
	return rc;
}

/* ---- where a notice may go ---- */

static int mail_address_check(const char *a, struct err *e)
{
	static const char local_punct[] = "!#$&'*+/=^_`{}~.-";
	const char *at = strchr(a, '@'), *label;
	size_t len = strlen(a);

	if (!at || strchr(at + 1, '@'))
		return err_set(e, ERR_INVALID, NULL,
			       "'mailto:%.80s' must hold exactly one address, local@domain", a);
	if (len > OUTBOX_ADDRESS_MAX || at - a > 64 || at == a || !at[1])
		return err_set(e, ERR_INVALID, NULL,
			       "'mailto:%.80s' is not an address of at most 64@%d bytes", a,
			       OUTBOX_ADDRESS_MAX);
	if (a[0] == '-' || a[0] == '.' || at[-1] == '.')
		return err_set(e, ERR_INVALID, NULL, "'mailto:%.80s' is a malformed address", a);
	for (const char *p = a; p < at; p++)
		if (!isalnum((unsigned char)*p) && !strchr(local_punct, *p))
			return err_set(e, ERR_INVALID, NULL,
				       "'mailto:%.80s': '%c' may not stand in an address (one "
				       "plain address: no lists, no ?headers, no %%-encoding)",
				       a, *p);
	for (label = at + 1; *label;) {
		size_t n = strcspn(label, ".");

		if (!n || n > 63 || label[0] == '-' || label[n - 1] == '-')
			return err_set(e, ERR_INVALID, NULL,
				       "'mailto:%.80s' has a malformed domain", a);
		for (size_t i = 0; i < n; i++)
			if (!isalnum((unsigned char)label[i]) && label[i] != '-')
				return err_set(e, ERR_INVALID, NULL,
					       "'mailto:%.80s': '%c' may not stand in a domain", a,
					       label[i]);
		label += n;
		if (*label == '.' && !*++label)
			return err_set(e, ERR_INVALID, NULL,
				       "'mailto:%.80s' has a malformed domain", a);
	}
	return 0;
}

int outbox_target_check(const char *target, struct err *e)
{
	for (const char *p = target; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return err_set(e, ERR_INVALID, NULL,
				       "the target holds a control character (0x%02x)",
				       (unsigned char)*p);
	if (!strncmp(target, "mailto:", 7))
		return mail_address_check(target + 7, e);
	if (!strncasecmp(target, "http://", 7) || !strncasecmp(target, "https://", 8))
		return netguard_url_check(target, e);
	return err_set(e, ERR_INVALID, NULL,
		       "notify must be an http(s):// URL or a mailto: address, not '%.80s'",
		       target);
}

int outbox_mail_command_set(const char *line, struct err *e)
{
	char **argv = NULL;
	size_t argc;
	struct stat sb;
	struct err sub = { 0 };

	if (line && *line) {
		if (proc_split(line, MAIL_ARGV_MAX, &argv, &argc, &sub))
			return err_set(e, ERR_INVALID, "mail.sendmail", "mail.sendmail: %s", sub.msg);
		if (argv[0][0] != '/' || stat(argv[0], &sb) || !S_ISREG(sb.st_mode) ||
		    access(argv[0], X_OK)) {
			err_set(e, ERR_INVALID, "mail.sendmail",
				"mail.sendmail: '%.100s' is not the absolute path of an executable "
				"file",
				argv[0]);
			free(argv);
			return ERR_INVALID;
		}
	}
	free(mail_argv);
	mail_argv = argv;
	return 0;
}

int outbox_mail_ready(void)
{
	return smtp_enabled() || mail_argv != NULL;
}

/* ---- delivery ---- */

static size_t discard(char *p, size_t size, size_t n, void *ctx)
{
	return size * n;
}

/* 0 when sent, -1 failed (retry), 1 refused (no retry); fills why. */
static int post_webhook(const char *url, const char *payload, char *why, size_t n)
{
	struct netguard_pin pin;
	struct err e = { 0 };
	CURL *h;
	struct curl_slist *hdr = NULL;
	long status = 0;
	CURLcode rc;
	int ng;

	pthread_once(&curl_once, curl_init_once);
	if (!(h = curl_easy_init())) {
		snprintf(why, n, "cannot start an HTTP client");
		return -1;
	}
	if ((ng = netguard_prepare(h, url, &pin, &e))) {
		netguard_pin_release(&pin);
		curl_easy_cleanup(h);
		snprintf(why, n, "%s", e.msg);
		return ng == ERR_INVALID ? 1 : -1;
	}
	hdr = curl_slist_append(hdr, "Content-Type: application/json");
	hdr = curl_slist_append(hdr, "User-Agent: itsm-sla");
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, payload);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 3L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 5L);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
	rc = curl_easy_perform(h);
	if (rc == CURLE_OK)
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	curl_slist_free_all(hdr);
	curl_easy_cleanup(h);
	if (rc != CURLE_OK)
		snprintf(why, n, "%s (%s)", curl_easy_strerror(rc), pin.address);
	netguard_pin_release(&pin);
	if (rc != CURLE_OK)
		return -1;
	if (status < 200 || status > 299) {
		snprintf(why, n, "the receiver answered %ld", status);
		return -1;
	}
	return 0;
}

/* Hand text (a whole message) to the mail command's standard input: 0
 * sent, -1 failed (retry). */
static int run_mail_command(const char *text, size_t len, char *why, size_t n)
{
	struct proc_result r;
	struct err e = { 0 };
	int rc;

	rc = proc_run_input(mail_argv, text, len, MAIL_TIMEOUT_MS, &r, &e);
	if (rc) {
		snprintf(why, n, "cannot run the mail command: %.200s", e.msg);
		return -1;
	}
	rc = r.exit_code == 0 && !r.timed_out ? 0 : -1;
	if (rc) {
		/* what it said, on one line: the reason is logged and shown */
		for (char *p = r.errout; p && *p; p++)
			if ((unsigned char)*p < 0x20 || *p == 0x7f || *p == '"')
				*p = *p == '"' ? '\'' : ' ';
		snprintf(why, n, "the mail command %s %d: %.160s",
			 r.timed_out ? "timed out, status" : "exited", r.exit_code,
			 r.errout ? r.errout : "");
	}
	proc_result_release(&r);
	return rc;
}

/* 0 sent, -1 failed (retry), 1 undeliverable (no retry). A notification
 * (the payload's "message", built by domain/notify/) goes as it is; an
 * escalation notice becomes a message of fixed header lines and the JSON
 * payload. By SMTP when mail.smtp_url is set, else by the mail command.
 * *ss is the pass's SMTP session, opened at the first message. */
static int send_mail(struct smtp_session **ss, const char *target, const char *payload,
		     char *why, size_t n)
{
	struct err e = { 0 };
	json_t *j = NULL;
	const char *message = NULL;
	char *msg = NULL;
	int len, rc;

	if (outbox_target_check(target, &e)) {
		snprintf(why, n, "%s", e.msg);
		return 1;
	}
	if (!smtp_enabled() && !mail_argv) {
		snprintf(why, n, "no mail server or command configured (set mail.smtp_url or "
				 "mail.sendmail)");
		return 1;
	}
	if (smtp_enabled() && !*ss && !(*ss = smtp_session_open())) {
		snprintf(why, n, "cannot start an SMTP client");
		return -1;
	}
	if (payload[0] == '{' && (j = json_loads(payload, 0, NULL)))
		message = json_string_value(json_object_get(j, "message"));
	if (message) {
		rc = smtp_enabled() ? smtp_session_send(*ss, target + 7, message, strlen(message),
							why, n)
				    : run_mail_command(message, strlen(message), why, n);
		json_decref(j);
		return rc;
	}
	json_decref(j);
	for (const char *p = payload; *p; p++)
		if (*p == '\r' || *p == '\n') {
			snprintf(why, n, "the notice holds a line break");
			return 1;
		}
	if (smtp_enabled())
		len = asprintf(&msg,
			       "From: %s\nTo: %s\nSubject: itsm service level notice\n"
			       "Auto-Submitted: auto-generated\nMIME-Version: 1.0\n"
			       "Content-Type: application/json; charset=utf-8\n\n%s\n",
			       smtp_from(), target + 7, payload);
	else
		len = asprintf(&msg,
			       "To: %s\nSubject: itsm service level notice\nMIME-Version: 1.0\n"
			       "Content-Type: application/json; charset=utf-8\n\n%s\n",
			       target + 7, payload);
	if (len < 0) {
		snprintf(why, n, "out of memory");
		return -1;
	}
	rc = smtp_enabled() ? smtp_session_send(*ss, target + 7, msg, (size_t)len, why, n)
			    : run_mail_command(msg, (size_t)len, why, n);
	free(msg);
	return rc;
}

static int do_set(struct store_tx *tx, void *arg, struct err *e)
{
	return tx->st->ops->sla->outbox_set(tx, arg, e);
}

int outbox_deliver(struct store *st, int64_t now, int64_t *sent, int64_t *failed,
		   struct err *e)
{
	struct smtp_session *ss = NULL; /* one SMTP connection for the pass */
	int rc = 0;

	*sent = *failed = 0;
	pthread_mutex_lock(&deliver_mu);
	for (int round = 0; round < 16 && !rc; round++) {
		struct outbox_rec *v;
		size_t n;

		if ((rc = st->ops->sla->outbox_due(st, now, BATCH, &v, &n, e)))
			break;
		for (size_t i = 0; i < n && !rc; i++) {
			struct outbox_rec *r = &v[i];
			int res;

			r->last_error[0] = 0;
			res = strncmp(r->target, "mailto:", 7) ?
				      post_webhook(r->target, r->payload, r->last_error,
						   sizeof(r->last_error)) :
				      send_mail(&ss, r->target, r->payload, r->last_error,
						sizeof(r->last_error));
			r->attempts++;
			if (res == 0) {
				snprintf(r->state, sizeof(r->state), "sent");
				r->sent_at = now;
				(*sent)++;
			} else if (res > 0) {
				snprintf(r->state, sizeof(r->state), "undeliverable");
				(*failed)++;
			} else {
				int64_t wait = BACKOFF_FIRST;

				for (int64_t k = 1; k < r->attempts && wait < BACKOFF_MAX; k++)
					wait *= 2;
				if (wait > BACKOFF_MAX)
					wait = BACKOFF_MAX;
				r->next_at = now + wait;
				if (r->attempts >= OUTBOX_MAX_ATTEMPTS)
					snprintf(r->state, sizeof(r->state), "failed");
				(*failed)++;
			}
			log_info("msg=\"outbox\" id=%lld state=%s attempts=%lld err=%s",
				 (long long)r->id, LOG_STR(r->state), (long long)r->attempts,
				 LOG_STR(r->last_error));
			rc = store_write(st, do_set, r, e);
		}
		sla_free_outbox(v, n);
		if (n < BATCH)
			break;
	}
	if (ss)
		log_info("msg=\"outbox smtp\" connections=%ld", smtp_session_connects(ss));
	smtp_session_close(ss);
	pthread_mutex_unlock(&deliver_mu);
	return rc;
}

int outbox_list_json(struct store *st, const struct actor *a, const json_t *q, json_t **out,
		     struct err *e)
{
	const char *state = jx_qstr(q, "state");
	int64_t limit = 50;
	struct outbox_rec *v;
	size_t n;
	int rc;

	if (a->role != ROLE_ADMIN && a->role != ROLE_SYSTEM)
		return err_set(e, ERR_FORBIDDEN, NULL, "only admins read the outbox");
	if ((rc = jx_qint(q, "limit", 1, 500, &limit, e)) < 0)
		return rc;
	if ((rc = st->ops->sla->outbox_list(st, state, limit, &v, &n, e)))
		return rc;
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *j = json_object(), *p = json_loads(v[i].payload, 0, NULL);

		json_object_set_new(j, "id", json_integer(v[i].id));
		json_object_set_new(j, "target", json_string(v[i].target));
		json_object_set_new(j, "payload", p ? p : json_string(v[i].payload));
		json_object_set_new(j, "state", json_string(v[i].state));
		json_object_set_new(j, "attempts", json_integer(v[i].attempts));
		jx_set_time(j, "next_at", v[i].next_at);
		jx_set_str(j, "last_error", v[i].last_error[0] ? v[i].last_error : NULL);
		jx_set_time(j, "created_at", v[i].created_at);
		jx_set_time(j, "sent_at", v[i].sent_at);
		json_array_append_new(items, j);
	}
	sla_free_outbox(v, n);
	*out = json_pack("{s:o, s:n}", "items", items, "next_cursor");
	return 0;
}
